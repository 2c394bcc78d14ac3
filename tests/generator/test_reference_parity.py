"""Our pipeline vs diffusers' own LTX2Pipeline on the tiny model: same weights, prompt features, noise (same
seeded generator, drawn in the same order), sigmas, guidance 1.0, float32."""

from __future__ import annotations

from typing import Any

import torch
from diffusers import LTX2Pipeline

from dreamverse.generator.ltx2 import latents as L
from dreamverse.generator.ltx2.components import LTX2Components
from dreamverse.generator.ltx2.pipeline import DistilledPipeline, SegmentPlan
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


def test_two_stage_matches_upsampler_and_refine_composition(tiny_pipeline: DistilledPipeline) -> None:
    plan = first_segment_plan(tiny_pipeline)
    ours = tiny_pipeline.generate(PROMPT, plan, torch.Generator().manual_seed(SEED))
    c = tiny_pipeline.c
    ref, upsample = stock_pipelines(c)
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
    ref_video, ref_audio = ref(
        latents=upsampled,
        audio_latents=audio,
        noise_scale=DISTILLED_8_3.stage2[0],
        sigmas=list(DISTILLED_8_3.stage2[:-1]),
        generator=generator,
        **kwargs,
    )
    ours_video = L.denormalize_video(ours.video, c.vae)
    ours_audio = L.unpack_audio(L.denormalize_audio_tokens(ours.audio, c.audio_vae), 4)
    assert ours_video.shape == ref_video.shape == (1, 8, 4, 2, 4)
    assert rel_err(ours_video, ref_video) < 1e-4
    assert rel_err(ours_audio, ref_audio) < 1e-4


def test_decoders_match_diffusers_decode(tiny_pipeline: DistilledPipeline) -> None:
    c = tiny_pipeline.c
    latents = torch.randn((1, 8, 4, 2, 4), generator=torch.Generator().manual_seed(1))
    frames = tiny_pipeline.decode_video(latents)
    with torch.no_grad():
        ref = c.vae.decode(L.denormalize_video(latents, c.vae), None, return_dict=False)[0]
    expected = ((ref[0] / 2 + 0.5).clamp(0, 1) * 255).round().to(torch.uint8).permute(1, 2, 3, 0).numpy()
    assert (frames == expected).all()
    tokens = torch.randn((1, 27, 8), generator=torch.Generator().manual_seed(2))
    wave = tiny_pipeline.decode_audio(tokens)
    assert wave.shape == ((4 * 27 - 3) * 240, 2)  # causal audio VAE: the first latent is one mel frame
