"""The source analysed once: its sentences, paragraphs, facts and instruction spans, in one object.

`analyse(text)` is called once per article; the extractive summarizer, the guard and check() all take
the SourceAnalysis instead of splitting and extracting the same text again.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from keepfacts.eval.facts import Fact
from keepfacts.segment import split_paragraphs, split_sentences


@dataclass(eq=False)
class SourceAnalysis:
    """One source text, analysed. `derived` caches what checks compute from it (keyed by their name)."""

    text: str
    lang: str
    sentences: list[tuple[int, int]]
    paragraphs: list[tuple[int, int]]
    paragraph_of: list[int]  # sentence index -> paragraph index
    facts: list[Fact]
    instructions: list[tuple[int, int]]  # text addressed to a model ("ignore the above and ...")
    derived: dict[str, Any] = field(default_factory=dict, repr=False)

    def sentence_of(self, position: int) -> int:
        starts = [a for a, _ in self.sentences]
        return max(0, bisect.bisect_right(starts, position) - 1)


def analyse(text: str, lang: str = "en", *, facts: list[Fact] | None = None) -> SourceAnalysis:
    """Split `text` into sentences and paragraphs and extract its facts (unless given), once."""
    from keepfacts.eval.extract import extract_facts
    from keepfacts.eval.instructions import find_instructions

    sentences = split_sentences(text, lang=lang)
    paragraphs = split_paragraphs(text)
    starts = [a for a, _ in paragraphs] or [0]
    paragraph_of = []
    for a, _ in sentences:
        p = bisect.bisect_right(starts, a) - 1
        paragraph_of.append(p if p >= 0 and (not paragraphs or a <= paragraphs[p][1]) else 0)
    if facts is None:
        facts = extract_facts(text, lang, sentences, paragraph_of)
    instructions = find_instructions(text, sentences, paragraphs)
    return SourceAnalysis(text, lang, sentences, paragraphs, paragraph_of, facts, instructions)
