"""Continuation carryover on the tiny model: conditioning tokens, audio prefix, a continuous timeline."""

from __future__ import annotations

import io

import numpy as np
import pytest
import torch
from PIL import Image

from dreamverse.generator.base import AudioTrack, SegmentRequest, StreamState, VideoFrames, segment_seed
from dreamverse.generator.errors import ConditioningError
from dreamverse.generator.ltx2 import latents as L
from dreamverse.generator.ltx2.continuation import Carry, SegmentTiming
from dreamverse.generator.ltx2.denoise import TokenState
from dreamverse.generator.ltx2.streaming_pipeline import CARRY_KEY, LTX2Generator, build_ltx2_generator
from dreamverse.generator.spec import GeneratorSpec

PROMPTS = ("a", "b", "c", "d")
# segment 0 at the continuation length (25) and shorter (17, `first_segment_frames`): the same invariants hold
FIRST_SEGMENT_FRAMES = [None, 17]


@pytest.fixture(scope="module", params=FIRST_SEGMENT_FRAMES, ids=lambda f: f"first{f or 'default'}")
def first_segment(request: pytest.FixtureRequest) -> int | None:
    frames: int | None = request.param
    return frames


@pytest.fixture(scope="module")
def stream_generator(first_segment: int | None, tiny_generator: LTX2Generator) -> LTX2Generator:
    if first_segment is None:
        return tiny_generator
    spec = GeneratorSpec(model="tiny", device="cpu", dtype="float32", first_segment_frames=first_segment)
    return build_ltx2_generator(spec)


def render(
    generator: LTX2Generator, state: StreamState, idx: int, prompt: str | None = None, **kw: object
) -> tuple[np.ndarray, np.ndarray]:
    text = PROMPTS[idx % 4] if prompt is None else prompt
    parts = list(generator.render_segment(state, SegmentRequest(prompt=text, segment_idx=idx, **kw)))
    assert isinstance(parts[0], AudioTrack)
    assert all(isinstance(p, VideoFrames) for p in parts[1:])
    return parts[0].samples, np.concatenate([p.frames for p in parts[1:]])  # type: ignore[union-attr]


def record_steps(
    generator: LTX2Generator, state: StreamState, idx: int
) -> list[tuple[TokenState, TokenState]]:
    """Run segment `idx`'s latents (as render_segment would) and keep the token states after every step."""
    plan, _ = generator.plan(state, SegmentRequest(prompt=PROMPTS[idx], segment_idx=idx))
    steps: list[tuple[TokenState, TokenState]] = []
    generator.pipeline.generate(
        PROMPTS[idx], plan, torch.Generator().manual_seed(7), lambda i, v, a: steps.append((v, a))
    )
    return steps


def expected_condition(
    generator: LTX2Generator, pixels: torch.Tensor, num_frames: int | None = None
) -> dict[int, torch.Tensor]:
    """Packed clean tokens per stage of a segment of `num_frames` (default: a continuation's), keyed by the
    stage's number of video tokens."""
    s, pipe = generator.settings, generator.pipeline
    found = {}
    for height, width in ((s.gen_height // 2, s.gen_width // 2), (s.gen_height, s.gen_width)):
        shape = L.VideoLatentShape.for_pixels(pipe.c.vae, num_frames or s.num_frames, height, width)
        found[shape.tokens] = L.pack_video(pipe.encode_pixels(pixels, height, width))
    return found


def test_conditioning_tokens_equal_reencoded_tail_at_every_step(stream_generator: LTX2Generator) -> None:
    state = stream_generator.new_stream(seed=3)
    _, frames0 = render(stream_generator, state, 0)
    carry = state.carry[CARRY_KEY]
    assert isinstance(carry, Carry)
    assert np.array_equal(carry.tail_frames, frames0[-9:])
    assert carry.num_frames == stream_generator.geometry.first_frames == len(frames0)
    pixels = torch.from_numpy(carry.tail_frames).float().div(127.5).sub(1).permute(3, 0, 1, 2)[None]
    expected = expected_condition(stream_generator, pixels)
    steps = record_steps(stream_generator, state, 1)
    assert len(steps) == 8 + 3
    for video, audio in steps:
        clean = expected[video.latents.shape[1]]
        count = clean.shape[1]
        assert count == 2 * (video.latents.shape[1] // 4)  # 9 frames -> 2 of the 4 latent frames
        assert torch.equal(video.latents[:, :count], clean)
        assert bool((video.mask[:, :count] == 0).all()) and bool((video.mask[:, count:] == 1).all())
        prefix = audio.latents[:, : carry.audio_tail.shape[1]]
        assert torch.equal(prefix, carry.audio_tail)


def test_audio_prefix_is_last_audio_latents_of_previous_segment(tiny_generator: LTX2Generator) -> None:
    state = tiny_generator.new_stream(seed=4)
    plan, _ = tiny_generator.plan(state, SegmentRequest(prompt="a", segment_idx=0))
    seed = segment_seed(state.seed, 0)
    latents = tiny_generator.pipeline.generate("a", plan, torch.Generator().manual_seed(seed))
    render(tiny_generator, state, 0, prompt="a")
    carry = state.carry[CARRY_KEY]
    assert isinstance(carry, Carry)
    prefix = tiny_generator.config.pipeline.audio_prefix_latent_frames
    assert 0 < prefix < latents.audio.shape[1]
    assert torch.equal(carry.audio_tail, latents.audio[:, -prefix:])  # the values N really ended with
    assert carry.audio_latent_frames == latents.audio.shape[1]


def timings(generator: LTX2Generator, segments: int) -> list[SegmentTiming]:
    state = generator.new_stream(seed=5)
    found = []
    for idx in range(segments):
        found.append(generator.plan(state, SegmentRequest(prompt="x", segment_idx=idx))[1])
        render(generator, state, idx)
    return found


def test_timeline_is_continuous_and_audio_matches_video(stream_generator: LTX2Generator) -> None:
    g, t = stream_generator.geometry, stream_generator.timeline
    prefix_s = t.audio_prefix_latent_frames / t.audio_latents_per_s
    start_s = 0.0  # absolute time of the segment's audio t = 0
    next_frame_s = next_audio_s = 0.0
    for idx, timing in enumerate(timings(stream_generator, 4)):
        assert timing.video_time_offset_s >= 0
        assert timing.num_frames == (g.first_frames if idx == 0 else g.num_frames)
        first_played = start_s + timing.video_time_offset_s + timing.play_from_frame / g.fps
        assert first_played == pytest.approx(next_frame_s, abs=1e-9)
        assert start_s + timing.audio_window_start_s == pytest.approx(next_audio_s, abs=1e-9)
        window_end = timing.audio_window_start_s + g.audio_samples_for(idx) / g.audio_sample_rate
        assert window_end <= t.decoded_audio_s(timing.audio_latent_frames) + 1e-9  # audio covers the video
        assert t.decoded_audio_s(timing.audio_latent_frames) - window_end < 1 / t.audio_latents_per_s
        next_frame_s = first_played + g.frames_for(idx) / g.fps
        next_audio_s = start_s + window_end
        if idx > 0:
            # the carried prefix is N's last latents: it ends `audio_causal_latents` after N's decoded audio,
            # which ran less than one latent past what N played, where N+1 starts playing
            past_decoded_s = prefix_s - t.audio_causal_latents / t.audio_latents_per_s
            assert 0 <= past_decoded_s - timing.audio_window_start_s < 1 / t.audio_latents_per_s
        start_s += (timing.audio_latent_frames - t.audio_prefix_latent_frames) / t.audio_latents_per_s


def test_segment_sizes_follow_geometry(stream_generator: LTX2Generator, first_segment: int | None) -> None:
    g = stream_generator.geometry
    state = stream_generator.new_stream(seed=6)
    for idx in range(3):
        audio, frames = render(stream_generator, state, idx)
        assert frames.shape == (g.frames_for(idx), g.height, g.width, 3) and frames.dtype == np.uint8
        assert audio.shape == (g.audio_samples_for(idx), g.audio_channels) and audio.dtype == np.float32
        assert abs(audio.shape[0] / g.audio_sample_rate - frames.shape[0] / g.fps) <= 1 / 25
    # 121 / +112 scaled to the tiny geometry; a shorter first segment changes segment 0 only
    first = first_segment or 25
    assert [g.frames_for(i) for i in range(3)] == [first, 16, 16]
    assert set(stream_generator.last_timings().seconds) == {
        "text_encode", "stage1", "upsample", "stage2", "audio_decode", "video_decode"
    }  # fmt: skip


def test_restart_at_segment_zero_resets_and_is_deterministic(tiny_generator: LTX2Generator) -> None:
    state = tiny_generator.new_stream(seed=9)
    first = render(tiny_generator, state, 0)
    render(tiny_generator, state, 1)
    again = render(tiny_generator, state, 0)  # a rewrite starts a fresh segment 0
    assert state.segments_rendered == 1
    assert np.array_equal(first[1], again[1]) and np.array_equal(first[0], again[0])


def test_continuation_without_previous_segment_is_rejected(tiny_generator: LTX2Generator) -> None:
    state = tiny_generator.new_stream(seed=1)
    with pytest.raises(ConditioningError):
        render(tiny_generator, state, 1)
    render(tiny_generator, state, 0)
    with pytest.raises(ConditioningError):
        render(tiny_generator, state, 2)


def png(width: int, height: int) -> bytes:
    rgb = np.zeros((height, width, 3), dtype=np.uint8)
    rgb[..., 0] = np.linspace(0, 255, width, dtype=np.uint8)[None]
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="PNG")
    return buffer.getvalue()


def test_initial_image_conditions_first_latent_frame(tiny_generator: LTX2Generator) -> None:
    state = tiny_generator.new_stream(seed=2)
    request = SegmentRequest(prompt="a", segment_idx=0, initial_image=png(300, 100))
    plan, _ = tiny_generator.plan(state, request)
    assert plan.video_condition is not None and plan.video_condition.shape[2] == 1
    expected = expected_condition(tiny_generator, plan.video_condition)
    steps: list[TokenState] = []
    tiny_generator.pipeline.generate(
        "a", plan, torch.Generator().manual_seed(0), lambda i, v, a: steps.append(v)
    )
    for video in steps:
        clean = expected[video.latents.shape[1]]
        assert clean.shape[1] == video.latents.shape[1] // 4  # one latent frame
        assert torch.equal(video.latents[:, : clean.shape[1]], clean)
    _, frames = render(tiny_generator, state, 0, initial_image=png(300, 100))
    assert frames.shape[0] == 25


def test_bad_initial_image_is_a_conditioning_error(tiny_generator: LTX2Generator) -> None:
    state = tiny_generator.new_stream(seed=2)
    with pytest.raises(ConditioningError):
        render(tiny_generator, state, 0, initial_image=b"not an image")
