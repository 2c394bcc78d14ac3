"""NVFP4 numerics (generator/ltx2/nvfp4.py) against a dequantized float64 reference, on the CPU and (marked
`gpu`) on a CUDA GPU. Speed is not tested anywhere: Hopper has no FP4 tensor cores."""

from __future__ import annotations

import pytest
import torch

from dreamverse.generator.ltx2.nvfp4 import (
    BLOCK,
    E2M1_VALUES,
    E4M3_MAX,
    NVFP4Linear,
    dequantize,
    quantize,
)

DEVICES = [
    pytest.param("cpu", id="cpu"),
    pytest.param(
        "cuda",
        id="cuda",
        marks=[
            pytest.mark.gpu,
            pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU"),
        ],
    ),
]


def relative_error(got: torch.Tensor, want: torch.Tensor) -> float:
    return float((got.double() - want.double()).norm() / want.double().norm())


@pytest.mark.parametrize("device", DEVICES)
def test_representable_values_survive_a_round_trip_exactly(device: str) -> None:
    g = torch.Generator().manual_seed(0)
    values = torch.tensor(E2M1_VALUES)[torch.randint(0, 8, (4, 8, BLOCK), generator=g)]
    values[:, :, 0] = 6.0  # every block reaches 6, so its scale is exactly its factor
    signs = torch.where(torch.rand(values.shape, generator=g) < 0.5, -1.0, 1.0)
    factors = 2.0 ** torch.randint(-6, 8, (4, 8, 1), generator=g).float()  # powers of two: exact in e4m3
    factors[0, 0, 0] = E4M3_MAX  # the largest block sets the tensor scale to 2^-10 exactly
    x = (values * signs * factors * 2.0**-10).reshape(4, 8 * BLOCK).to(device)
    q = quantize(x)
    assert q.packed.dtype == torch.uint8 and q.packed.shape == (4, 8 * BLOCK // 2)
    assert q.block_scales.shape == (4, 8)
    torch.testing.assert_close(dequantize(q), x, rtol=0, atol=0)


@pytest.mark.parametrize("device", DEVICES)
def test_each_element_rounds_to_the_nearest_point_of_its_block_grid(device: str) -> None:
    x = torch.randn(16, 256, generator=torch.Generator().manual_seed(1)).to(device) * 3
    q = quantize(x)
    got = dequantize(q)
    scales = (q.block_scales.float() * q.tensor_scale).repeat_interleave(BLOCK, dim=-1)
    grid = torch.tensor(E2M1_VALUES, device=device)
    grid = torch.cat([-grid.flip(0), grid])  # every signed E2M1 value
    candidates = grid[None, None, :] * scales[..., None]
    nearest = candidates.gather(-1, (candidates - x[..., None]).abs().argmin(dim=-1, keepdim=True))[..., 0]
    torch.testing.assert_close(got, nearest, rtol=0, atol=1e-12)
    assert relative_error(got, x) < 0.12  # ~0.09 for Gaussian data (1 mantissa bit, scaled per 16)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=["float32", "bf16"])
def test_linear_equals_the_dequantized_reference(device: str, dtype: torch.dtype) -> None:
    torch.manual_seed(2)
    linear = torch.nn.Linear(512, 256).to(device, dtype)
    x = torch.randn(3, 70, 512, device=device, dtype=dtype)
    layer = NVFP4Linear(linear)
    with torch.no_grad():
        got = layer(x)
        reference = torch.nn.functional.linear(
            dequantize(quantize(x), torch.float64),
            dequantize(quantize(linear.weight), torch.float64),
            linear.bias.double(),
        )
        exact = torch.nn.functional.linear(x.double(), linear.weight.double(), linear.bias.double())
    assert got.shape == (3, 70, 256) and got.dtype == dtype
    # the same products as the reference: only the output's rounding and the sum order differ
    bound = 1e-6 if dtype == torch.float32 else 8e-3
    assert relative_error(got, reference) < bound
    # against the unquantized layer: the cost of 4-bit numbers (~0.1 relative on random data)
    assert 0.03 < relative_error(got, exact) < 0.2


def test_a_last_dimension_off_the_block_is_refused() -> None:
    with pytest.raises(ValueError, match="multiple of 16"):
        quantize(torch.ones(2, 24))
