"""An authority for the text connectors' and the vocoder's tensor names, apart from `checkpoint_keys.py`.

diffusers' wheel ships single-file converters for the transformer and the VAEs only, so these two
components are checked against two public sources instead (facts, re-expressed here; no code copied):

- Lightricks' names in the official LTX-2 (2.0) single file, from the module structure of `ltx-core`:
  `Embeddings1DConnector` (`transformer_1d_blocks`, `learnable_registers`; each block an `attn1` with
  `to_q/k/v`, `to_out.0`, `q_norm`, `k_norm` RMSNorms, and an `ff.net.0.proj` / `ff.net.2` feed-forward),
  its text projection `aggregate_embed` (no bias), and `Vocoder` with `ResBlock1` (`conv_pre`, one
  `ups.{i}` transposed conv per upsampling, `resblocks.{j}.convs1/convs2.{k}`, `conv_post`).
- diffusers' conversion of those names, `scripts/convert_ltx2_to_diffusers.py` in the diffusers repository
  (version "2.0"): the connectors are the `model.diffusion_model.` tensors of the connector prefixes plus
  the top-level `text_embedding_projection.*`, the vocoder the `vocoder.` tensors, each renamed by ordered
  substring replacement with the tables below.
"""

from __future__ import annotations

from typing import Any

DIT = "model.diffusion_model."
CONNECTORS = ("video_embeddings_connector", "audio_embeddings_connector")

# scripts/convert_ltx2_to_diffusers.py, LTX-2.0 connector and vocoder rename tables, in its order
DIFFUSERS_CONNECTOR_RENAMES = (
    ("connectors.", ""),
    ("video_embeddings_connector", "video_connector"),
    ("audio_embeddings_connector", "audio_connector"),
    ("transformer_1d_blocks", "transformer_blocks"),
    ("text_embedding_projection.aggregate_embed", "text_proj_in"),
    ("q_norm", "norm_q"),
    ("k_norm", "norm_k"),
)
DIFFUSERS_VOCODER_RENAMES = (
    ("ups", "upsamplers"),
    ("resblocks", "resnets"),
    ("conv_pre", "conv_in"),
    ("conv_post", "conv_out"),
)


def _both(stem: str) -> list[str]:
    return [f"{stem}.weight", f"{stem}.bias"]


def lightricks_connector_names(config: dict[str, Any]) -> list[str]:
    """Official names of the connector tensors of an LTX-2 (2.0) file for a diffusers connectors config."""
    names = ["text_embedding_projection.aggregate_embed.weight"]
    for connector, side in zip(CONNECTORS, ("video", "audio"), strict=True):
        root = f"{DIT}{connector}."
        if config.get(f"{side}_connector_num_learnable_registers"):
            names.append(root + "learnable_registers")
        for i in range(config[f"{side}_connector_num_layers"]):
            block = f"{root}transformer_1d_blocks.{i}."
            names += [f"{block}attn1.q_norm.weight", f"{block}attn1.k_norm.weight"]
            for linear in (
                "attn1.to_q",
                "attn1.to_k",
                "attn1.to_v",
                "attn1.to_out.0",
                "ff.net.0.proj",
                "ff.net.2",
            ):
                names += _both(block + linear)
    return names


def lightricks_vocoder_names(config: dict[str, Any]) -> list[str]:
    """Official names of the vocoder tensors of an LTX-2 (2.0) file for a diffusers vocoder config."""
    upsamplings = len(config["upsample_factors"])
    kernels = len(config["resnet_kernel_sizes"])
    names = _both("vocoder.conv_pre")
    for i in range(upsamplings):
        names += _both(f"vocoder.ups.{i}")
    for j in range(upsamplings * kernels):  # one residual block per (upsampling, kernel size)
        for k in range(len(config["resnet_dilations"][j % kernels])):
            names += _both(f"vocoder.resblocks.{j}.convs1.{k}") + _both(f"vocoder.resblocks.{j}.convs2.{k}")
    return names + _both("vocoder.conv_post")


def diffusers_name(component: str, official: str) -> str:
    """What diffusers' conversion script names an official tensor of `component`."""
    if component == "connectors":
        name, table = official.removeprefix(DIT), DIFFUSERS_CONNECTOR_RENAMES
    else:
        name, table = official.removeprefix("vocoder."), DIFFUSERS_VOCODER_RENAMES
    for old, new in table:
        name = name.replace(old, new)
    return name


OFFICIAL_NAMES = {"connectors": lightricks_connector_names, "vocoder": lightricks_vocoder_names}
