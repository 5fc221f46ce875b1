"""Generation rules shared by every runtime (transformers, CTranslate2), so they behave the same.

Pure Python: no torch here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

from keepfacts.errors import KeepfactsError, LanguageError, ModelError
from keepfacts.models.base import check_settings, first_line, length_buckets, nbest_settings, positive_int

# Causal models: the context used per input is capped (small chat models degrade on long prompts, and a
# CPU prefill of thousands of tokens is slow); part of it is kept for the instruction and the output.
CAUSAL_CONTEXT_CAP = 2048
CAUSAL_RESERVE = 512
# Loop guard for causal models: when an n-gram of this size repeats within the generated text, the
# output ends before the repeat. (transformers' own no_repeat_ngram_size would also count the prompt,
# forbidding the copy of any n tokens of the article: with per-digit tokens that mangles figures; and
# banning a token forces a less likely one, which is how small models invent things.)
CAUSAL_LOOP_NGRAM = 8
SUMMARY_MAX_NEW_TOKENS = 256
DEFAULT_BATCH = {"seq2seq": 8, "causal": 4}


def chat_content(text: str, instruction: str | None) -> str:
    """The user message a chat model is sent: the instruction, a blank line, the text. One place for it,
    so an in-process model and a model behind a server get the same prompt."""
    return f"{instruction.strip()}\n\n{text}" if instruction else text


def chat_prompt(tokenizer: Any, text: str, instruction: str | None) -> tuple[str, bool]:
    """(prompt, has_special_tokens): the tokenizer's chat template when it has one, else plain text."""
    content = chat_content(text, instruction)
    if getattr(tokenizer, "chat_template", None):
        rendered = tokenizer.apply_chat_template(
            [{"role": "user", "content": content}], tokenize=False, add_generation_prompt=True
        )
        return str(rendered), True
    return content + "\n\n", False


def position_limit(config: Any, tokenizer: Any) -> int:
    """The longest token sequence the model accepts (its position table, its tokenizer's limit)."""
    limits = [getattr(config, "max_position_embeddings", None)]
    model_max = getattr(tokenizer, "model_max_length", None)
    if isinstance(model_max, int) and model_max < 1_000_000:
        limits.append(model_max)
    known = [value for value in limits if isinstance(value, int) and value > 0]
    return min(known) if known else 512


def input_budget(kind: str, limit: int) -> int:
    """max_input_tokens: the budget for one input text (callers chunk longer articles)."""
    if kind == "seq2seq":
        return limit - 2
    context = min(limit, CAUSAL_CONTEXT_CAP)
    return context - min(CAUSAL_RESERVE, context // 4)


def configured_max_new_tokens(generation_config: Any) -> int | None:
    """The model's own output length setting (its generation config), when it set one."""
    configured = getattr(generation_config, "max_length", None)
    return configured if isinstance(configured, int) and configured != 20 else None


def max_new_tokens(
    settings: dict[str, Any],
    *,
    kind: str,
    task: str,
    input_tokens: int,
    configured: int | None,
    decoder_positions: int | None = None,
) -> int:
    """The explicit setting, else: summaries the model's own length or 256; translations follow the input.
    A seq2seq decoder cannot go past its position table (`decoder_positions`), so that caps it."""
    wanted = _wanted_new_tokens(
        settings, kind=kind, task=task, input_tokens=input_tokens, configured=configured
    )
    return min(wanted, decoder_positions) if decoder_positions else wanted


def _wanted_new_tokens(
    settings: dict[str, Any], *, kind: str, task: str, input_tokens: int, configured: int | None
) -> int:
    if settings.get("max_new_tokens") is not None:
        return positive_int(settings, "max_new_tokens", 1)
    if task == "translate":
        relative = 2 * input_tokens + (16 if kind == "seq2seq" else 32)
        return min(configured, relative) if configured else min(relative, 1024)
    return configured or SUMMARY_MAX_NEW_TOKENS


def loop_ngram(settings: dict[str, Any]) -> int:
    value = settings.get("no_repeat_ngram_size", CAUSAL_LOOP_NGRAM)
    return int(value) if value else 0


def loop_start(tokens: Sequence[int], n: int) -> int | None:
    """Index where an n-gram first repeats an earlier one in `tokens`, or None."""
    if n <= 0 or len(tokens) < n + 1:
        return None
    seen: set[tuple[int, ...]] = set()
    for i in range(len(tokens) - n + 1):
        gram = tuple(tokens[i : i + n])
        if gram in seen:
            return i
        seen.add(gram)
    return None


def trim_loop(tokens: Sequence[int], n: int) -> list[int]:
    """`tokens` up to the first repeated n-gram (the repeat is dropped)."""
    start = loop_start(tokens, n)
    return list(tokens if start is None else tokens[:start])


def group(decoded: list[str], num_return: int) -> list[list[str]]:
    """Flat model outputs (input-major) -> one stripped n-best list per input."""
    return [
        [text.strip() for text in decoded[i : i + num_return]] for i in range(0, len(decoded), num_return)
    ]


class BatchedBackend:
    """The batch loop every model backend shares: settings checked once, empty inputs answered without
    the model, inputs grouped by length into batches, results put back in input order, any library
    failure turned into one ModelError line. Subclasses implement `_generate_batch`."""

    kind = ""
    spec = ""
    task = "summarize"
    position_limit = 512
    decoder_positions: int | None = None  # a seq2seq decoder's position table (none: relative positions)
    configured_max_new_tokens: int | None = None

    def generate(self, texts: list[str], **settings: Any) -> list[list[str]]:
        check_settings(settings)
        num_beams, num_return, do_sample = nbest_settings(settings, self._default_beams())
        batch_size = positive_int(settings, "batch_size", self._default_batch())
        results: list[list[str]] = [[""] * num_return for _ in texts]
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if not todo:
            return results
        with self._running(settings.get("seed") if do_sample else None):
            for bucket in length_buckets([len(texts[i]) for i in todo], batch_size):
                indices = [todo[b] for b in bucket]
                try:
                    outputs = self._generate_batch(
                        [texts[i] for i in indices], settings, num_beams, num_return, do_sample
                    )
                except KeepfactsError:
                    raise
                except Exception as error:  # a model failure is one line, never a traceback
                    raise ModelError(f"{self.spec} failed to generate: {first_line(error)}") from error
                for i, output in zip(indices, outputs, strict=True):
                    results[i] = output
        return results

    def _seq2seq_max_new(self, settings: dict[str, Any], longest_input: int) -> int:
        """New tokens for a seq2seq batch whose longest input has `longest_input` tokens. An input longer
        than the encoder takes is refused, never truncated."""
        if longest_input > self.position_limit:
            raise ModelError(
                f"an input of {longest_input} tokens is longer than {self.spec} accepts "
                f"({self.position_limit}); split it into chunks of at most max_input_tokens"
            )
        return max_new_tokens(
            settings,
            kind=self.kind,
            task=self.task,
            input_tokens=longest_input,
            configured=self.configured_max_new_tokens,
            decoder_positions=self.decoder_positions,
        )

    def _causal_max_new(self, settings: dict[str, Any], prompt_tokens: int, longest_text: int) -> int:
        """New tokens for a causal batch; a prompt that leaves no room for them is refused."""
        max_new = max_new_tokens(
            settings, kind=self.kind, task=self.task, input_tokens=longest_text, configured=None
        )
        if prompt_tokens + max_new > self.position_limit:
            raise ModelError(
                f"a prompt of {prompt_tokens} tokens plus {max_new} new tokens is longer than {self.spec} "
                f"accepts ({self.position_limit}); split the input into chunks of at most max_input_tokens"
            )
        return max_new

    def _target_language(self, tokenizer: Any, settings: dict[str, Any]) -> str | None:
        """For an M2M100-style multilingual tokenizer: set its source language and return the target
        language, both checked; None for a model of one language pair."""
        src_lang, tgt_lang = settings.get("src_lang"), settings.get("tgt_lang")
        if not (src_lang and hasattr(tokenizer, "get_lang_id")):
            return None
        try:
            tokenizer.src_lang = src_lang
            if tgt_lang:
                tokenizer.get_lang_id(tgt_lang)
        except (KeyError, ValueError) as error:
            raise LanguageError(f"{self.spec} does not know language {first_line(error)}") from error
        return tgt_lang or None

    def _default_beams(self) -> int:
        return 1

    def _default_batch(self) -> int:
        return DEFAULT_BATCH[self.kind]

    @contextlib.contextmanager
    def _running(self, seed: int | None) -> Iterator[None]:
        """Per-call runtime state (threads, inference mode, a sampling seed)."""
        yield

    def _generate_batch(
        self, texts: list[str], settings: dict[str, Any], num_beams: int, num_return: int, do_sample: bool
    ) -> list[list[str]]:
        raise NotImplementedError
