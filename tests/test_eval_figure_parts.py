"""A figure is its amount and what it measures: every part must agree, in every supported language.

Each case is (category, English source, output, output language, the verdict a careful human fact-checker
gives: "kept" or the part that changed). Good outputs that must pass are as many as bad ones.
"""

from __future__ import annotations

import pytest

from keepfacts.eval import check

K = "kept"
CASES = [
    # --- currency -----------------------------------------------------------------------------------
    ("currency", "The fund raised $5 million.", "The fund raised $5 million.", "en", K),
    ("currency", "The fund raised $5 million.", "The fund raised 5 million euros.", "en", "currency"),
    ("currency", "The fund raised $5 million.", "Der Fonds sammelte 5 Millionen Dollar.", "de", K),
    ("currency", "The fund raised $5 million.", "Der Fonds sammelte 5 Millionen US-Dollar.", "de", K),
    ("currency", "The fund raised $5 million.", "Der Fonds sammelte 5 Millionen Euro.", "de", "currency"),
    ("currency", "It cost 2.5 million euros.", "Costó 2,5 millones de euros.", "es", K),
    ("currency", "It cost 2.5 million euros.", "Costó 2,5 millones de dólares.", "es", "currency"),
    ("currency", "It cost 2.5 million euros.", "Cela a coûté 2,5 millions d'euros.", "fr", K),
    ("currency", "It cost 2.5 million euros.", "Cela a coûté 2,5 millions de dollars.", "fr", "currency"),
    ("currency", "It cost $300.", "Это стоило 300 долларов.", "ru", K),
    ("currency", "It cost $300.", "Это стоило 300 евро.", "ru", "currency"),
    ("currency", "It cost £300.", "Es kostete 300 Pfund.", "de", K),
    ("currency", "It cost £300.", "Es kostete 300 Dollar.", "de", "currency"),
    ("currency", "It cost N585 million.", "Es kostete 585 Millionen Naira.", "de", K),
    # --- units and conversions ------------------------------------------------------------------------
    ("unit", "The road is 50 km long.", "The road is 50 km long.", "en", K),
    ("unit", "The road is 50 km long.", "The road is 50 miles long.", "en", "unit"),
    ("unit", "A 200 kg bomb.", "A 200 tonnes bomb.", "en", "unit"),
    ("unit", "A 200 kg bomb.", "Eine 200-kg-Bombe.", "de", K),
    ("unit", "The road is 50 km long.", "Die Straße ist 50 Meilen lang.", "de", "unit"),
    ("unit", "The road is 50 km long.", "La route fait 50 km.", "fr", K),
    ("unit", "The road is 50 km long.", "Дорога длиной 50 миль.", "ru", "unit"),
    ("unit", "The road is 50 km long.", "La carretera mide 50 kilómetros.", "es", K),
    ("unit", "Gusts reached 85mph.", "Пориви досягали 85 миль на годину.", "uk", K),
    ("unit", "Gusts reached 85mph.", "Пориви досягали 85 км на годину.", "uk", "unit"),
    ("unit", "Gusts reached 85mph.", "阵风达到每小时 85 英里。", "zh", K),
    ("unit", "Gusts reached 85mph.", "阵风达到 85 公里。", "zh", "unit"),
    ("unit", "Gusts of 80-85mph are possible.", "风速可能达到每小时 80-85 英里。", "zh", K),
    ("conversion", "An 8-foot wall.", "Eine 2,5 m hohe Mauer.", "de", K),
    ("conversion", "An 8-foot wall.", "Eine 8 m hohe Mauer.", "de", "unit"),
    ("conversion", "It burned 30,000 acres.", "Es brannten 12.000 ha.", "de", K),
    ("conversion", "It burned 30,000 acres.", "Es brannten 30.000 ha.", "de", "unit"),
    ("conversion", "It was 90 degrees Fahrenheit.", "Il faisait 32 °C.", "fr", K),
    ("conversion", "It was 90 degrees Fahrenheit.", "Il faisait 90 °C.", "fr", "unit"),
    ("conversion", "They walked 100 km.", "They walked 62.1 miles.", "en", K),
    ("conversion", "It lies 85 miles (137 km) away.", "Es liegt 85 Meilen (137 km) entfernt.", "de", K),
    ("conversion", "It lies 85 miles (137 km) away.", "Es liegt 86 Meilen (138 km) weg.", "de", "amount"),
    ("direction", "Snow fell above 2,000 feet (610 meters).", "2000 英尺（610 米）以上的地区下雪。", "zh", K),
    ("conversion", "They walked 100 km.", "Caminaron 100 millas.", "es", "unit"),
    # --- percent and percentage points ----------------------------------------------------------------
    ("percent", "Rates rose 2 percentage points.", "Die Zinsen stiegen um 2 Prozentpunkte.", "de", K),
    ("percent", "Rates rose 2 percentage points.", "Die Zinsen stiegen um 2 Prozent.", "de", "percent"),
    ("percent", "Rates rose 2 percent.", "Die Zinsen stiegen um 2 Prozent.", "de", K),
    (
        "percent",
        "Rates rose 2 percent.",
        "Les taux ont augmenté de 2 points de pourcentage.",
        "fr",
        "percent",
    ),
    (
        "percent",
        "Rates rose 2 percentage points.",
        "Les taux ont augmenté de 2 points de pourcentage.",
        "fr",
        K,
    ),
    ("percent", "Rates rose 2 percentage points.", "Rates rose 2%.", "en", "percent"),
    ("percent", "Rates rose 2 percentage points.", "Ставки выросли на 2 процентных пункта.", "ru", K),
    ("percent", "Rates rose 2 percentage points.", "Ставки выросли на 2%.", "ru", "percent"),
    ("percent", "Rates rose 2 percentage points.", "Las tasas subieron 2 puntos porcentuales.", "es", K),
    ("percent", "Rates rose 2 percentage points.", "Las tasas subieron un 2%.", "es", "percent"),
    # --- direction: qualifiers ------------------------------------------------------------------------
    ("direction", "More than 100,000 soldiers left.", "Mehr als 100.000 Soldaten gingen.", "de", K),
    (
        "direction",
        "More than 100,000 soldiers left.",
        "Weniger als 100.000 Soldaten gingen.",
        "de",
        "qualifier",
    ),
    ("direction", "More than 100,000 soldiers left.", "Plus de 100 000 soldats sont partis.", "fr", K),
    (
        "direction",
        "More than 100,000 soldiers left.",
        "Moins de 100 000 soldats sont partis.",
        "fr",
        "qualifier",
    ),
    ("direction", "More than 100,000 soldiers left.", "Más de 100.000 soldados se fueron.", "es", K),
    (
        "direction",
        "More than 100,000 soldiers left.",
        "Menos de 100.000 soldados se fueron.",
        "es",
        "qualifier",
    ),
    ("direction", "More than 100,000 soldiers left.", "Более 100 000 солдат ушли.", "ru", K),
    ("direction", "More than 100,000 soldiers left.", "Менее 100 000 солдат ушли.", "ru", "qualifier"),
    ("direction", "Around 300,000 soldiers left.", "About 300,000 soldiers left.", "en", K),
    ("direction", "Around 300,000 soldiers left.", "Exactly 300,000 soldiers left.", "en", "qualifier"),
    ("direction", "Around 300,000 soldiers left.", "Rund 300.000 Soldaten gingen.", "de", K),
    ("direction", "At least 30 tornadoes were reported.", "据报道，至少有 30 场龙卷风。", "zh", K),
    ("direction", "At least 30 tornadoes were reported.", "据报道，最多有 30 场龙卷风。", "zh", "qualifier"),
    ("direction", "Around 300,000 soldiers left.", "Genau 300.000 Soldaten gingen.", "de", "qualifier"),
    # --- direction: negation --------------------------------------------------------------------------
    ("negation", "Inflation did not exceed 3%.", "Inflation did not exceed 3%.", "en", K),
    ("negation", "Inflation did not exceed 3%.", "Inflation exceeded 3%.", "en", "negation"),
    ("negation", "Inflation did not exceed 3%.", "Die Inflation überstieg 3 % nicht.", "de", K),
    ("negation", "Inflation did not exceed 3%.", "Die Inflation überstieg 3 %.", "de", "negation"),
    ("negation", "Inflation did not exceed 3%.", "L'inflation n'a pas dépassé 3 %.", "fr", K),
    ("negation", "Inflation did not exceed 3%.", "L'inflation a dépassé 3 %.", "fr", "negation"),
    ("negation", "Inflation did not exceed 3%.", "La inflación no superó el 3%.", "es", K),
    ("negation", "Inflation did not exceed 3%.", "La inflación superó el 3%.", "es", "negation"),
    ("negation", "Inflation did not exceed 3%.", "Инфляция не превысила 3%.", "ru", K),
    ("negation", "Inflation did not exceed 3%.", "Инфляция превысила 3%.", "ru", "negation"),
    ("negation", "19 provinces reported almost no deaths.", "19の州で死亡者はほぼゼロだった。", "ja", K),
    ("negation", "19 provinces saw almost no deaths.", "19 Provinzen hatten fast keine Tote.", "de", K),
    # --- times of day ---------------------------------------------------------------------------------
    ("time", "They met at 6 p.m.", "Sie trafen sich um 18 Uhr.", "de", K),
    ("time", "They met at 6 p.m.", "Sie trafen sich um 6 Uhr.", "de", "time"),
    ("time", "They met at 6 p.m.", "Sie trafen sich um 6 Uhr abends.", "de", K),
    ("time", "They met at 6 p.m.", "Ils se sont vus à 18 h.", "fr", K),
    ("time", "They met at 6 p.m.", "Ils se sont vus à 6 h.", "fr", "time"),
    ("time", "They met at 6 p.m.", "Они встретились в 18:00.", "ru", K),
    ("time", "They met at 6 p.m.", "Они встретились в 6:00.", "ru", "time"),
    ("time", "They met at 6 p.m.", "They met at 6 pm.", "en", K),
    ("time", "They met at 6 a.m.", "Se reunieron a las 6:00.", "es", K),
    ("time", "It was reported about 10:50 a.m.", "Es wurde gegen 10.50 Uhr gemeldet.", "de", K),
    ("time", "It was reported about 10:50 a.m.", "Es wurde gegen 22.50 Uhr gemeldet.", "de", "time"),
    ("time", "They met at 6 a.m.", "Se reunieron a las 18:00.", "es", "time"),
    # --- dates ----------------------------------------------------------------------------------------
    ("date", "It happened on April 3, 2023.", "Es geschah am 3.4.2023.", "de", K),
    ("date", "It happened on April 3, 2023.", "Es geschah am 3. April 2023.", "de", K),
    ("date", "It happened on April 3, 2023.", "Es geschah am 3. Mai 2023.", "de", "missing"),
    ("date", "It happened on April 3, 2023.", "Cela s'est passé le 3 avril 2023.", "fr", K),
    ("date", "It happened on April 3, 2023.", "Это случилось 3 апреля 2023 года.", "ru", K),
    ("date", "Prices of 2022-02 rose.", "Die Preise vom Februar 2022 stiegen.", "de", K),
    # --- decades, scores, ranges, rates --------------------------------------------------------------
    ("decade", "Born in the 1980s.", "Geboren in den 1980er Jahren.", "de", K),
    ("decade", "Born in the 1980s.", "Родился в 1980-х.", "ru", K),
    ("decade", "Born in the 1980s.", "Né dans les années 1990.", "fr", "amount"),
    ("score", "City won 2-1 on Sunday.", "City gewann am Sonntag 2:1.", "de", K),
    ("score", "City won 2-1 on Sunday.", "City a gagné 2-1 dimanche.", "fr", K),
    ("score", "City won 2-1 on Sunday.", "City ganó 1-2 el domingo.", "es", "score"),
    ("range", "He served from 1981-87.", "Он служил с 1981 по 1987 год.", "ru", K),
    ("range", "He served from 1981-87.", "Er diente von 1981 bis 1987.", "de", K),
    ("range", "He served from 1981-87.", "Er diente von 1981 bis 1988.", "de", "amount"),
    ("range", "He served from 1981-87.", "He served from 1981-87.", "en", K),
    ("rate", "5 deaths per million people.", "5 Todesfälle pro Million Einwohner.", "de", K),
    ("rate", "5 deaths per million people.", "5 Todesfälle.", "de", "rate"),
    ("rate", "12 cases per 100,000 residents.", "12 cas pour 100 000 habitants.", "fr", K),
    ("rate", "12 cases per 100,000 residents.", "12 casos.", "es", "rate"),
    # --- forms read by the language's own rules -------------------------------------------------------
    ("form", "over 100,000 soldiers", "más de 100.000 soldados", "es", K),
    ("form", "over 100,000 soldiers", "encima 100,000 soldados", "es", "form"),
    ("form", "over 100,000 soldiers", "über 100.000 Soldaten", "de", K),
    ("form", "over 100,000 soldiers", "über 100,000 Soldaten", "de", "form"),
    ("form", "over 100,000 soldiers", "более 100 000 солдат", "ru", K),
    ("form", "over 100,000 soldiers", "более 100,000 солдат", "ru", "form"),
    ("form", "over 100,000 soldiers", "plus de 100 000 soldats", "fr", K),
    ("form", "over 100,000 soldiers", "plus de 100,000 soldats", "fr", "form"),
    ("form", "over 100,000 soldiers", "over one hundred thousand soldiers", "en", K),
    ("form", "It grew 2.5%.", "Es wuchs um 2,5 %.", "de", K),
    ("form", "It grew 2.5%.", "Es wuchs um 2.5 %.", "de", "form"),
]


def _verdict(source: str, output: str, lang: str) -> str:
    report = check(source, output, lang=lang, mode="translation")
    figures_changed = [c for c in report.changed if c["source"]["kind"] == "figure"]
    if figures_changed:
        return str(figures_changed[0]["part"])
    if any(m["kind"] == "figure" for m in report.missing):
        return "missing"
    if any(u["kind"] == "figure" for u in report.unsupported):
        return "unsupported"
    return K


@pytest.mark.parametrize(
    ("category", "source", "output", "lang", "expected"),
    CASES,
    ids=[f"{c[0]}-{c[3]}-{c[4]}-{i}" for i, c in enumerate(CASES)],
)
def test_every_part_of_a_figure(category: str, source: str, output: str, lang: str, expected: str) -> None:
    assert _verdict(source, output, lang) == expected


def test_both_sides_are_covered_in_every_category() -> None:
    for category in {c[0] for c in CASES}:
        verdicts = [c[4] for c in CASES if c[0] == category]
        assert K in verdicts and any(v != K for v in verdicts), category


def test_a_changed_figure_names_its_part_and_why() -> None:
    report = check(
        "The fund raised $5 million.", "Der Fonds sammelte 5 Millionen Euro.", lang="de", mode="translation"
    )
    assert not report.passed
    (change,) = report.changed
    assert change["part"] == "currency" and "EUR" in change["reason"] and "USD" in change["reason"]
