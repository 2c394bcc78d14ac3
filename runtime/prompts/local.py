"""The deterministic local rewriter: no network, same input -> same output. It keeps enhancement, rewrites and
auto-extension working when no LLM provider is configured (and is the last resort of auto-extension)."""

from __future__ import annotations

import hashlib

# Visual detail appended by `enhance`, picked by a hash of the prompt (stable across runs and processes).
_DETAILS = (
    "soft natural light, gentle camera drift, rich textures",
    "golden-hour light, smooth tracking shot, shallow depth of field",
    "cinematic wide framing, subtle film grain, balanced colors",
    "slow dolly-in, crisp detail, atmospheric depth",
    "steady handheld feel, warm tones, lifelike motion",
    "high contrast lighting, clean composition, fluid motion",
)
_CONTINUITY = "keep the same subject, setting and style as the previous segment"

# Story beats used to continue a rollout or to lay out a new one from an idea.
_BEATS = (
    "establishing wide shot that introduces the scene",
    "the camera moves closer to the main subject",
    "the action builds with more movement in the frame",
    "a new angle reveals more of the surroundings",
    "a quiet moment as the motion slows",
    "the camera pulls back for a closing view",
)


def _pick(options: tuple[str, ...], key: str) -> str:
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return options[int.from_bytes(digest[:4], "big") % len(options)]


def _sentence(text: str) -> str:
    return " ".join(text.split()).rstrip(" .,;")


def enhance(prompt: str) -> str:
    """The prompt with consistent cinematic detail appended."""
    return f"{_sentence(prompt)}. {_pick(_DETAILS, prompt).capitalize()}; {_CONTINUITY}."


def rewrite_window(instruction: str, window: list[str]) -> list[str]:
    """Apply the instruction to every prompt of the current rollout."""
    direction = _sentence(instruction)
    return [f"{_sentence(prompt).split('. Direction: ')[0]}. Direction: {direction}." for prompt in window]


def rollout_from_idea(idea: str, count: int) -> list[str]:
    """`count` segment prompts that walk through the idea beat by beat."""
    base = _sentence(idea)
    return [f"{base}. Segment {i + 1} of {count}: {_BEATS[i % len(_BEATS)]}." for i in range(count)]


def auto_extend(history: list[str]) -> str:
    """Continue from the last prompt with the next beat."""
    if not history:
        return f"A calm landscape at dawn. {_BEATS[0].capitalize()}."
    last = _sentence(history[-1]).split(". Next: ")[0]
    return f"{last}. Next: {_BEATS[len(history) % len(_BEATS)]}; {_CONTINUITY}."
