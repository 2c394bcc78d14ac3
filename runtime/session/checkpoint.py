"""A session as another replica needs it to go on: captured at a delivered segment, restored on a takeover.

What is kept: the prompt memory (seeds, ready user prompts, cursor, the last few segments' prompts), the
options and toggles, the segment tree's metadata (prompts, seeds, durations; the bytes behind it stay with
the replica that made them, so a fork from an older segment answers `segment_evicted` after a takeover),
and the rollout's position: the first segment the client has not had whole, the prompts already chosen for
it and later ones, and the continuation state to render it from. Restored, the session is parked at that
segment: the next slot renders it again, from that state with that prompt (the same frames), and goes on.

Pure data, no I/O: `runtime.cluster.takeover` stores it in Redis.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from pydantic import BaseModel

from dreamverse.runtime.prompts.memory import PromptChoice, PromptMemory, ReadyPrompt
from dreamverse.runtime.segments.tree import Branch, SegmentNode, SegmentTree
from dreamverse.runtime.session.state import Phase, StartOptions

if TYPE_CHECKING:
    from dreamverse.runtime.session.session import Session

_HISTORY_KEPT = 8  # of the prompts segments used: what auto-extension looks back on


class Checkpointer(Protocol):
    """Where a session's checkpoints go (scale-out only; the embedded server keeps none)."""

    def save(self, session: Session, *, when_written: bool) -> None:
        """Checkpoint the session as it is now (`when_written`: once its socket took what is queued)."""

    async def session_ended(self, session: Session) -> None: ...


class MemoryCheckpoint(BaseModel):
    seed_prompts: list[str]
    original_seed_prompts: list[str]
    preset_id: str | None
    preset_label: str | None
    ready: list[ReadyPrompt]
    seed_cursor: int
    loop_iteration: int
    history: list[PromptChoice]


class RolloutCheckpoint(BaseModel):
    branch_id: str
    cap: int
    seed: int
    next_segment: int  # the first segment the client has not had whole
    chosen: dict[int, PromptChoice]  # prompts already picked for it and later segments


class SessionCheckpoint(BaseModel):
    memory: MemoryCheckpoint
    options: StartOptions
    enhancement_enabled: bool
    auto_extension_enabled: bool
    loop_generation_enabled: bool
    paused: bool
    rewrite_model: str | None
    rewrite_temperature: float | None
    prompt_counter: int
    nodes: list[SegmentNode]
    branches: list[Branch]
    current_branch: str | None
    rollout: RolloutCheckpoint | None  # None: nothing left to render (idle)


@dataclass(frozen=True, slots=True)
class Captured:
    checkpoint: SessionCheckpoint
    continuation: bytes | None  # the state to render `rollout.next_segment` from
    next_segment: int


def capture(session: Session) -> Captured:
    st, rollout = session.state, session.rollout
    point, continuation, next_segment = None, None, 0
    if rollout is not None:
        next_segment, continuation = rollout.delivered_through, rollout.delivered_state
        if next_segment < rollout.cap:
            point = RolloutCheckpoint(
                branch_id=rollout.branch_id,
                cap=rollout.cap,
                seed=rollout.seed,
                next_segment=next_segment,
                chosen=rollout.chosen_ahead(),
            )
    elif session.restored is not None:  # taken over, not rendering yet: keep what it was restored from
        point, continuation = session.restored.checkpoint.rollout, session.restored.continuation
        next_segment = session.restored.next_segment
    tree = session.branches.tree
    branches = [_delivered_only(b, tree, point) for b in tree.branches.values()]
    kept = {node_id for b in branches for node_id in b.node_ids}
    checkpoint = SessionCheckpoint(
        memory=_memory(st.memory),
        options=st.options,
        enhancement_enabled=st.enhancement_enabled,
        auto_extension_enabled=st.auto_extension_enabled,
        loop_generation_enabled=st.loop_generation_enabled,
        paused=st.paused,
        rewrite_model=st.rewrite_model,
        rewrite_temperature=st.rewrite_temperature,
        prompt_counter=st.prompt_counter,
        nodes=[n for n in tree.nodes.values() if n.node_id in kept or n.branch_id != _branch(point)],
        branches=branches,
        current_branch=session.branches.current,
        rollout=point,
    )
    return Captured(checkpoint, continuation, next_segment)


def _branch(point: RolloutCheckpoint | None) -> str | None:
    return point.branch_id if point is not None else None


def _delivered_only(branch: Branch, tree: SegmentTree, point: RolloutCheckpoint | None) -> Branch:
    """The rollout's branch without the segments the client has not had (they are rendered again)."""
    if point is None or branch.branch_id != point.branch_id:
        return branch
    ids = [i for i in branch.node_ids if tree.nodes[i].segment_idx < point.next_segment]
    return Branch(branch.branch_id, branch.parent_id, branch.first_segment_idx, ids)


def _memory(memory: PromptMemory) -> MemoryCheckpoint:
    return MemoryCheckpoint(
        seed_prompts=list(memory.seed_prompts),
        original_seed_prompts=list(memory.original_seed_prompts),
        preset_id=memory.preset_id,
        preset_label=memory.preset_label,
        ready=list(memory.ready),
        seed_cursor=memory.seed_cursor,
        loop_iteration=memory.loop_iteration,
        history=memory.history[-_HISTORY_KEPT:],
    )


def restore(session: Session, captured: Captured) -> None:
    """Put a taken-over session where the checkpoint left it: parked, to go on with its next slot."""
    cp, st = captured.checkpoint, session.state
    m = cp.memory
    st.memory = PromptMemory(
        seed_prompts=list(m.seed_prompts),
        original_seed_prompts=list(m.original_seed_prompts),
        preset_id=m.preset_id,
        preset_label=m.preset_label,
        ready=deque(m.ready),
        history=list(m.history),
        seed_cursor=m.seed_cursor,
        loop_iteration=m.loop_iteration,
    )
    st.options = cp.options
    st.enhancement_enabled = cp.enhancement_enabled
    st.auto_extension_enabled = cp.auto_extension_enabled
    st.loop_generation_enabled = cp.loop_generation_enabled
    st.paused = cp.paused
    st.rewrite_model = cp.rewrite_model
    st.rewrite_temperature = cp.rewrite_temperature
    st.prompt_counter = cp.prompt_counter
    session.branches.tree = SegmentTree.restored(cp.nodes, cp.branches)
    session.branches.current = cp.current_branch
    st.phase, st.parked_from = Phase.PARKED, Phase.STREAMING if cp.rollout is not None else Phase.IDLE
    session.restored = captured
