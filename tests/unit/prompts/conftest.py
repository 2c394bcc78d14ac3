"""Fixtures for the prompt-service tests: one fake OpenAI server per module, reset for every test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dreamverse.runtime.prompts import PromptSettings
from tests.support.fake_openai import FakeOpenAI, run_fake_openai


@pytest.fixture(scope="module")
def fake_server() -> Iterator[tuple[FakeOpenAI, str]]:
    with run_fake_openai() as running:
        yield running


@pytest.fixture
def fake(fake_server: tuple[FakeOpenAI, str]) -> FakeOpenAI:
    fake_server[0].reset()
    return fake_server[0]


@pytest.fixture
def make_settings(fake_server: tuple[FakeOpenAI, str], tmp_path: Path) -> Any:
    """`make_settings("a", "b", llm_strategy="race")`: settings with providers a, b on the fake server."""
    base = fake_server[1]

    def build(*names: str, **overrides: Any) -> PromptSettings:
        values: dict[str, Any] = {
            "llm_providers": [
                {"name": n, "base_url": f"{base}/{n}/v1", "model": f"model-{n}"} for n in names
            ],
            # Generous: a test that wants a timeout scripts a slow reply and sets its own short
            # `llm_timeout_s`. At 0.5 s, answers of the local fake timed out on a loaded machine
            # (`pytest -n 2` beside other work) and success-path tests failed.
            "llm_timeout_s": 5.0,
            "llm_total_timeout_s": 10.0,
            "llm_retries": 0,
            "llm_retry_backoff_s": 0.01,
            "prompt_system_dir": tmp_path / "system_prompts",
        }
        values.update(overrides)
        return PromptSettings(**values)

    return build
