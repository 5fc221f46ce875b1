"""Is a source figure kept in an output, with every part of it, in the output's language?

A figure is its amount and what it measures: its unit or currency, percent or percentage points, its
rate base ("per million"), its direction (qualifier, negation of its clause), and for times and dates the
reading the output's language gives them. match_figure() returns a Verdict: kept; changed, naming the
part that changed; or missing (no form of the figure at all).

An amount is found among the readings of the output's numbers by that language's own rules
(eval.match.OutputScan). A number that has the amount only by another convention ("100,000" in German,
where it reads one hundred) is a changed `form`. A quantity converted into another unit is kept when the
converted amount agrees within the rounding the output shows (eval.units).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from keepfacts.eval import currencies, direction, units
from keepfacts.eval import locale_forms as lf
from keepfacts.eval.match import NumberToken, OutputScan, close

# Fractions the hand table knows, by value (two thirds is found by its "third").
_FRACTION_KEYS = {0.5: "0.5", 1 / 3: "0.3333333333", 2 / 3: "0.3333333333", 0.25: "0.25", 0.75: "0.25"}
_APPROX_KEYS = {
    "several hundred": "hundreds",
    "several thousand": "thousands",
    "several million": "millions",
    "dozens of thousands": "tens of thousands",
    "hundreds of millions": "millions",
    "tens of millions": "millions",
}


@dataclass(frozen=True)
class Verdict:
    """kept, or not; `part` names what changed when the output has the figure in another value or form."""

    kept: bool
    part: str | None = None
    reason: str | None = None
    token: NumberToken | None = None

    @property
    def changed(self) -> bool:
        return not self.kept and self.part is not None


KEPT = Verdict(True)
MISSING = Verdict(False)


def figure_kept(value: dict[str, Any], scan: OutputScan) -> bool:
    return match_figure(value, scan).kept


def match_figure(value: dict[str, Any], scan: OutputScan, mode: str = "summary") -> Verdict:
    """The verdict on one source figure value in a scanned output. In a translation a negation the
    output adds is not judged: which words of a clause a negation covers differs between languages
    ("in 24 hours 19 provinces reported no deaths"), while a source negation the output loses is."""
    kind = value.get("kind")
    lang = scan.lang
    if kind == "date":
        return _match_date(value, scan)
    if kind == "time":
        return _match_time(int(value["hour"]), int(value.get("minute") or 0), scan)
    if kind == "code":
        return KEPT if all(scan.has_amount(p) for p in value.get("parts", [])) else MISSING
    if kind == "score":
        return _match_score(value["parts"], scan)
    if kind == "decade":
        return _match_decade(int(value["amount"]), scan)
    if kind == "fraction":
        amount = float(value["amount"])
        key = next((k for v, k in _FRACTION_KEYS.items() if close(v, amount)), None)
        found = bool(key and scan.search(lf.table_pattern("fractions", key, lang))) or scan.has_amount(
            amount * 100
        )
        return KEPT if found else MISSING
    if kind == "approx":
        magnitude = str(value.get("magnitude", ""))
        key = _APPROX_KEYS.get(magnitude, magnitude)
        found = scan.search(lf.table_pattern("approx", key, lang)) or scan.has_amount(float(value["amount"]))
        return KEPT if found else MISSING
    return _match_amount(value, scan, mode)


def _amounts(value: dict[str, Any]) -> list[float]:
    return [
        float(a)
        for a in [value.get("amount")] + [x.get("amount") for x in value.get("alternatives", [])]
        if a is not None
    ]


def _match_amount(value: dict[str, Any], scan: OutputScan, mode: str) -> Verdict:
    amounts = _amounts(value)
    candidates = [t for t in scan.numbers if any(close(a, r) for a in amounts for r in t.readings)]
    first_change: Verdict | None = None
    for token in candidates:
        change = _parts_differ(value, token, scan, mode)
        if change is None:
            return Verdict(True, token=token)
        first_change = first_change or change
    converted = _converted(value, scan)
    if converted is not None:
        return converted
    if first_change is not None:
        return first_change
    for token in scan.numbers:
        # Only the source's own digits under another convention ("100,000" copied into German) are a
        # changed form; "1,000" is no form of a 1 that the source wrote as "first".
        if any(close(a, r) for a in amounts for r in token.foreign) and _same_digits(amounts[0], token.text):
            local = ", ".join(_show(r) for r in sorted(token.readings)) or "no number"
            return Verdict(
                False,
                "form",
                f"{token.text!r} reads as {local} in {lang_name(scan.lang)}; "
                f"the source has {_show(amounts[0])}",
                token,
            )
    kind = value.get("kind")
    for amount in amounts:
        # Spelled out, as a cardinal or an ordinal ("two years" may become "the second anniversary").
        if float(amount).is_integer() and (
            scan.search(lf.number_word_pattern(int(amount), scan.lang, ordinal=(kind == "ordinal")))
            or scan.search(lf.number_word_pattern(int(amount), scan.lang, ordinal=(kind != "ordinal")))
        ):
            return KEPT
    return MISSING


def _same_digits(amount: float, written: str) -> bool:
    digits = re.sub(r"\D", "", f"{amount:f}".rstrip("0").rstrip("."))
    return digits == re.sub(r"\D", "", written)


def _show(amount: float) -> str:
    return f"{int(amount):,}" if float(amount).is_integer() else f"{amount:,.10g}"


def lang_name(lang: str) -> str:
    return lf.locale(lang).get_display_name("en") or lang


def _parts_differ(value: dict[str, Any], token: NumberToken, scan: OutputScan, mode: str) -> Verdict | None:
    """The first part of the source figure that the output's number (same amount) has otherwise."""
    text, lang = scan.text, scan.lang
    kind = value.get("kind")
    if kind == "money" and value.get("unit"):
        mention = currencies.currency_near(text, token.start, token.end, lang)
        want = frozenset(value.get("currencies") or [str(value["unit"])])
        if mention is not None and not currencies.currencies_agree(want, mention.codes):
            return Verdict(
                False,
                "currency",
                f"{value['unit']} in the source, {'/'.join(sorted(mention.codes))} in the output "
                f"({text[mention.start : mention.end]!r})",
                token,
            )
    if kind in ("number", "quantity") and value.get("unit"):
        out_unit = _range_unit(text, token, lang) or units.unit_near(text, token.start, token.end, lang)
        if out_unit is not None and out_unit.unit != value["unit"]:
            agrees = units.conversion_agrees(
                float(value["amount"]), str(value["unit"]), _first(token), out_unit.unit, token.text
            )
            if not agrees:
                return Verdict(
                    False,
                    "unit",
                    f"{value['unit']} in the source, {out_unit.unit} in the output "
                    f"({text[out_unit.start : out_unit.end]!r})",
                    token,
                )
    if kind == "number" and not value.get("unit"):
        # A currency the output gives a bare figure ("300,000" -> "300.000 $") counts when it is a sign or
        # an ISO code: a word after the number may be an ordinary one (Czech "jen" is "only" and "yen").
        mention = currencies.currency_near(text, token.start, token.end, lang)
        if mention is not None and re.fullmatch(
            r"[^\w\s]+|[A-Z]{3}|[A-Z]{1,2}\$", text[mention.start : mention.end].strip()
        ):
            return Verdict(
                False,
                "currency",
                f"no currency in the source, {'/'.join(sorted(mention.codes))} in the output",
                token,
            )
    if kind == "percent":
        out = _percent_kind(text, token.end, lang)
        if out is not None and out != (value.get("unit") or "%"):
            names = {"%": "percent", "pp": "percentage points"}
            return Verdict(False, "percent", f"{names[str(value.get('unit') or '%')]} -> {names[out]}", token)
    if value.get("per") and not _base_present(int(value["per"]), scan):
        return Verdict(
            False, "rate", f"the rate's base (per {_show(value['per'])}) is not in the output", token
        )
    if not direction.supports(lang):
        return None
    src_q = direction.Qualifier(value["qualifier"], 0, 0) if value.get("qualifier") else None
    # A qualifier the output adds to a bare figure is not judged: translators write a source verb as one
    # ("exceeded $4 billion" -> "超过 40 亿美元", "gusts reaching 85mph" -> "bis zu 85 mph").
    out_q = _qualifier_of(text, token, lang) if src_q is not None else None
    src_negated = bool(value.get("negated"))
    out_negated = direction.negated(text, token.start, token.end, lang)
    if mode == "translation" and out_negated and not src_negated:
        out_negated = False
    turned = direction.direction_turned(src_q, src_negated, out_q, out_negated)
    if turned:
        return Verdict(False, turned.split(":")[0].strip() or "qualifier", turned, token)
    return None


def figure_extent(text: str, start: int, end: int, lang: str) -> tuple[int, int]:
    """The span of the whole figure around a number of `text`: with its currency, unit or percent sign
    (what a repair must replace, so that it never leaves the old unit beside the new one)."""
    lo, hi = start, end
    money = currencies.currency_near(text, start, end, lang)
    if money is not None:
        lo, hi = min(lo, money.start), max(hi, money.end)
    else:
        unit = units.unit_near(text, start, end, lang)
        if unit is not None:
            lo, hi = min(lo, unit.start), max(hi, unit.end)
        else:
            percent = _percent_pattern(lang).match(text, end)
            if percent is not None:
                hi = percent.end()
    return lo, hi


_AFTER_CONVERSION = re.compile(r"\s*[^\s(（]{0,12}?\s*[(（][^)）]{1,40}[)）]")


def _qualifier_of(text: str, token: NumberToken, lang: str) -> direction.Qualifier | None:
    """The output number's qualifier; one written after a conversion in brackets counts too
    ('2000 英尺（610 米）以上')."""
    found = direction.qualifier_near(text, token.start, token.end, lang)
    if found is None:
        m = _AFTER_CONVERSION.match(text, token.end)
        if m is not None:
            found = direction.qualifier_near(text, token.start, m.end(), lang)
    return found


_RANGE_BEFORE = re.compile(r"(\d[\d.,]*)\s?[-–]\s?$")


def _range_unit(text: str, token: NumberToken, lang: str) -> units.UnitMention | None:
    """The unit of a range's second number is the range's: '每小时 80-85 英里' is 80-85 mph."""
    m = _RANGE_BEFORE.search(text, max(0, token.start - 16), token.start)
    if m is None:
        return None
    first = units.unit_near(text, m.start(1), m.end(1), lang)
    return first if first is not None and first.start < m.start(1) else None


def _first(token: NumberToken) -> float:
    return min(token.readings) if token.readings else 0.0


def _converted(value: dict[str, Any], scan: OutputScan) -> Verdict | None:
    """A quantity the output gives in another unit: kept when the conversion agrees (8 ft -> 2,5 m)."""
    if value.get("kind") not in ("quantity", "number") or not value.get("unit") or "amount" not in value:
        return None
    # A unit the source converted itself ("85 miles (137 kilometers)") is matched by its exact amount.
    given = {value["unit"], *(alt.get("unit") for alt in value.get("alternatives", []))}
    for token in scan.numbers:
        mention = units.unit_near(scan.text, token.start, token.end, scan.lang)
        if mention is None or mention.unit in given:
            continue
        for reading in token.readings:
            if units.conversion_agrees(
                float(value["amount"]), str(value["unit"]), reading, mention.unit, token.text
            ):
                return Verdict(True, token=token)
    return None


@functools.cache
def _points_pattern(lang: str) -> re.Pattern[str] | None:
    stems = lf.words_table()["percentage_points"].get(lf.base_lang(lang), [])
    return re.compile(r"\s?(?:" + "|".join(stems) + ")", re.IGNORECASE) if stems else None


@functools.cache
def _percent_pattern(lang: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in lf.words_table()["percent"]]
    return re.compile(r"\s?(?:" + "|".join(words) + ")", re.IGNORECASE)


def _percent_kind(text: str, end: int, lang: str) -> str | None:
    """'pp' for percentage points after a number, '%' for percent, None for neither."""
    points = _points_pattern(lang)
    window = text[end : end + 40]
    if points is not None and points.match(window):
        return "pp"
    m = _percent_pattern(lang).match(window)
    if m:
        rest = window[m.end() :]
        if points is not None and re.match(
            r"[\w-]*\s?(?:" + points.pattern.strip("\\s?") + ")", rest, re.IGNORECASE
        ):
            return "pp"
        return "%"
    return None


def _base_present(base: int, scan: OutputScan) -> bool:
    if scan.has_amount(base) or scan.search(lf.number_word_pattern(base, scan.lang)):
        return True
    return any(
        m == base and re.search(re.escape(w), scan.text, re.IGNORECASE) for w, m in lf.scale_words(scan.lang)
    )


# --- times -------------------------------------------------------------------------------------------


@functools.cache
def _day_periods(lang: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """(words of the afternoon and evening, words of the morning) in `lang`, from CLDR's day periods."""
    periods = lf.locale(lang).day_periods
    late: set[str] = set()
    early: set[str] = set()
    for context in periods.values():
        for width in context.values():
            for key, word in width.items():
                if key in ("pm", "afternoon1", "afternoon2", "evening1", "evening2"):
                    late.add(word)
                elif key in ("am", "morning1", "morning2"):
                    early.add(word)
    if lf.base_lang(lang) == "en":
        late.update({"p.m.", "pm", "in the evening", "in the afternoon", "tonight"})
        early.update({"a.m.", "am", "in the morning"})

    def pattern(words: set[str]) -> re.Pattern[str] | None:
        alts = sorted((re.escape(w).replace(r"\ ", r"\s") for w in words if w), key=len, reverse=True)
        return re.compile("|".join(alts), re.IGNORECASE) if alts else None

    return pattern(late), pattern(early)


@functools.cache
def _twelve_hour(lang: str) -> bool:
    """Does the language read a bare clock hour on a 12-hour dial (CLDR's short time format)?"""
    return "h" in lf.locale(lang).time_formats["short"].pattern.replace("'", "")


@functools.cache
def _clock_pattern(lang: str) -> re.Pattern[str] | None:
    words = lf.words_table()["clock_words"].get(lf.base_lang(lang), [])
    return re.compile(r"\s?(?:" + "|".join(words) + ")", re.IGNORECASE) if words else None


def _clock_hours(token: NumberToken, scan: OutputScan) -> tuple[set[int], int] | None:
    """The hours of the day a time in the output can mean, and its minutes; None for no clock time."""
    if token.time is not None:
        hour, minute = token.time
    else:
        clock = _clock_pattern(scan.lang)
        if clock is None or not clock.match(scan.text, token.end):
            return None
        whole = [r for r in token.readings if float(r).is_integer() and 0 <= r <= 24]
        if not whole:
            return None
        hour, minute = int(whole[0]), 0
    if hour > 12:
        return {hour % 24}, minute
    late, early = _day_periods(scan.lang)
    around = scan.text[max(0, token.start - 12) : token.end + 25]
    if late is not None and late.search(around):
        return {hour % 12 + 12}, minute
    if early is not None and early.search(around):
        return {hour % 12}, minute
    return ({hour % 12, hour % 12 + 12} if _twelve_hour(scan.lang) else {hour}), minute


def _match_time(hour: int, minute: int, scan: OutputScan) -> Verdict:
    changed: Verdict | None = None
    for token in scan.numbers:
        reading = _clock_hours(token, scan)
        if reading is None:
            continue
        hours, out_minute = reading
        if hour in hours and out_minute == minute:
            return Verdict(True, token=token)
        if out_minute == minute and hour % 12 in {h % 12 for h in hours} and changed is None:
            shown = "/".join(f"{h:02d}:{out_minute:02d}" for h in sorted(hours))
            changed = Verdict(
                False,
                "time",
                f"{token.text!r} reads {shown} in {lang_name(scan.lang)}; "
                f"the source has {hour:02d}:{minute:02d}",
                token,
            )
    if changed is not None:
        return changed
    return KEPT if scan.has_time(hour, minute) else MISSING


# --- dates, decades, scores ----------------------------------------------------------------------------


def _match_date(value: dict[str, Any], scan: OutputScan) -> Verdict:
    for token in scan.numbers:
        if token.date is None:
            continue
        day, month, year = token.date
        wanted = [(value.get("day"), day), (value.get("month"), month), (value.get("year"), year)]
        if all(w == got for w, got in wanted if w is not None):
            return Verdict(True, token=token)
    return KEPT if _date_kept(value, scan) else MISSING


def _date_kept(value: dict[str, Any], scan: OutputScan) -> bool:
    lang = scan.lang
    if "year" in value and not scan.has_amount(value["year"]):
        return False
    if "day" in value and not scan.has_amount(value["day"]):
        return False
    if "month" in value and not scan.search(lf.month_pattern(int(value["month"]), lang)):
        # Numeric dates: "26.11." / "26/11" / "11月26日" / "2022-02".
        month = int(value["month"])
        day = value.get("day")
        numeric = re.compile(
            rf"(?<!\d)(?:{day}\s*[./]\s*0?{month}\b|0?{month}\s*月)"
            if day
            else rf"(?<!\d)0?{month}\s*月|(?<!\d){value.get('year', '')}-0?{month}(?!\d)"
        )
        if not numeric.search(scan.text):
            return False
    if "weekday" in value and not scan.search(lf.weekday_pattern(int(value["weekday"]), lang)):
        return False
    if "relative" in value:
        unit = str(value["relative"]).split()[-1]
        return scan.search(lf.unit_noun_pattern(unit, lang))
    return True


_DECADE_SUFFIX = re.compile(r"[-']?(?:er|s|х|x|е|e|ых|тих|年代|\s*年代)", re.IGNORECASE)


def _match_decade(amount: int, scan: OutputScan) -> Verdict:
    """'the 1980s': 1980er, 1980-х, années 1980, 1980年代, or the short form with a decade ending (80er)."""
    if scan.has_amount(amount):
        return KEPT
    if amount >= 1000:
        short = float(amount % 100)
        for token in scan.numbers:
            if short in token.readings and _DECADE_SUFFIX.match(scan.text, token.end):
                return Verdict(True, token=token)
    return MISSING


_SCORE_JOIN = r"(?:[-–:]|\bà\b|\ba\b|\bzu\b|\bna\b|\bк\b|比|対)"


def _match_score(parts: list[int], scan: OutputScan) -> Verdict:
    a, b = parts
    kept = re.search(rf"(?<![\d.,]){a}\s*{_SCORE_JOIN}\s*{b}(?!\d|[.,]\d)", scan.text)
    if kept:
        return KEPT
    swapped = re.search(rf"(?<![\d.,]){b}\s*{_SCORE_JOIN}\s*{a}(?!\d|[.,]\d)", scan.text)
    if swapped and a != b:
        return Verdict(False, "score", f"{a}-{b} in the source, {b}-{a} in the output")
    return MISSING
