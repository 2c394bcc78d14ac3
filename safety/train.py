"""Train the shipped prompt-safety model: `python -m dreamverse.safety.train`.

Reproducible: the training lines are shuffled with a fixed seed, fastText runs on one thread with a fixed
seed in a fresh Python process, so the same data gives the same model file byte for byte. Prints the
precision and recall on each held-out file and the benign-check false-positive rate (copy them into
`safety/README.md`).

Why a fresh process: fastText 0.9.2 is deterministic only in a process that has not trained before. A second
`train_supervised` in the same process now and then aborts with "Encountered NaN" or, worse, silently gives a
different model (measured: 10 trainings in one process gave 6 different files; 10 fresh processes gave one).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import subprocess
import sys
import tempfile
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from dreamverse.safety.classifier import LABEL_PREFIX, OWN_LABELS, FastTextClassifier
from dreamverse.safety.dataset import (
    BENIGN_CHECK_PATH,
    HELDOUT_PATHS,
    TRAIN_PATH,
    Example,
    evaluate,
    load_examples,
    load_prompts,
    never_trained_on,
)
from dreamverse.safety.filter import CATEGORIES, SafetyFilter
from dreamverse.safety.settings import DEFAULT_MODEL_PATH, SafetySettings
from dreamverse.safety.text import normalize

logger = logging.getLogger(__name__)

# fastText hyperparameters of the shipped model. Subword n-grams (minn/maxn) make it robust to spelling
# variants; a small bucket count keeps the file a few megabytes. `loss="ova"` (one sigmoid per label, not
# one softmax over all three) makes text with no evidence score low for every label: with softmax the
# probabilities sum to one, so a prompt the model knows little about ("video", "seed one") was pushed toward
# whichever label its few tokens leaned to. Chosen by measurement (safety/README.md, "False positives");
# minn/maxn, wordNgrams, epoch and dim barely mattered once the data had short prompts, and still did not in
# the fourth round's 5-fold cross-validation of the whole filter (`crossval.py`, safety/README.md), nor in the
# seventh round's leave-one-file-out estimate (`grouped.py`: wordNgrams 1 and 3, char n-grams 2-6, dim 64,
# epoch 25 within about 0.01 of these, none better).
HYPERPARAMETERS: dict[str, Any] = {
    "epoch": 40,
    "lr": 0.25,
    "dim": 32,
    "wordNgrams": 2,
    "minn": 3,
    "maxn": 5,
    "bucket": 50_000,
    "loss": "ova",
    "thread": 1,
    "verbose": 0,
}


# How many times each tuning file's prompts (`dataset.HELDOUT_PATHS`) join the training prompts; 0: never
# trained on. Chosen by the leave-one-file-out estimate (`grouped.py`, safety/README.md).
HELDOUT_WEIGHT = 3


def training_examples(
    base: list[Example], *, exclude: Collection[Path] = (), heldout_weight: int | None = None
) -> list[Example]:
    """The training prompts: `base` (the training file) and, `heldout_weight` times each, the tuning files'
    prompts except `exclude` (the files a leave-one-file-out fold scores); a prompt a blind file or a check
    list has too (written twice by chance) is left out."""
    weight = HELDOUT_WEIGHT if heldout_weight is None else heldout_weight
    extra = [e for path in HELDOUT_PATHS if path not in exclude for e in load_examples(path)]
    untrainable = never_trained_on()
    return [e for e in (*base, *(extra * weight)) if e.text.lower() not in untrainable]


def write_training_file(examples: list[Example], path: Path, seed: int) -> None:
    shuffled = list(examples)
    random.Random(seed).shuffle(shuffled)
    lines = [f"{LABEL_PREFIX}{example.label} {normalize(example.text)}" for example in shuffled]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


NAN_EXIT = 3  # the child's exit status when fastText aborted with "Encountered NaN"


def train(
    train_path: Path,
    out_path: Path,
    *,
    seed: int,
    hyperparameters: dict[str, Any] | None = None,
    attempts: int = 5,
) -> Path:
    """Train on `train_path` and write the model to `out_path` (see `fit_in_fresh_process`)."""
    examples = training_examples(load_examples(train_path))
    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "train.txt"
        write_training_file(examples, prepared, seed)
        fit_in_fresh_process(
            prepared, out_path, seed=seed, hyperparameters=hyperparameters, attempts=attempts
        )
    logger.info("trained on %d prompts -> %s", len(examples), out_path)
    return out_path


def fit_in_fresh_process(
    prepared: Path,
    out_path: Path,
    *,
    seed: int,
    hyperparameters: dict[str, Any] | None = None,
    attempts: int = 5,
) -> Path:
    """Run fastText on an already labelled file in a fresh child process (see the module docstring); a child
    that hits fastText's spurious "Encountered NaN" is retried in a new one."""
    params = json.dumps(HYPERPARAMETERS if hyperparameters is None else hyperparameters)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    child = [sys.executable, "-m", "dreamverse.safety.train", "--fit-child"]
    child += [str(prepared), str(out_path), str(seed), params]
    for attempt in range(1, attempts + 1):
        done = subprocess.run(child, check=False)
        if done.returncode == 0:
            return out_path
        if done.returncode != NAN_EXIT or attempt == attempts:
            raise RuntimeError(f"fastText training failed (exit status {done.returncode})")
        logger.warning("fastText run %d aborted with NaN; retrying in a fresh process", attempt)
    return out_path


def _fit_child(prepared: Path, out_path: Path, seed: int, params: dict[str, Any]) -> int:
    """One fastText run, in the fresh process `train` started."""
    import fasttext

    try:
        model = fasttext.train_supervised(input=str(prepared), seed=seed, **params)
    except RuntimeError as exc:
        if "NaN" in str(exc):
            return NAN_EXIT
        raise
    model.save_model(str(out_path))
    return 0


def heldout_report(
    model_path: Path, heldout_paths: Sequence[Path], settings: SafetySettings
) -> dict[str, Any]:
    classifier = FastTextClassifier.load(model_path, name="dreamverse", labels=OWN_LABELS)
    safety = SafetyFilter([classifier], settings.thresholds())
    benign = load_prompts(BENIGN_CHECK_PATH)
    false_positives = [text for text in benign if safety.check(text).blocked]
    return {
        "model": str(model_path),
        "model_sha256": hashlib.sha256(model_path.read_bytes()).hexdigest(),
        "model_bytes": model_path.stat().st_size,
        "thresholds": settings.thresholds(),
        "heldout": {path.name: _heldout_metrics(safety, path) for path in heldout_paths},
        "benign_check": {
            "prompts": len(benign),
            "blocked": len(false_positives),
            "false_positive_rate": round(len(false_positives) / len(benign), 4) if benign else 0.0,
            "blocked_prompts": false_positives,
        },
    }


def _heldout_metrics(safety: SafetyFilter, path: Path) -> list[dict[str, Any]]:
    metrics = evaluate(load_examples(path), lambda text: safety.check(text).category, CATEGORIES)
    return [
        {
            "category": m.category,
            "precision": round(m.precision, 4),
            "recall": round(m.recall, 4),
            "support": m.support,
            "predicted": m.predicted,
        }
        for m in metrics
    ]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--fit-child"]:  # internal: the fresh process that runs fastText (see `train`)
        prepared, out_path, seed, params = argv[1:]
        return _fit_child(Path(prepared), Path(out_path), int(seed), json.loads(params))
    parser = argparse.ArgumentParser(description="Train the prompt-safety fastText model.")
    parser.add_argument("--train", type=Path, default=TRAIN_PATH, help="training prompts (fastText format)")
    parser.add_argument(
        "--heldout", type=Path, nargs="+", default=list(HELDOUT_PATHS), help="held-out prompt files"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH, help="where to write the model")
    parser.add_argument("--seed", type=int, default=1234, help="shuffle and fastText seed")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    train(args.train, args.out, seed=args.seed)
    report = heldout_report(args.out, args.heldout, SafetySettings(safety_model_path=args.out))
    sys.stdout.write(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
