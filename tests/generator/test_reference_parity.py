"""Our pipeline vs diffusers' own LTX2Pipeline on the tiny model: same weights, prompt features, noise (same
seeded generator, drawn in the same order), sigmas, guidance 1.0, float32."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
import torch
from diffusers import LTX2Pipeline

from dreamverse.generator.ltx2 import latents as L
from dreamverse.generator.ltx2.components import LTX2Components
from dreamverse.generator.ltx2.pipeline import DistilledPipeline, SegmentLatents, SegmentPlan
from dreamverse.generator.ltx2.schedules import DISTILLED_8_3
from tests.support.ltx2_stock import stock_pipelines

PROMPT = "a red fox runs through snow"
SEED = 1234


def rel_err(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a - b).norm() / b.norm())


def reference(c: LTX2Components) -> LTX2Pipeline:
    return stock_pipelines(c)[0]


def guidance_off(pipeline: DistilledPipeline, fps: float) -> dict[str, Any]:
    features, mask = pipeline.prompts.text_features(PROMPT)
    return {
        "prompt_embeds": features,
        "prompt_attention_mask": mask,
        "guidance_scale": 1.0,
        "stg_scale": 0.0,
        "modality_scale": 1.0,
        "guidance_rescale": 0.0,
        "audio_guidance_scale": 1.0,
        "audio_stg_scale": 0.0,
        "audio_modality_scale": 1.0,
        "audio_guidance_rescale": 0.0,
        "spatio_temporal_guidance_blocks": None,
        "use_cross_timestep": pipeline.settings.use_cross_timestep,
        "frame_rate": fps,
        "max_sequence_length": pipeline.settings.max_sequence_length,
        "output_type": "latent",
        "return_dict": False,
    }


def first_segment_plan(pipeline: DistilledPipeline) -> SegmentPlan:
    s = pipeline.settings
    # diffusers sizes audio as round(duration * 25); the streaming generator rounds up instead (README)
    audio_frames = round(s.num_frames / s.fps * L.audio_latents_per_second(pipeline.c.audio_vae))
    return SegmentPlan(
        width=s.width,
        height=s.height,
        num_frames=s.num_frames,
        fps=float(s.fps),
        audio_latent_frames=audio_frames,
    )


def test_prompt_features_match_diffusers_encode_prompt(tiny_pipeline: DistilledPipeline) -> None:
    ref = reference(tiny_pipeline.c)
    with torch.no_grad():
        embeds, mask, _, _ = ref.encode_prompt(
            PROMPT,
            do_classifier_free_guidance=False,
            max_sequence_length=tiny_pipeline.settings.max_sequence_length,
        )
    ours, ours_mask = tiny_pipeline.prompts.text_features(PROMPT)
    assert torch.equal(mask, ours_mask)
    assert rel_err(ours, embeds) < 1e-6


def test_stage1_matches_ltx2pipeline(tiny_pipeline: DistilledPipeline) -> None:
    plan = first_segment_plan(tiny_pipeline)
    embeddings = tiny_pipeline.prompts.encode(PROMPT)
    video, audio, shape = tiny_pipeline.stage1(embeddings, plan, torch.Generator().manual_seed(SEED), None)
    ref_video, ref_audio = reference(tiny_pipeline.c)(
        height=plan.height // 2,
        width=plan.width // 2,
        num_frames=plan.num_frames,
        sigmas=list(DISTILLED_8_3.stage1[:-1]),
        generator=torch.Generator().manual_seed(SEED),
        **guidance_off(tiny_pipeline, plan.fps),
    )
    ours_video = L.denormalize_video(L.unpack_video(video.latents, shape), tiny_pipeline.c.vae)
    ours_audio = L.unpack_audio(L.denormalize_audio_tokens(audio.latents, tiny_pipeline.c.audio_vae), 4)
    assert ours_video.shape == ref_video.shape and ours_audio.shape == ref_audio.shape
    assert rel_err(ours_video, ref_video) < 1e-4
    assert rel_err(ours_audio, ref_audio) < 1e-4


@dataclass(frozen=True)
class TwoStage:
    """Our segment and diffusers' stage 1 + upsample on the same inputs; stage 2 is left to each test."""

    ours: SegmentLatents
    upsampled: torch.Tensor  # diffusers' upsampled stage-1 video latents (denormalised)
    audio: torch.Tensor  # diffusers' stage-1 audio latents (denormalised)
    generator_state: torch.Tensor  # the seeded generator after stage 1, where stage 2 draws its noise
    kwargs: dict[str, Any]

    def stage2(self, c: LTX2Components, output_type: str) -> tuple[Any, Any]:
        generator = torch.Generator()
        generator.set_state(self.generator_state)
        kwargs = {**self.kwargs, "output_type": output_type}
        return reference(
            c
        )(  # type: ignore[no-any-return]
            latents=self.upsampled,
            audio_latents=self.audio,
            noise_scale=DISTILLED_8_3.stage2[0],
            sigmas=list(DISTILLED_8_3.stage2[:-1]),
            generator=generator,
            **kwargs,
        )


@pytest.fixture(scope="module")
def two_stage(tiny_pipeline: DistilledPipeline) -> TwoStage:
    plan = first_segment_plan(tiny_pipeline)
    ours = tiny_pipeline.generate(PROMPT, plan, torch.Generator().manual_seed(SEED))
    ref, upsample = stock_pipelines(tiny_pipeline.c)
    generator = torch.Generator().manual_seed(SEED)
    kwargs = guidance_off(tiny_pipeline, plan.fps)
    video, audio = ref(
        height=plan.height // 2,
        width=plan.width // 2,
        num_frames=plan.num_frames,
        sigmas=list(DISTILLED_8_3.stage1[:-1]),
        generator=generator,
        **kwargs,
    )
    (upsampled,) = upsample(latents=video, output_type="latent", return_dict=False)
    return TwoStage(ours, upsampled, audio, generator.get_state(), kwargs)


def test_two_stage_matches_upsampler_and_refine_composition(
    tiny_pipeline: DistilledPipeline, two_stage: TwoStage
) -> None:
    c = tiny_pipeline.c
    ref_video, ref_audio = two_stage.stage2(c, "latent")
    ours_video = L.denormalize_video(two_stage.ours.video, c.vae)
    ours_audio = L.unpack_audio(L.denormalize_audio_tokens(two_stage.ours.audio, c.audio_vae), 4)
    assert ours_video.shape == ref_video.shape == (1, 8, 4, 2, 4)
    assert rel_err(ours_video, ref_video) < 1e-4
    assert rel_err(ours_audio, ref_audio) < 1e-4


def test_decoders_match_diffusers_decode(tiny_pipeline: DistilledPipeline, two_stage: TwoStage) -> None:
    """Our video and audio decode of our segment vs the stock pipeline's own decode (`output_type="np"`:
    VAE decode + video post-processing, audio VAE decode + vocoder) of its segment."""
    ref_video, ref_audio = two_stage.stage2(tiny_pipeline.c, "np")
    frames = tiny_pipeline.decode_video(two_stage.ours.video)
    expected = ref_video[0] * 255.0  # (frames, H, W, 3) in [0, 1]
    assert frames.shape == expected.shape and frames.dtype == np.uint8
    assert np.abs(frames.astype(np.float64) - expected).max() <= 0.5 + 1e-3  # rounding only
    wave = tiny_pipeline.decode_audio(two_stage.ours.audio)  # (samples, channels)
    ref_wave = ref_audio[0].float().transpose(0, 1)
    latent_frames = two_stage.ours.audio.shape[1]
    # causal audio VAE: the first latent is one mel frame, the others four; 240 samples per mel frame
    assert wave.shape == tuple(ref_wave.shape) == ((4 * latent_frames - 3) * 240, 2)
    assert rel_err(torch.from_numpy(wave), ref_wave) < 1e-4
