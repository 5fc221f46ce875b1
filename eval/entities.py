"""Named entities in English text by rules (no model is available offline).

A name is a run of capitalized words (with "of", "for", "bin", "al", ... and possessive "'s" inside).
Its type comes from cue words (Office, Agency, Press, Ministry... -> org), titles (Mr, Dr, Sgt.,
Minister... -> person), CLDR place names plus a small gazetteer (-> place), and the words around it.
Limits, honestly: a lowercase name, a one-word name at the start of a sentence that the text never writes
again mid-sentence, and unusual organisations without a cue word are missed or typed "other".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from keepfacts.eval.places import is_place

ORG_CUES = frozenset(
    """Office Agency Press Ministry Department Police Service Services Council Committee University
    College School Party Association Foundation Organisation Organization Inc Corp Corporation Company Co
    Bank Union Commission Court Government Army Navy Forces Force News TV Times Post Institute Centre
    Center Board Parliament Congress Senate Assembly Group Network Authority Bureau Prosecutor Cabinet
    Administration Club Federation League Fund Trust Society Alliance Coalition Airlines Airways Motors
    Technologies Software Systems Media Radio Journal Herald Guardian Telegraph Tribune Gazette Reuters
    Movement Front Museum Hospital Ministry's Programme Program Command Guard Unit Brigade Council's
    Interfax TASS Xinhua AFP Bloomberg Parishad NATO""".split()
)
PERSON_TITLES = (
    r"Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Prof\.?|Professor|President|Prime Minister|Minister|Sgt\.?|Sergeant|"
    r"Detective Inspector|Detective|Inspector|Chief Inspector|Superintendent|Officer|Lt\.?|Col\.?|Gen\.?|"
    r"General|Captain|Capt\.?|Senator|Sen\.?|Rep\.?|Governor|Gov\.?|Mayor|Judge|Justice|Chancellor|"
    r"Secretary|Pope|King|Queen|Prince|Princess|Sir|Dame|Lord|Lady|Ambassador|Commander|Chairman|"
    r"Chairwoman|Spokesman|Spokeswoman|Spokesperson|CEO|Director|Chief|Foreign Secretary|Foreign Minister|"
    r"Foreign Trade Minister|Defence Minister|Defense Minister|Health Minister|Deputy"
)
STOP_START = frozenset(
    """The A An This That These Those It Its He She They We I You His Her Their Our My Your In On At As
    But And Or While When Where What Who Why How If Since After Before During For From With Without By To
    Of Some Many Most Several Nearly Over About Around More Less Just Only Also Yet So Then Now Today
    Yesterday Tomorrow Currently However Meanwhile According Unlike Despite Although Though Because Even
    Anyone Everyone Someone Nobody Each Every All Both Either Neither Other Another Such Here There
    Officials Commanders Sources Reports Many Few No Not Please Share""".split()
)
_CONNECTORS = r"(?:of|for|the|and|de|del|la|le|al|bin|ibn|von|van|der|den|da|di|du|y)"
_WORD = r"(?:[A-Z][\w’'\-.]*[\w]|[A-Z](?:\.[A-Z])+\.?|[A-Z])"
_NAME = re.compile(
    rf"(?<![\w’'])(?:{_WORD})(?:[^\S\n]+(?:{_CONNECTORS}[^\S\n]+)?(?:{_WORD}))*",
)
_TITLE_PREFIX = re.compile(rf"^(?:(?:{PERSON_TITLES})\s+)+")
_TITLE_ONLY = re.compile(rf"^(?:{PERSON_TITLES})(?:\s+(?:{PERSON_TITLES}))*$")
_DEMONYM = re.compile(r"^(?:North |South |East |West )?[A-Z][a-z]+(?:ian|ean|ese|ish|ican|ani|i)$")
_POSSESSIVE = re.compile(r"['’]s?$")
_PLACE_BEFORE = re.compile(r"\b(?:in|from|near|to|at|across|outside|inside|into)\s+$", re.I)
_PERSON_AFTER = re.compile(r"^\s*(?:,\s*(?:a|an|the)\s|said\b|says\b|told\b|added\b|stated\b|wrote\b)")


@dataclass
class EntityMatch:
    start: int
    end: int
    name: str
    type: str


def _mid_sentence_words(text: str, sentence_starts: set[int]) -> set[str]:
    words = set()
    for m in re.finditer(r"(?<![\w’'])[A-Z][\w’'-]*", text):
        before = text[max(0, m.start() - 3) : m.start()]
        if m.start() in sentence_starts or re.search(r"[.!?\"“‘(]\s*$", before):
            continue
        words.add(m.group(0))
    return words


def find_entities(text: str, sentence_spans: list[tuple[int, int]]) -> list[EntityMatch]:
    """Entities in text; `sentence_spans` from keepfacts.segment.split_sentences(text)."""
    starts = {a for a, _ in sentence_spans}
    seen_mid = _mid_sentence_words(text, starts)
    found: list[EntityMatch] = []
    persons: dict[str, str] = {}
    headlines = _headlines(text)
    for m in _NAME.finditer(text):
        tokens = [(t.group(0), m.start() + t.start()) for t in re.finditer(r"\S+", m.group(0))]
        while tokens and (re.fullmatch(_CONNECTORS, tokens[-1][0]) or tokens[-1][0].endswith((".", ","))):
            word, at = tokens[-1]
            if word.endswith((".", ",")) and len(word) > 2 and not re.fullmatch(r"(?:[A-Z]\.)+", word):
                tokens[-1] = (word[:-1], at)
                break
            tokens.pop()
        at_start = bool(tokens) and (
            tokens[0][1] in starts
            or bool(re.search(r"[\"“‘(]\s*$", text[max(0, tokens[0][1] - 2) : tokens[0][1]]))
        )
        while tokens and (
            tokens[0][0] in STOP_START
            or re.fullmatch(_CONNECTORS, tokens[0][0])
            or (
                at_start
                and len(tokens) == 1
                and tokens[0][0] not in seen_mid
                and not is_place(tokens[0][0])
                and not tokens[0][0].isupper()
            )
        ):
            tokens.pop(0)
            at_start = False
        # A leading demonym ("Ukrainian Prosecutor General's Office") is not part of the name.
        while len(tokens) > 1 and _DEMONYM.match(tokens[0][0]) and not is_place(tokens[0][0]):
            tokens.pop(0)
        joined = " ".join(t for t, _ in tokens)
        if not tokens or (_DEMONYM.match(joined) and not is_place(joined)):
            continue
        begin = tokens[0][1]
        headline = _headline_of(text, begin, headlines)
        if headline is not None:
            tokens = _said_elsewhere(text, tokens, headline)
            if not tokens:
                continue
        name = text[begin : tokens[-1][1] + len(tokens[-1][0])]
        if name.endswith(("'s", "’s")):
            name = name[:-2]
        for part_begin, part in _coordinated(name, begin):
            entity_type, part = _classify(text, part_begin, part, persons)
            if not part:
                continue
            part_begin = text.find(part, part_begin)
            found.append(EntityMatch(part_begin, part_begin + len(part), part, entity_type))
            if entity_type == "person":
                persons[part.split()[-1]] = part
    return found


def _headlines(text: str) -> list[tuple[int, int]]:
    """Spans of Title Case lines ("Joe Biden Laments Failure to Stop Global Warming"): a headline
    capitalizes its words, so capitals there mark no names."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0).strip()
        words = re.findall(r"[^\W\d_]{4,}", line)
        closed = line.endswith((".", "!", "?", '"', "”"))
        if len(words) >= 3 and not closed and sum(w[0].isupper() for w in words) >= 0.75 * len(words):
            spans.append(m.span())
    return spans


def _headline_of(text: str, at: int, headlines: list[tuple[int, int]]) -> tuple[int, int] | None:
    return next(((a, b) for a, b in headlines if a <= at < b), None)


def _said_elsewhere(
    text: str, tokens: list[tuple[str, int]], headline: tuple[int, int]
) -> list[tuple[str, int]]:
    """The longest leading run of a headline's capitalized words that the article also writes outside
    the headline ("Joe Biden" of "Joe Biden Laments Failure"); none when it never does."""
    rest = text[: headline[0]] + "\n" + text[headline[1] :]
    for n in range(len(tokens), 0, -1):
        begin, (last, at) = tokens[0][1], tokens[n - 1]
        if re.search(rf"(?<!\w){re.escape(text[begin : at + len(last)])}(?!\w)", rest):
            return tokens[:n]
    return []


def _coordinated(name: str, begin: int) -> list[tuple[int, str]]:
    """'France and Germany', 'Bank of England and Reuters': two entities, each a name on its own (a place,
    an organisation with its cue word, an acronym, or several capitalized words); 'Argyll and Bute' or
    'Trinidad and Tobago' stay one."""
    parts = name.split(" and ")
    if len(parts) < 2 or is_place(name) or not all(_stands_alone(p) for p in parts):
        return [(begin, name)]
    out, offset = [], begin
    for part in parts:
        out.append((offset, part))
        offset += len(part) + len(" and ")
    return out


def _stands_alone(part: str) -> bool:
    tokens = part.split()
    bare = _POSSESSIVE.sub("", part)
    return bool(tokens) and (
        is_place(bare)
        or bool({_POSSESSIVE.sub("", t) for t in tokens} & ORG_CUES)
        or (bare.isupper() and len(bare) >= 2)
        or (len(tokens) >= 2 and all(t[:1].isupper() for t in tokens if t not in ("of", "the", "for")))
    )


@functools.cache
def _given_names() -> Any:
    """gender-guesser's list of some 40,000 given names of many countries (loaded once, ~0.3 s)."""
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=False)


def is_given_name(word: str, text: str) -> bool:
    """A known given name that this text does not also use as an ordinary word ('Storm Barra' when the
    article speaks of 'the storm'; 'May God ...')."""
    if word.lower() in _lower_words(text) or word in _NOT_GIVEN:
        return False
    return bool(_given_names().get_gender(word) != "unknown")


@functools.lru_cache(maxsize=64)
def _lower_words(text: str) -> frozenset[str]:
    """The words a text writes in lower case (an ordinary word, where a capitalized one may be a name)."""
    return frozenset(re.findall(r"(?<![\w’'])[a-z][\w’']*", text))


_NOT_GIVEN = frozenset({"May", "Will", "Mark", "Grace", "Hope", "Faith", "Joy", "Storm", "Summer", "Rose"})


def _classify(text: str, start: int, name: str, persons: dict[str, str]) -> tuple[str, str]:
    if _TITLE_ONLY.match(name):
        return "office", name  # "the Foreign Secretary": an office, translated in every language
    title = _TITLE_PREFIX.match(name)
    tokens = name.split()
    cue_tokens = {_POSSESSIVE.sub("", t) for t in tokens}
    if cue_tokens & ORG_CUES:
        # "Sheriff's Department Sgt. Darren Moss": a person after an organisation's name.
        inner = re.search(rf"\b(?:{PERSON_TITLES})\s+([A-Z]\w+(?:\s+[A-Z]\w+)+)$", name)
        if inner and not set(inner.group(1).split()) & ORG_CUES:
            return "person", inner.group(1)
        return "org", name
    if title:
        rest = name[title.end() :]
        if rest:
            return "person", rest
        return "other", ""
    bare = _POSSESSIVE.sub("", name)
    if is_place(bare):
        return "place", name
    if bare in persons or (len(tokens) == 1 and any(p.endswith(" " + bare) for p in persons.values())):
        return "person", name
    after = text[start + len(name) : start + len(name) + 12]
    if (
        2 <= len(tokens) <= 4
        and all(t[0].isupper() for t in tokens)
        and not bare.isupper()
        and is_given_name(tokens[0], text)
    ):
        return "person", name
    if bare.isupper() and len(bare) >= 2:
        return "org", name
    if _PLACE_BEFORE.search(text[max(0, start - 12) : start]):
        return "place", name
    if _PERSON_AFTER.match(after) and not (len(tokens) == 1 and bare.endswith("s")):
        return "person", name  # ("the Greeks, the offer": a people, no person)
    return "other", name
