"""A session's branches: the segment tree and its store, as rollouts, forks, switches and exports use them.

A rollout records each finished segment (prompt, seed, duration, saved state, fMP4) on the current branch.
`fork` starts a new branch from the end of a segment of the current branch and hands back the state that
segment left; `switch` makes another branch current and hands back the state at its tip, so it can go on.
`export_files` holds a branch's segment files while they are joined; `describe` is `branches_updated`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from dreamverse.runtime.errors import UnknownBranch
from dreamverse.runtime.protocol import server as s
from dreamverse.runtime.segments.store import SegmentStore
from dreamverse.runtime.segments.tree import Branch, SegmentNode, SegmentTree


@dataclass(frozen=True, slots=True)
class ContinuePoint:
    """Where a branch goes on: its next segment number and the state to condition it on (None: fresh)."""

    branch_id: str
    next_segment_idx: int
    state: bytes | None


@dataclass(frozen=True, slots=True)
class BranchMedia:
    """A branch's segment files (held while the `export_files` block runs) and their video durations."""

    paths: list[Path]
    durations_s: list[float]


class SessionBranches:
    def __init__(self, store: SegmentStore) -> None:
        self.tree = SegmentTree()
        self.store = store
        self.current: str | None = None

    def start_rollout(self) -> Branch:
        """A fresh branch from segment 0 (a new rollout), made current."""
        branch = self.tree.new_branch()
        self.current = branch.branch_id
        return branch

    def current_branch(self) -> str:
        if self.current is None:
            raise UnknownBranch("the session has no branch yet: nothing was generated")
        return self.current

    async def record(
        self, branch_id: str, prompt: str, seed: int, duration_s: float, state: bytes, media: bytes
    ) -> SegmentNode:
        """A finished segment of `branch_id`: its bytes to the store (which may evict), then to the tree.

        `put` may wait for the store's lock (an export or a fork holds it) and the rollout may be cancelled
        there (a fork, a switch, a stop). Joining only once the store has the bytes (or turned them away as
        too large: shown as evicted) means a cancelled recording leaves the tree as it was, never a segment
        that looks recorded but has nothing behind it.
        """
        node = self.tree.numbered(branch_id, prompt, seed, duration_s)
        try:
            await self.store.put(node.node_id, node.segment_idx, state, media)
        finally:
            if self.store.has(node.node_id) or self.store.is_evicted(node.node_id):
                self.tree.attach(node)
        return node

    async def fork(self, segment_idx: int, branch_id: str | None = None) -> ContinuePoint:
        """A new current branch continuing from the end of segment `segment_idx` of the current branch."""
        await self.store.settled()  # a segment the client just saw finish may still be on its way in
        node = self.tree.node_at(self.current_branch(), segment_idx)
        state = await self.store.state(node.node_id, node.segment_idx)  # SegmentEvicted before any change
        branch = self.tree.new_branch(parent_id=node.node_id, branch_id=branch_id)
        self.current = branch.branch_id
        return ContinuePoint(branch.branch_id, branch.first_segment_idx, state)

    async def switch(self, branch_id: str) -> ContinuePoint:
        """Make `branch_id` current; it goes on from its tip (or from segment 0 if it has none)."""
        await self.store.settled()
        tip = self.tree.tip(branch_id)  # UnknownBranch for a stranger
        next_idx = self.tree.next_segment_idx(branch_id)  # read with `tip`, before the store is awaited
        state = await self.store.state(tip.node_id, tip.segment_idx) if tip is not None else None
        self.current = branch_id
        return ContinuePoint(branch_id, next_idx, state)

    @asynccontextmanager
    async def export_files(self, branch_id: str) -> AsyncIterator[BranchMedia]:
        await self.store.settled()
        path = self.tree.path(branch_id)
        if not path:
            raise UnknownBranch(f"branch {branch_id!r} has no segments to export yet")
        async with self.store.media_files((n.node_id, n.segment_idx) for n in path) as files:
            yield BranchMedia(files, [n.duration_s for n in path])

    def describe(self) -> s.BranchesUpdated:
        """The tree as `branches_updated` (segment numbers as the wire counts them, from 1)."""
        infos = []
        for branch in self.tree.branches.values():
            parent = self.tree.nodes[branch.parent_id] if branch.parent_id is not None else None
            segments = [self._segment_view(self.tree.nodes[n]) for n in branch.node_ids]
            infos.append(
                s.BranchInfo(
                    branch_id=branch.branch_id,
                    parent_branch_id=parent.branch_id if parent is not None else None,
                    parent_segment_idx=s.wire_segment_idx(parent.segment_idx) if parent is not None else None,
                    segments=segments,
                    duration_s=self.tree.duration_s(branch.branch_id),
                )
            )
        return s.BranchesUpdated(current_branch_id=self.current, branches=infos)

    def _segment_view(self, node: SegmentNode) -> s.BranchSegment:
        return s.BranchSegment(
            segment_idx=s.wire_segment_idx(node.segment_idx),
            prompt=node.prompt,
            seed=node.seed,
            duration_s=node.duration_s,
            is_stored=self.store.has(node.node_id),
        )

    async def close(self) -> None:
        await self.store.close()
