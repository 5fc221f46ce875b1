"""The records of the fact engine: one Fact, and the Report of a check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FACT_KINDS = ("figure", "entity", "attribution")
_PLURAL = {"figure": "figures", "entity": "entities", "attribution": "attributions"}


@dataclass(frozen=True)
class Fact:
    """One fact found in a text.

    kind: "figure", "entity" or "attribution".
    text: the words as they stand in the text (text[span[0]:span[1]]).
    value: the normalized, JSON-able meaning. Figures: {"kind", "amount", "unit", "qualifier", ...};
        entities: {"name", "type"}; attributions: {"source", "descriptive", "figures", "figure_texts", ...}.
    span: character offsets into the text; sentence: index into keepfacts.segment.split_sentences(text).
    """

    kind: str
    text: str
    value: dict[str, Any]
    span: tuple[int, int]
    sentence: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "value": self.value,
            "span": list(self.span),
            "sentence": self.sentence,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fact:
        return cls(
            kind=data["kind"],
            text=data["text"],
            value=data["value"],
            span=(int(data["span"][0]), int(data["span"][1])),
            sentence=int(data["sentence"]),
        )


# The lists of a report: facts of the source, facts of the output, and (source, output) pairs.
SOURCE_LISTS = ("kept", "missing", "unchecked")
OUTPUT_LISTS = ("unsupported",)
PAIR_LISTS = ("changed", "misattributed")
REPORT_LISTS = ("kept", "missing", "changed", "unsupported", "misattributed", "unchecked")


@dataclass
class Report:
    """The result of checking an output against its source.

    kept / missing: source facts found / not found in the output.
    changed: (source fact, output fact) pairs: the output has the fact with another value.
    unsupported: output facts that the source does not hold (hallucinations).
    misattributed: (source fact, output fact) pairs: a figure moved to another source or claim.
    unchecked: source facts no check in this language means anything for (a descriptive name a
        translation may translate): neither kept nor missing, and counted so a pass claims no more.
    """

    mode: str
    kept: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    unsupported: list[dict[str, Any]] = field(default_factory=list)
    misattributed: list[dict[str, Any]] = field(default_factory=list)
    unchecked: list[dict[str, Any]] = field(default_factory=list)
    passed: bool = True
    signature: dict[str, Any] = field(default_factory=dict)  # what was checked: see eval.signature

    def counts(self) -> dict[str, Any]:
        counts: dict[str, Any] = {}
        for name in REPORT_LISTS:
            items = getattr(self, name)
            counts[name] = len(items)
        for kind in FACT_KINDS:
            kept = sum(1 for f in self.kept if f["kind"] == kind)
            total = kept + sum(1 for f in self.missing if f["kind"] == kind)
            total += sum(1 for pair in self.changed if pair["source"]["kind"] == kind)
            counts[f"{_PLURAL[kind]}_kept"] = kept
            counts[f"{_PLURAL[kind]}_total"] = total
        return counts

    def coverage(self, kind: str = "figure") -> float:
        """Share of the source's facts of this kind that the output kept (1.0 when there are none)."""
        counts = self.counts()
        total = counts[f"{_PLURAL[kind]}_total"]
        return 1.0 if total == 0 else counts[f"{_PLURAL[kind]}_kept"] / total

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "kept": self.kept,
            "missing": self.missing,
            "unsupported": self.unsupported,
            "changed": self.changed,
            "misattributed": self.misattributed,
            "unchecked": self.unchecked,
            "passed": self.passed,
            "counts": self.counts(),
            "signature": self.signature,
        }
