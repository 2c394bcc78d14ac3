"""End-to-end streaming benchmark: a real server, a real websocket client, synthetic 768x512 segments.

    .venv/bin/python -m benchmarks.streaming [--segments 6] [--width 768] [--height 512] [--frames 121]
    .venv/bin/python -m benchmarks.streaming --model ltx2 --checkpoint random --gpus 0,1 --sp-size 2 \
        --compile --quantization fp8 --cuda-graphs --width 1280 --height 704     # one session on a GPU group
    .venv/bin/python -m benchmarks.streaming --model ltx2 --checkpoint random --compile --quantization fp8 \
        --cuda-graphs --first-segment-frames 49      # a shorter segment 0: the first byte after less work

Per segment it records, from the client's side of a loopback websocket:
- first frame produced (the worker's clock, `media_segment_complete.first_frame_unix_ms`) → first fMP4 byte
  received by the client;
- encode seconds (`step_complete.stage_ms.encode`: FFmpeg start → last fragment out);
- bytes and chunks per segment, and the interval between segment completions (real time = duration);
- prompt → segment 0's first byte, and how long playback would wait for each segment's first byte
  (`playback_stall_s`: 0 where it came before the segments already received had played out; a short
  segment 0 must outlast segment 1's generation).
Client and server share one machine, so their wall clocks agree.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import time
from pathlib import Path
from typing import Any

import websockets

from benchmarks.common import RESULTS_DIR, summarize, write_result
from dreamverse.generator.spec import GeneratorSpec
from tests.support.server import run_server

logger = logging.getLogger("benchmarks.streaming")


async def _run_client(url: str, segments: int) -> tuple[list[dict[str, Any]], float]:
    """Per-segment rows, and the wall time the prompts were sent (the worker is warm and idle then)."""
    rows: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    prompts = [f"benchmark segment {i}: a glowing city at night" for i in range(segments)]
    async with websockets.connect(url, max_size=None) as ws:
        sent = time.time()
        await ws.send(
            json.dumps({"type": "session_init_v2", "curated_prompts": prompts, "enhancement_enabled": False})
        )
        while len(rows) < segments:
            frame = await asyncio.wait_for(ws.recv(), timeout=120)
            now = time.time()
            if isinstance(frame, bytes):
                current.setdefault("first_byte_unix_s", now)
                current["bytes"] = current.get("bytes", 0) + len(frame)
                continue
            event = json.loads(frame)
            kind = event["type"]
            if kind == "media_init":
                current = {"segment_idx": event["segment_idx"], "media_init_unix_s": now}
            elif kind == "media_segment_complete":
                current["first_frame_unix_s"] = event["first_frame_unix_ms"] / 1000
                current["chunks"] = event["chunks"]
                current["frames"] = event["frames"]
            elif kind == "step_complete":
                current["encode_s"] = event["stage_ms"]["encode"] / 1000
                current["worker_s"] = event["latency_ms"]["worker_e2e"] / 1000
            elif kind == "ltx2_segment_complete":
                current["complete_unix_s"] = now
                rows.append(current)
            elif kind == "error":
                raise RuntimeError(f"server error: {event}")
        await ws.send(json.dumps({"type": "leave"}))
    return rows, sent


def playback_stalls(rows: list[dict[str, Any]], fps: int) -> list[float]:
    """Seconds a player starting at segment 0's first byte would wait for each segment's first byte, after
    playing every earlier segment (`frames / fps` each) without a pause; 0 where it came in time."""
    if not rows:
        return []
    start, played, stalls = rows[0]["first_byte_unix_s"], 0.0, []
    for row in rows:
        stall = max(0.0, row["first_byte_unix_s"] - (start + played))
        stalls.append(stall)
        start += stall  # the player waited: everything after starts that much later
        played += row["frames"] / fps
    return stalls


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=6)
    parser.add_argument("--width", type=int, default=768)
    parser.add_argument("--height", type=int, default=512)
    parser.add_argument("--frames", type=int, default=121)
    parser.add_argument("--fps", type=int, default=24)
    parser.add_argument(
        "--first-segment-frames",
        type=int,
        default=None,
        help="frames of segment 0 when shorter than --frames (8k+1; 49 at 768x512): a sooner first byte",
    )
    parser.add_argument("--model", default="synthetic", help="synthetic, tiny, ltx2 (GPU)")
    parser.add_argument(
        "--checkpoint", default=None, help="LTX-2 weights; `random` for seeded random weights"
    )
    parser.add_argument("--dtype", default="bfloat16")
    parser.add_argument("--ffmpeg", default="ffmpeg", help="FFmpeg binary")
    parser.add_argument("--warmup-timeout-s", type=float, default=600)
    parser.add_argument("--compile", action="store_true", help="torch.compile the transformer (GPU)")
    parser.add_argument("--quantization", default="none", choices=["none", "fp8"])
    parser.add_argument("--cuda-graphs", action="store_true", help="CUDA graphs of the denoising step (GPU)")
    parser.add_argument("--stream-decode", action="store_true", help="decode video in two pieces (GPU)")
    parser.add_argument("--attention", default="auto", choices=["auto", "sdpa", "cudnn", "flash", "fa4"])
    parser.add_argument("--gpus", default="auto", help="the server's --gpus (`0,1` and --sp-size 2: a group)")
    parser.add_argument("--sp-size", type=int, default=1, help="GPUs per worker slot (sequence parallelism)")
    parser.add_argument("--sp-min-tokens", type=int, default=GeneratorSpec().sp_min_tokens)
    parser.add_argument(
        "--sp-graph-collectives",
        action=argparse.BooleanOptionalAction,
        default=GeneratorSpec().sp_graph_collectives,
        help="capture split stages' all-to-alls in the CUDA graphs (experimental: it hung on 2 x H200)",
    )
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR, help="where the JSON goes")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per /readyz poll while workers warm up
    settings: dict[str, Any] = {
        "model": args.model,
        "checkpoint": args.checkpoint,
        "dtype": args.dtype,
        "ffmpeg": args.ffmpeg,
        "compile": args.compile,
        "quantization": args.quantization,
        "cuda_graphs": args.cuda_graphs,
        "stream_decode": args.stream_decode,
        "attention": args.attention,
        "width": args.width,
        "height": args.height,
        "num_frames": args.frames,
        "first_segment_frames": args.first_segment_frames,
        "fps": args.fps,
        "segment_cap": args.segments,
        "gpus": args.gpus,
        "sp_size": args.sp_size,
        "sp_min_tokens": args.sp_min_tokens,
        "sp_graph_collectives": args.sp_graph_collectives,
    }
    with run_server(**settings) as server:
        server.wait_ready(timeout_s=args.warmup_timeout_s)
        rows, sent = asyncio.run(_run_client(server.ws, args.segments))
        status = server.get("/status").json()
    numbers_extra = {"workers": status["workers"]}
    first_byte_ms = [(r["first_byte_unix_s"] - r["first_frame_unix_s"]) * 1000 for r in rows]
    completes = [r["complete_unix_s"] for r in rows]
    intervals = [b - a for a, b in itertools.pairwise(completes)]
    duration_s = (args.frames - 9) / args.fps
    interval = summarize(intervals) if intervals else None
    numbers = {
        "segments": rows,
        # prompts sent to a warm, idle worker → segment 0's first fMP4 byte at the client
        "prompt_to_first_byte_s": rows[0]["first_byte_unix_s"] - sent if rows else None,
        "first_frame_to_first_byte_ms": summarize(first_byte_ms),
        "playback_stall_s": playback_stalls(rows, args.fps),
        "encode_s": summarize([r["encode_s"] for r in rows]),
        "bytes_per_segment": summarize([float(r["bytes"]) for r in rows]),
        "continuation_interval_s": interval,
        "continuation_duration_s": duration_s,
        # seconds of new video delivered per wall-clock second, continuations only (median interval)
        "real_time_factor": duration_s / interval["median"] if interval else None,
        **numbers_extra,
    }
    path = write_result(
        "streaming",
        {**settings, "encoder": "libx264 ultrafast baseline, 250 ms fragments"},
        numbers,
        use_gpu=args.model == "ltx2",  # the GPU the worker used (same machine)
        results_dir=args.results_dir,
    )
    logger.info("prompt → first byte: %s s", numbers["prompt_to_first_byte_s"])
    logger.info("real-time factor (continuations): %s", numbers["real_time_factor"])
    logger.info("playback stall before each segment (s): %s", numbers["playback_stall_s"])
    logger.info("first frame → first byte at the client: %s ms", numbers["first_frame_to_first_byte_ms"])
    logger.info("encode s/segment: %s", numbers["encode_s"])
    logger.info("bytes/segment: %s", numbers["bytes_per_segment"])
    logger.info("wrote %s", path)


if __name__ == "__main__":
    main()
