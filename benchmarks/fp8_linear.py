"""FP8 linears on a GPU: matmul speed per LTX-2 shape (bf16 against float8 e4m3 with row-wise scales) and the
drift of LTX-2 19B latents (random bf16 weights) when the transformer blocks' linears go to float8.

    python -m benchmarks.fp8_linear                 # writes benchmarks/results/fp8-linear-*.json
    python -m benchmarks.fp8_linear --no-drift      # matmuls only (no 19B model)

Per shape (M tokens x K in x N out): `bf16` is `F.linear`; `fp8_mm` is `torch._scaled_mm` on inputs already
quantized (the matmul alone); `fp8_eager` is `Float8Linear` as the eager pipeline runs it (per-token
quantization kernels + the matmul); `fp8_quant_compiled` is the same with `quantize_rows` through
`torch.compile` (one fused kernel, as in the compiled blocks). Medians of `triton.testing.do_bench`.
"""

from __future__ import annotations

import argparse
import logging
from typing import Any

import torch
import torch.nn.functional as F

from benchmarks.common import write_result
from dreamverse.generator.base import SegmentRequest
from dreamverse.generator.ltx2.fp8 import Float8Linear, quantize_blocks_fp8, quantize_rows
from dreamverse.generator.ltx2.streaming_pipeline import build_ltx2_generator
from dreamverse.generator.spec import GeneratorSpec

logger = logging.getLogger("benchmarks.fp8_linear")

# (M, K, N, what) at 768x512x121: stage 2 has 6144 video tokens, stage 1 1536, audio ~168
SHAPES = [
    (6144, 4096, 4096, "stage 2 video attention q/k/v/out"),
    (6144, 4096, 16384, "stage 2 video ff up"),
    (6144, 16384, 4096, "stage 2 video ff down"),
    (1536, 4096, 4096, "stage 1 video attention"),
    (1536, 4096, 16384, "stage 1 video ff up"),
    (1536, 16384, 4096, "stage 1 video ff down"),
    (168, 2048, 2048, "audio attention"),
    (168, 2048, 8192, "audio ff up"),
]


def bench_shapes() -> list[dict[str, Any]]:
    from triton.testing import do_bench

    device = torch.device("cuda")
    compiled_quant = torch.compile(quantize_rows, dynamic=True)
    rows = []
    for m, k, n, what in SHAPES:
        torch.manual_seed(0)
        linear = torch.nn.Linear(k, n, device=device, dtype=torch.bfloat16)
        x = torch.randn(m, k, device=device, dtype=torch.bfloat16)
        fp8 = Float8Linear.from_linear(linear)
        q, scale = quantize_rows(x)

        def mm(fp8: Float8Linear = fp8, q: torch.Tensor = q, scale: torch.Tensor = scale) -> torch.Tensor:
            return torch._scaled_mm(
                q,
                fp8.weight_t,
                scale_a=scale,
                scale_b=fp8.weight_scale,
                bias=fp8.bias,
                out_dtype=torch.bfloat16,
            )

        def quant_compiled(fp8: Float8Linear = fp8, x: torch.Tensor = x) -> torch.Tensor:
            qc, sc = compiled_quant(x)
            return torch._scaled_mm(
                qc, fp8.weight_t, scale_a=sc, scale_b=fp8.weight_scale, bias=fp8.bias, out_dtype=x.dtype
            )

        with torch.no_grad():
            times = {
                "bf16": do_bench(lambda linear=linear, x=x: F.linear(x, linear.weight, linear.bias)),
                "fp8_mm": do_bench(mm),
                "fp8_eager": do_bench(lambda fp8=fp8, x=x: fp8(x)),
                "fp8_quant_compiled": do_bench(quant_compiled),
            }
            ref = F.linear(x.double(), linear.weight.double(), linear.bias.double())
            error = float((fp8(x).double() - ref).norm() / ref.norm())
        flop = 2.0 * m * k * n
        row = {
            "m": m,
            "k": k,
            "n": n,
            "what": what,
            "ms": times,
            "tflops": {name: flop / (ms * 1e-3) / 1e12 for name, ms in times.items()},
            "fp8_relative_error": error,
        }
        rows.append(row)
        logger.info(
            "%5d x %5d x %5d %-36s bf16 %.3f ms (%.0f TF/s)  fp8 mm %.3f (%.0f)  eager %.3f  compiled %.3f",
            m,
            k,
            n,
            what,
            times["bf16"],
            row["tflops"]["bf16"],
            times["fp8_mm"],
            row["tflops"]["fp8_mm"],
            times["fp8_eager"],
            times["fp8_quant_compiled"],
        )
    return rows


def relative_error(got: torch.Tensor, want: torch.Tensor) -> float:
    return float((got.double() - want.double()).norm() / want.double().norm())


def drift(seed: int = 0) -> dict[str, Any]:
    """Segment 0 latents of LTX-2 19B random bf16 weights, bf16 twice (determinism) then float8 blocks."""
    spec = GeneratorSpec(model="ltx2", checkpoint="random", device="cuda", dtype="bfloat16")
    generator = build_ltx2_generator(spec)
    state = generator.new_stream(seed=10)
    plan, _ = generator.plan(state, SegmentRequest(prompt="drift", segment_idx=0))

    def run() -> tuple[Any, list[torch.Tensor]]:
        steps: list[torch.Tensor] = []
        latents = generator.pipeline.generate(
            "drift", plan, torch.Generator("cpu").manual_seed(seed), lambda i, v, a: steps.append(v.latents)
        )
        return latents, steps

    weights_bf16 = torch.cuda.memory_allocated() / 2**30
    bf16, bf16_steps = run()
    again, _ = run()
    swapped = quantize_blocks_fp8(generator.pipeline.c.transformer)
    torch.cuda.empty_cache()
    weights_fp8 = torch.cuda.memory_allocated() / 2**30
    fp8, fp8_steps = run()
    result = {
        "linears_quantized": swapped,
        "allocated_gib": {"bf16": weights_bf16, "fp8": weights_fp8},
        "bf16_vs_bf16": {
            "video": relative_error(again.video, bf16.video),
            "audio": relative_error(again.audio, bf16.audio),
        },
        "fp8_vs_bf16": {
            "video": relative_error(fp8.video, bf16.video),
            "audio": relative_error(fp8.audio, bf16.audio),
        },
        "fp8_vs_bf16_video_per_step": [
            relative_error(f, b) for f, b in zip(fp8_steps, bf16_steps, strict=True)
        ],
        "finite": bool(torch.isfinite(fp8.video).all() and torch.isfinite(fp8.audio).all()),
    }
    logger.info("drift: %s", result)
    return result


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-drift", action="store_true")
    args = parser.parse_args()
    numbers: dict[str, Any] = {"shapes": bench_shapes()}
    if not args.no_drift:
        numbers["drift"] = drift()
    settings = {"shapes": [s[:3] for s in SHAPES], "drift": not args.no_drift, "scaling": "row-wise"}
    path = write_result("fp8-linear", settings, numbers, use_gpu=True)
    logger.info("wrote %s", path)


if __name__ == "__main__":
    main()
