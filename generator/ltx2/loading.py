"""Offline loading: the official single-file checkpoint (+ Gemma folder), a diffusers-layout folder, a Hugging
Face repo id (online only; `hub.py` says which files), or seeded random weights ("tiny", or
checkpoint="random" for benchmarks).

Loading is strict: a tensor the model needs and the file lacks, or one the file holds and the model does not
know, is an error that names it. Each component logs its size and load time.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any, Literal

import torch
from accelerate import init_empty_weights
from safetensors import safe_open
from torch import nn

from dreamverse.generator.errors import (
    CheckpointConfigMismatch,
    CheckpointError,
    CheckpointNotFound,
    MissingKeysError,
    ShapeMismatchError,
    UnexpectedKeysError,
)
from dreamverse.generator.ltx2 import checkpoint_keys as K
from dreamverse.generator.ltx2 import hub
from dreamverse.generator.ltx2 import prequantized as P
from dreamverse.generator.ltx2.components import LTX2Components, build_random_components, component_class
from dreamverse.generator.ltx2.config import COMPONENTS, ModelConfig

logger = logging.getLogger(__name__)

RANDOM = "random"
Quantization = Literal["none", "fp8"]
UPSAMPLER_GLOBS = ("*spatial-upscaler*.safetensors", "*spatial-upsampler*.safetensors")


def load_components(
    config: ModelConfig,
    checkpoint: str | None,
    *,
    text_encoder: str | None = None,
    device: torch.device,
    dtype: torch.dtype,
    quantization: Quantization = "none",
) -> LTX2Components:
    """Resolve `checkpoint` (see module docstring) and load every component onto `device` in `dtype`.

    With `quantization="fp8"` the float8 weights of a pre-quantized single file go straight into the
    transformer's FP8 linears (`prequantized.py`); otherwise they are dequantized to `dtype`."""
    if checkpoint is None or checkpoint == RANDOM:
        if checkpoint is None and config.name != "tiny":
            raise CheckpointNotFound(f"{config.name} needs a checkpoint (a file, a folder or a repo id)")
        return build_random_components(config, seed=0, device=device, dtype=dtype)
    path = Path(checkpoint).expanduser()
    if path.is_file():
        return load_single_file(
            config, path, text_encoder=text_encoder, device=device, dtype=dtype, quantization=quantization
        )
    if path.is_dir():
        return load_diffusers_folder(config, path, device=device, dtype=dtype)
    if not hub.is_repo_id(checkpoint):
        raise CheckpointNotFound(f"checkpoint {checkpoint!r} is neither a file, a folder nor a hub repo id")
    root, release = hub.download(checkpoint)
    gemma = text_encoder or str(root / "text_encoder")
    return load_single_file(
        config,
        root / release.checkpoint,
        text_encoder=gemma,
        device=device,
        dtype=dtype,
        quantization=quantization,
    )


def _empty(config: ModelConfig, name: str, component_config: dict[str, Any]) -> nn.Module:
    with init_empty_weights():
        module: nn.Module = component_class(config, name).from_config(component_config)
    return module


def strict_load(
    module: nn.Module, state: dict[str, torch.Tensor], component: str, source: str, dtype: torch.dtype
) -> None:
    """Load `state` into `module` (built on meta), refusing missing, unexpected or mis-shaped tensors."""
    expected = module.state_dict()
    missing = expected.keys() - state.keys()
    if missing:
        raise MissingKeysError(component, missing, source)
    unexpected = state.keys() - expected.keys()
    if unexpected:
        raise UnexpectedKeysError(component, unexpected, source)
    for key, tensor in state.items():
        if tuple(tensor.shape) != tuple(expected[key].shape):
            raise ShapeMismatchError(component, key, tuple(expected[key].shape), tuple(tensor.shape), source)
    cast = {k: _owned(v.to(dtype) if v.is_floating_point() else v) for k, v in state.items()}
    module.load_state_dict(cast, strict=True, assign=True)


def _owned(tensor: torch.Tensor) -> torch.Tensor:
    """A CPU tensor in fresh, allocator-aligned memory.

    CPU kernels can round differently on differently aligned (memory-mapped) storage; owning the memory makes
    a single file and a diffusers folder with the same weights give bit-identical output. GPU tensors already
    live in the caching allocator (and a copy would double the memory).
    """
    return tensor.clone() if tensor.device.type == "cpu" else tensor


def _log_loaded(component: str, module: nn.Module, started: float) -> None:
    tensors = [*module.parameters(), *module.buffers()]  # buffers: FP8 weights are non-persistent ones
    size = sum(t.numel() * t.element_size() for t in tensors)
    logger.info("loaded %-16s %8.1f MB in %6.2f s", component, size / 1e6, time.perf_counter() - started)


def _finish(module: nn.Module, device: torch.device) -> nn.Module:
    return module.to(device).eval()


# -- official single file ---------------------------------------------------------------------------
def read_single_file(
    path: Path, device: torch.device
) -> tuple[dict[str, dict[str, torch.Tensor | P.Float8Weight]], dict[str, Any]]:
    """Tensors of an official file grouped per component (diffusers names), and its `config` metadata.

    Float8 weights of a pre-quantized (`*-fp8`) file come back as `Float8Weight` (the stored bytes and their
    `weight_scale`); `input_scale`s are checked to belong to one and then dropped (`prequantized.py`)."""
    grouped: dict[str, dict[str, torch.Tensor | P.Float8Weight]] = {n: {} for n in K.SINGLE_FILE_COMPONENTS}
    strangers: list[str] = []
    try:
        handle = safe_open(str(path), framework="pt", device=str(device))
    except Exception as exc:  # safetensors raises its own error type for truncated or foreign files
        raise CheckpointError(f"{path}: not a readable safetensors file: {exc}") from exc
    with handle as f:
        metadata = f.metadata() or {}
        names = list(f.keys())
        scales = P.scale_names(names)
        strangers += [n for n, weight in P.input_scale_owners(names).items() if weight not in scales]
        for official in names:
            if official.endswith(P.SCALE_SUFFIXES):
                continue
            owner = K.component_of(official)
            if owner is None:
                strangers.append(official)
                continue
            component, inner = owner
            if not K.is_ignored(component, inner):
                scale_name = scales.pop(official, None)
                scale = None if scale_name is None else f.get_tensor(scale_name)
                stored = P.read_weight(f.get_tensor(official), scale, official, str(path))
                grouped[component][K.to_diffusers(component, inner)] = stored
    strangers += scales.values()  # scales of weights the file does not hold
    if strangers:
        raise UnexpectedKeysError("any LTX-2 component", strangers, str(path))
    try:
        file_config = json.loads(metadata.get("config", "{}"))
    except json.JSONDecodeError as exc:
        raise CheckpointError(f"{path}: the `config` metadata is not JSON: {exc}") from exc
    return grouped, file_config


# Geometry keys compared between a file's `config` metadata and the shipped config, where both name them.
COMPARED_CONFIG_KEYS = (
    "num_layers",
    "num_attention_heads",
    "attention_head_dim",
    "in_channels",
    "out_channels",
    "cross_attention_dim",
    "audio_num_attention_heads",
    "audio_attention_head_dim",
    "audio_in_channels",
    "audio_out_channels",
    "latent_channels",
)


def check_file_config(config: ModelConfig, file_config: dict[str, Any], source: str) -> None:
    """Refuse a file whose `config` metadata contradicts the shipped config we are about to build."""
    mismatches = []
    model = file_config.get("model")
    if model is not None and model != config.name:
        mismatches.append(f"model: file {model!r}, shipped {config.name!r}")
    for component, shipped in config.components.items():
        section = file_config.get(component)
        if not isinstance(section, dict):
            continue
        for key in COMPARED_CONFIG_KEYS:
            if key in section and key in shipped and section[key] != shipped[key]:
                mismatches.append(f"{component}.{key}: file {section[key]!r}, shipped {shipped[key]!r}")
    if mismatches:
        raise CheckpointConfigMismatch(source, mismatches)


def load_single_file(
    config: ModelConfig,
    path: Path,
    *,
    text_encoder: str | None,
    device: torch.device,
    dtype: torch.dtype,
    quantization: Quantization = "none",
) -> LTX2Components:
    started = time.perf_counter()
    grouped, file_config = read_single_file(path, device)
    check_file_config(config, file_config, str(path))
    logger.info(
        "read %s (%d metadata keys) in %.2f s", path.name, len(file_config), time.perf_counter() - started
    )
    modules: dict[str, nn.Module] = {}
    for name in K.SINGLE_FILE_COMPONENTS:
        mark = time.perf_counter()
        module = _empty(config, name, config.components[name])
        state = grouped.pop(name)
        if name == "transformer" and quantization == "fp8":
            P.install_float8_linears(module, state, str(path))
        strict_load(module, P.dequantize_rest(state, dtype), name, str(path), dtype)
        modules[name] = _finish(module, device)
        _log_loaded(name, modules[name], mark)
    modules["latent_upsampler"] = _load_upsampler_file(config, path.parent, device, dtype)
    gemma, tokenizer = _load_text_encoder(config, text_encoder, device, dtype)
    return LTX2Components(**modules, text_encoder=gemma, tokenizer=tokenizer)


def _load_upsampler_file(
    config: ModelConfig, folder: Path, device: torch.device, dtype: torch.dtype
) -> nn.Module:
    found = sorted({p for pattern in UPSAMPLER_GLOBS for p in folder.glob(pattern)})
    if not found:
        raise CheckpointNotFound(
            f"no spatial upsampler next to the checkpoint (looked for {UPSAMPLER_GLOBS} in {folder})"
        )
    mark = time.perf_counter()
    with safe_open(str(found[0]), framework="pt", device=str(device)) as f:
        state = {key: f.get_tensor(key) for key in f.keys()}  # noqa: SIM118
    module = _empty(config, "latent_upsampler", config.components["latent_upsampler"])
    strict_load(module, state, "latent_upsampler", str(found[0]), dtype)
    _log_loaded("latent_upsampler", module, mark)
    return _finish(module, device)


def _load_text_encoder(
    config: ModelConfig, folder: str | None, device: torch.device, dtype: torch.dtype
) -> tuple[nn.Module | None, Any]:
    """Gemma 3 + tokenizer from a folder; without one `tiny` builds its own, others use random features."""
    if folder is None:
        if config.name == "tiny":
            random = build_random_components(config, seed=0, device=device, dtype=dtype)
            return random.text_encoder, random.tokenizer
        logger.warning("no text encoder folder given: prompts map to random features (benchmarks only)")
        return None, None
    from transformers import AutoTokenizer, Gemma3ForConditionalGeneration

    mark = time.perf_counter()
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise CheckpointNotFound(f"text encoder folder {root} does not exist")
    model = Gemma3ForConditionalGeneration.from_pretrained(root, torch_dtype=dtype, local_files_only=True)
    # inside the folder, next to it (the hub repository's layout), or the folder itself
    tokenizer_dir = next((d for d in (root / "tokenizer", root.parent / "tokenizer") if d.is_dir()), root)
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir, local_files_only=True)
    _log_loaded("text_encoder", model, mark)
    return _finish(model, device), tokenizer


# -- diffusers layout --------------------------------------------------------------------------------
def _folder_state(folder: Path, device: torch.device) -> dict[str, torch.Tensor]:
    files = sorted(folder.glob("*.safetensors"))
    if not files:
        raise CheckpointNotFound(f"no .safetensors weights in {folder}")
    state: dict[str, torch.Tensor] = {}
    for file in files:
        with safe_open(str(file), framework="pt", device=str(device)) as f:
            state.update({key: f.get_tensor(key) for key in f.keys()})  # noqa: SIM118
    return state


def load_diffusers_folder(
    config: ModelConfig, root: Path, *, device: torch.device, dtype: torch.dtype
) -> LTX2Components:
    modules: dict[str, nn.Module] = {}
    for name in COMPONENTS:
        mark = time.perf_counter()
        folder = root / name
        if not folder.is_dir():
            raise CheckpointNotFound(f"{root} has no {name}/ folder (diffusers layout)")
        config_file = folder / "config.json"
        component_config = config.components[name]
        if config_file.is_file():
            component_config = {
                k: v for k, v in json.loads(config_file.read_text()).items() if not k.startswith("_")
            }
        module = _empty(config, name, component_config)
        strict_load(module, _folder_state(folder, device), name, str(folder), dtype)
        modules[name] = _finish(module, device)
        _log_loaded(name, modules[name], mark)
    text_dir = root / "text_encoder"
    gemma, tokenizer = _load_text_encoder(config, str(text_dir) if text_dir.is_dir() else None, device, dtype)
    if gemma is not None and (root / "tokenizer").is_dir():
        from transformers import AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(root / "tokenizer", local_files_only=True)
    return LTX2Components(**modules, text_encoder=gemma, tokenizer=tokenizer)
