"""What sessions share: prompt service, safety filter, image checks, segment stores. Built once by the app."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from dreamverse.runtime.errors import SafetyRejected
from dreamverse.runtime.prompts.service import PromptService
from dreamverse.runtime.protocol.client import InitialImage
from dreamverse.runtime.protocol.images import decode_initial_image
from dreamverse.runtime.segments.root import SegmentStores
from dreamverse.safety.filter import SafetyFilter


@dataclass(frozen=True, slots=True)
class SessionServices:
    prompts: PromptService
    safety: SafetyFilter | None
    max_image_bytes: int
    max_image_pixels: int
    segments: SegmentStores

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
