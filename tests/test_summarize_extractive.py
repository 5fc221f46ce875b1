"""The extractive summarizer knows what news is: the lead first, no boilerplate or captions, whole quotes
with their speakers, no repeats, article order. Measured against human summaries where they exist."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from keepfacts.eval.analysis import analyse
from keepfacts.summarize.extractive import extractive_summary
from keepfacts.summarize.news_text import is_boilerplate, quote_spans

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus" / "articles"
FRANK = SHARED / "frank-dev" / "articles.jsonl"


@pytest.mark.parametrize(
    "line",
    [
        "Click on the photos above to learn how a grave digger spends his day.",
        "Scroll down for video Natalia Moon (pictured) learned Tagalog to score a role on a sitcom",
        "Injured: Chris Copeland, a player for the Indiana Pacers, and his wife, pictured, were stabbed",
        "Close ties: Soumbadze has been affiliated with the karate studio since he was a young child",
        "Follow us on Twitter for the latest news from the trial.",
        "By Daily Mail Reporter.",
        "PUBLISHED: 10:02 EST, 3 April 2015 | UPDATED: 11:04 EST, 3 April 2015",
        "The retail site, pictured above, offers two free hours of parking.",
        "Stewart (centre front) poses in the team photo ahead of the start of the season",
        "Photo: Getty Images",
        "CNN's Jane Smith contributed to this report.",
        "ShareFacebook Twitter WhatsApp Email Print Telegram",
    ],
)
def test_share_lines_bylines_credits_and_captions_are_boilerplate(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "He said: 'Medog County is surrounded by snow mountains.'",
        "One commenter wrote: 'Your amazing at what you do.'",
        "His dead body was pictured on social media today with his teeth missing.",
        "More than 100,000 soldiers have been charged with desertion, prosecutors said.",
        "The photo was shared with her 25,000 followers.",
        "Police said: 'We are treating the death as suspicious.'",
    ],
)
def test_reporting_is_not_boilerplate(line: str) -> None:
    assert not is_boilerplate(line)


def test_a_quote_over_several_sentences_is_one_span() -> None:
    sentences = [
        "The minister spoke on Monday.",
        "A senior official told the newspaper: 'We are a Left-wing government.",
        "We will not cut pensions.",
        "The creditors know it.'",
        "Talks resume on Friday.",
        'He added: "It is over.',
        'Nobody will pay."',
    ]
    assert quote_spans(sentences) == [(1, 3), (5, 6)]


def test_apostrophes_are_no_quotes() -> None:
    sentences = ["The soldiers' families waited.", "Kyiv's offensive failed.", "It's over, they said."]
    assert quote_spans(sentences) == []


ARTICLE = """\
Ukraine's Prosecutor General's Office says more than 100,000 soldiers have been charged with desertion \
since February 2022.
Nearly half of them left in the past year, after Kyiv's failed offensive, the Associated Press reported.
Scroll down for video Soldiers (pictured) train near the front line in the Donetsk region
A senior official told the newspaper: 'We are losing men every day.
The front cannot hold without them.
We need 200,000 more.'
Analyst Alexander Kovalenko said the figures were alarming.
Click on the photos above to see the training camps.
Ukraine's Prosecutor General's Office says more than 100,000 soldiers have been charged with desertion.
"""


@pytest.mark.parametrize("max_words", [25, 40, 60, 80])
def test_the_summary_is_the_lead_whole_quotes_and_no_boilerplate(max_words: int) -> None:
    summary = extractive_summary(ARTICLE, max_words)
    assert summary.startswith("Ukraine's Prosecutor General's Office says more than 100,000")
    assert "Scroll down" not in summary and "pictured" not in summary and "Click" not in summary
    quote = ("We are losing men every day.", "The front cannot hold without them.", "We need 200,000 more.'")
    assert all(part in summary for part in quote) or not any(part in summary for part in quote)
    assert summary.count("charged with desertion") == 1  # the repeated lead is not taken twice
    assert len(summary.split()) <= max_words


def test_sentences_keep_article_order() -> None:
    summary = extractive_summary(ARTICLE, 80)
    lines = [line for line in ARTICLE.splitlines() if line and line in summary]
    positions = [summary.index(line) for line in lines]
    assert positions == sorted(positions) and len(lines) >= 2


# -- the real articles: no boilerplate, caption or partial quote in any summary ----------------------
def _real_articles() -> list[tuple[str, str]]:
    found = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt"))]
    if FRANK.is_file():
        for line in FRANK.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record.get("dataset") == "cnndm":
                found.append((record["id"], record["text"]))
    return found


_SINGLE = re.compile(r"(?P<open>(?:^|(?<=[\s:(]))['‘](?=[A-Za-z]))|(?P<close>(?<=[\w.!?,])['’](?![A-Za-z]))")


def _partial_quote(summary: str) -> bool:
    """An independent check: double quote marks that do not pair up, or a single quote left open (a
    closing mark is matched to the last open one; an unmatched one may be a plural's apostrophe)."""
    if summary.count('"') % 2 or summary.count("“") != summary.count("”"):
        return True
    depth = 0
    for mark in _SINGLE.finditer(summary):
        if mark.group("open"):
            depth += 1
        elif depth:
            depth -= 1
    return depth > 0


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here (development data)")
@pytest.mark.parametrize("max_words", [40, 80])
def test_no_real_summary_holds_boilerplate_a_caption_or_a_partial_quote(max_words: int) -> None:
    bad = []
    for doc, text in _real_articles():
        summary = extractive_summary(analyse(text), max_words)
        marks = re.search(r"(?i)scroll down|click on|\(pictured|, pictured|follow us|photo:", summary)
        if marks or _partial_quote(summary):
            bad.append((doc, summary[:200]))
    assert bad == []
