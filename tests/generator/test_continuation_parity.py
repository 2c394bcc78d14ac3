"""Continuation against diffusers on the tiny model, float32, within 1e-4.

- Video conditioning alone (the re-encoded tail at latent index 0) against diffusers' own
  `LTX2ConditionPipeline` call: catches a wrong per-token timestep for the conditioning tokens.
- A whole continuation segment (video conditioning, carried audio prefix, shifted video RoPE time, both
  stages) against diffusers' transformer, scheduler and upsampler driven step by step with the condition
  pipeline's semantics (`tests/support/ltx2_reference.py`): catches a missing RoPE time shift or prefix.
"""

from __future__ import annotations

import numpy as np
import torch
from diffusers.pipelines.ltx2.pipeline_ltx2_condition import LTX2VideoCondition
from diffusers.utils.torch_utils import randn_tensor

from dreamverse.generator.base import SegmentRequest
from dreamverse.generator.ltx2 import latents as L
from dreamverse.generator.ltx2.continuation import Carry, frames_to_pixels
from dreamverse.generator.ltx2.denoise import TokenState
from dreamverse.generator.ltx2.pipeline import DistilledPipeline, SegmentPlan
from dreamverse.generator.ltx2.schedules import DISTILLED_8_3
from dreamverse.generator.ltx2.streaming_pipeline import CARRY_KEY, LTX2Generator
from tests.generator.test_reference_parity import guidance_off, rel_err
from tests.support.ltx2_reference import ContinuationInputs, condition_pipeline, reference_continuation

PROMPT = "a red fox runs through snow"
SEED = 4321


def tail_frames(pipeline: DistilledPipeline, count: int = 9) -> np.ndarray:
    """Smooth seeded frames, so the VAE sees an image and not pure noise."""
    s = pipeline.settings
    rng = np.random.default_rng(0)
    xs = np.mgrid[0 : s.height, 0 : s.width][1]
    frames = [
        np.stack([np.sin(xs / 9 + i + k) * 0.5 + 0.5 + rng.normal(0, 0.05, xs.shape) for k in range(3)], -1)
        for i in range(count)
    ]
    return (np.clip(np.stack(frames), 0, 1) * 255).astype(np.uint8)


def test_video_conditioning_matches_ltx2_condition_pipeline(tiny_pipeline: DistilledPipeline) -> None:
    s, c = tiny_pipeline.settings, tiny_pipeline.c
    tail = tail_frames(tiny_pipeline)
    audio_frames = round(s.num_frames / s.fps * L.audio_latents_per_second(c.audio_vae))
    plan = SegmentPlan(
        width=s.width,
        height=s.height,
        num_frames=s.num_frames,
        fps=float(s.fps),
        audio_latent_frames=audio_frames,
        video_condition=frames_to_pixels(tail),
    )
    prompt = tiny_pipeline.prompts.encode(PROMPT)
    video, audio, shape = tiny_pipeline.stage1(prompt, plan, torch.Generator().manual_seed(SEED), None)
    assert bool((video.mask == 0).any()), "the tail must condition some tokens"

    # the same noise, handed to diffusers as its starting latents (noise_scale 0 keeps them as they are)
    generator = torch.Generator().manual_seed(SEED)
    channels = c.transformer.config.in_channels
    video_noise = randn_tensor((1, channels, shape.frames, shape.height, shape.width), generator=generator)
    audio_noise = randn_tensor((1, c.audio_vae.config.latent_channels, audio_frames, 4), generator=generator)
    kwargs = guidance_off(tiny_pipeline, plan.fps)
    kwargs.pop("max_sequence_length")
    ref_video, ref_audio = condition_pipeline(c)(
        conditions=[LTX2VideoCondition(frames=tail, index=0)],
        height=s.height // 2,
        width=s.width // 2,
        num_frames=s.num_frames,
        latents=L.denormalize_video(video_noise, c.vae),
        audio_latents=L.unpack_audio(L.denormalize_audio_tokens(L.pack_audio(audio_noise), c.audio_vae), 4),
        noise_scale=0.0,
        sigmas=list(DISTILLED_8_3.stage1[:-1]),
        generator=torch.Generator().manual_seed(SEED),
        **kwargs,
    )
    ours_video = L.denormalize_video(L.unpack_video(video.latents, shape), c.vae)
    ours_audio = L.unpack_audio(L.denormalize_audio_tokens(audio.latents, c.audio_vae), 4)
    assert ours_video.shape == ref_video.shape and ours_audio.shape == ref_audio.shape
    assert rel_err(ours_video, ref_video) < 1e-4
    assert rel_err(ours_audio, ref_audio) < 1e-4


def continuation_plan(generator: LTX2Generator) -> tuple[SegmentPlan, Carry]:
    state = generator.new_stream(seed=11)
    list(generator.render_segment(state, SegmentRequest(prompt="a fox", segment_idx=0)))
    carry = state.carry[CARRY_KEY]
    assert isinstance(carry, Carry)
    plan, _ = generator.plan(state, SegmentRequest(prompt=PROMPT, segment_idx=1))
    return plan, carry


def test_continuation_segment_matches_diffusers_step_by_step(tiny_generator: LTX2Generator) -> None:
    plan, carry = continuation_plan(tiny_generator)
    assert plan.video_time_offset_s > 0 and plan.audio_prefix is not None  # a real continuation
    pipeline = tiny_generator.pipeline
    ours: list[tuple[TokenState, TokenState]] = []
    pipeline.generate(PROMPT, plan, torch.Generator().manual_seed(SEED), lambda i, v, a: ours.append((v, a)))
    inputs = ContinuationInputs(
        tail_frames=carry.tail_frames,
        audio_prefix=carry.audio_tail,
        video_time_offset_s=plan.video_time_offset_s,
        audio_latent_frames=plan.audio_latent_frames,
        width=plan.width,
        height=plan.height,
        num_frames=plan.num_frames,
        fps=plan.fps,
    )
    expected = reference_continuation(
        pipeline.c,
        inputs,
        pipeline.prompts.encode(PROMPT),
        pipeline.schedule.stage1,
        pipeline.schedule.stage2,
        SEED,
        pipeline.settings.use_cross_timestep,
    )
    assert len(ours) == len(expected) == 8 + 3
    for step, ((video, audio), (ref_video, ref_audio)) in enumerate(zip(ours, expected, strict=True)):
        assert rel_err(video.latents, ref_video) < 1e-4, f"video differs after step {step}"
        assert rel_err(audio.latents, ref_audio) < 1e-4, f"audio differs after step {step}"
