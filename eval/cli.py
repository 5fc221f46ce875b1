"""factcheck SOURCE [OUTPUT]: list the facts of an article, or check an output against it.

Thin: parse options, call extract()/check(), print. Exit 0 done, 1 a hard check failed (or a regression
against --baseline), 2 bad usage or input.
"""

from __future__ import annotations

import json
from typing import Any

import click

from keepfacts.cli import Command, handle_errors
from keepfacts.errors import CheckFailed, InputError
from keepfacts.languages import base_language

PROG = "factcheck"


def _read(path: str, lang: str = "en") -> str:
    """One document, read as summarize and translate read an input (size limit, decoding, HTML)."""
    from keepfacts.cli import warn
    from keepfacts.inputs import read_document

    return read_document(path, lang=lang, warn=warn).text


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


@click.command(name=PROG, context_settings={"help_option_names": ["-h", "--help"]}, cls=Command)
@click.argument("source")
@click.argument("output", required=False)
@click.option("--lang", default="en", show_default=True, help="Language of OUTPUT.")
@click.option(
    "--mode",
    type=click.Choice(["summary", "translation"]),
    default=None,
    help="How to judge OUTPUT [default: summary for English, translation otherwise].",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--glossary", type=click.Path(dir_okay=False), help="Extra glossary (JSON or TSV).")
@click.option(
    "--baseline", type=click.Path(dir_okay=False), help="Stored JSON report: fail only on regressions."
)
@click.option(
    "--reference", type=click.Path(dir_okay=False), help="Human reference: also report chrF and BLEU."
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@handle_errors(PROG)
def main(
    source: str,
    output: str | None,
    lang: str,
    mode: str | None,
    fmt: str,
    glossary: str | None,
    baseline: str | None,
    reference: str | None,
    debug: bool,
) -> None:
    """List the facts of SOURCE (an English article), or check OUTPUT (a summary or translation)."""
    from keepfacts.eval.baseline import load_report, regressions
    from keepfacts.eval.check import check
    from keepfacts.eval.extract import extract
    from keepfacts.eval.glossary import load_glossary

    if output == "-" and source == "-":
        raise InputError("SOURCE and OUTPUT cannot both be standard input")
    source_text = _read(source)
    facts = extract(source_text)
    if output is None:
        listed = [f.to_dict() for f in facts]
        click.echo(
            json.dumps({"facts": listed}, ensure_ascii=False, indent=1)
            if fmt == "json"
            else _facts_table(listed)
        )
        return
    output_text = _read(output, lang)
    mode = mode or ("summary" if base_language(lang) == "en" else "translation")
    report = check(
        source_text, output_text, lang=lang, mode=mode, glossary=load_glossary(glossary), source_facts=facts
    )
    data = report.to_dict()
    if reference:
        from keepfacts.eval.metrics import reference_scores

        data["reference"] = reference_scores(output_text, _read(reference, lang), lang)
    found = regressions(load_report(baseline), data) if baseline else None
    if found is not None:
        data["regressions"] = found
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
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
    if not report.passed:
        raise CheckFailed("fact check failed")
