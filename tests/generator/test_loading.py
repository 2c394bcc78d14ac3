"""Offline loading of the tiny model: official single file and diffusers folder give identical output; bad
checkpoints fail with errors that name what is wrong."""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from accelerate import init_empty_weights
from diffusers.loaders.single_file_utils import (
    convert_ltx2_audio_vae_to_diffusers,
    convert_ltx2_transformer_to_diffusers,
    convert_ltx2_vae_to_diffusers,
)
from safetensors import safe_open
from safetensors.torch import load_file, save_file

from dreamverse.generator.base import SegmentRequest
from dreamverse.generator.errors import (
    CheckpointConfigMismatch,
    CheckpointError,
    CheckpointNotFound,
    MissingKeysError,
    ShapeMismatchError,
    UnexpectedKeysError,
)
from dreamverse.generator.ltx2 import checkpoint_keys as K
from dreamverse.generator.ltx2 import hub
from dreamverse.generator.ltx2.components import build_random_components, component_class
from dreamverse.generator.ltx2.config import ModelConfig, load_model_config
from dreamverse.generator.ltx2.loading import load_components
from dreamverse.generator.ltx2.streaming_pipeline import build_ltx2_generator
from dreamverse.generator.spec import GeneratorSpec
from tests.support.ltx2_checkpoints import save_diffusers_folder, save_single_file

CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, tiny_config: ModelConfig) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tiny-checkpoints")
    components = build_random_components(tiny_config, seed=11)
    single = save_single_file(components, tiny_config, root / "single" / "ltx2-tiny.safetensors")
    folder = save_diffusers_folder(components, root / "diffusers")
    return {"single": single, "text_encoder": root / "single" / "ltx2-tiny-text_encoder", "folder": folder}


def two_segments(spec: GeneratorSpec) -> list[np.ndarray]:
    generator = build_ltx2_generator(spec)
    state = generator.new_stream(seed=21)
    out: list[np.ndarray] = []
    for idx, prompt in enumerate(("a", "b")):
        for part in generator.render_segment(state, SegmentRequest(prompt=prompt, segment_idx=idx)):
            out.append(part.samples if hasattr(part, "samples") else part.frames)  # type: ignore[union-attr]
    return out


def test_single_file_and_diffusers_folder_give_identical_output(written: dict[str, Path]) -> None:
    base = {"model": "tiny", "device": "cpu", "dtype": "float32"}
    single = two_segments(
        GeneratorSpec(**base, checkpoint=str(written["single"]), text_encoder=str(written["text_encoder"]))
    )  # type: ignore[arg-type]
    folder = two_segments(GeneratorSpec(**base, checkpoint=str(written["folder"])))  # type: ignore[arg-type]
    assert len(single) == len(folder)
    for a, b in zip(single, folder, strict=True):
        np.testing.assert_array_equal(a, b)  # the same weights, the same kernels: bit for bit


def test_single_file_has_official_names_and_config_metadata(written: dict[str, Path]) -> None:
    from safetensors import safe_open

    with safe_open(str(written["single"]), framework="pt") as f:
        keys = set(f.keys())
        assert '"model": "tiny"' in f.metadata()["config"]
    assert "model.diffusion_model.patchify_proj.weight" in keys
    assert "model.diffusion_model.adaln_single.linear.weight" in keys
    assert "text_embedding_projection.aggregate_embed.weight" in keys
    assert "vae.per_channel_statistics.mean-of-means" in keys
    assert any(k.startswith("model.diffusion_model.video_embeddings_connector.") for k in keys)
    assert any(k.startswith("vocoder.ups.") for k in keys)


def edited(src: Path, dst: Path, edit: object) -> Path:
    tensors = load_file(str(src))
    edit(tensors)  # type: ignore[operator]
    dst.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(dst), metadata={"config": "{}"})
    (dst.parent / "spatial-upscaler-x2.safetensors").write_bytes(
        (src.parent / "spatial-upscaler-x2.safetensors").read_bytes()
    )
    return dst


def load(config: ModelConfig, path: Path, text_encoder: Path | None = None) -> None:
    load_components(config, str(path), text_encoder=str(text_encoder) if text_encoder else None, device=CPU,
                    dtype=torch.float32)  # fmt: skip


def test_missing_key_is_named(written: dict[str, Path], tiny_config: ModelConfig, tmp_path: Path) -> None:
    key = "model.diffusion_model.proj_out.weight"
    path = edited(written["single"], tmp_path / "m" / "x.safetensors", lambda t: t.pop(key))
    with pytest.raises(MissingKeysError, match=re.escape("proj_out.weight")) as info:
        load(tiny_config, path, written["text_encoder"])
    assert info.value.component == "transformer"


def test_unexpected_key_is_named(written: dict[str, Path], tiny_config: ModelConfig, tmp_path: Path) -> None:
    path = edited(written["single"], tmp_path / "u" / "x.safetensors",
                  lambda t: t.update({"vae.decoder.extra_layer.weight": torch.zeros(2)}))  # fmt: skip
    with pytest.raises(UnexpectedKeysError, match=re.escape("decoder.extra_layer.weight")):
        load(tiny_config, path, written["text_encoder"])
    path = edited(written["single"], tmp_path / "s" / "x.safetensors",
                  lambda t: t.update({"lora.something": torch.zeros(2)}))  # fmt: skip
    with pytest.raises(UnexpectedKeysError, match=re.escape("lora.something")):
        load(tiny_config, path, written["text_encoder"])


def test_wrong_shape_is_named(written: dict[str, Path], tiny_config: ModelConfig, tmp_path: Path) -> None:
    key = "model.diffusion_model.proj_out.bias"
    path = edited(
        written["single"], tmp_path / "w" / "x.safetensors", lambda t: t.update({key: torch.zeros(3)})
    )
    with pytest.raises(ShapeMismatchError, match=re.escape("proj_out.bias")):
        load(tiny_config, path, written["text_encoder"])


def test_corrupted_file_and_missing_paths(
    written: dict[str, Path], tiny_config: ModelConfig, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(written["single"].read_bytes()[:1000])
    with pytest.raises(CheckpointError):
        load(tiny_config, broken)
    with pytest.raises(CheckpointNotFound):
        load(tiny_config, tmp_path / "nothing-here" / "x.safetensors")
    with pytest.raises(CheckpointNotFound):
        load_components(load_model_config("ltx2"), None, device=CPU, dtype=torch.float32)


def test_diffusers_folder_missing_key(
    written: dict[str, Path], tiny_config: ModelConfig, tmp_path: Path
) -> None:
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(written["folder"], folder)
    weights = folder / "vocoder" / "diffusion_pytorch_model.safetensors"
    tensors = load_file(str(weights))
    tensors.pop("conv_out.weight")
    save_file(tensors, str(weights))
    with pytest.raises(MissingKeysError, match=re.escape("conv_out.weight")):
        load(tiny_config, folder)


@pytest.mark.parametrize("model", ["tiny", "ltx2"])
def test_official_names_round_trip_for_every_tensor(model: str) -> None:
    config = load_model_config(model)
    for name in K.SINGLE_FILE_COMPONENTS:
        with init_empty_weights():
            module = component_class(config, name).from_config(config.components[name])
        for key in module.state_dict():
            official = K.to_official(name, key)
            owner = K.component_of(official)
            assert owner is not None and owner[0] == name, official
            assert K.to_diffusers(name, owner[1]) == key, official


# diffusers' own converters from the official single file (what `from_single_file` runs), per component
DIFFUSERS_CONVERTERS = {
    "transformer": convert_ltx2_transformer_to_diffusers,
    "vae": convert_ltx2_vae_to_diffusers,
    "audio_vae": convert_ltx2_audio_vae_to_diffusers,
}


@pytest.mark.parametrize("model", ["tiny", "ltx2"])
@pytest.mark.parametrize("component", sorted(DIFFUSERS_CONVERTERS))
def test_official_names_agree_with_diffusers_single_file_converters(model: str, component: str) -> None:
    """Our official name of every tensor, fed to diffusers' converter, comes back as the diffusers name.

    Values are the diffusers names themselves, so the converter's output maps each key to where it came
    from. The transformer's file section also holds the connectors, which its converter drops."""
    config = load_model_config(model)
    owners = [component, "connectors"] if component == "transformer" else [component]
    official: dict[str, str] = {}
    for owner in owners:
        with init_empty_weights():
            module = component_class(config, owner).from_config(config.components[owner])
        for key in module.state_dict():
            name = K.to_official(owner, key)
            if owner == component or name.startswith(K.DIT_PREFIX):
                official[name] = f"{owner}:{key}"
    converted = DIFFUSERS_CONVERTERS[component](dict(official))
    expected = {value.split(":", 1)[1]: value for value in official.values() if value.startswith(component)}
    assert converted == expected


def rewritten(src: Path, dst: Path, tensors: dict[str, torch.Tensor], config: dict[str, object]) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(dst), metadata={"config": json.dumps(config)})
    shutil.copy(src.parent / "spatial-upscaler-x2.safetensors", dst.parent)
    return dst


def test_config_metadata_mismatch_is_named(
    written: dict[str, Path], tiny_config: ModelConfig, tmp_path: Path
) -> None:
    with safe_open(str(written["single"]), framework="pt") as f:
        config = json.loads(f.metadata()["config"])
    config["transformer"]["num_layers"] += 1
    path = rewritten(
        written["single"], tmp_path / "c" / "x.safetensors", load_file(written["single"]), config
    )
    with pytest.raises(
        CheckpointConfigMismatch, match=re.escape("transformer.num_layers: file 3, shipped 2")
    ):
        load(tiny_config, path, written["text_encoder"])
    with pytest.raises(CheckpointConfigMismatch, match=re.escape("model: file 'tiny', shipped 'ltx2'")):
        load(load_model_config("ltx2"), written["single"], written["text_encoder"])


def test_hub_fetches_only_the_distilled_release(
    written: dict[str, Path], tiny_config: ModelConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repo id downloads the distilled single file, the upsampler and Gemma, nothing else (no network: the
    hub client is replaced by a copy from a local folder laid out like Lightricks/LTX-2)."""
    import huggingface_hub

    remote = tmp_path / "remote"
    release = hub.RELEASES["Lightricks/LTX-2"]
    remote.mkdir()
    shutil.copy(written["single"], remote / release.checkpoint)
    shutil.copy(written["single"].parent / "spatial-upscaler-x2.safetensors", remote / release.upsampler)
    shutil.copytree(written["text_encoder"], remote / "text_encoder")
    shutil.copytree(written["text_encoder"], remote / "tokenizer")
    for decoy in ("ltx-2-19b-dev.safetensors", "ltx-2-19b-distilled-fp8.safetensors", "transformer/x.bin"):
        (remote / decoy).parent.mkdir(exist_ok=True)
        (remote / decoy).write_bytes(b"not needed")
    calls = []

    def snapshot_download(repo_id: str, allow_patterns: list[str]) -> str:
        calls.append(repo_id)
        local = tmp_path / "cache"
        for file in remote.rglob("*"):
            relative = file.relative_to(remote).as_posix()
            if file.is_file() and any(fnmatch.fnmatch(relative, p) for p in allow_patterns):
                (local / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(file, local / relative)
        return str(local)

    monkeypatch.setattr(huggingface_hub, "snapshot_download", snapshot_download)
    components = load_components(tiny_config, "Lightricks/LTX-2", device=CPU, dtype=torch.float32)
    assert calls == ["Lightricks/LTX-2"] and components.text_encoder is not None
    fetched = {p.relative_to(tmp_path / "cache").as_posix() for p in (tmp_path / "cache").rglob("*.*")}
    assert release.checkpoint in fetched and release.upsampler in fetched
    assert (
        not {"ltx-2-19b-dev.safetensors", "ltx-2-19b-distilled-fp8.safetensors", "transformer/x.bin"}
        & fetched
    )
    with pytest.raises(CheckpointNotFound, match="no known distilled LTX-2 release"):
        load_components(tiny_config, "someone/LTX-2-dev", device=CPU, dtype=torch.float32)
