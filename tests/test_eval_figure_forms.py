"""English figure forms: each is read as one value with all its parts (known values, both sides)."""

from __future__ import annotations

from typing import Any

import pytest

from keepfacts.eval.figures import find_figures


def _figures(text: str) -> list[tuple[str, dict[str, Any]]]:
    return [(text[f.start : f.end], f.value) for f in find_figures(text)]


# (text, the figures' texts and the value keys they must carry)
READ = [
    ("About 1.2m people voted.", [("About 1.2m", {"kind": "number", "amount": 1_200_000})]),
    ("A 5k run.", [("5k", {"kind": "number", "amount": 5000})]),
    ("Prices of 2022-02 rose.", [("2022-02", {"kind": "date", "year": 2022, "month": 2})]),
    ("Filed on 2023-04-03.", [("2023-04-03", {"kind": "date", "year": 2023, "month": 4, "day": 3})]),
    ("A dozen people died.", [("A dozen", {"kind": "number", "amount": 12})]),
    ("Two dozen eggs.", [("Two dozen", {"kind": "number", "amount": 24})]),
    (
        "He served from 1981-87.",
        [("1981", {"kind": "date", "year": 1981}), ("87", {"kind": "date", "year": 1987, "range": "end"})],
    ),
    (
        "The 2019-20 season.",
        [("2019", {"kind": "date", "year": 2019}), ("20", {"kind": "date", "year": 2020, "range": "end"})],
    ),
    ("Born in the 1980s.", [("the 1980s", {"kind": "decade", "amount": 1980})]),
    ("Music of the '80s.", [("the '80s", {"kind": "decade", "amount": 1980})]),
    ("A woman in her 40s.", [("40s", {"kind": "decade", "amount": 40})]),
    ("City won 2-1 on Sunday.", [("2-1", {"kind": "score", "parts": [2, 1]})]),
    ("after the 3-0 defeat", [("3-0", {"kind": "score", "parts": [3, 0]})]),
    ("Rates rose 2 percentage points.", [("2 percentage points", {"kind": "percent", "unit": "pp"})]),
    ("Rates rose 2 percent.", [("2 percent", {"kind": "percent", "unit": "%"})]),
    ("5 deaths per million people", [("5", {"kind": "number", "amount": 5, "per": 1_000_000})]),
    ("12 cases per 100,000 residents", [("12", {"kind": "number", "amount": 12, "per": 100_000})]),
    ("They met at 6 p.m.", [("6 p.m.", {"kind": "time", "hour": 18, "minute": 0})]),
    ("They met at 18:30.", [("18:30", {"kind": "time", "hour": 18, "minute": 30})]),
]

# Forms that must NOT be read as the value on the right.
NOT_READ = [
    ("About 1.2m people voted.", {"kind": "number", "amount": 1}),
    ("Prices of 2022-02 rose.", {"kind": "number", "amount": 2}),
    ("The 2010-11 season.", {"kind": "date", "year": 2010, "month": 11}),  # a season, not November
    ("Between 10-15 people came.", {"kind": "score"}),  # a range of people, not a result
    ("A 2-1 vote in the Senate committee.", {"kind": "decade"}),
    ("dozens of people", {"kind": "number", "amount": 12}),
]


@pytest.mark.parametrize(("text", "expected"), READ, ids=[c[0] for c in READ])
def test_reads_the_whole_figure(text: str, expected: list[tuple[str, dict[str, Any]]]) -> None:
    found = _figures(text)
    for figure_text, keys in expected:
        matches = [value for t, value in found if t == figure_text]
        assert matches, (figure_text, found)
        for key, want in keys.items():
            assert matches[0].get(key) == want, (figure_text, key, matches[0])


@pytest.mark.parametrize(("text", "wrong"), NOT_READ, ids=[c[0] for c in NOT_READ])
def test_does_not_misread(text: str, wrong: dict[str, Any]) -> None:
    for _, value in _figures(text):
        assert not all(value.get(k) == v for k, v in wrong.items()), (text, value)
