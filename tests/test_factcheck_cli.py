"""The factcheck command through click's CliRunner: listing, checking, exit codes, baseline, reference."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

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
        (["/no/such/file.txt"], "no such file or directory: /no/such/file.txt"),
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


# --- inputs are read as summarize and translate read them (keepfacts.inputs.read_document) ---------------

ARTICLE = "Over 100,000 soldiers were charged with desertion in February 2022, the Prosecutor General said."
PAGE = (
    "<html><head><script>var x = 2024;</script></head><body><nav>Home | 7 days</nav>"
    f"<article><p>{ARTICLE}</p><script>track(9999)</script></article></body></html>"
)


def _one_error_line(result: Result, piece: str) -> None:
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("factcheck: error: ") and piece in line, line
    assert "Traceback" not in result.stderr and not result.stdout.strip()


@pytest.mark.parametrize(
    "payload", [b"", b"  \n\t\n   \n", b"\xef\xbb\xbf \n"], ids=["empty", "blank", "bom"]
)
@pytest.mark.parametrize("role", ["source", "output"])
def test_an_empty_or_blank_input_is_one_line_and_exit_2(
    runner: CliRunner, tmp_path: Path, payload: bytes, role: str
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(payload)
    args = [str(empty)] if role == "source" else [str(SEED), str(empty)]
    result = runner.invoke(main, args)
    _one_error_line(result, f"{empty} is empty (nothing to process)")


def test_the_empty_input_error_is_the_one_summarize_gives(runner: CliRunner, tmp_path: Path) -> None:
    from keepfacts.inputs import InputFailure, read_inputs

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    [failure] = read_inputs([str(empty)], warn=lambda _: None)
    assert isinstance(failure, InputFailure)
    result = runner.invoke(main, [str(empty)])
    assert result.stderr.strip() == f"factcheck: error: {failure.error}"


def test_html_is_reduced_to_its_article_text_so_scripts_give_no_facts(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = _write(tmp_path, "page.html", PAGE)
    listed = runner.invoke(main, [source, "--format", "json"])
    assert listed.exit_code == 0, listed.output
    texts = [fact["text"] for fact in json.loads(listed.stdout)["facts"]]
    assert "100,000" in " ".join(texts) and "February 2022" in texts
    for junk in ("2024", "9999", "7 days"):
        assert not any(junk in text for text in texts), texts
    faithful = _write(tmp_path, "out.txt", ARTICLE)
    checked = runner.invoke(main, [source, faithful, "--format", "json"])
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["passed"] is True


def test_an_html_output_is_reduced_too(runner: CliRunner, tmp_path: Path) -> None:
    source = _write(tmp_path, "s.txt", ARTICLE)
    output = _write(tmp_path, "out.txt", PAGE)  # no .html suffix: recognised by its content
    result = runner.invoke(main, [source, output, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["passed"] is True and report["unsupported"] == []


def test_html_on_standard_input_is_reduced(runner: CliRunner, tmp_path: Path) -> None:
    listed = runner.invoke(main, ["-", "--format", "json"], input=PAGE)
    assert listed.exit_code == 0, listed.output
    assert "2024" not in listed.stdout and "100,000" in listed.stdout
    result = runner.invoke(main, ["-", _write(tmp_path, "out.txt", ARTICLE)], input=PAGE)
    assert result.exit_code == 0, result.output


def test_a_latin1_file_is_decoded_with_a_one_line_warning(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(
        "The café owner in Zürich said 300 soldiers had left since February 2022.".encode("latin-1")
    )
    result = runner.invoke(main, [str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    texts = [fact["text"] for fact in json.loads(result.stdout)["facts"]]
    assert "Zürich" in texts and "300" in texts
    [warning] = result.stderr.strip().splitlines()
    assert warning.startswith("warning: ") and "latin1.txt" in warning and "not UTF-8" in warning


def test_a_too_large_file_gets_the_size_error(runner: CliRunner, tmp_path: Path) -> None:
    from keepfacts.inputs import MAX_INPUT_BYTES

    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: the size is refused before anything is read
        handle.truncate(MAX_INPUT_BYTES + 1)
    _one_error_line(runner.invoke(main, [str(SEED), str(big)]), f"{big} is too large")


def test_bad_inputs_get_the_readers_one_line_errors(runner: CliRunner, tmp_path: Path) -> None:
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    _one_error_line(runner.invoke(main, [str(binary)]), "is not text")
    _one_error_line(runner.invoke(main, [str(SEED), str(tmp_path / "nope.txt")]), "no such file or directory")
    _one_error_line(runner.invoke(main, [str(tmp_path)]), f"{tmp_path} is a directory")
    records = _write(tmp_path, "records.jsonl", json.dumps({"text": ARTICLE}) + "\n")
    _one_error_line(runner.invoke(main, [records]), "records.jsonl")
    _one_error_line(
        runner.invoke(main, [str(SEED), _write(tmp_path, "o.txt", GOOD), "--reference", str(binary)]),
        "is not text",
    )


# --- --baseline compares facts by identity (kind, value, position in the source), not by their text -------


def _fact(text: str, amount: float, span: tuple[int, int], **value: Any) -> dict[str, Any]:
    shown = {"kind": "money", "amount": amount, "unit": "USD", "qualifier": None, **value}
    return {"kind": "figure", "text": text, "value": shown, "span": list(span), "sentence": 0}


FIVE = _fact("5 dollars", 5, (8, 17))


@pytest.mark.parametrize(
    ("now", "regressed"),
    [
        (FIVE, False),
        (_fact("$5", 5, (8, 17)), False),  # the same fact, its text formatted otherwise
        (_fact("5 dollars", 5.0, (8, 17)), False),  # the same amount as a float
        ({**FIVE, "value": {k: v for k, v in FIVE["value"].items() if v is not None}}, False),  # no null
        ({**FIVE, "sentence": 3}, False),  # the sentence index is derived from the position
        (_fact("5 dollars", 5, (40, 49)), True),  # the same text elsewhere in the source: another fact
        (_fact("5 dollars", 6, (8, 17)), True),  # the same text read as another value: another fact
        (_fact("5 dollars", 5, (8, 17), qualifier="over"), True),
        ({**FIVE, "kind": "entity"}, True),
    ],
)
def test_baseline_keeps_a_fact_by_kind_value_and_position(now: dict[str, Any], regressed: bool) -> None:
    from keepfacts.eval.baseline import regressions

    found = regressions({"kept": [FIVE]}, {"kept": [now]})
    assert bool(found) is regressed, found
    if regressed:
        assert found == ["no longer kept: figure '5 dollars' (8-17)"]


def test_baseline_counts_output_facts_by_kind_and_value_wherever_the_output_has_them() -> None:
    from keepfacts.eval.baseline import regressions

    nine = _fact("9 dollars", 9, (8, 17))
    before = {"kept": [], "unsupported": [nine]}
    moved = {**nine, "text": "$9", "span": [30, 32]}  # a rewritten output: the same invented figure
    assert regressions(before, {"unsupported": [moved]}) == []
    assert regressions(before, {"unsupported": [_fact("9 dollars", 8, (8, 17))]}) == [
        "new unsupported: '9 dollars'"
    ]
    assert regressions(before, {"unsupported": [nine, moved]}) == ["new unsupported: '$9'"]  # one more


def test_baseline_pairs_match_by_their_source_fact_and_output_value() -> None:
    from keepfacts.eval.baseline import regressions

    nine = _fact("9 dollars", 9, (3, 12))
    pair = {"source": FIVE, "output": nine, "part": "amount", "reason": "'5 dollars' in the source"}
    before = {"changed": [pair]}
    reworded = {
        "source": {**FIVE, "text": "$5"},
        "output": {**nine, "text": "$9", "span": [20, 22]},
        "part": "amount",
        "reason": "another wording",
    }
    assert regressions(before, {"changed": [reworded]}) == []
    elsewhere = {**pair, "source": _fact("5 dollars", 5, (40, 49))}
    assert regressions(before, {"changed": [elsewhere]}) == ["new changed: '9 dollars'"]
    assert regressions({"misattributed": [pair]}, {"misattributed": [reworded]}) == []
    assert regressions({"misattributed": [pair]}, {"misattributed": [elsewhere]}) == [
        "new misattributed: '9 dollars'"
    ]


def test_baseline_ignores_the_figure_texts_of_an_attribution() -> None:
    from keepfacts.eval.baseline import regressions

    said: dict[str, Any] = {
        "kind": "attribution",
        "text": "the mayor",
        "value": {"source": "the mayor", "claim": "it cost 5 dollars", "figures": [FIVE["value"]]},
        "span": [30, 39],
        "sentence": 0,
    }
    before = {"kept": [{**said, "value": {**said["value"], "figure_texts": ["5 dollars"]}}]}
    assert regressions(before, {"kept": [{**said, "value": {**said["value"], "figure_texts": ["$5"]}}]}) == []
    other_claim = {**said, "value": {**said["value"], "claim": "it cost 6 dollars"}}
    assert len(regressions(before, {"kept": [other_claim]})) == 1
