"""A Python client for Dreamverse sessions: `connect` (asyncio) or `connect_sync`, typed events, segments.

    async with await connect("ws://127.0.0.1:8009/ws") as session:
        await session.start(["a fox in the snow"])
        async for segment in session.segments():
            ...

See docs/client.md.
"""

from dreamverse.client.channel import Item
from dreamverse.client.errors import CapabilityMissing, ClientError, ConnectionFailed, SessionClosed
from dreamverse.client.retry import ClientTimeouts, RetryPolicy
from dreamverse.client.segments import Segment
from dreamverse.client.session import Session, connect
from dreamverse.client.sync import SyncSession, connect_sync
from dreamverse.runtime.errors import (
    CapacityError,
    DreamverseError,
    ProtocolError,
    QueueFull,
    SafetyRejected,
    SessionEnded,
    WorkerError,
)

__all__ = [
    "CapabilityMissing",
    "CapacityError",
    "ClientError",
    "ClientTimeouts",
    "ConnectionFailed",
    "DreamverseError",
    "Item",
    "ProtocolError",
    "QueueFull",
    "RetryPolicy",
    "SafetyRejected",
    "Segment",
    "Session",
    "SessionClosed",
    "SessionEnded",
    "SyncSession",
    "WorkerError",
    "connect",
    "connect_sync",
]
