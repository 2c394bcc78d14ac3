"""Pre-quantized FP8 single files (`*-fp8.safetensors`): with `--quantization fp8` the stored float8 weights
and their scales go into the FP8 linears as they are; otherwise they are dequantized once, exactly.

The tiny file is written in the official layout (`save_fp8_single_file`): every linear of the transformer
blocks in float8 e4m3 with float32 scalar `weight_scale` and `input_scale`. Tiny's video linears (16 wide)
are ones our FP8 path runs; its audio linears (8 wide) are not, so they take the dequantizing path even
under `--quantization fp8`. `torch._scaled_mm` with row-wise scales runs on the CPU.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file
from torch import nn

from dreamverse.generator.base import SegmentRequest
from dreamverse.generator.errors import CheckpointError, UnexpectedKeysError
from dreamverse.generator.ltx2 import checkpoint_keys as K
from dreamverse.generator.ltx2.components import build_random_components
from dreamverse.generator.ltx2.config import ModelConfig
from dreamverse.generator.ltx2.fp8 import Float8Linear, quantize_rows
from dreamverse.generator.ltx2.loading import load_components
from dreamverse.generator.ltx2.streaming_pipeline import LTX2Generator, build_ltx2_generator
from dreamverse.generator.spec import GeneratorSpec
from tests.support.ltx2_checkpoints import UPSAMPLER_FILE, save_fp8_single_file

CPU = torch.device("cpu")
# The FP8 model and the bf16 model of the same dequantized weights differ only by the per-token activation
# quantization (e4m3: 3 mantissa bits, <= 1/16 per value, ~3.6 % RMS per linear input); through the whole
# tiny two-stage segment that averages down: measured 0.31 % (video) / 0.22 % (audio).
SEGMENT_REL = 0.03
# One FP8 linear against its exact float64 product: only the bf16 rounding of the output (2^-9 relative) and
# float32 accumulation remain.
LINEAR_RTOL = 2**-8


@pytest.fixture(scope="module")
def fp8_file(tmp_path_factory: pytest.TempPathFactory, tiny_config: ModelConfig) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tiny-fp8")
    components = build_random_components(tiny_config, seed=7)
    path = save_fp8_single_file(components, tiny_config, root / "ltx2-tiny-fp8.safetensors")
    return {"path": path, "text_encoder": root / "ltx2-tiny-fp8-text_encoder"}


@pytest.fixture(scope="module")
def fp8_generator(fp8_file: dict[str, Path]) -> LTX2Generator:
    """The whole build under `--quantization fp8`: load, then `apply_speedups` (which must leave the mapped
    layers alone)."""
    return generator(fp8_file, "fp8")


def generator(files: dict[str, Path], quantization: str) -> LTX2Generator:
    spec = GeneratorSpec(
        model="tiny",
        device="cpu",
        dtype="bfloat16",
        quantization=quantization,  # type: ignore[arg-type]
        checkpoint=str(files["path"]),
        text_encoder=str(files["text_encoder"]),
    )
    return build_ltx2_generator(spec)


def stored(tensors: dict[str, torch.Tensor], layer: str) -> tuple[torch.Tensor, torch.Tensor]:
    """(float8 weight, weight_scale) of a transformer layer (diffusers name) as the file holds them."""
    official = K.to_official("transformer", f"{layer}.weight")
    return tensors[official], tensors[official.removesuffix("weight") + "weight_scale"]


def test_fp8_weights_are_mapped_as_stored(fp8_file: dict[str, Path], fp8_generator: LTX2Generator) -> None:
    tensors = load_file(str(fp8_file["path"]))
    transformer = fp8_generator.pipeline.c.transformer
    mapped = {name: m for name, m in transformer.named_modules() if isinstance(m, Float8Linear)}
    kept = {
        n: m
        for n, m in transformer.named_modules()
        if n.startswith("transformer_blocks.") and type(m) is nn.Linear
    }
    assert len(mapped) == 20 and len(kept) > 0  # tiny: the 16-wide video linears; the 8-wide audio ones stay
    for name, layer in mapped.items():
        weight, scale = stored(tensors, name)
        assert weight.dtype == torch.float8_e4m3fn and scale.shape == ()
        # the file's bytes, not a re-quantization of them (apply_speedups ran too and left them alone)
        assert torch.equal(layer.weight_t.t().view(torch.uint8), weight.view(torch.uint8)), name
        assert torch.equal(layer.weight_scale, scale.expand(1, weight.shape[0])), name
        bias = tensors[K.to_official("transformer", f"{name}.bias")]
        assert layer.bias is not None and torch.equal(layer.bias, bias.to(torch.bfloat16)), name
    for name, layer in kept.items():  # not runnable in FP8 here: dequantized once, exactly
        weight, scale = stored(tensors, name)
        assert torch.equal(layer.weight, (weight.float() * scale).to(torch.bfloat16)), name


def test_mapped_linear_computes_with_the_stored_weight(
    fp8_file: dict[str, Path], fp8_generator: LTX2Generator
) -> None:
    """Its output is the exact product of the per-token quantized input and `weight * weight_scale`."""
    tensors = load_file(str(fp8_file["path"]))
    transformer = fp8_generator.pipeline.c.transformer
    name, layer = next((n, m) for n, m in transformer.named_modules() if isinstance(m, Float8Linear))
    weight, scale = stored(tensors, name)
    torch.manual_seed(0)
    x = torch.randn(3, 40, layer.in_features, dtype=torch.bfloat16)
    q, row_scale = quantize_rows(x.reshape(-1, layer.in_features))
    assert layer.bias is not None
    with torch.no_grad():
        got = layer(x)
        want = nn.functional.linear(
            (q.double() * row_scale.double()).reshape(x.shape),
            weight.double() * scale.double(),
            layer.bias.double(),
        )
    assert got.dtype == torch.bfloat16
    torch.testing.assert_close(got.double(), want, rtol=LINEAR_RTOL, atol=1e-5 * float(want.abs().max()))


def test_fp8_segment_matches_the_dequantized_bf16_model(
    fp8_file: dict[str, Path], fp8_generator: LTX2Generator
) -> None:
    fp8, bf16 = fp8_generator, generator(fp8_file, "none")
    assert not any(isinstance(m, Float8Linear) for m in bf16.pipeline.c.transformer.modules())
    state = bf16.new_stream(seed=1)
    plan, _ = bf16.plan(state, SegmentRequest(prompt="a", segment_idx=0))
    want = bf16.pipeline.generate("a", plan, torch.Generator().manual_seed(3))
    got = fp8.pipeline.generate("a", plan, torch.Generator().manual_seed(3))
    for name in ("video", "audio"):
        a, b = getattr(got, name).double(), getattr(want, name).double()
        error = float((a - b).norm() / b.norm())
        assert 0 < error < SEGMENT_REL, f"{name}: {error:.3g}"


def test_without_fp8_every_weight_is_dequantized(fp8_file: dict[str, Path], tiny_config: ModelConfig) -> None:
    tensors = load_file(str(fp8_file["path"]))
    components = load_components(
        tiny_config,
        str(fp8_file["path"]),
        text_encoder=str(fp8_file["text_encoder"]),
        device=CPU,
        dtype=torch.float32,
    )
    state = components.transformer.state_dict()
    quantized = [n for n, t in tensors.items() if t.dtype == torch.float8_e4m3fn]
    assert len(quantized) > 20
    for official in quantized:
        key = K.to_diffusers("transformer", official.removeprefix(K.DIT_PREFIX))
        scale = tensors[official.removesuffix("weight") + "weight_scale"]
        assert torch.equal(state[key], tensors[official].float() * scale), key  # exact in float32


def rewritten(src: Path, dst: Path, edit: object) -> Path:
    tensors = load_file(str(src))
    edit(tensors)  # type: ignore[operator]
    dst.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(dst), metadata={"config": "{}"})
    (dst.parent / UPSAMPLER_FILE).write_bytes((src.parent / UPSAMPLER_FILE).read_bytes())
    return dst


def test_malformed_scales_are_named(
    fp8_file: dict[str, Path], tiny_config: ModelConfig, tmp_path: Path
) -> None:
    name = K.to_official("transformer", "transformer_blocks.0.attn1.to_q.weight")
    stem = name.removesuffix("weight")
    per_channel = torch.ones(tensors_shape(fp8_file["path"], name)[0])
    cases: list[tuple[object, type[Exception], str]] = [
        (lambda t: t.pop(stem + "weight_scale"), CheckpointError, f"{name} has no weight_scale"),
        (lambda t: t.update({stem + "weight_scale": per_channel}), CheckpointError, "one scale per tensor"),
        (lambda t: t.update({STRAY: torch.tensor(1.0)}), UnexpectedKeysError, STRAY),
    ]
    for index, (edit, error, message) in enumerate(cases):
        path = rewritten(fp8_file["path"], tmp_path / str(index) / "x.safetensors", edit)
        with pytest.raises(error, match=re.escape(message)):
            load_components(
                tiny_config,
                str(path),
                text_encoder=str(fp8_file["text_encoder"]),
                device=CPU,
                dtype=torch.bfloat16,
                quantization="fp8",
            )


STRAY = "vae.decoder.conv_in.conv.input_scale"  # an input scale with no float8 weight beside it


def tensors_shape(path: Path, name: str) -> tuple[int, ...]:
    return tuple(load_file(str(path))[name].shape)
