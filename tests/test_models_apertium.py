"""models: the real Apertium backend (Debian apertium + apertium-eng-spa/eng-cat)."""

from __future__ import annotations

import re
import shutil

import pytest

from keepfacts import models
from keepfacts.errors import LanguageError, ModelError, ModelNotAvailable, UsageError
from keepfacts.models import apertium

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("apertium") is None, reason="apertium is not installed here (apt-get unavailable)"
    ),
]


def figures(text: str) -> list[str]:
    return re.findall(r"\d[\d,.]*\d|\d", text)


@pytest.fixture(scope="module")
def eng_spa() -> apertium.ApertiumBackend:
    backend = models.Loader().load("apertium:eng-spa", task="translate")
    assert isinstance(backend, apertium.ApertiumBackend)
    return backend


def test_translates_a_seed_paragraph_keeping_its_digits(
    eng_spa: apertium.ApertiumBackend, seed_text: str
) -> None:
    paragraph = next(p for p in seed_text.split("\n\n") if "100,000" in p)
    [[spanish]] = eng_spa.generate([paragraph])
    assert spanish and spanish != paragraph
    assert figures(spanish) == figures(paragraph)
    assert "Fiscal" in spanish or "oficina" in spanish  # really Spanish, not an echo
    assert "*" not in spanish  # unknown-word marks are off by default


def test_one_process_per_batch_split_back_per_input(
    eng_spa: apertium.ApertiumBackend, seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [
        "Over 100,000 soldiers\nhave been charged since February 2022.",
        "",
        "Nearly half of them left after the offensive",  # no final stop
        "He said 300,000 were engaged.\n\nA lawmaker said 200,000.",
        "§§ 12345 §§ is not a separator when it is text: 7.",
        *[p for p in seed_text.split("\n\n") if p.strip()][:6],
    ]
    runs: list[str] = []
    real_run = eng_spa._run

    def counting(text: str, mode: str, flags: list[str]) -> str:
        runs.append(text)
        return real_run(text, mode, flags)

    monkeypatch.setattr(eng_spa, "_run", counting)
    batch = eng_spa.generate(texts)
    assert len(runs) == 1
    assert len(batch) == len(texts) and all(len(options) == 1 for options in batch)
    assert batch[1] == [""]
    for source, [output] in zip(texts, batch, strict=True):
        assert figures(output) == figures(source)
    assert "\n" in batch[0][0] and "\n\n" in batch[3][0]  # line structure inside an input survives
    one_by_one = [eng_spa.generate([text])[0] for text in texts]
    assert one_by_one == batch


def test_mark_unknown_returns_the_raw_marks(eng_spa: apertium.ApertiumBackend) -> None:
    text = "Analyst Alexander Kovalenko said so."
    [[raw]] = eng_spa.generate([text], mark_unknown=True)
    [[clean]] = eng_spa.generate([text])
    assert "*Kovalenko" in raw and "*" not in clean and "Kovalenko" in clean


def test_mode_per_call_from_language_codes() -> None:
    backend = models.Loader().load("apertium", task="translate")
    assert backend.spec == "apertium"
    [[spanish], [catalan]] = [
        backend.generate(["The soldiers left."], src_lang="en", tgt_lang=tgt)[0] for tgt in ("es", "ca")
    ]
    assert spanish != catalan
    with pytest.raises(LanguageError, match="no en->de mode"):
        backend.generate(["x"], src_lang="en", tgt_lang="de")
    with pytest.raises(UsageError, match="needs tgt_lang"):
        backend.generate(["x"])


def test_a_missing_mode_names_the_pairs_apertium_has_not_each_of_its_modes() -> None:
    """Apertium lists 11 modes here (eng-cat_valencia_uni_iec2017, ...); an error names the language pairs
    they cover and where the full list is."""
    backend = models.Loader().load("apertium", task="translate")
    with pytest.raises(LanguageError) as caught:
        backend.generate(["x"], src_lang="en", tgt_lang="de")
    message = caught.value.message
    assert "en->es" in message and "translate --list-pairs" in message
    assert "valencia" not in message and "eng-spa" not in message
    assert apertium.installed_pairs()[:1] and ("en", "es") in apertium.installed_pairs()


def test_errors_are_one_line() -> None:
    with pytest.raises(
        ModelNotAvailable, match=r"apertium mode 'eng-deu' is not installed .*apertium-eng-deu"
    ):
        models.Loader().load("apertium:eng-deu", task="translate")
    with pytest.raises(ModelError, match="only translates"):
        models.Loader().load("apertium:eng-spa", task="summarize")


def test_missing_binary_names_the_apt_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apertium.shutil, "which", lambda name: None)
    with pytest.raises(ModelNotAvailable, match="apt-get install apertium apertium-eng-spa"):
        models.Loader().load("apertium:eng-spa", task="translate")


def test_info_records_versions(eng_spa: apertium.ApertiumBackend) -> None:
    assert eng_spa.info["kind"] == "apertium" and eng_spa.info["mode"] == "eng-spa"
    assert {"apertium", "apertium-eng-spa"} <= set(eng_spa.info["versions"])
    assert eng_spa.count_tokens("three short words") == 3


def test_a_disturbed_separator_falls_back_to_one_run_per_text(
    eng_spa: apertium.ApertiumBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = ["Over 100,000 soldiers left.", "A lawmaker said 200,000."]
    expected = [eng_spa.generate([text])[0] for text in texts]
    real_run = eng_spa._run
    runs: list[str] = []

    def losing_separators(text: str, mode: str, flags: list[str]) -> str:
        runs.append(text)
        return re.sub(r"§§ \d+ §§\.", "", real_run(text, mode, flags))

    monkeypatch.setattr(eng_spa, "_run", losing_separators)
    assert eng_spa.generate(texts) == expected
    assert len(runs) == 3  # the joined run, then each text on its own
