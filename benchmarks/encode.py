"""Encoder-only benchmark: synthetic 768x512 24 fps 121-frame segments through `SegmentEncoder`.

    .venv/bin/python -m benchmarks.encode [--segments 8] [--feed-fps 0] [--preset ultrafast] ...

Frames are rendered by `SyntheticGenerator` before each segment's clock starts, then fed in chunks of 8
(as a generator yields them), unpaced by default or at `--feed-fps`. Per segment it records: encode seconds
(ffmpeg spawn → finish), bytes, time from the first frame written to the init segment and to the first
fragment (moof) handed out, and time from the last frame written to finish (drain).
"""

from __future__ import annotations

import argparse
import logging
import os
import time
from dataclasses import asdict
from typing import Any

import numpy as np

from benchmarks.common import summarize, write_result
from dreamverse.generator.base import AudioTrack, SegmentRequest, VideoFrames
from dreamverse.generator.spec import GeneratorSpec
from dreamverse.generator.synthetic import SyntheticGenerator
from dreamverse.streaming import EncoderSettings, EncodeStats, SegmentEncoder

logger = logging.getLogger("benchmarks.encode")

PROMPTS = ["a red sunset over the sea", "a forest at night", "snow falling in tokyo", "a cat on a roof"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--segments", type=int, default=8, help="measured segments")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured segments first")
    parser.add_argument("--width", type=int, default=768)
    parser.add_argument("--height", type=int, default=512)
    parser.add_argument("--fps", type=int, default=24)
    parser.add_argument("--frames", type=int, default=121)
    parser.add_argument(
        "--feed-fps", type=float, default=0.0, help="pace frame writes; 0 = as fast as possible"
    )
    parser.add_argument(
        "--spawn-ahead-s", type=float, default=0.0, help="start ffmpeg this long before the first frame"
    )
    parser.add_argument("--ffmpeg", default=os.environ.get("DREAMVERSE_FFMPEG", "ffmpeg"))
    parser.add_argument("--preset", default="ultrafast")
    parser.add_argument("--profile", default="baseline", choices=["baseline", "main", "high"])
    parser.add_argument("--crf", type=int, default=23)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--no-write", action="store_true", help="do not write the result JSON")
    return parser.parse_args(argv)


def render(generator: SyntheticGenerator, prompt: str, seed: int) -> tuple[AudioTrack, list[np.ndarray]]:
    """One fresh segment (audio, frame chunks), rendered before the clock starts."""
    parts = list(generator.render_segment(generator.new_stream(seed), SegmentRequest(prompt, 0)))
    audio = parts[0]
    assert isinstance(audio, AudioTrack)
    return audio, [part.frames for part in parts[1:] if isinstance(part, VideoFrames)]


def encode_one(
    settings: EncoderSettings,
    generator: SyntheticGenerator,
    audio: AudioTrack,
    chunks: list[np.ndarray],
    feed_fps: float,
    spawn_ahead_s: float = 0.0,
) -> EncodeStats:
    geometry = generator.geometry
    with SegmentEncoder(
        settings,
        geometry.width,
        geometry.height,
        geometry.fps,
        audio.sample_rate,
        audio.samples.shape[1],
        on_chunk=lambda chunk: None,
    ) as encoder:
        encoder.write_audio(audio.samples)
        time.sleep(spawn_ahead_s)
        start = time.monotonic()
        written = 0
        for frames in chunks:
            if feed_fps > 0:
                time.sleep(max(0.0, start + written / feed_fps - time.monotonic()))
            encoder.write_video(frames)
            written += len(frames)
        return encoder.finish()


def segment_numbers(stats: EncodeStats, fps: int) -> dict[str, Any]:
    assert stats.first_frame_at is not None and stats.last_frame_at is not None
    assert stats.first_chunk_at is not None
    return {
        "frames": stats.frames,
        "encode_s": stats.seconds,
        "bytes": stats.bytes_out,
        "chunks": stats.chunks,
        "fragments": stats.fragments,
        "feed_s": stats.last_frame_at - stats.first_frame_at,
        "first_frame_to_init_s": stats.first_chunk_at - stats.first_frame_at,
        "first_frame_to_first_fragment_s": stats.first_fragment_latency_s,
        "last_frame_to_finish_s": stats.drain_s,
        "realtime_factor": stats.frames / fps / stats.seconds,
        "mime": stats.mime,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    spec = GeneratorSpec(width=args.width, height=args.height, fps=args.fps, num_frames=args.frames)
    generator = SyntheticGenerator(spec)
    settings = EncoderSettings(
        ffmpeg_path=args.ffmpeg, preset=args.preset, profile=args.profile, crf=args.crf, threads=args.threads
    )
    per_segment: list[dict[str, Any]] = []
    for index in range(args.warmup + args.segments):
        audio, chunks = render(generator, PROMPTS[index % len(PROMPTS)], seed=index)
        numbers = segment_numbers(
            encode_one(settings, generator, audio, chunks, args.feed_fps, args.spawn_ahead_s), args.fps
        )
        if index >= args.warmup:
            per_segment.append(numbers)
        logger.info(
            "segment %d: encode %.3f s, %d bytes, first fragment %.3f s after first frame, drain %.3f s",
            index,
            numbers["encode_s"],
            numbers["bytes"],
            numbers["first_frame_to_first_fragment_s"],
            numbers["last_frame_to_finish_s"],
        )
    keys = ["encode_s", "bytes", "first_frame_to_init_s", "first_frame_to_first_fragment_s"]
    keys += ["last_frame_to_finish_s", "feed_s", "realtime_factor"]
    summary = {key: summarize([float(seg[key]) for seg in per_segment]) for key in keys}
    return {"settings": asdict(settings), "summary": summary, "segments": per_segment}


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = parse_args(argv)
    result = run(args)
    summary = result["summary"]
    logger.info(
        "median encode %.3f s/segment, first fragment %.3f s, drain %.3f s, %.0f bytes",
        summary["encode_s"]["median"],
        summary["first_frame_to_first_fragment_s"]["median"],
        summary["last_frame_to_finish_s"]["median"],
        summary["bytes"]["median"],
    )
    if not args.no_write:
        bench_settings = {**vars(args), "encoder": result["settings"]}
        numbers = {"summary": summary, "segments": result["segments"]}
        write_result("encode", bench_settings, numbers, ffmpeg_path=args.ffmpeg, use_gpu=False)


if __name__ == "__main__":
    main()
