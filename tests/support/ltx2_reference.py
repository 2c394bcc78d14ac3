"""A continuation segment computed the way diffusers' `LTX2ConditionPipeline` would, step by step.

diffusers has no audio prefix and no video RoPE time shift, so this loop drives diffusers' own pieces
directly: the condition pipeline's `prepare_latents` (VAE encode, normalise, place the conditioning frames at
latent index 0 with a conditioning mask), its per-token timestep `t * (1 - conditioning_mask)` and its
x0-space blend with the clean values, the `FlowMatchEulerDiscreteScheduler` step, the latent upsampler
pipeline, and the transformer. The audio prefix gets the same conditioning-mask treatment as video tokens.
Noise is drawn from one seeded generator in the order our pipeline draws it, so both see the same inputs.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from diffusers.pipelines.ltx2.pipeline_ltx2_condition import LTX2ConditionPipeline, LTX2VideoCondition
from diffusers.utils.torch_utils import randn_tensor

from dreamverse.generator.ltx2.components import LTX2Components
from dreamverse.generator.ltx2.text import PromptEmbeddings
from tests.support.ltx2_stock import distilled_scheduler, stock, upsample_pipeline

CPU = torch.device("cpu")


@dataclass(frozen=True, slots=True)
class ContinuationInputs:
    tail_frames: np.ndarray  # (n, H, W, 3) uint8 at full resolution
    audio_prefix: torch.Tensor  # (1, P, D) normalised audio tokens
    video_time_offset_s: float
    audio_latent_frames: int
    width: int
    height: int
    num_frames: int
    fps: float


@dataclass(slots=True)
class Tokens:
    latents: torch.Tensor  # (1, S, C)
    conditioning_mask: torch.Tensor  # (1, S, 1): 1 = clean conditioning (diffusers' convention)
    clean: torch.Tensor  # (1, S, C)
    coords: torch.Tensor


def condition_pipeline(c: LTX2Components) -> LTX2ConditionPipeline:
    return stock(LTX2ConditionPipeline, c)


def _video_condition(
    pipe: LTX2ConditionPipeline, x: ContinuationInputs, height: int, width: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """diffusers' conditioning mask and clean latents for the tail frames at latent index 0."""
    _, mask, clean, keyframes = pipe.prepare_latents(
        conditions=[LTX2VideoCondition(frames=x.tail_frames, index=0)],
        num_channels_latents=pipe.transformer.config.in_channels,
        height=height,
        width=width,
        num_frames=x.num_frames,
        frame_rate=x.fps,
        noise_scale=1.0,
        dtype=torch.float32,
        device=CPU,
        generator=torch.Generator().manual_seed(0),  # only its unused noise draw
    )
    assert keyframes is None
    return mask, clean


def _audio_condition(prefix: torch.Tensor, frames: int) -> tuple[torch.Tensor, torch.Tensor]:
    mask = torch.zeros((1, frames, 1))
    mask[:, : prefix.shape[1]] = 1.0
    clean = torch.zeros((1, frames, prefix.shape[2]))
    clean[:, : prefix.shape[1]] = prefix
    return mask, clean


def _noised(
    latents: torch.Tensor, mask: torch.Tensor, clean: torch.Tensor, noise: torch.Tensor, sigma: float
):
    """diffusers' `prepare_latents` mixing: conditioning tokens clean, the rest at `sigma`."""
    latents = clean * mask + latents * (1 - mask)
    scaled = (1.0 - mask) * sigma
    return noise * scaled + latents * (1 - scaled)


def _denoise(
    pipe: LTX2ConditionPipeline,
    video: Tokens,
    audio: Tokens,
    sigmas: Sequence[float],
    prompt: PromptEmbeddings,
    use_cross_timestep: bool,
) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """The condition pipeline's loop without guidance; returns (video, audio) latents after every step."""
    scheduler = distilled_scheduler()
    scheduler.set_timesteps(sigmas=list(sigmas[:-1]), device=CPU)
    audio_scheduler = copy.deepcopy(scheduler)
    v, a = video.latents, audio.latents
    steps = []
    for i, t in enumerate(scheduler.timesteps):
        timestep = t.expand(1)
        v_pred, a_pred = pipe.transformer(
            hidden_states=v,
            audio_hidden_states=a,
            encoder_hidden_states=prompt.video,
            audio_encoder_hidden_states=prompt.audio,
            timestep=timestep.unsqueeze(-1) * (1 - video.conditioning_mask.squeeze(-1)),
            audio_timestep=timestep.unsqueeze(-1) * (1 - audio.conditioning_mask.squeeze(-1)),
            sigma=timestep,
            encoder_attention_mask=prompt.mask,
            audio_encoder_attention_mask=prompt.mask,
            video_coords=video.coords,
            audio_coords=audio.coords,
            audio_num_frames=a.shape[1],
            use_cross_timestep=use_cross_timestep,
            return_dict=False,
        )
        new = []
        for x, pred, tokens, sched in ((v, v_pred, video, scheduler), (a, a_pred, audio, audio_scheduler)):
            x0 = pipe.convert_velocity_to_x0(x, pred, i, sched)
            x0 = x0 * (1 - tokens.conditioning_mask) + tokens.clean * tokens.conditioning_mask
            velocity = pipe.convert_x0_to_velocity(x, x0, i, sched)
            new.append(sched.step(velocity, t, x, return_dict=False)[0])
        v, a = new
        steps.append((v, a))
    return steps


def _video_coords(pipe: LTX2ConditionPipeline, frames: int, height: int, width: int, x: ContinuationInputs):
    coords = pipe.transformer.rope.prepare_video_coords(1, frames, height, width, CPU, fps=x.fps)
    coords[:, 0] = coords[:, 0] + x.video_time_offset_s  # the audio prefix sits before video t = 0
    return coords


@torch.no_grad()
def reference_continuation(
    c: LTX2Components,
    x: ContinuationInputs,
    prompt: PromptEmbeddings,
    stage1: Sequence[float],
    stage2: Sequence[float],
    seed: int,
    use_cross_timestep: bool,
) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Both stages of a continuation; (video, audio) normalised tokens after every step of both stages."""
    pipe = condition_pipeline(c)
    generator = torch.Generator().manual_seed(seed)
    vae_s, vae_t = pipe.vae_spatial_compression_ratio, pipe.vae_temporal_compression_ratio
    frames = (x.num_frames - 1) // vae_t + 1
    height, width = x.height // 2, x.width // 2
    channels = pipe.transformer.config.in_channels
    mel_bins = pipe.audio_mel_bins // pipe.audio_vae_mel_compression_ratio
    shape = (1, channels, frames, height // vae_s, width // vae_s)
    video_noise = pipe._pack_latents(randn_tensor(shape, generator=generator, dtype=torch.float32))
    audio_shape = (1, pipe.audio_latent_channels, x.audio_latent_frames, mel_bins)
    audio_noise = pipe._pack_audio_latents(
        randn_tensor(audio_shape, generator=generator, dtype=torch.float32)
    )

    mask, clean = _video_condition(pipe, x, height, width)
    video = Tokens(
        _noised(video_noise, mask, clean, video_noise, 1.0),
        mask,
        clean,
        _video_coords(pipe, frames, height // vae_s, width // vae_s, x),
    )
    audio_mask, audio_clean = _audio_condition(x.audio_prefix, x.audio_latent_frames)
    audio_coords = pipe.transformer.audio_rope.prepare_audio_coords(1, x.audio_latent_frames, CPU)
    audio = Tokens(
        _noised(audio_noise, audio_mask, audio_clean, audio_noise, 1.0), audio_mask, audio_clean, audio_coords
    )
    steps = _denoise(pipe, video, audio, stage1, prompt, use_cross_timestep)

    # 2x latent upsample through diffusers' pipeline (it takes and returns denormalised latents)
    v, a = steps[-1]
    mean, std, scale = pipe.vae.latents_mean, pipe.vae.latents_std, pipe.vae.config.scaling_factor
    latents = pipe._denormalize_latents(pipe._unpack_latents(v, *shape[2:]), mean, std, scale)
    (upsampled,) = upsample_pipeline(c)(latents=latents, output_type="latent", return_dict=False)
    full = upsampled.shape[2:]
    packed = pipe._pack_latents(pipe._normalize_latents(upsampled, mean, std, scale))
    video_noise = randn_tensor(packed.shape, generator=generator, dtype=torch.float32)
    audio_noise = randn_tensor(a.shape, generator=generator, dtype=torch.float32)
    mask, clean = _video_condition(pipe, x, x.height, x.width)
    video = Tokens(
        _noised(packed, mask, clean, video_noise, stage2[0]), mask, clean, _video_coords(pipe, *full, x)
    )
    audio = Tokens(
        _noised(a, audio_mask, audio_clean, audio_noise, stage2[0]), audio_mask, audio_clean, audio_coords
    )
    return steps + _denoise(pipe, video, audio, stage2, prompt, use_cross_timestep)
