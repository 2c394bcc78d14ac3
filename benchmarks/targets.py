"""Issues 8 and 12's targets against committed result JSON: what each target asks, what was measured, where,
and by how much it is met or missed, with the per-stage breakdown that bounds it.

    python -m benchmarks.targets benchmarks/results/streaming-….json benchmarks/results/pipeline-….json \\
        benchmarks/results/sp-….json benchmarks/results/sp-fast-summary-….json

reads streaming runs (`benchmarks/streaming.py`), pipeline runs (`benchmarks/pipeline.py`, also the
`--out` files of `gpu_session.sh`'s sp steps) and sequence-parallel summaries
(`benchmarks/sequence_parallel.py`), and writes `benchmarks/results/targets-<UTC>.json` (`--out` to
choose). Nothing is re-measured: each row names its source file, its GPU and the commit the source records.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import RESULTS_DIR

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Target:
    issue: int
    name: str
    kind: str  # "streaming", "pipeline" or "sp-summary": the result file it is read from
    width: int | None  # None: any geometry (scaling at 1280x704 "and above")
    gpus: int
    threshold: float
    at_least: bool  # met when measured >= threshold (else when <=)
    read: Callable[[dict[str, Any]], float | None]


def _median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def _continuations(numbers: dict[str, Any]) -> list[dict[str, Any]]:
    """A pipeline run's timed continuations (segment 0 left out: the targets are about continuations)."""
    return [run for run in numbers.get("ours", {}).get("runs", []) if run["segment_idx"] > 0]


def _continuation_s(numbers: dict[str, Any]) -> float | None:
    return _median([run["total_s"] for run in _continuations(numbers)])


def _stock_ratio(numbers: dict[str, Any]) -> float | None:
    ratio = numbers.get("speedup_vs_stock") or {}
    value = ratio.get("continuation")
    return float(value) if value is not None else None


def _stage1_bound_ratio(numbers: dict[str, Any]) -> float | None:
    row = (numbers.get("stage_efficiency") or {}).get("stage1_continuation")
    return float(row["bound_ratio"]) if row else None


def _pipeline_rtf(numbers: dict[str, Any]) -> float | None:
    return _median([run["realtime_factor"] for run in _continuations(numbers)])


def _scaling(summary_run: dict[str, Any]) -> float | None:
    rows = summary_run.get("scaling") or []
    return _median([row["continuation_efficiency"] for row in rows if row.get("continuation_efficiency")])


TARGETS: tuple[Target, ...] = (
    Target(8, "end-to-end real-time factor, 768x512", "streaming", 768, 1, 3.0, True,
           lambda n: n.get("real_time_factor")),
    Target(8, "end-to-end real-time factor, 1280x704", "streaming", 1280, 1, 1.5, True,
           lambda n: n.get("real_time_factor")),
    Target(8, "prompt to first byte s, 768x512", "streaming", 768, 1, 1.5, False,
           lambda n: n.get("prompt_to_first_byte_s")),
    Target(8, "x faster than diffusers' stock composition (continuation), 768x512", "pipeline", 768, 1, 3.0,
           True, _stock_ratio),
    Target(8, "x faster than diffusers' stock composition (continuation), 1280x704", "pipeline", 1280, 1, 3.0,
           True, _stock_ratio),
    Target(8, "stage-1 step / tensor-core bound (continuation), 768x512", "pipeline", 768, 1, 1.3, False,
           _stage1_bound_ratio),
    Target(12, "end-to-end real-time factor, 1280x704, 2 GPUs", "streaming", 1280, 2, 2.0, True,
           lambda n: n.get("real_time_factor")),
    Target(12, "real-time factor, 1920x1088, 2 GPUs (pipeline only)", "pipeline", 1920, 2, 1.0, True,
           _pipeline_rtf),
    Target(12, "1 -> 2 GPU scaling on the transformer steps (continuation)", "sp-summary", None, 2, 0.8, True,
           _scaling),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Result:
    """One measured unit: a streaming run, a pipeline run or one run of a sequence-parallel summary."""

    kind: str
    path: Path
    width: int
    gpus: int
    device: str
    commit: str | None
    numbers: dict[str, Any]
    first_segment_frames: int | None = None  # streaming: a shorter segment 0 (None: as long as the rest)


def _pipeline_result(path: Path, numbers: dict[str, Any], payload: dict[str, Any]) -> Result:
    environment = numbers.get("environment", {})
    git = payload.get("git") or numbers.get("git") or {}
    return Result(
        "pipeline",
        path,
        int(numbers["geometry"]["width"]),
        int(numbers.get("sp_size", 1)),
        str(environment.get("gpu") or payload.get("device", {}).get("gpu")),
        git.get("commit"),
        numbers,
    )


def load(path: Path) -> list[Result]:
    """The results one file holds (none for a file of another kind)."""
    payload = json.loads(path.read_text(encoding="utf-8"))
    if payload.get("name") == "streaming":
        settings = payload["settings"]
        gpus = int(settings.get("sp_size", 1))
        device = str(payload.get("device", {}).get("gpu"))
        commit = (payload.get("git") or {}).get("commit")
        first = settings.get("first_segment_frames")
        return [
            Result("streaming", path, int(settings["width"]), gpus, device, commit, payload["numbers"], first)
        ]
    numbers = payload.get("numbers", payload)
    if numbers.get("benchmark") == "pipeline":
        return [_pipeline_result(path, numbers, payload)]
    if numbers.get("benchmark") == "sequence-parallel summary":
        return [
            Result(
                "sp-summary",
                path,
                int(run["geometry"]["width"]),
                int(run["sp_size"]),
                "see source",
                None,
                run,
            )
            for run in numbers["runs"]
            if run.get("scaling")
        ]
    return []


def _stages(numbers: dict[str, Any]) -> dict[str, float]:
    """Median seconds per stage over the continuations of a pipeline run: what bounds its total."""
    runs = _continuations(numbers)
    names = sorted({name for run in runs for name in run.get("stages_s", {})})
    medians = {
        name: _median([run["stages_s"][name] for run in runs if name in run["stages_s"]]) for name in names
    }
    return {name: round(value, 4) for name, value in medians.items() if value is not None}


def _needed_s(seconds: float | None, measured: float, target: Target) -> float | None:
    """The time a continuation would need to take to meet a target that grows as the time shrinks (real-time
    factors, speed-ups): the measured time scaled by measured / threshold."""
    if seconds is None or not target.at_least or measured <= 0:
        return None
    return round(seconds * measured / target.threshold, 4)


def _pipeline_behind(result: Result, results: Sequence[Result]) -> dict[str, Any] | None:
    """The pipeline run under a streaming run (same geometry, GPU count and card): how much of a
    continuation's interval the pipeline alone takes, stage by stage, and so whether the server or the
    pipeline bounds the end-to-end number."""
    candidates = [
        other
        for other in results
        if other.kind == "pipeline" and other.width == result.width and other.gpus == result.gpus
        and other.device == result.device and _continuation_s(other.numbers) is not None
    ]  # fmt: skip
    if not candidates:
        return None
    newest = max(candidates, key=lambda other: other.path.name)
    return {
        "source": newest.path.name,
        "commit": newest.commit,
        "continuation_s": _continuation_s(newest.numbers),
        "stages_s": _stages(newest.numbers),
    }


def evaluate(results: Sequence[Result]) -> list[dict[str, Any]]:
    """One row per target and matching result; a target with no result gets one row saying so. A missed row
    that a faster continuation would meet says how fast (`needed_continuation_s`); a streaming row names the
    pipeline run behind it, so the server's share and the stages' shares of the miss can be read off."""
    rows: list[dict[str, Any]] = []
    for target in TARGETS:
        matching = [
            result
            for result in results
            if result.kind == target.kind
            and result.gpus == target.gpus
            and (target.width is None or result.width == target.width)
        ]
        row_base = {"issue": target.issue, "target": target.name, "threshold": target.threshold,
                    "direction": ">=" if target.at_least else "<="}  # fmt: skip
        measured_any = False
        for result in matching:
            value = target.read(result.numbers)
            if value is None:
                continue
            measured_any = True
            met = value >= target.threshold if target.at_least else value <= target.threshold
            # how far the measurement is from the threshold, as a fraction of the threshold (negative: missed)
            margin = (value - target.threshold) / target.threshold * (1 if target.at_least else -1)
            row = {
                **row_base,
                "measured": round(value, 4),
                "met": met,
                "margin": round(margin, 4),
                "gpu": result.device,
                "source": result.path.name,
                "commit": result.commit,
            }
            seconds: float | None = None
            if result.kind == "pipeline":
                seconds = _continuation_s(result.numbers)
                row["continuation_stages_s"] = _stages(result.numbers)
                row["continuation_s"] = seconds
                row["stage_efficiency"] = result.numbers.get("stage_efficiency")
            if result.kind == "streaming":
                interval = result.numbers.get("continuation_interval_s") or {}
                seconds = interval.get("median")
                row["continuation_interval_s"] = interval or None
                # the first byte depends on it: a run with a shorter segment 0 says so next to its number
                row["first_segment_frames"] = result.first_segment_frames
                row["pipeline"] = _pipeline_behind(result, results)
            if not met and target.kind != "sp-summary":
                row["needed_continuation_s"] = _needed_s(seconds, value, target)
            rows.append(row)
        if not measured_any:
            rows.append({**row_base, "measured": None, "met": False, "source": None})
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="result JSON files to read")
    parser.add_argument("--out", type=Path, default=None, help="where to write (default benchmarks/results/)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    results = [result for path in args.files for result in load(path)]
    rows = evaluate(results)
    now = dt.datetime.now(dt.UTC)
    out = args.out or RESULTS_DIR / f"targets-{now.strftime('%Y%m%dT%H%M%SZ')}.json"
    payload = {"name": "targets", "created_utc": now.isoformat(timespec="seconds"), "rows": rows}
    out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    for row in rows:
        measured = "not measured" if row["measured"] is None else f"{row['measured']:.3g}"
        verdict = "met" if row["met"] else "MISSED"
        where = f"{row.get('gpu')}, {row['source']}" if row["source"] else "no result"
        logger.info("issue %d  %s %s %s: %s  %s  (%s)", row["issue"], row["target"], row["direction"],
                    row["threshold"], measured, verdict, where)  # fmt: skip
    logger.info("wrote %s", out)


if __name__ == "__main__":
    main()
