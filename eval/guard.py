"""The guard: choose, repair or replace model output so no key figure or attribution is silently lost,
changed or invented.

Summaries: every model candidate is checked against the article; a candidate with an unsupported,
changed or misattributed fact is repaired by dropping the sentences that carry those facts, or rejected.
The extractive summary (which cannot invent) competes too; the winner keeps the most key facts (figures
and their sources), ties going to the model. Translations: each sentence's candidates are reranked by the
facts they keep; a wrong figure or a garbled name is repaired where the alignment is unambiguous; what
cannot be repaired is flagged in the report.

Every decision carries its fact report, and the raw model output's, so users see what the guard adds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from keepfacts.eval.analysis import SourceAnalysis, analyse
from keepfacts.eval.check import check
from keepfacts.eval.extract import extract
from keepfacts.eval.facts import OUTPUT_LISTS, PAIR_LISTS, REPORT_LISTS, SOURCE_LISTS, Fact, Report
from keepfacts.eval.glossary import Glossary, load_glossary
from keepfacts.eval.instructions import without_instructions
from keepfacts.eval.repair import Render, repair_date, repair_figure, repair_forms, repair_names
from keepfacts.segment import split_sentences
from keepfacts.words import count_words, fit_words

MIN_SUMMARY_WORDS = 8
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class SummaryDecision:
    output: str
    method: str  # "model", "repaired" or "extractive"
    report: dict[str, Any]


@dataclass
class TranslationDecision:
    sentences: list[str]
    method: str  # "model" or "repaired"
    report: dict[str, Any]
    flagged: list[int] = field(default_factory=list)


def is_degenerate(text: str) -> bool:
    """Empty, too short, or looping (one phrase repeated): not a summary, whatever its facts."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < MIN_SUMMARY_WORDS:
        return True
    trigrams = [tuple(words[i : i + 3]) for i in range(len(words) - 2)]
    return len(set(trigrams)) < 0.6 * len(trigrams)


def key_fact_score(report: Report) -> tuple[int, int]:
    """(figures kept, sources kept): what a summary is chosen by."""
    counts = report.counts()
    return counts["figures_kept"], counts["attributions_kept"]


def drop_bad_sentences(output: str, report: Report) -> str:
    """The output without the sentences that carry an unsupported, changed or misattributed fact."""
    bad: set[int] = set()
    for item in report.unsupported:
        bad.add(int(item["sentence"]))
    for pair in [*report.changed, *report.misattributed]:
        bad.add(int(pair["output"]["sentence"]))
    spans = split_sentences(output)
    return " ".join(output[a:b] for i, (a, b) in enumerate(spans) if i not in bad)


def guard_summary(
    source: str | SourceAnalysis,
    drafts: Sequence[str],
    *,
    max_words: int,
    lang: str = "en",
    guarded: bool = True,
    fallback: Callable[[SourceAnalysis], str] | None = None,
    glossary: str | Glossary | None = None,
    fallback_method: str = "extractive",
) -> SummaryDecision:
    """Choose the summary: model candidates that pass (or pass once repaired) compete with the `fallback`
    (an extractive summary of the analysed source, which cannot invent, or one with sentences shortened
    under the guard: `fallback_method` names it); the most key facts wins, ties going to the model."""
    analysis = source if isinstance(source, SourceAnalysis) else analyse(source, lang)
    terms = glossary if isinstance(glossary, Glossary) else load_glossary(glossary)

    def judge(text: str) -> Report:
        return check(analysis, text, lang=lang, mode="summary", glossary=terms)

    fitted = [fit_words(d, max_words) for d in drafts if d.strip()]
    raw_report = judge(fitted[0]) if fitted else None
    ignored = [analysis.text[a:b] for a, b in analysis.instructions]
    if not guarded:
        if not fitted:
            from keepfacts.errors import ModelError

            raise ModelError("the model returned an empty summary")
        assert raw_report is not None
        return SummaryDecision(
            fitted[0], "model", _record(raw_report, raw_report, considered=1, instructions=ignored)
        )

    options: list[tuple[tuple[int, int], int, str, str, Report]] = []
    for draft in (d for d in drafts if d.strip()):
        # A model that repeats an injected order loses the order (before the cut to max_words, so the
        # order does not use up the words).
        text = without_instructions(draft)
        method = "model" if text == draft else "repaired"
        text = fit_words(text, max_words)
        if is_degenerate(text):
            continue
        report = judge(text)
        if not report.passed:
            text = drop_bad_sentences(text, report)
            if count_words(text) < MIN_SUMMARY_WORDS or is_degenerate(text):
                continue
            report = judge(text)
            if not report.passed:
                continue
            method = "repaired"
        options.append((key_fact_score(report), 2 if method == "model" else 1, text, method, report))
    if fallback is not None:
        # The extractive summary cannot invent, but two sentences side by side can still read as one
        # claim; the same sentence-dropping repair applies (and if even that fails, it stays the last
        # resort, flagged by its report).
        extractive = fallback(analysis)
        ext_report = judge(extractive)
        if not ext_report.passed:
            trimmed = drop_bad_sentences(extractive, ext_report)
            trimmed_report = judge(trimmed) if count_words(trimmed) >= MIN_SUMMARY_WORDS else None
            if trimmed_report is not None and trimmed_report.passed:
                extractive, ext_report = trimmed, trimmed_report
        rank = 0 if ext_report.passed else -1
        options.append((key_fact_score(ext_report), rank, extractive, fallback_method, ext_report))
    if not options:
        from keepfacts.errors import ModelError

        raise ModelError("no summary candidate kept the facts, and no fallback was given")
    options.sort(key=lambda o: (o[1] >= 0, o[0], o[1]), reverse=True)  # passing first, then key facts
    _, _, text, method, report = options[0]
    record = _record(report, raw_report, considered=len(fitted), instructions=ignored)
    return SummaryDecision(text, method, record)


def _record(
    report: Report, raw: Report | None, *, considered: int, instructions: list[str] | None = None
) -> dict[str, Any]:
    record = report.to_dict()
    record["raw"] = None if raw is None else {"passed": raw.passed, "counts": raw.counts()}
    record["candidates"] = considered
    if instructions:  # text of the article addressed to a model, not counted as what it reports
        record["instructions_ignored"] = instructions
    return record


def guard_translation(
    sources: Sequence[str],
    candidates: Sequence[Sequence[str]],
    *,
    src_lang: str = "en",
    tgt_lang: str,
    glossary: str | Glossary | None = None,
    guarded: bool = True,
    render: Render | None = None,
) -> TranslationDecision:
    """Choose and repair each sentence's translation; report facts kept over the whole document.

    `render` translates short texts with the same engine (used to find how it garbled a name).
    """
    terms = glossary if isinstance(glossary, Glossary) else load_glossary(glossary)
    judges: list[Callable[[str], Report]] = []
    picks: list[tuple[str, Report]] = []
    raw: list[Report] = []
    for source, options in zip(sources, candidates, strict=True):
        options = [o for o in options if o.strip()] or [""]
        facts = extract(source, src_lang)

        def judge(text: str, facts: list[Fact] = facts, source: str = source) -> Report:
            return check(source, text, lang=tgt_lang, mode="translation", glossary=terms, source_facts=facts)

        reports = [judge(o) for o in options] if facts else [Report(mode="translation") for _ in options]
        raw.append(reports[0])
        best = 0 if not guarded else max(range(len(options)), key=lambda i: _translation_score(reports[i]))
        judges.append(judge)
        picks.append((options[best], reports[best]))

    # The names to render, all in one call (an engine call per sentence is slow on long articles).
    cached = _CachedRender(render) if render is not None else None
    if guarded and cached is not None:
        cached.prefetch(
            [
                f["value"].get("name", f["text"])
                for _, r in picks
                if not r.passed
                for f in r.missing
                if f["kind"] == "entity"
            ]
        )
    chosen: list[str] = []
    final: list[Report] = []
    flagged: list[int] = []
    repaired_any = False
    for index, ((text, report), rejudge) in enumerate(zip(picks, judges, strict=True)):
        if guarded and not report.passed:
            fixed = _repair_sentence(text, report, tgt_lang, terms, cached, rejudge)
            if fixed is not None:
                text, report = fixed
                repaired_any = True
        if not report.passed:
            flagged.append(index)
        chosen.append(text)
        final.append(report)
    method = "repaired" if repaired_any else "model"
    record = _merge(final)
    record["raw"] = {"passed": all(r.passed for r in raw), "counts": _merge(raw)["counts"]}
    record["flagged_sentences"] = flagged
    return TranslationDecision(chosen, method, record, flagged)


class _CachedRender:
    """An engine's rendering of short texts (names), each text rendered once per document."""

    def __init__(self, render: Render) -> None:
        self.render = render
        self.done: dict[str, str] = {}

    def prefetch(self, texts: Sequence[str]) -> None:
        todo = list(dict.fromkeys(t for t in texts if t not in self.done))
        if todo:
            self.done.update(zip(todo, self.render(todo), strict=True))

    def __call__(self, texts: list[str]) -> list[str]:
        self.prefetch(texts)
        return [self.done[t] for t in texts]


def _translation_score(report: Report) -> tuple[int, int, int, int]:
    """Passing first, then facts kept, then fewer wrong facts, then fewer figures in a form the target
    language misreads (a repair that writes "100.000" for German or Spanish readers is progress even
    where the engine's garbled qualifier stays flagged)."""
    counts = report.counts()
    forms = sum(1 for pair in report.changed if pair.get("part") == "form")
    return (int(report.passed), counts["kept"], -(counts["unsupported"] + counts["changed"]), -forms)


def _repair_sentence(
    text: str,
    report: Report,
    lang: str,
    glossary: Glossary,
    render: Render | None,
    judge: Callable[[str], Report],
) -> tuple[str, Report] | None:
    """Apply the unambiguous repairs; keep the result only if it keeps more than before."""
    current, current_report = text, report
    for repair in (
        lambda t, r: repair_forms(t, r.to_dict(), lang),
        lambda t, r: repair_figure(t, r.to_dict(), lang),
        lambda t, r: repair_date(t, r.to_dict(), lang),
        lambda t, r: repair_names(t, r.to_dict(), lang, glossary, render),
    ):
        if current_report.passed:
            break
        candidate = repair(current, current_report)
        if candidate is None:
            continue
        candidate_report = judge(candidate)
        if _translation_score(candidate_report) > _translation_score(current_report):
            current, current_report = candidate, candidate_report
    return None if current == text else (current, current_report)


def _merge(reports: Sequence[Report]) -> dict[str, Any]:
    """One document-level report from per-sentence reports; each fact gains `segment`, the index of the
    source sentence it belongs to."""
    merged = Report(mode="translation", signature=next((r.signature for r in reports if r.signature), {}))
    for segment, report in enumerate(reports):
        for name in REPORT_LISTS:
            getattr(merged, name).extend({**item, "segment": segment} for item in getattr(report, name))
    merged.passed = all(r.passed for r in reports)
    return merged.to_dict()


def place_in_document(
    report: dict[str, Any], source_starts: Sequence[int], output_starts: Sequence[int]
) -> dict[str, Any]:
    """A merged translation report with every span (and attribution claim span) moved from its sentence
    into the whole document: source facts by where their sentence starts in the source, output facts by
    where its translation starts in the output. `segment` still names the sentence."""

    def moved(fact: dict[str, Any], starts: Sequence[int], segment: int) -> dict[str, Any]:
        fact = dict(fact)
        shift = starts[segment]
        if isinstance(fact.get("span"), list | tuple):
            fact["span"] = [fact["span"][0] + shift, fact["span"][1] + shift]
        value = fact.get("value")
        if isinstance(value, dict) and isinstance(value.get("claim_span"), list | tuple):
            a, b = value["claim_span"]
            fact["value"] = {**value, "claim_span": [a + shift, b + shift]}
        return fact

    placed = dict(report)
    for name in SOURCE_LISTS:
        placed[name] = [moved(f, source_starts, f["segment"]) for f in report.get(name, [])]
    for name in OUTPUT_LISTS:
        placed[name] = [moved(f, output_starts, f["segment"]) for f in report.get(name, [])]
    for name in PAIR_LISTS:
        placed[name] = [
            {
                **pair,
                "source": moved(pair["source"], source_starts, pair["segment"]),
                "output": moved(pair["output"], output_starts, pair["segment"]),
            }
            for pair in report.get(name, [])
        ]
    return placed
