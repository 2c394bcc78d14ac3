"""The session state machine: pure, no I/O, the only writer of the session's phase and flags.

`SessionMachine.apply(msg)` takes one validated client message and returns what should happen: events to
send and `Directive`s for the session driver (start a rollout, enhance a prompt, close…). An illegal
message for the current phase raises `UnexpectedMessage` naming the phases that accept it. What happens
outside messages (a slot arrives, a rollout ends, the worker is lost, the socket drops) reaches the machine
through its driver-side methods, which return outputs the same way.

    AWAITING_INIT --init--> QUEUED --(driver: slot acquired)--> STREAMING <--> IDLE
          ^                   ^                                    |               |
          |                   +---(driver: resumed)--- PARKED <----+---------------+
          |                                         (driver: detached while someone waits)
          +-------------(driver: worker lost)---------------------+        any --leave--> CLOSED
                              ^                                    |
                              +--(driver: worker lost, requeued)---+

A parked session's next slot takes it back to where it was: its rollout goes on (`ContinueRollout`) or it
idles again. So does a session whose worker died mid-rollout where the slots re-queue it (scale-out): it
waits at the front of the queue, and its next slot goes on from its last finished segment.

Who writes what in `SessionState`: `phase`, the toggles, `paused`, `is_detached` and `reset_pending` only
this machine; `memory` through `PromptMemory`'s methods, by this machine (new project, dropped queues,
reset) and by the `PromptDirector` (prepared prompts, rewritten seeds); `options.idea` is consumed by the
director when it plans the rollout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from dreamverse.runtime.errors import PendingPromptsFull, UnexpectedMessage
from dreamverse.runtime.prompts.memory import PromptMemory
from dreamverse.runtime.protocol import client as c
from dreamverse.runtime.protocol import server as s
from dreamverse.runtime.protocol.codes import CloseCode
from dreamverse.runtime.segments.branches import ContinuePoint


class Phase(StrEnum):
    AWAITING_INIT = "awaiting_init"
    QUEUED = "queued"
    STREAMING = "streaming"
    IDLE = "idle"
    PARKED = "parked"  # detached; its slot went to a waiting session; a resume queues it again
    CLOSED = "closed"


# --- directives: what the driver must do ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RequestSlot:
    """Join the queue for a worker; on success the driver starts the pending rollout."""


@dataclass(frozen=True, slots=True)
class StartRollout:
    """(Re)start generation: at a fresh segment 0 with the memory's seeds, or on a branch going on from a
    saved state (`continue_from`: a fork, a switch)."""

    reason: str
    continue_from: ContinuePoint | None = None


@dataclass(frozen=True, slots=True)
class ContinueRollout:
    """Go on with the parked rollout on the slot just acquired, from its saved continuation state."""


@dataclass(frozen=True, slots=True)
class StopRollout:
    """Stop generation; keep the slot."""


@dataclass(frozen=True, slots=True)
class PreparePrompt:
    """Safety-check (and, if enabled, enhance) a user prompt, then queue it for a segment."""

    prompt_id: str
    text: str
    enhance: bool


@dataclass(frozen=True, slots=True)
class RewriteRollout:
    instruction: str
    window: list[str]
    continue_from: ContinuePoint | None = None  # a fork: go on from there instead of starting again


@dataclass(frozen=True, slots=True)
class ForkRollout:
    """Go on from the end of `segment_idx` of the current branch, on a new branch."""

    segment_idx: int
    branch_id: str | None
    prompt: str | None  # the first new segment's prompt
    rewrite_instruction: str | None  # rewrite the rollout's prompts first


@dataclass(frozen=True, slots=True)
class SwitchRollout:
    """Make another branch current and go on from its last segment."""

    branch_id: str


@dataclass(frozen=True, slots=True)
class Wake:
    """Something a waiting director may need changed (a toggle, a resume)."""


@dataclass(frozen=True, slots=True)
class Close:
    code: CloseCode
    reason: str


Directive = (
    RequestSlot
    | StartRollout
    | ContinueRollout
    | StopRollout
    | PreparePrompt
    | RewriteRollout
    | ForkRollout
    | SwitchRollout
    | Wake
    | Close
)
Output = s.ServerEvent | Directive


@dataclass(frozen=True, slots=True)
class StartOptions:
    """What an init message asked for, kept for the life of the project."""

    single_clip: bool = False
    seed: int | None = None
    idea: str | None = None  # a typed prompt to plan into a whole rollout before the first segment


@dataclass(slots=True)
class SessionState:
    phase: Phase = Phase.AWAITING_INIT
    memory: PromptMemory = field(default_factory=PromptMemory)
    options: StartOptions = field(default_factory=StartOptions)
    enhancement_enabled: bool = True
    auto_extension_enabled: bool = False
    loop_generation_enabled: bool = False
    paused: bool = False
    is_detached: bool = False  # no socket: the rollout holds at the next segment boundary
    reset_pending: bool = False
    rewrite_model: str | None = None
    rewrite_temperature: float | None = None
    prompt_counter: int = 0
    parked_from: Phase | None = None  # the phase a parked session goes back to with its next slot

    @property
    def is_held(self) -> bool:
        """No new segment may be requested: paused by the client, or nobody is watching."""
        return self.paused or self.is_detached


_ACTIVE = frozenset({Phase.QUEUED, Phase.STREAMING, Phase.IDLE})
_WITH_SLOT = frozenset({Phase.STREAMING, Phase.IDLE})


class SessionMachine:
    def __init__(self, *, max_pending_prompts: int, state: SessionState | None = None) -> None:
        self.state = state or SessionState()
        self._max_pending = max_pending_prompts
        # Unbound functions, called with `self`: a table of bound methods would be a reference cycle,
        # left to the cycle collector when the session ends.
        cls = type(self)
        self._handlers: dict[
            type[Any], tuple[frozenset[Phase], Callable[[SessionMachine, Any], list[Output]]]
        ] = {
            c.SessionInitV2: (frozenset(Phase) - {Phase.CLOSED}, cls._on_init),
            c.ProjectInitV1: (frozenset(Phase) - {Phase.CLOSED}, cls._on_init),
            c.SimpleGenerate: (frozenset(Phase) - {Phase.CLOSED}, cls._on_simple_generate),
            c.AppendPrompt: (_ACTIVE, cls._on_append_prompt),
            c.RewriteSeedPrompts: (_ACTIVE, cls._on_rewrite),
            c.SetEnhancement: (_ACTIVE, cls._on_set_enhancement),
            c.SetAutoExtension: (_ACTIVE, cls._on_set_auto_extension),
            c.SetLoopGeneration: (_ACTIVE, cls._on_set_loop_generation),
            c.SetGenerationPaused: (_ACTIVE, cls._on_set_paused),
            c.SetRewriteModel: (_ACTIVE, cls._on_set_rewrite_model),
            c.SetRewriteTemperature: (_ACTIVE, cls._on_set_rewrite_temperature),
            c.ResetToSeedPrompts: (_WITH_SLOT, cls._on_reset_to_seeds),
            c.RestartGeneration: (_WITH_SLOT, cls._on_restart),
            c.EndProjectKeepSession: (_ACTIVE, cls._on_end_project),
            c.Leave: (frozenset(Phase), cls._on_leave),
            c.ForkFromSegment: (_WITH_SLOT, cls._on_fork),
            c.SwitchBranch: (_WITH_SLOT, cls._on_switch_branch),
        }

    def apply(self, msg: c.ClientMessage) -> list[Output]:
        if type(msg) not in self._handlers:  # session_resume: only as a socket's first message
            raise UnexpectedMessage(f"{msg.type} is only accepted as the first message on a socket")
        phases, handler = self._handlers[type(msg)]
        if self.state.phase not in phases:
            expected = ", ".join(sorted(p.value for p in phases))
            raise UnexpectedMessage(
                f"{msg.type} is not accepted while {self.state.phase.value}; expected: {expected}"
            )
        return handler(self, msg)

    # --- driver-side transitions (called by the session, not by messages) -------------------------

    def slot_acquired(self) -> list[Output]:
        """A slot arrived: start the project's rollout, or go back to where the session was parked."""
        st = self.state
        parked_from, st.parked_from = st.parked_from, None
        if parked_from is Phase.IDLE:
            st.phase = Phase.IDLE
            return []
        st.phase = Phase.STREAMING
        return [ContinueRollout()] if parked_from is Phase.STREAMING else [StartRollout(reason="initial")]

    def slot_released(self) -> None:
        """Detached, the session gave its slot to a waiting one (at a segment boundary, or idle)."""
        st = self.state
        if st.phase not in _WITH_SLOT:
            raise RuntimeError(f"slot released while {st.phase.value}; expected: idle, streaming")
        st.parked_from, st.phase = st.phase, Phase.PARKED

    def socket_resumed(self) -> list[Output]:
        """A socket took the session over and knows where it stands."""
        if self.state.phase is Phase.PARKED:
            self.state.phase = Phase.QUEUED
            return [RequestSlot()]
        return [Wake()]  # a rollout held for the missing socket goes on

    def rollout_finished(self) -> list[Output]:
        """A rollout ended on its own: apply a pending reset (and start again), else go idle."""
        st = self.state
        if not st.reset_pending:
            st.phase = Phase.IDLE
            return []
        st.reset_pending = False
        return [*self._reset_applied(), StartRollout(reason="reset_to_seed_prompts")]

    def rollout_failed(self) -> None:
        """The worker failed a segment but is still ours: the project idles until the client acts."""
        self.state.phase = Phase.IDLE

    def rewrite_applied(self, continue_from: ContinuePoint | None = None) -> list[Output]:
        """New seeds are in memory: a project holding a slot starts them at segment 0 (or, for a fork
        with a rewrite, from the fork point)."""
        if self.state.phase not in _WITH_SLOT:
            return []  # queued: the rollout starts with the new seeds once the slot arrives
        self.state.phase = Phase.STREAMING
        # not "rewrite": clients count those as edits
        return [StartRollout(reason="rewrite_applied", continue_from=continue_from)]

    def branch_ready(self, reason: str, point: ContinuePoint) -> list[Output]:
        """A fork or switch found its state: generation goes on from there."""
        self.state.phase = Phase.STREAMING
        return [StartRollout(reason=reason, continue_from=point)]

    def slot_lost(self) -> None:
        self.state.phase = Phase.AWAITING_INIT

    def slot_lost_requeued(self) -> None:
        """The worker died under a rollout that can go on: queued again; the next slot continues it."""
        st = self.state
        if st.phase is not Phase.STREAMING:
            raise RuntimeError(f"rollout re-queued while {st.phase.value}; expected: streaming")
        st.parked_from, st.phase = Phase.STREAMING, Phase.QUEUED

    def socket_attached(self) -> None:
        self.state.is_detached = False

    def socket_detached(self) -> None:
        self.state.is_detached = True

    def closed(self) -> None:
        self.state.phase = Phase.CLOSED

    def next_prompt_id(self) -> str:
        self.state.prompt_counter += 1
        return f"p{self.state.prompt_counter}"

    # --- handlers -------------------------------------------------------------------------------

    def _start_project(
        self, seeds: list[str], preset_id: str | None, label: str | None, opts: StartOptions
    ) -> list[Output]:
        st = self.state
        st.memory = PromptMemory.from_seeds(seeds, preset_id, label)
        st.options = opts
        st.paused = False
        st.reset_pending = False
        st.parked_from = None  # a new project does not go on with a parked rollout
        if st.phase is Phase.AWAITING_INIT:
            st.phase = Phase.QUEUED
            return [RequestSlot()]
        if st.phase is Phase.QUEUED:
            return []  # the rollout starts with the new project once the slot arrives
        st.phase = Phase.STREAMING
        return [StartRollout(reason="new_project")]

    def _on_init(self, msg: c.SessionInitV2) -> list[Output]:
        st = self.state
        st.enhancement_enabled = msg.enhancement_enabled
        st.auto_extension_enabled = msg.auto_extension_enabled
        st.loop_generation_enabled = msg.loop_generation_enabled
        st.rewrite_model = msg.rewrite_model or st.rewrite_model
        if msg.rewrite_temperature is not None:
            st.rewrite_temperature = msg.rewrite_temperature
        seeds = [p for p in msg.curated_prompts if p.strip()]
        idea = None
        if not seeds and msg.initial_rollout_prompt and msg.initial_rollout_prompt.strip():
            seeds = [msg.initial_rollout_prompt]
            idea = None if msg.single_clip_mode else msg.initial_rollout_prompt
        if not seeds:
            raise UnexpectedMessage(f"{msg.type} needs `curated_prompts` or `initial_rollout_prompt`")
        if msg.single_clip_mode:
            seeds = seeds[:1]
        opts = StartOptions(msg.single_clip_mode, msg.seed, idea)
        return self._start_project(seeds, msg.preset_id, msg.preset_label, opts)

    def _on_simple_generate(self, msg: c.SimpleGenerate) -> list[Output]:
        self.state.enhancement_enabled = msg.enhancement_enabled
        opts = StartOptions(True, msg.seed)
        return self._start_project([msg.prompt], msg.preset_id, msg.preset_label, opts)

    def _on_append_prompt(self, msg: c.AppendPrompt) -> list[Output]:
        memory = self.state.memory
        if memory.pending_count >= self._max_pending:
            raise PendingPromptsFull(f"{memory.pending_count} prompts are already waiting; try again shortly")
        prompt_id = msg.prompt_id or self.next_prompt_id()
        memory.enhancing.add(prompt_id)
        return [
            s.PromptReceived(prompt_id=prompt_id, queue_depth=memory.pending_count),
            PreparePrompt(prompt_id, msg.prompt, self.state.enhancement_enabled),
        ]

    def _on_rewrite(self, msg: c.RewriteSeedPrompts) -> list[Output]:
        window = list(msg.prompt_window_prompts) or list(self.state.memory.seed_prompts)
        if msg.rewrite_model:
            self.state.rewrite_model = msg.rewrite_model
        if msg.rewrite_temperature is not None:
            self.state.rewrite_temperature = msg.rewrite_temperature
        return [RewriteRollout(msg.rewrite_instruction, window)]

    def _on_set_enhancement(self, msg: c.SetEnhancement) -> list[Output]:
        self.state.enhancement_enabled = msg.enabled
        return [s.EnhancementUpdated(enabled=msg.enabled)]

    def _on_set_auto_extension(self, msg: c.SetAutoExtension) -> list[Output]:
        self.state.auto_extension_enabled = msg.enabled
        return [s.AutoExtensionUpdated(enabled=msg.enabled), Wake()]

    def _on_set_loop_generation(self, msg: c.SetLoopGeneration) -> list[Output]:
        self.state.loop_generation_enabled = msg.enabled
        return [s.LoopGenerationUpdated(enabled=msg.enabled), Wake()]

    def _on_set_paused(self, msg: c.SetGenerationPaused) -> list[Output]:
        self.state.paused = msg.paused
        return [s.GenerationPausedUpdated(paused=msg.paused), Wake()]

    def _on_set_rewrite_model(self, msg: c.SetRewriteModel) -> list[Output]:
        self.state.rewrite_model = msg.rewrite_model
        return [s.RewriteModelUpdated(rewrite_model=msg.rewrite_model)]

    def _on_set_rewrite_temperature(self, msg: c.SetRewriteTemperature) -> list[Output]:
        value = min(2.0, max(0.0, msg.rewrite_temperature))
        self.state.rewrite_temperature = value
        return [s.RewriteTemperatureUpdated(rewrite_temperature=value)]

    def _on_reset_to_seeds(self, msg: c.ResetToSeedPrompts) -> list[Output]:
        count = len(self.state.memory.original_seed_prompts)
        pending = s.SeedPromptsResetPending(seed_prompt_count=count)
        if self.state.phase is Phase.IDLE:  # nothing is generating: apply it now and start again
            self.state.phase = Phase.STREAMING
            return [pending, *self._reset_applied(), StartRollout(reason="reset_to_seed_prompts")]
        self.state.reset_pending = True  # applied when the running rollout reaches its next boundary
        return [pending, Wake()]

    def _reset_applied(self) -> list[Output]:
        memory = self.state.memory
        raw, ready = memory.reset_to_original()
        applied = s.SeedPromptsResetApplied(
            reason="reset_to_seed_prompts",
            loop_iteration=memory.loop_iteration,
            seed_prompt_count=len(memory.seed_prompts),
            dropped_user_raw_queue=raw,
            dropped_user_ready_queue=ready,
        )
        return [applied]

    def _on_restart(self, msg: c.RestartGeneration) -> list[Output]:
        self.state.phase = Phase.STREAMING
        return [StartRollout(reason="restart_generation")]

    def _on_end_project(self, msg: c.EndProjectKeepSession) -> list[Output]:
        if self.state.phase is Phase.QUEUED:
            self.state.phase = Phase.CLOSED
            return [Close(CloseCode.NORMAL, "project ended while queued")]
        self.state.phase = Phase.IDLE
        raw, ready = self.state.memory.drop_pending()
        idle = s.ProjectIdle(dropped_user_raw_queue=raw, dropped_user_ready_queue=ready)
        return [StopRollout(), s.Ltx2StreamComplete(), idle]

    def _on_fork(self, msg: c.ForkFromSegment) -> list[Output]:
        # the phase moves once the session found the state (`branch_ready`): a bad fork changes nothing
        idx = msg.segment_idx - 1  # the wire counts from 1 (`wire_segment_idx`), the runtime from 0
        return [ForkRollout(idx, msg.branch_id, msg.prompt, msg.rewrite_instruction)]

    def _on_switch_branch(self, msg: c.SwitchBranch) -> list[Output]:
        return [SwitchRollout(msg.branch_id)]

    def _on_leave(self, msg: c.Leave) -> list[Output]:
        self.state.phase = Phase.CLOSED
        return [Close(CloseCode.NORMAL, "client left")]
