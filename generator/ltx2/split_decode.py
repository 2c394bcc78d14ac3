"""The video VAE's tiled decode dealt out over a sequence-parallel group: each rank decodes every N-th tile.

With tiling on (`vae.enable_tiling()`, e.g. `--vae-tiling` at 1920x1088), diffusers' LTX-2 video VAE decodes
overlapping spatial tiles one after another and blends each into its upper and left neighbours. The tiles'
decoder calls are independent, so rank r of N decodes tiles r, r+N, r+2N, ... (row-major), each decoded tile
is broadcast from its rank, and every rank blends all of them the way `tiled_decode` does (the VAE's own
`blend_v`/`blend_h`, the same stride crop): every rank ends with the same frames as one process, which a
continuation needs (each rank conditions on the last frames). Decode time per rank drops to ~1/N, plus one
broadcast of each tile's pixels (~2.3 GB in bf16 at 1920x1088 over NVLink).

Untiled decodes (tiling off, or a latent no larger than one tile) and framewise (temporal) tiling are left
to `vae.decode` whole on every rank, as before.
"""

from __future__ import annotations

import torch
import torch.distributed as dist
from diffusers import AutoencoderKLLTX2Video


class SplitTiledDecode:
    """`decode(latents)` → pixels (B, 3, F, H, W), as `vae.decode(latents, None, return_dict=False)[0]`."""

    def __init__(self, vae: AutoencoderKLLTX2Video, group: dist.ProcessGroup) -> None:
        self.vae = vae
        self.group = group
        self.tiles_decoded = 0  # by this rank, since it was made (tests and logs read it)

    def splits(self, latents: torch.Tensor) -> bool:
        vae, ratio = self.vae, self.vae.spatial_compression_ratio
        height, width = latents.shape[-2:]
        larger = width > vae.tile_sample_min_width // ratio or height > vae.tile_sample_min_height // ratio
        return bool(vae.use_tiling and larger and not vae.use_framewise_decoding)

    def __call__(self, latents: torch.Tensor) -> torch.Tensor:
        if not self.splits(latents):
            whole: torch.Tensor = self.vae.decode(latents, None, return_dict=False)[0]
            return whole
        rows = self._decoded_tiles(latents)
        return self._blend(rows, latents.shape[-2] * self.vae.spatial_compression_ratio, latents.shape[-1])

    def _decoded_tiles(self, latents: torch.Tensor) -> list[list[torch.Tensor]]:
        """Every tile's pixels on every rank, in `tiled_decode`'s row-major order."""
        vae, ratio = self.vae, self.vae.spatial_compression_ratio
        tile_h, tile_w = vae.tile_sample_min_height // ratio, vae.tile_sample_min_width // ratio
        stride_h, stride_w = vae.tile_sample_stride_height // ratio, vae.tile_sample_stride_width // ratio
        rank, size = dist.get_rank(self.group), dist.get_world_size(self.group)
        height, width = latents.shape[-2:]
        rows: list[list[torch.Tensor]] = []
        index = 0
        for top in range(0, height, stride_h):
            row = []
            for left in range(0, width, stride_w):
                tile = latents[:, :, :, top : top + tile_h, left : left + tile_w]
                owner = index % size
                if owner == rank:
                    # the dtype and layout the other ranks' receiving buffers have (no-ops for the LTX-2 VAE)
                    pixels = vae.decoder(tile, None, causal=None).to(latents.dtype).contiguous()
                    self.tiles_decoded += 1
                else:
                    pixels = torch.empty(self._pixel_shape(tile), dtype=latents.dtype, device=latents.device)
                dist.broadcast(pixels, dist.get_global_rank(self.group, owner), group=self.group)
                row.append(pixels)
                index += 1
            rows.append(row)
        return rows

    def _pixel_shape(self, tile: torch.Tensor) -> tuple[int, ...]:
        vae = self.vae
        batch, _, frames, height, width = tile.shape
        ratio, temporal = vae.spatial_compression_ratio, vae.temporal_compression_ratio
        channels = int(vae.config.out_channels)
        return (batch, channels, (frames - 1) * temporal + 1, height * ratio, width * ratio)

    def _blend(self, rows: list[list[torch.Tensor]], sample_height: int, latent_width: int) -> torch.Tensor:
        """Each tile blended into its upper and left neighbours, cropped to the stride, then stitched."""
        vae = self.vae
        stride_h, stride_w = vae.tile_sample_stride_height, vae.tile_sample_stride_width
        blend_h, blend_w = vae.tile_sample_min_height - stride_h, vae.tile_sample_min_width - stride_w
        stitched = []
        for i, row in enumerate(rows):
            parts = []
            for j, tile in enumerate(row):
                if i > 0:
                    tile = vae.blend_v(rows[i - 1][j], tile, blend_h)
                if j > 0:
                    tile = vae.blend_h(row[j - 1], tile, blend_w)
                parts.append(tile[:, :, :, :stride_h, :stride_w])
            stitched.append(torch.cat(parts, dim=4))
        sample_width = latent_width * vae.spatial_compression_ratio
        return torch.cat(stitched, dim=3)[:, :, :, :sample_height, :sample_width]
