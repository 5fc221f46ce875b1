"""Splitting text into paragraphs, sentences and model-sized chunks.

One place for segmentation: the fact engine, the translators and the summarizers all use it, so a
"sentence" means the same thing everywhere. Spans are character offsets into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Abbreviations that end with a period but do not end a sentence.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt gen col lt sgt capt cmdr adm gov sen rep rev hon pres
    inc ltd co corp plc llc bros dept univ est approx vs etc al fig no nos vol pp ed eds
    jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m""".split()
)

# A sentence ends at ., ! or ? (optionally followed by closing quotes/brackets), then whitespace,
# then something that can start a sentence. Also at CJK full stops.
_BOUNDARY = re.compile(r"""([.!?…]+["'”’)\]]*)(\s+)(?=["'“‘(\[]?[\w\d¿¡])|([。！？])""")
_PARAGRAPH = re.compile(r"\n\s*\n")
# Hard limit for one "sentence": longer runs are cut at the last space before it (a 5,000-character
# line with no punctuation must still reach a model in pieces).
MAX_SENTENCE_CHARS = 600


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of non-empty paragraphs (separated by blank lines)."""
    spans = []
    start = 0
    for match in _PARAGRAPH.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [_strip_span(text, a, b) for a, b in spans if text[a:b].strip()]


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the period at `dot` closes an abbreviation, an initial or a decimal point."""
    word_start = dot
    while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].lower()
    if not word:
        return False
    if word in _ABBREVIATIONS:
        return True
    # A single capital letter ("John F. Kennedy") is an initial.
    return len(word) == 1 and text[word_start].isupper()


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of sentences in text[start:end]. Newlines also end sentences (one per line in many feeds)."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    line_start = start
    for line_end in [m.start() for m in re.finditer(r"\n", text[start:end])] + [end - start]:
        a, b = line_start, start + line_end if line_end != end - start else end
        spans.extend(_sentences_in_line(text, a, b))
        line_start = b + 1
    return spans


def _sentences_in_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    cursor = start
    for match in _BOUNDARY.finditer(text, start, end):
        if match.group(3):  # CJK full stop
            stop = match.end(3)
        else:
            period_at = match.start(1)
            if text[period_at] == "." and len(match.group(1)) == 1 and _is_abbreviation(text, period_at):
                continue
            stop = match.end(1)
        spans.append((cursor, stop))
        cursor = stop
    spans.append((cursor, end))
    out = []
    for a, b in spans:
        a, b = _strip_span(text, a, b)
        if b > a:
            out.extend(_cut_long(text, a, b))
    return out


def _cut_long(text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """Cut a span longer than `limit` characters at spaces (or hard, when there are none)."""
    spans = []
    while end - start > limit:
        cut = text.rfind(" ", start + 1, start + limit)
        if cut <= start:
            cut = start + limit
        spans.append(_strip_span(text, start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        spans.append((start, end))
    return spans


def sentences(text: str) -> list[str]:
    """The sentences of a text, as strings."""
    return [text[a:b] for a, b in split_sentences(text)]


def chunk(pieces: list[str], budget: int, size: Callable[[str], int]) -> list[list[str]]:
    """Group consecutive pieces (sentences) into chunks whose total `size` stays within `budget`.

    A piece larger than the budget on its own becomes a chunk of its own (callers cut sentences to
    MAX_SENTENCE_CHARS first, so this is bounded).
    """
    chunks: list[list[str]] = []
    current: list[str] = []
    used = 0
    for piece in pieces:
        cost = size(piece)
        if current and used + cost > budget:
            chunks.append(current)
            current, used = [], 0
        current.append(piece)
        used += cost
    if current:
        chunks.append(current)
    return chunks
