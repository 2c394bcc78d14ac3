"""Shared by the GPU tests (tests/generator/test_gpu*.py) and the sequence-parallel tests: their JSON-lines
report, relative errors and the latents a generator renders."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from typing import Any

import torch

from dreamverse.generator.ltx2.pipeline import SegmentLatents
from dreamverse.generator.ltx2.streaming_pipeline import LTX2Generator


def report(test: str, **numbers: Any) -> None:
    """Append what a test measured to `$DREAMVERSE_GPU_REPORT` (one JSON object a line), if set."""
    path = os.environ.get("DREAMVERSE_GPU_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"test": test, **numbers}, default=str) + "\n")


def relative_error(got: torch.Tensor, want: torch.Tensor) -> float:
    """‖got - want‖ / ‖want‖ in float64 on the CPU."""
    got, want = got.double().cpu(), want.double().cpu()
    return float((got - want).norm() / want.norm())


def capture_latents(generator: LTX2Generator) -> list[SegmentLatents]:
    """Keep each segment's latents as `render_segment` gets them from the pipeline."""
    captured: list[SegmentLatents] = []
    generate = generator.pipeline.generate

    def keep(*args: Any, **kwargs: Any) -> SegmentLatents:
        latents = generate(*args, **kwargs)
        captured.append(latents)
        return latents

    generator.pipeline.generate = keep  # type: ignore[method-assign]
    return captured


@contextlib.contextmanager
def full_float32() -> Iterator[None]:
    """IEEE float32 matmuls and convolutions on CUDA (no TF32), restored afterwards."""
    matmul, conv = torch.backends.cuda.matmul, torch.backends.cudnn.conv
    before = matmul.fp32_precision, conv.fp32_precision
    matmul.fp32_precision = conv.fp32_precision = "ieee"
    try:
        yield
    finally:
        matmul.fp32_precision, conv.fp32_precision = before
