"""`dreamverse-generate`: render continued segments offline to one MP4 with audio.

    dreamverse-generate --model tiny --prompt "a cat" --prompt "the cat jumps" --out cat.mp4

One segment per `--prompt` (segment 0 fresh, the rest continued); each segment goes through the streaming
encoder like a live session, and the fMP4 segments are concatenated into one progressive MP4. It lives with
the workers because, like a worker, it joins the generator to the encoder (the generator knows no FFmpeg).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path
from typing import Literal

from dreamverse.generator.base import AudioTrack, SegmentRequest, StreamState, VideoGenerator
from dreamverse.generator.errors import GeneratorError
from dreamverse.generator.registry import build_generator
from dreamverse.generator.spec import GeneratorSpec
from dreamverse.streaming.encoder import SegmentEncoder
from dreamverse.streaming.errors import StreamingError
from dreamverse.streaming.export import concat_segments
from dreamverse.streaming.settings import EncoderSettings

logger = logging.getLogger("dreamverse.generate")
DType = Literal["float32", "bfloat16", "float16"]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="dreamverse-generate", description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tiny", choices=["tiny", "ltx2"])
    parser.add_argument(
        "--checkpoint", help="single-file .safetensors, diffusers folder, hub repo id or 'random'"
    )
    parser.add_argument("--text-encoder", help="Gemma 3 folder (with a single-file checkpoint)")
    parser.add_argument("--prompt", action="append", required=True, help="one per segment, in order")
    parser.add_argument("--image", type=Path, help="first-frame image for segment 0")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--width", type=int)
    parser.add_argument("--height", type=int)
    parser.add_argument("--frames", type=int, help="frames a segment renders, overlap included (8k+1)")
    parser.add_argument(
        "--first-segment-frames", type=int, help="frames of segment 0 when fewer than --frames (8k+1)"
    )
    parser.add_argument("--fps", type=int, default=24)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--schedule", default="8+3", choices=["8+3"])
    parser.add_argument("--dtype", default=None, choices=["float32", "bfloat16", "float16"])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser.parse_args(argv)


def spec_from_args(args: argparse.Namespace) -> GeneratorSpec:
    defaults = GeneratorSpec()
    dtype: DType = args.dtype or ("float32" if args.device == "cpu" else "bfloat16")
    return GeneratorSpec(
        model=args.model,
        checkpoint=args.checkpoint,
        text_encoder=args.text_encoder,
        device=args.device,
        dtype=dtype,
        width=args.width or defaults.width,
        height=args.height or defaults.height,
        num_frames=args.frames or defaults.num_frames,
        first_segment_frames=args.first_segment_frames,
        fps=args.fps,
        schedule=args.schedule,
    )


def encode_segment(
    generator: VideoGenerator, state: StreamState, request: SegmentRequest, settings: EncoderSettings
) -> bytes:
    geometry = generator.geometry
    chunks: list[bytes] = []
    encoder = SegmentEncoder(
        settings,
        geometry.width,
        geometry.height,
        geometry.fps,
        geometry.audio_sample_rate,
        geometry.audio_channels,
        on_chunk=chunks.append,
    )
    with encoder:
        for part in generator.render_segment(state, request):
            if isinstance(part, AudioTrack):
                encoder.write_audio(part.samples)
            else:
                encoder.write_video(part.frames)
        encoder.finish()
    return b"".join(chunks)


def render(args: argparse.Namespace) -> Path:
    started = time.perf_counter()
    generator = build_generator(spec_from_args(args))
    logger.info("loaded %s in %.1f s: %s", args.model, time.perf_counter() - started, generator.geometry)
    settings = EncoderSettings()
    image = args.image.read_bytes() if args.image else None
    state = generator.new_stream(seed=args.seed)
    segments: list[bytes] = []
    for index, prompt in enumerate(args.prompt):
        mark = time.perf_counter()
        request = SegmentRequest(
            prompt=prompt, segment_idx=index, initial_image=image if index == 0 else None
        )
        segments.append(encode_segment(generator, state, request, settings))
        timings = ", ".join(f"{k} {v:.2f}" for k, v in generator.last_timings().seconds.items())
        logger.info("segment %d (%r) in %.2f s [%s]", index, prompt, time.perf_counter() - mark, timings)
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(concat_segments(b"".join(segments), settings))
    logger.info("wrote %s (%d segments) in %.1f s", out, len(segments), time.perf_counter() - started)
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO, format="%(levelname)s %(message)s"
    )
    for noisy in ("diffusers", "transformers", "httpx"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    try:
        render(args)
    except GeneratorError as exc:
        logger.error("%s: %s", exc.code, exc)
        return 2
    except StreamingError as exc:
        logger.error("encoding failed: %s", exc)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
