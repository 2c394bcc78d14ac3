"""`SafetyFilter`: every prompt goes through `check` before it may reach the generator."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dreamverse.safety.classifier import (
    DOLMA_HATE_LABELS,
    DOLMA_NSFW_LABELS,
    OWN_LABELS,
    FastTextClassifier,
    dolma_prepare,
)
from dreamverse.safety.lexicon import lexicon_category
from dreamverse.safety.minors import mentions_minor, sexualizes_minor
from dreamverse.safety.settings import SafetySettings
from dreamverse.safety.text import normalize

logger = logging.getLogger(__name__)

CATEGORIES = ("sexual", "hate", "minors")


@dataclass(frozen=True, slots=True)
class SafetyVerdict:
    blocked: bool
    category: str | None  # the category that blocked, or None when allowed
    score: float  # the blocking probability; when allowed, the highest category probability seen


ALLOWED = SafetyVerdict(blocked=False, category=None, score=0.0)


class SafetyFilter:
    """Runs every classifier on a prompt; blocks when any category reaches its threshold.

    `minors` is a category of the model (grooming, school-age framing) and also what a `sexual` block
    becomes when the prompt names someone under 18 (`minors.mentions_minor`). Unambiguous terms (explicit
    sexual words, slurs, calls to kill a group; `lexicon.py`) and a minor named next to sexual, intimate or
    undressing context (`minors.sexualizes_minor`) block even when the model scores low.

    `check` is synchronous and takes well under a millisecond (`benchmarks/safety.py`), so the runtime may
    call it on the event loop. `from_settings` loads model files: call it through `asyncio.to_thread`.
    """

    def __init__(
        self,
        classifiers: Sequence[FastTextClassifier],
        thresholds: Mapping[str, float],
        *,
        enabled: bool = True,
    ) -> None:
        unknown = set(thresholds) - set(CATEGORIES)
        if unknown:
            raise ValueError(f"unknown safety categories {sorted(unknown)}")
        self.classifiers = tuple(classifiers)
        self.thresholds = dict(thresholds)
        self.enabled = enabled

    @classmethod
    def from_settings(cls, settings: SafetySettings) -> SafetyFilter:
        if not settings.safety_enabled:
            logger.warning("safety filter disabled: prompts are not classified")
            return cls([], settings.thresholds(), enabled=False)
        own = FastTextClassifier.load(settings.own_model_path(), name="dreamverse", labels=OWN_LABELS)
        classifiers = [own]
        if settings.safety_dolma_nsfw_path is not None:
            classifiers.append(
                FastTextClassifier.load(
                    settings.safety_dolma_nsfw_path,
                    name="dolma-nsfw",
                    labels=DOLMA_NSFW_LABELS,
                    prepare=dolma_prepare,
                )
            )
        if settings.safety_dolma_hate_path is not None:
            classifiers.append(
                FastTextClassifier.load(
                    settings.safety_dolma_hate_path,
                    name="dolma-hate",
                    labels=DOLMA_HATE_LABELS,
                    prepare=dolma_prepare,
                )
            )
        return cls(classifiers, settings.thresholds())

    def check(self, text: str) -> SafetyVerdict:
        """Classify one prompt. Blocked when a category's probability reaches its threshold."""
        if not self.enabled:
            return ALLOWED
        worst: tuple[float, str] | None = None  # (margin over threshold, category) of a block
        best_score, best_category = 0.0, None
        for classifier in self.classifiers:
            for category, score in classifier.scores(text).items():
                threshold = self.thresholds.get(category, 1.0)
                if score >= threshold and (worst is None or score - threshold > worst[0]):
                    worst = (score - threshold, category)
                    best_score, best_category = score, category
                elif worst is None and score > best_score:
                    best_score = score
        normalized = normalize(text)
        listed = lexicon_category(normalized, sexualizes_minor(normalized))
        if worst is None and listed is None:
            return SafetyVerdict(blocked=False, category=None, score=best_score)
        if worst is None:
            best_category, best_score = listed, 1.0
        if listed == "minors" or (best_category == "sexual" and mentions_minor(normalized)):
            best_category = "minors"  # sexual content that involves anyone under 18
        return SafetyVerdict(blocked=True, category=best_category, score=best_score)

    def describe(self) -> dict[str, object]:
        """For `/status` and `/readyz`: which models are loaded and the thresholds."""
        return {
            "enabled": self.enabled,
            "models": [c.name for c in self.classifiers],
            "thresholds": dict(self.thresholds),
        }
