"""Hugging Face hub releases we know how to load, and the files each needs.

Lightricks' `Lightricks/LTX-2` repository holds several checkpoints: its diffusers folders (`transformer/`,
`vae/`, ...) are the non-distilled dev model, which our distilled 8 + 3 loop would run silently and badly. So
a repo id resolves to the distilled single file, the spatial upsampler and Gemma 3 (`text_encoder/`,
`tokenizer/`), and only those are downloaded (`allow_patterns`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dreamverse.generator.errors import CheckpointNotFound


@dataclass(frozen=True, slots=True)
class HubRelease:
    checkpoint: str  # the official single file
    upsampler: str
    folders: tuple[str, ...] = ("text_encoder", "tokenizer")

    @property
    def allow_patterns(self) -> list[str]:
        return [self.checkpoint, self.upsampler, *(f"{folder}/*" for folder in self.folders)]


RELEASES = {
    "Lightricks/LTX-2": HubRelease(
        checkpoint="ltx-2-19b-distilled.safetensors", upsampler="ltx-2-spatial-upscaler-x2-1.0.safetensors"
    ),
}


def is_repo_id(checkpoint: str) -> bool:
    return checkpoint.count("/") == 1 and not checkpoint.startswith(("/", ".", "~"))


def download(repo_id: str) -> tuple[Path, HubRelease]:
    """Fetch only the files of `repo_id`'s distilled release; returns the local snapshot folder."""
    release = RELEASES.get(repo_id)
    if release is None:
        raise CheckpointNotFound(
            f"{repo_id!r}: no known distilled LTX-2 release (known: {', '.join(RELEASES)}); "
            "download it yourself and pass the file or folder"
        )
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(repo_id, allow_patterns=release.allow_patterns)), release
    except Exception as exc:  # the hub client raises many types (offline, auth, 404)
        raise CheckpointNotFound(f"cannot fetch {repo_id!r} from the Hugging Face hub: {exc}") from exc
