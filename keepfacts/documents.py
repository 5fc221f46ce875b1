"""The records that flow through the pipeline: a Document in, a Result out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Document:
    """One input article. `meta` carries extra JSONL fields through to the result untouched."""

    id: str
    text: str
    lang: str = "en"
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return sha256_text(self.text)


@dataclass
class Result:
    """One output record of the public contract (see README, "JSON records")."""

    id: str
    input_sha256: str
    output: str
    model: str
    method: str  # "model", "repaired" or "extractive"
    facts: dict[str, Any]
    seconds: float  # this item's own wall time: its model_seconds plus its own processing
    extra: dict[str, Any] = field(default_factory=dict)
    model_seconds: float = 0.0  # the model time spent on this item (its share of a batched call)

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": self.id,
            "input_sha256": self.input_sha256,
            "output": self.output,
            "model": self.model,
            "method": self.method,
            "facts": self.facts,
            "seconds": round(self.seconds, 3),
            "model_seconds": round(self.model_seconds, 3),
        }
        record.update(self.extra)
        return record


def error_record(doc_id: str, message: str, input_sha256: str | None = None) -> dict[str, Any]:
    """The record of a failed item: `id` and `error` (plus the input hash when the input was read)."""
    record: dict[str, Any] = {"id": doc_id, "error": message}
    if input_sha256 is not None:
        record["input_sha256"] = input_sha256
    return record
