"""Which currency a number carries, in any supported language, and how a language writes a sum of money.

Everything comes from CLDR through Babel where CLDR has it:

- Symbols: the CLDR symbols of the supported languages (en, de, fr, es, pt, it, ru, uk, cs, pl, zh, ja),
  merged into one table, so a symbol means the same in every language ("$" is USD, "¥" is JPY or CNY,
  "R$" BRL, "Kč" CZK, "zł" PLN, "₴" UAH). Full-width and spacing variants are folded (NFKC).
- Currency signs CLDR keeps only in the currency's own territory locale ("₦" in en_NG, "₺" in tr): a
  Unicode currency sign (category Sc) that no supported language uses stands for the current currencies
  whose English CLDR name it names ("NAIRA SIGN" -> Nigerian Naira; "TURKISH LIRA SIGN" -> Turkish Lira).
- ISO 4217 codes: any three capitals in Babel's currency list, next to the number ("USD 5", "5 Mio. EUR"),
  unless the words around are capitals too (a headline: "TOP 10 SONGS").
- Names: CLDR's display name and its plural forms for every plural category of the language ("доллар
  США", "долларов США", "US dollars"), and each name's head noun ("dollars", "долларов", "Dollar"),
  which stands for every current currency with that noun ("dollars": USD, CAD, AUD, ...). The head is
  the last word in English and German (the last part of a compound: "US-Dollar" -> "Dollar"); the first
  in French, Spanish, Portuguese, Italian and Polish (after "new": "nouveau shekel" -> "shekel"); in
  Russian, Ukrainian and Czech the first word that is not an adjective ("британский фунт стерлингов"
  -> "фунт"); in Chinese and Japanese the name without its territory name ("俄罗斯卢布" -> "卢布",
  "ロシア ルーブル" -> "ルーブル"), and a name ending with such a head also has it ("米ドル" -> "ドル").
- Stem rule (ru, uk, cs, pl): the case forms CLDR lacks ("долларами", "dolarech", "гривнами") are the
  stem of one of a head's CLDR forms (the form without its case ending) plus a case ending of the
  language, from a small table of noun endings; only for heads that decline ("евро" does not, so
  "евреев" is no currency), and "солдат" is not "сол|ь" (PEN) plus "дат".

Small hand tables, per language, where CLDR has nothing: press symbols CLDR keeps only in territory
locales that would take seconds to load ("kr", "Rs", "C$", "грн", "руб."), the press's "N585 million"
for naira, head nouns that are also common words (weight "pounds", "the 50 mark", French "livres"),
the word "new", and the connector between a scale word and a name ("millones de dólares").

Adjacency: symbols and codes may be written right before the number ("$5", "US$ 5", "€ 1,5 Mio.") or
right after it ("1.500.000 €", "10 Kč"); names only after it, with the language's connector after a
scale word ("millions d'euros") and, in English, German and Slavic languages, one adjective before the
head noun ("5 million American dollars", "5 млн американских долларов": any dollar). A one-letter press
symbol ("N", "R") counts only directly before a big number (with a scale word or four digits): "N585
million" is naira, "N95 masks" is none; so does a head noun that is also a common word ("7 million
pounds" is money, "7 pounds" is a weight). When both sides hold a currency, the side CLDR's currency
pattern puts the symbol on wins; a symbol on the other side that touches the neighbouring number is that
number's ("5 € 10 Personen": 10 has no currency).

format_money writes a whole figure in one rule: the number in CLDR's long compact form when it is exact
and at least a million (ten thousand in Chinese and Japanese: "1,5 Millionen", "2,5 mil millones",
"500万"), else in CLDR's decimal format; then, where CLDR's currency pattern puts the symbol first and
words are spaced (en, pt), the CLDR symbol before it if it is a sign ("$5 million", "US$ 5 milhões");
otherwise the CLDR name in the plural category of the amount, in CLDR's unit pattern, after the
connector when a scale word precedes ("1,5 Millionen Euro", "5 миллионов долларов США", "1,5 million
d’euros", "500万美元"). One currency mark, never two.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from babel.core import get_global
from babel.numbers import (
    format_compact_decimal,
    format_decimal,
    get_currency_name,
    get_currency_symbol,
    get_currency_unit_pattern,
    get_minus_sign_symbol,
    list_currencies,
)

from keepfacts.eval import locale_forms as lf

SUPPORTED = ("en", "de", "fr", "es", "pt", "it", "ru", "uk", "cs", "pl", "zh", "ja")


@dataclass(frozen=True)
class CurrencyMention:
    codes: frozenset[str]  # ISO 4217 candidates
    start: int  # span of the currency words or symbol in the text
    end: int


# --- hand tables (small, per language; CLDR has no such data) ------------------------------------------

_RUPEES = ("INR", "PKR", "LKR", "NPR", "MUR")
# Press symbols CLDR keeps only in the currency's own territory locale (sv_SE "kr", en_PK "Rs"; loading
# those ~400 locales through Babel takes 5 s) or nowhere ("N585 million", "C$", "грн").
_PRESS_SYMBOLS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "N": ("NGN",),
        "R": ("ZAR",),
        "C$": ("CAD",),
        "S$": ("SGD",),
        "Rs": _RUPEES,
        "Rs.": _RUPEES,
        "kr": ("SEK", "NOK", "DKK"),
        "kr.": ("DKK", "ISK"),
        "Ft": ("HUF",),
        "Rp": ("IDR",),
        "RM": ("MYR",),
        "KSh": ("KES",),
        "Ksh": ("KES",),
    },
    "ru": {"руб.": ("RUB",), "руб": ("RUB",), "грн": ("UAH",), "грн.": ("UAH",)},
    "uk": {"грн": ("UAH",), "грн.": ("UAH",), "руб.": ("RUB",), "дол.": ("USD",)},
}
# Head nouns that are also common words: they count only after a big number ("7 million pounds").
_AMBIGUOUS_HEADS: dict[str, frozenset[str]] = {
    "en": frozenset({"pound", "mark", "real", "sol", "won", "gold", "dram"}),
    "de": frozenset({"pfund", "mark", "gold", "real", "rand", "sol"}),
    "fr": frozenset({"livre", "mark", "or", "réal", "sol"}),
    "es": frozenset({"libra", "marco", "oro", "real", "sol"}),
    "pt": frozenset({"libra", "marco", "ouro", "real", "sol"}),
    "it": frozenset({"marco", "real", "sol", "zimbabwe"}),  # CLDR's Italian ZWG is "Zimbabwe Gold"
    "ru": frozenset({"фунт", "марка", "золотой", "реал", "соль", "лей", "сом"}),
    "uk": frozenset({"фунт", "марка", "золотий", "реал", "лей", "сом"}),
    "cs": frozenset({"libra", "marka", "zlatý", "real", "sol", "dobra"}),
    "pl": frozenset({"funt", "marka", "złoto", "real", "sol", "lej", "dobra"}),
    "ja": frozenset({"ポンド", "マルク", "ゴールド", "レアル"}),
    "zh": frozenset({"马克"}),
}
# "New" before a head noun in languages whose head comes first ("nouveau shekel israélien").
_NEW = {
    "fr": ("nouveau", "nouveaux", "nouvelle", "nouvelles"),
    "es": ("nuevo", "nuevos", "nueva", "nuevas"),
    "pt": ("novo", "novos", "nova", "novas"),
    "it": ("nuovo", "nuovi", "nuova", "nuove"),
    "pl": ("nowy", "nowe", "nowa", "nowych", "nowego", "nowej"),
}
# Between a scale word and a currency name: "millones de dólares", "millions d'euros", "milioni di euro".
_CONNECTORS = {"en": ("of ",), "fr": ("de ", "d'"), "es": ("de ",), "pt": ("de ",), "it": ("di ", "d'")}
_HEAD_FIRST = frozenset({"fr", "es", "pt", "it", "pl"})
_HEAD_LAST = frozenset({"en", "de"})
# Adjective endings (nationality adjectives, "new"): ru, uk, cs names put them before or after the head
# noun; in all four, one adjective may stand between a number and a head ("американских долларов").
_ADJECTIVE = {
    "ru": re.compile(r"(?:[иыо]й|[ая]я|[оеыи]е|[иы]х|[ое]го|[ое]му|[иы]м|[ую]ю)$"),
    "uk": re.compile(r"(?:[иі]й|[иі]х|ого|ому|[иі]м|ої|ою|[сцз]ьк[аеі]|ован[аеі])$"),
    "cs": re.compile(r"(?:[ýáéí]|ých|ích|ého|ího|ému|ímu|ým|ím|ými|ími)$"),
    "pl": re.compile(r"(?:[sc]k[iaie]|[sc]kich|[sc]kiego|[sc]kiej|zk[iaie])$"),
}
# Case endings of nouns (and of adjective-shaped nouns: злотый, złoty) for the stem rule.
_ENDINGS = {
    "ru": "а я у ю е ы и ь й ом ем ём ой ей ою ею ов ев ам ям ами ями ах ях ый ий ая ое ые ие ых их ого "
    "его ому ему ым им ыми ими ую",
    "uk": "а я у ю е є и і ї ь й ом ем єм ою ею ів їв ам ям ами ями ах ях ий ій их іх ого ому им ім ими "
    "іми ої",
    "cs": "a u e ě y i o ů í ou em ům ech ích ách ami emi ám ý é á ých ého ému ým ými",
    "pl": "a u e y i ę ą o em om ów ach ami owi ie ych ich ego emu ym im ymi imi ej",
}
_STEM_LANGS = frozenset(_ENDINGS)
_GERMAN_ADJECTIVE = re.compile(r"^[a-zäöüß-]+(?:e|er|en|es|em)$")

_SPACES = " \t\u00a0\u202f\u2009"
_TRAILING = ".,;:!?)]}»”\"'…"
_ISO = re.compile(r"[A-Z]{3}")


# --- CLDR tables ---------------------------------------------------------------------------------------


@functools.cache
def _current() -> frozenset[str]:
    """Currencies that are legal tender somewhere today (CLDR territory data)."""
    return frozenset(
        code
        for spans in get_global("territory_currencies").values()
        for code, _start, end, tender in spans
        if end is None and tender
    )


@functools.cache
def _all_codes() -> frozenset[str]:
    return frozenset(list_currencies())


def _canon(symbol: str) -> str:
    """A symbol's one spelling: NFKC (full-width ￥ is ¥, ₨ is Rs) with single spaces."""
    return " ".join(unicodedata.normalize("NFKC", symbol).split())


def _name_key(text: str) -> str:
    """A name's lookup key: the text's normalization (apostrophes), single spaces, casefolded."""
    return " ".join(lf.normalize(text).split()).casefold()


def _fold(text: str) -> str:
    """Casefolded without accents (for comparing Latin names: "Colón" and "COLON")."""
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch)
    )


def _is_sign(symbol: str) -> bool:
    return any(unicodedata.category(ch) == "Sc" for ch in symbol)


@dataclass(frozen=True)
class _Symbols:
    """Symbol -> codes, the same in every language, keyed by every spelling a text may hold."""

    codes: dict[str, frozenset[str]]
    signs: dict[str, frozenset[str]]  # the Unicode-named signs (currency_words lists them)
    longest: int
    firsts: frozenset[str]  # first characters of the symbols and of ISO codes
    lasts: frozenset[str]
    first_words: frozenset[str]  # first words of the symbols with a space ("F CFA")


@functools.cache
def _symbols() -> _Symbols:
    """CLDR's symbols of the supported languages, the press symbols, and the Unicode currency signs named
    after a current currency."""
    current = _current()
    table: dict[str, set[str]] = {}
    raw: set[str] = set()
    for lang in SUPPORTED:
        for code, symbol in lf.locale(lang).currency_symbols.items():
            if code in current and symbol not in (code, "¤") and symbol.strip():
                table.setdefault(_canon(symbol), set()).add(code)
                raw.add(symbol)
    for press in _PRESS_SYMBOLS.values():
        for symbol, press_codes in press.items():
            table.setdefault(_canon(symbol), set()).update(press_codes)
    sc = [chr(p) for p in range(0x10000) if unicodedata.category(chr(p)) == "Sc"]
    signs = _unicode_signs([ch for ch in sc if _canon(ch) not in table])
    for sign, sign_codes in signs.items():
        table.setdefault(sign, set()).update(sign_codes)
    codes = {symbol: frozenset(found) for symbol, found in table.items()}
    for spelling in raw | set(sc):  # "￥", "F\u202fCFA", "￡": the spellings the canonical key folds
        key = _canon(spelling)
        if key in codes:
            codes.setdefault(spelling, codes[key])
            for space in ("\u00a0", "\u202f"):
                codes.setdefault(key.replace(" ", space), codes[key])
    ascii_capitals = {chr(c) for c in range(ord("A"), ord("Z") + 1)}
    return _Symbols(
        codes=codes,
        signs={sign: frozenset(found) for sign, found in signs.items()},
        longest=max(len(s) for s in codes),
        firsts=frozenset({s[0] for s in codes} | ascii_capitals),
        lasts=frozenset({s[-1] for s in codes} | ascii_capitals),
        first_words=frozenset(s.split()[0] for s in codes if " " in s),
    )


def _unicode_signs(signs: list[str]) -> dict[str, set[str]]:
    """Currency signs no supported language's CLDR data has, by their Unicode name: "NAIRA SIGN" is the
    current currency whose English CLDR name is or ends with "Naira"; "TURKISH LIRA SIGN" is Turkish Lira."""
    english = {code: _fold(name) for code, name in lf.locale("en").currencies.items() if code in _current()}
    exact: dict[str, set[str]] = {}
    by_noun: dict[str, set[str]] = {}
    for ch in signs:
        name = _fold(unicodedata.name(ch, "").removesuffix(" SIGN"))
        codes = {code for code, full in english.items() if full == name}
        if codes:
            exact[ch] = codes
        elif name and " " not in name:
            by_noun[ch] = {code for code, full in english.items() if full.split()[-1] == name}
    # A currency with a sign of its own is not meant by the generic one: ₺ (TURKISH LIRA) is, ₤ (LIRA) not.
    named = set().union(*exact.values()) if exact else set()
    found = {ch: codes - named for ch, codes in by_noun.items() if codes - named}
    return {**found, **exact}


@dataclass
class _Index:
    """One language's currency names, built once."""

    names: dict[str, set[str]] = field(default_factory=dict)  # _name_key(form) -> codes
    heads: set[str] = field(default_factory=set)  # the keys that are head nouns
    weak: dict[str, set[str]] = field(default_factory=dict)  # key -> its codes that need a big number
    stems: dict[str, set[str]] = field(default_factory=dict)
    weak_stems: dict[str, set[str]] = field(default_factory=dict)
    words: dict[str, list[str]] = field(default_factory=dict)  # code -> heads then names, as written
    first_words: set[str] = field(default_factory=set)  # first words of the names with a space
    firsts: set[str] = field(default_factory=set)  # first characters of the names (CJK)
    max_words: int = 1
    max_chars: int = 1
    prefix_first: bool = False  # CLDR's currency pattern writes the symbol before the number


_PARENTHESES = re.compile(r"[(（][^)）]*[)）]")


def _without_parentheses(name: str) -> str:
    return " ".join(_PARENTHESES.sub(" ", name).split())


def _head(name: str, lang: str) -> str | None:
    """The head noun of a CLDR currency name in an alphabetic language (see the module docstring)."""
    words = name.replace("/", " ").split()
    if not words:
        return None
    if lang in _HEAD_LAST:
        return words[-1].split("-")[-1]
    if lang in _HEAD_FIRST:
        new = _NEW.get(lang, ())
        rest = [w for w in words if w.casefold() not in new] or words
        return rest[0]
    adjective = _ADJECTIVE.get(lang)
    if adjective is not None:
        nouns = [w for w in words if not adjective.search(w.casefold())]
        return nouns[0] if nouns else words[-1]
    return None


def _territory_prefixes(lang: str) -> list[str]:
    names = {" ".join(name.split()) for name in lf.locale(lang).territories.values()}
    return sorted((n for n in names if len(n) >= 2), key=len, reverse=True)


def _cjk_heads(name: str, prefixes: list[str]) -> list[str]:
    heads = []
    if " " in name:
        heads.append(name.split()[-1])
    compact = name.replace(" ", "")
    for prefix in prefixes:
        if compact.startswith(prefix) and len(compact) - len(prefix) >= 2:
            heads.append(compact[len(prefix) :])
            break
    return heads


def _running_text(name: str, lang: str) -> str:
    """CLDR's Portuguese names are capitalised for display; running text writes them in lowercase."""
    if lang == "pt" and name[:1].isupper() and not name[1:2].isupper():
        return name[0].lower() + name[1:]
    return name


@functools.cache
def _index(lang: str) -> _Index:
    loc = lf.locale(lang)
    idx = _Index()
    idx.prefix_first = "¤" in loc.currency_formats["standard"].prefix[0]
    plural_names = loc._data["currency_names_plural"]
    words = _AMBIGUOUS_HEADS.get(lang, frozenset())
    ambiguous = words | {_fold(w) for w in words}
    # The plural category a big number takes comes first (its form leads in currency_words).
    big_first = list(dict.fromkeys([loc.plural_form(1_000_000), "other", "many", "few", "one"]))
    cjk = lang in lf.CJK
    prefixes = _territory_prefixes(lang) if cjk else []
    head_forms: dict[str, list[str]] = {}
    for code in sorted(_current()):
        display = loc.currencies.get(code)
        if not display or display == code:
            continue
        plurals = plural_names.get(code, {})
        ordered = [plurals[c] for c in big_first if c in plurals] + [display]
        forms = list(dict.fromkeys(_running_text(_without_parentheses(n), lang) for n in ordered))
        heads: list[str] = []
        for form in forms:
            if cjk:
                heads.extend(_cjk_heads(form, prefixes))
                if " " in form:
                    _add(idx.names, form.replace(" ", ""), code)
            else:
                head = _head(form, lang)
                if head and head != form:
                    heads.append(head)
            _add(idx.names, form, code)
        heads = list(dict.fromkeys(heads))
        head_forms[code] = heads
        weak = any({h.casefold(), _fold(h)} & ambiguous for h in heads)
        for head in heads:
            _add(idx.names, head, code)
            idx.heads.add(_name_key(head))
            if weak:
                _add(idx.weak, head, code)
        declined = {_name_key(h) for h in heads}
        if lang in _STEM_LANGS and len(declined) > 1:  # "евро" does not decline: no stem
            for stem in {_stem(h, lang) for h in declined}:
                idx.stems.setdefault(stem, set()).add(code)
                if weak:
                    idx.weak_stems.setdefault(stem, set()).add(code)
        idx.words[code] = heads + forms
    if cjk:  # a name ending with another name's head has that head too: 米ドル -> ドル
        all_heads = {h for hs in head_forms.values() for h in hs if len(h) >= 2}
        for code, written in idx.words.items():
            for form in written[len(head_forms[code]) :]:
                for head in all_heads:
                    if form != head and form.replace(" ", "").endswith(head):
                        _add(idx.names, head, code)
                        if head.casefold() in ambiguous:
                            _add(idx.weak, head, code)
    idx.first_words = {key.split()[0] for key in idx.names if " " in key}
    idx.firsts = {key[0] for key in idx.names}
    idx.max_words = max((len(key.split()) for key in idx.names), default=1)
    idx.max_chars = max((len(key) for key in idx.names), default=1)
    return idx


def _add(table: dict[str, set[str]], form: str, code: str) -> None:
    table.setdefault(_name_key(form), set()).add(code)


@functools.cache
def _endings(lang: str) -> frozenset[str]:
    return frozenset(_ENDINGS.get(lang, "").split())


def _stem(word: str, lang: str) -> str:
    """The word without its longest case ending, keeping three letters: гривна -> гривн, рублей -> рубл."""
    endings = _endings(lang)
    for n in range(3, len(word)):
        if word[n:] in endings:
            return word[:n]
    return word


# --- recognition ---------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\S+")
_BIG = re.compile(r"[^\W\d_]|\d(?:\D*\d){3}")
_NEEDS_NORMALIZING = re.compile("[\uff01-\uff5e\u3000ʼ’‘`´]")
_Found = tuple[frozenset[str], int, int, bool]  # codes, start, end (in the window), is a symbol or code


def _is_big(span: str) -> bool:
    """A number with a scale word ("585 million", "300万") or at least four digits."""
    return _BIG.search(span) is not None


def _normalized(text: str) -> str:
    return lf.normalize(text) if _NEEDS_NORMALIZING.search(text) else text


def _word_left(text: str, pos: int) -> str:
    m = re.search(r"(\w+)\W{0,2}$", text[max(0, pos - 30) : pos])
    return m.group(1) if m else ""


def _word_right(text: str, pos: int) -> str:
    m = re.match(r"\W{0,2}(\w+)", text[pos : pos + 30])
    return m.group(1) if m else ""


def _headline(word: str) -> bool:
    return len(word) >= 2 and word.isalpha() and word.isupper() and word not in _all_codes()


def _iso(candidate: str) -> frozenset[str] | None:
    if len(candidate) == 3 and candidate in _all_codes() and _ISO.fullmatch(candidate):
        return frozenset({candidate})
    return None


def _one_letter(symbol: str) -> bool:
    return len(symbol) == 1 and symbol.isascii() and symbol.isalpha()


def currency_near(text: str, start: int, end: int, lang: str) -> CurrencyMention | None:
    """The currency written right before text[start:end] (a number, possibly with its scale word) or right
    after it; None when there is none."""
    base = lf.base_lang(lang)
    idx = _index(base)
    big = _is_big(text[start:end])
    window = _normalized(text[end : end + 120])
    i = 0
    scale = lf.scale_pattern(base).match(window)
    if scale:  # a scale word the span left out
        i = scale.end()
        big = True
    after = _after(text, window, end, i, start, base, idx, big)
    before = _before(text, start, end, base, idx, big)
    if after and before:
        return before if idx.prefix_first else after
    return after or before


def _after(
    text: str, window: str, offset: int, i: int, number_start: int, lang: str, idx: _Index, big: bool
) -> CurrencyMention | None:
    while i < len(window) and window[i] in _SPACES:
        i += 1
    if lang in lf.CJK:
        found = _after_cjk(window, i, idx, big)
    else:
        if big:
            low = window[i : i + 4].casefold()
            for connector in _CONNECTORS.get(lang, ()):
                if low.startswith(connector):
                    i += len(connector)
                    while i < len(window) and window[i] in _SPACES:
                        i += 1
                    break
        found = _after_words(window, i, lang, idx, big)
    if found is None:
        return None
    codes, s, e, is_symbol = found
    if is_symbol:
        if idx.prefix_first and re.match(rf"[{_SPACES}]*\d", window[e : e + 4]):
            return None  # the next number's symbol: "5 $10 bills"
        if _iso(window[s:e]) and (
            _headline(_word_right(window, e)) or _headline(_word_left(text, number_start))
        ):
            return None  # "TOP 10 SONGS"
    return CurrencyMention(codes, offset + s, offset + e)


def _after_cjk(window: str, i: int, idx: _Index, big: bool) -> _Found | None:
    if i >= len(window):
        return None
    symbols = _symbols()
    if window[i].casefold() in idx.firsts or window[i] in symbols.firsts:
        for length in range(min(max(idx.max_chars, symbols.longest), len(window) - i), 0, -1):
            candidate = window[i : i + length]
            codes = _usable(idx.names, idx.weak, candidate.casefold(), big)
            if codes:
                return codes, i, i + length, False
            symbol = symbols.codes.get(candidate)
            if symbol and not _one_letter(candidate):
                return symbol, i, i + length, True
    m = _ISO.match(window, i)
    following = window[m.end() : m.end() + 1] if m else ""
    if m and _iso(m.group(0)) and not (following.isascii() and following.isalpha()):
        return frozenset({m.group(0)}), m.start(), m.end(), True
    return None


def _after_words(window: str, i: int, lang: str, idx: _Index, big: bool) -> _Found | None:
    symbols = _symbols()
    m = _TOKEN.match(window, i)
    if m is None:
        return None
    s, e = m.span()
    first = window[s:e]
    tokens = [(s, e)]
    if first.casefold() in idx.first_words or first in symbols.first_words:
        for more in _TOKEN.finditer(window, e):
            tokens.append(more.span())
            if len(tokens) >= idx.max_words:
                break
    for k in range(len(tokens), 0, -1):
        joined = " ".join(window[a:b] for a, b in tokens[:k])
        for candidate in dict.fromkeys((joined, joined.rstrip(_TRAILING))):
            if not candidate:
                continue
            codes = _usable(idx.names, idx.weak, candidate.casefold(), big)
            if codes:
                return codes, s, s + len(candidate), False
            symbol = symbols.codes.get(candidate) or _iso(candidate)
            if symbol and not _one_letter(candidate):
                return symbol, s, s + len(candidate), True
    if first[0] in symbols.firsts:  # a symbol at the start of a longer token: "€/Monat", "$)"
        for length in range(min(symbols.longest, len(first) - 1), 0, -1):
            candidate = first[:length]
            if first[length].isalnum() or first[length] == "-":
                continue  # "Rs-class", "Euro-Länder"
            symbol = symbols.codes.get(candidate) or _iso(candidate)
            if symbol and not _one_letter(candidate):
                return symbol, s, s + length, True
    word = first.rstrip(_TRAILING)
    stem = _stem_match(word, lang, idx, big)
    if stem:
        return stem, s, s + len(word), False
    # One adjective before the head noun: "American dollars", "американских долларов".
    second = _TOKEN.search(window, e) if _modifier(first, lang) else None
    if second is not None and window[e : second.start()].isspace():
        s2 = second.start()
        word = second.group().rstrip(_TRAILING)
        key = word.casefold()
        codes = _usable(idx.names, idx.weak, key, big) if key in idx.heads else None
        if codes:
            return codes, s, s2 + len(word), False
        stem = _stem_match(word, lang, idx, big)
        if stem:
            return stem, s, s2 + len(word), False
    return None


def _stem_match(word: str, lang: str, idx: _Index, big: bool) -> frozenset[str] | None:
    """A case form CLDR lacks: a declining head's stem and a case ending ("доллар|ами", "гривн|ами")."""
    if not idx.stems or not word.isalpha():
        return None
    low = word.casefold()
    endings = _endings(lang)
    for n in range(len(low), 2, -1):
        stem = low[:n]
        if stem in idx.stems and (n == len(low) or low[n:] in endings):
            return _usable(idx.stems, idx.weak_stems, stem, big)
    return None


def _usable(
    table: dict[str, set[str]], weak: dict[str, set[str]], key: str, big: bool
) -> frozenset[str] | None:
    """The codes of a form; after a small number, without those whose head is also a common word."""
    codes = table.get(key)
    if codes and not big:
        codes = codes - weak.get(key, set())
    return frozenset(codes) if codes else None


def _modifier(word: str, lang: str) -> bool:
    if lang == "en":
        return word[:1].isupper() and word.isalpha() and not word.isupper()
    if lang == "de":
        return bool(_GERMAN_ADJECTIVE.match(word))
    adjective = _ADJECTIVE.get(lang)
    return bool(adjective and word.isalpha() and adjective.search(word.casefold()))


def _before(text: str, start: int, end: int, lang: str, idx: _Index, big: bool) -> CurrencyMention | None:
    symbols = _symbols()
    last = text[max(0, start - 2) : start].rstrip(_SPACES)[-1:]
    if not last or (last not in symbols.lasts and lf.normalize(last) not in symbols.lasts):
        return None
    lo = max(0, start - symbols.longest - 2)
    window = _normalized(text[lo:start])
    j = len(window)
    attached = True
    if j and window[j - 1] in _SPACES:
        j -= 1
        attached = False
    for length in range(min(symbols.longest, j), 0, -1):
        candidate = window[j - length : j]
        if candidate[0].isspace():
            continue
        codes = symbols.codes.get(candidate) or _iso(candidate)
        if not codes:
            continue
        s = j - length
        if candidate[0].isalnum() and s > 0 and window[s - 1].isalnum():
            continue  # inside a word: "AUSD 5"
        if _one_letter(candidate) and not (attached and big):
            continue  # "N95 masks"
        if _iso(candidate) and (_headline(_word_left(window, s)) or _headline(_word_right(text, end))):
            continue  # "TOP 10 SONGS"
        if not idx.prefix_first and re.search(rf"\d[{_SPACES}]*$", window[:s]):
            continue  # the previous number's symbol: "5 € 10 Personen"
        return CurrencyMention(codes, lo + s, lo + j)
    return None


def currencies_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two mentions may be the same currency (their candidate codes intersect)."""
    return bool(a & b)


# --- writing -------------------------------------------------------------------------------------------


def currency_words(code: str, lang: str) -> list[str]:
    """How `lang` writes the currency: symbols first (the language's CLDR symbol, English CLDR's, the
    Unicode sign, the language's press symbols), then the head nouns, the CLDR names, the ISO code last.
    One-letter press symbols ("N") are left out: they are read, never offered."""
    base = lf.base_lang(lang)
    sources = [base, "en"] + (["zh", "ja"] if base in lf.CJK else [])
    words = [get_currency_symbol(code, lf.locale(source)) for source in sources]
    words += [sign for sign, codes in _symbols().signs.items() if codes == {code}]
    words += [symbol for symbol, codes in _PRESS_SYMBOLS.get(base, {}).items() if code in codes]
    words += _index(base).words.get(code, [])
    kept: dict[str, str] = {}  # casefolded -> the first spelling
    for word in words:
        if word and word not in ("¤", code) and not _one_letter(word):
            kept.setdefault(word.casefold(), word)
    return [*kept.values(), code]


def _written_number(amount: float, lang: str) -> tuple[str, bool]:
    """CLDR's long compact form ("1,5 Millionen") when it is exact and large enough, else CLDR's decimal
    format; and whether a scale word was written."""
    from keepfacts.eval.match import scan_numbers

    loc = lf.locale(lang)
    if abs(amount) >= (1e4 if lang in lf.CJK else 1e6):
        for digits in range(4):
            text = format_compact_decimal(amount, format_type="long", locale=loc, fraction_digits=digits)
            tokens = scan_numbers(text, lang)
            if (
                len(tokens) == 1
                and tokens[0].end == len(text)
                and any(abs(r - amount) <= 1e-9 * abs(amount) for r in tokens[0].readings)
            ):
                return text, True
    return format_decimal(amount, locale=loc), False


def format_money(amount: float, code: str, lang: str) -> str:
    """The whole figure in the language's own form (the rule is in the module docstring)."""
    base = lf.base_lang(lang)
    loc = lf.locale(lang)
    number, scaled = _written_number(abs(amount), base)
    minus = get_minus_sign_symbol(loc) if amount < 0 else ""
    symbol = get_currency_symbol(code, loc)
    positive, negative = loc.currency_formats["standard"].prefix
    if base not in lf.CJK and "¤" in positive and symbol != code and _is_sign(symbol):
        prefix = negative.replace("-", minus) if minus else positive
        return prefix.replace("¤", symbol) + number  # "$5 million", "-$5 million"
    number = minus + number
    name = _running_text(_without_parentheses(get_currency_name(code, count=amount, locale=loc)), base)
    if scaled:
        if base == "fr" and _fold(name[:1]) in "aeiouyh":
            name = "d’" + name  # millions d’euros
        elif base in _CONNECTORS and base != "en":
            name = _CONNECTORS[base][0] + name
    return get_currency_unit_pattern(code, count=amount, locale=loc).format(number, name)
