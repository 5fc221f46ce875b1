"""Which currency a number carries, language by language (known values).

A case's text marks the number (with its scale word) as ⟦…⟧; the expected value is None (no currency),
only(...) (exactly these ISO codes) or has(...) (at least these: "dollars" may be any dollar).
"""

from __future__ import annotations

import re

import pytest

from keepfacts.eval.currencies import (
    CurrencyMention,
    currencies_agree,
    currency_near,
    currency_words,
    format_money,
)
from keepfacts.eval.match import scan_numbers

Expected = tuple[str, frozenset[str]] | None


def only(*codes: str) -> tuple[str, frozenset[str]]:
    return ("only", frozenset(codes))


def has(*codes: str) -> tuple[str, frozenset[str]]:
    return ("has", frozenset(codes))


def marked(text: str) -> tuple[str, int, int]:
    start = text.index("⟦")
    text = text.replace("⟦", "", 1)
    end = text.index("⟧")
    return text.replace("⟧", "", 1), start, end


def mention(lang: str, text: str) -> CurrencyMention | None:
    plain, start, end = marked(text)
    return currency_near(plain, start, end, lang)


def codes(lang: str, text: str) -> frozenset[str]:
    found = mention(lang, text)
    assert found is not None, text
    return found.codes


POSITIVE: list[tuple[str, str, Expected]] = [
    # English press forms
    ("en", "It raised $⟦5 million⟧ last year.", only("USD")),
    ("en", "a US$⟦5m⟧ loan", only("USD")),
    ("en", "US$ ⟦5 million⟧", only("USD")),
    ("en", "paid ⟦5 million⟧ dollars", has("USD")),
    ("en", "paid ⟦5 million⟧ US dollars", only("USD")),
    ("en", "paid ⟦5 million⟧ American dollars", has("USD")),
    ("en", "a €⟦2.5bn⟧ deal", only("EUR")),
    ("en", "fined £⟦300⟧", only("GBP")),
    ("en", "costs Rs ⟦500⟧", has("INR")),
    ("en", "costs ₹⟦500⟧", only("INR")),
    ("en", "a ₦⟦585 million⟧ contract", only("NGN")),
    ("en", "a N⟦585 million⟧ contract", only("NGN")),
    ("en", "a N⟦5,000⟧ fine", only("NGN")),
    ("en", "⟦585 million⟧ naira", only("NGN")),
    ("en", "⟦585 million⟧ Nigerian naira", only("NGN")),
    ("en", "⟦5 million⟧ euros", only("EUR")),
    ("en", "⟦2.5 million⟧ euros", only("EUR")),
    ("en", "HK$⟦10⟧", only("HKD")),
    ("en", "A$⟦10⟧", only("AUD")),
    ("en", "C$⟦10⟧", has("CAD")),
    ("en", "S$⟦10⟧", only("SGD")),
    ("en", "R$⟦10⟧", only("BRL")),
    ("en", "CHF ⟦10⟧", only("CHF")),
    ("en", "⟦10⟧ francs", has("CHF", "XOF")),
    ("en", "⟦10⟧ Swiss francs", only("CHF")),
    ("en", "USD ⟦5 million⟧", only("USD")),
    ("en", "⟦5 million⟧ USD", only("USD")),
    ("en", "¥⟦500 million⟧", only("JPY", "CNY")),
    ("en", "⟦500⟧ kr", has("SEK", "NOK", "DKK")),
    ("en", "⟦7 million⟧ pounds", has("GBP")),
    ("en", "a ₺⟦10⟧ note", only("TRY")),
    ("en", "⟦5 million⟧ of dollars", has("USD")),
    ("en-GB", "£⟦3bn⟧", only("GBP")),
    # German
    ("de", "⟦5 Millionen⟧ Euro", only("EUR")),
    ("de", "⟦858 Millionen⟧ Naira", only("NGN")),
    ("de", "⟦1.500.000⟧ €", only("EUR")),
    ("de", "⟦1.500.000⟧\u00a0€", only("EUR")),
    ("de", "€ ⟦1,5 Mio.⟧", only("EUR")),
    ("de", "⟦5⟧ Dollar", has("USD")),
    ("de", "⟦5 Millionen⟧ US-Dollar", only("USD")),
    ("de", "⟦5 Mio.⟧ EUR", only("EUR")),
    ("de", "⟦10⟧ Schweizer Franken", only("CHF")),
    ("de", "⟦3 Milliarden⟧ Yuan", has("CNY")),
    ("de", "⟦5 Millionen⟧ Pfund", has("GBP")),
    ("de", "⟦5 Millionen⟧ amerikanische Dollar", has("USD")),
    ("de-AT", "⟦5⟧ Euro", only("EUR")),
    # French
    ("fr", "⟦1,5 million⟧ d'euros", only("EUR")),
    ("fr", "⟦2 millions⟧ d’euros", only("EUR")),
    ("fr", "⟦5 millions⟧ de dollars", has("USD")),
    ("fr", "⟦5 millions⟧ de dollars américains", has("USD")),
    ("fr", "⟦10⟧ francs suisses", only("CHF")),
    ("fr", "⟦1\u202f500\u202f000⟧\u00a0€", only("EUR")),
    ("fr", "⟦5 millions⟧ de livres sterling", only("GBP")),
    ("fr", "⟦5⟧ euros", only("EUR")),
    # Spanish
    ("es", "⟦2,5 millones⟧ de dólares", has("USD")),
    ("es", "US$ ⟦5⟧", only("USD")),
    ("es", "$⟦5⟧", only("USD")),
    ("es", "⟦3.000 millones⟧ de euros", only("EUR")),
    ("es", "⟦10⟧ pesos mexicanos", only("MXN")),
    # Portuguese
    ("pt", "R$ ⟦5 milhões⟧", only("BRL")),
    ("pt-BR", "US$ ⟦5 milhões⟧", only("USD")),
    ("pt", "⟦5 milhões⟧ de dólares", has("USD")),
    ("pt", "⟦10 milhões⟧ de reais", only("BRL")),
    # Italian
    ("it", "⟦2,5 miliardi⟧ di dollari", has("USD")),
    ("it", "⟦5 milioni⟧ di euro", only("EUR")),
    ("it", "⟦10⟧ €", only("EUR")),
    ("it", "⟦3⟧ sterline", has("GBP")),
    # Russian
    ("ru", "⟦5 млн⟧ долларов", has("USD")),
    ("ru", "⟦5 млн⟧ долларов США", only("USD")),
    ("ru", "⟦10⟧ евро", only("EUR")),
    ("ru", "⟦3 млрд⟧ рублей", has("RUB")),
    ("ru", "⟦100⟧ ₽", only("RUB")),
    ("ru", "⟦5 млн⟧ долларами", has("USD")),
    ("ru", "$⟦5 млн⟧", only("USD")),
    ("ru", "⟦5 млн⟧ американских долларов", has("USD")),
    ("ru", "⟦2 млн⟧ фунтов стерлингов", has("GBP")),
    ("ru", "⟦10 тыс.⟧ руб.", only("RUB")),
    ("ru", "⟦2⟧ доллара", has("USD")),
    ("ru", "⟦5 млн⟧ гривнами", only("UAH")),
    ("ru", "⟦10⟧ рублями", has("RUB")),
    ("ru", "⟦3 млн⟧ злотыми", only("PLN")),
    # Ukrainian
    ("uk", "⟦500 тис.⟧ грн", only("UAH")),
    ("uk", "⟦5 млн⟧ доларів", has("USD")),
    ("uk", "⟦10⟧ ₴", only("UAH")),
    ("uk", "⟦3 млн⟧ гривень", only("UAH")),
    ("uk", "⟦2 млн⟧ євро", only("EUR")),
    ("uk", "⟦5 млн⟧ доларами", has("USD")),
    ("uk", "⟦5 млн⟧ доларів США", only("USD")),
    ("uk", "⟦5 млн⟧ гривнями", only("UAH")),
    # Czech
    ("cs", "⟦10⟧ Kč", only("CZK")),
    ("cs", "⟦5 milionů⟧ dolarů", has("USD")),
    ("cs", "⟦5 mil.⟧ amerických dolarů", only("USD")),
    ("cs", "⟦3 miliardy⟧ korun", has("CZK")),
    ("cs", "⟦2 miliony⟧ eur", only("EUR")),
    ("cs", "⟦5⟧ dolary", has("USD")),
    ("cs", "⟦5 milionů⟧ dolarech", has("USD")),
    ("cs", "⟦5 milionů⟧ korunami", has("CZK")),
    # Polish
    ("pl", "⟦10⟧ zł", only("PLN")),
    ("pl", "⟦5 mln⟧ zł", only("PLN")),
    ("pl", "⟦5 mln⟧ dolarów", has("USD")),
    ("pl", "⟦3 mld⟧ złotych", only("PLN")),
    ("pl", "⟦2 mln⟧ euro", only("EUR")),
    ("pl", "⟦5⟧ dolarami", has("USD")),
    ("pl", "⟦5 mln⟧ złotymi", has("PLN")),
    ("pl", "⟦5⟧ złotych", only("PLN")),
    ("uk", "⟦10 млн⟧ марок", only("BAM")),
    # Chinese
    ("zh", "⟦5亿⟧美元", only("USD")),
    ("zh", "⟦300万⟧欧元", only("EUR")),
    ("zh", "⟦10亿⟧元", only("CNY")),
    ("zh", "⟦50亿⟧人民币", only("CNY")),
    ("zh", "⟦200万⟧英镑", only("GBP")),
    ("zh", "⟦1000万⟧卢布", has("RUB")),
    ("zh", "¥⟦500⟧", only("JPY", "CNY")),
    ("zh", "⟦100⟧日元", only("JPY")),
    ("zh", "⟦5⟧ 美元", only("USD")),
    # Japanese
    ("ja", "⟦500万⟧ドル", has("USD")),
    ("ja", "⟦100万⟧円", only("JPY")),
    ("ja", "⟦1億⟧ユーロ", only("EUR")),
    ("ja", "⟦3000万⟧ポンド", has("GBP")),
    ("ja", "⟦10億⟧ルーブル", has("RUB")),
    ("ja", "⟦500万⟧米ドル", only("USD")),
    ("ja", "⟦5億⟧元", only("CNY")),
    ("ja", "$⟦5⟧", only("USD")),
    ("ja", "￥⟦500⟧", has("JPY")),
]

NEGATIVE: list[tuple[str, str, Expected]] = [
    ("en", "⟦5⟧ people were paid in dollars", None),
    ("en", "N⟦95⟧ masks", None),
    ("en", "the baby weighed ⟦7⟧ pounds", None),
    ("en", "passed the ⟦50⟧ mark", None),
    ("en", "TOP ⟦10⟧ SONGS", None),
    ("en", "⟦5⟧ Nigerian soldiers", None),
    ("en", "⟦5⟧ British soldiers", None),
    ("en", "⟦5⟧ gold medals", None),
    ("en", "⟦5⟧ real problems", None),
    ("en", "In ⟦2019⟧ the euro fell", None),
    ("en", "in ⟦2020⟧, dollars", None),
    ("en", "⟦5⟧ $10 bills", None),
    ("en", "R⟦2⟧-D2", None),
    ("en", "⟦5 million⟧ people", None),
    ("en", "⟦5⟧ Euros-sceptics", None),
    ("de", "⟦5⟧ Menschen zahlten in Euro", None),
    ("de", "⟦5⟧ Euro-Länder", None),
    ("de", "5 € ⟦10⟧ Personen", None),
    ("de", "das Kind wog ⟦5⟧ Pfund", None),
    ("de", "⟦2019⟧ Europa", None),
    ("fr", "⟦5⟧ livres", None),
    ("fr", "⟦5 millions⟧ de personnes", None),
    ("fr", "⟦2 millions⟧ de nouveaux emplois", None),
    ("fr", "le ⟦5⟧ or", None),
    ("es", "⟦5 millones⟧ de personas", None),
    ("es", "⟦5⟧ soles", None),
    ("es", "el ⟦2⟧ de marzo", None),
    ("pt", "⟦5⟧ pessoas", None),
    ("pt", "⟦1⟧ real", None),
    ("it", "⟦5 milioni⟧ di persone", None),
    ("ru", "⟦5⟧ евреев", None),
    ("ru", "весил ⟦5⟧ фунтов", None),
    ("ru", "⟦5⟧ человек", None),
    ("ru", "⟦5⟧ российских солдат", None),
    ("ru", "более ⟦2000⟧ солдат", None),
    ("ru", "⟦3 млн⟧ солдат", None),
    ("uk", "⟦5⟧ українських військових", None),
    ("uk", "⟦5⟧ гривневих", None),
    ("cs", "⟦5⟧ lidí", None),
    ("cs", "vážil ⟦5⟧ liber", None),
    ("pl", "⟦5⟧ osób", None),
    ("pl", "⟦5⟧ marek", None),
    ("pl", "⟦5⟧ krowy", None),
    ("zh", "⟦5⟧名士兵", None),
    ("zh", "⟦5⟧月", None),
    ("zh", "⟦300万⟧人", None),
    ("ja", "⟦5⟧人", None),
    ("ja", "⟦5⟧ポンド", None),
    # currency words near the number but not next to it, look-alike words and compounds
    ("en", "⟦5⟧ people, each paid $10", None),
    ("en", "⟦5⟧ million people paid in euros", None),
    ("en", "⟦3⟧ Swiss banks", None),
    ("en", "⟦2⟧ US soldiers", None),
    ("en", "⟦5⟧ Canadian provinces", None),
    ("en", "⟦12⟧ months of euro weakness", None),
    ("en", "⟦40⟧ percent of dollars", None),
    ("en", "⟦5⟧ EU states", None),
    ("en", "⟦3⟧ USA", None),
    ("en", "⟦10⟧ ALL STARS", None),
    ("en", "⟦5⟧-year dollar bonds", None),
    ("en", "⟦2⟧ Rs-class ships", None),
    ("en", "a ⟦5⟧ kroner-style", None),
    ("en", "R ⟦5⟧ million", None),
    ("en", "⟦30⟧ Nigerian lawmakers", None),
    ("en", "won ⟦3⟧ games", None),
    ("de", "⟦5⟧ Dollarzeichen", None),
    ("de", "⟦3⟧ Europäer", None),
    ("de", "⟦10⟧ Franken-Weine", None),
    ("de", "⟦5⟧ Rubelkurse", None),
    ("de", "⟦2⟧ Märkte", None),
    ("de", "⟦3⟧ Firmen zahlten 5 Euro", None),
    ("de", "⟦5⟧ amerikanische Soldaten", None),
    ("fr", "⟦5⟧ Européens", None),
    ("fr", "⟦3⟧ francophones", None),
    ("fr", "⟦10⟧ livres de cuisine", None),
    ("fr", "⟦5⟧ francs-tireurs", None),
    ("fr", "⟦5⟧ entreprises ont payé 10 €", None),
    ("fr", "⟦2 millions⟧ d'habitants", None),
    ("es", "⟦5⟧ europeos", None),
    ("es", "⟦10⟧ libras de peso", None),
    ("es", "en ⟦2020⟧, los dólares", None),
    ("es", "⟦3 millones⟧ de dolarizados", None),
    ("it", "⟦5⟧ europei", None),
    ("it", "⟦10⟧ marchi", None),
    ("it", "⟦2 milioni⟧ di abitanti", None),
    ("pt", "⟦5⟧ europeus", None),
    ("pt", "⟦3⟧ libras de peso", None),
    ("pt", "⟦2 milhões⟧ de habitantes", None),
    ("ru", "⟦5⟧ европейцев", None),
    ("ru", "⟦3⟧ долларовых облигации", None),
    ("ru", "⟦5⟧ рублёвых", None),
    ("ru", "⟦10⟧ марок", None),
    ("ru", "⟦5⟧ сомов", None),
    ("ru", "за ⟦10⟧ дней 5 млн долларов", None),
    ("ru", "⟦5⟧ американских солдат", None),
    ("uk", "⟦5⟧ європейців", None),
    ("uk", "⟦3⟧ фунти", None),
    ("uk", "⟦10⟧ марок", None),
    ("uk", "⟦5⟧ доларових", None),
    ("cs", "⟦5⟧ Evropanů", None),
    ("cs", "⟦3⟧ marky", None),
    ("cs", "⟦10⟧ dolarových", None),
    ("cs", "⟦5⟧ amerických vojáků", None),
    ("pl", "⟦5⟧ Europejczyków", None),
    ("pl", "⟦3⟧ funty", None),
    ("pl", "⟦10⟧ dolarowych", None),
    ("pl", "⟦5⟧ amerykańskich żołnierzy", None),
    ("zh", "⟦5⟧年", None),
    ("zh", "⟦3⟧个欧洲国家", None),
    ("zh", "⟦5⟧美国人", None),
    ("zh", "⟦2⟧英国", None),
    ("zh", "⟦5⟧家公司支付美元", None),
    ("ja", "⟦5⟧年", None),
    ("ja", "⟦3⟧ドイツ", None),
    ("ja", "⟦5⟧米国", None),
    ("ja", "⟦5⟧社がドルで支払った", None),
]


@pytest.mark.parametrize(("lang", "text", "expected"), POSITIVE + NEGATIVE)
def test_currency_near(lang: str, text: str, expected: Expected) -> None:
    found = mention(lang, text)
    if expected is None:
        assert found is None, (text, found)
        return
    assert found is not None, text
    kind, want = expected
    if kind == "only":
        assert found.codes == want, (text, found.codes)
    else:
        assert want <= found.codes, (text, found.codes)


@pytest.mark.parametrize(
    ("lang", "text", "written"),
    [
        ("en", "It raised $⟦5 million⟧ last year.", "$"),
        ("en", "US$ ⟦5 million⟧", "US$"),
        ("de", "⟦5 Millionen⟧ Euro wurden", "Euro"),
        ("fr", "⟦1,5 million⟧ d'euros", "euros"),
        ("es", "⟦2,5 millones⟧ de dólares, dijo", "dólares"),
        ("ru", "⟦5 млн⟧ долларов США.", "долларов США"),
        ("ru", "⟦5 млн⟧ американских долларов", "американских долларов"),
        ("ja", "⟦500万⟧ドルの", "ドル"),
        ("zh", "⟦5亿⟧美元的", "美元"),
    ],
)
def test_mention_span(lang: str, text: str, written: str) -> None:
    plain, start, end = marked(text)
    found = currency_near(plain, start, end, lang)
    assert found is not None
    assert plain[found.start : found.end] == written


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        (("en", "$⟦5 million⟧"), ("de", "⟦5 Millionen⟧ Euro"), False),
        (("en", "⟦2.5 million⟧ euros"), ("es", "⟦2,5 millones⟧ de dólares"), False),
        (("de", "⟦858 Millionen⟧ Naira"), ("en", "N⟦585 million⟧"), True),
        (("de", "⟦5⟧ Dollar"), ("de", "⟦5⟧ Euro"), False),
        (("en", "$⟦5 million⟧"), ("ru", "⟦5 млн⟧ долларов"), True),
        (("en", "$⟦5 million⟧"), ("uk", "⟦5 млн⟧ доларів"), True),
        (("en", "$⟦5 million⟧"), ("cs", "⟦5 milionů⟧ dolarů"), True),
        (("en", "$⟦5 million⟧"), ("pl", "⟦5 mln⟧ dolarów"), True),
        (("en", "$⟦5 million⟧"), ("ja", "⟦500万⟧ドル"), True),
        (("en", "$⟦5 million⟧"), ("zh", "⟦500万⟧美元"), True),
        (("en", "¥⟦5 billion⟧"), ("ja", "⟦50億⟧円"), True),
        (("en", "¥⟦5 billion⟧"), ("zh", "⟦50亿⟧元"), True),
        (("en", "£⟦5 million⟧"), ("fr", "⟦5 millions⟧ d'euros"), False),
        (("en", "A$⟦5 million⟧"), ("de", "⟦5 Millionen⟧ US-Dollar"), False),
    ],
)
def test_currencies_agree(a: tuple[str, str], b: tuple[str, str], agree: bool) -> None:
    assert currencies_agree(codes(*a), codes(*b)) is agree


def test_currencies_agree_empty() -> None:
    assert not currencies_agree(frozenset(), frozenset({"USD"}))


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("N95 masks were sold for N585 million.", "en", [None, frozenset({"NGN"})]),
        ("Er zahlte 5 Millionen Euro und 3 Millionen Dollar.", "de", [frozenset({"EUR"}), "USD"]),
        ("Он заплатил 5 млн долларов за 10 домов.", "ru", ["USD", None]),
        ("公司投资5亿美元，雇用300万人。", "zh", [frozenset({"USD"}), None]),
    ],
)
def test_with_scanned_numbers(text: str, lang: str, expected: list[object]) -> None:
    """The spans the fact engine passes: scan_numbers tokens (their end includes the scale word)."""
    tokens = scan_numbers(text, lang)
    assert len(tokens) == len(expected)
    for token, want in zip(tokens, expected, strict=True):
        found = currency_near(text, token.start, token.end, lang)
        if want is None:
            assert found is None, token.text
        elif isinstance(want, str):
            assert found is not None and want in found.codes, token.text
        else:
            assert found is not None and found.codes == want, token.text


# --- currency_words ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "lang", "first", "contains"),
    [
        ("EUR", "de", ["€"], ["Euro", "EUR"]),
        ("USD", "es", ["US$", "$"], ["dólares", "dólar", "USD"]),
        ("USD", "en", ["$"], ["dollars", "US dollars"]),
        ("EUR", "fr", ["€"], ["euros", "euro"]),
        ("USD", "ru", ["$"], ["долларов", "доллар", "доллара"]),
        ("UAH", "uk", ["₴"], ["грн", "гривень"]),
        ("NGN", "en", ["₦"], ["naira", "NGN"]),
        ("JPY", "ja", ["￥"], ["円"]),
        ("CNY", "zh", ["¥"], ["人民币", "元"]),
        ("CZK", "cs", ["Kč"], ["korun"]),
        ("PLN", "pl", ["zł"], ["złotych"]),
        ("BRL", "pt", ["R$"], ["reais"]),
    ],
)
def test_currency_words(code: str, lang: str, first: list[str], contains: list[str]) -> None:
    words = currency_words(code, lang)
    assert words[: len(first)] == first
    for word in contains:
        assert word in words, (word, words)
    assert len(words) == len(set(words))
    assert "N" not in words  # a one-letter press symbol is never offered for a repair


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es", "pt", "it", "ru", "uk", "cs", "pl", "zh", "ja"])
@pytest.mark.parametrize("code", ["USD", "EUR", "GBP", "JPY", "NGN", "UAH"])
def test_currency_words_are_recognized(code: str, lang: str) -> None:
    """Every written form currency_words offers is read back as that currency after a big number."""
    for word in currency_words(code, lang):
        sep = "" if lang in ("zh", "ja") else " "
        text = f"1000{sep}{word}"
        found = currency_near(text, 0, 4, lang)
        assert found is not None and code in found.codes, (word, found)


# --- format_money -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "code", "lang", "expected"),
    [
        (1_500_000, "EUR", "de", "1,5 Millionen Euro"),
        (5e6, "USD", "en", "$5 million"),
        (2.5e9, "USD", "es", "2,5 mil millones de dólares estadounidenses"),
        (1_500_000, "EUR", "fr", "1,5 million d’euros"),
        (5e6, "USD", "fr", "5 millions de dollars des États-Unis"),
        (5e6, "USD", "ru", "5 миллионов долларов США"),
        (1_500_000, "USD", "ru", "1,5 миллиона долларов США"),
        (2.5, "USD", "ru", "2,5 доллара США"),
        (2.5e9, "USD", "it", "2,5 miliardi di dollari statunitensi"),
        (5e6, "USD", "pt", "US$\u00a05 milhões"),
        (5e6, "CHF", "pt", "5 milhões de francos suíços"),
        (1_500_000, "USD", "cs", "1,5 milionu amerických dolarů"),
        (5e6, "USD", "pl", "5 milionów dolarów amerykańskich"),
        (5e6, "USD", "uk", "5 мільйонів доларів США"),
        (5e6, "USD", "zh", "500万美元"),
        (1e6, "JPY", "ja", "100万円"),
        (300, "GBP", "en", "£300"),
        (1500, "EUR", "de", "1.500 Euro"),
        (1_234_567, "EUR", "de", "1.234.567 Euro"),
        (585e6, "NGN", "en", "585 million Nigerian nairas"),
        (10, "CHF", "en", "10 Swiss francs"),
        (2.5e9, "EUR", "en", "€2.5 billion"),
        (-2.5e6, "USD", "en", "-$2.5 million"),
        (-2.5e6, "EUR", "de", "-2,5 Millionen Euro"),
        (0.5, "EUR", "de", "0,5 Euro"),
    ],
)
def test_format_money(amount: float, code: str, lang: str, expected: str) -> None:
    assert format_money(amount, code, lang) == expected


def _marks(text: str, code: str, lang: str) -> int:
    """How many currency marks of `code` the text holds (longest form first, each place counted once)."""
    count = 0
    for word in sorted(currency_words(code, lang), key=len, reverse=True):
        pattern = re.escape(word) if lang in ("zh", "ja") else rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])"
        text, n = re.subn(pattern, "\x00", text, flags=re.IGNORECASE)
        count += n
    return count


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es", "pt", "it", "ru", "uk", "cs", "pl", "zh", "ja"])
@pytest.mark.parametrize("code", ["USD", "EUR", "GBP", "JPY", "NGN", "CHF"])
@pytest.mark.parametrize("amount", [300, 1500.5, 1_500_000, 2.5e9, 1_234_567])
def test_format_money_round_trip(amount: float, code: str, lang: str) -> None:
    """One currency mark, never two; the figure reads back with its amount and its currency."""
    text = format_money(amount, code, lang)
    assert _marks(text, code, lang) == 1, text
    tokens = scan_numbers(text, lang)
    assert len(tokens) == 1, text
    assert any(abs(r - amount) < 1e-6 * amount for r in tokens[0].readings), (text, tokens[0].readings)
    found = currency_near(text, tokens[0].start, tokens[0].end, lang)
    assert found is not None and code in found.codes, text
