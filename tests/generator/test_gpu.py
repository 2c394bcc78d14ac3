"""The LTX-2 generator on a CUDA GPU: skipped where `torch.cuda.is_available()` is false (CI on CPU).

Run on a GPU host: `python3 -m pytest -m gpu tests/generator/test_gpu.py -q`. With
`DREAMVERSE_GPU_REPORT=<path>` each test appends what it measured (errors, peak memory, seconds) as JSON
lines to that file.

- tiny, float32: CUDA against the CPU on the same weights and noise (TF32 off), one segment's latents;
- tiny, bf16: a continued stream on CUDA, counts and finite values;
- LTX-2 19B with random bf16 weights at 768x512x121: segment 0 and continuations with audio, peak memory,
  and with `compile=True` no new graph and no recompilation after warm-up (about a minute on an H200).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np
import pytest
import torch
from torch._dynamo.utils import counters

from dreamverse.generator.base import AudioTrack, SegmentRequest, StreamState, VideoFrames
from dreamverse.generator.ltx2.components import build_random_components
from dreamverse.generator.ltx2.config import ModelConfig
from dreamverse.generator.ltx2.pipeline import DistilledPipeline, SegmentLatents, SegmentPlan
from dreamverse.generator.ltx2.schedules import DISTILLED_8_3
from dreamverse.generator.ltx2.streaming_pipeline import LTX2Generator, build_ltx2_generator
from dreamverse.generator.ltx2.video_decode import fast_reflect_padding, frames_to_host
from dreamverse.generator.spec import GeneratorSpec
from tests.support.gpu import capture_latents, full_float32, relative_error, report

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU"),
    # deprecations raised inside torch itself (torch 2.11: importing Inductor warns of jit.script_method)
    pytest.mark.filterwarnings("ignore::DeprecationWarning:torch"),
]

CUDA = torch.device("cuda")
GIB = 2**30
# Float32 on both devices: the tiny pipeline's float32 latents differ from a float64 run of it by ~1e-7
# (relative, measured on the CPU), and CUDA's kernels only reorder float32 sums; a 100x margin over that
# still fails a TF32 matmul (~1e-3) or any real difference in the math.
PARITY_REL = 1e-5
PARITY_ELEMENT = 1e-4  # rtol and atol per element (latents are O(1), max ~3.3)
# LTX-2 19B bf16 at 768x512x121: weights ~38 GiB, peak 46.6 GiB measured per segment on an H200
# (benchmarks/results/NOTES-h200-compile.md, eager and compiled alike); ~10 % headroom, and it still fails if
# a second copy of any large activation or of the weights appears.
FULL_SIZE_PEAK_GIB = 52.0


@pytest.fixture
def no_tf32() -> Iterator[None]:
    """Full float32 matmuls and convolutions (the `fp32_precision` API: the `allow_tf32` flags warn)."""
    with full_float32():
        yield


def render_checked(generator: LTX2Generator, state: StreamState, idx: int, prompt: str) -> float:
    """Render segment `idx`, check audio first then frames, their counts, types and finite audio; seconds."""
    g = generator.geometry
    started = time.perf_counter()
    parts = list(generator.render_segment(state, SegmentRequest(prompt=prompt, segment_idx=idx)))
    seconds = time.perf_counter() - started
    audio = parts[0]
    assert isinstance(audio, AudioTrack)
    assert audio.sample_rate == g.audio_sample_rate
    assert audio.samples.dtype == np.float32
    assert audio.samples.shape == (g.audio_samples_for(idx), g.audio_channels)
    assert np.isfinite(audio.samples).all()
    assert float(np.abs(audio.samples).max()) > 0.0
    chunks = parts[1:]
    assert chunks and all(isinstance(part, VideoFrames) for part in chunks)
    frames = np.concatenate([part.frames for part in chunks])  # type: ignore[union-attr]
    assert frames.dtype == np.uint8
    assert frames.shape == (g.frames_for(idx), g.height, g.width, 3)
    assert frames.std() > 0.0  # not a constant picture
    assert state.segments_rendered == idx + 1
    return seconds


def assert_finite(latents: SegmentLatents) -> None:
    assert bool(torch.isfinite(latents.video).all()), "non-finite video latents"
    assert bool(torch.isfinite(latents.audio).all()), "non-finite audio latents"


def test_tiny_float32_cuda_matches_cpu(tiny_config: ModelConfig, no_tf32: None, fresh_cuda: None) -> None:
    p = tiny_config.pipeline
    plan = SegmentPlan(
        width=p.width, height=p.height, num_frames=p.num_frames, fps=24.0, audio_latent_frames=30
    )
    cpu = DistilledPipeline(
        build_random_components(tiny_config, seed=0), p, DISTILLED_8_3, torch.device("cpu")
    )
    # the same CPU-built weights moved to the GPU (seeded weights differ per device)
    on_gpu = build_random_components(tiny_config, seed=0).to(CUDA, torch.float32)
    gpu = DistilledPipeline(on_gpu, p, DISTILLED_8_3, CUDA)
    assert next(on_gpu.transformer.parameters()).is_cuda
    want = cpu.generate("a red kite", plan, torch.Generator("cpu").manual_seed(3))
    got = gpu.generate("a red kite", plan, torch.Generator("cpu").manual_seed(3))
    assert got.video.is_cuda and got.audio.is_cuda
    assert got.video.dtype == got.audio.dtype == torch.float32
    errors = {name: relative_error(getattr(got, name), getattr(want, name)) for name in ("video", "audio")}
    report("tiny_float32_cuda_matches_cpu", relative_error=errors)
    for name, error in errors.items():
        assert error < PARITY_REL, f"{name} latents differ by {error:.2e} (relative)"
    torch.testing.assert_close(got.video.cpu(), want.video, rtol=PARITY_ELEMENT, atol=PARITY_ELEMENT)
    torch.testing.assert_close(got.audio.cpu(), want.audio, rtol=PARITY_ELEMENT, atol=PARITY_ELEMENT)


def test_tiny_bf16_cuda_renders_a_continued_stream(fresh_cuda: None) -> None:
    generator = build_ltx2_generator(GeneratorSpec(model="tiny", device="cuda", dtype="bfloat16"))
    assert next(generator.pipeline.c.transformer.parameters()).dtype == torch.bfloat16
    latents = capture_latents(generator)
    state = generator.new_stream(seed=5)
    for idx, prompt in enumerate(("a red kite", "it climbs")):
        render_checked(generator, state, idx, prompt)
    assert len(latents) == 2
    for segment in latents:
        assert segment.video.is_cuda
        assert_finite(segment)
    # the continuation starts from segment 0's tail: its audio prefix is segment 0's last audio latents
    prefix = generator.config.pipeline.audio_prefix_latent_frames
    torch.testing.assert_close(latents[1].audio[:, :prefix], latents[0].audio[:, -prefix:])


# Inductor's own notices while it compiles (e.g. its TF32 hint) are about the compiler, not the pipeline
@pytest.mark.filterwarnings("ignore::UserWarning:torch._inductor", "ignore::UserWarning:torch._dynamo")
@pytest.mark.parametrize("compiled", [False, True], ids=["eager", "compiled"])
def test_ltx2_full_size_random_weights(compiled: bool, fresh_cuda: None) -> None:
    spec = GeneratorSpec(model="ltx2", checkpoint="random", device="cuda", dtype="bfloat16", compile=compiled)
    started = time.perf_counter()
    generator = build_ltx2_generator(spec)
    build_s = time.perf_counter() - started
    g = generator.geometry
    assert (g.width, g.height, g.num_frames, g.fps) == (768, 512, 121, 24)
    assert g.frames_for(1) == 121 - 9
    latents = capture_latents(generator)
    seconds: dict[str, float] = {"build": build_s}
    if compiled:
        started = time.perf_counter()
        generator.warmup()  # segment 0 and a continuation: every graph the stream needs
        seconds["warmup"] = time.perf_counter() - started
        graphs = counters["stats"]["unique_graphs"]
        assert graphs > 0
        latents.clear()
    state = generator.new_stream(seed=11)
    segments = 4 if compiled else 2  # compiled: 3 continuations (audio latents 168, 168, 167)
    with torch._dynamo.config.patch(error_on_recompile=compiled):
        for idx in range(segments):
            seconds[f"segment{idx}"] = render_checked(generator, state, idx, f"prompt {idx}")
    assert len(latents) == segments
    for segment in latents:
        assert_finite(segment)
        assert segment.video.shape == (1, 128, 16, 16, 24)  # 121 frames, 512x768 at 8x32x32
    assert latents[1].audio.shape[1] > latents[0].audio.shape[1]  # the carried prefix comes first
    if compiled:
        assert counters["stats"]["unique_graphs"] == graphs, "a continuation compiled a new graph"
    peak_gib = torch.cuda.max_memory_allocated() / GIB
    report(
        f"ltx2_full_size_{'compiled' if compiled else 'eager'}",
        peak_gib=peak_gib,
        seconds=seconds,
        audio_latents=[int(segment.audio.shape[1]) for segment in latents],
        device=torch.cuda.get_device_name(),
    )
    assert peak_gib < FULL_SIZE_PEAK_GIB, f"peak {peak_gib:.1f} GiB"


@pytest.mark.skipif(
    not torch.cuda.is_available() or torch.cuda.get_device_capability() < (8, 9), reason="needs an FP8 GPU"
)
def test_float8_linear_on_cuda(fresh_cuda: None) -> None:
    from dreamverse.generator.ltx2.fp8 import Float8Linear

    torch.manual_seed(0)
    linear = torch.nn.Linear(4096, 2048, device=CUDA, dtype=torch.bfloat16)
    x = torch.randn(2, 1000, 4096, device=CUDA, dtype=torch.bfloat16)  # M = 2000 (not a tile multiple)
    with torch.no_grad():
        want = torch.nn.functional.linear(x.double(), linear.weight.double(), linear.bias.double())
        got = Float8Linear.from_linear(linear)(x)
        bf16 = linear(x)
    assert got.shape == (2, 1000, 2048) and got.dtype == torch.bfloat16
    errors = {"fp8": relative_error(got, want), "bf16": relative_error(bf16, want)}
    report("float8_linear_on_cuda", relative_error=errors)
    assert errors["bf16"] < errors["fp8"] < 0.06  # e4m3: 3 mantissa bits (see tests/generator/test_fp8.py)


@pytest.mark.skipif(
    not torch.cuda.is_available() or torch.cuda.get_device_capability() < (8, 9), reason="needs an FP8 GPU"
)
def test_prequantized_float8_linear_on_cuda(fresh_cuda: None) -> None:
    """A layer of a pre-quantized file (its float8 weight as stored, one per-tensor scale for every channel,
    `ltx2/prequantized.py`) on cuBLASLt gives the exact product of its quantized input and weight, up to the
    bf16 rounding of the output (2^-9 relative per value)."""
    from dreamverse.generator.ltx2.fp8 import Float8Linear, quantize_rows

    torch.manual_seed(0)
    weight = torch.randn(2048, 4096, device=CUDA) * 0.02
    scale = weight.abs().amax() / 448.0
    stored = (weight / scale).to(torch.float8_e4m3fn)
    bias = (torch.randn(2048, device=CUDA) * 0.01).to(torch.bfloat16)
    layer = Float8Linear(stored, scale, bias)
    x = torch.randn(2, 1000, 4096, device=CUDA, dtype=torch.bfloat16)
    q, row_scale = quantize_rows(x.reshape(-1, 4096))
    with torch.no_grad():
        got = layer(x)
        want = (q.double() * row_scale.double()) @ (stored.double() * scale.double()).T + bias.double()
    error = relative_error(got.reshape(-1, 2048), want)
    report("prequantized_float8_linear_on_cuda", relative_error=error)
    assert got.dtype == torch.bfloat16 and error < 2**-8


def test_fast_decode_on_cuda_gives_the_stock_frames_through_pinned_memory(fresh_cuda: None) -> None:
    """`video_decode.py` on the GPU: the 2-D reflect padding decodes the stock frames bit for bit, and the
    frames reach numpy through page-locked chunks unchanged."""
    generator = build_ltx2_generator(
        GeneratorSpec(model="tiny", device="cuda", dtype="bfloat16"), speedups=False
    )
    pipeline = generator.pipeline
    channels = pipeline.c.vae.config.latent_channels
    latents = torch.randn(1, channels, 3, 4, 6, generator=torch.Generator().manual_seed(1)).cuda()
    stock = pipeline.decode_video_frames(latents)
    assert fast_reflect_padding(pipeline.c.vae) > 0
    fast = pipeline.decode_video_frames(latents)
    assert torch.equal(fast, stock)
    chunks = list(frames_to_host(fast[:, 2:-2], chunk=4))
    assert all(isinstance(c.base, torch.Tensor) and c.base.is_pinned() for c in chunks)
    np.testing.assert_array_equal(np.concatenate(chunks), stock[:, 2:-2].cpu().numpy())
    report("fast_decode_on_cuda", frames=int(fast.shape[0]), chunks=len(chunks))
