"""The factcheck command through click's CliRunner: listing, checking, exit codes, baseline, reference."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from keepfacts.eval.cli import main

SEED = Path(__file__).resolve().parents[1] / "seeds" / "khaama-ukraine-desertions.txt"
GOLDEN = json.loads(SEED.with_name("khaama-ukraine-desertions.facts.json").read_text(encoding="utf-8"))
GOOD = GOLDEN["faithful_summaries"][0]
BAD = "Around 300,000 soldiers have deserted the army, while 7,500 officers fled."


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_lists_every_key_figure_and_source_of_the_seed(runner: CliRunner) -> None:
    result = runner.invoke(main, [str(SEED)])
    assert result.exit_code == 0, result.output
    lowered = result.output.lower()
    for figure in GOLDEN["figures"]:
        assert figure["text"].lower() in lowered
    for source in GOLDEN["sources"]:
        assert source["text"].lower() in lowered
    assert "attribution" in result.output and "-" in result.output.splitlines()[1]


def test_lists_facts_as_json(runner: CliRunner) -> None:
    result = runner.invoke(main, [str(SEED), "--format", "json"])
    assert result.exit_code == 0
    facts = json.loads(result.stdout)["facts"]
    assert {"figure", "entity", "attribution"} == {f["kind"] for f in facts}


def test_check_passes_and_fails_with_exit_codes(runner: CliRunner, tmp_path: Path) -> None:
    good = runner.invoke(main, [str(SEED), _write(tmp_path, "good.txt", GOOD), "--format", "json"])
    assert good.exit_code == 0, good.output
    assert json.loads(good.stdout)["passed"] is True
    bad = runner.invoke(main, [str(SEED), _write(tmp_path, "bad.txt", BAD)])
    assert bad.exit_code == 1
    assert "misattributed" in bad.output and "7,500" in bad.output
    assert bad.stderr.strip().count("\n") == 0 and "factcheck: error" in bad.stderr


def test_translation_mode_by_language(runner: CliRunner, tmp_path: Path) -> None:
    source = _write(tmp_path, "s.txt", "Over 100,000 soldiers were charged in February 2022.")
    output = _write(tmp_path, "o.txt", "Im Februar 2022 wurden über 100.000 Soldaten angeklagt.")
    result = runner.invoke(main, [source, output, "--lang", "de", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["mode"] == "translation"


def test_baseline_fails_only_on_regressions(runner: CliRunner, tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.txt", BAD)
    stored = runner.invoke(main, [str(SEED), bad, "--format", "json"])
    baseline = _write(tmp_path, "baseline.json", stored.stdout)
    same = runner.invoke(main, [str(SEED), bad, "--baseline", baseline])
    assert same.exit_code == 0, same.output
    worse = _write(tmp_path, "worse.txt", BAD + " Some 9,999 tanks were lost.")
    regressed = runner.invoke(main, [str(SEED), worse, "--baseline", baseline])
    assert regressed.exit_code == 1
    assert "regression: new unsupported" in regressed.output and "9,999" in regressed.output


def test_reference_reports_chrf_and_bleu_with_signatures(runner: CliRunner, tmp_path: Path) -> None:
    reference = _write(tmp_path, "ref.txt", GOOD)
    result = runner.invoke(
        main, [str(SEED), _write(tmp_path, "out.txt", GOOD), "--reference", reference, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)["reference"]
    assert scores["chrf"] == pytest.approx(100.0) and scores["bleu"] == pytest.approx(100.0)
    assert "nrefs:1" in scores["bleu_signature"] and "nc:6" in scores["chrf_signature"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/no/such/file.txt"], "cannot read source"),
        (["{seed}", "{out}", "--lang", "xx-nope"], "unknown language"),
        (["{seed}", "{out}", "--baseline", "{out}"], "not valid JSON"),
        (["{seed}", "{out}", "--glossary", "/no/such.tsv"], "cannot read glossary"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    out = _write(tmp_path, "out.txt", GOOD)
    args = [a.format(seed=SEED, out=out) for a in args]
    result = runner.invoke(main, args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_debug_shows_the_exception(runner: CliRunner) -> None:
    result = runner.invoke(main, ["/no/such/file.txt", "--debug"])
    assert result.exit_code != 0 and result.exception is not None
