"""Shipped model configurations: diffusers-style component configs plus our pipeline settings.

`generator/configs/<model>/` holds one JSON per component (what the hub would supply as `config.json`) and
`pipeline.json` with the streaming defaults, so every model loads offline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from dreamverse.generator.errors import GeneratorConfigError

COMPONENTS = ("transformer", "connectors", "vae", "audio_vae", "vocoder", "latent_upsampler")
MODELS = ("tiny", "ltx2")


@dataclass(frozen=True, slots=True)
class PipelineSettings:
    """Per-model streaming defaults (`pipeline.json`)."""

    width: int
    height: int
    num_frames: int
    fps: int
    overlap_frames: int  # decoded frames of segment N re-encoded as clean latents of N+1
    audio_prefix_latent_frames: int  # audio latent frames of N kept as a clean prefix of N+1
    max_sequence_length: int  # prompt tokens (Gemma, left padded)
    use_cross_timestep: bool  # a2v/v2a modulation from the other modality's sigma (LTX-2.3)
    vocoder_class: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class ModelConfig:
    name: str
    pipeline: PipelineSettings
    components: dict[str, dict[str, Any]] = field(default_factory=dict)
    text_encoder: dict[str, Any] | None = None  # transformers config; shipped for `tiny` only


def _read_json(model: str, name: str) -> dict[str, Any] | None:
    path = resources.files("dreamverse.generator").joinpath("configs", model, f"{name}.json")
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def load_model_config(model: str) -> ModelConfig:
    """The shipped configuration of `model` ("tiny", "ltx2")."""
    if model not in MODELS:
        raise GeneratorConfigError(f"unknown LTX-2 model {model!r}; expected one of {', '.join(MODELS)}")
    pipeline = _read_json(model, "pipeline")
    if pipeline is None:
        raise GeneratorConfigError(f"no shipped pipeline.json for {model!r}")
    components: dict[str, dict[str, Any]] = {}
    for name in COMPONENTS:
        data = _read_json(model, name)
        if data is None:
            raise GeneratorConfigError(f"no shipped {name}.json for {model!r}")
        components[name] = {k: v for k, v in data.items() if not k.startswith("_")}
    text_encoder = _read_json(model, "text_encoder")
    if text_encoder is not None and "text_config" not in text_encoder:
        text_encoder = None
    return ModelConfig(
        name=model,
        pipeline=PipelineSettings(**pipeline),
        components=components,
        text_encoder={k: v for k, v in text_encoder.items() if not k.startswith("_")}
        if text_encoder
        else None,
    )
