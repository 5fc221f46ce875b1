"""check(): kept, missing, changed, unsupported and misattributed facts; pass rules per mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from keepfacts.errors import InputError, LanguageError, UsageError
from keepfacts.eval import Report, check, extract, format_figure, load_glossary
from keepfacts.eval.figure_match import figure_kept
from keepfacts.eval.match import OutputScan

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED = (SEEDS / "khaama-ukraine-desertions.txt").read_text(encoding="utf-8")
GOLDEN = json.loads((SEEDS / "khaama-ukraine-desertions.facts.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_facts():
    return extract(SEED)


def test_300000_engaged_becoming_deserted_is_flagged(seed_facts) -> None:
    report = check(SEED, "300,000 soldiers deserted.", source_facts=seed_facts)
    assert not report.passed
    flagged = report.misattributed + report.changed
    assert any("300,000" in pair["output"]["text"] for pair in flagged)


@pytest.mark.parametrize("case", GOLDEN["misattributions"], ids=lambda c: c["summary"])
def test_golden_misattributions_are_flagged(seed_facts, case: dict) -> None:
    report = check(SEED, case["summary"], source_facts=seed_facts)
    assert report.misattributed, case["why"]
    assert not report.passed


@pytest.mark.parametrize("summary", GOLDEN["faithful_summaries"])
def test_faithful_summary_passes_with_coverage(seed_facts, summary: str) -> None:
    report = check(SEED, summary, source_facts=seed_facts)
    assert report.passed, report.to_dict()
    kept = {f["text"].lower() for f in report.kept if f["kind"] == "figure"}
    assert {"over 100,000", "february 2022", "around 300,000", "200,000"} <= kept
    assert 0 < report.coverage("figure") < 1


def test_invented_number_is_unsupported(seed_facts) -> None:
    report = check(SEED, "Over 100,000 soldiers and 7,500 officers were charged.", source_facts=seed_facts)
    assert [f["text"] for f in report.unsupported] == ["7,500"]
    assert not report.passed


def test_changed_figure_in_a_summary_is_paired() -> None:
    source = "Officials counted 244890 ballots on Sunday."
    report = check(source, "Officials counted 24,490 ballots on Sunday.")
    assert [(p["source"]["text"], p["output"]["text"]) for p in report.changed] == [("244890", "24,490")]
    assert not report.unsupported and not report.passed


def test_changed_figure_in_a_translation_is_paired() -> None:
    source = "Officials counted 244890 ballots.\nThe count ended on Sunday."
    output = "Die Beamten zählten 24.490 Stimmzettel.\nDie Zählung endete am Sonntag."
    for mode in ("translation", "summary"):
        report = check(source, output, lang="de", mode=mode)
        assert [p["source"]["text"] for p in report.changed] == ["244890"], mode
        assert not report.passed


@pytest.mark.parametrize(
    ("summary", "changed"),
    [("Over 300,000 soldiers were engaged.", True), ("About 300,000 soldiers were engaged.", False)],
)
def test_qualifier_turned_around_is_changed(seed_facts, summary: str, changed: bool) -> None:
    report = check(SEED, summary, source_facts=seed_facts)
    assert bool(report.changed) is changed


def test_translation_recall_and_pass(seed_facts) -> None:
    source = "Over 100,000 soldiers have been charged since February 2022, the Associated Press reports."
    good = "Seit Februar 2022 wurden über 100.000 Soldaten angeklagt, berichtet die Associated Press."
    bad = "Seit Februar 2022 wurden über 10.000 Soldaten angeklagt, berichtet die Associated Press."
    assert check(source, good, lang="de", mode="translation").passed
    report = check(source, bad, lang="de", mode="translation")
    assert not report.passed
    assert [p["output"]["text"] for p in report.changed] == ["10.000"]


def test_glossary_entry_keeps_an_entity() -> None:
    source = "The Prosecutor General's Office reported 5 cases."
    output = "Die Generalstaatsanwaltschaft meldete 5 Fälle."
    report = check(source, output, lang="de", mode="translation")
    assert "Prosecutor General's Office" in {f["text"] for f in report.kept if f["kind"] == "entity"}
    # Without the glossary entry, the office's descriptive name (which a translation may translate) is
    # unchecked: neither kept nor missing, and the report counts it.
    empty = check(source, output, lang="de", mode="translation", glossary=load_glossary(None).__class__())
    assert "Prosecutor General's Office" in {f["text"] for f in empty.unchecked if f["kind"] == "entity"}
    assert empty.passed and empty.counts()["unchecked"] == 1


def test_source_facts_give_the_same_report(seed_facts) -> None:
    summary = GOLDEN["faithful_summaries"][0]
    assert check(SEED, summary).to_dict() == check(SEED, summary, source_facts=seed_facts).to_dict()


def test_report_dict_shape(seed_facts) -> None:
    data = check(SEED, "Nearly half left.", source_facts=seed_facts).to_dict()
    assert set(data) >= {"kept", "missing", "unsupported", "changed", "misattributed", "passed", "counts"}
    assert json.loads(json.dumps(data)) == data
    assert isinstance(Report(mode="summary").to_dict()["counts"]["figures_total"], int)


def test_bad_mode_and_language() -> None:
    with pytest.raises(UsageError):
        check("a", "b", mode="poem")
    with pytest.raises(LanguageError):
        check("a", "b", lang="xx-nope")


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ({"kind": "number", "amount": 100000}, "de", "100.000"),
        ({"kind": "number", "amount": 100000}, "ru", "100\u00a0000"),
        ({"kind": "number", "amount": 1.5}, "fr", "1,5"),
        ({"kind": "date", "year": 2022, "month": 2}, "de", "Februar 2022"),
        ({"kind": "date", "month": 11}, "ru", "ноябрь"),
        ({"kind": "time", "hour": 18, "minute": 0}, "de", "18:00"),
        ({"kind": "ordinal", "amount": 3}, "de", "3."),
        ({"kind": "percent", "amount": 40}, "de", "40\u00a0%"),
    ],
)
def test_format_figure(value: dict, lang: str, expected: str) -> None:
    assert format_figure(value, lang) == expected


@pytest.mark.parametrize("lang", ["de", "fr", "es", "pt", "it", "ru", "uk", "cs", "pl", "ja", "zh", "en"])
@pytest.mark.parametrize(
    "value",
    [
        {"kind": "number", "amount": 244890},
        {"kind": "money", "amount": 1_200_000_000, "unit": "USD"},
        {"kind": "date", "year": 2022, "month": 2},
        {"kind": "date", "month": 11, "day": 26},
        {"kind": "time", "hour": 18, "minute": 30},
    ],
)
def test_format_figure_round_trips_through_matching(value: dict, lang: str) -> None:
    """What the repair writes is what the checker accepts."""
    assert figure_kept(value, OutputScan.of(f"… {format_figure(value, lang)} …", lang))


def test_glossary_files(tmp_path: Path) -> None:
    tsv = tmp_path / "g.tsv"
    tsv.write_text("Kyiv City Council\tde\tKiewer Stadtrat\n", encoding="utf-8")
    assert "Kiewer Stadtrat" in load_glossary(str(tsv)).forms("the Kyiv City Council said", "de")
    js = tmp_path / "g.json"
    js.write_text(json.dumps({"terms": {"Rada": {"de": ["Werchowna Rada"]}}}), encoding="utf-8")
    assert load_glossary(str(js)).forms("Rada", "de") == ["Werchowna Rada"]
    bad = tmp_path / "bad.tsv"
    bad.write_text("only one column\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_glossary(str(bad))
    with pytest.raises(InputError):
        load_glossary(str(tmp_path / "missing.json"))


@pytest.mark.parametrize(("lang", "mode"), [("en", "summary"), ("de", "translation"), ("ja", "translation")])
def test_a_report_says_what_it_checked(lang: str, mode: str) -> None:
    from keepfacts import __version__

    report = check("It cost $5 million.", "It cost $5 million.", lang=lang, mode=mode).to_dict()
    signature = report["signature"]
    assert signature["checker"] == f"keepfacts {__version__}"
    assert (signature["lang"], signature["mode"]) == (lang, mode)
    checks = signature["checks"]
    figures = " ".join(checks["figures"])
    assert "currency" in figures and "direction" in figures
    assert ("misattribution" in checks["attributions"]) is (lang == "en" or mode == "translation")
    assert ("a hedge dropped" in checks["attributions"]) is (lang == "en" or mode == "translation")
    assert ("persons" in checks["names"]) is (lang != "ja")
    assert signature["text"].startswith(f"keepfacts {__version__}|{lang}|{mode}|")


def test_the_signature_is_in_the_text_report_header(tmp_path) -> None:
    from click.testing import CliRunner

    from keepfacts.eval.cli import main

    source, output = tmp_path / "s.txt", tmp_path / "o.txt"
    source.write_text("It cost $5 million.", encoding="utf-8")
    output.write_text("Es kostete 5 Millionen Dollar.", encoding="utf-8")
    result = CliRunner().invoke(main, [str(source), str(output), "--lang", "de"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("signature: keepfacts ")


@pytest.mark.parametrize(
    ("summary", "passes"),
    [
        ("A lawmaker speculated that the figure could reach 200,000.", True),
        ("A lawmaker familiar with military matters estimated it may reach 200,000.", True),
        ("A lawmaker confirmed that the figure reached 200,000.", False),
        ("A lawmaker said the number of deserters has reached 200,000.", False),
    ],
)
def test_a_hedged_claim_stays_hedged(summary: str, passes: bool) -> None:
    report = check(SEED, summary)
    assert report.passed is passes, report.to_dict()
    if not passes:
        assert "hedges" in report.misattributed[0]["reason"]


@pytest.mark.parametrize(
    ("source", "output", "lang", "passes"),
    [
        ("The ministry said on Saturday that 58 people died.", "卫生部周六宣布，58 人死亡。", "zh", True),
        ("The ministry said on Saturday that 58 people died.", "卫生部周六宣布，六十人死亡。", "zh", False),
        ("It is one of the oldest churches.", "南アフリカで最も古い教会の１つである。", "ja", True),
        ("It is an old church.", "それは１つの古い教会です。", "ja", False),
    ],
)
def test_weekday_names_and_the_word_one_are_no_invented_figures(
    source: str, output: str, lang: str, passes: bool
) -> None:
    report = check(source, output, lang=lang, mode="translation")
    assert report.passed is passes, report.to_dict()
