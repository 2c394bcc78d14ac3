"""FLOPs of a denoising step, the GPU's measured tensor-core peaks, and how close each stage comes to them.

`count_step_flops` runs one eager segment 0 and one continuation through `torch.utils.flop_counter` (matmuls
and attention, as PyTorch counts them: 2 FLOPs a multiply-add) and keeps one forward per stage and segment
kind. `measured_peaks` times an 8192^3 bf16 matmul and the FP8 `_scaled_mm` our linears use.
`stage_efficiency` turns the benchmark's stage seconds into achieved TFLOP/s and the tensor-core bound.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

import torch
from torch.utils.flop_counter import FlopCounterMode

from dreamverse.generator.base import SegmentRequest
from dreamverse.generator.ltx2.attention import cuda_median_ms
from dreamverse.generator.ltx2.schedules import Schedule
from dreamverse.generator.ltx2.streaming_pipeline import LTX2Generator

PEAK_SIZE = 8192
MATMUL_OPS = ("aten.mm", "aten.addmm", "aten.bmm", "aten.baddbmm", "aten._scaled_mm")


def split_counts(counts: dict[Any, int]) -> dict[str, float]:
    """FlopCounterMode's per-op totals → matmul, attention and other FLOPs."""
    out = {"matmul": 0.0, "attention": 0.0, "other": 0.0}
    for op, flops in counts.items():
        name = str(op)
        if "scaled_dot_product" in name or "attention" in name:
            out["attention"] += flops
        elif name.split(".default")[0] in MATMUL_OPS:
            out["matmul"] += flops
        else:
            out["other"] += flops
    out["total"] = out["matmul"] + out["attention"] + out["other"]
    return out


def count_step_flops(generator: LTX2Generator) -> dict[str, dict[str, float]]:
    """FLOPs of one forward, keyed `stage1_segment0`, `stage2_continuation`, ... (eager, as loaded)."""
    pipeline = generator.pipeline
    transformer = pipeline.c.transformer
    stage_of = dict(zip(generator.video_token_counts(), ("stage1", "stage2"), strict=True))
    counted: dict[str, dict[str, float]] = {}
    kind = ["segment0"]

    def counting(**kwargs: Any) -> tuple[torch.Tensor, torch.Tensor]:
        key = f"{stage_of.get(kwargs['hidden_states'].shape[1], 'other')}_{kind[0]}"
        if key in counted:
            return transformer(**kwargs)  # type: ignore[no-any-return]
        with FlopCounterMode(display=False) as mode:
            out = transformer(**kwargs)
        counted[key] = split_counts(mode.get_flop_counts()["Global"])
        return out  # type: ignore[no-any-return]

    previous = pipeline.forward
    pipeline.forward = counting
    try:
        state = generator.new_stream(seed=1)
        for idx, name in enumerate(("segment0", "continuation")):
            kind[0] = name
            for _ in generator.render_segment(state, SegmentRequest(prompt="flops", segment_idx=idx)):
                pass
    finally:
        pipeline.forward = previous
    return counted


def measured_peaks(device: torch.device, size: int = PEAK_SIZE) -> dict[str, float]:
    """TFLOP/s of a size^3 matmul on random data: bf16 (`@`) and, on FP8 GPUs, e4m3 `_scaled_mm` with
    row-wise scales (what `Float8Linear` runs)."""
    flops = 2.0 * size**3
    a = torch.randn(size, size, device=device, dtype=torch.bfloat16)
    b = torch.randn(size, size, device=device, dtype=torch.bfloat16)
    peaks = {"bf16": flops / cuda_median_ms(lambda: a @ b, repeats=20, warmups=3) / 1e9}
    if torch.cuda.get_device_capability(device) >= (8, 9):
        a8 = a.to(torch.float8_e4m3fn)
        b8 = b.t().contiguous().to(torch.float8_e4m3fn).t()  # column-major second operand
        sa = torch.ones(size, 1, device=device)
        sb = torch.ones(1, size, device=device)
        peaks["fp8"] = (
            flops
            / cuda_median_ms(
                lambda: torch._scaled_mm(a8, b8, scale_a=sa, scale_b=sb, out_dtype=torch.bfloat16),
                repeats=20,
                warmups=3,
            )
            / 1e9
        )
    return peaks


def stage_efficiency(
    runs: Sequence[dict[str, Any]],
    flops: dict[str, dict[str, float]],
    schedule: Schedule,
    peaks: dict[str, float],
    quantization: str,
) -> dict[str, dict[str, float]]:
    """Per stage and segment kind: median step seconds, achieved TFLOP/s, % of the linears' peak, the
    tensor-core bound of a step and the measured step over it."""
    matmul_peak = peaks["fp8"] if quantization == "fp8" and "fp8" in peaks else peaks["bf16"]
    steps = {"stage1": len(schedule.stage1) - 1, "stage2": len(schedule.stage2) - 1}
    out: dict[str, dict[str, float]] = {}
    for stage, count in steps.items():
        for kind in ("segment0", "continuation"):
            key = f"{stage}_{kind}"
            seconds = [
                run["stages_s"][stage] for run in runs if (run["segment_idx"] > 0) == (kind == "continuation")
            ]
            if key not in flops or not seconds:
                continue
            step_s = statistics.median(seconds) / count
            f = flops[key]
            bound_s = (f["matmul"] / matmul_peak + (f["attention"] + f["other"]) / peaks["bf16"]) / 1e12
            achieved = f["total"] / step_s / 1e12
            out[key] = {
                "step_s": step_s,
                "tflop_per_step": f["total"] / 1e12,
                "achieved_tflops": achieved,
                "pct_of_peak": 100.0 * achieved / matmul_peak,
                "tensor_core_bound_step_s": bound_s,
                "bound_ratio": step_s / bound_s,
            }
    return out
