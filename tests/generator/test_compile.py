"""`GeneratorSpec.compile`: the transformer's repeated blocks through `torch.compile` give the same segment.

Traced with dynamo's `eager` backend (no Inductor code generation on the CPU): this checks that the blocks
trace and that the compiled model is wired into segments and warm-up, not the GPU kernels' speed.
"""

from __future__ import annotations

import pytest
import torch

from dreamverse.generator.base import AudioTrack, SegmentRequest, VideoFrames
from dreamverse.generator.ltx2 import streaming_pipeline
from dreamverse.generator.ltx2.components import build_random_components
from dreamverse.generator.ltx2.config import ModelConfig
from dreamverse.generator.ltx2.pipeline import DistilledPipeline, SegmentPlan
from dreamverse.generator.ltx2.schedules import DISTILLED_8_3
from dreamverse.generator.ltx2.streaming_pipeline import (
    BLOCK_RECOMPILE_LIMIT,
    build_ltx2_generator,
    compile_transformer,
)
from dreamverse.generator.ltx2.video_decode import compile_video_decoder
from dreamverse.generator.spec import GeneratorSpec

CPU = torch.device("cpu")


@pytest.fixture(autouse=True)
def _fresh_dynamo() -> None:
    torch._dynamo.reset()


def test_compiled_blocks_give_the_eager_latents(tiny_config: ModelConfig) -> None:
    eager = DistilledPipeline(
        build_random_components(tiny_config, seed=0), tiny_config.pipeline, DISTILLED_8_3, CPU
    )
    compiled_components = build_random_components(tiny_config, seed=0)
    compile_transformer(compiled_components.transformer, backend="eager")
    compiled = DistilledPipeline(compiled_components, tiny_config.pipeline, DISTILLED_8_3, CPU)
    p = tiny_config.pipeline
    plan = SegmentPlan(
        width=p.width, height=p.height, num_frames=p.num_frames, fps=24.0, audio_latent_frames=30
    )
    want = eager.generate("a red kite", plan, torch.Generator("cpu").manual_seed(3))
    got = compiled.generate("a red kite", plan, torch.Generator("cpu").manual_seed(3))
    torch.testing.assert_close(got.video, want.video, rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(got.audio, want.audio, rtol=1e-4, atol=1e-4)


def test_spec_compile_compiles_and_warms_a_continuation(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[torch.nn.Module] = []

    def eager_compile(transformer: torch.nn.Module) -> None:
        calls.append(transformer)
        compile_transformer(transformer, backend="eager")  # type: ignore[arg-type]

    def eager_decoder(vae: torch.nn.Module) -> None:
        calls.append(vae)
        compile_video_decoder(vae, backend="eager")

    monkeypatch.setattr(streaming_pipeline, "compile_transformer", eager_compile)
    monkeypatch.setattr(streaming_pipeline, "compile_video_decoder", eager_decoder)
    generator = build_ltx2_generator(GeneratorSpec(model="tiny", device="cpu", dtype="float32", compile=True))
    assert generator.compiled
    # warm-up compiles the blocks for more shapes than dynamo's default 8; past the limit they would run eager
    assert torch._dynamo.config.recompile_limit >= BLOCK_RECOMPILE_LIMIT > 8
    assert calls == [generator.pipeline.c.transformer, generator.pipeline.c.vae]
    rendered: list[int] = []
    original = generator.render_segment

    def counting(state, request):  # type: ignore[no-untyped-def]
        rendered.append(request.segment_idx)
        return original(state, request)

    monkeypatch.setattr(generator, "render_segment", counting)
    generator.warmup()
    # segment 0 and continuations up to the first of each audio length (30, 30, 29): every shape compiled;
    # then a segment 0 from an initial image (per-token timesteps)
    assert rendered == [0, 1, 2, 3, 0]
    monkeypatch.undo()
    state = generator.new_stream(seed=1)
    parts = list(generator.render_segment(state, SegmentRequest(prompt="a kite", segment_idx=0)))
    assert isinstance(parts[0], AudioTrack)
    assert all(isinstance(part, VideoFrames) for part in parts[1:])


def test_the_compiled_video_decoder_gives_the_eager_frames(tiny_config: ModelConfig) -> None:
    pipeline = DistilledPipeline(
        build_random_components(tiny_config, seed=0), tiny_config.pipeline, DISTILLED_8_3, CPU
    )
    channels = pipeline.c.vae.config.latent_channels
    latents = torch.randn(1, channels, 3, 4, 6, generator=torch.Generator().manual_seed(2))
    want = pipeline.decode_video_frames(latents)
    compile_video_decoder(pipeline.c.vae, backend="eager")
    assert pipeline.c.vae.decoder._compiled_call_impl is not None
    assert torch.equal(pipeline.decode_video_frames(latents), want)
