"""Sentence shortening, judged: may a model's shorter version of one source sentence stand in for it?

The default summary is the extractive one with some sentences shortened by the model (the
work a small model does well: deleting words). A shortening stands in for its sentence only when it says
nothing the sentence does not, in the sentence's own order:

- it is the sentence less one clause the sentence sets off with a comma or a dash (to the next one or
  to its end), nothing added or moved, and it still ends as a sentence;
- every fact of the sentence is kept, word for word: figures with their qualifiers, dates, names,
  sources (and the fact engine's check of that sentence's facts passes);
- no word that carries a claim's force was deleted: negations, hedges ("could", "speculated"), "only"
  (a figure's qualifier, "over 100,000", is part of the figure);
- a sentence with a quote is never edited;
- it saves words and keeps at least MIN_WORDS of them.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

from keepfacts.eval.analysis import SourceAnalysis
from keepfacts.eval.check import check
from keepfacts.eval.hedges import hedges_in

MIN_WORDS = 6
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_QUOTE = re.compile(r"[\"“”«»„]|(?<!\w)['‘]|['’](?!\w)")
_BREAK = re.compile(r",|\s[-–—]\s")  # where a clause is set off: a comma, a spaced dash
_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
NEGATIONS = frozenset(
    "not no never nor none neither nobody nothing nowhere without cannot".split()
)  # and every "n't"
# A figure's qualifier ("over 100,000") is part of the figure's fact, whose words all stay; "only" bounds
# a claim wherever it stands.
_BOUNDS = frozenset({"only"})


def words(text: str) -> list[str]:
    """Casefolded words, a possessive's "'s" off ("Russia's" is the word "russia")."""
    found = (w.casefold().replace("’", "'") for w in _WORD.findall(text))
    return [w[:-2] if w.endswith("'s") else w for w in found]


def has_quote(text: str) -> bool:
    """Quotation marks (straight, curly, guillemets; a lone apostrophe in a word is none)."""
    return bool(_QUOTE.search(text))


ACCEPTED = "accepted"


def accept_shortening(analysis: SourceAnalysis, index: int, shortened: str, lang: str = "en") -> bool:
    """True when `shortened` may replace source sentence `index` (see the module docstring)."""
    return judge_shortening(analysis, index, shortened, lang) == ACCEPTED


def judge_shortening(analysis: SourceAnalysis, index: int, shortened: str, lang: str = "en") -> str:
    """ACCEPTED, or why not: the first rule `shortened` falls to, tried in this order: "quote",
    "length" (also for an index outside the source: there is no sentence to shorten), "not a sentence",
    "not a clause cut", "force lost", "fact lost". Records and measure_summaries count these."""
    if not 0 <= index < len(analysis.sentences):
        return "length"
    sentence = analysis.text[slice(*analysis.sentences[index])].strip()
    shortened = shortened.strip()
    before, after = words(sentence), words(shortened)
    if has_quote(sentence):
        return "quote"
    if not MIN_WORDS <= len(after) < len(before):
        return "length"
    if _END.search(sentence) and not _END.search(shortened):
        return "not a sentence"
    if not _cuts_one_clause(sentence, before, after):
        return "not a clause cut"
    if _dropped_force(before, after, sentence, shortened, lang):
        return "force lost"
    # A source named in an earlier sentence (inherited) is not this sentence's to keep.
    facts = [f for f in analysis.facts if f.sentence == index and not f.value.get("inherited")]
    # Every word of a fact stays: "February 2022" may not become "February", though a summary may say less.
    fact_words: Counter[str] = Counter()
    for fact in facts:  # facts may overlap (a source and the name in it): each needs its words once
        fact_words |= Counter(words(analysis.text[slice(*fact.span)]))
    left = Counter(after)
    if any(left[w] < n for w, n in fact_words.items()):
        return "fact lost"
    report = check(analysis, shortened, lang=lang, mode="summary", source_facts=facts)
    return ACCEPTED if report.passed and not report.missing and not report.unsupported else "fact lost"


def has_clause(sentence: str) -> bool:
    """Whether the sentence sets off a clause at all (a comma or a spaced dash between two words): the
    only kind of cut accepted, so a sentence without one is not worth offering to a model."""
    return any(_BREAK.search(gap) for gap in _gaps(sentence))


def _gaps(sentence: str) -> list[str]:
    """The text between each two neighbouring words (gap i lies between words i and i + 1)."""
    spans = [m.span() for m in _WORD.finditer(sentence)]
    return [sentence[a[1] : b[0]] for a, b in itertools.pairwise(spans)]


def _cuts_one_clause(sentence: str, before: list[str], after: list[str]) -> bool:
    """True when `after` is `sentence` (whose words are `before`) less one clause set off by a comma or a
    spaced dash: the words from one to the next or to the sentence's end ("..., who have both
    registered their interest."). Words cut from inside a clause can leave a fragment or change who did
    what ("Haskell was on the move again when he switched" -> "Haskell switched"); a clause the sentence
    sets off can go whole."""
    gaps = _gaps(sentence)
    cut = len(before) - len(after)
    for start in range(1, len(before) - cut + 1):
        end = start + cut
        if before[:start] + before[end:] != after:
            continue
        opens = _BREAK.search(gaps[start - 1])
        closes = end == len(before) or _BREAK.search(gaps[end - 1])
        if opens and closes:
            return True
    return False


def _dropped_force(before: list[str], after: list[str], sentence: str, shortened: str, lang: str) -> bool:
    """A negation, hedge or "only" the sentence has and its shortening lost."""
    protected = Counter(w for w in before if _protected(w))
    kept = Counter(w for w in after if _protected(w))
    return kept != protected or Counter(hedges_in(sentence, lang)) != Counter(hedges_in(shortened, lang))


def _protected(word: str) -> bool:
    return word in NEGATIONS or word in _BOUNDS or word.endswith("n't")
