"""What a fact report checked, for its language and mode (like sacrebleu's signature): a pass in ja
states less than a pass in de, and the report says so."""

from __future__ import annotations

import functools
from typing import Any

from keepfacts import __version__
from keepfacts.eval import direction, hedges
from keepfacts.eval import locale_forms as lf


@functools.cache
def _signature(lang: str, mode: str) -> tuple[tuple[str, Any], ...]:
    figures = [
        "amount (read by the language's CLDR number rules; another convention's reading is a changed form)",
        "currency (CLDR)",
        "unit and conversions (CLDR, Pint)",
        "percent or percentage points",
        "rate base",
        "time of day (CLDR 12/24-hour reading)",
        "date",
        "decade, score, range, ordinal, fraction",
    ]
    if direction.supports(lang):
        figures.append("direction: qualifier and negation")
    unsupported = "every figure" if lang == "en" else "figures written with digits"
    if lang in lf.CJK:
        names = "places and glossary names by their CLDR or glossary form (names in kana or hanzi unchecked)"
    elif lang == "en":
        names = "persons (a changed given name), places, organisations; invented names"
    else:
        names = (
            "persons (as written, inflected, or transliterated; a changed given name), places with a CLDR "
            "or glossary form; other descriptive names unchecked"
        )
    attributions = "source and figures kept; descriptive sources without a glossary form unchecked"
    if lang == "en":
        attributions += "; misattribution (another source or claim, a hedge dropped)"
    elif mode == "translation":
        attributions += "; misattribution (a figure moved to another sentence's claim"
        attributions += ", a hedge dropped)" if lang in hedges.languages() else ")"
    checks = {
        "figures": figures,
        "unsupported": unsupported,
        "names": names,
        "attributions": attributions,
    }
    short = ",".join(
        ["figures", "direction" if direction.supports(lang) else "no-direction", "names"]
        + (["misattribution"] if lang == "en" or mode == "translation" else [])
    )
    text = f"keepfacts {__version__}|{lang}|{mode}|{short}"
    return (("checker", f"keepfacts {__version__}"), ("lang", lang), ("mode", mode), ("checks", checks),
            ("text", text))  # fmt: skip


def signature(lang: str, mode: str) -> dict[str, Any]:
    """{checker, lang, mode, checks, text}: `text` is the one-line form for headers."""
    return dict(_signature(lf.base_lang(lang), mode))
