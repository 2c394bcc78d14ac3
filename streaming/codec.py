"""RFC 6381 codec strings read from an fMP4 init segment (ftyp + moov).

The MIME type a browser needs for `MediaSource.addSourceBuffer` must name the real H.264 profile and level,
so it is read from the `avcC` record that the encoder wrote, never assumed.
"""

from __future__ import annotations

import struct

from dreamverse.streaming.boxes import Box, find_child, iter_boxes
from dreamverse.streaming.errors import MalformedMP4

# Bytes between a sample entry's header and its child boxes (ISO/IEC 14496-12 VisualSampleEntry and
# AudioSampleEntry, version 0).
_VISUAL_ENTRY_FIELDS = 78
_AUDIO_ENTRY_FIELDS = 28
_FULL_BOX_FIELDS = 4  # version + flags
_STSD_FIELDS = _FULL_BOX_FIELDS + 4  # + entry_count
_CONTAINER_PATH = ("mdia", "minf", "stbl", "stsd")


def mime_from_init_segment(init: bytes) -> str:
    """`video/mp4; codecs="avc1.PPCCLL,mp4a.40.2"` for the tracks of `init`, in track order."""
    codecs = codecs_from_init_segment(init)
    if not codecs:
        raise MalformedMP4("init segment has no track with a known codec")
    return f'video/mp4; codecs="{",".join(codecs)}"'


def codecs_from_init_segment(init: bytes) -> list[str]:
    """The RFC 6381 codec string of every track's first sample entry (unknown codecs are skipped)."""
    moov = next((box for box in iter_boxes(init) if box.type == "moov"), None)
    if moov is None:
        raise MalformedMP4("no moov box in init segment")
    codecs: list[str] = []
    for trak in iter_boxes(init, moov.payload_start, moov.end):
        if trak.type != "trak":
            continue
        entry = _first_sample_entry(init, trak)
        codec = _codec_of_entry(init, entry) if entry is not None else None
        if codec is not None:
            codecs.append(codec)
    return codecs


def _first_sample_entry(data: bytes, trak: Box) -> Box | None:
    box: Box | None = trak
    for name in _CONTAINER_PATH:
        if box is None:
            return None
        box = find_child(data, box, name)
    if box is None or box.payload_start + _STSD_FIELDS >= box.end:
        return None
    return next(iter_boxes(data, box.payload_start + _STSD_FIELDS, box.end), None)


def _codec_of_entry(data: bytes, entry: Box) -> str | None:
    if entry.type in ("avc1", "avc3"):
        avcc = find_child(data, entry, "avcC", skip=_VISUAL_ENTRY_FIELDS)
        if avcc is None or avcc.size < avcc.header_size + 4:
            raise MalformedMP4(f"{entry.type} sample entry without a valid avcC")
        profile, compat, level = data[avcc.payload_start + 1 : avcc.payload_start + 4]
        return f"{entry.type}.{profile:02X}{compat:02X}{level:02X}"
    if entry.type == "mp4a":
        esds = find_child(data, entry, "esds", skip=_AUDIO_ENTRY_FIELDS)
        if esds is None:
            raise MalformedMP4("mp4a sample entry without esds")
        object_type, audio_object_type = _parse_esds(data[esds.payload_start + _FULL_BOX_FIELDS : esds.end])
        return f"mp4a.{object_type:02x}.{audio_object_type}"
    return None


def _read_descriptor(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, payload start, payload end) of the MPEG-4 descriptor at `pos` (size is 7 bits per byte)."""
    if pos >= len(data):
        raise MalformedMP4("truncated esds descriptor")
    tag = data[pos]
    size = 0
    pos += 1
    for _ in range(4):
        if pos >= len(data):
            raise MalformedMP4("truncated esds descriptor size")
        byte = data[pos]
        pos += 1
        size = (size << 7) | (byte & 0x7F)
        if not byte & 0x80:
            break
    if pos + size > len(data):
        raise MalformedMP4(f"esds descriptor 0x{tag:02x} overruns its box")
    return tag, pos, pos + size


def _parse_esds(data: bytes) -> tuple[int, int]:
    """(objectTypeIndication, audio object type) from an esds payload."""
    tag, pos, end = _read_descriptor(data, 0)
    if tag != 0x03 or end - pos < 3:
        raise MalformedMP4("esds does not start with an ES descriptor")
    flags = data[pos + 2]
    pos += 3
    if flags & 0x80:  # streamDependenceFlag
        pos += 2
    if flags & 0x40:  # URL_Flag
        pos += 1 + data[pos]
    if flags & 0x20:  # OCRstreamFlag
        pos += 2
    tag, pos, dc_end = _read_descriptor(data, pos)
    if tag != 0x04 or dc_end - pos < 13:
        raise MalformedMP4("esds has no DecoderConfigDescriptor")
    object_type = data[pos]
    tag, dsi, dsi_end = _read_descriptor(data, pos + 13)
    if tag != 0x05 or dsi_end - dsi < 1:
        raise MalformedMP4("esds has no DecoderSpecificInfo (AudioSpecificConfig)")
    (bits,) = struct.unpack_from(">H", data + b"\0", dsi)
    audio_object_type = bits >> 11
    if audio_object_type == 31:
        audio_object_type = 32 + ((bits >> 5) & 0x3F)
    return object_type, audio_object_type
