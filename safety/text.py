r"""Text normalisation shared by training and inference, so both see the same tokens.

Obfuscation is undone before classification: Unicode compatibility forms and look-alike letters from other
scripts ("s\u0435\u0445" with Cyrillic e and x), invisible characters, leetspeak inside words ("p0rn", "s3x",
"n!gg@"), letters masked with an asterisk ("f*ck", "p*rn"), letters spelled apart ("s e x", "p.o.r.n",
"a s e x tape" keeps its article), ages spelled apart ("a 9 y o", "10 y.o.") and stretched letters ("seeeex",
"pooorn"). A few spellings made up to get past filters ("seggs", "pr0n", "unalive") become the word they
stand for.
"""

# Arabic, Persian and Greek letters are written on purpose.
# ruff: noqa: RUF001, RUF003

from __future__ import annotations

import functools
import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")
# Vowel signs and other marks that are part of a word's spelling in Devanagari, Bengali, Thai and the other
# Indic scripts ("मुसलमान", "হিন্দু", "พม่า"): not letters to `\w`, so without this they split a word into
# fragments that the spelled-apart join then ran together. Arabic and Hebrew vowel points are optional and
# dropped instead (`_OPTIONAL_MARKS`), so "يَهود" is written as people mostly type it, "يهود".
_OPTIONAL_MARK_RANGES = (
    (0x0591, 0x05C7),
    (0x0610, 0x061A),
    (0x064B, 0x065F),
    (0x0670, 0x0670),
    (0x06D6, 0x06ED),
)
_OPTIONAL_MARKS = {
    c: None
    for low, high in _OPTIONAL_MARK_RANGES
    for c in range(low, high + 1)
    if unicodedata.category(chr(c)).startswith("M")
} | {0x0640: None}  # and the Arabic tatweel that stretches a word
_WORD_MARKS = "".join(
    re.escape(chr(c))
    for c in range(0x0300, 0x10000)
    if unicodedata.category(chr(c)) in ("Mn", "Mc") and c not in _OPTIONAL_MARKS
)
# Separators between tokens; the leetspeak symbols and the mask `*` survive this split so they can be mapped
# inside words.
_SEPARATORS = re.compile(rf"[^\w{_WORD_MARKS}@$!|+*]+")
# "1 5 y e a r   o l d   n u d e": each word's letters one space apart and the words further apart; only
# read so in a prompt with a wider gap, where single spaces cannot be the gaps between words
_SPACED_RUN = re.compile(r"(?<!\S)\S(?: \S)+(?!\S)")
_LEADING_NUMBER = re.compile(r"^(\d+)(?=[^\W\d])")  # "15year" is "15 year", not leetspeak "isyear"
# "9 y o", "10 y.o.", "12 y/o", "twelve y/o": the age abbreviation spelled apart, joined before the letters
# are split up.
_AGE_APART = re.compile(r"\b(\d{1,2}|(?:thir|four|fif|six|seven|eigh|nine)teen|one|two|three|four|five|six|"
                        r"seven|eight|nine|ten|eleven|twelve) ?y ?[./]? ?o\b\.?")  # fmt: skip
# "u18", "u-16": an age group, "under 18" (only 10 to 18, so the band "u2" stays a word).
_AGE_GROUP = re.compile(r"(?<![\w@$!])u ?-?(1[0-8])\b")
# "g.a.s t.h.e k.i.k.e.s": each word's letters joined by dots or hyphens, so the words stay apart (the
# spelled-apart join below would run the whole phrase into one word).
_DOTTED_WORD = re.compile(r"(?<![\w@$!])[\w@$!](?:[.\-][\w@$!]){2,}(?![\w@$!])")
# Chinese and Japanese are written without spaces: each Han, hiragana or katakana character becomes a token of
# its own, so fastText's word bigrams see character pairs ("做爱" is "做 爱") and the rules can match words.
# A number glued to a letter of another script ("14세", "14岁") is split from it: the letter is not leetspeak.
_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
_DIGIT_THEN_NON_LATIN = re.compile(r"(\d)(?=[^\x00-\x7f\W\d_])")
# ... and one written after a letter of a script that has no leetspeak: Thai writes without spaces ("อายุ12ปี").
_NON_LATIN_THEN_DIGIT = re.compile(r"([\u0590-\u06ff\u0900-\u0dff\u0e00-\u0e7f])(?=\d)")
# Digits of other scripts are the same numbers ("١٣ سنة" is "13 سنه"); an Arabic alef with or without its
# hamza seat ("أطفال", "اطفال") and a final ta written as ha are one spelling each. Persian and Urdu ya and
# kaf keep their own letters: read as Arabic ones, the model missed three Urdu and Persian sexual prompts of
# the eighth round's grouped estimate that it catches with them apart.
_SCRIPT_DIGITS = {
    **{ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")},
    **{ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")},
    **{ord(c): str(i) for i, c in enumerate("०१२३४५६७८९")},
    **{ord(c): str(i) for i, c in enumerate("০১২৩৪৫৬৭৮৯")},
    **{ord(c): str(i) for i, c in enumerate("๐๑๒๓๔๕๖๗๘๙")},
}
_ARABIC_SPELLINGS = str.maketrans(
    {**_SCRIPT_DIGITS, **dict.fromkeys(map(ord, "أإآٱ"), "ا"), ord("ة"): "ه"}
)  # fmt: skip
# An emoji becomes a word of its own ("🍆" is "emoji_aubergine"): a prompt can say in emoji what it would not
# say in words, and the separators would otherwise drop it.
# An age glued to a "-year-old" unit that starts with a Latin letter ("12letá", "12jarige", "12χρονη", whose
# Greek letters are Latin look-alikes by then): the number is split from it, not read as leetspeak
# ("i2letá"); "13årig" and "12éves" are split by `_DIGIT_THEN_NON_LATIN`.
_GLUED_AGE = re.compile(r"(?<![\w@$!])(\d{1,2})(?=let[aáeéiíouyý]|jarig|vuotia|xpov|piч)")
_NEEDS_SPELLING = re.compile(r"[\u0600-\u06ff\u0966-\u096f\u09e6-\u09ef\u0e50-\u0e59]")
_DIGIT = re.compile(r"\d")
_EMOJI = re.compile(r"[\U0001f300-\U0001faff\u2600-\u27bf]")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"))
# Cyrillic and Greek letters that look like Latin ones (after lowercasing).
_HOMOGLYPHS = str.maketrans(
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0457\u043a\u0458\u0455\u0501\u0261\u0578\u0475"
    "\u043c\u0442\u0432\u043d\u051d\u03b1\u03b2\u03b5\u03b9\u03ba\u03bd\u03bf\u03c1\u03c4\u03c5\u03c7",
    "aeopcyxiikjsdgnvmtbhwabeikvoptux",
)
# Only applied inside tokens that also hold a letter, so numbers ("seed 42", "1080p") stay as they are.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
                       "@": "a", "$": "s", "!": "i", "|": "l", "+": "t"})  # fmt: skip
_NUMBER_WITH_UNIT = re.compile(r"^\d+[a-z]{0,3}$")  # 1080p, 4k, 60fps, 3d, 2nd
_STRETCHED = re.compile(r"(\w)\1{2,}")  # three or more of the same letter
# Words spelled with a double letter that stretching hides: "teeeen" is "teen", not "ten" (an age word).
_DOUBLE_LETTER_WORDS = frozenset(
    ("teen", "teens", "teeny", "teenie", "tween", "tweens", "boob", "boobs", "booty")
)
_TRIPLE_LETTER_WORDS = frozenset(("xxx", "kkk", "www"))  # spelled with three on purpose: not "x"
_SPELLED_APART_MIN = 3  # "s e x": a run of this many single-character tokens is one word
_ARTICLES = ("a", "i")  # one-letter English words: "a s e x tape" is "a sex tape", not "asex tape"
# Words that masking (`*`) most often hides, and the vowel the mask stands for is found by trying these.
_MASKED_WORDS = frozenset(
    ("fuck", "fucking", "fucked", "porn", "porno", "sex", "sexy", "nude", "nudes", "naked", "cock", "dick",
     "cunt", "pussy", "slut", "whore", "tits", "nigger", "niggers", "nigga", "kike", "kikes", "spic", "spics",
     "fag", "fags", "faggot", "faggots", "chink", "chinks", "rape", "raped", "cum", "jew", "jews", "blowjob",
     "blowjobs", "handjob", "cumshot", "cumshots", "tits", "titties", "boobs", "penis", "vagina", "orgasm",
     "horny", "pounded", "pounding", "fucked", "bitch", "whores", "sluts", "kikes", "nigga", "dildo",
     # fifth round: the other slurs of `lexicon.py`, whose masked forms ("ret*rds", "p*ki") went unread
     "retard", "retards", "retarded", "paki", "pakis", "tranny", "trannies", "dyke", "dykes", "coon", "coons",
     "gook", "gooks", "wetback", "wetbacks", "beaner", "beaners", "raghead", "ragheads", "towelhead",
     "towelheads", "spastic", "spastics", "spaz", "mongoloid", "mongoloids", "kyke", "kykes", "niggas",
     "jigaboo", "jigaboos", "shitskin", "shitskins", "muzzies", "kaffir", "kaffirs", "negro", "negroes")
)  # fmt: skip
_MAX_MASKS = 3  # masks in a word that may each hide a letter
# A mask hides one letter, any letter ("ret*rds", "p*ki", "c*msh*t"): the masked words by length, each
# letter a mask may stand for tried in order, so a lookup costs a few comparisons per masked token.
_MASKED_BY_LENGTH: dict[int, tuple[str, ...]] = {}
for _word in sorted(_MASKED_WORDS):
    _MASKED_BY_LENGTH[len(_word)] = (*_MASKED_BY_LENGTH.get(len(_word), ()), _word)
# Spellings made up to get past word filters, and the word each stands for.
_EVASIONS = {"seggs": "sex", "segs": "sex", "secks": "sex", "sexx": "sex", "pron": "porn", "nekkid": "naked",
             "nekid": "naked", "nood": "nude", "noods": "nudes", "noodz": "nudes", "nudez": "nudes",
             "unalive": "kill", "unalived": "killed"}  # fmt: skip


def _unmask(token: str) -> str:
    """Undo a mask: "f*ck" is "fuck", the word masking usually hides; otherwise the mask is dropped."""
    stripped = token.strip("*")
    if "*" not in stripped:
        return stripped
    if stripped.count("*") <= _MAX_MASKS:
        plain = stripped.translate(_LEET)  # "n*gg3r": digits inside a masked word are letters too
        for word in _MASKED_BY_LENGTH.get(len(plain), ()):
            if all(m == "*" or m == w for m, w in zip(plain, word, strict=True)):
                return word
    return stripped.replace("*", "")


def _unleet(token: str) -> str:
    if token.isalpha():  # the common case: a plain word
        return _EVASIONS.get(token, token)
    token = _unmask(token).strip("!|+")  # sentence punctuation, not a letter, at either end ("football!")
    if any(c.isalpha() for c in token) and not token.isalpha() and not _NUMBER_WITH_UNIT.match(token):
        token = token.translate(_LEET)
    token = "".join(c for c in token if c.isalnum() or c == "_" or unicodedata.category(c) in ("Mn", "Mc"))
    return _EVASIONS.get(token, token)


def _spelled_letter(token: str) -> bool:
    return len(token) == 1 and token < "\u3040"  # a CJK character is a word, not a letter spelled apart


def _join_spelled_apart(tokens: list[str]) -> list[str]:
    if sum(map(_spelled_letter, tokens)) < _SPELLED_APART_MIN:
        return tokens
    joined: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if _spelled_letter(token):
            run.append(token)
            continue
        if len(run) > _SPELLED_APART_MIN and run[0] in _ARTICLES:
            joined.append(run.pop(0))
        joined.extend(["".join(run)] if len(run) >= _SPELLED_APART_MIN else run)
        run = []
        if token:
            joined.append(token)
    return joined


def _emoji_word(match: re.Match[str]) -> str:
    name = unicodedata.name(match.group(), "")
    return f" emoji_{name.lower().replace(' ', '_').replace('-', '_')} " if name else " "


def _join_spaced_run(match: re.Match[str]) -> str:
    return _LEADING_NUMBER.sub(r"\1 ", match.group().replace(" ", ""))


def _join_age(match: re.Match[str]) -> str:
    number = match.group(1)
    return f"{number}yo " if number.isdigit() else f"{number} yo "


@functools.lru_cache(maxsize=1024)  # the filter and its model each normalise the same prompt
def normalize(text: str) -> str:
    """Lowercase words with obfuscation undone, separated by single spaces (fastText splits on spaces)."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).lower().translate(_HOMOGLYPHS)
    if "  " in text:
        text = _SPACED_RUN.sub(_join_spaced_run, text)
    if not text.isascii():  # most prompts are ASCII, and these scans are skipped
        text = text.translate(_OPTIONAL_MARKS)
        text = _DIGIT_THEN_NON_LATIN.sub(r"\1 ", _CJK.sub(r" \1 ", _EMOJI.sub(_emoji_word, text)))
        if _NEEDS_SPELLING.search(text):  # a per-character lookup: only for the scripts it maps
            text = text.translate(_ARABIC_SPELLINGS)
        text = _NON_LATIN_THEN_DIGIT.sub(r"\1 ", text)
    if _DIGIT.search(text):  # an age glued to its unit has one; most prompts have none
        text = _GLUED_AGE.sub(r"\1 ", text)
    text = _AGE_APART.sub(_join_age, text)
    if "1" in text:  # an age group has one ("u16"); most prompts have none, and the scan is skipped
        text = _AGE_GROUP.sub(r"under \1", text)
    text = _DOTTED_WORD.sub(lambda m: re.sub(r"[.\-]", "", m.group()), text)
    tokens = [t for t in _SEPARATORS.split(text) if t]
    tokens = [t for t in (_unleet(t) for t in _join_spelled_apart(tokens)) if t]
    joined = " ".join(tokens)
    if not _STRETCHED.search(joined):  # one scan of the prompt, not one per word, when nothing is stretched
        return joined
    return " ".join(_unstretch(t) for t in tokens)


def _unstretch(token: str) -> str:
    """Three or more of the same letter become one ("seeeex", "pooorn"), or two for a word spelled so."""
    if not _STRETCHED.search(token):
        return token
    if token in _TRIPLE_LETTER_WORDS:
        return token
    doubled = _STRETCHED.sub(r"\1\1", token)
    return doubled if doubled in _DOUBLE_LETTER_WORDS else _STRETCHED.sub(r"\1", token)


def one_line(text: str) -> str:
    """Collapse newlines and runs of whitespace: fastText's `predict` refuses text with a newline."""
    return _WHITESPACE.sub(" ", text).strip()
