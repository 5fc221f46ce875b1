"""Person names: a changed or garbled given name is `changed`; a title, a declension, a word of another
sentence, or a given name the source never gives (it names the person by surname) is not."""

from __future__ import annotations

import pytest

from keepfacts.eval import check

KOVALENKO = "Maria Kovalenko, a military analyst, said 40 units had left."
PUTIN = "Vladimir Putin said on Monday that 12 people had died."


@pytest.mark.parametrize(
    ("lang", "output", "passes"),
    [
        ("en", "Maria Kovalenko, a military analyst, said 40 units had left.", True),
        ("en", "Oleksandr Kovalenko, a military analyst, said 40 units had left.", False),
        ("en", "Mraia Kovalenko, a military analyst, said 40 units had left.", False),
        ("de", "Maria Kovalenko, eine Militäranalystin, sagte, 40 Einheiten seien abgezogen.", True),
        ("de", "Oleksandr Kovalenko, ein Militäranalyst, sagte, 40 Einheiten seien abgezogen.", False),
        ("es", "Maria Kovalenko, analista militar, dijo que 40 unidades se habían ido.", True),
        ("es", "Oleksandr Kovalenko, analista militar, dijo que 40 unidades se habían ido.", False),
        ("fr", "Maria Kovalenko, analyste militaire, a déclaré que 40 unités étaient parties.", True),
        ("fr", "Oleksandr Kovalenko, analyste militaire, a déclaré que 40 unités étaient parties.", False),
        ("ru", "Мария Коваленко, военный аналитик, заявила, что 40 подразделений ушли.", True),
        ("ru", "Александр Коваленко, военный аналитик, заявил, что 40 подразделений ушли.", False),
    ],
)
def test_a_changed_given_name_is_changed(lang: str, output: str, passes: bool) -> None:
    mode = "summary" if lang == "en" else "translation"
    report = check(KOVALENKO, output, lang=lang, mode=mode)
    assert report.passed is passes, report.to_dict()
    if not passes:
        assert any(p["part"] == "name" for p in report.changed)


@pytest.mark.parametrize(
    ("lang", "output"),
    [
        ("de", "Präsident Putin sagte am Montag, 12 Menschen seien gestorben."),
        ("es", "El presidente Putin dijo el lunes que 12 personas habían muerto."),
        ("fr", "Le président Putin a déclaré lundi que 12 personnes étaient mortes."),
        ("ru", "Президент Путин заявил в понедельник, что погибли 12 человек."),
    ],
)
def test_a_title_before_a_surname_is_no_other_given_name(lang: str, output: str) -> None:
    report = check(PUTIN, output, lang=lang, mode="translation")
    assert not [p for p in report.changed if p["part"] == "name"], report.to_dict()


def test_a_declined_given_name_is_the_same_name() -> None:
    report = check(
        "Sam Stafford said 3 trains ran.",
        "Podle Sama Stafforda jezdily 3 vlaky.",
        lang="cs",
        mode="translation",
    )
    assert not report.changed, report.to_dict()


def test_a_word_of_the_sentence_before_is_no_given_name() -> None:
    source = "Comedian Ben Elton spoke at a rally in Warrington on Saturday."
    report = check(source, "The rally was in Warrington. Elton spoke there on Saturday.")
    assert report.passed, report.to_dict()


@pytest.mark.parametrize(
    ("source", "summary"),
    [
        ("Curtis and his assistant will take charge of Saturday's match.", "Alan Curtis will take charge."),
        ("Mr Salmond told the chamber goodbye.", "Alex Salmond told the chamber goodbye."),
    ],
)
def test_a_given_name_the_source_never_gives_is_unchecked(source: str, summary: str) -> None:
    report = check(source, summary)
    assert report.passed and not report.unsupported, report.to_dict()
    assert [f["text"] for f in report.unchecked] == [summary.split(" will")[0].split(" told")[0]]


def test_a_given_name_other_than_the_sources_is_unsupported() -> None:
    report = check("Maria Kovalenko spoke.", "Oleksandr Kovalenko spoke.")
    assert not report.passed


@pytest.mark.parametrize("summary", ["UNK Ibrahim died in fighting.", "Ibrahim Ibrahim died in fighting."])
def test_a_placeholder_or_the_surname_again_loses_the_given_name(summary: str) -> None:
    report = check("Izzat Ibrahim died in fighting north of Baghdad.", summary)
    assert not report.passed and report.changed[0]["part"] == "name", report.to_dict()


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Joe Biden Laments Failure to Stop Global Warming After Tornados\n\nJoe Biden spoke on Sunday.",
            ["Joe Biden", "Joe Biden"],
        ),
        ("The Foreign Secretary said the commitment would help.", ["Foreign Secretary"]),
        ("Talks with the Greeks, the minister said, went well.", ["Greeks"]),
        ("He met Anna Lee\nKiev Times reported it.", ["Anna Lee", "Kiev Times"]),
    ],
)
def test_names_in_headlines_offices_and_lines(text: str, names: list[str]) -> None:
    from keepfacts.eval import extract

    entities = [f for f in extract(text) if f.kind == "entity"]
    assert [f.text for f in entities] == names
    assert all(f.value["type"] != "person" for f in entities if f.text in ("Foreign Secretary", "Greeks"))


@pytest.mark.parametrize(
    ("lang", "output"),
    [
        ("de", "Die Außenministerin sagte, Großbritannien habe 23 Lizenzen erteilt."),
        ("ru", "Министр иностранных дел сказал, что Великобритания выдала 23 лицензии."),
        (
            "fr",
            "La ministre des Affaires étrangères a déclaré que la Grande-Bretagne avait accordé 23 licences.",
        ),
        ("es", "La ministra de Asuntos Exteriores dijo que Gran Bretaña había concedido 23 licencias."),
    ],
)
def test_offices_and_everyday_place_names_may_be_translated(lang: str, output: str) -> None:
    report = check(
        "The Foreign Secretary said Britain had issued 23 licences.", output, lang=lang, mode="translation"
    )
    assert report.passed, report.to_dict()
    assert {f["text"] for f in report.unchecked} <= {"Foreign Secretary", "Britain"}
    assert report.unchecked


def test_a_person_dropped_from_a_translation_still_fails() -> None:
    report = check(
        "Maria Kovalenko said 40 units had left.",
        "Eine Analystin sagte, 40 Einheiten seien abgezogen.",
        lang="de",
        mode="translation",
    )
    assert not report.passed


@pytest.mark.parametrize(
    ("lang", "output"),
    [
        ("ru", "Президент Южной Африки выступил в парламенте."),
        ("uk", "Президент Південної Африки виступив у парламенті."),
        ("cs", "Prezident Jižní Afriky vystoupil v parlamentu."),
        ("ru", "Президент Южной Кореи выступил в парламенте."),
    ],
)
def test_a_place_cldr_calls_by_its_formal_name_may_be_written_as_people_do(lang: str, output: str) -> None:
    place = "South Korea" if "Кореи" in output else "South Africa"
    report = check(f"The president of {place} spoke in parliament.", output, lang=lang, mode="translation")
    assert report.passed, report.to_dict()


@pytest.mark.parametrize(
    ("source", "output", "lang"),
    [
        ("The president of Kenya spoke in parliament.", "Президент выступил в парламенте.", "ru"),
        ("The president of South Africa spoke in parliament.", "Der Präsident sprach im Parlament.", "de"),
    ],
)
def test_a_place_cldr_names_as_people_do_must_still_survive(source: str, output: str, lang: str) -> None:
    report = check(source, output, lang=lang, mode="translation")
    assert not report.passed
    assert any(f["kind"] == "entity" for f in report.to_dict()["missing"])


@pytest.mark.parametrize(
    ("source", "output", "lang", "passes"),
    [
        ("The United States sent aid.", "США направили помощь.", "ru", True),
        ("The United States sent aid.", "США надіслали допомогу.", "uk", True),
        ("The United States sent aid.", "Die USA schickten Hilfe.", "de", True),
        ("The United States sent aid.", "Помощь направили.", "ru", False),
        (
            "The Prosecutor General's Office said 5 died.",
            "O Ministério Público disse que 5 morreram.",
            "pt",
            True,
        ),
        ("The Prosecutor General's Office said 5 died.", "A polícia disse que 5 morreram.", "pt", False),
    ],
)
def test_the_built_in_glossary_knows_everyday_renderings(
    source: str, output: str, lang: str, passes: bool
) -> None:
    assert check(source, output, lang=lang, mode="translation").passed is passes
