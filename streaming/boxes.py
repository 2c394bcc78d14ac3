"""ISO BMFF (MP4) box parsing: a complete-buffer walker and an incremental splitter for a byte stream.

Box header: 32-bit big-endian size + 4-character type; `size == 1` means a 64-bit size follows the type,
`size == 0` means "to the end of the enclosing space" (only legal for the last box of a file).

`BoxSplitter` turns FFmpeg's stdout (cut at arbitrary offsets) into whole top-level boxes, and
`ChunkAssembler` groups whole boxes into the chunks a segment streams: the init segment (ftyp + moov) alone,
then whole fragments (styp / sidx / moof + mdat) as soon as each completes.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

from dreamverse.streaming.errors import MalformedMP4

_HEADER = struct.Struct(">I4s")
_LARGE = struct.Struct(">Q")
_MAX_BOX_BYTES = 1 << 34  # far above anything a segment produces; protects against garbage lengths


@dataclass(frozen=True, slots=True)
class Box:
    """One box: its type, where it starts in the buffer it was read from, and its sizes."""

    type: str
    start: int
    size: int  # whole box, header included
    header_size: int  # 8, or 16 for a 64-bit size

    @property
    def end(self) -> int:
        return self.start + self.size

    @property
    def payload_start(self) -> int:
        return self.start + self.header_size


def read_header(data: bytes | bytearray | memoryview, start: int, end: int) -> Box | None:
    """Parse the box header at `start`; None if the header itself is not complete before `end`.

    A `size == 0` box is given the rest of the space up to `end`.
    """
    if end - start < _HEADER.size:
        return None
    size, raw_type = _HEADER.unpack_from(data, start)
    header_size = _HEADER.size
    if size == 1:
        if end - start < header_size + _LARGE.size:
            return None
        (size,) = _LARGE.unpack_from(data, start + header_size)
        header_size += _LARGE.size
    elif size == 0:
        size = end - start
    box_type = raw_type.decode("latin-1")
    if size < header_size or size > _MAX_BOX_BYTES:
        raise MalformedMP4(f"box {box_type!r} at offset {start} has impossible size {size}")
    return Box(type=box_type, start=start, size=size, header_size=header_size)


def iter_boxes(data: bytes | bytearray | memoryview, start: int = 0, end: int | None = None) -> Iterator[Box]:
    """Yield the boxes laid back to back in `data[start:end]`; raise `MalformedMP4` on a truncated box."""
    stop = len(data) if end is None else end
    pos = start
    while pos < stop:
        box = read_header(data, pos, stop)
        if box is None or box.end > stop:
            raise MalformedMP4(f"truncated box at offset {pos} (space ends at {stop})")
        yield box
        pos = box.end


def find_child(data: bytes | bytearray | memoryview, parent: Box, box_type: str, skip: int = 0) -> Box | None:
    """First child of `parent` with type `box_type`; `skip` bytes of the payload precede the children."""
    for child in iter_boxes(data, parent.payload_start + skip, parent.end):
        if child.type == box_type:
            return child
    return None


class BoxSplitter:
    """Incremental top-level box parser: feed bytes in any cut, get back whole boxes as bytes."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.bytes_fed = 0

    @property
    def pending_bytes(self) -> int:
        """Bytes held that do not yet form a whole box."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[tuple[str, bytes]]:
        """Add `data`; return every box (type, bytes) completed by it, in stream order."""
        self._buffer += data
        self.bytes_fed += len(data)
        boxes: list[tuple[str, bytes]] = []
        pos = 0
        while True:
            box = self._complete_box_at(pos)
            if box is None:
                break
            boxes.append((box.type, bytes(self._buffer[box.start : box.end])))
            pos = box.end
        del self._buffer[:pos]
        return boxes

    def _complete_box_at(self, pos: int) -> Box | None:
        available = len(self._buffer)
        if available - pos >= _HEADER.size and _HEADER.unpack_from(self._buffer, pos)[0] == 0:
            raise MalformedMP4("box with size 0 (to end of file) in a live stream")
        box = read_header(self._buffer, pos, available)
        if box is None or box.end > available:
            return None
        return box


_FRAGMENT_END = "mdat"
_INIT_END = "moov"


class ChunkAssembler:
    """Groups whole top-level boxes into chunks that end at a fragment or init-segment boundary.

    `add` returns the chunks ready to send: the init segment (through `moov`) always alone; after that, every
    complete fragment (everything up to and including an `mdat`), packing several fragments into one chunk
    while they fit in `max_chunk_bytes`. A fragment larger than the limit is sent box by box; a single box
    larger than the limit is sent alone. `flush` returns whatever is left (e.g. a trailing `mfra`).
    """

    def __init__(self, max_chunk_bytes: int) -> None:
        if max_chunk_bytes <= 0:
            raise ValueError("max_chunk_bytes must be positive")
        self._max = max_chunk_bytes
        self._open: list[bytes] = []  # boxes of the fragment not yet complete

    def add(self, boxes: list[tuple[str, bytes]]) -> list[bytes]:
        ready: list[list[bytes]] = []  # complete units (init segment or fragments), in order
        for box_type, data in boxes:
            self._open.append(data)
            if box_type in (_FRAGMENT_END, _INIT_END):
                ready.append(self._open)
                self._open = []
                if box_type == _INIT_END:
                    ready.append([])  # keep the init segment out of the next chunk
        return self._pack(ready)

    def flush(self) -> list[bytes]:
        rest, self._open = self._open, []
        return self._pack([rest]) if rest else []

    def _pack(self, units: list[list[bytes]]) -> list[bytes]:
        chunks: list[bytes] = []
        current: list[bytes] = []
        size = 0
        for unit in units:
            unit_size = sum(len(b) for b in unit)
            if not unit or (current and size + unit_size > self._max):
                if current:
                    chunks.append(b"".join(current))
                current, size = [], 0
            if unit_size > self._max:
                chunks.extend(_split_boxes(unit, self._max))
                continue
            current.extend(unit)
            size += unit_size
        if current:
            chunks.append(b"".join(current))
        return chunks


def _split_boxes(boxes: list[bytes], max_bytes: int) -> list[bytes]:
    """Pack consecutive whole boxes into chunks of at most `max_bytes` (an oversize box goes alone)."""
    chunks: list[bytes] = []
    current: list[bytes] = []
    size = 0
    for box in boxes:
        if current and size + len(box) > max_bytes:
            chunks.append(b"".join(current))
            current, size = [], 0
        current.append(box)
        size += len(box)
    if current:
        chunks.append(b"".join(current))
    return chunks
