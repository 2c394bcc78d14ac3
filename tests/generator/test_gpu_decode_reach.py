"""The 19B VAE's decoder on a CUDA GPU, random bf16 weights at 768x512x121 (`benchmarks/gpu_session.sh
gpu-tests`; skipped where `torch.cuda.is_available()` is false):

- every one of a segment's 16 latent frames reaches every one of its 121 frames, as on the CPU at small sizes
  (`test_decode_receptive_field.py`), so no latent-level chunk is exact before the whole decode is done;
- the trunk-whole, tail-chunked decode (`tail_chunked_decode.py`) gives the same frames within
  `BF16_LEVELS` and its first 16 frames sooner; `gpu-tests.jsonl` gets the times.
"""

from __future__ import annotations

import statistics
import time

import pytest
import torch

from benchmarks.decode_receptive_field import build_vae, decoder_of
from dreamverse.generator.ltx2.pipeline import pixels_to_frames
from dreamverse.generator.ltx2.receptive_field import Reach, frame_reach
from dreamverse.generator.ltx2.tail_chunked_decode import TailChunkedDecode
from dreamverse.generator.ltx2.video_decode import fast_reflect_padding
from tests.support.gpu import report

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:torch"),
]

CUDA = torch.device("cuda")
# bf16 rounds after every operation; a tail window of another length may get another cuDNN algorithm, whose
# sums round differently. One level of 255 either way is that rounding; more would be a wrong frame (a halo
# one frame short moves frames by far more on the CPU, > 1e-6 of the [-1, 1] range in float64).
BF16_LEVELS = 2


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


def test_full_size_tail_chunked_decode_gives_the_frames_sooner(fresh_cuda: None) -> None:
    """The trunk whole and the tail in two pieces (`tail_chunked_decode.py`), eager, against the one-piece
    eager decode: the same uint8 frames within BF16_LEVELS, and the time to the first 16 frames."""
    with torch.device(CUDA):
        vae = build_vae("ltx2").to(torch.bfloat16)
    fast_reflect_padding(vae.decoder)  # as the worker decodes
    decode, chunked = decoder_of(vae), TailChunkedDecode(vae, first_frames=16)
    generator = torch.Generator(CUDA).manual_seed(1)
    latents = torch.randn(1, 128, 16, 16, 24, generator=generator, device=CUDA, dtype=torch.bfloat16)
    whole_s, first_s, chunked_s = [], [], []
    with torch.no_grad():
        for _ in range(4):  # the first of each is a warm-up
            torch.cuda.synchronize()
            started = time.perf_counter()
            whole = pixels_to_frames(decode(latents)[0])
            torch.cuda.synchronize()
            whole_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            chunks = []
            for chunk in chunked.chunks(latents):
                chunks.append(pixels_to_frames(chunk[0]))
                torch.cuda.synchronize()
                if len(chunks) == 1:
                    first_s.append(time.perf_counter() - started)
            chunked_s.append(time.perf_counter() - started)
    levels = (torch.cat(chunks).int() - whole.int()).abs()
    report(
        "tail_chunked_decode_768x512",
        chunk_frames=[int(c.shape[0]) for c in chunks],
        max_levels=int(levels.max()),
        differing_fraction=float((levels > 0).float().mean()),
        whole_decode_ms=round(1000 * statistics.median(whole_s[1:]), 1),
        first_chunk_ms=round(1000 * statistics.median(first_s[1:]), 1),
        chunked_decode_ms=round(1000 * statistics.median(chunked_s[1:]), 1),
        peak_gib=round(torch.cuda.max_memory_allocated() / 2**30, 1),
    )
    assert [c.shape[0] for c in chunks] == [16, 105]
    assert int(levels.max()) <= BF16_LEVELS
    assert statistics.median(first_s[1:]) < 0.8 * statistics.median(whole_s[1:])
