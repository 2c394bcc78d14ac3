"""`dreamverse-direct`: direct a video from the command line.

    dreamverse-direct --url ws://127.0.0.1:8009/ws "a fox in the snow" \\
        --then 10s "it starts to snow harder" --out fox.mp4

Starts a session with the opening prompt(s), appends each `--then` prompt when its time (seconds since
the stream started) comes, prints progress, and writes one MP4 plus a JSON log of every event. It stops
after `--segments` segments, when the stream completes, or when every prompt is used and the server waits
for more. The exit code says how it ended (see `EXIT_CODES`).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from dreamverse.client import errors as ce
from dreamverse.client.output import EventLog, write_mp4
from dreamverse.client.retry import RetryPolicy
from dreamverse.client.segments import Segment
from dreamverse.client.session import Item, Session, connect
from dreamverse.client.timeline import Timeline, from_file, from_flags
from dreamverse.runtime import errors as re
from dreamverse.runtime.protocol import server as s
from dreamverse.runtime.version import __version__
from dreamverse.streaming.errors import StreamingError

logger = logging.getLogger(__name__)

# The most specific class wins: order matters (subclasses before their parents).
EXIT_CODES: list[tuple[type[BaseException], int, str]] = [
    (ce.ConnectionFailed, 3, "could not connect, or lost the connection for good"),
    (ce.SessionClosed, 3, "the server closed the socket unexpectedly"),
    (re.CapacityError, 4, "no slot: the queue stayed full after every retry"),
    (re.SafetyRejected, 5, "a prompt was blocked by the server's safety filter"),
    (re.Unauthorized, 11, "the server refused the token"),
    (re.ProtocolError, 6, "the server rejected a message (too long, invalid image, …)"),
    (re.SessionEnded, 7, "the session ended (time limit, idle, resume refused)"),
    (re.DreamverseError, 8, "the server failed (worker lost, generation failed, …)"),
    (StreamingError, 9, "the MP4 could not be written"),
    (ce.CapabilityMissing, 10, "the server lacks a capability this run needs"),
]


def exit_code_of(exc: BaseException) -> int:
    for cls, code, _ in EXIT_CODES:
        if isinstance(exc, cls):
            return code
    return 1


def build_parser() -> argparse.ArgumentParser:
    codes = "; ".join(f"{code}: {why}" for _, code, why in EXIT_CODES)
    parser = argparse.ArgumentParser(
        prog="dreamverse-direct",
        description="Direct a Dreamverse session from the command line and save it as one MP4.",
        epilog=f"Exit codes: 0: done; 1: unexpected failure; 2: bad arguments; {codes}.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("prompts", nargs="*", metavar="PROMPT", help="Opening prompt(s): the first segments.")
    parser.add_argument(
        "--then",
        nargs=2,
        action="append",
        default=[],
        metavar=("TIME", "PROMPT"),
        help="Append PROMPT at TIME (10s, 500ms, 2m) after the stream starts. Repeatable.",
    )
    parser.add_argument("--timeline", type=Path, help="A JSON or YAML timeline file instead of prompts.")
    parser.add_argument("--url", default="ws://127.0.0.1:8009/ws", help="The server's websocket URL.")
    parser.add_argument("--token", help="The server's auth token, if it has one.")
    parser.add_argument("--out", type=Path, default=Path("dreamverse.mp4"), help="The MP4 to write.")
    parser.add_argument("--log", type=Path, help="The JSON event log (default: OUT with .events.json).")
    parser.add_argument("--segments", type=int, help="Stop after this many segments.")
    parser.add_argument("--max-seconds", type=float, default=600.0, help="Stop after this long, at most.")
    parser.add_argument("--seed", type=int, help="Generation seed.")
    parser.add_argument("--enhance", action="store_true", help="Let the server's LLM enhance prompts.")
    parser.add_argument("--retries", type=int, default=8, help="Retries of a full queue or a dropped socket.")
    parser.add_argument("--segments-dir", type=Path, help="Also save each segment as its own MP4 here.")
    parser.add_argument("--local-join", action="store_true", help="Join segments here, not via the server.")
    parser.add_argument("--ffmpeg", default="ffmpeg", help="The ffmpeg binary for a local join.")
    parser.add_argument("--quiet", action="store_true", help="No progress lines.")
    return parser


@dataclass
class _Run:
    timeline: Timeline
    limit: int | None
    progress: TextIO | None
    segments_dir: Path | None = None
    log: EventLog = field(default_factory=EventLog)
    segments: list[Segment] = field(default_factory=list)
    stream_started: asyncio.Event = field(default_factory=asyncio.Event)
    cues_left: int = 0
    first_segment_at: float | None = None

    def say(self, text: str) -> None:
        if self.progress is not None:
            self.progress.write(f"[{time.monotonic() - self.log.started:6.1f}s] {text}\n")
            self.progress.flush()

    def on_item(self, item: Item) -> bool:
        """Log and report one item; True when the run is complete."""
        self.log.add(item)
        match item:
            case s.QueueStatus(position=position) if position > 0:
                self.say(f"queued: position {position} ({item.available_gpus}/{item.total_gpus} GPUs free)")
            case s.GpuAssigned():
                self.say(f"slot assigned: GPU {item.gpu_id}")
            case s.Ltx2StreamStart():
                self.stream_started.set()
            case s.SessionResumed():
                self.say(f"socket dropped; resumed at segment {item.next_segment_idx}")
            case s.Error():
                self.say(f"server error {ce.error_code(item)}: {item.message}")
            case Segment():
                self._on_segment(item)
                return self.limit is not None and len(self.segments) >= self.limit
            case s.Ltx2StreamComplete():
                return True
            case s.PromptSourcesBlocked():
                return self.cues_left == 0
        return False

    def _on_segment(self, segment: Segment) -> None:
        self.segments.append(segment)
        if self.segments_dir is not None:  # numbered in arrival order: a new rollout restarts segment_idx
            (self.segments_dir / f"segment-{len(self.segments):04d}.mp4").write_bytes(segment.data)
        if self.first_segment_at is None:
            self.first_segment_at = segment.started_at
        media_s = sum(seg.duration_s or 0.0 for seg in self.segments)
        wall_s = (segment.completed_at or time.monotonic()) - self.first_segment_at
        rtf = f", {media_s / wall_s:.2f}x real time" if wall_s > 0 and media_s > 0 else ""
        self.say(
            f"segment {segment.segment_idx}: {segment.frames} frames, {len(segment.data)} bytes{rtf}"
            f"  «{segment.prompt[:60]}»"
        )


async def _direct_cues(session: Session, run: _Run) -> None:
    """Append each later prompt when its time since the stream started comes."""
    await run.stream_started.wait()
    began = time.monotonic()
    for cue in run.timeline.later:
        await asyncio.sleep(max(0.0, began + cue.at - time.monotonic()))
        ready = await session.append(cue.prompt)
        run.cues_left -= 1
        run.say(f"prompt at {cue.at:g}s queued: «{ready.prompt[:60]}»")


async def _watch(session: Session, run: _Run) -> None:
    async for item in session.events():
        if run.on_item(item):
            return


async def direct(args: argparse.Namespace, timeline: Timeline, progress: TextIO | None) -> int:
    run = _Run(timeline, args.segments or timeline.segments, progress, args.segments_dir)
    run.cues_left = len(timeline.later)
    if args.segments_dir is not None:
        args.segments_dir.mkdir(parents=True, exist_ok=True)
    log_path = args.log or args.out.with_name(args.out.stem + ".events.json")
    session: Session | None = None
    try:
        session = await connect(args.url, token=args.token, retry=RetryPolicy(attempts=args.retries))
        run.say(f"connected to {args.url} (session {session.session_id})")
        await _steer(session, run, args.max_seconds)
        can_export = "export" in session.capabilities and not args.local_join
        await session.leave()
        how = await write_mp4(
            run.segments,
            args.out,
            ws_url=args.url,
            token=args.token,
            use_server=can_export,
            ffmpeg=args.ffmpeg,
        )
        run.say(f"wrote {args.out} ({len(run.segments)} segments, joined by the {how}) and {log_path}")
        return 0
    except (ce.ClientError, re.DreamverseError, StreamingError, ValueError) as exc:
        run.say(f"failed: {type(exc).__name__}: {exc}")
        return exit_code_of(exc) if not isinstance(exc, ValueError) else 9
    finally:
        if session is not None:
            await session.close()
        run.log.write(log_path)


async def _steer(session: Session, run: _Run, max_seconds: float) -> None:
    """Watch the stream while the cues are directed; the first failure of either ends the run."""
    tasks: list[asyncio.Task[None]] = []
    try:
        async with asyncio.timeout(max_seconds):
            watcher = asyncio.create_task(_watch(session, run), name="watch")
            tasks.append(watcher)
            await session.start(run.timeline.opening)
            tasks.append(asyncio.create_task(_direct_cues(session, run), name="cues"))
            pending = set(tasks)
            while watcher in pending:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    task.result()  # raises the failure of either
    except TimeoutError:
        run.say(f"stopping after {max_seconds:g} s")
    finally:
        for task in tasks:
            task.cancel()
        # Their errors were raised above already (or are the same error `start` raised).
        await asyncio.gather(*tasks, return_exceptions=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.timeline is not None:
            if args.prompts or args.then:
                parser.error("give prompts or --timeline, not both")
            timeline = from_file(args.timeline)
        else:
            timeline = from_flags(args.prompts, args.then, args.segments)
    except (OSError, ValidationError, ValueError) as exc:
        parser.error(str(exc))
    return asyncio.run(direct(args, timeline, None if args.quiet else sys.stderr))


if __name__ == "__main__":
    sys.exit(main())
