"""Where a segment's GPU time goes: kernel time per pipeline stage, by kind of kernel. Writes one JSON.

    python -m benchmarks.profile_segment --checkpoint random --compile --quantization fp8
    python -m benchmarks.profile_segment --model tiny --device cpu      # smoke test (CPU ops, no kernels)

After the warm-up segments, one continuation is rendered under `torch.profiler` with the pipeline's stages
(stage 1, upsample, stage 2, audio decode, video decode) marked. Each stage gets its wall seconds, the sum
of its GPU kernel times (one stream, so the sum is the busy time; wall minus busy is time the GPU waited
for the CPU) and that sum split by kind: FP8 and bf16 matmuls, attention, Triton (Inductor's fused
pointwise/norm/quantisation kernels), convolutions, NCCL, other (eager pointwise, copies, reductions), with
the top kernels by time. Run it without `--cuda-graphs` to see the kernels one by one.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import torch
from torch._C._autograd import DeviceType
from torch.autograd.profiler_util import FunctionEvent
from torch.profiler import ProfilerActivity, profile, record_function

from benchmarks.common import write_result
from dreamverse.generator.base import SegmentRequest
from dreamverse.generator.ltx2.pipeline import DistilledPipeline
from dreamverse.generator.ltx2.streaming_pipeline import build_ltx2_generator
from dreamverse.generator.spec import GeneratorSpec

logger = logging.getLogger("benchmarks.profile_segment")

STAGES = ("stage1", "upsample", "stage2", "decode_audio", "decode_video_frames")
KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("nccl", ("nccl",)),
    ("attention", ("fmha", "flash", "attention", "cudnn_generated_fort_native_sdpa", "sdpa")),
    ("matmul_fp8", ("e4m3", "f8f8", "fp8")),
    ("matmul", ("gemm", "xmma", "cutlass", "nvjet", "matmul")),
    ("conv", ("conv", "implicit", "winograd", "cudnn")),
    ("triton", ("triton",)),
)


def kind_of(kernel: str) -> str:
    name = kernel.lower()
    for kind, needles in KINDS:
        if any(needle in name for needle in needles):
            return kind
    return "other"


def _kernels(stage: FunctionEvent, events: Iterable[FunctionEvent]) -> list[tuple[str, float]]:
    """(name, µs) of every GPU kernel that started inside `stage`'s range: the stage ends with a device
    synchronize and the next one starts after it, so no kernel of another stage falls in."""
    start, end = stage.time_range.start, stage.time_range.end
    return [
        (event.name, float(event.time_range.end - event.time_range.start))
        for event in events
        if event.device_type == DeviceType.CUDA and start <= event.time_range.start < end
    ]


def summarize_stage(kernels: list[tuple[str, float]], wall_s: float, top: int = 12) -> dict[str, Any]:
    by_kind: dict[str, float] = defaultdict(float)
    by_name: dict[str, list[float]] = defaultdict(list)
    for name, us in kernels:
        by_kind[kind_of(name)] += us
        by_name[name].append(us)
    busy_ms = sum(by_kind.values()) / 1e3
    ranked = sorted(by_name.items(), key=lambda item: -sum(item[1]))[:top]
    return {
        "wall_ms": wall_s * 1e3,
        "gpu_busy_ms": busy_ms,
        "gpu_idle_ms": max(0.0, wall_s * 1e3 - busy_ms),
        "kernels": len(kernels),
        "by_kind_ms": {kind: us / 1e3 for kind, us in sorted(by_kind.items(), key=lambda kv: -kv[1])},
        "top_kernels": [
            {"name": name[:160], "calls": len(times), "total_ms": sum(times) / 1e3} for name, times in ranked
        ],
    }


def _marked(method: Callable[..., Any], label: str, walls: dict[str, float], device: torch.device) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        with record_function(f"stage::{label}"):
            out = method(*args, **kwargs)
            if device.type == "cuda":
                torch.cuda.synchronize(device)
        walls[label] = time.perf_counter() - started
        return out

    return wrapper


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="ltx2", choices=["tiny", "ltx2"])
    parser.add_argument("--checkpoint", default=None)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--width", type=int, default=768)
    parser.add_argument("--height", type=int, default=512)
    parser.add_argument("--compile", action="store_true")
    parser.add_argument("--quantization", default="none", choices=["none", "fp8"])
    parser.add_argument("--cuda-graphs", action="store_true")
    parser.add_argument("--attention", default="auto")
    parser.add_argument("--dtype", default=None, help="default: bfloat16 on CUDA, float32 on the CPU")
    return parser.parse_args()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    args = parse_args()
    device = torch.device(args.device)
    spec = GeneratorSpec(
        model=args.model,
        checkpoint=args.checkpoint,
        device=args.device,
        dtype=args.dtype or ("bfloat16" if device.type == "cuda" else "float32"),
        width=args.width,
        height=args.height,
        compile=args.compile,
        quantization=args.quantization,
        cuda_graphs=args.cuda_graphs,
        attention=args.attention,
    )
    generator = build_ltx2_generator(spec)
    state = generator.new_stream(seed=3)
    warmups = max(2, generator.warmup_segments())
    for idx in range(warmups):
        started = time.perf_counter()
        for _ in generator.render_segment(state, SegmentRequest(prompt="warm-up", segment_idx=idx)):
            pass
        logger.info("warm-up segment %d: %.2f s", idx, time.perf_counter() - started)
    pipeline: DistilledPipeline = generator.pipeline
    walls: dict[str, float] = {}
    for label in STAGES:
        setattr(pipeline, label, _marked(getattr(pipeline, label), label, walls, device))
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if device.type == "cuda" else [])
    started = time.perf_counter()
    with profile(activities=activities) as prof:
        for _ in generator.render_segment(state, SegmentRequest(prompt="profiled", segment_idx=warmups)):
            pass
        if device.type == "cuda":
            torch.cuda.synchronize(device)
    total_s = time.perf_counter() - started
    stages: dict[str, Any] = {}
    events = list(prof.events())
    for event in events:
        if event.name.startswith("stage::") and event.device_type == DeviceType.CPU:
            label = event.name.removeprefix("stage::")
            stages[label] = summarize_stage(_kernels(event, events), walls.get(label, 0.0))
    for label, numbers in stages.items():
        logger.info(
            "%s: wall %.1f ms, GPU busy %.1f ms, %s",
            label,
            numbers["wall_ms"],
            numbers["gpu_busy_ms"],
            {k: round(v, 1) for k, v in numbers["by_kind_ms"].items()},
        )
    settings = dict(vars(args))
    settings["profiled_segment_idx"] = warmups
    write_result(
        "profile-segment", settings, {"segment_s": total_s, "stages": stages}, use_gpu=device.type == "cuda"
    )


if __name__ == "__main__":
    main()
