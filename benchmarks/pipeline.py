"""Pipeline benchmark: per-stage seconds and peak memory of our LTX-2 generator, and diffusers' stock
`LTX2Pipeline` (stage 1 -> `LTX2LatentUpsamplePipeline` -> stage 2, all guidance off) on the same weights and
shapes as the baseline. Writes one JSON.

    python -m benchmarks.pipeline --checkpoint random --compile --quantization fp8 --cuda-graphs
    python benchmarks/pipeline.py --model tiny --device cpu --out /tmp/pipeline-tiny.json   # smoke test

The baseline is stock: it runs first, on the transformer as loaded (bf16, eager, diffusers' default
attention), before `apply_speedups` quantizes, compiles or captures anything. `speedup_vs_stock` in the JSON
is the baseline's median segment over ours (segment 0, same shapes; and continuations).

Per stage, the JSON has FLOPs per step (counted with `torch.utils.flop_counter` on one eager step of the
unmodified model, split into matmuls and attention), achieved TFLOP/s, and the tensor-core bound: matmul
FLOPs at the measured peak of the linears' precision (an 8192^3 bf16 matmul, or FP8 `_scaled_mm` with
`--quantization fp8`) plus attention FLOPs at the bf16 peak; `bound_ratio` is measured step time over that.

`--checkpoint random` builds seeded random weights directly on the device (no Gemma 12B: prompts map to
random features of Gemma's shape; the JSON says so).

`--sp-size N` runs the generator sequence-parallel on N ranks, one process and GPU each (NCCL; gloo with
`--device cpu`), through `benchmarks/sequence_parallel.py`; rank 0 writes the JSON, with every rank's peak
memory per segment. The stock baseline is single-GPU and is skipped. Text encoding, upsampling and the
audio decode run whole on every rank, and so do the video decode unless `--vae-tiling` (then each rank
decodes every N-th tile) and a stage with fewer video tokens than `--sp-min-tokens` (default 8192: at
1280x704 stage 1 whole, stage 2 split). `--lean` skips the stock baseline, the FLOP count (two eager
segments), the decode autotuner A/B and the peak-TFLOP/s measurement, for runs that only need seconds;
`--vae-tiling` decodes video with diffusers' spatial tiles (bounds decode memory at 1920x1088). With
`--out` the JSON is rewritten after every timed segment (`"complete": false` until the end), so a run cut
short still leaves what it measured. `--reference-json` adds scaling efficiency against earlier runs.

    python -m benchmarks.pipeline --checkpoint random --lean --sp-size 2 --width 1280 --height 704
    python -m benchmarks.pipeline --model tiny --device cpu --lean --sp-size 2 --out /tmp/sp2.json
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from benchmarks.common import device_info, git_info, write_result
from benchmarks.decode import decode_latents
from benchmarks.flops import count_step_flops, measured_peaks, stage_efficiency
from benchmarks.sequence_parallel import launch, peaks_per_rank, scaling_efficiency
from dreamverse.generator.base import AudioTrack, SegmentRequest
from dreamverse.generator.ltx2.streaming_pipeline import (
    LTX2Generator,
    apply_speedups,
    build_ltx2_generator,
    compile_transformer,
)
from dreamverse.generator.spec import GeneratorSpec

logger = logging.getLogger("benchmarks.pipeline")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="ltx2", choices=["tiny", "ltx2"])
    parser.add_argument("--checkpoint", default=None)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--dtype", default="bfloat16")
    parser.add_argument("--width", type=int, default=768)
    parser.add_argument("--height", type=int, default=512)
    parser.add_argument("--frames", type=int, default=121)
    parser.add_argument("--schedule", default="8+3")
    parser.add_argument("--repeats", type=int, default=2, help="timed segments (after one warm-up)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--compile", action="store_true", help="GeneratorSpec.compile")
    parser.add_argument(
        "--quantization", default="none", choices=["none", "fp8"], help="GeneratorSpec.quantization"
    )
    parser.add_argument(
        "--compile-static",
        action="store_true",
        help="compile the blocks with dynamic=False instead (one graph per shape; for comparison)",
    )
    parser.add_argument("--segments", type=int, default=4, help="segments per timed stream (0, 1, 2, ...)")
    parser.add_argument(
        "--attention",
        default="auto",
        choices=["auto", "sdpa", "cudnn", "flash", "fa4"],
        help="GeneratorSpec.attention",
    )
    parser.add_argument("--cuda-graphs", action="store_true", help="GeneratorSpec.cuda_graphs")
    parser.add_argument(
        "--out", type=Path, default=None, help="JSON path (default: benchmarks/results/pipeline-*.json)"
    )
    parser.add_argument(
        "--sp-size", type=int, default=1, help="sequence-parallel ranks (GeneratorSpec.sp_size)"
    )
    parser.add_argument(
        "--sp-min-tokens",
        type=int,
        default=GeneratorSpec().sp_min_tokens,
        help="split only stages with this many video tokens (GeneratorSpec.sp_min_tokens)",
    )
    parser.add_argument(
        "--sp-graph-collectives",
        action=argparse.BooleanOptionalAction,
        default=GeneratorSpec().sp_graph_collectives,
        help="with --cuda-graphs, capture split stages' all-to-alls too (GeneratorSpec.sp_graph_collectives; "
        "experimental, it hung on 2 x H200)",
    )
    parser.add_argument(
        "--lean", action="store_true", help="skip the stock baseline, FLOP count, decode A/B and peak TFLOP/s"
    )
    parser.add_argument("--vae-tiling", action="store_true", help="decode video in diffusers' spatial tiles")
    parser.add_argument(
        "--reference-json",
        type=Path,
        action="append",
        default=[],
        help="a finished run (same settings, fewer ranks) to compute scaling efficiency against",
    )
    return parser.parse_args()


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _peak_reset(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)


def _peak_gib(device: torch.device) -> float | None:
    return torch.cuda.max_memory_allocated(device) / 2**30 if device.type == "cuda" else None


def run_ours(
    generator: LTX2Generator,
    repeats: int,
    segments: int,
    device: torch.device,
    on_segment: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Warm-up (what `LTX2Generator.warmup` renders: segment 0 and, compiled or graphed, continuations up to
    every audio length; each timed), then `repeats` streams of `segments` segments (continuations cycle
    through audio lengths 168, 168, 167 at 121 frames). `on_segment` sees the results so far after each
    timed segment. Real-time factor: the seconds of video the segment adds (all of segment 0, a
    continuation less its overlap) over its wall time."""
    state = generator.new_stream(seed=10)
    geometry = generator.geometry
    warmup_s: list[float] = []
    for idx in range(generator.warmup_segments()):
        started = time.perf_counter()
        for _ in generator.render_segment(state, SegmentRequest(prompt="warm-up", segment_idx=idx)):
            pass
        _sync(device)
        warmup_s.append(time.perf_counter() - started)
        logger.info("ours warm-up segment %d: %.3f s", idx, warmup_s[-1])
    runs: list[dict[str, Any]] = []
    for repeat in range(repeats):
        for idx in range(segments):
            _peak_reset(device)
            started = time.perf_counter()
            first_audio = first_frames = None
            request = SegmentRequest(prompt=f"a prompt {repeat}", segment_idx=idx)
            for part in generator.render_segment(state, request):
                now = time.perf_counter() - started
                if isinstance(part, AudioTrack):
                    first_audio = now
                elif first_frames is None:
                    first_frames = now
            _sync(device)
            total = time.perf_counter() - started
            played = geometry.num_frames - (geometry.overlap_frames if idx > 0 else 0)
            peaks = peaks_per_rank(device)
            runs.append(
                {
                    "segment_idx": idx,
                    "total_s": total,
                    "realtime_factor": played / geometry.fps / total,
                    "first_audio_s": first_audio,
                    "first_frames_s": first_frames,
                    "stages_s": generator.last_timings().seconds,
                    "peak_memory_gib": max((p for p in peaks if p is not None), default=None),
                    "peak_memory_gib_per_rank": peaks,
                }
            )
            logger.info("ours segment %d: %.3f s %s", idx, total, runs[-1]["stages_s"])
            if on_segment is not None:
                on_segment({"warmup_s": warmup_s, "runs": runs})
    return {"warmup_s": warmup_s, "runs": runs}


def _timed(fn: Callable[[], Any], device: torch.device) -> tuple[Any, float]:
    _sync(device)
    started = time.perf_counter()
    result = fn()
    _sync(device)
    return result, time.perf_counter() - started


def run_baseline(generator: LTX2Generator, repeats: int, device: torch.device) -> dict[str, Any]:
    """diffusers' stock two-stage composition on the same components and prompt features."""
    from tests.support.ltx2_stock import stock_pipelines

    c = generator.pipeline.c
    pipe, upsample = stock_pipelines(c)
    features, mask = generator.pipeline.prompts.text_features("a prompt")
    s, schedule = generator.settings, generator.pipeline.schedule
    off = dict(
        guidance_scale=1.0,
        stg_scale=0.0,
        modality_scale=1.0,
        guidance_rescale=0.0,
        audio_guidance_scale=1.0,
        audio_stg_scale=0.0,
        audio_modality_scale=1.0,
        audio_guidance_rescale=0.0,
        spatio_temporal_guidance_blocks=None,
        use_cross_timestep=generator.config.pipeline.use_cross_timestep,
        prompt_embeds=features,
        prompt_attention_mask=mask,
        frame_rate=float(s.fps),
        return_dict=False,
        max_sequence_length=features.shape[1],
    )

    def segment() -> dict[str, float]:
        g = torch.Generator("cpu").manual_seed(0)
        (video, audio), t1 = _timed(
            lambda: pipe(
                height=s.gen_height // 2,
                width=s.gen_width // 2,
                num_frames=s.num_frames,
                sigmas=list(schedule.stage1[:-1]),
                generator=g,
                output_type="latent",
                **off,
            ),
            device,
        )
        (up,), tu = _timed(lambda: upsample(latents=video, output_type="latent", return_dict=False), device)
        _, t2 = _timed(
            lambda: pipe(
                latents=up,
                audio_latents=audio,
                noise_scale=schedule.stage2[0],
                sigmas=list(schedule.stage2[:-1]),
                generator=g,
                output_type="np",
                **off,
            ),
            device,
        )
        return {"stage1_s": t1, "upsample_s": tu, "stage2_with_decode_s": t2, "total_s": t1 + tu + t2}

    segment()  # warm-up
    runs = []
    for _ in range(repeats):
        _peak_reset(device)
        result = segment()
        result["peak_memory_gib"] = _peak_gib(device)  # type: ignore[assignment]
        runs.append(result)
        logger.info("diffusers baseline: %s", result)
    return {
        "runs": runs,
        "note": "LTX2Pipeline(latent) -> LTX2LatentUpsamplePipeline -> LTX2Pipeline(np); "
        "stage 2 time includes VAE + audio decode and numpy post-processing",
    }


def environment(device: torch.device) -> dict[str, Any]:
    import diffusers
    import transformers

    env: dict[str, Any] = {
        "torch": torch.__version__,
        "diffusers": diffusers.__version__,
        "transformers": transformers.__version__,
        "python": platform.python_version(),
    }
    if device.type == "cuda":
        env["gpu"] = torch.cuda.get_device_name(device)
        env["cudnn"] = torch.backends.cudnn.version()
    return env


def decode_cudnn_benchmark_ab(generator: LTX2Generator, device: torch.device) -> dict[str, Any]:
    """Seconds of one full-size video decode with cuDNN's autotuner off, then on (same latents)."""
    latents = decode_latents(generator, device)
    before = torch.backends.cudnn.benchmark
    out: dict[str, Any] = {}
    try:
        for flag in (False, True):
            torch.backends.cudnn.benchmark = flag
            generator.pipeline.decode_video(latents)  # warm (and, on, autotune)
            times = [_timed(lambda: generator.pipeline.decode_video(latents), device)[1] for _ in range(3)]
            out[f"benchmark_{str(flag).lower()}_s"] = times
    finally:
        torch.backends.cudnn.benchmark = before
    return out


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def speedup_vs_stock(ours: dict[str, Any], baseline: dict[str, Any]) -> dict[str, Any]:
    """Median stock segment over our median segment 0 (same shapes) and continuation."""
    stock = _median([run["total_s"] for run in baseline["runs"]])
    first = _median([run["total_s"] for run in ours["runs"] if run["segment_idx"] == 0])
    later = _median([run["total_s"] for run in ours["runs"] if run["segment_idx"] > 0])
    return {
        "stock_median_s": stock,
        "ours_segment0_median_s": first,
        "ours_continuation_median_s": later,
        "segment0": stock / first if stock and first else None,
        "continuation": stock / later if stock and later else None,
    }


def _write(args: argparse.Namespace, result: dict[str, Any], device: torch.device) -> Path:
    if args.out is None:
        name = f"pipeline-{args.model}-{'random' if result['weights'] == 'random' else 'loaded'}"
        keys = ("model", "checkpoint", "geometry", "schedule", "dtype", "compile", "quantization", "sp_size")
        settings = {k: result[k] for k in keys}
        settings["attention"] = args.attention
        settings["cuda_graphs"] = args.cuda_graphs
        return write_result(name, settings, result, use_gpu=device.type == "cuda")
    result["git"] = git_info()
    result["machine"] = device_info(device.type == "cuda")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return args.out


def _describe(args: argparse.Namespace, generator: LTX2Generator, load_s: float) -> dict[str, Any]:
    return {
        "benchmark": "pipeline",
        "model": args.model,
        "checkpoint": args.checkpoint or "(tiny seeded random)",
        "weights": "random" if args.checkpoint in (None, "random") else "loaded",
        "text_encoder": "Gemma 3"
        if generator.pipeline.c.text_encoder is not None
        else "skipped: random prompt features of Gemma's shape (connectors run for real)",
        "geometry": {
            "width": generator.settings.width,
            "height": generator.settings.height,
            "num_frames": generator.settings.num_frames,
            "fps": generator.settings.fps,
        },
        "schedule": args.schedule,
        "dtype": args.dtype,
        "device": args.device,
        "sp_size": args.sp_size,
        "sp_min_tokens": args.sp_min_tokens,
        "sp_graph_collectives": args.sp_graph_collectives,
        "sequence_parallel": "Ulysses over heads (generator/ltx2/parallel.py) for stages of sp_min_tokens "
        "video tokens or more; smaller stages and the audio decode run whole on every rank; the video decode "
        "is split by tiles with --vae-tiling, whole otherwise"
        if args.sp_size > 1
        else None,
        "compile": "static (dynamic=False)" if args.compile_static else args.compile,
        "quantization": args.quantization,
        "cuda_graphs": args.cuda_graphs,
        "attention": args.attention,
        "vae_tiling": args.vae_tiling,
        "segments_per_stream": args.segments,
        "load_s": load_s,
        "environment": environment(torch.device(args.device)),
        "complete": False,
    }


def run(args: argparse.Namespace, rank: int = 0) -> None:
    """The benchmark on one rank (every rank of a sequence-parallel group runs it; rank 0 writes)."""
    device = torch.device(args.device)
    spec = GeneratorSpec(
        model=args.model,
        checkpoint=args.checkpoint,
        device=args.device,
        dtype=args.dtype,
        width=args.width,
        height=args.height,
        num_frames=args.frames,
        schedule=args.schedule,
        compile=args.compile and not args.compile_static,
        quantization=args.quantization,
        cuda_graphs=args.cuda_graphs,
        attention=args.attention,
        sp_size=args.sp_size,
        sp_min_tokens=args.sp_min_tokens,
        sp_graph_collectives=args.sp_graph_collectives,
    )
    # the transformer as loaded: the stock baseline and the FLOP count see it before any speed-up
    (generator, load_s) = _timed(lambda: build_ltx2_generator(spec, speedups=False), device)
    result = _describe(args, generator, load_s)
    if not (args.no_baseline or args.lean or args.sp_size > 1):
        result["diffusers_baseline"] = run_baseline(generator, args.repeats, device)
    flops = None if args.lean else count_step_flops(generator)
    result["flops_per_step"] = flops
    started = time.perf_counter()
    apply_speedups(generator, spec)
    if args.compile_static:
        compile_transformer(generator.pipeline.c.transformer, dynamic=False)
        generator.compiled = True
    if args.vae_tiling:
        generator.pipeline.c.vae.enable_tiling()
    result["speedups_s"] = time.perf_counter() - started
    plan = generator.attention_plan
    if plan is not None:
        result["attention_plan"] = {
            "by_tokens": plan.by_tokens,
            "timings_ms": plan.timings_ms,
            "relative_error_vs_math": plan.errors,
        }

    def partial(ours: dict[str, Any]) -> None:
        if rank == 0 and args.out is not None:
            result["ours"] = ours
            _write(args, result, device)

    result["ours"] = run_ours(generator, args.repeats, args.segments, device, partial)
    if device.type == "cuda" and not args.lean:
        result["video_decode_cudnn_benchmark_ab"] = decode_cudnn_benchmark_ab(generator, device)
    graphs = generator.graphs
    if graphs is not None:
        result["cuda_graph_captures"] = graphs.captures
        result["cuda_graph_capture_s"] = graphs.capture_s
    if device.type == "cuda" and flops is not None:
        peaks = measured_peaks(device)
        result["measured_peak_tflops"] = peaks
        result["stage_efficiency"] = stage_efficiency(
            result["ours"]["runs"], flops, generator.pipeline.schedule, peaks, args.quantization
        )
    if "diffusers_baseline" in result:
        result["speedup_vs_stock"] = speedup_vs_stock(result["ours"], result["diffusers_baseline"])
        logger.info("speed-up over stock: %s", result["speedup_vs_stock"])
    result["scaling_efficiency"] = [
        scaled
        for path in args.reference_json
        if (scaled := scaling_efficiency(result, _numbers(path))) is not None
    ]
    result["complete"] = True
    if rank == 0:
        logger.info("wrote %s", _write(args, result, device))


def _numbers(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    numbers: dict[str, Any] = data.get("numbers", data)
    return numbers


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    args = parse_args()
    if args.sp_size > 1:
        launch(run, args)
    else:
        run(args)


if __name__ == "__main__":
    main()
