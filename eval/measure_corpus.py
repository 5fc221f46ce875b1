"""Measure the fact checker on professional translations: python -m keepfacts.eval.measure_corpus [CORPUS].

For every (article line, reference line) pair of ../shared/corpus (d01-d15; cs de ja ru uk zh) it runs
check(mode="translation") and reports, per language, the share of source figures found kept and how
many of the professional translations pass (a document passes when all its lines do); `--misses` lists
every figure miss, `--failures` why each failing translation fails. `--speed N` also times the
extraction of N articles (the corpus articles repeated).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from keepfacts.eval.check import check
from keepfacts.eval.extract import extract

LANGS = ("cs", "de", "ja", "ru", "uk", "zh")
GOAL = 0.97


def default_corpus() -> Path:
    """$KEEPFACTS_CORPUS, else ../shared/corpus next to the repository."""
    env = os.environ.get("KEEPFACTS_CORPUS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@dataclass
class LangResult:
    kept: int = 0
    total: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    docs: set[str] = field(default_factory=set)
    names: int = 0  # source names checked or not
    names_unchecked: int = 0
    failed: dict[str, list[str]] = field(default_factory=dict)  # doc -> why its translation fails

    @property
    def passed_docs(self) -> int:
        return len(self.docs) - len(self.failed)

    @property
    def recall(self) -> float:
        return self.kept / self.total if self.total else 1.0


def pairs(corpus: Path, lang: str) -> list[tuple[str, int, str, str]]:
    """(doc id, line number, article line, reference line) for every aligned pair."""
    out = []
    for ref in sorted((corpus / "refs").glob(f"d*.{lang}.txt")):
        doc = ref.name.split(".")[0]
        article = corpus / "articles" / f"{doc}.txt"
        if not article.exists():
            continue
        src_lines = article.read_text(encoding="utf-8").splitlines()
        ref_lines = ref.read_text(encoding="utf-8").splitlines()
        for number, (src, tgt) in enumerate(zip(src_lines, ref_lines, strict=False), 1):
            if src.strip():
                out.append((doc, number, src, tgt))
    return out


def measure(corpus: Path, langs: tuple[str, ...] = LANGS) -> dict[str, LangResult]:
    results: dict[str, LangResult] = {}
    facts_cache: dict[str, list[Any]] = {}
    for lang in langs:
        result = LangResult()
        for doc, number, src, tgt in pairs(corpus, lang):
            facts = facts_cache.get(src)
            if facts is None:
                facts = facts_cache[src] = extract(src)
            report = check(src, tgt, lang=lang, mode="translation", source_facts=facts)
            kept = [f for f in report.kept if f["kind"] == "figure"]
            missing = [f for f in report.missing if f["kind"] == "figure"]
            missing += [pair["source"] for pair in report.changed if pair["source"]["kind"] == "figure"]
            result.kept += len(kept)
            result.total += len(kept) + len(missing)
            result.docs.add(doc)
            result.names += sum(
                1 for f in [*report.kept, *report.missing, *report.unchecked] if f["kind"] == "entity"
            )
            result.names += sum(1 for c in report.changed if c["source"]["kind"] == "entity")
            result.names_unchecked += sum(1 for f in report.unchecked if f["kind"] == "entity")
            if not report.passed:
                result.failed.setdefault(doc, []).extend(f"{number}: {why}" for why in _why_failed(report))
            for fact in missing:
                result.misses.append(
                    {
                        "doc": doc,
                        "line": number,
                        "text": fact["text"],
                        "value": fact["value"],
                        "reference": tgt,
                    }
                )
        results[lang] = result
    return results


def _why_failed(report: Any) -> list[str]:
    """One short line per fact that fails a translation (what --failures prints)."""
    lines = [f"changed {c['part']}: {c['reason']}" for c in report.changed]
    lines += [f"missing {f['kind']} {f['text']!r}" for f in report.missing if f["kind"] != "attribution"]
    lines += [f"unsupported {f['kind']} {f['text']!r}" for f in report.unsupported]
    return lines


_DIGIT_FIGURE = re.compile(r"\d")


def corrupted_detection(corpus: Path, langs: tuple[str, ...] = LANGS) -> dict[str, tuple[int, int]]:
    """Add 1 to every digit-written number of each reference: how many digit-written source figures
    does the checker then find missing? (caught, total) per language; a lenient matcher catches few."""
    out: dict[str, tuple[int, int]] = {}
    for lang in langs:
        caught = total = 0
        for _doc, _number, src, tgt in pairs(corpus, lang):
            facts = [f for f in extract(src) if f.kind == "figure" and _DIGIT_FIGURE.search(f.text)]
            if not facts:
                continue
            bad = re.sub(r"\d+", lambda m: str(int(m.group()) + 1), tgt)
            report = check(src, bad, lang=lang, mode="translation", source_facts=facts)
            kept = sum(1 for f in report.kept if f["kind"] == "figure")
            total += len(facts)
            caught += len(facts) - kept
        out[lang] = (caught, total)
    return out


def extraction_speed(corpus: Path, articles: int) -> tuple[int, float]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((corpus / "articles").glob("d*.txt"))]
    batch = [texts[i % len(texts)] for i in range(articles)]
    start = time.perf_counter()
    for text in batch:
        extract(text)
    return len(batch), time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=None)
    parser.add_argument("--misses", action="store_true", help="list every figure not found kept")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--failures", action="store_true", help="say why each failing translation fails")
    parser.add_argument("--corrupt", action="store_true", help="also measure detection of corrupted numbers")
    parser.add_argument(
        "--speed", type=int, default=0, metavar="N", help="also time extraction of N articles"
    )
    args = parser.parse_args(argv)
    corpus = args.corpus or default_corpus()
    if not (corpus / "refs").is_dir():
        print(f"error: no corpus at {corpus}", file=sys.stderr)
        return 2
    results = measure(corpus)
    speed = extraction_speed(corpus, args.speed) if args.speed else None
    corrupt = corrupted_detection(corpus) if args.corrupt else None
    if args.json:
        data: dict[str, Any] = {
            lang: {
                "kept": r.kept,
                "total": r.total,
                "recall": r.recall,
                "misses": r.misses,
                "documents": len(r.docs),
                "documents_passed": r.passed_docs,
                "names": r.names,
                "names_unchecked": r.names_unchecked,
                "failed": r.failed,
            }
            for lang, r in results.items()
        }
        if corrupt:
            data["corrupted_caught"] = {lang: {"caught": c, "total": t} for lang, (c, t) in corrupt.items()}
        if speed:
            data["speed"] = {"articles": speed[0], "seconds": speed[1]}
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        header = f"{'lang':<5}{'kept':>6}{'total':>7}{'recall':>9}{'translations passed':>22}"
        print(header + f"{'names unchecked':>18}")
        for lang, r in results.items():
            flag = "" if r.recall >= GOAL else "  < goal"
            passed = f"{r.passed_docs} / {len(r.docs)}"
            unchecked = f"{r.names_unchecked / r.names:.0%} of {r.names}" if r.names else "-"
            print(f"{lang:<5}{r.kept:>6}{r.total:>7}{r.recall:>9.2%}{passed:>22}{unchecked:>18}{flag}")
        if args.misses:
            for lang, r in results.items():
                for miss in r.misses:
                    print(f"[{lang}] {miss['doc']}:{miss['line']} {miss['text']!r} {miss['value']}")
                    print(f"       ref: {miss['reference']}")
        if args.failures:
            for lang, r in results.items():
                for doc, why in sorted(r.failed.items()):
                    print(f"[{lang}] {doc} fails: " + "; ".join(why))
        for lang, (caught, total) in (corrupt or {}).items():
            print(f"corrupted references, {lang}: {caught}/{total} digit-written figures caught")
        if speed:
            print(f"extraction: {speed[0]} articles in {speed[1]:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
