"""Translation records: every fact's span points into the whole input (source facts) or the whole
output (output facts), not into its sentence; `segment` still names the sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import make_fake

from keepfacts import models
from keepfacts.translate.pipeline import translate

SEED = (Path(__file__).resolve().parent.parent / "seeds" / "khaama-ukraine-desertions.txt").read_text()


@pytest.fixture(autouse=True)
def _fakes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(models.BACKENDS, "fake", lambda arg, **kw: make_fake(arg, **kw))


def _source_side(facts: dict) -> list[dict]:
    pairs = [p["source"] for p in [*facts["changed"], *facts["misattributed"]]]
    return [*facts["kept"], *facts["missing"], *facts["unchecked"], *pairs]


def _output_side(facts: dict) -> list[dict]:
    return [*facts["unsupported"], *(p["output"] for p in [*facts["changed"], *facts["misattributed"]])]


def test_source_spans_point_into_the_whole_article() -> None:
    result = translate(SEED, to="es", model="fake:change", guarded=False)
    assert result.facts["changed"]
    located = _source_side(result.facts)
    assert len(located) > 20
    for fact in located:
        a, b = fact["span"]
        assert SEED[a:b] == fact["text"], fact


def test_output_spans_point_into_the_whole_output() -> None:
    text = "Police said 12 people died.\n\nThe mayor said 40 homes burned and 7 cars."
    # fake:invent adds "Officials said 500,000 soldiers deserted." to every sentence; fake:change makes
    # a figure come out with another value: unsupported and changed facts on the output side
    result = translate(text, to="es", model="fake:invent", guarded=False)
    located = _output_side(result.facts)
    assert located
    for fact in located:
        a, b = fact["span"]
        assert result.output[a:b] == fact["text"], fact
