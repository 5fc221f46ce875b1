"""What in a news page is not the story, and which sentences a quote spans: rules for the extractive
summarizer (English sources).

- Boilerplate: share lines ("Click on the photos above", "Scroll down for video", "Follow us"), bylines,
  datelines, picture credits and photo captions ("Natalia Moon (pictured) ...", "Injured: Chris Copeland,
  pictured, ..."), which news sites glue into the article text.
- Quotes: a sentence splitter cuts a quote of several sentences into pieces; `quote_spans` gives the
  sentence ranges a quote covers, so a summary takes all of it (with its speaker) or none of it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MAX_QUOTE_SENTENCES = 5  # a quote running over more sentences than this is not taken at all

_BOILERPLATE = re.compile(
    r"""(?ix)
    scroll\s+down\s+for\s+(?:the\s+)?(?:video|pictures?)
    | \b(?:click|tap)\s+(?:on\s+|here\b|the\s+|to\s+)
    | \bfollow\s+(?:us|@\w+|\w+\s+on\s+(?:twitter|instagram|facebook))
    | \bsign\s+up\s+(?:for|to)\b | \bsubscribe\s+(?:to|now|here)\b
    | \bread\s+(?:more|the\s+full\s+story)\b | \bshare\s+this\b | \be-?mail\s+to\s+a\s+friend\b
    | \bcontributed\s+to\s+this\s+report\b | \ball\s+rights\s+reserved\b | \bcopyright\b | ©
    | \b(?:published|updated|last\s+updated|last\s+modified)\s*: | \bgetty\s+images\b | \bAP\s+photo\b
    | ^\s*(?:photo(?:graph)?|picture|image|video|credit|source)s?\s*:
    | ^\s*by\s+[A-Z .,'-]{3,60}\.?\s*$
    | ^\s*\(?(?:CNN|AP|Reuters|AFP)\)?\s*[-—–]*\s*$
    """
)
# Captions: "(pictured)", ", pictured," "pictured above", "(left)", "(file photo)".
_CAPTION = re.compile(
    r"""(?x)
    \(\s*pictured\b[^)]*\) | ,\s*pictured(?:\s+[a-z]+){0,3}\s*,
    | \bpictured\s+(?:above|below|left|right|centre|center|here|in\s+\d{4})\b
    | \((?:(?:far|second|third|front|back|top|bottom|centre|center|middle|left|right|row|above|below|inset
            |l-r|r-l)\s*){1,3}\)
    | \(file\s+photo\)
    """,
    re.IGNORECASE,
)
# A caption's label: "Injured: Chris Copeland ...", "Close ties: Soumbadze ..." (not "He said: '...'").
_LABEL = re.compile(r"^\s*([A-Z][\w'’-]*(?:\s+[\w'’-]+){0,3})\s*:\s+['‘\"“]?[A-Z]")
_SPEECH = frozenset(
    """said says say told tells added adds wrote writes write commented comments explained explains
    reads read stated states declared declares tweeted tweets posted posts asked asks replied replies
    insisted insists warned warns continued continues admitted admits revealed reveals claimed claims
    concluded concludes noted notes joked jokes""".split()
)


# A row of share buttons: "ShareFacebook Twitter WhatsApp Email Print Telegram".
_SHARE_WORD = re.compile(
    r"(?i)(?:share|facebook|twitter|whatsapp|e-?mail|print|telegram|linkedin|reddit|pinterest|messenger"
    r"|copy\s+link|comments?)"
)


def is_boilerplate(sentence: str) -> bool:
    """True for a share line, byline, dateline, picture credit or photo caption."""
    if _BOILERPLATE.search(sentence) or _CAPTION.search(sentence):
        return True
    if len(_SHARE_WORD.findall(sentence)) >= 3:
        return True
    label = _LABEL.match(sentence)
    return bool(label and label.group(1).split()[-1].lower() not in _SPEECH)


# Quote marks: double quotes open and close alike; single quotes only where they cannot be apostrophes.
_DOUBLE = re.compile(r"[\"“”]")
_SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[:—–-]))['‘](?=[\w\"“])")
_SINGLE_CLOSE = re.compile(r"(?<=[.,!?;:…\w])['’](?=\s|$|[.,;:!?)\]—–-])")


def _quote_balance(sentence: str) -> int:
    """+1 when the sentence leaves a quote open, -1 when it closes one it did not open, else 0."""
    doubles = len(_DOUBLE.findall(sentence))
    if doubles % 2:
        return 1 if sentence.lstrip()[:1] not in '"”' and _opens_double(sentence) else -1
    opens = len(_SINGLE_OPEN.findall(sentence))
    closes = len(_SINGLE_CLOSE.findall(sentence)) - _plural_possessives(sentence)
    return (opens > closes) - (closes > opens)


def _opens_double(sentence: str) -> bool:
    """Whether the last double quote mark of the sentence opens a quote (“, or " after a space)."""
    marks = list(_DOUBLE.finditer(sentence))
    last = marks[-1]
    if last.group() in "“”":
        return last.group() == "“"
    before = sentence[last.start() - 1] if last.start() else " "
    return before.isspace() or before in "(:—–-"


def _plural_possessives(sentence: str) -> int:
    """Apostrophes after a plural ("the soldiers' families"): they look like closing quotes."""
    return len(re.findall(r"(?<=s)['’](?=\s+[a-z])", sentence))


def quote_spans(sentences: Sequence[str]) -> list[tuple[int, int]]:
    """Sentence ranges [first, last] that one quote spans (a sentence opening a quote, up to the one
    closing it). A part of a quote that cannot be made whole gives (i, -1): take none of it (a quote
    still open after MAX_QUOTE_SENTENCES, or a sentence closing a quote no sentence before opens)."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(sentences):
        balance = _quote_balance(sentences[i])
        if balance < 0:
            spans.append((i, -1))
        if balance <= 0:
            i += 1
            continue
        end = next(
            (
                j
                for j in range(i + 1, min(len(sentences), i + MAX_QUOTE_SENTENCES))
                if _quote_balance(sentences[j]) < 0
            ),
            None,
        )
        spans.append((i, end if end is not None else -1))
        i = (end if end is not None else i) + 1
    return spans
