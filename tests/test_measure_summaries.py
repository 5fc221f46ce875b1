"""measure_summaries: ROUGE against human summaries, key facts, unsupported facts, per method."""

from __future__ import annotations

from pathlib import Path

import pytest

from keepfacts.eval import measure_summaries as ms

SHARED = Path(__file__).resolve().parents[2] / "shared"
FRANK = SHARED / "frank-dev"


def test_rouge_and_key_facts_on_a_made_up_article() -> None:
    text = (
        "Police said 12 people died in the fire on Monday. The mayor said 40 homes were destroyed. "
        "Firefighters worked through the night. Residents were moved to a school. The cause is unknown."
    )
    article = ms.Article("a", text, "12 people died in a fire, police said.\n40 homes were destroyed.")
    results = ms.measure([article], ["lead3", "extractive"], "lead3", progress=False)
    lead = results["lead3"]
    assert 0.3 < lead.rouge1[0] <= 1.0 and lead.rouge2[0] > 0
    assert lead.key_total == 2 and lead.key_kept == 2  # the figures the human summary keeps: 12 and 40
    assert results["extractive"].unsupported == 0
    assert "| lead3 |" in ms.table("t", results, 1)


@pytest.mark.skipif(not FRANK.is_dir(), reason="../shared/frank-dev is not here (development data)")
def test_the_extractive_method_is_level_with_lead3_on_frank(capsys: pytest.CaptureFixture[str]) -> None:
    articles = ms.frank_articles(FRANK)
    assert len(articles) == 72
    results = ms.measure(articles, ["lead3", "extractive"], "lead3", progress=False)
    lead, ours = results["lead3"], results["extractive"]
    mean = lambda values: sum(values) / len(values)  # noqa: E731
    assert mean(ours.rouge1) >= mean(lead.rouge1) - 0.005  # within half a point of lead-3 at worst
    assert mean(ours.rouge2) >= mean(lead.rouge2) - 0.005
    assert abs(mean(ours.words) - mean(lead.words)) <= 2.5
    assert ours.key_kept >= lead.key_kept and ours.unsupported == 0


def test_the_default_line_says_what_the_model_time_bought() -> None:
    from collections import Counter

    from keepfacts.eval.measure_summaries import shortening_line

    tally = Counter({"offered": 9, "shortened": 1, "not a clause cut": 5, "length": 3})
    assert shortening_line(tally) == (
        "default: 9 sentences offered to the model, 1 shortened; refused: 5 not a clause cut, 3 length"
    )
    assert shortening_line(Counter({"offered": 0, "shortened": 0})) == (
        "default: 0 sentences offered to the model, 0 shortened"
    )
