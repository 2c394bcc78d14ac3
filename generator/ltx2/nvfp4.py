"""NVFP4 numerics (Blackwell's 4-bit float format), emulated in PyTorch: the reference for a Blackwell kernel.

NVFP4: each element is an E2M1 float (sign, 2 exponent bits, 1 mantissa bit: 0, 0.5, 1, 1.5, 2, 3, 4, 6), each
block of 16 consecutive elements along K shares an FP8 E4M3 scale, and the tensor has one float32 scale, so
that x ≈ e2m1 * block_scale * tensor_scale. The tensor scale maps the largest |x| onto 6 * 448 (the largest
E2M1 value times the largest E4M3 scale).

`NVFP4Linear` quantizes its weights once and its activations at every call, then multiplies the dequantized
values in the input dtype: exactly the products an NVFP4 tensor-core GEMM forms (only the accumulation order
differs). Hopper has no FP4 tensor cores, so this is numerics only, and it is slower than bf16; the Blackwell
kernel path (`torch._scaled_mm` on float4_e2m1fn_x2 with swizzled block scales) is not written, and nothing
here claims a speed. It is not a `GeneratorSpec.quantization` choice for that reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

BLOCK = 16
E2M1_MAX = 6.0
E4M3_MAX = float(torch.finfo(torch.float8_e4m3fn).max)  # 448
# magnitudes of the 8 non-negative E2M1 codes, and the midpoints between neighbours (round to nearest;
# a tie rounds toward zero)
E2M1_VALUES = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)
_MIDPOINTS = (0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5.0)
_TINY = 1e-12


@dataclass(frozen=True, slots=True)
class NVFP4Tensor:
    """A (..., K) tensor in NVFP4: two 4-bit codes per byte (low nibble first), one E4M3 scale per 16."""

    packed: torch.Tensor  # uint8 (..., K // 2); code = sign << 3 | magnitude index
    block_scales: torch.Tensor  # float8_e4m3fn (..., K // 16)
    tensor_scale: torch.Tensor  # float32 scalar

    @property
    def shape(self) -> tuple[int, ...]:
        return (*self.packed.shape[:-1], self.packed.shape[-1] * 2)


def quantize(x: torch.Tensor) -> NVFP4Tensor:
    """Quantize along the last dimension, which must be a multiple of 16."""
    if x.shape[-1] % BLOCK:
        raise ValueError(f"NVFP4 needs the last dimension to be a multiple of {BLOCK}, got {x.shape[-1]}")
    values = x.float()
    tensor_scale = (values.abs().amax() / (E2M1_MAX * E4M3_MAX)).clamp(min=_TINY)
    blocks = values.reshape(*values.shape[:-1], -1, BLOCK)
    block_amax = blocks.abs().amax(dim=-1)
    block_scales = (block_amax / E2M1_MAX / tensor_scale).clamp(max=E4M3_MAX).to(torch.float8_e4m3fn)
    divisor = (block_scales.float() * tensor_scale).clamp(min=_TINY).unsqueeze(-1)
    scaled = (blocks / divisor).clamp(-E2M1_MAX, E2M1_MAX)
    midpoints = torch.tensor(_MIDPOINTS, device=x.device)
    magnitude = torch.bucketize(scaled.abs(), midpoints)  # 0..7, ties toward zero
    codes = (magnitude | ((scaled < 0).to(torch.int64) << 3)).to(torch.uint8).reshape(values.shape)
    packed = codes[..., 0::2] | (codes[..., 1::2] << 4)
    return NVFP4Tensor(packed=packed, block_scales=block_scales, tensor_scale=tensor_scale)


def dequantize(q: NVFP4Tensor, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Back to `dtype`: e2m1 value * block scale * tensor scale."""
    codes = torch.stack((q.packed & 0xF, q.packed >> 4), dim=-1).reshape(q.shape)
    table = torch.tensor(E2M1_VALUES, device=codes.device)
    magnitude = table[(codes & 0x7).long()]
    signed = torch.where((codes & 0x8) > 0, -magnitude, magnitude)
    blocks = signed.reshape(*signed.shape[:-1], -1, BLOCK)
    scales = q.block_scales.float().unsqueeze(-1) * q.tensor_scale
    return (blocks * scales).reshape(q.shape).to(dtype)


class NVFP4Linear(nn.Module):
    """`nn.Linear` with NVFP4 weights and per-call NVFP4 activations, emulated (see the module docstring)."""

    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        self.in_features, self.out_features = linear.in_features, linear.out_features
        self.weight = quantize(linear.weight.detach())
        self.dtype = linear.weight.dtype
        bias = linear.bias
        self.bias = None if bias is None else nn.Parameter(bias.detach(), requires_grad=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        activations = dequantize(quantize(x), x.dtype)
        return F.linear(activations, dequantize(self.weight, x.dtype), self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, nvfp4 (emulated)"
