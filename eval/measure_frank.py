"""Measure the fact checker on human-judged model summaries: python -m keepfacts.eval.measure_frank [DIR].

DIR (default ../shared/frank-dev next to the repository, or $KEEPFACTS_FRANK) holds FRANK's validation
split: articles.jsonl and summaries.jsonl, each summary judged by people (factuality 1.0 = fully factual;
errors[category] < 1.0 where a sentence has that error). Every summary is checked against its article with
check(mode="summary"), the article's facts extracted once. Per dataset (cnndm, xsum) it reports:
- false alarms: the share of fully factual summaries that the checker fails;
- detection: the share of summaries with an entity or circumstance error (EntE, CircE) that it fails, and
  of summaries with any error;
- balanced accuracy of pass/fail against the human label (positive = not fully factual), as the published
  FRANK figures are given (on the test split; ours is the validation split).
`--worst N` lists N false alarms per dataset with the rule that fired; `--json` prints everything as JSON.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from keepfacts.eval.check import check
from keepfacts.eval.extract import extract
from keepfacts.eval.facts import Report

DATASETS = ("cnndm", "xsum")
DETECTED_CATEGORIES = ("EntE", "CircE")
# Balanced accuracy on FRANK's test split, per dataset (cnndm, xsum), from the SummaC benchmark.
PUBLISHED = {"BERTScore-P": (67.6, 66.3), "FactCC": (66.8, 56.0), "DAE": (65.6, 60.1)}


def default_frank() -> Path:
    """$KEEPFACTS_FRANK, else ../shared/frank-dev next to the repository."""
    env = os.environ.get("KEEPFACTS_FRANK")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1].parent / "shared" / "frank-dev"


def present(root: Path) -> bool:
    return (root / "articles.jsonl").is_file() and (root / "summaries.jsonl").is_file()


@dataclass
class Judged:
    """One summary: the human labels and the checker's verdict."""

    article_id: str
    system: str
    summary: str
    factual: bool  # factuality == 1.0
    entity_error: bool  # an EntE or CircE error
    passed: bool
    findings: list[dict[str, Any]] = field(default_factory=list)  # {"rule", "text", "reason"}

    @property
    def name(self) -> str:
        return f"{self.article_id[:8]}/{self.system}"


@dataclass
class DatasetResult:
    summaries: list[Judged] = field(default_factory=list)

    def _share(self, selected: list[Judged]) -> tuple[int, int]:
        return sum(1 for s in selected if not s.passed), len(selected)

    @property
    def false_alarms(self) -> tuple[int, int]:
        """(failed, total) of the fully factual summaries."""
        return self._share([s for s in self.summaries if s.factual])

    @property
    def entity_detection(self) -> tuple[int, int]:
        """(failed, total) of the summaries with an EntE or CircE error."""
        return self._share([s for s in self.summaries if s.entity_error])

    @property
    def any_detection(self) -> tuple[int, int]:
        """(failed, total) of the summaries with any error."""
        return self._share([s for s in self.summaries if not s.factual])

    @property
    def balanced_accuracy(self) -> float | None:
        """(TPR + TNR) / 2 * 100, positive = not fully factual; None without both classes."""
        caught, errors = self.any_detection
        alarms, factual = self.false_alarms
        if not errors or not factual:
            return None
        return (caught / errors + (factual - alarms) / factual) / 2 * 100

    def worst_false_alarms(self, n: int) -> list[Judged]:
        """The factual summaries failed, most findings first."""
        failed = [s for s in self.summaries if s.factual and not s.passed]
        return sorted(failed, key=lambda s: -len(s.findings))[:n]

    def figures(self) -> dict[str, Any]:
        def share(pair: tuple[int, int]) -> dict[str, Any]:
            failed, total = pair
            return {"failed": failed, "total": total, "share": failed / total if total else None}

        return {
            "summaries": len(self.summaries),
            "factual": sum(1 for s in self.summaries if s.factual),
            "false_alarms": share(self.false_alarms),
            "entity_circumstance_detection": share(self.entity_detection),
            "any_error_detection": share(self.any_detection),
            "balanced_accuracy": self.balanced_accuracy,
        }


def load(root: Path) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """(articles by id, summaries) from a frank-dev directory."""

    def rows(name: str) -> list[dict[str, Any]]:
        with (root / name).open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]

    return {a["id"]: a for a in rows("articles.jsonl")}, rows("summaries.jsonl")


def findings(report: Report) -> list[dict[str, Any]]:
    """What made a summary fail: one {"rule", "text", "reason"} per unsupported, changed or misattributed."""
    out: list[dict[str, Any]] = []
    for fact in report.unsupported:
        out.append({"rule": "unsupported", "text": fact["text"], "reason": f"no source {fact['kind']}"})
    for pair in report.changed:
        reason = pair.get("reason") or f"source has {pair['source']['text']!r}"
        out.append({"rule": "changed", "text": pair["output"]["text"], "reason": reason})
    for pair in report.misattributed:
        out.append({"rule": "misattributed", "text": pair["output"]["text"], "reason": pair["reason"]})
    return out


def _analyser() -> Callable[[str], Any] | None:
    """keepfacts.eval.analysis.analyse where the checker has it: check() then takes the source analysed
    once (sentences, facts) instead of re-analysing the text for every summary."""
    try:
        module = importlib.import_module("keepfacts.eval.analysis")
    except ImportError:
        return None
    analyse = getattr(module, "analyse", None)
    return analyse if callable(analyse) else None


def measure(root: Path) -> dict[str, DatasetResult]:
    articles, summaries = load(root)
    results = {name: DatasetResult() for name in DATASETS}
    # Grouped by article, so that each article's facts (and the checker's per-source index) are built once.
    by_article: dict[str, list[dict[str, Any]]] = {}
    for row in summaries:
        by_article.setdefault(row["article_id"], []).append(row)
    analyse = _analyser()
    for article_id, rows in by_article.items():
        text = articles[article_id]["text"]
        source: Any = analyse(text) if analyse is not None else text
        facts = source.facts if analyse is not None else extract(text)
        for row in rows:
            report = check(source, row["summary"], lang="en", mode="summary", source_facts=facts)
            errors = row.get("errors", {})
            judged = Judged(
                article_id=article_id,
                system=row["system"],
                summary=row["summary"],
                factual=float(row["factuality"]) == 1.0,
                entity_error=any(float(errors.get(c, 1.0)) < 1.0 for c in DETECTED_CATEGORIES),
                passed=report.passed,
                findings=findings(report),
            )
            results.setdefault(row["dataset"], DatasetResult()).summaries.append(judged)
    return results


def _share_text(pair: tuple[int, int]) -> str:
    failed, total = pair
    share = f"{failed / total:.1%}" if total else "-"
    return f"{share} ({failed}/{total})"


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render(results: dict[str, DatasetResult], seconds: float, worst: int) -> list[str]:
    total = sum(len(r.summaries) for r in results.values())
    lines = [f"FRANK validation split: {total} summaries checked in {seconds:.1f} s"]
    lines.append(
        f"{'dataset':<8}{'n':>4}{'factual':>8}  {'false alarms':<17}{'EntE/CircE caught':<19}"
        f"{'any error caught':<19}{'bal.acc':>7}"
    )
    for name, r in results.items():
        factual = sum(1 for s in r.summaries if s.factual)
        accuracy = r.balanced_accuracy
        lines.append(
            f"{name:<8}{len(r.summaries):>4}{factual:>8}  {_share_text(r.false_alarms):<17}"
            f"{_share_text(r.entity_detection):<19}{_share_text(r.any_detection):<19}"
            f"{'-' if accuracy is None else f'{accuracy:.1f}':>7}"
        )
    published = ", ".join(f"{k} {a}/{b}" for k, (a, b) in PUBLISHED.items())
    lines.append(f"published bal.acc cnndm/xsum (test split): {published}")
    for name, r in results.items():
        alarms = r.worst_false_alarms(worst)
        if not alarms:
            continue
        lines.append(f"worst false alarms, {name}:")
        for s in alarms:
            first = s.findings[0] if s.findings else {"rule": "?", "text": "", "reason": ""}
            more = f" (+{len(s.findings) - 1})" if len(s.findings) > 1 else ""
            lines.append(
                "  " + _clip(f"{s.name}: {first['rule']} {first['text']!r}: {first['reason']}{more}", 106)
            )
    return lines


def to_json(results: dict[str, DatasetResult], seconds: float) -> dict[str, Any]:
    data: dict[str, Any] = {"seconds": seconds, "split": "validation"}
    for name, r in results.items():
        figures = r.figures()
        figures["false_alarm_list"] = [
            {"article_id": s.article_id, "system": s.system, "summary": s.summary, "findings": s.findings}
            for s in r.summaries
            if s.factual and not s.passed
        ]
        data[name] = figures
    data["published_test_split"] = {k: dict(zip(DATASETS, v, strict=True)) for k, v in PUBLISHED.items()}
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("frank", nargs="?", type=Path, default=None, help="the frank-dev directory")
    parser.add_argument(
        "--worst", type=int, default=5, metavar="N", help="false alarms listed per dataset (default 5)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    root = args.frank or default_frank()
    if not present(root):
        print(f"error: no frank-dev data (articles.jsonl, summaries.jsonl) at {root}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    results = measure(root)
    seconds = time.perf_counter() - start
    if args.json:
        print(json.dumps(to_json(results, seconds), ensure_ascii=False, indent=1))
    else:
        print("\n".join(render(results, seconds, max(0, args.worst))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
