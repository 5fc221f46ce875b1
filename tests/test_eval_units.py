"""Units after (or around) a number, language by language, and whether a conversion keeps the figure."""

from __future__ import annotations

import re
import subprocess
import sys
from itertools import combinations
from typing import Any

import pytest

from keepfacts.eval.units import (
    UNITS,
    UnitMention,
    conversion_agrees,
    format_quantity,
    unit_near,
)


def _at(marked: str) -> tuple[str, int, int]:
    """'an [8]-foot wall' -> ('an 8-foot wall', 3, 4): the bracketed text is the number."""
    start = marked.index("[")
    end = marked.index("]") - 1
    return marked.replace("[", "", 1).replace("]", "", 1), start, end


# (lang, text with the number in brackets, expected unit)
FOUND = [
    ("en", "a [50] km stretch", "kilometer"),
    ("en", "an [8]-foot wall", "foot"),
    ("en", "he is [6]ft tall", "foot"),
    ("en", "the [30,000]-acre fire", "acre"),
    ("en", "about [62] miles away", "mile"),
    ("en", "winds of [70] mph", "mile_per_hour"),
    ("en", "at [100] km/h", "kilometer_per_hour"),
    ("en", "at [100] kph", "kilometer_per_hour"),
    ("en", "it hit [90] degrees Fahrenheit", "degree_Fahrenheit"),
    ("en", "it hit [90]F on Monday", "degree_Fahrenheit"),
    ("en", "it hit [90] °F", "degree_Fahrenheit"),
    ("en", "a high of [32]C in London", "degree_Celsius"),
    ("en", "temperatures of [32] degrees Celsius", "degree_Celsius"),
    ("en", "it was [90] degrees outside", "degree"),
    ("en", "he weighs [150] lb", "pound"),
    ("en", "he weighs [150] pounds", "pound"),
    ("en", "[10] tons of aid", "ton"),
    ("en", "[10] tonnes of aid", "metric_ton"),
    ("en", "[10] metric tons of aid", "metric_ton"),
    ("en", "a [5] m wall", "meter"),
    ("en", "[12] kilometres north", "kilometer"),
    ("en", "a [500] MW plant", "megawatt"),
    ("en", "[2] GW of capacity", "gigawatt"),
    ("en", "[300] kWh a year", "kilowatt_hour"),
    ("en", "[5] TWh of power", "terawatt_hour"),
    ("en", "after [3] years", "year"),
    ("en", "within [48] hours", "hour"),
    ("en", "[20] square miles", "square_mile"),
    ("en", "[20] sq km", "square_kilometer"),
    ("en", "[20] km² of forest", "square_kilometer"),
    ("en", "[5] litres of water", "liter"),
    ("en", "[10] gallons of fuel", "gallon"),
    ("en", "a [5]-10 km walk", "kilometer"),
    ("en", "[5] million tonnes of grain", "metric_ton"),
    ("en", "[2] million barrels a day", "oil_barrel"),
    ("de", "nach [50] km", "kilometer"),
    ("de", "eine [8] Fuß hohe Mauer", "foot"),
    ("de", "eine [2,5] m hohe Mauer", "meter"),
    ("de", "[12.000] ha Wald", "hectare"),
    ("de", "bei [32] °C", "degree_Celsius"),
    ("de", "bei [32] Grad Celsius", "degree_Celsius"),
    ("de", "bei [32] Grad", "degree"),
    ("de", "nach [20] Kilometern", "kilometer"),
    ("de", "eine [10]-Meter-Mauer", "meter"),
    ("de", "[62,1] Meilen entfernt", "mile"),
    ("de", "[9] Tonnen Hilfsgüter", "metric_ton"),
    ("de", "[68] kg schwer", "kilogram"),
    ("de", "nach [5] Stunden", "hour"),
    ("de", "mit [100] km/h", "kilometer_per_hour"),
    ("de", "[300] Megawatt Leistung", "megawatt"),
    ("de", "seit [3] Jahren", "year"),
    ("de", "mit [100] Stundenkilometern", "kilometer_per_hour"),
    ("fr", "à [50] km de Paris", "kilometer"),
    ("fr", "un mur de [8] pieds", "foot"),
    ("fr", "un mur de [2,5] mètres", "meter"),
    ("fr", "[12\u202f000] hectares", "hectare"),
    ("fr", "[32]\u202f°C à Paris", "degree_Celsius"),
    ("fr", "[32] degrés Celsius", "degree_Celsius"),
    ("fr", "à [100] km/h", "kilometer_per_hour"),
    ("fr", "à [62] miles", "mile"),
    ("fr", "[9] tonnes d'aide", "metric_ton"),
    ("fr", "depuis [3] ans", "year"),
    ("fr", "pendant [24] h", "hour"),
    ("es", "a [50] kilómetros", "kilometer"),
    ("es", "un muro de [8] pies", "foot"),
    ("es", "un muro de [2,5] metros", "meter"),
    ("es", "[12.000] hectáreas", "hectare"),
    ("es", "[32] °C en Madrid", "degree_Celsius"),
    ("es", "[32] grados", "degree"),
    ("es", "a [100] km/h", "kilometer_per_hour"),
    ("es", "pesa [68] kilos", "kilogram"),
    ("es", "[9] toneladas de ayuda", "metric_ton"),
    ("es", "a [5] millas", "mile"),
    ("es", "mide [5] m.", "meter"),
    ("pt", "[9] toneladas de ajuda", "metric_ton"),
    ("es", "[32] ºC en Sevilla", "degree_Celsius"),
    ("ru", "в [50] км от Москвы", "kilometer"),
    ("ru", "стена в [8] футов", "foot"),
    ("ru", "стена в [2,5] м", "meter"),
    ("ru", "[12 000] га леса", "hectare"),
    ("ru", "[32] °C в Москве", "degree_Celsius"),
    ("ru", "[32] градуса тепла", "degree"),
    ("ru", "в [20] километрах от города", "kilometer"),
    ("ru", "[100]-километровый участок", "kilometer"),
    ("ru", "[200] кг груза", "kilogram"),
    ("ru", "[9] тонн помощи", "metric_ton"),
    ("ru", "со скоростью [100] км/ч", "kilometer_per_hour"),
    ("ru", "в [5] миль от берега", "mile"),
    ("ru", "в [5] морских миль", "nautical_mile"),
    ("ru", "за [3] года", "year"),
    ("uk", "за [50] км від Києва", "kilometer"),
    ("uk", "стіна у [8] футів", "foot"),
    ("uk", "[32] градуси тепла", "degree"),
    ("uk", "[9] тонн допомоги", "metric_ton"),
    ("uk", "[9] метричних тонн", "metric_ton"),
    ("it", "[9] tonnellate di aiuti", "metric_ton"),
    ("cs", "[50] km od Prahy", "kilometer"),
    ("cs", "zeď vysoká [8] stop", "foot"),
    ("cs", "zeď vysoká [2,5] metru", "meter"),
    ("cs", "[9] tun pomoci", "metric_ton"),
    ("pl", "[50] km od Warszawy", "kilometer"),
    ("pl", "mur na [8] stóp", "foot"),
    ("pl", "[5] mil od brzegu", "mile"),
    ("pl", "[12 000] ha lasu", "hectare"),
    ("it", "a [50] chilometri", "kilometer"),
    ("it", "un muro di [8] piedi", "foot"),
    ("it", "un muro di [2,5] metri", "meter"),
    ("it", "[32] gradi", "degree"),
    ("it", "pesa [68] chili", "kilogram"),
    ("it", "a [100] km/h", "kilometer_per_hour"),
    ("pt", "a [50] quilômetros", "kilometer"),
    ("pt", "a [50] quilómetros", "kilometer"),
    ("pt", "um muro de [8] pés", "foot"),
    ("pt", "um muro de [2,5] m", "meter"),
    ("pt", "[32] °C no Rio", "degree_Celsius"),
    ("pt", "pesa [68] quilos", "kilogram"),
    ("zh", "距离[50]公里", "kilometer"),
    ("zh", "距离[50]千米", "kilometer"),
    ("zh", "重[200]公斤", "kilogram"),
    ("zh", "[9]吨援助物资", "metric_ton"),
    ("zh", "气温[32]摄氏度", "degree_Celsius"),
    ("zh", "气温摄氏[32]度", "degree_Celsius"),
    ("zh", "时速[100]公里", "kilometer_per_hour"),
    ("zh", "每小时[100]公里", "kilometer_per_hour"),
    ("zh", "[5]英里", "mile"),
    ("zh", "[8]英尺高的墙", "foot"),
    ("zh", "[30]度", "degree"),
    ("zh", "[50]km外", "kilometer"),
    ("ja", "[50]キロメートル先", "kilometer"),
    ("ja", "[50]km先", "kilometer"),
    ("ja", "[50]キロ先", "kilo"),
    ("ja", "時速[100]キロで", "kilometer_per_hour"),
    ("ja", "摂氏[32]度", "degree_Celsius"),
    ("ja", "気温は[32]度", "degree"),
    ("ja", "[8]フィートの壁", "foot"),
    ("ja", "[200]トンの物資", "metric_ton"),
    ("ja", "[5]マイル", "mile"),
]

# (lang, text with the number in brackets): no unit belongs to that number.
NOT_FOUND = [
    ("en", "a $[5]m deal"),
    ("en", "a $[5] m deal"),
    ("en", "[5]m people voted"),
    ("en", "[5] people walked 10 km"),
    ("en", "he scored [5] in the first half"),
    ("en", "the [21]st century"),
    ("en", "the [1990]s"),
    ("en", "at [3] am"),
    ("en", "the [2020] election"),
    ("en", "[12] Kilometern"),
    ("en", "[5] Fuß"),
    ("en", "[5] to 10 miles"),
    ("en", "a £[5]m fund"),
    ("de", "[50] Menschen, 5 km"),
    ("de", "Platz [5] in der Tabelle"),
    ("de", "am [5]. Mai"),
    ("de", "[3] Minister"),
    ("de", "[2] Personen liefen 5 km"),
    ("de", "[5] Mio. Euro"),
    ("fr", "[50] personnes, 5 km"),
    ("fr", "il y en a [5] a priori"),
    ("fr", "[5] milliards"),
    ("fr", "page [5] et 6 km"),
    ("fr", "le [3] mars"),
    ("es", "de [5] a 10 millas"),
    ("es", "[50] personas"),
    ("es", "el [3] de mayo"),
    ("es", "[5] millones de euros"),
    ("ru", "[2] миллиона человек"),
    ("ru", "в [5] с лишним раз"),
    ("ru", "[5] тоннелей"),
    ("ru", "[50] человек, 5 км"),
    ("ru", "[3] марта"),
    ("uk", "[50] людей"),
    ("uk", "[2] мільйони гривень"),
    ("cs", "[5] mil. korun"),
    ("cs", "[50] lidí"),
    ("cs", "[5] a 6 km"),
    ("pl", "[5] mln zł"),
    ("pl", "[50] osób"),
    ("pl", "[5] w Warszawie"),
    ("it", "[5] e 6 km"),
    ("it", "[5] a Roma"),
    ("it", "[50] persone"),
    ("pt", "de [5] a 10 km"),
    ("pt", "[50] pessoas"),
    ("zh", "[50]人受伤"),
    ("zh", "[5]月"),
    ("zh", "[3]名"),
    ("zh", "[5]匹马"),
    ("zh", "第[5]节课"),
    ("en", "a [5]K run"),
    ("fr", "le [2]nd tour"),
    ("ja", "[50]人"),
    ("ja", "[5]月"),
    ("ja", "[3]件"),
    ("en", "[5] dollars"),
    ("en", "up [5] percent"),
    ("en", "up [10] %"),
    ("en", "[3] times a day"),
    ("en", "[4] votes"),
    ("en", "at [7] tonight"),
    ("en", "out for [3] lbw"),
    ("en", "the [10] hapless fans"),
    ("en", "[5] gallant men"),
    ("en", "[1] Corinthians"),
    ("en", "a [20] Fed rate"),
    ("en", "[5] miners"),
    ("en", "[10] hectic days"),
    ("en", "[3] of the 10 km"),
    ("en", "[3] metros"),
    ("en", "[5] stars"),
    ("en", "[4] Ms Smith"),
    ("en", "[3] tone"),
    ("de", "[5] Prozent"),
    ("de", "[3] Tore"),
    ("de", "[10] Euro"),
    ("de", "[4] Metro-Stationen"),
    ("de", "[7] Milliarden"),
    ("de", "[5] Meilensteine"),
    ("de", "[2] Tagebücher"),
    ("de", "[12] Monatsmieten"),
    ("de", "[3] Literaturpreise"),
    ("fr", "[5] pour cent"),
    ("fr", "[3] buts"),
    ("fr", "[10] euros"),
    ("fr", "[5] mille personnes"),
    ("fr", "[3] ministres"),
    ("fr", "[2] annonces"),
    ("es", "[5] por ciento"),
    ("es", "[3] goles"),
    ("es", "[10] euros"),
    ("es", "[5] mil personas"),
    ("es", "[4] minas"),
    ("es", "[6] metrópolis"),
    ("es", "[1] hace"),
    ("es", "[7] grandes"),
    ("es", "los [9] la"),
    ("ru", "[5] процентов"),
    ("ru", "[3] гола"),
    ("ru", "[10] рублей"),
    ("ru", "[5] тысяч человек"),
    ("ru", "[7] матчей"),
    ("ru", "[5] министров"),
    ("ru", "[6] литературных премий"),
    ("ru", "[8] миллиардов"),
    ("ru", "[3] грамотных"),
    ("ru", "[5] частей"),
    ("uk", "[5] відсотків"),
    ("uk", "[10] гривень"),
    ("uk", "[3] годинника"),
    ("cs", "[5] procent"),
    ("cs", "[10] korun"),
    ("pl", "[5] procent"),
    ("pl", "[10] złotych"),
    ("it", "[5] per cento"),
    ("it", "[10] euro"),
    ("it", "[3] ministri"),
    ("pt", "[5] por cento"),
    ("pt", "[10] reais"),
    ("pt", "[3] gols"),
    ("pt", "[2] mil pessoas"),
    ("pt", "[4] hoje"),
    ("zh", "[5]个人"),
    ("zh", "[10]元"),
    ("zh", "[3]次"),
    ("zh", "[3]岁"),
    ("zh", "[7]号"),
    ("zh", "[2]家公司"),
    ("zh", "[20]多人"),
    ("ja", "[10]円"),
    ("ja", "[3]回"),
    ("ja", "[5]歳"),
    ("ja", "[7]時に"),
    ("ja", "[2]社"),
    ("ja", "[4]位"),
]


@pytest.mark.parametrize(("lang", "marked", "unit"), FOUND)
def test_unit_found(lang: str, marked: str, unit: str) -> None:
    text, start, end = _at(marked)
    mention = unit_near(text, start, end, lang)
    assert mention is not None, (lang, marked)
    assert mention.unit == unit
    assert mention.dimension == UNITS[unit].dimension
    assert 0 <= mention.start < mention.end <= len(text)


@pytest.mark.parametrize(("lang", "marked"), NOT_FOUND)
def test_unit_not_found(lang: str, marked: str) -> None:
    text, start, end = _at(marked)
    assert unit_near(text, start, end, lang) is None


@pytest.mark.parametrize(
    ("lang", "marked", "span"),
    [
        ("en", "a [50] km stretch", "km"),
        ("en", "an [8]-foot wall", "foot"),
        ("de", "bei [32] Grad Celsius heute", "Grad Celsius"),
        ("ru", "в [20] километрах от", "километрах"),
        ("ja", "時速[100]キロで", "時速100キロ"),
        ("zh", "每小时[100]公里的", "每小时100公里"),
    ],
)
def test_mention_span(lang: str, marked: str, span: str) -> None:
    text, start, end = _at(marked)
    mention = unit_near(text, start, end, lang)
    assert mention is not None
    assert text[mention.start : mention.end] == span


def test_mention_dimensions() -> None:
    text, start, end = _at("[50] km")
    assert unit_near(text, start, end, "en") == UnitMention("kilometer", "[length]", 3, 5)
    text, start, end = _at("[90] degrees")
    mention = unit_near(text, start, end, "en")
    assert mention is not None and mention.dimension == "ambiguous"


def test_dimensions_agree_with_pint() -> None:
    import pint

    ureg: Any = pint.UnitRegistry()
    for name, unit in UNITS.items():
        if unit.dimension == "ambiguous":
            continue
        assert ureg.Quantity(1, unit.pint).dimensionality == ureg.get_dimensionality(unit.dimension), name


def test_unit_near_needs_no_pint() -> None:
    code = (
        "import sys\n"
        "from keepfacts.eval.units import unit_near\n"
        "assert unit_near('a 50 km walk', 2, 4, 'en').unit == 'kilometer'\n"
        "assert unit_near('50公里', 0, 2, 'zh').unit == 'kilometer'\n"
        "assert 'pint' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# (source amount, source unit, output amount, output unit, output as written)
KEPT = [
    (8, "foot", 2.4, "meter", "2,4"),
    (8, "foot", 2.5, "meter", "2,5"),
    (100, "kilometer", 62.1, "mile", "62,1"),
    (100, "kilometer", 62, "mile", "62"),
    (90, "degree_Fahrenheit", 32, "degree_Celsius", "32"),
    (30000, "acre", 12000, "hectare", "12.000"),
    (30000, "acre", 12000, "hectare", "12 000"),
    (5, "mile", 8, "kilometer", "8"),
    (6, "foot", 1.8, "meter", "1,8"),
    (150, "pound", 68, "kilogram", "68"),
    (10, "ton", 9, "metric_ton", "9"),
    (10, "ton", 10, "metric_ton", "10"),
    (65, "mile", 100, "kilometer", "100"),
    (50, "kilometer", 50, "kilometer", "50"),
    (90, "degree", 32, "degree_Celsius", "32"),
    (32, "degree", 32, "degree_Celsius", "32"),
    (100, "kilometer_per_hour", 62, "mile_per_hour", "62"),
    (3, "year", 36, "month", "36"),
    (500, "megawatt", 0.5, "gigawatt", "0,5"),
    (50, "kilo", 50, "kilogram", "50"),
    (20, "square_mile", 52, "square_kilometer", "52"),
    (1.5, "kilometer", 1500, "meter", "1.500"),
]

CHANGED = [
    (50, "kilometer", 50, "mile", "50"),
    (200, "kilogram", 200, "metric_ton", "200"),
    (8, "foot", 8, "meter", "8"),
    (100, "kilometer", 100, "mile", "100"),
    (90, "degree_Fahrenheit", 90, "degree_Celsius", "90"),
    (30000, "acre", 30000, "hectare", "30.000"),
    (5, "mile", 5, "kilometer", "5"),
    (50, "kilometer", 51, "kilometer", "51"),
    (150, "pound", 150, "kilogram", "150"),
    (10, "metric_ton", 10, "short_ton", "10"),
    (3, "year", 3, "month", "3"),
    (8, "foot", 3, "meter", "3"),
    (100, "kilometer", 70, "mile", "70"),
    (30000, "acre", 13000, "hectare", "13.000"),
    (90, "degree_Fahrenheit", 35, "degree_Celsius", "35"),
    (100, "kilometer_per_hour", 100, "mile_per_hour", "100"),
    (500, "megawatt", 500, "gigawatt", "500"),
    (20, "square_mile", 20, "square_kilometer", "20"),
    (1.5, "kilometer", 150, "meter", "150"),
    (90, "degree", 50, "degree_Celsius", "50"),
    (50, "kilo", 80, "kilogram", "80"),
    (10, "ton", 12, "metric_ton", "12"),
]


@pytest.mark.parametrize(("src", "src_unit", "out", "out_unit", "written"), KEPT)
def test_conversion_kept(src: float, src_unit: str, out: float, out_unit: str, written: str) -> None:
    assert conversion_agrees(src, src_unit, out, out_unit, written) is True


@pytest.mark.parametrize(("src", "src_unit", "out", "out_unit", "written"), CHANGED)
def test_conversion_changed(src: float, src_unit: str, out: float, out_unit: str, written: str) -> None:
    assert conversion_agrees(src, src_unit, out, out_unit, written) is False


@pytest.mark.parametrize(
    ("src_unit", "out_unit"),
    [("kilometer", "kilogram"), ("degree", "kilometer"), ("hour", "kilometer"), ("liter", "hectare")],
)
def test_not_a_conversion(src_unit: str, out_unit: str) -> None:
    assert conversion_agrees(50, src_unit, 50, out_unit, "50") is None


def test_same_number_unit_swap_fails() -> None:
    """Whenever two units of one dimension differ by more than the tolerance, the same number fails."""
    import pint

    ureg: Any = pint.UnitRegistry()
    plain = [
        n for n, u in UNITS.items() if not u.readings and u.dimension not in ("ambiguous", "[temperature]")
    ]
    checked = 0
    for a, b in combinations(plain, 2):
        if UNITS[a].dimension != UNITS[b].dimension:
            continue
        factor = ureg.Quantity(1, UNITS[a].pint).to(UNITS[b].pint).magnitude
        if abs(factor - 1) <= 0.06 * max(factor, 1):
            continue
        for x in (2.5, 10, 25, 100, 1000, 30000):
            written = f"{x:g}"
            assert conversion_agrees(x, a, x, b, written) is False, (x, a, b)
            assert conversion_agrees(x, b, x, a, written) is False, (x, b, a)
            checked += 1
    for a, b in [("degree_Celsius", "degree_Fahrenheit"), ("degree_Celsius", "kelvin")]:
        for x in (0, 20, 32, 90, 100):
            assert conversion_agrees(x, a, x, b, str(x)) is False
            assert conversion_agrees(x, b, x, a, str(x)) is False
    assert checked > 100


@pytest.mark.parametrize(
    ("amount", "unit", "lang", "expected"),
    [
        (50, "kilometer", "de", "50 km"),
        (200, "kilogram", "ru", "200 кг"),
        (12000, "hectare", "de", "12.000 ha"),
        (32, "degree_Celsius", "fr", "32 °C"),
        (62, "mile", "en", "62 miles"),
        (62.1, "mile", "de", "62,1 Meilen"),
        (2.4, "meter", "de", "2,4 m"),
        (5, "terawatt_hour", "en", "5 TWh"),
        (5, "terawatt_hour", "de", "5 TWh"),
        (100, "kilometer_per_hour", "es", "100 km/h"),
        (50, "kilometer", "zh", "50公里"),
        (3, "year", "de", "3 Jahre"),
        (9, "metric_ton", "en", "9 t"),
    ],
)
def test_format_quantity(amount: float, unit: str, lang: str, expected: str) -> None:
    got = format_quantity(amount, unit, lang)
    assert re.sub(r"[\u00a0\u202f]", " ", got) == expected


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es", "pt", "it", "ru", "uk", "cs", "pl", "zh", "ja"])
def test_format_then_find(lang: str) -> None:
    """What format_quantity writes, unit_near reads back as the same unit."""
    for unit in ("kilometer", "mile", "foot", "meter", "kilogram", "hectare", "degree_Celsius"):
        text = format_quantity(12, unit, lang)
        at = text.index("12")
        mention = unit_near(text, at, at + 2, lang)
        assert mention is not None and mention.unit == unit, (lang, unit, text)
