"""Shared by the sequence-parallel tests (CPU over gloo, GPU over NCCL): a tiny model whose attentions have
4 heads (the shipped tiny has 2, and Ulysses needs heads divisible by the group size), a two-segment stream
recorded tensor by tensor, and a launcher that runs it on N ranks (one process each) and returns rank 0's."""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import socket
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from dreamverse.generator.base import AudioTrack, SegmentRequest, VideoFrames
from dreamverse.generator.ltx2.components import build_random_components
from dreamverse.generator.ltx2.config import ModelConfig, load_model_config
from dreamverse.generator.ltx2.pipeline import DistilledPipeline
from dreamverse.generator.ltx2.schedules import DISTILLED_8_3
from dreamverse.generator.ltx2.split_decode import SplitTiledDecode
from dreamverse.generator.ltx2.streaming_pipeline import (
    LTX2Generator,
    apply_speedups,
    compile_transformer,
    resolve_settings,
)
from dreamverse.generator.spec import GeneratorSpec
from tests.support.gpu import capture_latents, full_float32

HEADS = 4
# fork on the CPU: a rank starts at once from the test process, which has imported torch and diffusers
# (spawn or forkserver re-import them: 8-30 s a process on two busy cores); the ranks run one thread each.
# CUDA cannot be forked once initialized, so GPU ranks are spawned.
_FORK = multiprocessing.get_context("fork")
_SPAWN = multiprocessing.get_context("spawn")
_DTYPE_NAMES: dict[torch.dtype, Any] = {torch.float32: "float32", torch.bfloat16: "bfloat16"}
# a split video decode: 192x128 frames, latents 6x4, tiles of 3x3 latents (96 px) every 2 latents (64 px),
# 32 px blends, 2 rows of 3 tiles (edge tiles 2 latents wide: the decoder's reflect padding needs 2)
TILED = {"width": 192, "height": 128}
SMALL_TILES = {
    "tile_sample_min_height": 96,
    "tile_sample_min_width": 96,
    "tile_sample_stride_height": 64,
    "tile_sample_stride_width": 64,
}


def tiny_sp_config(heads: int = HEADS) -> ModelConfig:
    """The shipped tiny config with `heads` heads in every transformer attention (same head dims)."""
    config = load_model_config("tiny")
    transformer = dict(config.components["transformer"])
    transformer["num_attention_heads"] = heads
    transformer["audio_num_attention_heads"] = heads
    transformer["cross_attention_dim"] = heads * transformer["attention_head_dim"]
    transformer["audio_cross_attention_dim"] = heads * transformer["audio_attention_head_dim"]
    return dataclasses.replace(config, components={**config.components, "transformer": transformer})


def build_tiny_generator(
    device: str,
    dtype: torch.dtype,
    sp_size: int,
    compile_backend: str | None = None,
    vae_tiling: dict[str, int] | None = None,
    **options: Any,
) -> LTX2Generator:
    """The 4-head tiny generator with seeded weights; `sp_size > 1` needs torch.distributed initialized.
    Every forward is split unless `options` (more `GeneratorSpec` fields) set `sp_min_tokens`;
    `compile_backend` compiles the blocks with that dynamo backend (the CPU's cheap stand-in for
    `compile=True`, whose inductor would take minutes on two busy cores); `vae_tiling` turns the video
    VAE's tiling on with these `enable_tiling` arguments."""
    config = tiny_sp_config()
    options = {"sp_min_tokens": 0, "attention": "sdpa", **options}
    spec = GeneratorSpec(model="tiny", device=device, dtype=_DTYPE_NAMES[dtype], sp_size=sp_size, **options)
    # seeded on the CPU, then moved: the same weights on every rank's GPU whatever its RNG does
    components = build_random_components(config, seed=0, dtype=dtype).to(device, dtype)
    pipeline = DistilledPipeline(components, config.pipeline, DISTILLED_8_3, torch.device(device))
    generator = LTX2Generator(pipeline, config, resolve_settings(spec, config))
    apply_speedups(generator, spec)
    if vae_tiling is not None:
        components.vae.enable_tiling(**vae_tiling)
    if compile_backend is not None:
        compile_transformer(pipeline.c.transformer, backend=compile_backend)
        generator.compiled = True
    return generator


def render_stream(generator: LTX2Generator, segments: int = 2) -> dict[str, torch.Tensor]:
    """Segment 0 and continuations: each segment's final video and audio latents, its played frames and
    its audio track, as CPU tensors keyed `<what><segment>`."""
    generate = generator.pipeline.generate
    recorded = capture_latents(generator)
    out: dict[str, torch.Tensor] = {}
    state = generator.new_stream(seed=3)
    for idx in range(segments):
        frames: list[np.ndarray] = []
        for part in generator.render_segment(
            state, SegmentRequest(prompt=f"a red fox {idx}", segment_idx=idx)
        ):
            if isinstance(part, AudioTrack):
                out[f"audio_track{idx}"] = torch.from_numpy(part.samples.copy())
            elif isinstance(part, VideoFrames):
                frames.append(part.frames)
        out[f"frames{idx}"] = torch.from_numpy(np.concatenate(frames))
        out[f"video_latents{idx}"] = recorded[idx].video.float().cpu()
        out[f"audio_latents{idx}"] = recorded[idx].audio.float().cpu()
    generator.pipeline.generate = generate  # type: ignore[method-assign]
    return out


def count_collectives(generator: LTX2Generator) -> dict[int, int]:
    """From now on, how many all-to-alls each transformer forward of the (sequence-parallel) generator
    issues, summed by the forward's video token count (the collective is looked up at call time, so
    replacing it on the module catches every one)."""
    from dreamverse.generator.ltx2 import parallel

    counts: dict[int, int] = {}
    current = [0]
    original = parallel.funcol.all_to_all_single
    forward = generator.pipeline.forward
    assert forward is not None

    def counted(*args: Any, **kwargs: Any) -> torch.Tensor:
        counts[current[0]] = counts.get(current[0], 0) + 1
        return original(*args, **kwargs)

    def recorded(**kwargs: Any) -> tuple[torch.Tensor, torch.Tensor]:
        current[0] = kwargs["hidden_states"].shape[1]
        counts.setdefault(current[0], 0)
        return forward(**kwargs)

    parallel.funcol.all_to_all_single = counted  # type: ignore[assignment]
    generator.pipeline.forward = recorded
    return counts


def graphed_video_tokens(signatures: list[Any]) -> set[int]:
    """The video token counts (`hidden_states.shape[1]`) of the captured forwards' signatures."""
    return {int(value[0][1]) for sig in signatures for name, value in sig if name == "hidden_states"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _rank_main(
    rank: int, world: int, port: int, device_type: str, dtype: torch.dtype, out: str, options: dict[str, Any]
) -> None:
    import torch.distributed as dist

    torch.set_num_threads(1)
    backend = "nccl" if device_type == "cuda" else "gloo"
    device = f"cuda:{rank}" if device_type == "cuda" else "cpu"
    if device_type == "cuda":
        torch.cuda.set_device(rank)
    dist.init_process_group(backend, init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    try:
        counting, segments = options.pop("count_collectives", False), options.pop("segments", 2)
        with full_float32() if device_type == "cuda" else contextlib.nullcontext():
            generator = build_tiny_generator(device, dtype, world, **options)
            counts = count_collectives(generator) if counting else {}
            result = render_stream(generator, segments)
        for tokens, count in counts.items():
            result[f"collectives_at_{tokens}_video_tokens"] = torch.tensor(count)
        split_decode = generator.pipeline.video_decode
        if isinstance(split_decode, SplitTiledDecode) and options.get("vae_tiling") is not None:
            result["tiles_decoded"] = torch.tensor(split_decode.tiles_decoded)
        graphs = generator.graphs
        if graphs is not None:  # the video token counts of the forwards captured in graphs
            result["graphed_video_tokens"] = torch.tensor(sorted(graphed_video_tokens(graphs.signatures)))
        if options.get("compile_backend") is not None:
            breaks = sum(torch._dynamo.utils.counters["graph_break"].values())
            result["graph_breaks"] = torch.tensor(breaks)
        if rank == 0:
            torch.save(result, out)
    finally:
        dist.destroy_process_group()


def _wait(procs: list[multiprocessing.process.BaseProcess], timeout_s: float) -> None:
    """Until every rank has exited, one has failed (the others would wait in a collective for good), or
    `timeout_s` has passed."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        codes = [proc.exitcode for proc in procs]
        if None not in codes or any(code not in (None, 0) for code in codes):
            return
        time.sleep(0.05)


def run_ranks(
    world: int, device_type: str, dtype: torch.dtype, timeout_s: float, **options: Any
) -> dict[str, torch.Tensor]:
    """`render_stream` on `world` ranks (gloo on the CPU, NCCL with one GPU a rank) of the generator
    `build_tiny_generator(..., **options)` builds; rank 0's result."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "rank0.pt")
        context = _SPAWN if device_type == "cuda" else _FORK
        procs = [
            context.Process(target=_rank_main, args=(rank, world, port, device_type, dtype, out, options))
            for rank in range(world)
        ]
        for proc in procs:
            proc.start()
        try:
            _wait(procs, timeout_s)
        finally:
            for proc in procs:
                if proc.is_alive():
                    proc.kill()
                    proc.join()
        codes = [proc.exitcode for proc in procs]
        if codes != [0] * world:
            raise RuntimeError(f"sequence-parallel ranks exited with {codes}")
        result: dict[str, torch.Tensor] = torch.load(Path(out))
        return result
