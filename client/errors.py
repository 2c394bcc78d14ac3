"""Errors a client sees: the server's own typed errors, rebuilt from `error` events, plus client-side ones.

Server errors are the runtime's classes (`dreamverse.runtime.errors`), so `except QueueFull` means the same
on both sides of the socket; `error_from_event` picks the class by the event's code. Client-side failures:

    ClientError
    ├── ConnectionFailed        could not open a socket, or a dropped one could not be resumed
    ├── CapabilityMissing       the server does not announce what a call needs (see `session_ready`)
    └── SessionClosed           the server closed the socket without an error event
"""

from __future__ import annotations

import inspect
from functools import cache

from dreamverse.runtime.errors import DreamverseError
from dreamverse.runtime.protocol.server import Error


class ClientError(Exception):
    """A failure on the client's side of the session."""


class ConnectionFailed(ClientError):
    pass


class CapabilityMissing(ClientError):
    pass


class SessionClosed(ClientError):
    def __init__(self, message: str, close_code: int | None) -> None:
        super().__init__(message)
        self.close_code = close_code


class ServerError(DreamverseError):
    """An error code this client does not know (a newer server); `code_text` holds it."""

    def __init__(self, message: str, code_text: str) -> None:
        super().__init__(message)
        self.code_text = code_text


def error_code(event: Error) -> str:
    """The event's code, whichever field carries it (`error_code` is upstream's name, `code` ours)."""
    return str(getattr(event, "error_code", None) or getattr(event, "code", "") or "internal")


def error_from_event(event: Error) -> DreamverseError:
    """The runtime's exception for `event`, carrying the event's `retryable` and the event itself."""
    code = error_code(event)
    cls = _classes_by_code().get(code)
    exc: DreamverseError
    if cls is None:
        exc = ServerError(event.message, code)
    else:  # the constructor's other arguments (category, prompt_id, segment_idx) are event fields
        extra = {name: getattr(event, name, None) for name in _extra_parameters(cls)}
        exc = cls(event.message, **extra)
    exc.retryable = event.retryable  # the server's word beats the class default
    exc.event = event  # type: ignore[attr-defined]
    return exc


def _extra_parameters(cls: type[DreamverseError]) -> tuple[str, ...]:
    parameters = list(inspect.signature(cls.__init__).parameters)
    return tuple(parameters[2:])  # after self and message


@cache
def _classes_by_code() -> dict[str, type[DreamverseError]]:
    """The most specific runtime error class of every code (a subclass wins over its parent)."""
    found: dict[str, type[DreamverseError]] = {}
    pending: list[type[DreamverseError]] = [DreamverseError]
    while pending:
        cls = pending.pop(0)  # breadth first: deeper classes overwrite their parents' codes
        if "code" in vars(cls) and cls is not ServerError:  # a branch without its own code has none
            found[str(cls.code)] = cls
        pending.extend(cls.__subclasses__())
    return found
