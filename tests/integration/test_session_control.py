"""Rewrite, reset, restart, pause, end project, resume, timeouts and export over a real socket."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
import websockets

from dreamverse.client import Segment, connect
from dreamverse.client.output import write_mp4
from tests.support.media import streams_by_type
from tests.support.server import RunningServer, run_server
from tests.support.wsclient import Client, init, started


async def test_rewrite_replaces_the_rollout_and_restarts_at_the_first_segment(server: RunningServer) -> None:
    client = await started(server.ws, "a fox in the snow", "the fox runs")
    await client.until("ltx2_segment_complete")
    await client.send({"type": "rewrite_seed_prompts", "rewrite_instruction": "make it night time"})
    assert (await client.until("rewrite_seed_prompts_started"))["model"]
    seeds = await client.until("seed_prompts_updated")  # upstream order: started → updated → complete
    assert seeds["reason"] == "rewrite" and seeds["rewrite_instruction"] == "make it night time"
    assert seeds["fallback_used"] is False
    assert client.types()[-2:] == ["rewrite_seed_prompts_started", "seed_prompts_updated"]
    complete = await client.until("rewrite_seed_prompts_complete")
    assert complete["fallback_used"] is False
    await client.until("ltx2_stream_start")
    assert (await client.until("seed_prompts_updated"))["prompts"] == seeds["prompts"]
    assert len(seeds["prompts"]) == 2 and seeds["prompts"] != ["a fox in the snow", "the fox runs"]
    start = await client.until("ltx2_segment_start")
    assert start["segment_idx"] == 1 and start["prompt"] == seeds["prompts"][0]
    await client.close()


async def test_rewrite_from_a_chosen_window_branches(server: RunningServer) -> None:
    client = await started(server.ws, "original one", "original two")
    await client.until("ltx2_segment_complete")
    await client.send({"type": "end_project_keep_session"})
    await client.until("project_idle")
    window = ["an older version: a boat at sea", "the boat reaches an island"]
    await client.send(
        {
            "type": "rewrite_seed_prompts",
            "rewrite_instruction": "add a storm",
            "prompt_window_prompts": window,
        }
    )
    seeds = await client.until("seed_prompts_updated")
    assert len(seeds["prompts"]) == 2 and all("boat" in p or "island" in p for p in seeds["prompts"])
    await client.until("ltx2_segment_complete")
    await client.close()


async def test_end_project_keeps_the_slot_and_restart_generation_starts_again(server: RunningServer) -> None:
    client = await started(server.ws, "clouds drifting")
    await client.until("ltx2_segment_start")
    await client.send({"type": "end_project_keep_session"})
    await client.until("ltx2_stream_complete")
    idle = await client.until("project_idle")
    assert set(idle) >= {"dropped_user_raw_queue", "dropped_user_ready_queue"}
    assert server.get("/status").json()["workers"][0]["current_session"] is not None
    await client.send({"type": "restart_generation"})
    await client.until("ltx2_stream_start")
    assert (await client.until("ltx2_segment_start"))["segment_idx"] == 1
    await client.close()


async def test_reset_to_seed_prompts_restores_the_original_rollout(server: RunningServer) -> None:
    client = await started(server.ws, "a lighthouse at dusk", "waves crash on the rocks")
    await client.until("ltx2_segment_complete")
    await client.send({"type": "rewrite_seed_prompts", "rewrite_instruction": "turn everything blue"})
    await client.until("ltx2_stream_start")
    await client.until("ltx2_segment_complete")
    await client.send({"type": "reset_to_seed_prompts"})
    assert (await client.until("seed_prompts_reset_pending"))["seed_prompt_count"] == 2
    applied = await client.until("seed_prompts_reset_applied")
    assert applied["seed_prompt_count"] == 2
    await client.until("ltx2_stream_start")
    assert (await client.until("seed_prompts_updated"))["prompts"] == [
        "a lighthouse at dusk",
        "waves crash on the rocks",
    ]
    await client.close()


async def test_pause_holds_the_next_segment_until_resumed(server: RunningServer) -> None:
    client = await started(server.ws, "one", "two", "three")
    await client.send({"type": "set_generation_paused", "paused": True})
    await client.until("generation_paused_updated")
    await client.until("ltx2_segment_complete")  # segment 0 (or 1, if already requested) finishes
    with pytest.raises(TimeoutError):
        await client.until("ltx2_segment_start", timeout_s=1.5)
    await client.send({"type": "set_generation_paused", "paused": False})
    await client.until("ltx2_segment_start")
    await client.close()


async def test_auto_extension_continues_past_the_seeds(server: RunningServer) -> None:
    client = await started(server.ws, "a train crosses a bridge", auto_extension_enabled=True)
    await client.until("ltx2_segment_complete")
    source = await client.until("segment_prompt_source")
    assert source["source"] == "auto_llm" and source["segment_idx"] == 2
    await client.close()


async def test_segment_cap_ends_the_stream() -> None:
    with run_server(segment_cap=2) as server:
        server.wait_ready()
        client = await started(server.ws, "a", "b", "c")
        await client.until("ltx2_stream_complete")
        assert client.types().count("ltx2_segment_complete") == 2
        await client.close()


async def test_dropped_socket_resumes_the_same_session(server: RunningServer) -> None:
    client = await started(server.ws, "first", "second", "third")
    ready = client.events[0]
    await client.until("ltx2_segment_complete")
    await client.close()  # the socket drops; the session waits `resume_grace_s` for a resume

    again = await Client.connect(server.ws)
    await again.next_event()  # a fresh session is offered first
    await again.send(
        {"type": "session_resume", "session_id": ready["session_id"], "resume_token": ready["resume_token"]}
    )
    resumed_ready = await again.until("session_ready")
    assert resumed_ready["session_id"] == ready["session_id"]
    assert resumed_ready["resume_token"] != ready["resume_token"]
    resumed = await again.until("session_resumed")
    assert resumed["next_segment_idx"] >= 2 and resumed["prompts"] == ["first", "second", "third"]
    init_event = await again.until("media_init")
    await again.until("ltx2_segment_complete")
    assert init_event["segment_idx"] >= 2 and len(again.media[init_event["segment_idx"]].data) > 0
    await again.close()


async def test_resume_with_a_wrong_token_fails_but_the_socket_can_start_fresh() -> None:
    with run_server(
        resume_grace_s=1
    ) as server:  # the dropped session holds the only slot until its grace ends
        server.wait_ready()
        client = await started(server.ws, "first")
        ready = client.events[0]
        await client.close()
        again = await Client.connect(server.ws)
        await again.next_event()
        resume = {"type": "session_resume", "session_id": ready["session_id"], "resume_token": "wrong"}
        await again.send(resume)
        error = await again.until("error")
        assert (error["code"], error["retryable"]) == ("resume_failed", False)
        await again.send(init("fresh"))
        assert (await again.until("ltx2_segment_start", timeout_s=15))["prompt"] == "fresh"
        await again.close()


async def test_idle_session_is_ended() -> None:
    with run_server(idle_timeout_s=1, segment_cap=1) as server:
        server.wait_ready()
        client = await started(server.ws, "only one")
        await client.until("ltx2_stream_complete")
        error = await client.until("error", timeout_s=10)
        assert error["code"] == "idle_timeout"
        with pytest.raises(websockets.ConnectionClosed):
            await client.next_event()
        await asyncio.sleep(0.2)
        assert server.get("/readyz").json()["workers"]["available"] == 1


async def test_session_time_limit() -> None:
    with run_server(max_session_s=1.5) as server:
        server.wait_ready()
        client = await started(server.ws, "a long session")
        timeout = await client.until("session_timeout", timeout_s=10)
        assert "limit" in timeout["message"]
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await client.next_event()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1000


async def test_export_concatenates_segments_into_one_mp4(server: RunningServer, tmp_path: Path) -> None:
    async with await connect(server.ws) as session:
        await session.start(["one", "two"])
        segments = [await session.until(Segment, timeout_s=30) for _ in range(2)]
    out = tmp_path / "export.mp4"
    assert await write_mp4(segments, out, ws_url=server.ws, token=None, use_server=True) == "server"
    assert int(streams_by_type(out)["video"]["nb_read_frames"]) == 25 + 16
    async with httpx.AsyncClient(base_url=server.http, timeout=30) as http:
        bad = await http.post("/export", content=b"garbage")
    assert bad.status_code == 422 and bad.json()["error_code"] == "invalid_media"


async def test_typed_idea_is_planned_into_a_whole_rollout(server: RunningServer) -> None:
    client = await Client.connect(server.ws)
    await client.next_event()
    await client.send({"type": "session_init_v2", "initial_rollout_prompt": "a paper boat on a river"})
    seeds = await client.until("seed_prompts_updated")
    assert len(seeds["prompts"]) == server.settings.session.segment_cap
    assert len(set(seeds["prompts"])) == len(seeds["prompts"])
    await client.until("ltx2_segment_complete")
    second = await client.until("segment_prompt_source")
    assert (second["segment_idx"], second["source"]) == (2, "curated")
    await client.close()


async def test_resume_takes_over_a_socket_the_server_still_holds(server: RunningServer) -> None:
    old = await started(server.ws, "first", "second", "third")
    ready = old.events[0]
    await old.until("ltx2_segment_complete")
    new = await Client.connect(server.ws)
    await new.next_event()
    await new.send(
        {"type": "session_resume", "session_id": ready["session_id"], "resume_token": ready["resume_token"]}
    )
    assert (await new.until("session_resumed"))["session_id"] == ready["session_id"]
    with pytest.raises(websockets.ConnectionClosed):
        await old.until("never-sent", timeout_s=10)
    start = await new.until("ltx2_segment_start")
    media = await new.until("media_init")
    assert media["segment_idx"] == start["segment_idx"]
    await new.until("ltx2_segment_complete")
    await new.close()
