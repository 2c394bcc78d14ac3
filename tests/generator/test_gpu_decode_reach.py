"""The 19B VAE's decoder on a CUDA GPU, random bf16 weights at 768x512x121: every one of a segment's 16 latent
frames reaches every one of its 121 frames, as on the CPU at small sizes (`test_decode_receptive_field.py`),
so no temporal chunk of a segment is exact before the whole decode is done (`benchmarks/gpu_session.sh
gpu-tests`). Skipped where `torch.cuda.is_available()` is false.
"""

from __future__ import annotations

import statistics
import time

import pytest
import torch

from benchmarks.decode_receptive_field import build_vae, decoder_of
from dreamverse.generator.ltx2.receptive_field import Reach, frame_reach
from tests.support.gpu import report

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:torch"),
]

CUDA = torch.device("cuda")


def test_full_size_segment_latents_each_reach_every_frame(fresh_cuda: None) -> None:
    with torch.device(CUDA):
        vae = build_vae("ltx2").to(torch.bfloat16)
    decode = decoder_of(vae)
    generator = torch.Generator(CUDA).manual_seed(1)
    latents = torch.randn(1, 128, 16, 16, 24, generator=generator, device=CUDA, dtype=torch.bfloat16)
    with torch.no_grad():
        seconds = []
        for _ in range(3):
            torch.cuda.synchronize()
            started = time.perf_counter()
            first = decode(latents)
            torch.cuda.synchronize()
            seconds.append(time.perf_counter() - started)
        assert torch.isfinite(first).all()  # NaN != NaN would read as reach everywhere
        # a change seen below must come from the nudged latent, not from a kernel that differs run to run
        assert torch.equal(decode(latents), first), "the decode is not deterministic: reach unmeasurable"
    reaches = frame_reach(decode, latents, [0, 15])
    report(
        "decode_reach_768x512",
        reaches=[[r.frame, r.first, r.last] for r in reaches],
        whole_decode_ms=round(1000 * statistics.median(seconds[1:]), 1),
        peak_gib=round(torch.cuda.max_memory_allocated() / 2**30, 1),
    )
    assert reaches == [Reach(0, 0, 120), Reach(15, 0, 120)]
