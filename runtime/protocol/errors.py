"""The one border where errors leave the server: an `error` event on the websocket, one body over HTTP.

Both carry the same names: `code` (ours) and `error_code` (upstream's) hold the `ErrorCode` value,
`retryable` says whether the same request may succeed later. The HTTP body says `detail` where the event
says `message`, because that is what upstream's client (and every FastAPI client) reads from an error
response.
"""

from __future__ import annotations

import logging

from starlette.responses import JSONResponse

from dreamverse.runtime.errors import DreamverseError
from dreamverse.runtime.protocol.codes import ErrorCode
from dreamverse.runtime.protocol.server import Error, wire_segment_idx

logger = logging.getLogger(__name__)


def to_error_event(exc: BaseException) -> Error:
    """The `error` event for `exc`. Unknown errors are logged with their traceback and sent as `internal`."""
    if isinstance(exc, DreamverseError):
        segment_idx: int | None = getattr(exc, "segment_idx", None)  # the runtime's index, from 0
        return Error(
            message=exc.message,
            code=exc.code.value,
            retryable=exc.retryable,
            category=getattr(exc, "category", None),
            prompt_id=getattr(exc, "prompt_id", None),
            segment_idx=None if segment_idx is None else wire_segment_idx(segment_idx),
        )
    logger.error("internal error", exc_info=exc)
    # Not retryable: nothing says that the same request would not fail the same way again.
    return Error(message="internal server error", code=ErrorCode.INTERNAL.value, retryable=False)


def error_body(code: ErrorCode, detail: str, *, retryable: bool = False) -> dict[str, object]:
    """The one HTTP error body: `{detail, code, error_code, retryable}`."""
    return {"detail": detail, "code": code.value, "error_code": code.value, "retryable": retryable}


def error_response(exc: DreamverseError, headers: dict[str, str] | None = None) -> JSONResponse:
    """The HTTP answer for `exc`: status `exc.http_status`, the one error body."""
    body = error_body(exc.code, exc.message, retryable=exc.retryable)
    return JSONResponse(body, status_code=exc.http_status, headers=headers)
