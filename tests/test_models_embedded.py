"""models: the embedded SmolLM2-135M-Instruct, converted once from its GGUF and cached as safetensors.

The session fixture `embedded_cold` (tests/conftest.py) converts it into a private cache and loads it
once; these tests check what that conversion left behind and that a second load reuses it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from keepfacts import models
from keepfacts.errors import ModelError
from keepfacts.models import gguf_convert
from keepfacts.models.cache import atomic_directory, sha256_file

pytestmark = pytest.mark.slow
PROMPT = "The Ukrainian Prosecutor General's Office reports that over 100,000 soldiers have been charged."
INSTRUCTION = "Summarize the text in one sentence."


def test_conversion_is_cached_once_and_complete(embedded_cold: dict[str, Any]) -> None:
    converted = embedded_cold["cache"] / "converted"
    # (A CTranslate2 conversion, made by other tests of this session, sits beside it as NAME.ct2-int8.)
    dirs = [p for p in converted.iterdir() if not p.name.startswith(".") and ".ct2-" not in p.name]
    assert len(dirs) == 1, dirs
    model_dir = dirs[0]
    assert not list(converted.glob(".tmp-*")), "no temporary directory left behind"
    names = {p.name for p in model_dir.iterdir()}
    assert {"config.json", "model.safetensors", "generation_config.json", "tokenizer.json"} <= names
    config = json.loads((model_dir / "config.json").read_text())
    assert "quantization_config" not in config and config["model_type"] == "llama"
    record = json.loads((model_dir / gguf_convert.COMPLETE_MARKER).read_text())
    gguf = gguf_convert.embedded_gguf("smollm2-135m-instruct")
    assert record["gguf_sha256"] == sha256_file(gguf)
    assert model_dir.name.endswith(record["gguf_sha256"][:16])
    info = embedded_cold["backend"].info
    assert info["converted_now"] is True and info["gguf_sha256"] == record["gguf_sha256"]
    assert info["model"] == "embedded:smollm2-135m-instruct" and info["kind"] == "causal"


def test_second_load_reuses_the_cache_and_gives_the_same_output(
    embedded_cold: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warm load converts nothing and loads the directory the cold one wrote. (How long it takes is
    for `make bench` to measure: a wall-clock bound here fails on a loaded machine.)"""
    monkeypatch.setenv("KEEPFACTS_CACHE", str(embedded_cold["cache"]))

    def no_conversion(*args: Any) -> None:
        raise AssertionError("the cached conversion should have been reused")

    monkeypatch.setattr(gguf_convert, "convert", no_conversion)
    converted = embedded_cold["cache"] / "converted"
    before = sorted(p.name for p in converted.iterdir())
    warm = models.Loader().load("smollm2", task="summarize", runtime="transformers")
    assert warm.info["converted_now"] is False
    cold_info = embedded_cold["backend"].info
    assert (warm.info["path"], warm.info["gguf_sha256"]) == (cold_info["path"], cold_info["gguf_sha256"])
    assert sorted(p.name for p in converted.iterdir()) == before, "nothing new written to the cache"
    cold = embedded_cold["backend"]
    settings = {"instruction": INSTRUCTION, "max_new_tokens": 24}
    assert warm.generate([PROMPT], **settings) == cold.generate([PROMPT], **settings)


@pytest.fixture(params=["transformers", "default"])
def either(request: pytest.FixtureRequest, embedded_cold: dict[str, Any], embedded_backend: Any) -> Any:
    """The embedded model through transformers, and through the default runtime (CTranslate2)."""
    return embedded_cold["backend"] if request.param == "transformers" else embedded_backend


def test_default_runtime_is_ctranslate2_where_installed(embedded_backend: Any) -> None:
    assert embedded_backend.spec == "ct2:embedded:smollm2-135m-instruct"
    assert embedded_backend.info["runtime"] == "ctranslate2"


def test_chat_generation_returns_new_text(either: Any) -> None:
    embedded_backend = either
    [[summary]] = embedded_backend.generate([PROMPT], instruction=INSTRUCTION, max_new_tokens=40)
    assert summary and "<|im_" not in summary and "assistant" not in summary.split()[0]
    assert embedded_backend.count_tokens(summary) <= 40
    assert not summary.startswith(PROMPT)


def test_batch_equals_one_by_one(either: Any) -> None:
    embedded_backend = either
    texts = [PROMPT, "Nearly half of them left after the offensive last year."]
    settings = {"instruction": INSTRUCTION, "max_new_tokens": 16}
    batch = embedded_backend.generate(texts, **settings)
    assert batch == [embedded_backend.generate([text], **settings)[0] for text in texts]


def test_context_budget_fits_the_seed(either: Any, seed_text: str) -> None:
    embedded_backend = either
    assert embedded_backend.max_input_tokens == 1536
    assert 300 < embedded_backend.count_tokens(seed_text) < embedded_backend.max_input_tokens


def test_interrupted_conversion_leaves_no_directory(tmp_path: Path) -> None:
    target = tmp_path / "converted" / "model-abc"
    with pytest.raises(KeyboardInterrupt), atomic_directory(target) as tmp:
        (tmp / "model.safetensors").write_bytes(b"half")
        raise KeyboardInterrupt
    assert not target.exists() and not list(target.parent.iterdir())


def test_bad_gguf_is_one_line_model_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEEPFACTS_CACHE", str(tmp_path / "cache"))
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(ModelError) as caught:
        models.Loader().load(str(bad), task="summarize")
    assert "cannot read the GGUF file" in caught.value.message and "\n" not in caught.value.message
    assert not list((tmp_path / "cache" / "converted").glob("broken*"))
