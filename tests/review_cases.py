"""What the review page tests draw: the seed, and a summary of it that is wrong in several ways."""

from __future__ import annotations

from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "seeds" / "khaama-ukraine-desertions.txt"
# A summary that changes a date, moves a figure to another claim and invents one.
BAD = (
    "Around 300,000 soldiers have deserted the army, while 7,500 officers fled. The Prosecutor General's "
    "Office said over 100,000 soldiers were charged in March 2022."
)
