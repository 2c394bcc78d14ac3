"""The soak's verdict: a leak (RSS growing with the session count) fails it, a levelling-off passes."""

from __future__ import annotations

from benchmarks.soak import RSS_SLOPE_BOUND_MB_PER_100, Sample, SoakResult


def _result(rss_mb: list[float], fds: list[int] | None = None) -> SoakResult:
    """Checkpoints after 100 warm-up sessions, then every 50."""
    result = SoakResult(sessions=100 + 50 * (len(rss_mb) - 1), behaviours={}, seconds=0.0, warmup=100)
    for i, rss in enumerate(rss_mb):
        fd = fds[i] if fds else 18
        result.checkpoints.append(Sample(float(i), 100 + 50 * i, rss, fd, 4, 300.0, 14, 3))
    return result


def test_rss_that_levels_off_is_flat() -> None:
    # Like glibc keeping freed pages: +3 MB early, then within noise.
    verdict = _result([90.0, 92.0, 93.0, 93.1, 93.0, 93.2, 93.1, 93.1, 93.2]).verdict()
    assert verdict["flat"], verdict
    assert verdict["checkpoints_in_second_half"] == 5  # sessions 300…500 of 100…500


def test_rss_growing_with_sessions_is_not_flat() -> None:
    per_checkpoint_mb = RSS_SLOPE_BOUND_MB_PER_100  # every 50 sessions: twice the bound per 100
    verdict = _result([90.0 + per_checkpoint_mb * i for i in range(9)]).verdict()
    assert not verdict["flat"], verdict
    assert verdict["runtime_rss_slope_mb_per_100_sessions"] == 2 * RSS_SLOPE_BOUND_MB_PER_100


def test_descriptors_that_keep_rising_are_not_flat() -> None:
    verdict = _result([90.0] * 9, fds=[18, 18, 18, 18, 18, 19, 20, 21, 22]).verdict()
    assert not verdict["flat"] and verdict["fds_spread"] == 4, verdict
