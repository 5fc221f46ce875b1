"""Hedges: the words that make a claim uncertain ("speculated", "could", "könnte", "podría", "может",
"可能"), per language, from eval/data/hedges.json. A claim the source hedges must stay hedged in the output:
a lawmaker's speculation is no ministry's confirmation.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources

from keepfacts.eval import locale_forms as lf


@functools.cache
def _tables() -> dict[str, list[str]]:
    data = json.loads(resources.files("keepfacts.eval").joinpath("data/hedges.json").read_text("utf-8"))
    return dict(data["languages"])


def languages() -> frozenset[str]:
    """The languages with a hedge table."""
    return frozenset(_tables())


@functools.cache
def _pattern(lang: str) -> re.Pattern[str] | None:
    entries = _tables().get(lf.base_lang(lang))
    if not entries:
        return None
    cjk = lf.base_lang(lang) in lf.CJK
    words = "|".join(e if cjk else e.replace(" ", r"\s+") for e in sorted(entries, key=len, reverse=True))
    return re.compile(rf"(?:{words})" if cjk else rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)


def hedge_in(text: str, start: int, end: int, lang: str) -> str | None:
    """The first hedge word in text[start:end], or None (also for a language without a table)."""
    pattern = _pattern(lang)
    if pattern is None:
        return None
    m = pattern.search(lf.normalize(text[start:end]))
    return m.group(0) if m else None


def hedges_in(text: str, lang: str) -> list[str]:
    """Every hedge word in `text`, casefolded, in order (none for a language without a table)."""
    pattern = _pattern(lang)
    if pattern is None:
        return []
    return [m.group(0).casefold() for m in pattern.finditer(lf.normalize(text))]
