"""Extractive summaries: choose whole sentences of the article, in article order, within a word budget.

It cannot invent anything, so it is the guard's fallback and, offline, often the honest best. Sentences
are scored by position (the lead first), centrality (TF-IDF cosine similarity to the rest of the article)
and the key facts they add (figures, more for a figure a named source reports), less their similarity to
what is already chosen, and chosen greedily by gain per word. Boilerplate, captions and broken quotes are
never candidates (summarize/news_text.py); a quote and a claim whose source is named earlier come with
the sentences they need.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from keepfacts.eval.analysis import SourceAnalysis, analyse
from keepfacts.eval.instructions import overlaps
from keepfacts.summarize.news_text import is_boilerplate, quote_spans
from keepfacts.words import count_words, fit_words

_CLOSED = re.compile(r"[.!?…。！？][\"'”’)\]]*$")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_STOP = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being has have had
    it its this that these those there their they them he she his her we our you your not no so than then
    also will would could can may might into over after before about more most some such only very""".split()
)
MIN_SENTENCE_WORDS = 6  # shorter lines are bylines, datelines and share buttons, not content
# Weights of a sentence's worth, tuned on CNN/DailyMail highlights (FRANK's validation articles) and the
# corpus's human summaries; see eval/measure_summaries.py. News puts what matters first (the lead).
POSITION_WEIGHT = 1.0
POSITION_DECAY = 1.5  # sentences: the lead's bonus halves every POSITION_DECAY sentences
CENTRALITY_WEIGHT = 1.0
FACT_WEIGHT = 0.05  # per figure not yet covered
CLAIM_WEIGHT = 0.1  # per figure a named source reports, not yet covered (on top of FACT_WEIGHT)
REDUNDANCY_WEIGHT = 1.0  # times the largest similarity to a sentence already chosen
REPEAT_SIMILARITY = 0.6  # a sentence this similar (cosine) to a chosen one repeats it: never taken
LENGTH_EXPONENT = 0.1  # gain per word^LENGTH_EXPONENT: long sentences pay for their words


def _terms(sentence: str) -> list[str]:
    return [t for t in (w.lower() for w in _TOKEN.findall(sentence)) if t not in _STOP and len(t) > 1]


def centrality(sentences: Sequence[str]) -> list[float]:
    """Mean TF-IDF cosine similarity of each sentence to the others (0..1).

    Computed through the sum of all unit vectors: sum_{j != i} v_i.v_j = v_i.(S - v_i), so the cost is
    linear in the number of sentences (a 50,000-word article has thousands), not quadratic.
    """
    vectors = _vectors(sentences)
    n = len(vectors)
    total: Counter[str] = Counter()
    for vec in vectors:
        total.update(vec)
    return [
        sum(v * (total[t] - v) for t, v in vec.items()) / max(1, n - 1) if n > 1 else 0.0 for vec in vectors
    ]


def _fact_keys(facts: Sequence[Any], count: int) -> list[dict[str, float]]:
    """The key facts each of `count` sentences carries, with their weights: every figure, and more for a
    figure a named source reports (what news is made of: who says how many)."""
    keys: list[dict[str, float]] = [{} for _ in range(count)]
    for fact in facts:
        if not 0 <= fact.sentence < count:
            continue
        if fact.kind == "figure":
            keys[fact.sentence].setdefault(f"figure:{fact.text.lower()}", FACT_WEIGHT)
        elif fact.kind == "attribution":
            source = str(fact.value.get("source", fact.text)).lower()
            for figure in fact.value.get("figure_texts") or ():
                keys[fact.sentence][f"claim:{source}:{str(figure).lower()}"] = CLAIM_WEIGHT
    return keys


def _vectors(sentences: Sequence[str]) -> list[dict[str, float]]:
    bags = [Counter(_terms(s)) for s in sentences]
    n = len(bags)
    df = Counter(t for bag in bags for t in bag)
    idf = {t: math.log((1 + n) / (1 + d)) + 1 for t, d in df.items()}
    vectors = []
    for bag in bags:
        vec = {t: c * idf[t] for t, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({t: v / norm for t, v in vec.items()})
    return vectors


def _similarity(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def extractive_summary(source: str | SourceAnalysis, max_words: int) -> str:
    """Sentences of the source, in article order, within `max_words` (see choose_sentences)."""
    analysis = source if isinstance(source, SourceAnalysis) else analyse(source)
    text, spans = analysis.text, analysis.sentences
    chosen = choose_sentences(analysis, max_words)
    if not chosen:
        return ""
    if len(chosen) == 1 and count_words(text[slice(*spans[chosen[0]])]) > max_words:
        return fit_words(text[slice(*spans[chosen[0]])], max_words)
    return join_sentences([text[slice(*spans[i])].strip() for i in chosen])


def choose_sentences(
    analysis: SourceAnalysis,
    max_words: int,
    *,
    lengths: Mapping[int, int] | None = None,
    keep: Collection[int] = (),
) -> list[int]:
    """The indices of the sentences an extractive summary takes, in article order: the lead, what is
    central and the key facts count; what repeats a chosen sentence does not; boilerplate and captions
    never go in; a quote goes whole, with its speaker, or not at all, and a claim whose source is named
    in an earlier sentence goes with that sentence. When no sentence fits, the most central one alone
    (the caller cuts it to fit).

    `lengths` gives some sentences another length in words (a shortened form the caller will put in);
    `keep` are sentences already chosen: the rest of the budget is filled around them. The plain choice
    (neither given) is kept in the analysis: the default summary asks for it more than once."""
    if lengths or keep:
        return _choose(analysis, max_words, lengths or {}, keep)
    key = f"choose_sentences:{max_words}"
    if key not in analysis.derived:
        analysis.derived[key] = tuple(_choose(analysis, max_words, {}, ()))
    return list(analysis.derived[key])


def _choose(
    analysis: SourceAnalysis, max_words: int, lengths: Mapping[int, int], keep: Collection[int]
) -> list[int]:
    text, facts, spans = analysis.text, analysis.facts, analysis.sentences
    sentences = [text[a:b] for a, b in spans]
    if not sentences:
        return []
    sizes = [lengths.get(i, count_words(s)) for i, s in enumerate(sentences)]
    central = centrality(sentences)
    top = max(central) or 1.0
    candidates = _candidates(analysis, sentences, sizes, max_words)
    sentence_keys = _fact_keys(facts, len(sentences))
    vectors = _vectors([" ".join(sentences[a : b + 1]) for a, b in candidates])
    chosen: set[int] = set()
    covered: set[str] = set()
    redundancy = [0.0] * len(candidates)
    budget = max_words

    def take(indices: Iterable[int], picked: int | None) -> None:
        """Put the sentences in the summary; what repeats candidate range `picked` now counts less."""
        nonlocal budget
        for i in indices:
            if i not in chosen:
                chosen.add(i)
                budget -= sizes[i]
                covered.update(sentence_keys[i])
        if picked is not None:
            for c in range(len(candidates)):
                redundancy[c] = max(redundancy[c], _similarity(vectors[c], vectors[picked]))

    for i in keep:
        holding = [c for c, (a, b) in enumerate(candidates) if a <= i <= b]  # its own range, if any
        take([i], min(holding, key=lambda c: candidates[c][1] - candidates[c][0]) if holding else None)
    while True:
        best, best_gain = None, 0.0
        for c, (a, b) in enumerate(candidates):
            new = [i for i in range(a, b + 1) if i not in chosen]
            cost = sum(sizes[i] for i in new)
            if not new or cost > budget or redundancy[c] >= REPEAT_SIMILARITY:
                continue
            news = sum(w for i in new for k, w in sentence_keys[i].items() if k not in covered)
            worth = (
                POSITION_WEIGHT * position(new[0]) + CENTRALITY_WEIGHT * max(central[i] for i in new) / top
            )
            gain = (worth + news - REDUNDANCY_WEIGHT * redundancy[c]) / cost**LENGTH_EXPONENT
            if gain > best_gain:
                best, best_gain = c, gain
        if best is None:
            break
        a, b = candidates[best]
        take(range(a, b + 1), best)
    if chosen:
        return sorted(chosen)
    readable = [a for a, b in candidates if a == b] or [0]  # nothing fits: the most central sentence
    return [max(readable, key=lambda i: central[i])]


def _candidates(
    analysis: SourceAnalysis, sentences: list[str], sizes: list[int], max_words: int
) -> list[tuple[int, int]]:
    """Sentence ranges a summary may take: a sentence alone, or with what it needs (the rest of its
    quote; the earlier sentence naming its source). Never boilerplate, text addressed to a model, or a
    quote that cannot be made whole."""
    quotes = quote_spans(sentences)
    broken = {a for a, b in quotes if b < 0}
    whole = [(a, b) for a, b in quotes if b >= 0]
    needs = {b: a for a, b in _attribution_ties(analysis.facts, len(sentences))}  # dependent -> origin

    def quote_of(i: int) -> tuple[int, int]:
        return next(((a, b) for a, b in whole if a <= i <= b), (i, i))

    unusable = {
        i
        for i, sentence in enumerate(sentences)
        if i in broken or is_boilerplate(sentence) or overlaps(analysis.sentences[i], analysis.instructions)
    }
    found: set[tuple[int, int]] = set()
    for i in range(len(sentences)):
        a, b = quote_of(i)
        while True:  # reach back to the sentences naming the sources (and their whole quotes)
            first = min((needs[j] for j in range(a, b + 1) if needs.get(j, a) < a), default=None)
            if first is None:
                break
            a = min(first, quote_of(first)[0])
        found.add((a, b))
    return sorted(
        (a, b)
        for a, b in found
        if not any(i in unusable for i in range(a, b + 1))
        and sizes[b] >= MIN_SENTENCE_WORDS
        and MIN_SENTENCE_WORDS <= sum(sizes[a : b + 1]) <= max_words
    ) or sorted(  # nothing fits the budget: single readable sentences, for the caller to cut
        (i, i) for i in range(len(sentences)) if i not in unusable and sizes[i] >= MIN_SENTENCE_WORDS
    )


def position(index: int) -> float:
    """The lead's weight: 1 for the first sentence, halving every POSITION_DECAY sentences."""
    return float(2 ** (-index / POSITION_DECAY))


def _attribution_ties(facts: Sequence[Any], count: int) -> list[tuple[int, int]]:
    """(origin, dependent) sentence pairs: the dependent's claim has its source named in origin."""
    ties = []
    for fact in facts:
        if fact.kind != "attribution" or not fact.value.get("inherited") or not 0 <= fact.sentence < count:
            continue
        origins = [
            f.sentence
            for f in facts
            if f.kind == "attribution"
            and not f.value.get("inherited")
            and f.value.get("source") == fact.value.get("source")
            and f.sentence < fact.sentence
        ]
        if origins:
            ties.append((max(origins), fact.sentence))
    return ties


def join_sentences(picked: Sequence[str]) -> str:
    """Sentences joined by spaces, except after a line with no closing punctuation (a headline), which
    keeps its line break so it stays a sentence of its own and does not merge with the next claim."""
    parts: list[str] = []
    for sentence in picked:
        if parts:
            parts.append(" " if _CLOSED.search(parts[-1]) else "\n")
        parts.append(sentence)
    return "".join(parts)
