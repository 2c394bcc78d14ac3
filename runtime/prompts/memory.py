"""Prompt memory of one session: the seed rollout, prompts waiting for a segment, and what each segment used.

Pure data and rules, no I/O. The director asks `next_prompt(segment_idx)` at each segment boundary:
a ready user prompt wins; then the next seed prompt; past the seeds, the seeds wrap when looping; otherwise
there is no prompt (the director auto-extends or waits for the user).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Literal

PromptSource = Literal["curated", "user_enhanced", "user_raw", "auto_llm"]


@dataclass(frozen=True, slots=True)
class ReadyPrompt:
    prompt_id: str
    text: str
    source: PromptSource
    fallback_used: bool = False


@dataclass(frozen=True, slots=True)
class PromptChoice:
    """The prompt a segment is rendered from, and where it came from."""

    text: str
    source: PromptSource
    prompt_id: str | None = None
    fallback_used: bool = False
    seed_prompt_index: int | None = None
    loop_iteration: int = 0


@dataclass(slots=True)
class PromptMemory:
    seed_prompts: list[str] = field(default_factory=list)
    original_seed_prompts: list[str] = field(default_factory=list)
    preset_id: str | None = None
    preset_label: str | None = None
    ready: deque[ReadyPrompt] = field(default_factory=deque)
    enhancing: set[str] = field(default_factory=set)  # prompt ids still with the enhancer
    history: list[PromptChoice] = field(default_factory=list)  # of the current rollout, by segment
    seed_cursor: int = 0
    loop_iteration: int = 0

    @classmethod
    def from_seeds(cls, prompts: list[str], preset_id: str | None, preset_label: str | None) -> PromptMemory:
        return cls(list(prompts), list(prompts), preset_id, preset_label)

    @property
    def pending_count(self) -> int:
        return len(self.ready) + len(self.enhancing)

    def start_rollout(self) -> None:
        """A fresh segment 0: the seeds play from the beginning again."""
        self.history.clear()
        self.seed_cursor = 0
        self.loop_iteration = 0

    def replace_seeds(self, prompts: list[str]) -> None:
        self.seed_prompts = list(prompts)

    def reset_to_original(self) -> tuple[int, int]:
        """Restore the seeds the session started with; drop waiting user prompts.

        Returns how many (raw, ready) prompts were dropped.
        """
        dropped = (len(self.enhancing), len(self.ready))
        self.seed_prompts = list(self.original_seed_prompts)
        self.ready.clear()
        self.enhancing.clear()
        return dropped

    def drop_pending(self) -> tuple[int, int]:
        dropped = (len(self.enhancing), len(self.ready))
        self.ready.clear()
        self.enhancing.clear()
        return dropped

    def next_prompt(self, *, loop: bool) -> PromptChoice | None:
        if self.ready:
            user = self.ready.popleft()
            return PromptChoice(
                user.text, user.source, user.prompt_id, user.fallback_used, None, self.loop_iteration
            )
        if self.seed_cursor >= len(self.seed_prompts) and loop and self.seed_prompts:
            self.seed_cursor = 0
            self.loop_iteration += 1
        if self.seed_cursor < len(self.seed_prompts):
            index = self.seed_cursor
            self.seed_cursor += 1
            return PromptChoice(self.seed_prompts[index], "curated", None, False, index, self.loop_iteration)
        return None

    def record(self, choice: PromptChoice) -> None:
        self.history.append(choice)

    def recent_texts(self, count: int = 4) -> list[str]:
        return [choice.text for choice in self.history[-count:]]
