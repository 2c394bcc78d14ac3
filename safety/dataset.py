"""The labelled prompt set in `safety/data/` and the held-out evaluation.

Files are in fastText's format, one prompt a line: `__label__<safe|sexual|hate> <prompt as written>`.
`train.txt` trains the shipped model; `heldout.txt` is never trained on and gives the numbers in
`safety/README.md`. The split was drawn once (SHA-1 of the prompt modulo 5 == 0 goes to held-out) and is kept
fixed in the repository.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from dreamverse.safety.classifier import LABEL_PREFIX

DATA_DIR = Path(__file__).resolve().parent / "data"
TRAIN_PATH = DATA_DIR / "train.txt"
HELDOUT_PATH = DATA_DIR / "heldout.txt"


@dataclass(frozen=True, slots=True)
class Example:
    label: str  # "safe", "sexual" or "hate"
    text: str


@dataclass(frozen=True, slots=True)
class CategoryMetrics:
    category: str
    precision: float
    recall: float
    support: int  # held-out examples of this category
    predicted: int  # held-out examples blocked as this category


def load_examples(path: Path) -> list[Example]:
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        label, _, text = line.partition(" ")
        if not label.startswith(LABEL_PREFIX) or not text.strip():
            raise ValueError(f"{path}:{number}: expected '__label__<name> <text>'")
        examples.append(Example(label=label[len(LABEL_PREFIX) :], text=text.strip()))
    return examples


def evaluate(
    examples: Iterable[Example], predict: Callable[[str], str | None], categories: Iterable[str]
) -> list[CategoryMetrics]:
    """Precision and recall per category; `predict` returns the blocking category or None."""
    pairs = [(example.label, predict(example.text)) for example in examples]
    metrics = []
    for category in categories:
        true_positive = sum(1 for gold, got in pairs if gold == category and got == category)
        predicted = sum(1 for _, got in pairs if got == category)
        support = sum(1 for gold, _ in pairs if gold == category)
        metrics.append(
            CategoryMetrics(
                category=category,
                precision=true_positive / predicted if predicted else 0.0,
                recall=true_positive / support if support else 0.0,
                support=support,
                predicted=predicted,
            )
        )
    return metrics
