"""Branches over a real socket: fork from a segment, switch back, export each branch, store bound."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.media import assert_joined
from tests.support.server import RunningServer, run_server
from tests.support.wsclient import Client

FPS = 24


async def start(server: RunningServer, *prompts: str) -> tuple[Client, dict[str, Any]]:
    client = await Client.connect(server.ws)
    ready = await client.next_event()
    assert "branches" in ready["capabilities"] and "branch_export" in ready["capabilities"]
    await client.send(
        {"type": "session_init_v2", "curated_prompts": list(prompts), "enhancement_enabled": False}
    )
    return client, ready


async def completes(client: Client, count: int) -> list[dict[str, Any]]:
    return [await client.until("ltx2_segment_complete") for _ in range(count)]


async def tree_after(client: Client, predicate: Any) -> dict[str, Any]:
    while True:
        event = await client.until("branches_updated")
        if predicate(event):
            return event


def branch(tree: dict[str, Any], branch_id: str) -> dict[str, Any]:
    return next(b for b in tree["branches"] if b["branch_id"] == branch_id)


async def export(
    server: RunningServer, session_id: str, token: str, branch_id: str | None, path: Path
) -> Path:
    params = {"resume_token": token} | ({"branch": branch_id} if branch_id else {})
    async with httpx.AsyncClient(base_url=server.http, timeout=60) as http:
        response = await http.get(f"/sessions/{session_id}/export.mp4", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "video/mp4"
    await asyncio.to_thread(path.write_bytes, response.content)
    return path


async def test_fork_switch_back_and_export_both_branches(tmp_path: Path) -> None:
    with run_server(segment_cap=3, session_store_dir=str(tmp_path / "store")) as server:
        server.wait_ready()
        client, ready = await start(server, "a lighthouse at dawn", "waves rise", "gulls circle")
        done = await completes(client, 3)
        assert [d["branch_id"] for d in done] == ["b0"] * 3 and all(isinstance(d["seed"], int) for d in done)
        await client.until("ltx2_stream_complete")
        await client.send(
            {"type": "fork_from_segment", "segment_idx": 2, "branch_id": "storm", "prompt": "a storm breaks"}
        )
        tree = await tree_after(client, lambda t: t["current_branch_id"] == "storm")
        storm = branch(tree, "storm")
        assert (storm["parent_branch_id"], storm["parent_segment_idx"], storm["segments"]) == ("b0", 2, [])
        start_event = await client.until("ltx2_segment_start")
        assert (start_event["segment_idx"], start_event["prompt"]) == (3, "a storm breaks")  # wire: from 1
        forked = (await completes(client, 1))[0]
        assert forked["branch_id"] == "storm" and forked["seed"] == done[2]["seed"]  # same seed, other prompt
        await client.until("ltx2_stream_complete")
        await client.send({"type": "switch_branch", "branch_id": "b0"})
        await client.until("prompt_sources_blocked")  # b0's rollout prompts are used up: it waits for one
        await client.send({"type": "append_prompt", "prompt": "the light returns"})
        start_event = await client.until("ltx2_segment_start")
        assert (start_event["segment_idx"], start_event["prompt"]) == (4, "the light returns")
        again = await completes(client, 1)
        assert again[0]["branch_id"] == "b0" and again[0]["segment_idx"] == 4
        tree = await tree_after(client, lambda t: len(branch(t, "b0")["segments"]) == 4)
        assert tree["current_branch_id"] == "b0"
        assert [s["prompt"] for s in branch(tree, "storm")["segments"]] == ["a storm breaks"]
        assert branch(tree, "storm")["duration_s"] == pytest.approx((25 + 16 + 16) / FPS)
        session_id, token = ready["session_id"], ready["resume_token"]
        original = await export(server, session_id, token, "b0", tmp_path / "b0.mp4")
        assert_joined(original, 25 + 16 * 3, FPS)
        fork = await export(server, session_id, token, "storm", tmp_path / "storm.mp4")
        assert_joined(fork, 25 + 16 + 16, FPS)
        assert (await export(server, session_id, token, None, tmp_path / "current.mp4")).read_bytes() == (
            original.read_bytes()
        )  # no branch: the current one
        await client.send({"type": "leave"})
        await client.close()
        for _ in range(100):  # the session's folder goes with it
            if not (tmp_path / "store" / session_id).exists():
                break
            await asyncio.sleep(0.05)
        assert not (tmp_path / "store" / session_id).exists()


async def test_export_needs_the_resume_token_and_a_known_branch(tmp_path: Path) -> None:
    with run_server(segment_cap=1, auth_token="server-secret") as server:
        server.wait_ready()
        client = await Client.connect(server.ws + "?token=server-secret")
        ready = await client.next_event()
        await client.send(
            {"type": "session_init_v2", "curated_prompts": ["one"], "enhancement_enabled": False}
        )
        await completes(client, 1)
        url = f"/sessions/{ready['session_id']}/export.mp4"
        token = ready["resume_token"]
        auth = {"Authorization": "Bearer server-secret"}
        async with httpx.AsyncClient(base_url=server.http, timeout=60) as http:
            assert (await http.get(url, params={"resume_token": token})).status_code == 401  # no server token
            assert (await http.get(url, params={"resume_token": "wrong"}, headers=auth)).status_code == 404
            assert (await http.get(url, headers=auth)).status_code == 404
            missing = await http.get(url, params={"resume_token": token, "branch": "nope"}, headers=auth)
            assert missing.status_code == 404 and missing.json()["code"] == "unknown_branch"
            ok = await http.get(url, headers={**auth, "X-Resume-Token": token})
            assert ok.status_code == 200 and ok.content[4:8] == b"ftyp"
        await client.close()


async def test_bad_forks_are_typed_errors_and_an_evicted_segment_cannot_be_forked() -> None:
    # segments here are 35-50 kB (fMP4 + saved state): segment 0 is evicted to make room for segment 1
    with run_server(segment_cap=3, session_store_max_bytes=80_000, session_store_memory_bytes=0) as server:
        server.wait_ready()
        client, _ = await start(server, "one", "two", "three")
        await completes(client, 3)
        tree = await tree_after(client, lambda t: len(branch(t, "b0")["segments"]) == 3)
        stored = [s["is_stored"] for s in branch(tree, "b0")["segments"]]
        assert stored[-1] and not stored[0], stored
        await client.send({"type": "fork_from_segment", "segment_idx": 1, "prompt": "again"})
        error = await client.until("error")
        assert (error["code"], error["segment_idx"], error["retryable"]) == ("segment_evicted", 1, False)
        await client.send({"type": "fork_from_segment", "segment_idx": 7})
        assert (await client.until("error"))["code"] == "unknown_segment"
        await client.send({"type": "switch_branch", "branch_id": "elsewhere"})
        assert (await client.until("error"))["code"] == "unknown_branch"
        await client.send(
            {"type": "fork_from_segment", "segment_idx": 2, "prompt": "x", "rewrite_instruction": "y"}
        )
        assert (await client.until("error"))["code"] == "invalid_message"
        await client.close()


async def test_a_fork_with_the_original_prompt_replays_the_original_segment() -> None:
    with run_server(segment_cap=3) as server:
        server.wait_ready()
        client, _ = await start(server, "a lighthouse at dawn", "waves rise", "gulls circle")
        done = await completes(client, 3)
        original = client.media[3].data  # keyed by the wire's segment_idx, from 1
        await client.send({"type": "fork_from_segment", "segment_idx": 2, "prompt": "gulls circle"})
        replayed = (await completes(client, 1))[0]
        assert (replayed["segment_idx"], replayed["branch_id"]) == (3, "b1")
        assert replayed["seed"] == done[2]["seed"]
        assert client.media[3].data == original  # the same state, seed and prompt: the same bytes
        await client.close()


async def test_switching_back_to_a_branch_at_its_cap_renders_one_more_segment_and_completes() -> None:
    """What the branches e2e spec relies on: a branch that reached the segment cap gets exactly one more
    segment when switched back to (auto-extension writes its prompt), then the rollout completes."""
    with run_server(segment_cap=3) as server:
        server.wait_ready()
        client = await Client.connect(server.ws)
        await client.next_event()
        await client.send(
            {
                "type": "session_init_v2",
                "curated_prompts": ["a lighthouse at dawn", "waves rise", "gulls circle"],
                "enhancement_enabled": False,
                "auto_extension_enabled": True,
            }
        )
        await completes(client, 3)
        await client.until("ltx2_stream_complete")
        await client.send({"type": "fork_from_segment", "segment_idx": 2, "prompt": "a storm breaks"})
        await completes(client, 1)
        await client.until("ltx2_stream_complete")
        await client.send({"type": "switch_branch", "branch_id": "b0"})
        start_event = await client.until("ltx2_stream_start")
        assert start_event["generation_segment_cap"] == 4  # the branch's 3 segments and one more
        seen: list[dict[str, Any]] = []
        while (event := await client.next_event())["type"] != "ltx2_stream_complete":
            seen.append(event)
        done = [(e["segment_idx"], e["branch_id"]) for e in seen if e["type"] == "ltx2_segment_complete"]
        assert done == [(4, "b0")]
        assert not [e for e in seen if e["type"] == "prompt_sources_blocked"]  # nobody had to type one
        tree = [e for e in seen if e["type"] == "branches_updated"][-1]
        assert len(branch(tree, "b0")["segments"]) == 4 and len(branch(tree, "b1")["segments"]) == 1
        await client.close()
