import struct

import pytest

from dreamverse.streaming.codec import codecs_from_init_segment, mime_from_init_segment
from dreamverse.streaming.errors import MalformedMP4


def box(box_type: str, payload: bytes = b"") -> bytes:
    return struct.pack(">I4s", 8 + len(payload), box_type.encode()) + payload


def descriptor(tag: int, payload: bytes) -> bytes:
    return bytes([tag, 0x80, 0x80, 0x80, len(payload)]) + payload  # 4-byte size form, as ffmpeg writes


def avc_entry(profile: int, compat: int, level: int) -> bytes:
    avcc = box("avcC", bytes([1, profile, compat, level, 0xFF, 0xE0, 0]))
    return box("avc1", b"\0" * 78 + avcc)


def mp4a_entry(audio_object_type: int) -> bytes:
    asc = struct.pack(">H", (audio_object_type << 11) | (8 << 7) | (2 << 3))
    dsi = descriptor(0x05, asc)
    dcd = descriptor(0x04, bytes([0x40, 0x15]) + b"\0" * 11 + dsi)
    es = descriptor(0x03, b"\0\x01\0" + dcd)
    return box("mp4a", b"\0" * 28 + box("esds", b"\0" * 4 + es))


def init_segment(*entries: bytes) -> bytes:
    traks = b"".join(
        box("trak", box("mdia", box("minf", box("stbl", box("stsd", b"\0" * 4 + b"\0\0\0\1" + e)))))
        for e in entries
    )
    return box("ftyp", b"isom") + box("moov", box("mvhd", b"\0" * 100) + traks)


def test_codec_strings_in_track_order() -> None:
    init = init_segment(avc_entry(0x64, 0x00, 0x28), mp4a_entry(2))
    assert codecs_from_init_segment(init) == ["avc1.640028", "mp4a.40.2"]
    assert mime_from_init_segment(init) == 'video/mp4; codecs="avc1.640028,mp4a.40.2"'


def test_unknown_track_codec_is_skipped() -> None:
    init = init_segment(box("hvc1", b"\0" * 78), avc_entry(0x42, 0xC0, 0x1F))
    assert codecs_from_init_segment(init) == ["avc1.42C01F"]


@pytest.mark.parametrize(
    "init",
    [
        box("ftyp", b"isom"),
        b"garbage!",
        init_segment(box("hvc1", b"\0" * 78)),
        init_segment(box("avc1", b"\0" * 78)),
    ],
)
def test_bad_init_segments_raise(init: bytes) -> None:
    with pytest.raises(MalformedMP4):
        mime_from_init_segment(init)
