"""Reading the JSON an LLM wrote, repairing the usual damage (code fences, prose around it, trailing commas).

Expected shapes: `{"prompt": "..."}` for enhance and auto-extend, `{"prompts": ["...", ...]}` for a rewrite
(a bare list, or items like `{"prompt": "..."}`, are accepted too). Anything else is `LLMBadOutput`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from dreamverse.runtime.prompts.errors import LLMBadOutput

_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.DOTALL)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_PROMPT_KEYS = ("prompt", "enhanced_prompt", "text")
_LIST_KEYS = ("prompts", "segments", "rollout")


def load_json(text: str) -> Any:
    """Parse `text` as JSON, repairing it when needed; raises `LLMBadOutput`."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    repaired = _repair(text)
    try:
        return json.loads(repaired)
    except json.JSONDecodeError as exc:
        raise LLMBadOutput(f"answer is not JSON: {_preview(text)}") from exc


def _repair(text: str) -> str:
    fenced = _FENCE.search(text)
    candidate = fenced.group(1) if fenced else text
    starts = [i for i in (candidate.find("{"), candidate.find("[")) if i >= 0]
    if starts:
        start = min(starts)
        end = max(candidate.rfind("}"), candidate.rfind("]"))
        if end > start:
            candidate = candidate[start : end + 1]
    return _TRAILING_COMMA.sub(r"\1", candidate.strip())


def parse_prompt(text: str, *, max_chars: int) -> str:
    """One prompt from `{"prompt": ...}` (or a bare JSON string)."""
    data = load_json(text)
    if isinstance(data, dict):
        data = next((data[key] for key in _PROMPT_KEYS if key in data), None)
    return _clean(data, max_chars)


def parse_prompts(text: str, *, count: int, max_chars: int) -> list[str]:
    """Exactly `count` prompts from `{"prompts": [...]}`; extra ones are dropped, too few is an error."""
    data = load_json(text)
    if isinstance(data, dict):
        data = next((data[key] for key in _LIST_KEYS if key in data), None)
    if not isinstance(data, list):
        raise LLMBadOutput(f"expected a list of prompts: {_preview(text)}")
    prompts = [_clean(item.get("prompt") if isinstance(item, dict) else item, max_chars) for item in data]
    if len(prompts) < count:
        raise LLMBadOutput(f"expected {count} prompts, got {len(prompts)}")
    return prompts[:count]


def _clean(value: object, max_chars: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LLMBadOutput("a prompt is missing or not a non-empty string")
    cleaned = " ".join(value.split())
    if len(cleaned) > max_chars:
        raise LLMBadOutput(f"a prompt has {len(cleaned)} characters (limit {max_chars})")
    return cleaned


def _preview(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"
