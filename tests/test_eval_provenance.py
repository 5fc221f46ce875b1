"""Provenance: every summary sentence carries the source sentences it came from, as character spans."""

from __future__ import annotations

from pathlib import Path

from keepfacts.eval.analysis import analyse
from keepfacts.eval.provenance import provenance
from keepfacts.summarize.pipeline import summarize

SEED = (Path(__file__).resolve().parent.parent / "seeds" / "khaama-ukraine-desertions.txt").read_text()


def test_an_extractive_summary_points_at_the_sentences_it_copied() -> None:
    result = summarize(SEED, method="extractive", max_words=80)
    entries = result.extra["provenance"]
    assert len(entries) >= 3 and all(e["how"] == "copied" for e in entries)
    for entry in entries:
        a, b = entry["span"]
        [[start, end]] = entry["sources"]
        assert result.output[a:b].strip() == SEED[start:end].strip()


def test_a_rewritten_sentence_is_aligned_to_its_source_and_an_invented_one_has_none() -> None:
    analysis = analyse(SEED)
    summary = (
        "Prosecutors say over 100,000 Ukrainian soldiers were charged with desertion since February 2022. "
        "The weather in Lisbon was sunny and warm all week."
    )
    first, second = provenance(analysis, summary)
    assert first["how"] == "aligned" and first["score"] >= 50
    start, end = first["sources"][0]
    assert "charged with desertion" in SEED[start:end]
    assert second == {"span": second["span"], "how": "none", "sources": []}


def test_the_record_carries_provenance() -> None:
    record = summarize(SEED, method="extractive", max_words=40).to_dict()
    assert [e["how"] for e in record["provenance"]] == ["copied"] * len(record["provenance"])
