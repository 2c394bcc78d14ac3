"""A session's segments as a tree: every segment is a node, every rollout or fork a branch.

A branch is a line of segments. It either starts fresh (a rollout from segment 0, `parent_id is None`) or
continues from the end of another branch's segment (a fork): its first segment is conditioned on the state
that parent segment left. A branch's timeline is its parent's path up to the fork point, then its own
segments, so segment numbers continue across the fork. Nodes are never removed from the tree (a node whose
stored bytes were evicted stays, with its prompt, seed and duration); bytes live in `SegmentStore`.

Pure data, no I/O: the session and the export route read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dreamverse.runtime.errors import InvalidMessage, UnknownBranch, UnknownSegment

BRANCH_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True, slots=True)
class SegmentNode:
    node_id: int  # unique within the session, in creation order (the store evicts lowest first)
    branch_id: str  # the branch that rendered it
    segment_idx: int  # position on its timeline (0 = a fresh start)
    parent_id: int | None  # the segment it continues (None: segment 0)
    prompt: str
    seed: int  # the seed it was rendered with
    duration_s: float


@dataclass(slots=True)
class Branch:
    branch_id: str
    parent_id: int | None  # the node it continues from; None for a fresh rollout
    first_segment_idx: int  # the number of its first own segment
    node_ids: list[int] = field(default_factory=list)


class SegmentTree:
    def __init__(self) -> None:
        self.nodes: dict[int, SegmentNode] = {}
        self.branches: dict[str, Branch] = {}
        self._next_node_id = 0
        self._next_branch = 0

    @classmethod
    def restored(cls, nodes: list[SegmentNode], branches: list[Branch]) -> SegmentTree:
        """A tree as another replica had it (a takeover): same nodes and branches, new ones numbered on."""
        tree = cls()
        tree.nodes = {node.node_id: node for node in nodes}
        tree.branches = {branch.branch_id: branch for branch in branches}
        tree._next_node_id = max(tree.nodes, default=-1) + 1
        return tree

    def new_branch(self, parent_id: int | None = None, branch_id: str | None = None) -> Branch:
        """A branch starting fresh (`parent_id` None) or continuing from the end of node `parent_id`."""
        if branch_id is None:
            branch_id = self._fresh_branch_id()
        elif not BRANCH_ID_PATTERN.match(branch_id):
            raise InvalidMessage("branch_id must be 1-64 letters, digits, '-' or '_'")
        elif branch_id in self.branches:
            raise InvalidMessage(f"branch {branch_id!r} already exists")
        first = 0 if parent_id is None else self.nodes[parent_id].segment_idx + 1
        branch = Branch(branch_id, parent_id, first)
        self.branches[branch_id] = branch
        return branch

    def _fresh_branch_id(self) -> str:
        while (candidate := f"b{self._next_branch}") in self.branches:
            self._next_branch += 1
        self._next_branch += 1
        return candidate

    def branch(self, branch_id: str) -> Branch:
        found = self.branches.get(branch_id)
        if found is None:
            raise UnknownBranch(f"this session has no branch {branch_id!r}")
        return found

    def add(self, branch_id: str, prompt: str, seed: int, duration_s: float) -> SegmentNode:
        """Append the branch's next segment."""
        node = self.numbered(branch_id, prompt, seed, duration_s)
        self.attach(node)
        return node

    def numbered(self, branch_id: str, prompt: str, seed: int, duration_s: float) -> SegmentNode:
        """The branch's next segment, numbered (its node id taken) but not in the tree until `attach`."""
        tip = self.tip(branch_id)  # UnknownBranch for a stranger
        node = SegmentNode(
            node_id=self._next_node_id,
            branch_id=branch_id,
            segment_idx=self.next_segment_idx(branch_id),
            parent_id=tip.node_id if tip is not None else None,
            prompt=prompt,
            seed=seed,
            duration_s=duration_s,
        )
        self._next_node_id += 1
        return node

    def attach(self, node: SegmentNode) -> None:
        """Append a `numbered` node to its branch; it must still be the branch's next segment."""
        if node.segment_idx != self.next_segment_idx(node.branch_id):
            raise RuntimeError(
                f"segment {node.segment_idx} of {node.branch_id!r} is not the branch's next one any more"
            )
        self.nodes[node.node_id] = node
        self.branch(node.branch_id).node_ids.append(node.node_id)

    def tip(self, branch_id: str) -> SegmentNode | None:
        """The last segment of the branch's timeline (its fork point while it has none of its own)."""
        branch = self.branch(branch_id)
        if branch.node_ids:
            return self.nodes[branch.node_ids[-1]]
        return self.nodes[branch.parent_id] if branch.parent_id is not None else None

    def next_segment_idx(self, branch_id: str) -> int:
        branch = self.branch(branch_id)
        return branch.first_segment_idx + len(branch.node_ids)

    def path(self, branch_id: str) -> list[SegmentNode]:
        """The branch's timeline: segment 0 … its tip, across the forks it descends from."""
        nodes: list[SegmentNode] = []
        node = self.tip(branch_id)
        while node is not None:
            nodes.append(node)
            node = self.nodes[node.parent_id] if node.parent_id is not None else None
        return nodes[::-1]

    def node_at(self, branch_id: str, segment_idx: int) -> SegmentNode:
        path = self.path(branch_id)
        if not 0 <= segment_idx < len(path):
            raise UnknownSegment(  # numbers as the wire counts them, from 1
                f"branch {branch_id!r} has segments 1-{len(path)}, not {segment_idx + 1}"
                if path
                else f"branch {branch_id!r} has no segments yet",
                segment_idx,
            )
        return path[segment_idx]

    def duration_s(self, branch_id: str) -> float:
        return sum(node.duration_s for node in self.path(branch_id))
