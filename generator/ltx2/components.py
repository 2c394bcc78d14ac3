"""The model components of an LTX-2 pipeline, and building them with seeded random weights.

Model classes come from diffusers (Apache-2.0) and transformers (Gemma 3); no LTX-2 reference code.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import torch
from diffusers import AutoencoderKLLTX2Audio, AutoencoderKLLTX2Video, LTX2VideoTransformer3DModel
from diffusers.pipelines.ltx2 import LTX2LatentUpsamplerModel, LTX2TextConnectors
from diffusers.pipelines.ltx2.vocoder import LTX2Vocoder, LTX2VocoderWithBWE
from torch import nn
from transformers import Gemma3Config, Gemma3ForConditionalGeneration, PreTrainedTokenizerBase

from dreamverse.generator.ltx2.config import COMPONENTS, ModelConfig

logger = logging.getLogger(__name__)

COMPONENT_CLASSES: dict[str, type[Any]] = {
    "transformer": LTX2VideoTransformer3DModel,
    "connectors": LTX2TextConnectors,
    "vae": AutoencoderKLLTX2Video,
    "audio_vae": AutoencoderKLLTX2Audio,
    "latent_upsampler": LTX2LatentUpsamplerModel,
}
ON_DEVICE = ("transformer", "connectors")
VOCODER_CLASSES: dict[str, type[Any]] = {"LTX2Vocoder": LTX2Vocoder, "LTX2VocoderWithBWE": LTX2VocoderWithBWE}


@dataclass(slots=True)
class LTX2Components:
    """Everything one LTX-2 pipeline runs. `text_encoder`/`tokenizer` may be None (random prompt features)."""

    transformer: LTX2VideoTransformer3DModel
    connectors: LTX2TextConnectors
    vae: AutoencoderKLLTX2Video
    audio_vae: AutoencoderKLLTX2Audio
    vocoder: LTX2Vocoder | LTX2VocoderWithBWE
    latent_upsampler: LTX2LatentUpsamplerModel
    text_encoder: nn.Module | None = None
    tokenizer: PreTrainedTokenizerBase | None = None

    def modules(self) -> dict[str, nn.Module]:
        found = {name: getattr(self, name) for name in COMPONENTS}
        if self.text_encoder is not None:
            found["text_encoder"] = self.text_encoder
        return found

    def to(self, device: torch.device | str, dtype: torch.dtype) -> LTX2Components:
        for module in self.modules().values():
            first = next(module.parameters(), None)
            if first is not None and first.dtype != dtype:
                module.to(dtype=dtype)  # diffusers logs a float32-modules notice on dtype casts; skip no-ops
            module.to(device=device).eval()
        return self


def component_class(config: ModelConfig, name: str) -> type[Any]:
    if name == "vocoder":
        return VOCODER_CLASSES[config.pipeline.vocoder_class]
    return COMPONENT_CLASSES[name]


def instantiate(config: ModelConfig, name: str) -> nn.Module:
    """One component with the shipped config and default (random) initialisation."""
    module: nn.Module = component_class(config, name).from_config(config.components[name])
    return module


def tiny_gemma(config: ModelConfig) -> Gemma3ForConditionalGeneration:
    if config.text_encoder is None:
        raise ValueError(f"{config.name} ships no text encoder config")
    return Gemma3ForConditionalGeneration(Gemma3Config(**config.text_encoder))


@contextlib.contextmanager
def _default_dtype(dtype: torch.dtype) -> Iterator[None]:
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        yield
    finally:
        torch.set_default_dtype(previous)


def _randomize_latent_statistics(vae: nn.Module) -> None:
    """Per-channel latent mean/std away from diffusers' 0/1 defaults, so that random weights exercise
    (de)normalisation like a real checkpoint does instead of hiding it."""
    with torch.no_grad():
        mean, std = vae.get_buffer("latents_mean"), vae.get_buffer("latents_std")
        mean.copy_(torch.randn_like(mean) * 0.5)
        std.copy_(torch.rand_like(std) + 0.5)


def build_random_components(
    config: ModelConfig,
    *,
    seed: int = 0,
    device: torch.device | str = "cpu",
    dtype: torch.dtype = torch.float32,
    with_text_encoder: bool = True,
) -> LTX2Components:
    """Seeded random weights for every component, built directly on `device` in `dtype`.

    The same seed gives the same weights (per device). `with_text_encoder` needs a shipped text encoder
    config (only `tiny` has one); without it prompts map to seeded random features of the right shape.
    """
    from dreamverse.generator.ltx2.tokenizer import build_byte_tokenizer

    started = time.perf_counter()
    built: dict[str, nn.Module] = {}
    for index, name in enumerate(COMPONENTS):
        # the big ones straight on the device; small ones on the CPU (some build integer buffers with matmuls)
        where = torch.device(device) if name in ON_DEVICE else torch.device("cpu")
        with where, _default_dtype(dtype if name in ON_DEVICE else torch.float32):
            torch.manual_seed(seed + index)
            built[name] = instantiate(config, name)
            if name in ("vae", "audio_vae"):
                _randomize_latent_statistics(built[name])
    with torch.device("cpu"), _default_dtype(dtype):
        text_encoder = None
        tokenizer = None
        if with_text_encoder and config.text_encoder is not None:
            torch.manual_seed(seed + len(COMPONENTS))
            text_encoder = tiny_gemma(config)
            tokenizer = build_byte_tokenizer(config.pipeline.max_sequence_length)
    components = LTX2Components(**built, text_encoder=text_encoder, tokenizer=tokenizer)
    components.to(device, dtype)
    params = sum(p.numel() for m in components.modules().values() for p in m.parameters())
    logger.info(
        "built random %s weights: %.3f B parameters on %s/%s in %.2f s",
        config.name,
        params / 1e9,
        device,
        dtype,
        time.perf_counter() - started,
    )
    return components
