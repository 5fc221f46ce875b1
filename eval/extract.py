"""extract(): every figure, named entity and attribution of a text, with spans and sentence indexes."""

from __future__ import annotations

import bisect
import itertools
import re

from keepfacts.errors import LanguageError
from keepfacts.eval.attributions import PRONOUNS, find_attributions
from keepfacts.eval.entities import find_entities
from keepfacts.eval.facts import Fact
from keepfacts.eval.figures import MONTHS, WEEKDAYS, find_figures
from keepfacts.languages import SOURCE_LANGUAGES, base_language
from keepfacts.segment import split_paragraphs, split_sentences

_CALENDAR_WORDS = {w.capitalize() for w in (*MONTHS, *WEEKDAYS)} | {"Sept"}


def extract(text: str, lang: str = "en") -> list[Fact]:
    """The facts of an English text, in order of position (figures, entities, attributions interleaved).

    Other source languages are not supported yet (matching in other languages is: see eval.check).
    """
    sentence_spans = split_sentences(text)
    paragraph_spans = split_paragraphs(text)
    paragraph_starts = [a for a, _ in paragraph_spans] or [0]
    paragraph_of = [max(0, bisect.bisect_right(paragraph_starts, a) - 1) for a, _ in sentence_spans]
    return extract_facts(text, lang, sentence_spans, paragraph_of)


def check_source_language(lang: str) -> None:
    """LanguageError, in one line, for a source language the fact engine cannot read: callers check
    before loading a model, so an unsupported source fails at once."""
    if base_language(lang) not in SOURCE_LANGUAGES:
        raise LanguageError(
            f"keepfacts reads English sources only (--from en): the fact engine cannot check a {lang!r} "
            "source; outputs may be in any language"
        )


def extract_facts(
    text: str, lang: str, sentence_spans: list[tuple[int, int]], paragraph_of: list[int]
) -> list[Fact]:
    """extract() over sentences already split (eval.analysis splits a source once)."""
    check_source_language(lang)
    sentence_starts = [a for a, _ in sentence_spans]

    def sentence_of(position: int) -> int:
        return max(0, bisect.bisect_right(sentence_starts, position) - 1)

    facts: list[Fact] = []
    entity_spans: list[tuple[int, int]] = []
    figure_facts: list[Fact] = []
    for figure in find_figures(text):
        fact = Fact("figure", text[figure.start : figure.end], figure.value, (figure.start, figure.end), 0)
        fact = Fact(fact.kind, fact.text, fact.value, fact.span, sentence_of(figure.start))
        figure_facts.append(fact)
    facts.extend(figure_facts)

    # Lookups by position stay logarithmic: a 50,000-word article has thousands of figures and entities.
    figure_facts.sort(key=lambda f: f.span)
    figure_starts = [f.span[0] for f in figure_facts]
    reach = list(itertools.accumulate((f.span[1] for f in figure_facts), max))  # furthest end so far

    def in_figure(position: int) -> bool:
        i = bisect.bisect_right(figure_starts, position) - 1
        return i >= 0 and position < reach[i]

    for entity in find_entities(text, sentence_spans):
        if entity.name in _CALENDAR_WORDS or in_figure(entity.start):
            continue
        entity_spans.append((entity.start, entity.end))
        facts.append(
            Fact(
                "entity",
                entity.name,
                {"name": entity.name, "type": entity.type},
                (entity.start, entity.end),
                sentence_of(entity.start),
            )
        )

    entity_spans.sort()
    seen: set[tuple[int, str]] = set()
    for attribution in find_attributions(text, sentence_spans, paragraph_of):
        index = sentence_of(attribution.claim_span[0])
        key = (index, attribution.source.lower())
        if key in seen:
            continue
        seen.add(key)
        c0, c1 = attribution.claim_span
        s0, s1 = attribution.source_span
        near = figure_facts[bisect.bisect_left(figure_starts, c0) : bisect.bisect_left(figure_starts, c1)]
        inside = [f for f in near if f.span[1] <= c1 and not (s0 <= f.span[0] < s1)]
        named = entity_spans[
            bisect.bisect_left(entity_spans, (s0, -1)) : bisect.bisect_left(entity_spans, (s1, -1))
        ]
        value = {
            "source": attribution.source,
            "descriptive": not any(e1 <= s1 for _, e1 in named)
            and attribution.source.lower() not in PRONOUNS,
            "verb": attribution.verb,
            "claim": re.sub(r"\s+", " ", text[c0:c1]).strip(' ,."“”'),
            "claim_span": [c0, c1],
            "figures": [f.value for f in inside],
            "figure_texts": [f.text for f in inside],
            "quote": attribution.quote,
            "inherited": attribution.inherited,
        }
        if attribution.resolved:
            value["resolved"] = attribution.resolved
        facts.append(
            Fact(
                "attribution",
                attribution.source,
                value,
                attribution.source_span,
                index,
            )
        )
    facts.sort(key=lambda f: (f.span[0], f.kind))
    return facts
