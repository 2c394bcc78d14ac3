"""Reading and repairing LLM JSON."""

from __future__ import annotations

import pytest

from dreamverse.runtime.prompts.errors import LLMBadOutput
from dreamverse.runtime.prompts.parsing import parse_prompt, parse_prompts


@pytest.mark.parametrize(
    "text",
    [
        '{"prompt": "a fox"}',
        '```json\n{"prompt": "a fox"}\n```',
        'Sure, here it is: {"prompt": "a  fox",} Hope that helps!',
        '"a fox"',
        '{"enhanced_prompt": "a fox"}',
    ],
)
def test_parse_prompt_repairs(text: str) -> None:
    assert parse_prompt(text, max_chars=100) == "a fox"


@pytest.mark.parametrize(
    "text", ["", "no json", '{"prompt": ""}', '{"prompt": 3}', "[1, 2", '{"prompt": "x' + "y" * 50]
)
def test_parse_prompt_rejects(text: str) -> None:
    with pytest.raises(LLMBadOutput):
        parse_prompt(text, max_chars=20)


def test_parse_prompts_shapes() -> None:
    assert parse_prompts('{"prompts": ["a", "b", "c"]}', count=2, max_chars=10) == ["a", "b"]
    assert parse_prompts('[{"prompt": "a"}, {"prompt": "b"},]', count=2, max_chars=10) == ["a", "b"]
    assert parse_prompts('{"segments": ["a"]}', count=1, max_chars=10) == ["a"]
    with pytest.raises(LLMBadOutput, match="expected 3 prompts"):
        parse_prompts('{"prompts": ["a", "b"]}', count=3, max_chars=10)
    with pytest.raises(LLMBadOutput):
        parse_prompts('{"prompt": "a"}', count=1, max_chars=10)
