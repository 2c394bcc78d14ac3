"""Which GPUs get a worker: parses `--gpus` and counts devices without importing torch."""

from __future__ import annotations

import logging
import shutil
import subprocess

logger = logging.getLogger(__name__)


def visible_gpu_ids() -> list[int]:
    """GPU indices `nvidia-smi` reports; empty without NVIDIA GPUs."""
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return []
    try:
        out = subprocess.run(
            [smi, "--query-gpu=index", "--format=csv,noheader"], capture_output=True, text=True, timeout=20
        )
    except (OSError, subprocess.TimeoutExpired):
        logger.warning("nvidia-smi did not answer; assuming no GPUs")
        return []
    return [int(line) for line in out.stdout.split() if line.strip().isdigit()]


def parse_gpus(value: str, available: list[int]) -> list[int]:
    """`auto`/`all` → every available GPU; `N` → the first N; `0,2` → those ids (checked)."""
    value = value.strip().lower()
    if value in {"auto", "all"}:
        return list(available)
    if "," not in value and value.isdigit():
        count = int(value)
        if count > len(available):
            raise ValueError(f"--gpus {count}: only {len(available)} GPU(s) visible: {available}")
        return available[:count]
    try:
        ids = [int(part) for part in value.split(",") if part.strip()]
    except ValueError as exc:
        raise ValueError(f"--gpus must be auto, all, a count or ids like 0,1; got {value!r}") from exc
    missing = sorted(set(ids) - set(available))
    if missing:
        raise ValueError(f"--gpus {value}: GPU(s) {missing} not visible (visible: {available})")
    return ids
