"""The summarize processor: batch-first drafting, chunking, records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fakes import make_fake

from keepfacts.documents import Document
from keepfacts.eval.shortening import words
from keepfacts.segment import sentences
from keepfacts.summarize.pipeline import Summarizer, SummarizeSettings

SEED = (Path(__file__).parents[1] / "seeds" / "khaama-ukraine-desertions.txt").read_text(encoding="utf-8")


def test_articles_that_fit_the_context_share_one_model_call() -> None:
    backend = make_fake("none", task="summarize")
    settings = SummarizeSettings(model="fake:none", method="abstractive", candidates=2)
    summarizer = Summarizer(settings, backend=backend)
    docs = [Document(id=f"d{i}", text=SEED) for i in range(3)]
    records = summarizer(docs)
    assert [r["id"] for r in records] == ["d0", "d1", "d2"]
    assert len(backend.calls) == 1 and len(backend.calls[0]) == 3
    assert all(r["facts"]["passed"] for r in records)


def test_seconds_include_the_shared_model_time() -> None:
    import time

    backend = make_fake("none", task="summarize")
    generate = backend.generate

    def slow_generate(texts: list[str], **settings: object) -> list[list[str]]:
        time.sleep(0.2)
        return generate(texts, **settings)

    backend.generate = slow_generate  # type: ignore[method-assign]
    summarizer = Summarizer(SummarizeSettings(model="fake:none"), backend=backend)
    records = summarizer([Document(id="a", text=SEED), Document(id="b", text=SEED)])
    assert all(r["seconds"] >= 0.1 for r in records)


@pytest.mark.parametrize("method", ["auto", "abstractive"])
def test_an_empty_article_in_a_batch_is_an_error_record_and_the_others_are_done(method: str) -> None:
    backend = make_fake("none", task="summarize")
    summarizer = Summarizer(SummarizeSettings(model="fake:none", method=method), backend=backend)
    records = summarizer(
        [Document(id="a", text=SEED), Document(id="b", text="  "), Document(id="c", text=SEED)]
    )
    assert "error" in records[1] and "output" in records[0] and "output" in records[2]
    assert len(backend.calls) == 1
    if method == "abstractive":
        assert len(backend.calls[0]) == 2  # one draft per article
    else:  # the sentences offered to be shortened: of both articles, none of the empty one
        assert len(backend.calls[0]) == 2 * records[0]["shortened"]["offered"] > 0


def test_an_article_longer_than_the_context_is_summarized_in_parts() -> None:
    backend = make_fake("none", task="summarize")
    backend.max_input_tokens = 200  # the seed is about 560 words
    settings = SummarizeSettings(model="fake:none", method="abstractive", candidates=1)
    [record] = Summarizer(settings, backend=backend)([Document(id="long", text=SEED)])
    assert len(backend.calls) >= 2 and len(backend.calls[0]) >= 3  # parts first, then the joined partials
    assert " ".join(backend.calls[0]).split() == " ".join(SEED.split()).split()
    assert record["facts"]["passed"] is True


@pytest.mark.slow
def test_the_embedded_model_summarizes_the_seed(embedded_backend: Any) -> None:
    """The real embedded model, through the real pipeline: the raw summary is non-empty and within
    --max-words; the guarded one also invents no figure and misattributes none."""
    from keepfacts.eval.check import check

    for method in ("model", "abstractive", "auto"):
        settings = SummarizeSettings(model="embedded", max_words=80, method=method, candidates=1)
        [record] = Summarizer(settings, backend=embedded_backend)([Document(id="seed", text=SEED)])
        output_words = record["output"].split()
        assert 10 <= len(output_words) <= 80, record["output"]
        if method != "model":
            report = check(SEED, record["output"])
            assert report.passed and not report.unsupported and not report.misattributed
        else:
            assert record["method"] == "model" and "raw" in record["facts"]


def slow_on(monkeypatch: pytest.MonkeyPatch, name: str, slow_calls: set[int], delay: float) -> None:
    """keepfacts.eval.guard.NAME takes `delay` longer on the calls numbered in `slow_calls` (from 0)."""
    import time

    import keepfacts.eval.guard as guard

    real = getattr(guard, name)
    calls: list[int] = []

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) - 1 in slow_calls:
            time.sleep(delay)
        return real(*args, **kwargs)

    monkeypatch.setattr(guard, name, wrapper)


def slow_fake(task: str, delay: float) -> Any:
    """The `fake:none` backend, each model call taking `delay` seconds more."""
    import time

    backend = make_fake("none", task=task)
    generate = backend.generate

    def slow_generate(texts: list[str], **settings: object) -> list[list[str]]:
        time.sleep(delay)
        return generate(texts, **settings)

    backend.generate = slow_generate  # type: ignore[method-assign]
    return backend


def test_each_item_has_its_own_seconds_and_its_share_of_the_batched_model_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    backend = slow_fake("summarize", 0.2)
    slow_on(monkeypatch, "guard_summary", {0}, 0.4)  # the first document's guard is slow
    summarizer = Summarizer(SummarizeSettings(model="fake:none", method="abstractive"), backend=backend)
    slow, fast = summarizer([Document(id="a", text=SEED), Document(id="b", text=SEED)])
    assert len(backend.calls) == 1  # one batched model call for both
    assert slow["model_seconds"] == fast["model_seconds"]  # its time, shared equally
    assert 0.1 <= fast["model_seconds"] < 0.35  # half of a 0.2 s call (a loaded machine is slower)
    assert slow["seconds"] >= slow["model_seconds"] + 0.4  # its own guard time, plus its share
    assert fast["model_seconds"] <= fast["seconds"] < slow["seconds"] - 0.2


def test_extractive_summaries_spend_no_model_time() -> None:
    summarizer = Summarizer(SummarizeSettings(method="extractive"))
    [record] = summarizer([Document(id="a", text=SEED)])
    assert record["model_seconds"] == 0 and record["seconds"] > 0


def test_a_translation_records_its_own_model_time_and_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    from keepfacts.translate.pipeline import TranslateSettings, Translator

    backend = slow_fake("translate", 0.1)
    slow_on(monkeypatch, "guard_translation", {1}, 0.4)  # the second document's guard is slow
    translator = Translator(TranslateSettings(model="fake:none", tgt="es"), backend=backend)
    text = "Police said 12 people were hurt."
    fast, slow = translator([Document(id="a", text=text), Document(id="b", text=text)])
    assert fast["model_seconds"] >= 0.1 and slow["model_seconds"] >= 0.1
    assert slow["seconds"] >= slow["model_seconds"] + 0.4
    assert fast["model_seconds"] <= fast["seconds"] < slow["seconds"] - 0.2


FLOOD = """\
Flood waters rose on Tuesday across the district of Lowmoor, which lies below the old dam, officials said.
The mayor said that 40 homes near the river were lost overnight, while the streets nearby were closed.
Police said 12 residents were taken to the hospital in Fenby, which opened a new ward last spring.
The regional council said repairs would cost 3 million pounds and take at least 2 years to finish.
The weather service said the rain would stop by Thursday and the river would fall by the weekend.
"""


def test_the_default_shortens_sentences_to_make_room_for_one_more() -> None:
    """auto: the model (a fake that cuts ", which ..." clauses) shortens the extractive summary's
    sentences; the words saved take one more sentence of the article; nothing of the extractive summary's
    facts is lost and every sentence is one of the article's with words deleted."""
    from keepfacts.eval.analysis import analyse
    from keepfacts.eval.check import check
    from keepfacts.summarize.extractive import extractive_summary

    backend = make_fake("shorten", task="summarize")
    settings = SummarizeSettings(model="fake:shorten", max_words=50)
    [record] = Summarizer(settings, backend=backend)([Document(id="flood", text=FLOOD)])
    extractive = extractive_summary(FLOOD, 50)
    assert record["method"] == "shortened"
    assert record["shortened"]["shortened"] >= 1 and record["shortened"]["words_saved"] >= 1
    assert len(record["output"].split()) <= 50
    analysis = analyse(FLOOD)
    output, plain = sentences(record["output"]), sentences(extractive)
    assert len(output) > len(plain)  # room for one more
    source = [words(FLOOD[a:b]) for a, b in analysis.sentences]
    assert all(any(_subsequence(words(s), kept) for kept in source) for s in output)
    assert "lies below the old dam" not in record["output"]  # the first sentence lost its clause
    kept, plain_kept = check(analysis, record["output"]), check(analysis, extractive)
    assert kept.passed and {f["text"] for f in plain_kept.kept} <= {f["text"] for f in kept.kept}
    assert len(backend.calls) == 1 and all(len(sentences(t)) == 1 for t in backend.calls[0])


def test_a_shortening_that_loses_a_fact_is_not_taken() -> None:
    """The fake shortens and drops the figure of every sentence that has one: those shortenings are
    refused, and every figure of the extractive summary is still in the output, as the article wrote it."""
    import re

    from keepfacts.summarize.extractive import extractive_summary

    settings = SummarizeSettings(model="fake:shorten+drop", max_words=50)
    [record] = Summarizer(settings, backend=make_fake("shorten+drop", task="summarize"))(
        [Document(id="flood", text=FLOOD)]
    )
    figures = re.findall(r"\b\d+\b", extractive_summary(FLOOD, 50))
    assert figures and all(re.search(rf"\b{f}\b", record["output"]) for f in figures)
    for sentence in sentences(record["output"]):
        if re.search(r"\d", sentence):
            assert sentence in FLOOD  # a sentence with a figure is the article's own
    assert record["facts"]["passed"] is True


def test_a_shortening_that_makes_no_room_is_not_taken() -> None:
    """The seed's sentences lose a word or three each: not enough for another sentence at 80 words, so
    the summary stays the article's own sentences."""
    from keepfacts.summarize.extractive import extractive_summary

    [record] = Summarizer(
        SummarizeSettings(model="fake:shorten", max_words=80), backend=make_fake("shorten", task="summarize")
    )([Document(id="seed", text=SEED)])
    assert record["method"] == "extractive" and record["output"] == extractive_summary(SEED, 80)
    made = record["shortened"]
    assert made["shortened"] == 0 and sum(made["refused"].values()) == made["offered"] > 0


def _subsequence(short: list[str], long: list[str]) -> bool:
    remaining = iter(long)
    return all(word in remaining for word in short)
