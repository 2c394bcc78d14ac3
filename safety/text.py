"""Text normalisation shared by training and inference, so both see the same tokens."""

from __future__ import annotations

import re

_NON_WORD = re.compile(r"[^\w']+")
_WHITESPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Lowercase, turn punctuation into spaces and collapse whitespace (fastText splits on spaces)."""
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def one_line(text: str) -> str:
    """Collapse newlines and runs of whitespace: fastText's `predict` refuses text with a newline."""
    return _WHITESPACE.sub(" ", text).strip()
