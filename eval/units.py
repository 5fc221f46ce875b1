"""The unit a number carries, in the text's language, and whether a translator's conversion keeps it.

Where the words come from
    CLDR through Babel: every unit of UNITS with a CLDR id is written with ``babel.units.format_unit`` in
    the long, short and narrow styles, once per plural category of the language (so Russian gets
    "километр", "километра", "километров"), for the language and the regional variants that spell
    differently (en_GB "kilometres", pt_PT "quilómetros", zh_Hant "公尺"). What CLDR writes before the
    number ("時速 {0} キロメートル", "摂氏 {0} 度", "每小时{0}公里") becomes a prefix that turns the unit
    after the number into another one (kilometer -> kilometer_per_hour).
    Hand tables (small, per language, below): the English press's forms ("kph", "90F", "32C",
    "sq km", "tons"), colloquial words ("Kilo", "kilos", "chili", "公斤", "キロ", "Stundenkilometer"),
    the energy units CLDR lacks (MWh, GWh, TWh), CLDR forms that are also common words or signs
    ("in", "st", "#", zh "匹"/"节", fr "nd", es "a."), and where CLDR's plain word for "ton" is the US
    short ton but the press means tonnes (uk "тонна", it "tonnellata", zh "吨").

Rules (documented choices)
    - Only a unit written right after the number (spaces, a no-break space or a hyphen between:
      "50 km", "8-foot", "10-Meter-"), after a dash range ("5-10 km"), or after a scale word
      ("5 million tonnes", "2 млн тонн") counts; in zh/ja a CLDR or hand prefix may also stand before
      it ("時速100キロ"). Words elsewhere in the sentence are never picked.
    - Case forms CLDR lacks (ru "километрах", de "Kilometern", pl "kilometrach"): in de, ru, uk, cs and
      pl a CLDR long form of 5+ letters also matches as its stem (``locale_forms.stem``, 4+ letters) plus
      up to 2 (de) or 3 letters, or 5 after a hyphen ("100-километровый"). Stems under 4 letters
      ("мил" from "миля") never match loosely: "2 миллиона" is not miles.
    - A CLDR form claimed by two units goes to the longer style's (long before short before narrow),
      then to the unit listed first in UNITS. Narrow duration forms ("5y", "5m", "5s") are dropped, and
      so are one-letter forms other than m t l L h g (and м т л г ч): "5 a 10", "5 с лишним", "1990s".
    - English "m" is meters only with a space and without a currency before the number: "$5m", "5m
      people" and "£5 m" are millions (the caller strips currency figures first anyway).
    - When a scale word of the language is longer than the unit read at the same place, it is a scale
      word: Czech "5 mil. korun" is five million, "5 mil" are miles.
    - Ambiguous words get an ambiguous unit: "degrees"/"Grad"/"°" without C or F is "degree" (angle or
      temperature; dimension "ambiguous"); Japanese "キロ" is "kilo" (kilometer or kilogram; "ambiguous");
      English "tons" is "ton" (metric or US short ton, dimension [mass]). English "pounds" is mass:
      money ("5 million pounds") is the caller's to strip first, like "$5m".
    - zh/ja dates are not told from durations: "2020年" reads as the unit year, "5日" as day.

Conversions (``conversion_agrees``; Pint, created lazily on first use)
    Translators round loosely, so the output figure is kept when
        |converted - out| <= max(half a unit of the output's last written digit,
                                 half a unit of its last significant digit, at most 5% of converted,
                                 3% of converted)
    where trailing integer zeros are not significant ("12.000" ha shows thousands, "100" km hundreds)
    but that allowance is capped at 5%, so "100 km" -> "100 miles" fails while "65 miles" -> "100 km"
    (104.6) passes. Temperatures are points on offset scales: a relative tolerance means nothing
    there, so they allow max(half the last written digit, 1 degree). Hence a unit swap with the same
    number fails whenever the two units differ by more than 5% (by more than that half digit for tiny
    numbers: "1 yard" -> "1 m" is within rounding). An ambiguous unit agrees when any of its readings
    agrees ("90 degrees" -> "32 °C" as Fahrenheit, "32 degrees" -> "32 °C" as Celsius; "10 tons" ->
    "9 Tonnen" as short tons and "10 Tonnen" as metric ones). Same unit: the amounts must be equal.

Performance: per language one regex anchored at the number's end (``pattern.match(text, end)``) and
plain dicts, built once and cached; ``unit_near`` never imports Pint.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Any

from babel import Locale
from babel.numbers import format_decimal
from babel.units import UnknownUnitError, format_unit

from keepfacts.eval import locale_forms as lf

_LEN = "[length]"
_AREA = "[length] ** 2"
_VOL = "[length] ** 3"
_MASS = "[mass]"
_TEMP = "[temperature]"
_SPEED = "[length] / [time]"
_POWER = "[mass] * [length] ** 2 / [time] ** 3"
_ENERGY = "[mass] * [length] ** 2 / [time] ** 2"
_TIME = "[time]"
AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class Unit:
    """A unit: its CLDR ids (the first one formats), Pint dimensionality, Pint expression."""

    cldr: tuple[str, ...]
    dimension: str
    pint: str
    readings: tuple[str, ...] = ()  # an ambiguous unit: the units it may stand for
    length: str = "short"  # the CLDR style format_quantity writes
    symbol: str = ""  # for units CLDR lacks


def _u(cldr: str | tuple[str, ...], dimension: str, pint: str, **kw: Any) -> Unit:
    return Unit((cldr,) if isinstance(cldr, str) else cldr, dimension, pint, **kw)


# Order matters: a CLDR form two units claim in one style goes to the one listed first.
UNITS: dict[str, Unit] = {
    "kilometer": _u("length-kilometer", _LEN, "kilometer"),
    "meter": _u("length-meter", _LEN, "meter"),
    "centimeter": _u("length-centimeter", _LEN, "centimeter"),
    "millimeter": _u("length-millimeter", _LEN, "millimeter"),
    "mile": _u("length-mile", _LEN, "mile", length="long"),
    "foot": _u("length-foot", _LEN, "foot", length="long"),
    "yard": _u("length-yard", _LEN, "yard", length="long"),
    "inch": _u("length-inch", _LEN, "inch", length="long"),
    "nautical_mile": _u("length-nautical-mile", _LEN, "nautical_mile", length="long"),
    "square_kilometer": _u("area-square-kilometer", _AREA, "kilometer ** 2"),
    "hectare": _u("area-hectare", _AREA, "hectare"),
    "square_meter": _u("area-square-meter", _AREA, "meter ** 2"),
    "square_mile": _u("area-square-mile", _AREA, "mile ** 2", length="long"),
    "acre": _u("area-acre", _AREA, "acre", length="long"),
    "square_foot": _u("area-square-foot", _AREA, "foot ** 2", length="long"),
    "metric_ton": _u("mass-tonne", _MASS, "metric_ton"),
    "kilogram": _u("mass-kilogram", _MASS, "kilogram"),
    "gram": _u("mass-gram", _MASS, "gram"),
    "pound": _u("mass-pound", _MASS, "pound", length="long"),
    "ounce": _u("mass-ounce", _MASS, "ounce", length="long"),
    "short_ton": _u("mass-ton", _MASS, "short_ton", length="long"),
    "stone": _u("mass-stone", _MASS, "stone", length="long"),
    "ton": _u((), _MASS, "ton", readings=("metric_ton", "short_ton")),
    "degree_Celsius": _u("temperature-celsius", _TEMP, "degree_Celsius"),
    "degree_Fahrenheit": _u("temperature-fahrenheit", _TEMP, "degree_Fahrenheit"),
    "kelvin": _u("temperature-kelvin", _TEMP, "kelvin"),
    "degree": _u(
        ("angle-degree", "temperature-generic"),
        AMBIGUOUS,
        "degree",
        readings=("degree_Celsius", "degree_Fahrenheit"),
    ),
    "kilo": _u((), AMBIGUOUS, "kilometer", readings=("kilometer", "kilogram")),
    "kilometer_per_hour": _u("speed-kilometer-per-hour", _SPEED, "kilometer / hour"),
    "mile_per_hour": _u("speed-mile-per-hour", _SPEED, "mile / hour", length="long"),
    "meter_per_second": _u("speed-meter-per-second", _SPEED, "meter / second"),
    "knot": _u("speed-knot", _SPEED, "knot", length="long"),
    "liter": _u("volume-liter", _VOL, "liter"),
    "milliliter": _u("volume-milliliter", _VOL, "milliliter"),
    "cubic_meter": _u("volume-cubic-meter", _VOL, "meter ** 3"),
    "gallon": _u("volume-gallon", _VOL, "gallon", length="long"),
    "oil_barrel": _u("volume-barrel", _VOL, "oil_barrel", length="long"),
    "gigawatt": _u("power-gigawatt", _POWER, "gigawatt"),
    "megawatt": _u("power-megawatt", _POWER, "megawatt"),
    "kilowatt": _u("power-kilowatt", _POWER, "kilowatt"),
    "watt": _u("power-watt", _POWER, "watt"),
    "horsepower": _u("power-horsepower", _POWER, "horsepower", length="long"),
    "kilowatt_hour": _u("energy-kilowatt-hour", _ENERGY, "kilowatt_hour"),
    "megawatt_hour": _u((), _ENERGY, "megawatt_hour", symbol="MWh"),
    "gigawatt_hour": _u((), _ENERGY, "gigawatt_hour", symbol="GWh"),
    "terawatt_hour": _u((), _ENERGY, "terawatt_hour", symbol="TWh"),
    "year": _u("duration-year", _TIME, "year", length="long"),
    "month": _u("duration-month", _TIME, "month", length="long"),
    "week": _u("duration-week", _TIME, "week", length="long"),
    "day": _u("duration-day", _TIME, "day", length="long"),
    "hour": _u("duration-hour", _TIME, "hour", length="long"),
    "minute": _u("duration-minute", _TIME, "minute", length="long"),
    "second": _u("duration-second", _TIME, "second", length="long"),
}

# Regional variants whose CLDR spelling differs from the base language's.
_VARIANTS = {"en": ("en_GB",), "pt": ("pt_PT",), "zh": ("zh_Hant",), "es": ("es_419",)}

# Forms every language reads (symbols CLDR spells with another sign or does not have).
_COMMON_FORMS = {
    "°": "degree",
    "°C": "degree_Celsius",
    "° C": "degree_Celsius",
    "ºC": "degree_Celsius",
    "°F": "degree_Fahrenheit",
    "° F": "degree_Fahrenheit",
    "ºF": "degree_Fahrenheit",
    "km²": "square_kilometer",
    "km2": "square_kilometer",
    "m²": "square_meter",
    "m2": "square_meter",
    "km/h": "kilometer_per_hour",
    "kWh": "kilowatt_hour",
    "MWh": "megawatt_hour",
    "GWh": "gigawatt_hour",
    "TWh": "terawatt_hour",
}

# Per language: press and colloquial forms, and overrides of CLDR's reading.
_HAND_FORMS: dict[str, dict[str, str]] = {
    "en": {
        "kph": "kilometer_per_hour",
        "kmh": "kilometer_per_hour",
        "km/hr": "kilometer_per_hour",
        "F": "degree_Fahrenheit",
        "C": "degree_Celsius",
        "degrees F": "degree_Fahrenheit",
        "degrees C": "degree_Celsius",
        "sq km": "square_kilometer",
        "sq mi": "square_mile",
        "sq miles": "square_mile",
        "sq ft": "square_foot",
        "kilo": "kilogram",
        "kilos": "kilogram",
        "lbs": "pound",
        "ton": "ton",
        "tons": "ton",
        "metric tonnes": "metric_ton",
    },
    "de": {"Kilo": "kilogram", "qkm": "square_kilometer", "Stundenkilometer": "kilometer_per_hour"},
    "fr": {"kilos": "kilogram"},
    "es": {"kilo": "kilogram", "kilos": "kilogram"},
    "pt": {"quilo": "kilogram", "quilos": "kilogram", "tonelada": "metric_ton", "toneladas": "metric_ton"},
    "it": {"chilo": "kilogram", "chili": "kilogram"},
    "ru": {"кило": "kilogram", "км/час": "kilometer_per_hour", "ГВт·ч": "gigawatt_hour"},
    "uk": {
        "кіло": "kilogram",
        "миль на годину": "mile_per_hour",
        "милі на годину": "mile_per_hour",
        "кілометрів на годину": "kilometer_per_hour",
        "км/год": "kilometer_per_hour",
    },
    "zh": {
        "千米": "kilometer",
        "公斤": "kilogram",
        "吨": "metric_ton",
        "噸": "metric_ton",
        "度": "degree",
        "英里/小时": "mile_per_hour",
        "英里每小时": "mile_per_hour",
        "公里/小时": "kilometer_per_hour",
        "公里每小时": "kilometer_per_hour",
        **{s: u for s, u in (("km", "kilometer"), ("m", "meter"), ("cm", "centimeter"), ("kg", "kilogram"))},
        **{s: u for s, u in (("ha", "hectare"), ("mi", "mile"), ("ft", "foot"), ("mph", "mile_per_hour"))},
        **{s: u for s, u in (("MW", "megawatt"), ("GW", "gigawatt"), ("kW", "kilowatt"))},
    },
    "ja": {"キロ": "kilo", "トン": "metric_ton"},
}

# Where CLDR's "ton" (US short ton) is the press's plain word for a metric tonne: uk "тонна", it
# "tonnellata", zh "吨" (base locale only; CLDR's metric ones are "метрична тонна", "tonnellata metrica").
_CLDR_REMAP = {lang: {"short_ton": "metric_ton"} for lang in ("uk", "it", "zh")}

# Prefixes written before the number that turn the unit after it into another (beside CLDR's own).
_HAND_PREFIXES: dict[str, dict[str, dict[str, str]]] = {
    "zh": {
        "时速": {"kilometer": "kilometer_per_hour", "mile": "mile_per_hour"},
        "時速": {"kilometer": "kilometer_per_hour", "mile": "mile_per_hour"},
        "摄氏": {"degree": "degree_Celsius"},
        "华氏": {"degree": "degree_Fahrenheit"},
    },
    "ja": {"時速": {"kilo": "kilometer_per_hour"}},
}

# CLDR forms that are also common words or signs after a number: "he scored 5 in", "the 21st", "#",
# zh "5匹马" (horses), "第5节" (a section), "5K" (a run), French "le 2nd tour", sentence-final "5 m."
# read as a month in fr/es, ru "5 л." (liters, not years).
_STOP_ALL = {"in", "st", "#", "K", "匹", "节", "節"}
_STOP_FORMS: dict[str, set[str]] = {
    "en": {"mo", "c", "dec"},
    "de": {"J"},
    "fr": {"nd", "m."},
    "es": {"m.", "mm.", "d.", "dd.", "dd", "a.", "aa.", "aa", "ton"},
    "pt": {"ton"},
    "it": {"sec."},
    "ru": {"л."},
    "pl": {"w."},
}
_ONE_LETTER_UNITS = set("mtlLhgмтлгч°′″")
_STEM_LANGS = {"de": 2, "ru": 3, "uk": 3, "cs": 3, "pl": 3}
_STEM_AFTER_HYPHEN = 5
_STEM_EXCLUDED = {"ru": ("тоннел",), "uk": ("тунел",)}
_LENGTHS = ("long", "short", "narrow")
_SPACE = "[ \u00a0\u202f\u2009]"
_CURRENCY_BEFORE = re.compile(r"(?:[$€£¥₹₽]|\b[A-Z]{3}|\bUS\$)[ \u00a0]?$")


@dataclass(frozen=True)
class UnitMention:
    unit: str  # a UNITS key: Pint's name where Pint has one ("kilometer", "degree_Celsius")
    dimension: str  # Pint's dimensionality as a string ("[length]"), or "ambiguous"
    start: int
    end: int


@dataclass(frozen=True)
class _Table:
    after: re.Pattern[str]
    before: re.Pattern[str] | None
    symbols: dict[str, str]  # case-sensitive forms
    words: dict[str, str]  # lower-cased forms
    stems: dict[str, str]  # lower-cased stems
    max_stem_suffix: int
    excluded_stems: tuple[str, ...]
    prefixes: dict[str, dict[str, str]]  # prefix -> {unit after the number: unit meant}


def _space_norm(form: str) -> str:
    return re.sub(r"[\u00a0\u202f\u2009]", " ", form)


def _is_word(form: str) -> bool:
    """Words of 4+ letters match in any case ("Kilometer", "MILES"); symbols keep theirs (MW, mW, t, T)."""
    return len(form) >= 4 and form[1:] == form[1:].lower()


def _counts(loc: Locale) -> list[float]:
    """One number per plural category of the locale (one, few, many, other...)."""
    seen: dict[str, float] = {}
    for count in (1, 2, 5, 1.5, 21, 0):
        seen.setdefault(loc.plural_form(count), count)
    return list(seen.values())


def _cldr_forms(loc: Locale) -> tuple[list[tuple[int, int, str, str]], list[tuple[str, str, str]]]:
    """(rank, order, form, unit) for forms after the number; (prefix, suffix, unit) for those around it."""
    forms: list[tuple[int, int, str, str]] = []
    around: list[tuple[str, str, str]] = []
    counts = _counts(loc)
    numbers = {count: format_decimal(count, locale=loc) for count in counts}
    for order, (name, unit) in enumerate(UNITS.items()):
        for cldr in unit.cldr:
            for rank, length in enumerate(_LENGTHS):
                if length == "narrow" and unit.dimension == _TIME:
                    continue
                for count in counts:
                    try:
                        text = format_unit(count, cldr, length, locale=loc)  # type: ignore[arg-type]
                    except UnknownUnitError:
                        continue
                    number = numbers[count]
                    at = text.find(number)
                    if at < 0:
                        continue
                    prefix = text[:at].strip(" \u00a0\u202f")
                    suffix = _space_norm(text[at + len(number) :].strip(" \u00a0\u202f"))
                    if prefix and suffix:
                        around.append((prefix, suffix, name))
                    elif suffix:
                        forms.append((rank, order, suffix, name))
    return forms, around


def _alternative(form: str, word: bool) -> str:
    body = re.escape(form).replace("\\ ", _SPACE)
    return f"(?i:{body})" if word else body


@functools.cache
def _table(lang: str) -> _Table:
    lang = lf.base_lang(lang)
    locales = [lf.locale(lang)] + [Locale.parse(v) for v in _VARIANTS.get(lang, ())]
    claims: dict[str, tuple[int, int, str]] = {}
    cldr: list[tuple[int, int, str, str]] = []
    around: list[tuple[str, str, str]] = []
    stop = _STOP_ALL | _STOP_FORMS.get(lang, set())
    for loc in locales:
        forms, near = _cldr_forms(loc)
        remap = _CLDR_REMAP.get(lang, {}) if loc is locales[0] else {}
        forms = [(rank, order, form, remap.get(unit, unit)) for rank, order, form, unit in forms]
        cldr.extend(forms)
        around.extend(near)
        for rank, order, form, unit in forms:
            candidates = [(rank, form)]
            if form.endswith(".") and len(form) > 2:
                candidates.append((rank + len(_LENGTHS), form[:-1]))  # "Std." also read as "Std"
            for r, f in candidates:
                one_letter = len(f) == 1 and (f.isascii() or re.fullmatch(r"[а-яёіїєґ]", f.lower()))
                if f in stop or (one_letter and f not in _ONE_LETTER_UNITS):
                    continue
                if not f.strip(".-"):
                    continue
                if f not in claims or (r, order) < claims[f][:2]:
                    claims[f] = (r, order, unit)
    resolved = {form: unit for form, (_, _, unit) in claims.items()}
    resolved.update(_COMMON_FORMS)
    resolved.update({_space_norm(f): u for f, u in _HAND_FORMS.get(lang, {}).items()})
    symbols: dict[str, str] = {}
    words: dict[str, str] = {}
    for form, unit in resolved.items():
        if _is_word(form):
            words[form.lower()] = unit
        else:
            symbols[form] = unit
    for form in list(symbols):
        if form.lower() in words and words[form.lower()] != symbols[form]:
            del words[form.lower()]  # a symbol and a word disagree: the exact symbol wins
    stems: dict[str, str] = {}
    if lang in _STEM_LANGS:
        clashing: set[str] = set()
        hand = [(0, 0, f, u) for f, u in _HAND_FORMS.get(lang, {}).items()]
        for rank, _order, form, unit in cldr + hand:
            if rank != 0 or not re.fullmatch(r"[^\W\d_]{5,}", form):
                continue
            s = lf.stem(form)
            if len(s) < 4:
                continue
            if stems.get(s, unit) != unit:
                clashing.add(s)
            stems[s] = unit
        for s in clashing:
            del stems[s]
    prefixes: dict[str, dict[str, str]] = {}
    for prefix, suffix, unit in around:
        base = symbols.get(suffix) or words.get(suffix.lower())
        if base and base != unit:
            prefixes.setdefault(prefix, {})[base] = unit
    for prefix, mapping in _HAND_PREFIXES.get(lang, {}).items():
        prefixes.setdefault(prefix, {}).update(mapping)
    alternatives = [(len(f), _alternative(f, False)) for f in symbols]
    alternatives += [(len(f), _alternative(f, True)) for f in words]
    alternatives += [(len(s) + 1, _alternative(s, True) + rf"\w{{0,{_STEM_AFTER_HYPHEN}}}") for s in stems]
    alternatives.sort(key=lambda item: -item[0])
    tail = r"(?![A-Za-z])" if lang in lf.CJK else r"(?![^\W\d_])"
    after = re.compile(
        rf"(?:{_SPACE}?[-–—]{_SPACE}?\d+(?:[.,]\d+)*)?"  # the second number of a range: "5-10 km"
        rf"(?P<sep>{_SPACE}{{0,2}}|-)"
        rf"(?P<unit>{'|'.join(a for _, a in alternatives)}){tail}"
    )
    before = None
    if prefixes:
        alts = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
        before = re.compile(rf"(?P<prefix>{alts}){_SPACE}?$")
    return _Table(
        after=after,
        before=before,
        symbols=symbols,
        words=words,
        stems=stems,
        max_stem_suffix=_STEM_LANGS.get(lang, 0),
        excluded_stems=_STEM_EXCLUDED.get(lang, ()),
        prefixes=prefixes,
    )


def _resolve(table: _Table, written: str, sep: str) -> str | None:
    form = _space_norm(written)
    unit = table.symbols.get(form) or table.words.get(form.lower())
    if unit:
        return unit
    low = form.lower()
    if any(low.startswith(x) for x in table.excluded_stems):
        return None
    limit = _STEM_AFTER_HYPHEN if sep == "-" else table.max_stem_suffix
    for cut in range(len(low), max(3, len(low) - limit - 1), -1):
        if low[:cut] in table.stems:
            return table.stems[low[:cut]]
    return None


def _match(table: _Table, text: str, at: int, lang: str, start: int) -> re.Match[str] | None:
    m = table.after.match(text, at)
    # "$5m", "5m people", "£5 m": the British press's million, not meters.
    if (
        m
        and lang == "en"
        and m.group("unit") == "m"
        and (not m.group("sep") or _CURRENCY_BEFORE.search(text, max(0, start - 5), start))
    ):
        return None
    return m


def _after(table: _Table, text: str, start: int, end: int, lang: str) -> tuple[str, int, int] | None:
    m = _match(table, text, end, lang, start)
    scale = lf.scale_pattern(lang).match(text, end)
    if scale and (m is None or scale.end() > m.end()):
        m = _match(table, text, scale.end(), lang, start)  # "5 million tonnes"; "5 mil. korun"
    if m is None:
        return None
    unit = _resolve(table, m.group("unit"), m.group("sep"))
    return (unit, m.start("unit"), m.end("unit")) if unit else None


def unit_near(text: str, start: int, end: int, lang: str) -> UnitMention | None:
    """The unit written right after text[start:end] (a number), or around it in zh/ja.

    '50 km', '8-foot', '8 Fuß', '2,5 m', '12.000 ha', '32 °C', '90 degrees' (unit "degree", dimension
    "ambiguous"), '50 км', '50 公里', '時速50キロ'. None when the next word is not a unit of `lang`.
    Pass the text as OutputScan holds it (``locale_forms.normalize``d): positions are kept.
    """
    lang = lf.base_lang(lang)
    table = _table(lang)
    found = _after(table, text, start, end, lang)
    if table.before is not None:
        pm = table.before.search(text, max(0, start - 8), start)
        if pm:
            mapping = table.prefixes[pm.group("prefix")]
            if found and found[0] in mapping:
                unit = mapping[found[0]]
                return UnitMention(unit, UNITS[unit].dimension, pm.start(), found[2])
    if found is None:
        return None
    unit, ustart, uend = found
    return UnitMention(unit, UNITS[unit].dimension, ustart, uend)


# ---- conversions (Pint) ----


@functools.cache
def _registry() -> Any:
    import pint

    return pint.UnitRegistry()


@functools.cache
def _linear(src: str, out: str) -> tuple[float, float]:
    """(offset, factor): out = offset + factor * src (Pint; affine for offset temperature scales)."""
    ureg = _registry()
    zero = ureg.Quantity(0.0, UNITS[src].pint).to(UNITS[out].pint).magnitude
    one = ureg.Quantity(1.0, UNITS[src].pint).to(UNITS[out].pint).magnitude
    return float(zero), float(one - zero)


def _steps(amount: float, written: str) -> tuple[float, float]:
    """(unit of the last written digit, unit of the last significant digit) of the output figure."""
    digits = re.sub(r"\D", "", written)
    if not digits or amount == 0:
        return 0.0, 0.0
    value = int(digits)
    target = abs(amount)
    for k in range(len(digits), -16, -1):
        if math.isclose(value * 10.0**-k, target, rel_tol=1e-9):
            step = 10.0**-k
            zeros = len(digits) - len(digits.rstrip("0"))
            return step, step * 10.0**zeros if k <= 0 else step
    return 0.0, 0.0


def _agrees(src_amount: float, src: str, out_amount: float, out: str, written: str) -> bool | None:
    if src == out:
        return math.isclose(src_amount, out_amount, rel_tol=1e-9, abs_tol=1e-12)
    if UNITS[src].dimension != UNITS[out].dimension:
        return None
    offset, factor = _linear(src, out)
    converted = offset + factor * src_amount
    step, significant = _steps(out_amount, written)
    if UNITS[out].dimension == _TEMP:
        tolerance = max(step / 2, 1.0)
    else:
        size = abs(converted)
        tolerance = max(step / 2, min(significant / 2, 0.05 * size), 0.03 * size)
    return abs(converted - out_amount) <= tolerance + 1e-9 * max(1.0, abs(converted))


def _check(unit: str) -> Unit:
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; known: {', '.join(UNITS)}")
    return UNITS[unit]


def conversion_agrees(
    src_amount: float, src_unit: str, out_amount: float, out_unit: str, out_text: str
) -> bool | None:
    """Does `out_amount` `out_unit` (written `out_text`, e.g. '2,5' or '12.000') keep the source figure?

    None when the units have different dimensions (not a conversion); True when the output equals the
    converted source within the rounding it shows (see the module doc); False otherwise. Same unit: the
    amounts must be equal. An ambiguous unit ("degree", "kilo", "ton") agrees if any reading does.
    """
    src_readings = _check(src_unit).readings or (src_unit,)
    out_readings = _check(out_unit).readings or (out_unit,)
    if src_unit == out_unit:
        return _agrees(src_amount, src_unit, out_amount, out_unit, out_text)
    results = [
        _agrees(src_amount, a, out_amount, b, out_text)
        for a in (src_unit, *src_readings)
        for b in (out_unit, *out_readings)
        if UNITS[a].dimension != AMBIGUOUS and UNITS[b].dimension != AMBIGUOUS
    ]
    if any(r is True for r in results):
        return True
    return False if any(r is False for r in results) else None


def format_quantity(amount: float, unit: str, lang: str) -> str:
    """The whole figure in the target language's form, for repairs: (50, "kilometer", "de") -> "50 km".

    CLDR through Babel where CLDR has the unit (short style for metric symbols, long for imperial units
    and durations; CJK always long: "50公里"); an ambiguous unit without a CLDR id is written as its first
    reading; MWh/GWh/TWh as the number and the symbol.
    """
    spec = _check(unit)
    if not spec.cldr and spec.readings:
        return format_quantity(amount, spec.readings[0], lang)
    loc = lf.locale(lang)
    if not spec.cldr:
        return f"{format_decimal(amount, locale=loc)}\u00a0{spec.symbol}"
    length = "long" if lf.base_lang(lang) in lf.CJK else spec.length
    return format_unit(amount, spec.cldr[0], length, locale=loc)  # type: ignore[arg-type]
