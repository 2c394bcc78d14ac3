"""A rollout cancelled while `SessionBranches.record` waits for the store leaves no segment without bytes.

A fork, a switch or a stop cancels the rollout at whatever await it is in (a park only at a boundary,
after the recording). One of them is `record`'s `store.put`, which waits for the store's lock while an
export spills its files or a fork reads a state. The segment used to join the tree before that wait, so a
cancelled wait left it there with no bytes: `branches_updated` showed it as not stored, and switching to
its branch or exporting it answered `segment_evicted` (both parametrized cases of the first test failed so
before the fix). Now a segment joins the tree only once the store holds its bytes; a cancelled recording
leaves the tree as it was.

The lock is held here the way an export or a fork holds it, and the waiting recording is cancelled either
while it waits or (as `fork_from_segment` does: it releases the lock, then cancels the rollout without
yielding) after the lock was handed to it but before it ran.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from dreamverse.runtime.segments.branches import ContinuePoint, SessionBranches
from dreamverse.runtime.segments.store import SegmentStore
from dreamverse.runtime.segments.tree import SegmentTree


def blobs(idx: int) -> tuple[bytes, bytes]:
    return bytes([idx]) * 500, bytes([200 + idx]) * 500


async def recorded(tmp_path: Path, count: int) -> tuple[SessionBranches, str]:
    branches = SessionBranches(SegmentStore(tmp_path / "s", max_bytes=100_000, memory_bytes=100_000))
    root = branches.start_rollout().branch_id
    for idx in range(count):
        await branches.record(root, f"p{idx}", 10 + idx, 1.0, *blobs(idx))
    return branches, root


@pytest.mark.parametrize("handed_over", [False, True], ids=["waiting", "lock-handed-over"])
async def test_a_cancelled_recording_leaves_the_tree_as_it_was(tmp_path: Path, handed_over: bool) -> None:
    branches, root = await recorded(tmp_path, 2)
    lock = branches.store._lock
    async with lock:  # an export or a fork is reading the store
        recording = asyncio.create_task(branches.record(root, "p2", 12, 1.0, *blobs(2)))
        await asyncio.sleep(0)
        assert not recording.done()  # waiting for the lock
        if not handed_over:
            recording.cancel()
    if handed_over:
        recording.cancel()  # released just now: the lock is the recording's, but it has not run yet
    with pytest.raises(asyncio.CancelledError):
        await recording
    assert not lock.locked()

    view = branches.describe().branches[0]
    assert [(seg.prompt, seg.is_stored) for seg in view.segments] == [("p0", True), ("p1", True)]
    assert view.duration_s == 2.0
    async with branches.export_files(root) as media:
        assert [p.read_bytes() for p in media.paths] == [blobs(0)[1], blobs(1)[1]]
    assert await branches.switch(root) == ContinuePoint(root, 2, blobs(1)[0])  # goes on after p1
    node = await branches.record(root, "p2 again", 12, 1.0, *blobs(2))
    assert node.segment_idx == 2 and branches.store.has(node.node_id)
    await branches.close()


async def export_paths(branches: SessionBranches, branch_id: str) -> list[bytes]:
    async with branches.export_files(branch_id) as media:
        return [p.read_bytes() for p in media.paths]


@pytest.mark.parametrize("operation", ["fork", "switch", "export"])
async def test_what_the_client_does_right_after_a_segment_finishes_waits_for_its_bytes(
    tmp_path: Path, operation: str
) -> None:
    """The client hears of a finished segment before it is stored: forking from it, switching to its branch
    or exporting it right away sees it (nothing is cancelled here, the store is only busy)."""
    branches, root = await recorded(tmp_path, 1)
    async with branches.store._lock:
        recording = asyncio.create_task(branches.record(root, "p1", 11, 1.0, *blobs(1)))
        await asyncio.sleep(0)
        if operation == "fork":
            asking = asyncio.create_task(branches.fork(1, branch_id="alt"))
        elif operation == "switch":
            asking = asyncio.create_task(branches.switch(root))
        else:
            asking = asyncio.create_task(export_paths(branches, root))
        await asyncio.sleep(0)
        assert not recording.done() and not asking.done()
    await recording
    expected = {
        "fork": ContinuePoint("alt", 2, blobs(1)[0]),
        "switch": ContinuePoint(root, 2, blobs(1)[0]),
        "export": [blobs(0)[1], blobs(1)[1]],
    }
    assert await asking == expected[operation]
    await branches.close()


def test_a_numbered_segment_joins_only_as_its_branch_s_next_one() -> None:
    tree = SegmentTree()
    root = tree.new_branch().branch_id
    first = tree.numbered(root, "p0", 10, 1.0)
    second = tree.numbered(root, "p0 again", 10, 1.0)  # both numbered 0, distinct node ids
    assert (first.segment_idx, second.segment_idx) == (0, 0) and first.node_id != second.node_id
    assert tree.path(root) == []  # nothing joins before `attach`
    tree.attach(first)
    with pytest.raises(RuntimeError, match="not the branch's next one"):
        tree.attach(second)
    assert tree.path(root) == [first]
