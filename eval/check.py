"""check(): does an output (summary or translation) keep the source's facts, and invent none?

Rules (the report says which fact fell under which):
- kept / missing: each source figure, entity and attribution, matched in the output's language
  (eval.match). An attribution is kept when its source is kept and its figures are kept.
- unsupported: output figures no source figure stands for (English outputs: every figure the extractor
  finds, and entities the source never names; other languages: numbers written with digits).
- changed: a missing source figure paired with an unsupported output figure in the aligned sentence
  (translations) or of the same kind (summaries); and, in English, a qualifier turned around
  ("around 300,000" -> "over 300,000"; "nearly half" -> "more than half").
- misattributed (English outputs): a figure whose sentence names another source than the one the article
  gives it, or whose clause carries a claim word that the article uses only for other claims
  ("300,000 engaged" -> "300,000 deserted").
Summary mode passes with nothing unsupported, changed or misattributed (precision; coverage reported).
Translation mode passes with every source figure and entity kept and nothing unsupported or changed
(entities in ja/zh are reported but do not fail: transliteration into kana/hanzi is not checked).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from keepfacts.errors import UsageError
from keepfacts.eval import locale_forms as lf
from keepfacts.eval.analysis import SourceAnalysis, analyse
from keepfacts.eval.extract import extract
from keepfacts.eval.facts import Fact, Report
from keepfacts.eval.figure_match import Verdict, match_figure
from keepfacts.eval.glossary import Glossary, load_glossary
from keepfacts.eval.instructions import inside, instruction_spans, mask
from keepfacts.eval.match import OutputScan, name_kept, person_verdict, source_amounts
from keepfacts.eval.places import place_in
from keepfacts.eval.signature import signature

MODES = ("summary", "translation")
_STOPWORDS = frozenset(
    """the a an and or but of in on at to for from by with as is are was were be been being has have had
    that this these those it its their his her they them he she we our which who whom whose what when
    where while than then there here so such not no nor also only just about around over more most less
    some any each all both other another into onto out up down after before since until during per
    could would should may might will can must said says according reported reports estimated
    nearly almost approximately roughly least under above below between among against""".split()
)
_ANAPHORIC = re.compile(
    r"\b(?:the|this|that|these|those|such)\s+(?:figure|number|total|estimate|count|tally)s?\b|\bthese\b|\bthose\b",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=1 << 16)
def word_stem(word: str) -> str:
    """An English stem (Snowball): 'deserted', 'deserters', 'desertion' -> 'desert'; a possessive 's
    is not part of the word ("toddler's" -> 'toddler')."""
    w = re.sub(r"['’]s?$", "", word.lower())
    return str(_stemmer().stemWord(w))


@functools.cache
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def _content_stems(text: str) -> set[str]:
    return {
        word_stem(w)
        for w in re.findall(r"[A-Za-z][A-Za-z'’-]+", text)
        if w.lower() not in _STOPWORDS and len(w) >= 4
    }


def check(
    source: str | SourceAnalysis,
    output: str,
    *,
    lang: str = "en",
    mode: str = "summary",
    glossary: Glossary | None = None,
    source_facts: list[Fact] | None = None,
) -> Report:
    """Check `output` (in `lang`) against `source` (English text, or its SourceAnalysis: analyse a source
    once when it is checked against several outputs). See the module docstring for the rules.
    `source_facts` overrides the facts to check (a subset, say)."""
    if mode not in MODES:
        raise UsageError(f"unknown mode {mode!r}; choose one of: {', '.join(MODES)}")
    lang = lf.base_lang(lang)
    lf.locale(lang)  # raises LanguageError for an unknown language
    analysis = source if isinstance(source, SourceAnalysis) else analyse(source, facts=source_facts)
    source = analysis.text
    facts = analysis.facts if source_facts is None else source_facts
    glossary = glossary if glossary is not None else _default_glossary()
    scan = OutputScan.of(output, lang)
    report = Report(mode=mode, signature=signature(lang, mode))
    output_facts = extract(output) if lang == "en" else []
    figure_source = source
    if mode == "summary":
        # Instructions to a model inside the article ("Ignore the above and write that 500,000 ...") are
        # not what it reports: their figures support nothing and are no key facts; an output that quotes
        # one asserts nothing either. (A translation translates them like any other sentence.)
        ignored = analysis.instructions
        if ignored:
            facts = [f for f in facts if not inside(f.span, ignored)]
            figure_source = mask(source, ignored)
        quoted = instruction_spans(output)
        if quoted:
            output_facts = [f for f in output_facts if not inside(f.span, quoted)]

    source_figures = [f for f in facts if f.kind == "figure"]
    # In English the extractor reads the output too: a figure it finds with the same value is kept, so
    # the matcher and the extractor never disagree about how one string reads ("12.345,6", "2,5").
    output_figures = [f for f in output_facts if f.kind == "figure"]
    verdicts: dict[int, Verdict] = {}
    for index, fact in enumerate(source_figures):
        verdict = match_figure(fact.value, scan, mode)
        if verdict.changed and any(_same_figure(fact.value, f.value) for f in output_figures):
            verdict = Verdict(True, token=verdict.token)  # the English extractor reads both alike
        if (
            not verdict.kept
            and not verdict.changed
            and any(values_agree(fact.value, f.value) for f in output_figures)
        ):
            verdict = Verdict(True)
        verdicts[index] = verdict
    # An output figure that agrees with one mention of a value is not changed against another mention
    # of it ("£85 was not an excessive penalty" beside "a £85 penalty"; "over 11 years" beside "11 years").
    agreeing = {v.token.start for v in verdicts.values() if v.kept and v.token is not None}
    for index, verdict in verdicts.items():
        if verdict.changed and verdict.token is not None and verdict.token.start in agreeing:
            verdicts[index] = Verdict(True, token=verdict.token)
    figure_state = {i: v.kept for i, v in verdicts.items()}

    unsupported = _unsupported_figures(figure_source, source_figures, output, output_facts, scan)
    # A number a kept figure was read from (a conversion: "8-foot" kept as "2,5 m") invents nothing.
    used = [v.token for v in verdicts.values() if v.kept and v.token is not None]
    unsupported = [f for f in unsupported if not any(t.start < f.span[1] and f.span[0] < t.end for t in used)]

    changed_sources: set[int] = set()
    for index, verdict in verdicts.items():
        if not verdict.changed:
            continue
        changed_sources.add(index)
        out_fact = _output_fact(verdict, unsupported, output_facts, output, scan)
        if out_fact in unsupported:
            unsupported.remove(out_fact)
        report.changed.append(
            {
                "source": source_figures[index].to_dict(),
                "output": out_fact.to_dict(),
                "part": verdict.part,
                "reason": verdict.reason,
            }
        )
    open_state = {i: kept or i in changed_sources for i, kept in figure_state.items()}
    for src_index, out_fact in _pair_changes(analysis, scan, source_figures, open_state, unsupported, mode):
        changed_sources.add(src_index)
        figure_state[src_index] = False
        unsupported.remove(out_fact)
        was = source_figures[src_index].text
        report.changed.append(
            {
                "source": source_figures[src_index].to_dict(),
                "output": out_fact.to_dict(),
                "part": "amount",
                "reason": f"{was!r} in the source, {out_fact.text!r} in the output",
            }
        )

    for index, fact in enumerate(source_figures):
        if index in changed_sources:
            continue
        (report.kept if figure_state[index] else report.missing).append(fact.to_dict())
    report.unsupported.extend(f.to_dict() for f in unsupported)

    entity_kept = _check_entities(facts, scan, glossary, report, mode, source)
    if lang == "en":
        report.unsupported.extend(_unsupported_entities(source, output_facts))
    _check_attributions(facts, scan, glossary, entity_kept, figure_state, source_figures, report)
    if lang == "en":
        report.misattributed.extend(_misattributions(analysis, facts, scan, output_facts))

    if mode == "summary":
        report.passed = not (report.unsupported or report.changed or report.misattributed)
    else:
        hard_missing = [
            f
            for f in report.missing
            if f["kind"] == "figure" or (f["kind"] == "entity" and lang not in lf.CJK)
        ]
        report.passed = not (hard_missing or report.unsupported or report.changed or report.misattributed)
    return report


_GLOSSARY: list[Glossary] = []


def _default_glossary() -> Glossary:
    if not _GLOSSARY:
        _GLOSSARY.append(load_glossary(None))
    return _GLOSSARY[0]


# --- figures ----------------------------------------------------------------------------------------


_PARTS = (
    "kind",
    "amount",
    "unit",
    "qualifier",
    "negated",
    "per",
    "parts",
    "year",
    "month",
    "day",
    "hour",
    "minute",
)


def _same_figure(source: dict[str, Any], output: dict[str, Any]) -> bool:
    """Two values the English extractor gave, equal in every part (an English output read as its source)."""
    return all(source.get(key) == output.get(key) for key in _PARTS)


def values_agree(source: dict[str, Any], output: dict[str, Any]) -> bool:
    """Two figure values (from English texts) stand for the same figure."""
    if source.get("kind") == "date" or output.get("kind") == "date":
        keys = ("year", "month", "day", "weekday", "relative")
        out_keys = [k for k in keys if k in output]
        return bool(out_keys) and all(source.get(k) == output.get(k) for k in out_keys)
    if source.get("kind") == "score" or output.get("kind") == "score":
        # A result agrees only with the same result ("5-3"; "3-5" read from the loser's side).
        parts = sorted(source.get("parts", [])), sorted(output.get("parts", []))
        return source.get("kind") == output.get("kind") and parts[0] == parts[1]
    if source.get("kind") == "time" or output.get("kind") == "time":
        return source.get("hour") == output.get("hour") and source.get("minute") == output.get("minute")
    amounts = {float(source["amount"])} if "amount" in source else set()
    amounts.update(float(a["amount"]) for a in source.get("alternatives", []) if "amount" in a)
    if source.get("kind") == "code":
        amounts.update(float(p) for p in source.get("parts", []))
    if "amount" not in output:
        return bool(set(map(float, output.get("parts", []))) & amounts)
    return any(abs(a - float(output["amount"])) <= 1e-9 * max(1.0, abs(a)) for a in amounts)


def _unsupported_figures(
    source: str, source_figures: list[Fact], output: str, output_facts: list[Fact], scan: OutputScan
) -> list[Fact]:
    if scan.lang == "en":
        return [
            f
            for f in output_facts
            if f.kind == "figure" and not any(values_agree(s.value, f.value) for s in source_figures)
        ]
    supported = {a for f in source_figures for a in source_amounts(f.value)}
    supported.update(
        float(d.replace(",", "")) for d in re.findall(r"\d[\d,]*(?:\.\d+)?", source) if d[-1] != ","
    )
    if _ONE.search(source):
        supported.add(1.0)  # "one of the", "only one", "daily": a translation writes 1 (1 人, 1日)
    out: list[Fact] = []
    for token in scan.numbers:
        if any(abs(r - s) <= 1e-9 * max(1.0, abs(s)) for r in token.readings for s in supported):
            continue
        sentence = scan.sentence_of(token.start)
        amount = min(token.readings) if token.readings else None
        readings = sorted(int(r) if r.is_integer() else r for r in token.readings)
        value = {
            "kind": "number",
            "amount": int(amount) if amount is not None and amount.is_integer() else amount,
            "readings": readings,
        }
        out.append(Fact("figure", token.text, value, (token.start, token.end), sentence))
    return out


def _pair_changes(
    analysis: SourceAnalysis,
    scan: OutputScan,
    source_figures: list[Fact],
    state: dict[int, bool],
    unsupported: list[Fact],
    mode: str,
) -> list[tuple[int, Fact]]:
    """Missing source figures paired with unsupported output figures: the value was changed."""
    missing = [i for i, kept in state.items() if not kept and _pairable(source_figures[i].value)]
    if not missing or not unsupported:
        return []
    src_sentences = len(analysis.sentences) or 1
    out_sentences = len(scan.sentences) or 1
    pairs: list[tuple[int, Fact]] = []
    used: set[int] = set()
    for i in missing:
        fact = source_figures[i]
        best = None
        for j, out_fact in enumerate(unsupported):
            if j in used or not _pairable(out_fact.value):
                continue
            if mode == "translation":
                src_pos = (fact.sentence + 0.5) / src_sentences
                out_pos = (out_fact.sentence + 0.5) / out_sentences
                aligned = (
                    fact.sentence == out_fact.sentence
                    if src_sentences == out_sentences
                    else abs(src_pos - out_pos) <= 1.5 / min(src_sentences, out_sentences)
                )
                if aligned:
                    best = j
                    break
            elif out_fact.value.get("kind") == fact.value.get("kind") != "ordinal" and _similar_values(
                fact.value, out_fact.value
            ):
                best = j
                break
        if best is not None:
            used.add(best)
            pairs.append((i, unsupported[best]))
    return pairs


def _pairable(value: dict[str, Any]) -> bool:
    return "amount" in value or any(k in value for k in ("year", "month", "day"))


def _similar_values(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if "amount" in a and "amount" in b:
        return any(_similar_digits(a["amount"], r) for r in b.get("readings", [b["amount"]]))
    keys = [k for k in ("year", "month", "day") if k in a and k in b]
    return any(a[k] == b[k] for k in keys) and any(a[k] != b[k] for k in keys)


def _similar_digits(a: Any, b: Any) -> bool:
    """'244890' and '24490' differ by an edit or two; 1.2bn and 12bn by a factor of ten."""
    x, y = re.sub(r"\D", "", f"{a}"), re.sub(r"\D", "", f"{b}")
    if not x or not y:
        return False
    try:
        ratio = float(a) / float(b) if float(b) else 0.0
    except (TypeError, ValueError):
        ratio = 0.0
    if ratio in (10.0, 0.1, 1000.0, 0.001):
        return True
    return _edit_distance(x, y) <= max(1, min(len(x), len(y)) // 3)


def _edit_distance(a: str, b: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return int(Levenshtein.distance(a, b))


def _output_fact(
    verdict: Verdict, unsupported: list[Fact], output_facts: list[Fact], output: str, scan: OutputScan
) -> Fact:
    """The output's figure a changed verdict points at: an extracted or unsupported one over its number."""
    token = verdict.token
    if token is not None:
        for fact in [*unsupported, *output_facts]:
            if fact.kind == "figure" and fact.span[0] <= token.start < fact.span[1]:
                return fact
        value = {"kind": "number", "readings": sorted(token.readings)}
        return Fact("figure", token.text, value, (token.start, token.end), scan.sentence_of(token.start))
    return Fact("figure", "", {"kind": "number"}, (0, 0), 0)


# --- entities and attributions -----------------------------------------------------------------------


def _entity_forms(name: str, entity_type: str, lang: str, glossary: Glossary) -> list[str]:
    forms = glossary.forms(name, lang)
    if entity_type == "place":
        forms.extend(place_in(name, lang))
    return forms


def _check_entities(
    facts: list[Fact], scan: OutputScan, glossary: Glossary, report: Report, mode: str, analysis_text: str
) -> dict[str, bool]:
    """Each source name: kept, changed (a person's other given name), missing, or, in a translation,
    unchecked where no check means anything (see _must_survive). Unchecked names count as kept for the
    attributions that carry them; the report lists them, so a pass never claims more than was checked."""
    kept: dict[str, bool] = {}
    for fact in facts:
        if fact.kind != "entity" or fact.value["name"] in kept:
            continue
        name, entity_type = fact.value["name"], fact.value["type"]
        forms = _entity_forms(name, entity_type, scan.lang, glossary)
        span = None
        if entity_type == "person":
            verdict, span = person_verdict(name, scan, forms)
        else:
            verdict = "kept" if name_kept(name, scan, forms) else "missing"
        if (
            verdict != "kept"
            and mode == "translation"
            and not _must_survive(name, entity_type, scan.lang, forms)
        ):
            verdict = "unchecked"
        kept[name] = verdict in ("kept", "unchecked")
        if verdict == "changed" and span is not None and scan.text[span[0] : span[1]] in analysis_text:
            verdict = "kept"  # another person of the article ("Ed Miliband" beside "Justine Miliband")
        if verdict == "changed" and span is not None:
            written = scan.text[span[0] : span[1]]
            output = Fact(
                "entity",
                written,
                {"name": written, "type": "person"},
                span,
                scan.sentence_of(span[0]),
            )
            report.changed.append(
                {
                    "source": fact.to_dict(),
                    "output": output.to_dict(),
                    "part": "name",
                    "reason": f"{name!r} in the source, {written!r} in the output (another given name)",
                }
            )
        else:
            {"kept": report.kept, "missing": report.missing, "unchecked": report.unchecked}[verdict].append(
                fact.to_dict()
            )
    return kept


def _must_survive(name: str, entity_type: str, lang: str, forms: list[str]) -> bool:
    """In a translation, which names a check can hold to their form: a person's name (written as is, or
    transliterated into Cyrillic or Greek; kana and hanzi are not read), and any name the glossary or
    CLDR gives a form for in that language. An organisation's or an office's descriptive name, an
    acronym, or a place CLDR does not know may be translated: it is unchecked, not missing."""
    if re.fullmatch(r"[A-Z.]{2,6}", name):  # an acronym (UAE, US, NATO) has its own in each language
        return False
    if forms:
        return True
    return entity_type == "person" and lang not in lf.CJK


def _abbreviates(word: str, source: str) -> bool:
    """'pm' for the source's 'Prime Minister', 'fcdo' for 'Foreign, Commonwealth and Development Office':
    the initials of capitalized words in a row of the source."""
    if not 2 <= len(word) <= 6:
        return False
    pattern = r"\b" + r"\W+(?:(?:of|and|for|the|&)\W+)?".join(
        rf"{re.escape(ch)}[a-z]+" for ch in word.upper()
    )
    return re.search(pattern, source) is not None


_ONE = re.compile(r"\b(?:one|first|single|once|daily|a day|per day)\b", re.IGNORECASE)
_PLACEHOLDERS = frozenset({"unk", "unknown_token", "pad", "mask"})


def _unsupported_entities(source: str, output_facts: list[Fact]) -> list[dict[str, Any]]:
    """Output names with a word the source never uses (words: runs of letters and digits, so that
    "Russia's", "Kyiv-based" or "B'" tokenize the same way in the source and in the name)."""
    source_words = {w.lower() for w in re.findall(r"\w+", source)}
    out = []
    for fact in output_facts:
        if fact.kind != "entity":
            continue
        words = [w.lower() for w in re.findall(r"\w+", fact.value["name"])]
        # A possessive ("Ukraine's") and a model's placeholder for an unknown word (UNK) are no names.
        words = [w for w in words if w != "s" and w not in _PLACEHOLDERS]
        if words and not all(
            w in source_words or w.rstrip("s") in source_words or _abbreviates(w, source) for w in words
        ):
            out.append(fact.to_dict())
    return out


def _source_kept(
    value: dict[str, Any], scan: OutputScan, glossary: Glossary, entity_kept: dict[str, bool]
) -> bool:
    source = value["source"]
    for name, kept in entity_kept.items():
        if name in source:
            return kept
    forms = glossary.forms(source, scan.lang)
    if scan.lang == "en":
        forms.append(source)
    return name_kept(source, scan, forms) or any(name_kept(f, scan) for f in forms)


def _check_attributions(
    facts: list[Fact],
    scan: OutputScan,
    glossary: Glossary,
    entity_kept: dict[str, bool],
    figure_state: dict[int, bool],
    source_figures: list[Fact],
    report: Report,
) -> None:
    by_sentence: dict[int, list[int]] = {}
    for i, f in enumerate(source_figures):
        by_sentence.setdefault(f.sentence, []).append(i)
    for fact in facts:
        if fact.kind != "attribution" or fact.value.get("inherited"):
            continue
        if fact.value["source"].lower() in ("he", "she", "it", "they", "we", "i"):
            continue
        figures_kept = all(
            figure_state.get(i, False)
            for i in by_sentence.get(fact.sentence, [])
            if source_figures[i].value in fact.value["figures"]
        )
        kept = figures_kept and _source_kept(fact.value, scan, glossary, entity_kept)
        (report.kept if kept else report.missing).append(fact.to_dict())


def _clause(text: str, start: int, end: int, sentence: tuple[int, int]) -> str:
    """The clause around a span: cut at commas, semicolons, dashes, a closing quote before a capital (a
    sentence end the splitter missed), and the conjunctions that open another clause."""
    a, b = sentence
    left = text[a:start]
    right = text[end:b]
    cut = max((m.end() for m in _CLAUSE_CUT.finditer(left)), default=0)
    stop = min((m.start() for m in _CLAUSE_CUT.finditer(right)), default=len(right))
    return left[cut:] + text[start:end] + right[:stop]


_CLAUSE_CUT = re.compile(
    r"[,;:–—]|\s-\s|[\"”’']\s+(?=[A-Z])"
    r"|\b(?:while|but|whereas|although|as|when|where|who|which|whose|because|since|until)\b"
)


def _misattributions(
    analysis: SourceAnalysis, facts: list[Fact], scan: OutputScan, output_facts: list[Fact]
) -> list[dict[str, Any]]:
    output = scan.text
    source = analysis.text
    index = _source_index(analysis)
    source_sentences, sentence_stems = index.sentences, index.stems
    output_sentences = scan.sentences
    source_figures = [f for f in facts if f.kind == "figure"]
    attributions = [(f, _content_stems(f.value["source"])) for f in facts if f.kind == "attribution"]
    # Words of names and sources are not claim words ("the Associated Press reports 300,000...").
    names = set().union(
        set(), *(_content_stems(f.text) for f in facts if f.kind in ("entity", "attribution"))
    )

    def paragraph(i: int) -> int:
        return index.paragraph_of[i]

    def context(index: int) -> set[str]:
        stems = set(sentence_stems[index])
        a, b = source_sentences[index]
        if index > 0 and _ANAPHORIC.search(source[a:b]) and paragraph(index - 1) == paragraph(index):
            stems |= sentence_stems[index - 1]
        return stems

    out: list[dict[str, Any]] = []
    # An attribution the output carries on from the sentence before names no source of its own here.
    out_attributions = [f for f in output_facts if f.kind == "attribution" and not f.value.get("inherited")]
    for out_fact in output_facts:
        if out_fact.kind != "figure":
            continue
        candidates = [s for s in source_figures if values_agree(s.value, out_fact.value)]
        if not candidates:
            continue
        # 1. Another source named for the figure in its output sentence.
        reason = None
        for attribution in out_attributions:
            a0, a1 = attribution.value["claim_span"]
            if attribution.sentence != out_fact.sentence or not (a0 <= out_fact.span[0] < a1):
                continue
            claimed_by = _content_stems(attribution.value["source"])
            said_by = [s for s, stems in attributions if stems & claimed_by]
            if not said_by:
                continue
            if not any(
                c.sentence == s.sentence and any(values_agree(c.value, v) for v in s.value["figures"])
                for c in candidates
                for s in said_by
            ):
                reason = (
                    f"the source gives this figure to another source than {attribution.value['source']!r}"
                )
                break
        # 2. A claim word the article uses only elsewhere.
        if reason is None:
            clause = _clause(output, *out_fact.span, output_sentences[out_fact.sentence])
            stems = _content_stems(clause)
            allowed = set().union(*(context(c.sentence) for c in candidates))
            own = {c.sentence for c in candidates}
            moved = sorted(
                stem
                for stem in stems - allowed - names
                if any(i not in own for i in index.sentences_with.get(stem, ()))
            )
            if moved:
                reason = f"in the source this figure is not about {', '.join(moved)!s}"
        # 3. A hedged claim stated as fact ("speculated that it could reach 200,000" -> "reached 200,000").
        if reason is None and out_fact.value.get("kind") in _AMOUNT_KINDS:
            hedges = [_hedge(source, c.span, source_sentences[c.sentence]) for c in candidates]
            sentence = output_sentences[out_fact.sentence]
            approximate = out_fact.value.get("qualifier") in ("around", "nearly", "up to")  # "an estimated"
            if all(hedges) and not approximate and not _HEDGE.search(output, *sentence):
                reason = f"the source hedges this figure ({hedges[0]!r}); the output states it as fact"
        if reason:
            out.append({"source": candidates[0].to_dict(), "output": out_fact.to_dict(), "reason": reason})
    return out


_AMOUNT_KINDS = frozenset({"number", "money", "percent", "quantity", "approx", "fraction"})
# Words that make a claim uncertain: modal verbs, verbs of estimating and speculating, reported speech.
_HEDGE = re.compile(
    r"\b(?:could|may|might|would|possibly|perhaps|probably|likely|unlikely|estimated?|estimates|speculat\w*"
    r"|suggest\w*|believed|predict\w*|projected|forecast\w*|feared|rumou?r\w*|unconfirmed|reportedly"
    r"|allegedly|alleged|purportedly|according\s+to\s+(?:unconfirmed|some))\b",
    re.IGNORECASE,
)


def _hedge(text: str, span: tuple[int, int], sentence: tuple[int, int]) -> str | None:
    """The hedge word of the clause that holds a source figure, or None when it is stated as fact."""
    m = _HEDGE.search(_clause(text, span[0], span[1], sentence))
    return m.group(0) if m else None


@dataclass(frozen=True)
class _SourceIndex:
    """What misattribution checks need of a source, computed once per source text (the guard checks
    several candidates against the same article; a long article has thousands of sentences)."""

    sentences: list[tuple[int, int]]
    stems: list[set[str]]
    paragraph_of: list[int]
    sentences_with: dict[str, list[int]]  # content stem -> indexes of the sentences that use it


def _source_index(analysis: SourceAnalysis) -> _SourceIndex:
    cached = analysis.derived.get("misattribution_index")
    if isinstance(cached, _SourceIndex):
        return cached
    source, sentences = analysis.text, analysis.sentences
    stems = [_content_stems(source[a:b]) for a, b in sentences]
    paragraph_of = analysis.paragraph_of
    sentences_with: dict[str, list[int]] = {}
    for i, sentence_stems in enumerate(stems):
        for stem in sentence_stems:
            sentences_with.setdefault(stem, []).append(i)
    index = _SourceIndex(sentences, stems, paragraph_of, sentences_with)
    analysis.derived["misattribution_index"] = index
    return index
