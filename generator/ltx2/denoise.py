"""The distilled Euler loop over video and audio tokens with per-token denoise masks.

A token's timestep is sigma * mask (times the model's timestep scale): mask 1 tokens are denoised, mask 0
tokens are clean conditioning. The model predicts velocity (x_t = (1 - sigma) * x0 + sigma * noise); after
every step the conditioning tokens are reset to their clean values, so they never drift.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from diffusers import LTX2VideoTransformer3DModel

from dreamverse.generator.ltx2.graphs import TransformerForward
from dreamverse.generator.ltx2.text import PromptEmbeddings


@dataclass(slots=True)
class TokenState:
    """One modality's tokens during denoising (float32)."""

    latents: torch.Tensor  # (B, S, C) current sample
    clean: torch.Tensor  # (B, S, C) conditioning values where mask == 0 (ignored elsewhere)
    mask: torch.Tensor  # (B, S) 1 = denoise, 0 = clean conditioning
    coords: torch.Tensor  # RoPE patch bounds, (B, 3, S, 2) video or (B, 1, S, 2) audio

    @property
    def is_fully_noised(self) -> bool:
        return bool((self.mask == 1).all())

    def noised(self, sigma: float, noise: torch.Tensor) -> TokenState:
        """Re-noise the denoised tokens to `sigma`; conditioning tokens stay clean."""
        mixed = sigma * noise + (1.0 - sigma) * self.latents
        latents = torch.where(self.mask.unsqueeze(-1) > 0, mixed, self.clean)
        return TokenState(latents=latents, clean=self.clean, mask=self.mask, coords=self.coords)


@dataclass(frozen=True, slots=True)
class DenoiseContext:
    """What stays fixed across the steps of one stage."""

    prompt: PromptEmbeddings
    video_frames: int  # latent frames (only used for logging/shape checks)
    audio_frames: int
    use_cross_timestep: bool
    timestep_scale: float


StepCallback = Callable[[int, TokenState, TokenState], None]


def _timesteps(state: TokenState, scaled_sigma: torch.Tensor) -> torch.Tensor:
    batch = state.latents.shape[0]
    if state.is_fully_noised:
        return scaled_sigma.expand(batch)  # one embedding per sample, as the stock pipeline does
    return scaled_sigma * state.mask


def _euler_update(state: TokenState, velocity: torch.Tensor, sigma: float, sigma_next: float) -> TokenState:
    mask = state.mask.unsqueeze(-1)
    stepped = state.latents + (sigma_next - sigma) * velocity
    latents = torch.where(mask > 0, stepped, state.clean)
    return TokenState(latents=latents, clean=state.clean, mask=state.mask, coords=state.coords)


@torch.no_grad()
def denoise(
    transformer: LTX2VideoTransformer3DModel,
    video: TokenState,
    audio: TokenState,
    sigmas: Sequence[float],
    context: DenoiseContext,
    on_step: StepCallback | None = None,
    forward: TransformerForward | None = None,
) -> tuple[TokenState, TokenState]:
    """Run len(sigmas) - 1 Euler steps (one transformer forward each, no guidance). `forward` replaces the
    transformer's own call (a `GraphedForward` replaying CUDA graphs); the math is the same."""
    dtype = transformer.dtype
    call = forward if forward is not None else transformer
    sigma_table = torch.tensor(list(sigmas), dtype=torch.float32, device=video.latents.device)
    prompt = context.prompt
    for step in range(len(sigmas) - 1):
        sigma, sigma_next = float(sigmas[step]), float(sigmas[step + 1])
        scaled = sigma_table[step] * context.timestep_scale
        batch_sigma = scaled.expand(video.latents.shape[0])
        video_v, audio_v = call(
            hidden_states=video.latents.to(dtype),
            audio_hidden_states=audio.latents.to(dtype),
            encoder_hidden_states=prompt.video,
            audio_encoder_hidden_states=prompt.audio,
            timestep=_timesteps(video, scaled),
            audio_timestep=_timesteps(audio, scaled),
            sigma=batch_sigma,
            encoder_attention_mask=prompt.mask,
            audio_encoder_attention_mask=prompt.mask,
            video_coords=video.coords,
            audio_coords=audio.coords,
            audio_num_frames=context.audio_frames,
            use_cross_timestep=context.use_cross_timestep,
            return_dict=False,
        )
        video = _euler_update(video, video_v.float(), sigma, sigma_next)
        audio = _euler_update(audio, audio_v.float(), sigma, sigma_next)
        if on_step is not None:
            on_step(step, video, audio)
    return video, audio
