"""A real client over loopback drives a rollout; the fMP4 of every segment is checked with ffprobe."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.media import streams_by_type
from tests.support.server import TEST_GEOMETRY, RunningServer, run_server
from tests.support.wsclient import Client

# The same tests run on the procedural generator and on the real LTX-2 pipeline with tiny random weights.
MODELS = {
    "synthetic": {"model": "synthetic", **TEST_GEOMETRY},
    "tiny": {"model": "tiny", "width": 128, "height": 64, "num_frames": 25, "fps": 24, "dtype": "float32"},
}


@pytest.fixture(params=list(MODELS))
def server(request: pytest.FixtureRequest) -> Iterator[RunningServer]:
    with run_server(**MODELS[request.param]) as running:
        running.wait_ready(timeout_s=180)
        yield running


OVERLAP_FRAMES = 9  # synthetic and LTX-2 both trim 9 frames of overlap from continuations
SEGMENT_ORDER = [
    "segment_prompt_source",
    "ltx2_segment_start",
    "media_init",
    "media_segment_complete",
    "step_complete",
    "ltx2_segment_complete",
]


def probe(data: bytes, tmp_path: Path, name: str) -> dict[str, Any]:
    path = tmp_path / name
    path.write_bytes(data)
    return streams_by_type(path)


def init_message(prompts: list[str]) -> dict[str, object]:
    return {
        "type": "session_init_v2",
        "preset_id": "test",
        "preset_label": "Test",
        "curated_prompts": prompts,
        "enhancement_enabled": False,
    }


def assert_segment_media(client: Client, idx: int, tmp_path: Path, geometry: Any) -> None:
    """`idx` is the wire's `segment_idx`: 1 is a rollout's first segment, the one without carried frames."""
    media = client.media[idx]
    streams = probe(media.data, tmp_path, f"seg{idx}.mp4")
    frames = geometry.num_frames - (OVERLAP_FRAMES if idx > 1 else 0)
    video, audio = streams["video"], streams["audio"]
    assert video["codec_name"] == "h264"
    assert audio["codec_name"] == "aac"
    assert (video["width"], video["height"]) == (geometry.width, geometry.height)
    assert int(video["nb_read_frames"]) == frames
    assert abs(float(video["duration"]) - frames / geometry.fps) < 0.05
    assert abs(float(audio["duration"]) - frames / geometry.fps) < 0.1
    # the announced codec string is the stream's real profile and level
    profile_hex = {"Constrained Baseline": "42", "Baseline": "42", "Main": "4d", "High": "64"}[
        video["profile"]
    ]
    assert f"avc1.{profile_hex}" in media.mime.lower()
    assert media.mime.lower().endswith(f'{int(video["level"]):02x},mp4a.40.2"')


async def test_rollout_streams_segments_in_upstream_order(server: RunningServer, tmp_path: Path) -> None:
    client = await Client.connect(server.ws)
    ready = await client.next_event()
    assert ready["type"] == "session_ready"
    assert ready["protocol_version"] == 1 and ready["session_id"] and ready["resume_token"]
    await client.send(init_message(["a lighthouse in a storm", "the storm clears at dawn"]))
    await client.until("ltx2_segment_complete")
    await client.until("ltx2_segment_complete")
    await client.until("branches_updated")  # ours, after each segment: the tree with it
    ours = ["branches_updated"]  # old clients ignore it; the upstream order around it is unchanged
    types = [t for t in client.types() if t not in ours]
    head = ["session_ready", "queue_status", "gpu_assigned", "ltx2_stream_start", "seed_prompts_updated"]
    assert types[:5] == head
    assert types[5:] == SEGMENT_ORDER * 2
    assert client.types()[5] == "branches_updated"  # the rollout's new branch, after the upstream opening
    assert [t for t in client.types()[6:] if t in [*ours, "ltx2_segment_complete"]] == [
        "ltx2_segment_complete",
        "branches_updated",
    ] * 2
    starts = [e for e in client.events if e["type"] == "ltx2_segment_start"]
    assert [s["prompt"] for s in starts] == ["a lighthouse in a storm", "the storm clears at dawn"]
    assert [s["source"] for s in starts] == ["curated", "curated"]
    assert client.events[1]["position"] == 0
    for idx in (1, 2):  # upstream numbers segments from 1
        assert_segment_media(client, idx, tmp_path, server.settings.model)
        complete = next(
            e for e in client.events if e["type"] == "media_segment_complete" and e["segment_idx"] == idx
        )
        assert complete["chunks"] == len(client.media[idx].chunks)
    await client.close()


async def test_append_prompt_sets_next_segment_and_new_project_restarts(
    server: RunningServer, tmp_path: Path
) -> None:
    client = await Client.connect(server.ws)
    await client.next_event()
    await client.send(init_message(["a quiet forest"]))
    await client.until("ltx2_segment_complete")
    blocked = await client.until("prompt_sources_blocked")  # the seeds ran out: the rollout waits
    assert blocked["segment_idx"] == 2
    await client.send(
        {"type": "append_prompt", "prompt": "a deer steps into the clearing", "prompt_id": "u1"}
    )
    received = await client.until("prompt_received")
    assert received["prompt_id"] == "u1"
    ready = await client.until("prompt_ready")
    assert ready["source"] == "user_raw"
    source = await client.until("segment_prompt_source")
    assert (source["segment_idx"], source["source"], source["prompt_id"]) == (2, "user_raw", "u1")
    start = await client.until("ltx2_segment_start")
    assert start["prompt"] == "a deer steps into the clearing"
    await client.until("ltx2_segment_complete")
    assert_segment_media(client, 2, tmp_path, server.settings.model)

    await client.send({**init_message(["a new project: city lights"]), "type": "project_init_v1"})
    stream_start = await client.until("ltx2_stream_start")
    assert stream_start["total_segments"] == server.settings.session.segment_cap
    seeds = await client.until("seed_prompts_updated")
    assert seeds["prompts"] == ["a new project: city lights"]
    start = await client.until("ltx2_segment_start")
    assert (start["segment_idx"], start["prompt"]) == (1, "a new project: city lights")
    await client.until("ltx2_segment_complete")
    await client.close()


async def test_toggles_are_echoed(server: RunningServer) -> None:
    client = await Client.connect(server.ws)
    await client.next_event()
    await client.send(init_message(["waves on a beach"]))
    await client.until("gpu_assigned")
    cases = [
        ({"type": "set_enhancement", "enabled": False}, "enhancement_updated", {"enabled": False}),
        ({"type": "set_auto_extension", "enabled": True}, "auto_extension_updated", {"enabled": True}),
        ({"type": "set_loop_generation", "enabled": True}, "loop_generation_updated", {"enabled": True}),
        ({"type": "set_generation_paused", "paused": True}, "generation_paused_updated", {"paused": True}),
        (
            {"type": "set_rewrite_model", "rewrite_model": "m"},
            "rewrite_model_updated",
            {"rewrite_model": "m"},
        ),
        (
            {"type": "set_rewrite_temperature", "rewrite_temperature": 7},
            "rewrite_temperature_updated",
            {"rewrite_temperature": 2.0},
        ),
    ]
    for message, echo, fields in cases:
        await client.send(message)
        event = await client.until(echo)
        assert {k: event[k] for k in fields} == fields
    await client.close()
