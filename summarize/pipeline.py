"""Summarization: Document -> analyse -> model work -> fact guard -> Result.

The methods:
- `auto` (default): the extractive summary, each of its sentences offered to the model to shorten, a
  shortening kept only where the guard finds that sentence's facts intact (summarize/shortened.py);
- `abstractive`: the model writes candidate summaries, checked by the guard, the extractive summary
  competing;
- `model`: the model's summary as it is (its record still carries the fact report);
- `extractive`: no model.

`summarize()` is the library entry point; `Summarizer` is the batch processor the engines call (it loads
the model once and is reused for every batch).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from keepfacts.documents import Document, Result, error_record
from keepfacts.errors import KeepfactsError
from keepfacts.segment import chunk, sentences
from keepfacts.settings import RuntimeSettings, signature

if TYPE_CHECKING:
    from keepfacts.eval.analysis import SourceAnalysis

DEFAULT_MAX_WORDS = 80
DEFAULT_CANDIDATES = 1  # greedy: measured as good as 2 beams' n-best under the guard, at half the time
# New tokens a draft may use per word asked for (English news: about 1.3, figures a token per digit);
# the guard cuts a longer draft to --max-words anyway, so more only costs decoding time.
TOKENS_PER_WORD = 1.6
HARD_MAX_WORDS = 150
# Sentences shortened in one padded batch (short prompts of similar length pad little). Padding can
# change a padded row's greedy answer, so an answer may depend on the batch; the guard judges each one.
SHORTEN_BATCH = 8
METHODS = ("auto", "abstractive", "model", "extractive")

INSTRUCTION = (
    "Summarize the news article below in at most {max_words} words. Use only facts stated in the article. "
    "Copy every number exactly as written and keep who reported or said it."
)


@dataclass(frozen=True)
class SummarizeSettings:
    """Everything that changes a summary. `model` is a resolved model spec (not "auto")."""

    model: str = "embedded"
    max_words: int = DEFAULT_MAX_WORDS
    method: str = "auto"  # see METHODS and the module docstring
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
        """The batch's records one by one: the model's work for the whole batch is done in one call
        (drafts, or the sentences to shorten), then each document is guarded and its record handed over
        as soon as it is done."""
        if self.settings.method == "auto":
            yield from self._shortened_iter(docs)
            return
        drafts, model_seconds = self._timed_drafts([doc.text for doc in docs])
        for doc, doc_drafts, doc_model_seconds in zip(docs, drafts, model_seconds, strict=True):
            yield self._record(
                doc, functools.partial(self.summarize, doc, drafts=doc_drafts), doc_model_seconds
            )

    def _shortened_iter(self, docs: list[Document]) -> Iterator[dict[str, Any]]:
        from keepfacts.summarize.shortened import offers

        analyses: list[SourceAnalysis | KeepfactsError] = []
        for doc in docs:
            try:
                analyses.append(self._analyse(doc))
            except KeepfactsError as exc:
                analyses.append(exc)
        max_words = self.settings.max_words
        offered = [{} if isinstance(a, KeepfactsError) else offers(a, max_words) for a in analyses]
        shortenings, model_seconds = self._timed_shortenings(offered)
        for doc, analysis, doc_shortenings, seconds in zip(
            docs, analyses, shortenings, model_seconds, strict=True
        ):
            if isinstance(analysis, KeepfactsError):
                yield error_record(doc.id, analysis.message, doc.sha256)
                continue
            run = functools.partial(self.summarize, doc, analysis=analysis, shortenings=doc_shortenings)
            yield self._record(doc, run, seconds)

    @staticmethod
    def _record(doc: Document, run: Callable[[], Result], model_seconds: float) -> dict[str, Any]:
        try:
            result = run()
            result.seconds += model_seconds  # its share of the batch's model call, then its own
            result.model_seconds = model_seconds
            return result.to_dict()
        except KeepfactsError as exc:
            return error_record(doc.id, exc.message, doc.sha256)

    @staticmethod
    def _analyse(doc: Document) -> SourceAnalysis:
        from keepfacts.eval.analysis import analyse

        if not doc.text.strip():
            raise KeepfactsError(f"{doc.id}: input is empty")
        return analyse(doc.text, doc.lang)

    def summarize(
        self,
        doc: Document,
        drafts: list[str] | None = None,
        *,
        analysis: SourceAnalysis | None = None,
        shortenings: dict[int, str] | None = None,
    ) -> Result:
        """Summarize one document. `drafts` (abstractive, model) or `shortenings` (auto) are the model's
        work when the caller did it already, `analysis` the document analysed."""
        from keepfacts.eval.guard import guard_summary
        from keepfacts.eval.provenance import provenance
        from keepfacts.summarize.extractive import extractive_summary
        from keepfacts.summarize.shortened import offers, shortened_summary

        started = time.perf_counter()
        analysis = analysis or self._analyse(doc)  # once: the guard, check and the summary share it
        model_seconds = 0.0
        extra: dict[str, Any] = {}
        max_words = self.settings.max_words
        if self.settings.method == "auto":
            if shortenings is None:
                all_shortenings, [model_seconds] = self._timed_shortenings([offers(analysis, max_words)])
                shortenings = all_shortenings[0]
            made = shortened_summary(analysis, max_words, shortenings, doc.lang)
            extra["shortened"] = made.to_dict()
            drafts, fallback, fallback_method = [], made.text, "shortened" if made.shortened else "extractive"
        else:
            if drafts is None:
                all_drafts, [model_seconds] = self._timed_drafts([doc.text])
                drafts = all_drafts[0]
            fallback, fallback_method = extractive_summary(analysis, max_words), "extractive"
        decision = guard_summary(
            analysis,
            drafts,
            max_words=max_words,
            lang=doc.lang,
            guarded=self.settings.method != "model",
            fallback=lambda _: fallback,
            fallback_method=fallback_method,
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
                **extra,
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

    def _timed_shortenings(self, offered: list[dict[int, str]]) -> tuple[list[dict[int, str]], list[float]]:
        """The model's shortening of every offered sentence of the batch, in one call (one sentence a
        prompt, length-bucketed), and each document's model seconds: the call's time shared equally by the
        sentences offered."""
        from keepfacts.summarize.shortened import INSTRUCTION

        keys = [(d, index) for d, found in enumerate(offered) for index in found]
        results: list[dict[int, str]] = [{} for _ in offered]
        seconds = [0.0 for _ in offered]
        if not keys:
            return results, seconds
        texts = [offered[d][index] for d, index in keys]
        started = time.perf_counter()
        longest = max(self.backend.count_tokens(text) for text in texts)
        outputs = self.backend.generate(
            texts,
            instruction=INSTRUCTION,
            max_new_tokens=longest + 8,  # a shortening is shorter than its sentence
            num_beams=1,
            num_return_sequences=1,
            batch_size=SHORTEN_BATCH,
        )
        share = (time.perf_counter() - started) / len(keys)
        for (d, index), candidates in zip(keys, outputs, strict=True):
            results[d][index] = candidates[0] if candidates else ""  # an empty answer is refused too
            seconds[d] += share
        return results, seconds

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
