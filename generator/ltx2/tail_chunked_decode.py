"""The video decode in two temporal pieces after a whole trunk: the first frames sooner, the same frames.

A segment cannot be chunked at the latent level: every one of its 16 latent frames reaches every output
frame (`receptive_field.py`, `benchmarks/results/NOTES-issue8-decode-reach.md`). The reach is long because
of the cheap early stages, though; the last up block and the output convolution (54 % of the 19B decoder's
FLOPs at 768x512x121) reach only 13 output frames ahead and 14 back from their input frames. So the trunk
(conv_in, the mid block, every up block but the last) runs whole, and the tail runs on windows of its input,
each with the halo that makes its frames the one-piece decode's: a short first chunk, then the rest. With a
first chunk of 16 frames at 121 frames, the tail computes 74 of its 61 input frames' worth (+21 %, +11 % of
the decode) and the first chunk is done after ~59 % of the decode's FLOPs.

`--stream-decode` (`GeneratorSpec.stream_decode`, off by default until measured on a GPU:
`tests/generator/test_gpu_decode_reach.py`) makes the worker hand each chunk to the encoder as it is decoded;
with `--compile` the stages are compiled here (the compiled decoder's `forward` is bypassed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import torch
from diffusers import AutoencoderKLLTX2Video
from diffusers.models.autoencoders.autoencoder_kl_ltx2 import LTX2VideoCausalConv3d
from torch import nn

from dreamverse.generator.ltx2.receptive_field import Halo

Stage = Callable[[torch.Tensor], torch.Tensor]


def decoder_stages(vae: AutoencoderKLLTX2Video) -> list[tuple[str, Stage]]:
    """The decoder's forward as stages: conv_in and the mid block at the latent rate, each up block, and the
    output convolution with unpatchify. Only for decoders without timestep conditioning (LTX-2's)."""
    d = vae.decoder
    if d.time_embedder is not None:
        raise ValueError("a timestep-conditioned decoder needs its temb in every stage")
    causal = bool(d.is_causal)

    def trunk(hidden: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = d.mid_block(d.conv_in(hidden, causal=causal), None, causal=causal)
        return out

    def up(block: nn.Module) -> Stage:
        def run(hidden: torch.Tensor) -> torch.Tensor:
            out: torch.Tensor = block(hidden, None, causal=causal)
            return out

        return run

    def conv_out(hidden: torch.Tensor) -> torch.Tensor:
        hidden = d.conv_out(d.conv_act(d.norm_out(hidden)), causal=causal)
        p = d.patch_size  # unpatchify, as the decoder's forward ends
        batch, _, frames, height, width = hidden.shape
        hidden = hidden.reshape(batch, -1, 1, p, p, frames, height, width)
        return hidden.permute(0, 1, 5, 2, 6, 4, 7, 3).flatten(6, 7).flatten(4, 5).flatten(2, 3)

    *leading, last = d.up_blocks

    def last_up(hidden: torch.Tensor) -> torch.Tensor:
        # a function of its own: torch.compile keeps its graphs per code object, up to 8, and the tail's two
        # windows x two segment lengths (a shorter segment 0) would otherwise fill the leading blocks' 8
        out: torch.Tensor = last(hidden, None, causal=causal)
        return out

    ups = [(f"up_block_{i}", up(block)) for i, block in enumerate(leading)]
    return [("conv_in_mid", trunk), *ups, (f"up_block_{len(leading)}", last_up), ("conv_out", conv_out)]


def _time_pad(conv: nn.Module) -> int:
    """Frames a non-causal `LTX2VideoCausalConv3d` pads (and reaches) on each side in time."""
    assert isinstance(conv, LTX2VideoCausalConv3d)
    kernel: tuple[int, int, int] = conv.kernel_size
    return kernel[0] // 2


def tail_halo(vae: AutoencoderKLLTX2Video) -> Halo:
    """The reach of one input frame of the last up block through the rest of the decoder, in output frames:
    its upsampler's convolution at the input rate, every resnet's two and conv_out at the output rate; back
    is longer by the upsampler's dropped first frame."""
    d = vae.decoder
    block = d.up_blocks[-1]
    ratio = int(block.upsamplers[0].stride[0]) if block.upsamplers is not None else 1
    ahead = ratio * _time_pad(block.upsamplers[0].conv) if block.upsamplers is not None else 0
    resnets = [block.conv_in] if block.conv_in is not None else []
    resnets += list(block.resnets)
    ahead += sum(_time_pad(r.conv1) + _time_pad(r.conv2) for r in resnets) + _time_pad(d.conv_out)
    return Halo(back=ahead + ratio - 1, ahead=ahead, ratio=ratio)


@dataclass(frozen=True, slots=True)
class Piece:
    """Output frames `first..last` from the tail's input frames `start..end` (inclusive)."""

    first: int
    last: int
    start: int
    end: int


class TailChunkedDecode:
    """`chunks(latents)` → pixel chunks (B, 3, n, H, W) in order, together the frames of
    `vae.decoder(latents)` within float rounding (the tail's convolutions see windows of other lengths)."""

    def __init__(self, vae: AutoencoderKLLTX2Video, first_frames: int = 16) -> None:
        stages = [stage for _, stage in decoder_stages(vae)]
        self.trunk, self.tail = stages[:-2], stages[-2:]  # the tail: the last up block and conv_out
        self.halo = tail_halo(vae)
        self.first_frames = first_frames

    def compile(self, backend: str = "inductor") -> None:
        """Compile every stage in place, static shapes: the trunk's one per geometry, the tail's one per piece
        (compiled at the first decode, in the generator's warm-up)."""
        self.trunk = [torch.compile(stage, dynamic=False, backend=backend) for stage in self.trunk]
        self.tail = [torch.compile(stage, dynamic=False, backend=backend) for stage in self.tail]

    def pieces(self, input_frames: int) -> list[Piece]:
        """The first `first_frames` output frames, then the rest, each with its window of tail input."""
        last = self.halo.ratio * (input_frames - 1)
        spans = [(0, min(self.first_frames, last + 1) - 1)]
        if spans[0][1] < last:
            spans.append((spans[0][1] + 1, last))
        return [Piece(s, e, *self.halo.window(s, e, input_frames)) for s, e in spans]

    def chunks(self, latents: torch.Tensor) -> Iterator[torch.Tensor]:
        hidden = latents
        with torch.no_grad():
            for stage in self.trunk:
                hidden = stage(hidden)
            for piece in self.pieces(hidden.shape[2]):
                out = hidden[:, :, piece.start : piece.end + 1]
                for stage in self.tail:
                    out = stage(out)
                offset = self.halo.ratio * piece.start
                yield out[:, :, piece.first - offset : piece.last + 1 - offset]
