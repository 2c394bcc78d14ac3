"""Unambiguous terms and phrasings that block whatever the model says, on normalised text.

The model generalises; this list catches what must never pass even when phrased in few words the model has
not seen: explicit sexual terms, slurs, and a call to kill, gas, burn or exterminate a group of people. Every
entry is a term with no benign reading in a video prompt ("sex" alone is not one: "sex education"; nor are
"naked" or "cock": "a naked flame", "a cock crowing"). Matched
on `text.normalize` output, so leetspeak, spacing and homoglyphs are already undone. Checked against every
`safe` prompt of `data/train.txt` and `data/benign_check.txt` (`tests/unit/safety/test_lexicon.py`).
"""

from __future__ import annotations

import re

_SEXUAL = (
    r"porn\w*|hardcore|blowjobs?|handjobs?|fellatio|cunnilingus|masturbat\w*|orgasm\w*|orgy|orgies|"
    r"gangbang\w*|threesome|creampie|cumshot\w*|cum|jizz|ejaculat\w*|erection|genitals?|penis|penises|"
    r"vagina\w*|pussies|cocks|dicks|clit\w*|titties|boobs|dildos?|fuck\w*|"
    r"having sex|have sex|has sex|sex scene|sex tape|sex video|sex acts?|sexual acts?|intercourse|"
    r"oral sex|anal sex|anal|nsfw|xxx|stripteases?|lap dance|sexually|molest\w*|rape|raped|raping|"
    r"rapes|fondl\w*|hentai|topless|"
    # slang for sex acts and porn genres ("bukkake udon" and "bukkake soba" are noodle dishes)
    r"bukkake(?! (?:udon|soba|noodles?))|milfs?|rimjobs?|footjobs?|titjobs?|titfuck\w*|deepthroat\w*|"
    r"face ?sitting|gloryholes?|glory holes?|camgirls?|cumshots?|jerk\w* off|jack\w* off|"
    r"wank\w*|doggy ?style|reverse cowgirl|dick pics?|sex toys?|sex slaves?|sex dolls?|butt ?plugs?"
)
_MINOR_SEXUAL = r"child porn|cp|pthc|loli|lolicon|shota|shotacon|jailbait|pedo\w*|paedo\w*|hebephil\w*"
_SLURS = (
    r"nigger\w*|niggas?|kikes?|faggots?|fags?|chinks?|spics?|wetbacks?|beaners?|ragheads?|towelheads?|"
    r"sand niggers?|trannies|tranny|dykes?|coons?|gooks?|pakis?|retards?|kaffirs?|queers? should"
)
# Groups as nouns in the plural (or "... people"): "burn the black toast", "hang the white sheets" and "shoot
# the arab horses" name no group. A possessive ("the women's final") is not the group either.
_GROUP = (
    r"jews?|jewish people|muslims|muslim people|blacks|black people|gays|gay people|gay men|lesbians|"
    r"homosexuals|immigrants?|migrants|foreigners|mexicans|latinos|arabs|asians|chinese people|gypsies|"
    r"roma|christians|catholics|whites|white people|women|trans people|transgender people|"
    r"disabled people|the disabled|refugees|hindus|sikhs|the invaders|that race|their race|the race"
)
_VIOLENCE = (
    r"kill|gas|hang|lynch|burn|exterminate|shoot|execute|eradicate|slaughter|wipe out|genocide|death to|"
    r"drown|murder|massacre|butcher|behead|annihilate|stab|bomb|torch|hunt down|sterilize|enslave"
)
# Between the verb and the group only determiners and insults: "kill all the filthy immigrants", not "a
# fashion shoot with asian models".
_BETWEEN = r"all|every|each|the|those|these|them|of|off|out|down|filthy|dirty|damn|fucking|stinking|last"

_SEXUAL_TERM = re.compile(rf"\b(?:{_SEXUAL})\b")
_MINOR_TERM = re.compile(rf"\b(?:{_MINOR_SEXUAL})\b")
_SLUR = re.compile(rf"\b(?:{_SLURS})\b")
_HATE_VIOLENCE = re.compile(rf"\b(?:{_VIOLENCE})(?: (?:{_BETWEEN})){{0,3}} (?:{_GROUP})\b(?! s\b)")


def has_sexual_term(normalized: str) -> bool:
    return _SEXUAL_TERM.search(normalized) is not None


def lexicon_category(normalized: str, sexualizes_minor: bool) -> str | None:
    """The category an unambiguous term puts the prompt in, or None. `sexualizes_minor` is the verdict of
    `minors.sexualizes_minor` (a minor named next to sexual context, every sexual term here included)."""
    if _MINOR_TERM.search(normalized) or sexualizes_minor:
        return "minors"
    if _SLUR.search(normalized) or _HATE_VIOLENCE.search(normalized):
        return "hate"
    if has_sexual_term(normalized):
        return "sexual"
    return None
