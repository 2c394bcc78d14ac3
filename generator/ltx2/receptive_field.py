"""Which output frames of the video VAE's decoder each latent frame reaches: the facts a streamed decode
(temporal chunks with a halo) needs before it can give the one-piece decode's frames.

LTX-2's video decoder is not causal (`decoder_causal: false` in `configs/*/vae.json`): every 3x3x3
convolution sees one frame either side, at the rate of the stage it runs at, and pads the ends of the clip by
repeating the first and last frame. A chunk decoded from a window of latent frames is therefore exact only
where no latent frame outside the window reaches it, and where the window's repeated end frames reach nothing
it keeps. Measured by perturbing one input frame at a time (`benchmarks/decode_receptive_field.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import torch

Decode = Callable[[torch.Tensor], torch.Tensor]


@dataclass(frozen=True, slots=True)
class Reach:
    """Output frames `first..last` (inclusive) change when input frame `frame` does."""

    frame: int
    first: int
    last: int


def frame_reach(
    decode: Decode, inputs: torch.Tensor, frames: Iterable[int], delta: float = 1.0
) -> list[Reach]:
    """For each input frame in `frames` (dim 2 of `inputs`, (B, C, F, H, W)), the output frames whose values
    change at all when `delta` is added to that frame alone (float32 keeps a change from rounding away)."""
    with torch.no_grad():
        base = decode(inputs)
        reaches = []
        for frame in frames:
            nudged = inputs.clone()
            nudged[:, :, frame] += delta
            changed = (decode(nudged) != base).flatten(3).any(-1).any(1).any(0)
            index = changed.nonzero().flatten()
            if index.numel() == 0:
                raise ValueError(f"input frame {frame} changes no output frame")
            reaches.append(Reach(frame, int(index[0]), int(index[-1])))
    return reaches


@dataclass(frozen=True, slots=True)
class Halo:
    """How far one latent frame reaches, in output frames, from its anchor `ratio * k` (the output frame a
    decode of latents k.. starts with: `F` latents decode to `1 + ratio * (F - 1)` frames)."""

    back: int
    ahead: int
    ratio: int = 8

    @classmethod
    def of(cls, reach: Reach, ratio: int = 8) -> Halo:
        """From the reach of a latent frame far enough from both ends of the clip not to be clipped."""
        anchor = ratio * reach.frame
        return cls(back=anchor - reach.first, ahead=reach.last - anchor, ratio=ratio)

    def window(self, first: int, last: int, latent_frames: int) -> tuple[int, int]:
        """Latent frames `k0..k1` (inclusive) whose decode holds output frames `first..last` as the one-piece
        decode of `latent_frames` latents has them: every latent that reaches them, and no other. Output frame
        `t` is the window's frame `t - ratio * k0`."""
        k0 = max(0, -((self.ahead - first) // self.ratio))  # ceil((first - ahead) / ratio)
        k1 = min(latent_frames - 1, (last + self.back) // self.ratio)
        return k0, k1
