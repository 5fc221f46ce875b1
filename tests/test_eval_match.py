"""Matching a source figure or name in an output, language by language (known values)."""

from __future__ import annotations

import pytest

from keepfacts.eval.figure_match import figure_kept
from keepfacts.eval.match import OutputScan, name_kept, parse_cjk_numeral

N = {"kind": "number"}


def num(amount: float, **extra: object) -> dict:
    return {"kind": "number", "amount": amount, **extra}


CASES = [
    # (value, lang, output, kept)
    (num(100000), "de", "über 100.000 Soldaten", True),
    (num(100000), "ru", "более 100 000 солдат", True),
    (num(100000), "ru", "более 100\u00a0000 солдат", True),
    (num(100000), "uk", "понад 100 тис. військових", True),
    (num(100000), "cs", "přes 100 tisíc vojáků", True),
    (num(100000), "pl", "ponad 100 tys. żołnierzy", True),
    (num(100000), "es", "más de 100 mil soldados", True),
    (num(100000), "pt", "mais de 100 mil soldados", True),
    (num(100000), "fr", "plus de 100\u202f000 soldats", True),
    (num(100000), "it", "oltre 100.000 soldati", True),
    (num(100000), "de", "über hunderttausend Soldaten", True),
    (num(100000), "zh", "超过10万名士兵", True),
    (num(100000), "ja", "１０万人以上の兵士", True),
    (num(100000), "de", "über 10.000 Soldaten", False),
    (num(100000), "ru", "более 10 000 солдат", False),
    (num(1500000), "de", "1,5 Millionen Menschen", True),
    (num(1500000), "ru", "1,5 млн человек", True),
    (num(1500000), "it", "1,5 milioni di persone", True),
    (num(1500000), "zh", "150万人", True),
    (num(1500000), "de", "15 Millionen Menschen", False),
    (num(1.5), "de", "um das 1,5-fache", True),
    (num(1686), "de", "1.686 neue Fälle", True),
    (num(1686), "ja", "1,686人", True),
    (num(244890), "de", "244.890 Menschen", True),
    (num(244890), "de", "24.490 Menschen", False),
    ({"kind": "money", "amount": 1_200_000_000, "unit": "USD"}, "de", "1,2 Mrd. Dollar", True),
    ({"kind": "money", "amount": 20_000_000_000, "unit": "USD"}, "zh", "200亿美元", True),
    ({"kind": "money", "amount": 20_000_000_000, "unit": "USD"}, "ja", "２００億ドル", True),
    ({"kind": "money", "amount": 286_000_000, "unit": "GBP"}, "ja", "2億8,600万ポンド", True),
    ({"kind": "money", "amount": 2_500_000_000, "unit": "USD"}, "de", "ein $2,5-Milliarden-Programm", True),
    ({"kind": "money", "amount": 20_000_000_000, "unit": "USD"}, "es", "20.000 millones de dólares", True),
    ({"kind": "percent", "amount": 40}, "de", "40 Prozent", True),
    ({"kind": "percent", "amount": 40}, "fr", "40 %", True),
    (num(5), "cs", "dalších pět lidí", True),
    (num(5), "ru", "ещё пятерых человек", True),
    (num(5), "uk", "ще п'ятьох людей", True),
    (num(5), "uk", "ще пʼятьох людей", True),
    (num(5), "de", "fünf weitere", True),
    (num(5), "zh", "另有五人", True),
    (num(5), "de", "sechs weitere", False),
    (num(60), "cs", "šedesátiletého muže", True),
    (num(2), "de", "zwischen den beiden Staaten", True),
    (num(2), "ja", "両国間の貿易", True),
    ({"kind": "ordinal", "amount": 3}, "de", "im dritten Jahr", True),
    ({"kind": "ordinal", "amount": 3}, "ru", "третий год войны", True),
    ({"kind": "ordinal", "amount": 3}, "uk", "третій рік війни", True),
    ({"kind": "ordinal", "amount": 3}, "cs", "třetí rok války", True),
    ({"kind": "ordinal", "amount": 3}, "zh", "战争的第三年", True),
    ({"kind": "ordinal", "amount": 3}, "ja", "戦争3年目", True),
    ({"kind": "ordinal", "amount": 3}, "de", "im vierten Jahr", False),
    ({"kind": "ordinal", "amount": 1}, "ru", "впервые посещают", True),
    ({"kind": "fraction", "amount": 0.5}, "de", "fast die Hälfte", True),
    ({"kind": "fraction", "amount": 0.5}, "ru", "почти половина", True),
    ({"kind": "fraction", "amount": 0.5}, "zh", "近一半", True),
    ({"kind": "fraction", "amount": 0.5}, "de", "ein Drittel", False),
    (
        {"kind": "approx", "amount": 10000, "magnitude": "tens of thousands"},
        "de",
        "Zehntausende Soldaten",
        True,
    ),
    (
        {"kind": "approx", "amount": 10000, "magnitude": "tens of thousands"},
        "uk",
        "десятки тисяч солдатів",
        True,
    ),
    ({"kind": "approx", "amount": 10000, "magnitude": "tens of thousands"}, "zh", "数万名士兵", True),
    ({"kind": "approx", "amount": 10000, "magnitude": "tens of thousands"}, "ru", "тысячи солдат", False),
    ({"kind": "date", "year": 2022, "month": 2}, "de", "seit Februar 2022", True),
    ({"kind": "date", "year": 2022, "month": 2}, "ru", "с февраля 2022 года", True),
    ({"kind": "date", "year": 2022, "month": 2}, "uk", "з лютого 2022 року", True),
    ({"kind": "date", "year": 2022, "month": 2}, "cs", "od února 2022", True),
    ({"kind": "date", "year": 2022, "month": 2}, "pl", "od lutego 2022", True),
    ({"kind": "date", "year": 2022, "month": 2}, "fr", "depuis février 2022", True),
    ({"kind": "date", "year": 2022, "month": 2}, "ja", "2022年2月以来", True),
    ({"kind": "date", "year": 2022, "month": 2}, "de", "seit März 2022", False),
    ({"kind": "date", "year": 2022, "month": 2}, "de", "seit Februar 2021", False),
    ({"kind": "date", "month": 11}, "ru", "в ноябре", True),
    ({"kind": "date", "month": 11}, "zh", "十一月", True),
    ({"kind": "date", "month": 12, "day": 10}, "ru", "10 ноября", False),
    ({"kind": "date", "month": 11, "day": 26}, "ja", "１１月２６日", True),
    ({"kind": "date", "weekday": 0}, "uk", "до полудня понеділка", True),
    ({"kind": "date", "weekday": 4}, "uk", "у п'ятницю", True),
    ({"kind": "date", "weekday": 5}, "de", "am Samstag", True),
    ({"kind": "date", "weekday": 5}, "de", "am Sonntagabend", False),
    ({"kind": "date", "relative": "last year"}, "ru", "в прошлом году", True),
    ({"kind": "date", "relative": "last year"}, "cs", "loni", True),
    ({"kind": "date", "relative": "last year"}, "zh", "去年", True),
    ({"kind": "time", "hour": 18, "minute": 0}, "de", "um 18 Uhr", True),
    ({"kind": "time", "hour": 18, "minute": 0}, "de", "um 17 Uhr", False),
    ({"kind": "time", "hour": 17, "minute": 30}, "de", "kurz vor 17:30 Uhr", True),
    ({"kind": "time", "hour": 17, "minute": 30}, "cs", "před půl šestou večer", True),
    ({"kind": "time", "hour": 17, "minute": 30}, "zh", "下午 5 点半之前", True),
    ({"kind": "time", "hour": 21, "minute": 0}, "ru", "к девяти часам вечера", True),
    (
        {"kind": "quantity", "amount": 85, "unit": "mile", "alternatives": [{"amount": 137}]},
        "de",
        "137 km",
        True,
    ),
    ({"kind": "code", "parts": [10, 12, 21]}, "de", "Referenz 3643 10/12/21", True),
]


@pytest.mark.parametrize(("value", "lang", "output", "kept"), CASES, ids=[f"{c[1]}:{c[2]}" for c in CASES])
def test_figure_kept(value: dict, lang: str, output: str, kept: bool) -> None:
    assert figure_kept(value, OutputScan.of(output, lang)) is kept


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三十万", 300000),
        ("一千二百", 1200),
        ("两", 2),
        ("二〇二二", 2022),
        ("十一", 11),
        ("三千万", 30000000),
    ],
)
def test_cjk_numerals(text: str, value: int) -> None:
    assert parse_cjk_numeral(text) == value


@pytest.mark.parametrize(
    ("name", "lang", "output", "person", "kept"),
    [
        ("Alexander Kovalenko", "uk", "заявив Олександр Коваленко", True, True),
        ("Alexander Kovalenko", "ru", "по словам Коваленко", True, True),
        ("Alexander Kovalenko", "de", "sagte Alexander Kowalenko", True, True),
        ("Alexander Kovalenko", "ru", "по словам Петренко", True, False),
        ("Associated Press", "de", "die Associated Press berichtet", False, True),
        ("Crystal Mountain", "cs", "v Crystal Mountain", False, True),
    ],
)
def test_name_kept(name: str, lang: str, output: str, person: bool, kept: bool) -> None:
    assert name_kept(name, OutputScan.of(output, lang), person=person) is kept


@pytest.mark.parametrize(
    ("lang", "text", "values"),
    [
        ("zh", "这是一个重要的决定，统一了意见。", []),
        ("ja", "一つの問題は十分に議論された。", []),
        ("zh", "三十万人参加了。", [300000.0]),
        ("zh", "一千二百人受伤。", [1200.0]),
        ("ja", "二〇二二年に", [2022.0]),
    ],
)
def test_a_cjk_numeral_inside_a_word_is_no_figure(lang: str, text: str, values: list[float]) -> None:
    found = sorted(r for t in OutputScan.of(text, lang).numbers for r in t.readings)
    assert found == values
