"""Segmentation, word limits and language codes: the small shared pieces every pipeline relies on."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# Per language, both sides: where a sentence must end, and where a period, a quote or a bracket must not
# end one. (lang, text, expected sentences.)
SEGMENTATION_CASES = {
    "en": [
        ("He arrived at 6 p.m. The meeting began.", ["He arrived at 6 p.m.", "The meeting began."]),
        ("It hit the U.S. Officials said so.", ["It hit the U.S.", "Officials said so."]),
        ("It hit the U.S. The storm moved on.", ["It hit the U.S.", "The storm moved on."]),
        (
            '"I promise you. Whatever is needed," he said.',
            ['"I promise you.', 'Whatever is needed," he said.'],
        ),
        ("Is it over? Nobody knows! We wait.", ["Is it over?", "Nobody knows!", "We wait."]),
        ("Mr. Smith met Dr. Jones on Jan. 5 in Ohio.", ["Mr. Smith met Dr. Jones on Jan. 5 in Ohio."]),
        (
            "It was No. 5 on the charts of the U.K. last year.",
            ["It was No. 5 on the charts of the U.K. last year."],
        ),
        ("Fruit, e.g. apples, sold well, i.e. better.", ["Fruit, e.g. apples, sold well, i.e. better."]),
        ("He arrived at 6 p.m. on Monday.", ["He arrived at 6 p.m. on Monday."]),
        ("The U.S. Army said 3.5% of its troops left.", ["The U.S. Army said 3.5% of its troops left."]),
        ("Acme Inc. said sales rose.", ["Acme Inc. said sales rose."]),
    ],
    "de": [
        ("Er sagte: „Wir kommen.“ Dann ging er.", ["Er sagte: „Wir kommen.“", "Dann ging er."]),
        ("Er sagte: »Wir kommen.« Dann ging er.", ["Er sagte: »Wir kommen.«", "Dann ging er."]),
        ("Er sagte: „Wir kommen“. Dann ging er.", ["Er sagte: „Wir kommen“.", "Dann ging er."]),
        ("Er kam am 3. April. Dann ging er.", ["Er kam am 3. April.", "Dann ging er."]),
        ("Er kam am 3. April.", ["Er kam am 3. April."]),
        ("Am 26. und 27. November tobte der Sturm.", ["Am 26. und 27. November tobte der Sturm."]),
        ("Das kostet ca. 10 Euro, z. B. bei Dr. Müller.", ["Das kostet ca. 10 Euro, z. B. bei Dr. Müller."]),
        ("Er versuchte es zum 2. Mal.", ["Er versuchte es zum 2. Mal."]),
        ("Es gab 1.686 neue Fälle, 3,5 % mehr.", ["Es gab 1.686 neue Fälle, 3,5 % mehr."]),
    ],
    "fr": [
        (
            "Il a dit : « Nous venons. » Puis il est parti.",
            ["Il a dit : « Nous venons. »", "Puis il est parti."],
        ),
        (
            "Le taux a atteint 2,5 %. Ensuite il a baissé.",
            ["Le taux a atteint 2,5 %.", "Ensuite il a baissé."],
        ),
        ("M. Macron a reçu M. Dupont.", ["M. Macron a reçu M. Dupont."]),
        ("Il est né le 3 janv. 1990 à Paris.", ["Il est né le 3 janv. 1990 à Paris."]),
        (
            "Il y avait env. 500 personnes, etc. selon la police.",
            ["Il y avait env. 500 personnes, etc. selon la police."],
        ),
    ],
    "es": [
        ("El Sr. García llegó. ¿Qué pasó? ¡Nada!", ["El Sr. García llegó.", "¿Qué pasó?", "¡Nada!"]),
        ("Dijo: «Venimos.» Luego se fue.", ["Dijo: «Venimos.»", "Luego se fue."]),
        ("Llegó a las 6 p.m. La reunión empezó.", ["Llegó a las 6 p.m.", "La reunión empezó."]),
        ("La Dra. López vino a las 5 p. m. del lunes.", ["La Dra. López vino a las 5 p. m. del lunes."]),
        ("Los EE. UU. anunciaron sanciones.", ["Los EE. UU. anunciaron sanciones."]),
        ("Hay aprox. 500 personas.", ["Hay aprox. 500 personas."]),
    ],
    "ru": [
        ("Он сказал: «Мы придём». Потом ушёл.", ["Он сказал: «Мы придём».", "Потом ушёл."]),
        ("Цены выросли на 5%. Затем упали.", ["Цены выросли на 5%.", "Затем упали."]),
        ("«Мы придём. Мы останемся», — сказал он.", ["«Мы придём.", "Мы останемся», — сказал он."]),
        ("Население около 5 млн. чел. по данным ООН.", ["Население около 5 млн. чел. по данным ООН."]),
        ("Это было в 2020 г. в Москве, т. е. давно.", ["Это было в 2020 г. в Москве, т. е. давно."]),
        ("Проф. Иванов и акад. Петров пришли.", ["Проф. Иванов и акад. Петров пришли."]),
    ],
    "uk": [
        ("Він сказав: «Ми прийдемо». Потім пішов.", ["Він сказав: «Ми прийдемо».", "Потім пішов."]),
        ("Це сталося у 2020 р. у Києві.", ["Це сталося у 2020 р. у Києві."]),
        ("Збитки склали 5 млн. грн. за рік.", ["Збитки склали 5 млн. грн. за рік."]),
    ],
    "cs": [
        ("Prof. Novák řekl: „Přijdeme.“ Pak odešel.", ["Prof. Novák řekl: „Přijdeme.“", "Pak odešel."]),
        ("Stalo se to 3. dubna 2020. Pak odešel.", ["Stalo se to 3. dubna 2020.", "Pak odešel."]),
        ("Přišel v 5 hod. odpoledne.", ["Přišel v 5 hod. odpoledne."]),
        ("Dne 28. října 1918 vznikl stát.", ["Dne 28. října 1918 vznikl stát."]),
        ("Např. ing. Novák přišel.", ["Např. ing. Novák přišel."]),
    ],
    "ja": [
        ("これは本です。あれは何ですか？すごい！", ["これは本です。", "あれは何ですか？", "すごい！"]),
        ("「行きます。」彼は言った。", ["「行きます。」", "彼は言った。"]),
        ("彼は「行きます。」と言った。", ["彼は「行きます。」と言った。"]),
        ("売上は３．５％増えた。", ["売上は３．５％増えた。"]),
    ],
    "zh": [
        ("这是。那是！为什么？", ["这是。", "那是！", "为什么？"]),
        ("他说：“我们来了。”然后他走了。", ["他说：“我们来了。”", "然后他走了。"]),
        ("他说：“我们来了。我们走了。”然后他走了。", ["他说：“我们来了。", "我们走了。”", "然后他走了。"]),
        ("增长了3.5%，美国官员说。", ["增长了3.5%，美国官员说。"]),
    ],
}


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [(lang, text, expected) for lang, cases in SEGMENTATION_CASES.items() for text, expected in cases],
)
def test_sentences_per_language(lang: str, text: str, expected: list[str]) -> None:
    assert sentences(text, lang=lang) == expected


def test_the_language_defaults_to_english_and_accepts_regional_codes() -> None:
    text = "Er kam am 3. April. Dann ging er."
    assert sentences(text) == sentences(text, lang="en")
    assert sentences(text, lang="de_AT") == sentences(text, lang="de-at") == sentences(text, lang="de")
    assert sentences("Olá. Mundo.", lang="xx") == ["Olá.", "Mundo."]  # unknown codes fall back
    assert sentences("彼は「行きます。」と言った。次だ。") == ["彼は「行きます。」と言った。", "次だ。"]


_ALPHABET = [*"ab AZ яЖ 3 5 . . , ! ? … 。 ！ ． 「 」 “ ” „ « » \" ' ( ) \n", "U.S. ", "p.m. ", "Mr. "]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_ALPHABET), max_size=80).map("".join),
    st.sampled_from([*SEGMENTATION_CASES, "xx"]),
)
def test_spans_are_ordered_disjoint_stripped_and_cover_the_text(text: str, lang: str) -> None:
    spans = split_sentences(text, lang=lang)
    previous_end = 0
    for a, b in spans:
        assert previous_end <= a < b <= len(text)
        assert text[a:b] == text[a:b].strip()
        assert "\n" not in text[a:b]
        previous_end = b
    covered = "".join(text[a:b] for a, b in spans)
    assert [c for c in covered if not c.isspace()] == [c for c in text if not c.isspace()]


def test_spans_map_back_when_the_splitter_changes_whitespace(monkeypatch: pytest.MonkeyPatch) -> None:
    from keepfacts import segment

    real = segment.sentencex.segment

    def squeezing(lang: str, text: str) -> list[str]:  # a splitter that normalises whitespace
        return [" ".join(piece.split()) for piece in real(lang, text)]

    monkeypatch.setattr(segment.sentencex, "segment", squeezing)
    text = "It rose  5%.   Then\tit fell.  «Мы  придём».  Потом."
    assert sentences(text, lang="ru") == ["It rose  5%.", "Then\tit fell.", "«Мы  придём».", "Потом."]


def test_spans_of_a_window_stay_inside_it() -> None:
    text = "Skip this. One. Two.\nThree. Skip too."
    start, end = text.index("One"), text.index(" Skip too")
    assert [text[a:b] for a, b in split_sentences(text, start, end)] == ["One.", "Two.", "Three."]


@pytest.mark.parametrize(
    "text",
    [
        " ".join(f"the convoy of {n} trucks moved past the checkpoint" for n in range(120)),  # no punctuation
        "1234567890" * 500,
        '"a. ' * 1500,  # quotes that never close properly
        "“" + "Wir kommen. " * 500 + "”",  # one quotation of 500 sentences
        "3. " * 2000,
    ],
    ids=["words", "no-spaces", "open-quotes", "long-quotation", "ordinals"],
)
def test_hostile_lines_are_split_fast(text: str) -> None:
    started = time.perf_counter()
    for lang in ("en", "de", "ja"):
        spans = split_sentences(text, lang=lang)
        assert all(b - a <= MAX_SENTENCE_CHARS for a, b in spans)
    assert time.perf_counter() - started < 1.0  # today about 10 ms each; a quadratic path would not fit


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
