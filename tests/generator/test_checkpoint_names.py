"""The text connectors' and the vocoder's official names against an authority other than our own tables:
Lightricks' names and diffusers' conversion script (`tests/support/ltx2_official_names.py`).

The transformer and VAE names are checked against diffusers' single-file converters in `test_loading.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from accelerate import init_empty_weights
from safetensors import safe_open
from safetensors.torch import load_file, save_file

from dreamverse.generator.ltx2 import checkpoint_keys as K
from dreamverse.generator.ltx2.components import build_random_components, component_class
from dreamverse.generator.ltx2.config import ModelConfig, load_model_config
from dreamverse.generator.ltx2.loading import load_components
from tests.support.ltx2_checkpoints import save_single_file
from tests.support.ltx2_official_names import OFFICIAL_NAMES, diffusers_name

COMPONENTS = sorted(OFFICIAL_NAMES)


def official_names(config: ModelConfig, component: str) -> list[str]:
    return OFFICIAL_NAMES[component](config.components[component])


@pytest.mark.parametrize("model", ["tiny", "ltx2"])
@pytest.mark.parametrize("component", COMPONENTS)
def test_the_authority_fills_the_diffusers_class_exactly(model: str, component: str) -> None:
    """Lightricks' names through diffusers' conversion are exactly the diffusers class's tensors, each once:
    the reference below is complete and names nothing the class lacks."""
    config = load_model_config(model)
    with init_empty_weights():
        module = component_class(config, component).from_config(config.components[component])
    converted = [diffusers_name(component, name) for name in official_names(config, component)]
    assert len(set(converted)) == len(converted)
    assert set(converted) == set(module.state_dict())


@pytest.mark.parametrize("model", ["tiny", "ltx2"])
@pytest.mark.parametrize("component", COMPONENTS)
def test_our_names_agree_with_the_authority(model: str, component: str) -> None:
    config = load_model_config(model)
    for official in official_names(config, component):
        owner = K.component_of(official)
        assert owner is not None and owner[0] == component, official
        assert K.to_diffusers(component, owner[1]) == diffusers_name(component, official), official
        assert K.to_official(component, diffusers_name(component, official)) == official, official


def test_a_file_with_lightricks_names_loads_every_tensor(tiny_config: ModelConfig, tmp_path: Path) -> None:
    """A tiny single file whose connector and vocoder tensors carry Lightricks' names (placed by the
    authority, not by our tables) loads strictly: every tensor used, none missing, each where diffusers'
    conversion puts it."""
    source = build_random_components(tiny_config, seed=13)
    path = save_single_file(source, tiny_config, tmp_path / "ltx2-tiny.safetensors")
    with safe_open(str(path), framework="pt") as f:
        metadata = f.metadata()
    tensors = load_file(str(path))
    for component in COMPONENTS:
        for name in [n for n in tensors if (owner := K.component_of(n)) and owner[0] == component]:
            del tensors[name]
        state = getattr(source, component).state_dict()
        for official in official_names(tiny_config, component):
            tensors[official] = state[diffusers_name(component, official)].clone()
    save_file(tensors, str(path), metadata=metadata)
    loaded = load_components(
        tiny_config,
        str(path),
        text_encoder=str(tmp_path / "ltx2-tiny-text_encoder"),
        device=torch.device("cpu"),
        dtype=torch.float32,
    )
    for component in COMPONENTS:
        want, got = getattr(source, component).state_dict(), getattr(loaded, component).state_dict()
        assert want.keys() == got.keys()
        for key, tensor in want.items():
            assert torch.equal(got[key], tensor), f"{component}.{key}"
