"""`parts_in_step`: a rank goes on only while the group agrees, and stops the way the group does."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from dreamverse.workers.lockstep import (
    PeerFailed,
    SegmentCancelled,
    Verdict,
    group_verdict,
    parts_in_step,
    solo,
)


class Group:
    """A group as one rank sees it: the other rank says `others[i]` at step i; records what this one said."""

    def __init__(self, *others: Verdict) -> None:
        self.others = list(others)
        self.said: list[Verdict] = []

    def agree(self, verdict: Verdict) -> Verdict:
        self.said.append(verdict)
        other = self.others.pop(0)
        return group_verdict(max(verdict, other), min(verdict, other))


def three_parts() -> Iterator[int]:
    yield from (1, 2, 3)


def failing_after_one() -> Iterator[int]:
    yield 1
    raise RuntimeError("generator broke")


def never() -> bool:
    return False


def test_alone_it_yields_every_part_and_raises_the_generators_own_error() -> None:
    assert list(parts_in_step(three_parts(), solo, never)) == [1, 2, 3]
    with pytest.raises(RuntimeError, match="generator broke"):
        list(parts_in_step(failing_after_one(), solo, never))


def test_ranks_that_agree_walk_every_part() -> None:
    group = Group(Verdict.PART, Verdict.PART, Verdict.PART, Verdict.DONE)
    assert list(parts_in_step(three_parts(), group.agree, never)) == [1, 2, 3]
    assert group.said == [Verdict.PART] * 3 + [Verdict.DONE]


def test_a_failure_on_another_rank_stops_this_one_at_the_same_part() -> None:
    group = Group(Verdict.PART, Verdict.FAILED)
    got: list[int] = []
    with pytest.raises(PeerFailed):
        got.extend(parts_in_step(three_parts(), group.agree, never))
    assert got == [1]


def test_this_ranks_failure_is_told_to_the_group_then_raised() -> None:
    group = Group(Verdict.PART, Verdict.PART)
    with pytest.raises(RuntimeError, match="generator broke"):
        list(parts_in_step(failing_after_one(), group.agree, never))
    assert group.said == [Verdict.PART, Verdict.FAILED]


def test_a_cancel_stops_every_rank() -> None:
    group = Group(Verdict.PART, Verdict.PART)
    cancelled = iter([False, True])
    with pytest.raises(SegmentCancelled):
        list(parts_in_step(three_parts(), group.agree, lambda: next(cancelled)))
    assert group.said == [Verdict.PART, Verdict.CANCELLED]


def test_a_rank_that_ends_while_another_has_parts_is_a_desync() -> None:
    group = Group(Verdict.PART, Verdict.PART, Verdict.PART, Verdict.PART)  # the other rank has a 4th part
    with pytest.raises(PeerFailed, match="DONE"):  # this rank ended: it fails too, as the other does
        list(parts_in_step(three_parts(), group.agree, never))


def test_a_consumer_that_stops_early_tells_the_group() -> None:
    group = Group(Verdict.PART, Verdict.PART)
    with contextlib.closing(parts_in_step(three_parts(), group.agree, never)) as steps:
        assert next(steps) == 1
    assert group.said == [Verdict.PART, Verdict.FAILED]  # the other rank stops instead of waiting
