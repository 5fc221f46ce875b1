"""models: tiny random BART, Marian and Llama models through the real loading and generation code.

Outputs are noise; these tests check the plumbing: shapes, n-best, determinism, batching, limits.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from keepfacts import models
from keepfacts.errors import ModelError, UsageError
from keepfacts.models import generation as rules
from keepfacts.models.hf_backend import LoopStop

KINDS = {"bart": "seq2seq", "marian": "seq2seq", "llama": "causal"}
TEXTS = [
    "Over 100,000 soldiers have been charged with desertion since February 2022.",
    "Ukraine",
    "The Associated Press said about 300,000 soldiers were engaged in November, a lawmaker said 200,000.",
]


@pytest.fixture(scope="module")
def loaded(tiny_model_dirs: dict[str, Path]) -> dict[str, Any]:
    loader = models.Loader(maxsize=6)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_HUB_OFFLINE", "1")
        return {
            name: loader.load(str(path), task="summarize", threads=1)
            for name, path in tiny_model_dirs.items()
        }


@pytest.mark.parametrize("name", KINDS)
def test_loads_as_a_backend_with_its_kind_and_provenance(loaded: dict[str, Any], name: str) -> None:
    backend = loaded[name]
    assert isinstance(backend, models.Backend)
    info = backend.info
    assert info["kind"] == KINDS[name]
    assert info["runtime"] == "transformers" and info["source"] == "local"
    assert info["dtype"] == "float32" and info["device"] == "cpu" and info["threads"] == 1
    assert info["weights"] == ["model.safetensors"]
    assert {"torch", "transformers", "tokenizers"} <= set(info["versions"])
    assert backend.spec == info["model"] == info["path"]
    assert 0 < backend.max_input_tokens < 512
    assert backend.count_tokens("Over 100,000 soldiers") == 9  # word-level, one token per digit


@pytest.mark.parametrize("name", KINDS)
def test_greedy_is_deterministic_and_batch_equals_one_by_one(loaded: dict[str, Any], name: str) -> None:
    backend = loaded[name]
    batch = backend.generate(TEXTS, max_new_tokens=6, num_beams=1, batch_size=3)
    assert len(batch) == len(TEXTS) and all(len(options) == 1 for options in batch)
    assert all(options[0] and options[0] == options[0].strip() for options in batch)
    assert backend.generate(TEXTS, max_new_tokens=6, num_beams=1) == batch
    one_by_one = [backend.generate([text], max_new_tokens=6, num_beams=1)[0] for text in TEXTS]
    assert one_by_one == batch
    assert len({options[0] for options in batch}) > 1, "outputs should depend on the input"


@pytest.mark.parametrize("name", KINDS)
def test_nbest_with_beams(loaded: dict[str, Any], name: str) -> None:
    out = loaded[name].generate(TEXTS, max_new_tokens=5, num_beams=3, num_return_sequences=3, batch_size=2)
    assert [len(options) for options in out] == [3, 3, 3]


@pytest.mark.parametrize("name", KINDS)
def test_sampling_is_reproducible_with_a_seed(loaded: dict[str, Any], name: str) -> None:
    backend = loaded[name]
    settings = {
        "do_sample": True,
        "seed": 7,
        "num_return_sequences": 4,
        "max_new_tokens": 6,
        "temperature": 1.5,
    }
    first = backend.generate(TEXTS[:2], **settings)
    assert [len(options) for options in first] == [4, 4]
    assert backend.generate(TEXTS[:2], **settings) == first
    assert len({c for options in first for c in options}) > 1


@pytest.mark.parametrize("name", KINDS)
def test_empty_inputs_are_answered_without_the_model(loaded: dict[str, Any], name: str) -> None:
    assert loaded[name].generate([]) == []
    assert loaded[name].generate(["", "  \n"], num_beams=2, num_return_sequences=2) == [["", ""], ["", ""]]


def test_causal_output_is_only_the_new_text(loaded: dict[str, Any], seed_text: str) -> None:
    backend = loaded["llama"]
    paragraph = seed_text.split("\n\n")[2]
    out = backend.generate([paragraph], instruction="Summarize:", max_new_tokens=5)[0][0]
    assert 0 < backend.count_tokens(out) <= 5 < backend.count_tokens(paragraph)


def test_instruction_reaches_the_causal_prompt_and_seq2seq_ignores_it(loaded: dict[str, Any]) -> None:
    llama, bart = loaded["llama"], loaded["bart"]
    prompt, templated = llama.prompt("Ukraine", "Summarize:")
    assert templated and "Summarize:" in prompt and "Ukraine" in prompt and prompt.endswith("assistant : ")
    plain = bart.generate(TEXTS, max_new_tokens=5)
    assert bart.generate(TEXTS, max_new_tokens=5, instruction="Summarize:") == plain


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"num_beams": 2, "num_return_sequences": 3}, "must be <= num_beams"),
        ({"beams": 2}, "unknown generation setting"),
        ({"max_new_tokens": 0}, "positive integer"),
        ({"batch_size": "8"}, "positive integer"),
    ],
)
def test_bad_settings_are_usage_errors(
    loaded: dict[str, Any], settings: dict[str, Any], expected: str
) -> None:
    with pytest.raises(UsageError, match=expected):
        loaded["bart"].generate(TEXTS, **settings)


@pytest.mark.parametrize("name", KINDS)
def test_input_longer_than_the_model_is_refused_not_truncated(loaded: dict[str, Any], name: str) -> None:
    backend = loaded[name]
    too_long = " ".join(["soldiers"] * (backend.position_limit + 10))
    with pytest.raises(ModelError, match="split"):
        backend.generate([too_long], max_new_tokens=2)


@pytest.mark.parametrize(
    ("tokens", "n", "kept"),
    [
        ([1, 2, 3, 4, 1, 2, 3, 9], 4, [1, 2, 3, 4, 1, 2, 3, 9]),  # no 4-gram repeats
        ([1, 2, 3, 4, 1, 2, 3, 9], 3, [1, 2, 3, 4]),  # cut before the repeated "1 2 3"
        ([1, 2, 3, 1, 2, 3, 1, 2], 3, [1, 2, 3]),
        ([5, 5, 5, 5], 2, [5]),
        ([7, 8], 4, [7, 8]),
        ([1, 2, 1, 2], 0, [1, 2, 1, 2]),  # 0 turns the guard off
    ],
)
def test_loop_trimming(tokens: list[int], n: int, kept: list[int]) -> None:
    assert rules.trim_loop(tokens, n) == kept


def test_loop_guard_counts_only_generated_tokens_not_the_prompt() -> None:
    import torch

    prompt = [5, 6, 7, 8, 5, 6, 7, 8]  # repeats inside the prompt do not count
    stop = LoopStop(2, prompt_len=len(prompt))
    rows = torch.tensor([[*prompt, 1, 2, 3, 4], [*prompt, 1, 2, 1, 2]])
    assert stop(rows, None).tolist() == [False, True]


def test_causal_loop_guard_trims_the_output(loaded: dict[str, Any]) -> None:
    backend = loaded["llama"]
    guarded = backend.generate(TEXTS, max_new_tokens=40, no_repeat_ngram_size=2)
    free = backend.generate(TEXTS, max_new_tokens=40, no_repeat_ngram_size=0)
    for [short], [long] in zip(guarded, free, strict=True):
        assert long.startswith(short)
        words = short.split()
        pairs = list(itertools.pairwise(words))
        assert len(pairs) == len(set(pairs)), short


def test_seq2seq_translate_default_length_follows_the_input(tiny_model_dirs: dict[str, Path]) -> None:
    backend = models.Loader().load(str(tiny_model_dirs["marian"]), task="translate", threads=1)
    out = backend.generate(["Ukraine"])
    assert 0 < backend.count_tokens(out[0][0]) <= 2 * 2 + 16


def test_bfloat16_is_settable(tiny_model_dirs: dict[str, Path]) -> None:
    backend = models.Loader().load(str(tiny_model_dirs["llama"]), task="summarize", dtype="bfloat16")
    assert backend.info["dtype"] == "bfloat16"
    assert len(backend.generate(TEXTS[:1], max_new_tokens=3)[0]) == 1
    with pytest.raises(UsageError, match="valid dtypes"):
        models.Loader().load(str(tiny_model_dirs["llama"]), task="summarize", dtype="int3")
    with pytest.raises(UsageError, match="valid devices"):
        models.Loader().load(str(tiny_model_dirs["llama"]), task="summarize", device="tpu")
