"""A shorter first segment through the server: the wire, the media, a fork from it and its export.

`--first-segment-frames 17` with 25-frame segments: the rollout's first segment (wire `segment_idx` 1) plays
17 frames, each continuation 16 (25 less the 9 overlap frames), on the procedural generator and on the real
LTX-2 pipeline with tiny random weights.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.test_branches import branch, completes, export, start, tree_after
from tests.support.media import assert_joined, streams_by_type
from tests.support.server import TEST_GEOMETRY, RunningServer, run_server
from tests.support.wsclient import Client

FPS = 24
FIRST, CONTINUATION = 17, 25 - 9
MODELS = {
    "synthetic": {"model": "synthetic", **TEST_GEOMETRY},
    "tiny": {"model": "tiny", "width": 128, "height": 64, "num_frames": 25, "fps": FPS, "dtype": "float32"},
}


@pytest.fixture(params=list(MODELS))
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RunningServer]:
    overrides = {**MODELS[request.param], "segment_cap": 3, "session_store_dir": str(tmp_path / "store")}
    with run_server(first_segment_frames=FIRST, **overrides) as running:
        running.wait_ready(timeout_s=180)
        yield running


def media_complete(client: Client, idx: int) -> dict[str, Any]:
    return next(e for e in client.events if e["type"] == "media_segment_complete" and e["segment_idx"] == idx)


def assert_segment_plays(client: Client, idx: int, frames: int, tmp_path: Path) -> None:
    """The wire's frame count and duration, and the fMP4's own, are `frames` at 24 fps, audio alike."""
    complete = media_complete(client, idx)
    assert complete["frames"] == frames
    assert complete["duration_s"] == pytest.approx(frames / FPS)
    path = tmp_path / f"seg{idx}.mp4"
    path.write_bytes(client.media[idx].data)
    probed = streams_by_type(path)
    assert int(probed["video"]["nb_read_frames"]) == frames
    assert float(probed["video"]["duration"]) == pytest.approx(frames / FPS, abs=0.05)
    assert float(probed["audio"]["duration"]) == pytest.approx(frames / FPS, abs=0.1)


async def test_a_short_first_segment_streams_forks_and_exports(server: RunningServer, tmp_path: Path) -> None:
    client, ready = await start(server, "a lighthouse at dawn", "waves rise", "gulls circle")
    done = await completes(client, 3)
    await client.until("ltx2_stream_complete")
    for idx, frames in ((1, FIRST), (2, CONTINUATION), (3, CONTINUATION)):  # the wire numbers from 1
        assert_segment_plays(client, idx, frames, tmp_path)
    await client.send(
        {"type": "fork_from_segment", "segment_idx": 1, "branch_id": "early", "prompt": "a storm breaks"}
    )
    forked = await completes(client, 2)  # the fork's rollout goes on to the cap: wire segments 2 and 3
    assert [(f["branch_id"], f["segment_idx"]) for f in forked] == [("early", 2), ("early", 3)]
    assert forked[0]["seed"] == done[1]["seed"]  # the segment it replaces, with another prompt
    tree = await tree_after(client, lambda t: len(branch(t, "early")["segments"]) == 2)
    await client.until("ltx2_stream_complete")
    for name in ("b0", "early"):
        assert branch(tree, name)["duration_s"] == pytest.approx((FIRST + 2 * CONTINUATION) / FPS)
    session_id, token = ready["session_id"], ready["resume_token"]
    for name in ("b0", "early"):  # segment 1's 17 frames, then two continuations, joined without a gap
        path = await export(server, session_id, token, name, tmp_path / f"{name}.mp4")
        assert_joined(path, FIRST + 2 * CONTINUATION, FPS)
    await client.send({"type": "leave"})
    await client.close()
