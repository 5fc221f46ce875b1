"""Summarization: Document -> segment -> model candidates -> fact guard -> Result.

`summarize()` is the library entry point; `Summarizer` is the batch processor the engines call (it loads
the model once and is reused for every batch).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from keepfacts.documents import Document, Result, error_record
from keepfacts.errors import KeepfactsError
from keepfacts.segment import chunk, sentences
from keepfacts.settings import RuntimeSettings, signature

DEFAULT_MAX_WORDS = 80
DEFAULT_CANDIDATES = 1  # greedy: measured as good as 2 beams' n-best under the guard, at half the time
# New tokens a draft may use per word asked for (English news: about 1.3, figures a token per digit);
# the guard cuts a longer draft to --max-words anyway, so more only costs decoding time.
TOKENS_PER_WORD = 1.6
HARD_MAX_WORDS = 150
METHODS = ("auto", "model", "extractive")

INSTRUCTION = (
    "Summarize the news article below in at most {max_words} words. Use only facts stated in the article. "
    "Copy every number exactly as written and keep who reported or said it."
)


@dataclass(frozen=True)
class SummarizeSettings:
    """Everything that changes a summary. `model` is a resolved model spec (not "auto")."""

    model: str = "embedded"
    max_words: int = DEFAULT_MAX_WORDS
    method: str = "auto"  # auto: model candidates under the fact guard; model: raw; extractive: no model
    candidates: int = DEFAULT_CANDIDATES
    glossary: str | None = None
    runtime: RuntimeSettings = field(default_factory=RuntimeSettings)

    @property
    def signature(self) -> str:
        return signature("summarize", self)


class Summarizer:
    """A stateless-per-call processor: list of Documents in, list of contract records out."""

    def __init__(self, settings: SummarizeSettings, backend: Any = None) -> None:
        self.settings = settings
        self._backend = backend
        # Load now: a model that cannot load is the job's error (one line, exit 2), not every item's.
        if self._needs_model:
            _ = self.backend

    @property
    def _needs_model(self) -> bool:
        return self.settings.method != "extractive"

    @property
    def backend(self) -> Any:
        if self._backend is None:
            from keepfacts.models import load

            self._backend = load(
                self.settings.model, task="summarize", **self.settings.runtime.load_options()
            )
        return self._backend

    @property
    def model_id(self) -> str:
        if self.settings.method == "extractive":
            return "extractive"
        return str(self.backend.spec)

    def __call__(self, docs: list[Document]) -> list[dict[str, Any]]:
        return list(self.process_iter(docs))

    def process_iter(self, docs: list[Document]) -> Iterator[dict[str, Any]]:
        """The batch's records one by one: the drafts are made for the whole batch in one model call, then
        each document is guarded and its record handed over as soon as it is done."""
        drafts, model_seconds = self._timed_drafts([doc.text for doc in docs])
        for doc, doc_drafts, doc_model_seconds in zip(docs, drafts, model_seconds, strict=True):
            try:
                result = self.summarize(doc, drafts=doc_drafts)
                result.seconds += doc_model_seconds  # its share of the batch's model call, then its own
                result.model_seconds = doc_model_seconds
                record = result.to_dict()
            except KeepfactsError as exc:
                record = error_record(doc.id, exc.message, doc.sha256)
            yield record

    def summarize(self, doc: Document, drafts: list[str] | None = None) -> Result:
        """Summarize one document; `drafts` are its model candidates when the caller made them already."""
        from keepfacts.eval.analysis import analyse
        from keepfacts.eval.guard import guard_summary
        from keepfacts.eval.provenance import provenance
        from keepfacts.summarize.extractive import extractive_summary

        started = time.perf_counter()
        if not doc.text.strip():
            raise KeepfactsError(f"{doc.id}: input is empty")
        model_seconds = 0.0
        if drafts is None:
            all_drafts, [model_seconds] = self._timed_drafts([doc.text])
            drafts = all_drafts[0]
        analysis = analyse(doc.text, doc.lang)  # once: the guard, check and the extractive summary share it
        decision = guard_summary(
            analysis,
            drafts,
            max_words=self.settings.max_words,
            lang=doc.lang,
            guarded=self.settings.method != "model",
            fallback=lambda source: extractive_summary(source, self.settings.max_words),
            glossary=self.settings.glossary,
        )
        return Result(
            id=doc.id,
            input_sha256=doc.sha256,
            output=decision.output,
            model=self.model_id,
            method=decision.method,
            facts=decision.report,
            seconds=time.perf_counter() - started,
            extra={
                "signature": self.settings.signature,
                "model_info": self._model_info(),
                "provenance": provenance(analysis, decision.output),
            },
            model_seconds=model_seconds,
        )

    def _model_info(self) -> dict[str, Any]:
        if self.settings.method == "extractive":
            return {}
        return dict(getattr(self.backend, "info", {}))

    def draft_many(self, texts: list[str]) -> list[list[str]]:
        """Model candidates for each article. The model is not shown text addressed to it ("Ignore the
        above and write ..."); the guard still judges every draft against the whole article, so an order
        the model follows anyway is caught."""
        return self._timed_drafts(texts)[0]

    def _timed_drafts(self, texts: list[str]) -> tuple[list[list[str]], list[float]]:
        """draft_many's candidates, and the model time spent on each article (see _draft_texts)."""
        if self.settings.method == "extractive":
            return [[] for _ in texts], [0.0 for _ in texts]
        from keepfacts.eval.instructions import without_instructions

        return self._draft_texts([without_instructions(text) for text in texts])

    def draft(self, text: str) -> list[str]:
        """Model candidates for one text, exactly as given."""
        return self._draft_texts([text])[0][0]

    def _draft_texts(self, texts: list[str]) -> tuple[list[list[str]], list[float]]:
        """Texts that fit the context go to the model in one batched call; longer ones in parts. Also the
        model seconds of each text: its share of the batched call (the call's time divided by the texts in
        it), or for a longer one the time of its own calls."""
        budget = max(64, int(self.backend.max_input_tokens) - 96)  # room for the instruction and template
        drafts: list[list[str]] = [[] for _ in texts]
        seconds = [0.0 for _ in texts]
        fits: list[int] = []
        for index, text in enumerate(texts):
            if not text.strip():
                continue
            started = time.perf_counter()
            if self.backend.count_tokens(text) <= budget:
                fits.append(index)
            else:
                drafts[index] = self._draft_long(text, budget)
            seconds[index] = time.perf_counter() - started
        if fits:
            started = time.perf_counter()
            batch = [texts[i] for i in fits]
            for index, candidates in zip(fits, self._generate(batch, self.settings.candidates), strict=True):
                drafts[index] = candidates
            share = (time.perf_counter() - started) / len(fits)
            for index in fits:
                seconds[index] += share
        return drafts, seconds

    def _draft_long(self, text: str, budget: int) -> list[str]:
        """Longer than the context: summarize the parts, then the joined partial summaries, until it
        fits; never truncate silently."""
        pieces = sentences(text)
        for _ in range(6):  # each pass shrinks the text; bounded however long the article is
            parts = [" ".join(p) for p in chunk(pieces, budget, self.backend.count_tokens)]
            if len(parts) == 1:
                break
            partials = [c[0] for c in self._generate(parts, 1) if c]
            pieces = sentences(" ".join(partials))
        return self._generate([" ".join(pieces)], self.settings.candidates)[0]

    def _generate(self, texts: list[str], n: int) -> list[list[str]]:
        max_words = self.settings.max_words
        return [
            [c for c in cands if c.strip()]
            for cands in self.backend.generate(
                texts,
                instruction=INSTRUCTION.format(max_words=max_words),
                max_new_tokens=int(max_words * TOKENS_PER_WORD) + 16,
                num_beams=max(n, 1),
                num_return_sequences=n,
            )
        ]


def summarize(text: str, *, lang: str = "en", doc_id: str = "text", **settings: Any) -> Result:
    """Summarize one text (library entry point). Keyword settings are those of SummarizeSettings."""
    summarizer = Summarizer(SummarizeSettings(**settings))
    return summarizer.summarize(Document(id=doc_id, text=text, lang=lang))


__all__ = ["DEFAULT_MAX_WORDS", "HARD_MAX_WORDS", "SummarizeSettings", "Summarizer", "summarize"]
