"""Translation: Document -> sentences (paragraphs kept) -> candidates -> per-sentence fact guard -> Result.

`translate()` is the library entry point; `Translator` is the batch processor the engines call.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from keepfacts.documents import Document, Result, error_record
from keepfacts.errors import KeepfactsError
from keepfacts.languages import language_name
from keepfacts.segment import split_sentences
from keepfacts.settings import RuntimeSettings, signature

DEFAULT_CANDIDATES = 2  # per sentence, for the guard to rerank by the facts they keep

INSTRUCTION = (
    "Translate the text below from {src} into {tgt}. Output only the translation. Keep every number, "
    "date and name exactly."
)


@dataclass(frozen=True)
class TranslateSettings:
    """Everything that changes a translation. `model` is a resolved model spec (not "auto")."""

    model: str
    tgt: str
    src: str = "en"
    candidates: int = DEFAULT_CANDIDATES
    glossary: str | None = None
    guarded: bool = True
    runtime: RuntimeSettings = field(default_factory=RuntimeSettings)

    @property
    def signature(self) -> str:
        return signature("translate", self)


class Translator:
    """Batch processor: list of Documents in, list of contract records out."""

    def __init__(self, settings: TranslateSettings, backend: Any = None) -> None:
        self.settings = settings
        self._backend = backend
        # Load now: a model that cannot load is the job's error (one line, exit 2), not every item's.
        if self._needs_model:
            _ = self.backend

    _needs_model = True

    @property
    def backend(self) -> Any:
        if self._backend is None:
            from keepfacts.models import load

            self._backend = load(
                self.settings.model, task="translate", **self.settings.runtime.load_options()
            )
        return self._backend

    def __call__(self, docs: list[Document]) -> list[dict[str, Any]]:
        return list(self.process_iter(docs))

    def process_iter(self, docs: list[Document]) -> Iterator[dict[str, Any]]:
        """The records one by one, each handed over as soon as its document is translated."""
        for doc in docs:
            try:
                record = self.translate(doc).to_dict()
            except KeepfactsError as exc:
                record = error_record(doc.id, exc.message, doc.sha256)
            yield record

    def translate(self, doc: Document) -> Result:
        from keepfacts.eval.guard import guard_translation, place_in_document

        started = time.perf_counter()
        self._model_seconds = 0.0  # what this document's model calls take (candidates and renderings)
        text = doc.text
        if not text.strip():
            raise KeepfactsError(f"{doc.id}: input is empty")
        spans = split_sentences(text)
        sources = [text[a:b] for a, b in spans]
        candidates = self._generate(sources)
        decision = guard_translation(
            sources,
            candidates,
            src_lang=self.settings.src,
            tgt_lang=self.settings.tgt,
            glossary=self.settings.glossary,
            guarded=self.settings.guarded,
            render=self._render,
        )
        output, output_starts = _reassemble(text, spans, decision.sentences)
        facts = place_in_document(decision.report, [a for a, _ in spans], output_starts)
        return Result(
            id=doc.id,
            input_sha256=doc.sha256,
            output=output,
            model=str(self.backend.spec),
            method=decision.method,
            facts=facts,
            seconds=time.perf_counter() - started,
            model_seconds=self._model_seconds,
            extra={
                "signature": self.settings.signature,
                "from": self.settings.src,
                "to": self.settings.tgt,
                "model_info": dict(getattr(self.backend, "info", {})),
            },
        )

    _model_seconds = 0.0

    def _timed_generate(self, texts: list[str], **settings: Any) -> list[list[str]]:
        started = time.perf_counter()
        try:
            return self.backend.generate(texts, **settings)
        finally:
            self._model_seconds += time.perf_counter() - started

    def _generate(self, sources: list[str]) -> list[list[str]]:
        s = self.settings
        n = s.candidates
        return self._timed_generate(
            sources,
            instruction=INSTRUCTION.format(src=language_name(s.src), tgt=language_name(s.tgt)),
            src_lang=s.src,
            tgt_lang=s.tgt,
            num_beams=max(n, 1),
            num_return_sequences=n,
            max_new_tokens=256,
        )

    def _render(self, texts: list[str]) -> list[str]:
        """One plain translation per short text (the guard uses it to see how the engine renders a name)."""
        s = self.settings
        outputs = self._timed_generate(
            texts, src_lang=s.src, tgt_lang=s.tgt, num_beams=1, num_return_sequences=1, max_new_tokens=64
        )
        return [options[0] if options else "" for options in outputs]


def _reassemble(text: str, spans: list[tuple[int, int]], outputs: list[str]) -> tuple[str, list[int]]:
    """Put each translated sentence where its source sentence was, keeping the whitespace between them
    (so paragraphs and one-sentence-per-line layouts survive). Also returns where each translation, as
    the guard judged it (before its own whitespace was trimmed), starts in the output."""
    parts: list[str] = []
    starts: list[int] = []
    cursor = length = 0
    for (a, b), out in zip(spans, outputs, strict=True):
        gap, sentence = text[cursor:a], out.strip()
        parts += [gap, sentence]
        length += len(gap)
        starts.append(length - (len(out) - len(out.lstrip())))
        length += len(sentence)
        cursor = b
    parts.append(text[cursor:])
    joined = "".join(parts)
    lead = len(joined) - len(joined.lstrip())
    return joined.strip(), [start - lead for start in starts]


def translate(text: str, *, to: str, src: str = "en", doc_id: str = "text", **settings: Any) -> Result:
    """Translate one text (library entry point). Keyword settings are those of TranslateSettings."""
    translator = Translator(TranslateSettings(tgt=to, src=src, **settings))
    return translator.translate(Document(id=doc_id, text=text, lang=src))
