"""models: the CTranslate2 runtime (int8, CPU) on tiny models and on the embedded SmolLM2."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from keepfacts import models
from keepfacts.errors import LanguageError, ModelError, UsageError
from keepfacts.models import ct2_backend
from keepfacts.models.registry import Resolved, resolve, with_runtime

KINDS = {"bart": "seq2seq", "marian": "seq2seq", "llama": "causal"}
TEXTS = [
    "Over 100,000 soldiers have been charged with desertion since February 2022.",
    "Ukraine",
    "The Associated Press said about 300,000 soldiers were engaged in November, a lawmaker said 200,000.",
]


@pytest.fixture(scope="module")
def ct2_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    cache = tmp_path_factory.mktemp("ct2-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KEEPFACTS_CACHE", str(cache))
        patch.setenv("HF_HUB_OFFLINE", "1")
        yield cache


@pytest.fixture(scope="module")
def loaded(ct2_cache: Path, tiny_model_dirs: dict[str, Path]) -> dict[str, Any]:
    loader = models.Loader(maxsize=6)
    return {
        name: loader.load(f"ct2:{path}", task="summarize", threads=1)
        for name, path in tiny_model_dirs.items()
    }


@pytest.mark.parametrize("name", KINDS)
def test_converted_once_into_the_cache_with_provenance(
    loaded: dict[str, Any], ct2_cache: Path, tiny_model_dirs: dict[str, Path], name: str
) -> None:
    backend = loaded[name]
    info = backend.info
    assert backend.spec == f"ct2:{tiny_model_dirs[name]}" == info["model"]
    assert info["runtime"] == "ctranslate2" and info["kind"] == KINDS[name]
    assert info["compute_type"] == "int8" and info["quantization"] == "int8" and info["threads"] == 1
    assert info["ct2_converted_now"] is True
    ct2_dir = Path(info["ct2_path"])
    assert ct2_dir.parent == ct2_cache / "ct2" and (ct2_dir / "model.bin").is_file()
    again = models.Loader().load(f"ct2:{tiny_model_dirs[name]}", task="summarize", threads=1)
    assert again.info["ct2_converted_now"] is False and again.info["ct2_path"] == info["ct2_path"]
    assert again.generate(TEXTS, max_new_tokens=5) == backend.generate(TEXTS, max_new_tokens=5)


@pytest.mark.parametrize("name", KINDS)
def test_greedy_shapes_determinism_and_batching(loaded: dict[str, Any], name: str) -> None:
    backend = loaded[name]
    batch = backend.generate([*TEXTS, ""], max_new_tokens=6, num_beams=1, batch_size=4)
    assert len(batch) == 4 and batch[3] == [""]
    assert all(len(options) == 1 and options[0] for options in batch[:3])
    assert backend.generate([*TEXTS, ""], max_new_tokens=6, num_beams=1) == batch
    assert [backend.generate([text], max_new_tokens=6, num_beams=1)[0] for text in TEXTS] == batch[:3]
    assert all(backend.count_tokens(options[0]) <= 6 for options in batch[:3])


def test_causal_prompts_run_one_at_a_time_by_default(
    loaded: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On CPU a padded batch of prompts is slower than one prompt at a time and changes the greedy output
    of the padded rows (`make bench`, section causal_batching), so a causal CTranslate2 backend sends one
    prompt per call unless batch_size says otherwise."""
    backend = loaded["llama"]
    sizes: list[int] = []
    real = backend.model

    class Spy:
        def generate_batch(self, prompts: list[list[str]], **options: Any) -> Any:
            sizes.append(len(prompts))
            return real.generate_batch(prompts, **options)

    monkeypatch.setattr(backend, "model", Spy())
    one_by_one = backend.generate(TEXTS, max_new_tokens=4)
    assert sizes == [1, 1, 1]
    sizes.clear()
    backend.generate(TEXTS, max_new_tokens=4, batch_size=3)
    assert sizes == [3]
    assert one_by_one == [backend.generate([text], max_new_tokens=4)[0] for text in TEXTS]


@pytest.mark.parametrize("name", KINDS)
def test_nbest_and_seeded_sampling(loaded: dict[str, Any], name: str) -> None:
    backend = loaded[name]
    beams = backend.generate(TEXTS, max_new_tokens=5, num_beams=3, num_return_sequences=3)
    assert [len(options) for options in beams] == [3, 3, 3]
    sampling = {
        "do_sample": True,
        "seed": 5,
        "num_return_sequences": 3,
        "max_new_tokens": 5,
        "temperature": 2.0,
    }
    first = backend.generate(TEXTS[:2], **sampling)
    assert [len(options) for options in first] == [3, 3]
    assert backend.generate(TEXTS[:2], **sampling) == first


def test_causal_loop_guard_applies_to_ct2_too(loaded: dict[str, Any]) -> None:
    backend = loaded["llama"]
    guarded = backend.generate(TEXTS, max_new_tokens=40, no_repeat_ngram_size=2)
    free = backend.generate(TEXTS, max_new_tokens=40, no_repeat_ngram_size=0)
    for [short], [long] in zip(guarded, free, strict=True):
        words = short.split()
        assert long.startswith(short)
        assert len(set(itertools.pairwise(words))) == len(words) - 1


def test_runtime_option_wraps_and_unwraps() -> None:
    assert with_runtime(resolve("smollm2"), "ct2") == Resolved("ct2", "embedded:smollm2-135m-instruct")
    assert with_runtime(resolve("ct2:smollm2"), "transformers") == Resolved(
        "embedded", "smollm2-135m-instruct"
    )
    assert with_runtime(resolve("distilbart"), None) == Resolved("hf", "sshleifer/distilbart-cnn-12-6")
    with pytest.raises(UsageError, match="valid runtimes: transformers, ct2"):
        with_runtime(resolve("smollm2"), "onnx")
    with pytest.raises(UsageError, match="does not apply"):
        with_runtime(resolve("apertium:eng-spa"), "ct2")


def test_ct2_of_a_non_transformers_model_is_one_line_error(ct2_cache: Path) -> None:
    with pytest.raises(ModelError, match="ct2 runs transformers models"):
        models.Loader().load("ct2:apertium:eng-spa", task="translate")
    with pytest.raises(UsageError, match="for ct2"):
        models.Loader().load("ct2:smollm2", task="summarize", dtype="int3")


def test_unconvertible_model_is_one_line_model_error(
    ct2_cache: Path, tiny_model_dirs: dict[str, Path], tmp_path: Path
) -> None:
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(tiny_model_dirs["llama"], broken)
    (broken / "model.safetensors").write_bytes(b"not safetensors")
    with pytest.raises(ModelError) as caught:
        models.Loader().load(f"ct2:{broken}", task="summarize")
    assert "CTranslate2 cannot convert" in caught.value.message and "\n" not in caught.value.message
    assert not list((ct2_cache / "ct2").glob("broken-*"))


def test_embedded_defaults_to_ct2_where_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[tuple[str, dict[str, Any]]] = []

    def spy(arg: str, **options: Any) -> str:
        made.append((arg, options))
        return "backend"

    monkeypatch.setattr(models.registry, "_load_ct2", spy)
    monkeypatch.setattr(
        models.registry, "_load_converted", lambda gguf, **options: made.append(("hf", options))
    )
    models.Loader().load("smollm2", task="summarize", threads=1)
    assert made[-1] == (
        "embedded:smollm2-135m-instruct",
        {"task": "summarize", "device": "cpu", "dtype": None, "threads": 1, "allow_pickle": False},
    )
    models.Loader().load("smollm2", task="summarize", runtime="transformers")
    assert made[-1][0] == "hf"
    real_find_spec = models.registry.importlib.util.find_spec
    monkeypatch.setattr(
        models.registry.importlib.util,
        "find_spec",
        lambda name, *args: None if name == "ctranslate2" else real_find_spec(name, *args),
    )
    assert models.registry.default_runtime() == "transformers"
    models.Loader().load("embedded", task="summarize")
    assert made[-1][0] == "hf"


@pytest.mark.slow
def test_embedded_through_ct2(embedded_cold: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEEPFACTS_CACHE", str(embedded_cold["cache"]))
    backend = models.Loader().load("smollm2", task="summarize")
    assert backend.spec == "ct2:embedded:smollm2-135m-instruct" and backend.info["runtime"] == "ctranslate2"
    hf_dir = Path(embedded_cold["backend"].info["path"])
    assert Path(backend.info["ct2_path"]) == hf_dir.with_name(hf_dir.name + ".ct2-int8")  # beside it
    assert backend.max_input_tokens == embedded_cold["backend"].max_input_tokens
    text = "The Ukrainian Prosecutor General's Office reports that over 100,000 soldiers have been charged."
    [[summary]] = backend.generate(
        [text], instruction="Summarize the text in one sentence.", max_new_tokens=40
    )
    assert summary and "<|im_" not in summary and backend.count_tokens(summary) <= 40
    assert ct2_backend.MARKER in {p.name for p in Path(backend.info["ct2_path"]).iterdir()}


def _light_matches_transformers(directory: Path, texts: list[str]) -> None:
    from transformers import AutoTokenizer

    from keepfacts.models.light_tokenizer import LightTokenizer

    light, full = LightTokenizer.load(directory), AutoTokenizer.from_pretrained(str(directory))
    assert light is not None
    for text in texts:
        messages = [{"role": "user", "content": f"Summarize:\n\n{text}"}]
        for generation_prompt in (True, False):
            rendered = light.apply_chat_template(messages, add_generation_prompt=generation_prompt)
            assert rendered == full.apply_chat_template(
                messages, tokenize=False, add_generation_prompt=generation_prompt
            )
        for special in (True, False):
            ids = light(text, add_special_tokens=special)["input_ids"]
            assert ids == full(text, add_special_tokens=special)["input_ids"]
            assert light.decode(ids, skip_special_tokens=True) == full.decode(ids, skip_special_tokens=True)
            assert light.convert_ids_to_tokens(ids) == full.convert_ids_to_tokens(ids)
    assert light.eos_token_id == full.eos_token_id


def test_light_tokenizer_matches_transformers(tiny_model_dirs: dict[str, Path]) -> None:
    _light_matches_transformers(tiny_model_dirs["llama"], TEXTS)


@pytest.mark.slow
def test_light_tokenizer_matches_transformers_on_the_embedded_model(
    embedded_cold: dict[str, Any], seed_text: str
) -> None:
    texts = [seed_text, "Hello <|im_end|> there: 100,000 — «quoted» ünïcode"]
    _light_matches_transformers(Path(embedded_cold["backend"].info["path"]), texts)


def test_warm_ct2_causal_load_imports_neither_torch_nor_transformers(
    loaded: dict[str, Any], ct2_cache: Path, tiny_model_dirs: dict[str, Path]
) -> None:
    import subprocess
    import sys

    code = (
        "import sys, models\n"
        f"backend = models.Loader().load('ct2:{tiny_model_dirs['llama']}', task='summarize', threads=1)\n"
        "assert backend.info['ct2_converted_now'] is False\n"
        "backend.generate(['Ukraine'], max_new_tokens=3)\n"
        "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "KEEPFACTS_CACHE": str(ct2_cache)},
    )
    assert done.stdout.strip() == "[]"


def test_one_malloc_arena_is_set_once_and_can_be_declined(monkeypatch: pytest.MonkeyPatch) -> None:
    """CTranslate2 loads ask glibc for one malloc arena (make bench: the seed prompt's prefill went from
    about 4 s to 2 s); KEEPFACTS_MALLOC_ARENAS=default leaves malloc alone."""
    from keepfacts.models import runtime

    calls: list[tuple[int, int]] = []

    class Libc:
        def mallopt(self, param: int, value: int) -> int:
            calls.append((param, value))
            return 1

    monkeypatch.setattr(runtime, "_libc", lambda: Libc())
    monkeypatch.setattr(runtime, "_ARENA_SET", [False])
    monkeypatch.setenv("KEEPFACTS_MALLOC_ARENAS", "default")
    assert runtime.one_malloc_arena() is False and calls == []
    monkeypatch.delenv("KEEPFACTS_MALLOC_ARENAS")
    assert runtime.one_malloc_arena() is True and runtime.one_malloc_arena() is True
    assert calls == [(runtime.M_ARENA_MAX, 1)]
    monkeypatch.setattr(runtime, "_ARENA_SET", [False])
    monkeypatch.setattr(runtime, "_libc", lambda: None)  # not glibc: nothing to set
    assert runtime.one_malloc_arena() is False


def test_ct2_load_sets_one_malloc_arena(
    tiny_model_dirs: dict[str, Path], ct2_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from keepfacts.models import runtime

    asked: list[bool] = []
    monkeypatch.setattr(runtime, "one_malloc_arena", lambda: asked.append(True) or True)
    backend = models.Loader().load(f"ct2:{tiny_model_dirs['llama']}", task="summarize", threads=1)
    assert asked == [True] and backend.info["malloc_arenas"] == 1


@pytest.mark.parametrize("runtime", ["transformers", "ct2"])
@pytest.mark.parametrize("name", ["bart", "marian"])
def test_seq2seq_output_never_runs_past_the_decoders_positions(
    ct2_cache: Path, tiny_model_dirs: dict[str, Path], runtime: str, name: str
) -> None:
    """The tiny models have 128 positions; asking for more new tokens is capped there instead of failing
    in the decoder (translate asks 256: tests/test_models_registry.py runs that end to end)."""
    backend = models.Loader().load(str(tiny_model_dirs[name]), task="translate", runtime=runtime)
    [[output]] = backend.generate([TEXTS[0]], max_new_tokens=400, min_new_tokens=400)
    assert 100 < backend.count_tokens(output) <= 128


@pytest.fixture(scope="module")
def tiny_m2m100(tmp_path_factory: pytest.TempPathFactory, seed_text: str) -> Path:
    from tiny_models import build_tiny_m2m100

    return build_tiny_m2m100(tmp_path_factory.mktemp("m2m100") / "m2m100", seed_text)


@pytest.mark.parametrize("runtime", ["transformers", "ct2"])
def test_a_multilingual_model_is_told_the_target_language(
    ct2_cache: Path, tiny_m2m100: Path, runtime: str
) -> None:
    """M2M100 (the fallback for pairs without an opus-mt model) starts its output with the target
    language's token: another target gives another output; an unknown one is a one-line LanguageError."""
    backend = models.Loader().load(str(tiny_m2m100), task="translate", runtime=runtime)

    def translate(tgt: str) -> list[str]:
        outputs = backend.generate(TEXTS, src_lang="en", tgt_lang=tgt, num_beams=1, max_new_tokens=8)
        return [n_best[0] for n_best in outputs]

    german = translate("de")
    assert german == translate("de") and german != translate("fr")
    assert not any("__de__" in output for output in german)  # the language token is not output text
    with pytest.raises(LanguageError) as caught:
        translate("xx")
    assert "does not know language" in caught.value.message and "\n" not in caught.value.message


def test_a_small_model_decodes_on_one_thread_unless_told_otherwise() -> None:
    from keepfacts.models import runtime
    from keepfacts.models.ct2_backend import SMALL_MODEL_BYTES, default_threads

    assert default_threads(SMALL_MODEL_BYTES // 2) == 1  # the embedded SmolLM2-135M is about 140 MB
    assert default_threads(SMALL_MODEL_BYTES * 2) == runtime.default_threads()
