"""Sequence parallelism under `torch.compile` with FP8 linears, on the CPU (gloo, 2 ranks): the all-to-alls
trace into the compiled blocks (functional collectives: no graph break) and the stream equals one process's
(uncompiled: dynamo's `eager` backend runs the traced ops as they are, so compiling changes no bit).

The tiny 4-head model in bfloat16 with `quantization="fp8"` (per-token activation scales, so a shard
quantizes its tokens as the whole sequence would), the blocks compiled with dynamo's `eager` backend: it
traces exactly what inductor would be given, without inductor's C++ builds (minutes on two busy cores).
`sp_min_tokens` sits between tiny's stages (8 | 32 video tokens), so both a whole stage and a split stage
are traced. Segment 0 only: each new shape costs a trace (~15-30 s on two busy cores). Bit-identical is
asserted: at two ranks every shard runs the same kernels as the whole (measured, also with `aot_eager`
over two segments against one process compiled alike).
"""

from __future__ import annotations

import pytest
import torch

from tests.support.sequence_parallel import build_tiny_generator, render_stream, run_ranks

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::UserWarning")]

RANK_TIMEOUT_S = 280.0
OPTIONS = {"quantization": "fp8", "compile_backend": "eager", "sp_min_tokens": 16, "segments": 1}


def test_compiled_fp8_sequence_parallel_equals_single_process() -> None:
    torch._dynamo.reset()
    got = run_ranks(2, "cpu", torch.bfloat16, RANK_TIMEOUT_S, **OPTIONS)
    assert int(got.pop("graph_breaks")) == 0
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        reference = build_tiny_generator("cpu", torch.bfloat16, 1, quantization="fp8")
        want = render_stream(reference, segments=1)
    finally:
        torch.set_num_threads(threads)
        torch._dynamo.reset()
    assert got.keys() == want.keys()
    for name, expected in want.items():
        assert torch.equal(got[name], expected), name
