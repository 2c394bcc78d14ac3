"""Shared by the GPU tests (tests/generator/test_gpu*.py): their JSON-lines report and relative errors."""

from __future__ import annotations

import json
import os
from typing import Any

import torch


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
