"""Writing components as checkpoints: the official single-file layout or the diffusers folder layout.

Test support, not shipped (the runtime only reads checkpoints): makes tiny checkpoints for the loading tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file

from dreamverse.generator.ltx2 import checkpoint_keys as K
from dreamverse.generator.ltx2.components import LTX2Components
from dreamverse.generator.ltx2.config import ModelConfig

UPSAMPLER_FILE = "spatial-upscaler-x2.safetensors"


def _cpu_state(module: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().to("cpu").contiguous() for k, v in module.state_dict().items()}


def save_single_file(components: LTX2Components, config: ModelConfig, path: Path) -> Path:
    """Official single-file layout with the configs as JSON under the `config` metadata key.

    The spatial upsampler goes to its own file next to it (as the official release ships it); a Gemma
    text encoder, if any, to `<stem>-text_encoder/` (pass that folder as `text_encoder`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tensors: dict[str, torch.Tensor] = {}
    for name in K.SINGLE_FILE_COMPONENTS:
        for key, tensor in _cpu_state(getattr(components, name)).items():
            tensors[K.to_official(name, key)] = tensor
    metadata = {"config": json.dumps({"model": config.name, **config.components}), "format": "pt"}
    save_file(tensors, str(path), metadata=metadata)
    save_file(_cpu_state(components.latent_upsampler), str(path.parent / UPSAMPLER_FILE))
    if components.text_encoder is not None:
        _save_text_encoder(components, path.parent / f"{path.stem}-text_encoder")
    return path


def save_fp8_single_file(components: LTX2Components, config: ModelConfig, path: Path) -> Path:
    """`save_single_file`, then every linear weight inside the transformer blocks stored as the official
    `-fp8` files store it: float8 e4m3 (out, in) with a float32 scalar `weight_scale` (amax / 448) and a
    float32 scalar `input_scale`; biases and everything else unchanged."""
    save_single_file(components, config, path)
    tensors = load_file(str(path))
    with safe_open(str(path), framework="pt") as f:
        metadata = f.metadata()
    for name, module in components.transformer.named_modules():
        if not (name.startswith("transformer_blocks.") and isinstance(module, torch.nn.Linear)):
            continue
        official = K.to_official("transformer", f"{name}.weight")
        weight = tensors[official].float()
        scale = weight.abs().amax() / torch.finfo(torch.float8_e4m3fn).max
        tensors[official] = (weight / scale).to(torch.float8_e4m3fn)
        stem = official.removesuffix("weight")
        tensors[stem + "weight_scale"] = scale
        tensors[stem + "input_scale"] = torch.tensor(0.02)
    save_file(tensors, str(path), metadata=metadata)
    return path


def _save_text_encoder(components: LTX2Components, folder: Path) -> None:
    assert components.text_encoder is not None
    components.text_encoder.save_pretrained(folder)  # type: ignore[operator]
    if components.tokenizer is not None:
        components.tokenizer.save_pretrained(folder)


def save_diffusers_folder(components: LTX2Components, folder: Path) -> Path:
    """diffusers layout: one sub-folder per component with `config.json` and safetensors weights."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("transformer", "connectors", "vae", "audio_vae", "vocoder", "latent_upsampler"):
        getattr(components, name).save_pretrained(folder / name)
    if components.text_encoder is not None:
        components.text_encoder.save_pretrained(folder / "text_encoder")  # type: ignore[operator]
    if components.tokenizer is not None:
        components.tokenizer.save_pretrained(folder / "tokenizer")
    return folder
