"""Where each segment's prompt comes from: user prompts (checked, maybe enhanced), seeds, auto-extension.

The director knows the session's state, the shared services and one way out: `send` for events. It holds
no session and starts nothing: the session decides what runs as its own task (enhancement, rewrites) and
what follows (the machine restarts a rollout after a rewrite).

Safety: what a *user* typed is checked here before it is used (seeds at init, appended prompts, a rewrite's
window); what an *LLM* wrote is screened once, inside `PromptService`, whose results are already safe (a
blocked answer comes back as a fallback). A failed LLM call never loses the user's prompt: the raw prompt
is queued and `prompt_fallback_used` says so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace

from dreamverse.runtime.prompts.memory import PromptChoice, ReadyPrompt
from dreamverse.runtime.protocol import client as c
from dreamverse.runtime.protocol import server as s
from dreamverse.runtime.session.services import SessionServices
from dreamverse.runtime.session.state import PreparePrompt, RewriteRollout, SessionState

Send = Callable[[s.ServerEvent], Awaitable[None]]


class PromptDirector:
    def __init__(self, state: SessionState, services: SessionServices, send: Send) -> None:
        self._state = state
        self._services = services
        self._send = send
        self._wake = asyncio.Event()
        self.is_waiting = False

    def wake(self) -> None:
        self._wake.set()

    # --- choosing ---------------------------------------------------------------------------------

    async def choose(self, segment_idx: int, *, wait: bool) -> PromptChoice | None:
        """The prompt for `segment_idx`; with `wait`, blocks while held or while no source has one."""
        blocked_announced = False
        while True:
            st = self._state
            if st.reset_pending and segment_idx > 0:
                return None  # the rollout ends here; the machine applies the reset and starts again
            if not st.is_held:
                choice = st.memory.next_prompt(loop=st.loop_generation_enabled)
                if choice is None and st.auto_extension_enabled and wait:
                    choice = await self._auto_extend(segment_idx)
                if choice is not None:
                    if blocked_announced:
                        resumed = s.PromptSourcesResumed(
                            segment_idx=s.wire_segment_idx(segment_idx),
                            source=choice.source,
                            prompt_id=choice.prompt_id,
                        )
                        await self._send(resumed)
                    return choice
            if not wait:
                return None
            if not st.is_held and not blocked_announced:
                blocked_announced = True
                await self._send(s.PromptSourcesBlocked(segment_idx=s.wire_segment_idx(segment_idx)))
            await self._wait_for_change()

    async def _wait_for_change(self) -> None:
        self._wake.clear()
        self.is_waiting = True
        try:
            await self._wake.wait()
        finally:
            self.is_waiting = False

    async def _auto_extend(self, segment_idx: int) -> PromptChoice | None:
        st = self._state
        history = st.memory.recent_texts(8) or list(st.memory.seed_prompts)
        result = await self._services.prompts.auto_extend(
            history, model=st.rewrite_model, temperature=st.rewrite_temperature
        )
        if result.fallback_used:
            await self._send(
                s.AutoPromptFailed(
                    segment_idx=s.wire_segment_idx(segment_idx),
                    latency_ms=result.latency_ms,
                    error=result.error,
                )
            )
        return PromptChoice(
            result.text, "auto_llm", None, result.fallback_used, None, st.memory.loop_iteration
        )

    # --- user input -------------------------------------------------------------------------------

    def check_user_input(self, msg: c.ClientMessage) -> None:
        """Raise `SafetyRejected` when a message carries a blocked prompt that would be used as typed."""
        match msg:
            case c.SimpleGenerate():
                texts = [msg.prompt]
            case c.SessionInitV2():
                texts = [p for p in [msg.initial_rollout_prompt, *msg.curated_prompts] if p]
            case c.RewriteSeedPrompts():
                texts = list(msg.prompt_window_prompts)  # a failed rewrite keeps the window as it is
            case _:
                return
        for text in texts:
            self._services.check_safety(text)

    async def prepare(self, d: PreparePrompt) -> bool:
        """Check a user prompt; queue it raw, or return True when it should be enhanced (`enhance`)."""
        try:
            self._services.check_safety(d.text, prompt_id=d.prompt_id)
        except BaseException:
            self._state.memory.enhancing.discard(d.prompt_id)
            raise
        if d.enhance:
            return True
        self._queue(ReadyPrompt(d.prompt_id, d.text, "user_raw"))
        await self._send(
            s.PromptReady(prompt_id=d.prompt_id, prompt=d.text, source="user_raw", latency_ms=0.0)
        )
        return False

    async def enhance(self, d: PreparePrompt) -> None:
        st = self._state
        await self._send(s.PromptEnhancing(prompt_id=d.prompt_id))
        result = await self._services.prompts.enhance(
            d.text,
            recent=st.memory.recent_texts(),
            model=st.rewrite_model,
            temperature=st.rewrite_temperature,
        )
        if result.fallback_used:  # the raw prompt passed the filter in `prepare`
            self._queue(ReadyPrompt(d.prompt_id, d.text, "user_raw", True))
            await self._send(
                s.PromptFallbackUsed(
                    prompt_id=d.prompt_id,
                    prompt=d.text,
                    source="user_raw",
                    latency_ms=result.latency_ms,
                    error=result.error,
                )
            )
            return
        self._queue(ReadyPrompt(d.prompt_id, result.text, "user_enhanced"))
        ready = s.PromptReady(
            prompt_id=d.prompt_id, prompt=result.text, source="user_enhanced", latency_ms=result.latency_ms
        )
        await self._send(ready)

    def _queue(self, prompt: ReadyPrompt) -> None:
        memory = self._state.memory
        if prompt.prompt_id not in memory.enhancing:
            return  # dropped meanwhile (reset, new project)
        memory.enhancing.discard(prompt.prompt_id)
        memory.ready.append(prompt)
        self.wake()

    # --- rollouts -----------------------------------------------------------------------------------

    async def rewrite(self, d: RewriteRollout) -> None:
        """Replace the seeds with a rewrite of `d.window` (or keep them, on a fallback); say so."""
        st = self._state
        prompts = self._services.prompts
        model = st.rewrite_model or prompts.mode
        await self._send(s.RewriteSeedPromptsStarted(model=model))
        result = await prompts.rewrite_rollout(
            d.instruction,
            d.window,
            count=max(len(d.window), 1),
            model=st.rewrite_model,
            temperature=st.rewrite_temperature,
        )
        fallback, error = result.fallback_used, result.error
        new_seeds = result.prompts
        if not new_seeds:
            new_seeds, fallback, error = list(st.memory.seed_prompts), True, error or "no prompts came back"
        st.memory.replace_seeds(new_seeds)
        memory = st.memory
        await self._send(
            s.SeedPromptsUpdated(
                prompts=new_seeds,
                preset_id=memory.preset_id,
                preset_label=memory.preset_label,
                reason="rewrite",
                seed_prompt_count=len(new_seeds),
                fallback_used=fallback,
                error=error,
                model=result.model or model,
                latency_ms=result.latency_ms,
                raw_llm_output=result.raw_output,
                rewrite_instruction=d.instruction,
            )
        )
        await self._send(
            s.RewriteSeedPromptsComplete(
                fallback_used=fallback,
                error=error,
                preset_id=memory.preset_id,
                preset_label=memory.preset_label,
                model=result.model or model,
                latency_ms=result.latency_ms,
            )
        )

    async def expand_idea(self, count: int) -> None:
        """A typed idea becomes a rollout of `count` prompts (LLM or local planner), once per project."""
        st = self._state
        idea, st.options = st.options.idea, replace(st.options, idea=None)
        if idea is None or count <= 1:
            return
        result = await self._services.prompts.rewrite_rollout(
            idea, [], count=count, model=st.rewrite_model, temperature=st.rewrite_temperature, mode="idea"
        )
        if result.prompts:  # a failed plan keeps the idea itself as the only seed
            st.memory.replace_seeds(result.prompts)
            st.memory.original_seed_prompts = list(result.prompts)

    def seeds_event(self, reason: str) -> s.SeedPromptsUpdated:
        """`seed_prompts_updated` for a rollout starting now."""
        memory = self._state.memory
        return s.SeedPromptsUpdated(
            prompts=list(memory.seed_prompts),
            preset_id=memory.preset_id,
            preset_label=memory.preset_label,
            reason=reason,
            seed_prompt_count=len(memory.seed_prompts),
        )
