"""The backend contract and the generation settings every backend understands.

Nothing here imports torch or transformers: `import models` must stay instant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from keepfacts.errors import UsageError

TASKS = ("summarize", "translate")

# Settings every backend accepts (a backend ignores the ones that do not apply to it).
COMMON_SETTINGS = frozenset(
    {
        "instruction",  # causal chat models: put in the chat template with the text; seq2seq ignores it
        "max_new_tokens",
        "min_new_tokens",  # forces a length (for measuring tokens/s); default none
        "num_beams",
        "num_return_sequences",
        "do_sample",
        "temperature",
        "top_p",
        "seed",
        "src_lang",
        "tgt_lang",
        "repetition_penalty",
        "no_repeat_ngram_size",
        "batch_size",  # how many inputs go through the model at once (inputs are length-bucketed)
    }
)


@dataclass(frozen=True)
class ServerOptions:
    """How to reach a model server (`openai:NAME`): `--api-base`, `--concurrency`, `--api-timeout`.
    None means the default (OPENAI_BASE_URL for the URL)."""

    api_base: str | None = None
    concurrency: int | None = None
    timeout: float | None = None


@runtime_checkable
class Backend(Protocol):
    """One loaded model behind one batch-first call.

    `generate(texts, **settings)` returns exactly `len(texts)` lists; each holds the n-best outputs for
    that input (`num_return_sequences` of them; a backend that cannot produce alternatives, such as
    rule-based Apertium, returns one). Strings are stripped; a causal model returns only new text.
    """

    spec: str
    info: dict[str, Any]
    max_input_tokens: int

    def count_tokens(self, text: str) -> int: ...

    def generate(self, texts: list[str], **settings: Any) -> list[list[str]]: ...


def check_task(task: str) -> str:
    if task not in TASKS:
        raise UsageError(f"unknown task {task!r}; valid tasks: {', '.join(TASKS)}")
    return task


def check_settings(settings: Mapping[str, Any], extra: frozenset[str] = frozenset()) -> None:
    """Reject a misspelt setting at once rather than silently ignoring it."""
    unknown = sorted(set(settings) - COMMON_SETTINGS - extra)
    if unknown:
        valid = ", ".join(sorted(COMMON_SETTINGS | extra))
        raise UsageError(f"unknown generation setting(s) {', '.join(unknown)}; valid settings: {valid}")


def positive_int(settings: Mapping[str, Any], key: str, default: int) -> int:
    value = settings.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UsageError(f"generation setting {key} must be a positive integer, got {value!r}")
    return value


def nbest_settings(settings: Mapping[str, Any], default_beams: int) -> tuple[int, int, bool]:
    """(num_beams, num_return_sequences, do_sample), checked against each other."""
    do_sample = bool(settings.get("do_sample", False))
    num_beams = positive_int(settings, "num_beams", 1 if do_sample else default_beams)
    num_return = positive_int(settings, "num_return_sequences", 1)
    if not do_sample and num_return > num_beams:
        raise UsageError(
            f"num_return_sequences ({num_return}) must be <= num_beams ({num_beams}) unless do_sample=True"
        )
    return num_beams, num_return, do_sample


def length_buckets(lengths: list[int], batch_size: int) -> list[list[int]]:
    """Indices grouped into batches of similar length (longest first), so padding stays small."""
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


def first_line(error: BaseException, limit: int = 200) -> str:
    """The first non-empty line of an exception message, shortened: for one-line error messages."""
    text = str(error).strip() or type(error).__name__
    line = next((part.strip() for part in text.splitlines() if part.strip()), text)
    return line if len(line) <= limit else line[: limit - 3] + "..."
