"""`factcheck --pairs PAIRS.jsonl`: many (source, output) pairs checked in one process, JSONL in, JSONL out.

These tests assert the plumbing (ids, order, error lines, exit codes, one analysis per source, the
baseline by id), not the checker's verdicts beyond obvious ones: an output identical to its source passes,
"It cost 9 dollars." against "It cost 5 dollars." fails.
"""

from __future__ import annotations

import gc
import importlib
import json
import weakref
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from keepfacts.eval.cli import main

# The modules (keepfacts.eval.check is also the name of the function the package exports).
analysis_module = importlib.import_module("keepfacts.eval.analysis")
check_module = importlib.import_module("keepfacts.eval.check")

COST = "It cost 5 dollars."
WRONG_COST = "It cost 9 dollars."
ARTICLE = "Over 100,000 soldiers were charged with desertion in February 2022, the Prosecutor General said."
OTHER = "The council approved 12 new schools in March 2021, the mayor said."
REPORT_KEYS = {"mode", "kept", "missing", "unsupported", "changed", "misattributed", "unchecked", "passed"}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _pairs(tmp_path: Path, *records: Any, name: str = "pairs.jsonl") -> str:
    """A PAIRS file: dicts are written as JSON, strings as raw lines."""
    path = tmp_path / name
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _summary(result: Result) -> str:
    return result.stderr.strip().splitlines()[-1]


def test_one_report_per_pair_in_input_order_with_ids(runner: CliRunner, tmp_path: Path) -> None:
    pairs = _pairs(
        tmp_path,
        {"id": "same", "source": ARTICLE, "output": ARTICLE},
        {"id": "wrong", "source": COST, "output": WRONG_COST},
        {"id": "right", "source": COST, "output": COST},
    )
    result = runner.invoke(main, ["--pairs", pairs])
    assert result.exit_code == 1, result.output
    records = _lines(result.stdout)
    assert [r["id"] for r in records] == ["same", "wrong", "right"]
    assert [r["passed"] for r in records] == [True, False, True]
    for record in records:
        assert REPORT_KEYS | {"id", "counts"} <= set(record)
        assert next(iter(record)) == "id"
    assert _summary(result) == "factcheck: 3 pairs, 2 passed, 1 failed, 0 errors"
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_pairs_line_is_the_two_argument_json_report_plus_its_id(runner: CliRunner, tmp_path: Path) -> None:
    source, output = tmp_path / "s.txt", tmp_path / "o.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    output.write_text("Some 100,000 soldiers were charged, the Prosecutor General said.", encoding="utf-8")
    single = runner.invoke(main, [str(source), str(output), "--format", "json"])
    assert single.exit_code in (0, 1), single.output
    pairs = _pairs(tmp_path, {"id": "p", "source": ARTICLE, "output": output.read_text(encoding="utf-8")})
    [record] = _lines(runner.invoke(main, ["--pairs", pairs]).stdout)
    assert record.pop("id") == "p"
    assert record == json.loads(single.stdout)


def test_each_distinct_source_is_analysed_once(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = analysis_module.analyse
    calls: list[str] = []

    def spy(text: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(analysis_module, "analyse", spy)
    pairs = _pairs(
        tmp_path,
        {"id": "a1", "source": ARTICLE, "output": ARTICLE},
        {"id": "c1", "source": COST, "output": COST},
        {"id": "a2", "source": ARTICLE, "output": "Over 100,000 soldiers were charged."},
        {"id": "c2", "source": COST, "output": WRONG_COST},
        {"id": "a3", "source": ARTICLE, "output": ARTICLE},
    )
    result = runner.invoke(main, ["--pairs", pairs])
    assert result.exit_code == 1, result.output
    assert sorted(calls) == sorted([ARTICLE, COST])
    assert [r["id"] for r in _lines(result.stdout)] == ["a1", "c1", "a2", "c2", "a3"]


def test_an_analysis_is_let_go_after_the_last_pair_of_its_source(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_analyse, real_check = analysis_module.analyse, check_module.check
    made: list[weakref.ref[Any]] = []
    alive_at_check: list[int] = []

    def analyse(text: str, *args: Any, **kwargs: Any) -> Any:
        result = real_analyse(text, *args, **kwargs)
        made.append(weakref.ref(result))
        return result

    def check(source: Any, output: str, **kwargs: Any) -> Any:
        gc.collect()
        alive_at_check.append(sum(ref() is not None for ref in made))
        return real_check(source, output, **kwargs)

    monkeypatch.setattr(analysis_module, "analyse", analyse)
    monkeypatch.setattr(check_module, "check", check)
    pairs = _pairs(
        tmp_path,
        {"id": "a1", "source": ARTICLE, "output": ARTICLE},
        {"id": "a2", "source": ARTICLE, "output": ARTICLE},
        {"id": "c1", "source": COST, "output": COST},
        {"id": "o1", "source": OTHER, "output": OTHER},
    )
    result = runner.invoke(main, ["--pairs", pairs])
    assert result.exit_code == 0, result.output
    assert alive_at_check == [1, 1, 1, 1]


def test_the_glossary_applies_to_every_pair(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = check_module.check
    glossaries: list[Any] = []

    def check(source: Any, output: str, **kwargs: Any) -> Any:
        glossaries.append(kwargs.get("glossary"))
        return real(source, output, **kwargs)

    monkeypatch.setattr(check_module, "check", check)
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text("Prosecutor General\tes\tFiscal General\n", encoding="utf-8")
    pairs = _pairs(
        tmp_path,
        {"id": "a", "source": ARTICLE, "output": ARTICLE},
        {"id": "b", "source": COST, "output": COST},
    )
    result = runner.invoke(main, ["--pairs", pairs, "--glossary", str(glossary)])
    assert result.exit_code == 0, result.output
    assert len(glossaries) == 2 and glossaries[0] is not None and glossaries[0] is glossaries[1]


def test_lang_defaults_to_en_and_mode_follows_the_language(runner: CliRunner, tmp_path: Path) -> None:
    pairs = _pairs(
        tmp_path,
        {"id": "en", "source": COST, "output": COST},
        {"id": "de", "source": COST, "output": "Es kostete 5 Dollar.", "lang": "de"},
        {
            "id": "de-summary",
            "source": COST,
            "output": "Es kostete 5 Dollar.",
            "lang": "de",
            "mode": "summary",
        },
        {"id": "en-translation", "source": COST, "output": COST, "mode": "translation"},
    )
    result = runner.invoke(main, ["--pairs", pairs])
    assert result.exit_code in (0, 1), result.output
    modes = {r["id"]: r["mode"] for r in _lines(result.stdout)}
    assert modes == {
        "en": "summary",
        "de": "translation",
        "de-summary": "summary",
        "en-translation": "translation",
    }


def test_lang_and_mode_options_are_the_defaults_for_records_without_them(
    runner: CliRunner, tmp_path: Path
) -> None:
    pairs = _pairs(
        tmp_path,
        {"id": "es", "source": COST, "output": "Costó 5 dólares."},
        {"id": "en", "source": COST, "output": COST, "lang": "en"},
    )
    result = runner.invoke(main, ["--pairs", pairs, "--lang", "es"])
    modes = {r["id"]: r["mode"] for r in _lines(result.stdout)}
    assert modes == {"es": "translation", "en": "summary"}, result.output
    result = runner.invoke(main, ["--pairs", pairs, "--lang", "es", "--mode", "summary"])
    assert {r["mode"] for r in _lines(result.stdout)} == {"summary"}


GOOD = {"id": "good", "source": COST, "output": COST}
LATER = {"id": "later", "source": ARTICLE, "output": ARTICLE}


@pytest.mark.parametrize(
    ("line", "error_id", "message"),
    [
        ('{"id": "x", "source": ', "pairs.jsonl:2", "pairs.jsonl:2: invalid JSON"),
        ('["a", "b"]', "pairs.jsonl:2", "not a JSON object"),
        ('"just text"', "pairs.jsonl:2", "not a JSON object"),
        ({"id": "x", "output": COST}, "x", 'no "source" field'),
        ({"id": "x", "source": COST}, "x", 'no "output" field'),
        ({"source": COST}, "pairs.jsonl:2", 'no "output" field'),
        ({"id": "x", "source": "", "output": COST}, "x", '"source" is empty'),
        ({"id": "x", "source": COST, "output": " \n\t "}, "x", '"output" is empty'),
        ({"id": "x", "source": 5, "output": COST}, "x", '"source" must be a string'),
        ({"id": "x", "source": COST, "output": None}, "x", '"output" must be a string'),
        ({"id": "x", "source": COST, "output": COST, "lang": 5}, "x", '"lang" must be'),
        ({"id": "x", "source": COST, "output": COST, "lang": "xx-nope"}, "x", "unknown language"),
        ({"id": "x", "source": COST, "output": COST, "mode": "abstract"}, "x", "unknown mode 'abstract'"),
        ({"id": "x", "source": COST, "output": COST, "mode": 3}, "x", '"mode" must be'),
        ({"id": True, "source": COST, "output": COST}, "pairs.jsonl:2", '"id" must be'),
        ({"id": "x", "source": COST, "output": COST, "glossary": {}}, "x", "--glossary"),
    ],
)
def test_a_bad_record_is_one_error_line_and_the_rest_go_on(
    runner: CliRunner, tmp_path: Path, line: Any, error_id: str, message: str
) -> None:
    pairs = _pairs(tmp_path, GOOD, line, LATER)
    result = runner.invoke(main, ["--pairs", pairs])
    assert result.exit_code == 2, result.output
    good, bad, later = _lines(result.stdout)
    assert good["id"] == "good" and good["passed"] is True
    assert later["id"] == "later" and later["passed"] is True
    assert set(bad) == {"id", "error"} and bad["id"] == error_id
    assert message in bad["error"] and "\n" not in bad["error"], bad["error"]
    assert bad["error"].startswith("pairs.jsonl:2: ")
    assert _summary(result) == "factcheck: 3 pairs, 2 passed, 0 failed, 1 errors"
    assert "Traceback" not in result.stderr


def test_not_utf8_and_blank_lines(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf"
        + json.dumps(GOOD).encode()
        + b"\n\n   \n"
        + b'{"id": "\xff"}\n'
        + json.dumps(LATER).encode()
    )
    result = runner.invoke(main, ["--pairs", str(path)])
    assert result.exit_code == 2, result.output
    records = _lines(result.stdout)
    assert [r["id"] for r in records] == ["good", "pairs.jsonl:4", "later"]
    assert "not UTF-8" in records[1]["error"]


def test_an_error_in_the_checker_is_an_error_line_and_the_rest_go_on(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = check_module.check

    def check(source: Any, output: str, **kwargs: Any) -> Any:
        if output == "boom":
            raise RuntimeError("exploded")
        return real(source, output, **kwargs)

    monkeypatch.setattr(check_module, "check", check)
    pairs = _pairs(tmp_path, GOOD, {"id": "boom", "source": COST, "output": "boom"}, LATER)
    result = runner.invoke(main, ["--pairs", pairs])
    assert result.exit_code == 2, result.output
    records = _lines(result.stdout)
    assert [r["id"] for r in records] == ["good", "boom", "later"]
    assert "internal error: RuntimeError: exploded" in records[1]["error"]
    assert "Traceback" not in result.stderr


def test_a_bad_record_exits_2_even_when_a_pair_failed(runner: CliRunner, tmp_path: Path) -> None:
    pairs = _pairs(tmp_path, {"id": "wrong", "source": COST, "output": WRONG_COST}, "not json")
    result = runner.invoke(main, ["--pairs", pairs])
    assert result.exit_code == 2
    assert _summary(result) == "factcheck: 2 pairs, 0 passed, 1 failed, 1 errors"


def test_all_passed_exits_0(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["--pairs", _pairs(tmp_path, GOOD, LATER)])
    assert result.exit_code == 0, result.output
    assert _summary(result) == "factcheck: 2 pairs, 2 passed, 0 failed, 0 errors"


def test_standard_input_and_ids_from_it(runner: CliRunner) -> None:
    text = json.dumps(GOOD) + "\n" + json.dumps({"source": COST, "output": WRONG_COST}) + "\n"
    result = runner.invoke(main, ["--pairs", "-"], input=text)
    assert result.exit_code == 1, result.output
    assert [r["id"] for r in _lines(result.stdout)] == ["good", "stdin:2"]


def test_ids_are_strings_and_repeated_ids_are_made_unique(runner: CliRunner, tmp_path: Path) -> None:
    pairs = _pairs(
        tmp_path,
        {"id": 7, "source": COST, "output": COST},
        {"id": "x", "source": COST, "output": COST},
        {"id": "x", "source": COST, "output": COST},
        {"id": "x", "source": COST, "output": COST},
    )
    result = runner.invoke(main, ["--pairs", pairs])
    assert [r["id"] for r in _lines(result.stdout)] == ["7", "x", "x-2", "x-3"]


def test_repeated_ids_are_named_once_on_stderr_unless_quiet(runner: CliRunner, tmp_path: Path) -> None:
    """Renamed ids used to go unsaid; one line names them, as summarize and translate do."""
    record = {"source": COST, "output": COST}
    pairs = _pairs(tmp_path, *({"id": i, **record} for i in ("x", "y", "x", "x", "y", "z")))
    result = runner.invoke(main, ["--pairs", pairs])
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in _lines(result.stdout)] == ["x", "y", "x-2", "x-3", "y-2", "z"]
    renamed = [line for line in result.stderr.splitlines() if "duplicate" in line]
    assert renamed == ["factcheck: duplicate ids renamed: x (as x-2, x-3), y (as y-2)"]
    quiet = runner.invoke(main, ["--pairs", pairs, "-q"])
    assert quiet.stderr == ""


def test_output_file(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "reports.jsonl"
    out.write_text("old content that is replaced\n", encoding="utf-8")
    result = runner.invoke(main, ["--pairs", _pairs(tmp_path, GOOD, LATER), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert [r["id"] for r in _lines(out.read_text(encoding="utf-8"))] == ["good", "later"]


def test_quiet_prints_no_summary(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["--pairs", _pairs(tmp_path, GOOD), "--quiet"])
    assert result.exit_code == 0 and result.stderr == ""


def test_an_html_output_is_reduced_as_in_the_two_argument_form(runner: CliRunner, tmp_path: Path) -> None:
    page = (
        f"<html><body><nav>7 days</nav><article><p>{COST}</p><script>x(9999)</script></article></body></html>"
    )
    result = runner.invoke(main, ["--pairs", _pairs(tmp_path, {"id": "h", "source": COST, "output": page})])
    assert result.exit_code == 0, result.output
    [record] = _lines(result.stdout)
    assert record["passed"] is True and record["unsupported"] == []


def _one_usage_line(result: Result, piece: str) -> None:
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("factcheck: error: ") and piece in line, line
    assert not result.stdout.strip() and "Traceback" not in result.stderr


def test_usage_errors_are_one_line_and_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    pairs = _pairs(tmp_path, GOOD)
    source = tmp_path / "s.txt"
    source.write_text(COST, encoding="utf-8")
    _one_usage_line(runner.invoke(main, [str(source), "--pairs", pairs]), "--pairs")
    _one_usage_line(runner.invoke(main, [str(source), str(source), "--pairs", pairs]), "--pairs")
    _one_usage_line(runner.invoke(main, []), "SOURCE")
    _one_usage_line(runner.invoke(main, ["--pairs", pairs, "--reference", str(source)]), "--reference")
    _one_usage_line(runner.invoke(main, ["--pairs", pairs, "--format", "json"]), "--format")
    _one_usage_line(runner.invoke(main, [str(source), str(source), "-o", "x.jsonl"]), "--output")
    _one_usage_line(runner.invoke(main, ["--pairs", str(tmp_path / "nope.jsonl")]), "no such file")
    _one_usage_line(runner.invoke(main, ["--pairs", str(tmp_path)]), "is a directory")
    _one_usage_line(runner.invoke(main, ["--pairs", pairs, "-o", str(tmp_path)]), "is a directory")


def test_help_describes_pairs(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "--pairs" in result.output and "PAIRS.jsonl" in result.output


# --- --baseline with --pairs: the JSONL of an earlier --pairs run, matched by id ---------------------------


def test_baseline_by_id_fails_only_on_regressions(runner: CliRunner, tmp_path: Path) -> None:
    first = [
        {"id": "wrong", "source": COST, "output": WRONG_COST},
        {"id": "good", "source": ARTICLE, "output": ARTICLE},
    ]
    stored = runner.invoke(main, ["--pairs", _pairs(tmp_path, *first)])
    assert stored.exit_code == 1
    baseline = tmp_path / "baseline.jsonl"
    baseline.write_text(stored.stdout, encoding="utf-8")

    same = runner.invoke(main, ["--pairs", _pairs(tmp_path, *first), "--baseline", str(baseline)])
    assert same.exit_code == 0, same.output
    assert [r["regressions"] for r in _lines(same.stdout)] == [[], []]
    assert (
        _summary(same)
        == "factcheck: 2 pairs, 1 passed, 1 failed, 0 errors; 0 regressed against baseline.jsonl"
    )

    worse = [first[0], {"id": "good", "source": ARTICLE, "output": ARTICLE + " Some 9,999 tanks were lost."}]
    regressed = runner.invoke(main, ["--pairs", _pairs(tmp_path, *worse), "--baseline", str(baseline)])
    assert regressed.exit_code == 1, regressed.output
    wrong, good = _lines(regressed.stdout)
    assert wrong["regressions"] == []
    assert any("new unsupported" in line and "9,999" in line for line in good["regressions"])
    assert _summary(regressed).endswith("; 1 regressed against baseline.jsonl")


def test_a_pair_the_baseline_lacks_is_judged_by_its_own_check(runner: CliRunner, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.jsonl"
    baseline.write_text(runner.invoke(main, ["--pairs", _pairs(tmp_path, GOOD)]).stdout, encoding="utf-8")
    new_good = runner.invoke(main, ["--pairs", _pairs(tmp_path, GOOD, LATER), "--baseline", str(baseline)])
    assert new_good.exit_code == 0, new_good.output
    assert "regressions" not in _lines(new_good.stdout)[1]
    assert _summary(new_good).endswith("; 0 regressed against baseline.jsonl (1 not in it)")
    new_bad = {"id": "new", "source": COST, "output": WRONG_COST}
    result = runner.invoke(main, ["--pairs", _pairs(tmp_path, GOOD, new_bad), "--baseline", str(baseline)])
    assert result.exit_code == 1, result.output


def test_an_error_record_in_the_baseline_counts_as_no_baseline(runner: CliRunner, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.jsonl"
    baseline.write_text(json.dumps({"id": "good", "error": "x"}) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["--pairs", _pairs(tmp_path, GOOD), "--baseline", str(baseline)])
    assert result.exit_code == 0, result.output
    assert "regressions" not in _lines(result.stdout)[0]


@pytest.mark.parametrize(
    ("content", "piece"),
    [
        ('{\n "mode": "summary",\n "kept": []\n}\n', "not valid JSON"),
        ('{"mode": "summary", "kept": []}\n', '"id"'),
        ('{"id": "a", "kept": []}\n{"id": "a", "kept": []}\n', "twice"),
        ("[1, 2]\n", "not a JSON object"),
    ],
)
def test_a_bad_pairs_baseline_is_one_line_and_exit_2(
    runner: CliRunner, tmp_path: Path, content: str, piece: str
) -> None:
    baseline = tmp_path / "baseline.jsonl"
    baseline.write_text(content, encoding="utf-8")
    result = runner.invoke(main, ["--pairs", _pairs(tmp_path, GOOD), "--baseline", str(baseline)])
    _one_usage_line(result, piece)
    assert "baseline" in result.stderr
