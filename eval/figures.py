"""Figures in English text: numbers in every common form, with their qualifier, unit and span.

Each match becomes a value dict: {"kind", "amount", "unit", "qualifier", ...}. kinds: number, percent,
money, quantity, ordinal, fraction, approx, date (year/month/day/weekday/relative), time, code.
Patterns are compiled once at import; extraction is a handful of regex passes per text.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from typing import Any

from keepfacts.eval import currencies, direction, units
from keepfacts.eval import english_numbers as en

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
CURRENCIES = {"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "a$": "AUD", "c$": "CAD"}
SCALE_SUFFIX = {
    "thousand": 10**3, "k": 10**3, "million": 10**6, "m": 10**6, "mn": 10**6, "mln": 10**6,
    "billion": 10**9, "bn": 10**9, "b": 10**9, "trillion": 10**12, "tn": 10**12,
}  # fmt: skip
QUALIFIERS = {
    "more than": "over", "over": "over", "exceeding": "over", "upwards of": "over", "just over": "over",
    "in excess of": "over", "above": "over",
    "around": "around", "about": "around", "approximately": "around", "roughly": "around", "some": "around",
    "an estimated": "around", "estimated": "around", "circa": "around",
    "nearly": "nearly", "almost": "nearly", "close to": "nearly", "just under": "nearly",
    "up to": "up to", "as many as": "up to", "at least": "at least", "at most": "at most",
    "less than": "under", "fewer than": "under", "under": "under", "below": "under",
}  # fmt: skip

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)(?![a-z])"
)
_WORD_NUM = r"(?:{c})(?:[- ](?:{c}))?(?:\s+(?:{s}))*".format(
    c="|".join(en.CARDINAL_WORDS), s="|".join(en.SCALE_WORDS)
)
_QUALIFIER_BEFORE = re.compile(
    r"(?:^|(?<=\W))(" + "|".join(sorted(map(re.escape, QUALIFIERS), key=len, reverse=True)) + r")\s+$",
    re.IGNORECASE,
)

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "time",
        re.compile(
            r"(?<![\w.,])(\d{1,2})(?:[:.](\d{2}))?\s?(a\.m\.?|p\.m\.?|am|pm|AM|PM|A\.M\.|P\.M\.)(?![A-Za-z])"
        ),
    ),
    (
        "time24",
        re.compile(r"(?<![\w.,:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])"),
    ),
    # "1981-87", "2019-20", "1914-1918": a range of years (the abbreviated end takes the start's century).
    (
        "year_range",
        re.compile(r"(?<![\w.,/-])((?:1[5-9]|20)\d\d)\s?[-–]\s?(\d\d|(?:1[5-9]|20)\d\d)(?![\w%/-]|[.,]\d)"),
    ),
    # ISO dates: "2022-02", "2023-04-03".
    (
        "iso_date",
        re.compile(
            r"(?<![\w.,/-])((?:1[5-9]|20)\d\d)-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?(?![\w/-]|[.,]\d)"
        ),
    ),
    # "the 1980s", "the '80s", "in her 40s".
    (
        "decade",
        re.compile(r"(?:\bthe\s+)?(?:\b((?:1[5-9]|20)\d0)s|'(\d0)s)\b|\b([1-9]0)s\b"),
    ),
    # A result: "won 2-1", "the 3-0 defeat" (a bare "10-15 people" is a range of two numbers).
    (
        "score",
        re.compile(r"(?<![\w.,-])(\d{1,2})\s?[-–]\s?(\d{1,2})(?![\w.,%-])"),
    ),
    (
        "money",
        re.compile(
            r"(?<![\w])(US\$|A\$|C\$|\$|£|€|¥)\s?(" + _NUM + r")(?:\s?(thousand|million|billion|trillion"
            r"|bn|mn|mln|tn|m|k|b)\b)?",
            re.IGNORECASE,
        ),
    ),
    # Day-month first: in "22 March" the day belongs to the month, not to a bare number.
    (
        "date_dm",
        re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + _MONTH + r")(?:,?\s+(\d{4})\b)?"),
    ),
    (
        "date_md",
        re.compile(r"\b(" + _MONTH + r")(?:\s+(\d{1,2})(?:st|nd|rd|th)?\b)?(?:,?\s+(\d{4})\b)?"),
    ),
    (
        "relative",
        re.compile(r"\b(last|next|this|previous|past|coming)\s+(year|month|week|weekend)\b", re.IGNORECASE),
    ),
    (
        "weekday",
        re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b"),
    ),
    (
        "code",
        re.compile(r"(?<![\w/])\d{1,4}(?:/\d{1,4}){1,2}(?![\w/])"),
    ),
    (
        "approx",
        re.compile(
            r"\b(tens|hundreds|dozens|several)\s+of\s+(thousands|millions|billions)\b"
            r"|\b(thousands|millions|billions|hundreds|dozens)\s+(?=of\b)"
            r"|\bseveral\s+(hundred|thousand|million|billion)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "dozen",
        re.compile(r"\b(a|one|two|three|four|five|six|half\s+a)\s+dozen\b", re.IGNORECASE),
    ),
    (
        "percent",
        re.compile(r"(?<![\w.,])(" + _NUM + r")\s?(%|percent\b|per\s+cent\b|percentage\s+points?\b)"),
    ),
    (
        "digits",
        re.compile(
            r"(?:(?<![\w.,$£€¥])|(?<=\bN))(?<![A-Za-z]-)(" + _NUM + r")(?:(st|nd|rd|th)\b)?"
            r"(?:\s?(thousand|million|billion|trillion|bn|mn|mln|tn|(?<=\d)[mk])\b)?"
            r"(?:(-year-old|-years-old|-year|-month|-day|-week|-hour|-minute)\b)?"
            r"(?!\d)",
            re.IGNORECASE,
        ),
    ),
    (
        "fraction",
        re.compile(
            r"\b(?:(one|a|two)[- ])?(half|halves|third|thirds|quarter|quarters)\b(?=\s+(?:of|the|a|an)\b)"
            r"|\b(?:one|two|three)[- ](?:thirds?|quarters?|halves)\b|\bhalf\b",
            re.IGNORECASE,
        ),
    ),
    (
        "ordinal_word",
        re.compile(
            r"\b(?:the|its|his|her|their|our|my|your|a)\s+(" + "|".join(en.ORDINAL_WORDS) + r")\b",
            re.IGNORECASE,
        ),
    ),
    (
        "word_number",
        re.compile(r"\b(?:a\s+(?=hundred|thousand|million|billion)|)(" + _WORD_NUM + r")\b", re.IGNORECASE),
    ),
]

# Substrings without which a pattern cannot match (a cheap test before a pass over a long text).
_NEEDS: dict[str, tuple[str, ...]] = {
    "year_range": ("-", "–"),
    "iso_date": ("-",),
    "decade": ("0s",),
    "score": ("-", "–"),
    "money": ("$", "£", "€", "¥"),
    "relative": ("last", "next", "this", "previous", "past", "coming"),
    "weekday": ("day",),
    "code": ("/",),
    "approx": ("tens", "hundreds", "dozens", "several", "thousands", "millions", "billions"),
    "dozen": ("dozen",),
    "percent": ("%", "per"),
    "fraction": ("half", "halves", "third", "quarter"),
    "time": ("m",),
    "time24": (":",),
}
_NOUN_AFTER = re.compile(r"[ -]([a-z]{3,})\b")
_NOT_NOUNS = frozenset(
    "and the for with from that this time than into onto over under was were are has have had its".split()
)
_CONVERSION = re.compile(r"\s*\(\s*$")


@dataclass
class FigureMatch:
    start: int
    end: int
    value: dict[str, Any]


def _number(text: str) -> float | int:
    value = float(text.replace(",", ""))
    return int(value) if value.is_integer() and "." not in text else value


def _clean(amount: float | int) -> float | int:
    if isinstance(amount, float):
        if amount.is_integer():
            return int(amount)
        return round(amount, 10)
    return amount


def _value(kind: str, amount: Any = None, **extra: Any) -> dict[str, Any]:
    value: dict[str, Any] = {"kind": kind}
    if amount is not None:
        value["amount"] = _clean(amount)
    value.setdefault("unit", None)
    value.setdefault("qualifier", None)
    for key, item in extra.items():
        value[key] = item
    return value


def _from_match(name: str, m: re.Match[str], text: str) -> dict[str, Any] | None:
    if name == "time":
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if hour > 12 or minute > 59:
            return None
        pm = m.group(3).lower().startswith("p")
        hour = (hour % 12) + (12 if pm else 0)
        return _value("time", hour=hour, minute=minute)
    if name == "time24":
        return _value("time", hour=int(m.group(1)), minute=int(m.group(2)))
    if name == "iso_date":
        value = {"kind": "date", "year": int(m.group(1)), "month": int(m.group(2))}
        if m.group(3):
            value["day"] = int(m.group(3))
        return value
    if name == "decade":
        if m.group(1) or m.group(2):
            return _value("decade", int(m.group(1) or "19" + m.group(2)))
        return _value("decade", int(m.group(3)))
    if name == "score":
        if not (
            _SCORE_BEFORE.search(text, max(0, m.start() - 30), m.start()) or _SCORE_AFTER.match(text, m.end())
        ):
            return None
        return _value("score", parts=[int(m.group(1)), int(m.group(2))])
    if name == "dozen":
        head = m.group(1).lower()
        return _value("number", 6 if head.startswith("half") else 12 * (en.words_to_number(head) or 1))
    if name == "money":
        amount = _number(m.group(2)) * SCALE_SUFFIX.get((m.group(3) or "").lower(), 1)
        return _value("money", amount, unit=CURRENCIES[m.group(1).lower()])
    if name in ("date_md", "date_dm"):
        month_text, day, year = (m.group(1), m.group(2), m.group(3))
        if name == "date_dm":
            month_text, day = m.group(2), m.group(1)
        month = MONTHS[month_text.lower().rstrip(".")]
        if day and not 1 <= int(day) <= 31:  # "March 45": not a day of the month
            return None
        if month_text == "May" and not (day or year or _MAY_CONTEXT.search(text, 0, m.start())):
            return None
        if (
            month_text.endswith(".") is False
            and month_text.lower() in ("mar", "jan", "jun", "dec")
            and not day
        ):
            return None
        value = _value("date", month=month)
        del value["unit"], value["qualifier"]
        if day:
            value["day"] = int(day)
        if year:
            value["year"] = int(year)
        return value
    if name == "relative":
        value = {"kind": "date", "relative": f"{m.group(1).lower()} {m.group(2).lower()}"}
        return value
    if name == "weekday":
        return {"kind": "date", "weekday": WEEKDAYS[m.group(1).lower()]}
    if name == "code":
        return _value("code", parts=[int(p) for p in m.group(0).split("/")])
    if name == "approx":
        words = m.group(0).lower().split()
        if words[0] == "several":
            return _value("approx", en.SCALES.get(words[1], 2), magnitude=m.group(0).lower())
        if len(words) >= 3:
            amount = en.APPROX_MULTIPLES[words[0]] * en.APPROX_SCALES[words[2]]
        else:
            amount = en.APPROX_SCALES[words[0]]
        return _value("approx", amount, magnitude=" ".join(words))
    if name == "percent":
        points = m.group(2).lower().startswith("percentage")
        return _value("percent", _number(m.group(1)), unit="pp" if points else "%")
    if name == "digits":
        return _digits_value(m)
    if name == "fraction":
        words = m.group(0).lower().replace("-", " ").split()
        head = words[-1]
        amount = en.FRACTIONS[head]
        if len(words) == 2 and words[0] in ("two", "three"):
            amount *= en.UNITS[words[0]]
        return _value("fraction", amount)
    if name == "ordinal_word":
        return _value("ordinal", en.ORDINALS[m.group(1).lower()])
    if name == "word_number":
        phrase = m.group(0).strip()
        number = en.words_to_number(phrase)
        if number is None or phrase.lower() in ("one", "zero", "a"):
            return None
        return _value("number", number)
    return None


# The currency a generic name ("dollars", "pounds") stands for in an English text, when it is among them.
_PREFERRED = ("USD", "GBP", "EUR")
_SCORE_BEFORE = re.compile(
    r"\b(?:won|wins?|winning|lost|lose|loses|losing|beat|beats|beaten|defeated|defeats?|drew|draws?|drawn"
    r"|trailed|trailing|led|leading|victory|scored?|thrashed|edged|edges|down|up)\b[^.\d]{0,20}$",
    re.IGNORECASE,
)
_SCORE_AFTER = re.compile(
    r"\s*(?:win|victory|defeat|loss|lead|draw|home|away|scoreline|triumph|thrashing|aggregate|reverse"
    r"|success|result|score)\b",
    re.IGNORECASE,
)
_MAY_CONTEXT = re.compile(r"\b(?:in|on|since|until|of|early|late|mid|from|by|last|next|this)\s*-?\s*$", re.I)


def _digits_value(m: re.Match[str]) -> dict[str, Any] | None:
    raw, ordinal, scale, hyphen_unit = m.groups()
    amount = _number(raw)
    if ordinal:
        return _value("ordinal", amount)
    if scale:
        amount = amount * SCALE_SUFFIX[scale.lower()]
    if hyphen_unit:
        unit = hyphen_unit.lstrip("-").split("-")[0]
        return _value("quantity", amount, unit=unit)
    if not scale and isinstance(amount, int) and 1800 <= amount <= 2100 and re.fullmatch(r"\d{4}", raw):
        value = {"kind": "date", "year": amount}
        return value
    return _value("number", amount)


def _finite(value: dict[str, Any]) -> bool:
    """A run of hundreds of digits (or a scale word on a huge one) overflows a float: not a figure."""
    amounts = [value.get("amount"), *(alt.get("amount") for alt in value.get("alternatives", []))]
    return all(a is None or math.isfinite(a) for a in amounts)


def find_figures(text: str) -> list[FigureMatch]:
    """All figures in English text, in order, without overlaps (earlier patterns win)."""
    taken = bytearray(len(text))
    found: list[FigureMatch] = []
    lowered = text.lower()
    for name, pattern in PATTERNS:
        needs = _NEEDS.get(name)
        if needs is not None and not any(word in lowered for word in needs):
            continue  # a pattern whose keyword the text lacks cannot match: skip its pass
        for m in pattern.finditer(text):
            start, end = m.span(1) if name == "ordinal_word" else m.span()
            if name == "ordinal_word" or (name == "digits" and m.group(2)):
                noun = _NOUN_AFTER.match(text, end)
                if noun and noun.group(1).lower() not in _NOT_NOUNS:
                    end = noun.end()
            if name == "approx" and text[end - 1] == " ":
                end = len(text[:end].rstrip())
            if any(taken[start:end]):
                continue
            if name == "year_range":
                ends = _year_range(m)
                if ends:
                    taken[start:end] = b"\x01" * (end - start)
                    found.extend(ends)
                continue
            value = _from_match(name, m, text)
            if value is None or not _finite(value):
                continue
            if name == "digits" and value.get("kind") == "number":
                glued = text[end : end + 1].isalpha()  # "85mph" is a figure, "3G" or "F16" is not
                # What the number measures, read by the same currency and unit readers as outputs.
                money = currencies.currency_near(text, start, end, "en")
                if money is not None and not any(taken[money.start : money.end]):
                    codes = sorted(money.codes)
                    unit = next((c for c in _PREFERRED if c in money.codes), codes[0])
                    value.update(kind="money", unit=unit)
                    if len(codes) > 1:
                        value["currencies"] = codes
                    start, end = min(start, money.start), max(end, money.end)
                    taken[start:end] = b"\x01" * (end - start)
                    found.append(FigureMatch(start, end, value))
                    continue
                mention = units.unit_near(text, start, end, "en")
                if glued and (mention is None or mention.start != end):
                    continue
                if (
                    mention is not None
                    and not any(taken[mention.start : mention.end])
                    and not re.search(r"\d", text[end : mention.start])  # "80-85mph": 85 has it
                ):
                    value.update(kind="quantity", unit=mention.unit)
                    start, end = min(start, mention.start), max(end, mention.end)
            taken[start:end] = b"\x01" * (end - start)
            found.append(FigureMatch(start, end, value))
    found.sort(key=lambda f: f.start)
    _add_qualifiers(text, found)
    _add_ranges(text, found)
    _add_rates(text, found)
    for figure in found:
        if figure.value.get("kind") != "date" and direction.negated(text, figure.start, figure.end, "en"):
            figure.value["negated"] = True  # "did not exceed 3%": the clause that holds it is negated
    return _merge_conversions(text, found)


def _year_range(m: re.Match[str]) -> list[FigureMatch]:
    """'1981-87' -> 1981 and 1987; None-like (empty) when the second part is no later year ('2022-02' is
    February, '1990-1985' is no range)."""
    low, high_text = int(m.group(1)), m.group(2)
    if len(high_text) == 2:
        if high_text.startswith("0") and int(high_text) <= 12 and int(high_text) <= low % 100:
            return []
        high = low // 100 * 100 + int(high_text)
        if high <= low:
            high += 100
    else:
        high = int(high_text)
    if not low < high <= low + 100:
        return []
    return [
        FigureMatch(m.start(1), m.end(1), {"kind": "date", "year": low}),
        FigureMatch(m.start(2), m.end(2), {"kind": "date", "year": high, "range": "end"}),
    ]


def _add_qualifiers(text: str, found: list[FigureMatch]) -> None:
    for figure in found:
        if "qualifier" not in figure.value and figure.value["kind"] == "date":
            continue
        before = text[max(0, figure.start - 20) : figure.start]
        m = _QUALIFIER_BEFORE.search(before)
        if not m:
            continue
        words = m.group(1).lower()
        if words == "some" and figure.value["kind"] in ("fraction", "ordinal"):
            continue
        if words in ("over", "under", "above", "below") and figure.value["kind"] in ("date", "time"):
            continue
        figure.value["qualifier"] = QUALIFIERS[words]
        figure.start -= len(before) - m.start(1)


_RATE = re.compile(
    r"(?:\s+[^\W\d_][\w'-]*){0,2}?\s+(?:per|for\s+every|in\s+every)\s+(?:(?:a|one)\s+)?"
    r"(\d{1,3}(?:,\d{3})+|\d+|hundred|thousand|million|billion)\b",
    re.IGNORECASE,
)


def _add_rates(text: str, found: list[FigureMatch]) -> None:
    """'5 deaths per million people', '12 cases per 100,000': the rate's base is part of the figure."""
    for figure in found:
        if figure.value.get("kind") not in ("number", "percent", "money", "quantity"):
            continue
        m = _RATE.match(text, figure.end)
        if m:
            base = m.group(1).lower()
            figure.value["per"] = en.SCALES.get(base) or int(base.replace(",", ""))


_RANGE = re.compile(r"\s*(?:-|–|to)\s*$")


def _add_ranges(text: str, found: list[FigureMatch]) -> None:
    """'12 to 15 inches', '80-85mph': the first end takes the second's unit and kind."""
    for first, second in itertools.pairwise(found):
        between = text[first.end : second.start]
        if not _RANGE.fullmatch(between) or first.value.get("kind") != "number":
            continue
        if second.value.get("kind") in ("quantity", "percent", "money"):
            first.value["kind"] = second.value["kind"]
            first.value["unit"] = second.value.get("unit")


def _merge_conversions(text: str, found: list[FigureMatch]) -> list[FigureMatch]:
    """'85 miles (137 kilometers)': one figure, the converted amount kept as an alternative."""
    merged: list[FigureMatch] = []
    for figure in found:
        if merged:
            previous = merged[-1]
            between = text[previous.end : figure.start]
            if (
                _CONVERSION.fullmatch(between)
                and previous.value.get("kind") == "quantity"
                and figure.value.get("kind") == "quantity"
                and previous.value.get("unit") != figure.value.get("unit")
            ):
                previous.value.setdefault("alternatives", []).append(figure.value)
                continue
        merged.append(figure)
    return merged
