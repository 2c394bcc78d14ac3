"""Our distilled two-stage LTX-2 pipeline for one segment: latents, upsample, refine, decode.

Stage 1 denoises video+audio at half resolution from noise; the latent upsampler doubles the video latents;
stage 2 re-noises to the first stage-2 sigma and refines at full resolution. Conditioning (a first-frame
image or the re-encoded tail of the previous segment) enters as clean tokens at the start of the video, and
a carried audio prefix as clean tokens at the start of the audio, in both stages.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from diffusers.utils.torch_utils import randn_tensor

from dreamverse.generator.ltx2 import latents as L
from dreamverse.generator.ltx2.components import LTX2Components
from dreamverse.generator.ltx2.config import PipelineSettings
from dreamverse.generator.ltx2.denoise import DenoiseContext, StepCallback, TokenState, denoise
from dreamverse.generator.ltx2.graphs import TransformerForward
from dreamverse.generator.ltx2.schedules import Schedule
from dreamverse.generator.ltx2.tail_chunked_decode import TailChunkedDecode
from dreamverse.generator.ltx2.text import PromptEmbeddings, PromptEncoder

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SegmentPlan:
    """Shape and conditioning of one segment (full output resolution)."""

    width: int
    height: int
    num_frames: int
    fps: float
    audio_latent_frames: int
    video_time_offset_s: float = 0.0  # added to the video RoPE time so a carried audio prefix sits before t=0
    video_condition: torch.Tensor | None = None  # (1, 3, n, H, W) pixels in [-1, 1], clean at latent index 0
    audio_prefix: torch.Tensor | None = None  # (1, P, D) normalised audio tokens, clean at audio index 0


@dataclass(slots=True)
class SegmentLatents:
    video: torch.Tensor  # (1, C, F, H, W) normalised, full resolution
    audio: torch.Tensor  # (1, L, D) normalised audio tokens
    seconds: dict[str, float] = field(default_factory=dict)


def pixels_to_frames(pixels: torch.Tensor) -> torch.Tensor:
    """Decoded pixels (3, F, H, W) in [-1, 1] → uint8 RGB frames (F, H, W, 3) on the same device."""
    frames = ((pixels.float() / 2 + 0.5).clamp(0, 1) * 255).round().to(torch.uint8)
    return frames.permute(1, 2, 3, 0).contiguous()


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


class DistilledPipeline:
    """Runs one segment's stages on preloaded components. Stateless between segments."""

    def __init__(
        self,
        components: LTX2Components,
        settings: PipelineSettings,
        schedule: Schedule,
        device: torch.device,
        prompt_cache_size: int = 64,
    ) -> None:
        self.c = components
        self.settings = settings
        self.schedule = schedule
        self.device = device
        self.prompts = PromptEncoder(
            components.connectors,
            components.text_encoder,
            components.tokenizer,
            max_sequence_length=settings.max_sequence_length,
            device=device,
            cache_size=prompt_cache_size,
        )
        self.mel_bins = L.latent_mel_bins(components.audio_vae)
        # replaces the transformer's call in both stages (CUDA graphs); None: the transformer itself
        self.forward: TransformerForward | None = None
        # replaces the video VAE's decode, latents → pixels (a split decode); None: `vae.decode`
        self.video_decode: Callable[[torch.Tensor], torch.Tensor] | None = None
        # decodes in temporal chunks, the first frames sooner (`--stream-decode`); None: in one piece
        self.chunked_decode: TailChunkedDecode | None = None

    # -- conditioning -------------------------------------------------------------------------------------
    @torch.no_grad()
    def encode_pixels(self, pixels: torch.Tensor, height: int, width: int) -> torch.Tensor:
        """(1, 3, n, H', W') in [-1, 1] → normalised latents (1, C, f, h, w) at `height`x`width`."""
        vae = self.c.vae
        if pixels.shape[-2:] != (height, width):
            frames = pixels[0].transpose(0, 1)  # (n, 3, H', W')
            # plain bilinear, as LTX-2's own conditioning code and diffusers' LTX2ConditionPipeline resize
            frames = F.interpolate(frames.float(), size=(height, width), mode="bilinear", align_corners=False)
            pixels = frames.transpose(0, 1).unsqueeze(0)
        encoded = vae.encode(pixels.to(self.device, vae.dtype)).latent_dist.mode()
        return L.normalize_video(encoded.float(), vae)

    def _conditioned(
        self, noise: torch.Tensor, clean: torch.Tensor | None, coords: torch.Tensor, per_frame: int
    ) -> TokenState:
        """Token state from packed noise; `clean` (packed) becomes the first tokens, as mask-0 tokens."""
        mask = torch.ones(noise.shape[:2], device=noise.device, dtype=torch.float32)
        full_clean = torch.zeros_like(noise)
        if clean is not None:
            count = clean.shape[1]
            if count % per_frame:
                raise ValueError("conditioning must cover whole latent frames")
            mask[:, :count] = 0.0
            full_clean[:, :count] = clean
        latents = torch.where(mask.unsqueeze(-1) > 0, noise, full_clean)
        return TokenState(latents=latents, clean=full_clean, mask=mask, coords=coords)

    def _video_coords(self, shape: L.VideoLatentShape, plan: SegmentPlan) -> torch.Tensor:
        rope = self.c.transformer.rope
        coords: torch.Tensor = rope.prepare_video_coords(
            1, shape.frames, shape.height, shape.width, self.device, fps=plan.fps
        )
        coords[:, 0] = coords[:, 0] + plan.video_time_offset_s
        return coords

    def _audio_coords(self, frames: int) -> torch.Tensor:
        coords: torch.Tensor = self.c.transformer.audio_rope.prepare_audio_coords(1, frames, self.device)
        return coords

    def _video_condition(self, plan: SegmentPlan, height: int, width: int) -> torch.Tensor | None:
        if plan.video_condition is None:
            return None
        return L.pack_video(self.encode_pixels(plan.video_condition, height, width))

    def _context(self, prompt: PromptEmbeddings, video_frames: int, audio_frames: int) -> DenoiseContext:
        return DenoiseContext(
            prompt=prompt,
            video_frames=video_frames,
            audio_frames=audio_frames,
            use_cross_timestep=self.settings.use_cross_timestep,
            timestep_scale=float(self.c.transformer.config.timestep_scale_multiplier),
        )

    # -- stages -------------------------------------------------------------------------------------------
    def stage1(
        self,
        prompt: PromptEmbeddings,
        plan: SegmentPlan,
        generator: torch.Generator,
        on_step: StepCallback | None,
    ) -> tuple[TokenState, TokenState, L.VideoLatentShape]:
        height, width = plan.height // 2, plan.width // 2
        shape = L.VideoLatentShape.for_pixels(self.c.vae, plan.num_frames, height, width)
        channels = self.c.transformer.config.in_channels
        video_noise = randn_tensor(
            (1, channels, shape.frames, shape.height, shape.width),
            generator=generator,
            device=self.device,
            dtype=torch.float32,
        )
        audio_channels = self.c.audio_vae.config.latent_channels
        audio_noise = randn_tensor(
            (1, audio_channels, plan.audio_latent_frames, self.mel_bins),
            generator=generator,
            device=self.device,
            dtype=torch.float32,
        )
        per_frame = shape.height * shape.width
        video = self._conditioned(
            L.pack_video(video_noise),
            self._video_condition(plan, height, width),
            self._video_coords(shape, plan),
            per_frame,
        )
        audio = self._conditioned(
            L.pack_audio(audio_noise), plan.audio_prefix, self._audio_coords(plan.audio_latent_frames), 1
        )
        context = self._context(prompt, shape.frames, plan.audio_latent_frames)
        video, audio = denoise(
            self.c.transformer, video, audio, self.schedule.stage1, context, on_step, self.forward
        )
        return video, audio, shape

    @torch.no_grad()
    def upsample(self, video: torch.Tensor, shape: L.VideoLatentShape) -> torch.Tensor:
        """Packed normalised stage-1 tokens → normalised x2 latents (1, C, F, 2H, 2W)."""
        vae, upsampler = self.c.vae, self.c.latent_upsampler
        latents = L.denormalize_video(L.unpack_video(video, shape), vae)
        upsampled = upsampler(latents.to(upsampler.dtype)).float()
        return L.normalize_video(upsampled, vae)

    def stage2(
        self,
        prompt: PromptEmbeddings,
        plan: SegmentPlan,
        upsampled: torch.Tensor,
        audio: TokenState,
        generator: torch.Generator,
        on_step: StepCallback | None,
    ) -> tuple[TokenState, TokenState]:
        sigma = self.schedule.stage2[0]
        _, _, frames, height, width = upsampled.shape
        shape = L.VideoLatentShape(frames, height, width)
        packed = L.pack_video(upsampled)
        video_noise = randn_tensor(packed.shape, generator=generator, device=self.device, dtype=torch.float32)
        audio_noise = randn_tensor(
            audio.latents.shape, generator=generator, device=self.device, dtype=torch.float32
        )
        video = self._conditioned(
            packed,
            self._video_condition(plan, plan.height, plan.width),
            self._video_coords(shape, plan),
            height * width,
        )
        video = TokenState(latents=packed, clean=video.clean, mask=video.mask, coords=video.coords)
        video = video.noised(sigma, video_noise)
        audio = audio.noised(sigma, audio_noise)
        context = self._context(prompt, frames, audio.latents.shape[1])
        return denoise(self.c.transformer, video, audio, self.schedule.stage2, context, on_step, self.forward)

    def generate(
        self, prompt: str, plan: SegmentPlan, generator: torch.Generator, on_step: StepCallback | None = None
    ) -> SegmentLatents:
        """Both stages; `seconds` holds text encode, stage 1, upsample and stage 2 times."""
        seconds: dict[str, float] = {}
        started = time.perf_counter()
        embeddings = self.prompts.encode(prompt)
        _sync(self.device)
        seconds["text_encode"] = time.perf_counter() - started
        mark = time.perf_counter()
        video, audio, shape = self.stage1(embeddings, plan, generator, on_step)
        _sync(self.device)
        seconds["stage1"] = time.perf_counter() - mark
        mark = time.perf_counter()
        upsampled = self.upsample(video.latents, shape)
        _sync(self.device)
        seconds["upsample"] = time.perf_counter() - mark
        mark = time.perf_counter()
        video, audio = self.stage2(embeddings, plan, upsampled, audio, generator, on_step)
        _sync(self.device)
        seconds["stage2"] = time.perf_counter() - mark
        final = L.unpack_video(video.latents, L.VideoLatentShape(*upsampled.shape[2:]))
        return SegmentLatents(video=final, audio=audio.latents, seconds=seconds)

    # -- decode -------------------------------------------------------------------------------------------
    @torch.no_grad()
    def decode_audio(self, audio_tokens: torch.Tensor) -> np.ndarray:
        """Normalised audio tokens (1, L, D) → float32 waveform (samples, channels)."""
        audio_vae = self.c.audio_vae
        latents = L.unpack_audio(L.denormalize_audio_tokens(audio_tokens, audio_vae), self.mel_bins)
        mel = audio_vae.decode(latents.to(audio_vae.dtype), return_dict=False)[0]
        vocoder = self.c.vocoder
        wave: torch.Tensor = vocoder(mel.to(next(vocoder.parameters()).dtype))
        return wave[0].float().transpose(0, 1).contiguous().cpu().numpy()

    @torch.no_grad()
    def decode_video_frames(self, video_latents: torch.Tensor) -> torch.Tensor:
        """Normalised latents (1, C, F, H, W) → uint8 RGB frames (frames, H, W, 3) on the pipeline's device
        (made uint8 there, so a quarter of the bytes cross to the host)."""
        vae = self.c.vae
        latents = L.denormalize_video(video_latents, vae).to(vae.dtype)
        if self.video_decode is not None:
            pixels = self.video_decode(latents)
        else:
            pixels = vae.decode(latents, None, return_dict=False)[0]
        return pixels_to_frames(pixels[0])

    def decode_video_chunks(self, video_latents: torch.Tensor) -> Iterator[torch.Tensor]:
        """`decode_video_frames` in temporal chunks, in order, each as soon as it is decoded: with
        `chunked_decode` set, and neither a split decode nor VAE tiling (which the chunks do not do), two
        chunks; otherwise the segment in one."""
        vae = self.c.vae
        if self.chunked_decode is None or self.video_decode is not None or vae.use_tiling:
            yield self.decode_video_frames(video_latents)
            return
        latents = L.denormalize_video(video_latents, vae).to(vae.dtype)
        for pixels in self.chunked_decode.chunks(latents):
            yield pixels_to_frames(pixels[0])

    def decode_video(self, video_latents: torch.Tensor) -> np.ndarray:
        """`decode_video_frames`, copied to a numpy array."""
        return self.decode_video_frames(video_latents).cpu().numpy()
