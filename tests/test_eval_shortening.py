"""A model's shortening of one source sentence may replace it only when nothing it says has changed.

Must pass: the sentence less one clause it sets off with a comma, every figure, name, source, hedge,
qualifier and negation left. Must fail: words cut from inside a clause; a figure, a date, a source, a
hedge, a qualifier or a negation dropped; a word added; words reordered; a quote edited; no words saved.
"""

from __future__ import annotations

import functools

import pytest

from keepfacts.eval.analysis import analyse
from keepfacts.eval.shortening import accept_shortening

ARTICLE = (
    "Ukraine is facing a serious crisis in its war with Russia, as many are deserting the military. "
    "The Ukrainian Prosecutor General's Office reports that since Russia's invasion in February 2022, over "
    "100,000 soldiers have been charged with desertion. "
    "A lawmaker speculated that the number of deserters could reach 200,000 by the end of the year. "
    "The lawyer, who has represented the family for several years, did not say who called the paramedics. "
    "It is estimated that around 300,000 Ukrainian soldiers were engaged in the conflict before the "
    "mobilization efforts began last year. "
    '"We are a Left-wing government and we will not change course," a senior official told the newspaper. '
    "No serious injuries were reported in the crashes on Highway 36 between Boulder and Denver, but "
    "tow-truck drivers were kept busy hauling away damaged cars. "
    "The 2005 Ashes winning captain is the favourite on the shortlist, ahead of Andrew Strauss and Alec "
    "Stewart, who have both registered their interest. "
    "A merry widow from Edinburgh who loves to party the night away dancing on tables admits her lifestyle "
    "is a far cry from her grandparents. "
    "Four months in Japan with the Rams and Haskell was on the move again when he switched to New Zealand "
    "to join the Highlanders. "
    "Flood waters rose on Tuesday across the river district of Lowmoor, which lies below the old dam, "
    "officials said. "
    "Dotted among scrubland, placed in seemingly random spots, these huge arrows were once markers for early "
    "airmail flights across the US - forming the first land-based navigation system in the world. "
    "Crews cleared the wreckage from the road by noon on Wednesday - a job that kept the whole town busy."
)


@pytest.fixture(scope="module")
def analysis():
    return analyse(ARTICLE)


def _index(analysis, start: str) -> int:
    return next(i for i, (a, _) in enumerate(analysis.sentences) if ARTICLE[a:].startswith(start))


PASS = [
    (
        "Dotted among",
        "Dotted among scrubland, these huge arrows were once markers for early airmail flights across the US "
        "- forming the first land-based navigation system in the world.",
    ),
    ("Crews cleared", "Crews cleared the wreckage from the road by noon on Wednesday."),
    ("Flood waters", "Flood waters rose on Tuesday across the river district of Lowmoor, officials said."),
    ("The lawyer", "The lawyer did not say who called the paramedics."),
    (
        "No serious",
        "No serious injuries were reported in the crashes on Highway 36 between Boulder and Denver.",
    ),
    (
        "The 2005 Ashes",
        "The 2005 Ashes winning captain is the favourite on the shortlist, ahead of Andrew Strauss and Alec "
        "Stewart.",
    ),
]

FAIL = [
    # a figure dropped
    ("The Ukrainian Prosecutor", "The Ukrainian Prosecutor General's Office reports that soldiers have been charged."),  # noqa: E501
    # the source dropped
    ("The Ukrainian Prosecutor", "Since Russia's invasion in February 2022, over 100,000 soldiers have been charged."),  # noqa: E501
    # a qualifier dropped
    (
        "The Ukrainian Prosecutor",
        "The Ukrainian Prosecutor General's Office reports that since Russia's invasion in February 2022, "
        "100,000 soldiers have been charged.",
    ),
    ("It is estimated", "It is estimated that 300,000 Ukrainian soldiers were engaged before the mobilization last year."),  # noqa: E501
    # a date made vaguer: a summary may say less, a shortened sentence may not
    (
        "The Ukrainian Prosecutor",
        "The Ukrainian Prosecutor General's Office reports that since Russia's invasion in February, over "
        "100,000 soldiers have been charged.",
    ),
    # a date dropped ("last year" is a fact)
    ("It is estimated", "It is estimated that around 300,000 Ukrainian soldiers were engaged in the conflict."),  # noqa: E501
    # a hedge dropped: a lawmaker's speculation is no fact
    ("A lawmaker", "A lawmaker speculated that the number of deserters reach 200,000."),
    ("A lawmaker", "The number of deserters could reach 200,000 by the end of the year."),
    # a negation dropped
    ("The lawyer", "The lawyer, who has represented the family for several years, did say who called the paramedics."),  # noqa: E501
    # words cut from inside a clause: a fragment, or another claim
    ("Ukraine is facing", "Ukraine is facing a crisis in its war with Russia, as many are deserting the military."),  # noqa: E501
    ("A merry widow", "A merry widow from Edinburgh who loves to party the night away dancing on tables."),
    (
        "Four months",
        "Four months in Japan with the Rams and Haskell switched to New Zealand to join the Highlanders.",
    ),
    # a clause cut that holds a fact
    ("The 2005 Ashes", "The 2005 Ashes winning captain is the favourite on the shortlist."),
    # a clause cut that holds a fact ("the first")
    (
        "Dotted among",
        "Dotted among scrubland, placed in seemingly random spots, these huge arrows were once markers for "
        "early airmail flights across the US.",
    ),
    # a cut that spans a comma clause and more
    ("Dotted among", "Dotted among scrubland, these huge arrows were once markers for early airmail flights."),  # noqa: E501
    # a word added
    ("Ukraine is facing", "Ukraine is facing a disastrous crisis in its war with Russia, as many are deserting."),  # noqa: E501
    # words reordered: who did what to whom
    ("Ukraine is facing", "Russia is facing a serious crisis in its war with Ukraine, as many are deserting."),  # noqa: E501
    # a quote is never edited
    ('"We are', '"We are a Left-wing government," a senior official told the newspaper.'),
    # nothing saved, or too little left
    ("Ukraine is facing", "Ukraine is facing a serious crisis in its war with Russia, as many are deserting the military."),  # noqa: E501
    ("Ukraine is facing", "Ukraine is facing a crisis."),
    # not a sentence any more
    ("Ukraine is facing", "Ukraine is facing a serious crisis in its war with Russia, as many are deserting"),
]  # fmt: skip


@pytest.mark.parametrize(("start", "shortened"), PASS)
def test_a_shortening_that_only_deletes_words_is_accepted(analysis, start, shortened):
    assert accept_shortening(analysis, _index(analysis, start), shortened)


@pytest.mark.parametrize(("start", "shortened"), FAIL)
def test_a_shortening_that_changes_what_the_sentence_says_is_refused(analysis, start, shortened):
    assert not accept_shortening(analysis, _index(analysis, start), shortened)


def test_an_index_outside_the_article_is_refused(analysis):
    assert not accept_shortening(analysis, len(analysis.sentences), "Anything at all goes here now.")


def test_only_a_sentence_that_sets_off_a_clause_is_worth_offering() -> None:
    from keepfacts.eval.shortening import has_clause

    assert has_clause("The lawyer, who has represented the family, did not say who called.")
    assert has_clause("The arrows were markers for airmail flights - the first such system.")
    assert not has_clause("The Montgomery County Police Department said Friday that he faces eight counts.")
    assert not has_clause("A well-known Tyne-Wear derby can make or break a manager.")


@pytest.mark.parametrize(
    ("start", "shortened", "reason"),
    [
        ('"We are', '"We are a Left-wing government," a senior official told the newspaper.', "quote"),
        ("Ukraine is facing", "Ukraine is facing a crisis.", "length"),
        (
            "Ukraine is facing",
            "Ukraine is facing a serious crisis in its war with Russia, as many are deserting",
            "not a sentence",
        ),
        (
            "A merry widow",
            "A merry widow from Edinburgh who loves to party the night away dancing on tables.",
            "not a clause cut",
        ),
        ("The 2005 Ashes", "The 2005 Ashes winning captain is the favourite on the shortlist.", "fact lost"),
        ("The lawyer", "The lawyer did not say who called the paramedics.", "accepted"),
    ],
)
def test_a_refusal_says_which_rule_it_fell_to(analysis, start, shortened, reason):
    from keepfacts.eval.shortening import judge_shortening

    assert judge_shortening(analysis, _index(analysis, start), shortened) == reason


# More news sentences, each with a clause that can go whole (must pass): one article, analysed once.
CLAUSES = [
    (
        "The minister said 200 schools would close, a decision that angered parents across the region.",
        "The minister said 200 schools would close.",
    ),
    (
        "The bill passed with 52 votes, although several members of the party had opposed it.",
        "The bill passed with 52 votes.",
    ),
    (
        "Officials said 30 people were rescued from the building, many of them by their neighbours.",
        "Officials said 30 people were rescued from the building.",
    ),
    (
        "The museum will reopen in June, after a long renovation of its main hall and gardens.",
        "The museum will reopen in June.",
    ),
    (
        "Rescue teams worked through the night - digging by hand in the rubble - to reach 14 trapped miners.",
        "Rescue teams worked through the night to reach 14 trapped miners.",
    ),
    (
        "Unemployment fell to 4.1% in May, its lowest level since the crisis, the ministry said.",
        "Unemployment fell to 4.1% in May, the ministry said.",
    ),
    (
        "The airline cancelled 300 flights on Monday, leaving travellers stranded at airports nationwide.",
        "The airline cancelled 300 flights on Monday.",
    ),
    (
        "The court, sitting in the capital, sentenced the former mayor to 8 years in prison.",
        "The court sentenced the former mayor to 8 years in prison.",
    ),
    (
        "The festival drew 50,000 visitors over the weekend, with long queues at every gate.",
        "The festival drew 50,000 visitors over the weekend.",
    ),
    (
        "The bridge, built more than a century ago, will be closed to traffic until October.",
        "The bridge will be closed to traffic until October.",
    ),
    (
        "Turnout was 64%, slightly higher than at the last election, the electoral commission said.",
        "Turnout was 64%, the electoral commission said.",
    ),
    (
        "The fire started in a kitchen on the third floor, where workers were preparing lunch.",
        "The fire started in a kitchen on the third floor.",
    ),
    (
        "The team won 3-1 on Saturday, ending a run of defeats that had worried its fans.",
        "The team won 3-1 on Saturday.",
    ),
    (
        "The hospital treated 85 patients for heat stroke, most of them elderly residents of the city.",
        "The hospital treated 85 patients for heat stroke.",
    ),
    (
        "The central bank held its main rate at 5.25%, as most economists had expected.",
        "The central bank held its main rate at 5.25%.",
    ),
]
NEWS = " ".join(sentence for sentence, _ in CLAUSES)


@functools.cache
def _news():
    return analyse(NEWS)


@pytest.mark.parametrize(("sentence", "shortened"), CLAUSES)
def test_a_clause_cut_whole_from_a_news_sentence_is_accepted(sentence, shortened):
    analysis = _news()
    index = next(i for i, (a, _) in enumerate(analysis.sentences) if NEWS[a:].startswith(sentence))
    assert accept_shortening(analysis, index, shortened)
