"""A shorter first segment (`first_segment_frames`): checked settings, every shape warmed up, exact forks.

The timeline and size invariants of a stream with a shorter segment 0 are `test_continuation.py`'s, run on
both geometries there; this module covers what only a shorter segment 0 brings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torch
from pydantic import ValidationError
from safetensors.torch import load as load_tensors
from safetensors.torch import save as save_tensors

from dreamverse.generator.base import AudioTrack, SegmentRequest, StreamState, VideoFrames
from dreamverse.generator.errors import GeneratorConfigError
from dreamverse.generator.ltx2.continuation import Carry, Timeline
from dreamverse.generator.ltx2.graphs import Signature, signature
from dreamverse.generator.ltx2.streaming_pipeline import (
    CARRY_KEY,
    LTX2Generator,
    blank_png,
    build_ltx2_generator,
    check_audio_prefix,
)
from dreamverse.generator.spec import GeneratorSpec
from dreamverse.generator.synthetic import SyntheticGenerator
from dreamverse.runtime.cli import parser_for, settings_from_args
from dreamverse.runtime.settings import ModelSettings

FIRST = 17  # tiny renders 25 frames a continuation: segment 0 of 17 (3 latent frames, not 4)


@pytest.fixture(scope="module")
def short_first() -> LTX2Generator:
    spec = GeneratorSpec(model="tiny", device="cpu", dtype="float32", first_segment_frames=FIRST)
    return build_ltx2_generator(spec)


def render(generator: LTX2Generator, state: StreamState, idx: int) -> tuple[np.ndarray, np.ndarray]:
    parts = list(generator.render_segment(state, SegmentRequest(prompt=f"p{idx % 3}", segment_idx=idx)))
    assert isinstance(parts[0], AudioTrack) and all(isinstance(p, VideoFrames) for p in parts[1:])
    return parts[0].samples, np.concatenate([p.frames for p in parts[1:]])  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("frames", "reason"),
    [
        (9, "more than the 9 overlap frames"),
        (33, r"must not exceed num_frames \(25\)"),
        (18, r"must be 8k\+1"),
    ],
)
def test_a_first_segment_the_stream_cannot_use_is_refused(frames: int, reason: str) -> None:
    with pytest.raises(GeneratorConfigError, match=reason):
        build_ltx2_generator(GeneratorSpec(model="tiny", dtype="float32", first_segment_frames=frames))
    spec = GeneratorSpec(width=64, height=64, num_frames=25, first_segment_frames=frames)
    if frames == 18:  # the procedural generator needs no 8k+1
        assert SyntheticGenerator(spec).geometry.frames_for(0) == 18
    else:
        with pytest.raises(GeneratorConfigError, match=reason):
            SyntheticGenerator(spec)


def test_a_first_segment_too_short_for_the_audio_prefix_names_the_shortest() -> None:
    # the 19B model's timeline: 24 fps, 25 audio latents a second, continuations carry 51 of them
    timeline = Timeline(121, 24.0, 9, 51, 25.0, 0.75, first_frames=49)
    check_audio_prefix(timeline)  # 49 frames: 52 audio latents
    with pytest.raises(GeneratorConfigError, match=r"41 frames has 44 audio latents.*at least 49"):
        check_audio_prefix(Timeline(121, 24.0, 9, 51, 25.0, 0.75, first_frames=41))


def test_setting_flag_and_env_reach_the_generator_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    args = parser_for("dreamverse-server").parse_args(["--first-segment-frames", "49"])
    assert settings_from_args(args).model.generator_spec("cpu").first_segment_frames == 49
    monkeypatch.setenv("DREAMVERSE_FIRST_SEGMENT_FRAMES", "57")
    assert ModelSettings().generator_spec("cpu").first_segment_frames == 57
    monkeypatch.delenv("DREAMVERSE_FIRST_SEGMENT_FRAMES")
    assert ModelSettings().generator_spec("cpu").first_segment_frames is None  # off by default
    with pytest.raises(ValidationError, match=r"--first-segment-frames \(129\) must not exceed"):
        ModelSettings(first_segment_frames=129)


class SignatureRecorder:
    """Wraps the transformer's forward and keeps the signature of every call (what a CUDA graph or a
    compiled graph is specialised on, `graphs.signature`)."""

    def __init__(self, generator: LTX2Generator) -> None:
        self.transformer = generator.pipeline.c.transformer
        self.seen: list[Signature] = []

    def __call__(self, **kwargs: Any) -> tuple[torch.Tensor, torch.Tensor]:
        self.seen.append(signature(kwargs))
        out: tuple[torch.Tensor, torch.Tensor] = self.transformer(**kwargs)
        return out


@pytest.fixture
def recorder(short_first: LTX2Generator) -> Iterator[SignatureRecorder]:
    recorder = SignatureRecorder(short_first)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(short_first.pipeline, "forward", recorder)
        patch.setattr(short_first, "compiled", True)  # warm up as a compiled generator does
        yield recorder


def test_warmup_renders_every_forward_signature_a_stream_uses(
    short_first: LTX2Generator, recorder: SignatureRecorder
) -> None:
    lengths = short_first.continuation_audio_lengths(12)
    assert lengths == [30, 29, 30] * 4  # after a 17-frame segment 0 the 25-frame cycle starts elsewhere
    assert short_first.warmup_segments() == 3  # segment 0, then continuations 1..2 (the first 29-latent one)
    short_first.warmup()
    warmed = set(recorder.seen)
    recorder.seen.clear()
    state = short_first.new_stream(seed=4)
    for idx in range(3):  # segment 0 and continuations of both audio lengths (30, 29)
        render(short_first, state, idx)
    image = SegmentRequest(prompt="p", segment_idx=0, initial_image=blank_png(64, 32))
    list(short_first.render_segment(short_first.new_stream(seed=5), image))  # a stream from an image
    used = set(recorder.seen)
    tokens = {dict(s)["hidden_states"][0][1] for s in used}
    assert tokens == {6, 24, 8, 32}  # stage 1 and 2 of the 17-frame segment 0 and of a continuation
    assert used <= warmed, f"a stream used {len(used - warmed)} signature(s) warm-up never rendered"


def test_a_fork_from_the_short_first_segment_continues_exactly(short_first: LTX2Generator) -> None:
    state = short_first.new_stream(seed=8)
    audio0, frames0 = render(short_first, state, 0)
    assert frames0.shape[0] == FIRST
    assert audio0.shape[0] == round(FIRST * short_first.geometry.audio_sample_rate / 24)
    saved = short_first.save_state(state)
    audio1, frames1 = render(short_first, state, 1)
    fork = short_first.load_state(saved)
    carry = fork.carry[CARRY_KEY]
    assert isinstance(carry, Carry) and carry.num_frames == FIRST
    fork_audio, fork_frames = render(short_first, fork, 1)
    assert np.array_equal(fork_frames, frames1) and np.array_equal(fork_audio, audio1)


def test_a_state_saved_before_first_segment_frames_existed_continues_at_continuation_length(
    short_first: LTX2Generator,
) -> None:
    state = short_first.new_stream(seed=2)
    render(short_first, state, 0)
    tensors = load_tensors(short_first.save_state(state))
    assert int(tensors["num_frames"].item()) == FIRST
    del tensors["num_frames"]  # a /1 state: every segment was rendered at num_frames then
    carry = short_first.load_state(save_tensors(tensors)).carry[CARRY_KEY]
    assert isinstance(carry, Carry) and carry.num_frames == short_first.geometry.num_frames


def test_the_procedural_generator_renders_the_shorter_first_segment() -> None:
    spec = GeneratorSpec(width=64, height=64, num_frames=25, first_segment_frames=FIRST)
    synthetic = SyntheticGenerator(spec)
    state = synthetic.new_stream(seed=1)
    for idx, frames in enumerate((FIRST, 16, 16)):
        parts = list(synthetic.render_segment(state, SegmentRequest("x", idx)))
        assert isinstance(parts[0], AudioTrack)
        assert sum(len(p.frames) for p in parts[1:] if isinstance(p, VideoFrames)) == frames
        assert parts[0].samples.shape[0] == round(frames * 24000 / 24)
