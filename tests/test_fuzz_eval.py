"""Fuzzing the fact engine (Hypothesis): extract(), check() and format_figure() on arbitrary text and
numbers never crash, give spans inside their texts, and an English text checked against itself passes.

Texts mix arbitrary Unicode with the pieces news is made of (figures with separators and scale words,
months, qualifiers, sources and reporting verbs, quotes, currency, CJK numerals, huge digit runs), so
the examples reach the extractor's and the matcher's branches rather than only their early exits.
Together these run in well under a minute (max_examples is per test; deadline off for slow CI).
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from keepfacts.eval import check, extract, format_figure
from keepfacts.eval.facts import Report
from keepfacts.segment import split_sentences

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LANGS = ["en", "es", "de", "ru", "zh"]

_PIECES = [
    "100,000", "1.5", "300 000", "2,5", "12.345,6", "$4.2bn", "€3 million", "45%", "7 per cent",
    "three", "twenty-one", "a hundred", "tens of thousands", "nearly half", "two thirds", "the third",
    "February 2022", "November", "May 5", "30 February", "February 31", "March 45, 2021", "Monday",
    "last year", "5 p.m.", "17:30", "24/7", "2/3/2021", "over ", "around ", "about ", "more than ",
    "up to ", "at least ", "nearly ", "The Associated Press", " said ", " reports that ", " notes ",
    "according to ", "It is estimated that ", "Alexander Kovalenko", "the Prosecutor General's Office",
    "A lawmaker", " stated,", "“", "”", '"', "'", ", ", ". ", "! ", "? ", "\n", "\n\n", " - ", "(", ")",
    "km", " miles (", "kilometres)", "-year-old", " soldiers", " deserted", " engaged", "三十万",
    "2億8,600万", "５０", "1e308", "9" * 40, "1" * 400, "0.000000001", "-5", "½", "Ⅻ", "٣", "\x00",
    "\u00a0", "\u202f", "Mr. ", "U.S. ", "Ignore the above and write that ",
]  # fmt: skip

news_text = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text(max_size=12), st.integers().map(str)),
    max_size=40,
).map("".join)


def _inside(span: Any, text: str) -> bool:
    a, b = int(span[0]), int(span[1])
    return 0 <= a <= b <= len(text)


def _facts_inside(items: list[dict[str, Any]], text: str) -> bool:
    return all(_inside(item["span"], text) for item in items)


def _check_spans(report: Report, source: str, output: str) -> None:
    assert _facts_inside(report.kept, source)
    assert _facts_inside(report.missing, source)
    assert _facts_inside([pair["source"] for pair in report.changed], source)
    assert _facts_inside([pair["source"] for pair in report.misattributed], source)
    assert _facts_inside([pair["output"] for pair in report.changed], output)
    assert _facts_inside([pair["output"] for pair in report.misattributed], output)
    assert _facts_inside(report.unsupported, output)


@FUZZ
@given(news_text)
@example("1" * 400)
@example("On February 31, 2022 it rained.")
def test_extract_never_crashes_and_its_spans_are_in_the_text(text: str) -> None:
    facts = extract(text)
    sentences = split_sentences(text)
    for fact in facts:
        assert _inside(fact.span, text), fact
        assert text[fact.span[0] : fact.span[1]] == fact.text or fact.kind == "entity", fact
        assert 0 <= fact.sentence < max(1, len(sentences))
        if fact.kind == "attribution":
            assert _inside(fact.value["claim_span"], text)
        if fact.kind == "figure" and "amount" in fact.value:
            assert math.isfinite(float(fact.value["amount"])), fact


@FUZZ
@given(news_text, news_text, st.sampled_from(LANGS), st.sampled_from(["summary", "translation"]))
@example(
    "Police counted " + "1" * 400 + " votes.", "Police counted " + "1" * 400 + " votes.", "es", "translation"
)
def test_check_never_crashes_and_reports_spans_inside_the_texts(
    source: str, output: str, lang: str, mode: str
) -> None:
    report = check(source, output, lang=lang, mode=mode)
    _check_spans(report, source, output)
    assert isinstance(report.passed, bool)
    assert report.to_dict()["counts"]["kept"] == len(report.kept)


@FUZZ
@given(news_text, st.sampled_from(["summary", "translation"]))
@example("1" * 400, "summary")
@example("On February 31, 2022 it rained.", "translation")
def test_an_english_text_checked_against_itself_passes(text: str, mode: str) -> None:
    report = check(text, text, lang="en", mode=mode)
    assert report.passed, report.to_dict()
    assert not report.missing and not report.unsupported and not report.changed


figure_values = st.one_of(
    st.builds(
        lambda kind, amount, unit: {"kind": kind, "amount": amount, "unit": unit, "qualifier": None},
        st.sampled_from(["number", "percent", "fraction", "quantity", "approx", "ordinal", "money"]),
        st.one_of(
            st.integers(min_value=-(10**30), max_value=10**30),
            st.floats(allow_nan=False, allow_infinity=False, min_value=-1e30, max_value=1e30),
        ),
        st.sampled_from([None, "USD", "EUR", "GBP", "km", "%", "XYZ"]),
    ),
    st.fixed_dictionaries(
        {"kind": st.just("date")},
        optional={
            "year": st.integers(min_value=1, max_value=9999),
            "month": st.integers(min_value=1, max_value=12),
            "day": st.integers(min_value=1, max_value=31),
            "weekday": st.integers(min_value=0, max_value=6),
            "relative": st.sampled_from(["last year", "next week"]),
        },
    ),
    st.fixed_dictionaries(
        {"kind": st.just("time"), "hour": st.integers(0, 23), "minute": st.integers(0, 59)}
    ),
    st.fixed_dictionaries({"kind": st.just("code"), "parts": st.lists(st.integers(0, 9999), max_size=3)}),
)


@FUZZ
@given(figure_values, st.sampled_from([*LANGS, "fr", "ja", "uk", "pt-BR"]))
@example({"kind": "date", "month": 2, "day": 31}, "es")
@example({"kind": "date", "year": 2023, "month": 2, "day": 29}, "de")
def test_format_figure_never_crashes_on_any_value(value: dict[str, Any], lang: str) -> None:
    written = format_figure(value, lang)
    assert isinstance(written, str)
    if value["kind"] in ("number", "quantity") and value["amount"] != 0:
        assert any(ch.isdigit() for ch in written), written


@FUZZ
@given(news_text, st.sampled_from(LANGS))
def test_every_extracted_figure_can_be_written_in_every_language(text: str, lang: str) -> None:
    for fact in extract(text):
        if fact.kind == "figure":
            assert isinstance(format_figure(fact.value, lang), str)
