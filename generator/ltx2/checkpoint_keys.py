"""Tensor names of the official single-file LTX-2 checkpoint vs diffusers' component layout.

Facts from the public diffusers LTX-2 converters, re-expressed as our own two-way tables: official file
prefixes `model.diffusion_model.*` (transformer and text connectors), `text_embedding_projection.*`,
`vae.*`, `audio_vae.*`, `vocoder.*`. The spatial upsampler ships as its own file with diffusers' names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

DIT_PREFIX = "model.diffusion_model."
CONNECTOR_MARKERS = ("video_embeddings_connector", "audio_embeddings_connector")
TEXT_PROJECTION_PREFIX = "text_embedding_projection."
PREFIXES = {"vae": "vae.", "audio_vae": "audio_vae.", "vocoder": "vocoder."}
SINGLE_FILE_COMPONENTS = ("transformer", "connectors", "vae", "audio_vae", "vocoder")

# Official tensors with no diffusers counterpart (dropped on load, absent when we write a file).
IGNORED_OFFICIAL = {
    "vae": ("per_channel_statistics.channel", "per_channel_statistics.mean-of-stds"),
}

# (official fragment, diffusers fragment), applied in order; each must be unambiguous both ways.
_TRANSFORMER = (
    ("audio_patchify_proj", "audio_proj_in"),
    ("patchify_proj", "proj_in"),
    ("av_ca_video_scale_shift_adaln_single", "av_cross_attn_video_scale_shift"),
    ("av_ca_a2v_gate_adaln_single", "av_cross_attn_video_a2v_gate"),
    ("av_ca_audio_scale_shift_adaln_single", "av_cross_attn_audio_scale_shift"),
    ("av_ca_v2a_gate_adaln_single", "av_cross_attn_audio_v2a_gate"),
    ("scale_shift_table_a2v_ca_video", "video_a2v_cross_attn_scale_shift_table"),
    ("scale_shift_table_a2v_ca_audio", "audio_a2v_cross_attn_scale_shift_table"),
    (".q_norm.", ".norm_q."),
    (".k_norm.", ".norm_k."),
)
_TRANSFORMER_HEADS = (("audio_adaln_single.", "audio_time_embed."), ("adaln_single.", "time_embed."))
_CONNECTORS = (
    ("video_embeddings_connector.", "video_connector."),
    ("audio_embeddings_connector.", "audio_connector."),
    ("transformer_1d_blocks", "transformer_blocks"),
    (".q_norm.", ".norm_q."),
    (".k_norm.", ".norm_k."),
)
_STATS = (
    ("per_channel_statistics.mean-of-means", "latents_mean"),
    ("per_channel_statistics.std-of-means", "latents_std"),
)
_VOCODER = (
    ("ups.", "upsamplers."),
    ("resblocks.", "resnets."),
    ("conv_pre.", "conv_in."),
    ("conv_post.", "conv_out."),
)

# Official VAE block index -> diffusers block path (encoder interleaves blocks and downsamplers).
_ENCODER_BLOCKS = {0: "down_blocks.0", 1: "down_blocks.0.downsamplers.0", 2: "down_blocks.1",
                   3: "down_blocks.1.downsamplers.0", 4: "down_blocks.2", 5: "down_blocks.2.downsamplers.0",
                   6: "down_blocks.3", 7: "down_blocks.3.downsamplers.0", 8: "mid_block"}  # fmt: skip
_DECODER_BLOCKS = {0: "mid_block", 1: "up_blocks.0.upsamplers.0", 2: "up_blocks.0",
                   3: "up_blocks.1.upsamplers.0", 4: "up_blocks.1", 5: "up_blocks.2.upsamplers.0",
                   6: "up_blocks.2"}  # fmt: skip


def _replace(name: str, table: Iterable[tuple[str, str]], reverse: bool) -> str:
    for official, diffusers in table:
        old, new = (diffusers, official) if reverse else (official, diffusers)
        name = name.replace(old, new)
    return name


def _swap_head(name: str, table: Iterable[tuple[str, str]], reverse: bool) -> str:
    for official, diffusers in table:
        old, new = (diffusers, official) if reverse else (official, diffusers)
        if name.startswith(old):
            return new + name[len(old) :]
    return name


def _vae_blocks(name: str, reverse: bool) -> str:
    for side, blocks, tag in (
        ("encoder.", _ENCODER_BLOCKS, "down_blocks"),
        ("decoder.", _DECODER_BLOCKS, "up_blocks"),
    ):
        if not name.startswith(side):
            continue
        rest = name[len(side) :]
        if reverse:
            # longest diffusers path first so "down_blocks.0.downsamplers.0" wins over "down_blocks.0"
            for index, path in sorted(blocks.items(), key=lambda item: -len(item[1])):
                if rest.startswith(path + "."):
                    return f"{side}{tag}.{index}.{rest[len(path) + 1 :]}"
            return name
        match = re.match(rf"{tag}\.(\d+)\.(.*)", rest)
        if match and int(match.group(1)) in blocks:
            return f"{side}{blocks[int(match.group(1))]}.{match.group(2)}"
    return name


def _transformer(name: str, reverse: bool) -> str:
    if reverse:
        return _swap_head(_replace(name, _TRANSFORMER, True), _TRANSFORMER_HEADS, True)
    return _replace(_swap_head(name, _TRANSFORMER_HEADS, False), _TRANSFORMER, False)


def _vae(name: str, reverse: bool) -> str:
    if reverse:
        return _vae_blocks(_replace(_replace(name, _STATS, True), (("res_blocks.", "resnets."),), True), True)
    return _replace(_replace(_vae_blocks(name, False), (("res_blocks.", "resnets."),), False), _STATS, False)


RENAMES: dict[str, Callable[[str, bool], str]] = {
    "transformer": _transformer,
    "connectors": lambda name, reverse: _replace(name, _CONNECTORS, reverse),
    "vae": _vae,
    "audio_vae": lambda name, reverse: _replace(name, _STATS, reverse),
    "vocoder": lambda name, reverse: _replace(name, _VOCODER, reverse),
}


def component_of(official: str) -> tuple[str, str] | None:
    """(component, name without the file prefix) for an official tensor name; None if it belongs to none."""
    if official.startswith(DIT_PREFIX):
        inner = official[len(DIT_PREFIX) :]
        is_connector = inner.startswith(CONNECTOR_MARKERS)
        return ("connectors", inner) if is_connector else ("transformer", inner)
    if official.startswith(TEXT_PROJECTION_PREFIX):
        return "connectors", official
    for component, prefix in PREFIXES.items():
        if official.startswith(prefix):
            return component, official[len(prefix) :]
    return None


def to_diffusers(component: str, inner: str) -> str:
    if component == "connectors" and inner.startswith(TEXT_PROJECTION_PREFIX):
        return inner.replace("text_embedding_projection.aggregate_embed.", "text_proj_in.")
    return RENAMES[component](inner, False)


def to_official(component: str, name: str) -> str:
    """The official single-file name of a diffusers tensor `name` of `component`."""
    if component == "connectors" and name.startswith("text_proj_in."):
        return name.replace("text_proj_in.", "text_embedding_projection.aggregate_embed.")
    inner = RENAMES[component](name, True)
    if component in ("transformer", "connectors"):
        return DIT_PREFIX + inner
    return PREFIXES[component] + inner


def is_ignored(component: str, inner: str) -> bool:
    return any(inner.endswith(suffix) for suffix in IGNORED_OFFICIAL.get(component, ()))
