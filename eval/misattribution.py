"""Misattribution: a figure the output ties to another source or another claim than the article does,
or a hedged claim the output states as fact. Judged on the clause that holds the figure.

English outputs (read by the English extractor):
1. another source named for the figure in its output clause ("Police said 15" where hospital officials
   gave 15);
2. a claim word that the article ties to another figure ("300,000 deserted" where 300,000 were engaged
   and 100,000 deserted);
3. a hedged claim stated as fact ("speculated that it could reach 200,000" -> "reached 200,000").

Translations (any language): a kept figure found in an output sentence that stands for another source
sentence, one that holds another figure of its kind (two sources' figures swapped); and the hedge, read
through the output language's table (eval/hedges.py).

Never checked: figures that are part of a noun ("mother-of-six", "a four minute film", "39-year-old"),
dates, times, ordinals and scores (circumstances, repeated freely across sentences).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from keepfacts.eval import hedges
from keepfacts.eval.analysis import SourceAnalysis
from keepfacts.eval.facts import Fact
from keepfacts.eval.figure_match import Verdict
from keepfacts.eval.figure_values import values_agree
from keepfacts.eval.match import OutputScan
from keepfacts.eval.stems import STOPWORDS, content_stems

AMOUNT_KINDS = frozenset({"number", "money", "percent", "quantity", "approx", "fraction"})
# Results: checked only against claim words the article ties to another result ("lost 2-0" where the
# article has "lost 1-3" and "won 2-0"). Dates and times are read as kept or not, never as misattributed:
# the events a date is told with differ freely between an article and its summary.
CIRCUMSTANCE_KINDS = frozenset({"score"})
_ANAPHORIC = re.compile(
    r"\b(?:the|this|that|these|those|such)\s+(?:figure|number|total|estimate|count|tally)s?\b|\bthese\b|\bthose\b",
    re.IGNORECASE,
)
_CLAUSE_CUT = re.compile(
    r"[,;:–—]|\s-\s|[\"”’']\s+(?=[A-Z])"
    r"|\b(?:while|but|whereas|although|as|when|where|who|which|whose|because|since|until)\b"
)
# What separates a speaker from a figure of another claim: "Police said 12 died; officials put it at 15".
_OTHER_CLAIM = re.compile(r";|\b(?:but|while|whereas)\b")
_IRREGULAR_PLURALS = frozenset(
    "people men women children police staff feet teeth mice cattle sheep deer fish aircraft personnel "
    "troops".split()
)


def sentences_aligned(src: int, out: int, src_count: int, out_count: int) -> bool:
    """Whether source sentence `src` and output sentence `out` stand for each other in a translation:
    the same index when both texts have as many sentences, else the same relative position."""
    src_count, out_count = max(src_count, 1), max(out_count, 1)
    if src_count == out_count:
        return src == out
    return abs((src + 0.5) / src_count - (out + 0.5) / out_count) <= 1.5 / min(src_count, out_count)


def clause(text: str, start: int, end: int, sentence: tuple[int, int]) -> str:
    """The clause around a span: cut at commas, semicolons, dashes, a closing quote before a capital (a
    sentence end the splitter missed), and the conjunctions that open another clause."""
    a, b = sentence
    left = text[a:start]
    right = text[end:b]
    cut = max((m.end() for m in _CLAUSE_CUT.finditer(left)), default=0)
    stop = min((m.start() for m in _CLAUSE_CUT.finditer(right)), default=len(right))
    return left[cut:] + text[start:end] + right[:stop]


def part_of_noun(text: str, span: tuple[int, int], value: dict[str, Any]) -> bool:
    """An English figure that modifies a noun rather than counting a claim's subject: joined by a hyphen
    ("mother-of-six", "39-year-old", "four-minute"), part of a name ("the Six Nations"), or a number
    other than one before a singular word ("a four minute film", "20 stone"): English counts with a
    plural."""
    a, b = span
    written = text[a:b]
    if re.search(r"[^\W\d_]-|-[^\W\d_]", written) or text[a - 1 : a] == "-" or text[b : b + 1] == "-":
        return True
    if re.match(r" [A-Z][a-z]", text[b : b + 3]):
        return True  # part of a name: "the 2016 Rio Olympics", "the Six Nations"
    after = re.match(r"\s+([a-z]{3,})\b", text[b:])
    if after is None or value.get("amount") in (None, 1):
        return False
    word = after.group(1)
    return not (word.endswith(("s", "ed", "ing", "ly")) or word in STOPWORDS or word in _IRREGULAR_PLURALS)


def _checked(fact: Fact, text: str) -> bool:
    return fact.value.get("kind") in AMOUNT_KINDS and not part_of_noun(text, fact.span, fact.value)


# --- English outputs ---------------------------------------------------------------------------------


def english_misattributions(
    analysis: SourceAnalysis, facts: list[Fact], scan: OutputScan, output_facts: list[Fact]
) -> list[dict[str, Any]]:
    output = scan.text
    source = analysis.text
    index = _source_index(analysis)
    output_sentences = scan.sentences
    source_figures = [f for f in facts if f.kind == "figure"]
    attributions = [(f, content_stems(f.value["source"])) for f in facts if f.kind == "attribution"]
    # Words of names and sources are not claim words ("the Associated Press reports 300,000...").
    names = set().union(set(), *(content_stems(f.text) for f in facts if f.kind in ("entity", "attribution")))

    def context(i: int) -> set[str]:
        stems = set(index.stems[i])
        a, b = index.sentences[i]
        if i > 0 and _ANAPHORIC.search(source[a:b]) and index.paragraph_of[i - 1] == index.paragraph_of[i]:
            stems |= index.stems[i - 1]
        return stems

    def claim_stems(figure: Fact) -> set[str]:
        return content_stems(clause(source, *figure.span, index.sentences[figure.sentence]))

    out: list[dict[str, Any]] = []
    # An attribution the output carries on from the sentence before names no source of its own here.
    out_attributions = [f for f in output_facts if f.kind == "attribution" and not f.value.get("inherited")]
    for out_fact in output_facts:
        if out_fact.kind != "figure" or part_of_noun(output, out_fact.span, out_fact.value):
            continue
        circumstance = out_fact.value.get("kind") in CIRCUMSTANCE_KINDS
        if not circumstance and out_fact.value.get("kind") not in AMOUNT_KINDS:
            continue
        candidates = [s for s in source_figures if values_agree(s.value, out_fact.value)]
        if not candidates:
            continue
        reason = None
        if not circumstance:
            reason = _another_source(out_fact, out_attributions, attributions, candidates, output)
        if reason is None:
            # A claim word the article ties to another figure of this kind, never to this one.
            stems = content_stems(clause(output, *out_fact.span, output_sentences[out_fact.sentence]))
            allowed = set().union(*(context(c.sentence) for c in candidates))
            kind = out_fact.value.get("kind")
            moved = sorted(
                stem
                for stem in stems - allowed - names
                if "-" not in stem  # a compound ("mother-of-six") names, it claims nothing
                and any(
                    other.sentence in index.sentences_with.get(stem, ())
                    and other.value.get("kind") == kind
                    and not values_agree(other.value, out_fact.value)
                    and stem in claim_stems(other)
                    for other in source_figures
                )
            )
            if moved:
                reason = f"in the source this figure is not about {', '.join(moved)!s}"
        if reason is None and not circumstance:
            reason = _hedge_dropped_english(source, index, candidates, out_fact, scan)
        if reason:
            out.append({"source": candidates[0].to_dict(), "output": out_fact.to_dict(), "reason": reason})
    return out


def _another_source(
    out_fact: Fact,
    out_attributions: list[Fact],
    attributions: list[tuple[Fact, set[str]]],
    candidates: list[Fact],
    output: str,
) -> str | None:
    for attribution in out_attributions:
        a0, a1 = attribution.value["claim_span"]
        if attribution.sentence != out_fact.sentence or not (a0 <= out_fact.span[0] < a1):
            continue
        if _OTHER_CLAIM.search(output, min(a0, attribution.span[1]), out_fact.span[0]):
            continue
        claimed_by = content_stems(attribution.value["source"])
        said_by = [s for s, stems in attributions if stems & claimed_by]
        if not said_by:
            continue
        if not any(
            c.sentence == s.sentence and any(values_agree(c.value, v) for v in s.value["figures"])
            for c in candidates
            for s in said_by
        ):
            return f"the source gives this figure to another source than {attribution.value['source']!r}"
    return None


def _hedge_dropped_english(
    source: str, index: _SourceIndex, candidates: list[Fact], out_fact: Fact, scan: OutputScan
) -> str | None:
    """A hedged claim stated as fact ("speculated that it could reach 200,000" -> "reached 200,000")."""
    hedged = [_hedge(source, c.span, index.sentences[c.sentence]) for c in candidates]
    if not all(hedged):
        return None
    approximate = out_fact.value.get("qualifier") in ("around", "nearly", "up to")  # "an estimated"
    a, b = scan.sentences[out_fact.sentence]
    if approximate or hedges.hedge_in(scan.text, a, b, "en"):
        return None
    return f"the source hedges this figure ({hedged[0]!r}); the output states it as fact"


def _hedge(text: str, span: tuple[int, int], sentence: tuple[int, int]) -> str | None:
    """The hedge word of the clause that holds a source figure, or None when it is stated as fact."""
    held = clause(text, span[0], span[1], sentence)
    return hedges.hedge_in(held, 0, len(held), "en")


# --- translations ------------------------------------------------------------------------------------


def translation_misattributions(
    analysis: SourceAnalysis, source_figures: list[Fact], verdicts: dict[int, Verdict], scan: OutputScan
) -> list[dict[str, Any]]:
    """Kept figures of a translation that moved to another sentence's claim, or lost their hedge."""
    source = analysis.text
    index = _source_index(analysis)
    src_count, out_count = len(index.sentences), len(scan.sentences)
    hedged_langs = hedges.languages()
    out: list[dict[str, Any]] = []
    for i, fact in enumerate(source_figures):
        verdict = verdicts.get(i)
        if verdict is None or not verdict.kept or verdict.token is None or not _checked(fact, source):
            continue
        token = verdict.token
        o = scan.sentence_of(token.start)
        written = Fact("figure", token.text, dict(fact.value), (token.start, token.end), o)
        reason = None
        if not sentences_aligned(fact.sentence, o, src_count, out_count):
            held = [
                other
                for other in source_figures
                if sentences_aligned(other.sentence, o, src_count, out_count)
                and other.value.get("kind") == fact.value.get("kind")
            ]
            if held and not any(values_agree(other.value, fact.value) for other in held):
                reason = (
                    f"in the source this figure belongs to another claim (sentence {fact.sentence + 1}); "
                    f"the output gives it where the source has {held[0].text!r}"
                )
        if reason is None and scan.lang in hedged_langs:
            hedge = _hedge(source, fact.span, index.sentences[fact.sentence])
            a, b = scan.sentences[o]
            if hedge and not hedges.hedge_in(scan.text, a, b, scan.lang):
                reason = f"the source hedges this figure ({hedge!r}); the output states it as fact"
        if reason:
            out.append({"source": fact.to_dict(), "output": written.to_dict(), "reason": reason})
    return out


@dataclass(frozen=True)
class _SourceIndex:
    """What misattribution checks need of a source, computed once per source text (the guard checks
    several candidates against the same article; a long article has thousands of sentences)."""

    sentences: list[tuple[int, int]]
    stems: list[set[str]]
    paragraph_of: list[int]
    sentences_with: dict[str, list[int]]  # content stem -> indexes of the sentences that use it


def _source_index(analysis: SourceAnalysis) -> _SourceIndex:
    cached = analysis.derived.get("misattribution_index")
    if isinstance(cached, _SourceIndex):
        return cached
    source, sentences = analysis.text, analysis.sentences
    stems = [content_stems(source[a:b]) for a, b in sentences]
    sentences_with: dict[str, list[int]] = {}
    for i, sentence_stems in enumerate(stems):
        for stem in sentence_stems:
            sentences_with.setdefault(stem, []).append(i)
    index = _SourceIndex(sentences, stems, analysis.paragraph_of, sentences_with)
    analysis.derived["misattribution_index"] = index
    return index
