"""The segment tree (branches, forks, timelines) and its bounded store (memory, disk spill, eviction)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dreamverse.runtime.errors import InvalidMessage, SegmentEvicted, UnknownBranch, UnknownSegment
from dreamverse.runtime.segments.branches import ContinuePoint, SessionBranches
from dreamverse.runtime.segments.store import SegmentStore
from dreamverse.runtime.segments.tree import SegmentTree


def grow(tree: SegmentTree, branch_id: str, count: int, prefix: str = "p") -> None:
    for _ in range(count):
        idx = tree.next_segment_idx(branch_id)
        tree.add(branch_id, f"{prefix}{idx}", seed=100 + idx, duration_s=1.0 + idx / 10)


def test_fork_continues_the_timeline_and_keeps_the_original() -> None:
    tree = SegmentTree()
    root = tree.new_branch()
    grow(tree, root.branch_id, 4)
    fork_point = tree.node_at(root.branch_id, 2)
    fork = tree.new_branch(parent_id=fork_point.node_id, branch_id="storm")
    assert fork.first_segment_idx == 3
    assert tree.next_segment_idx("storm") == 3 and tree.tip("storm") == fork_point
    grow(tree, "storm", 2, prefix="s")
    assert [n.prompt for n in tree.path("storm")] == ["p0", "p1", "p2", "s3", "s4"]
    assert [n.prompt for n in tree.path(root.branch_id)] == ["p0", "p1", "p2", "p3"]  # untouched
    assert tree.path("storm")[3].parent_id == fork_point.node_id
    assert tree.duration_s("storm") == pytest.approx(1.0 + 1.1 + 1.2 + 1.3 + 1.4)
    assert tree.node_at("storm", 4).branch_id == "storm" and tree.node_at("storm", 1).branch_id == "b0"


def test_bad_references_are_typed_errors() -> None:
    tree = SegmentTree()
    root = tree.new_branch()
    with pytest.raises(UnknownSegment, match="no segments yet"):
        tree.node_at(root.branch_id, 0)
    grow(tree, root.branch_id, 2)
    with pytest.raises(UnknownSegment) as info:
        tree.node_at(root.branch_id, 2)
    assert info.value.segment_idx == 2
    with pytest.raises(UnknownBranch):
        tree.path("nope")
    with pytest.raises(InvalidMessage, match="already exists"):
        tree.new_branch(parent_id=0, branch_id=root.branch_id)
    with pytest.raises(InvalidMessage, match="letters"):
        tree.new_branch(parent_id=0, branch_id="../etc")
    tree.new_branch(branch_id="b1")
    assert tree.new_branch().branch_id == "b2"  # generated ids skip taken ones


def blobs(node_id: int, size: int) -> tuple[bytes, bytes]:
    state = bytes([node_id % 256]) * (size // 2)
    return state, bytes([255 - node_id % 256]) * (size - size // 2)


async def test_store_stays_under_its_bound_and_evicts_oldest_first(tmp_path: Path) -> None:
    store = SegmentStore(tmp_path / "s", max_bytes=10_000, memory_bytes=3_000)
    for node_id in range(12):  # 12 x 1500 bytes: more than fits
        assert await store.put(node_id, node_id, *blobs(node_id, 1500))
        assert store.used_bytes <= 10_000
        assert store.memory_used_bytes <= 3_000
        on_disk = (
            sum(p.stat().st_size for p in (tmp_path / "s").iterdir()) if (tmp_path / "s").exists() else 0
        )
        assert on_disk == store.disk_used_bytes
    kept = [n for n in range(12) if store.has(n)]
    assert kept == list(range(6, 12))  # the oldest went first
    assert all(store.is_evicted(n) for n in range(6))
    for node_id in kept:  # from memory and from disk alike
        assert await store.state(node_id, node_id) == blobs(node_id, 1500)[0]
    with pytest.raises(SegmentEvicted) as info:
        await store.state(3, 3)
    assert info.value.segment_idx == 3


async def test_held_nodes_are_not_evicted(tmp_path: Path) -> None:
    store = SegmentStore(tmp_path / "s", max_bytes=4_000, memory_bytes=4_000)
    for node_id in range(2):
        await store.put(node_id, node_id, *blobs(node_id, 1500))
    async with store.media_files([(0, 0)]) as paths:
        assert paths[0].read_bytes() == blobs(0, 1500)[1]
        assert await store.put(2, 2, *blobs(2, 1500))  # evicts node 1, the oldest unheld
        assert store.has(0) and not store.has(1)
        assert not await store.put(3, 3, *blobs(3, 3000))  # would need node 0, which is held
        assert store.is_evicted(3) and store.used_bytes <= 4_000
    assert await store.put(4, 4, *blobs(4, 2500))  # released: now node 0 can go
    assert not store.has(0) and store.used_bytes <= 4_000
    assert not await store.put(5, 5, *blobs(5, 4_001))  # never fits


async def test_media_files_in_order_and_close_removes_the_directory(tmp_path: Path) -> None:
    directory = tmp_path / "session"
    store = SegmentStore(directory, max_bytes=100_000, memory_bytes=100_000)
    for node_id in range(3):
        await store.put(node_id, node_id, *blobs(node_id, 1000))
    async with store.media_files([(2, 2), (0, 0)]) as paths:
        assert [p.read_bytes() for p in paths] == [blobs(2, 1000)[1], blobs(0, 1000)[1]]
    assert store.memory_used_bytes == 1000  # exported nodes moved to disk
    with pytest.raises(SegmentEvicted):
        async with store.media_files([(0, 0), (9, 1)]):
            pass
    await store.close()
    assert not directory.exists()
    assert not await store.put(7, 7, *blobs(7, 10))


async def test_session_branches_fork_switch_and_export(tmp_path: Path) -> None:
    branches = SessionBranches(SegmentStore(tmp_path / "s", max_bytes=100_000, memory_bytes=2_000))
    with pytest.raises(UnknownBranch):
        await branches.fork(0)
    root = branches.start_rollout().branch_id
    for idx in range(3):
        await branches.record(root, f"p{idx}", 10 + idx, 1.0, *blobs(idx, 1000))
    point = await branches.fork(1, branch_id="alt")
    assert point == ContinuePoint("alt", 2, blobs(1, 1000)[0])  # the state segment 1 left
    await branches.record("alt", "q2", 99, 0.5, *blobs(7, 1000))
    tree = branches.describe()
    views = {v.branch_id: v for v in tree.branches}
    assert tree.current_branch_id == "alt"
    assert (views["alt"].parent_branch_id, views["alt"].parent_segment_idx) == (root, 2)  # the wire's numbers
    assert [s.segment_idx for s in views["alt"].segments] == [3]
    assert [s.prompt for s in views["alt"].segments] == ["q2"] and views["alt"].duration_s == 2.5
    assert views[root].parent_branch_id is None and len(views[root].segments) == 3
    back = await branches.switch(root)
    assert back == ContinuePoint(root, 3, blobs(2, 1000)[0]) and branches.current == root
    async with branches.export_files("alt") as media:
        assert [p.read_bytes() for p in media.paths] == [blobs(i, 1000)[1] for i in (0, 1, 7)]
        assert media.durations_s == [1.0, 1.0, 0.5]
    with pytest.raises(UnknownSegment):
        await branches.fork(3)
    await branches.close()
    with pytest.raises(SegmentEvicted):
        await branches.fork(0)
    assert branches.current == root  # a failed fork changes nothing
