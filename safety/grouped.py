"""Leave-one-file-out estimate of the whole filter on the tuning files: `python -m dreamverse.safety.grouped`.

Each of `heldout.txt` ... `heldout_10.txt` and the eighth round's `round8_*.txt` was written apart by someone
else; after each held-out file was measured its misses were read and a round of training prompts was written
for the kinds it showed. `--files-per-fold N` leaves N consecutive files out of one model (the eighth round's
24 files in six trainings). Cross-validation on
`train.txt` (`crossval.py`) mixes composed prompts that share list items across folds; this estimate asks
instead how the filter does on a file written by someone who never saw what it was trained on. For each file
a model is trained like the shipped one (`train.fit_in_fresh_process`, the same seed) without the training
prompts written after reading that file (`ROUND_LINES`: the line ranges that round appended to `train.txt`,
found in its git history) and, when the tuning files are training data (`train.HELDOUT_WEIGHT`), without
that file and any prompt it shares with another file; the filter with that model is scored on the file it did
not see.

Still optimistic: the rules (`lexicon.py`, `minors.py`, `languages.py`) and the filter's constants were
written after reading every one of these files, and a rule cannot be left out per file. The blind files
(`dataset.BLIND_PATHS`) are never read here.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from dreamverse.safety.classifier import OWN_LABELS, FastTextClassifier
from dreamverse.safety.dataset import (
    BENIGN_CHECK_PATH,
    HELDOUT_PATHS,
    ROUND_8_PATHS,
    TRAIN_PATH,
    Example,
    load_examples,
    load_prompts,
)
from dreamverse.safety.filter import CATEGORIES, SafetyFilter
from dreamverse.safety.train import (
    HELDOUT_WEIGHT,
    fit_in_fresh_process,
    training_examples,
    write_training_file,
)
from dreamverse.safety.tuning import (
    Verdicts,
    add_tuning_arguments,
    apply_tuning_arguments,
    filter_constants,
    safe_blocked,
    verdict_metrics,
    wrong_verdicts,
)

# The lines of `train.txt` (1-based, inclusive) each round appended after reading a file's misses; from
# `git log --numstat -- safety/data/train.txt` (every commit only appended). The first three files were
# read together (8fbd93f, bcda835); `heldout_4`'s round wrote rules only; `heldout_5`: b45070f; `heldout_6`:
# b904b2e; `heldout_7`: bcf4cb4 and c1e25f4; `heldout_8`: 6e2c368 (258e653's short safe prompts answered
# integration-test false blocks, not a file).
FIRST_SESSION = ((2618, 4387),)
ROUND_LINES: dict[str, tuple[tuple[int, int], ...]] = {
    "heldout.txt": FIRST_SESSION,
    "heldout_2.txt": FIRST_SESSION,
    "heldout_3.txt": FIRST_SESSION,
    "heldout_4.txt": (),
    "heldout_5.txt": ((4388, 5389),),
    "heldout_6.txt": ((5390, 9483),),
    "heldout_7.txt": ((9484, 11521),),
    "heldout_8.txt": ((11522, 13849),),
    # blind during the rounds that wrote training lines; their misses were read only in the eighth
    "heldout_9.txt": (),
    "heldout_10.txt": (),
    **{path.name: () for path in ROUND_8_PATHS},
}


THRESHOLD_GRID = (0.3, 0.4, 0.5, 0.6, 0.7)


def without_round(examples: Sequence[Example], left_out: Collection[Path]) -> list[Example]:
    """The training file's examples less the lines written after reading any of `left_out`."""
    ranges = [span for path in left_out for span in ROUND_LINES[path.name]]
    return [e for number, e in enumerate(examples, start=1) if not any(a <= number <= b for a, b in ranges)]


def leave_one_file_out(
    *,
    hyperparameters: dict[str, Any],
    thresholds: dict[str, float],
    heldout_paths: Sequence[Path] = HELDOUT_PATHS,
    seed: int = 1234,
    heldout_weight: int | None = None,
    base: Sequence[Example] | None = None,
    sweep: bool = True,
    files_per_fold: int = 1,
) -> dict[str, Any]:
    """Train one model per left-out file (or per `files_per_fold` consecutive files, all left out together)
    and score the filter on each file its model never saw; per-file and pooled metrics. `base`: the
    training file's examples in file order (default: `train.txt`); `sweep`: also score each category's
    threshold on `THRESHOLD_GRID`."""
    base = load_examples(TRAIN_PATH) if base is None else base
    benign = load_prompts(BENIGN_CHECK_PATH)
    per_file: dict[str, Any] = {}
    sweep_pairs: dict[tuple[str, float], list[tuple[Example, str | None]]] = {}
    sweep_benign: dict[tuple[str, float], int] = {}
    sweep_alone: dict[tuple[str, float], list[tuple[Example, str | None]]] = {}
    sweep_worst: dict[tuple[str, float], float] = {}  # the moved category's lowest precision in a file
    pooled: list[tuple[Example, str | None]] = []
    pooled_alone: list[tuple[Example, str | None]] = []
    folds = [heldout_paths[i : i + files_per_fold] for i in range(0, len(heldout_paths), files_per_fold)]
    with tempfile.TemporaryDirectory() as tmp:
        for number, fold in enumerate(folds):
            # a few prompts are in two files (test_safety_heldout.py): none of the fold's is trained on
            seen = {e.text.lower() for path in fold for e in load_examples(path)}
            kept = [
                e
                for e in training_examples(
                    without_round(base, fold), exclude=set(fold), heldout_weight=heldout_weight
                )
                if e.text.lower() not in seen
            ]
            prepared, model = Path(tmp) / f"train-{number}.txt", Path(tmp) / f"model-{number}.bin"
            write_training_file(kept, prepared, seed)
            fit_in_fresh_process(prepared, model, seed=seed, hyperparameters=hyperparameters)
            classifier = FastTextClassifier.load(model, name=f"fold-{number}", labels=OWN_LABELS)
            # one filter per threshold setting and one benign check per fold model, whatever its file count
            safety = SafetyFilter([classifier], thresholds)
            benign_blocked = [t for t in benign if safety.check(t).blocked]
            moved = {
                (category, value): SafetyFilter([classifier], {**thresholds, category: value})
                for category in (CATEGORIES if sweep else ())
                for value in THRESHOLD_GRID
            }
            for key, moved_safety in moved.items():
                blocked = sum(moved_safety.check(t).blocked for t in benign)
                sweep_benign[key] = sweep_benign.get(key, 0) + blocked
            for path in fold:
                test = load_examples(path)
                got = [(e, safety.check(e.text).category) for e in test]
                alone = [(e, _model_alone(classifier, thresholds, e.text)) for e in test]
                pooled += got
                pooled_alone += alone
                for (category, value), moved_safety in moved.items():
                    key = (category, value)
                    pairs = [(e, moved_safety.check(e.text).category) for e in test]
                    sweep_pairs.setdefault(key, []).extend(pairs)
                    sweep_alone.setdefault(key, []).extend(
                        (e, _model_alone(classifier, moved_safety.thresholds, e.text)) for e in test
                    )
                    file_precision = _metrics(pairs)[category]["precision"]
                    sweep_worst[key] = min(sweep_worst.get(key, 1.0), file_precision)
                per_file[path.name] = {
                    "trained_on": len(kept),
                    "categories": _metrics(got),
                    "model_alone": _metrics(alone),
                    "safe_blocked": safe_blocked(got),
                    "benign_blocked": benign_blocked,
                    "model_bytes": model.stat().st_size,
                    "wrong": wrong_verdicts(got),
                }
    return {
        "hyperparameters": hyperparameters,
        "thresholds": thresholds,
        "heldout_weight": HELDOUT_WEIGHT if heldout_weight is None else heldout_weight,
        "files": per_file,
        "pooled": _metrics(pooled),
        "pooled_model_alone": _metrics(pooled_alone),
        "pooled_safe_blocked": safe_blocked(pooled),
        "pooled_safe": sum(1 for e, _ in pooled if e.label == "safe"),
        # one category's threshold moved at a time, the others as given; benign: blocks summed over models
        "threshold_sweep": {
            f"{category}={value}": {
                "pooled": _metrics(pairs),
                "worst_file_precision": sweep_worst[(category, value)],
                "model_alone": _metrics(sweep_alone[(category, value)]),
                "safe_blocked": safe_blocked(pairs),
                "benign_blocked": sweep_benign[(category, value)],
            }
            for (category, value), pairs in sweep_pairs.items()
        },
    }


def _model_alone(classifier: FastTextClassifier, thresholds: dict[str, float], text: str) -> str | None:
    """The model's verdict without the rules, gates and listed terms: the category furthest over its
    threshold. The rules were written after reading every tuning file; the model of a fold never saw it."""
    scores = classifier.scores(text)
    over = {c: p - thresholds[c] for c, p in scores.items() if c in thresholds and p >= thresholds[c]}
    return max(over, key=over.__getitem__) if over else None


def _metrics(verdicts: Verdicts) -> dict[str, dict[str, float]]:
    return verdict_metrics(verdicts, digits=3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Leave-one-file-out estimate over the tuning files.")
    add_tuning_arguments(parser)
    parser.add_argument(
        "--heldout-weight", type=int, help="times the other tuning files join the training prompts"
    )
    parser.add_argument(
        "--seed", type=int, default=1234, help="shuffle and fastText seed of each fold's model"
    )
    parser.add_argument("--no-sweep", action="store_true", help="skip the threshold sweep")
    parser.add_argument(
        "--files-per-fold",
        type=int,
        default=1,
        help="leave this many consecutive tuning files out of each fold's model (fewer trainings)",
    )
    parser.add_argument(
        "--files",
        nargs="+",
        metavar="NAME",
        help="score only these tuning files (names such as heldout_9.txt; default: all)",
    )
    parser.add_argument("--out", type=Path, help="also write the report (JSON) here")
    args = parser.parse_args(argv)
    tuning = apply_tuning_arguments(parser, args)
    paths = HELDOUT_PATHS
    if args.files:
        unknown = set(args.files) - {path.name for path in HELDOUT_PATHS}
        if unknown:
            parser.error(f"not tuning files: {', '.join(sorted(unknown))}")
        paths = tuple(path for path in HELDOUT_PATHS if path.name in args.files)
    report = leave_one_file_out(
        hyperparameters=tuning.hyperparameters,
        thresholds=tuning.thresholds,
        heldout_paths=paths,
        files_per_fold=args.files_per_fold,
        heldout_weight=args.heldout_weight,
        sweep=not args.no_sweep,
        seed=args.seed,
    )
    report["seed"] = args.seed
    report["constants"] = filter_constants()
    text = json.dumps(report, indent=1)
    if args.out is not None:
        args.out.write_text(text + "\n", encoding="utf-8")
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
