"""Where each segment's prompt comes from: user prompts (checked, maybe enhanced), seeds, auto-extension.

Every prompt path passes the safety filter: seeds at init, user prompts before they queue, enhanced and
auto-extended text before use, rewritten rollouts before they replace the seeds. A failed LLM call never
loses the user's prompt: the raw prompt is queued and `prompt_fallback_used` says so.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING

from dreamverse.runtime.errors import SafetyRejected
from dreamverse.runtime.prompts.memory import PromptChoice, ReadyPrompt
from dreamverse.runtime.protocol import server as s
from dreamverse.runtime.session.state import Phase, PreparePrompt, RewriteRollout, SessionState

if TYPE_CHECKING:
    from dreamverse.runtime.session.session import Session


class PromptDirector:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._wake = asyncio.Event()
        self.is_waiting = False

    @property
    def _state(self) -> SessionState:
        return self._session.state

    def wake(self) -> None:
        self._wake.set()

    # --- choosing ---------------------------------------------------------------------------------

    async def choose(self, segment_idx: int, *, wait: bool) -> PromptChoice | None:
        """The prompt for `segment_idx`; with `wait`, blocks while paused or while no source has one."""
        blocked_announced = False
        while True:
            st = self._state
            if st.reset_pending and segment_idx > 0:
                return None  # the rollout ends here; the session applies the reset and starts again
            if not st.paused:
                choice = st.memory.next_prompt(loop=st.loop_generation_enabled)
                if choice is None and st.auto_extension_enabled and wait:
                    choice = await self._auto_extend(segment_idx)
                if choice is not None:
                    if blocked_announced:
                        resumed = s.PromptSourcesResumed(
                            segment_idx=segment_idx, source=choice.source, prompt_id=choice.prompt_id
                        )
                        await self._session.send(resumed)
                    return choice
            if not wait:
                return None
            if not st.paused and not blocked_announced:
                blocked_announced = True
                await self._session.send(s.PromptSourcesBlocked(segment_idx=segment_idx))
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
        result = await self._session.services.prompts.auto_extend(
            history, model=st.rewrite_model, temperature=st.rewrite_temperature
        )
        try:
            self._session.services.check_safety(result.text)
        except SafetyRejected as exc:
            await self._session.send(
                s.AutoPromptFailed(segment_idx=segment_idx, latency_ms=result.latency_ms, error=exc.message)
            )
            return None
        if result.fallback_used:
            error = result.error
            await self._session.send(
                s.AutoPromptFailed(segment_idx=segment_idx, latency_ms=result.latency_ms, error=error)
            )
        return PromptChoice(
            result.text, "auto_llm", None, result.fallback_used, None, st.memory.loop_iteration
        )

    # --- user prompts -------------------------------------------------------------------------------

    def check_seeds(self, seeds: list[str]) -> None:
        for text in seeds:
            self._session.services.check_safety(text)

    async def prepare(self, d: PreparePrompt) -> None:
        memory = self._state.memory
        try:
            self._session.services.check_safety(d.text, prompt_id=d.prompt_id)
        except SafetyRejected:
            memory.enhancing.discard(d.prompt_id)
            raise
        if not d.enhance:
            self._queue(ReadyPrompt(d.prompt_id, d.text, "user_raw"))
            await self._session.send(
                s.PromptReady(prompt_id=d.prompt_id, prompt=d.text, source="user_raw", latency_ms=0.0)
            )
            return
        self._session.spawn(self._enhance(d), "enhance")

    async def _enhance(self, d: PreparePrompt) -> None:
        st = self._state
        await self._session.send(s.PromptEnhancing(prompt_id=d.prompt_id))
        result = await self._session.services.prompts.enhance(
            d.text,
            recent=st.memory.recent_texts(),
            model=st.rewrite_model,
            temperature=st.rewrite_temperature,
        )
        text, fallback, error = result.text, result.fallback_used, result.error
        try:
            self._session.services.check_safety(text)
        except SafetyRejected as exc:
            text, fallback, error = d.text, True, exc.message  # the raw prompt passed the filter already
        if fallback:
            self._queue(ReadyPrompt(d.prompt_id, d.text, "user_raw", True))
            await self._session.send(
                s.PromptFallbackUsed(
                    prompt_id=d.prompt_id,
                    prompt=d.text,
                    source="user_raw",
                    latency_ms=result.latency_ms,
                    error=error,
                )
            )
            return
        self._queue(ReadyPrompt(d.prompt_id, text, "user_enhanced"))
        await self._session.send(
            s.PromptReady(
                prompt_id=d.prompt_id, prompt=text, source="user_enhanced", latency_ms=result.latency_ms
            )
        )

    def _queue(self, prompt: ReadyPrompt) -> None:
        memory = self._state.memory
        if prompt.prompt_id not in memory.enhancing:
            return  # dropped meanwhile (reset, new project)
        memory.enhancing.discard(prompt.prompt_id)
        memory.ready.append(prompt)
        self.wake()

    # --- rollouts -----------------------------------------------------------------------------------

    async def rewrite(self, d: RewriteRollout) -> None:
        self._session.spawn(self._rewrite(d), "rewrite")

    async def _rewrite(self, d: RewriteRollout) -> None:
        st = self._state
        services = self._session.services
        model = st.rewrite_model or services.prompts.mode
        await self._session.send(s.RewriteSeedPromptsStarted(model=model))
        result = await services.prompts.rewrite_rollout(
            d.instruction,
            d.window,
            count=max(len(d.window), 1),
            model=st.rewrite_model,
            temperature=st.rewrite_temperature,
        )
        prompts, fallback, error = self._checked(result.prompts, result.fallback_used, result.error)
        st.memory.replace_seeds(prompts)
        memory = st.memory
        await self._session.send(
            s.SeedPromptsUpdated(
                prompts=prompts,
                preset_id=memory.preset_id,
                preset_label=memory.preset_label,
                reason="rewrite",
                seed_prompt_count=len(prompts),
                fallback_used=fallback,
                error=error,
                model=result.model or model,
                latency_ms=result.latency_ms,
                raw_llm_output=result.raw_output,
                rewrite_instruction=d.instruction,
            )
        )
        await self._session.send(
            s.RewriteSeedPromptsComplete(
                fallback_used=fallback,
                error=error,
                preset_id=memory.preset_id,
                preset_label=memory.preset_label,
                model=result.model or model,
                latency_ms=result.latency_ms,
            )
        )
        if st.phase in (Phase.STREAMING, Phase.IDLE):
            # not "rewrite" again: clients count each `seed_prompts_updated {reason: "rewrite"}` as an edit
            await self._session.restart_rollout("rewrite_applied")

    def _checked(
        self, prompts: list[str], fallback: bool, error: str | None
    ) -> tuple[list[str], bool, str | None]:
        """LLM-written prompts that all pass the safety filter, or the current seeds (a fallback)."""
        current = list(self._state.memory.seed_prompts)
        try:
            for text in prompts:
                self._session.services.check_safety(text)
        except SafetyRejected as exc:
            return current, True, exc.message
        if not prompts:
            return current, True, error or "no prompts came back"
        return list(prompts), fallback, error

    async def expand_idea(self, count: int) -> None:
        """A typed idea becomes a rollout of `count` prompts (LLM or local planner), once per project."""
        st = self._state
        idea, st.options = st.options.idea, replace(st.options, idea=None)
        if idea is None or count <= 1:
            return
        result = await self._session.services.prompts.rewrite_rollout(
            idea, [], count=count, model=st.rewrite_model, temperature=st.rewrite_temperature, mode="idea"
        )
        prompts, _, _ = self._checked(result.prompts, result.fallback_used, result.error)
        st.memory.replace_seeds(prompts)
        st.memory.original_seed_prompts = list(prompts)

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

    def take_reset(self) -> bool:
        if not self._state.reset_pending:
            return False
        self._state.reset_pending = False
        self._reset_dropped = self._state.memory.reset_to_original()
        return True

    def reset_applied_event(self) -> s.SeedPromptsResetApplied:
        raw, ready = self._reset_dropped
        memory = self._state.memory
        return s.SeedPromptsResetApplied(
            reason="reset_to_seed_prompts",
            loop_iteration=memory.loop_iteration,
            seed_prompt_count=len(memory.seed_prompts),
            dropped_user_raw_queue=raw,
            dropped_user_ready_queue=ready,
        )
