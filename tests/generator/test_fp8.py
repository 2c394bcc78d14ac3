"""`GeneratorSpec.quantization = "fp8"`: float8 e4m3 linears in the transformer's blocks (CPU, tiny).

`torch._scaled_mm` with row-wise scales runs on the CPU too, so the arithmetic is checked here; the speed
(cuBLASLt FP8 on Hopper) is measured by `benchmarks/fp8_linear.py` and `benchmarks/pipeline.py`.
"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dreamverse.generator.base import SegmentRequest
from dreamverse.generator.errors import GeneratorConfigError
from dreamverse.generator.ltx2.fp8 import FP8, FP8_MAX, Float8Linear, quantize_blocks_fp8, quantize_rows
from dreamverse.generator.ltx2.streaming_pipeline import build_ltx2_generator, compile_transformer
from dreamverse.generator.spec import GeneratorSpec

# e4m3 keeps 3 mantissa bits: rounding moves a value by at most 2^-4 of it (1/16), ~3.6 % RMS. A product of
# two such operands summed over K lands near 4-5 %; measured 3.7 % below. bf16 is ~0.2 % there.
FP8_LINEAR_REL = 0.06
TINY_BF16 = GeneratorSpec(model="tiny", device="cpu", dtype="bfloat16")
TINY_FP8 = GeneratorSpec(model="tiny", device="cpu", dtype="bfloat16", quantization="fp8")


def relative_error(got: torch.Tensor, want: torch.Tensor) -> float:
    return float((got.double() - want.double()).norm() / want.double().norm())


def test_quantize_rows_uses_power_of_two_scales_within_range() -> None:
    x = torch.randn(37, 64, dtype=torch.bfloat16) * torch.logspace(-3, 3, 37).to(torch.bfloat16)[:, None]
    x[5] = 0
    q, scale = quantize_rows(x)
    assert q.dtype == FP8 and scale.dtype == torch.float32 and scale.shape == (37, 1)
    assert bool(torch.isfinite(q.float()).all())
    assert float(q.float().abs().max()) <= FP8_MAX
    assert torch.equal(torch.exp2(torch.log2(scale).round()), scale)  # powers of two
    rows = q.float().abs().amax(dim=1)
    assert bool((rows[torch.arange(37) != 5] >= FP8_MAX / 2).all())  # each row uses its top binade
    back = q.float() * scale
    assert relative_error(back, x.float()) < 2**-4


def test_float8_linear_close_to_the_bf16_linear() -> None:
    torch.manual_seed(0)
    linear = nn.Linear(256, 512).to(torch.bfloat16)
    x = torch.randn(3, 77, 256, dtype=torch.bfloat16)
    with torch.no_grad():
        want = nn.functional.linear(x.double(), linear.weight.double(), linear.bias.double())
        got = Float8Linear.from_linear(linear)(x)
        bf16 = linear(x)
    assert got.shape == (3, 77, 512) and got.dtype == torch.bfloat16
    error = relative_error(got, want)
    assert relative_error(bf16, want) < error < FP8_LINEAR_REL


def test_blocks_are_quantized_and_the_segment_stays_close() -> None:
    base = build_ltx2_generator(TINY_BF16)
    fp8 = build_ltx2_generator(TINY_FP8)
    blocks = fp8.pipeline.c.transformer.transformer_blocks
    swapped = [m for m in blocks.modules() if isinstance(m, Float8Linear)]
    left = [m for m in blocks.modules() if type(m) is nn.Linear]
    assert len(swapped) == 20  # tiny: the 16-wide video layers; audio (8 wide) stays bf16
    assert all(m.in_features % 16 or m.out_features % 16 for m in left)
    assert type(fp8.pipeline.c.transformer.proj_in) is nn.Linear
    state = base.new_stream(seed=1)
    plan, _ = base.plan(state, SegmentRequest(prompt="a", segment_idx=0))
    want = base.pipeline.generate("a", plan, torch.Generator().manual_seed(3))
    got = fp8.pipeline.generate("a", plan, torch.Generator().manual_seed(3))
    for name in ("video", "audio"):
        error = relative_error(getattr(got, name), getattr(want, name))
        assert 0 < error < 0.05, f"{name}: {error:.3g}"  # measured 0.6 % / 0.3 %


def test_compiled_fp8_blocks_trace() -> None:
    torch._dynamo.reset()
    eager = build_ltx2_generator(TINY_FP8)
    compiled = build_ltx2_generator(TINY_FP8)
    compile_transformer(compiled.pipeline.c.transformer, backend="eager")
    state = eager.new_stream(seed=1)
    plan, _ = eager.plan(state, SegmentRequest(prompt="a", segment_idx=0))
    want = eager.pipeline.generate("a", plan, torch.Generator().manual_seed(3))
    got = compiled.pipeline.generate("a", plan, torch.Generator().manual_seed(3))
    torch.testing.assert_close(got.video, want.video)
    torch.testing.assert_close(got.audio, want.audio)
    torch._dynamo.reset()


def test_fp8_needs_bf16() -> None:
    with pytest.raises(GeneratorConfigError, match="bfloat16"):
        build_ltx2_generator(GeneratorSpec(model="tiny", device="cpu", dtype="float32", quantization="fp8"))


def test_quantize_needs_blocks() -> None:
    with pytest.raises(TypeError):
        quantize_blocks_fp8(nn.Linear(16, 16))
