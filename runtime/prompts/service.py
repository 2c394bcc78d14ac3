"""`PromptService`: enhancement, rollout rewrites and auto-extension over LLM providers or the local rewriter.

Its public methods never raise for LLM failures (only `CancelledError` passes): a failed or blocked answer
becomes a fallback that keeps the user's prompt (enhance), the current rollout (rewrite) or a local
continuation (auto-extend), with `fallback_used` and `error` set.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, Literal, TypeVar

from dreamverse.runtime.prompts import local
from dreamverse.runtime.prompts.errors import LLMError, LLMOutputBlocked
from dreamverse.runtime.prompts.parsing import parse_prompt, parse_prompts
from dreamverse.runtime.prompts.provider import LLMProvider, Messages
from dreamverse.runtime.prompts.results import PromptResult, RewriteResult
from dreamverse.runtime.prompts.router import complete
from dreamverse.runtime.prompts.settings import PromptSettings
from dreamverse.runtime.prompts.store import SystemPromptStore
from dreamverse.safety import SafetyFilter

logger = logging.getLogger(__name__)

T = TypeVar("T", str, list[str])
V = TypeVar("V")
RewriteMode = Literal["edit", "idea"]
_PROMPT_SHAPE = '{"prompt": "<segment prompt>"}'
_PROMPTS_SHAPE = '{"prompts": ["<segment 1>", "<segment 2>", ...]}'


@dataclass(frozen=True, slots=True)
class _Outcome(Generic[V]):
    value: V | None  # None: unusable, fall back
    model: str
    provider: str | None
    error: str | None
    latency_ms: float
    raw_output: str | None = None
    blocked_category: str | None = None


@dataclass(frozen=True, slots=True)
class _Task(Generic[V]):
    operation: str  # "enhance", "rewrite", "auto_extend" (statistics)
    system_key: str  # SystemPromptStore key
    shape: str  # the JSON shape asked for (appended to a client's own system prompt)
    payload: dict[str, Any]
    parse: Callable[[str], V]
    local: Callable[[], V]


class PromptService:
    def __init__(
        self,
        settings: PromptSettings,
        store: SystemPromptStore,
        *,
        providers: Sequence[LLMProvider] = (),
        safety: SafetyFilter | None = None,
        skipped: Sequence[str] = (),
    ) -> None:
        self.settings = settings
        self.store = store
        self.providers = tuple(providers)
        self.safety = safety
        self._skipped = tuple(skipped)
        self._operations = {op: {"calls": 0, "fallbacks": 0} for op in ("enhance", "rewrite", "auto_extend")}

    @classmethod
    def from_settings(
        cls,
        settings: PromptSettings,
        *,
        store: SystemPromptStore | None = None,
        safety: SafetyFilter | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> PromptService:
        """Build providers from settings; API keys come from the named environment variables (blocking:
        reads the system prompt files when no store is given)."""
        env = os.environ if environ is None else environ
        providers, skipped = [], []
        for config in settings.llm_providers:
            api_key = env.get(config.api_key_env) if config.api_key_env else None
            if config.api_key_env and not api_key:
                logger.warning("LLM provider %s skipped: $%s is not set", config.name, config.api_key_env)
                skipped.append(config.name)
                continue
            providers.append(LLMProvider(config, settings, api_key=api_key))
        store = store or SystemPromptStore.from_settings(settings)
        service = cls(settings, store, providers=providers, safety=safety, skipped=skipped)
        logger.info(
            "prompt service mode %s (%s)", service.mode, [p.name for p in providers] or "local rewriter"
        )
        return service

    @property
    def mode(self) -> Literal["llm", "local"]:
        return "llm" if self.providers else "local"

    def available_models(self) -> list[str]:
        """Values `model=` (upstream `rewrite_model`) may take: provider names and model names."""
        return sorted({p.name for p in self.providers} | {p.model for p in self.providers})

    async def enhance(
        self,
        prompt: str,
        *,
        recent: Sequence[str] = (),
        model: str | None = None,
        temperature: float | None = None,
        system_prompt: str | None = None,
    ) -> PromptResult:
        """A detailed segment prompt from a user's prompt; on any failure the raw prompt (`user_raw`)."""
        task = _Task(
            operation="enhance",
            system_key="enhance",
            shape=_PROMPT_SHAPE,
            payload={"instruction": prompt, "recent_prompts": self._context(recent)},
            parse=partial(parse_prompt, max_chars=self.settings.llm_max_output_chars),
            local=partial(local.enhance, prompt),
        )
        out = await self._run(task, model=model, temperature=temperature, system_prompt=system_prompt)
        if out.value is None:
            return _prompt_result(out, prompt, "user_raw", fallback=True)
        return _prompt_result(out, out.value, "user_enhanced", fallback=False)

    async def rewrite_rollout(
        self,
        instruction: str,
        window: Sequence[str],
        *,
        count: int | None = None,
        model: str | None = None,
        temperature: float | None = None,
        mode: RewriteMode | None = None,
        system_prompt: str | None = None,
    ) -> RewriteResult:
        """`edit` (default when `window` is non-empty) rewrites the window; `idea` plans a new rollout.
        On any failure the window comes back unchanged with `fallback_used=True`."""
        current = list(window)
        count = count or len(current)
        mode = mode or ("edit" if current else "idea")
        if count < 1:
            return RewriteResult(current, True, "nothing to rewrite: empty window and no count", "none", 0.0)
        task = self._rewrite_task(instruction, current, count, mode)
        out = await self._run(task, model=model, temperature=temperature, system_prompt=system_prompt)
        prompts, fallback = (current, True) if out.value is None else (out.value, False)
        return RewriteResult(
            prompts=prompts,
            fallback_used=fallback,
            error=out.error,
            model=out.model,
            latency_ms=round(out.latency_ms, 1),
            provider=out.provider,
            raw_output=out.raw_output,
            blocked_category=out.blocked_category,
        )

    async def auto_extend(
        self, history: Sequence[str], *, model: str | None = None, temperature: float | None = None
    ) -> PromptResult:
        """The next segment prompt after `history`; on failure a local continuation, `fallback_used=True`."""
        task = _Task(
            operation="auto_extend",
            system_key="auto_extend",
            shape=_PROMPT_SHAPE,
            payload={"history": self._context(history)},
            parse=partial(parse_prompt, max_chars=self.settings.llm_max_output_chars),
            local=partial(local.auto_extend, list(history)),
        )
        out = await self._run(task, model=model, temperature=temperature, system_prompt=None)
        if out.value is not None:
            return _prompt_result(out, out.value, "auto_llm", fallback=False)
        text = local.auto_extend(list(history))
        if self._blocked(text) is not None:
            text = local.auto_extend([])
        return _prompt_result(out, text, "auto_llm", fallback=True)

    def _rewrite_task(
        self, instruction: str, window: list[str], count: int, mode: RewriteMode
    ) -> _Task[list[str]]:
        max_chars = self.settings.llm_max_output_chars
        if mode == "edit":
            payload: dict[str, Any] = {"instruction": instruction, "prompts": window, "count": count}
            rewritten = local.rewrite_window(instruction, window)
            fallback = partial(_fit, rewritten or local.rollout_from_idea(instruction, count), count)
        else:
            payload = {"idea": instruction, "count": count}
            fallback = partial(local.rollout_from_idea, instruction, count)
        return _Task(
            operation="rewrite",
            system_key="rewrite_window" if mode == "edit" else "rollout_from_idea",
            shape=_PROMPTS_SHAPE,
            payload=payload,
            parse=partial(parse_prompts, count=count, max_chars=max_chars),
            local=fallback,
        )

    async def _run(
        self, task: _Task[T], *, model: str | None, temperature: float | None, system_prompt: str | None
    ) -> _Outcome[T]:
        """Local or LLM answer, then the safety check; any failure becomes an outcome with `value=None`."""
        stats = self._operations[task.operation]
        stats["calls"] += 1
        started = time.perf_counter()
        if self.mode == "local":
            out = _Outcome(task.local(), "local", None, None, 0.0)
        else:
            messages = self._messages(task, system_prompt)
            out = await self._ask_llm(task, messages, model=model, temperature=temperature)
        out = self._screen(out)
        latency_ms = (time.perf_counter() - started) * 1000.0
        if out.value is None:
            stats["fallbacks"] += 1
            logger.warning("%s fell back after %.0f ms: %s", task.operation, latency_ms, out.error)
        return _Outcome(
            out.value, out.model, out.provider, out.error, latency_ms, out.raw_output, out.blocked_category
        )

    async def _ask_llm(
        self, task: _Task[T], messages: Messages, *, model: str | None, temperature: float | None
    ) -> _Outcome[T]:
        providers = self._select(model)
        temp = min(2.0, max(0.0, self.settings.llm_temperature if temperature is None else temperature))
        try:
            async with asyncio.timeout(self.settings.llm_total_timeout_s):
                done = await complete(
                    self.settings.llm_strategy,
                    providers,
                    messages,
                    temperature=temp,
                    parse=partial(_keep_raw, task.parse),
                )
        except TimeoutError:
            limit = self.settings.llm_total_timeout_s
            return _Outcome(None, "none", None, f"LLM timed out after {limit:g} s", 0.0)
        except LLMError as exc:
            return _Outcome(None, "none", None, exc.message, 0.0)
        except Exception:  # a bug must not cost the user's prompt; it is logged with its traceback
            logger.exception("unexpected error in %s", task.operation)
            return _Outcome(None, "none", None, "internal error in the prompt service", 0.0)
        value, raw = done.value
        return _Outcome(value, done.provider.model, done.provider.name, None, 0.0, raw_output=raw)

    def _screen(self, out: _Outcome[T]) -> _Outcome[T]:
        """A blocked answer is a failed answer."""
        if out.value is None:
            return out
        texts = [out.value] if isinstance(out.value, str) else list(out.value)
        for text in texts:
            category = self._blocked(text)
            if category is not None:
                error = LLMOutputBlocked(
                    f"{out.model} output blocked by the safety filter ({category})", category
                )
                return _Outcome(None, out.model, out.provider, error.message, 0.0, out.raw_output, category)
        return out

    def _blocked(self, text: str) -> str | None:
        if self.safety is None:
            return None
        verdict = self.safety.check(text)
        return (verdict.category or "unsafe") if verdict.blocked else None

    def _messages(self, task: _Task[Any], override: str | None) -> Messages:
        system = self.store.get(task.system_key)
        if override and override.strip():
            if len(override) <= self.settings.prompt_system_max_chars:
                system = f"{override.strip()}\n\nAnswer with JSON only, in this form: {task.shape}"
            else:
                logger.warning("ignoring a client system prompt of %d characters", len(override))
        user = json.dumps(task.payload, ensure_ascii=False)
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    def _select(self, model: str | None) -> list[LLMProvider]:
        chosen = [p for p in self.providers if model in (p.name, p.model)] if model else []
        if model and not chosen:
            logger.info("unknown model %r; using every provider", model)
        return chosen or list(self.providers)

    def _context(self, prompts: Sequence[str]) -> list[str]:
        keep = self.settings.llm_context_prompts
        limit = self.settings.llm_max_output_chars
        return [p[:limit] for p in list(prompts)[-keep:]] if keep else []

    def readiness(self) -> dict[str, Any]:
        """For `/readyz`: which mode is active. The service is always usable (local mode needs nothing)."""
        return {
            "mode": self.mode,
            "strategy": self.settings.llm_strategy,
            "providers": [p.name for p in self.providers],
            "skipped_providers": list(self._skipped),
            "safety_hook": self.safety is not None,
        }

    def status(self) -> dict[str, Any]:
        """For `/status`: per-provider counters and latencies, per-operation fallbacks."""
        return {
            **self.readiness(),
            "provider_stats": {
                p.name: {"model": p.model, "base_url": p.config.base_url, **p.stats.snapshot()}
                for p in self.providers
            },
            "operations": {op: dict(counts) for op, counts in self._operations.items()},
        }

    async def aclose(self) -> None:
        for provider in self.providers:
            await provider.aclose()


def _keep_raw(parse: Callable[[str], T], text: str) -> tuple[T, str]:
    return parse(text), text


def _fit(prompts: list[str], count: int) -> list[str]:
    """`count` prompts: cut, or repeat the last one."""
    return (prompts + [prompts[-1]] * count)[:count]


def _prompt_result(out: _Outcome[Any], text: str, source: Any, *, fallback: bool) -> PromptResult:
    return PromptResult(
        text=text,
        source=source,
        fallback_used=fallback,
        error=out.error,
        latency_ms=round(out.latency_ms, 1),
        model=out.model,
        provider=out.provider,
        blocked_category=out.blocked_category,
    )
