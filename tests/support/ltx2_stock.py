"""diffusers' own LTX-2 pipelines over our components: the reference for parity tests and benchmarks.

Not shipped: importable from the repository root by `tests/` and `python -m benchmarks.pipeline`.
"""

from __future__ import annotations

from diffusers import FlowMatchEulerDiscreteScheduler, LTX2LatentUpsamplePipeline, LTX2Pipeline

from dreamverse.generator.ltx2.components import LTX2Components


def stock_pipelines(c: LTX2Components) -> tuple[LTX2Pipeline, LTX2LatentUpsamplePipeline]:
    """`LTX2Pipeline` (no dynamic shifting: distilled sigmas are given) and the latent upsampler pipeline."""
    scheduler = FlowMatchEulerDiscreteScheduler(use_dynamic_shifting=False, shift_terminal=None)
    pipe = LTX2Pipeline(
        scheduler=scheduler,
        vae=c.vae,
        audio_vae=c.audio_vae,
        text_encoder=c.text_encoder,
        tokenizer=c.tokenizer,
        connectors=c.connectors,
        transformer=c.transformer,
        vocoder=c.vocoder,
    )
    pipe.set_progress_bar_config(disable=True)
    upsample = LTX2LatentUpsamplePipeline(vae=c.vae, latent_upsampler=c.latent_upsampler)
    upsample.set_progress_bar_config(disable=True)
    return pipe, upsample
