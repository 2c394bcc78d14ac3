"""The session state machine, table-driven: no sockets, no workers."""

from __future__ import annotations

from typing import Any

import pytest

from dreamverse.runtime.errors import PendingPromptsFull, UnexpectedMessage
from dreamverse.runtime.prompts.memory import ReadyPrompt
from dreamverse.runtime.protocol import server as s
from dreamverse.runtime.protocol.client import CLIENT_MESSAGE_ADAPTER
from dreamverse.runtime.session.state import (
    Close,
    ContinueRollout,
    Phase,
    PreparePrompt,
    RequestSlot,
    RewriteRollout,
    SessionMachine,
    StartRollout,
    StopRollout,
    Wake,
)


def msg(type_: str, **fields: Any) -> Any:
    return CLIENT_MESSAGE_ADAPTER.validate_python({"type": type_, **fields})


def machine_in(phase: Phase) -> SessionMachine:
    machine = SessionMachine(max_pending_prompts=2)
    machine.apply(msg("session_init_v2", curated_prompts=["a", "b"]))
    if phase in (Phase.STREAMING, Phase.IDLE):
        machine.slot_acquired()
    if phase is Phase.IDLE:
        machine.rollout_finished()
    assert machine.state.phase is phase
    return machine


def kinds(outputs: list[Any]) -> list[type]:
    return [type(o) for o in outputs]


TRANSITIONS = [
    # (phase, message, fields, outputs, phase after)
    (Phase.QUEUED, "set_enhancement", {"enabled": False}, [s.EnhancementUpdated], Phase.QUEUED),
    (
        Phase.STREAMING,
        "set_auto_extension",
        {"enabled": True},
        [s.AutoExtensionUpdated, Wake],
        Phase.STREAMING,
    ),
    (
        Phase.STREAMING,
        "set_loop_generation",
        {"enabled": True},
        [s.LoopGenerationUpdated, Wake],
        Phase.STREAMING,
    ),
    (
        Phase.STREAMING,
        "set_generation_paused",
        {"paused": True},
        [s.GenerationPausedUpdated, Wake],
        Phase.STREAMING,
    ),
    (Phase.IDLE, "set_rewrite_model", {"rewrite_model": "m"}, [s.RewriteModelUpdated], Phase.IDLE),
    (Phase.STREAMING, "append_prompt", {"prompt": "p"}, [s.PromptReceived, PreparePrompt], Phase.STREAMING),
    (
        Phase.STREAMING,
        "rewrite_seed_prompts",
        {"rewrite_instruction": "x"},
        [RewriteRollout],
        Phase.STREAMING,
    ),
    (Phase.STREAMING, "restart_generation", {}, [StartRollout], Phase.STREAMING),
    (Phase.IDLE, "restart_generation", {}, [StartRollout], Phase.STREAMING),
    (Phase.STREAMING, "reset_to_seed_prompts", {}, [s.SeedPromptsResetPending, Wake], Phase.STREAMING),
    (
        Phase.IDLE,
        "reset_to_seed_prompts",
        {},
        [s.SeedPromptsResetPending, s.SeedPromptsResetApplied, StartRollout],
        Phase.STREAMING,
    ),
    (
        Phase.STREAMING,
        "end_project_keep_session",
        {},
        [StopRollout, s.Ltx2StreamComplete, s.ProjectIdle],
        Phase.IDLE,
    ),
    (Phase.QUEUED, "end_project_keep_session", {}, [Close], Phase.CLOSED),
    (Phase.STREAMING, "project_init_v1", {"curated_prompts": ["c"]}, [StartRollout], Phase.STREAMING),
    (Phase.IDLE, "session_init_v2", {"curated_prompts": ["c"]}, [StartRollout], Phase.STREAMING),
    (Phase.QUEUED, "project_init_v1", {"curated_prompts": ["c"]}, [], Phase.QUEUED),
    (Phase.STREAMING, "leave", {}, [Close], Phase.CLOSED),
    (Phase.QUEUED, "leave", {}, [Close], Phase.CLOSED),
]


@pytest.mark.parametrize(("phase", "type_", "fields", "expected", "after"), TRANSITIONS)
def test_transition(
    phase: Phase, type_: str, fields: dict[str, Any], expected: list[type], after: Phase
) -> None:
    machine = machine_in(phase)
    assert kinds(machine.apply(msg(type_, **fields))) == expected
    assert machine.state.phase is after


ILLEGAL = [
    (Phase.AWAITING_INIT, "append_prompt", {"prompt": "p"}),
    (Phase.AWAITING_INIT, "set_enhancement", {"enabled": True}),
    (Phase.QUEUED, "reset_to_seed_prompts", {}),
    (Phase.QUEUED, "restart_generation", {}),
    (Phase.CLOSED, "session_init_v2", {"curated_prompts": ["a"]}),
]


@pytest.mark.parametrize(("phase", "type_", "fields"), ILLEGAL)
def test_illegal_message_names_the_expected_phases(phase: Phase, type_: str, fields: dict[str, Any]) -> None:
    machine = SessionMachine(max_pending_prompts=2)
    if phase is not Phase.AWAITING_INIT:
        machine.apply(msg("session_init_v2", curated_prompts=["a"]))
    if phase is Phase.CLOSED:
        machine.apply(msg("leave"))
    with pytest.raises(UnexpectedMessage, match="expected"):
        machine.apply(msg(type_, **fields))


def test_resume_is_only_a_first_message() -> None:
    machine = machine_in(Phase.STREAMING)
    with pytest.raises(UnexpectedMessage, match="first message"):
        machine.apply(msg("session_resume", session_id="s", resume_token="t"))


def test_first_init_requests_a_slot_and_keeps_the_options() -> None:
    machine = SessionMachine(max_pending_prompts=2)
    out = machine.apply(
        msg("session_init_v2", curated_prompts=["a", "b"], auto_extension_enabled=True, seed=7)
    )
    assert kinds(out) == [RequestSlot]
    st = machine.state
    assert st.phase is Phase.QUEUED and st.auto_extension_enabled and st.options.seed == 7
    assert st.memory.seed_prompts == ["a", "b"]


def test_initial_rollout_prompt_and_single_clip() -> None:
    machine = SessionMachine(max_pending_prompts=2)
    machine.apply(msg("session_init_v2", initial_rollout_prompt="my idea", single_clip_mode=True))
    assert machine.state.memory.seed_prompts == ["my idea"] and machine.state.options.single_clip


def test_init_without_prompts_is_refused() -> None:
    with pytest.raises(UnexpectedMessage, match="curated_prompts"):
        SessionMachine(max_pending_prompts=2).apply(msg("session_init_v2", curated_prompts=[" "]))


def test_pending_prompt_limit() -> None:
    machine = machine_in(Phase.STREAMING)
    machine.apply(msg("append_prompt", prompt="1"))
    machine.apply(msg("append_prompt", prompt="2"))
    with pytest.raises(PendingPromptsFull):
        machine.apply(msg("append_prompt", prompt="3"))


def test_rewrite_temperature_is_clamped() -> None:
    machine = machine_in(Phase.STREAMING)
    (event,) = machine.apply(msg("set_rewrite_temperature", rewrite_temperature=-3))
    assert isinstance(event, s.RewriteTemperatureUpdated) and event.rewrite_temperature == 0.0


def test_prompt_memory_order_user_then_seeds_then_loop() -> None:
    machine = machine_in(Phase.STREAMING)
    memory = machine.state.memory
    memory.start_rollout()
    machine.apply(msg("append_prompt", prompt="user", prompt_id="u"))
    memory.enhancing.discard("u")
    memory.ready.append(ReadyPrompt("u", "user", "user_raw"))
    texts = [memory.next_prompt(loop=True) for _ in range(4)]
    assert [(c.text, c.source) for c in texts if c] == [
        ("user", "user_raw"),
        ("a", "curated"),
        ("b", "curated"),
        ("a", "curated"),
    ]
    assert texts[3] is not None and texts[3].loop_iteration == 1
    assert memory.next_prompt(loop=False) is not None  # "b" of the second loop
    assert memory.next_prompt(loop=False) is None


# --- driver-side transitions: what happens outside messages also goes through the machine -------------


def test_a_pending_reset_is_applied_when_the_rollout_ends_and_starts_again() -> None:
    machine = machine_in(Phase.STREAMING)
    machine.state.memory.replace_seeds(["rewritten"])
    assert kinds(machine.apply(msg("reset_to_seed_prompts"))) == [s.SeedPromptsResetPending, Wake]
    assert machine.state.reset_pending and machine.state.memory.seed_prompts == ["rewritten"]
    out = machine.rollout_finished()
    assert kinds(out) == [s.SeedPromptsResetApplied, StartRollout]
    assert not machine.state.reset_pending and machine.state.memory.seed_prompts == ["a", "b"]
    assert machine.state.phase is Phase.STREAMING


def test_a_finished_rollout_without_a_reset_goes_idle() -> None:
    machine = machine_in(Phase.STREAMING)
    assert machine.rollout_finished() == [] and machine.state.phase is Phase.IDLE


@pytest.mark.parametrize(
    ("phase", "expected", "after"),
    [
        (Phase.IDLE, [StartRollout], Phase.STREAMING),
        (Phase.STREAMING, [StartRollout], Phase.STREAMING),
        (Phase.QUEUED, [], Phase.QUEUED),  # the new seeds start when the slot arrives
    ],
)
def test_a_rewrite_restarts_only_a_project_that_holds_a_slot(
    phase: Phase, expected: list[type], after: Phase
) -> None:
    machine = machine_in(phase)
    out = machine.rewrite_applied()
    assert kinds(out) == expected and machine.state.phase is after
    assert all(o.reason == "rewrite_applied" for o in out if isinstance(o, StartRollout))


def test_a_detached_session_holds_its_rollout_until_a_socket_attaches() -> None:
    machine = machine_in(Phase.STREAMING)
    assert not machine.state.is_held
    machine.socket_detached()
    assert machine.state.is_held and machine.state.phase is Phase.STREAMING
    machine.socket_attached()
    assert not machine.state.is_held


def test_losing_the_slot_or_closing_moves_the_phase() -> None:
    machine = machine_in(Phase.STREAMING)
    machine.slot_lost()
    assert machine.state.phase is Phase.AWAITING_INIT
    machine.closed()
    assert machine.state.phase is Phase.CLOSED


@pytest.mark.parametrize(("phase", "expected"), [(Phase.STREAMING, [ContinueRollout]), (Phase.IDLE, [])])
def test_a_parked_session_queues_on_resume_and_goes_back_to_where_it_was(
    phase: Phase, expected: list[type]
) -> None:
    machine = machine_in(phase)
    machine.socket_detached()
    machine.slot_released()
    assert machine.state.phase is Phase.PARKED
    machine.socket_attached()
    assert kinds(machine.socket_resumed()) == [RequestSlot]
    assert machine.state.phase is Phase.QUEUED
    assert kinds(machine.slot_acquired()) == expected
    assert machine.state.phase is phase


def test_a_new_project_while_requeued_starts_fresh_instead_of_going_on() -> None:
    machine = machine_in(Phase.STREAMING)
    machine.slot_released()
    machine.socket_resumed()
    machine.apply(msg("project_init_v1", curated_prompts=["new"]))
    assert kinds(machine.slot_acquired()) == [StartRollout]


def test_a_session_requeued_after_losing_its_worker_goes_on_with_its_next_slot() -> None:
    machine = machine_in(Phase.STREAMING)
    machine.slot_lost_requeued()
    assert machine.state.phase is Phase.QUEUED
    assert kinds(machine.slot_acquired()) == [ContinueRollout]
    assert machine.state.phase is Phase.STREAMING
    with pytest.raises(RuntimeError, match="expected: streaming"):
        machine_in(Phase.IDLE).slot_lost_requeued()


def test_only_a_session_with_a_slot_can_release_it() -> None:
    with pytest.raises(RuntimeError, match="expected: idle, streaming"):
        machine_in(Phase.QUEUED).slot_released()


def test_a_resume_without_parking_wakes_the_held_rollout() -> None:
    assert kinds(machine_in(Phase.STREAMING).socket_resumed()) == [Wake]
