"""The guard's figure repair writes the whole figure (amount with its unit or currency) in the target
language's form, replaces the whole wrong figure, never leaves a duplicate mark, and is checked again."""

from __future__ import annotations

import re

import pytest

from keepfacts.eval import check
from keepfacts.eval.repair import repair_figure, repair_forms

# (English source, the wrong translation, language, a mark the repaired figure must carry once)
CASES = [
    ("It cost €1.5 million.", "Es kostete 1.200.000 $.", "de", "Euro"),
    ("It cost €1.5 million.", "Es kostete 2 Millionen Dollar.", "de", "Euro"),
    ("It cost $2.5 billion.", "Costó 3.000 millones de euros.", "es", "dólares"),
    ("It cost $45.", "Cela a coûté 54 dollars.", "fr", "dollars"),
    ("It cost £300.", "Это стоило 30 фунтов.", "ru", "фунт"),
    ("It cost $5 million.", "Это стоило 6 миллионов долларов.", "ru", "доллар"),
    ("The road is 50 km long.", "Die Straße ist 60 km lang.", "de", "km"),
    ("The road is 50 km long.", "La route fait 15 miles.", "fr", "km"),
    ("A 200 kg bomb fell.", "Упала бомба весом 300 кг.", "ru", "кг"),
    ("The wall is 8 feet high.", "El muro mide 9 pies.", "es", "pies"),
    ("Turnout was 45%.", "Die Beteiligung lag bei 54 %.", "de", "%"),
    ("Turnout was 45%.", "La participación fue del 54 %.", "es", "%"),
]


@pytest.mark.parametrize(("source", "wrong", "lang", "mark"), CASES, ids=[f"{c[2]}-{c[3]}" for c in CASES])
def test_a_repair_writes_the_whole_figure_once(source: str, wrong: str, lang: str, mark: str) -> None:
    report = check(source, wrong, lang=lang, mode="translation")
    assert not report.passed
    repaired = repair_figure(wrong, report.to_dict(), lang)
    assert repaired is not None, report.to_dict()
    assert check(source, repaired, lang=lang, mode="translation").passed, repaired
    assert len(re.findall(re.escape(mark), repaired, flags=re.IGNORECASE)) == 1, repaired
    for doubled in ("€ Euro", "$ Dollar", "% %", "Euro Euro", "km km"):
        assert doubled not in repaired, repaired


def test_a_figure_that_is_right_is_left_alone() -> None:
    source, output = "It cost €1.5 million.", "Es kostete 1,5 Millionen Euro."
    report = check(source, output, lang="de", mode="translation")
    assert report.passed and repair_figure(output, report.to_dict(), "de") is None


@pytest.mark.parametrize(
    ("lang", "output", "repaired"),
    [
        (
            "es",
            "California tiene 39,951,481 habitantes y Texas 29,145,505.",
            "California tiene 39.951.481 habitantes y Texas 29.145.505.",
        ),
        (
            "de",
            "Kalifornien hat 39,951,481 Einwohner und Texas 29,145,505.",
            "Kalifornien hat 39.951.481 Einwohner und Texas 29.145.505.",
        ),
    ],
)
def test_every_figure_in_a_misread_form_is_rewritten(lang: str, output: str, repaired: str) -> None:
    source = "California has 39,951,481 residents and Texas 29,145,505."
    report = check(source, output, lang=lang, mode="translation")
    assert [p["part"] for p in report.changed] == ["form", "form"]
    fixed = repair_forms(output, report.to_dict(), lang)
    assert fixed is not None and fixed.replace("\u00a0", " ") == repaired
    assert check(source, fixed, lang=lang, mode="translation").passed


def test_no_form_change_means_no_form_repair() -> None:
    source = "California has 39,951,481 residents."
    output = "California tiene 39.951.481 habitantes."
    assert repair_forms(output, check(source, output, lang="es", mode="translation").to_dict(), "es") is None
