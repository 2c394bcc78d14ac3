"""Video decode A/B on one GPU: diffusers' stock decode against our speed-ups, same latents, same process.
Writes one JSON.

    python -m benchmarks.decode --width 768 --height 512          # 19B release's VAE, random weights
    python -m benchmarks.decode --model tiny --device cpu         # smoke test

Variants, each timed from latents to uint8 frames in host memory (what the encoder gets), after one warm-up:
`stock` (3-D reflect padding, one pageable copy), `pad2d` (`fast_reflect_padding`), `pad2d_pinned` (and
`frames_to_host`'s page-locked chunks), `compiled` (and the decoder under `torch.compile`, Inductor, static
shapes; its warm-up is the compile). Every variant's frames are compared with the stock frames.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from benchmarks.common import write_result
from dreamverse.generator.ltx2 import latents as L
from dreamverse.generator.ltx2.pipeline import DistilledPipeline
from dreamverse.generator.ltx2.streaming_pipeline import LTX2Generator, build_ltx2_generator
from dreamverse.generator.ltx2.video_decode import fast_reflect_padding, frames_to_host
from dreamverse.generator.spec import GeneratorSpec

logger = logging.getLogger("benchmarks.decode")


def decode_latents(generator: LTX2Generator, device: torch.device, seed: int = 0) -> torch.Tensor:
    """Random normalised latents of the shape stage 2 hands the video decoder, (1, C, F, H, W)."""
    s, vae = generator.settings, generator.pipeline.c.vae
    shape = L.VideoLatentShape.for_pixels(vae, s.num_frames, s.gen_height, s.gen_width)
    size = (1, vae.config.latent_channels, shape.frames, shape.height, shape.width)
    return torch.randn(size, generator=torch.Generator().manual_seed(seed)).to(device)


def _to_host_pinned(pipeline: DistilledPipeline, latents: torch.Tensor) -> np.ndarray:
    return np.concatenate(list(frames_to_host(pipeline.decode_video_frames(latents), chunk=8)))


def _timed(
    fn: Callable[[], np.ndarray], device: torch.device, repeats: int
) -> tuple[np.ndarray, list[float]]:
    frames = fn()  # warm-up (and, compiled, the compile)
    times = []
    for _ in range(repeats):
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        started = time.perf_counter()
        frames = fn()
        times.append(time.perf_counter() - started)
    return frames, times


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="ltx2", choices=["tiny", "ltx2"])
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--width", type=int, default=768)
    parser.add_argument("--height", type=int, default=512)
    parser.add_argument("--frames", type=int, default=121)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-compile", action="store_true", help="skip the compiled variant")
    args = parser.parse_args()
    device = torch.device(args.device)
    spec = GeneratorSpec(
        model=args.model,
        checkpoint="random",
        device=args.device,
        dtype="bfloat16" if device.type == "cuda" else "float32",
        width=args.width,
        height=args.height,
        num_frames=args.frames,
    )
    generator = build_ltx2_generator(spec, speedups=False)
    pipeline = generator.pipeline
    vae = pipeline.c.vae
    latents = decode_latents(generator, device)
    results: dict[str, Any] = {}
    stock, times = _timed(lambda: pipeline.decode_video(latents), device, args.repeats)
    results["stock"] = {"times_s": times}
    fast_reflect_padding(vae)
    variants: list[tuple[str, Callable[[], np.ndarray]]] = [
        ("pad2d", lambda: pipeline.decode_video(latents)),
        ("pad2d_pinned", lambda: _to_host_pinned(pipeline, latents)),
    ]
    if not args.no_compile:
        variants.append(("compiled", lambda: _to_host_pinned(pipeline, latents)))
    for name, fn in variants:
        if name == "compiled":
            vae.decoder.compile(dynamic=False)
        started = time.perf_counter()
        frames, times = _timed(fn, device, args.repeats)
        diff = np.abs(frames.astype(np.int16) - stock.astype(np.int16))
        results[name] = {
            "times_s": times,
            "first_call_s": time.perf_counter() - started - sum(times),
            "max_abs_diff_vs_stock": int(diff.max()),
            "fraction_differing": float((diff > 0).mean()),
        }
    for name, numbers in results.items():
        numbers["median_s"] = statistics.median(numbers["times_s"])
        logger.info("%s: median %.1f ms %s", name, numbers["median_s"] * 1e3, numbers)
    settings = {**vars(args), "latent_shape": tuple(latents.shape), "frames_shape": stock.shape}
    write_result("decode-ab", settings, results, use_gpu=device.type == "cuda")


if __name__ == "__main__":
    main()
