"""Several providers behind one call: `ordered` tries them in turn, `race` asks all and keeps the first valid
answer, cancelling the others (their HTTP requests are closed)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from dreamverse.runtime.prompts.errors import LLMAllProvidersFailed, LLMError
from dreamverse.runtime.prompts.provider import LLMProvider, Messages

logger = logging.getLogger(__name__)

T = TypeVar("T")
Strategy = Literal["race", "ordered"]


@dataclass(frozen=True, slots=True)
class Completion(Generic[T]):
    value: T
    provider: LLMProvider


async def complete_ordered(
    providers: Sequence[LLMProvider], messages: Messages, *, temperature: float, parse: Callable[[str], T]
) -> Completion[T]:
    errors: dict[str, LLMError] = {}
    for provider in providers:
        try:
            value = await provider.complete(messages, temperature=temperature, parse=parse)
        except LLMError as exc:
            errors[provider.name] = exc
            provider.stats.fallbacks += 1
            continue
        return Completion(value=value, provider=provider)
    raise LLMAllProvidersFailed(errors)


async def complete_race(
    providers: Sequence[LLMProvider], messages: Messages, *, temperature: float, parse: Callable[[str], T]
) -> Completion[T]:
    tasks = {
        asyncio.create_task(
            provider.complete(messages, temperature=temperature, parse=parse),
            name=f"llm-race-{provider.name}",
        ): provider
        for provider in providers
    }
    errors: dict[str, LLMError] = {}
    try:
        pending = set(tasks)
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                provider = tasks[task]
                exc = task.exception()
                if exc is None:
                    logger.debug("LLM race won by %s", provider.name)
                    return Completion(value=task.result(), provider=provider)
                if not isinstance(exc, LLMError):
                    raise exc
                errors[provider.name] = exc
                provider.stats.fallbacks += 1
        raise LLMAllProvidersFailed(errors)
    finally:
        await _cancel_all(tasks)


async def _cancel_all(tasks: dict[asyncio.Task[T], LLMProvider]) -> None:
    """Cancel the losers and wait for them, so no request outlives the race."""
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def complete(
    strategy: Strategy,
    providers: Sequence[LLMProvider],
    messages: Messages,
    *,
    temperature: float,
    parse: Callable[[str], T],
) -> Completion[T]:
    if not providers:
        raise LLMAllProvidersFailed({})
    if strategy == "race" and len(providers) > 1:
        return await complete_race(providers, messages, temperature=temperature, parse=parse)
    return await complete_ordered(providers, messages, temperature=temperature, parse=parse)
