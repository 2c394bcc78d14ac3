"""The benchmarks' command lines parse with their defaults (a GPU call is too dear to find out there)."""

from __future__ import annotations

import sys

import pytest

from benchmarks import pipeline
from dreamverse.generator.spec import GeneratorSpec


def test_pipeline_flags_default_to_the_generator_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["pipeline"])
    args = pipeline.parse_args()
    spec = GeneratorSpec(model="tiny")
    assert args.sp_min_tokens == spec.sp_min_tokens
    assert args.sp_size == spec.sp_size
    assert args.attention == spec.attention
