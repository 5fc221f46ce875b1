"""docs/review-page.png: the review page of the seed against a summary a weak model might write.

    python scripts/review_screenshot.py [--out docs/review-page.png]

The summary moves "around 300,000" from soldiers engaged to soldiers deserted, invents 7,500 officers and
changes February 2022 to March 2022: every state of the page shows. Needs chromium (make install).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "khaama-ukraine-desertions.txt"
SUMMARY = (
    "Around 300,000 soldiers have deserted the army, while 7,500 officers fled. The Prosecutor General's "
    "Office said over 100,000 soldiers were charged in March 2022. Alexander Kovalenko, a military analyst "
    "based in Kyiv, said this is the third year of the war."
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "review-page.png")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from keepfacts.eval.analysis import analyse
    from keepfacts.eval.check import check
    from keepfacts.eval.review import check_page
    from keepfacts.inputs import read_document
    from tests.browser import screenshot, url

    source = read_document(str(SEED)).text
    report = check(analyse(source), SUMMARY, lang="en", mode="summary").to_dict()
    html = check_page(source, SUMMARY, report, source_name=SEED.name, output_name="summary.txt")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "review.html"
        page.write_text(html, encoding="utf-8")
        screenshot(url(page), args.out, size="1280,1500")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
