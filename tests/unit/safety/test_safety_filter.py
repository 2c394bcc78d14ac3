"""SafetyFilter behaviour: thresholds, label semantics (Dolma's included), odd inputs, errors."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from dreamverse.safety import SafetyFilter, SafetyModelError, SafetySettings, UnknownLabelError
from dreamverse.safety.dataset import TRAIN_PATH, load_examples
from dreamverse.safety.filter import MINORS_SEXUAL_EVIDENCE, SLUR_EVIDENCE
from dreamverse.safety.lexicon import names_target
from dreamverse.safety.minors import sexualizes_minor
from dreamverse.safety.text import normalize
from dreamverse.safety.train import HYPERPARAMETERS, fit_in_fresh_process

SAFE_TEXT = [
    "a fox runs through the snowy forest",
    "waves crash on a sunny beach",
    "a cat sleeps by the window",
]
NSFW_TEXT = ["explicit porn with naked bodies", "a nude strip show", "hardcore sex tape"]
TOXIC_TEXT = [
    "immigrants are vermin to exterminate",
    "a rally chanting death to the jews",
    "gay people deserve to die",
]


def _tiny_model(path: Path, labels: dict[str, str]) -> Path:
    """A small fastText model trained on the repo's prompts relabelled (`labels`: our label -> new label)."""
    lines = [f"__label__{labels[e.label]} {normalize(e.text)}" for e in load_examples(TRAIN_PATH)]
    random.Random(0).shuffle(lines)
    data = path.with_suffix(".txt")
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # in a fresh process: fastText 0.9.2 in a process that has trained before can abort with NaN every time
    fit_in_fresh_process(data, path, seed=1, hyperparameters=dict(HYPERPARAMETERS, epoch=10, bucket=5000))
    return path


@pytest.fixture(scope="module")
def dolma_models(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("dolma")
    nsfw = _tiny_model(
        folder / "nsfw.bin", {"safe": "non-nsfw", "hate": "non-nsfw", "sexual": "nsfw", "minors": "nsfw"}
    )
    hate = _tiny_model(
        folder / "hate.bin",
        {"safe": "non-toxic", "sexual": "non-toxic", "hate": "toxic", "minors": "non-toxic"},
    )
    return nsfw, hate


@pytest.fixture(scope="module")
def default_filter() -> SafetyFilter:
    return SafetyFilter.from_settings(SafetySettings())


def test_dolma_labels_non_nsfw_and_non_toxic_are_safe(dolma_models: tuple[Path, Path]) -> None:
    nsfw, hate = dolma_models
    settings = SafetySettings(safety_dolma_nsfw_path=nsfw, safety_dolma_hate_path=hate)
    safety = SafetyFilter.from_settings(settings)
    assert [c.name for c in safety.classifiers] == ["dreamverse", "dolma-nsfw", "dolma-hate"]
    dolma_only = SafetyFilter(safety.classifiers[1:], settings.thresholds())
    for text in SAFE_TEXT:
        assert not dolma_only.check(text).blocked, text  # the upstream label bug blocked these
    for text in NSFW_TEXT:
        assert dolma_only.check(text).category == "sexual", text
    for text in TOXIC_TEXT:
        assert dolma_only.check(text).category == "hate", text


def test_dolma_scores_come_from_the_unsafe_label(dolma_models: tuple[Path, Path]) -> None:
    nsfw, _ = dolma_models
    safety = SafetyFilter.from_settings(SafetySettings(safety_dolma_nsfw_path=nsfw))
    (scores,) = [c.scores(SAFE_TEXT[0]) for c in safety.classifiers if c.name == "dolma-nsfw"]
    assert set(scores) == {"sexual"} and scores["sexual"] < 0.5


def test_unknown_labels_are_refused(tmp_path: Path) -> None:
    model = _tiny_model(
        tmp_path / "odd.bin", {"safe": "clean", "hate": "dirty", "sexual": "dirty", "minors": "dirty"}
    )
    with pytest.raises(UnknownLabelError, match="dirty"):
        SafetyFilter.from_settings(SafetySettings(safety_dolma_nsfw_path=model))


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SafetyModelError, match="not found"):
        SafetyFilter.from_settings(SafetySettings(safety_model_path=tmp_path / "absent.bin"))


def test_thresholds_decide(default_filter: SafetyFilter) -> None:
    text = "explicit scene with full nudity"  # no listed term: the model's score decides
    verdict = default_filter.check(text)
    assert (verdict.blocked, verdict.category) == (True, "sexual") and verdict.score >= 0.5
    lenient = SafetyFilter(default_filter.classifiers, {"sexual": 1.01, "hate": 1.01, "minors": 1.01})
    allowed = lenient.check(text)
    assert (allowed.blocked, allowed.category) == (False, None) and allowed.score == verdict.score


def test_listed_terms_block_whatever_the_thresholds(default_filter: SafetyFilter) -> None:
    lenient = SafetyFilter(default_filter.classifiers, {"sexual": 1.01, "hate": 1.01, "minors": 1.01})
    listed = (
        ("a hardcore sex tape", "sexual"),
        ("gas the jews", "hate"),
        ("loli porn", "minors"),
        ("(((they))) run the news", "hate"),  # the echo, seen in the text as written
    )
    for text, category in listed:
        assert (lenient.check(text).blocked, lenient.check(text).category) == (True, category)


def test_a_named_child_alone_is_no_evidence_for_minors(default_filter: SafetyFilter) -> None:
    model = default_filter.classifiers[0]
    # sixth round: "a toddler" left the list: the retrained model scores it 0.38 by itself
    for text in [
        "a little girl",
        "a teen boy",
        "a schoolgirl",
        "a child in bed",
        "a preteen",
        "a 10 year old",
    ]:
        assert model.scores(text)["minors"] >= 0.5, text  # the model alone would block these
        assert not default_filter.check(text).blocked, text


def test_minors_evidence_besides_the_child_still_blocks(default_filter: SafetyFilter) -> None:
    for text in [
        "an old man and a little boy alone in his basement",
        "a ten year old and an adult sharing a secret",
    ]:
        assert not sexualizes_minor(normalize(text)), text  # no listed context: the model decides
        verdict = default_filter.check(text)
        assert (verdict.blocked, verdict.category) == (True, "minors"), text


def test_an_ambiguous_slur_blocks_when_the_model_reads_hostility(default_filter: SafetyFilter) -> None:
    # the model's own verdicts switched off: only the list, gated by the model's hate score, can block
    lenient = SafetyFilter(default_filter.classifiers, {"sexual": 1.01, "hate": 1.01, "minors": 1.01})
    model = default_filter.classifiers[0]
    hostile, benign = "a coon caricature", "Dick Van Dyke tap dancing in a top hat"
    assert model.scores(hostile)["hate"] >= SLUR_EVIDENCE > model.scores(benign)["hate"]
    assert (lenient.check(hostile).blocked, lenient.check(hostile).category) == (True, "hate")
    assert not lenient.check(benign).blocked
    assert not default_filter.check(benign).blocked


@pytest.mark.parametrize("text", ["", "   ", "\n", "a fox\nin the snow\r\n", "🦊 " * 500, "x" * 20000])
def test_odd_inputs_do_not_crash(default_filter: SafetyFilter, text: str) -> None:
    verdict = default_filter.check(text)
    assert 0.0 <= verdict.score <= 1.0


def test_disabled_filter_allows_everything() -> None:
    safety = SafetyFilter.from_settings(SafetySettings(safety_enabled=False))
    assert not safety.check("explicit porn").blocked
    assert safety.describe()["enabled"] is False


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DREAMVERSE_SAFETY_THRESHOLD_HATE", "0.8")
    assert SafetySettings().thresholds() == {"sexual": 0.5, "hate": 0.8, "minors": 0.5}


def test_a_minor_with_a_weak_sexual_signal_blocks_as_minors(default_filter: SafetyFilter) -> None:
    # model categories switched off: only the lists, the minors rule and the weak-signal rule can block
    lenient = SafetyFilter(default_filter.classifiers, {"sexual": 1.01, "hate": 1.01, "minors": 1.01})
    model = default_filter.classifiers[0]
    # sixth round: "nipples showing" and "remove all clothes" are listed context now, so other pairs; seventh
    # round: the retrained model scores "bare breasts, she is 15" 0.02 `sexual` (and high `minors`); eighth
    # round: "her breasts, she is 15" 0.07, "show her breasts, she is 15" 0.11
    for adult, child in [("show her breasts", "show her breasts, she is 15")]:
        assert not sexualizes_minor(normalize(child)), child  # no listed context: the model's score decides
        assert model.scores(child)["sexual"] >= MINORS_SEXUAL_EVIDENCE, child
        assert not lenient.check(adult).blocked, adult  # the same signal without a child blocks nothing here
        verdict = lenient.check(child)
        assert (verdict.blocked, verdict.category) == (True, "minors"), child


def test_biological_sex_is_no_sexual_signal(default_filter: SafetyFilter) -> None:
    # the fifth-round model read "gender reveal and the baby's sex" as a little sexual (0.22), the seventh
    # round's "a sex reveal party" 0.998 (the eighth round's 0.009, and the first prompt 0.00001: no longer
    # cases): at a threshold each one's own score, so that the model alone would block it, only taking out
    # biological sex lets it pass
    for text in ["gender reveal: guess the sex, cake cutting", "sex of the puppies"]:
        score = default_filter.classifiers[0].scores(text)["sexual"]
        assert score >= 0.01, text
        eager = SafetyFilter(default_filter.classifiers, {"sexual": score, "hate": 1.01, "minors": 1.01})
        assert not eager.check(text).blocked, text
        assert not default_filter.check(text).blocked, text


@pytest.mark.parametrize(
    "text",
    [
        "kill the lights, the band walks off stage",  # "kill" said of a thing
        "a hardcore punk show, stage divers, strobe lights",
        "evening life drawing class, students paint a nude model, the teacher's notes on each easel",
    ],
)
def test_false_blocks_of_the_blind_files_kinds_pass(default_filter: SafetyFilter, text: str) -> None:
    assert not default_filter.check(text).blocked


def test_the_model_hate_score_needs_a_target(default_filter: SafetyFilter) -> None:
    model = default_filter.classifiers[0]
    for text, target in [
        ("heroic slow motion as the crowd cheers", "heroic slow motion, the crowd cheers, the mosque burns"),
        ("the crowd cheers as the building burns down", "the crowd cheers as the synagogue burns down"),
    ]:
        assert model.scores(text)["hate"] >= 0.5, text  # the style words alone read as hate to the model
        assert not default_filter.check(text).blocked, text
        assert not names_target(normalize(text)) and names_target(normalize(target))
        verdict = default_filter.check(target)
        assert (verdict.blocked, verdict.category) == (True, "hate"), target
