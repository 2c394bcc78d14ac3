"""Train the shipped prompt-safety model: `python -m dreamverse.safety.train`.

Reproducible: the training lines are shuffled with a fixed seed, fastText runs on one thread with a fixed
seed, so the same data gives the same model file byte for byte. Prints the held-out precision and recall
(copy them into `safety/README.md`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

from dreamverse.safety.classifier import LABEL_PREFIX, OWN_LABELS, FastTextClassifier
from dreamverse.safety.dataset import HELDOUT_PATH, TRAIN_PATH, Example, evaluate, load_examples
from dreamverse.safety.filter import CATEGORIES, SafetyFilter
from dreamverse.safety.settings import DEFAULT_MODEL_PATH, SafetySettings
from dreamverse.safety.text import normalize

logger = logging.getLogger(__name__)

# fastText hyperparameters of the shipped model. Subword n-grams (minn/maxn) make it robust to spelling
# variants; a small bucket count keeps the file a few megabytes.
HYPERPARAMETERS: dict[str, Any] = {
    "epoch": 40,
    "lr": 0.5,
    "dim": 32,
    "wordNgrams": 2,
    "minn": 3,
    "maxn": 5,
    "bucket": 50_000,
    "loss": "softmax",
    "thread": 1,
    "verbose": 0,
}


def write_training_file(examples: list[Example], path: Path, seed: int) -> None:
    shuffled = list(examples)
    random.Random(seed).shuffle(shuffled)
    lines = [f"{LABEL_PREFIX}{example.label} {normalize(example.text)}" for example in shuffled]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def train(train_path: Path, out_path: Path, *, seed: int) -> Path:
    import fasttext

    examples = load_examples(train_path)
    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "train.txt"
        write_training_file(examples, prepared, seed)
        model = _train_supervised(fasttext, prepared, seed)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    model.save_model(str(out_path))
    logger.info("trained on %d prompts -> %s", len(examples), out_path)
    return out_path


def _train_supervised(fasttext: Any, prepared: Path, seed: int, attempts: int = 5) -> Any:
    """fastText 0.9.2 now and then aborts a run with a spurious "Encountered NaN" (it is not the data:
    the same input trains on the next try, to the same bytes); retry a few times."""
    for attempt in range(1, attempts + 1):
        try:
            return fasttext.train_supervised(input=str(prepared), seed=seed, **HYPERPARAMETERS)
        except RuntimeError as exc:
            if "NaN" not in str(exc) or attempt == attempts:
                raise
            logger.warning("fastText run %d aborted (%s); retrying", attempt, exc)
    raise AssertionError("unreachable")


def heldout_report(model_path: Path, heldout_path: Path, settings: SafetySettings) -> dict[str, Any]:
    classifier = FastTextClassifier.load(model_path, name="dreamverse", labels=OWN_LABELS)
    safety = SafetyFilter([classifier], settings.thresholds())
    metrics = evaluate(load_examples(heldout_path), lambda text: safety.check(text).category, CATEGORIES)
    return {
        "model": str(model_path),
        "model_sha256": hashlib.sha256(model_path.read_bytes()).hexdigest(),
        "model_bytes": model_path.stat().st_size,
        "thresholds": settings.thresholds(),
        "heldout": [
            {
                "category": m.category,
                "precision": round(m.precision, 4),
                "recall": round(m.recall, 4),
                "support": m.support,
                "predicted": m.predicted,
            }
            for m in metrics
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the prompt-safety fastText model.")
    parser.add_argument("--train", type=Path, default=TRAIN_PATH, help="training prompts (fastText format)")
    parser.add_argument("--heldout", type=Path, default=HELDOUT_PATH, help="held-out prompts")
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
