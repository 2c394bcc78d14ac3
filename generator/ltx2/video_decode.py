"""The video decode's speed-ups, each giving the frames of diffusers' own decode.

Measured on an H100 at 768x512x121 (`benchmarks/profile_segment.py`, 2026-11-26): of a 329 ms decode,
62 ms went to PyTorch's 3-D reflection-pad kernel (the decoder pads every 3x3x3 convolution's input
spatially with `padding_mode="reflect"`) and 79 ms to copying the uint8 frames into pageable host memory.

- `fast_reflect_padding`: the decoder's convolutions pad only in space (time is padded by
  `LTX2VideoCausalConv3d` itself, by repeating frames), so frames and channels can be folded into one
  dimension and padded with the 2-D reflection kernel: the same values, fewer index computations.
- `frames_to_host`: the frames go to the CPU in chunks through page-locked memory, so the copy runs at
  PCIe speed and the first chunk can go to the encoder before the rest is copied.
- `compile_video_decoder` (with `GeneratorSpec.compile`): Inductor fuses the decoder's per-channel RMS
  norms, activations, time and space padding around cuDNN's convolutions. Not bit for bit: fused kernels
  keep float32 between operations where eager bf16 rounds after each, so frames differ from the eager bf16
  decode by at most 4 levels of 255 (5 at 1280x704).

`benchmarks/decode.py` on an H100 (`decode-ab-*-20261126T0447Z/T0448Z.json`), latents to frames in host
memory, median of 5: 768x512 stock 326 ms, 2-D padding 302, + pinned 254, + compiled 195; 1280x704 806,
708, 606, 457 ms.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


class Reflect2dConv3d(nn.Conv3d):
    """`nn.Conv3d` whose spatial-only reflect padding runs as a 2-D pad over (channels x frames)."""

    def _conv_forward(
        self, input: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None
    ) -> torch.Tensor:
        pad_w, _, pad_h, _ = self._reversed_padding_repeated_twice[:4]
        batch, channels, frames, height, width = input.shape
        flat = input.reshape(batch, channels * frames, height, width)
        padded = F.pad(flat, (pad_w, pad_w, pad_h, pad_h), mode="reflect")
        padded = padded.reshape(batch, channels, frames, height + 2 * pad_h, width + 2 * pad_w)
        return F.conv3d(padded, weight, bias, self.stride, 0, self.dilation, self.groups)


def _spatial_reflect(module: nn.Module) -> bool:
    if not isinstance(module, nn.Conv3d) or module.padding_mode != "reflect":
        return False
    pads: Any = module._reversed_padding_repeated_twice
    # (w, w, h, h, t, t): symmetric in space, none in time
    return bool(pads[4] == pads[5] == 0 and pads[0] == pads[1] and pads[2] == pads[3])


def _retype(module: nn.Module, cls: type[nn.Module]) -> None:
    module.__class__ = cls


def fast_reflect_padding(module: nn.Module, enable: bool = True) -> int:
    """Swap (or, `enable=False`, swap back) every spatially reflect-padded `nn.Conv3d` under `module`;
    returns how many were changed. The weights are untouched."""
    changed = 0
    for child in module.modules():
        if enable and type(child) is nn.Conv3d and _spatial_reflect(child):
            _retype(child, Reflect2dConv3d)
            changed += 1
        elif not enable and type(child) is Reflect2dConv3d:
            _retype(child, nn.Conv3d)
            changed += 1
    return changed


def compile_video_decoder(vae: nn.Module, backend: str = "inductor") -> None:
    """Compile the video VAE's decoder in place (static shapes: a geometry decodes one latent shape, or a
    few tile shapes with tiling); it compiles at its first decode, in the generator's warm-up."""
    decoder = vae.decoder
    assert isinstance(decoder, nn.Module)
    decoder.compile(dynamic=False, backend=backend)


def frames_to_host(frames: torch.Tensor, chunk: int) -> Iterator[np.ndarray]:
    """(F, H, W, 3) uint8 frames → numpy chunks of at most `chunk` frames. From a GPU, through one
    page-locked buffer per call (PyTorch's caching host allocator reuses it once every chunk is dropped);
    each chunk's copy is complete when it is yielded."""
    if frames.device.type != "cuda":
        host = frames.contiguous()
        for start in range(0, host.shape[0], chunk):
            yield host[start : start + chunk].numpy()
        return
    buffer = torch.empty(frames.shape, dtype=frames.dtype, pin_memory=True)
    for start in range(0, frames.shape[0], chunk):
        end = min(start + chunk, frames.shape[0])
        buffer[start:end].copy_(frames[start:end])
        yield buffer[start:end].numpy()
