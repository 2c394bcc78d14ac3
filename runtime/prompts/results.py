"""What the prompt services return. They never raise for LLM failures: a result says what happened."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ResultSource = Literal["user_enhanced", "user_raw", "auto_llm"]


@dataclass(frozen=True, slots=True)
class PromptResult:
    text: str  # the prompt to use (the user's raw prompt when enhancement failed)
    source: ResultSource  # enhance: "user_enhanced" or "user_raw"; auto_extend: "auto_llm"
    fallback_used: bool  # True when the LLM (or local rewriter) result could not be used
    error: str | None  # why the fallback was used
    latency_ms: float
    model: str  # model that answered, "local" for the local rewriter, "none" when nothing answered
    provider: str | None = None  # name of the provider that answered
    blocked_category: str | None = None  # set when the fallback was caused by the safety filter


@dataclass(frozen=True, slots=True)
class RewriteResult:
    prompts: list[str]  # the new rollout; the current one (the window) when the rewrite failed
    fallback_used: bool
    error: str | None
    model: str
    latency_ms: float
    provider: str | None = None
    raw_output: str | None = None  # the LLM's text as received (for `raw_llm_output`)
    blocked_category: str | None = None
