"""Latent layouts: video (B, C, F, H, W) ↔ tokens (B, F·H·W, C); audio (B, C, L, M) ↔ tokens (B, L, C·M).

LTX-2 uses patch size 1, so packing is a reshape. Latents inside the pipeline are normalised with the VAEs'
per-channel statistics; the upsampler and the decoders work on denormalised latents.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from diffusers import AutoencoderKLLTX2Audio, AutoencoderKLLTX2Video


@dataclass(frozen=True, slots=True)
class VideoLatentShape:
    frames: int
    height: int
    width: int

    @property
    def tokens(self) -> int:
        return self.frames * self.height * self.width

    @classmethod
    def for_pixels(
        cls, vae: AutoencoderKLLTX2Video, frames: int, height: int, width: int
    ) -> VideoLatentShape:
        ratio_t, ratio_s = vae.temporal_compression_ratio, vae.spatial_compression_ratio
        return cls((frames - 1) // ratio_t + 1, height // ratio_s, width // ratio_s)


def pack_video(latents: torch.Tensor) -> torch.Tensor:
    return latents.flatten(2, 4).transpose(1, 2)


def unpack_video(tokens: torch.Tensor, shape: VideoLatentShape) -> torch.Tensor:
    batch, _, channels = tokens.shape
    return tokens.transpose(1, 2).reshape(batch, channels, shape.frames, shape.height, shape.width)


def pack_audio(latents: torch.Tensor) -> torch.Tensor:
    return latents.transpose(1, 2).flatten(2, 3)


def unpack_audio(tokens: torch.Tensor, mel_bins: int) -> torch.Tensor:
    return torch.unflatten(tokens, 2, (-1, mel_bins)).transpose(1, 2)


def _buffer(vae: torch.nn.Module, name: str, like: torch.Tensor) -> torch.Tensor:
    """A buffer diffusers registers on a VAE (`latents_mean`, `latents_std`), typed, next to `like`."""
    return vae.get_buffer(name).to(like.device, like.dtype)


def _stats(vae: torch.nn.Module, like: torch.Tensor, ndim: int) -> tuple[torch.Tensor, torch.Tensor]:
    shape = (1, -1) + (1,) * (ndim - 2)
    mean, std = _buffer(vae, "latents_mean", like), _buffer(vae, "latents_std", like)
    return mean.view(shape), std.view(shape)


def normalize_video(latents: torch.Tensor, vae: AutoencoderKLLTX2Video) -> torch.Tensor:
    mean, std = _stats(vae, latents, 5)
    scale = float(vae.config.scaling_factor)
    return (latents - mean) * scale / std


def denormalize_video(latents: torch.Tensor, vae: AutoencoderKLLTX2Video) -> torch.Tensor:
    mean, std = _stats(vae, latents, 5)
    scale = float(vae.config.scaling_factor)
    return latents * std / scale + mean


def denormalize_audio_tokens(tokens: torch.Tensor, audio_vae: AutoencoderKLLTX2Audio) -> torch.Tensor:
    mean, std = _buffer(audio_vae, "latents_mean", tokens), _buffer(audio_vae, "latents_std", tokens)
    return tokens * std + mean


def audio_latents_per_second(audio_vae: AutoencoderKLLTX2Audio) -> float:
    config = audio_vae.config
    return (
        float(config.sample_rate) / float(config.mel_hop_length) / float(audio_vae.temporal_compression_ratio)
    )


def latent_mel_bins(audio_vae: AutoencoderKLLTX2Audio) -> int:
    return int(audio_vae.config.mel_bins) // int(audio_vae.mel_compression_ratio)
