"""The speed-ups on a CUDA GPU (issue 8): attention backends, CUDA graphs, no recompilation over a stream.

Skipped where `torch.cuda.is_available()` is false (CI on CPU). Run on a GPU host:
`python3 -m pytest -m gpu tests/generator/test_gpu_speed.py -q` (`DREAMVERSE_GPU_REPORT=<path>` appends what
each test measured as JSON lines).
"""

from __future__ import annotations

import os
import time

import pytest
import torch
from torch._dynamo.utils import counters

from dreamverse.generator.base import SegmentRequest, VideoFrames
from dreamverse.generator.ltx2.attention import (
    MAX_RELATIVE_ERROR,
    available_backends,
    measure,
    plan_attention,
)
from dreamverse.generator.ltx2.graphs import GraphedForward
from dreamverse.generator.ltx2.pipeline import SegmentPlan
from dreamverse.generator.ltx2.streaming_pipeline import build_ltx2_generator
from dreamverse.generator.spec import GeneratorSpec
from tests.support.gpu import relative_error, report

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:torch"),
    pytest.mark.filterwarnings("ignore::UserWarning:torch._inductor", "ignore::UserWarning:torch._dynamo"),
]

CUDA = torch.device("cuda")
# LTX-2 19B: 32 heads of 128; video tokens of stage 1 and stage 2 at 768x512x121, stage 2 at 1280x704x121
HEADS, HEAD_DIM = 32, 128
TOKEN_COUNTS = (1536, 6144, 14080)


@pytest.mark.parametrize("tokens", TOKEN_COUNTS)
def test_each_backend_matches_math_sdpa_and_auto_takes_the_fastest(tokens: int) -> None:
    names = available_backends(CUDA)
    assert {"sdpa", "cudnn", "flash"} <= set(names)
    if os.environ.get("DREAMVERSE_EXPECT_FA4"):  # set where FA4 was installed: it must then be measured too
        assert "fa4" in names, "flash_attn.cute does not import"
    timings, errors = measure(tokens, HEADS, HEAD_DIM, CUDA, names)
    report("attention_backends", tokens=tokens, timings_ms=timings, relative_error=errors, backends=names)
    assert set(errors) == set(names), f"backends that did not run: {set(names) - set(errors)}"
    for name, error in errors.items():
        assert error < MAX_RELATIVE_ERROR, f"{name} differs from math SDPA by {error:.2e}"
    plan = plan_attention("auto", [tokens], HEADS, HEAD_DIM, CUDA)
    chosen = plan.backend_for(tokens)
    # the choice is the fastest of its own measurement (timings differ run to run by a few percent)
    assert chosen == min(plan.timings_ms[tokens], key=plan.timings_ms[tokens].__getitem__)
    assert plan_attention("cudnn", [tokens], HEADS, HEAD_DIM, CUDA).backend_for(tokens) == "cudnn"


def test_graph_replayed_step_equals_the_eager_step(fresh_cuda: None) -> None:
    """The tiny model in float32 on the GPU: both stages through captured graphs give the eager latents."""
    generator = build_ltx2_generator(GeneratorSpec(model="tiny", device="cuda", dtype="float32"))
    pipeline = generator.pipeline
    p = generator.config.pipeline
    plan = SegmentPlan(
        width=p.width, height=p.height, num_frames=p.num_frames, fps=24.0, audio_latent_frames=30
    )
    want = pipeline.generate("a red kite", plan, torch.Generator("cpu").manual_seed(3))
    graphs = GraphedForward(pipeline.c.transformer)
    pipeline.forward = graphs
    got = pipeline.generate("a red kite", plan, torch.Generator("cpu").manual_seed(3))
    again = pipeline.generate("a red kite", plan, torch.Generator("cpu").manual_seed(3))
    assert graphs.captures == 2  # one graph per stage; the second run only replays
    errors = {name: relative_error(getattr(got, name), getattr(want, name)) for name in ("video", "audio")}
    report("graph_step_equals_eager", relative_error=errors, captures=graphs.captures)
    for name, error in errors.items():
        assert error < 1e-5, f"graph-replayed {name} latents differ by {error:.2e}"
    torch.testing.assert_close(again.video, got.video, rtol=0, atol=0)


@pytest.mark.skipif(
    not torch.cuda.is_available() or torch.cuda.get_device_capability() < (8, 9), reason="needs an FP8 GPU"
)
@pytest.mark.parametrize("first_segment_frames", [None, 49], ids=["first121", "first49"])
def test_ltx2_compiled_graphs_render_six_continuations_without_recompiling(
    fresh_cuda: None, first_segment_frames: int | None
) -> None:
    """Also with a shorter segment 0 (`first_segment_frames=49`): its shapes are warm-up's too."""
    spec = GeneratorSpec(
        model="ltx2",
        checkpoint="random",
        device="cuda",
        dtype="bfloat16",
        compile=True,
        cuda_graphs=True,
        quantization="fp8",
        first_segment_frames=first_segment_frames,
    )
    generator = build_ltx2_generator(spec)
    graphs = generator.graphs
    assert graphs is not None
    started = time.perf_counter()
    # past dynamo's recompile limit a shape runs eager, silently, with no recompile for the check below to see
    with torch._dynamo.config.patch(fail_on_recompile_limit_hit=True):
        generator.warmup()
    warmup_s = time.perf_counter() - started
    captured, compiled = graphs.captures, counters["stats"]["unique_graphs"]
    assert captured >= 4  # both stages, segment 0 and continuations
    seconds = []
    state = generator.new_stream(seed=7)
    with torch._dynamo.config.patch(error_on_recompile=True, fail_on_recompile_limit_hit=True):
        for idx in range(7):  # segment 0 and 6 continuations (audio latents cycle through their lengths)
            started = time.perf_counter()
            parts = list(generator.render_segment(state, SegmentRequest(prompt=f"p{idx}", segment_idx=idx)))
            seconds.append(time.perf_counter() - started)
            frames = [part.frames for part in parts if isinstance(part, VideoFrames)]
            assert sum(len(f) for f in frames) == generator.geometry.frames_for(idx)
            assert all(f.std() > 0 for f in frames[:1])
    report(
        "ltx2_graphs_six_continuations",
        first_segment_frames=generator.geometry.first_frames,
        warmup_s=warmup_s,
        segment_s=seconds,
        captures=graphs.captures,
        timings=generator.last_timings().seconds,
        attention=generator.attention_plan.by_tokens if generator.attention_plan else None,
        device=torch.cuda.get_device_name(),
    )
    assert graphs.captures == captured, "a continuation captured a new graph"
    assert counters["stats"]["unique_graphs"] == compiled, "a continuation compiled a new graph"
