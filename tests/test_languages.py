"""Language codes: ISO 639-1, 639-2/3 and BCP-47 tags, normalised in one place (langcodes)."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from keepfacts.errors import LanguageError
from keepfacts.languages import base_language, check_base_language, check_language, language_name
from keepfacts.summarize.cli import main as summarize_cli
from keepfacts.translate.cli import main as translate_cli


@pytest.mark.parametrize(
    ("code", "normalised"),
    [
        ("es", "es"),
        ("spa", "es"),  # ISO 639-3 / 639-2T
        ("ger", "de"),  # ISO 639-2B
        ("deu", "de"),
        ("ukr", "uk"),
        ("zho", "zh"),
        ("ces", "cs"),
        ("pt_BR", "pt-br"),  # a POSIX locale
        ("pt-BR", "pt-br"),  # BCP-47
        (" EN-us ", "en-us"),
        ("zh-Hans", "zh-hans"),
        ("iw", "he"),  # a deprecated code
    ],
)
def test_codes_of_every_standard_become_one_spelling(code: str, normalised: str) -> None:
    assert check_language(code) == normalised


@pytest.mark.parametrize("code", ["xx", "qq", "und", "english", "", "es-", "123"])
def test_what_is_no_language_code_is_one_clear_error(code: str) -> None:
    with pytest.raises(LanguageError, match="unknown language code"):
        check_language(code)


def test_the_base_language_of_any_spelling() -> None:
    assert check_base_language("spa") == "es"
    assert check_base_language("pt_BR") == "pt"
    assert base_language("deu-AT") == "de"
    assert base_language("not a code") == "not a code"  # not validated: unknown text passes through


def test_names_come_from_cldr_for_any_spelling() -> None:
    assert language_name("spa") == "Spanish"
    assert language_name("pt_BR") == "Portuguese (Brazil)"


def test_a_three_letter_target_picks_the_models_of_its_two_letter_code() -> None:
    result = CliRunner().invoke(translate_cli, ["-", "--to", "spa", "--format", "json"], input="Hello.")
    assert "opus-mt-en-spa" not in result.output
    assert result.exit_code == 0, result.output
    assert '"to": "es"' in result.output


@pytest.mark.parametrize(
    ("command", "args"),
    [(translate_cli, ["--from", "es", "--to", "en"]), (summarize_cli, ["--lang", "deu"])],
)
def test_a_source_the_fact_engine_cannot_read_fails_before_any_model_loads(
    command: Any, args: list[str]
) -> None:
    result = CliRunner().invoke(command, ["-", *args], input="Hola, 5 personas.")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1  # one line: no "using apertium:..." notice first
    assert "reads English sources only" in result.output
