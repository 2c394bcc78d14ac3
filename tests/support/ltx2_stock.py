"""diffusers' own LTX-2 pipelines over our components: the reference for parity tests and benchmarks.

Not shipped: importable from the repository root by `tests/` and `python -m benchmarks.pipeline`.
"""

from __future__ import annotations

from typing import TypeVar

from diffusers import FlowMatchEulerDiscreteScheduler, LTX2LatentUpsamplePipeline, LTX2Pipeline
from diffusers.pipelines.ltx2.pipeline_ltx2_condition import LTX2ConditionPipeline

from dreamverse.generator.ltx2.components import LTX2Components

P = TypeVar("P", LTX2Pipeline, LTX2ConditionPipeline)


def distilled_scheduler() -> FlowMatchEulerDiscreteScheduler:
    """No dynamic shifting: the distilled sigmas are given."""
    return FlowMatchEulerDiscreteScheduler(use_dynamic_shifting=False, shift_terminal=None)


def stock(cls: type[P], c: LTX2Components) -> P:
    """diffusers pipeline `cls` over our components, progress bar off."""
    pipe = cls(
        scheduler=distilled_scheduler(),
        vae=c.vae,
        audio_vae=c.audio_vae,
        text_encoder=c.text_encoder,
        tokenizer=c.tokenizer,
        connectors=c.connectors,
        transformer=c.transformer,
        vocoder=c.vocoder,
    )
    pipe.set_progress_bar_config(disable=True)
    return pipe


def upsample_pipeline(c: LTX2Components) -> LTX2LatentUpsamplePipeline:
    upsample = LTX2LatentUpsamplePipeline(vae=c.vae, latent_upsampler=c.latent_upsampler)
    upsample.set_progress_bar_config(disable=True)
    return upsample


def stock_pipelines(c: LTX2Components) -> tuple[LTX2Pipeline, LTX2LatentUpsamplePipeline]:
    """`LTX2Pipeline` and the latent upsampler pipeline."""
    return stock(LTX2Pipeline, c), upsample_pipeline(c)
