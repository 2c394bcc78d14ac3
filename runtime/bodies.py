"""Reading an HTTP request body under a byte limit, refusing before reading more than the limit."""

from __future__ import annotations

from collections.abc import AsyncIterator

from starlette.requests import Request


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"body over {limit} bytes")
        self.limit = limit


def check_declared_length(request: Request, limit: int) -> None:
    """Refuse at once when `Content-Length` already says the body is too large."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(limit)


async def limited_stream(request: Request, limit: int) -> AsyncIterator[bytes]:
    """The body's chunks as they arrive; `BodyTooLarge` as soon as they add up to more than `limit`."""
    check_declared_length(request, limit)
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise BodyTooLarge(limit)
        yield chunk


async def read_limited_body(request: Request, limit: int) -> bytes:
    return b"".join([chunk async for chunk in limited_stream(request, limit)])
