"""Which GPUs get a worker: counts devices without importing torch, parses `--gpus`, groups them by
`--sp-size`, places the workers."""

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


def gpu_groups(ids: list[int], sp_size: int) -> list[tuple[int, ...]]:
    """`ids` cut into consecutive groups of `sp_size` (one slot each); `sp_size` must divide their number."""
    if not ids:
        raise ValueError("--gpus selects no device")
    if sp_size < 1 or len(ids) % sp_size:
        raise ValueError(
            f"--sp-size {sp_size} must divide the number of GPUs: {len(ids)} selected ({ids}); "
            f"pick --gpus with a multiple of {sp_size} GPUs or another --sp-size"
        )
    return [tuple(ids[i : i + sp_size]) for i in range(0, len(ids), sp_size)]


def named_devices(gpus: str, sp_size: int) -> list[int]:
    """The device ids `gpus` names without looking at the machine: a count `N` → 0..N-1, ids `0,1` → those,
    `auto`/`all` → one group's worth (a CPU model's fake devices; for GPUs, `parse_gpus` checks them)."""
    value = gpus.strip().lower()
    if value.isdigit():
        return list(range(int(value)))
    if value in {"auto", "all"}:
        return list(range(sp_size))
    try:
        return [int(part) for part in value.split(",") if part.strip()]
    except ValueError as exc:
        raise ValueError(f"--gpus must be auto, all, a count or ids like 0,1; got {gpus!r}") from exc


def worker_specs(template: WorkerSpec, gpus: str) -> list[WorkerSpec]:
    """The pool's workers: `template` placed on devices, one worker (slot) per group of `sp_size` of them.

    A CPU model gets CPU workers with every GPU hidden (`gpus` = N or ids: N fake devices, several slots or
    a gloo group on one machine); any other model one worker per group of the GPUs that `gpus` selects,
    each seeing only its group's GPUs.
    """
    generator = template.generator
    if generator.model in CPU_MODELS:
        groups = gpu_groups(named_devices(gpus, template.sp_size), template.sp_size)
        on_cpu = replace(generator, device="cpu")
        return [
            replace(template, gpu_id=g[0], gpu_ids=g, cuda_visible_devices="", generator=on_cpu)
            for g in groups
        ]
    gpu_ids = parse_gpus(gpus, visible_gpu_ids())
    if not gpu_ids:
        raise ValueError(f"model {generator.model} needs an NVIDIA GPU and none is visible; try --model tiny")
    on_gpu = replace(generator, device="cuda")
    return [
        replace(
            template, gpu_id=g[0], gpu_ids=g, cuda_visible_devices=",".join(map(str, g)), generator=on_gpu
        )
        for g in gpu_groups(gpu_ids, template.sp_size)
    ]
