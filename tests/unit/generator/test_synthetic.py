import itertools
import time

import numpy as np
import pytest

from dreamverse.generator.base import AudioTrack, SegmentRequest, StreamState, VideoFrames
from dreamverse.generator.spec import GeneratorSpec
from dreamverse.generator.synthetic import CHUNK_FRAMES, SyntheticGenerator

SMALL = GeneratorSpec(width=128, height=96, num_frames=25, fps=24)


def render(
    generator: SyntheticGenerator,
    state: StreamState,
    prompt: str,
    segment_idx: int,
    image: bytes | None = None,
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """(frames, audio, chunk sizes) of one segment; checks the audio-first order."""
    parts = list(generator.render_segment(state, SegmentRequest(prompt, segment_idx, image)))
    assert isinstance(parts[0], AudioTrack) and parts[0].sample_rate == generator.geometry.audio_sample_rate
    assert all(isinstance(part, VideoFrames) for part in parts[1:])
    chunks = [part.frames for part in parts[1:] if isinstance(part, VideoFrames)]
    return np.concatenate(chunks), parts[0].samples, [len(c) for c in chunks]


def rollout(spec: GeneratorSpec, prompts: list[str], seed: int = 7) -> list[np.ndarray]:
    generator = SyntheticGenerator(spec)
    state = generator.new_stream(seed)
    return [render(generator, state, prompt, idx)[0] for idx, prompt in enumerate(prompts)]


def mad(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


def test_geometry_frames_and_audio_per_segment() -> None:
    generator = SyntheticGenerator(SMALL)
    geometry = generator.geometry
    assert (geometry.overlap_frames, geometry.audio_sample_rate, geometry.audio_channels) == (9, 24000, 2)
    state = generator.new_stream(1)
    for idx in range(3):
        frames, audio, sizes = render(generator, state, "a lighthouse in fog", idx)
        assert frames.shape == (geometry.frames_for(idx), 96, 128, 3) and frames.dtype == np.uint8
        assert audio.shape == (geometry.audio_samples_for(idx), 2) and audio.dtype == np.float32
        assert np.abs(audio).max() <= 1.0 and np.abs(audio).max() > 0.05
        assert max(sizes) <= CHUNK_FRAMES and sum(sizes) == geometry.frames_for(idx)
    assert state.segments_rendered == 3
    assert set(generator.last_timings().seconds) == {"render", "synthetic_latency"}


def test_deterministic_per_seed_and_prompt() -> None:
    first = SyntheticGenerator(SMALL)
    second = SyntheticGenerator(SMALL)
    state_a, state_b = first.new_stream(3), second.new_stream(3)
    for idx in range(2):
        frames_a, audio_a, _ = render(first, state_a, "a cat on a roof", idx)
        frames_b, audio_b, _ = render(second, state_b, "a cat on a roof", idx)
        np.testing.assert_array_equal(frames_a, frames_b)
        np.testing.assert_array_equal(audio_a, audio_b)
    other_seed = SyntheticGenerator(SMALL)
    assert mad(render(other_seed, other_seed.new_stream(4), "a cat on a roof", 0)[0][0], frames_a[0]) > 0


def test_prompt_changes_picture_and_sound() -> None:
    generator = SyntheticGenerator(SMALL)
    frames_a, audio_a, _ = render(generator, generator.new_stream(1), "a red sunset over the sea", 0)
    frames_b, audio_b, _ = render(generator, generator.new_stream(1), "a forest at night", 0)
    within = max(mad(frames_a[i], frames_a[i + 1]) for i in range(len(frames_a) - 1))
    assert mad(frames_a[0], frames_b[0]) > 5 * within
    assert not np.allclose(audio_a, audio_b, atol=1e-2)


@pytest.mark.parametrize(
    "prompts", [["a calm lake"] * 3, ["a calm lake", "a volcano erupting", "snow in tokyo"]]
)
def test_continuation_is_smooth(prompts: list[str]) -> None:
    segments = rollout(SMALL, prompts)
    steps = [mad(seg[i], seg[i + 1]) for seg in segments for i in range(len(seg) - 1)]
    boundaries = [mad(prev[-1], nxt[0]) for prev, nxt in itertools.pairwise(segments)]
    assert max(boundaries) <= 1.25 * float(np.mean(steps)) + 0.5
    fresh = rollout(SMALL, ["a forest at night"])[0]
    assert mad(segments[-1][-1], fresh[0]) > 5 * max(boundaries)


def test_each_segment_changes_visibly() -> None:
    segments = rollout(SMALL, ["a calm lake"] * 3)
    assert mad(segments[0][0], segments[2][-1]) > 10


def test_audio_continues_across_segments() -> None:
    generator = SyntheticGenerator(SMALL)
    state = generator.new_stream(5)
    _, first, _ = render(generator, state, "rain", 0)
    _, second, _ = render(generator, state, "rain", 1)
    jump = np.abs(second[0] - first[-1]).max()
    typical = np.abs(np.diff(first, axis=0)).max()
    assert jump <= 1.5 * typical


def test_initial_image_changes_first_segment() -> None:
    generator = SyntheticGenerator(SMALL)
    plain = render(generator, generator.new_stream(1), "a boat", 0)[0]
    with_image = render(generator, generator.new_stream(1), "a boat", 0, image=b"\x89PNG fake")[0]
    assert mad(plain[0], with_image[0]) > 1


def test_latency_is_spread_over_chunks() -> None:
    spec = GeneratorSpec(width=64, height=48, num_frames=17, synthetic_latency_ms=300)
    generator = SyntheticGenerator(spec)
    state = generator.new_stream(1)
    started = time.perf_counter()
    parts = generator.render_segment(state, SegmentRequest("x", 0))
    next(parts)  # audio comes without delay
    assert time.perf_counter() - started < 0.2
    list(parts)
    assert time.perf_counter() - started >= 0.3
    assert generator.last_timings().seconds["synthetic_latency"] == pytest.approx(0.3, abs=0.01)


def test_full_size_segment_is_faster_than_real_time() -> None:
    generator = SyntheticGenerator(GeneratorSpec())  # no synthetic latency: all of its time is compute
    # CPU seconds of this process, not wall-clock: on a shared machine (other tests, `pytest -n 2`) the wall
    # clock also counts time spent waiting for a core, which says nothing about the generator. CPU time is
    # what a core of its own would take; every thread counts, so the bound is no looser.
    started = time.process_time()
    frames, _, _ = render(generator, generator.new_stream(1), "speed", 0)
    cpu_s = time.process_time() - started
    assert frames.shape == (121, 512, 768, 3)
    assert cpu_s < 121 / 24  # about 10x faster on one core


def test_rejects_bad_spec() -> None:
    with pytest.raises(ValueError, match="overlap"):
        SyntheticGenerator(GeneratorSpec(num_frames=9))
