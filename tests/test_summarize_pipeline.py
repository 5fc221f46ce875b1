"""The summarize processor: batch-first drafting, chunking, records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fakes import make_fake

from keepfacts.documents import Document
from keepfacts.summarize.pipeline import Summarizer, SummarizeSettings

SEED = (Path(__file__).parents[1] / "seeds" / "khaama-ukraine-desertions.txt").read_text(encoding="utf-8")


def test_articles_that_fit_the_context_share_one_model_call() -> None:
    backend = make_fake("none", task="summarize")
    summarizer = Summarizer(SummarizeSettings(model="fake:none", candidates=2), backend=backend)
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


def test_an_empty_article_in_a_batch_is_an_error_record_and_the_others_are_done() -> None:
    backend = make_fake("none", task="summarize")
    summarizer = Summarizer(SummarizeSettings(model="fake:none"), backend=backend)
    records = summarizer(
        [Document(id="a", text=SEED), Document(id="b", text="  "), Document(id="c", text=SEED)]
    )
    assert "error" in records[1] and "output" in records[0] and "output" in records[2]
    assert len(backend.calls[0]) == 2


def test_an_article_longer_than_the_context_is_summarized_in_parts() -> None:
    backend = make_fake("none", task="summarize")
    backend.max_input_tokens = 200  # the seed is about 560 words
    summarizer = Summarizer(SummarizeSettings(model="fake:none", candidates=1), backend=backend)
    [record] = summarizer([Document(id="long", text=SEED)])
    assert len(backend.calls) >= 2 and len(backend.calls[0]) >= 3  # parts first, then the joined partials
    assert " ".join(backend.calls[0]).split() == " ".join(SEED.split()).split()
    assert record["facts"]["passed"] is True


@pytest.mark.slow
def test_the_embedded_model_summarizes_the_seed(embedded_backend: Any) -> None:
    """The real embedded model, through the real pipeline: the raw summary is non-empty and within
    --max-words; the guarded one also invents no figure and misattributes none."""
    from keepfacts.eval.check import check

    for method in ("model", "auto"):
        settings = SummarizeSettings(model="embedded", max_words=80, method=method, candidates=1)
        [record] = Summarizer(settings, backend=embedded_backend)([Document(id="seed", text=SEED)])
        words = record["output"].split()
        assert 10 <= len(words) <= 80, record["output"]
        if method == "auto":
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
    summarizer = Summarizer(SummarizeSettings(model="fake:none"), backend=backend)
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
