"""Where each sentence of a summary comes from: the source sentences, as character spans.

An extractive sentence is found as written (`"how": "copied"`). A sentence a model wrote is aligned to
the source sentences that share the most of its words (rapidfuzz's token-set ratio over the sentence's
content words), the best one and any other within a few points of it (`"how": "aligned"`, with the
score); a sentence that shares too little with any source sentence has no source (`"how": "none"`), which
is worth an editor's look.
"""

from __future__ import annotations

from typing import Any

from keepfacts.eval.analysis import SourceAnalysis
from keepfacts.segment import split_sentences

MIN_SCORE = 50.0  # token-set ratio (0-100) below which a sentence has no source sentence
CLOSE = 5.0  # other source sentences within this many points of the best one count too
MAX_SOURCES = 3


def provenance(analysis: SourceAnalysis, summary: str) -> list[dict[str, Any]]:
    """For each sentence of `summary`: its span in the summary and its source sentences' spans."""
    from rapidfuzz import fuzz, process

    text = analysis.text
    sources = [text[a:b].strip() for a, b in analysis.sentences]
    found = []
    for a, b in split_sentences(summary):
        sentence = summary[a:b].strip()
        if not sentence:
            continue
        entry: dict[str, Any] = {"span": [a, b]}
        copied = [i for i, source in enumerate(sources) if source and sentence == source]
        if copied:
            entry.update(how="copied", sources=[list(analysis.sentences[copied[0]])])
        else:
            scored = process.extract(
                sentence, sources, scorer=fuzz.token_set_ratio, processor=str.lower, limit=MAX_SOURCES
            )
            best = scored[0][1] if scored else 0.0
            near = sorted(i for _, score, i in scored if score >= MIN_SCORE and score >= best - CLOSE)
            if near:
                spans = [list(analysis.sentences[i]) for i in near]
                entry.update(how="aligned", score=round(best, 1), sources=spans)
            else:
                entry.update(how="none", sources=[])
        found.append(entry)
    return found
