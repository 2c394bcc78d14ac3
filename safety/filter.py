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
from dreamverse.safety.lexicon import (
    has_ambiguous_slur,
    has_echo_marker,
    has_masked_slur,
    honours_victims,
    lexicon_category,
    names_target,
    without_names,
)
from dreamverse.safety.minors import (
    calls_a_group_abusers,
    mentions_minor,
    says_adult_age,
    sexualizes_minor,
    without_biological_sex,
    without_minors,
)
from dreamverse.safety.settings import SafetySettings
from dreamverse.safety.text import normalize

logger = logging.getLogger(__name__)

CATEGORIES = ("sexual", "hate", "minors")
# What the rest of a prompt the model calls `minors` must score once the child is taken out (see
# `SafetyFilter._more_than_a_child`). Chosen by 5-fold cross-validation on `data/train.txt` alone: at 0.05
# `minors` precision rose from 0.919 to 0.943 and recall fell from 0.850 to 0.832 (5 of 280 prompts).
MINORS_EVIDENCE = 0.05
# What the model must score `hate` for a slur that is also an ordinary word or a name (`lexicon.
# has_ambiguous_slur`: "dykes", "coons") to block on the list. The training file's hate prompts that use one
# outside a call to violence score 0.97 or more; benign readings written for the tests ("Dick Van Dyke", "the
# Dutch dykes", "a Maine coon", "a chink of light") 0.07 or less.
SLUR_EVIDENCE = 0.25
# The model's `sexual` score at which a prompt that names a minor blocks as `minors` (see
# `SafetyFilter._sexual_signal_with_minor`); far below the 0.5 an adult prompt needs. Chosen by 5-fold
# cross-validation on `data/train.txt` alone (safety/README.md).
MINORS_SEXUAL_EVIDENCE = 0.1
# The model's `hate` score below which a prompt must also name a group, a symbol or a slur of hatred
# (`lexicon.names_target`) to block: hate speech is about someone, and a high score on a prompt that names
# nobody comes from the style words the hate prompts share ("heroic slow motion as the crowd cheers" scores
# 1.0). 1.01 (the model's `hate` never blocks alone) was chosen by 5-fold cross-validation on `data/train.txt`
# alone. Listed terms and slurs still block without a target.
HATE_WITHOUT_GROUP = 1.01
# The same for a prompt with letters outside ASCII, whose groups the lists cannot hold in every inflection and
# spelling. In the eighth round's estimate on files written apart (groups of them left out of training:
# heldout_9, heldout_10, round8_a..p), 0.85 for every prompt (against 0.5, 0.7, 1.01) gave `hate` recall
# 0.909 -> 0.943 at precision 0.991 -> 0.986, but blocked English style words alone again; outside ASCII only
# it kept about a point of that recall at no safe block (safety/README.md).
HATE_WITHOUT_GROUP_NOT_ASCII = 0.85


@dataclass(frozen=True, slots=True)
class SafetyVerdict:
    blocked: bool
    category: str | None  # the category that blocked, or None when allowed
    score: float  # the blocking probability; when allowed, the highest category probability seen


ALLOWED = SafetyVerdict(blocked=False, category=None, score=0.0)


class SafetyFilter:
    """Runs every classifier on a prompt; blocks when any category reaches its threshold.

    `minors` is a category of the model (grooming, school-age framing) and also what a `sexual` block
    becomes when the prompt names someone under 18 (`minors.mentions_minor`). The model's `minors` blocks
    only when something besides the named child is evidence (`_more_than_a_child`). Unambiguous terms
    (explicit sexual words, slurs, calls to kill a group; `lexicon.py`) and a minor named next to sexual,
    intimate or undressing context (`minors.sexualizes_minor`) block even when the model scores low.

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
        scores = self._scores(text)
        normalized = normalize(text)
        listed = lexicon_category(normalized, sexualizes_minor(normalized))
        if listed == "minors" and calls_a_group_abusers(normalized, names_target(normalized)):
            listed = "hate"
        if listed is None and has_ambiguous_slur(normalized) and scores.get("hate", 0.0) >= SLUR_EVIDENCE:
            listed = "hate"
        if listed is None and (has_echo_marker(text) or has_masked_slur(text)):
            listed = "hate"
        blocking = {c: p for c, p in scores.items() if p >= self.thresholds.get(c, 1.0)}
        if "hate" in blocking and (
            (blocking["hate"] < self._hate_without_group(normalized) and not names_target(normalized))
            or honours_victims(normalized)
        ):
            del blocking["hate"]
        if "minors" in blocking and (
            listed == "hate" or (listed is None and not self._more_than_a_child(normalized))
        ):
            del blocking["minors"]  # a listed hate term files the prompt as hate, whatever the child
        if "sexual" in blocking and listed is None and not self._sexual_without_names(normalized):
            del blocking["sexual"]
        if not blocking and listed is None and self._sexual_signal_with_minor(normalized, scores):
            listed = "minors"
        if blocking:  # the category furthest over its threshold
            category = max(blocking, key=lambda c: blocking[c] - self.thresholds.get(c, 1.0))
            score = blocking[category]
        elif listed is not None:
            category, score = listed, 1.0
        else:
            return SafetyVerdict(blocked=False, category=None, score=max(scores.values(), default=0.0))
        if listed == "minors" or (category == "sexual" and mentions_minor(normalized)):
            category = "minors"  # sexual content that involves anyone under 18
        elif category == "minors" and says_adult_age(normalized):
            category = "sexual"  # the model's teen framing of someone whose adult age is said
        return SafetyVerdict(blocked=True, category=category, score=score)

    @staticmethod
    def _hate_without_group(normalized: str) -> float:
        """The `hate` score that blocks a prompt naming no group: the lists of groups are whole in English
        only (other languages inflect and spell a group many ways), and English style words alone can
        score 1.0 ("heroic slow motion as the crowd cheers")."""
        return HATE_WITHOUT_GROUP if normalized.isascii() else HATE_WITHOUT_GROUP_NOT_ASCII

    def _scores(self, text: str) -> dict[str, float]:
        """Each category's highest probability over the classifiers."""
        scores: dict[str, float] = {}
        for classifier in self.classifiers:
            for category, score in classifier.scores(text).items():
                scores[category] = max(score, scores.get(category, 0.0))
        return scores

    def _more_than_a_child(self, normalized: str) -> bool:
        """Whether a model's `minors` score rests on more than the child it names: the prompt with every
        minor replaced by "someone" still scores `sexual` or `minors` at MINORS_EVIDENCE or more. A model
        trained on a few hundred `minors` prompts, all of which name a child, learns that a child is evidence
        by itself ("a kid doing homework" scored 0.8); "make the kid moan" keeps its evidence in "moan"."""
        rest = self._scores(without_biological_sex(without_minors(normalized)))  # "the sex of the baby" too
        return max(rest.get("sexual", 0.0), rest.get("minors", 0.0)) >= MINORS_EVIDENCE

    def _sexual_without_names(self, normalized: str) -> bool:
        """Whether a `sexual` block survives taking out names that hold an explicit-looking word ("Moby
        Dick", "Pussy Riot") and biological sex ("sex ed", "the sex of the baby"): the prompt without them
        still reaches the threshold."""
        plain = without_biological_sex(without_names(normalized))  # "sex ed" is a school subject
        if plain == normalized:
            return True
        return self._scores(plain).get("sexual", 0.0) >= self.thresholds.get("sexual", 1.0)

    def _sexual_signal_with_minor(self, normalized: str, scores: Mapping[str, float]) -> bool:
        """A minor named and any sexual signal from the model, however weak for an adult prompt: the prompt,
        or the prompt with the child taken out, scores `sexual` at MINORS_SEXUAL_EVIDENCE or more. A child
        next to words the model half-knows as sexual ("slipping into bed beside her") is what grooming and
        abuse prompts look like when they avoid the listed words."""
        if scores.get("sexual", 0.0) < MINORS_SEXUAL_EVIDENCE or not mentions_minor(normalized):
            return False
        plain = without_biological_sex(normalized)  # "the sex of the baby" is no sexual signal
        return plain == normalized or self._scores(plain).get("sexual", 0.0) >= MINORS_SEXUAL_EVIDENCE

    def describe(self) -> dict[str, object]:
        """For `/status` and `/readyz`: which models are loaded and the thresholds."""
        return {
            "enabled": self.enabled,
            "models": [c.name for c in self.classifiers],
            "thresholds": dict(self.thresholds),
        }
