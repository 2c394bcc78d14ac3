r"""Text normalisation shared by training and inference, so both see the same tokens.

Obfuscation is undone before classification: Unicode compatibility forms and look-alike letters from other
scripts ("s\u0435\u0445" with Cyrillic e and x), invisible characters, leetspeak inside words ("p0rn", "s3x",
"n!gg@"), letters spelled apart ("s e x", "p.o.r.n") and stretched letters ("seeeex", "pooorn").
"""

from __future__ import annotations

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")
# Separators between tokens; the leetspeak symbols survive this split so they can be mapped inside words.
_SEPARATORS = re.compile(r"[^\w@$!|+]+")
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
_SPELLED_APART_MIN = 3  # "s e x": a run of this many single-character tokens is one word


def _unleet(token: str) -> str:
    if token.isalpha():  # the common case: a plain word
        return token
    token = token.strip("!|+")  # sentence punctuation, not a letter, at either end ("football!")
    if any(c.isalpha() for c in token) and not token.isalpha() and not _NUMBER_WITH_UNIT.match(token):
        token = token.translate(_LEET)
    return "".join(c for c in token if c.isalnum() or c == "_")


def _join_spelled_apart(tokens: list[str]) -> list[str]:
    if sum(len(t) == 1 for t in tokens) < _SPELLED_APART_MIN:
        return tokens
    joined: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1:
            run.append(token)
            continue
        joined.extend(["".join(run)] if len(run) >= _SPELLED_APART_MIN else run)
        run = []
        if token:
            joined.append(token)
    return joined


def normalize(text: str) -> str:
    """Lowercase words with obfuscation undone, separated by single spaces (fastText splits on spaces)."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).lower().translate(_HOMOGLYPHS)
    tokens = [t for t in _SEPARATORS.split(text) if t]
    tokens = [t for t in (_unleet(t) for t in _join_spelled_apart(tokens)) if t]
    return _STRETCHED.sub(r"\1", " ".join(tokens))


def one_line(text: str) -> str:
    """Collapse newlines and runs of whitespace: fastText's `predict` refuses text with a newline."""
    return _WHITESPACE.sub(" ", text).strip()
