"""Is a source figure or entity kept in an output text, in the output's language?

An output is scanned once (OutputScan): every digit-written number with all the readings its language
allows ("1.686" is 1686 in German and 1.686 in English; "1,5 Millionen" is 1500000; "300万" is 3000000),
CJK numerals, and clock times. A source figure is kept when its amount is among those readings, or when
one of its written forms in the language is there (num2words, CLDR month and day names, the hand tables
for fractions and "tens of thousands").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from anyascii import anyascii
from rapidfuzz import fuzz

from keepfacts.eval import locale_forms as lf
from keepfacts.eval.entities import is_given_name
from keepfacts.segment import split_sentences

_DIGITS = re.compile(
    r"(?<!\d[.,])(?<!\d)"
    r"(\d{1,3}(?:(?:[\u00a0\u202f\u2009 ]|[.,'’])\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\d])"
)
_CJK_NUMERAL = re.compile(r"[〇零一二两兩三四五六七八九十百千万萬亿億兆]+")
_CJK_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
}
_CJK_DIGITS.update({"八": 8, "九": 9})
# A numeral character on its own is mostly part of a word: 一 in 一些, 一个, 唯一, 统一 ("a", "one",
# "the same"), 十 in 十分 ("fully"), 万 in 万一. Read alone, these would be figures nobody wrote.
_CJK_WORD_NUMERALS = frozenset({"一", "十", "万", "千", "百", "亿", "兆", "零"})
_CJK_WEEKDAY_BEFORE = re.compile(r"(?:周|週|星期|礼拜|禮拜)$")
_CJK_SMALL = {"十": 10, "百": 100, "千": 1000}
_CJK_LARGE = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12}
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_CLOCK = re.compile(r"(?<![\d.,:])([01]?\d|2[0-3])(?::|h)([0-5]\d)(?![\d:])")
_YEAR_RANGE_START = re.compile(r"(?<!\d)((?:1[5-9]|20)\d\d)\s?[-–/]\s?$")
# Numeric dates: "3.4.2023", "03/04/2023", "3. 4. 2023" (day first, as every supported language but
# English writes them), "2023-04-03", "2023年4月3日" / "2023年4月".
_NUMERIC_DATE = re.compile(
    r"(?<![\d.,/])(?:(\d{1,2})\.\s?(\d{1,2})\.\s?((?:1[5-9]|20)\d\d)|(\d{1,2})/(\d{1,2})/((?:1[5-9]|20)\d\d)"
    r"|((?:1[5-9]|20)\d\d)-(\d\d)-(\d\d)|((?:1[5-9]|20)\d\d)\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)(?![\d])"
)
_SPACES = "\u00a0\u202f\u2009 "


def parse_cjk_numeral(text: str) -> int | None:
    """'三十万' -> 300000, '一千二百' -> 1200, '两' -> 2, '二〇二二' -> 2022; None without a numeral."""
    total = section = number = 0
    seen = previous_digit = False
    for ch in text:
        if ch in _CJK_DIGITS:
            number = number * 10 + _CJK_DIGITS[ch] if previous_digit else _CJK_DIGITS[ch]
            previous_digit = True
        elif ch in _CJK_SMALL:
            section += (number or 1) * _CJK_SMALL[ch]
            number = 0
            previous_digit = False
        elif ch in _CJK_LARGE:
            chunk = section + number
            total = total * _CJK_LARGE[ch] if chunk == 0 and total else total + chunk * _CJK_LARGE[ch]
            section = number = 0
            previous_digit = False
        else:
            continue
        seen = True
    return total + section + number if seen else None


def _readings(token: str, lang: str) -> tuple[set[float], set[float]]:
    """(the values a digit string has by `lang`'s own rules, those only another convention gives it).

    CLDR gives each language its decimal mark and group separator; spaces group thousands everywhere.
    "100.000" is 100000 in German and 100 in English; "100,000" the other way round: a German reader takes
    "100,000" for one hundred (the English reading is then foreign, and a figure kept only through it is a
    changed form, not a kept one)."""
    parts = re.split(r"([.,'’\u00a0\u202f\u2009 ])", token)
    digits = parts[0::2]
    seps = parts[1::2]
    if not seps:
        return {float(token)}, set()
    decimal, group = lf.number_symbols(lang)
    local = _convention_readings(
        digits, seps, decimal, {group, *_SPACES} | ({"'", "’"} if group in "'’" else set())
    )
    other = "," if decimal == "." else "."
    foreign = _convention_readings(digits, seps, other, {"." if other == "," else ",", *_SPACES}) - local
    # Space-separated runs may also be separate numbers ("in 2021 150 people"); so may comma-separated
    # ones in English, where a comma is never a decimal mark ("pages 2,5": the English extractor reads 2).
    english_list = decimal == "." and set(seps) == {","} and not all(len(d) == 3 for d in digits[1:])
    if english_list or any(s in _SPACES for s in seps):
        local.update(float(d) for d in digits if d)
    return local, foreign


def _convention_readings(digits: list[str], seps: list[str], decimal: str, groups: set[str]) -> set[float]:
    """The readings of digit runs and separators under one convention (a decimal mark, group marks)."""
    readings: set[float] = set()
    if all(s in groups for s in seps) and all(len(d) == 3 for d in digits[1:]) and len(set(seps)) == 1:
        readings.add(float("".join(digits)))
    last_is_decimal = seps[-1] == decimal and all(s in groups and s != decimal for s in seps[:-1])
    if last_is_decimal and all(len(d) == 3 for d in digits[1:-1]) and len(set(seps[:-1])) <= 1:
        readings.add(float("".join(digits[:-1]) + "." + digits[-1]))
    return readings


@dataclass
class NumberToken:
    start: int
    end: int
    text: str
    readings: set[float]
    time: tuple[int, int] | None = None
    foreign: set[float] = field(default_factory=set)  # readings only another convention gives
    date: tuple[int | None, int | None, int | None] | None = None  # (day, month, year) of a numeric date


@dataclass
class OutputScan:
    """An output text scanned once for matching."""

    text: str
    lang: str
    numbers: list[NumberToken] = field(default_factory=list)
    _ascii: str | None = None
    _sentences: list[tuple[int, int]] | None = None

    @property
    def sentences(self) -> list[tuple[int, int]]:
        """The output's sentences (split once, by the output language's rules)."""
        if self._sentences is None:
            self._sentences = split_sentences(self.text, lang=self.lang)
        return self._sentences

    def sentence_of(self, position: int) -> int:
        spans = self.sentences
        return next((i for i, (a, b) in enumerate(spans) if a <= position < b), max(0, len(spans) - 1))

    @classmethod
    def of(cls, text: str, lang: str) -> OutputScan:
        text = lf.normalize(text)
        scan = cls(text, lf.base_lang(lang))
        scan.numbers = scan_numbers(text, lang)
        return scan

    @property
    def ascii(self) -> str:
        if self._ascii is None:
            self._ascii = anyascii(self.text).lower()
        return self._ascii

    def has_amount(self, amount: float) -> bool:
        return any(close(amount, r) for token in self.numbers for r in token.readings)

    def has_time(self, hour: int, minute: int) -> bool:
        hours = {hour, hour % 12 or 12}
        if any(t.time and t.time[0] in hours and t.time[1] == minute for t in self.numbers):
            return True
        has_hour = any(self.has_amount(h) or self.search(lf.number_word_pattern(h, self.lang)) for h in hours)
        if has_hour and (minute == 0 or self.has_amount(minute)):
            return True
        if minute == 30:
            # Half past: "5点半" / "5時半"; "halb sechs" / "půl šesté" name the next hour.
            half = lf.words_table()["half_hour"].get(self.lang)
            h12 = hour % 12 or 12
            if half and self.lang in lf.CJK:
                return bool(re.search(rf"(?<!\d)(?:{hour}|{h12})\s*{half}", self.text))
            if half:
                following = h12 % 12 + 1
                word = lf.number_word_pattern(following, self.lang)
                after = [m.end() for m in re.finditer(rf"(?<!\w){half}\s+", self.text, re.IGNORECASE)]
                return any(
                    re.match(rf"{following}\b", self.text[a:]) or (word and word.match(self.text, a))
                    for a in after
                )
        return False

    def search(self, pattern: re.Pattern[str] | None) -> bool:
        return bool(pattern and pattern.search(self.text))


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def scan_numbers(text: str, lang: str) -> list[NumberToken]:
    """Every number written with digits or CJK numerals in `text`, with its possible readings."""
    lang = lf.base_lang(lang)
    scale = lf.scale_pattern(lang)
    tokens: list[NumberToken] = []
    for m in _DIGITS.finditer(text):
        raw = m.group(1).strip()
        readings, foreign = _readings(raw, lang)
        end = m.end()
        multiplier = 1
        sm = scale.match(text, end)
        if sm:
            word = sm.group(1).lower()
            multiplier = dict(lf.scale_words(lang)).get(word, 1)
            end = sm.end()
        if lang in lf.CJK and multiplier == 1:
            cjk = _CJK_NUMERAL.match(text, end)
            if cjk and all(ch in _CJK_LARGE or ch in _CJK_SMALL for ch in cjk.group(0)):
                multiplier = parse_cjk_numeral("一" + cjk.group(0)) or 1
                end = cjk.end()
        if multiplier != 1:
            readings = {r * multiplier for r in readings}
            foreign = {r * multiplier for r in foreign}
        time = None
        tm = _TIME.match(raw)
        if tm and int(tm.group(1)) < 24 and int(tm.group(2)) < 60:
            time = (int(tm.group(1)), int(tm.group(2)))
        year_end = _YEAR_RANGE_START.search(text, max(0, m.start() - 8), m.start())
        if year_end and re.fullmatch(r"\d\d", raw):  # "1981-87": the end of a range of years
            start_year = int(year_end.group(1))
            readings.add(
                float(start_year // 100 * 100 + int(raw) + (100 if int(raw) <= start_year % 100 else 0))
            )
        tokens.append(NumberToken(m.start(), end, text[m.start() : end], readings, time, foreign))
    tokens = _with_clock_times(_with_numeric_dates(tokens, text, lang), text, lang)
    if lang in lf.CJK:
        tokens = _merge_cjk_groups(tokens, text)
        covered = [(t.start, t.end) for t in tokens]
        for m in _CJK_NUMERAL.finditer(text):
            if any(a <= m.start() < b for a, b in covered) or m.group(0) in _CJK_WORD_NUMERALS:
                continue
            if _CJK_WEEKDAY_BEFORE.search(text, max(0, m.start() - 2), m.start()):
                continue  # 周六, 星期三, 礼拜五: a day's name, not a figure
            value = parse_cjk_numeral(m.group(0))
            if value is not None and (value > 0 or "〇" in m.group(0) or "零" in m.group(0)):
                tokens.append(NumberToken(m.start(), m.end(), m.group(0), {float(value)}))
    return tokens


def _with_clock_times(tokens: list[NumberToken], text: str, lang: str) -> list[NumberToken]:
    """'18:30', '6:00', '18h30', and '10.50 Uhr' where the language's clock word follows, as one
    clock-time token each."""
    found = [*_CLOCK.finditer(text), *_dotted_clock(lang).finditer(text)]
    clocks = [
        NumberToken(
            m.start(),
            m.end(),
            m.group(0),
            {float(m.group(1)), float(m.group(2))},
            (int(m.group(1)), int(m.group(2))),
        )
        for m in found
    ]
    if not clocks:
        return tokens
    kept = [t for t in tokens if not any(c.start <= t.start < c.end for c in clocks)]
    return sorted(kept + clocks, key=lambda t: t.start)


@functools.cache
def _dotted_clock(lang: str) -> re.Pattern[str]:
    words = lf.words_table()["clock_words"].get(lf.base_lang(lang), [])
    if not words:
        return re.compile(r"(?!x)x")
    return re.compile(
        r"(?<![\d.,:])([01]?\d|2[0-3])\.([0-5]\d)(?=\s?(?:" + "|".join(words) + "))", re.IGNORECASE
    )


def _with_numeric_dates(tokens: list[NumberToken], text: str, lang: str) -> list[NumberToken]:
    """Numeric dates as one token each, read day first ('3.4.2023' is 3 April 2023; in English '4/3/2023'
    is read both ways)."""
    dates: list[NumberToken] = []
    for m in _NUMERIC_DATE.finditer(text):
        g = m.groups()
        if g[0]:
            day, month, year = int(g[0]), int(g[1]), int(g[2])
        elif g[3]:
            day, month, year = int(g[3]), int(g[4]), int(g[5])
            if lang == "en" and day <= 12:
                day, month = month, day  # US order first; the check accepts either below
        elif g[6]:
            year, month, day = int(g[6]), int(g[7]), int(g[8])
        else:
            year, month, day = int(g[9]), int(g[10]), int(g[11]) if g[11] else 0
        if not (1 <= month <= 12 and 0 <= day <= 31):
            continue
        parts = {float(year), float(month)} | ({float(day)} if day else set())
        dates.append(NumberToken(m.start(), m.end(), m.group(0), parts, date=(day or None, month, year)))
    if not dates:
        return tokens
    kept = [t for t in tokens if not any(d.start <= t.start < d.end for d in dates)]
    return sorted(kept + dates, key=lambda t: t.start)


def _merge_cjk_groups(tokens: list[NumberToken], text: str) -> list[NumberToken]:
    """'2億8,600万' is one number: a group with a larger unit directly followed by a smaller one."""
    merged: list[NumberToken] = []
    for token in tokens:
        if merged:
            previous = merged[-1]
            if (
                previous.end == token.start
                and previous.text[-1:] in _CJK_LARGE
                and token.text[-1:] in _CJK_LARGE
                and _CJK_LARGE[previous.text[-1]] > _CJK_LARGE[token.text[-1]]
            ):
                readings = {a + b for a in previous.readings for b in token.readings}
                merged[-1] = NumberToken(
                    previous.start, token.end, text[previous.start : token.end], readings
                )
                continue
        merged.append(token)
    return merged


def source_amounts(value: dict[str, Any]) -> list[float]:
    """Every number a source figure value stands for (to tell supported output numbers from invented ones)."""
    out: list[float] = []
    for key in ("amount", "year", "day", "month", "hour", "minute"):
        if isinstance(value.get(key), (int, float)):
            out.append(float(value[key]))
    if "hour" in value:
        out.append(float(value["hour"] % 12 or 12))
    if value.get("kind") in ("fraction",) and "amount" in value:
        out.append(float(value["amount"]) * 100)
    for part in value.get("parts", []):
        out.append(float(part))
    for alt in value.get("alternatives", []):
        out.extend(source_amounts(alt))
    return out


# --- entities ---------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")
_STOP = frozenset("the of and for de la le al bin von van der".split())


# Spelling variants of the same transliterated name (Kovalenko / Kowalenko, Yahya / Jahja).
_FOLD = (("w", "v"), ("j", "y"), ("kh", "h"), ("x", "ks"), ("ph", "f"), ("'", ""), ("’", ""))


def _fold(token: str) -> str:
    token = token.lower()
    for a, b in _FOLD:
        token = token.replace(a, b)
    return token


@functools.lru_cache(maxsize=4096)
def _tokens_ascii(text: str) -> tuple[str, ...]:
    """Folded ASCII tokens; cached, since one output is matched against every name of its source."""
    return tuple(_fold(t) for t in _TOKEN.findall(anyascii(text)))


class _Words:
    """An output's folded tokens, indexed for name lookups (one output is matched against every name of
    its source): by token, by case-ending stem, and by the first four letters."""

    def __init__(self, tokens: set[str]) -> None:
        self.tokens = tokens
        self.stems = {_vowel_stem(t) for t in tokens}
        self.by_prefix: dict[str, list[str]] = {}
        for t in tokens:
            self.by_prefix.setdefault(t[:4], []).append(t)

    def __contains__(self, token: object) -> bool:
        return token in self.tokens


@functools.lru_cache(maxsize=256)
def _words(text: str) -> _Words:
    return _Words(set(_tokens_ascii(text)))


def _token_matches(name_token: str, out: _Words | set[str], sounds: frozenset[str] = frozenset()) -> bool:
    """The name's token is in the output: as written, inflected (Truss -> Trussová), or, for a name the
    output writes in another script, by its sound (Rice -> Райс, Truss -> Трасс: see _skeleton)."""
    words = out if isinstance(out, _Words) else _Words(out)
    if name_token in words.tokens:
        return True
    if sounds and _skeleton(name_token) in sounds:
        return True
    if len(name_token) < 4:
        return False
    if _vowel_stem(name_token) in words.stems:
        return True
    prefix = name_token[: max(4, len(name_token) - 3)]
    near = words.by_prefix.get(prefix[:4], ())
    return any(t.startswith(prefix) and abs(len(t) - len(name_token)) <= 4 for t in near)


def _vowel_stem(token: str) -> str:
    """A folded token without up to two final vowels (a case ending: Čína / Číny, Россия / России)."""
    end = len(token)
    while end > 3 and len(token) - end < 2 and token[end - 1] in "aeiouy":
        end -= 1
    return token[:end]


_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "prof", "sir", "herr", "frau", "pan", "pani", "sr", "sra"})
_SUFFIXES = frozenset({"yr", "sr", "ii", "iii", "iv"})  # folded: "Jr" reads "yr"
# Letters that sound alike once a name is transliterated into Cyrillic and back to Latin letters.
_SOUND_FOLD = (
    ("dzh", "j"), ("zh", "j"), ("sch", "sh"), ("ch", "k"), ("ck", "k"), ("ph", "f"), ("th", "t"),
    ("kh", "h"), ("ce", "se"), ("ci", "si"), ("cy", "sy"), ("c", "k"), ("q", "k"), ("x", "ks"), ("w", "v"),
)  # fmt: skip


@functools.lru_cache(maxsize=8192)
def _skeleton(token: str) -> str:
    """A name's consonants after folding spellings that transliteration confuses ('rice' and 'rais' are
    both 'rs'; 'christopher' and 'kristofer' 'krstfr')."""
    token = re.sub(r"^y(?=[aeiou])", "j", token.lower())  # folded "Joe" is "yoe"; Джо reads "dzho"
    for a, b in _SOUND_FOLD:
        token = token.replace(a, b)
    consonants = re.sub(r"[aeiouyh'’-]", "", token)
    return re.sub(r"(.)\1+", r"\1", consonants)


@functools.lru_cache(maxsize=256)
def _sounds(text: str) -> frozenset[str]:
    """Skeletons of the output's words written in a non-Latin alphabet (Cyrillic, Greek): the names a
    translation transliterated. CJK scripts are not read this way (kana and hanzi are not checked)."""
    words = re.findall(r"[^\W\d_a-zA-Z\u00c0-\u024f\u3040-\u30ff\u3400-\u9fff][\w'’-]*", text)
    return frozenset(_skeleton(t) for w in words for t in _TOKEN.findall(anyascii(w)) if len(t) >= 2)


def person_verdict(
    name: str, scan: OutputScan, extra_forms: list[str] | None = None
) -> tuple[str, tuple[int, int] | None]:
    """('kept' | 'changed' | 'missing', the output's span of the changed name). Changed: the surname is
    there with another given name (Maria -> Oleksandr Kovalenko). Suffixes (Jr, III) are not the name."""
    if name_kept(name, scan, extra_forms):
        return "kept", None
    tokens = [t for t in _tokens_ascii(name) if t not in _STOP and t not in _SUFFIXES]
    if not tokens:
        return "missing", None
    out_tokens = _words(scan.text)
    sounds = _sounds(scan.text)
    if not _token_matches(tokens[-1], out_tokens, sounds):
        return "missing", None
    other = _other_given_name(tokens, scan) if len(tokens) >= 2 else None
    return ("changed", other) if other else ("kept", None)


def _other_given_name(tokens: list[str], scan: OutputScan) -> tuple[int, int] | None:
    """The span of 'Given Surname' where the output puts another capitalized word before the surname."""
    matches = list(re.finditer(r"[^\W\d_][\w'’-]*", scan.text))
    words = [(m.group(0), _fold(anyascii(m.group(0)))) for m in matches]
    surname, given = tokens[-1], tokens[:-1]
    sounds = frozenset(_skeleton(g) for g in given) if _sounds(scan.text) else frozenset()
    for i, (_, folded) in enumerate(words):
        if i == 0 or not _token_matches(
            surname, {folded}, frozenset({_skeleton(folded)}) if sounds else frozenset()
        ):
            continue
        before, before_folded = words[i - 1]
        if not before[:1].isupper() or before_folded in _STOP or before_folded in _HONORIFICS:
            continue
        if scan.text[matches[i - 1].end() : matches[i].start()].strip():
            continue  # "Warrington. Elton": another sentence's word, or a word set off by punctuation
        if any(_same_given_name(g, before_folded) or _skeleton(before_folded) in sounds for g in given):
            return None
        # Another given name ("Maria" -> "Oleksandr"), or the given name garbled ("Markus" -> "Makrus");
        # a title or a word of the sentence before the surname ("Präsident Putin") is no given name.
        # A placeholder or the surname again where the given name was ("UNK Ibrahim") loses it too.
        if (
            before_folded in ("unk", surname)
            or is_given_name(anyascii(before), scan.text)
            or any(fuzz.ratio(g, before_folded) >= 60 for g in given)
        ):
            return matches[i - 1].start(), matches[i].end()
    return None


def _same_given_name(given: str, written: str) -> bool:
    """The same given name, or it declined ('Sam' -> Czech 'Sama', 'Anna' -> 'Annu')."""
    if _token_matches(given, {written}):
        return True
    stem = given[:-1] if len(given) > 3 and given[-1] in "aeiouy" else given
    return written.startswith(stem) and len(written) - len(stem) <= 3


def name_kept(
    name: str, scan: OutputScan, extra_forms: list[str] | None = None, person: bool = False
) -> bool:
    """A name is kept exactly, by transliteration (Kovalenko / Коваленко), or by one of extra_forms."""
    if name.lower() in scan.text.lower():
        return True
    out_tokens = _words(scan.text)
    sounds = _sounds(scan.text)
    for form in extra_forms or []:
        form_tokens = [t for t in _tokens_ascii(form) if t not in _STOP]
        if form.lower() in scan.text.lower() or (
            form_tokens and all(_token_matches(t, out_tokens, sounds) for t in form_tokens)
        ):
            return True
    tokens = [t for t in _tokens_ascii(name) if t not in _STOP and t not in _SUFFIXES]
    if not tokens:
        return False
    if person:
        return _token_matches(tokens[-1], out_tokens, sounds)
    if len(tokens) == 1 and tokens[0].isalpha() and name.isupper():
        return tokens[0] in out_tokens
    return all(_token_matches(t, out_tokens, sounds) for t in tokens)
