"""One OpenAI-compatible endpoint: a request with a hard timeout, retries with jitter, and its statistics."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from openai import AsyncOpenAI

from dreamverse.runtime.prompts.errors import LLMBadOutput, LLMError, LLMTimeout, map_openai_errors
from dreamverse.runtime.prompts.settings import LLMProviderConfig, PromptSettings

logger = logging.getLogger(__name__)

T = TypeVar("T")
Messages = list[dict[str, str]]


@dataclass(slots=True)
class ProviderStats:
    requests: int = 0  # HTTP requests sent, retries included
    successes: int = 0  # operations answered with usable output
    failures: int = 0  # operations that failed after all retries
    timeouts: int = 0  # requests that hit `llm_timeout_s`
    retries: int = 0
    cancelled: int = 0  # operations cancelled (a race lost, or the caller gave up)
    fallbacks: int = 0  # failures after which another provider or the raw prompt was used
    latencies_ms: deque[float] = field(default_factory=lambda: deque(maxlen=200))

    def snapshot(self) -> dict[str, Any]:
        ordered = sorted(self.latencies_ms)
        return {
            "requests": self.requests,
            "successes": self.successes,
            "failures": self.failures,
            "timeouts": self.timeouts,
            "retries": self.retries,
            "cancelled": self.cancelled,
            "fallbacks": self.fallbacks,
            "latency_ms_last": round(self.latencies_ms[-1], 1) if self.latencies_ms else None,
            "latency_ms_p50": round(ordered[len(ordered) // 2], 1) if ordered else None,
            "latency_ms_mean": round(sum(ordered) / len(ordered), 1) if ordered else None,
        }


class LLMProvider:
    """Sends chat completions to one endpoint. `complete` raises only `LLMError` (or `CancelledError`)."""

    def __init__(
        self,
        config: LLMProviderConfig,
        settings: PromptSettings,
        *,
        api_key: str | None,
        rng: random.Random | None = None,
    ) -> None:
        self.config = config
        self.name = config.name
        self.model = config.model
        self._settings = settings
        self._rng = rng or random.Random()
        # The client's own timeout is a backstop; the hard limit is `asyncio.timeout` around each request.
        self._client = AsyncOpenAI(
            base_url=config.base_url,
            api_key=api_key or "not-needed",
            timeout=settings.llm_timeout_s + 1.0,
            max_retries=0,
        )
        self.stats = ProviderStats()

    async def complete(self, messages: Messages, *, temperature: float, parse: Callable[[str], T]) -> T:
        """One operation: request, retry transient failures with jittered backoff, parse the answer."""
        started = time.perf_counter()
        try:
            value = await self._with_retries(messages, temperature, parse)
        except asyncio.CancelledError:
            self.stats.cancelled += 1
            raise
        except LLMError:
            self.stats.failures += 1
            raise
        self.stats.successes += 1
        self.stats.latencies_ms.append((time.perf_counter() - started) * 1000.0)
        return value

    async def _with_retries(self, messages: Messages, temperature: float, parse: Callable[[str], T]) -> T:
        attempt = 0
        while True:
            try:
                return parse(await self._request(messages, temperature))
            except LLMError as exc:
                if not exc.transient or attempt >= self._settings.llm_retries:
                    logger.warning("LLM provider %s failed: %s", self.name, exc.message)
                    raise
                delay = self._backoff_s(attempt)
                logger.info("LLM provider %s: %s; retry in %.2f s", self.name, exc.message, delay)
                self.stats.retries += 1
                attempt += 1
                await asyncio.sleep(delay)

    def _backoff_s(self, attempt: int) -> float:
        """Full jitter: uniform in [0, backoff * 2**attempt]."""
        return self._rng.uniform(0.0, self._settings.llm_retry_backoff_s * (2**attempt))

    async def _request(self, messages: Messages, temperature: float) -> str:
        kwargs: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": temperature,
            "max_tokens": self._settings.llm_max_tokens,
        }
        if self.config.json_mode:
            kwargs["response_format"] = {"type": "json_object"}
        self.stats.requests += 1
        try:
            with map_openai_errors(self.name):
                async with asyncio.timeout(self._settings.llm_timeout_s):
                    completion = await self._client.chat.completions.create(**kwargs)
        except LLMTimeout:
            self.stats.timeouts += 1
            raise
        content = _content(completion)
        if not content:
            raise LLMBadOutput(f"{self.name}: empty answer")
        return content

    async def aclose(self) -> None:
        await self._client.close()


def _content(completion: Any) -> str | None:
    """The first choice's text; None for anything that does not look like a chat completion."""
    try:
        content = completion.choices[0].message.content
    except (AttributeError, IndexError, KeyError, TypeError):
        return None
    return content if isinstance(content, str) else None
