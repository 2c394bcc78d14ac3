"""What a replica writes to Redis for a session's snapshots, seen by `redis-cli monitor` on a real
redis-server (one `dreamverse-server --redis` replica, one synthetic agent): the continuation state goes out
once per delivered segment, into its own key; the snapshot writes around it (slot, rollout start, a socket
that resumes the session) stay small."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from redis.asyncio import Redis

from tests.integration.cluster.test_cluster_agent import AGENT_TTL_S, KEYS, agent
from tests.support.processes import stop
from tests.support.redis import RedisProcess, redis_server
from tests.support.replica import replica_process
from tests.support.wsclient import Client, started

PROMPTS = [f"a harbour at night, shot {i}" for i in range(4)]
SMALL_BYTES = 4096  # a snapshot besides its state: prompts, options, a 4-segment tree (~2 kB as printed)
ARG = re.compile(r'"((?:[^"\\]|\\.)*)"')  # one argument as MONITOR prints it (binary bytes escaped)


@contextmanager
def monitor(redis_proc: RedisProcess, out: Path) -> Iterator[None]:
    """Every command Redis runs meanwhile, one line each in `out` (those a script runs marked `lua`)."""
    args = ["redis-cli", "-p", str(redis_proc.port), "monitor"]
    with out.open("wb") as sink:
        proc = subprocess.Popen(args, stdout=sink, stdin=subprocess.DEVNULL)
        try:
            yield
        finally:
            stop(proc)


async def snapshot_through(redis_proc: RedisProcess, session_id: str, next_segment: int) -> None:
    """Until the session's snapshot counts `next_segment` segments delivered."""
    redis = Redis.from_url(redis_proc.url)
    try:
        async with asyncio.timeout(30):
            while True:
                raw = await redis.hget(KEYS.snapshot(session_id), "json")
                if raw is not None and json.loads(raw)["next_segment"] == next_segment:
                    return
                await asyncio.sleep(0.05)
    finally:
        await redis.aclose()


async def test_the_continuation_state_is_written_once_per_delivered_segment(tmp_path: Path) -> None:
    with redis_server() as redis_proc, agent(redis_proc.url, "agent-a", latency_ms=400):  # segments apart
        flags = {"agent_ttl_s": AGENT_TTL_S, "segment_cap": len(PROMPTS)}
        with replica_process(redis_proc.url, KEYS.prefix, **flags) as replica:
            replica.wait_ready(timeout_s=90)
            with monitor(redis_proc, tmp_path / "monitor.txt"):
                client = await started(replica.ws, *PROMPTS, seed=7)
                ready = client.events[0]
                session_id = ready["session_id"]
                await snapshot_through(redis_proc, session_id, 2)
                await client.close()  # the socket drops; a new one resumes: the same state, a new token
                client = await Client.connect(replica.ws)
                await client.next_event()
                await client.send(
                    {
                        "type": "session_resume",
                        "session_id": session_id,
                        "resume_token": ready["resume_token"],
                    }
                )
                await client.until("ltx2_stream_complete", timeout_s=120)
                await snapshot_through(redis_proc, session_id, len(PROMPTS))  # the last delivery's
                await client.close()
    lines = [ARG.findall(line) for line in (tmp_path / "monitor.txt").read_text().splitlines()]

    snapshot_key, state_key = KEYS.snapshot(session_id), KEYS.snapshot_continuation(session_id)
    # the scripts the replica sends (EVALSHA …) carry what it writes; the commands they run show as lines too
    writes = ["".join(args) for args in lines if args[:1] == ["EVALSHA"] and snapshot_key in args]
    states = [args[2] for args in lines if args[:2] == ["SET", state_key]]
    for write in writes:
        rest = write
        for state in states:
            rest = rest.replace(state, "")
        assert len(rest) < SMALL_BYTES, f"a snapshot write of {len(rest)} characters besides its state"
    assert len(states) == len(PROMPTS) and len(set(states)) == len(states)  # once per delivered segment
    carrying = [w for w in writes if any(state in w for state in states)]
    assert len(carrying) == len(states)  # each state crossed the network once
    assert len(writes) > len(carrying) + 2  # the others (slot, rollout start, resume) went without it
