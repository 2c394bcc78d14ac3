"""One fastText classifier and the meaning of its labels.

A model's labels are mapped once, at load time, to either "safe" (`None`) or a category (`"sexual"`,
`"hate"`, `"minors"`).
Labels are compared whole, never by substring: `non-nsfw` contains `nsfw` and `non-toxic`
contains `toxic`, and both are safe.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dreamverse.safety.errors import SafetyModelError, UnknownLabelError
from dreamverse.safety.text import normalize, one_line

logger = logging.getLogger(__name__)

LABEL_PREFIX = "__label__"

# Our own model (trained by `dreamverse.safety.train`).
OWN_LABELS: Mapping[str, str | None] = {"safe": None, "sexual": "sexual", "hate": "hate", "minors": "minors"}
# Dolma's jigsaw fastText taggers.
DOLMA_NSFW_LABELS: Mapping[str, str | None] = {"non-nsfw": None, "nsfw": "sexual"}
DOLMA_HATE_LABELS: Mapping[str, str | None] = {"non-toxic": None, "toxic": "hate"}


@dataclass(frozen=True, slots=True)
class FastTextClassifier:
    """A loaded fastText model plus its label semantics and text preparation."""

    name: str
    model: Any  # fasttext.FastText._FastText (the package ships no type information)
    labels: Mapping[str, str | None]  # label without `__label__` -> category, None = safe
    prepare: Callable[[str], str]

    @classmethod
    def load(
        cls,
        path: Path,
        *,
        name: str,
        labels: Mapping[str, str | None],
        prepare: Callable[[str], str] = normalize,
    ) -> FastTextClassifier:
        """Load `path` (blocking, run it off the event loop) and check that every label is understood."""
        started = time.perf_counter()
        model = _load_fasttext(path)
        model_labels = [_strip(label) for label in model.get_labels()]
        unknown = sorted(set(model_labels) - set(labels))
        if unknown:
            expected = sorted(labels)
            raise UnknownLabelError(f"{name} model {path} has labels {unknown}; expected some of {expected}")
        logger.info(
            "loaded safety model %s from %s (labels %s) in %.2f s",
            name,
            path,
            model_labels,
            time.perf_counter() - started,
        )
        return cls(name=name, model=model, labels=dict(labels), prepare=prepare)

    def scores(self, text: str) -> dict[str, float]:
        """Probability per category this model knows (categories absent from the output score 0)."""
        prepared = self.prepare(text)
        result = dict.fromkeys((c for c in self.labels.values() if c is not None), 0.0)
        if not prepared:
            return result
        labels, probs = self.model.predict(prepared, k=-1, threshold=0.0)
        for label, prob in zip(labels, probs, strict=True):
            category = self.labels.get(_strip(label))
            if category is not None:
                result[category] = max(result[category], min(1.0, float(prob)))
        return result


def dolma_prepare(text: str) -> str:
    """Dolma's taggers see the text as written, on one line."""
    return one_line(text)


def _strip(label: str) -> str:
    return label[len(LABEL_PREFIX) :] if label.startswith(LABEL_PREFIX) else label


def _load_fasttext(path: Path) -> Any:
    import fasttext  # imported lazily: loading the C extension is not free

    if not path.is_file():
        raise SafetyModelError(f"safety model not found: {path}")
    try:
        return fasttext.load_model(str(path))
    except (ValueError, RuntimeError, OSError) as exc:
        raise SafetyModelError(f"cannot load fastText model {path}: {exc}") from exc
