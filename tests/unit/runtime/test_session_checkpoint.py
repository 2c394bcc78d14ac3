"""A session's checkpoint (what another replica takes over): captured at the delivered segment, through
JSON, restored parked where the client stands. No sockets, no Redis: a session built inline."""

from __future__ import annotations

from collections import deque
from types import SimpleNamespace
from typing import Any

from dreamverse.runtime.prompts.memory import PromptChoice, PromptMemory, ReadyPrompt
from dreamverse.runtime.segments.tree import SegmentTree
from dreamverse.runtime.session.checkpoint import Captured, SessionCheckpoint, capture, restore
from dreamverse.runtime.session.state import Phase, SessionState, StartOptions


def choice(text: str, index: int | None = None) -> PromptChoice:
    return PromptChoice(text, "curated" if index is not None else "user_raw", None, False, index, 0)


def session_at(delivered_through: int, finished: int, cap: int = 5) -> Any:
    """A session whose rollout finished `finished` segments, of which the client had `delivered_through`
    whole; segment `finished` is in flight with a prompt chosen for it."""
    tree = SegmentTree()
    branch = tree.new_branch()
    for idx in range(finished):
        tree.add(branch.branch_id, f"shot {idx}", 10 + idx, 0.7)
    memory = PromptMemory.from_seeds([f"shot {i}" for i in range(cap)], "preset", "Preset")
    memory.seed_cursor = finished + 1
    memory.ready = deque([ReadyPrompt("u1", "a user prompt", "user_raw")])
    memory.history = [choice(f"shot {i}", i) for i in range(finished)]
    state = SessionState(phase=Phase.STREAMING, memory=memory, options=StartOptions(False, 7, None))
    state.auto_extension_enabled = True
    chosen = {idx: choice(f"shot {idx}", idx) for idx in range(delivered_through, finished + 1)}
    rollout = SimpleNamespace(
        delivered_through=delivered_through,
        delivered_state=b"state after %d" % (delivered_through - 1),
        cap=cap,
        branch_id=branch.branch_id,
        seed=7,
        chosen_ahead=lambda: chosen,
    )
    branches = SimpleNamespace(tree=tree, current=branch.branch_id)
    return SimpleNamespace(state=state, rollout=rollout, restored=None, branches=branches)


def through_json(captured: Captured) -> Captured:
    """As Redis keeps it: the checkpoint as JSON, the continuation state raw beside it."""
    raw = captured.checkpoint.model_dump_json()
    return Captured(SessionCheckpoint.model_validate_json(raw), captured.continuation, captured.next_segment)


def test_a_checkpoint_goes_on_from_the_first_segment_the_client_lacks() -> None:
    # the client had 0 and 1 whole; 2 finished while its socket was gone; 3 is in flight
    captured = through_json(capture(session_at(delivered_through=2, finished=3)))
    point = captured.checkpoint.rollout
    assert point is not None and captured.next_segment == point.next_segment == 2
    assert captured.continuation == b"state after 1"  # what segment 2 is rendered from
    assert sorted(point.chosen) == [2, 3] and point.chosen[3].text == "shot 3"  # same prompts again
    kept = [n.segment_idx for n in captured.checkpoint.nodes]
    assert kept == [0, 1]  # segment 2 is rendered (and recorded) again, not twice

    taken = SimpleNamespace(
        state=SessionState(), branches=SimpleNamespace(tree=SegmentTree(), current=None), restored=None
    )
    restore(taken, captured)  # type: ignore[arg-type]
    st = taken.state
    assert (st.phase, st.parked_from) == (Phase.PARKED, Phase.STREAMING)  # its next slot goes on
    assert st.memory.seed_cursor == 4 and [p.prompt_id for p in st.memory.ready] == ["u1"]
    assert st.options == StartOptions(False, 7, None) and st.auto_extension_enabled
    assert taken.restored is captured
    tree = taken.branches.tree
    assert tree.next_segment_idx(taken.branches.current) == 2
    assert tree.add(taken.branches.current, "shot 2", 12, 0.7).node_id == 2  # numbered on


def test_a_finished_rollout_restores_idle() -> None:
    captured = through_json(capture(session_at(delivered_through=5, finished=5)))
    assert captured.checkpoint.rollout is None and captured.next_segment == 5
    taken = SimpleNamespace(
        state=SessionState(), branches=SimpleNamespace(tree=SegmentTree(), current=None), restored=None
    )
    restore(taken, captured)  # type: ignore[arg-type]
    assert (taken.state.phase, taken.state.parked_from) == (Phase.PARKED, Phase.IDLE)
    assert len(taken.branches.tree.nodes) == 5
