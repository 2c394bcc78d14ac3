"""The shipped model on the repository's held-out split, and the reproducibility of its training."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dreamverse.safety import CATEGORIES, DEFAULT_MODEL_PATH, SafetyFilter, SafetySettings
from dreamverse.safety.dataset import (
    HELDOUT_PATH,
    TRAIN_PATH,
    add_examples,
    evaluate,
    is_heldout,
    load_examples,
)
from dreamverse.safety.train import train


@pytest.fixture(scope="module")
def safety() -> SafetyFilter:
    return SafetyFilter.from_settings(SafetySettings())


@pytest.mark.parametrize("category", CATEGORIES)
def test_heldout_precision_and_recall(safety: SafetyFilter, category: str) -> None:
    metrics = {
        m.category: m
        for m in evaluate(load_examples(HELDOUT_PATH), lambda t: safety.check(t).category, CATEGORIES)
    }
    m = metrics[category]
    assert m.support >= 30
    assert m.precision >= 0.9, f"{category} precision {m.precision:.3f}"
    assert m.recall >= 0.9, f"{category} recall {m.recall:.3f}"


def test_split_is_disjoint_and_labelled() -> None:
    train_set, heldout = load_examples(TRAIN_PATH), load_examples(HELDOUT_PATH)
    assert not {e.text.lower() for e in train_set} & {e.text.lower() for e in heldout}
    for examples in (train_set, heldout):
        assert {e.label for e in examples} == {"safe", *CATEGORIES}


def test_split_follows_the_fixed_rule() -> None:
    """Every prompt sits where SHA-1(prompt) % 5 puts it, old and newly added alike."""
    assert all(not is_heldout(e.text) for e in load_examples(TRAIN_PATH))
    assert all(is_heldout(e.text) for e in load_examples(HELDOUT_PATH))


def test_add_examples_splits_by_the_rule_and_skips_known_prompts(tmp_path: Path) -> None:
    train_file, heldout_file = tmp_path / "train.txt", tmp_path / "heldout.txt"
    train_file.write_text("__label__safe a fox in the snow\n", encoding="utf-8")
    heldout_file.write_text("", encoding="utf-8")
    texts = [f"prompt number {i}" for i in range(40)] + ["A Fox in the  snow", ""]
    to_train, to_heldout, skipped = add_examples("safe", texts, train_file, heldout_file)
    assert (to_train + to_heldout, skipped) == (40, 1) and to_heldout > 0
    assert all(not is_heldout(e.text) for e in load_examples(train_file))
    assert all(is_heldout(e.text) for e in load_examples(heldout_file))
    with pytest.raises(ValueError, match="unknown label"):
        add_examples("violent", ["x"], train_file, heldout_file)


def test_shipped_model_is_small_and_reproducible(tmp_path: Path) -> None:
    assert DEFAULT_MODEL_PATH.stat().st_size <= 20 * 2**20
    retrained = train(TRAIN_PATH, tmp_path / "model.bin", seed=1234)
    digest = hashlib.sha256(retrained.read_bytes()).hexdigest()
    assert digest == hashlib.sha256(DEFAULT_MODEL_PATH.read_bytes()).hexdigest()
