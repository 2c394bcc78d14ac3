"""Segments assembled from events and binary frames; drops and replays give no gap and no duplicate."""

from __future__ import annotations

from dreamverse.client.segments import Segment, SegmentAssembler
from dreamverse.runtime.protocol import server as s


def segment_events(idx: int, chunks: list[bytes], stream: str = "st") -> list[s.ServerEvent | bytes]:
    start = s.Ltx2SegmentStart(
        segment_idx=idx,
        total_segments=9,
        prompt=f"prompt {idx}",
        source="curated",
        seed_prompt_index=idx,
        loop_iteration=0,
    )
    return [
        start,
        s.MediaInit(segment_idx=idx, mime="video/mp4", stream_id=stream),
        *chunks,
        s.MediaSegmentComplete(
            segment_idx=idx, stream_id=stream, chunks=len(chunks), frames=16, duration_s=0.5
        ),
        s.StepComplete(
            latency_ms=s.StepLatency(total=42.0, worker_e2e=40.0, main_user_step=40.0, overhead=2.0)
        ),
        s.Ltx2SegmentComplete(segment_idx=idx, total_segments=9),
    ]


def feed(assembler: SegmentAssembler, items: list[s.ServerEvent | bytes]) -> list[Segment]:
    out = []
    for item in items:
        if isinstance(item, bytes):
            assembler.on_bytes(item)
        elif (segment := assembler.on_event(item)) is not None:
            out.append(segment)
    return out


def test_a_segment_carries_its_bytes_prompt_and_timing() -> None:
    (segment,) = feed(SegmentAssembler(), segment_events(3, [b"init", b"frag"]))
    assert (segment.segment_idx, segment.prompt, segment.data) == (3, "prompt 3", b"initfrag")
    assert (segment.frames, segment.duration_s, segment.server_latency_ms) == (16, 0.5, 42.0)
    assert segment.first_byte_at is not None and segment.completed_at is not None


def test_a_partial_segment_is_dropped_and_its_replay_taken_whole() -> None:
    assembler = SegmentAssembler()
    assert len(feed(assembler, segment_events(0, [b"a"]))) == 1
    partial = segment_events(1, [b"b1", b"b2"])[:3]  # the socket drops after the first fragment
    assert feed(assembler, partial) == []
    assembler.drop_partial()
    (replayed,) = feed(assembler, segment_events(1, [b"b1", b"b2"]))
    assert replayed.data == b"b1b2"
    assert assembler.last_complete == {"st": 1}


def test_a_replay_of_a_segment_already_received_is_not_emitted_twice() -> None:
    assembler = SegmentAssembler()
    feed(assembler, segment_events(0, [b"a"]))
    assert feed(assembler, segment_events(0, [b"a"])) == []
    assert [seg.segment_idx for seg in feed(assembler, segment_events(1, [b"b"]))] == [1]


def test_a_new_stream_starts_its_own_numbering() -> None:
    assembler = SegmentAssembler()
    feed(assembler, segment_events(0, [b"a"], stream="first"))
    (again,) = feed(assembler, segment_events(0, [b"c"], stream="second"))
    assert (again.stream_id, again.data) == ("second", b"c")
