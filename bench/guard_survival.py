"""What the guard adds: fact survival of the raw model output vs the guarded output.

    python bench/guard_survival.py [--corpus DIR] [--model embedded] [--candidates 2] [--limit N]
                                   [--summary-limit N] [--skip-summaries] [--translator NAME]...

Summaries (seed + every corpus article) and translations of the same articles (Apertium en->es and
Bergamot en->pt; `--translator` picks which, `--translator none` skips them) go through the real
pipelines; every record carries the raw model output's fact counts (`facts.raw`) beside the guarded
output's, so this script only adds them up. Writes bench/guard_results.json (a run of some parts only
updates those parts of the file) and prints tables.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from keepfacts.documents import Document  # noqa: E402
from keepfacts.summarize.pipeline import Summarizer, SummarizeSettings  # noqa: E402
from keepfacts.translate.pipeline import TranslateSettings, Translator  # noqa: E402

SEED = ROOT / "seeds" / "khaama-ukraine-desertions.txt"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
BAD = ("unsupported", "changed", "misattributed")


@dataclass(frozen=True)
class Translation:
    model: str
    src: str
    tgt: str
    key: str  # its entry in the results file
    title: str


TRANSLATORS = {
    "apertium-es": Translation("apertium:eng-spa", "en", "es", "translate_es_apertium", "Apertium en->es"),
    "bergamot-pt": Translation("bergamot:en-pt", "en", "pt", "translate_pt_bergamot", "Bergamot en->pt"),
}


def documents(corpus: Path, limit: int | None) -> list[Document]:
    docs = [Document(id="seed", text=SEED.read_text(encoding="utf-8"))]
    articles = sorted((corpus / "articles").glob("*.txt")) if corpus.is_dir() else []
    docs += [Document(id=p.stem, text=p.read_text(encoding="utf-8")) for p in articles]
    return docs[:limit] if limit else docs


def _digit_figures(facts: dict[str, Any]) -> tuple[int, int]:
    """(kept, total) source figures written with digits."""
    kept = sum(1 for f in facts["kept"] if f["kind"] == "figure" and re.search(r"\d", f["text"]))
    lost = sum(1 for f in facts["missing"] if f["kind"] == "figure" and re.search(r"\d", f["text"]))
    lost += sum(1 for p in facts["changed"] if re.search(r"\d", p["source"]["text"]))
    return kept, kept + lost


def tally(records: list[dict[str, Any]]) -> dict[str, Any]:
    raw: Counter[str] = Counter()
    guarded: Counter[str] = Counter()
    methods: Counter[str] = Counter()
    digits = Counter()
    for record in records:
        facts = record["facts"]
        methods[record["method"]] += 1
        for counter, counts, passed in (
            (raw, facts["raw"]["counts"], facts["raw"]["passed"]),
            (guarded, facts["counts"], facts["passed"]),
        ):
            counter["passed"] += int(passed)
            for key in ("figures_kept", "figures_total", "attributions_kept", "attributions_total", *BAD):
                counter[key] += counts[key]
        kept, total = _digit_figures(facts)
        digits["kept"] += kept
        digits["total"] += total
    return {
        "documents": len(records),
        "raw": dict(raw),
        "guarded": dict(guarded),
        "methods": dict(methods),
        "digit_figures_guarded": dict(digits),
    }


def table(title: str, result: dict[str, Any]) -> str:
    n = result["documents"]
    rows = [f"### {title} ({n} documents)", "", "| | raw model | guarded |", "|---|---|---|"]
    for label, key in (
        ("outputs passing the fact check", "passed"),
        ("unsupported facts", "unsupported"),
        ("changed figures", "changed"),
        ("misattributed figures", "misattributed"),
    ):
        rows.append(f"| {label} | {result['raw'].get(key, 0)} | {result['guarded'].get(key, 0)} |")
    for label, kept, total in (
        ("source figures kept", "figures_kept", "figures_total"),
        ("sources (attributions) kept", "attributions_kept", "attributions_total"),
    ):
        cells = []
        for side in ("raw", "guarded"):
            k, t = result[side].get(kept, 0), result[side].get(total, 0)
            cells.append(f"{k}/{t} ({100 * k / t:.0f}%)" if t else "0/0")
        rows.append(f"| {label} | {cells[0]} | {cells[1]} |")
    rows.append(f"\nmethods: {result['methods']}; seconds: {result['seconds']:.0f}")
    return "\n".join(rows)


def run(processor: Any, docs: list[Document], label: str) -> dict[str, Any]:
    started = time.perf_counter()
    records = []
    for doc in docs:
        [record] = processor([doc])
        if "error" in record:
            print(f"{label}: {doc.id}: {record['error']}", file=sys.stderr)
            continue
        records.append(record)
        print(f"{label}: {doc.id}: {record['method']} ({record['seconds']:.1f} s)", file=sys.stderr)
    result = tally(records)
    result["seconds"] = time.perf_counter() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--model", default="embedded")
    parser.add_argument("--candidates", type=int, default=2)
    parser.add_argument("--max-words", type=int, default=80)
    parser.add_argument("--limit", type=int, default=None, help="at most N documents (seed first)")
    parser.add_argument("--summary-limit", type=int, default=None, help="summarize only the first N")
    parser.add_argument("--skip-summaries", action="store_true")
    parser.add_argument(
        "--translator",
        action="append",
        choices=[*TRANSLATORS, "none"],
        help=f"translations to run (repeatable; default: {', '.join(TRANSLATORS)}; none: no translations)",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "guard_results.json")
    args = parser.parse_args()
    chosen = [name for name in (args.translator or TRANSLATORS) if name != "none"]
    docs = documents(args.corpus, args.limit)
    results: dict[str, Any] = {}
    if args.output.is_file():  # keep the parts this run does not redo
        results = json.loads(args.output.read_text(encoding="utf-8"))
    results["last_run"] = " ".join(["python bench/guard_survival.py", *sys.argv[1:]])
    for name in chosen:
        spec = TRANSLATORS[name]
        translator = Translator(TranslateSettings(model=spec.model, tgt=spec.tgt, src=spec.src))
        results[spec.key] = run(translator, docs, f"translate {name}")
    if not args.skip_summaries:
        results.update(model=args.model, candidates=args.candidates, max_words=args.max_words)
        # The raw model against the guarded result: what --method abstractive drafts (the default only
        # shortens the extractive summary's sentences; its record counts them under "shortened").
        settings = SummarizeSettings(
            model=args.model, max_words=args.max_words, method="abstractive", candidates=args.candidates
        )
        results["summarize"] = run(Summarizer(settings), docs[: args.summary_limit], "summarize")
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for name in chosen:
        spec = TRANSLATORS[name]
        print(table(f"{spec.title} translations", results[spec.key]))
        digits = results[spec.key]["digit_figures_guarded"]
        print(f"digit-written figures kept after the guard: {digits['kept']}/{digits['total']}\n")
    if not args.skip_summaries:
        print(
            table(
                f"Summaries by {args.model} (--method abstractive), {args.candidates} candidates, "
                f"<= {args.max_words} words",
                results["summarize"],
            )
        )


if __name__ == "__main__":
    main()
