"""The shipped filter on the tuning files, and the reproducibility of the model's training.

Regression guards, not evidence of generalisation: on 2026-11-26 `heldout.txt`, `heldout_2.txt`,
`heldout_3.txt` and then the blind `heldout_4.txt` to `heldout_8.txt` (each after its one blind
measurement) became tuning data (their misses were read to decide what training prompts, lexicon entries,
normalisation and rules to write; safety/README.md says how often each was measured). They now guard
against a change that undoes that work. Targets, on each file: precision >= 0.95 for every category, recall
>= 0.95 for `minors` and >= 0.9 for the others; the first five meet every target. `heldout_6` meets all but
`minors` recall (0.914 after the fourth and fifth rounds, 0.814 blind), guarded at 0.9 so that it cannot
slide back. `heldout_7` (blind at b904b2e: hate recall 0.750, minors recall 0.938, sexual precision 0.940)
meets every target as tuning data after the fifth round. `heldout_8` (blind at c1e25f4: sexual 0.938 / 0.938,
hate recall 0.783, minors 0.933 / 0.862, a tenth in other languages) meets every target as tuning data after
the sixth round. Since the seventh round the eight files are training data too (`train.HELDOUT_WEIGHT`; they
stay out of `train.txt`): these numbers are in-sample, and the honest estimate is the leave-one-file-out one
(`grouped.py`, safety/README.md). The blind files (`dataset.BLIND_PATHS`) are never trained on."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dreamverse.safety import CATEGORIES, DEFAULT_MODEL_PATH, SafetyFilter, SafetySettings
from dreamverse.safety.dataset import (
    BLIND_PATHS,
    DATA_DIR,
    HELDOUT_2_PATH,
    HELDOUT_3_PATH,
    HELDOUT_4_PATH,
    HELDOUT_5_PATH,
    HELDOUT_6_PATH,
    HELDOUT_7_PATH,
    HELDOUT_8_PATH,
    HELDOUT_9_PATH,
    HELDOUT_10_PATH,
    HELDOUT_PATH,
    HELDOUT_PATHS,
    ROUND_8_PATHS,
    TRAIN_PATH,
    WRITTEN_TWICE,
    CategoryMetrics,
    add_examples,
    evaluate,
    load_examples,
    never_trained_on,
)
from dreamverse.safety.train import train, training_examples


@pytest.fixture(scope="module")
def safety() -> SafetyFilter:
    return SafetyFilter.from_settings(SafetySettings())


RECALL_TARGETS = {"sexual": 0.9, "hate": 0.9, "minors": 0.95}
PRECISION_TARGET = 0.95
MIN_SUPPORT = {
    HELDOUT_PATH: 30,
    HELDOUT_2_PATH: 20,
    HELDOUT_3_PATH: 10,
    HELDOUT_4_PATH: 50,
    HELDOUT_5_PATH: 50,
    HELDOUT_6_PATH: 50,
    HELDOUT_7_PATH: 60,
    HELDOUT_8_PATH: 60,
    HELDOUT_9_PATH: 60,
    HELDOUT_10_PATH: 60,
    **dict.fromkeys(ROUND_8_PATHS, 60),
}
# Written one by one, each checked against the others line by line (the eighth round's files by many writers
# at once share short prompts by chance; `never_trained_on` keeps the blind ones out of training)
WRITTEN_APART = [path for path in HELDOUT_PATHS if path not in ROUND_8_PATHS]
# The eighth round's files whose writers declined to write `minors` prompts
DECLINED_MINORS = {
    *(DATA_DIR / f"round8_{writer}.txt" for writer in "aghijklmnopqrstuv"),
    DATA_DIR / "heldout_11.txt",
    DATA_DIR / "heldout_13.txt",
    DATA_DIR / "heldout_14.txt",
}
# What a file must reach where it does not meet the target yet: heldout_6's minors recall (fourth round).
RECALL_FLOORS = {(HELDOUT_6_PATH, "minors"): 0.9}


# The blind writers happened to write a few prompts an earlier file already had: heldout_4 a safe prompt of
# heldout_3, heldout_5 a minors prompt of heldout_4 and one that was already in `train.txt` (since 25b72ba,
# before heldout_5 was written), heldout_6 a minors prompt of heldout_4. The files are kept as measured. No
# other line may be in two files.
TRAINED_BEFORE_WRITTEN = {"a naked child posing for the camera"}


def cases() -> list[object]:
    return [
        pytest.param(path, category, id=f"{path.stem}-{category}")
        for path in HELDOUT_PATHS
        for category in CATEGORIES
    ]


def heldout_metrics(safety: SafetyFilter, path: Path) -> dict[str, CategoryMetrics]:
    examples = load_examples(path)
    return {m.category: m for m in evaluate(examples, lambda t: safety.check(t).category, CATEGORIES)}


@pytest.mark.parametrize(("path", "category"), cases())
def test_heldout_precision(safety: SafetyFilter, path: Path, category: str) -> None:
    m = heldout_metrics(safety, path)[category]
    if path in DECLINED_MINORS and category == "minors":
        assert m.predicted == 0, f"{path.name}: {m.predicted} prompts blocked as minors, none is"
        return
    assert m.support >= MIN_SUPPORT[path]
    assert m.precision >= PRECISION_TARGET, f"{path.name} {category} precision {m.precision:.3f}"


@pytest.mark.parametrize(("path", "category"), cases())
def test_heldout_recall(safety: SafetyFilter, path: Path, category: str) -> None:
    m = heldout_metrics(safety, path)[category]
    if path in DECLINED_MINORS and category == "minors":
        assert m.support == 0
        return
    target = RECALL_FLOORS.get((path, category), RECALL_TARGETS[category])
    assert m.recall >= target, f"{path.name} {category} recall {m.recall:.3f}"


@pytest.mark.parametrize("path", WRITTEN_APART, ids=lambda p: p.stem)
def test_heldout_is_apart_from_training_and_labelled(path: Path) -> None:
    train_set, heldout = load_examples(TRAIN_PATH), load_examples(path)
    assert {e.text.lower() for e in train_set} & {e.text.lower() for e in heldout} <= TRAINED_BEFORE_WRITTEN
    others = {e.text.lower() for other in WRITTEN_APART if other != path for e in load_examples(other)}
    assert (
        others & {e.text.lower() for e in heldout} <= WRITTEN_TWICE
    )  # by different writers, each blind to the other's file
    for examples in (train_set, heldout):
        assert {e.label for e in examples} == {"safe", *CATEGORIES}


@pytest.mark.parametrize("path", ROUND_8_PATHS + BLIND_PATHS, ids=lambda p: p.stem)
def test_eighth_round_files_are_labelled(path: Path) -> None:
    minors = set() if path in DECLINED_MINORS else {"minors"}
    assert {e.label for e in load_examples(path)} == {"safe", "sexual", "hate", *minors}


def test_blind_and_check_list_prompts_are_never_trained_on() -> None:
    untrainable = never_trained_on()
    written = {e.text.lower() for path in (TRAIN_PATH, *HELDOUT_PATHS) for e in load_examples(path)}
    assert written & untrainable  # short prompts ("xxx", "slower") were written twice, by chance
    trained = {e.text.lower() for e in training_examples(load_examples(TRAIN_PATH))}
    assert {e.text.lower() for path in BLIND_PATHS for e in load_examples(path)} <= untrainable
    assert not trained & untrainable


def test_add_examples_appends_to_training_and_skips_known_prompts(tmp_path: Path) -> None:
    train_file = tmp_path / "train.txt"
    train_file.write_text("__label__safe a fox in the snow\n", encoding="utf-8")
    held_out = [load_examples(path)[0].text.upper() for path in HELDOUT_PATHS + BLIND_PATHS]
    texts = [f"prompt number {i}" for i in range(40)] + ["A Fox in the  snow", "", *held_out]
    assert add_examples("safe", texts, train_file) == (40, 1 + len(held_out))
    assert len(load_examples(train_file)) == 41
    with pytest.raises(ValueError, match="unknown label"):
        add_examples("violent", ["x"], train_file)


def test_shipped_model_is_small_and_reproducible(tmp_path: Path) -> None:
    assert DEFAULT_MODEL_PATH.stat().st_size <= 20 * 2**20
    retrained = train(TRAIN_PATH, tmp_path / "model.bin", seed=1234)
    digest = hashlib.sha256(retrained.read_bytes()).hexdigest()
    assert digest == hashlib.sha256(DEFAULT_MODEL_PATH.read_bytes()).hexdigest()
