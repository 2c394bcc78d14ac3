"""`POST /export`: an upload of a session's fMP4 segments → one progressive MP4 file, streamed back.

The body goes to disk segment by segment as it arrives (`streaming.export.SegmentSpool`), never whole into
memory; at most `--max-concurrent-exports` run at once, further ones get 503 with `Retry-After`. Answers:
413 `too_large`, 422 `invalid_media`, 503 `export_busy`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from dreamverse.runtime.bodies import BodyTooLarge, limited_stream
from dreamverse.runtime.protocol.codes import ErrorCode
from dreamverse.runtime.protocol.errors import error_body
from dreamverse.runtime.settings import Settings
from dreamverse.streaming.errors import ExportTooLarge, StreamingError
from dreamverse.streaming.export import SegmentSpool, join_spooled


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    retryable = status == 503
    return JSONResponse(
        error_body(ErrorCode(code), message, retryable=retryable), status_code=status, headers=headers
    )


async def export_upload(request: Request, settings: Settings, slots: asyncio.Semaphore) -> Response:
    if slots.locked():
        return _error(503, "export_busy", "too many exports at once; retry shortly", {"Retry-After": "1"})
    async with slots:
        workdir = tempfile.mkdtemp(prefix="dreamverse-export-")
        try:
            out_path = await _spool_and_concat(request, settings, workdir)
        except (BodyTooLarge, ExportTooLarge):
            shutil.rmtree(workdir, ignore_errors=True)
            limit = settings.server.max_export_bytes
            return _error(413, "too_large", f"body over {limit} bytes")
        except (StreamingError, ValueError) as exc:
            shutil.rmtree(workdir, ignore_errors=True)
            return _error(422, "invalid_media", str(exc))
        except BaseException:
            shutil.rmtree(workdir, ignore_errors=True)
            raise
    return FileResponse(
        out_path,
        media_type="video/mp4",
        filename="dreamverse.mp4",
        background=BackgroundTask(shutil.rmtree, workdir, ignore_errors=True),
    )


async def _spool_and_concat(request: Request, settings: Settings, workdir: str) -> str:
    limit = settings.server.max_export_bytes
    spool = SegmentSpool(workdir, limit)
    try:
        async for chunk in limited_stream(request, limit):
            await asyncio.to_thread(spool.feed, chunk)  # file writes: off the loop
        paths = spool.finish()
    finally:
        spool.close()
    out_path = os.path.join(workdir, "export.mp4")
    encoder = settings.media.encoder_settings()
    await asyncio.to_thread(join_spooled, paths, encoder, out_path, 2 * limit)
    return out_path
