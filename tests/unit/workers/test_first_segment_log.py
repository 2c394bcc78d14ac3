"""The worker states a shorter first segment's condition at start-up and warns when segment 1 broke it."""

from __future__ import annotations

import logging

import pytest

from dreamverse.generator.base import Geometry
from dreamverse.workers.process import log_first_segment, warn_if_first_segment_stalls

SHORT = Geometry(768, 512, 24, 121, 9, 48000, 2, first_segment_frames=49)  # segment 0 plays 2.04 s
FULL = Geometry(768, 512, 24, 121, 9, 48000, 2)


def test_segment_1_slower_than_segment_0_plays_is_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="dreamverse.workers.process"):
        log_first_segment(SHORT)
        warn_if_first_segment_stalls(SHORT, 1.9)  # in time: 1.9 s < 49 / 24 s
        warn_if_first_segment_stalls(FULL, 9.0)  # no shorter first segment: nothing to say
        log_first_segment(FULL)
        warn_if_first_segment_stalls(SHORT, 2.1)
    records = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert [level for level, _ in records] == ["INFO", "WARNING"]
    assert "segment 0 renders 49 of 121 frames (2.04 s of video)" in records[0][1]
    assert "segment 1 took 2.10 s to render, longer than segment 0's 2.04 s" in records[1][1]
