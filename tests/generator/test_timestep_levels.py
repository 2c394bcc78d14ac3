"""`timestep_levels`: per-token timesteps embedded by their two levels give diffusers' own per-token forward.

The tiny transformer in float32 on the CPU, with continuation-style masks (clean conditioning tokens at
timestep 0, the rest at sigma) for video and audio, two samples with different masks and sigmas. The stock
model is a seeded copy without the install.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
import torch
from diffusers import LTX2VideoTransformer3DModel
from torch.utils.flop_counter import FlopCounterMode

from dreamverse.generator.ltx2.components import instantiate
from dreamverse.generator.ltx2.config import ModelConfig
from dreamverse.generator.ltx2.streaming_pipeline import build_ltx2_generator, compile_transformer
from dreamverse.generator.ltx2.timestep_levels import install_timestep_levels, timestep_levels_installed
from dreamverse.generator.spec import GeneratorSpec

BATCH, FRAMES, HEIGHT, WIDTH, AUDIO = 2, 3, 4, 6, 12
VIDEO = FRAMES * HEIGHT * WIDTH
SIGMAS = torch.tensor([0.6, 0.85]) * 1000.0  # per sample, scaled as `denoise` scales them
# float32; the only difference is the embedding matmuls' summation order over 2 rows instead of T rows
RTOL, ATOL = 1e-5, 1e-6


@pytest.fixture(scope="module")
def stock(tiny_config: ModelConfig) -> LTX2VideoTransformer3DModel:
    torch.manual_seed(0)
    model = instantiate(tiny_config, "transformer")
    assert isinstance(model, LTX2VideoTransformer3DModel)
    return model.eval()


@pytest.fixture(scope="module")
def fast(stock: LTX2VideoTransformer3DModel) -> LTX2VideoTransformer3DModel:
    model = copy.deepcopy(stock)
    install_timestep_levels(model)
    return model


@pytest.fixture(autouse=True)
def _fresh_dynamo() -> Iterator[None]:
    torch._dynamo.reset()
    yield
    torch._dynamo.reset()


def _masks() -> tuple[torch.Tensor, torch.Tensor]:
    """Sample 0: the first latent frame and 4 audio tokens clean; sample 1: two frames and 7 tokens."""
    video = torch.ones(BATCH, VIDEO)
    video[0, : HEIGHT * WIDTH] = 0
    video[1, : 2 * HEIGHT * WIDTH] = 0
    audio = torch.ones(BATCH, AUDIO)
    audio[0, :4] = 0
    audio[1, :7] = 0
    return video, audio


def _inputs(
    model: LTX2VideoTransformer3DModel, video_t: torch.Tensor, audio_t: torch.Tensor
) -> dict[str, Any]:
    seeded = torch.Generator().manual_seed(7)
    config = model.config
    return {
        "hidden_states": torch.randn(BATCH, VIDEO, config.in_channels, generator=seeded),
        "audio_hidden_states": torch.randn(BATCH, AUDIO, config.audio_in_channels, generator=seeded),
        "encoder_hidden_states": torch.randn(BATCH, 5, config.caption_channels, generator=seeded),
        "audio_encoder_hidden_states": torch.randn(BATCH, 5, config.caption_channels, generator=seeded),
        "timestep": video_t,
        "audio_timestep": audio_t,
        "sigma": SIGMAS,
        "video_coords": model.rope.prepare_video_coords(BATCH, FRAMES, HEIGHT, WIDTH, torch.device("cpu")),
        "audio_coords": model.audio_rope.prepare_audio_coords(BATCH, AUDIO, torch.device("cpu")),
        "audio_num_frames": AUDIO,
        "return_dict": False,
    }


def _continuation(model: LTX2VideoTransformer3DModel) -> dict[str, Any]:
    video, audio = _masks()
    return _inputs(model, SIGMAS[:, None] * video, SIGMAS[:, None] * audio)


def _per_sample(model: LTX2VideoTransformer3DModel) -> dict[str, Any]:
    return _inputs(model, SIGMAS.clone(), SIGMAS.clone())


def _run(model: LTX2VideoTransformer3DModel, inputs: dict[str, Any]) -> tuple[torch.Tensor, torch.Tensor]:
    with torch.no_grad():
        video, audio = model(**inputs)
    return video, audio


def test_continuation_equals_the_stock_per_token_forward(
    stock: LTX2VideoTransformer3DModel, fast: LTX2VideoTransformer3DModel
) -> None:
    want = _run(stock, _continuation(stock))
    got = _run(fast, _continuation(fast))
    for name, g, w in zip(("video", "audio"), got, want, strict=True):
        torch.testing.assert_close(g, w, rtol=RTOL, atol=ATOL, msg=lambda m, n=name: f"{n}: {m}")
    # the conditioning tokens really are modulated differently from the denoised ones
    uniform = _run(stock, _per_sample(stock))
    assert (uniform[0] - want[0]).abs().max() > 1e-2


def test_per_sample_timesteps_take_the_stock_path_bit_for_bit(
    stock: LTX2VideoTransformer3DModel, fast: LTX2VideoTransformer3DModel
) -> None:
    want = _run(stock, _per_sample(stock))
    got = _run(fast, _per_sample(fast))
    assert torch.equal(got[0], want[0])
    assert torch.equal(got[1], want[1])


def test_all_noised_per_token_timesteps_equal_the_per_sample_forward(
    stock: LTX2VideoTransformer3DModel, fast: LTX2VideoTransformer3DModel
) -> None:
    """Min == max: every token takes the one level, as one timestep per sample would give it."""
    want = _run(stock, _per_sample(stock))
    noised = _inputs(fast, SIGMAS[:, None].expand(BATCH, VIDEO), SIGMAS[:, None].expand(BATCH, AUDIO))
    got = _run(fast, noised)
    torch.testing.assert_close(got[0], want[0], rtol=RTOL, atol=ATOL)
    torch.testing.assert_close(got[1], want[1], rtol=RTOL, atol=ATOL)


def test_a_continuation_costs_the_flops_of_a_per_sample_forward(
    stock: LTX2VideoTransformer3DModel, fast: LTX2VideoTransformer3DModel
) -> None:
    """The embedding MLPs run on two rows a sample, not on every token: their FLOPs grow linearly with the
    rows, so one row more than a per-sample forward costs at most 1 / (tokens - 1) of what the stock per-token
    forward adds (with the fewer tokens of the two modalities)."""

    def flops(model: LTX2VideoTransformer3DModel, inputs: dict[str, Any]) -> int:
        with FlopCounterMode(display=False) as counter:
            _run(model, inputs)
        return counter.get_total_flops()

    per_sample = flops(stock, _per_sample(stock))
    per_token_extra = flops(stock, _continuation(stock)) - per_sample
    two_levels_extra = flops(fast, _continuation(fast)) - per_sample
    assert per_token_extra > 0.5 * per_sample  # what the stock per-token path spends on the tiny model
    assert 0 < two_levels_extra <= per_token_extra / (min(VIDEO, AUDIO) - 1)


def test_compiled_blocks_trace_once_and_match(
    stock: LTX2VideoTransformer3DModel, fast: LTX2VideoTransformer3DModel
) -> None:
    """torch.compile (aot_eager: dynamo and AOTAutograd, no code generation) of the repeated blocks: no graph
    break, one graph for every block, nothing recompiled when sigma or the mask changes at the same shapes."""
    compiled = copy.deepcopy(fast)
    compile_transformer(compiled, backend="aot_eager", dynamic=False)
    torch._dynamo.utils.counters.clear()
    want = _run(stock, _continuation(stock))
    got = _run(compiled, _continuation(compiled))
    torch.testing.assert_close(got[0], want[0], rtol=RTOL, atol=ATOL)
    torch.testing.assert_close(got[1], want[1], rtol=RTOL, atol=ATOL)
    frames = dict(torch._dynamo.utils.counters["frames"])
    # another step: other sigmas, another mask, same shapes
    video, audio = _masks()
    later = _inputs(compiled, 0.5 * SIGMAS[:, None] * video.flip(1), 0.5 * SIGMAS[:, None] * audio)
    torch.testing.assert_close(_run(compiled, later)[0], _run(stock, later)[0], rtol=RTOL, atol=ATOL)
    assert dict(torch._dynamo.utils.counters["frames"]) == frames
    assert not torch._dynamo.utils.counters["graph_break"]
    assert frames.get("ok") == 1  # the blocks share one graph: the block's forward, traced once


def test_the_generator_build_installs_it(tiny_config: ModelConfig) -> None:
    generator = build_ltx2_generator(GeneratorSpec(model="tiny", device="cpu", dtype="float32"))
    assert timestep_levels_installed(generator.pipeline.c.transformer)
    stock = build_ltx2_generator(GeneratorSpec(model="tiny", device="cpu", dtype="float32"), speedups=False)
    assert not timestep_levels_installed(stock.pipeline.c.transformer)
