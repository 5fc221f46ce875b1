"""factcheck SOURCE [OUTPUT]: list the facts of an article, or check an output against it.
factcheck --pairs PAIRS.jsonl: check many (source, output) pairs in one process, one JSON report a line.

Thin: parse options, call analyse()/check(), print. Exit 0 done, 1 a hard check failed (or a regression
against --baseline), 2 bad usage or input (with --pairs: any bad record).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from dataclasses import dataclass
from typing import Any

import click

from keepfacts.cli import Command, handle_errors, version_option
from keepfacts.errors import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_OK, CheckFailed, InputError, UsageError
from keepfacts.inputs import UniqueIds
from keepfacts.languages import base_language

PROG = "factcheck"


def _read(path: str, lang: str = "en") -> str:
    """One document, read as summarize and translate read an input (size limit, decoding, HTML)."""
    from keepfacts.cli import warn
    from keepfacts.inputs import read_document

    return read_document(path, lang=lang, warn=warn).text


def _default_mode(lang: str) -> str:
    return "summary" if base_language(lang) == "en" else "translation"


def _report(analysis: Any, output_text: str, lang: str, mode: str, glossary: Any) -> dict[str, Any]:
    """The JSON report of one output against its analysed source: the same for both forms."""
    from keepfacts.eval.check import check  # looked up at each call (tests spy on it)

    return check(analysis, output_text, lang=lang, mode=mode, glossary=glossary).to_dict()


def _value_text(value: dict[str, Any]) -> str:
    shown = {k: v for k, v in value.items() if v is not None and k not in ("claim_span", "figures")}
    return json.dumps(shown, ensure_ascii=False, sort_keys=True)


def _facts_table(facts: list[dict[str, Any]]) -> str:
    lines = [f"{'kind':<12} {'span':<11} {'sent':>4}  {'text':<40} value"]
    for fact in facts:
        span = f"{fact['span'][0]}-{fact['span'][1]}"
        lines.append(
            f"{fact['kind']:<12} {span:<11} {fact['sentence']:>4}  {fact['text'][:40]:<40} "
            + _value_text(fact["value"])
        )
    return "\n".join(lines)


def _report_text(report: dict[str, Any]) -> str:
    out = []
    counts = report["counts"]
    if report.get("signature"):
        out.append(f"signature: {report['signature']['text']}")
    out.append(
        f"{'PASSED' if report['passed'] else 'FAILED'} ({report['mode']}): "
        f"figures kept {counts['figures_kept']}/{counts['figures_total']}, "
        f"entities kept {counts['entities_kept']}/{counts['entities_total']}, "
        f"attributions kept {counts['attributions_kept']}/{counts['attributions_total']}; "
        f"{counts['unsupported']} unsupported, {counts['changed']} changed, "
        f"{counts['misattributed']} misattributed"
    )
    for name in ("missing", "unsupported"):
        for fact in report[name]:
            out.append(
                f"  {name:<13} {fact['kind']:<11} {fact['span'][0]:>5}-{fact['span'][1]:<5} {fact['text']!r}"
            )
    for name in ("changed", "misattributed"):
        for pair in report[name]:
            line = f"  {name:<13} {pair['source']['text']!r} -> {pair['output']['text']!r}"
            if pair.get("reason"):
                line += f" ({pair['reason']})"
            out.append(line)
    for fact in report["kept"]:
        out.append(
            f"  {'kept':<13} {fact['kind']:<11} {fact['span'][0]:>5}-{fact['span'][1]:<5} {fact['text']!r}"
        )
    return "\n".join(out)


def _write_page(
    source_text: str, output_text: str, data: dict[str, Any], source: str, output: str, out_path: str | None
) -> None:
    """The review page of one check, to standard output or FILE (written whole, or not at all)."""
    from keepfacts.eval.review import check_page
    from keepfacts.outputs import write_page

    def name(path: str) -> str:
        return "standard input" if path == "-" else os.path.basename(path) or path

    page = check_page(source_text, output_text, data, source_name=name(source), output_name=name(output))
    if out_path in (None, "-"):
        click.echo(page, nl=False)
    else:
        write_page(str(out_path), page)


# --- --pairs: many pairs in one process -------------------------------------------------------------------

# One PAIRS line holds two articles: twice the size one input may have.
MAX_PAIR_BYTES = 2 * 16 * 1024 * 1024


@dataclass(frozen=True)
class _Pair:
    id: str
    where: str  # "pairs.jsonl:3", for messages
    source: str
    output: str
    lang: str
    mode: str


@dataclass(frozen=True)
class _BadRecord:
    id: str
    error: str


def _pair_lines(path: str) -> tuple[str, list[bytes]]:
    """The name used in ids and messages ("pairs.jsonl", "stdin") and the lines of PAIRS."""
    if path == "-":
        stream = getattr(sys.stdin, "buffer", sys.stdin)
        data = stream.read()
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        return "stdin", data.split(b"\n")
    if os.path.isdir(path):
        raise InputError(f"{path} is a directory; give a PAIRS.jsonl file or - (standard input) to --pairs")
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise InputError(f"no such file or directory: {path}") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    return os.path.basename(path) or path, data.split(b"\n")


def _field_text(record: dict[str, Any], name: str, where: str) -> str:
    """`source` or `output`, prepared as the two-argument form reads a file: HTML reduced to its text."""
    from keepfacts.inputs import html_to_text, looks_like_html

    if name not in record:
        raise InputError(f'{where}: no "{name}" field (a pair needs "source" and "output")')
    text = record[name]
    if not isinstance(text, str):
        raise InputError(f'{where}: "{name}" must be a string')
    if "\x00" in text:
        raise InputError(f'{where}: "{name}" is not text (it contains NUL characters)')
    if looks_like_html(text):
        text = html_to_text(text)
        if not text.strip():
            raise InputError(f'{where}: "{name}" is empty (no article text in its HTML)')
    text = text.strip("\n\r\ufeff")
    if not text.strip():
        raise InputError(f'{where}: "{name}" is empty (nothing to check)')
    return text


def _check_lang(lang: str) -> None:
    """LanguageError for a language check() would refuse, before its source is analysed."""
    from keepfacts.eval.locale_forms import base_lang, locale

    locale(base_lang(lang))


def _parse_pair(
    raw: bytes, where: str, first: bool, ids: UniqueIds, lang: str, mode: str | None, texts: dict[str, str]
) -> _Pair | _BadRecord:
    from keepfacts.errors import KeepfactsError
    from keepfacts.eval.check import MODES

    if len(raw) > MAX_PAIR_BYTES:
        return _BadRecord(
            where, f"{where}: record too large ({len(raw)} bytes; the limit is {MAX_PAIR_BYTES})"
        )
    try:
        line = raw.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError as exc:
        return _BadRecord(where, f"{where}: not UTF-8 (byte {exc.start}); JSONL must be UTF-8")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return _BadRecord(where, f"{where}: invalid JSON ({exc.msg} at column {exc.colno})")
    except (ValueError, RecursionError) as exc:  # nested too deep, an integer too long
        return _BadRecord(where, f"{where}: invalid JSON ({type(exc).__name__}: {exc})")
    if not isinstance(record, dict):
        return _BadRecord(where, f'{where}: not a JSON object (a pair needs "source" and "output")')
    raw_id = record.get("id")
    if raw_id is None:
        doc_id = where
    elif isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) and str(raw_id).strip():
        doc_id = str(raw_id)
    else:
        return _BadRecord(where, f'{where}: "id" must be a non-empty string or an integer')
    doc_id = ids.take(doc_id)
    try:
        if "glossary" in record:
            raise UsageError(
                f'{where}: a pair cannot have its own "glossary"; --glossary applies to all pairs'
            )
        source = _field_text(record, "source", where)
        output = _field_text(record, "output", where)
        pair_lang = record.get("lang", lang)
        if pair_lang is None:
            pair_lang = lang
        if not isinstance(pair_lang, str) or not pair_lang.strip():
            raise InputError(f'{where}: "lang" must be a language code such as "en"')
        pair_lang = pair_lang.strip()
        _check_lang(pair_lang)
        pair_mode = record.get("mode")
        if pair_mode is None:
            pair_mode = mode or _default_mode(pair_lang)
        if not isinstance(pair_mode, str):
            raise InputError(f'{where}: "mode" must be "summary" or "translation"')
        if pair_mode not in MODES:
            raise InputError(f"{where}: unknown mode {pair_mode!r}; use summary or translation")
    except KeepfactsError as exc:
        message = exc.message if exc.message.startswith(where) else f"{where}: {exc.message}"
        return _BadRecord(doc_id, message)
    # One string per distinct source: the pairs of an article share it (and its analysis).
    source = texts.setdefault(source, source)
    return _Pair(doc_id, where, source, output, pair_lang, pair_mode)


def _read_pairs(path: str, lang: str, mode: str | None) -> tuple[str, list[_Pair | _BadRecord], str | None]:
    """(PAIRS' name, its records in order, the line naming renamed repeated ids or None)."""
    name, lines = _pair_lines(path)
    ids = UniqueIds()
    texts: dict[str, str] = {}
    items: list[_Pair | _BadRecord] = []
    for number, raw in enumerate(lines, 1):
        if raw.strip():
            items.append(_parse_pair(raw, f"{name}:{number}", number == 1, ids, lang, mode, texts))
    return name, items, ids.warning()


def _check_one(pair: _Pair, analyses: dict[str, Any], glossary: Any, debug: bool) -> dict[str, Any]:
    """The report of one pair, or its error: an error in one pair never stops the others."""
    from keepfacts.errors import KeepfactsError

    try:
        analysis = analyses.get(pair.source)
        if analysis is None:
            from keepfacts.eval.analysis import analyse  # looked up at each call (tests spy on it)

            analysis = analyses[pair.source] = analyse(pair.source)
        return {"id": pair.id, **_report(analysis, pair.output, pair.lang, pair.mode, glossary)}
    except KeepfactsError as exc:
        return {"id": pair.id, "error": " ".join(f"{pair.where}: {exc.message}".split())}
    except Exception as exc:
        if debug:
            traceback.print_exc()
        hint = "" if debug else " (run with --debug for details)"
        message = f"{pair.where}: internal error: {type(exc).__name__}: {exc}{hint}"
        return {"id": pair.id, "error": " ".join(message.split())}


def _run_pairs(
    path: str,
    out_path: str | None,
    lang: str,
    mode: str | None,
    glossary_path: str | None,
    baseline_path: str | None,
    quiet: bool,
    debug: bool,
) -> int:
    """Check every pair of PAIRS in input order; return the exit code (2 any bad record, else 1 any
    failed pair or regression, else 0). Each distinct source is analysed once, and let go after its
    last pair."""
    from keepfacts.cli import warn
    from keepfacts.eval.baseline import load_reports, regressions
    from keepfacts.eval.glossary import load_glossary
    from keepfacts.outputs import open_sink

    _check_lang(lang)
    if out_path not in (None, "-") and os.path.isdir(str(out_path)):
        raise UsageError(
            f"--output {out_path} is a directory; --pairs writes one JSONL file (or - for stdout)"
        )
    glossary = load_glossary(glossary_path)
    baseline = load_reports(baseline_path) if baseline_path else None
    _, items, renamed = _read_pairs(path, lang, mode)
    if renamed and not quiet:  # as summarize and translate say it (keepfacts.inputs.UniqueIds)
        warn(f"{PROG}: {renamed}")
    last_use = {item.source: index for index, item in enumerate(items) if isinstance(item, _Pair)}
    analyses: dict[str, Any] = {}
    passed = failed = errors = regressed = unknown = 0
    verdict_failed = False
    from keepfacts.progress import make_progress

    # A bar on a terminal, a plain line every few seconds elsewhere (a CI log); "failed": a failed check
    # or a bad record.
    bar = make_progress(len(items), label=PROG, show=False if quiet else None, unit="pair")
    try:
        with open_sink(out_path, "jsonl", resume=False, prog=PROG) as sink:
            for index, item in enumerate(items):
                if isinstance(item, _BadRecord):
                    record: dict[str, Any] = {"id": item.id, "error": item.error}
                else:
                    record = _check_one(item, analyses, glossary, debug)
                    if last_use[item.source] == index:
                        analyses.pop(item.source, None)
                if "error" in record:
                    errors += 1
                else:
                    passed += bool(record["passed"])
                    failed += not record["passed"]
                    base = baseline.get(record["id"]) if baseline is not None else None
                    if base is not None:
                        record["regressions"] = regressions(base, record)
                        regressed += bool(record["regressions"])
                        verdict_failed |= bool(record["regressions"])
                    else:
                        unknown += baseline is not None
                        verdict_failed |= not record["passed"]
                sink.write(record)
                bar.update(failed="error" in record or not record["passed"])
    finally:
        bar.close()
    if not quiet:
        line = f"{PROG}: {len(items)} pairs, {passed} passed, {failed} failed, {errors} errors"
        if baseline_path:
            line += f"; {regressed} regressed against {os.path.basename(baseline_path)}"
            line += f" ({unknown} not in it)" if unknown else ""
        warn(line)
    if errors:
        return EXIT_BAD_INPUT
    return EXIT_CHECK_FAILED if verdict_failed else EXIT_OK


# --- the command --------------------------------------------------------------------------------------------


@click.command(name=PROG, context_settings={"help_option_names": ["-h", "--help"]}, cls=Command)
@click.argument("source", required=False)
@click.argument("output", required=False)
@click.option(
    "--pairs",
    metavar="PAIRS.jsonl",
    default=None,
    help="Check many pairs in one process instead of SOURCE OUTPUT: JSONL records {id, source, output, "
    "lang, mode} (- for standard input); writes one JSON report a line, with its id, in input order.",
)
@click.option(
    "--output",
    "-o",
    "out_path",
    metavar="FILE",
    default=None,
    help="With --pairs: write the reports (JSONL) to FILE instead of standard output; with --format html: "
    "write the review page to FILE.",
)
@click.option(
    "--lang", default="en", show_default=True, help="Language of OUTPUT (with --pairs: of pairs without one)."
)
@click.option(
    "--mode",
    type=click.Choice(["summary", "translation"]),
    default=None,
    help="How to judge OUTPUT [default: summary for English, translation otherwise; with --pairs: for "
    "pairs without a mode].",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default=None,
    help="Report format; html: a self-contained review page, source and output side by side with every "
    "fact marked [default: text; --pairs always writes JSONL].",
)
@click.option(
    "--glossary", type=click.Path(dir_okay=False), help="Extra glossary (JSON or TSV), for every pair."
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help="Stored JSON report (with --pairs: the JSONL of an earlier --pairs run, matched by id): fail only "
    "on regressions.",
)
@click.option(
    "--reference", type=click.Path(dir_okay=False), help="Human reference: also report chrF and BLEU."
)
@click.option(
    "--quiet", "-q", is_flag=True, help="With --pairs: no progress (bar or lines) and no summary line."
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@version_option(PROG)
@handle_errors(PROG)
def main(
    source: str | None,
    output: str | None,
    pairs: str | None,
    out_path: str | None,
    lang: str,
    mode: str | None,
    fmt: str | None,
    glossary: str | None,
    baseline: str | None,
    reference: str | None,
    quiet: bool,
    debug: bool,
) -> None:
    """List the facts of SOURCE (an English article), or check OUTPUT (a summary or translation).

    With --pairs PAIRS.jsonl, check many pairs in one process (each distinct source analysed once).
    Exit 0 done (all passed), 1 a check failed (or, with --baseline, a regression), 2 bad usage or input
    (with --pairs: any bad record, which gets an error line and does not stop the others).
    """
    if pairs is not None:
        if source is not None:
            raise UsageError(
                "--pairs replaces SOURCE and OUTPUT: give --pairs PAIRS.jsonl or SOURCE [OUTPUT]"
            )
        if reference:
            raise UsageError(
                "--reference does not apply to --pairs (it is one human reference for one OUTPUT)"
            )
        if fmt is not None:
            raise UsageError("--format does not apply to --pairs: it always writes one JSON report a line")
        code = _run_pairs(pairs, out_path, lang, mode, glossary, baseline, quiet, debug)
        if code:
            sys.exit(code)
        return
    if source is None:
        raise UsageError("give SOURCE (and OUTPUT to check it), or --pairs PAIRS.jsonl")
    if out_path is not None and fmt != "html":
        raise UsageError(
            "--output is for --pairs and --format html; the report of SOURCE OUTPUT goes to standard output"
        )
    if fmt == "html" and output is None:
        raise UsageError("--format html needs OUTPUT: the page shows a check of OUTPUT against SOURCE")
    _check_single(source, output, lang, mode, fmt or "text", glossary, baseline, reference, out_path)


def _check_single(
    source: str,
    output: str | None,
    lang: str,
    mode: str | None,
    fmt: str,
    glossary: str | None,
    baseline: str | None,
    reference: str | None,
    out_path: str | None = None,
) -> None:
    from keepfacts.eval.analysis import analyse
    from keepfacts.eval.baseline import load_report, regressions
    from keepfacts.eval.glossary import load_glossary

    if output == "-" and source == "-":
        raise InputError("SOURCE and OUTPUT cannot both be standard input")
    source_text = _read(source)
    analysis = analyse(source_text)
    if output is None:
        listed = [f.to_dict() for f in analysis.facts]
        click.echo(
            json.dumps({"facts": listed}, ensure_ascii=False, indent=1)
            if fmt == "json"
            else _facts_table(listed)
        )
        return
    output_text = _read(output, lang)
    mode = mode or _default_mode(lang)
    data = _report(analysis, output_text, lang, mode, load_glossary(glossary))
    if reference:
        from keepfacts.eval.metrics import reference_scores

        data["reference"] = reference_scores(output_text, _read(reference, lang), lang)
    found = regressions(load_report(baseline), data) if baseline else None
    if found is not None:
        data["regressions"] = found
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
    elif fmt == "html":
        _write_page(source_text, output_text, data, source, output, out_path)
    else:
        click.echo(_report_text(data))
        if "reference" in data:
            ref = data["reference"]
            click.echo(f"chrF {ref['chrf']} ({ref['chrf_signature']})")
            click.echo(f"BLEU {ref['bleu']} ({ref['bleu_signature']})")
        for line in found or []:
            click.echo(f"regression: {line}")
    if found is not None:
        if found:
            raise CheckFailed(f"{len(found)} regression(s) against the baseline {baseline}")
        return
    if not data["passed"]:
        raise CheckFailed("fact check failed")
