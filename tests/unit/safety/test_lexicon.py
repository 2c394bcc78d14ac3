"""The listed terms never match a prompt we know to be benign."""

from __future__ import annotations

from dreamverse.safety.dataset import BENIGN_CHECK_PATH, TRAIN_PATH, load_examples, load_prompts
from dreamverse.safety.lexicon import lexicon_category
from dreamverse.safety.minors import sexualizes_minor
from dreamverse.safety.text import normalize


def listed(text: str) -> str | None:
    normalized = normalize(text)
    return lexicon_category(normalized, sexualizes_minor(normalized))


def test_no_benign_prompt_matches_a_listed_term() -> None:
    safe = [e.text for e in load_examples(TRAIN_PATH) if e.label == "safe"] + load_prompts(BENIGN_CHECK_PATH)
    assert len(safe) > 1500
    matched = {text: listed(text) for text in safe if listed(text)}
    assert not matched


def test_listed_terms_by_category() -> None:
    assert listed("a hardcore p0rn clip") == "sexual"
    assert listed("gas the jews") == "hate"
    assert listed("they want to kill all the immigrants") == "hate"
    assert listed("a 12 yo in a sex tape") == "minors"
    assert listed("a sex education class") is None
    assert listed("kill the dragon") is None
