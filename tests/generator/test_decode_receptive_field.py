"""How far a latent frame reaches through LTX-2's video decoder (`generator/ltx2/receptive_field.py`), and why
a 121-frame segment cannot be decoded in exact temporal chunks any sooner than in one piece.

The 19B VAE's layout is built from its shipped config with every channel count cut down: the reach depends on
the layer layout alone (`benchmarks/decode_receptive_field.py --full` finds the same 121-frame reach at full
width). Float64 in the window test: a window's frames then match the one-piece decode to ~1e-15, so a
missing latent (errors >= 1e-5 here) cannot hide in rounding; in float32 equal-length windows are bit
identical and others within 1e-6.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import torch

from benchmarks.decode_receptive_field import build_vae, decoder_of, latents
from dreamverse.generator.ltx2.receptive_field import Halo, Reach, frame_reach

# measured with `python -m benchmarks.decode_receptive_field` (results/NOTES-decode-receptive-field.md)
LTX2_HALO = Halo(back=180, ahead=173)  # 22.5 and 21.6 latent frames
TINY_HALO = Halo(back=60, ahead=53)


@pytest.fixture(autouse=True)
def _no_grad() -> Iterator[None]:
    with torch.no_grad():
        yield


def test_every_latent_of_a_121_frame_ltx2_segment_reaches_every_frame() -> None:
    """The first frame depends on the last latent and the last frame on the first: a chunk of a segment is
    exact only when decoded from all 16 latent frames, so no streamed chunk can come before a whole decode."""
    vae = build_vae("ltx2", narrow=True)
    reaches = frame_reach(decoder_of(vae), latents(vae, 16), [0, 15])
    assert reaches == [Reach(0, 0, 120), Reach(15, 0, 120)]


def test_ltx2_halo_is_about_22_latent_frames_each_way() -> None:
    vae = build_vae("ltx2", narrow=True)
    middle = frame_reach(decoder_of(vae), latents(vae, 46), [23])[0]
    assert Halo.of(middle) == LTX2_HALO


def test_tiny_halo_covers_its_segment() -> None:
    vae = build_vae("tiny")
    middle, first = frame_reach(decoder_of(vae), latents(vae, 24), [12, 0])
    assert Halo.of(middle) == TINY_HALO
    # tiny's 25-frame segment is 4 latent frames: the first reaches past its last frame (24)
    assert first.last >= 24


@pytest.mark.parametrize(("first", "last"), [(0, 15), (80, 95), (168, 184)])
def test_a_window_from_the_halo_decodes_the_one_piece_frames(first: int, last: int) -> None:
    """On a clip long enough for chunks (tiny, 24 latent frames): the window the halo gives holds the chunk's
    frames exactly, and one latent fewer on either unclipped side does not."""
    vae = build_vae("tiny").double()
    decode, clip = decoder_of(vae), latents(vae, 24).double()
    whole = decode(clip)[:, :, first : last + 1]
    k0, k1 = TINY_HALO.window(first, last, latent_frames=24)

    def chunk(start: int, end: int) -> torch.Tensor:
        offset = TINY_HALO.ratio * start
        return decode(clip[:, :, start : end + 1])[:, :, first - offset : last + 1 - offset]

    assert (chunk(k0, k1) - whole).abs().max() < 1e-12
    if k0 > 0:
        assert (chunk(k0 + 1, k1) - whole).abs().max() > 1e-6
    if k1 < 23:
        assert (chunk(k0, k1 - 1) - whole).abs().max() > 1e-6
