"""How far each latent frame reaches through LTX-2's video decoder, on the CPU with random weights: whether a
streamed decode (temporal chunks, each from its latent window plus a halo) can give the one-piece decode's
frames sooner. Writes one JSON; `benchmarks/results/NOTES-decode-receptive-field.md` reads it.

    python -m benchmarks.decode_receptive_field         # tiny, and the 19B VAE's layout with narrow channels
    python -m benchmarks.decode_receptive_field --full  # and the 19B VAE at full width, 121 frames (~1 min)

The reach depends on the layer layout only (kernel sizes, layers per block, temporal upsampling), not on
channel widths or weights, so the 19B VAE's config with every channel count cut to a few measures it in
seconds; `--full` checks the real widths at a 121-frame segment. Stage reaches (from the input of each
up block) and each stage's share of the decode's FLOPs (19B VAE at 768x512x121, counted on the meta device)
say what streaming only the last stages would cost.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import Any

import torch
from diffusers import AutoencoderKLLTX2Video
from torch.utils.flop_counter import FlopCounterMode

from benchmarks.common import write_result
from dreamverse.generator.ltx2.receptive_field import Decode, Halo, frame_reach
from dreamverse.generator.ltx2.tail_chunked_decode import decoder_stages

logger = logging.getLogger("benchmarks.decode_receptive_field")
CONFIGS = Path(__file__).resolve().parent.parent / "generator" / "configs"
NARROW = {
    "latent_channels": 8,
    "block_out_channels": [8, 16, 32, 64],
    "decoder_block_out_channels": [8, 16, 32],
}


def build_vae(model: str, narrow: bool = False, seed: int = 0) -> AutoencoderKLLTX2Video:
    """A shipped VAE config with seeded random float32 weights; `narrow`: every channel count cut down."""
    config: dict[str, Any] = json.loads((CONFIGS / model / "vae.json").read_text(encoding="utf-8"))
    if narrow:
        config.update(NARROW)
    torch.manual_seed(seed)
    vae: AutoencoderKLLTX2Video = AutoencoderKLLTX2Video.from_config(config)
    return vae.eval()


def decoder_of(vae: AutoencoderKLLTX2Video) -> Decode:
    def decode(latents: torch.Tensor) -> torch.Tensor:
        pixels: torch.Tensor = vae.decoder(latents, None, causal=False)
        return pixels

    return decode


def decoder_tail(vae: AutoencoderKLLTX2Video, block: int) -> Decode:
    """The decoder from the input of up block `block` on."""
    stages = [stage for _, stage in decoder_stages(vae)[1 + block :]]

    def decode(hidden: torch.Tensor) -> torch.Tensor:
        for stage in stages:
            hidden = stage(hidden)
        return hidden

    return decode


def latents(vae: AutoencoderKLLTX2Video, frames: int, size: int = 2) -> torch.Tensor:
    generator = torch.Generator().manual_seed(1)
    return torch.randn(1, vae.config.latent_channels, frames, size, size, generator=generator)


def reach_numbers(model: str, narrow: bool, frames: int) -> dict[str, Any]:
    """Each end latent's reach over a `frames`-latent clip and the middle one's; from the middle one, the
    halo, where the clip is long enough that its ends do not clip it."""
    vae = build_vae(model, narrow)
    ratio = int(vae.config.temporal_compression_ratio)
    reaches = frame_reach(decoder_of(vae), latents(vae, frames), [0, frames // 2, frames - 1])
    numbers: dict[str, Any] = {
        "latent_frames": frames,
        "output_frames": 1 + ratio * (frames - 1),
        "reach": [[r.frame, r.first, r.last] for r in reaches],
    }
    if reaches[1].first > 0 and reaches[1].last < numbers["output_frames"] - 1:
        halo = Halo.of(reaches[1], ratio)
        numbers["halo_output_frames"] = {"back": halo.back, "ahead": halo.ahead}
        numbers["halo_latent_frames"] = {"back": halo.back / ratio, "ahead": halo.ahead / ratio}
    return numbers


def stage_reaches() -> dict[str, Any]:
    """Halo of one frame at the input of up blocks 1 and 2 (4 and 2 output frames a frame), in output frames:
    what chunks of the stages from there on would need if the stages before ran whole."""
    vae = build_vae("ltx2", narrow=True)
    numbers = {}
    for block in (1, 2):
        up = vae.decoder.up_blocks[block]
        channels = up.upsamplers[0].conv.in_channels if up.conv_in is None else up.conv_in.conv1.in_channels
        size = 2 * 2**block
        hidden = torch.randn(1, channels, 41, size, size, generator=torch.Generator().manual_seed(2))
        middle = frame_reach(decoder_tail(vae, block), hidden, [20])[0]
        ratio = 2 ** (3 - block)  # output frames per frame at that block's input
        halo = Halo.of(middle, ratio)
        numbers[f"up_block_{block}"] = {"ratio": ratio, "back": halo.back, "ahead": halo.ahead}
    return numbers


def flop_shares(width: int = 768, height: int = 512, frames: int = 121) -> dict[str, float]:
    """TFLOP of each decoder stage for the 19B VAE at one geometry (meta tensors: nothing is computed)."""
    config = json.loads((CONFIGS / "ltx2" / "vae.json").read_text(encoding="utf-8"))
    with torch.device("meta"):
        vae = AutoencoderKLLTX2Video.from_config(config)
        hidden = torch.empty(1, 128, 1 + (frames - 1) // 8, height // 32, width // 32)
    tflop: dict[str, float] = {}
    with torch.no_grad():
        for name, stage in decoder_stages(vae):
            with FlopCounterMode(display=False) as counter:
                hidden = stage(hidden)
            tflop[name] = round(counter.get_total_flops() / 1e12, 2)
    return tflop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="also the 19B VAE at full width, 121 frames")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    torch.set_grad_enabled(False)
    numbers: dict[str, Any] = {
        "tiny": reach_numbers("tiny", False, 24),
        "ltx2_narrow": reach_numbers("ltx2", True, 48),
        "ltx2_narrow_segment_121": reach_numbers("ltx2", True, 16),
        "ltx2_narrow_stages": stage_reaches(),
        "ltx2_tflop_768x512x121": flop_shares(),
    }
    if args.full:
        vae = build_vae("ltx2")
        ends = frame_reach(decoder_of(vae), latents(vae, 16), [0, 15])
        numbers["ltx2_full_segment_121"] = {"reach": [[r.frame, r.first, r.last] for r in ends]}
    logger.info("%s", json.dumps(numbers))
    write_result("decode-receptive-field", {"full": args.full, "dtype": "float32"}, numbers, use_gpu=False)


if __name__ == "__main__":
    main()
