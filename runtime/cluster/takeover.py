"""Sessions that survive their replica: snapshots written as they go, taken over by whichever replica the
client reconnects to, handed off by a replica that is still alive but lost them.

    session attaches / starts a rollout / gets a slot   → snapshot now (a new resume token, a new slot)
    a segment is delivered                              → snapshot once the socket was handed all of it,
                                                          with the new continuation state (written once)
    a client resumes a session this replica lacks       → `take_over`: claim it with the token, restore it
    another replica claimed a session still held here   → `hand_off` (the watch loop notices)

A snapshot counts a segment as delivered only once the socket writer has handed its last event to the
kernel (which still sends it after a `kill -9`), so a takeover renders again exactly the first segment
the client has not had whole: nothing is skipped, nothing the client completed is sent twice. Snapshots of
one session are written in the order they were captured (an older capture never overwrites a newer one).
A continuation state (up to ~10 MB) goes to Redis once: later snapshots that go on from the same state (the
same bytes object the rollout holds) name it by its id and send only the small hash. A replica that took
a session over writes the state it restored once more, under an id of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from dataclasses import dataclass, field

from dreamverse.runtime.cluster.calls import redis_call
from dreamverse.runtime.cluster.queue import RedisSlotQueue
from dreamverse.runtime.cluster.snapshots import SessionSnapshot, SnapshotStore, token_digest
from dreamverse.runtime.errors import CoordinatorUnavailable
from dreamverse.runtime.protocol.codes import CloseCode
from dreamverse.runtime.session.attachment import Attachment
from dreamverse.runtime.session.checkpoint import Captured, SessionCheckpoint, capture
from dreamverse.runtime.session.session import Session
from dreamverse.workers.remote.lease import RemoteLease

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TakeoverConfig:
    replica_id: str  # the owner this replica writes into snapshots
    max_bytes: int  # largest snapshot (JSON and continuation state); a larger one is not kept
    timeout_s: float  # every Redis call
    watch_interval_s: float  # how often this replica checks that its sessions are still its own


@dataclass(slots=True)
class _Writes:
    """Orders one session's snapshot writes."""

    captured: int = 0
    saved: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    continuation: bytes | None = None  # the last captured continuation state …
    continuation_id: str | None = None  # … and the id it goes by
    stored_id: str | None = None  # the continuation state Redis holds for this session


class Takeovers:
    """The `Checkpointer` of every session of a replica in scale-out, and the takeover of others'."""

    def __init__(
        self, store: SnapshotStore, queue: RedisSlotQueue, config: TakeoverConfig, tg: asyncio.TaskGroup
    ) -> None:
        self._tg = tg  # the app's: a write outlives neither the app nor, in effect, its session
        self._store = store
        self._queue = queue
        self._config = config
        self._writes: dict[str, _Writes] = {}

    # --- Checkpointer ---------------------------------------------------------------------------

    def save(self, session: Session, *, when_written: bool) -> None:
        """Snapshot the session as it is now; with `when_written`, once its socket was handed everything
        queued so far (a segment counts as delivered then)."""
        if session.handed_off or (session.rollout is None and session.restored is None):
            return  # nothing to go on with yet: a takeover would find nothing to continue
        writes = self._writes.setdefault(session.id, _Writes())
        writes.captured += 1
        snapshot = self._snapshot(session, writes)
        socket = session.attachment if when_written else None
        self._tg.create_task(self._write(session, writes, writes.captured, snapshot, socket))

    async def session_ended(self, session: Session) -> None:
        writes = self._writes.pop(session.id, None)
        if writes is None or session.handed_off or session.close_code is CloseCode.GOING_AWAY:
            return  # none written, another replica's now, or this one stops: a client may resume elsewhere
        async with writes.lock:  # after a write in flight (later ones see the session closed)
            with contextlib.suppress(CoordinatorUnavailable):  # it expires on its own
                async with redis_call("delete a snapshot", self._config.timeout_s):
                    await self._store.delete(session.id)

    def _snapshot(self, session: Session, writes: _Writes) -> SessionSnapshot:
        captured = capture(session)
        if captured.continuation is not writes.continuation:  # a new state: delivered, forked, restored
            writes.continuation = captured.continuation
            writes.continuation_id = secrets.token_hex(8) if captured.continuation is not None else None
        lease = session.lease
        rollout = session.rollout
        return SessionSnapshot(
            session_id=session.id,
            owner=self._config.replica_id,
            token_sha256=token_digest(session.resume_token),
            slot=lease.slot if isinstance(lease, RemoteLease) else None,
            stream_id=rollout.stream_id if rollout is not None and lease is not None else None,
            next_segment=captured.next_segment,
            state=captured.checkpoint.model_dump(mode="json"),
            continuation_id=writes.continuation_id,
            continuation=captured.continuation,
        )

    async def _write(
        self,
        session: Session,
        writes: _Writes,
        version: int,
        snapshot: SessionSnapshot,
        socket: Attachment | None,
    ) -> None:
        if socket is not None and not await socket.written():
            return  # the socket went before it had everything: nothing new was delivered
        async with writes.lock:
            if version <= writes.saved or session.closed.is_set():
                return  # a newer capture was written already, or the session ended meanwhile
            writes.saved = version
            try:
                is_ours = await self._save(snapshot, writes)
            except CoordinatorUnavailable as exc:
                logger.warning("session %s: %s", session.id, exc)  # the next write catches up
                return
        if not is_ours:
            await self._hand_off(session)

    async def _save(self, snapshot: SessionSnapshot, writes: _Writes) -> bool:
        size = len(snapshot.model_dump_json()) + len(snapshot.continuation or b"")
        async with redis_call("write a session snapshot", self._config.timeout_s):
            if size <= self._config.max_bytes:
                is_stored = (
                    snapshot.continuation_id is not None and snapshot.continuation_id == writes.stored_id
                )
                is_ours = await self._store.save(snapshot, is_continuation_stored=is_stored)
                writes.stored_id = snapshot.continuation_id if is_ours else None
                return is_ours
            writes.stored_id = None
            # an older snapshot would resume at the wrong segment: none is better
            logger.warning(
                "session %s: a snapshot of %d bytes is over the %d-byte bound; not kept",
                snapshot.session_id,
                size,
                self._config.max_bytes,
            )
            await self._store.delete(snapshot.session_id)
            return True

    # --- taking sessions over -------------------------------------------------------------------

    async def take_over(self, session_id: str, token: str) -> Captured:
        """Claim a session another replica served (`ResumeFailed` if the token or the session is wrong);
        its slot, if it still holds one, is adopted by its next `acquire`."""
        placeholder = secrets.token_urlsafe(24)  # spends the old token; the session saves its own soon
        async with redis_call("take a session over", self._config.timeout_s):
            snapshot = await self._store.take_over(session_id, token, self._config.replica_id, placeholder)
        if snapshot.slot is not None:
            self._queue.expect_adoption(session_id, snapshot.slot, snapshot.stream_id)
        checkpoint = SessionCheckpoint.model_validate(snapshot.state)
        logger.info("session %s taken over at segment %d", session_id, snapshot.next_segment)
        return Captured(checkpoint, snapshot.continuation, snapshot.next_segment)

    async def watch(self, sessions: dict[str, Session]) -> None:
        """Hand off the sessions another replica took over (a client that resumed elsewhere)."""
        while True:
            await asyncio.sleep(self._config.watch_interval_s)
            ids = [sid for sid in sessions if sid in self._writes]
            if not ids:
                continue
            try:
                async with redis_call("check session owners", self._config.timeout_s):
                    owners = await self._store.owners(ids)
            except CoordinatorUnavailable as exc:
                logger.warning("%s", exc)
                continue
            for sid, owner in owners.items():
                session = sessions.get(sid)
                if session is not None and owner is not None and owner != self._config.replica_id:
                    await self._hand_off(session)

    async def _hand_off(self, session: Session) -> None:
        if session.handed_off:
            return
        logger.info("session %s was taken over by another replica; handing it off", session.id)
        lease = await session.hand_off()
        if lease is not None:
            self._queue.forget(lease)
