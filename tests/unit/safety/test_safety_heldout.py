"""The shipped filter on the held-out prompts, and the reproducibility of the model's training.

Targets: precision >= 0.95 for every category, recall >= 0.95 for `minors` and >= 0.9 for the others.
`data/heldout.txt` was written apart from the training data and measured once (safety/README.md)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dreamverse.safety import CATEGORIES, DEFAULT_MODEL_PATH, SafetyFilter, SafetySettings
from dreamverse.safety.dataset import HELDOUT_PATH, TRAIN_PATH, add_examples, evaluate, load_examples
from dreamverse.safety.train import train


@pytest.fixture(scope="module")
def safety() -> SafetyFilter:
    return SafetyFilter.from_settings(SafetySettings())


RECALL_TARGETS = {"sexual": 0.9, "hate": 0.9, "minors": 0.95}
PRECISION_TARGET = 0.95
MINORS_RECALL_MISSED = pytest.mark.xfail(
    strict=True, reason="held-out minors recall 0.857 (30 of 35) is below the 0.95 target; safety/README.md"
)


def heldout_metrics(safety: SafetyFilter) -> dict[str, object]:
    examples = load_examples(HELDOUT_PATH)
    return {m.category: m for m in evaluate(examples, lambda t: safety.check(t).category, CATEGORIES)}


@pytest.mark.parametrize("category", CATEGORIES)
def test_heldout_precision(safety: SafetyFilter, category: str) -> None:
    m = heldout_metrics(safety)[category]
    assert m.support >= 30  # type: ignore[attr-defined]
    assert m.precision >= PRECISION_TARGET, f"{category} precision {m.precision:.3f}"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "category", [pytest.param(c, marks=MINORS_RECALL_MISSED) if c == "minors" else c for c in CATEGORIES]
)
def test_heldout_recall(safety: SafetyFilter, category: str) -> None:
    m = heldout_metrics(safety)[category]
    assert m.recall >= RECALL_TARGETS[category], f"{category} recall {m.recall:.3f}"  # type: ignore[attr-defined]


def test_heldout_is_apart_from_training_and_labelled() -> None:
    train_set, heldout = load_examples(TRAIN_PATH), load_examples(HELDOUT_PATH)
    assert not {e.text.lower() for e in train_set} & {e.text.lower() for e in heldout}
    for examples in (train_set, heldout):
        assert {e.label for e in examples} == {"safe", *CATEGORIES}


def test_add_examples_appends_to_training_and_skips_known_prompts(tmp_path: Path) -> None:
    train_file = tmp_path / "train.txt"
    train_file.write_text("__label__safe a fox in the snow\n", encoding="utf-8")
    held_out = load_examples(HELDOUT_PATH)[0].text
    texts = [f"prompt number {i}" for i in range(40)] + ["A Fox in the  snow", "", held_out.upper()]
    assert add_examples("safe", texts, train_file) == (40, 2)
    assert len(load_examples(train_file)) == 41
    with pytest.raises(ValueError, match="unknown label"):
        add_examples("violent", ["x"], train_file)


def test_shipped_model_is_small_and_reproducible(tmp_path: Path) -> None:
    assert DEFAULT_MODEL_PATH.stat().st_size <= 20 * 2**20
    retrained = train(TRAIN_PATH, tmp_path / "model.bin", seed=1234)
    digest = hashlib.sha256(retrained.read_bytes()).hexdigest()
    assert digest == hashlib.sha256(DEFAULT_MODEL_PATH.read_bytes()).hexdigest()
