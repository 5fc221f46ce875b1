"""summarize / translate --report FILE.html: the batch's review page, from the records the run wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from fakes import make_fake

from keepfacts import models
from keepfacts.summarize.cli import main as summarize_cli
from keepfacts.translate.cli import main as translate_cli

ROOT = Path(__file__).resolve().parents[1]
# fake:invent appends "Officials said 500,000 soldiers deserted.": unsupported, unless the article says so.
ARTICLES = {
    "a": "Officials said 1,000 people left on Monday. The mayor said 20 buses came.",
    "b": "Officials said 500,000 soldiers deserted. The army said 500,000 soldiers deserted.",
    "c": "Officials said 3,000 people left <script>alert(1)</script> on Friday.",
    "empty": "  ",
}


@pytest.fixture(autouse=True)
def fakes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    models.register("fake", make_fake)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    return folder


def _run(command, args: list[str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(command, args, catch_exceptions=False)


def _rows(page: Path) -> list[BeautifulSoup]:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("details.item")


def _plain(element: BeautifulSoup) -> str:
    """An element's text without the fact badges (icons and state names) the page puts in it."""
    copy = BeautifulSoup(str(element), "html.parser")
    for tag in copy.select(".tag"):
        tag.decompose()
    return copy.get_text()


def _records(path: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    return {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


SUMMARIZE = ["--model", "fake:invent", "--method", "model", "-q"]


def test_one_row_per_item_errors_then_failed_then_passed(inputs: Path, tmp_path: Path) -> None:
    out, page = tmp_path / "out.jsonl", tmp_path / "review.html"
    result = _run(summarize_cli, [str(inputs), "-o", str(out), "--report", str(page), *SUMMARIZE])
    assert result.exit_code == 2  # the empty input
    rows = _rows(page)
    assert [(r["data-id"], r["data-status"]) for r in rows] == [
        ("empty", "error"),
        ("a", "failed"),
        ("c", "failed"),
        ("b", "passed"),
    ]
    records = _records(out)
    assert "is empty" in rows[0].select_one(".error-line").get_text()
    for row in rows[1:]:
        record = records[row["data-id"]]
        assert row.select_one(".method").get_text() == record["method"]
        for name, value in record["facts"]["counts"].items():
            if name in ("kept", "missing", "changed", "unsupported", "misattributed", "unchecked"):
                assert row.select_one(f'summary [data-count="{name}"]').get_text() == str(value)
        # the row opens onto the side-by-side view of its own source and output
        assert _plain(row.select_one(".source .text")) == ARTICLES[row["data-id"]]
        assert row.select(".output .t-unsupported") or record["facts"]["passed"]
    hostile = next(r for r in rows if r["data-id"] == "c")
    assert "<script>alert(1)</script>" in _plain(hostile.select_one(".source .text"))
    assert len(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all("script")) == 1


def test_resume_reads_skipped_records_back_from_the_jsonl_output(inputs: Path, tmp_path: Path) -> None:
    out, page = tmp_path / "out.jsonl", tmp_path / "review.html"
    _run(summarize_cli, [str(inputs), "-o", str(out), *SUMMARIZE])
    (inputs / "d.txt").write_text("Officials said 7 people left on Sunday.\n", encoding="utf-8")
    again = _run(summarize_cli, [str(inputs), "-o", str(out), "--resume", "--report", str(page), *SUMMARIZE])
    assert again.exit_code == 0
    rows = {r["data-id"]: r for r in _rows(page)}
    assert set(rows) == {"a", "b", "c", "d", "empty"}
    assert rows["empty"]["data-status"] == "error" and rows["b"]["data-status"] == "passed"
    for doc_id in ("a", "b", "c", "empty"):  # done before: read back, and said so
        assert "done before" in rows[doc_id].select_one("summary").get_text()
    assert "done before" not in rows["d"].select_one("summary").get_text()
    assert rows["a"].select(".source mark")  # its source text (read this run) with the marks


def test_resume_into_a_directory_reads_its_manifest(inputs: Path, tmp_path: Path) -> None:
    out, page = tmp_path / "out", tmp_path / "review.html"
    _run(summarize_cli, [str(inputs), "-o", f"{out}/", *SUMMARIZE])
    _run(summarize_cli, [str(inputs), "-o", f"{out}/", "--resume", "--report", str(page), *SUMMARIZE])
    statuses = {r["data-id"]: r["data-status"] for r in _rows(page)}
    assert statuses == {"empty": "error", "a": "failed", "c": "failed", "b": "passed"}


def test_translate_report_places_per_sentence_spans(inputs: Path, tmp_path: Path) -> None:
    page = tmp_path / "review.html"
    result = _run(
        translate_cli,
        [str(inputs / "a.txt"), "--to", "es", "--model", "fake:none", "-q", "--report", str(page)],
    )
    assert result.exit_code == 0, result.output
    (row,) = _rows(page)
    kept = row.select(".source .t-kept")
    assert kept and not row.select(".nowhere")  # every fact found in the text
    marked = {m.get_text() for m in row.select(".source mark")}
    assert {"1,000", "20"} <= marked


def test_report_must_not_be_the_output(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "same.jsonl"
    result = CliRunner().invoke(
        summarize_cli, [str(inputs), "-o", str(out), "--report", str(out), *SUMMARIZE]
    )
    assert result.exit_code == 2 and "--report must not be the --output file" in result.stderr


@pytest.mark.slow
def test_report_with_the_ray_engine(inputs: Path, tmp_path: Path) -> None:
    out, page = tmp_path / "out.jsonl", tmp_path / "review.html"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        # extractive: Ray's workers import keepfacts afresh, without the test's fake model scheme
        [
            sys.executable,
            "-c",
            "from keepfacts.summarize.cli import main; main()",
            str(inputs),
            "-o",
            str(out),
            "--engine",
            "ray",
            "--report",
            str(page),
            "--method",
            "extractive",
            "-q",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    rows = _rows(page)
    records = _records(out)
    assert rows[0]["data-id"] == "empty" and rows[0]["data-status"] == "error"
    assert {r["data-id"]: r["data-status"] for r in rows[1:]} == {
        doc_id: "passed" if r["facts"]["passed"] else "failed"
        for doc_id, r in records.items()
        if "facts" in r
    }
