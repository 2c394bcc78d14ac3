"""Deterministic replay and forks on a CUDA GPU (skipped on CPU): the tiny model's stream rendered twice from
the same seed and prompts, and a segment rendered again from the state saved before it, give the same output
within the tolerance stated below. The CPU counterpart (exact equality) is
tests/generator/test_fork_replay.py.

Stated tolerance on one GPU: latents within 1e-3 relative error and decoded frames within 1 (of 255) per
pixel. GPU kernels may reduce in another order between runs (atomics), so exact equality is not promised
there; each test reports what it measured to `$DREAMVERSE_GPU_REPORT`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pytest
import torch

from dreamverse.generator.base import AudioTrack, SegmentRequest, StreamState, VideoFrames
from dreamverse.generator.ltx2.pipeline import SegmentLatents, SegmentPlan
from dreamverse.generator.ltx2.streaming_pipeline import LTX2Generator, build_ltx2_generator
from dreamverse.generator.spec import GeneratorSpec
from tests.support.gpu import relative_error, report

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:torch"),
]

PROMPTS = ("a red kite", "over the sea", "into a storm")
LATENT_RTOL = 1e-3
FRAME_ATOL = 1


def _rollout(
    generator: LTX2Generator, seed: int
) -> tuple[list[SegmentLatents], list[np.ndarray], list[bytes]]:
    """Each segment's latents and frames, and the state saved after it."""
    latents: list[SegmentLatents] = []
    generate = generator.pipeline.generate

    def recording(prompt: str, plan: SegmentPlan, rng: torch.Generator) -> SegmentLatents:
        out = generate(prompt, plan, rng)
        latents.append(out)
        return out

    frames, saved = [], []
    state = generator.new_stream(seed)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(generator.pipeline, "generate", recording)
        for idx, prompt in enumerate(PROMPTS):
            frames.append(_frames(generator, state, idx, prompt))
            saved.append(generator.save_state(state))
    return latents, frames, saved


def _frames(generator: LTX2Generator, state: StreamState, idx: int, prompt: str) -> np.ndarray:
    parts = list(generator.render_segment(state, SegmentRequest(prompt=prompt, segment_idx=idx)))
    assert isinstance(parts[0], AudioTrack)
    return np.concatenate([p.frames for p in parts[1:] if isinstance(p, VideoFrames)])


def _frame_diff(a: np.ndarray, b: np.ndarray) -> int:
    return int(np.abs(a.astype(np.int16) - b.astype(np.int16)).max())


@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
def test_replay_and_fork_on_the_gpu_reproduce_the_stream(dtype: Literal["float32", "bfloat16"]) -> None:
    generator = build_ltx2_generator(GeneratorSpec(model="tiny", device="cuda", dtype=dtype))
    first_latents, first_frames, saved = _rollout(generator, seed=11)
    again_latents, again_frames, _ = _rollout(generator, seed=11)
    replay_err = max(
        max(relative_error(b.video, a.video), relative_error(b.audio, a.audio))
        for a, b in zip(first_latents, again_latents, strict=True)
    )
    replay_px = max(_frame_diff(a, b) for a, b in zip(first_frames, again_frames, strict=True))

    state = generator.load_state(saved[0])  # the end of segment 0: fork there with segment 1's prompt
    forked = _frames(generator, state, 1, PROMPTS[1])
    fork_px = _frame_diff(forked, first_frames[1])
    report(
        f"replay-{dtype}",
        latent_rel_err=replay_err,
        replay_frame_max_diff=replay_px,
        fork_frame_max_diff=fork_px,
    )
    assert replay_err <= LATENT_RTOL
    assert replay_px <= FRAME_ATOL and fork_px <= FRAME_ATOL
