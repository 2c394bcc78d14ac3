"""`--stream-decode` on the tiny generator (CPU, float32): the same segments, frames handed on as decoded.

The tiny segment (25 frames) decodes in two chunks, 16 + 9 frames (`TailChunkedDecode`); segment 0 and a
continuation (which conditions on the last frames, gathered across chunks) must give the frames and the
fMP4 bytes (real FFmpeg, the worker's `SegmentEncoder`) of the one-piece decode.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch._dynamo.utils import counters

from dreamverse.generator.base import AudioTrack, SegmentRequest, VideoFrames
from dreamverse.generator.ltx2.streaming_pipeline import LTX2Generator, build_ltx2_generator
from dreamverse.generator.spec import GeneratorSpec
from dreamverse.runtime.settings import Settings
from dreamverse.streaming.settings import EncoderSettings
from dreamverse.workers.offline import encode_segment

PROMPTS = ["a lighthouse at dusk", "waves break on the rocks"]


@pytest.fixture(scope="module")
def streamed() -> LTX2Generator:
    spec = GeneratorSpec(model="tiny", device="cpu", dtype="float32", stream_decode=True)
    return build_ltx2_generator(spec)


@pytest.fixture(scope="module")
def one_piece(tiny_generator: LTX2Generator) -> list[np.ndarray]:
    assert tiny_generator.pipeline.chunked_decode is None
    return _frames(tiny_generator)


def _frames(generator: LTX2Generator) -> list[np.ndarray]:
    state = generator.new_stream(seed=7)
    segments = []
    for idx, prompt in enumerate(PROMPTS):
        parts = list(generator.render_segment(state, SegmentRequest(prompt, idx)))
        assert isinstance(parts[0], AudioTrack)
        segments.append(np.concatenate([p.frames for p in parts if isinstance(p, VideoFrames)]))
    return segments


def test_the_setting_reaches_the_generator() -> None:
    settings = Settings.model_validate({"model": {"stream_decode": True}})
    assert settings.model.generator_spec("cpu").stream_decode
    assert not Settings().model.generator_spec("cpu").stream_decode


# 16 + 9 frames; 20 + 5, where the 9 frames a continuation conditions on span both chunks
@pytest.mark.parametrize("first_frames", [16, 20])
def test_streamed_segments_are_the_one_piece_segments(
    streamed: LTX2Generator, one_piece: list[np.ndarray], first_frames: int
) -> None:
    chunked = streamed.pipeline.chunked_decode
    assert chunked is not None and chunked.first_frames == 16
    chunked.first_frames = first_frames
    try:
        got = _frames(streamed)
    finally:
        chunked.first_frames = 16
    assert [len(s) for s in got] == [streamed.geometry.frames_for(i) for i in range(len(PROMPTS))]
    for segment_want, segment_got in zip(one_piece, got, strict=True):
        np.testing.assert_array_equal(segment_got, segment_want)
    seconds = streamed.last_timings().seconds
    assert 0 < seconds["video_first_chunk"] < seconds["video_decode"]


def test_the_first_frames_leave_before_the_rest_is_decoded(streamed: LTX2Generator) -> None:
    chunked = streamed.pipeline.chunked_decode
    assert chunked is not None
    tail_runs: list[int] = []
    last_stage = chunked.tail[-1]

    def counted(hidden: torch.Tensor) -> torch.Tensor:
        tail_runs.append(hidden.shape[2])
        return last_stage(hidden)

    chunked.tail[-1] = counted
    try:
        parts = streamed.render_segment(streamed.new_stream(seed=7), SegmentRequest(PROMPTS[0], 0))
        next(parts)  # the audio
        first = next(parts)
        assert isinstance(first, VideoFrames)
        assert len(tail_runs) == 1, "the first frames waited for the second chunk's decode"
        rest = [p.frames.shape[0] for p in parts if isinstance(p, VideoFrames)]
        assert len(tail_runs) == 2
        assert first.frames.shape[0] + sum(rest) == streamed.geometry.frames_for(0)
    finally:
        chunked.tail[-1] = last_stage


def test_streamed_segments_encode_to_the_same_bytes(
    streamed: LTX2Generator, tiny_generator: LTX2Generator
) -> None:
    encoded = []
    for generator in (tiny_generator, streamed):
        state = generator.new_stream(seed=7)
        requests = [SegmentRequest(prompt, idx) for idx, prompt in enumerate(PROMPTS)]
        encoded.append([encode_segment(generator, state, r, EncoderSettings()) for r in requests])
    assert encoded[0] == encoded[1]


def test_compiled_chunks_stay_within_half_dynamo_s_graph_limit() -> None:
    """Compiled (dynamo's `eager` backend), with a shorter segment 0: every stage function keeps at most 4
    graphs (dynamo's limit is 8 per code object; past it a stage silently runs uncompiled), and continuations
    add none after the first."""
    torch._dynamo.reset()
    spec = GeneratorSpec(
        model="tiny", device="cpu", dtype="float32", stream_decode=True, first_segment_frames=17
    )
    generator = build_ltx2_generator(spec)
    assert generator.pipeline.chunked_decode is not None
    generator.pipeline.chunked_decode.compile(backend="eager")
    state, graphs = generator.new_stream(seed=7), []
    try:
        with torch._dynamo.config.patch(recompile_limit=4, fail_on_recompile_limit_hit=True):
            for idx in range(3):
                list(generator.render_segment(state, SegmentRequest(PROMPTS[idx % 2], idx)))
                graphs.append(counters["stats"]["unique_graphs"])
    finally:
        torch._dynamo.reset()
    assert graphs[1] > graphs[0] and graphs[2] == graphs[1]
