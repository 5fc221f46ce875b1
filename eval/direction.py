"""A figure's direction in any supported language: the qualifier that bounds it ("more than", "über",
"以上") and whether the clause that holds it is negated ("did not exceed 3%"). The fact engine reads
both in the source and in the output and asks `direction_turned` whether the output kept them.

Word tables live in eval/data/direction.json (one small table per language); every pattern is built
once per language and only a window around the figure is read, so a call costs the same on a
50,000-word text as on a sentence. Readings are conservative: a false alarm on a faithful
translation is a worse defect than a missed change, so doubtful words are left out or made "soft".
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from keepfacts.errors import LanguageError
from keepfacts.eval import locale_forms as lf

QUALIFIER_CLASSES = ("over", "at least", "under", "at most", "up to", "nearly", "around", "exactly")

# How each class bounds the figure: +1 raises (the value is above), -1 lowers, 0 neither.
_SIGN = {"over": 1, "at least": 1, "under": -1, "at most": -1, "up to": -1, "nearly": -1, "around": 0,
         "exactly": 0}  # fmt: skip
_APPROXIMATE = frozenset({"around", "nearly"})
# A qualifier dropped from the output (or added to it) leaves the direction alone for these classes.
_DROP_OK = frozenset({"around", "nearly", "exactly"})
_ADD_OK = frozenset({"around", "exactly"})
# Negation turns a bound into its complement: "did not exceed 3%" is "at most 3%".
_NEGATED = {"over": "at most", "at most": "over", "at least": "under", "under": "at least"}
_NAMES = {"over": "more than", "under": "less than"}

_BEFORE = 40  # characters read before the number for its qualifier
_AFTER = 30  # ... and after it
_CLAUSE = 150  # characters read each side of the figure for its clause
# A negation word further from the figure than this many words (before, after) negates something else;
# a language's table may set its own reach (in characters for Chinese and Japanese).
_NEGATION_REACH = (6, 5)

_CURRENCY = r"(?:(?:[A-Z]{1,3})?[$€£¥₽₴₹]\s*)?"
_WORD_END = r"(?:(?<=')|(?!\w))"  # "plus d'un million": an elided article ends a word too
_PUNCT_BREAK = re.compile(
    r"[;!?…。！？；，、：()（）\[\]{}\"“”«»„‹›「」『』]|,(?!\d)|:(?!\d)|—|\s[-–]\s|(?P<dot>\.)(?=\s|$)"
)
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_DIGIT = re.compile(r"[\d〇一二三四五六七八九十百千万亿億两半]")
_RANGE_START = re.compile(r"\d(?:[\d\s.,\u00a0\u202f]*\d)?\s*(?:[%‰]|[^\W\d_]+\.?)?\s*$")


@dataclass(frozen=True)
class Qualifier:
    """The words that bound a figure: `cls` is one of QUALIFIER_CLASSES; text[start:end] are the words.

    `soft` marks words that may not bound the figure at all: a verb ("exceeded", "überstieg", "を超え"),
    which can sit beyond the window as easily as next to the number, or a preposition that is also
    "to" or "until" (Russian "до", Spanish "hasta"). A soft qualifier is compared when both texts have
    one, and turned by negation, but is never flagged for being dropped or added.
    """

    cls: str
    start: int
    end: int
    soft: bool = False


@dataclass(frozen=True)
class _Table:
    cjk: bool
    before: re.Pattern[str]
    after: re.Pattern[str]
    kinds: dict[str, tuple[str, bool]]  # group name -> (class, soft)
    mask: re.Pattern[str] | None
    negation: re.Pattern[str]
    reach: tuple[int, int]
    breaks: re.Pattern[str] | None
    infinitive: re.Pattern[str] | None
    time_words: re.Pattern[str] | None
    near_time: tuple[frozenset[str], re.Pattern[str]] | None
    temporal: tuple[frozenset[str], re.Pattern[str]] | None


@functools.cache
def _data() -> dict[str, Any]:
    text = resources.files("keepfacts.eval").joinpath("data/direction.json").read_text(encoding="utf-8")
    languages: dict[str, Any] = json.loads(text)["languages"]
    return languages


def supports(lang: str) -> bool:
    """Whether `lang` has a direction table (its base language: "pt-BR" reads as "pt")."""
    return lf.base_lang(lang) in _data()


def _entry(pattern: str, cjk: bool) -> str:
    return pattern if cjk else pattern.replace(" ", r"\s+")


def _alternatives(entries: list[str], cjk: bool) -> str:
    return "|".join(_entry(e, cjk) for e in sorted(entries, key=len, reverse=True))


@functools.cache
def _table(lang: str) -> _Table:
    base = lf.base_lang(lang)
    data = _data().get(base)
    if data is None:
        raise LanguageError(
            f"no direction table for language {lang!r}; supported: {', '.join(sorted(_data()))}"
        )
    cjk = base in lf.CJK
    kinds: dict[str, tuple[str, bool]] = {}

    def groups(section: str, soft: bool) -> str:
        parts = []
        for cls in QUALIFIER_CLASSES:
            for entry in sorted(data[section].get(cls, []), key=len, reverse=True):
                name = f"g{len(kinds)}"
                kinds[name] = (cls, soft)
                parts.append((len(entry), f"(?P<{name}>{_entry(entry, cjk)})"))
        # Longest first, so that at one start "超过" is tried before "超".
        return "|".join(p for _, p in sorted(parts, key=lambda p: -p[0])) or r"(?!x)x"

    articles = _alternatives(data["articles"], cjk)
    soft_articles = _alternatives(data["articles"] + data["soft_articles"], cjk)

    def gap(alternatives: str) -> str:
        return rf"\s*(?:(?:{alternatives})(?:\s+|(?<=')))?" if alternatives else r"\s*"

    hard_before, soft_before = groups("before", False), groups("soft_before", True)
    hard_after, soft_after = groups("after", False), groups("soft_after", True)
    if cjk:
        between = rf"(?:{articles})?\s*" if articles else ""  # 至少有 30: 有 ("there are") between
        before = rf"(?:{hard_before}|{soft_before})\s*{between}{_CURRENCY}$"
        after = rf"(?:\s|[%％‰]|[^\W\d]){{0,3}}?(?:{hard_after}|{soft_after})"
    else:
        before = (
            rf"(?<!\w)(?:(?:{hard_before}){_WORD_END}{gap(articles)}{_CURRENCY}$"
            rf"|(?:{soft_before}){_WORD_END}{gap(soft_articles)}{_CURRENCY}$)"
        )
        percent = r"(?:\s*[%‰])?"
        # "100,000 people and more than 200 cars": an "after" qualifier that begins a new comparison.
        continuations = _alternatives(data.get("continuations", []), cjk)
        new_comparison = r"(?!(?:\s+[^\W\d_]+)?\s*[\d$€£¥])" + (
            rf"(?!\s+(?:{continuations})(?!\w))" if continuations else ""
        )
        after = (
            rf"{percent}(?:(?:[\s-]+[^\W\d_]+\.?)??[\s-]*(?:{hard_after}){_WORD_END}{new_comparison}"
            rf"|(?:[\s-]+[^\W\d_]+\.?){{0,2}}?[\s-]*(?:{soft_after}){_WORD_END})"
        )

    # Phrases whose negation word belongs to a qualifier or negates nothing: blanked before negation
    # is looked for. Multi-word qualifiers only ("nicht mehr als", "не менее"): a lone "keine" is a
    # qualifier only next to its number, and that one is blanked by `negated` itself.
    hard = [e for section in ("before", "after") for entries in data[section].values() for e in entries]
    masked = [e for e in hard if cjk or " " in e] + data["not_negation"]
    bound = (r"", r"") if cjk else (r"(?<!\w)", _WORD_END)
    mask = (
        re.compile(rf"{bound[0]}(?:{_alternatives(masked, cjk)}){bound[1]}", re.IGNORECASE)
        if masked
        else None
    )
    negation = re.compile(rf"{bound[0]}(?:{_alternatives(data['negation'], cjk)}){bound[1]}", re.IGNORECASE)
    breaks = (
        re.compile(rf"{bound[0]}(?:{_alternatives(data['clause_breaks'], cjk)}){bound[1]}", re.IGNORECASE)
        if data["clause_breaks"]
        else None
    )
    infinitive = (
        re.compile(_entry(data["infinitive_clause"], cjk), re.IGNORECASE)
        if data.get("infinitive_clause")
        else None
    )
    time_words = (
        re.compile(rf"\s*(?:{_alternatives(data['time_words'], cjk)})(?!\w)", re.IGNORECASE)
        if data["time_words"]
        else None
    )
    near = data.get("near_time")
    near_time = (
        (frozenset(near["qualifiers"]), re.compile(rf"{_DIGIT.pattern}*[\d.,]*\s*(?:{near['units']})"))
        if near
        else None
    )
    temporal = data.get("temporal")
    reach_before, reach_after = data.get("negation_reach", _NEGATION_REACH)
    return _Table(
        cjk=cjk,
        before=re.compile(before, re.IGNORECASE),
        after=re.compile(after, re.IGNORECASE),
        kinds=kinds,
        mask=mask,
        negation=negation,
        reach=(int(reach_before), int(reach_after)),
        breaks=breaks,
        infinitive=infinitive,
        time_words=time_words,
        near_time=near_time,
        temporal=(
            (
                frozenset(q.lower() for q in temporal["qualifiers"]),
                re.compile(rf"\S+[\s-]+(?:\S+\s+)?(?:{temporal['units']})(?!\w)", re.IGNORECASE),
            )
            if temporal
            else None
        ),
    )


@functools.cache
def _months(lang: str) -> re.Pattern[str] | None:
    patterns = [p.pattern for month in range(1, 13) if (p := lf.month_pattern(month, lang)) is not None]
    if not patterns:
        return None
    return re.compile(r"\s*\.?\s*(?:(?:de|del|of)\s+)?(?:" + "|".join(patterns) + ")", re.IGNORECASE)


def _found(table: _Table, m: re.Match[str], offset: int) -> Qualifier:
    name = m.lastgroup
    assert name is not None
    cls, soft = table.kinds[name]
    return Qualifier(cls, offset + m.start(name), offset + m.end(name), soft)


def qualifier_near(text: str, start: int, end: int, lang: str) -> Qualifier | None:
    """The qualifier of the number at text[start:end]: words before it ('more than', 'über', 'более',
    '超过', '約', or one the span itself begins with) or after it where the language puts them there
    ('10万人以上', '100多', 'or more', '100 с лишним'). None when the figure has none.
    """
    table = _table(lang)
    ws, we = max(0, start - _BEFORE), min(len(text), end + _AFTER)
    window = lf.normalize(text[ws:we])
    s, e = start - ws, end - ws
    m = table.before.search(window, 0, s)
    if m is None:  # "More than 100,000" passed as the figure's span
        digit = _DIGIT.search(window, s, e)
        if digit is not None and digit.start() > s:
            m = table.before.search(window, s, digit.start())
    if m is None:
        m = table.after.match(window, e)
    if m is None:
        return None
    found = _found(table, m, ws)
    if _not_a_bound(table, found, window, ws, s, e, lang):
        return None
    words = window[found.start - ws : found.end - ws].lower()
    if table.temporal and words in table.temporal[0] and table.temporal[1].match(window, s):
        return Qualifier(found.cls, found.start, found.end, soft=True)  # "over 12 months": also "during"
    return found


def _not_a_bound(table: _Table, found: Qualifier, window: str, ws: int, s: int, e: int, lang: str) -> bool:
    """Words that look like a qualifier but belong to a range, a date or a span of time."""
    words = window[found.start - ws : found.end - ws]
    if table.near_time is not None and words in table.near_time[0] and table.near_time[1].match(window, s):
        return True  # Chinese "近10年": "in the last ten years"
    if found.cls != "up to" or found.end - ws > s:
        return False
    if _RANGE_START.search(window, 0, found.start - ws):
        return True  # "от 10 до 20": the end of a range
    if table.cjk:
        return False
    rest = window[e:]
    if _YEAR.fullmatch(window[s:e]) and (
        not rest.strip()
        or rest.lstrip()[:1] in ".,;:!?)"
        or (table.time_words and table.time_words.match(rest))
    ):
        return True  # "до 2025 года": until a year
    months = _months(lang)
    return bool(months and months.match(rest))  # "hasta el 15 de marzo": until a date


def _clause(table: _Table, window: str, s: int, e: int) -> tuple[int, int]:
    """The clause around window[s:e]: bounded by sentence and clause punctuation and conjunctions."""
    before: list[tuple[int, bool]] = [(0, False)]  # (where a clause starts, after a comma?)
    last = len(window)
    for pattern in (_PUNCT_BREAK, table.breaks):
        if pattern is None:
            continue
        for m in pattern.finditer(window):
            if m.lastgroup == "dot" and not _sentence_end(window, m.end()):
                continue
            if m.end() <= s:
                before.append((m.end(), m.group() == ","))
            elif m.start() >= e:
                last = min(last, m.start())
    before.sort()
    first, comma = before[-1]
    # "plante nicht, 3.000 Stellen zu streichen": an infinitive set off by a comma shares the negation.
    if comma and table.infinitive is not None and table.infinitive.search(window, first, last):
        first = before[-2][0]
    return first, last


def _sentence_end(window: str, at: int) -> bool:
    """A period ends a sentence unless a lowercase word or a digit follows ('ca. 300', 'tys. osób')."""
    rest = window[at:].lstrip()
    return not rest or not (rest[0].islower() or rest[0].isdigit())


def negated(text: str, start: int, end: int, lang: str) -> bool:
    """Whether the clause holding text[start:end] is negated near the figure ('did not exceed 3%',
    '3 % nicht überschritten', 'не превысила 3%', '没有超过3%', '3%を超えなかった'). A negation word
    that belongs to a qualifier ('no more than', 'nicht mehr als', 'не менее', '不超过') or negates
    nothing ('not only', 'не раз', '不仅') does not count.
    """
    table = _table(lang)
    ws, we = max(0, start - _CLAUSE), min(len(text), end + _CLAUSE)
    window = lf.normalize(text[ws:we])
    if table.negation.search(window) is None:
        return False  # no negation word anywhere near: no clause to find
    s, e = start - ws, end - ws
    first, last = _clause(table, window, s, e)
    if table.negation.search(window, first, last) is None:
        return False  # the common case: no negation word in the clause at all
    chars = list(window)
    blanks = [m.span() for m in table.mask.finditer(window, first, last)] if table.mask else []
    own = qualifier_near(text, start, end, lang)
    if own is not None and not own.soft:
        blanks.append((own.start - ws, own.end - ws))
    for a, b in blanks:
        chars[a:b] = " " * (b - a)
    masked = "".join(chars)
    for m in table.negation.finditer(masked, first, last):
        if m.end() <= s:
            gap, limit = window[m.end() : s], table.reach[0]
        elif m.start() >= e:
            gap, limit = window[e : m.start()], table.reach[1]
        else:
            continue
        distance = len(gap.strip()) if table.cjk else len(re.findall(r"\w+", gap))
        if distance <= limit:
            return True
    return False


def _name(q: Qualifier | None) -> str:
    return "none" if q is None else _NAMES.get(q.cls, q.cls)


def _qualifier_turned(src: Qualifier | None, out: Qualifier | None) -> str | None:
    if src is None and out is None:
        return None
    reason = f"qualifier: {_name(src)} -> {_name(out)}"
    if src is None or out is None:
        present = src or out
        assert present is not None
        if present.soft:
            return None
        allowed = _DROP_OK if out is None else _ADD_OK
        return None if present.cls in allowed else reason
    if _SIGN[src.cls] * _SIGN[out.cls] < 0:
        return reason
    if (src.cls in _APPROXIMATE and out.cls == "exactly") or (
        src.cls == "exactly" and out.cls in _APPROXIMATE
    ):
        return reason
    if src.cls == "around" and _SIGN[out.cls] != 0 and out.cls not in _APPROXIMATE and not out.soft:
        return reason  # an estimate made a bound: "around 300,000" -> "over 300,000"
    return None


def _complement(q: Qualifier | None) -> Qualifier | None:
    """The bound a negated qualifier states ('not more than' is 'at most'); None when it states none."""
    if q is None or q.cls not in _NEGATED:
        return None
    return Qualifier(_NEGATED[q.cls], q.start, q.end)  # a negated verb bounds the figure: no longer soft


def direction_turned(
    src: Qualifier | None, src_negated: bool, out: Qualifier | None, out_negated: bool
) -> str | None:
    """None when the output keeps the source figure's direction; else a short reason naming the part:
    "qualifier: more than -> less than", "qualifier: around -> exactly", "negation: not -> affirmed".

    Qualifiers turn when one raises the figure (over, at least) and the other lowers it (under, at most,
    up to, nearly); when an approximation (around, nearly) meets "exactly"; when a bound the source has
    is dropped ("more than 100,000" -> "100,000"; dropping around, nearly or exactly is not flagged),
    or a bound it lacks is added (adding around or exactly is not). Synonyms, which share a class,
    never turn. An estimate ("around 300,000") made a firm bound ("over 300,000") turns; a soft one
    (a preposition that may name a topic) does not. Soft qualifiers are never flagged for being
    dropped or added. A negation present on one side only turns the direction unless it turns a bound
    into its complement the other side states: "did not exceed 3%" keeps "nicht mehr als 3 %".
    """
    if src_negated == out_negated:
        return _qualifier_turned(src, out)
    if src_negated:
        stated, other = _complement(src), out
    else:
        stated, other = _complement(out), src
    if stated is None or other is None or _qualifier_turned(stated, other) is not None:
        return "negation: not -> affirmed" if src_negated else "negation: affirmed -> not"
    return None
