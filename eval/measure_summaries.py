"""Measure summaries against human ones: python -m keepfacts.eval.measure_summaries [--methods M,...].

The articles are FRANK's 72 CNN/DailyMail validation articles with the highlights CNN/DailyMail published
(`reference` in ../shared/frank-dev/articles.jsonl) and the corpus's CNN/DailyMail articles with theirs
(../shared/corpus/refs/dNN.summary.txt). For each method, on the same articles at the same length:

- ROUGE-1 / ROUGE-2 / ROUGE-Lsum F1 (Google's `rouge-score`, Porter-stemmed; Lsum over sentences, one a
  line), x 100;
- key facts kept: of the article's facts that the human summary keeps (figures, names, sources; the
  fact engine's check() of the reference), the share the summary keeps too;
- unsupported: facts the summary holds that the article does not (the fact engine's count);
- words, and seconds per article.

Methods: `lead3` (the first three sentences), `extractive` (summarize --method extractive) and `default`
(summarize with its default settings: the extractive sentences, shortened by the model under the guard;
under the table, how many sentences were offered and shortened, and why the others were refused). The length
is `--max-words N`, or `lead3` (the default): each article's budget is the length of its lead-3, so the
methods are compared at the same length.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from keepfacts.eval.analysis import SourceAnalysis, analyse
from keepfacts.eval.check import check
from keepfacts.words import count_words

METHODS = ("lead3", "extractive", "default")
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    reference: str  # the human summary, one highlight a line


@dataclass
class Scores:
    rouge1: list[float] = field(default_factory=list)
    rouge2: list[float] = field(default_factory=list)
    rougeLsum: list[float] = field(default_factory=list)
    words: list[int] = field(default_factory=list)
    key_kept: int = 0
    key_total: int = 0
    unsupported: int = 0
    seconds: list[float] = field(default_factory=list)
    # The default method's model work: sentences offered, shortened, and why the others were refused.
    shortening: Counter[str] = field(default_factory=Counter)

    def row(self, name: str) -> str:
        mean = statistics.fmean
        key = 100 * self.key_kept / self.key_total if self.key_total else 0.0
        return (
            f"| {name} | {100 * mean(self.rouge1):.1f} | {100 * mean(self.rouge2):.1f} | "
            f"{100 * mean(self.rougeLsum):.1f} | {mean(self.words):.1f} | {key:.1f}% "
            f"({self.key_kept}/{self.key_total}) | {self.unsupported} | {mean(self.seconds):.3f} |"
        )


def frank_articles(root: Path) -> list[Article]:
    path = root / "articles.jsonl"
    if not path.is_file():
        return []
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Article(r["id"], r["text"], r["reference"]) for r in records if r.get("reference")]


def corpus_articles(root: Path) -> list[Article]:
    found = []
    for ref in sorted((root / "refs").glob("d*.summary.txt")):
        doc = ref.name.split(".")[0]
        article = root / "articles" / f"{doc}.txt"
        if article.is_file():
            found.append(Article(doc, article.read_text(encoding="utf-8"), ref.read_text(encoding="utf-8")))
    return found


def lead3(analysis: SourceAnalysis) -> str:
    return " ".join(analysis.text[a:b].strip() for a, b in analysis.sentences[:3])


def summarizers(
    names: list[str], candidates: int | None = None, tally: Counter[str] | None = None
) -> dict[str, Callable[[SourceAnalysis, int], str]]:
    """The methods by name; the default one adds what its model did to `tally`."""
    from keepfacts.summarize.extractive import extractive_summary

    chosen: dict[str, Callable[[SourceAnalysis, int], str]] = {}
    for name in names:
        if name == "lead3":
            chosen[name] = lambda analysis, _words: lead3(analysis)
        elif name == "extractive":
            chosen[name] = extractive_summary
        elif name == "default":
            chosen[name] = _default_summarizer(candidates, Counter() if tally is None else tally)
    return chosen


def _default_summarizer(candidates: int | None, tally: Counter[str]) -> Callable[[SourceAnalysis, int], str]:
    """What `summarize` does with its default settings (--model auto, --method auto), `candidates`
    model candidates (for --method abstractive; the default does not use them). Adds what the model's
    shortenings came to to `tally`."""
    from keepfacts.documents import Document
    from keepfacts.models import resolve_auto
    from keepfacts.summarize.pipeline import DEFAULT_CANDIDATES, Summarizer, SummarizeSettings

    spec, _ = resolve_auto("summarize")
    loaded: dict[int, Summarizer] = {}

    def run(analysis: SourceAnalysis, max_words: int) -> str:
        if max_words not in loaded:
            backend = next(iter(loaded.values())).backend if loaded else None
            n = candidates or DEFAULT_CANDIDATES
            settings = SummarizeSettings(model=spec, max_words=max_words, candidates=n)
            loaded[max_words] = Summarizer(settings, backend)
        result = loaded[max_words].summarize(Document(id="a", text=analysis.text), analysis=analysis)
        made = result.extra.get("shortened") or {}
        tally.update(offered=made.get("offered", 0), shortened=made.get("shortened", 0))
        tally.update(made.get("refused") or {})
        return result.output

    return run


def _lines(text: str) -> str:
    """ROUGE-Lsum wants one sentence a line."""
    from keepfacts.segment import split_sentences

    return "\n".join(text[a:b].strip() for a, b in split_sentences(text))


def _facts(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {(fact["kind"], str(fact["text"]).casefold()) for fact in report["kept"]}


def measure(
    articles: list[Article],
    methods: list[str],
    max_words: str,
    progress: bool = True,
    candidates: int | None = None,
) -> dict[str, Scores]:
    try:
        from rouge_score import rouge_scorer
    except ImportError:
        raise SystemExit(
            "measure_summaries needs rouge-score: pip install rouge-score (or make install)"
        ) from None
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    results = {name: Scores() for name in methods if name in METHODS}
    tally = results["default"].shortening if "default" in results else None
    chosen = summarizers(methods, candidates, tally)
    for number, article in enumerate(articles, 1):
        analysis = analyse(article.text)
        budget = count_words(lead3(analysis)) if max_words == "lead3" else int(max_words)
        budget = max(5, min(150, budget))
        key = _facts(check(analysis, article.reference, mode="summary").to_dict())
        for name, summarize in chosen.items():
            started = time.perf_counter()
            summary = summarize(analysis, budget)
            seconds = time.perf_counter() - started
            scores = scorer.score(article.reference, _lines(summary))
            report = check(analysis, summary, mode="summary").to_dict()
            result = results[name]
            for metric in ("rouge1", "rouge2", "rougeLsum"):
                getattr(result, metric).append(scores[metric].fmeasure)
            result.words.append(count_words(summary))
            result.key_total += len(key)
            result.key_kept += len(key & _facts(report))
            result.unsupported += report["counts"]["unsupported"]
            result.seconds.append(seconds)
        if progress:
            print(f"\r{number}/{len(articles)} articles", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    return results


def table(title: str, results: dict[str, Scores], count: int) -> str:
    lines = [
        f"### {title} ({count} articles)",
        "",
        "| summary | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | words | key facts kept | unsupported | s/article |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [scores.row(name) for name, scores in results.items()]
    return "\n".join(lines)


def shortening_line(tally: Counter[str]) -> str:
    """What the default's model time bought: "default: 111 sentences offered to the model, 0 shortened;
    refused: 25 not a clause cut, ..."."""
    refused = ", ".join(
        f"{n} {reason}" for reason, n in tally.most_common() if reason not in ("offered", "shortened")
    )
    return f"default: {tally['offered']} sentences offered to the model, {tally['shortened']} shortened" + (
        f"; refused: {refused}" if refused else ""
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m keepfacts.eval.measure_summaries", description=__doc__)
    parser.add_argument("--frank", type=Path, default=ROOT.parent / "shared" / "frank-dev")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument(
        "--methods", default="lead3,extractive", help=f"comma-separated: {', '.join(METHODS)}"
    )
    parser.add_argument(
        "--max-words", default="lead3", help="a number, or lead3 (each article's lead-3 length)"
    )
    parser.add_argument("--limit", type=int, default=None, help="at most N articles of each set")
    parser.add_argument(
        "--candidates", type=int, default=None, help="model candidates of the default method [summarize's]"
    )
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = sorted(set(methods) - set(METHODS))
    if unknown:
        parser.error(f"unknown method(s) {', '.join(unknown)}; choose from {', '.join(METHODS)}")
    if args.max_words != "lead3" and not args.max_words.isdigit():
        parser.error("--max-words must be a number or lead3")
    sets = [
        ("FRANK CNN/DM validation articles, CNN/DM highlights", frank_articles(args.frank)),
        ("corpus CNN/DM articles, CNN/DM highlights", corpus_articles(args.corpus)),
    ]
    sets = [(title, articles[: args.limit]) for title, articles in sets if articles]
    if not sets:
        print(f"no articles with human summaries under {args.frank} or {args.corpus}", file=sys.stderr)
        return 2
    for title, articles in sets:
        results = measure(articles, methods, args.max_words, not args.quiet, args.candidates)
        print(table(title, results, len(articles)))
        if "default" in results:
            print()
            print(shortening_line(results["default"].shortening))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
