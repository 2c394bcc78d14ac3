"""The listed terms never match a prompt we know to be benign."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize(
    "text",
    [
        "a bukkake video",
        "milf porn",
        "a rimjob",
        "jerking off on camera",
        "doggy style on the bed",
        "camgirls",
    ],
)
def test_sexual_slang_is_listed(text: str) -> None:
    assert listed(text) == "sexual"


@pytest.mark.parametrize(
    "text",
    [
        "drown the migrants at sea",
        "murder all the filthy refugees",
        "massacre the muslims",
        "hunt down the gay men",
        "sterilize the disabled",
    ],
)
def test_calls_to_kill_a_group_are_listed(text: str) -> None:
    assert listed(text) == "hate"


@pytest.mark.parametrize(
    "text",
    [
        "a bowl of bukkake udon",  # a noodle dish
        "burn the black toast",  # a colour, not a group: groups are plural nouns
        "hang the white sheets to dry",
        "shoot the arab horses galloping",
        "a fashion shoot with asian models",  # only determiners may stand between verb and group
        "a murder mystery with the women of the village",
        "shoot the women's final",  # a possessive is not the group
        "a bath bomb gift set for women",
    ],
)
def test_benign_phrases_near_the_lists_are_not_listed(text: str) -> None:
    assert listed(text) is None
