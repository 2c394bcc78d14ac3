"""`GET /sessions/{session_id}/export.mp4?branch=…`: one branch of a live session as one progressive MP4.

The segments the server stored are joined by stream copy (`streaming.export.concat_files`), so nothing is
re-encoded and the client needs nothing it buffered. Authorised by the session's current resume token
(`?resume_token=` or `X-Resume-Token`), and by the server token as every route is when one is set. Without
`branch` the session's current branch is exported. 404 for an unknown session (or a wrong resume token:
a guess learns nothing) or branch, 410 when a segment of the branch was evicted from the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from dreamverse.runtime.auth import token_accepted
from dreamverse.runtime.errors import DreamverseError
from dreamverse.runtime.protocol.codes import ErrorCode
from dreamverse.runtime.protocol.errors import error_body, error_response
from dreamverse.streaming.errors import StreamingError
from dreamverse.streaming.export import concat_files

if TYPE_CHECKING:
    from dreamverse.runtime.app import AppState
    from dreamverse.runtime.session.session import Session

logger = logging.getLogger(__name__)


def _error(status: int, code: ErrorCode, detail: str) -> JSONResponse:
    return JSONResponse(error_body(code, detail), status_code=status)


def _session(request: Request, state: AppState) -> Session | None:
    session = state.registry.sessions.get(request.path_params["session_id"])
    given = request.query_params.get("resume_token") or request.headers.get("x-resume-token", "")
    if session is None or session.closed.is_set() or not given:
        return None
    return session if hmac.compare_digest(given.encode(), session.resume_token.encode()) else None


async def export_branch(request: Request) -> Response:
    state: AppState = request.app.state.dreamverse
    if not token_accepted(request, state.settings.server.auth_token):
        return _error(401, ErrorCode.UNAUTHORIZED, "missing or wrong token")
    session = _session(request, state)
    if session is None:
        return _error(404, ErrorCode.RESUME_FAILED, "no live session with that id and resume token")
    branches = session.branches
    try:
        branch_id = request.query_params.get("branch") or branches.current_branch()
        async with branches.export_files(branch_id) as media:
            out_path = await asyncio.to_thread(_join, media.paths, media.durations_s, state)
    except DreamverseError as exc:
        return error_response(exc)  # 404 unknown branch, 410 evicted segment
    except StreamingError as exc:
        logger.error("export of session %s branch failed: %s", session.id, exc)
        return _error(500, ErrorCode.INTERNAL, f"the branch could not be joined: {exc}")
    headers = {"Content-Disposition": f'attachment; filename="dreamverse-{branch_id}.mp4"'}
    return FileResponse(
        out_path, media_type="video/mp4", headers=headers, background=BackgroundTask(os.unlink, out_path)
    )


def _join(paths: list[Path], durations_s: list[float], state: AppState) -> str:
    handle, out_path = tempfile.mkstemp(prefix="dreamverse-branch-", suffix=".mp4")
    os.close(handle)
    try:
        concat_files(paths, durations_s, out_path, state.settings.media.encoder_settings())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(out_path)
        raise
    return out_path


routes = [Route("/sessions/{session_id}/export.mp4", export_branch, methods=["GET"])]
