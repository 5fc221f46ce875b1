"""Splitting text into paragraphs, sentences and model-sized chunks.

One place for segmentation: the fact engine, the translators and the summarizers all use it, so a
"sentence" means the same thing everywhere. Spans are character offsets into the original text.

Sentences come from sentencex (Wikimedia's rule-based splitter: abbreviation lists, sentence starters and
quotation handling for ~300 languages with fallbacks; Rust, linear time). On top of it sit a few thin
post-rules, each for a case the library gets wrong, each tested in tests/test_text.py:

- a period before a lowercase letter does not end a sentence in any script (the library checks a-z only);
- a period between digits with no space ("３．５％") is a decimal point, not a full stop;
- a few abbreviations missing from the library's lists, per language (French "M." and month names);
- German "zum 2. Mal": an ordinal after an article or preposition;
- Japanese 「…。」と言った: the quotative particle continues the sentence;
- English "the U.S. Officials said": an initialism before a common news subject ends the sentence;
- the library keeps a quotation of several sentences whole; here it is split where its sentences end,
  as before and as in professional segmentations (the quote marks stay with the first and last part);
- an opening quotation mark the library left at the end of a sentence goes to the next one;
- 。！？ end a sentence even before a digit ("出版。2010 年").

Newlines always end sentences (one per line in many feeds), and a sentence longer than
MAX_SENTENCE_CHARS is cut at spaces.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

import sentencex

_PARAGRAPH = re.compile(r"\n\s*\n")
# Hard limit for one "sentence": longer runs are cut at the last space before it (a 5,000-character
# line with no punctuation must still reach a model in pieces).
MAX_SENTENCE_CHARS = 600

# A sentence-final mark, then any closing quotes or brackets, at the end of a span.
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’»«“)\]]*\Z")
# An alphanumeric character, then a period (ASCII or fullwidth), at the end of a span.
_ENDS_IN_ALNUM_PERIOD = re.compile(r"\w[.．]\Z")

# Abbreviations the library's lists lack, per language, without their period. "titles" always precede a
# name; "before_numbers" do not end a sentence when a number follows (lowercase words are covered above).
_EXTRA_ABBREVIATIONS: dict[str, dict[str, frozenset[str]]] = {
    "en": {"titles": frozenset(), "before_numbers": frozenset({"approx"})},
    "fr": {
        "titles": frozenset({"M", "MM", "Mgr", "Me", "Dr", "Pr"}),
        "before_numbers": frozenset({"janv", "févr", "avr", "juil", "sept", "oct", "nov", "déc"}),
    },
    "es": {"titles": frozenset(), "before_numbers": frozenset({"aprox"})},
    "ru": {"titles": frozenset(), "before_numbers": frozenset({"рис", "стр", "табл"})},
    "uk": {"titles": frozenset(), "before_numbers": frozenset({"рис", "стор", "табл"})},
    "cs": {"titles": frozenset(), "before_numbers": frozenset({"str", "obr", "tab"})},
}
_LAST_WORD = re.compile(r"(?:^|(?<=[\s(]))(\w+)\.\Z")

# German: "zum 2. Mal", "der 1. FC", "im 3. Quartal": a number after an article or a preposition is an
# ordinal, even before a capital (the library knows ordinals only before month names).
_DE_ORDINAL = re.compile(
    r"(?:^|\s)(?:am|im|zum|zur|vom|beim|der|die|das|dem|den|des|seit|bis|ab|vor|nach|für)\s+\d{1,4}\.\Z",
    re.IGNORECASE,
)
# Japanese: 「行きます。」と言った / って: the quotation is part of the sentence that quotes it.
_JA_CLOSING = re.compile(r"[。！？][」』]\Z")
_JA_QUOTATIVE = ("と", "って")

# English: the library ends a sentence after an initialism ("U.S.") only before its own sentence starters
# (The, He, It, ...). These plural nouns start news sentences and do not follow "U.S." inside a name.
_EN_INITIALISM_THEN_SUBJECT = re.compile(
    r"\b(?:[A-Z]\.){2,}(\s+)(?=(?:Officials|Authorities|Police|Analysts|Experts|Critics|Residents|Witnesses"
    r"|Investigators|Prosecutors|Lawmakers|Researchers|Scientists|Doctors|Protesters)\b)"
)

# Quotation marks as the library pairs them (an opening mark with the next closing mark of its kind), so
# the sentences it hid inside a quotation can be found again. Straight single quotes are left out: they
# double as apostrophes, and the library pairs them only between non-letters.
_QUOTE_PAIRS = {
    '"': '"',
    "“": "”",
    "„": "“",
    "«": "»",
    "»": "«",
    "‘": "’",
    "「": "」",
    "『": "』",
    "《": "》",
}
_QUOTE_MARK = re.compile("[" + re.escape("".join(sorted({*_QUOTE_PAIRS, *_QUOTE_PAIRS.values()}))) + "]")
_QUOTE_DEPTH = 2
# Ideographic full stop, fullwidth ! and ?, with any closing marks after them: a sentence ends there even
# before a digit (the library reads "出版。2010 年" as one sentence, as if "2010" continued it).
_IDEOGRAPHIC_STOP = re.compile(r"[。！？]+[」』”’）》)]*(?=[^\s。！？」』”’）》)])")


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


def _language(lang: str) -> str:
    """The library's code for a language tag: "de_AT" and "de-at" are German."""
    return lang.strip().lower().replace("_", "-").split("-")[0] or "en"


def split_sentences(
    text: str, start: int = 0, end: int | None = None, *, lang: str = "en"
) -> list[tuple[int, int]]:
    """Spans of sentences in text[start:end], by the rules of language `lang` (a code such as "de").

    Newlines also end sentences (one per line in many feeds). Spans are in order, do not overlap, carry no
    surrounding whitespace, and together hold every non-space character of the range.
    """
    end = len(text) if end is None else end
    code = _language(lang)
    spans: list[tuple[int, int]] = []
    line_start = start
    while True:
        newline = text.find("\n", line_start, end)
        line_end = end if newline < 0 else newline
        a, b = _strip_span(text, line_start, line_end)
        if b > a:
            for s, e in _split(text, a, b, code, 0):
                spans.extend(_cut_long(text, s, e))
        if newline < 0:
            return spans
        line_start = newline + 1


def _split(text: str, start: int, end: int, lang: str, depth: int) -> list[tuple[int, int]]:
    """Sentences of text[start:end] (one line, stripped): the library's, then the post-rules."""
    spans = _library_spans(text, start, end, lang)
    if depth < _QUOTE_DEPTH:
        spans = [part for a, b in spans for part in _split_quotations(text, a, b, lang, depth)]
    spans = _move_opening_quotes(text, spans)
    spans = [part for a, b in spans for part in _split_after_ideographic_stops(text, a, b)]
    spans = _merge_continuations(text, spans, lang)
    if lang == "en":
        spans = [part for a, b in spans for part in _split_after_initialisms(text, a, b)]
    return spans


def _library_spans(text: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    """The library's sentences of text[start:end], as spans into text."""
    line = text[start:end]
    pieces = sentencex.segment(lang, line)
    if "".join(pieces) == line:  # the usual case: the pieces are slices of the line, in order
        spans = []
        cursor = start
        for piece in pieces:
            a, b = _strip_span(text, cursor, cursor + len(piece))
            if b > a:
                spans.append((a, b))
            cursor += len(piece)
        return spans
    return _align(text, start, end, pieces)


def _align(text: str, start: int, end: int, pieces: list[str]) -> list[tuple[int, int]]:
    """Spans of `pieces` in text[start:end] when the library changed whitespace: each piece's non-space
    characters are matched one by one from where the last piece ended. Anything left over joins the last
    span, so the spans always cover the range in order."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for piece in pieces:
        need = sum(1 for c in piece if not c.isspace())
        a, _ = _strip_span(text, cursor, end)
        cursor = a
        while need and cursor < end:
            if not text[cursor].isspace():
                need -= 1
            cursor += 1
        if cursor > a:
            spans.append((a, cursor))
    if not spans:
        return [_strip_span(text, start, end)]
    rest_start, rest_end = _strip_span(text, cursor, end)
    if rest_end > rest_start:
        spans[-1] = (spans[-1][0], rest_end)
    return spans


def _move_opening_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A quotation mark that ends a sentence after a space but touches the next one ("... розібратися. «Я
    знаю") opens that next sentence. (The library pairs a stray » with the next « as German »…«.)"""
    moved = list(spans)
    for i in range(len(moved) - 1):
        (a, b), (c, d) = moved[i], moved[i + 1]
        if b - a >= 2 and text[b - 1] in _QUOTE_PAIRS and text[b - 2].isspace() and c == b:
            moved[i], moved[i + 1] = _strip_span(text, a, b - 1), (b - 1, d)
    return [(a, b) for a, b in moved if b > a]


def _split_after_ideographic_stops(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    for match in _IDEOGRAPHIC_STOP.finditer(text, start, end):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, end))
    return spans


def _merge_continuations(text: str, spans: list[tuple[int, int]], lang: str) -> list[tuple[int, int]]:
    """Join a sentence to the one before it where the library ended a sentence too early."""
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and _continues(text, merged[-1], (a, b), lang):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _continues(text: str, previous: tuple[int, int], span: tuple[int, int], lang: str) -> bool:
    head = text[max(previous[0], previous[1] - 40) : previous[1]]
    first = text[span[0]]
    if first.islower() and _ENDS_SENTENCE.search(head):
        return True
    no_space = span[0] == previous[1] and _ENDS_IN_ALNUM_PERIOD.search(head)
    if no_space and first.isalnum() and (first.isdigit() or first.isascii()):
        return True  # "３．５", "3.5", "example.com": a period with no space after it
    extra = _EXTRA_ABBREVIATIONS.get(lang)
    if extra is not None:
        word = _LAST_WORD.search(head)
        if word and (
            word.group(1) in extra["titles"] or (first.isdigit() and word.group(1) in extra["before_numbers"])
        ):
            return True
    if _JA_CLOSING.search(head) and text.startswith(_JA_QUOTATIVE, span[0]):
        return True  # Japanese whatever the language asked for: the marks say it
    return lang == "de" and bool(_DE_ORDINAL.search(head))


def _split_after_initialisms(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    for match in _EN_INITIALISM_THEN_SUBJECT.finditer(text, start, end):
        spans.append((start, match.start(1)))
        start = match.end(1)
    spans.append((start, end))
    return spans


def _split_quotations(text: str, start: int, end: int, lang: str, depth: int) -> list[tuple[int, int]]:
    """Cut a sentence where the sentences of a quotation inside it end."""
    cuts: list[int] = []
    for open_at, close_at in _quotations(text, start, end):
        inner_start, inner_end = _strip_span(text, open_at + 1, close_at)
        if inner_end > inner_start:
            inner = _split(text, inner_start, inner_end, lang, depth + 1)
            cuts.extend(a for a, _ in inner[1:])
    if not cuts:
        return [(start, end)]
    spans = []
    for cut in [*cuts, end]:
        a, b = _strip_span(text, start, cut)
        if b > a:
            spans.append((a, b))
        start = cut
    return spans


def _quotations(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(opening, closing) positions of the quotations in text[start:end], left to right, each opening
    mark paired with the next closing mark of its kind (in O(n log n): no scan per unclosed mark)."""
    marks = [m.start() for m in _QUOTE_MARK.finditer(text, start, end)]
    by_char: dict[str, list[int]] = {}
    for position in marks:
        by_char.setdefault(text[position], []).append(position)
    pairs = []
    after = start
    for position in marks:
        closer = _QUOTE_PAIRS.get(text[position])
        if position < after or closer is None:
            continue
        candidates = by_char.get(closer, [])
        k = bisect.bisect_right(candidates, position)
        if k < len(candidates):
            pairs.append((position, candidates[k]))
            after = candidates[k] + 1
    return pairs


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


def sentences(text: str, *, lang: str = "en") -> list[str]:
    """The sentences of a text, as strings."""
    return [text[a:b] for a, b in split_sentences(text, lang=lang)]


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
