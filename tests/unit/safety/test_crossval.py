"""`crossval`: folds that partition the training file with every label spread evenly, and a whole-filter run
whose pooled supports are the file's label counts."""

from __future__ import annotations

from collections import Counter

from dreamverse.safety.crossval import cross_validate, stratified_folds
from dreamverse.safety.dataset import TRAIN_PATH, Example, load_examples
from dreamverse.safety.train import HYPERPARAMETERS


def test_folds_partition_the_examples_and_spread_each_label() -> None:
    examples = load_examples(TRAIN_PATH)
    folds = stratified_folds(examples, 5, seed=0)
    assert sorted(e.text for fold in folds for e in fold) == sorted(e.text for e in examples)
    totals = Counter(e.label for e in examples)
    for fold in folds:
        counts = Counter(e.label for e in fold)
        for label, total in totals.items():
            assert abs(counts[label] - total / 5) <= 1, (label, counts[label], total)
    assert stratified_folds(examples, 5, seed=0) == folds  # the same seed, the same folds


def test_cross_validate_pools_every_fold() -> None:
    words = ["fox", "river", "snow", "kite", "harbour", "lantern", "meadow", "violin"]
    examples = [Example("safe", f"a {w} at dawn number {i}") for i in range(6) for w in words]
    examples += [Example("sexual", f"explicit porn scene take {i}") for i in range(10)]
    examples += [Example("hate", f"gas the jews chant number {i}") for i in range(10)]
    examples += [Example("minors", f"a child in a sex tape number {i}") for i in range(10)]
    report = cross_validate(examples, folds=5, seed=0, hyperparameters=dict(HYPERPARAMETERS, epoch=5))
    supports = {category: m["support"] for category, m in report["categories"].items()}
    assert supports == {"sexual": 10, "hate": 10, "minors": 10}
    assert report["safe"] == 48 and report["safe_blocked"] == 0
    # every unsafe prompt holds a listed term, so each fold's filter catches all of its share
    assert all(m["recall"] == 1.0 for m in report["categories"].values())
