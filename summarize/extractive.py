"""Extractive summaries: choose whole sentences of the article, in article order, within a word budget.

It cannot invent anything, so it is the guard's fallback and, offline, often the honest best. Sentences
are scored by centrality (TF-IDF cosine similarity to the rest of the article) and by the key facts they
carry (figures, and the sources those figures are attributed to), chosen greedily by gain per word.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from keepfacts.eval.analysis import SourceAnalysis, analyse
from keepfacts.eval.instructions import overlaps
from keepfacts.words import count_words, fit_words

_CLOSED = re.compile(r"[.!?…。！？][\"'”’)\]]*$")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_STOP = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being has have had
    it its this that these those there their they them he she his her we our you your not no so than then
    also will would could can may might into over after before about more most some such only very""".split()
)
MIN_SENTENCE_WORDS = 6  # shorter lines are bylines, datelines and share buttons, not content
FACT_WEIGHT = 1.0
LEAD_BONUS = 0.15


def _terms(sentence: str) -> list[str]:
    return [t for t in (w.lower() for w in _TOKEN.findall(sentence)) if t not in _STOP and len(t) > 1]


def centrality(sentences: Sequence[str]) -> list[float]:
    """Mean TF-IDF cosine similarity of each sentence to the others (0..1).

    Computed through the sum of all unit vectors: sum_{j != i} v_i.v_j = v_i.(S - v_i), so the cost is
    linear in the number of sentences (a 50,000-word article has thousands), not quadratic.
    """
    bags = [Counter(_terms(s)) for s in sentences]
    n = len(bags)
    df = Counter(t for bag in bags for t in bag)
    idf = {t: math.log((1 + n) / (1 + d)) + 1 for t, d in df.items()}
    vectors = []
    for bag in bags:
        vec = {t: c * idf[t] for t, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({t: v / norm for t, v in vec.items()})
    total: Counter[str] = Counter()
    for vec in vectors:
        total.update(vec)
    return [
        sum(v * (total[t] - v) for t, v in vec.items()) / max(1, n - 1) if n > 1 else 0.0 for vec in vectors
    ]


def _fact_keys(facts: Sequence[Any], count: int) -> list[set[str]]:
    """The key facts each of `count` sentences carries: its figures, and the sources of attributions."""
    keys: list[set[str]] = [set() for _ in range(count)]
    for fact in facts:
        if not 0 <= fact.sentence < count:
            continue
        if fact.kind == "figure":
            keys[fact.sentence].add(f"figure:{fact.text.lower()}")
        elif fact.kind == "attribution":
            keys[fact.sentence].add(f"source:{str(fact.value.get('source', fact.text)).lower()}")
    return keys


def attribution_units(facts: Sequence[Any], count: int) -> list[tuple[int, int]]:
    """Sentence ranges [first, last] that must be chosen together: a claim whose source is named in an
    earlier sentence ("It is estimated that around 300,000 ...", after "The Associated Press notes ...")
    travels with that sentence, so no figure loses or changes its source."""
    starts = list(range(count))
    for fact in facts:
        if fact.kind != "attribution" or not fact.value.get("inherited"):
            continue
        origin = [
            f.sentence
            for f in facts
            if f.kind == "attribution"
            and not f.value.get("inherited")
            and f.value.get("source") == fact.value.get("source")
            and f.sentence < fact.sentence
        ]
        if origin:
            first = max(origin)
            for i in range(first, fact.sentence + 1):
                starts[i] = min(starts[i], starts[first])
    units: dict[int, int] = {}
    for i, start in enumerate(starts):
        units[start] = max(units.get(start, start), i)
    return sorted(units.items())


def extractive_summary(source: str | SourceAnalysis, max_words: int) -> str:
    """Sentences of the source, in article order, within `max_words`, covering the most key facts."""
    analysis = source if isinstance(source, SourceAnalysis) else analyse(source)
    text, facts, spans = analysis.text, analysis.facts, analysis.sentences
    sentences = [text[a:b] for a, b in spans]
    central = centrality(sentences)
    units = attribution_units(facts, len(sentences))
    words = [sum(count_words(sentences[i]) for i in range(a, b + 1)) for a, b in units]
    score = [max(central[a : b + 1]) for a, b in units]
    sentence_keys = _fact_keys(facts, len(sentences))
    keys = [set().union(*sentence_keys[a : b + 1]) for a, b in units]
    orders = analysis.instructions  # text addressed to a model is not what the article reports
    eligible = [
        u
        for u, (a, b) in enumerate(units)
        if MIN_SENTENCE_WORDS <= words[u] <= max_words
        and count_words(sentences[b]) >= MIN_SENTENCE_WORDS
        and not any(overlaps(spans[i], orders) for i in range(a, b + 1))
    ]

    chosen: list[int] = []
    covered: set[str] = set()
    budget = max_words
    while True:
        best, best_gain = None, 0.0
        for u in eligible:
            if u in chosen or words[u] > budget:
                continue
            lead = LEAD_BONUS if u == eligible[0] else 0.0
            gain = (score[u] + lead + FACT_WEIGHT * len(keys[u] - covered)) / math.sqrt(words[u])
            if gain > best_gain:
                best, best_gain = u, gain
        if best is None:
            break
        chosen.append(best)
        covered |= keys[best]
        budget -= words[best]
    if not chosen:  # every sentence is longer than the budget: the most central one, cut to fit
        candidates = [
            a
            for a, _ in units
            if count_words(sentences[a]) >= MIN_SENTENCE_WORDS and not overlaps(spans[a], orders)
        ] or [0]
        best = max(candidates, key=lambda i: central[i])
        return fit_words(sentences[best], max_words) if sentences else ""
    picked = [sentences[i].strip() for u in sorted(chosen) for i in range(units[u][0], units[u][1] + 1)]
    return join_sentences(picked)


def join_sentences(picked: Sequence[str]) -> str:
    """Sentences joined by spaces, except after a line with no closing punctuation (a headline), which
    keeps its line break so it stays a sentence of its own and does not merge with the next claim."""
    parts: list[str] = []
    for sentence in picked:
        if parts:
            parts.append(" " if _CLOSED.search(parts[-1]) else "\n")
        parts.append(sentence)
    return "".join(parts)
