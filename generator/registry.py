"""Builds the generator a `GeneratorSpec` names. Heavy imports happen here, inside the worker process."""

from __future__ import annotations

from dreamverse.generator.base import VideoGenerator
from dreamverse.generator.spec import GeneratorSpec


def build_generator(spec: GeneratorSpec) -> VideoGenerator:
    if spec.model == "synthetic":
        from dreamverse.generator.synthetic import SyntheticGenerator

        return SyntheticGenerator(spec)
    from dreamverse.generator.ltx2.streaming_pipeline import build_ltx2_generator  # torch import

    return build_ltx2_generator(spec)
