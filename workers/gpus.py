"""Which GPUs get a worker: counts devices without importing torch, parses `--gpus`, places the workers."""

from __future__ import annotations

import logging
import shutil
import subprocess
from dataclasses import replace

from dreamverse.workers.spec import WorkerSpec

logger = logging.getLogger(__name__)

CPU_MODELS = frozenset({"synthetic", "tiny"})  # generators that run on a CPU worker


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


def worker_specs(template: WorkerSpec, gpus: str) -> list[WorkerSpec]:
    """The pool's workers: `template` placed on devices.

    A CPU model gets one CPU worker (or `gpus` = N of them: several slots on one machine) with every GPU
    hidden; any other model one worker per GPU that `gpus` selects, each seeing only its own GPU.
    """
    generator = template.generator
    if generator.model in CPU_MODELS:
        count = int(gpus) if gpus.strip().isdigit() else 1
        on_cpu = replace(generator, device="cpu")
        return [replace(template, gpu_id=i, cuda_visible_devices="", generator=on_cpu) for i in range(count)]
    gpu_ids = parse_gpus(gpus, visible_gpu_ids())
    if not gpu_ids:
        raise ValueError(f"model {generator.model} needs an NVIDIA GPU and none is visible; try --model tiny")
    on_gpu = replace(generator, device="cuda")
    return [replace(template, gpu_id=i, cuda_visible_devices=str(i), generator=on_gpu) for i in gpu_ids]
