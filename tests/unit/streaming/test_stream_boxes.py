import struct

import pytest

from dreamverse.streaming.boxes import BoxSplitter, ChunkAssembler, iter_boxes, read_header
from dreamverse.streaming.errors import MalformedMP4


def box(box_type: str, payload: bytes = b"") -> bytes:
    return struct.pack(">I4s", 8 + len(payload), box_type.encode()) + payload


def large_box(box_type: str, payload: bytes) -> bytes:
    return struct.pack(">I4sQ", 1, box_type.encode(), 16 + len(payload)) + payload


def test_iter_boxes_reads_32_and_64_bit_sizes() -> None:
    data = box("ftyp", b"isom") + large_box("mdat", b"x" * 40) + box("free")
    boxes = list(iter_boxes(data))
    assert [(b.type, b.size, b.header_size) for b in boxes] == [
        ("ftyp", 12, 8),
        ("mdat", 56, 16),
        ("free", 8, 8),
    ]
    assert boxes[-1].end == len(data)


def test_size_zero_extends_to_end_of_space() -> None:
    data = box("ftyp") + struct.pack(">I4s", 0, b"mdat") + b"rest"
    header = read_header(data, 8, len(data))
    assert header is not None and header.size == 12


@pytest.mark.parametrize("data", [box("moov", b"abc")[:-1], struct.pack(">I4s", 4, b"moov"), b"\x00\x00"])
def test_iter_boxes_rejects_truncated_or_impossible(data: bytes) -> None:
    with pytest.raises(MalformedMP4):
        list(iter_boxes(data))


def test_splitter_handles_any_cut() -> None:
    stream = (
        box("ftyp", b"isom") + box("moov", b"m" * 30) + box("moof", b"f" * 9) + large_box("mdat", b"d" * 70)
    )
    for step in (1, 3, 7, 16, len(stream)):
        splitter = BoxSplitter()
        out: list[tuple[str, bytes]] = []
        for pos in range(0, len(stream), step):
            out.extend(splitter.feed(stream[pos : pos + step]))
        assert [t for t, _ in out] == ["ftyp", "moov", "moof", "mdat"]
        assert b"".join(b for _, b in out) == stream
        assert splitter.pending_bytes == 0


def test_splitter_rejects_size_zero_and_garbage() -> None:
    with pytest.raises(MalformedMP4):
        BoxSplitter().feed(struct.pack(">I4s", 0, b"mdat"))
    with pytest.raises(MalformedMP4):
        BoxSplitter().feed(struct.pack(">I4s", 3, b"junk"))


def typed(*names_and_sizes: tuple[str, int]) -> list[tuple[str, bytes]]:
    return [(name, box(name, b"\0" * (size - 8))) for name, size in names_and_sizes]


def chunk_types(chunks: list[bytes]) -> list[list[str]]:
    return [[b.type for b in iter_boxes(chunk)] for chunk in chunks]


def test_assembler_sends_init_alone_then_whole_fragments() -> None:
    assembler = ChunkAssembler(max_chunk_bytes=1000)
    boxes = typed(("ftyp", 24), ("moov", 100), ("moof", 50), ("mdat", 200), ("moof", 50), ("mdat", 200))
    assert chunk_types(assembler.add(boxes)) == [["ftyp", "moov"], ["moof", "mdat", "moof", "mdat"]]


def test_assembler_waits_for_the_mdat() -> None:
    assembler = ChunkAssembler(max_chunk_bytes=1000)
    assert chunk_types(assembler.add(typed(("ftyp", 24), ("moov", 100), ("moof", 50)))) == [["ftyp", "moov"]]
    assert chunk_types(assembler.add(typed(("mdat", 30)))) == [["moof", "mdat"]]
    assert chunk_types(assembler.add(typed(("mfra", 30)))) == []
    assert chunk_types(assembler.flush()) == [["mfra"]]


def test_assembler_respects_max_chunk_bytes() -> None:
    assembler = ChunkAssembler(max_chunk_bytes=300)
    boxes = typed(("moof", 50), ("mdat", 200), ("moof", 50), ("mdat", 200), ("moof", 50), ("mdat", 900))
    chunks = assembler.add(boxes)
    assert chunk_types(chunks) == [["moof", "mdat"], ["moof", "mdat"], ["moof"], ["mdat"]]
    assert all(len(c) <= 300 for c in chunks[:3])
