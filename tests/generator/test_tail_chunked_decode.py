"""The trunk-whole, tail-chunked video decode gives the one-piece decode's frames
(`generator/ltx2/tail_chunked_decode.py`), on the CPU with random weights: tiny, and the 19B VAE's layout with
narrow channels (`benchmarks/decode_receptive_field.py`).

In float32 the chunks are bit-identical to the one-piece decode (measured here at 64x64 and 128x128). The
float64 test shows the halo is needed to the frame: with float64 the chunks match to ~1e-15 while a halo one
frame short is off by > 1e-6, so its tolerance (1e-12) cannot hide a missing frame.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
import torch
from torch._dynamo.utils import counters

from benchmarks.decode_receptive_field import build_vae, decoder_of, decoder_tail, latents
from dreamverse.generator.ltx2.receptive_field import Halo, frame_reach
from dreamverse.generator.ltx2.tail_chunked_decode import TailChunkedDecode, decoder_stages, tail_halo

MODELS = [("tiny", False), ("ltx2", True)]


@pytest.fixture(autouse=True)
def _no_grad() -> Iterator[None]:
    with torch.no_grad():
        yield


@pytest.mark.parametrize(("model", "narrow"), MODELS)
def test_the_tail_halo_is_the_measured_reach(model: str, narrow: bool) -> None:
    vae = build_vae(model, narrow)
    last = len(vae.decoder.up_blocks) - 1
    channels = vae.decoder.up_blocks[last].upsamplers[0].conv.in_channels
    hidden = torch.randn(1, channels, 21, 8, 8, generator=torch.Generator().manual_seed(3))
    middle = frame_reach(decoder_tail(vae, last), hidden, [10])[0]
    assert tail_halo(vae) == Halo.of(middle, ratio=2)


def test_the_19b_tail_halo() -> None:
    assert tail_halo(build_vae("ltx2", narrow=True)) == Halo(back=14, ahead=13, ratio=2)


def test_the_stages_compose_to_the_decoder() -> None:
    vae = build_vae("tiny")
    clip = hidden = latents(vae, 3)
    for _, stage in decoder_stages(vae):
        hidden = stage(hidden)
    assert torch.equal(hidden, decoder_of(vae)(clip))


@pytest.mark.parametrize(("model", "narrow"), MODELS)
def test_a_segment_in_chunks_is_the_one_piece_decode(model: str, narrow: bool) -> None:
    vae = build_vae(model, narrow).double()
    segment = latents(vae, 16).double()  # 121 frames
    whole = decoder_of(vae)(segment)
    decode = TailChunkedDecode(vae, first_frames=16)
    chunks = list(decode.chunks(segment))
    assert [c.shape[2] for c in chunks] == [16, 105]
    assert (torch.cat(chunks, dim=2) - whole).abs().max() < 1e-12
    # one tail input frame (2 output frames) less of halo on either side is visibly wrong: the tolerance
    # above cannot hide a missing frame
    halo = decode.halo
    for short in (
        dataclasses.replace(halo, back=halo.back - 2),
        dataclasses.replace(halo, ahead=halo.ahead - 2),
    ):
        decode.halo = short
        assert (torch.cat(list(decode.chunks(segment)), dim=2) - whole).abs().max() > 1e-6


@pytest.mark.parametrize(("model", "narrow"), MODELS)
def test_float32_chunks_are_bit_identical(model: str, narrow: bool) -> None:
    vae = build_vae(model, narrow)
    segment = latents(vae, 16, size=4)
    chunks = list(TailChunkedDecode(vae, first_frames=16).chunks(segment))
    assert torch.equal(torch.cat(chunks, dim=2), decoder_of(vae)(segment))


def test_pieces_cover_every_frame_once_in_order() -> None:
    decode = TailChunkedDecode(build_vae("ltx2", narrow=True), first_frames=16)
    pieces = decode.pieces(61)
    assert [(p.first, p.last) for p in pieces] == [(0, 15), (16, 120)]
    assert [(p.start, p.end) for p in pieces] == [(0, 14), (2, 60)]  # 74 tail input frames for 61
    assert [(p.first, p.last) for p in decode.pieces(5)] == [(0, 8)]  # shorter than the first chunk


def test_compiled_stages_give_the_same_frames() -> None:
    """`compile()` (dynamo's `eager` backend here: traced, no Inductor code generation on the CPU)."""
    torch._dynamo.reset()
    vae = build_vae("tiny")
    segment = latents(vae, 4)
    decode = TailChunkedDecode(vae, first_frames=16)
    want = torch.cat(list(decode.chunks(segment)), dim=2)
    decode.compile(backend="eager")
    try:
        assert torch.equal(torch.cat(list(decode.chunks(segment)), dim=2), want)
        assert counters["stats"]["unique_graphs"] >= 4  # the trunk's stages and the tail's, traced
    finally:
        torch._dynamo.reset()
