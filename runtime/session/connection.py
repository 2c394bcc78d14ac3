"""One websocket: authenticate, attach to a new or resumed session, read messages, write events.

One reader (this coroutine) and one writer (`Attachment.write_loop`) per socket. A malformed message gets a
typed `error` and the socket stays open; the only closes are the documented ones (see `CloseCode`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from dreamverse.runtime.auth import token_accepted
from dreamverse.runtime.errors import (
    DreamverseError,
    InvalidImage,
    InvalidMessage,
    RateLimited,
    SafetyRejected,
    Unauthorized,
)
from dreamverse.runtime.protocol import client as c
from dreamverse.runtime.protocol import server as s
from dreamverse.runtime.protocol.codes import PROTOCOL_VERSION, CloseCode
from dreamverse.runtime.protocol.errors import to_error_event
from dreamverse.runtime.protocol.parse import MessageLimits, parse_client_message
from dreamverse.runtime.session.attachment import Attachment
from dreamverse.runtime.session.ratelimit import TokenBucket
from dreamverse.runtime.session.registry import SessionRegistry
from dreamverse.runtime.session.session import Session
from dreamverse.runtime.settings import Settings

logger = logging.getLogger(__name__)

CAPABILITIES = [
    "av_fmp4",
    "session_resume",
    "typed_errors",
    "rewrite",
    "auto_extension",
    "loop_generation",
    "initial_image",
    "export",
    "branches",  # ours: fork_from_segment, switch_branch, branches_updated
    "branch_export",  # ours: GET /sessions/{id}/export.mp4?branch=… joined on the server
]


class _Disconnected(Exception):
    pass


async def serve_websocket(websocket: WebSocket, settings: Settings, registry: SessionRegistry) -> None:
    await websocket.accept()
    cfg = settings.session
    attachment = Attachment(websocket, outbox_size=cfg.outbox_size, send_timeout_s=cfg.send_timeout_s)
    writer = asyncio.create_task(attachment.write_loop(), name="ws-writer")
    session: Session | None = None
    close_code = CloseCode.NORMAL
    try:
        if not token_accepted(websocket, settings.server.auth_token):
            await attachment.put(to_error_event(Unauthorized("missing or wrong token")).model_dump_json())
            close_code = CloseCode.POLICY_VIOLATION
            return
        reader = _Reader(websocket, attachment, settings)
        session = registry.create()  # offered at once; dropped with the socket until it starts
        await _ready(session, attachment, registry)
        first = await reader.first_message()
        if first is None:
            close_code = CloseCode.POLICY_VIOLATION
            return
        if isinstance(first, c.SessionResume):
            session, first = await _resume(session, first, registry, attachment), None
        close_code = await _serve(reader, session, first, attachment)
    except _Disconnected:
        pass
    finally:
        if session is not None:
            session.detach(attachment)
            registry.socket_dropped(session)
        attachment.finish()
        with contextlib.suppress(asyncio.TimeoutError, TimeoutError):
            async with asyncio.timeout(2.0):
                await asyncio.shield(writer)
        writer.cancel()
        await _close(websocket, close_code)


class _Reader:
    """Receives and parses client frames; a rate limit and the message limits apply to every one."""

    def __init__(self, websocket: WebSocket, attachment: Attachment, settings: Settings) -> None:
        self.websocket = websocket
        self.attachment = attachment
        cfg = settings.session
        self.limits = MessageLimits(cfg.max_message_bytes, cfg.max_prompt_chars, cfg.max_prompts)
        self.bucket = TokenBucket(cfg.rate_limit_per_s)
        self.init_timeout_s = cfg.init_timeout_s

    async def next_message(self) -> c.ClientMessage | None:
        """The next valid message; None after an invalid one (its error has been queued)."""
        frame = await self._receive()
        try:
            if not self.bucket.take():
                raise RateLimited("too many messages; slow down")
            return parse_client_message(frame, self.limits)
        except DreamverseError as exc:
            await self.attachment.put(to_error_event(exc).model_dump_json())
            return None

    async def first_message(self) -> c.ClientMessage | None:
        """The first valid message; None (its error queued) when none comes within the init timeout."""
        try:
            async with asyncio.timeout(self.init_timeout_s):
                while (first := await self.next_message()) is None:
                    pass
                return first
        except TimeoutError:
            silent = InvalidMessage(f"no message within {self.init_timeout_s:.0f} s")
            await self.attachment.put(to_error_event(silent).model_dump_json())
            return None

    async def _receive(self) -> str | bytes:
        message = await self.websocket.receive()
        if message["type"] == "websocket.disconnect":
            raise _Disconnected
        if message.get("text") is not None:
            return str(message["text"])
        return bytes(message.get("bytes") or b"")


async def _resume(
    fresh: Session, msg: c.SessionResume, registry: SessionRegistry, attachment: Attachment
) -> Session:
    """Swap the socket's fresh session for the one it resumes; on failure keep the fresh one."""
    try:
        resumed = await registry.resume(msg.session_id, msg.resume_token)
    except DreamverseError as exc:
        await attachment.put(to_error_event(exc).model_dump_json())
        return fresh  # the client may start fresh on this socket
    fresh.detach(attachment)
    fresh.close(CloseCode.NORMAL, "replaced by a resumed session")
    await _ready(resumed, attachment, registry)
    await attachment.put(_resumed(resumed).model_dump_json())
    await resumed.resume_generation()
    return resumed


async def _ready(session: Session, attachment: Attachment, registry: SessionRegistry) -> None:
    session.attach(attachment)
    limits = registry.settings.session.limits()
    ready = s.SessionReady(
        protocol_version=PROTOCOL_VERSION,
        server_version=registry.version,
        capabilities=CAPABILITIES,
        session_id=session.id,
        resume_token=session.resume_token,
        limits=limits,
    )
    await attachment.put(ready.model_dump_json())


def _resumed(session: Session) -> s.SessionResumed:
    return s.SessionResumed(
        session_id=session.id,
        next_segment_idx=s.wire_segment_idx(session.resume_point),
        total_segments=session.segment_cap,
        prompts=list(session.state.memory.seed_prompts),
    )


async def _serve(
    reader: _Reader, session: Session, first: c.ClientMessage | None, attachment: Attachment
) -> CloseCode:
    """Handle messages until the session ends, the client goes, or the writer gives up."""
    if first is not None:
        code = await _handle(session, first, is_first=True)
        if code is not None:
            return code
    ended = asyncio.ensure_future(session.closed.wait())
    gone = asyncio.ensure_future(attachment.gone.wait())
    try:
        while True:
            receive = asyncio.ensure_future(reader.next_message())
            await asyncio.wait({receive, ended, gone}, return_when=asyncio.FIRST_COMPLETED)
            # `receive`'s own exception is never raised here: its traceback would then hold this frame,
            # which holds `receive`, a reference cycle that keeps the session until a full gc pass.
            if not receive.done():
                receive.cancel()
                await asyncio.wait({receive})
                _retrieve(receive)
                return session.close_code
            if isinstance(receive.exception(), _Disconnected):
                raise _Disconnected
            msg = receive.result()
            if msg is not None:
                await _handle(session, msg, is_first=False)
    finally:
        ended.cancel()
        gone.cancel()


def _retrieve(task: asyncio.Future[c.ClientMessage | None]) -> None:
    """Mark a finished read as seen: after the session ended, its message or disconnect does not matter."""
    if not task.cancelled():
        task.exception()


async def _handle(session: Session, msg: c.ClientMessage, *, is_first: bool) -> CloseCode | None:
    try:
        await session.handle(msg)
    except DreamverseError as exc:
        await session.send(to_error_event(exc))
        if is_first and isinstance(exc, SafetyRejected):
            session.close(CloseCode.POLICY_VIOLATION, "blocked first prompt")
            return CloseCode.POLICY_VIOLATION
        if is_first and isinstance(exc, InvalidImage):
            session.close(CloseCode.UNSUPPORTED_DATA, "invalid initial image")
            return CloseCode.UNSUPPORTED_DATA
    except Exception as exc:
        await session.send(to_error_event(exc))
    return None


async def _close(websocket: WebSocket, code: CloseCode) -> None:
    if (
        websocket.application_state is WebSocketState.CONNECTED
        and websocket.client_state is WebSocketState.CONNECTED
    ):
        with contextlib.suppress(RuntimeError, WebSocketDisconnect, OSError):
            await websocket.close(code=int(code))
