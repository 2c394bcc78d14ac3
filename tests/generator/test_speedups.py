"""The speed-up plumbing on the CPU (tiny model): the attention router computes what diffusers' default does,
backends and graphs that cannot run here are refused, graph signatures tell shapes apart, and the FLOP split
of the pipeline benchmark. The GPU side is tests/generator/test_gpu_speed.py."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import torch

from benchmarks.flops import split_counts, stage_efficiency
from dreamverse.generator.errors import GeneratorConfigError
from dreamverse.generator.ltx2 import attention
from dreamverse.generator.ltx2.graphs import signature
from dreamverse.generator.ltx2.pipeline import SegmentPlan
from dreamverse.generator.ltx2.schedules import DISTILLED_8_3
from dreamverse.generator.ltx2.streaming_pipeline import LTX2Generator, build_ltx2_generator
from dreamverse.generator.spec import GeneratorSpec

TINY = {"model": "tiny", "device": "cpu", "dtype": "float32"}


def test_routed_attention_gives_the_default_latents(
    tiny_generator: LTX2Generator, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = tiny_generator.config.pipeline
    plan = SegmentPlan(
        width=p.width, height=p.height, num_frames=p.num_frames, fps=24.0, audio_latent_frames=30
    )
    want = tiny_generator.pipeline.generate("a kite", plan, torch.Generator("cpu").manual_seed(4))
    # the tiny model's video has 8 and 32 tokens: route every self-attention, and count what is routed
    monkeypatch.setattr(attention, "MIN_ROUTED_TOKENS", 1)
    routed: list[tuple[str, int]] = []
    attend = attention.attend

    def counting(backend: str, query: torch.Tensor, *rest: torch.Tensor) -> torch.Tensor:
        routed.append((backend, query.shape[1]))
        return attend(backend, query, *rest)

    monkeypatch.setattr(attention, "attend", counting)
    generator = build_ltx2_generator(GeneratorSpec(**TINY, attention="sdpa"))  # type: ignore[arg-type]
    assert generator.attention_plan is not None
    assert generator.attention_plan.by_tokens == {8: "sdpa", 32: "sdpa"}
    got = generator.pipeline.generate("a kite", plan, torch.Generator("cpu").manual_seed(4))
    assert {tokens for _, tokens in routed} >= {8, 32}  # both stages' video self-attention went through it
    torch.testing.assert_close(got.video, want.video, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(got.audio, want.audio, rtol=1e-5, atol=1e-5)


def test_auto_on_the_cpu_leaves_diffusers_attention_alone(tiny_generator: LTX2Generator) -> None:
    assert tiny_generator.attention_plan is None


def _fake_fa4(root: Path, body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A `flash_attn.cute` package under `root` whose import runs `body`."""
    package = root / "flash_attn" / "cute"
    package.mkdir(parents=True)
    (root / "flash_attn" / "__init__.py").write_text("")
    (package / "__init__.py").write_text(body)
    monkeypatch.syspath_prepend(str(root))
    for name in ("flash_attn", "flash_attn.cute"):
        monkeypatch.delitem(sys.modules, name, raising=False)


def test_fa4_importable_where_its_import_warns_of_deprecations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # cutlass 4.8 does this while FA4 imports it; pytest's filter makes every warning an error here
    warns = "import warnings\nwarnings.warn('x is deprecated', DeprecationWarning)\n"
    _fake_fa4(tmp_path, warns, monkeypatch)
    assert attention.fa4_importable()


def test_fa4_whose_import_fails_is_not_importable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_fa4(tmp_path, "raise OSError('libcuda.so.1: cannot open shared object file')\n", monkeypatch)
    assert not attention.fa4_importable()


@pytest.mark.parametrize("name", ["cudnn", "flash", "fa4"])
def test_a_backend_the_device_lacks_is_refused(name: str) -> None:
    with pytest.raises(GeneratorConfigError, match="not available"):
        build_ltx2_generator(GeneratorSpec(**TINY, attention=name))  # type: ignore[arg-type]


def test_cuda_graphs_need_a_cuda_device() -> None:
    with pytest.raises(GeneratorConfigError, match="CUDA"):
        build_ltx2_generator(GeneratorSpec(**TINY, cuda_graphs=True))  # type: ignore[arg-type]


def test_graph_signatures_tell_shapes_dtypes_and_values_apart() -> None:
    def kwargs(tokens: int, dtype: torch.dtype = torch.float32, frames: int = 30) -> dict[str, Any]:
        return {"hidden_states": torch.zeros(1, tokens, 4, dtype=dtype), "audio_num_frames": frames}

    assert signature(kwargs(8)) == signature(kwargs(8))
    assert signature(kwargs(8)) != signature(kwargs(9))
    assert signature(kwargs(8)) != signature(kwargs(8, torch.bfloat16))
    assert signature(kwargs(8)) != signature(kwargs(8, frames=29))


def test_warmup_reaches_every_continuation_audio_length(tiny_generator: LTX2Generator) -> None:
    lengths = tiny_generator.continuation_audio_lengths(12)
    assert lengths == [30, 30, 29] * 4  # the cycle of a 25-frame, 24 fps stream with a 13-latent prefix
    tiny_generator.compiled = True
    try:
        count = tiny_generator.warmup_segments()
    finally:
        tiny_generator.compiled = False
    assert count == 4  # segment 0, then continuations 1..3: the first 29-latent one is segment 3
    assert set(lengths[: count - 1]) == set(lengths)
    assert tiny_generator.warmup_segments() == 1  # eager and ungraphed: nothing to compile or capture


def test_flop_split_and_stage_efficiency() -> None:
    counts = {"aten.mm": 6e12, "aten.addmm": 2e12, "aten._scaled_dot_product_cudnn_attention": 1e12, "x": 0}
    split = split_counts(counts)
    assert split == {"matmul": 8e12, "attention": 1e12, "other": 0.0, "total": 9e12}
    runs = [
        {"segment_idx": 0, "stages_s": {"stage1": 0.8, "stage2": 0.9}},
        {"segment_idx": 1, "stages_s": {"stage1": 1.6, "stage2": 1.8}},
    ]
    flops = {"stage1_segment0": split}
    peaks = {"bf16": 500.0, "fp8": 1000.0}
    out = stage_efficiency(runs, flops, DISTILLED_8_3, peaks, "fp8")
    assert set(out) == {"stage1_segment0"}  # no count, no row
    row = out["stage1_segment0"]
    assert row["step_s"] == pytest.approx(0.1)  # 8 steps in 0.8 s
    assert row["achieved_tflops"] == pytest.approx(90.0)
    assert row["pct_of_peak"] == pytest.approx(9.0)  # against the FP8 peak
    assert row["tensor_core_bound_step_s"] == pytest.approx(8e12 / 1000e12 + 1e12 / 500e12)
    assert row["bound_ratio"] == pytest.approx(0.1 / 0.010)
