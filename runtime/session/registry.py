"""All live sessions: creates them, runs each in the app's task group, finds them again for a resume.

In scale-out (`takeovers` set) a resume for a session this replica does not hold takes it over from the
replica that served it (see `runtime.cluster.takeover`).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import TYPE_CHECKING

from dreamverse.runtime.capacity import Slots
from dreamverse.runtime.errors import ResumeFailed
from dreamverse.runtime.protocol.codes import CloseCode
from dreamverse.runtime.session.checkpoint import restore
from dreamverse.runtime.session.services import SessionServices
from dreamverse.runtime.session.session import Session
from dreamverse.runtime.session.state import Phase
from dreamverse.runtime.settings import Settings

if TYPE_CHECKING:
    from dreamverse.runtime.cluster.takeover import Takeovers

logger = logging.getLogger(__name__)


class SessionRegistry:
    def __init__(
        self,
        settings: Settings,
        slots: Slots,
        services: SessionServices,
        tg: asyncio.TaskGroup,
        version: str,
        takeovers: Takeovers | None = None,
    ) -> None:
        self.settings = settings
        self.version = version
        self.slots = slots
        self.services = services
        self.sessions: dict[str, Session] = {}
        self._tg = tg
        self.takeovers = takeovers
        self.started_total = 0
        slots.on_waiting.append(self._offer_slots)

    def create(self, session_id: str | None = None) -> Session:
        session = Session(
            self.settings, self.slots, self.services, session_id=session_id, checkpointer=self.takeovers
        )
        self.sessions[session.id] = session
        self.started_total += 1
        self._tg.create_task(self._run(session), name=f"session-{session.id}")
        return session

    async def _run(self, session: Session) -> None:
        try:
            await session.run()
        finally:
            if self.sessions.get(session.id) is session:  # not one taken back over under the same id
                del self.sessions[session.id]

    async def resume(self, session_id: str, token: str) -> Session:
        session = self.sessions.get(session_id)
        if (session is None or session.handed_off) and self.takeovers is not None:
            return await self._take_over(session_id, token)
        if session is None or session.closed.is_set():
            raise ResumeFailed("that session has ended; start a new one")
        if not hmac.compare_digest(session.resume_token.encode(), token.encode()):
            raise ResumeFailed("the resume token does not match")
        return session  # a socket still attached (a drop not noticed yet) is let go by `attach`

    async def _take_over(self, session_id: str, token: str) -> Session:
        assert self.takeovers is not None
        captured = await self.takeovers.take_over(session_id, token)
        session = self.create(session_id)
        restore(session, captured)
        await session.running.wait()  # it may start tasks from here on (a write, a slot request)
        return session

    def socket_dropped(self, session: Session) -> None:
        """A session lost its socket: end it now, or give it `resume_grace_s` to come back."""
        if session.closed.is_set() or session.is_attached:
            return  # ended, or already taken over by a resuming socket
        grace_s = self.settings.session.resume_grace_s
        if session.state.phase in (Phase.AWAITING_INIT, Phase.QUEUED) or grace_s <= 0:
            session.close(CloseCode.NORMAL, "socket closed")
            return
        self._tg.create_task(self._await_resume(session, grace_s), name=f"grace-{session.id}")
        session.maybe_park()

    async def _await_resume(self, session: Session, grace_s: float) -> None:
        if not await session.wait_attached(grace_s):
            session.close(CloseCode.NORMAL, f"not resumed within {grace_s:.0f} s")

    def _offer_slots(self) -> None:
        """Someone waits for a slot: detached sessions give theirs up at their next boundary."""
        for session in list(self.sessions.values()):
            if not session.is_attached:
                session.maybe_park()

    def close_all(self) -> None:
        for session in list(self.sessions.values()):
            session.close(CloseCode.GOING_AWAY, "server shutting down")

    def counts(self) -> dict[str, int]:
        counts = {phase.value: 0 for phase in Phase}
        for session in self.sessions.values():
            counts[session.state.phase.value] += 1
        counts["total"] = len(self.sessions)
        counts["detached"] = sum(1 for s in self.sessions.values() if not s.is_attached)
        return counts
