"""Every rank of a GPU group walks a segment's parts in step: after each part the ranks agree to go on.

    with contextlib.closing(parts_in_step(generator.render_segment(...), agree, is_cancelled)) as parts:
        for part in parts: ...

Under sequence parallelism every rank must call the generator the same number of times (its collectives
pair up across ranks), so no rank may stop alone: one whose client cancelled, whose generator raised or
whose consumer gave up tells the others through `agree` (in a group an all-reduce of every rank's
`Verdict`, combined by `group_verdict`; the identity for a single-GPU worker, which then behaves exactly as
it would without this module).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from enum import IntEnum
from typing import TypeVar

T = TypeVar("T")


class Verdict(IntEnum):
    """What one rank has after asking its generator for the next part; the group goes by the largest."""

    PART = 0  # a part: go on
    DONE = 1  # the segment ended
    CANCELLED = 2  # rank 0's client cancelled the stream
    FAILED = 3  # the generator (or the part's consumer) raised


Agree = Callable[[Verdict], Verdict]


class SegmentCancelled(Exception):
    """The group stopped the segment because the stream was cancelled."""


class PeerFailed(Exception):
    """Another rank of the group failed the segment (or ended it at a different part: a desync)."""


def group_verdict(highest: Verdict, lowest: Verdict) -> Verdict:
    """What the group does given the largest and smallest of its ranks' verdicts: the largest, except that
    a rank that ended while another still had a part is a desync, which fails the segment on every rank."""
    if highest is Verdict.DONE and lowest is Verdict.PART:
        return Verdict.FAILED
    return highest


def solo(verdict: Verdict) -> Verdict:
    """`agree` of a worker without a group: its own verdict."""
    return verdict


def parts_in_step(
    parts: Iterator[T], agree: Agree, is_cancelled: Callable[[], bool]
) -> Generator[T, None, None]:
    """Yield `parts` while every rank has one; raise this rank's own error, `PeerFailed` or
    `SegmentCancelled` when the group stops early. Close it (`contextlib.closing`) so that a consumer that
    stops iterating tells the other ranks instead of leaving them waiting in `agree`."""
    while True:
        part: T | None = None
        error: Exception | None = None
        try:
            part, verdict = next(parts), Verdict.PART
        except StopIteration:
            verdict = Verdict.DONE
        except Exception as exc:
            verdict, error = Verdict.FAILED, exc
        if verdict is Verdict.PART and is_cancelled():
            verdict = Verdict.CANCELLED
        agreed = agree(verdict)
        if agreed is Verdict.PART:
            try:
                yield part  # type: ignore[misc]  # set whenever the verdict is PART
            except GeneratorExit:
                agree(Verdict.FAILED)  # the consumer stopped: the other ranks stop at this part too
                _close(parts)
                raise
            continue
        _close(parts)
        if error is not None:
            raise error
        if agreed is Verdict.CANCELLED:
            raise SegmentCancelled
        if agreed is Verdict.FAILED:
            raise PeerFailed(
                f"another rank of the group failed the segment (or ended it early) at {verdict.name}"
            )
        return


def _close(parts: Iterator[object]) -> None:
    close = getattr(parts, "close", None)
    if close is not None:
        close()
