"""Segmentation, word limits and language codes: the small shared pieces every pipeline relies on."""

from __future__ import annotations

import pytest

from keepfacts.errors import LanguageError
from keepfacts.languages import check_language, language_name
from keepfacts.segment import MAX_SENTENCE_CHARS, chunk, sentences, split_paragraphs, split_sentences
from keepfacts.words import count_words, fit_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two!  Three?", ["One.", "Two!", "Three?"]),
        ("Mr. Smith paid $1.5 million. He left.", ["Mr. Smith paid $1.5 million.", "He left."]),
        ("U.S. officials said so. Then 3.5% fell.", ["U.S. officials said so.", "Then 3.5% fell."]),
        ("John F. Kennedy spoke. Later.", ["John F. Kennedy spoke.", "Later."]),
        ("“It is bad.” He said it.", ["“It is bad.”", "He said it."]),
        ("line one\nline two", ["line one", "line two"]),
        ("这是。那是。", ["这是。", "那是。"]),
        ("", []),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_sentence_spans_point_into_the_text() -> None:
    text = "  First one.  Second one.\n\nThird."
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["First one.", "Second one.", "Third."]


def test_a_long_run_without_punctuation_is_cut_at_spaces() -> None:
    text = " ".join(["word"] * 2000)  # 9,999 characters, no sentence end
    spans = split_sentences(text)
    assert len(spans) > 1
    assert all(b - a <= MAX_SENTENCE_CHARS for a, b in spans)
    assert " ".join(text[a:b] for a, b in spans) == text


def test_a_long_run_without_spaces_is_cut_hard() -> None:
    text = "x" * 1500
    assert "".join(sentences(text)) == text
    assert max(len(s) for s in sentences(text)) <= MAX_SENTENCE_CHARS


def test_paragraphs() -> None:
    text = "A one.\nA two.\n\n  \nB one.\n\n"
    assert [text[a:b] for a, b in split_paragraphs(text)] == ["A one.\nA two.", "B one."]


def test_chunk_respects_the_budget_and_the_order() -> None:
    pieces = ["aa", "bbb", "c", "dddd", "ee"]
    chunks = chunk(pieces, budget=5, size=len)
    assert chunks == [["aa", "bbb"], ["c", "dddd"], ["ee"]]
    assert chunk(["toolong"], budget=3, size=len) == [["toolong"]]


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Short text.", 80, "Short text."),
        ("One two three. Four five six. Seven.", 6, "One two three. Four five six."),
        ("One two three four five six.", 3, "One two three…"),
    ],
)
def test_fit_words(text: str, limit: int, expected: str) -> None:
    fitted = fit_words(text, limit)
    assert fitted == expected
    assert count_words(fitted) <= limit


def test_language_codes() -> None:
    assert language_name("es") == "Spanish"
    assert check_language("pt_BR") == "pt-br"
    with pytest.raises(LanguageError, match="unknown language code 'xx'"):
        check_language("xx")
