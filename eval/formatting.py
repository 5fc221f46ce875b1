"""format_figure(): write a source figure the way a target language usually writes it (Babel/CLDR).

Used by the guard's repair: it writes the whole figure, amount with its currency (eval.currencies) or
unit (eval.units); a qualifier ("over", "nearly") stays the model's words around it.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from babel.dates import format_skeleton, format_time
from babel.numbers import format_decimal, format_percent

from keepfacts.eval import currencies, units
from keepfacts.eval import locale_forms as lf

_ORDINAL_SUFFIX = {"de": ".", "cs": ".", "pl": ".", "ru": "-й", "uk": "-й", "fr": "e", "es": "º", "pt": "º"}
_ORDINAL_SUFFIX["it"] = "º"


def _english_ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }".replace(" ", "")


def format_figure(value: dict[str, Any], lang: str) -> str:
    """'100000' -> '100.000' (de), '100 000' (ru: with a no-break space); dates with CLDR month names."""
    # Babel rounds through decimal's context (28 digits by default): a 40-digit amount needs more.
    with decimal.localcontext() as context:
        context.prec = 80
        return _format_figure(value, lang)


def _format_figure(value: dict[str, Any], lang: str) -> str:
    loc = lf.locale(lang)
    base = lf.base_lang(lang)
    kind = value.get("kind")
    if kind == "date":
        return _format_date(value, lang)
    if kind == "time":
        return format_time(dt.time(int(value["hour"]), int(value.get("minute") or 0)), "short", locale=loc)
    if kind == "code":
        return "/".join(str(p) for p in value.get("parts", []))
    amount = value.get("amount")
    if amount is None:
        return ""
    if kind in ("percent", "fraction"):
        share = float(amount) / 100 if kind == "percent" else float(amount)
        with decimal.localcontext() as context:
            context.prec = 400
            return str(format_percent(share, locale=loc, decimal_quantization=False))
    if kind == "ordinal":
        n = int(amount)
        if base == "en":
            return _english_ordinal(n)
        if base in lf.CJK:
            return f"第{n}"
        return f"{n}{_ORDINAL_SUFFIX.get(base, '.')}"
    with decimal.localcontext() as context:
        context.prec = 400  # Babel quantizes in the current context: 28 digits by default, too few for 1e30
        number = format_decimal(amount, locale=loc, decimal_quantization=False)
    if kind == "money" and value.get("unit"):
        return currencies.format_money(float(amount), str(value["unit"]), lang)
    if kind == "quantity" and value.get("unit") in units.UNITS:
        return units.format_quantity(float(amount), str(value["unit"]), lang)
    return str(number)


def _format_date(value: dict[str, Any], lang: str) -> str:
    loc = lf.locale(lang)
    year, month, day = value.get("year"), value.get("month"), value.get("day")
    try:
        if month and year and day:
            return format_skeleton("yMMMMd", dt.date(year, month, day), locale=loc)
        if month and year:
            return format_skeleton("yMMMM", dt.date(year, month, 1), locale=loc)
        if month and day:
            return format_skeleton("MMMMd", dt.date(2000, month, day), locale=loc)
    except ValueError:  # a date the calendar does not have ("February 31"): its parts, as written
        name = str(loc.months["format"]["wide"][month])
        parts = [f"{name} {day}," if lf.base_lang(lang) == "en" else f"{day} {name}", str(year or "")]
        return " ".join(parts).strip(" ,")
    if month:
        return str(loc.months["stand-alone"]["wide"][month])
    if year:
        return f"{year}年" if lf.base_lang(lang) in lf.CJK else str(year)
    if "weekday" in value:
        return str(loc.days["format"]["wide"][int(value["weekday"])])
    return str(value.get("relative", ""))
