"""measure_frank: false alarms, detection and balanced accuracy of the checker on human-judged summaries.

A tiny synthetic frank-like directory fixes the arithmetic (summaries whose verdict is plain: copied from
the article, or with an invented number or place); ../shared/frank-dev, where present, checks the shape
of a real run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from keepfacts.eval.measure_frank import DATASETS, default_frank, main, measure, present, render

CLEAN = {"RelE": 1.0, "EntE": 1.0, "CircE": 1.0, "CorefE": 1.0, "LinkE": 1.0, "OutE": 1.0, "GramE": 1.0}

ARTICLES = [
    {
        "id": "a1" * 20,
        "dataset": "cnndm",
        "text": "The council said 300 people attended the meeting in Leeds on Monday. "
        "The mayor, John Smith, opened the new library. It cost 2 million pounds to build.",
    },
    {
        "id": "b2" * 20,
        "dataset": "xsum",
        "text": "Police in Manchester arrested 12 men after the match on Saturday, a spokesman said.",
    },
]

# (article, system, summary, factuality, errors set below 1.0, the checker's verdict)
SUMMARIES: list[tuple[str, str, str, float, dict[str, float], bool]] = [
    # cnndm: 4 factual (one failed: a false alarm), 3 with errors (2 EntE/CircE, 1 caught).
    ("a1", "bart", "The council said 300 people attended the meeting in Leeds on Monday.", 1.0, {}, True),
    ("a1", "pgn", "The mayor, John Smith, opened the new library.", 1.0, {}, True),
    ("a1", "bus", "John Smith opened the new library.", 1.0, {}, True),
    ("a1", "bert_sum", "The council said 9,999 people attended the meeting in Leeds.", 1.0, {}, False),
    ("a1", "s2s", "The council said 7,777 people attended the meeting.", 0.0, {"EntE": 0.0}, False),
    ("a1", "s2s-b", "The mayor, John Smith, closed the new library.", 0.0, {"RelE": 0.0}, True),
    ("a1", "pgn-b", "It cost 2 million pounds to build.", 0.5, {"CircE": 0.5}, True),
    # xsum: 1 factual (passed), 3 with errors (2 EntE, both caught; 1 GramE, passed).
    ("b2", "BERTS2S", "Police in Manchester arrested 12 men after the match.", 1.0, {}, True),
    ("b2", "PtGen", "Police in Manchester arrested 45 men after the match.", 0.0, {"EntE": 0.0}, False),
    ("b2", "TranS2S", "Police in Birmingham arrested 12 men.", 0.0, {"EntE": 0.0}, False),
    ("b2", "TConvS2S", "Police arrested men after the match.", 0.0, {"GramE": 0.0}, True),
]


def _write(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    with (root / "articles.jsonl").open("w", encoding="utf-8") as handle:
        for row in ARTICLES:
            handle.write(json.dumps(row) + "\n")
    with (root / "summaries.jsonl").open("w", encoding="utf-8") as handle:
        for article, system, summary, factuality, errors, _ in SUMMARIES:
            line = {
                "article_id": article * 20,
                "dataset": "cnndm" if article == "a1" else "xsum",
                "system": system,
                "summary": summary,
                "summary_as_distributed": summary.lower(),
                "factuality": factuality,
                "errors": {**CLEAN, **errors},
            }
            handle.write(json.dumps(line) + "\n")
    return root


@pytest.fixture
def frank(tmp_path: Path) -> Path:
    return _write(tmp_path / "frank")


def test_verdicts_per_summary(frank: Path) -> None:
    """The synthetic summaries get the verdicts the arithmetic below relies on."""
    results = measure(frank)
    verdicts = {s.system: s.passed for r in results.values() for s in r.summaries}
    assert verdicts == {system: passed for _, system, _, _, _, passed in SUMMARIES}


def test_figures(frank: Path) -> None:
    results = measure(frank)
    cnndm, xsum = results["cnndm"], results["xsum"]
    assert cnndm.false_alarms == (1, 4)
    assert cnndm.entity_detection == (1, 2)
    assert cnndm.any_detection == (1, 3)
    assert cnndm.balanced_accuracy == pytest.approx((1 / 3 + 3 / 4) / 2 * 100)
    assert xsum.false_alarms == (0, 1)
    assert xsum.entity_detection == (2, 2)
    assert xsum.any_detection == (2, 3)
    assert xsum.balanced_accuracy == pytest.approx((2 / 3 + 1) / 2 * 100)


def test_printed_report(frank: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(frank)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    cnndm = next(line for line in lines if line.startswith("cnndm"))
    xsum = next(line for line in lines if line.startswith("xsum"))
    assert cnndm.split()[:3] == ["cnndm", "7", "4"]
    assert "25.0% (1/4)" in cnndm and "50.0% (1/2)" in cnndm and "33.3% (1/3)" in cnndm
    assert cnndm.split()[-1] == "54.2"
    assert "0.0% (0/1)" in xsum and "100.0% (2/2)" in xsum and "66.7% (2/3)" in xsum
    assert xsum.split()[-1] == "83.3"
    assert "BERTScore-P 67.6/66.3" in out and "FactCC 66.8/56.0" in out and "DAE 65.6/60.1" in out
    # The one false alarm, with the rule that fired and the figure.
    assert "worst false alarms, cnndm:" in out and "worst false alarms, xsum:" not in out
    alarm = next(line for line in lines if "/bert_sum:" in line)
    assert alarm.startswith("  a1a1a1a1/bert_sum: unsupported '9,999'")


def test_worst_zero_and_json(frank: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(frank), "--worst", "0"]) == 0
    assert "worst false alarms" not in capsys.readouterr().out
    assert main([str(frank), "--json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert data["cnndm"]["false_alarms"] == {"failed": 1, "total": 4, "share": 0.25}
    assert data["cnndm"]["entity_circumstance_detection"]["failed"] == 1
    assert data["xsum"]["any_error_detection"] == {"failed": 2, "total": 3, "share": pytest.approx(2 / 3)}
    assert data["xsum"]["balanced_accuracy"] == pytest.approx(250 / 3)
    [alarm] = data["cnndm"]["false_alarm_list"]
    assert alarm["system"] == "bert_sum"
    assert alarm["findings"] == [{"rule": "unsupported", "text": "9,999", "reason": "no source figure"}]
    assert data["published_test_split"]["FactCC"] == {"cnndm": 66.8, "xsum": 56.0}


def test_absent_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "nowhere" in err


def test_real_frank_dev() -> None:
    """On ../shared/frank-dev: both datasets reported, every figure in range, the output compact."""
    root = default_frank()
    if not present(root):
        pytest.skip("../shared/frank-dev not present")
    results = measure(root)
    lines = render(results, 0.0, 5)
    assert len(lines) <= 30
    assert set(results) == set(DATASETS)
    assert sum(len(r.summaries) for r in results.values()) == 656
    for name in DATASETS:
        r = results[name]
        for failed, total in (r.false_alarms, r.entity_detection, r.any_detection):
            assert 0 <= failed <= total and total > 0
        assert r.balanced_accuracy is not None and 0.0 <= r.balanced_accuracy <= 100.0
        row = next(line for line in lines if line.startswith(name))
        assert float(row.split()[-1]) == pytest.approx(r.balanced_accuracy, abs=0.05)
