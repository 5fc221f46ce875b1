"""check(): does an output (summary or translation) keep the source's facts, and invent none?

Rules (the report says which fact fell under which):
- kept / missing: each source figure, entity and attribution, matched in the output's language
  (eval.match). An attribution is kept when its source is kept and its figures are kept.
- unsupported: output figures no source figure stands for (English outputs: every figure the extractor
  finds, and entities the source never names; other languages: numbers written with digits).
- changed: a missing source figure paired with an unsupported output figure in the aligned sentence
  (translations) or of the same kind (summaries); and, in English, a qualifier turned around
  ("around 300,000" -> "over 300,000"; "nearly half" -> "more than half").
- misattributed (eval.misattribution): in English, a figure whose clause names another source than the
  article gives it, or carries a claim word the article ties to another figure ("300,000 engaged" ->
  "300,000 deserted"), or a hedged claim stated as fact; in translations, a figure moved to another
  sentence's claim (two sources' figures swapped), or a hedged claim stated as fact (eval.hedges).
Summary mode passes with nothing unsupported, changed or misattributed (precision; coverage reported).
Translation mode passes with every source figure, name and attribution kept and nothing unsupported,
changed or misattributed. Names and sources a translation may render any way (an office, a descriptive
source without a glossary form, an everyday place name) are unchecked, never missing; in ja/zh names
and the attributions that carry them are reported but do not fail (kana/hanzi are not read).
"""

from __future__ import annotations

import re
from typing import Any

from keepfacts.errors import UsageError
from keepfacts.eval import locale_forms as lf
from keepfacts.eval.analysis import SourceAnalysis, analyse
from keepfacts.eval.entities import is_given_name
from keepfacts.eval.extract import extract
from keepfacts.eval.facts import Fact, Report
from keepfacts.eval.figure_match import Verdict, match_figure
from keepfacts.eval.figure_values import same_figure, values_agree
from keepfacts.eval.glossary import Glossary, load_glossary
from keepfacts.eval.instructions import inside, instruction_spans, mask
from keepfacts.eval.match import OutputScan, name_kept, person_verdict, source_amounts
from keepfacts.eval.misattribution import (
    english_misattributions,
    sentences_aligned,
    translation_misattributions,
)
from keepfacts.eval.places import is_everyday_alias, is_formal_in, place_in
from keepfacts.eval.signature import signature

MODES = ("summary", "translation")


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
        if verdict.changed and any(same_figure(fact.value, f.value) for f in output_figures):
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
        unsupported_names, unchecked_names = _unsupported_entities(source, output_facts)
        report.unsupported.extend(unsupported_names)
        report.unchecked.extend(unchecked_names)
    _check_attributions(facts, scan, glossary, entity_kept, figure_state, source_figures, report)
    if lang == "en":
        report.misattributed.extend(english_misattributions(analysis, facts, scan, output_facts))
    elif mode == "translation":
        report.misattributed.extend(translation_misattributions(analysis, source_figures, verdicts, scan))

    if mode == "summary":
        report.passed = not (report.unsupported or report.changed or report.misattributed)
    else:
        hard_missing = [
            f
            for f in report.missing
            if f["kind"] == "figure" or (f["kind"] in ("entity", "attribution") and lang not in lf.CJK)
        ]
        report.passed = not (hard_missing or report.unsupported or report.changed or report.misattributed)
    return report


_GLOSSARY: list[Glossary] = []


def _default_glossary() -> Glossary:
    if not _GLOSSARY:
        _GLOSSARY.append(load_glossary(None))
    return _GLOSSARY[0]


# --- figures ----------------------------------------------------------------------------------------


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
                aligned = sentences_aligned(fact.sentence, out_fact.sentence, src_sentences, out_sentences)
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
        # An everyday name CLDR spells otherwise, or a place CLDR calls by its formal long form here, is
        # held only to what the glossary says (a translator may write the everyday name).
        everyday = is_everyday_alias(name) or is_formal_in(name, scan.lang)
        held_to = glossary.forms(name, scan.lang) if everyday else forms
        if (
            verdict != "kept"
            and mode == "translation"
            and not _must_survive(name, entity_type, scan.lang, held_to)
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


def _unsupported_entities(
    source: str, output_facts: list[Fact]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Output names with a word the source never uses (words: runs of letters and digits, so that
    "Russia's", "Kyiv-based" or "B'" tokenize the same way in the source and in the name): (unsupported,
    unchecked). A person's given name the source never gives is unchecked, not unsupported, when the
    source names that person by surname alone ("Curtis", "Mr Salmond" -> "Alan Curtis")."""
    source_words = {w.lower() for w in re.findall(r"\w+", source)}
    unsupported, unchecked = [], []
    for fact in output_facts:
        if fact.kind != "entity":
            continue
        words = [w.lower() for w in re.findall(r"\w+", fact.value["name"])]
        # A possessive ("Ukraine's") and a model's placeholder for an unknown word (UNK) are no names.
        words = [w for w in words if w != "s" and w not in _PLACEHOLDERS]
        new = [
            w
            for w in words
            if not (w in source_words or w.rstrip("s") in source_words or _abbreviates(w, source))
        ]
        if not words or not new:
            continue
        if fact.value.get("type") == "person" and _surname_only(words, new, source):
            unchecked.append(fact.to_dict())
        else:
            unsupported.append(fact.to_dict())
    return unsupported, unchecked


def _surname_only(words: list[str], new: list[str], source: str) -> bool:
    """Whether only the leading given names of a person are new, and the source gives that surname no
    given name of its own."""
    if len(words) < 2 or new != words[: len(new)] or len(new) == len(words):
        return False
    surname = words[-1]
    before = re.findall(rf"\b([A-Z][\w'’-]+)\s+(?=(?i:{re.escape(surname)})\b)", source)
    return not any(is_given_name(w, source) for w in before)


def _source_kept(
    value: dict[str, Any], scan: OutputScan, glossary: Glossary, entity_kept: dict[str, bool]
) -> str:
    """'kept', 'missing', or 'unchecked' for a descriptive source ("a lawmaker", "officials") that the
    glossary gives no form for in the output's language: it may be translated any way."""
    source = value["source"]
    for name, kept in entity_kept.items():
        if name in source:
            return "kept" if kept else "missing"
    forms = glossary.forms(source, scan.lang)
    if scan.lang == "en":
        forms.append(source)
    if name_kept(source, scan, forms) or any(name_kept(f, scan) for f in forms):
        return "kept"
    return "missing" if forms else "unchecked"


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
        verdict = _source_kept(fact.value, scan, glossary, entity_kept) if figures_kept else "missing"
        {"kept": report.kept, "missing": report.missing, "unchecked": report.unchecked}[verdict].append(
            fact.to_dict()
        )
