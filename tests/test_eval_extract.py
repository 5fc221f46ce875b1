"""English extraction: figures, entities, attributions, each with its span and sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from keepfacts.eval import Fact, extract

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED_TEXT = (SEEDS / "khaama-ukraine-desertions.txt").read_text(encoding="utf-8")
GOLDEN = json.loads((SEEDS / "khaama-ukraine-desertions.facts.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_facts() -> list[Fact]:
    return extract(SEED_TEXT)


def _figures(facts: list[Fact]) -> list[Fact]:
    return [f for f in facts if f.kind == "figure"]


def _one(text: str) -> Fact:
    figures = _figures(extract(text))
    assert len(figures) == 1, figures
    return figures[0]


@pytest.mark.parametrize("golden", GOLDEN["figures"], ids=lambda g: g["text"])
def test_seed_figures_match_golden_file(seed_facts: list[Fact], golden: dict) -> None:
    found = [f for f in _figures(seed_facts) if f.text.lower() == golden["text"].lower()]
    assert found, f"{golden['text']!r} not extracted"
    value = found[0].value
    for key, expected in golden["value"].items():
        assert value.get(key) == expected, (golden["text"], key, value)


@pytest.mark.parametrize("golden", GOLDEN["sources"], ids=lambda g: g["text"])
def test_seed_sources_and_their_figures(seed_facts: list[Fact], golden: dict) -> None:
    attributions = [f for f in seed_facts if f.kind == "attribution"]
    found = [a for a in attributions if golden["text"].lower() in a.value["source"].lower()]
    assert found, f"source {golden['text']!r} not found in {[a.value['source'] for a in attributions]}"
    texts = {t.lower() for a in found for t in a.value["figure_texts"]}
    for figure in golden["figures"]:
        assert figure.lower() in texts, (golden["text"], figure, texts)


@pytest.mark.parametrize("golden", GOLDEN["entities"], ids=lambda g: g["text"])
def test_seed_entities(seed_facts: list[Fact], golden: dict) -> None:
    entities = [f for f in seed_facts if f.kind == "entity"]
    found = [e for e in entities if e.value["name"] == golden["text"]]
    assert found, f"{golden['text']!r} not in {[e.value['name'] for e in entities]}"
    assert found[0].value["type"] == golden["type"]


def test_spans_and_sentences_point_into_the_text(seed_facts: list[Fact]) -> None:
    from keepfacts.segment import split_sentences

    sentences = split_sentences(SEED_TEXT)
    for fact in seed_facts:
        start, end = fact.span
        assert SEED_TEXT[start:end] == fact.text
        a, b = sentences[fact.sentence]
        if fact.kind == "attribution" and fact.value["inherited"]:
            # The source is named in an earlier sentence; the claim is in this one.
            start, end = fact.value["claim_span"]
            assert fact.span[1] <= a
        assert a <= start and end <= b, fact


def test_no_figures_from_names_or_codes() -> None:
    facts = _figures(extract("COVID-19 cases rose at the G7 summit and the Log4Shell bug hit Expo-2020."))
    assert facts == []


def test_fact_to_dict_is_json_able(seed_facts: list[Fact]) -> None:
    data = json.loads(json.dumps([f.to_dict() for f in seed_facts]))
    assert {"kind", "text", "value", "span", "sentence"} <= set(data[0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Officials counted 100,000 votes.", {"kind": "number", "amount": 100000}),
        ("It grew 1.5 times.", {"kind": "number", "amount": 1.5}),
        ("Turnout was 40% this time.", {"kind": "percent", "amount": 40}),
        ("Turnout was 40 per cent this time.", {"kind": "percent", "amount": 40}),
        ("The deal is worth $1.2bn in total.", {"kind": "money", "amount": 1_200_000_000, "unit": "USD"}),
        ("He pledged another £75m in aid.", {"kind": "money", "amount": 75_000_000, "unit": "GBP"}),
        ("Some 3 million people fled.", {"kind": "number", "amount": 3_000_000, "qualifier": "around"}),
        ("A total of 244890 were counted.", {"kind": "number", "amount": 244890}),
        ("The count reached two by then.", {"kind": "number", "amount": 2}),
        ("This is the third year of the war.", {"kind": "ordinal", "amount": 3}),
        ("Nearly half of them left.", {"kind": "fraction", "amount": 0.5, "qualifier": "nearly"}),
        ("Tens of thousands of people marched.", {"kind": "approx", "amount": 10000}),
        ("The invasion began in February 2022.", {"kind": "date", "year": 2022, "month": 2}),
        ("The storm hit on November 26.", {"kind": "date", "month": 11, "day": 26}),
        ("The shop shuts at 6 p.m. sharp.", {"kind": "time", "hour": 18, "minute": 0}),
        ("He was found just before 5.30pm on the road.", {"kind": "time", "hour": 17, "minute": 30}),
        ("It was reported about 10:50 a.m. yesterday.", {"kind": "time", "hour": 10, "minute": 50}),
        ("They walked 85 miles to the city.", {"kind": "quantity", "amount": 85, "unit": "mile"}),
        (
            "Gusts of up to 85mph are expected.",
            {"kind": "quantity", "amount": 85, "unit": "mile_per_hour", "qualifier": "up to"},
        ),
        ("More than 100,000 homes lost power.", {"kind": "number", "amount": 100000, "qualifier": "over"}),
        ("At least 30 tornadoes were reported.", {"kind": "number", "amount": 30, "qualifier": "at least"}),
        ("He was killed, a 60-year-old man.", {"kind": "quantity", "amount": 60, "unit": "year"}),
        ("The campaign failed last year.", {"kind": "date", "relative": "last year"}),
        ("It sold 23 licences.", {"kind": "number", "amount": 23}),
        ("It was rated 10th in the world.", {"kind": "ordinal", "amount": 10}),
    ],
)
def test_figure_forms(text: str, expected: dict) -> None:
    value = _one(text).value
    for key, want in expected.items():
        assert value.get(key) == want, (text, key, value)


def test_ranges_give_both_ends() -> None:
    amounts = sorted(f.value["amount"] for f in _figures(extract("It takes 20-30 minutes or 12 to 15 days.")))
    assert amounts == [12, 15, 20, 30]


def test_unit_conversion_is_one_figure_with_an_alternative() -> None:
    figures = _figures(extract("The resort is about 85 miles (137 kilometers) southeast of Seattle."))
    assert len(figures) == 1
    assert figures[0].value["amount"] == 85
    assert figures[0].value["alternatives"][0]["amount"] == 137


def test_attribution_forms() -> None:
    text = (
        "Crystal Mountain is closed, said Pierce County Sheriff's Department Sgt. Darren Moss.\n"
        "A further £75 million in aid is to be given, Liz Truss has announced.\n"
        "According to Press TV, the Ministry announced on Saturday that 58 Iranians died.\n"
        '"We will do it," Rice said in a talk in 2010.\n'
    )
    attributions = {a.value["source"]: a for a in extract(text) if a.kind == "attribution"}
    assert any("Darren Moss" in s for s in attributions)
    assert "Liz Truss" in attributions
    assert attributions["Liz Truss"].value["figures"][0]["amount"] == 75_000_000
    assert "Press TV" in attributions
    assert 58 in [f.get("amount") for f in attributions["Press TV"].value["figures"]]
    assert "Rice" in attributions


def test_entities_types() -> None:
    facts = extract("Detective Inspector Hannah Whitehouse said the Met Office warned people in Liverpool.")
    entities = {e.value["name"]: e.value["type"] for e in facts if e.kind == "entity"}
    assert entities.get("Hannah Whitehouse") == "person"
    assert entities.get("Met Office") == "org"
    assert entities.get("Liverpool") == "place"
