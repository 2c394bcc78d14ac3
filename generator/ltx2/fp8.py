"""FP8 linear layers for the transformer's blocks: `GeneratorSpec.quantization = "fp8"`.

Dynamic activation + weight quantization to float8 e4m3 with row-wise scales, the product in
`torch._scaled_mm` (cuBLASLt FP8 on Hopper, bf16 out, bias fused):

- weights once, at load: one float32 scale per output channel (amax / 448); a pre-quantized checkpoint's
  float8 weights are taken as stored, with their one per-tensor `weight_scale` repeated for every channel
  (`Float8Linear(weight, weight_scale, bias)`, see `ltx2/prequantized.py`), so they are never quantized twice;
- activations at every call: one scale per token, a power of two at or above amax / 448, so that scaling in
  bf16 is exact and no value can leave e4m3's range (a cast above 448 would give NaN, not saturate).

Only `nn.Linear` layers inside `transformer.transformer_blocks` with both sizes divisible by 16 (cuBLASLt's
rule) are swapped; the input/output projections and timestep embeddings stay in bf16. Quantize after the
model is on its device and in its dtype, before `compile_transformer`: a later `.to(dtype)` would cast the
float8 weights back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import torch
from torch import nn

logger = logging.getLogger(__name__)

FP8 = torch.float8_e4m3fn
FP8_MAX = float(torch.finfo(FP8).max)  # 448
_TINY = 1e-12  # amax floor: an all-zero row gets a finite scale


def quantize_rows(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(M, K) → float8 (M, K) and float32 scales (M, 1), `x ≈ q * scale`; scales are powers of two."""
    amax = x.abs().amax(dim=-1, keepdim=True).float().clamp(min=_TINY)
    scale = torch.exp2(torch.ceil(torch.log2(amax / FP8_MAX)))
    q = (x * torch.reciprocal(scale).to(x.dtype)).to(FP8)
    return q, scale


class Float8Linear(nn.Module):
    """A linear layer with float8 e4m3 weights (a float32 scale per output channel) and per-token dynamic
    activations: `y = x @ (weight * weight_scale).T + bias`."""

    weight_t: torch.Tensor
    weight_scale: torch.Tensor

    def __init__(self, weight: torch.Tensor, weight_scale: torch.Tensor, bias: torch.Tensor | None) -> None:
        """`weight`: float8 e4m3 (out, in), used as is; `weight_scale`: float32, one per output channel or a
        single one for the whole tensor (a pre-quantized checkpoint's per-tensor scale)."""
        super().__init__()
        if weight.dtype != FP8 or weight.ndim != 2:
            raise TypeError(
                f"Float8Linear needs a 2-D float8_e4m3fn weight, got {weight.dtype} {tuple(weight.shape)}"
            )
        self.out_features, self.in_features = weight.shape
        scale = weight_scale.detach().to(device=weight.device, dtype=torch.float32).reshape(-1)
        if scale.numel() == 1:
            scale = scale.expand(self.out_features)
        if scale.numel() != self.out_features:
            raise ValueError(
                f"weight_scale has {scale.numel()} values for {self.out_features} output channels"
            )
        # (K, N) column-major, as `_scaled_mm` wants its second operand; scales (1, N)
        self.register_buffer("weight_t", weight.t(), persistent=False)
        self.register_buffer("weight_scale", scale.reshape(1, -1).contiguous(), persistent=False)
        self.bias = None if bias is None else nn.Parameter(bias.detach(), requires_grad=False)

    @classmethod
    def from_linear(cls, linear: nn.Linear) -> Float8Linear:
        """Quantize a bf16/float32 `nn.Linear` per output channel (scale = row amax / 448)."""
        weight = linear.weight.detach()
        scale = weight.abs().amax(dim=1, keepdim=True).float().clamp(min=_TINY) / FP8_MAX
        quantized = (weight.float() / scale).clamp(-FP8_MAX, FP8_MAX).to(FP8)
        return cls(quantized, scale, linear.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = x.reshape(-1, self.in_features)
        q, scale = quantize_rows(rows)
        out = torch._scaled_mm(
            q,
            self.weight_t,
            scale_a=scale,
            scale_b=self.weight_scale,
            bias=self.bias,
            out_dtype=x.dtype,
        )
        return out.reshape(*x.shape[:-1], self.out_features)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, float8_e4m3fn"


def quantizable(linear: nn.Linear) -> bool:
    return linear.in_features % 16 == 0 and linear.out_features % 16 == 0


def block_linears(transformer: nn.Module) -> Iterator[tuple[str, nn.Module, str, nn.Linear]]:
    """(qualified name, parent, attribute, layer) of every plain `nn.Linear` inside
    `transformer.transformer_blocks`: the layers FP8 may replace (`quantizable` says which can)."""
    blocks = getattr(transformer, "transformer_blocks", None)
    if blocks is None:
        raise TypeError(f"{type(transformer).__name__} has no transformer_blocks")
    for path, parent in list(blocks.named_modules(prefix="transformer_blocks")):
        for name, child in list(parent.named_children()):
            if type(child) is nn.Linear:
                yield f"{path}.{name}", parent, name, child


def quantize_blocks_fp8(transformer: nn.Module) -> int:
    """Swap every quantizable `nn.Linear` inside `transformer.transformer_blocks` for a `Float8Linear`, in
    place; returns how many were swapped. Layers already in FP8 (mapped from a pre-quantized checkpoint at
    load) are left as they are."""
    swapped = kept = 0
    for _, parent, name, child in block_linears(transformer):
        if quantizable(child):
            parent._modules[name] = Float8Linear.from_linear(child)
            swapped += 1
        else:
            kept += 1
    logger.info("fp8: %d linear layers quantized, %d kept (a size not divisible by 16)", swapped, kept)
    return swapped
