"""The benchmarks' sequence-parallel flags default to what `GeneratorSpec` defaults to (plain values that
`GeneratorSpec` and `Settings` accept), so a GPU run that leaves them out gets the generator's defaults."""

from __future__ import annotations

import sys

import pytest

from benchmarks import pipeline, streaming
from dreamverse.generator.spec import GeneratorSpec


@pytest.mark.parametrize("module", [pipeline, streaming], ids=["pipeline", "streaming"])
def test_sp_flags_default_to_the_generator_spec(module: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["benchmark"])
    args = module.parse_args()  # type: ignore[attr-defined]
    spec = GeneratorSpec()
    assert (args.sp_min_tokens, args.sp_graph_collectives) == (spec.sp_min_tokens, spec.sp_graph_collectives)
    assert type(args.sp_min_tokens) is int
