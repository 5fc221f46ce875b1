"""The review page in a real headless Chromium: it renders with no console message, shows what the JSON
report says, its links reach the other side and light both facts, a hostile article stays text, and a
screenshot is taken. Skipped (with the reason shown) only where chromium is not installed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from keepfacts.eval.cli import main as factcheck
from keepfacts.eval.review import check_page
from tests.browser import CHROMIUM, MISSING, dump_dom, screenshot, url
from tests.review_cases import BAD, SEED

pytestmark = [pytest.mark.slow, pytest.mark.skipif(CHROMIUM is None, reason=MISSING)]

HOSTILE = (
    "Officials said 1,200 soldiers left in May 2023. <script>alert(1)</script> "
    '<img src=x onerror="document.body.dataset.pwned=1"> <iframe src="https://example.com"></iframe> '
    "<b>Bold</b> &amp; <style>body{display:none}</style> </div></pre></textarea>"
)


def _plain(element: BeautifulSoup) -> str:
    copy = BeautifulSoup(str(element), "html.parser")
    for tag in copy.select(".tag"):
        tag.decompose()
    return copy.get_text()


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:  # type: ignore[type-arg]
    """The page and the JSON report of one pair, both from `factcheck`."""
    folder = tmp_path_factory.mktemp("review")
    output = folder / "bad.txt"
    output.write_text(BAD, encoding="utf-8")
    page = folder / "page.html"
    runner = CliRunner()
    made = runner.invoke(factcheck, [str(SEED), str(output), "--format", "html", "-o", str(page)])
    report = runner.invoke(factcheck, [str(SEED), str(output), "--format", "json"])
    assert made.exit_code == report.exit_code == 1, made.output
    return page, json.loads(report.stdout)


def test_renders_with_no_console_message_and_shows_the_json_report(checked: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    page, report = checked
    rendered = dump_dom(url(page))
    assert rendered.console == []
    dom = BeautifulSoup(rendered.dom, "html.parser")
    for name, value in report["counts"].items():
        if name.endswith(("_kept", "_total")):
            continue
        assert dom.select_one(f'header [data-count="{name}"]').get_text() == str(value)
    assert dom.select_one("[data-verdict]")["data-verdict"] == ("passed" if report["passed"] else "failed")
    assert dom.select_one("[data-signature]").get_text() == report["signature"]["text"]
    for state in ("kept", "missing", "unchecked"):
        rows = dom.select(f"tr.row-{state}")
        assert [r.select_one(".src-text").get_text(strip=True) for r in rows] == [
            f["text"] for f in report[state]
        ]
    rows = dom.select("tr.row-unsupported")
    assert [r.select_one(".out-text").get_text(strip=True) for r in rows] == [
        f["text"] for f in report["unsupported"]
    ]
    for state in ("changed", "misattributed"):
        rows = dom.select(f"tr.row-{state}")
        assert [
            (r.select_one(".src-text a").get_text(), r.select_one(".out-text a").get_text()) for r in rows
        ] == [(p["source"]["text"], p["output"]["text"]) for p in report[state]]
    # the texts themselves, as read, with a badge per fact and nothing else added
    assert _plain(dom.select_one(".output .text")) == BAD
    total = sum(report["counts"][n] for n in ("kept", "missing", "unchecked", "unsupported"))
    total += 2 * (report["counts"]["changed"] + report["counts"]["misattributed"])
    assert len(dom.select(".pane .tag")) == total


def test_a_changed_facts_link_reaches_its_counterpart_and_lights_both(checked: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    page, report = checked
    dom = BeautifulSoup(dump_dom(url(page)).dom, "html.parser")
    link = dom.select_one(".source a.tag.t-changed")
    target_id = link["href"][1:]
    target = dom.find(id=target_id)
    assert target is not None and target.find_parent(class_="output") is not None
    assert target["href"] == f"#{link['id']}"
    followed = dump_dom(url(page, target_id))
    assert followed.console == []
    after = BeautifulSoup(followed.dom, "html.parser")
    lit = {e.get("id") or e.get("data-f") for e in after.select(".hit")}
    assert {target_id, link["id"]} <= lit  # both badges
    marked = [m.get_text() for m in after.select("mark.hit")]
    pair = report["changed"][0]
    assert "".join(marked) == pair["source"]["text"] + pair["output"]["text"]


def test_a_hostile_article_cannot_inject_markup(tmp_path: Path) -> None:
    start = HOSTILE.index("1,200")
    report = {
        "passed": False,
        "mode": "summary",
        "counts": {"kept": 1, "unsupported": 1},
        "kept": [{"kind": "figure", "text": "1,200", "span": [start, start + 5]}],
        "unsupported": [{"kind": "figure", "text": "<script>", "span": [0, 8]}],
        "signature": {"text": "<img src=x onerror=alert(3)>"},
    }
    page = tmp_path / "hostile.html"
    page.write_text(
        check_page(HOSTILE, "<script>alert(2)</script> text", report, source_name="<b>x</b>"), "utf-8"
    )
    rendered = dump_dom(url(page))
    assert rendered.console == []
    dom = BeautifulSoup(rendered.dom, "html.parser")
    assert len(dom.find_all("script")) == 1  # the page's own
    assert not dom.find_all(["img", "iframe", "textarea"])
    assert len(dom.find_all("style")) == 1
    assert not dom.body.has_attr("data-pwned")
    assert _plain(dom.select_one(".source .text")) == HOSTILE
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.dom


def test_a_file_of_markup_checked_by_factcheck_stays_text(tmp_path: Path) -> None:
    source = tmp_path / "article.txt"
    source.write_text("Officials said 3,000 people left <script>alert(1)</script> on Friday.", "utf-8")
    output = tmp_path / "summary.txt"
    output.write_text('Officials said 3,000 people left <img src=x onerror="alert(1)">.', "utf-8")
    page = tmp_path / "page.html"
    CliRunner().invoke(factcheck, [str(source), str(output), "--format", "html", "-o", str(page)])
    rendered = dump_dom(url(page))
    dom = BeautifulSoup(rendered.dom, "html.parser")
    assert rendered.console == [] and len(dom.find_all("script")) == 1 and not dom.find_all("img")


def test_the_batch_page_renders_and_a_link_opens_its_row(tmp_path: Path) -> None:
    from keepfacts.eval.review import BatchItem, batch_page

    text = "Over 100,000 soldiers were charged in February 2022."
    pair = {
        "source": {"kind": "figure", "text": "February 2022", "span": [38, 51]},
        "output": {"kind": "figure", "text": "March 2022", "span": [20, 30]},
        "reason": "month",
    }
    facts = {"passed": False, "counts": {"changed": 1}, "changed": [pair]}
    items = [
        BatchItem("ok", {"id": "ok", "output": "fine", "method": "model", "facts": {"passed": True}}, text),
        BatchItem("bad", {"id": "bad", "output": "100,000 charged in March 2022.", "facts": facts}, text),
        BatchItem("broken", {"id": "broken", "error": "<script>alert(1)</script>"}),
    ]
    page = tmp_path / "batch.html"
    page.write_text(batch_page(items), encoding="utf-8")
    rendered = dump_dom(url(page))
    assert rendered.console == []
    dom = BeautifulSoup(rendered.dom, "html.parser")
    assert [d["data-status"] for d in dom.select("details.item")] == ["error", "failed", "passed"]
    assert not dom.select("details[open]")
    target = dom.select_one(".output a.tag.t-changed")["id"]
    opened = BeautifulSoup(dump_dom(url(page, target)).dom, "html.parser")
    assert [d["data-id"] for d in opened.select("details[open]")] == ["bad"]


def test_screenshot_is_a_png(checked: tuple[Path, dict], tmp_path: Path) -> None:  # type: ignore[type-arg]
    page, _ = checked
    png = tmp_path / "review.png"
    screenshot(url(page), png)
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000


BIG_WORDS = 50_000


def test_a_50000_word_article_gives_a_usable_page(tmp_path: Path) -> None:
    from scripts.review_measure import build_article, build_page

    article = build_article(BIG_WORDS)
    page, facts = build_page(article, tmp_path)
    size = page.stat().st_size
    assert size < 5 * 1024 * 1024  # a few MB at most
    rendered = dump_dom(url(page), timeout=300)
    assert rendered.console == []
    dom = BeautifulSoup(rendered.dom, "html.parser")
    marks = dom.select(".source mark")
    assert len(dom.select(".source .tag")) == facts  # a badge per fact, no per-character markup
    assert len(marks) < 3 * facts
