"""Counting and limiting words the same way everywhere (the --max-words contract)."""

from __future__ import annotations

import re

from keepfacts.segment import sentences

_WORD = re.compile(r"\S+")


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def fit_words(text: str, max_words: int) -> str:
    """Keep whole sentences while they fit in `max_words`; cut the first one only if it alone is too long.

    Cutting never adds anything, so it cannot invent a fact; it can only drop one, which the fact report
    then shows.
    """
    if count_words(text) <= max_words:
        return text.strip()
    kept: list[str] = []
    used = 0
    for sentence in sentences(text):
        n = count_words(sentence)
        if used + n > max_words:
            break
        kept.append(sentence)
        used += n
    if kept:
        return " ".join(kept)
    words = _WORD.findall(text)[:max_words]
    return " ".join(words).rstrip(",;:") + "…"
