"""Forks and replays on the tiny model: a saved continuation state restores exactly what a segment left."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pytest
import torch

from dreamverse.generator.base import AudioTrack, SegmentRequest, StreamState, VideoFrames
from dreamverse.generator.errors import ConditioningError
from dreamverse.generator.ltx2.pipeline import SegmentLatents, SegmentPlan
from dreamverse.generator.ltx2.streaming_pipeline import LTX2Generator
from dreamverse.generator.spec import GeneratorSpec
from dreamverse.generator.synthetic import SyntheticGenerator

PROMPTS = ("a red kite", "over the sea", "into a storm", "lightning")


@dataclass
class Rendered:
    """What one segment was conditioned on and produced."""

    plan: SegmentPlan
    seed: int
    latents: SegmentLatents
    audio: np.ndarray
    frames: np.ndarray


class Recorder:
    """Wraps `pipeline.generate` to keep every call's plan, generator seed and latents, in order."""

    def __init__(self, generator: LTX2Generator) -> None:
        self.calls: list[Rendered] = []
        self._generate = generator.pipeline.generate

    def __call__(self, prompt: str, plan: SegmentPlan, generator: torch.Generator) -> SegmentLatents:
        seed = generator.initial_seed()
        latents = self._generate(prompt, plan, generator)
        self.calls.append(Rendered(plan, seed, latents, np.empty(0), np.empty(0)))
        return latents


def render(
    generator: LTX2Generator, state: StreamState, idx: int, prompt: str
) -> tuple[np.ndarray, np.ndarray]:
    parts = list(generator.render_segment(state, SegmentRequest(prompt=prompt, segment_idx=idx)))
    assert isinstance(parts[0], AudioTrack) and all(isinstance(p, VideoFrames) for p in parts[1:])
    return parts[0].samples, np.concatenate([p.frames for p in parts[1:]])  # type: ignore[union-attr]


def rollout(
    generator: LTX2Generator, seed: int, prompts: tuple[str, ...], recorder: Recorder
) -> tuple[list[Rendered], list[bytes]]:
    """Render `prompts` as one stream; (what each segment used and made, the state saved after each)."""
    state = generator.new_stream(seed)
    saved = []
    first = len(recorder.calls)
    for idx, prompt in enumerate(prompts):
        audio, frames = render(generator, state, idx, prompt)
        recorder.calls[-1].audio, recorder.calls[-1].frames = audio, frames
        saved.append(generator.save_state(state))
    return recorder.calls[first:], saved


@pytest.fixture(scope="module")
def recorded(tiny_generator: LTX2Generator) -> Iterator[Recorder]:
    recorder = Recorder(tiny_generator)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tiny_generator.pipeline, "generate", recorder)
        yield recorder


@pytest.fixture(scope="module")
def original(tiny_generator: LTX2Generator, recorded: Recorder) -> tuple[list[Rendered], list[bytes]]:
    """Segments 0-3 of one stream (seed 11), rendered once for the whole module."""
    return rollout(tiny_generator, 11, PROMPTS, recorded)


def test_fork_at_segment_2_of_4_is_conditioned_on_what_segment_3_used(
    tiny_generator: LTX2Generator, recorded: Recorder, original: tuple[list[Rendered], list[bytes]]
) -> None:
    segments, saved = original
    fork_state = tiny_generator.load_state(saved[2])  # the end of segment 2: where segment 3 started
    assert fork_state.segments_rendered == 3 and fork_state.seed == 11
    render(tiny_generator, fork_state, 3, "a calm sunrise instead")
    fork, used = recorded.calls[-1].plan, segments[3].plan
    assert fork.video_condition is not None and used.video_condition is not None
    assert fork.audio_prefix is not None and used.audio_prefix is not None
    assert torch.equal(fork.video_condition, used.video_condition)
    assert torch.equal(fork.audio_prefix, used.audio_prefix)
    assert fork.video_time_offset_s == used.video_time_offset_s
    assert fork.audio_latent_frames == used.audio_latent_frames
    assert recorded.calls[-1].seed == segments[3].seed == fork_state.segment_seed(3)
    assert not torch.equal(recorded.calls[-1].latents.video, segments[3].latents.video)  # another prompt


def test_replay_with_same_seed_and_prompts_gives_identical_latents(
    tiny_generator: LTX2Generator, recorded: Recorder, original: tuple[list[Rendered], list[bytes]]
) -> None:
    again, saved = rollout(tiny_generator, 11, PROMPTS[:2], recorded)
    for a, b in zip(original[0][:2], again, strict=True):
        assert a.seed == b.seed
        assert torch.equal(a.latents.video, b.latents.video)
        assert torch.equal(a.latents.audio, b.latents.audio)
        assert np.array_equal(a.frames, b.frames) and np.array_equal(a.audio, b.audio)
    assert saved == original[1][:2]  # and the saved states are byte for byte the same


def test_fork_with_the_original_prompt_replays_the_original_segment(
    tiny_generator: LTX2Generator, recorded: Recorder, original: tuple[list[Rendered], list[bytes]]
) -> None:
    segments, saved = original
    state = tiny_generator.load_state(saved[1])
    audio, frames = render(tiny_generator, state, 2, PROMPTS[2])
    assert torch.equal(recorded.calls[-1].latents.video, segments[2].latents.video)
    assert torch.equal(recorded.calls[-1].latents.audio, segments[2].latents.audio)
    assert np.array_equal(frames, segments[2].frames) and np.array_equal(audio, segments[2].audio)
    assert tiny_generator.save_state(state) == saved[2]  # and it leaves the same state again


def test_foreign_or_damaged_state_is_refused(
    tiny_generator: LTX2Generator, original: tuple[list[Rendered], list[bytes]]
) -> None:
    with pytest.raises(ConditioningError, match="no segment yet"):
        tiny_generator.save_state(tiny_generator.new_stream(seed=1))
    with pytest.raises(ConditioningError, match="not a saved LTX-2"):
        tiny_generator.load_state(b"garbage")
    synthetic = SyntheticGenerator(GeneratorSpec(width=64, height=64, num_frames=25))
    state = synthetic.new_stream(seed=1)
    list(synthetic.render_segment(state, SegmentRequest("x", 0)))
    with pytest.raises(ConditioningError):
        tiny_generator.load_state(synthetic.save_state(state))
    s = tiny_generator.settings
    bigger = LTX2Generator(
        tiny_generator.pipeline,
        tiny_generator.config,
        type(s)(**{**_fields(tiny_generator), "gen_height": s.gen_height + 64, "height": s.height + 64}),
    )
    with pytest.raises(ConditioningError, match="tail frames"):
        bigger.load_state(original[1][0])


def _fields(generator: LTX2Generator) -> dict[str, object]:
    s = generator.settings
    return {name: getattr(s, name) for name in type(s).__dataclass_fields__}


def test_synthetic_state_round_trips_exactly() -> None:
    synthetic = SyntheticGenerator(GeneratorSpec(width=96, height=64, num_frames=25))
    state = synthetic.new_stream(seed=4)
    segments = []
    saved = []
    for idx in range(3):
        segments.append(list(synthetic.render_segment(state, SegmentRequest(f"p{idx}", idx))))
        saved.append(synthetic.save_state(state))
    fork = synthetic.load_state(saved[0])
    replayed = list(synthetic.render_segment(fork, SegmentRequest("p1", 1)))
    for a, b in zip(segments[1], replayed, strict=True):
        left = a.samples if isinstance(a, AudioTrack) else a.frames
        right = b.samples if isinstance(b, AudioTrack) else b.frames
        assert np.array_equal(left, right)
    assert _arrays(synthetic.save_state(fork)) == _arrays(saved[1])
    with pytest.raises(ConditioningError):
        synthetic.load_state(b"PK\x03\x04 not really a zip")


def _arrays(npz: bytes) -> dict[str, bytes]:
    """An `.npz`'s arrays as raw bytes (the zip itself holds timestamps)."""
    with np.load(io.BytesIO(npz), allow_pickle=False) as archive:
        return {name: archive[name].tobytes() for name in archive.files}
