"""When two figure values (read by the English extractor) stand for the same figure."""

from __future__ import annotations

from typing import Any

PARTS = (
    "kind",
    "amount",
    "unit",
    "qualifier",
    "negated",
    "per",
    "parts",
    "year",
    "month",
    "day",
    "hour",
    "minute",
)


def same_figure(source: dict[str, Any], output: dict[str, Any]) -> bool:
    """Two values the English extractor gave, equal in every part (an English output read as its source)."""
    return all(source.get(key) == output.get(key) for key in PARTS)


def values_agree(source: dict[str, Any], output: dict[str, Any]) -> bool:
    """Two figure values (from English texts) stand for the same figure."""
    if source.get("kind") == "date" or output.get("kind") == "date":
        keys = ("year", "month", "day", "weekday", "relative")
        out_keys = [k for k in keys if k in output]
        return bool(out_keys) and all(source.get(k) == output.get(k) for k in out_keys)
    if source.get("kind") == "score" or output.get("kind") == "score":
        # A result agrees only with the same result ("5-3"; "3-5" read from the loser's side).
        parts = sorted(source.get("parts", [])), sorted(output.get("parts", []))
        return source.get("kind") == output.get("kind") and parts[0] == parts[1]
    if source.get("kind") == "time" or output.get("kind") == "time":
        return source.get("hour") == output.get("hour") and source.get("minute") == output.get("minute")
    amounts = {float(source["amount"])} if "amount" in source else set()
    amounts.update(float(a["amount"]) for a in source.get("alternatives", []) if "amount" in a)
    if source.get("kind") == "code":
        amounts.update(float(p) for p in source.get("parts", []))
    if "amount" not in output:
        return bool(set(map(float, output.get("parts", []))) & amounts)
    return any(abs(a - float(output["amount"])) <= 1e-9 * max(1.0, abs(a)) for a in amounts)
