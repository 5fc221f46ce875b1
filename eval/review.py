"""The review page: a fact report drawn over its source and output, side by side, as one HTML file.

`check_page(source, output, report)` is the page of one check (`factcheck SOURCE OUTPUT --format html`);
`batch_page(items)` the page of a whole batch (`summarize ... --report FILE.html`), one expandable row per
item, what needs attention first. Both are self-contained (inline CSS and a few lines of inline JS,
nothing from the network; they work from file://) and rendered by jinja2 with autoescaping on: an article
holding HTML or <script> shows as text, never as markup.

Marks come from the facts' character spans in the report: source spans for `kept`, `missing`,
`unchecked` and the source side of `changed` and `misattributed`; output spans for `unsupported` and the
output side of the pairs. Overlapping spans are cut into flat segments, each carrying every fact that
covers it, so any overlap still gives well-formed markup. Each fact gets one badge at its start (an icon
and its state as text: colour is never the only signal) holding its id; a changed or misattributed fact's
badge links to its counterpart on the other side, and following the link highlights both.

A span that does not hold the fact's text (a report made elsewhere, or a translation record written
before records' spans pointed into the whole text) is looked up in the text instead: the first
occurrence of the fact's text at or after the span's start that no other fact of the same text took. A
fact found nowhere is listed in the page's fact table as not located.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from keepfacts.eval.facts import PAIR_LISTS, REPORT_LISTS, SOURCE_LISTS

# Most urgent first: a segment covered by several facts is drawn in the first of its states.
STATES = ("missing", "changed", "misattributed", "unsupported", "unchecked", "kept")

LEGEND: dict[str, tuple[str, str]] = {
    "kept": ("✓", "in the source and kept in the output"),
    "missing": ("✗", "in the source, lost from the output"),
    "changed": ("≠", "in both, but a part of it changed (the badge links to the other side)"),
    "misattributed": ("⇄", "moved to another source or claim (the badge links to the other side)"),
    "unsupported": ("?", "in the output, not in the source"),
    "unchecked": ("·", "in the source; no check for the output's language applies to it"),
}

# Source facts are marked most urgent first: missing, unchecked, kept.
SOURCE_ORDER = tuple(sorted(SOURCE_LISTS, key=STATES.index))


@dataclass
class Mark:
    """One fact drawn on one side."""

    id: str
    state: str
    kind: str
    text: str
    span: tuple[int, int] | None  # where it is drawn (None: not located in the text)
    pair: str | None = None  # the id of its counterpart on the other side
    reason: str = ""

    @property
    def icon(self) -> str:
        return LEGEND[self.state][0]


@dataclass
class Segment:
    text: str
    marks: list[Mark] = field(default_factory=list)  # the facts covering it (empty: plain text)
    starts: list[Mark] = field(default_factory=list)  # the facts that start here (their badges)

    @property
    def state(self) -> str:
        return min((m.state for m in self.marks), key=STATES.index) if self.marks else ""

    @property
    def classes(self) -> str:
        states = sorted({m.state for m in self.marks}, key=STATES.index)
        return " ".join(["f", f"m-{self.state}", *(f"also-{s}" for s in states[1:])])

    @property
    def ids(self) -> str:
        return " ".join(m.id for m in self.marks)

    @property
    def title(self) -> str:
        return "; ".join(f"{m.state}: {m.kind} {m.text!r}" for m in self.marks)


@dataclass
class Row:
    """One line of the fact table: a fact and, for a pair, its counterpart."""

    state: str
    kind: str
    source: Mark | None
    output: Mark | None
    reason: str = ""

    @property
    def icon(self) -> str:
        return LEGEND[self.state][0]


@dataclass
class View:
    """Everything one side-by-side view draws."""

    prefix: str
    source: list[Segment]
    output: list[Segment]
    rows: list[Row]
    report: dict[str, Any]

    @property
    def counts(self) -> dict[str, Any]:
        counts = self.report.get("counts") or {}
        return counts if isinstance(counts, dict) else {}

    @property
    def signature(self) -> str:
        sig = self.report.get("signature")
        return str(sig.get("text", "")) if isinstance(sig, dict) else str(sig or "")

    @property
    def passed(self) -> bool | None:
        value = self.report.get("passed")
        return value if isinstance(value, bool) else None


def _span(value: Any) -> tuple[int, int] | None:
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(v, int) for v in value):
        start, end = int(value[0]), int(value[1])
        if 0 <= start <= end:
            return start, end
    return None


class _Placer:
    """Where a fact is drawn in one text: its span when the span holds its text, else its text found
    at or after the span's start (see the module docstring), else nowhere."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.taken: dict[str, set[int]] = {}

    def place(self, fact: dict[str, Any]) -> tuple[int, int] | None:
        span = _span(fact.get("span"))
        wanted = str(fact.get("text") or "")
        if span is None:
            return None
        start, end = span
        if end <= len(self.text) and (not wanted or self.text[start:end] == wanted):
            self.taken.setdefault(wanted, set()).add(start)
            return span
        if not wanted:
            return None
        taken = self.taken.setdefault(wanted, set())
        first = None
        at = self.text.find(wanted, min(start, len(self.text)))
        while at != -1:
            if first is None:
                first = at
            if at not in taken:
                break
            at = self.text.find(wanted, at + 1)
        if at == -1:
            at = first if first is not None else self.text.find(wanted)
        if at == -1:
            return None
        taken.add(at)
        return at, at + len(wanted)


def _mark(fact: Any, mark_id: str, state: str, placer: _Placer, reason: str = "") -> Mark:
    fact = fact if isinstance(fact, dict) else {}
    return Mark(
        id=mark_id,
        state=state,
        kind=str(fact.get("kind") or "fact"),
        text=str(fact.get("text") or ""),
        span=placer.place(fact),
        reason=reason,
    )


def segments(text: str, marks: Iterable[Mark]) -> list[Segment]:
    """`text` cut at every mark's start and end: plain runs and marked runs, in order. Overlapping and
    nested marks give flat segments (each lists every mark covering it); an empty mark is a badge only."""
    placed = [m for m in marks if m.span is not None and m.span[0] <= len(text)]
    cuts = {0, len(text)}
    for m in placed:
        assert m.span is not None
        cuts.add(m.span[0])
        cuts.add(min(m.span[1], len(text)))
    bounds = sorted(cuts)
    starts: dict[int, list[Mark]] = {}
    covering: list[list[Mark]] = [[] for _ in bounds]
    for m in placed:
        assert m.span is not None
        first = bisect.bisect_left(bounds, m.span[0])
        last = bisect.bisect_left(bounds, min(m.span[1], len(text)))
        starts.setdefault(first, []).append(m)
        for index in range(first, last):
            covering[index].append(m)
    out: list[Segment] = []
    for index, (a, b) in enumerate(itertools.pairwise(bounds)):
        out.append(Segment(text[a:b], covering[index], starts.pop(index, [])))
    for index in sorted(starts):  # marks that start at the very end of the text: their badges only
        out.append(Segment("", [], starts[index]))
    return out


def view(source: str, output: str, report: dict[str, Any], prefix: str = "") -> View:
    """The side-by-side view of one report over its source and output texts."""
    src_place, out_place = _Placer(source), _Placer(output)
    src_marks: list[Mark] = []
    out_marks: list[Mark] = []
    rows: list[Row] = []
    number = 0

    def next_id(side: str) -> str:
        nonlocal number
        number += 1
        return f"{prefix}{side}{number}"

    for state in PAIR_LISTS:
        for pair in _list(report, state):
            pair = pair if isinstance(pair, dict) else {}
            reason = str(pair.get("reason") or "")
            part = pair.get("part")
            if part and state == "changed":
                reason = f"{part}: {reason}" if reason else str(part)
            s = _mark(pair.get("source"), next_id("s"), state, src_place, reason)
            o = _mark(pair.get("output"), next_id("o"), state, out_place, reason)
            s.pair, o.pair = o.id, s.id
            src_marks.append(s)
            out_marks.append(o)
            rows.append(Row(state, s.kind, s, o, reason))
    for fact in _list(report, "unsupported"):
        o = _mark(fact, next_id("o"), "unsupported", out_place)
        out_marks.append(o)
        rows.append(Row("unsupported", o.kind, None, o))
    for state in SOURCE_ORDER:
        for fact in _list(report, state):
            s = _mark(fact, next_id("s"), state, src_place)
            src_marks.append(s)
            rows.append(Row(state, s.kind, s, None))
    rows.sort(key=lambda row: STATES.index(row.state))
    return View(prefix, segments(source, src_marks), segments(output, out_marks), rows, report)


def _list(report: dict[str, Any], name: str) -> list[Any]:
    value = report.get(name)
    return value if isinstance(value, list) else []


# --- pages -------------------------------------------------------------------------------------------------


def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).resolve().parent / "templates")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(legend=LEGEND, states=STATES, count_names=REPORT_LISTS)
    return env


def check_page(
    source: str,
    output: str,
    report: dict[str, Any],
    *,
    source_name: str = "source",
    output_name: str = "output",
) -> str:
    """The page of one check (factcheck SOURCE OUTPUT --format html)."""
    template = _environment().get_template("review.html.j2")
    return str(
        template.render(
            title=f"factcheck: {output_name} against {source_name}",
            view=view(source, output, report),
            source_name=source_name,
            output_name=output_name,
        )
    )


@dataclass
class BatchItem:
    """One item of a batch page: its record (a result or an error record), its source text when known,
    and whether the run skipped it (--resume) and read its record back (or found none)."""

    id: str
    record: dict[str, Any] | None
    source: str | None = None
    skipped: bool = False

    @property
    def status(self) -> str:
        """error, failed, passed, unchecked (a record without a fact report) or skipped (no record)."""
        if self.record is None:
            return "skipped"
        if "error" in self.record and "output" not in self.record:
            return "error"
        facts = self.record.get("facts")
        if not isinstance(facts, dict) or not isinstance(facts.get("passed"), bool):
            return "unchecked"
        return "passed" if facts["passed"] else "failed"


BATCH_ORDER = ("error", "failed", "unchecked", "passed", "skipped")
STATUS_ICONS = {"error": "⚠", "failed": "✗", "unchecked": "·", "passed": "✓", "skipped": "↷"}


def batch_page(items: Sequence[BatchItem], *, title: str = "keepfacts batch review") -> str:
    """The page of a batch: one row per item (id, method, status, counts), errors first, then failed
    checks, then passed; each row opens onto its side-by-side view."""
    ordered = sorted(enumerate(items), key=lambda pair: (BATCH_ORDER.index(pair[1].status), pair[0]))
    rows = []
    tally = dict.fromkeys(BATCH_ORDER, 0)
    for number, (_, item) in enumerate(ordered, 1):
        status = item.status
        tally[status] += 1
        record = item.record or {}
        facts = record.get("facts") if isinstance(record.get("facts"), dict) else None
        shown = None
        if facts is not None and "output" in record:
            shown = view(item.source or "", str(record.get("output") or ""), facts, prefix=f"i{number}-")
        rows.append(
            {
                "number": number,
                "item": item,
                "status": status,
                "icon": STATUS_ICONS[status],
                "record": record,
                "view": shown,
                "counts": (facts or {}).get("counts")
                if isinstance((facts or {}).get("counts"), dict)
                else {},
            }
        )
    template = _environment().get_template("batch.html.j2")
    return str(template.render(title=title, rows=rows, tally=tally, order=BATCH_ORDER, icons=STATUS_ICONS))


__all__ = [
    "LEGEND",
    "STATES",
    "BatchItem",
    "Mark",
    "Segment",
    "View",
    "batch_page",
    "check_page",
    "segments",
    "view",
]
