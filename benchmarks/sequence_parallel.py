"""Sequence-parallel benchmark plumbing: one process a rank, per-rank peaks, scaling efficiency.

`benchmarks/pipeline.py --sp-size N` calls `launch`, which spawns N ranks (NCCL with one GPU each, of those
`CUDA_VISIBLE_DEVICES` shows; gloo on the CPU); every rank runs the same benchmark (the generator's SPMD
contract, `generator/ltx2/parallel.py`) and rank 0 writes the JSON.

Scaling efficiency on the transformer steps (stage 1 + stage 2 seconds, medians of the timed segments) of
a run on N GPUs against a reference run on M GPUs with the same geometry and settings:
(T_M * M) / (T_N * N); 1.0 is perfect scaling. Summarize finished runs (JSON files written with `--out`):

    python -m benchmarks.sequence_parallel OUT.json RUN.json...
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import statistics
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # torch is imported where it runs: the summary needs none (seconds on a busy host)
    import torch

logger = logging.getLogger("benchmarks.sequence_parallel")

RankMain = Callable[[argparse.Namespace, int], None]  # (args with args.device set, rank)
COMPARED = (
    "model",
    "geometry",
    "schedule",
    "dtype",
    "compile",
    "quantization",
    "cuda_graphs",
    "attention",
    "vae_tiling",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _rank(rank: int, main: RankMain, args: argparse.Namespace, port: int) -> None:
    import torch
    import torch.distributed as dist

    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s rank{rank} %(name)s %(message)s")
    cuda = args.device.startswith("cuda")
    if cuda:
        torch.cuda.set_device(rank)
        args.device = f"cuda:{rank}"
    dist.init_process_group(
        "nccl" if cuda else "gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=args.sp_size
    )
    try:
        main(args, rank)
    finally:
        dist.destroy_process_group()


def launch(main: RankMain, args: argparse.Namespace) -> None:
    """Run `main` on `args.sp_size` spawned ranks and wait for all; a failed rank fails the launch."""
    import torch
    import torch.multiprocessing as mp

    if args.device.startswith("cuda") and torch.cuda.device_count() < args.sp_size:
        sys.exit(f"--sp-size {args.sp_size} needs {args.sp_size} GPUs, {torch.cuda.device_count()} visible")
    os.environ.setdefault("NCCL_NVLS_ENABLE", "0")  # the lent hosts' rule: NVLink multicast stays off
    mp.spawn(_rank, args=(main, args, _free_port()), nprocs=args.sp_size, join=True)


def peaks_per_rank(device: torch.device) -> list[float | None]:
    """Every rank's peak allocated GiB since the last reset (a collective: all ranks call it)."""
    import torch
    import torch.distributed as dist

    mine = torch.cuda.max_memory_allocated(device) / 2**30 if device.type == "cuda" else None
    if not dist.is_initialized():
        return [mine]
    found: list[float | None] = [None] * dist.get_world_size()
    dist.all_gather_object(found, mine)
    return found


def _transformer_s(runs: Sequence[dict[str, Any]], continuation: bool) -> float | None:
    picked = [
        run["stages_s"]["stage1"] + run["stages_s"]["stage2"]
        for run in runs
        if (run["segment_idx"] > 0) == continuation
    ]
    return statistics.median(picked) if picked else None


def scaling_efficiency(run: dict[str, Any], reference: dict[str, Any]) -> dict[str, Any] | None:
    """`run` against `reference` (two pipeline JSON payloads' `numbers`), or None if their settings differ."""
    if any(run.get(key) != reference.get(key) for key in COMPARED):
        return None
    n, m = run.get("sp_size", 1), reference.get("sp_size", 1)
    out: dict[str, Any] = {"sp_size": n, "reference_sp_size": m}
    for kind, continuation in (("segment0", False), ("continuation", True)):
        t_n = _transformer_s(run["ours"]["runs"], continuation)
        t_m = _transformer_s(reference["ours"]["runs"], continuation)
        out[f"{kind}_transformer_s"] = t_n
        out[f"{kind}_reference_transformer_s"] = t_m
        out[f"{kind}_efficiency"] = (t_m * m) / (t_n * n) if t_n and t_m else None
    return out


def summarize(paths: Sequence[Path]) -> dict[str, Any]:
    """Per run: geometry, sp size, median real-time factor and first output; each pair's scaling."""
    payloads: dict[str, dict[str, Any]] = {}
    for path in paths:
        data = json.loads(path.read_text())
        payloads[str(path)] = data.get("numbers", data)  # `write_result`'s layout, or `--out`'s
    runs: list[dict[str, Any]] = []
    for path, numbers in payloads.items():
        timed = numbers["ours"]["runs"]
        entry: dict[str, Any] = {
            "file": Path(path).name,
            "geometry": numbers["geometry"],
            "sp_size": numbers.get("sp_size", 1),
            "complete": numbers.get("complete", True),
            "realtime_factor_median": statistics.median([r["realtime_factor"] for r in timed])
            if timed
            else None,
            "first_audio_s_median": statistics.median([r["first_audio_s"] for r in timed]) if timed else None,
            "peak_memory_gib_per_rank": timed[-1].get("peak_memory_gib_per_rank") if timed else None,
            "scaling": [],
        }
        for other, reference in payloads.items():
            smaller = reference.get("sp_size", 1) < entry["sp_size"]
            if smaller and reference["ours"]["runs"] and timed:
                scaled = scaling_efficiency(numbers, reference)
                if scaled is not None:
                    entry["scaling"].append({"reference": Path(other).name, **scaled})
        runs.append(entry)
    return {"benchmark": "sequence-parallel summary", "runs": runs}


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    parser = argparse.ArgumentParser(description="scaling efficiency of sequence-parallel pipeline runs")
    parser.add_argument("out", type=Path)
    parser.add_argument("runs", type=Path, nargs="+", help="pipeline JSON files written with --out")
    args = parser.parse_args()
    summary = summarize([path for path in args.runs if path.exists()])
    text = json.dumps(summary, indent=2, default=str)
    args.out.write_text(text + "\n")
    logger.info("wrote %s:\n%s", args.out, text)


if __name__ == "__main__":
    main()
