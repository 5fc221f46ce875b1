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
