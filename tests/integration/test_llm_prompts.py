"""A session with an LLM provider (a local server speaking the OpenAI wire format): enhancement, rewrites and
auto-extension, and the safety filter on every LLM output."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.support.fake_openai import FakeOpenAI, Reply, run_fake_openai
from tests.support.server import RunningServer, run_server
from tests.support.wsclient import Client

UNSAFE = "explicit hardcore porn with naked bodies"


@pytest.fixture
def llm() -> Iterator[tuple[FakeOpenAI, str]]:
    with run_fake_openai() as running:
        yield running


@pytest.fixture
def llm_server(llm: tuple[FakeOpenAI, str]) -> Iterator[RunningServer]:
    _, url = llm
    providers = [{"name": "fake", "base_url": f"{url}/fake/v1", "model": "fake-model"}]
    with run_server(llm_providers=providers, llm_timeout_s=2, llm_total_timeout_s=4, llm_retries=0) as server:
        server.wait_ready()
        yield server


async def start(server: RunningServer, *prompts: str, **extra: object) -> Client:
    client = await Client.connect(server.ws)
    await client.next_event()
    await client.send({"type": "session_init_v2", "curated_prompts": list(prompts), **extra})
    await client.until("gpu_assigned")
    return client


async def test_readyz_reports_llm_mode(llm_server: RunningServer) -> None:
    assert llm_server.get("/readyz").json()["prompts"]["mode"] == "llm"


async def test_enhanced_prompt_is_used_and_counted(
    llm_server: RunningServer, llm: tuple[FakeOpenAI, str]
) -> None:
    fake, _ = llm
    fake.script("fake", Reply(json.dumps({"prompt": "a lone heron wades through golden reeds at dusk"})))
    client = await start(llm_server, "a marsh at dusk", enhancement_enabled=True)
    await client.until("prompt_sources_blocked")
    await client.send({"type": "append_prompt", "prompt": "a heron", "prompt_id": "h"})
    ready = await client.until("prompt_ready")
    assert (ready["source"], ready["prompt"]) == (
        "user_enhanced",
        "a lone heron wades through golden reeds at dusk",
    )
    start_event = await client.until("ltx2_segment_start")
    assert start_event["prompt"] == ready["prompt"] and start_event["source"] == "user_enhanced"
    request = fake.requests_of("fake")[-1]
    assert request["response_format"] == {"type": "json_object"}
    providers = llm_server.get("/status").json()["prompts"]["provider_stats"]
    assert providers["fake"]["successes"] >= 1
    await client.close()


async def test_unsafe_enhancement_falls_back_to_the_raw_prompt(
    llm_server: RunningServer, llm: tuple[FakeOpenAI, str]
) -> None:
    fake, _ = llm
    fake.script("fake", Reply(json.dumps({"prompt": UNSAFE})))
    client = await start(llm_server, "a quiet garden", enhancement_enabled=True)
    await client.until("prompt_sources_blocked")
    await client.send({"type": "append_prompt", "prompt": "a robin lands", "prompt_id": "r"})
    fallback = await client.until("prompt_fallback_used")
    assert (fallback["prompt"], fallback["source"]) == ("a robin lands", "user_raw")
    assert (await client.until("ltx2_segment_start"))["prompt"] == "a robin lands"
    assert all(e.get("prompt") != UNSAFE for e in client.events)
    await client.close()


async def test_failing_provider_never_loses_the_prompt(
    llm_server: RunningServer, llm: tuple[FakeOpenAI, str]
) -> None:
    fake, _ = llm
    fake.script("fake", Reply(status=500))
    client = await start(llm_server, "rain on a window", enhancement_enabled=True)
    await client.until("prompt_sources_blocked")
    await client.send({"type": "append_prompt", "prompt": "lightning far away", "prompt_id": "l"})
    fallback = await client.until("prompt_fallback_used")
    assert fallback["error"] and fallback["prompt"] == "lightning far away"
    assert (await client.until("ltx2_segment_start"))["prompt"] == "lightning far away"
    await client.close()


async def test_unsafe_rewrite_keeps_the_current_rollout(
    llm_server: RunningServer, llm: tuple[FakeOpenAI, str]
) -> None:
    fake, _ = llm
    fake.script("fake", Reply(json.dumps({"prompts": [UNSAFE, "a calm sea"]})))
    client = await start(llm_server, "a sailboat at sea", "the wind picks up", enhancement_enabled=False)
    await client.until("ltx2_segment_complete")
    await client.send({"type": "rewrite_seed_prompts", "rewrite_instruction": "make it dramatic"})
    seeds = await client.until("seed_prompts_updated")
    assert seeds["fallback_used"] is True
    assert seeds["prompts"] == ["a sailboat at sea", "the wind picks up"]
    assert (await client.until("rewrite_seed_prompts_complete"))["fallback_used"] is True
    await client.close()


async def test_unsafe_auto_extension_is_not_generated(
    llm_server: RunningServer, llm: tuple[FakeOpenAI, str]
) -> None:
    fake, _ = llm
    fake.script("fake", Reply(json.dumps({"prompt": UNSAFE})))
    client = await start(llm_server, "a desert road", enhancement_enabled=False, auto_extension_enabled=True)
    await client.until("ltx2_segment_complete")
    failed = await client.until("auto_prompt_failed")
    assert failed["segment_idx"] == 2
    fake.script("fake", Reply(json.dumps({"prompt": "the road climbs into red hills"})))
    await client.send({"type": "set_auto_extension", "enabled": True})  # wakes the waiting rollout
    start_event = await client.until("ltx2_segment_start")
    assert start_event["segment_idx"] == 2 and start_event["prompt"] != UNSAFE
    assert all(e.get("prompt") != UNSAFE for e in client.events)
    await client.close()


async def test_an_unsafe_prompt_window_is_refused_before_it_reaches_the_llm(
    llm_server: RunningServer, llm: tuple[FakeOpenAI, str]
) -> None:
    """A failed rewrite keeps its window as the rollout, so the window is user input: checked on arrival."""
    fake, _ = llm
    fake.script("fake", Reply("not json at all"))  # a failing rewrite would fall back to the window
    client = await start(llm_server, "a sailboat at sea", enhancement_enabled=False)
    await client.until("ltx2_segment_complete")
    asked = len(fake.requests_of("fake"))
    window = [UNSAFE, "a calm sea"]
    await client.send(
        {"type": "rewrite_seed_prompts", "rewrite_instruction": "go", "prompt_window_prompts": window}
    )
    error = await client.until("error")
    assert (error["code"], error["category"] is not None) == ("prompt_blocked", True)
    assert len(fake.requests_of("fake")) == asked
    assert "rewrite_seed_prompts_started" not in client.types()
    assert all(UNSAFE not in e.get("prompts", []) for e in client.events)
    await client.close()
