"""Compare a report with a stored one (--baseline): fail only on regressions.

A regression is a source fact kept in the baseline and not kept now, or a new unsupported, changed or
misattributed fact. Facts are compared by (kind, text, value), not by position.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from keepfacts.errors import InputError


def load_report(path: str | Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read baseline {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"baseline {path} is not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    if not isinstance(data, dict) or "kept" not in data:
        raise InputError(f"baseline {path} is not a factcheck JSON report")
    return data


def _key(fact: dict[str, Any]) -> str:
    if "source" in fact and "output" in fact:  # a (source, output) pair
        return _key(fact["source"]) + "->" + _key(fact["output"])
    return json.dumps(
        [fact.get("kind"), fact.get("text"), fact.get("value")], sort_keys=True, ensure_ascii=False
    )


def regressions(baseline: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """Human-readable lines, one per regression (empty: no regression)."""
    lines: list[str] = []
    kept_now = {_key(f) for f in current.get("kept", [])}
    for fact in baseline.get("kept", []):
        if _key(fact) not in kept_now:
            lines.append(f"no longer kept: {fact.get('kind')} {fact.get('text')!r}")
    for name in ("unsupported", "changed", "misattributed"):
        before = {_key(f) for f in baseline.get(name, [])}
        for fact in current.get(name, []):
            if _key(fact) not in before:
                shown = fact.get("text") or fact.get("output", {}).get("text")
                lines.append(f"new {name}: {shown!r}")
    return lines
