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

from keepfacts.segment import split_sentences
from keepfacts.words import count_words, fit_words

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
    """Mean TF-IDF cosine similarity of each sentence to the others (0..1)."""
    bags = [Counter(_terms(s)) for s in sentences]
    n = len(bags)
    df = Counter(t for bag in bags for t in bag)
    idf = {t: math.log((1 + n) / (1 + d)) + 1 for t, d in df.items()}
    vectors = []
    for bag in bags:
        vec = {t: c * idf[t] for t, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({t: v / norm for t, v in vec.items()})
    scores = []
    for i, vi in enumerate(vectors):
        total = 0.0
        for j, vj in enumerate(vectors):
            if i != j:
                total += sum(v * vj.get(t, 0.0) for t, v in vi.items())
        scores.append(total / max(1, n - 1))
    return scores


def _fact_keys(facts: Sequence[Any], index: int) -> set[str]:
    """The key facts a sentence carries: its figures, and the sources of attributions with figures."""
    keys = set()
    for fact in facts:
        if fact.sentence != index:
            continue
        if fact.kind == "figure":
            keys.add(f"figure:{fact.text.lower()}")
        elif fact.kind == "attribution":
            keys.add(f"source:{str(fact.value.get('source', fact.text)).lower()}")
    return keys


def extractive_summary(text: str, max_words: int, facts: Sequence[Any] | None = None) -> str:
    """Sentences of `text`, in article order, within `max_words`, covering the most key facts."""
    if facts is None:
        from eval import extract

        facts = extract(text)
    spans = split_sentences(text)
    sentences = [text[a:b] for a, b in spans]
    words = [count_words(s) for s in sentences]
    central = centrality(sentences)
    keys = [_fact_keys(facts, i) for i in range(len(sentences))]
    eligible = [
        i for i, n in enumerate(sentences) if words[i] >= MIN_SENTENCE_WORDS and words[i] <= max_words
    ]

    chosen: list[int] = []
    covered: set[str] = set()
    budget = max_words
    while True:
        best, best_gain = None, 0.0
        for i in eligible:
            if i in chosen or words[i] > budget:
                continue
            new_facts = len(keys[i] - covered)
            lead = LEAD_BONUS if i == eligible[0] else 0.0
            gain = (central[i] + lead + FACT_WEIGHT * new_facts) / math.sqrt(words[i])
            if gain > best_gain:
                best, best_gain = i, gain
        if best is None:
            break
        chosen.append(best)
        covered |= keys[best]
        budget -= words[best]
    if not chosen:  # every sentence is longer than the budget: the most central one, cut to fit
        candidates = eligible or list(range(len(sentences)))
        best = max(candidates, key=lambda i: central[i])
        return fit_words(sentences[best], max_words)
    return " ".join(sentences[i].strip() for i in sorted(chosen))
