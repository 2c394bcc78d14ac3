"""`dreamverse-safety`: prompts one per line on stdin -> one JSON object per line on stdout.

$ printf 'a fox in the snow\n' | dreamverse-safety
{"text": "a fox in the snow", "blocked": false, "category": null, "score": 0.0012}
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any, TextIO

from dreamverse.safety.filter import SafetyFilter
from dreamverse.safety.settings import SafetySettings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dreamverse-safety",
        description="Classify prompts (stdin, one a line) into JSON lines {text, blocked, category, score}.",
    )
    parser.add_argument("--model", type=Path, help="our fastText model (default: the shipped one)")
    parser.add_argument("--dolma-nsfw", type=Path, help="Dolma jigsaw NSFW fastText model")
    parser.add_argument("--dolma-hate", type=Path, help="Dolma jigsaw hate-speech fastText model")
    parser.add_argument("--threshold-sexual", type=float, help="block at this `sexual` probability")
    parser.add_argument(
        "--threshold-hate",
        type=float,
        help="block at this `hate` probability (the prompt must name a target)",
    )
    parser.add_argument("--threshold-minors", type=float, help="block at this `minors` probability")
    return parser


def settings_from_args(args: argparse.Namespace) -> SafetySettings:
    """Flags beat `DREAMVERSE_SAFETY_*` environment variables, which beat the defaults."""
    overrides: dict[str, Any] = {
        "safety_model_path": args.model,
        "safety_dolma_nsfw_path": args.dolma_nsfw,
        "safety_dolma_hate_path": args.dolma_hate,
        "safety_threshold_sexual": args.threshold_sexual,
        "safety_threshold_hate": args.threshold_hate,
        "safety_threshold_minors": args.threshold_minors,
    }
    return SafetySettings(**{key: value for key, value in overrides.items() if value is not None})


def classify_stream(safety: SafetyFilter, lines: TextIO, out: TextIO) -> int:
    """Write one verdict per input line; returns how many prompts were blocked."""
    blocked = 0
    for raw in lines:
        text = raw.rstrip("\r\n")
        verdict = safety.check(text)
        blocked += verdict.blocked
        record = {
            "text": text,
            "blocked": verdict.blocked,
            "category": verdict.category,
            "score": round(verdict.score, 6),
        }
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    return blocked


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    safety = SafetyFilter.from_settings(settings_from_args(args))
    classify_stream(safety, sys.stdin, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
