"""Pre-quantized FP8 single files (`ltx-2-19b-distilled-fp8.safetensors` and the like).

Layout (Lightricks' `ltx-core` loaders and its issue tracker): a quantized linear `X` stores `X.weight` as
float8 e4m3 in PyTorch's (out, in) layout, `X.weight_scale` as a float32 scalar (the weight is
`X.weight * X.weight_scale`), and `X.input_scale` as a float32 scalar (a static activation scale for
Lightricks' own FP8 kernel); its bias stays in bf16. The set of quantized layers is whatever the file says.

- `--quantization fp8`: the float8 weights of the layers our FP8 path runs (`fp8.block_linears`, sizes
  divisible by 16) go into `Float8Linear` as stored, with their scale: no second quantization, no bf16 copy.
  `input_scale` is not used: our linears scale activations per token at every call (finer than one static
  scale, and no calibration to trust).
- otherwise, and for quantized layers our FP8 path does not run: `weight * weight_scale`, computed in float32
  (exact: a float8 value times a float32 scale) and rounded once to the load dtype.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import torch
from torch import nn

from dreamverse.generator.errors import CheckpointError, ShapeMismatchError
from dreamverse.generator.ltx2.fp8 import FP8, Float8Linear, block_linears, quantizable

logger = logging.getLogger(__name__)

WEIGHT_SCALE = ".weight_scale"
INPUT_SCALE = ".input_scale"
SCALE_SUFFIXES = (WEIGHT_SCALE, INPUT_SCALE)


@dataclass(frozen=True, slots=True)
class Float8Weight:
    """A weight as a pre-quantized file stores it: the layer's weight is `data * scale`."""

    data: torch.Tensor  # float8_e4m3fn (out, in), the file's bytes
    scale: torch.Tensor  # float32 scalar: the file's `weight_scale`

    @property
    def shape(self) -> torch.Size:
        return self.data.shape

    def dequantized(self, dtype: torch.dtype) -> torch.Tensor:
        return (self.data.to(torch.float32) * self.scale.to(torch.float32)).to(dtype)


def scale_names(names: list[str]) -> dict[str, str]:
    """{weight name: its `weight_scale` name} for every scale a file holds."""
    return {n.removesuffix(WEIGHT_SCALE) + ".weight": n for n in names if n.endswith(WEIGHT_SCALE)}


def input_scale_owners(names: list[str]) -> dict[str, str]:
    """{`input_scale` name: the weight it belongs to}, to check that each belongs to a quantized weight."""
    return {n: n.removesuffix(INPUT_SCALE) + ".weight" for n in names if n.endswith(INPUT_SCALE)}


def read_weight(
    tensor: torch.Tensor, scale: torch.Tensor | None, name: str, source: str
) -> torch.Tensor | Float8Weight:
    """A file tensor as loading keeps it: a `Float8Weight` if float8 with a scalar scale, else itself."""
    is_fp8 = tensor.dtype in (torch.float8_e4m3fn, torch.float8_e5m2)
    if is_fp8 != (scale is not None):
        state = "has no weight_scale" if is_fp8 else "has a weight_scale but is not float8"
        raise CheckpointError(f"{source}: {name} {state}")
    if scale is None:
        return tensor
    if tensor.dtype != FP8 or scale.numel() != 1:
        raise CheckpointError(
            f"{source}: {name} is {tensor.dtype} with a weight_scale of shape {tuple(scale.shape)}; "
            "only float8_e4m3fn with one scale per tensor (the official -fp8 layout) is supported"
        )
    return Float8Weight(tensor, scale.to(torch.float32))


def install_float8_linears(
    transformer: nn.Module, state: dict[str, torch.Tensor | Float8Weight], source: str
) -> int:
    """Replace each block linear whose weight `state` holds in float8 with a `Float8Linear` on the stored
    bytes and scale, and drop that weight from `state` (its bias stays there, for the strict load to check
    and assign). `transformer` is built on the meta device. Returns how many layers were mapped."""
    mapped = 0
    for name, parent, attribute, linear in block_linears(transformer):
        stored = state.get(f"{name}.weight")
        if not isinstance(stored, Float8Weight) or not quantizable(linear):
            continue
        if tuple(stored.shape) != tuple(linear.weight.shape):
            raise ShapeMismatchError(
                "transformer", f"{name}.weight", tuple(linear.weight.shape), tuple(stored.shape), source
            )
        parent._modules[attribute] = Float8Linear(stored.data, stored.scale, linear.bias)
        del state[f"{name}.weight"]
        mapped += 1
    logger.info("fp8: %d pre-quantized linear layers mapped as stored", mapped)
    return mapped


def dequantize_rest(
    state: dict[str, torch.Tensor | Float8Weight], dtype: torch.dtype
) -> dict[str, torch.Tensor]:
    """Every remaining `Float8Weight` as `data * scale` in `dtype`; other tensors unchanged."""
    return {k: v.dequantized(dtype) if isinstance(v, Float8Weight) else v for k, v in state.items()}
