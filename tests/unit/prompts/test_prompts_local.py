"""The local rewriter: every feature works with no provider, deterministically."""

from __future__ import annotations

from pathlib import Path

import pytest

from dreamverse.runtime.prompts import PromptService, PromptSettings
from dreamverse.runtime.prompts import local as local_rewriter


@pytest.fixture
def service(tmp_path: Path) -> PromptService:
    return PromptService.from_settings(PromptSettings(prompt_system_dir=tmp_path), environ={})


async def test_local_mode_when_no_provider(service: PromptService) -> None:
    assert service.mode == "local"
    assert service.readiness()["mode"] == "local"


async def test_enhance_is_deterministic(service: PromptService) -> None:
    first = await service.enhance("a fox in the snow")
    second = await service.enhance("a fox in the snow")
    assert first.text == second.text
    assert (first.source, first.fallback_used, first.model) == ("user_enhanced", False, "local")
    assert first.text.startswith("a fox in the snow. ") and len(first.text) > len("a fox in the snow") + 20


async def test_rewrite_applies_the_instruction_to_every_prompt(service: PromptService) -> None:
    result = await service.rewrite_rollout("make it night", ["a fox in snow.", "the fox leaps"])
    assert result.prompts == [
        "a fox in snow. Direction: make it night.",
        "the fox leaps. Direction: make it night.",
    ]
    again = await service.rewrite_rollout("add fog", result.prompts)
    assert again.prompts[0] == "a fox in snow. Direction: add fog."


async def test_rewrite_count_differs_from_window(service: PromptService) -> None:
    result = await service.rewrite_rollout("make it night", ["a", "b", "c"], count=2)
    assert len(result.prompts) == 2
    longer = await service.rewrite_rollout("make it night", ["a"], count=3)
    assert len(longer.prompts) == 3 and not longer.fallback_used


async def test_rollout_from_idea(service: PromptService) -> None:
    result = await service.rewrite_rollout("a knight's quest", [], count=4)
    assert len(result.prompts) == 4 and len(set(result.prompts)) == 4
    assert all(p.startswith("a knight's quest. Segment") for p in result.prompts)


async def test_empty_rewrite_is_a_fallback(service: PromptService) -> None:
    result = await service.rewrite_rollout("anything", [])
    assert (result.prompts, result.fallback_used) == ([], True)


async def test_auto_extend_continues_the_last_prompt(service: PromptService) -> None:
    result = await service.auto_extend(["a fox in the snow", "the fox leaps"])
    assert result.text.startswith("the fox leaps. Next: ")
    again = await service.auto_extend(["a fox in the snow", "the fox leaps", result.text])
    assert again.text.startswith("the fox leaps. Next: ") and again.text != result.text
    assert (await service.auto_extend([])).text == local_rewriter.auto_extend([])
