"""PromptService against a real HTTP server speaking the OpenAI chat-completions format."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from dreamverse.runtime.prompts import PromptService, PromptSettings
from dreamverse.safety import SafetyFilter, SafetySettings
from tests.support.fake_openai import FakeOpenAI, Reply

RAW = "a red fox crosses a frozen river"
ENHANCED = "A red fox trots across a frozen river at dawn, low tracking shot, soft golden light."
SLOW = Reply(delay_s=5.0)

Build = Callable[..., PromptSettings]


@pytest.fixture
async def service_for(make_settings: Build) -> AsyncIterator[Callable[..., PromptService]]:
    services: list[PromptService] = []

    def build(*names: str, safety: SafetyFilter | None = None, **overrides: Any) -> PromptService:
        service = PromptService.from_settings(make_settings(*names, **overrides), safety=safety, environ={})
        services.append(service)
        return service

    yield build
    for service in services:
        await service.aclose()


def _ok(prompt: str) -> Reply:
    return Reply(content=json.dumps({"prompt": prompt}))


async def test_enhance_success_sends_json_mode(fake: FakeOpenAI, service_for: Any) -> None:
    fake.script("a", _ok(ENHANCED))
    service = service_for("a")
    result = await service.enhance(RAW, recent=["a snowy forest at dawn"], temperature=0.3)
    assert (result.text, result.source, result.fallback_used, result.error) == (
        ENHANCED,
        "user_enhanced",
        False,
        None,
    )
    assert (result.provider, result.model) == ("a", "model-a")
    (body,) = fake.requests_of("a")
    assert body["response_format"] == {"type": "json_object"}
    assert body["model"] == "model-a" and body["temperature"] == 0.3
    assert body["messages"][0]["content"] == service.store.get("enhance")
    assert json.loads(body["messages"][1]["content"]) == {
        "instruction": RAW,
        "recent_prompts": ["a snowy forest at dawn"],
    }
    assert service.status()["provider_stats"]["a"]["successes"] == 1


async def test_slow_provider_times_out_and_the_raw_prompt_is_used(fake: FakeOpenAI, service_for: Any) -> None:
    fake.script("a", SLOW)
    service = service_for("a", llm_timeout_s=0.3)
    started = time.monotonic()
    result = await service.enhance(RAW)
    assert time.monotonic() - started < 2.0
    assert (result.text, result.source, result.fallback_used) == (RAW, "user_raw", True)
    assert result.error is not None and "timed out" in result.error
    assert fake.wait_for_hangup("a"), "the timed-out request should have been closed"
    stats = service.status()["provider_stats"]["a"]
    assert (stats["timeouts"], stats["failures"], stats["fallbacks"]) == (1, 1, 1)


async def test_server_error_falls_back_to_the_next_provider(fake: FakeOpenAI, service_for: Any) -> None:
    fake.script("a", Reply(status=500))
    fake.script("b", _ok(ENHANCED))
    service = service_for("a", "b", llm_strategy="ordered")
    result = await service.enhance(RAW)
    assert (result.text, result.provider, result.fallback_used) == (ENHANCED, "b", False)
    stats = service.status()["provider_stats"]
    assert stats["a"]["fallbacks"] == 1 and stats["b"]["successes"] == 1


async def test_transient_errors_are_retried(fake: FakeOpenAI, service_for: Any) -> None:
    fake.script("a", Reply(status=503), Reply(status=429), _ok(ENHANCED))
    service = service_for("a", llm_retries=2)
    result = await service.enhance(RAW)
    assert result.text == ENHANCED
    assert len(fake.requests_of("a")) == 3
    assert service.status()["provider_stats"]["a"]["retries"] == 2


async def test_client_errors_are_not_retried(fake: FakeOpenAI, service_for: Any) -> None:
    fake.script("a", Reply(status=400), _ok(ENHANCED))
    service = service_for("a", llm_retries=3)
    result = await service.enhance(RAW)
    assert (result.text, result.fallback_used) == (RAW, True)
    assert len(fake.requests_of("a")) == 1


async def test_malformed_json_is_repaired(fake: FakeOpenAI, service_for: Any) -> None:
    fake.script("a", Reply(content='Here you go:\n```json\n{"prompt": "' + ENHANCED + '",}\n```'))
    result = await service_for("a").enhance(RAW)
    assert (result.text, result.fallback_used) == (ENHANCED, False)


async def test_unrepairable_output_falls_back_to_the_next_provider(
    fake: FakeOpenAI, service_for: Any
) -> None:
    fake.script("a", Reply(content="I cannot help with JSON today."))
    fake.script("b", _ok(ENHANCED))
    result = await service_for("a", "b").enhance(RAW)
    assert (result.text, result.provider) == (ENHANCED, "b")


async def test_race_winner_cancels_the_loser(fake: FakeOpenAI, service_for: Any) -> None:
    fake.script("slow", SLOW)
    fake.script("fast", Reply(delay_s=0.1, content=json.dumps({"prompt": ENHANCED})))
    service = service_for("slow", "fast", llm_strategy="race", llm_timeout_s=10.0)
    started = time.monotonic()
    result = await service.enhance(RAW)
    assert time.monotonic() - started < 2.0
    assert (result.text, result.provider) == (ENHANCED, "fast")
    assert len(fake.requests_of("slow")) == 1
    assert fake.wait_for_hangup("slow"), "the losing request should have been closed"
    assert service.status()["provider_stats"]["slow"]["cancelled"] == 1


async def test_race_uses_a_later_success_when_the_first_answer_fails(
    fake: FakeOpenAI, service_for: Any
) -> None:
    fake.script("a", Reply(status=500))
    fake.script("b", Reply(delay_s=0.2, content=json.dumps({"prompt": ENHANCED})))
    result = await service_for("a", "b", llm_strategy="race").enhance(RAW)
    assert (result.text, result.provider) == (ENHANCED, "b")


FAILURES = {
    "timeout": Reply(delay_s=5.0),
    "server_error": Reply(status=500),
    "rate_limited": Reply(status=429),
    "unauthorized": Reply(status=401),
    "not_json": Reply(content="no json here"),
    "wrong_shape": Reply(content='{"answer": 42}'),
    "empty": Reply(content=""),
    "garbage_body": Reply(raw_body=b"<html>bad gateway</html>"),
}


@pytest.mark.parametrize("strategy", ["ordered", "race"])
@pytest.mark.parametrize("failure", sorted(FAILURES))
async def test_the_user_prompt_survives_every_failure(
    fake: FakeOpenAI, service_for: Any, failure: str, strategy: str
) -> None:
    fake.script("a", FAILURES[failure])
    fake.script("b", FAILURES[failure])
    service = service_for("a", "b", llm_strategy=strategy, llm_timeout_s=0.2, llm_retries=1)
    result = await service.enhance(RAW)
    assert (result.text, result.source, result.fallback_used) == (RAW, "user_raw", True)
    assert result.error


async def test_unreachable_provider_falls_back(service_for: Any, make_settings: Build) -> None:
    settings = make_settings(
        llm_providers=[{"name": "down", "base_url": "http://127.0.0.1:9/v1", "model": "m"}]
    )
    service = PromptService.from_settings(settings, environ={})
    try:
        result = await service.enhance(RAW)
    finally:
        await service.aclose()
    assert (result.text, result.fallback_used) == (RAW, True)
    assert result.error is not None and "connection" in result.error


async def test_total_timeout_bounds_retries(fake: FakeOpenAI, service_for: Any) -> None:
    fake.script("a", SLOW)
    service = service_for("a", llm_timeout_s=0.3, llm_retries=5, llm_total_timeout_s=0.5)
    started = time.monotonic()
    result = await service.enhance(RAW)
    assert time.monotonic() - started < 1.5
    assert result.fallback_used and "0.5 s" in (result.error or "")


async def test_rewrite_edit_success(fake: FakeOpenAI, service_for: Any) -> None:
    new = ["A fox in the snow at night.", "The fox leaps under the moon."]
    fake.script("a", Reply(content=json.dumps({"prompts": [*new, "an extra one"]})))
    service = service_for("a")
    result = await service.rewrite_rollout(
        "make it night", ["a fox in snow", "the fox leaps"], model="model-a"
    )
    assert (result.prompts, result.fallback_used, result.model) == (new, False, "model-a")
    assert result.raw_output is not None and "an extra one" in result.raw_output
    (body,) = fake.requests_of("a")
    assert body["messages"][0]["content"] == service.store.get("rewrite_window")


async def test_rewrite_from_an_idea(fake: FakeOpenAI, service_for: Any) -> None:
    fake.script("a", Reply(content=json.dumps({"prompts": ["one", "two", "three"]})))
    service = service_for("a")
    result = await service.rewrite_rollout("a knight's quest", ["current"], count=3, mode="idea")
    assert result.prompts == ["one", "two", "three"]
    (body,) = fake.requests_of("a")
    assert json.loads(body["messages"][1]["content"]) == {"idea": "a knight's quest", "count": 3}
    assert body["messages"][0]["content"] == service.store.get("rollout_from_idea")


async def test_failed_rewrite_keeps_the_current_rollout(fake: FakeOpenAI, service_for: Any) -> None:
    fake.script("a", Reply(content=json.dumps({"prompts": ["only one"]})))
    window = ["a fox in snow", "the fox leaps"]
    result = await service_for("a").rewrite_rollout("make it night", window)
    assert (result.prompts, result.fallback_used) == (window, True)
    assert result.error is not None and "expected 2 prompts" in result.error


@pytest.fixture(scope="module")
def safety() -> SafetyFilter:
    return SafetyFilter.from_settings(SafetySettings())


async def test_blocked_enhancement_is_not_used(
    fake: FakeOpenAI, service_for: Any, safety: SafetyFilter
) -> None:
    fake.script("a", _ok("Explicit sex scene with full nudity on the beach"))
    result = await service_for("a", safety=safety).enhance("a couple on the beach")
    assert (result.text, result.source, result.fallback_used) == ("a couple on the beach", "user_raw", True)
    assert result.blocked_category == "sexual"


async def test_blocked_rewrite_is_not_used(fake: FakeOpenAI, service_for: Any, safety: SafetyFilter) -> None:
    window = ["a crowd in a city square", "the crowd cheers"]
    hateful = [
        "A crowd in a city square chanting that immigrants are vermin to exterminate",
        "The crowd cheers",
    ]
    fake.script("a", Reply(content=json.dumps({"prompts": hateful})))
    result = await service_for("a", safety=safety).rewrite_rollout("make it angrier", window)
    assert (result.prompts, result.fallback_used, result.blocked_category) == (window, True, "hate")


async def test_blocked_auto_extension_is_not_used(
    fake: FakeOpenAI, service_for: Any, safety: SafetyFilter
) -> None:
    fake.script("a", _ok("The dancer strips fully naked and touches herself"))
    result = await service_for("a", safety=safety).auto_extend(["a dancer on a stage"])
    assert result.fallback_used and result.source == "auto_llm" and result.blocked_category == "sexual"
    assert not safety.check(result.text).blocked
    assert result.text.startswith("a dancer on a stage")


async def test_auto_extend_success(fake: FakeOpenAI, service_for: Any) -> None:
    fake.script("a", _ok("The fox stops and looks back toward the camera."))
    service = service_for("a", llm_context_prompts=2)
    result = await service.auto_extend(["one", "two", "three"])
    assert (result.text, result.source, result.fallback_used) == (
        "The fox stops and looks back toward the camera.",
        "auto_llm",
        False,
    )
    (body,) = fake.requests_of("a")
    assert json.loads(body["messages"][1]["content"]) == {"history": ["two", "three"]}


async def test_model_selects_a_provider(fake: FakeOpenAI, service_for: Any) -> None:
    fake.script("a", _ok("from a"))
    fake.script("b", _ok("from b"))
    service = service_for("a", "b")
    assert service.available_models() == ["a", "b", "model-a", "model-b"]
    assert (await service.enhance(RAW, model="b")).text == "from b"
    assert (await service.enhance(RAW, model="model-a")).text == "from a"
    assert (await service.enhance(RAW, model="unknown")).text == "from a"


async def test_client_system_prompt_override(fake: FakeOpenAI, service_for: Any) -> None:
    fake.script("a", _ok(ENHANCED))
    await service_for("a").enhance(RAW, system_prompt="Write like a nature documentary.")
    (body,) = fake.requests_of("a")
    system = body["messages"][0]["content"]
    assert system.startswith("Write like a nature documentary.") and "JSON" in system


async def test_provider_with_a_missing_key_is_skipped(make_settings: Build) -> None:
    settings = make_settings(
        llm_providers=[
            {"name": "paid", "base_url": "http://127.0.0.1:9/v1", "model": "m", "api_key_env": "NOPE"}
        ]
    )
    service = PromptService.from_settings(settings, environ={})
    assert service.mode == "local"
    assert service.readiness()["skipped_providers"] == ["paid"]
    with_key = PromptService.from_settings(settings, environ={"NOPE": "sk-test"})
    assert with_key.mode == "llm"
    await with_key.aclose()
