"""Does a prompt frame anyone as under 18? Used to file sexual content involving minors under `minors`.

A word list, not a model: "kids playing football" mentions a minor and is fine, so this never blocks by
itself; it only decides that a prompt already blocked as `sexual` is `minors`. Runs on normalised text
(`text.normalize`), so "k1ds" and "t e e n" are seen as words.
"""

from __future__ import annotations

import re

ADULT_AGE = 18
_WORDS = (
    r"child|children|childs|kid|kids|kiddie|minor|minors|underage|preteen|preteens|pre teen|teen|teens|"
    r"teenage|teenager|teenagers|tween|tweens|schoolgirl|schoolgirls|schoolboy|schoolboys|toddler|toddlers|"
    r"infant|infants|baby|babies|little (?:girl|boy)s?|young (?:girl|boy)s?|daughter|son|niece|nephew|"
    r"pupil|pupils|student|students|(?:first|second|third|fourth|fifth|sixth|seventh|eighth) grader?s?|"
    r"middle school\w*|elementary school|kindergarten|loli|lolita|shota|jailbait|jail bait|pedo\w*|paedo\w*"
)
_MINOR_WORD = re.compile(rf"\b(?:{_WORDS})\b")
_AGE = re.compile(r"\b(\d{1,2}) ?(?:years?|yrs?|yo)\b")
_AGE_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
              "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen")  # fmt: skip
_AGE_IN_WORDS = re.compile(rf"\b(?:{'|'.join(_AGE_WORDS)}) ?(?:years?|yrs?|yo)\b")


def mentions_minor(normalized: str) -> bool:
    """True when the (normalised) prompt names a child, a teen, a school age or an age under 18."""
    if _MINOR_WORD.search(normalized) or _AGE_IN_WORDS.search(normalized):
        return True
    return any(int(age) < ADULT_AGE for age in _AGE.findall(normalized))
