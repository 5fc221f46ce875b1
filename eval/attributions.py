"""Attributions in English text: who reported or said what, tied to the claim and the figures in it.

Forms, one sentence at a time:
- pre-posed: "X said/reports/notes/stated/estimated/speculated (that) CLAIM", with appositives skipped
  ("The Associated Press, in its report..., notes that"; "Alexander Kovalenko, a military analyst, stated");
- post-posed: "CLAIM, X said." / '"CLAIM," X said in a talk.' / "CLAIM, said X.";
- "according to X" before or after the claim;
- impersonal ("It is estimated that CLAIM") and anaphoric follow-ups ("Nearly half of these soldiers...")
  inherit the source of the sentence before them in the same paragraph (marked "inherited").
Pronoun sources (he, she, it, they) resolve to the latest named source before them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

VERBS = (
    "said|says|say|told|tells|tell|added|adds|reported|reports|report|noted|notes|note|stated|states|"
    "announced|announces|announce|estimated|estimates|estimate|speculated|speculates|claimed|claims|claim|"
    "confirmed|confirms|warned|warns|explained|explains|wrote|writes|argued|argues|believes|believe|"
    "suggested|suggests|indicated|indicates|indicating|suggesting|saying|insisted|insists|revealed|reveals|"
    "disclosed|declared|declares|assessed|assesses|assess|predicted|predicts|alleged|alleges|"
    "acknowledged|admitted|announcing|according"
)
_AUX = r"(?:(?:has|have|had|will|would|could|also|earlier|previously|reportedly|then|recently|"
_AUX += r"publicly|repeatedly|later|first)\s+)*"
_VERB = re.compile(rf"(?<![\w-])({_AUX})({VERBS})\b(?!\s+to\b)", re.IGNORECASE)
_ACCORDING = re.compile(r"\baccording\s+to\s+([^,;.:“”\"]+?)(?=\s*(?:[,;:“”\"]|\.\s|\.$|$))", re.I)
_INVERTED = re.compile(rf",\s*({VERBS})\s+([^,;]+?)\s*[.!?]?[\"”]?$", re.IGNORECASE)
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|is|are|been|be|being|it's)\s+$", re.IGNORECASE)
# A noun, not a verb, after these: "the two states", "its report", "several states".
_DETERMINER_BEFORE = re.compile(
    r"\b(?:a|an|the|its|his|her|their|our|this|that|latest|in|of|new|two|three|four|five|several|many|some|"
    r"both|all|these|those|other|more|\d+)\s+$",
    re.I,
)
# A subject does not start or end with these ("to tell", "come and speak to us and say").
_BAD_SUBJECT_START = re.compile(
    r"^(?:where|was|were|is|are|of|to|come|and|but|or|if|when|while|which|who|that|personally|died|also|"
    r"we\s+cannot|it\s+is)\b",
    re.I,
)
_BAD_SUBJECT_END = re.compile(r"\b(?:to|and|or|both|have|has|had|not|cannot|can|will|would|is|was|it)$", re.I)
_IMPERSONAL = re.compile(
    r"^\s*(?:it\s+is|it\s+was|it\s+has\s+been)\s+(?:estimated|reported|believed|thought|said|understood|"
    r"expected|claimed)\b",
    re.IGNORECASE,
)
_ANAPHORA = re.compile(r"\b(?:these|those|this|that|the figure|the number|such)\b", re.IGNORECASE)
_INTRO = re.compile(
    r"^\s*(?:according|on|in|at|after|before|during|over|since|so far|meanwhile|however|by|for|from|with|"
    r"while|when|as|last|this|earlier|later|also|but|and|yet|still|then|now|today|yesterday|under|unlike|"
    r"despite|although|commenting|speaking|underlining|asked)\b",
    re.IGNORECASE,
)
PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i"})
_QUOTE_CHARS = "\"“”‘’'"


@dataclass
class AttributionMatch:
    source: str
    source_span: tuple[int, int]
    claim_span: tuple[int, int]
    verb: str
    descriptive: bool = False
    quote: bool = False
    inherited: bool = False
    resolved: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _clean_source(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in _QUOTE_CHARS + ","):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _QUOTE_CHARS + ",."):
        end -= 1
    return start, end


def _is_descriptive(source: str) -> bool:
    words = [w for w in re.findall(r"[\w’']+", source) if w.lower() not in ("the", "a", "an", "and", "some")]
    return (
        not words
        or not any(w[0].isupper() for w in words[:3])
        or source.split()[0].lower() in ("a", "an", "some")
    )


def _pre_posed_subject(text: str, a: int, verb_start: int) -> tuple[int, int] | None:
    """The subject before a verb: the first comma segment of the clause that is not an intro phrase."""
    region_start = a
    for marker in re.finditer(r"[;:“”\"]|\bthat\b|\bwhich\b|\bwho\b|\bwhile\b|\bbut\b", text[a:verb_start]):
        region_start = a + marker.end()
    segments = []
    cursor = region_start
    for comma in re.finditer(",", text[region_start:verb_start]):
        segments.append((cursor, region_start + comma.start()))
        cursor = region_start + comma.end()
    segments.append((cursor, verb_start))
    # Nearest segment first; intro phrases and appositives ("a military analyst based in Kyiv") are skipped.
    for position, (seg_start, seg_end) in reversed(list(enumerate(segments))):
        chunk = text[seg_start:seg_end]
        if not chunk.strip():
            continue
        if position > 0 and re.match(r"\s*(?:a|an)\s", chunk, re.IGNORECASE):
            continue
        if _INTRO.match(chunk) and not re.match(r"\s*according", text[seg_start:verb_start], re.I):
            # "with reports indicating": the noun after the preposition is the subject of a participle.
            if seg_end == verb_start and len(chunk.split()) <= 8 and re.match(r"\s*with\b", chunk, re.I):
                inner = re.match(r"\s*with\s+", chunk, re.I)
                assert inner is not None
                return _clean_source(text, seg_start + inner.end(), seg_end)
            continue
        if len(chunk.split()) > 12:
            return None
        return _clean_source(text, seg_start, seg_end)
    return None


def find_attributions(
    text: str, sentence_spans: list[tuple[int, int]], paragraph_of: list[int]
) -> list[AttributionMatch]:
    """Attributions in each sentence. paragraph_of[i] is the paragraph index of sentence i."""
    found: list[AttributionMatch] = []
    by_sentence: dict[int, list[AttributionMatch]] = {}
    last_named: str | None = None
    for index, (a, b) in enumerate(sentence_spans):
        sentence = text[a:b]
        matches = _in_sentence(text, a, b)
        for match in matches:
            if match.source.lower() in PRONOUNS:
                match.resolved = last_named
            elif not match.descriptive:
                last_named = match.source
        if not matches and index > 0 and paragraph_of[index] == paragraph_of[index - 1]:
            previous = by_sentence.get(index - 1, [])
            if previous and (_IMPERSONAL.match(sentence) or _ANAPHORA.search(sentence)):
                for p in previous:
                    if p.descriptive and p.verb.lower() == "according" and not _IMPERSONAL.match(sentence):
                        continue
                    matches.append(
                        AttributionMatch(
                            source=p.source,
                            source_span=p.source_span,
                            claim_span=(a, b),
                            verb=p.verb,
                            descriptive=p.descriptive,
                            inherited=True,
                            resolved=p.resolved,
                        )
                    )
        by_sentence[index] = matches
        found.extend(matches)
    return found


def _in_sentence(text: str, a: int, b: int) -> list[AttributionMatch]:
    sentence = text[a:b]
    out: list[AttributionMatch] = []
    taken: list[tuple[int, int]] = []

    for m in _ACCORDING.finditer(sentence):
        s, e = _clean_source(text, a + m.start(1), a + m.end(1))
        if e <= s:
            continue
        before = sentence[: m.start()].strip(" ,")
        claim = (a, a + m.start()) if len(before.split()) >= 3 else (a + m.end(), b)
        out.append(_make(text, s, e, claim, "according"))
        taken.append((a + m.start(), a + m.end()))

    inverted = _INVERTED.search(sentence)
    if inverted and len(inverted.group(2).split()) <= 12 and inverted.group(2)[:1].isupper():
        s, e = _clean_source(text, a + inverted.start(2), a + inverted.end(2))
        out.append(_make(text, s, e, (a, a + inverted.start()), inverted.group(1)))
        return out

    for m in _VERB.finditer(sentence):
        verb = m.group(2)
        verb_start = a + m.start()
        if verb.lower() == "according" or any(s <= verb_start < e for s, e in taken):
            continue
        if _PASSIVE_BEFORE.search(sentence[: m.start()]) or (
            not m.group(1) and _DETERMINER_BEFORE.search(sentence[: m.start()])
        ):
            continue
        after = sentence[m.end() :]
        before_text = sentence[: m.start()].rstrip()
        cut = max(before_text.rfind(ch) for ch in ',”"’')
        pre_posed = (
            bool(re.match(r"\s*(?:that\b|:|,|“|\")", after))
            or bool(re.match(r"(?:\W*\w+){0,4}?\W+that\b", after))
            or cut < 0
            or len(after.split()) > 9
            or len(text[a + cut + 1 : verb_start].split()) > 10
            or len(before_text[:cut].split()) < 3
            or bool(_INTRO.match(before_text[:cut]) and "," not in before_text[:cut])
        )
        subject: tuple[int, int] | None
        if pre_posed:
            subject = _pre_posed_subject(text, a, verb_start)
            claim = (a + m.end(), b)
        else:
            subject = _clean_source(text, a + cut + 1, verb_start)
            claim = (a, a + cut)
            if len(text[subject[0] : subject[1]].split()) > 10:
                subject = None
        if subject is None or subject[1] <= subject[0]:
            continue
        source = text[subject[0] : subject[1]]
        if (
            not re.search(r"[A-Za-z]", source)
            or source.lower() in ("that", "this", "which")
            or re.search(r"[\d$£€%]", source)
            or _BAD_SUBJECT_START.match(source)
            or _BAD_SUBJECT_END.search(source)
        ):
            continue
        out.append(_make(text, subject[0], subject[1], claim, verb))
        taken.append((subject[0], a + m.end()))
    return out


def _make(text: str, start: int, end: int, claim: tuple[int, int], verb: str) -> AttributionMatch:
    source = text[start:end]
    quote = any(ch in text[claim[0] : claim[1]] for ch in '“”"')
    return AttributionMatch(
        source=source,
        source_span=(start, end),
        claim_span=claim,
        verb=verb.lower(),
        descriptive=_is_descriptive(source) and source.lower() not in PRONOUNS,
        quote=quote,
    )
