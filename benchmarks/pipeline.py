"""Pipeline benchmark: per-stage seconds and peak memory of our LTX-2 generator, and diffusers' stock
`LTX2Pipeline` (stage 1 -> `LTX2LatentUpsamplePipeline` -> stage 2, all guidance off) on the same weights and
shapes as the baseline. Writes one JSON.

    python benchmarks/pipeline.py --model ltx2 --checkpoint random --out results/pipeline-h100.json
    python benchmarks/pipeline.py --model tiny --device cpu --out /tmp/pipeline-tiny.json   # smoke test
    python -m benchmarks.pipeline --checkpoint random --compile --no-baseline   # results/pipeline-*.json

`--quantization fp8` is `GeneratorSpec.quantization` (float8 linears in the transformer blocks).
`--compile` is `GeneratorSpec.compile` (the transformer's repeated blocks through `torch.compile`, with the
attention backend `COMPILE_ATTENTION_BACKEND`); `--attention-backend` overrides the backend afterwards.
Warm-up renders a segment 0 and a continuation and reports their seconds (compilation included).

`--checkpoint random` builds seeded random weights directly on the device (no Gemma 12B: prompts map to
random features of Gemma's shape; the JSON says so).
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from benchmarks.common import device_info, git_info, write_result
from dreamverse.generator.base import AudioTrack, SegmentRequest
from dreamverse.generator.ltx2.streaming_pipeline import (
    COMPILE_ATTENTION_BACKEND,
    LTX2Generator,
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
        "--attention-backend", default=None, help="diffusers attention backend, e.g. native, _native_cudnn"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="JSON path (default: benchmarks/results/pipeline-*.json)"
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


def run_ours(generator: LTX2Generator, repeats: int, segments: int, device: torch.device) -> dict[str, Any]:
    """Warm-up (segment 0 + one continuation, timed), then `repeats` streams of `segments` segments
    (continuations cycle through audio lengths 168, 168, 167 at 121 frames)."""
    state = generator.new_stream(seed=10)
    warmup_s: list[float] = []
    for idx in (0, 1):
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
            runs.append(
                {
                    "segment_idx": idx,
                    "total_s": total,
                    "first_audio_s": first_audio,
                    "first_frames_s": first_frames,
                    "stages_s": generator.last_timings().seconds,
                    "peak_memory_gib": _peak_gib(device),
                }
            )
            logger.info("ours segment %d: %.3f s %s", idx, total, runs[-1]["stages_s"])
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


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    args = parse_args()
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
    )
    (generator, load_s) = _timed(lambda: build_ltx2_generator(spec), device)
    if args.compile_static:
        compile_transformer(generator.pipeline.c.transformer, dynamic=False)
        generator.compiled = True
    if args.attention_backend:
        generator.pipeline.c.transformer.set_attention_backend(args.attention_backend)
    result: dict[str, Any] = {
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
        "compile": "static (dynamic=False)" if args.compile_static else args.compile,
        "quantization": args.quantization,
        "segments_per_stream": args.segments,
        "attention_backend": args.attention_backend
        or (COMPILE_ATTENTION_BACKEND if generator.compiled and device.type == "cuda" else None)
        or "native (diffusers default: PyTorch SDPA picks)",
        "load_s": load_s,
        "environment": environment(device),
    }
    result["ours"] = run_ours(generator, args.repeats, args.segments, device)
    if not args.no_baseline:
        result["diffusers_baseline"] = run_baseline(generator, args.repeats, device)
    if args.out is None:
        name = f"pipeline-{args.model}-{'random' if result['weights'] == 'random' else 'loaded'}"
        keys = ("model", "checkpoint", "geometry", "schedule", "dtype", "compile", "quantization")
        settings = {k: result[k] for k in keys}
        settings["attention_backend"] = result["attention_backend"]
        path = write_result(name, settings, result, use_gpu=device.type == "cuda")
    else:
        result["git"] = git_info()
        result["machine"] = device_info(device.type == "cuda")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n")
        path = args.out
    logger.info("wrote %s", path)


if __name__ == "__main__":
    main()
