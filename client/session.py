"""`Session`: one Dreamverse session from `start` to `leave` — steering calls over a resumable `Channel`.

Every call sends one protocol message (built from the protocol's own models) and, where the server answers,
waits for the answer: the matching event is returned, a matching `error` is raised as the runtime's own
exception class. Events and segments are read with `events()`, `segments()` or `until()`, which share one
cursor over the stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from types import TracebackType
from typing import TypeVar

from websockets.exceptions import ConnectionClosed

from dreamverse.client.channel import Channel, Item
from dreamverse.client.errors import CapabilityMissing, SessionClosed, error_code
from dreamverse.client.images import initial_image
from dreamverse.client.retry import ClientTimeouts, RetryPolicy
from dreamverse.client.segments import Segment
from dreamverse.runtime.protocol import client as c
from dreamverse.runtime.protocol import server as s

E = TypeVar("E", bound=s.ServerEvent | Segment)

# Errors that answer the message just sent (they carry no prompt_id to match on).
_REPLY_ERRORS = {
    "invalid_message",
    "unknown_message_type",  # (a newer server's name for an unknown `type`)
    "unexpected_message",
    "prompt_too_long",
    "rate_limited",
    "message_too_large",
    "pending_prompts_full",
    "unknown_branch",
    "unknown_segment",
    "segment_evicted",
}

__all__ = ["E", "Item", "Session", "connect"]


class Session:
    """Use `await connect(url)`; then `start`, iterate `events()`, steer, `leave`."""

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        retry: RetryPolicy | None = None,
        timeouts: ClientTimeouts | None = None,
    ) -> None:
        self.timeouts = timeouts or ClientTimeouts()
        self._channel = Channel(url, token, retry or RetryPolicy(), self.timeouts)

    async def open(self) -> Session:
        await self._channel.open()
        return self

    async def __aenter__(self) -> Session:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def leave(self) -> None:
        """End the session on the server (its slot is freed) and close the socket."""
        self._channel.expect_close()
        with contextlib.suppress(ConnectionClosed):
            await self._channel.send(c.Leave(type="leave"))
        await self.close()

    async def close(self) -> None:
        """Close the socket without ending the session (the server keeps it `--resume-grace-s` seconds)."""
        await self._channel.close()

    @property
    def ready(self) -> s.SessionReady:
        """The latest `session_ready` (a resume brings a new one, with a new token)."""
        assert self._channel.ready is not None, "not connected"
        return self._channel.ready

    @property
    def session_id(self) -> str:
        return self.ready.session_id

    @property
    def resumes(self) -> int:
        """How many times a dropped socket was replaced and the session resumed."""
        return self._channel.resumes

    @property
    def capabilities(self) -> frozenset[str]:
        return frozenset(self.ready.capabilities)

    def require(self, capability: str) -> None:
        """Raise `CapabilityMissing` unless the server announced `capability` in `session_ready`."""
        if capability not in self.capabilities:
            offered = ", ".join(sorted(self.capabilities))
            raise CapabilityMissing(f"the server does not offer {capability!r} (it offers: {offered})")

    # --- steering -------------------------------------------------------------------------------

    async def start(
        self,
        prompts: list[str] | None = None,
        *,
        idea: str | None = None,
        image: bytes | None = None,
        enhance: bool = False,
        auto_extension: bool = False,
        loop: bool = False,
        seed: int | None = None,
        single_clip: bool = False,
    ) -> s.GpuAssigned:
        """Start generating `prompts` (a rollout, one segment each) or a rollout planned from `idea`.
        Returns once a slot is assigned; a full queue is retried with backoff, other errors raise."""
        if image is not None:
            self.require("initial_image")
        message = c.SessionInitV2(
            type="session_init_v2",
            curated_prompts=list(prompts or []),
            initial_rollout_prompt=idea,
            initial_image=initial_image(image) if image is not None else None,
            enhancement_enabled=enhance,
            auto_extension_enabled=auto_extension,
            loop_generation_enabled=loop,
            seed=seed,
            single_clip_mode=single_clip,
        )
        self._channel.begin_start(message)
        waiter = self._channel.expect(lambda e: isinstance(e, s.GpuAssigned), lambda e: not e.retryable)
        await self._channel.send(message)
        event = await self._channel.answer(waiter, self.timeouts.slot_s)
        assert isinstance(event, s.GpuAssigned)
        return event

    async def append(
        self, prompt: str, *, prompt_id: str | None = None
    ) -> s.PromptReady | s.PromptFallbackUsed:
        """Queue `prompt` for the next segment; returns it as it will be used. Blocked: `SafetyRejected`."""
        pid = prompt_id or uuid.uuid4().hex[:12]

        def done(e: s.ServerEvent) -> bool:
            return isinstance(e, s.PromptReady | s.PromptFallbackUsed) and e.prompt_id == pid

        waiter = self._channel.expect(done, lambda e: e.prompt_id == pid or _answers_any(e))
        await self._channel.send(c.AppendPrompt(type="append_prompt", prompt=prompt, prompt_id=pid))
        event = await self._channel.answer(waiter, self.timeouts.reply_s)
        assert isinstance(event, s.PromptReady | s.PromptFallbackUsed)
        return event

    async def rewrite(self, instruction: str, *, window: list[str] | None = None) -> s.SeedPromptsUpdated:
        """Rewrite the seed prompts by an instruction; generation restarts with a new stream."""
        self.require("rewrite")
        waiter = self._channel.expect(
            lambda e: isinstance(e, s.SeedPromptsUpdated) and e.reason == "rewrite", _answers_any
        )
        message = c.RewriteSeedPrompts(
            type="rewrite_seed_prompts", rewrite_instruction=instruction, prompt_window_prompts=window or []
        )
        await self._channel.send(message)
        event = await self._channel.answer(waiter, self.timeouts.reply_s)
        assert isinstance(event, s.SeedPromptsUpdated)
        return event

    async def pause(self) -> None:
        """Hold generation at the next segment boundary."""
        await self._set_paused(True)

    async def resume(self) -> None:
        """Continue generation after `pause` (a dropped socket is resumed on its own)."""
        await self._set_paused(False)

    async def fork(
        self,
        segment_idx: int,
        prompt: str | None = None,
        *,
        rewrite_instruction: str | None = None,
        branch_id: str | None = None,
    ) -> s.BranchesUpdated:
        """Go on from the end of `segment_idx` (as the server numbers it) on a new branch, steered by `prompt`
        or `rewrite_instruction`. Returns the tree once the new branch is current. Needs `branches`;
        a segment the server no longer stores raises `SegmentEvicted`."""
        self.require("branches")
        branch = branch_id or f"b{uuid.uuid4().hex[:12]}"
        waiter = self._channel.expect(
            lambda e: isinstance(e, s.BranchesUpdated) and e.current_branch_id == branch, _answers_any
        )
        message = c.ForkFromSegment(
            type="fork_from_segment",
            segment_idx=segment_idx,
            branch_id=branch,
            prompt=prompt,
            rewrite_instruction=rewrite_instruction,
        )
        await self._channel.send(message)
        event = await self._channel.answer(waiter, self.timeouts.reply_s)
        assert isinstance(event, s.BranchesUpdated)
        return event

    async def _set_paused(self, paused: bool) -> None:
        waiter = self._channel.expect(
            lambda e: isinstance(e, s.GenerationPausedUpdated) and e.paused == paused, _answers_any
        )
        await self._channel.send(c.SetGenerationPaused(type="set_generation_paused", paused=paused))
        await self._channel.answer(waiter, self.timeouts.reply_s)

    # --- reading ----------------------------------------------------------------------------------

    def events(self) -> AsyncGenerator[Item, None]:
        """Every event and every finished `Segment`, in arrival order, until the session ends. A session
        ended by an error raises it (a `DreamverseError` subclass, or a `ClientError`)."""
        return self._channel.items()

    async def segments(self) -> AsyncIterator[Segment]:
        async for item in self.events():
            if isinstance(item, Segment):
                yield item

    async def until(self, kind: type[E], timeout_s: float | None = None) -> E:
        """Consume items up to and including the first of type `kind`."""
        async with (
            asyncio.timeout(timeout_s if timeout_s is not None else self.timeouts.reply_s),
            contextlib.aclosing(self.events()) as items,
        ):
            async for item in items:
                if isinstance(item, kind):
                    return item
        raise SessionClosed(f"the session ended before a {kind.__name__}", None)


def _answers_any(event: s.Error) -> bool:
    return event.prompt_id is None and error_code(event) in _REPLY_ERRORS


async def connect(
    url: str,
    *,
    token: str | None = None,
    retry: RetryPolicy | None = None,
    timeouts: ClientTimeouts | None = None,
) -> Session:
    """Open a session: `async with await connect("ws://127.0.0.1:8009/ws") as session: ...`."""
    return await Session(url, token=token, retry=retry, timeouts=timeouts).open()
