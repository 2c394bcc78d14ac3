"""One rollout: segments 0…cap-1 of a stream on a leased worker, forwarded to the client in upstream order.

Per segment: `segment_prompt_source` → `ltx2_segment_start` → `media_init` → binary… →
`media_segment_complete` → `step_complete` → `ltx2_segment_complete`. The next segment is requested as soon
as the worker has *generated* the current one (its encode may still be draining), when a prompt for it is
ready without waiting; so generation of N+1 overlaps the tail of N's encode and delivery.

A segment no socket saw whole (the socket dropped, or a new one attached, while it was on its way) is kept
and replayed, oldest first, to the next socket before anything newer: a resumed client misses nothing. While
no socket is attached the rollout holds at the next boundary, so at most the segments in flight are kept.

Held at a boundary, nothing of the rollout is on the worker but the stream's continuation state, which the
worker sends after every segment (`SegmentStateSaved`). So a held rollout can be cancelled and its lease
given to someone waiting; `resume_on(lease)` later goes on from the same segment on whatever worker comes
next, restoring that state: the video continues as if never interrupted.

The same holds when the worker dies under the rollout (scale-out: its agent was killed): `cut()` drops
the segments in flight, keeping the prompts they were given, and `resume_on` renders them again, from the
last finished segment's state, on the next worker. That state lives here, in the runtime process that
holds the client (every segment's state crosses to it anyway), so no worker's death can take it along.
A cut segment is never skipped: it is announced again (`segment_restarted` first) and its media starts
over with a new `media_init`; what the client already has of finished segments is never sent twice.

A segment a socket got whole (its `ltx2_segment_complete` included) is *delivered*: the host hears of it
(`segment_delivered`) and may snapshot the rollout from there (`delivered_through`, `delivered_state`, the
prompts already chosen for later segments), so another replica can go on with it (`chosen`: render those
segments with the prompts they were given here, the same frames).

A rollout renders one branch of the session's segment tree: a fresh one from segment 0, or one that goes on
from a saved continuation state (a fork, a switch) at `first_idx`. Each finished segment (its prompt, seed,
saved state and fMP4) is handed to the host to record.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from dreamverse.runtime.capacity import Lease
from dreamverse.runtime.errors import SegmentTimeout, WorkerFailed, WorkerLost
from dreamverse.runtime.prompts.memory import PromptChoice
from dreamverse.runtime.protocol import server as s
from dreamverse.runtime.session.state import SessionState
from dreamverse.workers.errors import WorkerGone
from dreamverse.workers.ipc import (
    FragmentEncoded,
    MediaInitialized,
    SegmentEncoded,
    SegmentFailed,
    SegmentGenerated,
    SegmentStarted,
    SegmentStateSaved,
    WorkerToRuntime,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")


class RolloutHost(Protocol):
    """What a rollout needs from its session."""

    state: SessionState
    epoch: int  # bumped whenever a socket attaches or drops; media reaches a client only within one epoch

    @property
    def is_attached(self) -> bool: ...

    async def send(self, event: s.ServerEvent) -> None: ...

    async def send_bytes(self, data: bytes) -> None: ...

    async def choose_prompt(self, segment_idx: int, *, wait: bool) -> PromptChoice | None: ...

    def segment_done(self) -> None: ...

    async def until_attached(self) -> None: ...

    def boundary_reached(self) -> None: ...

    def segment_delivered(self) -> None: ...

    async def record_segment(self, branch_id: str, segment: FinishedSegment) -> None: ...


@dataclass(slots=True)
class _Segment:
    idx: int
    choice: PromptChoice
    requested_at: float
    announced_epoch: int | None = None  # the socket that got `ltx2_segment_start`
    media_epoch: int | None = None  # the socket that got `media_init` (and so can take the bytes)
    mime: str = ""
    data: list[bytes] = field(default_factory=list)  # every chunk, until a socket has seen them all
    first_frame_unix_s: float | None = None
    generate_s: float = 0.0
    stage_s: dict[str, float] = field(default_factory=dict)
    done: SegmentEncoded | None = None
    total_ms: float = 0.0  # request to last byte
    state: bytes | None = None  # the continuation state the worker saved after this segment
    seed: int = 0  # what the worker rendered it with


@dataclass(frozen=True, slots=True)
class FinishedSegment:
    """What the session's segment store keeps of a finished segment."""

    segment_idx: int
    prompt: str
    seed: int
    duration_s: float
    state: bytes
    media: bytes


class Rollout:
    def __init__(
        self,
        host: RolloutHost,
        lease: Lease,
        *,
        seed: int,
        cap: int,
        segment_timeout_s: float,
        initial_image: bytes | None,
        fps: int,
        branch_id: str,
        first_idx: int = 0,
        resume_state: bytes | None = None,
        chosen: dict[int, PromptChoice] | None = None,
    ) -> None:
        self.host = host
        self.lease = lease
        self.stream_id = uuid.uuid4().hex[:12]
        self.seed = seed
        self.cap = cap
        self.segment_timeout_s = segment_timeout_s
        self.initial_image = initial_image
        self.fps = fps
        self._segments: dict[int, _Segment] = {}
        self._missed: list[_Segment] = []  # finished, but no socket saw them whole; oldest first
        self.branch_id = branch_id
        self.first_idx = first_idx  # > 0: the branch goes on from `resume_state` (a fork, a switch)
        self._saved_state: bytes | None = resume_state  # after the last finished segment
        self.next_to_finish = first_idx
        self.delivered_through = first_idx  # the first segment no socket has had whole
        self.delivered_state = resume_state  # the continuation state after the one before it
        self._chosen = dict(chosen or {})  # prompts picked before: cut by a lost worker, or another replica
        self.is_at_boundary = False  # held with nothing on the worker: may be parked (cancelled, resumed)

    async def run(self) -> None:
        """Render the whole rollout. Raises `WorkerError`s; cancel to stop (the worker is told)."""
        if self._saved_state is None:
            self.lease.start_stream(self.stream_id, self.seed)
        else:
            self.lease.resume_stream(self.stream_id, self._saved_state)
        await self._drive(self._first_segment)

    @property
    def can_resume(self) -> bool:
        """Whether `resume_on` can go on from here: the state after the last finished segment is known
        (or none has finished yet, and the stream simply starts again)."""
        return self._saved_state is not None or self.next_to_finish == self.first_idx

    def cut(self) -> int:
        """The worker was lost: forget what was in flight on it (to be rendered again with the same
        prompts by `resume_on`); returns the first segment that will be rendered again."""
        for idx, seg in self._segments.items():
            self._chosen[idx] = seg.choice
        self._segments.clear()
        return self.next_to_finish

    async def resume_on(self, lease: Lease) -> None:
        """Go on where a parked (or cut) rollout stopped, on a new lease, from the saved continuation
        state."""
        self.lease, self.stream_id = lease, uuid.uuid4().hex[:12]
        if self._saved_state is None:
            lease.start_stream(self.stream_id, self.seed)  # parked before its first segment finished
        else:
            lease.resume_stream(self.stream_id, self._saved_state)
        await self._drive(self._next_segment)

    async def _drive(self, begin: Callable[[], Awaitable[bool]]) -> None:
        try:
            if not await begin():
                return
            while self.next_to_finish < self.cap:
                await self._on_event(await self._next_event())
            if self._missed:
                await self._at_boundary(self.host.until_attached())  # bounded by the resume grace
                await self._replay_missed()
        except WorkerGone as exc:
            raise WorkerLost(f"the worker serving this session stopped: {exc.detail}") from exc
        except BaseException:
            self.lease.cancel(self.stream_id)
            raise
        await self.host.send(s.Ltx2StreamComplete())

    async def _first_segment(self) -> bool:
        if not await self._at_boundary(self._request(self.first_idx, wait=True)):
            return False
        await self._announce(self._segments[self.first_idx])
        return True

    async def _next_segment(self) -> bool:
        await self._start_next()
        return True

    async def _at_boundary(self, wait: Awaitable[T]) -> T:
        """Await something the rollout waits for; it may be parked meanwhile if nothing is in flight and
        the state to go on from is known."""
        self.is_at_boundary = not self._segments and (
            self.next_to_finish == self.first_idx or self._saved_state is not None
        )
        if self.is_at_boundary:
            self.host.boundary_reached()
        try:
            return await wait
        finally:
            self.is_at_boundary = False

    async def _next_event(self) -> WorkerToRuntime:
        """The next event of this stream, within the deadline of the segment the client waits for."""
        head = self._segments[self.next_to_finish]
        remaining_s = head.requested_at + self.segment_timeout_s - time.monotonic()
        try:
            async with asyncio.timeout(max(remaining_s, 0.0)):
                while True:
                    event = await self.lease.next_event()
                    if getattr(event, "stream_id", None) == self.stream_id:
                        return event
        except TimeoutError as exc:
            self.lease.kill()  # a hung or stuck generator is only cured by a restart
            raise SegmentTimeout(
                f"segment {self.next_to_finish} took longer than {self.segment_timeout_s:g} s"
            ) from exc

    async def _request(self, idx: int, *, wait: bool) -> bool:
        choice = self._chosen.pop(idx, None) or await self.host.choose_prompt(idx, wait=wait)
        if choice is None:
            return False
        self._segments[idx] = _Segment(idx, choice, time.monotonic())
        image = self.initial_image if idx == 0 else None  # idx 0 is always a fresh stream
        self.lease.render(self.stream_id, idx, choice.text, image)
        return True

    def chosen_ahead(self) -> dict[int, PromptChoice]:
        """Prompts already picked for segments not delivered yet (finished, in flight or prefetched)."""
        ahead = {seg.idx: seg.choice for seg in [*self._missed, *self._segments.values()]}
        return {idx: c for idx, c in {**self._chosen, **ahead}.items() if idx >= self.delivered_through}

    def resume_point(self) -> int:
        """The first segment a socket attaching now will get: missed ones are replayed, the rest follow."""
        return self._missed[0].idx if self._missed else self.next_to_finish

    async def _announce(self, seg: _Segment) -> None:
        seg.announced_epoch = self.host.epoch
        c = seg.choice
        await self.host.send(
            s.SegmentPromptSource(
                segment_idx=s.wire_segment_idx(seg.idx),
                source=c.source,
                prompt_id=c.prompt_id,
                fallback_used=c.fallback_used,
                seed_prompt_index=c.seed_prompt_index,
                loop_iteration=c.loop_iteration,
            )
        )
        await self.host.send(
            s.Ltx2SegmentStart(
                segment_idx=s.wire_segment_idx(seg.idx),
                total_segments=self.cap,
                prompt=c.text,
                source=c.source,
                seed_prompt_index=c.seed_prompt_index,
                loop_iteration=c.loop_iteration,
            )
        )

    async def _on_event(self, event: WorkerToRuntime) -> None:
        seg = self._segments.get(getattr(event, "segment_idx", -1))
        if seg is None:
            return
        match event:
            case SegmentStarted():
                seg.first_frame_unix_s = event.first_frame_unix_s
            case SegmentStateSaved():
                seg.seed, seg.state = event.seed, event.state
            case SegmentGenerated():
                seg.generate_s, seg.stage_s = event.generate_s, dict(event.stage_s)
                nxt = seg.idx + 1
                if nxt < self.cap and nxt not in self._segments and not self.host.state.is_held:
                    await self._request(nxt, wait=False)
            case MediaInitialized():
                seg.mime = event.mime
                await self._replay_missed()  # older segments first
                if seg.announced_epoch != self.host.epoch:
                    await self._announce(seg)  # the socket that saw the announcement is gone
                await self._send_media_init(seg)
            case FragmentEncoded():
                seg.data.append(event.data)
                if seg.media_epoch == self.host.epoch:
                    await self.host.send_bytes(event.data)
            case SegmentEncoded():
                await self._complete(seg, event)
            case SegmentFailed():
                raise WorkerFailed(f"segment {seg.idx} failed on the worker: {event.detail}")

    async def _send_media_init(self, seg: _Segment) -> None:
        seg.media_epoch = self.host.epoch if self.host.is_attached else None  # None: nobody sees it
        await self.host.send(
            s.MediaInit(segment_idx=s.wire_segment_idx(seg.idx), mime=seg.mime, stream_id=self.stream_id)
        )

    async def _complete(self, seg: _Segment, done: SegmentEncoded) -> None:
        seg.done, seg.total_ms = done, (time.monotonic() - seg.requested_at) * 1000
        self._saved_state = seg.state
        self.host.state.memory.record(seg.choice)
        self.lease.segment_served()
        self.host.segment_done()
        self.next_to_finish = seg.idx + 1
        del self._segments[seg.idx]
        if seg.media_epoch == self.host.epoch:
            await self._report(seg)
        else:
            self._missed.append(seg)  # this socket never saw it begin: replayed when one can take it
        await self._record(seg, done)
        await self._start_next()

    async def _record(self, seg: _Segment, done: SegmentEncoded) -> None:
        media = b"".join(seg.data)
        duration_s = done.frames / self.fps
        finished = FinishedSegment(seg.idx, seg.choice.text, seg.seed, duration_s, seg.state or b"", media)
        await self.host.record_segment(self.branch_id, finished)

    async def _replay_missed(self) -> None:
        """Send every missed segment, whole and in order, to the attached socket."""
        while self._missed and self.host.is_attached:
            seg = self._missed[0]
            await self._announce(seg)
            await self._send_media_init(seg)
            for chunk in seg.data:
                await self.host.send_bytes(chunk)
            await self._report(seg)
            if seg.media_epoch != self.host.epoch:
                return  # that socket went too: keep it for the next one
            self._missed.pop(0)

    async def _report(self, seg: _Segment) -> None:
        done = seg.done
        assert done is not None
        worker_ms = done.worker_s * 1000
        first_frame_ms = seg.first_frame_unix_s * 1000 if seg.first_frame_unix_s else None
        await self.host.send(
            s.MediaSegmentComplete(
                segment_idx=s.wire_segment_idx(seg.idx),
                stream_id=self.stream_id,
                chunks=len(seg.data),
                bytes=sum(len(chunk) for chunk in seg.data),
                frames=done.frames,
                first_frame_unix_ms=first_frame_ms,
                duration_s=done.frames / self.fps,
            )
        )
        latency = s.StepLatency(
            total=seg.total_ms,
            worker_e2e=worker_ms,
            main_user_step=worker_ms,
            overhead=max(0.0, seg.total_ms - worker_ms),
        )
        stage_ms = {name: sec * 1000 for name, sec in seg.stage_s.items()}
        stage_ms["encode"] = done.encode_s * 1000
        await self.host.send(s.StepComplete(latency_ms=latency, stage_ms=stage_ms))
        await self.host.send(
            s.Ltx2SegmentComplete(
                segment_idx=s.wire_segment_idx(seg.idx),
                total_segments=self.cap,
                seed=seg.seed,
                branch_id=self.branch_id,
            )
        )
        if seg.media_epoch == self.host.epoch and seg.idx == self.delivered_through:
            self.delivered_through, self.delivered_state = seg.idx + 1, seg.state
            self.host.segment_delivered()

    async def _start_next(self) -> None:
        idx = self.next_to_finish
        if idx >= self.cap:
            return
        if idx not in self._segments and not await self._at_boundary(self._request(idx, wait=True)):
            self.next_to_finish = self.cap  # the session stopped waiting (a restart or reset was asked)
            return
        await self._replay_missed()
        await self._announce(self._segments[idx])
