"""The review page without a browser: marks from spans (overlaps too), links between the sides, escaping,
factcheck --format html. The browser renders it in tests/test_review_browser.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from keepfacts.eval.cli import main
from keepfacts.eval.review import BatchItem, Mark, batch_page, check_page, segments, view
from tests.review_cases import BAD, SEED

HOSTILE = (
    "<script>alert(1)</script> Officials said 1,200 soldiers left in May 2023. "
    '<img src=x onerror="alert(2)"> <b>Bold</b> claims &amp; "quotes" </textarea></div>'
)


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _page_and_report(tmp_path: Path, output_text: str = BAD) -> tuple[str, dict, Path]:  # type: ignore[type-arg]
    out = tmp_path / "bad.txt"
    out.write_text(output_text, encoding="utf-8")
    runner = CliRunner()
    page = runner.invoke(main, [str(SEED), str(out), "--format", "html"])
    report = runner.invoke(main, [str(SEED), str(out), "--format", "json"])
    assert page.exit_code == report.exit_code == 1, page.output
    return page.stdout, json.loads(report.stdout), out


def _mark(mark_id: str, start: int, end: int, text: str, state: str = "kept") -> Mark:
    return Mark(id=mark_id, state=state, kind="figure", text=text[start:end], span=(start, end))


@pytest.mark.parametrize(
    "spans",
    [
        [(0, 5), (6, 11)],  # apart
        [(0, 11), (6, 11)],  # nested, same end
        [(0, 8), (4, 11)],  # crossing
        [(2, 9), (2, 9), (2, 9)],  # the same span three times
        [(3, 3), (0, 11)],  # an empty span inside another
        [(0, 11), (11, 11)],  # an empty span at the very end
    ],
)
def test_overlapping_spans_give_flat_segments_that_rebuild_the_text(spans: list[tuple[int, int]]) -> None:
    text = "hello world"
    marks = [_mark(f"s{i}", a, b, text) for i, (a, b) in enumerate(spans)]
    segs = segments(text, marks)
    assert "".join(seg.text for seg in segs) == text
    assert sorted(m.id for seg in segs for m in seg.starts) == sorted(m.id for m in marks)  # one badge each
    for m in marks:
        assert "".join(seg.text for seg in segs if m in seg.marks) == m.text


def test_overlaps_render_well_formed_markup() -> None:
    source = "The Ukrainian Prosecutor General's Office said over 100,000 soldiers left."
    report = {
        "passed": True,
        "counts": {"kept": 3},
        "kept": [
            {"kind": "attribution", "text": source[0:41], "span": [0, 41]},
            {"kind": "entity", "text": source[14:41], "span": [14, 41]},
            {"kind": "figure", "text": source[47:59], "span": [47, 59]},
            {"kind": "attribution", "text": source[4:52], "span": [4, 52]},  # crosses the figure
        ],
    }
    soup = _soup(check_page(source, "over 100,000 left", report))
    pane = soup.select_one(".source .text")
    assert pane is not None
    assert pane.get_text().replace("✓ kept", "") == source
    assert len(pane.select(".tag")) == 4
    assert not pane.select("mark mark")  # flat: never a mark inside a mark


def test_a_changed_fact_links_to_its_counterpart_on_the_other_side(tmp_path: Path) -> None:
    page, report, _ = _page_and_report(tmp_path)
    soup = _soup(page)
    assert report["changed"] and report["misattributed"]
    for state in ("changed", "misattributed"):
        links = soup.select(f".source a.tag.t-{state}")
        assert len(links) == len(report[state])
        for link in links:
            target = soup.select_one(f".output #{link['href'][1:]}")
            assert target is not None and target["href"] == f"#{link['id']}"


def test_the_page_shows_the_reports_counts_verdict_signature_and_every_fact(tmp_path: Path) -> None:
    page, report, _ = _page_and_report(tmp_path)
    soup = _soup(page)
    for name in ("kept", "missing", "changed", "unsupported", "misattributed", "unchecked"):
        assert soup.select_one(f'header [data-count="{name}"]').get_text() == str(report["counts"][name])
    assert soup.select_one("[data-verdict]")["data-verdict"] == "failed"
    assert soup.select_one("[data-signature]").get_text() == report["signature"]["text"]
    for state in ("kept", "missing", "unchecked"):
        shown = [r.select_one(".src-text").get_text(strip=True) for r in soup.select(f"tr.row-{state}")]
        assert shown == [f["text"] for f in report[state]]
    shown = [r.select_one(".out-text").get_text(strip=True) for r in soup.select("tr.row-unsupported")]
    assert shown == [f["text"] for f in report["unsupported"]]
    for state in ("changed", "misattributed"):
        rows = soup.select(f"tr.row-{state}")
        assert [
            (r.select_one(".src-text").get_text(strip=True), r.select_one(".out-text").get_text(strip=True))
            for r in rows
        ] == [(p["source"]["text"], p["output"]["text"]) for p in report[state]]
    # each mark covers its fact's span exactly: the marked text of a fact is the report's text
    unsupported = soup.select_one(".output .t-unsupported")
    marked = "".join(m.get_text() for m in soup.select(f'.output mark[data-f~="{unsupported["id"]}"]'))
    assert marked == report["unsupported"][0]["text"]


def test_the_page_is_self_contained(tmp_path: Path) -> None:
    page, _, _ = _page_and_report(tmp_path)
    soup = _soup(page)
    assert not soup.select("link, img, iframe, object, embed, script[src], [style*='url(']")
    assert "http://" not in page and "https://" not in page
    assert all(a["href"].startswith("#") for a in soup.select("a[href]"))


def test_a_hostile_article_cannot_inject_markup() -> None:
    output = "Officials said 1,200 soldiers left. <script>alert(3)</script>"
    report = {
        "passed": False,
        "counts": {"kept": 1, "unsupported": 0},
        "kept": [
            {"kind": "figure", "text": "1,200", "span": [HOSTILE.index("1,200"), HOSTILE.index("1,200") + 5]}
        ],
        "signature": {"text": "<b>sig</b>"},
        "mode": "<i>summary</i>",
    }
    page = check_page(HOSTILE, output, report, source_name="<img src=y>", output_name="o.txt")
    soup = _soup(page)
    assert len(soup.find_all("script")) == 1  # the page's own
    assert not soup.find_all(["img", "i", "textarea"])
    assert all(b.has_attr("data-count") for b in soup.find_all("b"))  # the page's own bold counts only
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert HOSTILE in soup.select_one(".source .text").get_text().replace("✓ kept", "")


def test_a_span_that_does_not_hold_its_text_is_found_in_the_text() -> None:
    # A translation record's spans are relative to each sentence: looked up at or after the span's start.
    source = "First 10 men left. Then 10 women left. Then 20 children left."
    report = {
        "kept": [
            {"kind": "figure", "text": "10", "span": [6, 8]},  # right
            {"kind": "figure", "text": "10", "span": [5, 7]},  # per-sentence span of the second "10"
            {"kind": "figure", "text": "20", "span": [5, 7]},
            {"kind": "figure", "text": "99", "span": [0, 2]},  # nowhere
        ]
    }
    shown = view(source, "", report)
    placed = {(m.text, m.span) for seg in shown.source for m in seg.starts}
    assert placed == {("10", (6, 8)), ("10", (24, 26)), ("20", (44, 46))}
    assert "not located" in check_page(source, "", report)


def test_format_html_writes_a_file_with_output_and_keeps_the_exit_code(tmp_path: Path) -> None:
    out = tmp_path / "bad.txt"
    out.write_text(BAD, encoding="utf-8")
    page = tmp_path / "review" / "page.html"
    result = CliRunner().invoke(main, [str(SEED), str(out), "--format", "html", "-o", str(page)])
    assert result.exit_code == 1 and result.stdout == ""
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_format_html_needs_output() -> None:
    result = CliRunner().invoke(main, [str(SEED), "--format", "html"])
    assert result.exit_code == 2 and "--format html needs OUTPUT" in result.stderr


def test_batch_page_puts_errors_then_failed_then_passed() -> None:
    text = "Over 100,000 soldiers were charged in February 2022."
    facts = {
        "passed": True,
        "counts": {"kept": 1},
        "kept": [{"kind": "figure", "text": "Over 100,000", "span": [0, 12]}],
    }
    items = [
        BatchItem(
            "ok",
            {"id": "ok", "output": "Over 100,000 were charged.", "method": "model", "facts": facts},
            text,
        ),
        BatchItem(
            "bad",
            {"id": "bad", "output": "x", "method": "extractive", "facts": {**facts, "passed": False}},
            text,
        ),
        BatchItem("<script>x</script>", {"id": "<script>x</script>", "error": "empty <b>input</b>"}),
        BatchItem("old", None, text, skipped=True),
    ]
    soup = _soup(batch_page(items))
    rows = soup.select("details.item")
    assert [r["data-status"] for r in rows] == ["error", "failed", "passed", "skipped"]
    assert [r["data-id"] for r in rows] == ["<script>x</script>", "bad", "ok", "old"]
    assert "error: empty <b>input</b>" in rows[0].select_one(".error-line").get_text()
    assert not soup.find_all("b", string="input") and len(soup.find_all("script")) == 1
    ids = [tag["id"] for tag in soup.select(".tag[id]")]
    assert len(ids) == len(set(ids))  # ids unique across the rows
