"""What sessions share: the prompt service, the safety filter, image checks. Built once by the app."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Protocol

from dreamverse.runtime.errors import SafetyRejected
from dreamverse.runtime.protocol.client import InitialImage
from dreamverse.runtime.protocol.images import decode_initial_image


class PromptResultLike(Protocol):
    text: str
    source: Any
    fallback_used: bool
    error: str | None
    latency_ms: float
    model: str | None


class RewriteResultLike(Protocol):
    prompts: list[str]
    fallback_used: bool
    error: str | None
    model: str | None
    latency_ms: float
    raw_output: str | None


class PromptServiceLike(Protocol):
    @property
    def mode(self) -> str: ...

    async def enhance(
        self, prompt: str, *, recent: list[str], model: str | None, temperature: float | None
    ) -> PromptResultLike: ...

    async def rewrite_rollout(
        self, instruction: str, window: list[str], *, count: int, model: str | None, temperature: float | None
    ) -> RewriteResultLike: ...

    async def auto_extend(
        self, history: list[str], *, model: str | None, temperature: float | None
    ) -> PromptResultLike: ...


class VerdictLike(Protocol):
    blocked: bool
    category: str | None
    score: float


class SafetyLike(Protocol):
    def check(self, text: str) -> VerdictLike: ...


@dataclass(frozen=True, slots=True)
class SessionServices:
    prompts: PromptServiceLike
    safety: SafetyLike | None
    max_image_bytes: int
    max_image_pixels: int

    async def decode_image(self, image: InitialImage) -> bytes:
        return await asyncio.to_thread(
            decode_initial_image, image, max_bytes=self.max_image_bytes, max_pixels=self.max_image_pixels
        )

    def check_safety(self, text: str, *, prompt_id: str | None = None) -> None:
        """Raise `SafetyRejected` for a blocked prompt. fastText takes microseconds: fine on the loop."""
        if self.safety is None:
            return
        verdict = self.safety.check(text)
        if verdict.blocked:
            message = f"prompt blocked by the safety filter ({verdict.category})"
            raise SafetyRejected(message, verdict.category, prompt_id)
