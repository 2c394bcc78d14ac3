"""Fixtures for the LTX-2 generator tests: the tiny model (seeded random weights, CPU, float32)."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator

import pytest
import torch

from dreamverse.generator.ltx2.components import LTX2Components, build_random_components
from dreamverse.generator.ltx2.config import ModelConfig, load_model_config
from dreamverse.generator.ltx2.pipeline import DistilledPipeline
from dreamverse.generator.ltx2.schedules import DISTILLED_8_3
from dreamverse.generator.ltx2.streaming_pipeline import LTX2Generator, build_ltx2_generator
from dreamverse.generator.spec import GeneratorSpec

CPU = torch.device("cpu")


@pytest.fixture(autouse=True)
def _quiet_diffusers() -> None:
    logging.getLogger("diffusers").setLevel(logging.ERROR)


@pytest.fixture(scope="session")
def tiny_config() -> ModelConfig:
    return load_model_config("tiny")


@pytest.fixture(scope="session")
def tiny_components(tiny_config: ModelConfig) -> LTX2Components:
    torch.set_num_threads(min(torch.get_num_threads(), 2))
    return build_random_components(tiny_config, seed=0)


@pytest.fixture(scope="session")
def tiny_pipeline(tiny_components: LTX2Components, tiny_config: ModelConfig) -> DistilledPipeline:
    return DistilledPipeline(tiny_components, tiny_config.pipeline, DISTILLED_8_3, CPU)


@pytest.fixture(scope="session")
def tiny_generator() -> LTX2Generator:
    return build_ltx2_generator(GeneratorSpec(model="tiny", device="cpu", dtype="float32"))


@pytest.fixture
def fresh_cuda() -> Iterator[None]:
    """Nothing of an earlier test on the GPU; peak statistics start here."""
    gc.collect()
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats()
    torch._dynamo.reset()
    yield
    gc.collect()
    torch.cuda.empty_cache()
    torch._dynamo.reset()
