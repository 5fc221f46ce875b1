"""The default summary: the extractive one, with sentences the model shortened where nothing was lost.

1. The extractive summarizer chooses the sentences (summarize/extractive.py).
2. Each chosen sentence that may be edited (no quote, long enough, a clause set off by a comma or a
   dash) is offered to the model, one sentence a prompt: cutting a clause is work a small model can do.
3. A shortening stands in for its sentence only when it is the sentence less one such clause, with every
   fact of the sentence intact and no negation or hedge lost (eval/shortening.py).
4. The words saved take more sentences of the article, chosen the same way around the ones kept. When
   they let in no other figure or source, the summary stays the extractive one: a shortening is only
   worth the key fact it makes room for.

So the summary keeps every key fact the extractive one keeps, and the model's time buys room for more.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from keepfacts.eval.analysis import SourceAnalysis
from keepfacts.eval.shortening import ACCEPTED, MIN_WORDS, has_clause, has_quote, judge_shortening
from keepfacts.summarize.extractive import choose_sentences, extractive_summary, join_sentences
from keepfacts.words import count_words

INSTRUCTION = (
    "Shorten this sentence. Keep every number, name and who said it. Write only the shortened sentence."
)
KEY_KINDS = ("figure", "attribution")  # what the room a shortening saves must buy
MIN_OFFER_WORDS = 12  # a shorter sentence has little to delete
MAX_OFFER_WORDS = 80  # longer "sentences" are lists and run-ons, and the longest prompt sets a batch's cost


@dataclass(frozen=True)
class Shortened:
    """A summary made this way: its text; how many sentences were offered, how many of the model's
    shortenings it holds and the words they saved; and why the others were not taken (eval/shortening's
    refusals, and "no room": a clean cut whose saved words let in no figure or source)."""

    text: str
    offered: int
    shortened: int
    words_saved: int
    refused: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "offered": self.offered,
            "shortened": self.shortened,
            "words_saved": self.words_saved,
            "refused": dict(self.refused),
        }


def offers(analysis: SourceAnalysis, max_words: int) -> dict[int, str]:
    """The extractive summary's sentences the model may shorten, by sentence index."""
    found = {}
    for index in choose_sentences(analysis, max_words):
        sentence = analysis.text[slice(*analysis.sentences[index])].strip()
        size = count_words(sentence)
        if MIN_OFFER_WORDS <= size <= MAX_OFFER_WORDS and has_clause(sentence) and not has_quote(sentence):
            found[index] = sentence
    return found


def shortened_summary(
    analysis: SourceAnalysis, max_words: int, shortenings: Mapping[int, str], lang: str = "en"
) -> Shortened:
    """The extractive summary with the accepted `shortenings` (sentence index -> the model's text) in
    place of their sentences, and the words they saved filled with more of the article."""
    chosen = choose_sentences(analysis, max_words)
    verdicts = {
        index: judge_shortening(analysis, index, text, lang)
        for index, text in shortenings.items()
        if index in chosen
    }
    refused = Counter(v for v in verdicts.values() if v != ACCEPTED)
    accepted = {i: shortenings[i].strip() for i, v in verdicts.items() if v == ACCEPTED}
    offered = len(shortenings)

    def plain() -> Shortened:
        refused.update({"no room": len(accepted)} if accepted else {})
        return Shortened(extractive_summary(analysis, max_words), offered, 0, 0, dict(refused))

    if not accepted:
        return plain()
    sizes = {index: count_words(text) for index, text in accepted.items()}
    final = choose_sentences(analysis, max_words, lengths=sizes, keep=chosen)
    added = set(final) - set(chosen)
    if not any(f.sentence in added and f.kind in KEY_KINDS for f in analysis.facts):
        return plain()  # the words saved let in no other figure or source: the cut bought nothing
    parts = [accepted.get(i) or analysis.text[slice(*analysis.sentences[i])].strip() for i in final]
    saved = sum(count_words(analysis.text[slice(*analysis.sentences[i])]) - sizes[i] for i in accepted)
    text = join_sentences(parts)
    if not MIN_WORDS <= count_words(text) <= max_words:
        return plain()
    return Shortened(text, offered, len(accepted), saved, dict(refused))
