"""Figure recall of the checker on professional translations (../shared/corpus), per language.

Human references keep nearly every figure, so a good checker finds nearly all kept: goal >= 97% per
language. Skips with a reason where the corpus is absent (it is not part of the repository).
"""

from __future__ import annotations

import pytest

from keepfacts.eval.measure_corpus import GOAL, LANGS, corrupted_detection, default_corpus, measure

CORPUS = default_corpus()
pytestmark = pytest.mark.skipif(
    not (CORPUS / "refs").is_dir(), reason=f"corpus not found at {CORPUS} (set KEEPFACTS_CORPUS)"
)


@pytest.fixture(scope="module")
def results():
    return measure(CORPUS)


@pytest.mark.parametrize("lang", LANGS)
def test_figure_recall_per_language(results, lang: str) -> None:
    result = results[lang]
    assert result.total > 150
    assert result.recall >= GOAL, [f"{m['doc']}:{m['line']} {m['text']}" for m in result.misses]


def test_corrupted_references_are_caught() -> None:
    """The matcher is not lenient: adding 1 to every number of a reference loses >= 90% of them."""
    for lang, (caught, total) in corrupted_detection(CORPUS, ("de", "ja")).items():
        assert caught / total >= 0.9, (lang, caught, total)
