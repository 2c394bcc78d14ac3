"""`grouped`: each tuning file is scored by a filter whose model saw neither that file nor the training
prompts written after reading it; the blind files are never training data."""

from __future__ import annotations

from dreamverse.safety.dataset import (
    BLIND_PATHS,
    HELDOUT_2_PATH,
    HELDOUT_3_PATH,
    HELDOUT_4_PATH,
    HELDOUT_7_PATH,
    HELDOUT_8_PATH,
    HELDOUT_PATHS,
    TRAIN_PATH,
    WRITTEN_TWICE,
    Example,
    load_examples,
    never_trained_on,
)
from dreamverse.safety.grouped import ROUND_LINES, leave_one_file_out, without_round
from dreamverse.safety.train import HYPERPARAMETERS, training_examples


def test_without_round_drops_the_lines_written_after_reading_the_file() -> None:
    base = load_examples(TRAIN_PATH)
    assert set(ROUND_LINES) == {path.name for path in HELDOUT_PATHS}
    assert all(last <= len(base) for ranges in ROUND_LINES.values() for _, last in ranges)
    ((first, last),) = ROUND_LINES[HELDOUT_8_PATH.name]
    kept = without_round(base, {HELDOUT_8_PATH})
    assert len(kept) == len(base) - (last - first + 1)
    assert kept[first - 2] == base[first - 2] and kept[first - 1] == base[last]  # the neighbours stay
    assert without_round(base, {HELDOUT_4_PATH}) == base  # its round wrote rules only


def test_training_examples_never_hold_the_left_out_or_a_blind_file() -> None:
    base = [Example("safe", "a fox in the snow")]
    texts = [e.text for e in training_examples(base, exclude={HELDOUT_8_PATH}, heldout_weight=2)]
    assert not {e.text for e in load_examples(HELDOUT_8_PATH)} & set(texts)
    blind = {e.text.lower() for path in BLIND_PATHS for e in load_examples(path)}
    assert blind & {text.lower() for text in texts} <= WRITTEN_TWICE  # a tuning file's prompt written again
    assert texts.count(load_examples(HELDOUT_7_PATH)[0].text) == 2
    assert training_examples(base, heldout_weight=0) == base


def test_leave_one_file_out_scores_a_file_its_model_never_saw() -> None:
    words = ["fox", "river", "snow", "kite", "harbour", "lantern", "meadow", "violin"]
    base = [Example("safe", f"a {w} at dawn number {i}") for i in range(4) for w in words]
    report = leave_one_file_out(
        hyperparameters=dict(HYPERPARAMETERS, epoch=5),
        thresholds={"sexual": 0.5, "hate": 0.5, "minors": 0.5},
        heldout_paths=(HELDOUT_3_PATH,),
        heldout_weight=1,
        base=base,
        sweep=False,
    )
    left_out = {e.text.lower() for e in load_examples(HELDOUT_3_PATH)}
    untrainable = never_trained_on()  # the blind files' and the check lists' prompts
    others = [
        e
        for path in HELDOUT_PATHS
        if path != HELDOUT_3_PATH
        for e in load_examples(path)
        if e.text.lower() not in untrainable
    ]
    shared = [e for e in others if e.text.lower() in left_out]  # heldout_4 has one of its safe prompts
    assert shared and report["files"][HELDOUT_3_PATH.name]["trained_on"] == len(base) + len(others) - len(
        shared
    )
    labels = [e.label for e in load_examples(HELDOUT_3_PATH)]
    supports = {category: m["support"] for category, m in report["pooled"].items()}
    assert supports == {category: labels.count(category) for category in ("sexual", "hate", "minors")}
    assert report["pooled_safe"] == labels.count("safe")


def test_files_left_out_together_share_one_model_that_saw_neither() -> None:
    words = ["fox", "river", "snow", "kite", "harbour", "lantern", "meadow", "violin"]
    base = [Example("safe", f"a {w} at dusk number {i}") for i in range(4) for w in words]
    fold = (HELDOUT_2_PATH, HELDOUT_3_PATH)
    report = leave_one_file_out(
        hyperparameters=dict(HYPERPARAMETERS, epoch=5),
        thresholds={"sexual": 0.5, "hate": 0.5, "minors": 0.5},
        heldout_paths=fold,
        heldout_weight=1,
        base=base,
        sweep=False,
        files_per_fold=2,
    )
    left_out = {e.text.lower() for path in fold for e in load_examples(path)}
    untrainable = never_trained_on()
    others = [
        e
        for path in HELDOUT_PATHS
        if path not in fold
        for e in load_examples(path)
        if e.text.lower() not in untrainable and e.text.lower() not in left_out
    ]
    assert [report["files"][path.name]["trained_on"] for path in fold] == [len(base) + len(others)] * 2
