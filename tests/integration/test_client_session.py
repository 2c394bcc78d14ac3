"""`dreamverse.client` against a real `dreamverse-mock-server` process: resume, typed errors, retries."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dreamverse.client import (
    QueueFull,
    RetryPolicy,
    SafetyRejected,
    Segment,
    Session,
    connect,
    connect_sync,
)
from dreamverse.runtime.errors import Unauthorized
from dreamverse.runtime.protocol import server as s
from tests.support.media import streams_by_type
from tests.support.mock_server import MockServer, run_mock_server
from tests.support.server import TEST_GEOMETRY
from tests.support.tcp_proxy import tcp_proxy

BLOCKED = "explicit hardcore porn with naked bodies"  # the safety model's known positive (test_bad_input.py)
TOKEN = "s3cret"
OVERLAP_FRAMES = 9  # continuations trim 9 frames of overlap


@pytest.fixture(scope="module")
def full_server() -> Iterator[MockServer]:
    """One slot, no queue, and a token: every second session gets `queue_full`."""
    with run_mock_server("--queue-cap=0", f"--auth-token={TOKEN}") as server:
        yield server


def expected_frames(position: int) -> int:
    return TEST_GEOMETRY["num_frames"] - (OVERLAP_FRAMES if position else 0)


def decoded_frames(segment: Segment, tmp_path: Path) -> int:
    path = tmp_path / f"{segment.stream_id}-{segment.segment_idx}.mp4"
    path.write_bytes(segment.data)
    return int(streams_by_type(path)["video"]["nb_read_frames"])


async def test_a_killed_socket_resumes_with_no_gap_and_no_duplicate(
    mock_server: MockServer, tmp_path: Path
) -> None:
    segments, resumed, session, proxy_connections = await drive_through_a_cut(mock_server)
    assert session.resumes == 1 and proxy_connections == 2
    # The queue keeps the pump's order: the segments before the resume event were whole before the cut.
    ((before_resume, event),) = resumed
    assert 1 <= before_resume < len(segments)  # mid-stream
    assert event.next_segment_idx == segments[before_resume].segment_idx  # the partial one, whole again
    first = segments[0].segment_idx
    assert [seg.segment_idx for seg in segments] == list(range(first, first + 4))
    assert [seg.prompt for seg in segments] == ["one", "two", "three", "four"]
    for position, segment in enumerate(segments):
        assert await asyncio.to_thread(decoded_frames, segment, tmp_path) == expected_frames(position)


async def drive_through_a_cut(
    server: MockServer,
) -> tuple[list[Segment], list[tuple[int, s.SessionResumed]], Session, int]:
    async with tcp_proxy(server.port) as proxy:
        session = await connect(proxy.ws, retry=RetryPolicy(initial_s=0.05))
        await session.start(["one", "two", "three", "four"])
        segments: list[Segment] = []
        resumed: list[tuple[int, s.SessionResumed]] = []  # (segments complete before it, the event)
        media_inits = 0
        async with asyncio.timeout(60):
            async for item in session.events():
                media_inits += isinstance(item, s.MediaInit)
                if isinstance(item, s.MediaInit) and media_inits == 2:
                    proxy.cut()  # mid-stream: the second segment has begun (the pump may be a little ahead)
                elif isinstance(item, s.SessionResumed):
                    resumed.append((len(segments), item))
                elif isinstance(item, Segment):
                    segments.append(item)
                elif isinstance(item, s.Ltx2StreamComplete):
                    break
        await session.leave()
        assert media_inits > 2
        return segments, resumed, session, proxy.connections


async def test_a_blocked_first_prompt_raises_safety_rejected(mock_server: MockServer) -> None:
    session = await connect(mock_server.ws)
    with pytest.raises(SafetyRejected) as raised:
        await session.start([BLOCKED])
    assert raised.value.category == "sexual" and raised.value.retryable is False
    with pytest.raises(SafetyRejected):  # the stream ends with the same error
        async for _ in session.events():
            pass
    await session.close()


async def test_a_blocked_appended_prompt_raises_and_the_session_goes_on(mock_server: MockServer) -> None:
    async with await connect(mock_server.ws) as session:
        await session.start(["a calm lake"])
        await session.until(s.PromptSourcesBlocked, timeout_s=30)
        with pytest.raises(SafetyRejected) as raised:
            await session.append(BLOCKED, prompt_id="bad")
        assert raised.value.prompt_id == "bad"
        ready = await session.append("a swan glides across the lake")
        assert ready.prompt == "a swan glides across the lake"
        second = await session.until(Segment, timeout_s=30)
        second = await session.until(Segment, timeout_s=30) if second.prompt == "a calm lake" else second
        assert second.prompt == "a swan glides across the lake"


async def test_queue_full_is_retried_with_backoff_until_a_slot_frees(full_server: MockServer) -> None:
    holder = await connect(full_server.ws, token=TOKEN)
    await holder.start(["holds the only slot"])
    retry = RetryPolicy(attempts=20, initial_s=0.3, max_s=0.3, jitter=0.0)
    waiter = await connect(full_server.ws, token=TOKEN, retry=retry)
    starting = asyncio.create_task(waiter.start(["gets it later"]))
    rejections: list[float] = []
    async with asyncio.timeout(30):
        while len(rejections) < 3:
            error = await waiter.until(s.Error)
            assert (error.code, error.retryable) == ("queue_full", True)
            rejections.append(time.monotonic())
    assert not starting.done()
    gaps = [later - earlier for earlier, later in itertools.pairwise(rejections)]
    assert min(gaps) >= 0.3  # each retry waited its backoff delay
    await holder.leave()
    assigned = await asyncio.wait_for(starting, 30)
    assert assigned.gpu_id == 0
    segment = await waiter.until(Segment, timeout_s=30)
    assert segment.prompt == "gets it later"
    await waiter.leave()


async def test_queue_full_raises_when_the_retries_run_out(full_server: MockServer) -> None:
    holder = await connect(full_server.ws, token=TOKEN)
    await holder.start(["holds the only slot"])
    waiter = await connect(full_server.ws, token=TOKEN, retry=RetryPolicy(attempts=2, initial_s=0.05))
    with pytest.raises(QueueFull):
        await waiter.start(["never gets it"])
    await waiter.close()
    await holder.leave()


async def test_the_token_is_sent_and_a_wrong_one_is_refused(full_server: MockServer) -> None:
    with pytest.raises(Unauthorized):
        await connect(full_server.ws, token="wrong")
    async with await connect(full_server.ws, token=TOKEN) as session:
        assert session.ready.session_id


def test_the_sync_session_steers_a_rollout(mock_server: MockServer) -> None:
    with connect_sync(mock_server.ws) as session:
        session.start(["a red kite over a hill", "the kite dives"])
        session.pause()
        first = session.until(Segment, timeout_s=30)
        assert first.prompt == "a red kite over a hill"
        session.resume()
        updated = session.rewrite("make it night")
        assert len(updated.prompts) == 2 and updated.prompts != ["a red kite over a hill", "the kite dives"]
        rewritten = session.until(Segment, timeout_s=30)
        while rewritten.stream_id == first.stream_id:  # a segment of the old rollout may still finish
            rewritten = session.until(Segment, timeout_s=30)
        assert rewritten.prompt == updated.prompts[0]
        tree = session.fork(first.segment_idx, "a branch from the first segment")
        branch = next(b for b in tree.branches if b.branch_id == tree.current_branch_id)
        assert branch.parent_segment_idx == first.segment_idx
        forked = session.until(Segment, timeout_s=30)
        while forked.prompt != "a branch from the first segment":  # the old rollout may still finish one
            forked = session.until(Segment, timeout_s=30)
        assert forked.segment_idx == first.segment_idx + 1
        session.leave()
