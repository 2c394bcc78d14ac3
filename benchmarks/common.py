"""Shared benchmark plumbing: where a run happened (device, versions, commit) and writing its JSON.

Every benchmark writes one file, `benchmarks/results/<name>-<device-slug>-<UTC timestamp>.json`:

    {"name": ..., "created_utc": ..., "device": {...}, "versions": {...}, "git": {...},
     "settings": {...}, "numbers": {...}}

`numbers` holds the measurements; `summarize` turns a list of samples into mean / median / p90 / min / max.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
_COMMAND_TIMEOUT_S = 10.0
_MAX_DIRTY_LISTED = 20


def _run(args: Sequence[str], cwd: Path | None = None) -> str | None:
    """stdout of a short command, or None if it is missing or fails."""
    try:
        result = subprocess.run(
            list(args), capture_output=True, text=True, timeout=_COMMAND_TIMEOUT_S, cwd=cwd, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _torch_cuda() -> dict[str, Any]:
    """GPU facts through torch when it is importable and sees a GPU; empty otherwise."""
    try:
        import torch
    except ImportError:
        return {}
    if not torch.cuda.is_available():
        return {}
    props = torch.cuda.get_device_properties(0)
    return {
        "gpu": torch.cuda.get_device_name(0),
        "gpu_count": torch.cuda.device_count(),
        "gpu_memory_gib": round(props.total_memory / 2**30, 1),
        "cuda": torch.version.cuda,
    }


def device_info(use_gpu: bool = True) -> dict[str, Any]:
    """CPU model and core count, plus the GPU (via torch) when `use_gpu` and one is present."""
    info: dict[str, Any] = {
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
        "affinity_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "platform": platform.platform(),
    }
    if use_gpu:
        info.update(_torch_cuda())
    return info


def device_slug(device: Mapping[str, Any]) -> str:
    """Short file-name-safe name of the device: the GPU if any, else the CPU."""
    name = str(device.get("gpu") or f"cpu-{device.get('cpu', 'unknown')}")
    name = re.sub(r"\((r|tm)\)|cpu @.*$|processor", "", name.lower())
    slug = re.sub(r"[^a-z0-9]+", "-", name).strip("-")
    return slug[:48].rstrip("-") or "unknown"


def _package_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def versions(ffmpeg_path: str = "ffmpeg") -> dict[str, Any]:
    """Python, numpy, torch (if installed), ffmpeg (first line of `-version`) and dreamverse."""
    ffmpeg_binary = shutil.which(ffmpeg_path) or ffmpeg_path
    ffmpeg_out = _run([ffmpeg_binary, "-version"])
    return {
        "python": sys.version.split()[0],
        "numpy": _package_version("numpy"),
        "torch": _package_version("torch"),
        "ffmpeg": ffmpeg_out.splitlines()[0] if ffmpeg_out else None,
        "dreamverse": _package_version("dreamverse"),
    }


def git_info(root: Path = REPO_ROOT) -> dict[str, Any]:
    """HEAD commit and which tracked files differ from it (untracked files are ignored).

    `$BENCH_GIT_COMMIT`, when set, names the commit and wins: the lent GPU machine gets a copy of the tree
    whose `.git` may be a stale one (a run on 2026-11-26 recorded an old HEAD, "dirty", for code at another
    commit), so a status against it would say nothing true.
    """
    named = os.environ.get("BENCH_GIT_COMMIT")
    if named:
        return {"commit": named.strip(), "dirty": None, "dirty_files": [], "source": "BENCH_GIT_COMMIT"}
    commit = _run(["git", "rev-parse", "HEAD"], cwd=root)
    status = _run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root)
    changed = [line[3:] for line in status.splitlines() if line.strip()] if status is not None else None
    return {
        "commit": commit.strip() if commit else None,
        "dirty": bool(changed) if changed is not None else None,
        "dirty_files": changed[:_MAX_DIRTY_LISTED] if changed else [],
    }


def summarize(samples: Sequence[float]) -> dict[str, float]:
    """mean / median / p90 / min / max of `samples` (empty dict for no samples)."""
    if not samples:
        return {}
    ordered = sorted(samples)
    count = len(ordered)

    def quantile(q: float) -> float:
        position = q * (count - 1)
        low = int(position)
        high = min(low + 1, count - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (position - low)

    return {
        "mean": sum(ordered) / count,
        "median": quantile(0.5),
        "p90": quantile(0.9),
        "min": ordered[0],
        "max": ordered[-1],
    }


def write_result(
    name: str,
    settings: Mapping[str, Any],
    numbers: Mapping[str, Any],
    *,
    ffmpeg_path: str = "ffmpeg",
    use_gpu: bool = True,
    results_dir: Path = RESULTS_DIR,
) -> Path:
    """Write one benchmark result JSON and return its path."""
    now = dt.datetime.now(dt.UTC)
    device = device_info(use_gpu)
    payload = {
        "name": name,
        "created_utc": now.isoformat(timespec="seconds"),
        "device": device,
        "versions": versions(ffmpeg_path),
        "git": git_info(),
        "settings": dict(settings),
        "numbers": dict(numbers),
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{name}-{device_slug(device)}-{now.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(payload, indent=2, sort_keys=False, default=str) + "\n", encoding="utf-8")
    logger.info("wrote %s", path)
    return path
