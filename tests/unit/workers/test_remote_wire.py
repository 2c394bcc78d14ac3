"""IPC messages over Redis: every type round-trips, bytes travel raw, other versions are refused."""

from __future__ import annotations

import json

import pytest

from dreamverse.generator.base import Geometry
from dreamverse.workers import ipc
from dreamverse.workers.handle import WorkerExited
from dreamverse.workers.remote.wire import IPC_VERSION, WireError, decode, encode

GEOMETRY = Geometry(256, 160, 24, 25, 8, 48000, 2)
MESSAGES = [
    ipc.StartStream("s1", 7),
    ipc.RenderSegment("s1", 2, "a red fox", b"\x89PNG\x00\xff"),
    ipc.RenderSegment("s1", 3, "no image"),
    ipc.ResumeStream("s1", b"\x00carry\xff"),
    ipc.SegmentStateSaved("s1", 2, 10, b"\x00state\xff"),
    ipc.CancelStream("s1"),
    ipc.Shutdown(),
    ipc.WorkerReady(0, "synthetic", GEOMETRY, 1.5, 0.25),
    ipc.SegmentStarted("s1", 0, 1700000000.5),
    ipc.MediaInitialized("s1", 0, 'video/mp4; codecs="avc1.42c01e,mp4a.40.2"'),
    ipc.FragmentEncoded("s1", 0, bytes(range(256)) * 3),
    ipc.SegmentGenerated("s1", 0, 0.8, {"denoise": 0.5}),
    ipc.SegmentEncoded("s1", 0, 4, 1234, 25, 0.1, 0.9),
    ipc.SegmentFailed("s1", 1, "boom"),
    WorkerExited(-9, "killed"),
]


def _as_redis_returns(fields: dict[str, bytes]) -> dict[bytes, bytes]:
    return {k.encode(): v for k, v in fields.items()}


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: type(m).__name__)
def test_every_message_round_trips(message: object) -> None:
    fields = encode(message)  # type: ignore[arg-type]
    assert fields["t"] == type(message).__name__.encode()
    assert fields["v"] == str(IPC_VERSION).encode()
    assert decode(_as_redis_returns(fields)) == message


def test_bytes_travel_raw_beside_the_json() -> None:
    chunk = bytes(range(256))
    fields = encode(ipc.FragmentEncoded("s1", 4, chunk))
    assert fields["b:data"] == chunk
    assert json.loads(fields["j"]) == {"stream_id": "s1", "segment_idx": 4}


def test_another_ipc_version_is_refused() -> None:
    fields = _as_redis_returns(encode(ipc.CancelStream("s1")))
    fields[b"v"] = str(IPC_VERSION + 1).encode()
    with pytest.raises(WireError, match="IPC version"):
        decode(fields)


def test_unknown_type_and_bad_fields_are_wire_errors() -> None:
    fields = _as_redis_returns(encode(ipc.CancelStream("s1")))
    with pytest.raises(WireError, match="unknown message type"):
        decode({**fields, b"t": b"DropTables"})
    with pytest.raises(WireError, match="malformed"):
        decode({**fields, b"j": b'{"stream_id": 5, "extra": 1}'})
    with pytest.raises(WireError, match="malformed"):
        decode({**fields, b"j": b"not json"})
