"""A figure's direction (qualifier and negation), language by language, with known expected values."""

from __future__ import annotations

import re
import time

import pytest

from keepfacts.errors import LanguageError
from keepfacts.eval.direction import (
    QUALIFIER_CLASSES,
    Qualifier,
    direction_turned,
    negated,
    qualifier_near,
    supports,
)

LANGS = ("en", "de", "fr", "es", "pt", "it", "ru", "uk", "cs", "pl", "zh", "ja")


def span(text: str, figure: str) -> tuple[int, int]:
    start = text.index(figure)
    return start, start + len(figure)


def reading(text: str, figure: str, lang: str) -> tuple[Qualifier | None, bool]:
    start, end = span(text, figure)
    return qualifier_near(text, start, end, lang), negated(text, start, end, lang)


def cls_of(text: str, figure: str, lang: str) -> str | None:
    found = qualifier_near(text, *span(text, figure), lang)
    return found.cls if found else None


# --- qualifier_near: (lang, text, figure, class) ------------------------------------------------------
QUALIFIER_CASES = [
    ("en", "More than 100,000 people fled.", "100,000", "over"),
    ("en", "over 100,000 people", "100,000", "over"),
    ("en", "well over 100,000 people", "100,000", "over"),
    ("en", "a little over 100,000 people", "100,000", "over"),
    ("en", "in excess of $100,000", "100,000", "over"),
    ("en", "100,000 or more people", "100,000", "at least"),
    ("en", "100,000 people or more", "100,000", "at least"),
    ("en", "a 100,000-plus crowd", "100,000", "over"),
    ("en", "at least 12 dead", "12", "at least"),
    ("en", "no fewer than 12 dead", "12", "at least"),
    ("en", "no less than 12 dead", "12", "at least"),
    ("en", "no more than 3%", "3%", "at most"),
    ("en", "not more than 3%", "3%", "at most"),
    ("en", "at most 12", "12", "at most"),
    ("en", "up to 500 troops", "500", "up to"),
    ("en", "as many as 500 troops", "500", "up to"),
    ("en", "fewer than 100,000 people", "100,000", "under"),
    ("en", "below 3%", "3%", "under"),
    ("en", "nearly half of them", "half", "nearly"),
    ("en", "almost 300,000", "300,000", "nearly"),
    ("en", "just under 300,000", "300,000", "nearly"),
    ("en", "about 300,000", "300,000", "around"),
    ("en", "some 300,000 people", "300,000", "around"),
    ("en", "an estimated 300,000 people", "300,000", "around"),
    ("en", "300,000 or so", "300,000", "around"),
    ("en", "exactly 300,000", "300,000", "exactly"),
    ("en", "precisely 300,000", "300,000", "exactly"),
    ("en", "prices exceeded 3% in May", "3%", "over"),
    ("en", "300,000 people", "300,000", None),
    ("en", "the top 10 firms", "10", None),
    ("en", "from 10 to 20", "20", None),
    ("de", "über 100.000 Soldaten", "100.000", "over"),
    ("de", "mehr als 100.000 Soldaten", "100.000", "over"),
    ("de", "gut 100.000 Soldaten", "100.000", "over"),
    ("de", "100.000 und mehr", "100.000", "at least"),
    ("de", "mindestens 12 Tote", "12", "at least"),
    ("de", "nicht weniger als 12 Tote", "12", "at least"),
    ("de", "höchstens 12 Tote", "12", "at most"),
    ("de", "nicht mehr als 3 %", "3 %", "at most"),
    ("de", "bis zu 500 Soldaten", "500", "up to"),
    ("de", "weniger als 100.000", "100.000", "under"),
    ("de", "unter 100.000", "100.000", "under"),
    ("de", "fast die Hälfte", "Hälfte", "nearly"),
    ("de", "knapp 300.000", "300.000", "nearly"),
    ("de", "beinahe 300.000", "300.000", "nearly"),
    ("de", "rund 300.000", "300.000", "around"),
    ("de", "ca. 300.000", "300.000", "around"),
    ("de", "circa 300.000", "300.000", "around"),
    ("de", "ungefähr 300.000", "300.000", "around"),
    ("de", "genau 300.000", "300.000", "exactly"),
    ("de", "überstieg 3 %", "3 %", "over"),
    ("de", "hat 3 % nicht überschritten", "3 %", "over"),
    ("de", "bis zum 15. März", "15", None),
    ("fr", "plus de 100 000 soldats", "100 000", "over"),
    ("fr", "plus de la moitié", "moitié", "over"),
    ("fr", "au moins 12 morts", "12", "at least"),
    ("fr", "pas moins de 12 morts", "12", "at least"),
    ("fr", "moins de 100 000", "100 000", "under"),
    ("fr", "près de la moitié", "moitié", "nearly"),
    ("fr", "presque 300 000", "300 000", "nearly"),
    ("fr", "environ 300 000", "300 000", "around"),
    ("fr", "quelque 300 000 personnes", "300 000", "around"),
    ("fr", "jusqu’à 500 soldats", "500", "up to"),
    ("fr", "exactement 300 000", "300 000", "exactly"),
    ("fr", "a dépassé les 3 %", "3 %", "over"),
    ("fr", "auprès de 300 personnes", "300", None),
    ("es", "más de 100.000 soldados", "100.000", "over"),
    ("es", "más del 50%", "50%", "over"),
    ("es", "al menos 12 muertos", "12", "at least"),
    ("es", "por lo menos 12 muertos", "12", "at least"),
    ("es", "no menos de 12 muertos", "12", "at least"),
    ("es", "menos de 100.000", "100.000", "under"),
    ("es", "casi la mitad", "mitad", "nearly"),
    ("es", "cerca de 300.000", "300.000", "nearly"),
    ("es", "alrededor de 300.000", "300.000", "around"),
    ("es", "unos 300.000 soldados", "300.000", "around"),
    ("es", "unas 300 personas", "300", "around"),
    ("es", "hasta 500 soldados", "500", "up to"),
    ("es", "hasta el 15 de marzo", "15", None),
    ("es", "exactamente 300.000", "300.000", "exactly"),
    ("es", "superó el 3%", "3%", "over"),
    ("pt", "mais de 100 mil soldados", "100 mil", "over"),
    ("pt", "pelo menos 12 mortos", "12", "at least"),
    ("pt", "menos de 100 mil", "100 mil", "under"),
    ("pt", "quase metade", "metade", "nearly"),
    ("pt", "cerca de 300 mil", "300 mil", "around"),
    ("pt", "até 500 soldados", "500", "up to"),
    ("pt", "no máximo 12", "12", "at most"),
    ("pt", "crianças menores de 13 anos", "13", "under"),  # younger than 13
    ("pt", "maiores de 18 anos", "18", "over"),
    ("es", "niños menores de 13 años", "13", "under"),
    ("es", "mayores de 65 años", "65", "over"),
    ("it", "oltre 100.000 soldati", "100.000", "over"),
    ("it", "più di 100.000 soldati", "100.000", "over"),
    ("it", "più della metà", "metà", "over"),
    ("it", "almeno 12 morti", "12", "at least"),
    ("it", "meno di 100.000", "100.000", "under"),
    ("it", "quasi la metà", "metà", "nearly"),
    ("it", "circa 300.000", "300.000", "around"),
    ("it", "fino a 500 soldati", "500", "up to"),
    ("it", "al massimo 12", "12", "at most"),
    ("ru", "более 100 000 солдат", "100 000", "over"),
    ("ru", "свыше 100 тысяч", "100 тысяч", "over"),
    ("ru", "больше чем 100 тысяч", "100 тысяч", "over"),
    ("ru", "100 с лишним человек", "100", "over"),
    ("ru", "не менее 12 погибших", "12", "at least"),
    ("ru", "как минимум 12 погибших", "12", "at least"),
    ("ru", "менее 100 000", "100 000", "under"),
    ("ru", "меньше 100 000", "100 000", "under"),
    ("ru", "не более 3%", "3%", "at most"),
    ("ru", "до 500 военных", "500", "up to"),
    ("ru", "от 10 до 20 человек", "20", None),
    ("ru", "до 2025 года", "2025", None),
    ("ru", "до 15 марта", "15", None),
    ("ru", "почти половина", "половина", "nearly"),
    ("ru", "чуть ли не половина", "половина", "nearly"),
    ("ru", "около 300 тысяч", "300 тысяч", "around"),
    ("ru", "примерно 300 тысяч", "300 тысяч", "around"),
    ("ru", "порядка 300 тысяч", "300 тысяч", "around"),
    ("ru", "ровно 300 тысяч", "300 тысяч", "exactly"),
    ("ru", "превысила 3%", "3%", "over"),
    ("uk", "понад 100 тисяч", "100 тисяч", "over"),
    ("uk", "щонайменше 12 загиблих", "12", "at least"),
    ("uk", "не менше 12 загиблих", "12", "at least"),
    ("uk", "менше 100 тисяч", "100 тисяч", "under"),
    ("uk", "не більше 3%", "3%", "at most"),
    ("uk", "майже половина", "половина", "nearly"),
    ("uk", "близько 300 тисяч", "300 тисяч", "around"),
    ("uk", "перевищила 3%", "3%", "over"),
    ("cs", "přes 100 tisíc", "100 tisíc", "over"),
    ("cs", "více než 100 000", "100 000", "over"),
    ("cs", "nejméně 12 mrtvých", "12", "at least"),
    ("cs", "méně než 100 000", "100 000", "under"),
    ("cs", "nejvýše 12", "12", "at most"),
    ("cs", "téměř polovina", "polovina", "nearly"),
    ("cs", "necelých 300 tisíc", "300 tisíc", "nearly"),
    ("cs", "zhruba 300 tisíc", "300 tisíc", "around"),
    ("cs", "přesně 300 tisíc", "300 tisíc", "exactly"),
    ("cs", "nepřekročila 3 %", "3 %", "over"),
    ("pl", "ponad 100 tys.", "100 tys.", "over"),
    ("pl", "co najmniej 12 zabitych", "12", "at least"),
    ("pl", "mniej niż 100 tys.", "100 tys.", "under"),
    ("pl", "nie więcej niż 3%", "3%", "at most"),
    ("pl", "prawie połowa", "połowa", "nearly"),
    ("pl", "niespełna 300 tys.", "300 tys.", "nearly"),
    ("pl", "około 300 tys.", "300 tys.", "around"),
    ("pl", "dokładnie 300 tys.", "300 tys.", "exactly"),
    ("pl", "przekroczyła 3%", "3%", "over"),
    ("zh", "超过10万名士兵", "10万", "over"),
    ("zh", "逾10万人", "10万", "over"),
    ("zh", "10万人以上", "10万", "at least"),
    ("zh", "100多人", "100", "over"),
    ("zh", "至少12人死亡", "12", "at least"),
    ("zh", "不到10万人", "10万", "under"),
    ("zh", "不超过3%", "3%", "at most"),
    ("zh", "最多12人", "12", "at most"),
    ("zh", "多达500名士兵", "500", "up to"),
    ("zh", "近一半", "一半", "nearly"),
    ("zh", "将近30万", "30万", "nearly"),
    ("zh", "约30万人", "30万", "around"),
    ("zh", "30万人左右", "30万", "around"),
    ("zh", "整整30万", "30万", "exactly"),
    ("zh", "近10年来", "10", None),
    ("zh", "签约10家公司", "10", None),
    ("ja", "10万人以上の兵士", "10万", "at least"),
    ("ja", "10万人超", "10万", "over"),
    ("ja", "10万人を超える", "10万", "over"),
    ("ja", "100人余りが", "100", "over"),
    ("ja", "約30万人", "30万", "around"),
    ("ja", "およそ30万人", "30万", "around"),
    ("ja", "30万人前後", "30万", "around"),
    ("ja", "半数近く", "半数", "nearly"),
    ("ja", "10万人未満", "10万", "under"),
    ("ja", "3%以下", "3", "at most"),
    ("ja", "少なくとも12人", "12", "at least"),
    ("ja", "最大500人", "500", "up to"),
    ("ja", "ちょうど30万人", "30万", "exactly"),
    ("ja", "契約100件", "100", None),
    ("en", "100,000 people and more than 200 cars", "100,000", None),
    ("it", "12 o più di loro", "12", "at least"),
    ("fr", "12 personnes au plus", "12", "at most"),
    ("ru", "выросла до 3%", "3%", "up to"),
    ("ru", "снизилась с 5% до 3%", "3%", None),
    ("de", "unter den 300 Passagieren", "300", None),
    ("zh", "近10万人", "10万", "nearly"),
    ("zh", "最近10天", "10", None),
    ("ja", "100人に満たなかった", "100", "under"),
]


@pytest.mark.parametrize(("lang", "text", "figure", "expected"), QUALIFIER_CASES)
def test_qualifier_class(lang: str, text: str, figure: str, expected: str | None) -> None:
    assert cls_of(text, figure, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "figure", "words"),
    [
        ("en", "More than 100,000 people", "100,000", "More than"),
        ("en", "100,000 people or more", "100,000", "or more"),
        ("de", "nicht mehr als 3 %", "3 %", "nicht mehr als"),
        ("ru", "не менее 12", "12", "не менее"),
        ("zh", "10万人以上", "10万", "以上"),
        ("ja", "約30万人", "30万", "約"),
    ],
)
def test_qualifier_span(lang: str, text: str, figure: str, words: str) -> None:
    found = qualifier_near(text, *span(text, figure), lang)
    assert found is not None
    assert text[found.start : found.end] == words


@pytest.mark.parametrize(
    ("lang", "text", "figure", "soft"),
    [
        ("en", "prices exceeded 3% in May", "3%", True),
        ("en", "rose 3% over 12 months", "12", True),
        ("en", "over 100,000 people", "100,000", False),
        ("de", "über drei Tage", "drei", True),
        ("de", "über 100.000 Menschen", "100.000", False),
        ("ru", "до 500 военных", "500", True),
        ("es", "hasta 500 soldados", "500", True),
        ("ja", "10万人を超える", "10万", True),
        ("ja", "10万人以上", "10万", False),
    ],
)
def test_soft_readings(lang: str, text: str, figure: str, soft: bool) -> None:
    found = qualifier_near(text, *span(text, figure), lang)
    assert found is not None and found.soft is soft


def test_qualifier_inside_the_figure_span() -> None:
    text = "More than 100,000 people fled."
    found = qualifier_near(text, 0, len("More than 100,000"), "en")
    assert found is not None and found.cls == "over"


# --- negated: (lang, text, figure, negated) -----------------------------------------------------------
NEGATION_CASES = [
    ("en", "Inflation did not exceed 3% in May.", "3%", True),
    ("en", "Inflation didn’t exceed 3% in May.", "3%", True),
    ("en", "Inflation never exceeded 3%.", "3%", True),
    ("en", "Inflation was no more than 3%.", "3%", False),
    ("en", "Inflation was not more than 3%.", "3%", False),
    ("en", "There were no fewer than 12 deaths.", "12", False),
    ("en", "Officials did not comment, but more than 100,000 people fled.", "100,000", False),
    ("en", "Officials did not say why more than 100,000 people fled.", "100,000", False),
    ("en", "Hundreds, if not thousands, of the 12 villages.", "12", False),
    ("en", "Not only did 12 die, others fled.", "12", False),
    (
        "en",
        "The ministry gave no figure on Monday and the government then said that it expected about 3%.",
        "3%",
        False,
    ),
    ("de", "Die Inflation überschritt 3 % nicht.", "3 %", True),
    ("de", "Die Inflation hat 3 % nicht überschritten.", "3 %", True),
    ("de", "Die Inflation lag bei nicht mehr als 3 %.", "3 %", False),
    ("de", "Keine 100 Meter entfernt", "100", False),
    ("de", "Die Behörden äußerten sich nicht, aber mehr als 100.000 flohen.", "100.000", False),
    ("de", "Nicht nur 12 Menschen starben.", "12", False),
    ("fr", "L'inflation n'a pas dépassé 3 %.", "3 %", True),
    ("fr", "L’inflation n’a jamais dépassé 3 %.", "3 %", True),
    ("fr", "Pas moins de 12 morts.", "12", False),
    ("fr", "Il n'a pas commenté, mais plus de 100 000 personnes ont fui.", "100 000", False),
    ("es", "La inflación no superó el 3%.", "3%", True),
    ("es", "La inflación nunca superó el 3%.", "3%", True),
    ("es", "No menos de 12 muertos.", "12", False),
    ("es", "La inflación no fue de más del 3%, sino del 4%.", "4%", False),
    ("pt", "A inflação não ultrapassou 3%.", "3%", True),
    ("pt", "Não só 12 pessoas morreram.", "12", False),
    ("it", "L'inflazione non ha superato il 3%.", "3%", True),
    ("it", "Non meno di 12 morti.", "12", False),
    ("ru", "Инфляция не превысила 3%.", "3%", True),
    ("ru", "Инфляция не превышала 3%.", "3%", True),
    ("ru", "Инфляция составила не более 3%.", "3%", False),
    ("ru", "Погибли не менее 12 человек.", "12", False),
    ("ru", "Он не уточнил, однако более 100 000 человек бежали.", "100 000", False),
    ("ru", "Чуть ли не половина жителей уехала.", "половина", False),
    ("uk", "Інфляція не перевищила 3%.", "3%", True),
    ("uk", "Загинули не менше 12 людей.", "12", False),
    ("cs", "Inflace nepřekročila 3 %.", "3 %", True),
    ("cs", "Inflace nebyla vyšší než 3 %.", "3 %", True),
    ("cs", "Zemřelo nejméně 12 lidí.", "12", False),
    ("cs", "Nemocnice přijala 12 lidí.", "12", False),
    ("cs", "Několik set, nebo 12 lidí.", "12", False),
    ("pl", "Inflacja nie przekroczyła 3%.", "3%", True),
    ("pl", "Zginęło nie mniej niż 12 osób.", "12", False),
    ("pl", "Niespełna 300 tys. osób.", "300", False),
    ("zh", "通胀没有超过3%。", "3%", True),
    ("zh", "通胀未超过3%。", "3%", True),
    ("zh", "通胀不超过3%。", "3%", False),
    ("zh", "不到10万人逃离。", "10万", False),
    ("zh", "官员没有评论，但超过10万人逃离。", "10万", False),
    ("zh", "不仅有12人死亡。", "12", False),
    ("ja", "インフレ率は3%を超えなかった。", "3%", True),
    ("ja", "インフレ率は3%を超えませんでした。", "3%", True),
    ("ja", "少なくとも12人が死亡した。", "12", False),
    ("ja", "死者は12人に過ぎない。", "12", False),
    ("ja", "12人しかいない。", "12", False),
    ("ja", "死者は12人ではなく20人だった。", "12", True),
    ("ja", "死者は12人ではなく20人だった。", "20", False),
    ("ja", "長年上がらなかった物価が5月に3%上昇した。", "3%", False),
    ("de", "Das Unternehmen plante nicht, 3.000 Stellen zu streichen.", "3.000", True),
    ("de", "Die Preise, die nicht gestiegen waren, stiegen um 3 %.", "3 %", False),
    ("en", "The company did not say how many of its 3,000 employees would go.", "3,000", False),
    ("en", "None of the 40 hostages was freed.", "40", True),
    ("en", "No 10 Downing Street said 3% more.", "10", False),
    ("zh", "10至20人不等。", "10", False),
    ("zh", "3艘船沉没。", "3", False),
]


@pytest.mark.parametrize(("lang", "text", "figure", "expected"), NEGATION_CASES)
def test_negated(lang: str, text: str, figure: str, expected: bool) -> None:
    assert negated(text, *span(text, figure), lang) is expected


# --- direction_turned on the readings: (source en, figure, output, output lang, figure, changed) ------
OVER = "More than 100,000 people fled."
ABOUT = "About 300,000 people live there."
NEARLY = "Nearly half of them left."
NOT_EXCEED = "Inflation did not exceed 3% in May."
AT_LEAST = "At least 12 people died."
PLAIN = "100,000 people fled."
OVER_WORD = "Over 100,000 people fled."

PAIRS = [
    # English paraphrases
    (OVER, "100,000", "Over 100,000 people fled.", "en", "100,000", False),
    (OVER, "100,000", "Upwards of 100,000 people fled.", "en", "100,000", False),
    (ABOUT, "300,000", "Roughly 300,000 people live there.", "en", "300,000", False),
    (NOT_EXCEED, "3%", "Inflation was no more than 3% in May.", "en", "3%", False),
    (NOT_EXCEED, "3%", "Inflation didn't exceed 3% in May.", "en", "3%", False),
    (AT_LEAST, "12", "12 or more people died.", "en", "12", False),
    (OVER, "100,000", "Fewer than 100,000 people fled.", "en", "100,000", True),
    (ABOUT, "300,000", "Exactly 300,000 people live there.", "en", "300,000", True),
    (NOT_EXCEED, "3%", "Inflation exceeded 3% in May.", "en", "3%", True),
    (AT_LEAST, "12", "At most 12 people died.", "en", "12", True),
    (OVER, "100,000", "100,000 people fled.", "en", "100,000", True),
    (PLAIN, "100,000", "More than 100,000 people fled.", "en", "100,000", True),
    (OVER_WORD, "100,000", "Under 100,000 people fled.", "en", "100,000", True),
    (OVER_WORD, "100,000", "In excess of 100,000 people fled.", "en", "100,000", False),
    (OVER_WORD, "100,000", "Moins de 100 000 personnes ont fui.", "fr", "100 000", True),
    (OVER_WORD, "100,000", "Menos de 100.000 personas huyeron.", "es", "100.000", True),
    (OVER_WORD, "100,000", "Менее 100 000 человек бежали.", "ru", "100 000", True),
    (OVER_WORD, "100,000", "Свыше 100 тысяч человек бежали.", "ru", "100 тысяч", False),
    (OVER_WORD, "100,000", "Mehr als 100.000 Menschen flohen.", "de", "100.000", False),
    # German
    (OVER, "100,000", "Über 100.000 Menschen flohen.", "de", "100.000", False),
    (OVER, "100,000", "Mehr als 100.000 Menschen flohen.", "de", "100.000", False),
    (ABOUT, "300,000", "Rund 300.000 Menschen leben dort.", "de", "300.000", False),
    (NEARLY, "half", "Fast die Hälfte von ihnen ging.", "de", "Hälfte", False),
    (NOT_EXCEED, "3%", "Die Inflation lag im Mai bei nicht mehr als 3 %.", "de", "3 %", False),
    (NOT_EXCEED, "3%", "Die Inflation überschritt im Mai 3 % nicht.", "de", "3 %", False),
    (NOT_EXCEED, "3%", "Die Inflation hat im Mai 3 % nicht überschritten.", "de", "3 %", False),
    (AT_LEAST, "12", "Mindestens 12 Menschen starben.", "de", "12", False),
    (OVER, "100,000", "Weniger als 100.000 Menschen flohen.", "de", "100.000", True),
    (OVER, "100,000", "Unter 100.000 Menschen flohen.", "de", "100.000", True),
    (ABOUT, "300,000", "Genau 300.000 Menschen leben dort.", "de", "300.000", True),
    (NOT_EXCEED, "3%", "Die Inflation überstieg im Mai 3 %.", "de", "3 %", True),
    (AT_LEAST, "12", "Höchstens 12 Menschen starben.", "de", "12", True),
    (OVER, "100,000", "100.000 Menschen flohen.", "de", "100.000", True),
    (NEARLY, "half", "Mehr als die Hälfte von ihnen ging.", "de", "Hälfte", True),
    (PLAIN, "100,000", "Bis zu 100.000 Menschen flohen.", "de", "100.000", True),
    # French
    (OVER, "100,000", "Plus de 100 000 personnes ont fui.", "fr", "100 000", False),
    (ABOUT, "300,000", "Environ 300 000 personnes y vivent.", "fr", "300 000", False),
    (NEARLY, "half", "Près de la moitié d'entre eux sont partis.", "fr", "moitié", False),
    (NOT_EXCEED, "3%", "L'inflation n'a pas dépassé 3 % en mai.", "fr", "3 %", False),
    (NOT_EXCEED, "3%", "L'inflation n'était pas supérieure à 3 % en mai.", "fr", "3 %", False),
    (AT_LEAST, "12", "Au moins 12 personnes sont mortes.", "fr", "12", False),
    (OVER, "100,000", "Moins de 100 000 personnes ont fui.", "fr", "100 000", True),
    (ABOUT, "300,000", "Exactement 300 000 personnes y vivent.", "fr", "300 000", True),
    (NOT_EXCEED, "3%", "L'inflation a dépassé 3 % en mai.", "fr", "3 %", True),
    (AT_LEAST, "12", "Au plus 12 personnes sont mortes.", "fr", "12", True),
    (OVER, "100,000", "Jusqu'à 100 000 personnes ont fui.", "fr", "100 000", True),
    # Spanish
    (OVER, "100,000", "Más de 100.000 personas huyeron.", "es", "100.000", False),
    (ABOUT, "300,000", "Unas 300.000 personas viven allí.", "es", "300.000", False),
    (ABOUT, "300,000", "Alrededor de 300.000 personas viven allí.", "es", "300.000", False),
    (NEARLY, "half", "Casi la mitad de ellos se fue.", "es", "mitad", False),
    (NOT_EXCEED, "3%", "La inflación no superó el 3% en mayo.", "es", "3%", False),
    (AT_LEAST, "12", "Al menos 12 personas murieron.", "es", "12", False),
    (OVER, "100,000", "Menos de 100.000 personas huyeron.", "es", "100.000", True),
    (ABOUT, "300,000", "Exactamente 300.000 personas viven allí.", "es", "300.000", True),
    (NOT_EXCEED, "3%", "La inflación superó el 3% en mayo.", "es", "3%", True),
    (AT_LEAST, "12", "Como máximo 12 personas murieron.", "es", "12", True),
    (AT_LEAST, "12", "Hasta 12 personas murieron.", "es", "12", True),
    (NEARLY, "half", "Más de la mitad de ellos se fue.", "es", "mitad", True),
    # Portuguese
    (OVER, "100,000", "Mais de 100 mil pessoas fugiram.", "pt", "100 mil", False),
    (ABOUT, "300,000", "Cerca de 300 mil pessoas vivem lá.", "pt", "300 mil", False),
    (NOT_EXCEED, "3%", "A inflação não ultrapassou 3% em maio.", "pt", "3%", False),
    (OVER, "100,000", "Menos de 100 mil pessoas fugiram.", "pt", "100 mil", True),
    (NOT_EXCEED, "3%", "A inflação ultrapassou 3% em maio.", "pt", "3%", True),
    (AT_LEAST, "12", "No máximo 12 pessoas morreram.", "pt", "12", True),
    # Italian
    (OVER, "100,000", "Oltre 100.000 persone sono fuggite.", "it", "100.000", False),
    (ABOUT, "300,000", "Circa 300.000 persone vivono lì.", "it", "300.000", False),
    (NOT_EXCEED, "3%", "L'inflazione non ha superato il 3% a maggio.", "it", "3%", False),
    (OVER, "100,000", "Meno di 100.000 persone sono fuggite.", "it", "100.000", True),
    (NOT_EXCEED, "3%", "L'inflazione ha superato il 3% a maggio.", "it", "3%", True),
    (ABOUT, "300,000", "Esattamente 300.000 persone vivono lì.", "it", "300.000", True),
    # Russian
    (OVER, "100,000", "Более 100 000 человек бежали.", "ru", "100 000", False),
    (OVER, "100,000", "Свыше 100 тысяч человек бежали.", "ru", "100 тысяч", False),
    (ABOUT, "300,000", "Около 300 тысяч человек живут там.", "ru", "300 тысяч", False),
    (NEARLY, "half", "Почти половина из них уехала.", "ru", "половина", False),
    (NOT_EXCEED, "3%", "Инфляция в мае не превысила 3%.", "ru", "3%", False),
    (NOT_EXCEED, "3%", "Инфляция в мае составила не более 3%.", "ru", "3%", False),
    (AT_LEAST, "12", "Погибли не менее 12 человек.", "ru", "12", False),
    (OVER, "100,000", "Менее 100 000 человек бежали.", "ru", "100 000", True),
    (ABOUT, "300,000", "Ровно 300 тысяч человек живут там.", "ru", "300 тысяч", True),
    (NOT_EXCEED, "3%", "Инфляция в мае превысила 3%.", "ru", "3%", True),
    (AT_LEAST, "12", "Погибли не более 12 человек.", "ru", "12", True),
    (OVER, "100,000", "До 100 тысяч человек бежали.", "ru", "100 тысяч", True),
    # Ukrainian
    (OVER, "100,000", "Понад 100 тисяч людей втекли.", "uk", "100 тисяч", False),
    (ABOUT, "300,000", "Близько 300 тисяч людей живуть там.", "uk", "300 тисяч", False),
    (NOT_EXCEED, "3%", "Інфляція в травні не перевищила 3%.", "uk", "3%", False),
    (OVER, "100,000", "Менше 100 тисяч людей втекли.", "uk", "100 тисяч", True),
    (NOT_EXCEED, "3%", "Інфляція в травні перевищила 3%.", "uk", "3%", True),
    (AT_LEAST, "12", "Загинули не більше 12 людей.", "uk", "12", True),
    # Czech
    (OVER, "100,000", "Přes 100 tisíc lidí uprchlo.", "cs", "100 tisíc", False),
    (ABOUT, "300,000", "Zhruba 300 tisíc lidí tam žije.", "cs", "300 tisíc", False),
    (NOT_EXCEED, "3%", "Inflace v květnu nepřekročila 3 %.", "cs", "3 %", False),
    (OVER, "100,000", "Méně než 100 000 lidí uprchlo.", "cs", "100 000", True),
    (NOT_EXCEED, "3%", "Inflace v květnu překročila 3 %.", "cs", "3 %", True),
    (ABOUT, "300,000", "Přesně 300 tisíc lidí tam žije.", "cs", "300 tisíc", True),
    # Polish
    (OVER, "100,000", "Ponad 100 tys. osób uciekło.", "pl", "100 tys.", False),
    (ABOUT, "300,000", "Około 300 tys. osób tam mieszka.", "pl", "300 tys.", False),
    (NOT_EXCEED, "3%", "Inflacja w maju nie przekroczyła 3%.", "pl", "3%", False),
    (OVER, "100,000", "Mniej niż 100 tys. osób uciekło.", "pl", "100 tys.", True),
    (NOT_EXCEED, "3%", "Inflacja w maju przekroczyła 3%.", "pl", "3%", True),
    (AT_LEAST, "12", "Zginęło co najwyżej 12 osób.", "pl", "12", True),
    # Chinese
    (OVER, "100,000", "超过10万人逃离。", "zh", "10万", False),
    (OVER, "100,000", "10万人以上逃离。", "zh", "10万", False),
    (ABOUT, "300,000", "约30万人住在那里。", "zh", "30万", False),
    (NOT_EXCEED, "3%", "5月通胀没有超过3%。", "zh", "3%", False),
    (NOT_EXCEED, "3%", "5月通胀不超过3%。", "zh", "3%", False),
    (OVER, "100,000", "不到10万人逃离。", "zh", "10万", True),
    (NOT_EXCEED, "3%", "5月通胀超过了3%。", "zh", "3%", True),
    (ABOUT, "300,000", "整整30万人住在那里。", "zh", "30万", True),
    (AT_LEAST, "12", "最多12人死亡。", "zh", "12", True),
    # Japanese
    (OVER, "100,000", "10万人以上が逃れた。", "ja", "10万", False),
    (ABOUT, "300,000", "約30万人が住んでいる。", "ja", "30万", False),
    (NOT_EXCEED, "3%", "5月のインフレ率は3%を超えなかった。", "ja", "3%", False),
    (NOT_EXCEED, "3%", "5月のインフレ率は3%以下だった。", "ja", "3%", False),
    (OVER, "100,000", "10万人未満が逃れた。", "ja", "10万", True),
    (NOT_EXCEED, "3%", "5月のインフレ率は3%を超えた。", "ja", "3%", True),
    (ABOUT, "300,000", "ちょうど30万人が住んでいる。", "ja", "30万", True),
    (AT_LEAST, "12", "最大12人が死亡した。", "ja", "12", True),
]


@pytest.mark.parametrize(("src", "src_fig", "out", "lang", "out_fig", "changed"), PAIRS)
def test_direction_on_translations(
    src: str, src_fig: str, out: str, lang: str, out_fig: str, changed: bool
) -> None:
    reason = direction_turned(*reading(src, src_fig, "en"), *reading(out, out_fig, lang))
    assert (reason is not None) is changed, reason


# Harder faithful translations (clauses, reported speech, ranges, dates, spans of time) and their turns.
LOSSES = "Russia has not disclosed its losses, but Ukraine says more than 100,000 Russian soldiers have died."
NEVER = "He never earned more than $50,000 a year."
FEWER = "Fewer than 100 people attended."
ROUGHLY = "The plant employs roughly 2,000 workers."
UP_TO = "Up to 500 people were evacuated."
NO_MORE = "The army had no more than 500 tanks."
HARD_PAIRS = [
    (
        LOSSES,
        "100,000",
        "Россия не раскрывает свои потери, но Украина утверждает, что погибли более 100 000 "
        "российских солдат.",
        "ru",
        "100 000",
        False,
    ),
    (LOSSES, "100,000", "俄罗斯没有披露其损失，但乌克兰称超过10万名俄罗斯士兵死亡。", "zh", "10万", False),
    (
        LOSSES,
        "100,000",
        "ロシアは損失を公表していないが、ウクライナは10万人以上のロシア兵が死亡したと述べている。",
        "ja",
        "10万",
        False,
    ),
    (
        LOSSES,
        "100,000",
        "Rosja nie ujawnia swoich strat, ale Ukraina twierdzi, że zginęło ponad 100 tys. "
        "rosyjskich żołnierzy.",
        "pl",
        "100 tys.",
        False,
    ),
    (
        LOSSES,
        "100,000",
        "Rusko své ztráty nezveřejnilo, ale Ukrajina tvrdí, že zemřelo přes 100 tisíc ruských vojáků.",
        "cs",
        "100 tisíc",
        False,
    ),
    (
        LOSSES,
        "100,000",
        "Росія не розкриває своїх втрат, але Україна стверджує, що загинули понад 100 тисяч "
        "російських солдатів.",
        "uk",
        "100 тисяч",
        False,
    ),
    (
        "The company did not say how many of its 3,000 employees would lose their jobs.",
        "3,000",
        "Das Unternehmen sagte nicht, wie viele seiner 3.000 Mitarbeiter ihren Job verlieren würden.",
        "de",
        "3.000",
        False,
    ),
    (
        "The company did not plan to cut 3,000 jobs.",
        "3,000",
        "Das Unternehmen plante nicht, 3.000 Stellen zu streichen.",
        "de",
        "3.000",
        False,
    ),
    (
        "The company did not plan to cut 3,000 jobs.",
        "3,000",
        "Компания не планировала сокращать 3000 рабочих мест.",
        "ru",
        "3000",
        False,
    ),
    (
        "The death toll was 12, not 20.",
        "12",
        "Die Zahl der Toten lag bei 12 und nicht bei 20.",
        "de",
        "12",
        False,
    ),
    (
        "The death toll was 12, not 20.",
        "20",
        "Die Zahl der Toten lag bei 12 und nicht bei 20.",
        "de",
        "20",
        False,
    ),
    ("The death toll was not 12 but 20.", "20", "死者は12人ではなく20人だった。", "ja", "20", False),
    ("The death toll was not 12 but 20.", "12", "死者は12人ではなく20人だった。", "ja", "12", False),
    (
        "More than 100,000 people and more than 200 vehicles crossed.",
        "100,000",
        "10万多人和200多辆车越过。",
        "zh",
        "10万",
        False,
    ),
    (
        "More than 100,000 people and more than 200 vehicles crossed.",
        "100,000",
        "Plus de 100 000 personnes et plus de 200 véhicules ont traversé.",
        "fr",
        "100 000",
        False,
    ),
    ("12 or more of them died.", "12", "12 o più di loro sono morti.", "it", "12", False),
    (UP_TO, "500", "Ewakuowano nawet 500 osób.", "pl", "500", False),
    ("Inflation rose to 3% in May.", "3%", "Инфляция в мае выросла до 3%.", "ru", "3%", False),
    ("Inflation rose to 3% in May.", "3%", "Inflacja w maju wzrosła do 3%.", "pl", "3%", False),
    ("Inflation fell from 5% to 3%.", "3%", "Инфляция снизилась с 5% до 3%.", "ru", "3%", False),
    ("The talks will last until 2025.", "2025", "Переговоры продлятся до 2025 года.", "ru", "2025", False),
    (
        "No one was injured among the 300 passengers.",
        "300",
        "Unter den 300 Passagieren wurde niemand verletzt.",
        "de",
        "300",
        False,
    ),
    (
        "Prices, which had not risen for years, climbed 3% in May.",
        "3%",
        "Die Preise, die seit Jahren nicht gestiegen waren, stiegen im Mai um 3 %.",
        "de",
        "3 %",
        False,
    ),
    (
        "Prices, which had not risen for years, climbed 3% in May.",
        "3%",
        "多年未涨的价格在5月上涨了3%。",
        "zh",
        "3%",
        False,
    ),
    (
        "Officials said the fire did not spread beyond 12 hectares.",
        "12",
        "Les responsables ont déclaré que l'incendie ne s'était pas étendu au-delà de 12 hectares.",
        "fr",
        "12",
        False,
    ),
    (
        "Officials said the fire did not spread beyond 12 hectares.",
        "12",
        "Según las autoridades, el incendio no se extendió más allá de 12 hectáreas.",
        "es",
        "12",
        False,
    ),
    (
        "The ministry said no more than 12 people were hurt.",
        "12",
        "Le ministère a indiqué que 12 personnes au plus avaient été blessées.",
        "fr",
        "12",
        False,
    ),
    (
        "None of the 40 hostages was freed.",
        "40",
        "Ни один из 40 заложников не был освобожден.",
        "ru",
        "40",
        False,
    ),
    (
        "None of the 40 hostages was freed.",
        "40",
        "Keine der 40 Geiseln wurde freigelassen.",
        "de",
        "40",
        False,
    ),
    ("About 40% of voters did not turn out.", "40%", "约40%的选民没有投票。", "zh", "40%", False),
    ("About 40% of voters did not turn out.", "40%", "有権者の約40%が投票しなかった。", "ja", "40%", False),
    (
        "Inflation rose 3% over 12 months.",
        "12",
        "Die Inflation stieg binnen 12 Monaten um 3 %.",
        "de",
        "12",
        False,
    ),
    ("Over the past 10 years, the city grew.", "10", "近10年来，这座城市不断发展。", "zh", "10", False),
    (
        "Inflation did not exceed 3% last year.",
        "3%",
        "Инфляция в прошлом году осталась ниже 3%.",
        "ru",
        "3%",
        False,
    ),
    (
        "Inflation did not exceed 3% last year.",
        "3%",
        "Inflacja w zeszłym roku nie była wyższa niż 3%.",
        "pl",
        "3%",
        False,
    ),
    (NEVER, "50,000", "Er verdiente nie mehr als 50.000 Dollar im Jahr.", "de", "50.000", False),
    (NEVER, "50,000", "Он никогда не зарабатывал больше 50 000 долларов в год.", "ru", "50 000", False),
    (NEVER, "50,000", "他每年的收入从未超过5万美元。", "zh", "5万", False),
    (NEVER, "50,000", "彼の年収は5万ドルを超えたことがなかった。", "ja", "5万", False),
    (NEVER, "50,000", "Nikdy nevydělal víc než 50 tisíc dolarů ročně.", "cs", "50 tisíc", False),
    (NEVER, "50,000", "Ele nunca ganhou mais de 50 mil dólares por ano.", "pt", "50 mil", False),
    (NEVER, "50,000", "Non ha mai guadagnato più di 50.000 dollari l'anno.", "it", "50.000", False),
    (FEWER, "100", "参加者は100人に満たなかった。", "ja", "100", False),
    (FEWER, "100", "出席者不足100人。", "zh", "100", False),
    (ROUGHLY, "2,000", "Zakład zatrudnia ok. 2 tys. pracowników.", "pl", "2 tys.", False),
    (ROUGHLY, "2,000", "Завод наймає близько 2 тис. працівників.", "uk", "2 тис.", False),
    (ROUGHLY, "2,000", "A fábrica emprega cerca de 2 mil trabalhadores.", "pt", "2 mil", False),
    (NEVER, "50,000", "Er verdiente mehr als 50.000 Dollar im Jahr.", "de", "50.000", True),
    (NEVER, "50,000", "Он зарабатывал больше 50 000 долларов в год.", "ru", "50 000", True),
    (NEVER, "50,000", "他每年的收入超过5万美元。", "zh", "5万", True),
    (NEVER, "50,000", "Ganaba más de 50.000 dólares al año.", "es", "50.000", True),
    (FEWER, "100", "Участвовало более 100 человек.", "ru", "100", True),
    (FEWER, "100", "参加者は100人を超えた。", "ja", "100", True),
    (FEWER, "100", "Wzięło udział ponad 100 osób.", "pl", "100", True),
    (FEWER, "100", "Zúčastnilo se více než 100 lidí.", "cs", "100", True),
    (FEWER, "100", "Взяли участь понад 100 людей.", "uk", "100", True),
    (
        "Inflation did not exceed 3% last year.",
        "3%",
        "Inflacja w zeszłym roku przekroczyła 3%.",
        "pl",
        "3%",
        True,
    ),
    (UP_TO, "500", "Ewakuowano ponad 500 osób.", "pl", "500", True),
    (ROUGHLY, "2,000", "L'impianto impiega esattamente 2.000 lavoratori.", "it", "2.000", True),
    (ROUGHLY, "2,000", "A fábrica emprega exatamente 2 mil trabalhadores.", "pt", "2 mil", True),
    (FEWER, "100", "Mehr als 100 Menschen nahmen teil.", "de", "100", True),
    (FEWER, "100", "Über 100 Menschen nahmen teil.", "de", "100", True),
    (UP_TO, "500", "Mindestens 500 Menschen wurden evakuiert.", "de", "500", True),
    (UP_TO, "500", "500 Menschen wurden evakuiert.", "de", "500", True),
    (NOT_EXCEED, "3%", "Die Inflation lag im Mai bei über 3 %.", "de", "3 %", True),
    (NOT_EXCEED, "3%", "Die Inflation lag im Mai bei mindestens 3 %.", "de", "3 %", True),
    (AT_LEAST, "12", "Weniger als 12 Menschen starben.", "de", "12", True),
    (ABOUT, "300,000", "Exakt 300.000 Menschen leben dort.", "de", "300.000", True),
    (NO_MORE, "500", "Die Armee hatte mindestens 500 Panzer.", "de", "500", True),
    (NEARLY, "half", "Более половины из них уехали.", "ru", "половины", True),
    (AT_LEAST, "12", "Погибли менее 12 человек.", "ru", "12", True),
    (AT_LEAST, "12", "Погибли максимум 12 человек.", "ru", "12", True),
    (NOT_EXCEED, "3%", "Инфляция в мае составила более 3%.", "ru", "3%", True),
    (NOT_EXCEED, "3%", "Инфляция в мае составила не менее 3%.", "ru", "3%", True),
    (UP_TO, "500", "Эвакуированы более 500 человек.", "ru", "500", True),
    (PLAIN, "100,000", "Более 100 000 человек бежали.", "ru", "100 000", True),
    (NO_MORE, "500", "У армии было не меньше 500 танков.", "ru", "500", True),
    (NEARLY, "half", "一半以上的人离开了。", "zh", "一半", True),
    (AT_LEAST, "12", "不到12人死亡。", "zh", "12", True),
    (PLAIN, "100,000", "超过10万人逃离。", "zh", "10万", True),
    (OVER, "100,000", "近10万人逃离。", "zh", "10万", True),
    (NOT_EXCEED, "3%", "5月通胀至少3%。", "zh", "3%", True),
    (ABOUT, "300,000", "正好30万人住在那里。", "zh", "30万", True),
    (UP_TO, "500", "至少500人被疏散。", "zh", "500", True),
    (AT_LEAST, "12", "12人未満が死亡した。", "ja", "12", True),
    (PLAIN, "100,000", "10万人以上が逃れた。", "ja", "10万", True),
    (OVER, "100,000", "10万人近くが逃れた。", "ja", "10万", True),
    (NOT_EXCEED, "3%", "5月のインフレ率は3%以上だった。", "ja", "3%", True),
    (NEARLY, "half", "半数以上が去った。", "ja", "半数", True),
    (NEARLY, "half", "Plus de la moitié d'entre eux sont partis.", "fr", "moitié", True),
    (PLAIN, "100,000", "Plus de 100 000 personnes ont fui.", "fr", "100 000", True),
    (NO_MORE, "500", "L'armée avait au moins 500 chars.", "fr", "500", True),
    (OVER, "100,000", "Prawie 100 tys. osób uciekło.", "pl", "100 tys.", True),
    (ABOUT, "300,000", "Dokładnie 300 tys. osób tam mieszka.", "pl", "300 tys.", True),
    (NEARLY, "half", "Mais da metade deles partiu.", "pt", "metade", True),
    (NEARLY, "half", "Più della metà di loro se ne è andata.", "it", "metà", True),
    (ABOUT, "300,000", "Рівно 300 тисяч людей живуть там.", "uk", "300 тисяч", True),
    (AT_LEAST, "12", "Zemřelo nejvýše 12 lidí.", "cs", "12", True),
    (AT_LEAST, "12", "Por lo menos 12 personas murieron.", "es", "12", False),
    # Known limits, kept visible: the negation of a verb of saying or expecting whose object holds the
    # figure is read only where no comma sets the object clause off.
    pytest.param(
        "Officials had not expected 3,000 people to come.",
        "3,000",
        "Власти не ожидали, что придут 3000 человек.",
        "ru",
        "3000",
        False,
        marks=pytest.mark.xfail(strict=True, reason="object clause set off by a comma"),
    ),
    pytest.param(
        "None of the 40 hostages was freed.",
        "40",
        "40人の人質のうち、解放された者はいなかった。",
        "ja",
        "40",
        False,
        marks=pytest.mark.xfail(strict=True, reason="negation in a clause after a comma"),
    ),
]


@pytest.mark.parametrize(("src", "src_fig", "out", "lang", "out_fig", "changed"), HARD_PAIRS)
def test_direction_on_harder_translations(
    src: str, src_fig: str, out: str, lang: str, out_fig: str, changed: bool
) -> None:
    reason = direction_turned(*reading(src, src_fig, "en"), *reading(out, out_fig, lang))
    assert (reason is not None) is changed, reason


def test_pairs_keep_and_turn_in_every_language() -> None:
    for lang in LANGS:
        kinds = {changed for *_, out_lang, _fig, changed in PAIRS if out_lang == lang}
        assert kinds == {True, False}, lang


# --- direction_turned rules on bare qualifiers: (src class, src negated, out class, out negated, reason) --
def q(cls: str | None) -> Qualifier | None:
    return None if cls is None else Qualifier(cls, 0, 1)


RULES = [
    ("over", False, "over", False, None),
    ("over", False, "at least", False, None),
    ("under", False, "up to", False, None),
    ("at most", False, "up to", False, None),
    ("around", False, "nearly", False, None),
    ("nearly", False, "around", False, None),
    ("around", False, None, False, None),
    ("nearly", False, None, False, None),
    ("exactly", False, None, False, None),
    (None, False, "exactly", False, None),
    (None, False, "around", False, None),
    (None, False, None, False, None),
    ("over", True, "at most", False, None),
    ("at most", False, "over", True, None),
    ("at least", True, "under", False, None),
    ("under", True, "at least", False, None),
    ("over", True, "over", True, None),
    ("over", False, "under", False, "qualifier: more than -> less than"),
    ("at least", False, "at most", False, "qualifier: at least -> at most"),
    ("over", False, "nearly", False, "qualifier: more than -> nearly"),
    ("up to", False, "at least", False, "qualifier: up to -> at least"),
    ("around", False, "exactly", False, "qualifier: around -> exactly"),
    ("around", False, "over", False, "qualifier: around -> more than"),
    ("around", False, "at most", False, "qualifier: around -> at most"),
    ("exactly", False, "nearly", False, "qualifier: exactly -> nearly"),
    ("over", False, None, False, "qualifier: more than -> none"),
    ("up to", False, None, False, "qualifier: up to -> none"),
    (None, False, "under", False, "qualifier: none -> less than"),
    (None, False, "nearly", False, "qualifier: none -> nearly"),
    ("over", True, "over", False, "negation: not -> affirmed"),
    (None, False, None, True, "negation: affirmed -> not"),
    ("around", True, "around", False, "negation: not -> affirmed"),
    ("over", True, None, False, "negation: not -> affirmed"),
]


@pytest.mark.parametrize(("s", "sn", "o", "on", "reason"), RULES)
def test_rules(s: str | None, sn: bool, o: str | None, on: bool, reason: str | None) -> None:
    assert direction_turned(q(s), sn, q(o), on) == reason


def test_soft_bounds_are_not_flagged_when_dropped_or_added() -> None:
    verb = Qualifier("over", 0, 1, soft=True)
    assert direction_turned(verb, False, None, False) is None
    assert direction_turned(None, False, verb, False) is None
    assert direction_turned(verb, False, Qualifier("under", 0, 1), False) is not None


def test_classes_and_languages() -> None:
    assert set(QUALIFIER_CLASSES) == {
        "over",
        "at least",
        "under",
        "at most",
        "up to",
        "nearly",
        "around",
        "exactly",
    }
    assert all(supports(lang) for lang in LANGS)
    assert supports("pt-BR") and supports("zh_Hans")
    assert not supports("ko")
    with pytest.raises(LanguageError, match="supported"):
        qualifier_near("12", 0, 2, "ko")
    with pytest.raises(LanguageError):
        negated("12", 0, 2, "ko")


def test_windows_keep_calls_cheap_on_a_long_text() -> None:
    sentence = "Officials said more than 100,000 people fled, and inflation did not exceed 3% in May. "
    text = sentence * 5000  # about 80,000 words
    figures = [(m.start(), m.end()) for m in re.finditer(r"100,000|3%", text)][::5]
    began = time.perf_counter()
    readings = {(qualifier_near(text, a, b, "en"), negated(text, a, b, "en")) for a, b in figures}
    elapsed = time.perf_counter() - began
    assert {(q.cls if q else None, n) for q, n in readings} == {("over", False), ("over", True)}
    assert elapsed < 2.0, f"{len(figures)} figures took {elapsed:.2f}s"
