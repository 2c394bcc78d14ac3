"""Per-token timesteps at nearly the cost of one timestep per sample: embed each sample's two timestep levels
and pick one per token inside the blocks.

A continuation's tokens carry one of two timesteps, sigma (denoised) or 0 (clean conditioning), so
`denoise._timesteps` hands diffusers' `LTX2VideoTransformer3DModel` per-token timesteps (B, T). Stock, the
model then runs its AdaLN-single MLPs (`time_embed`, the audio-video cross-attention scale/shift and gate;
video and audio) on every token, and every one of the 48 blocks adds its scale/shift tables to per-token
modulation tensors: at 768x512's stage 2 (6,144 video tokens, dim 4,096) that is 11 x 4,096 bf16 values a
token read by each block (~0.55 GB a block, ~26 GB a forward) and ~2.9 TFLOP of MLP a forward, where a
sample-level timestep needs a few KB and nothing per token.

Here each of those MLPs runs on two values a sample, (min, max) of its timesteps, and the modulation it
returns carries both rows plus a per-token selector (1 where a token's timestep is the max). Each block's
`get_mod_params` adds its table to the two rows and selects per token with `torch.where`, an elementwise op
that Inductor fuses into the kernel that applies the modulation, so no (T, k, dim) tensor is ever written.
The output layer's per-token `embedded_timestep` is selected the same way (once a forward).

Exact whenever each sample has at most two distinct timestep values, which `denoise` guarantees (its masks
are 0/1): the rows are the same MLP of the same values, so the result equals the stock per-token forward up
to the matmul's summation order over a different row count. One timestep per sample (segment 0, shape (B,))
goes through diffusers' code untouched. Under sequence parallelism each rank's shard of timesteps gets its
own two levels (a shard of only conditioning tokens has min == max == 0), still exact. Everything is device
ops on static shapes: no host sync, CUDA-graph capturable, no graph break in the compiled blocks.

The selector travels inside the modulation tensor because diffusers' model forward passes the modulation
from the AdaLN-single modules to the blocks unchanged: packed as (B, 2 * k * dim + T), its own layout,
which only this module's two halves produce and read (the stock layout, (B, 1, k * dim), still takes the
stock path). Checked on the CPU's Inductor code for a block: the stock per-token path loads 15 per-token rows
of `dim` a video token; this one loads only the selector, and allocates no buffer more than per-sample
timesteps do. It relies on diffusers' `get_mod_params(table, temb, batch_size)` and the AdaLN-single forward's
signature (0.42); `tests/generator/test_timestep_levels.py` compares with the stock forward, so a change
shows.
"""

from __future__ import annotations

import logging
import types

import torch
from diffusers.models.transformers.transformer_ltx2 import (
    LTX2AdaLayerNormSingle,
    LTX2VideoTransformer3DModel,
    LTX2VideoTransformerBlock,
)

logger = logging.getLogger(__name__)

_INSTALLED = "_dreamverse_timestep_levels"


def _levels(timestep: torch.Tensor, batch_size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(B * T,) per-token timesteps → (B, 2) levels (min, max) and the (B, T) tokens at the max."""
    per_sample = timestep.reshape(batch_size, -1)
    high = per_sample.amax(dim=1, keepdim=True)
    levels = torch.cat([per_sample.amin(dim=1, keepdim=True), high], dim=1)
    return levels, per_sample == high


def _select(rows: torch.Tensor, is_high: torch.Tensor) -> torch.Tensor:
    """(B, 2, ...) rows (low, high) and (B, T) selector → (B, T, ...): each token's row."""
    expand = (...,) + (None,) * (rows.ndim - 2)
    return torch.where(is_high[expand], rows[:, 1:2], rows[:, 0:1])


def _adaln_forward(
    module: LTX2AdaLayerNormSingle,
    timestep: torch.Tensor,
    added_cond_kwargs: dict[str, torch.Tensor] | None = None,
    batch_size: int | None = None,
    hidden_dtype: torch.dtype | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """`LTX2AdaLayerNormSingle.forward` on two levels a sample: returns the packed modulation (B, 2kd + T)
    and the per-token embedded timestep (B * T, d), which the model reshapes as it does stock outputs."""
    stock = LTX2AdaLayerNormSingle.forward
    if batch_size is None or timestep.numel() == batch_size:  # one timestep per sample: stock
        return stock(module, timestep, added_cond_kwargs, batch_size, hidden_dtype)  # type: ignore[no-any-return]
    levels, is_high = _levels(timestep, batch_size)
    modulation, embedded = stock(module, levels.flatten(), added_cond_kwargs, 2 * batch_size, hidden_dtype)
    packed = torch.cat([modulation.reshape(batch_size, -1), is_high.to(modulation.dtype)], dim=1)
    per_token = _select(embedded.reshape(batch_size, 2, -1), is_high)
    return packed, per_token.flatten(0, 1)


def _get_mod_params(
    scale_shift_table: torch.Tensor, temb: torch.Tensor, batch_size: int
) -> tuple[torch.Tensor, ...]:
    """`LTX2VideoTransformerBlock.get_mod_params` that also reads the packed layout: the table plus each
    token's row, as (B, T, dim) tensors built by a select that the consumers fuse."""
    count, dim = scale_shift_table.shape
    if temb.shape[-1] == count * dim:  # stock layout (one row per sample or per token)
        stock: tuple[torch.Tensor, ...] = LTX2VideoTransformerBlock.get_mod_params(
            scale_shift_table, temb, batch_size
        )
        return stock
    flat = temb.reshape(batch_size, -1)
    rows = flat[:, : 2 * count * dim].reshape(batch_size, 2, count, dim)
    is_high = flat[:, 2 * count * dim :] > 0
    values = scale_shift_table.to(temb.device) + rows
    return tuple(_select(param, is_high) for param in values.unbind(dim=2))


def timestep_levels_installed(transformer: LTX2VideoTransformer3DModel) -> bool:
    return bool(getattr(transformer, _INSTALLED, False))


def install_timestep_levels(transformer: LTX2VideoTransformer3DModel) -> None:
    """Make `transformer` embed per-token timesteps by their two levels (idempotent; weights untouched)."""
    if timestep_levels_installed(transformer):
        return
    adalns = [m for m in transformer.modules() if isinstance(m, LTX2AdaLayerNormSingle)]
    for module in adalns:
        module.forward = types.MethodType(_adaln_forward, module)
    for block in transformer.transformer_blocks:
        block.get_mod_params = _get_mod_params
    setattr(transformer, _INSTALLED, True)
    logger.info("per-token timesteps: two levels a sample in %d AdaLN-single modules", len(adalns))
