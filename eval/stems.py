"""English word stems for the fact engine's claim and name comparisons (Snowball, through
snowballstemmer): one place, so that every rule reads 'deserted', 'deserters' and 'desertion' alike."""

from __future__ import annotations

import functools
import re
from typing import Any

STOPWORDS = frozenset(
    """the a an and or but of in on at to for from by with as is are was were be been being has have had
    that this these those it its their his her they them he she we our which who whom whose what when
    where while than then there here so such not no nor also only just about around over more most less
    some any each all both other another into onto out up down after before since until during per
    could would should may might will can must said says according reported reports estimated
    nearly almost approximately roughly least under above below between among against""".split()
)


@functools.lru_cache(maxsize=1 << 16)
def word_stem(word: str) -> str:
    """An English stem (Snowball): 'deserted', 'deserters', 'desertion' -> 'desert'; a possessive 's
    is not part of the word ("toddler's" -> 'toddler')."""
    w = re.sub(r"['’]s?$", "", word.lower())
    return str(_stemmer().stemWord(w))


@functools.cache
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def content_stems(text: str) -> set[str]:
    return {
        word_stem(w)
        for w in re.findall(r"[A-Za-z][A-Za-z'’-]+", text)
        if w.lower() not in STOPWORDS and len(w) >= 4
    }
