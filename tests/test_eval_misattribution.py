"""Misattribution judged on the clause that holds a figure: a figure tied to another source's claim fails;
a figure that is part of a noun, a repeated score or date, or a figure the article repeats does not."""

from __future__ import annotations

import pytest

from keepfacts.eval import check

TOLL = "Police said 12 people were killed. Hospital officials put the toll at 15."
STAFF = "The carmaker hired 40 engineers in March. Months later, the company fired 12 managers at its plant."
MOTHER = (
    "Lizzi Crawford, 32, from Stoke-on-Trent, weighed 20 stone. The mother-of-six lived on takeaways and "
    "pizzas. She made a four minute film about her diet."
)
MATCH = (
    "City lost 2-1 to United on Saturday. After the 2-1 defeat, the manager said his players must improve."
)
COACH = "Gary Locke, 39, has been given a three-year deal. He played for Hearts for seven years from 1991."


@pytest.mark.parametrize(
    ("source", "summary", "passes"),
    [
        # figures that are part of a noun
        (MOTHER, "The mother-of-six lived on takeaways and pizzas.", True),
        (MOTHER, "In a four minute film, the mother-of-six shows her diet of takeaways.", True),
        (COACH, "The 39-year-old has been given a three-year deal.", True),
        # scores and dates are circumstances, repeated across sentences
        (MATCH, "The manager said his players must improve after the 2-1 defeat to United.", True),
        (COACH, "Locke played for Hearts for seven years from 1991.", True),
        # a figure the article repeats under several claims
        (
            "Forty people were hurt in the crash. Police later arrested 40 protesters.",
            "Police arrested 40 protesters.",
            True,
        ),
        # the figure tied to another figure's claim
        (STAFF, "The company fired 40 managers.", False),
        (STAFF, "The carmaker hired 12 engineers in March.", False),
        (TOLL, "Police said 15 people were killed.", False),
        (TOLL, "Hospital officials put the toll at 12.", False),
        (TOLL, "Police said 12 people were killed; hospital officials put the toll at 15.", True),
    ],
)
def test_misattribution_in_english_summaries(source: str, summary: str, passes: bool) -> None:
    report = check(source, summary, mode="summary")
    assert report.passed is passes, report.to_dict()
    if not passes:
        assert report.misattributed or report.changed


# Faithful translations of TOLL; the swapped one gives each source the other's figure.
FAITHFUL = {
    "de": "Die Polizei sagte, 12 Menschen seien getötet worden. "
    "Krankenhausvertreter bezifferten die Zahl der Toten auf 15.",
    "es": "La policía dijo que 12 personas murieron. "
    "Funcionarios del hospital cifraron el número de muertos en 15.",
    "fr": "La police a déclaré que 12 personnes avaient été tuées. "
    "Les responsables de l'hôpital ont évalué le bilan à 15.",
    "ru": "Полиция сообщила, что погибли 12 человек. Представители больницы назвали число погибших: 15.",
}


def _swapped(text: str) -> str:
    return text.replace("12", "\0").replace("15", "12").replace("\0", "15")


@pytest.mark.parametrize("lang", sorted(FAITHFUL))
def test_two_sources_figures_swapped_in_a_translation_fail(lang: str) -> None:
    faithful, swapped = FAITHFUL[lang], _swapped(FAITHFUL[lang])
    good = check(TOLL, faithful, lang=lang, mode="translation")
    assert good.passed, good.to_dict()
    bad = check(TOLL, swapped, lang=lang, mode="translation")
    assert not bad.passed, bad.to_dict()
    assert {p["output"]["text"] for p in bad.misattributed + bad.changed} >= {"12", "15"}


HEDGED = "A lawmaker speculated that the figure could reach 200,000."
HEDGE_CASES = {
    "de": (
        "Ein Abgeordneter spekulierte, die Zahl könnte 200.000 erreichen.",
        "Ein Abgeordneter bestätigte, dass die Zahl 200.000 erreicht hat.",
    ),
    "es": (
        "Un legislador especuló que la cifra podría llegar a 200.000.",
        "Un legislador confirmó que la cifra llegó a 200.000.",
    ),
    "fr": (
        "Un député a supposé que le chiffre pourrait atteindre 200 000.",
        "Un député a confirmé que le chiffre a atteint 200 000.",
    ),
    "ru": (
        "Один депутат предположил, что эта цифра может достичь 200 000.",
        "Один депутат подтвердил, что эта цифра достигла 200 000.",
    ),
}


@pytest.mark.parametrize("lang", sorted(HEDGE_CASES))
def test_a_hedged_claim_stays_hedged_in_a_translation(lang: str) -> None:
    hedged, confirmed = HEDGE_CASES[lang]
    good = check(HEDGED, hedged, lang=lang, mode="translation")
    assert good.passed, good.to_dict()
    bad = check(HEDGED, confirmed, lang=lang, mode="translation")
    assert not bad.passed, bad.to_dict()
    assert "hedges" in bad.misattributed[0]["reason"]


@pytest.mark.parametrize(
    ("lang", "output"),
    [
        ("de", "Das Verteidigungsministerium bestätigte 200.000."),
        ("es", "El Ministerio de Defensa confirmó 200.000."),
        ("fr", "Le ministère de la Défense a confirmé 200 000."),
        ("ru", "Министерство обороны подтвердило 200 000."),
        ("en", "The defence ministry confirmed 200,000."),
    ],
)
def test_a_lawmakers_speculation_is_no_ministrys_confirmation(lang: str, output: str) -> None:
    mode = "summary" if lang == "en" else "translation"
    report = check(HEDGED, output, lang=lang, mode=mode)
    assert not report.passed, report.to_dict()
