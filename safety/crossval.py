"""K-fold cross-validation of the whole filter on the training file: `python -m dreamverse.safety.crossval`.

Used to choose the fastText hyperparameters in `train.HYPERPARAMETERS` and the filter's constants without
looking at any held-out file. Each fold's model is trained exactly like the shipped one (`train.train`, a
fresh process, the same seed) on the other folds, wrapped in a `SafetyFilter` with the default thresholds
(so the rules take part), and scored on the fold it did not see. Folds are drawn per label with a fixed seed.
Prints per-category precision / recall pooled over all folds and how many safe prompts were blocked.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dreamverse.safety.classifier import LABEL_PREFIX, OWN_LABELS, FastTextClassifier
from dreamverse.safety.dataset import TRAIN_PATH, Example, load_examples
from dreamverse.safety.filter import SafetyFilter
from dreamverse.safety.settings import SafetySettings
from dreamverse.safety.train import train
from dreamverse.safety.tuning import (
    add_tuning_arguments,
    apply_tuning_arguments,
    filter_constants,
    safe_blocked,
    verdict_metrics,
    wrong_verdicts,
)


def stratified_folds(examples: Sequence[Example], folds: int, seed: int) -> list[list[Example]]:
    """`folds` lists with each label spread evenly over them (a fixed shuffle per label)."""
    rng = random.Random(seed)
    out: list[list[Example]] = [[] for _ in range(folds)]
    for label in sorted({e.label for e in examples}):
        group = [e for e in examples if e.label == label]
        rng.shuffle(group)
        for index, example in enumerate(group):
            out[index % folds].append(example)
    return out


def cross_validate(
    examples: Sequence[Example],
    *,
    folds: int,
    seed: int,
    hyperparameters: dict[str, Any],
    thresholds: dict[str, float] | None = None,
) -> dict[str, Any]:
    parts = stratified_folds(examples, folds, seed)
    predictions: list[tuple[Example, str | None]] = []
    model_bytes = 0
    with tempfile.TemporaryDirectory() as tmp:
        for index, test in enumerate(parts):
            train_file = Path(tmp) / f"train-{index}.txt"
            rest = [e for j, part in enumerate(parts) if j != index for e in part]
            train_file.write_text("".join(f"{LABEL_PREFIX}{e.label} {e.text}\n" for e in rest), "utf-8")
            model = train(
                train_file, Path(tmp) / f"model-{index}.bin", seed=1234, hyperparameters=hyperparameters
            )
            model_bytes = model.stat().st_size
            classifier = FastTextClassifier.load(model, name=f"fold{index}", labels=OWN_LABELS)
            safety = SafetyFilter([classifier], thresholds or SafetySettings().thresholds())
            predictions += [(e, safety.check(e.text).category) for e in test]
    return {
        "hyperparameters": hyperparameters,
        "thresholds": thresholds or SafetySettings().thresholds(),
        "constants": filter_constants(),
        "folds": folds,
        "model_bytes": model_bytes,
        "categories": verdict_metrics(predictions, digits=4),
        "safe_blocked": safe_blocked(predictions),
        "safe": sum(1 for e, _ in predictions if e.label == "safe"),
        "wrong": wrong_verdicts(predictions),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="K-fold cross-validation of the filter on the training file."
    )
    parser.add_argument("--train", type=Path, default=TRAIN_PATH)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0, help="fold assignment seed")
    add_tuning_arguments(parser)
    args = parser.parse_args(argv)
    tuning = apply_tuning_arguments(parser, args)
    report = cross_validate(
        load_examples(args.train),
        folds=args.folds,
        seed=args.seed,
        hyperparameters=tuning.hyperparameters,
        thresholds=tuning.thresholds,
    )
    sys.stdout.write(json.dumps(report) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
