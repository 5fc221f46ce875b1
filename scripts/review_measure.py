"""Size and render time of the review page for a 50,000-word article.

    python scripts/review_measure.py [--words 50000] [--articles DIR]

The article repeats the corpus articles (../shared/corpus/articles, when present) or else the seed, until
it has --words words; the output is its lead with one figure changed. It prints the facts marked, the
page's size, the time to build it (analysis and check apart) and Chromium's time to load and dump it
(headless, `--dump-dom`, Chromium's start included).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "khaama-ukraine-desertions.txt"
CORPUS = ROOT.parent / "shared" / "corpus" / "articles"


def build_article(words: int, sources: list[Path] | None = None) -> str:
    """Whole articles, in order and over again, until `words` words (the last one cut at a paragraph)."""
    if sources is None:
        sources = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else [SEED]
    texts = [p.read_text(encoding="utf-8").strip() for p in sources]
    paragraphs: list[str] = []
    count = 0
    while count < words:
        for text in texts:
            for paragraph in text.split("\n\n"):
                if count >= words:
                    break
                paragraphs.append(paragraph)
                count += len(paragraph.split())
    return "\n\n".join(paragraphs)


def build_page(article: str, folder: Path) -> tuple[Path, int]:
    """The review page of the article against its lead (one figure changed); the number of source facts."""
    from keepfacts.eval.analysis import analyse
    from keepfacts.eval.check import check
    from keepfacts.eval.review import check_page

    lead = "\n\n".join(article.split("\n\n")[:4])
    output = re.sub(r"\d", lambda m: str((int(m.group()) + 1) % 10), lead, count=1)
    report = check(analyse(article), output, lang="en", mode="summary").to_dict()
    page = folder / "big.html"
    page.write_text(check_page(article, output, report), encoding="utf-8")
    facts = sum(len(report[n]) for n in ("kept", "missing", "unchecked", "changed", "misattributed"))
    return page, facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--articles", type=Path, default=None, help="folder of .txt articles to repeat")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from keepfacts.eval.analysis import analyse
    from keepfacts.eval.check import check
    from keepfacts.eval.review import check_page
    from tests.browser import dump_dom, url

    sources = sorted(args.articles.glob("*.txt")) if args.articles else None
    article = build_article(args.words, sources)
    lead = "\n\n".join(article.split("\n\n")[:4])
    output = re.sub(r"\d", lambda m: str((int(m.group()) + 1) % 10), lead, count=1)
    started = time.perf_counter()
    report = check(analyse(article), output, lang="en", mode="summary").to_dict()
    checked = time.perf_counter()
    html = check_page(article, output, report)
    built = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "big.html"
        page.write_text(html, encoding="utf-8")
        rendered = dump_dom(url(page), timeout=600)
    facts = sum(len(report[n]) for n in ("kept", "missing", "unchecked", "changed", "misattributed"))
    print(f"article: {len(article.split())} words, {len(article)} characters; source facts marked: {facts}")
    print(f"page: {len(html.encode('utf-8')) / 1e6:.2f} MB")
    print(f"analysis and check: {checked - started:.1f} s; page built (jinja2): {built - checked:.2f} s")
    print(
        f"chromium --headless --dump-dom: {rendered.seconds:.1f} s; console messages: {len(rendered.console)}"
    )


if __name__ == "__main__":
    main()
