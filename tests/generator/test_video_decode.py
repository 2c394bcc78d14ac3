"""The video decode's speed-ups give diffusers' own frames (`generator/ltx2/video_decode.py`)."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from dreamverse.generator.ltx2.pipeline import DistilledPipeline
from dreamverse.generator.ltx2.video_decode import Reflect2dConv3d, fast_reflect_padding, frames_to_host


def _latents(pipeline: DistilledPipeline) -> torch.Tensor:
    channels = pipeline.c.vae.config.latent_channels
    return torch.randn(1, channels, 3, 4, 6, generator=torch.Generator().manual_seed(1))


def test_two_d_reflect_padding_decodes_the_same_frames(tiny_pipeline: DistilledPipeline) -> None:
    vae, latents = tiny_pipeline.c.vae, _latents(tiny_pipeline)
    stock = tiny_pipeline.c.vae.decode(latents, None, return_dict=False)[0]
    swapped = fast_reflect_padding(vae.decoder)
    try:
        assert swapped > 0, "the tiny decoder pads with reflect, as LTX-2's does"
        assert all(type(m) is not nn.Conv3d or m.padding_mode != "reflect" for m in vae.decoder.modules())
        fast = vae.decode(latents, None, return_dict=False)[0]
    finally:
        assert fast_reflect_padding(vae.decoder, enable=False) == swapped
    assert not any(isinstance(m, Reflect2dConv3d) for m in vae.modules())
    assert torch.equal(fast, stock)


def test_reflect_padding_conv_equals_the_stock_conv_on_uneven_frames() -> None:
    torch.manual_seed(0)
    stock = nn.Conv3d(3, 5, (1, 3, 5), padding=(0, 1, 2), padding_mode="reflect")
    fast = nn.Conv3d(3, 5, (1, 3, 5), padding=(0, 1, 2), padding_mode="reflect")
    fast.load_state_dict(stock.state_dict())
    assert fast_reflect_padding(fast) == 1
    x = torch.randn(2, 3, 4, 7, 9)
    torch.testing.assert_close(fast(x), stock(x), rtol=0, atol=0)


def test_a_time_padded_conv_is_left_alone() -> None:
    conv = nn.Conv3d(2, 2, 3, padding=1, padding_mode="reflect")
    assert fast_reflect_padding(conv) == 0
    assert type(conv) is nn.Conv3d


def test_frames_to_host_yields_every_frame_once_in_order() -> None:
    frames = torch.randint(0, 256, (21, 4, 6, 3), dtype=torch.uint8)
    chunks = list(frames_to_host(frames[:, 1:3], chunk=8))
    assert [len(c) for c in chunks] == [8, 8, 5]
    np.testing.assert_array_equal(np.concatenate(chunks), frames[:, 1:3].numpy())
