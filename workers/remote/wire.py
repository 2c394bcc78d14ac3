"""The IPC messages of `workers.ipc` as Redis stream entries: an explicit type tag plus `IPC_VERSION`.

An entry is a flat map of byte strings:

    v     IPC_VERSION of the writer; a reader refuses any other (mixed versions must not guess)
    t     the message class name (`RenderSegment`, `FragmentEncoded`, …)
    j     the plain fields as JSON
    b:<f> each `bytes` field raw (fMP4 chunks and images are never base64-inflated)

plus envelope fields the caller adds (`session`, `seq`, `sent_ms`), which `decode` ignores.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, get_args

from pydantic import TypeAdapter, ValidationError

from dreamverse.workers import ipc
from dreamverse.workers.handle import WorkerExited

IPC_VERSION = 1

Message = ipc.RuntimeToWorker | ipc.WorkerToRuntime | WorkerExited
# Every class of both unions (a message added to `workers.ipc` crosses Redis with no change here).
_CLASSES: tuple[type[Any], ...] = (
    *get_args(ipc.RuntimeToWorker),
    *get_args(ipc.WorkerToRuntime),
    WorkerExited,
)
_ADAPTERS: dict[str, TypeAdapter[Any]] = {cls.__name__: TypeAdapter(cls) for cls in _CLASSES}


class WireError(ValueError):
    """An entry that is not a message of this IPC version."""


def encode(msg: Message) -> dict[str, bytes]:
    name = type(msg).__name__
    adapter = _ADAPTERS.get(name)
    if adapter is None:
        raise WireError(f"{name} is not an IPC message")
    plain: dict[str, Any] = adapter.dump_python(msg)
    fields = {"v": str(IPC_VERSION).encode(), "t": name.encode()}
    for key in [k for k, v in plain.items() if isinstance(v, bytes)]:
        fields[f"b:{key}"] = plain.pop(key)
    fields["j"] = json.dumps(plain, separators=(",", ":")).encode()
    return fields


def decode(fields: Mapping[bytes, bytes]) -> Message:
    version = fields.get(b"v")
    if version != str(IPC_VERSION).encode():
        raise WireError(f"IPC version {version!r}; this process speaks {IPC_VERSION}")
    name = fields.get(b"t", b"").decode()
    adapter = _ADAPTERS.get(name)
    if adapter is None:
        raise WireError(f"unknown message type {name!r}")
    try:
        plain: dict[str, Any] = json.loads(fields.get(b"j", b"{}"))
        for key, value in fields.items():
            if key.startswith(b"b:"):
                plain[key[2:].decode()] = value
        message: Message = adapter.validate_python(plain)
    except (ValueError, ValidationError) as exc:
        raise WireError(f"malformed {name}: {exc}") from exc
    return message
