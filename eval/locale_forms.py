"""How a language writes figures: CLDR data from Babel, spelled-out numbers from num2words, and the
small hand tables of eval/data/words.json for what no library covers. Everything is built once per
language (or per figure and language) and cached.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any

from babel import Locale, UnknownLocaleError

from keepfacts.errors import LanguageError
from keepfacts.languages import base_language

CJK = frozenset({"ja", "zh"})
# Languages whose words inflect or compound: a number word matches at a word start by its stem.
_VOWELS = set("aeiouyáéíóúýěůäöüàèìòùâêîôûãõąęаеёиоуыэюяьйіїєъ")
_NUM2WORDS_CODES = {"cs": "cs", "zh": "ja"}


@functools.cache
def words_table() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("keepfacts.eval").joinpath("data/words.json").read_text(encoding="utf-8")
    )
    return data


def base_lang(lang: str) -> str:
    return base_language(lang)


@functools.cache
def locale(lang: str) -> Locale:
    try:
        return Locale.parse(base_lang(lang))
    except (UnknownLocaleError, ValueError) as exc:
        raise LanguageError(f"unknown language {lang!r}") from exc


@functools.cache
def number_symbols(lang: str) -> tuple[str, str]:
    """(decimal, group) symbols of the language (CLDR, latn digits)."""
    symbols = locale(lang).number_symbols.get("latn", {})
    return symbols.get("decimal", "."), symbols.get("group", ",")


def stem(word: str) -> str:
    """The word without up to two final vowels (or soft signs), keeping at least three characters."""
    w = word.lower()
    end = len(w)
    while end > 3 and len(w) - end < 2 and w[end - 1] in _VOWELS:
        end -= 1
    return w[:end]


@functools.cache
def scale_words(lang: str) -> tuple[tuple[str, int], ...]:
    """(word, multiplier) pairs, longest word first: CLDR compact decimal formats plus words.json."""
    found: dict[str, int] = {}
    formats = locale(lang).compact_decimal_formats
    for style in ("short", "long"):
        for plural in formats.get(style, {}).values():
            for magnitude, pattern in plural.items():
                text = pattern.pattern if hasattr(pattern, "pattern") else str(pattern)
                zeros = text.count("0")
                # Abbreviations keep CLDR's period: Czech "mil." is a million, "mil" are miles.
                word = re.sub(r"[0\u00a0\s]+", " ", text.replace("'", "")).strip().lower()
                if not zeros or not word or re.search(r"\d", word):
                    continue
                multiplier = int(magnitude) // 10 ** (zeros - 1)
                if multiplier > 1:
                    found.setdefault(word, multiplier)
    for word, multiplier in words_table()["scales"].get(base_lang(lang), {}).items():
        found.setdefault(word.lower(), int(multiplier))
    return tuple(sorted(found.items(), key=lambda item: -len(item[0])))


@functools.cache
def scale_pattern(lang: str) -> re.Pattern[str]:
    words = [re.escape(word) for word, _ in scale_words(lang)]
    if not words:
        return re.compile(r"(?!x)x")
    tail = "" if base_lang(lang) in CJK else r"(?![^\W\d_])"
    return re.compile(r"[\s\u00a0\u202f-]?(" + "|".join(words) + r")" + tail, re.IGNORECASE)


# Length-preserving normalization shared by outputs and forms: full-width ASCII (ＵＡＥ, ４，０００) and the
# apostrophes of Ukrainian (пʼять / п’ять / п'ять).
_NORMALIZE: dict[int, int | str] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_NORMALIZE.update({ord(ch): "'" for ch in "ʼ’‘`´"})
_NORMALIZE[0x3000] = " "


def normalize(text: str) -> str:
    return text.translate(_NORMALIZE)


def _forms_pattern(stems: list[str], lang: str, exact: bool = False) -> re.Pattern[str] | None:
    stems = sorted({normalize(s) for s in stems if s}, key=len, reverse=True)
    if not stems:
        return None
    if base_lang(lang) in CJK:
        return re.compile("|".join(stems))
    end = r"(?!\w)" if exact else ""
    return re.compile(r"(?<!\w)(?:" + "|".join(stems) + ")" + end, re.IGNORECASE)


def _phrase_stem(phrase: str) -> str:
    words = phrase.replace("-", " ").split()
    return r"\w*\s+".join(re.escape(stem(w)) if len(w) > 3 else re.escape(w.lower()) for w in words)


@functools.cache
def number_word_pattern(amount: int, lang: str, ordinal: bool = False) -> re.Pattern[str] | None:
    """Spelled-out forms of an integer in `lang` (num2words, plus the inflected small numerals)."""
    lang = base_lang(lang)
    if amount < 0 or amount > 10**12:
        return None
    stems: list[str] = []
    tables = words_table()
    key = str(amount)
    if ordinal:
        stems.extend(tables["ordinals"].get(lang, {}).get(key, []))
    else:
        stems.extend(tables["small_numbers"].get(lang, {}).get(key, []))
    if lang in CJK:  # CJK numerals themselves are parsed as numbers (see eval.match)
        return _forms_pattern(stems, lang)
    try:
        from num2words import num2words

        written = num2words(
            amount, lang=_NUM2WORDS_CODES.get(lang, lang), to="ordinal" if ordinal else "cardinal"
        )
        stems.append(_phrase_stem(written))
        if lang == "de" and written.startswith("ein") and len(written) > 6:  # (ein)hunderttausend
            stems.append(_phrase_stem(written[3:]))
    except (NotImplementedError, OverflowError, KeyError, ValueError, TypeError):
        pass
    return _forms_pattern(stems, lang)


@functools.cache
def _calendar_stems(lang: str, field: str) -> dict[int, list[str]]:
    loc = locale(lang)
    data = loc.months if field == "months" else loc.days
    by_key: dict[int, list[str]] = {}
    for key in data["format"]["wide"]:
        wide = [data[ctx]["wide"][key] for ctx in ("format", "stand-alone") if key in data[ctx]["wide"]]
        abbreviated = [
            data[ctx]["abbreviated"][key]
            for ctx in ("format", "stand-alone")
            if key in data[ctx]["abbreviated"]
        ]
        stems: list[str] = []
        if base_lang(lang) in CJK:
            stems.extend(re.escape(w) for w in wide)
            stems.extend(re.escape(w[:-1]) for w in wide if w.endswith("日") and len(w) > 2)
            stems.extend(re.escape(w) for w in abbreviated if len(w) > 1)
        else:
            prefix = _common_prefix([w.lower() for w in wide])
            if len(prefix) >= 4:
                stems.append(re.escape(prefix))
            stems.extend(re.escape(stem(w)) for w in wide)
            # A fleeting vowel (Slavic): понеділок -> понеділка, čtvrtek -> čtvrtku.
            stems.extend(
                re.escape(w.lower()[:-2] + w.lower()[-1])
                for w in wide
                if len(w) > 5 and w[-2].lower() in "оеіe" and w[-1].lower() not in _VOWELS
            )
            stems.extend(re.escape(w.lower().rstrip(".")) + r"(?:\.|\b)" for w in abbreviated if len(w) >= 3)
        by_key[int(key)] = stems
    return by_key


def _common_prefix(words: list[str]) -> str:
    if not words:
        return ""
    prefix = words[0]
    for word in words[1:]:
        while not word.startswith(prefix):
            prefix = prefix[:-1]
    return prefix


@functools.cache
def month_pattern(month: int, lang: str) -> re.Pattern[str] | None:
    stems = list(_calendar_stems(lang, "months").get(month, []))
    if base_lang(lang) in CJK:
        stems.append(rf"(?<!\d){month}\s*月")
    return _forms_pattern(stems, lang)


# CLDR day keys run Monday=0 .. Sunday=6, like the English extractor's weekday values.
@functools.cache
def weekday_pattern(weekday: int, lang: str) -> re.Pattern[str] | None:
    stems = list(_calendar_stems(lang, "days").get(weekday, []))
    if base_lang(lang) == "zh":
        stems.extend(["礼拜" + "一二三四五六日"[weekday]])
    return _forms_pattern(stems, lang)


@functools.cache
def unit_noun_pattern(unit: str, lang: str) -> re.Pattern[str] | None:
    """Words for a calendar unit ("year") in `lang`, from CLDR unit data (relative dates: "last year")."""
    from babel.units import format_unit

    units = {
        "year": "duration-year",
        "month": "duration-month",
        "week": "duration-week",
        "day": "duration-day",
    }
    measure = units.get(unit, "duration-week" if unit == "weekend" else None)
    if measure is None:
        return None
    stems = list(words_table()["units"].get(unit, {}).get(base_lang(lang), []))
    if unit == "weekend":
        stems.extend(words_table()["units"]["week"].get(base_lang(lang), []))
    for count in (1, 2, 5):
        try:
            text = format_unit(count, measure, "long", locale=locale(lang))
        except Exception:
            continue
        word = re.sub(r"[\d\s\u00a0\u202f.,]+", " ", text).strip()
        if word and not word.startswith("duration"):
            stems.append(re.escape(word if base_lang(lang) in CJK else stem(word.split()[-1])))
    return _forms_pattern(stems, lang)


@functools.cache
def table_pattern(table: str, key: str, lang: str) -> re.Pattern[str] | None:
    """A pattern from the fractions/approx hand tables of words.json."""
    entries = words_table()[table].get(key, {})
    return _forms_pattern(list(entries.get(base_lang(lang), [])), lang)


@functools.cache
def percent_words(lang: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in words_table()["percent"]]
    return re.compile(r"\s?(?:" + "|".join(words) + ")", re.IGNORECASE)
