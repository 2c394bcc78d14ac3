"""Where the pool's workers go: CPU models on CPU workers with GPUs hidden, others one per GPU."""

from __future__ import annotations

import shutil

import pytest

from dreamverse.runtime.settings import Settings
from dreamverse.workers.gpus import gpu_groups, worker_specs


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


def test_sp_size_cuts_the_devices_into_group_slots() -> None:
    settings = template(model="tiny", gpus="0,1,2,3", sp_size=2)
    specs = worker_specs(settings.worker_template(), settings.model.gpus)
    assert [(s.gpu_id, s.gpu_ids, s.sp_size, s.name) for s in specs] == [
        (0, (0, 1), 2, "gpu0+1"),
        (2, (2, 3), 2, "gpu2+3"),
    ]
    assert all(s.cuda_visible_devices == "" and s.generator.device == "cpu" for s in specs)


def test_a_cpu_model_with_auto_gpus_makes_one_group() -> None:
    settings = template(model="synthetic", gpus="auto", sp_size=2)
    (spec,) = worker_specs(settings.worker_template(), settings.model.gpus)
    assert spec.gpu_ids == (0, 1) and spec.name == "gpu0+1"


def test_a_single_gpu_worker_keeps_its_name() -> None:
    settings = template(model="synthetic", gpus="2")
    assert [s.name for s in worker_specs(settings.worker_template(), settings.model.gpus)] == ["gpu0", "gpu1"]


@pytest.mark.parametrize("gpus", ["0,1,2", "3"])
def test_sp_size_must_divide_the_gpus(gpus: str) -> None:
    with pytest.raises(ValueError, match="--sp-size 2 must divide the number of GPUs: 3 selected"):
        template(model="tiny", gpus=gpus, sp_size=2)


def test_groups_of_visible_gpus_are_checked_when_placed() -> None:
    assert gpu_groups([4, 5, 6, 7], 4) == [(4, 5, 6, 7)]
    with pytest.raises(ValueError, match="--sp-size 4 must divide the number of GPUs: 2 selected"):
        gpu_groups([0, 1], 4)
