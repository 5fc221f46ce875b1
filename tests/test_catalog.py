"""What the commands can do here: `--version` on every command, `summarize --list-models` and `translate
--list-pairs` (aliases, schemes, the models and pairs available offline, what `--model auto` picks), from
models/catalog.py. Offline, with a private (empty, or faked) Hugging Face cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import make_fake

import keepfacts
from keepfacts import models
from keepfacts.eval.cli import main as factcheck_cli
from keepfacts.models import catalog
from keepfacts.summarize.cli import main as summarize_cli
from keepfacts.translate.cli import main as translate_cli

APERTIUM = shutil.which("apertium") is not None
needs_apertium = pytest.mark.skipif(not APERTIUM, reason="apertium is not installed (apt-get unavailable)")


@pytest.fixture(autouse=True)
def _offline(offline_hub: Path) -> None:
    models.register("fake", make_fake)


def fake_cached(cache: Path, model_id: str, commit: str = "0123abcd" * 5) -> None:
    """A usable snapshot in the hub cache's own layout (config and weights; their content is not read)."""
    repo = cache / ("models--" + model_id.replace("/", "--"))
    snapshot = repo / "snapshots" / commit
    snapshot.mkdir(parents=True)
    (snapshot / "config.json").write_text("{}", encoding="utf-8")
    (snapshot / "model.safetensors").write_bytes(b"\0")
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)


def run(command, args: list[str]):  # type: ignore[no-untyped-def]
    # No input: a listing must not wait for standard input.
    return CliRunner().invoke(command, args, input=None, catch_exceptions=False)


@pytest.mark.parametrize(
    ("command", "prog"),
    [(summarize_cli, "summarize"), (translate_cli, "translate"), (factcheck_cli, "factcheck")],
)
def test_every_command_has_version(command, prog: str) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(command, ["--version"], prog_name=prog)
    assert result.exit_code == 0
    assert result.stdout == f"{prog}, version {keepfacts.__version__}\n"


def test_aliases_resolve_to_what_a_run_would_load() -> None:
    table = dict(catalog.aliases())
    assert table["distilbart"] == "sshleifer/distilbart-cnn-12-6"
    assert table["smollm2"] == table["embedded"] == "embedded:smollm2-135m-instruct"
    assert table["m2m100"] == "facebook/m2m100_418M"
    assert set(table) == set(models.ALIASES)


def test_summarize_list_models_prints_aliases_schemes_and_the_auto_choice() -> None:
    result = run(summarize_cli, ["--list-models"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "distilbart" in out and "sshleifer/distilbart-cnn-12-6" in out
    for scheme in models.BACKENDS:  # the registered ones too (fake, here)
        assert f"{scheme}:" in out
    assert "embedded:smollm2-135m-instruct" in out
    auto = [line for line in out.splitlines() if line.startswith("--model auto")]
    assert auto == [
        "--model auto: embedded:smollm2-135m-instruct (sshleifer/distilbart-cnn-12-6 is not in the local "
        "cache and the hub cannot be reached (HF_HUB_OFFLINE=1); using the embedded SmolLM2-135M-Instruct)"
    ]
    assert result.stderr == ""


def test_a_cached_summarizer_is_listed_and_picked(offline_hub: Path) -> None:
    fake_cached(offline_hub, "sshleifer/distilbart-cnn-12-6")
    out = run(summarize_cli, ["--list-models"]).stdout
    assert "sshleifer/distilbart-cnn-12-6 in the local Hugging Face cache" in " ".join(out.split())
    assert "--model auto: ct2:sshleifer/distilbart-cnn-12-6 (" in out or "--model auto: sshleifer/" in out


@needs_apertium
def test_translate_list_pairs_offline_lists_apertium_and_bergamot() -> None:
    result = run(translate_cli, ["--list-pairs"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.split()[:2] == ["en->es", "apertium:eng-spa"] for line in lines), result.stdout
    assert any(line.split()[:2] == ["en->ca", "apertium:eng-cat"] for line in lines)
    assert any(line.split()[:2] == ["en->pt", "bergamot:en-pt"] for line in lines)
    # Pairs from another source language exist, but translate reads English sources only: said once.
    [other] = [line for line in lines if "English sources only" in line]
    assert "pt->en" in other and "es->en" in other
    assert not any(line.startswith("--model auto") for line in lines)  # no --to given


@needs_apertium
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--to", "es"], "--model auto --from en --to es: apertium:eng-spa ("),
        (["--to", "pt"], "--model auto --from en --to pt: bergamot:en-pt ("),
        (["--to", "de"], "--model auto --from en --to de: nothing here (no translation model for en->de"),
    ],
)
def test_translate_list_pairs_says_what_auto_picks_for_to(args: list[str], expected: str) -> None:
    result = run(translate_cli, ["--list-pairs", *args])
    assert result.exit_code == 0, result.stderr
    [auto] = [line for line in result.stdout.splitlines() if line.startswith("--model auto")]
    assert auto.startswith(expected)


def test_an_opus_model_in_the_local_cache_is_a_pair(offline_hub: Path) -> None:
    fake_cached(offline_hub, "Helsinki-NLP/opus-mt-en-de")
    pairs = {(p.src, p.tgt): p for p in catalog.offline_pairs()}
    assert pairs["en", "de"].spec in ("ct2:Helsinki-NLP/opus-mt-en-de", "Helsinki-NLP/opus-mt-en-de")
    result = run(translate_cli, ["--list-pairs", "--to", "de"])
    [auto] = [line for line in result.stdout.splitlines() if line.startswith("--model auto")]
    assert "Helsinki-NLP/opus-mt-en-de is in the local Hugging Face cache" in auto


def test_list_pairs_checks_the_language_codes() -> None:
    result = run(translate_cli, ["--list-pairs", "--to", "xx"])
    assert result.exit_code == 2
    assert "unknown language code 'xx'" in result.stderr


def test_translate_still_needs_to_without_a_listing() -> None:
    result = CliRunner().invoke(translate_cli, ["x.txt"], prog_name="translate")
    assert result.exit_code == 2
    assert result.stderr.strip() == "translate: error: Missing option '--to'. (see translate --help)"
