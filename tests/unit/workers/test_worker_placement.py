"""Where the pool's workers go: CPU models on CPU workers with GPUs hidden, others one per GPU."""

from __future__ import annotations

import shutil

import pytest

from dreamverse.runtime.settings import Settings
from dreamverse.workers.gpus import worker_specs


def template(**flat: object) -> Settings:
    return Settings.from_flat(dict(flat))


def test_a_cpu_model_gets_n_cpu_workers_that_see_no_gpu() -> None:
    settings = template(model="synthetic", gpus="2", latency=5)
    specs = worker_specs(settings.worker_template(), settings.model.gpus)
    assert [(s.gpu_id, s.cuda_visible_devices, s.generator.device) for s in specs] == [
        (0, "", "cpu"),
        (1, "", "cpu"),
    ]
    assert all(s.generator.synthetic_latency_ms == 5 for s in specs)  # the template's values carried


def test_a_cpu_model_defaults_to_one_worker() -> None:
    settings = template(model="tiny", gpus="auto")
    assert len(worker_specs(settings.worker_template(), settings.model.gpus)) == 1


@pytest.mark.skipif(shutil.which("nvidia-smi") is not None, reason="this machine has GPUs")
def test_a_gpu_model_without_a_gpu_fails_with_a_hint() -> None:
    settings = template(model="ltx2")
    with pytest.raises(ValueError, match="needs an NVIDIA GPU"):
        worker_specs(settings.worker_template(), settings.model.gpus)
