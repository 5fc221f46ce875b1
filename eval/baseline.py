"""Compare a report with a stored one (--baseline): fail only on regressions.

A regression is a source fact kept in the baseline and not kept now, or a new unsupported, changed or
misattributed fact. Facts are compared by identity, never by their formatted text:
- a source fact (kept; the source side of a changed or misattributed pair) by its kind, its value and
  its position (span) in the source: "5 dollars" read as 6, or the same words elsewhere in the
  article, is another fact; the same fact shown as "$5" is the same one;
- an output fact (unsupported; the output side of a pair) by its kind and value, counted: an output's
  positions move whenever it is rewritten, so one invented "9,999" more than before is a regression,
  the same one at another place is not.
Values are compared without their null fields and display texts (`figure_texts`), and 5.0 equals 5.

`load_report` reads one JSON report (factcheck SOURCE OUTPUT --format json); `load_reports` reads the
JSONL of an earlier `factcheck --pairs` run, one report per id.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from keepfacts.errors import InputError

# Parts of a fact's value that only show it (its text), never what it is.
_DISPLAY_FIELDS = frozenset({"figure_texts"})


def load_report(path: str | Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read baseline {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"baseline {path} is not UTF-8 (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"baseline {path} is not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    if not isinstance(data, dict) or "kept" not in data:
        raise InputError(f"baseline {path} is not a factcheck JSON report")
    return data


def load_reports(path: str | Path) -> dict[str, dict[str, Any]]:
    """The reports of an earlier `factcheck --pairs` run (JSONL), by id. Its error records (no report)
    are left out: a pair whose baseline is an error has no baseline."""
    hint = "give the JSONL output of an earlier factcheck --pairs run"
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read baseline {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"baseline {path} is not UTF-8 (byte {exc.start}); {hint}") from exc
    reports: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"baseline {path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where} is not valid JSON ({exc.msg}); {hint}") from exc
        if not isinstance(record, dict):
            raise InputError(f"{where} is not a JSON object; {hint}")
        if "id" not in record:
            raise InputError(f'{where} has no "id"; {hint}')
        doc_id = str(record["id"])
        if doc_id in seen:
            raise InputError(f"{where}: id {doc_id!r} appears twice")
        seen.add(doc_id)
        if "kept" in record:
            reports[doc_id] = record
        elif "error" not in record:
            raise InputError(f"{where} is neither a report nor an error record; {hint}")
    return reports


def _canonical(value: Any) -> Any:
    """A value as compared: no null fields, no display texts, integral floats as ints, lists as tuples."""
    if isinstance(value, dict):
        return tuple(
            sorted(
                (str(k), _canonical(v))
                for k, v in value.items()
                if v is not None and k not in _DISPLAY_FIELDS
            )
        )
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _span(fact: dict[str, Any]) -> tuple[int, ...]:
    span = fact.get("span")
    if not isinstance(span, (list, tuple)):
        return ()
    return tuple(int(x) for x in span if isinstance(x, (int, float)) and not isinstance(x, bool))


def _source_key(fact: dict[str, Any]) -> tuple[Any, ...]:
    """A source fact: what it is and where it is in the source."""
    return (fact.get("kind"), _canonical(fact.get("value")), _span(fact))


def _output_key(fact: dict[str, Any]) -> tuple[Any, ...]:
    """An output fact: what it is (outputs are rewritten, so its place is not part of it)."""
    return (fact.get("kind"), _canonical(fact.get("value")))


def _key(entry: dict[str, Any]) -> tuple[Any, ...]:
    """The identity of a list entry: a (source, output) pair, or an output fact (unsupported)."""
    if isinstance(entry.get("source"), dict) and isinstance(entry.get("output"), dict):
        return (_source_key(entry["source"]), _output_key(entry["output"]))
    return _output_key(entry)


def _shown(entry: dict[str, Any]) -> str:
    output = entry.get("output")
    text = output.get("text") if isinstance(output, dict) else entry.get("text")
    return repr(text)


def regressions(baseline: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """Human-readable lines, one per regression (empty: no regression)."""
    lines: list[str] = []
    kept_now = {_source_key(f) for f in current.get("kept", [])}
    for fact in baseline.get("kept", []):
        if _source_key(fact) not in kept_now:
            where = "-".join(str(x) for x in _span(fact))
            lines.append(f"no longer kept: {fact.get('kind')} {fact.get('text')!r} ({where})")
    for name in ("unsupported", "changed", "misattributed"):
        allowed = Counter(_key(f) for f in baseline.get(name, []))
        for entry in current.get(name, []):
            key = _key(entry)
            if allowed[key] > 0:
                allowed[key] -= 1
            else:
                lines.append(f"new {name}: {_shown(entry)}")
    return lines
