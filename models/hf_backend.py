"""transformers backends: seq2seq (BART, Marian, T5, M2M100) and causal chat models (Llama family).

This module is imported only when a model is loaded; torch and transformers are imported inside functions.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from keepfacts.errors import KeepfactsError, LanguageError, ModelError
from models import runtime
from models.base import check_settings, first_line, length_buckets, nbest_settings, positive_int
from models.localdir import ModelDir, inspect_dir

# Causal models: the context used per input is capped (small chat models degrade on long prompts, and a
# CPU prefill of thousands of tokens is slow); part of it is kept for the instruction and the output.
CAUSAL_CONTEXT_CAP = 2048
CAUSAL_RESERVE = 512
CAUSAL_NO_REPEAT_NGRAM = 8  # within the generated text only; see GeneratedNoRepeatNGram
SUMMARY_MAX_NEW_TOKENS = 256
DEFAULT_BATCH = {"seq2seq": 8, "causal": 4}


def load_dir(
    model_dir: Path,
    *,
    spec: str,
    task: str,
    device: str = "cpu",
    dtype: str | None = None,
    threads: int | None = None,
    allow_pickle: bool = False,
    info: dict[str, Any] | None = None,
) -> TransformersBackend:
    """Load a transformers model directory (safetensors only unless allow_pickle) as a backend."""
    checked = inspect_dir(model_dir, allow_pickle=allow_pickle)
    dtype_name = runtime.check_dtype(dtype)
    device = runtime.check_device(device)
    n_threads = runtime.check_threads(threads)
    runtime.apply_threads(n_threads)
    started = time.perf_counter()
    model, tokenizer, kind = _load_model(checked, dtype_name, device)
    base_info: dict[str, Any] = {
        "model": spec,
        "kind": kind,
        "runtime": "transformers",
        "path": str(model_dir),
        "weights": list(checked.weights),
        "dtype": dtype_name,
        "device": device,
        "threads": n_threads,
        "versions": runtime.versions("torch", "transformers", "tokenizers"),
        "load_seconds": round(time.perf_counter() - started, 3),
    }
    base_info.update(info or {})
    cls = Seq2SeqBackend if kind == "seq2seq" else CausalBackend
    return cls(model, tokenizer, spec=spec, task=task, info=base_info, threads=n_threads, device=device)


def _load_model(checked: ModelDir, dtype_name: str, device: str) -> tuple[Any, Any, str]:
    runtime.quiet_transformers()
    from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

    path = str(checked.path)
    try:
        config = AutoConfig.from_pretrained(path, trust_remote_code=False)
    except Exception as error:
        raise ModelError(f"cannot read the model config in {path}: {first_line(error)}") from error
    kind = "seq2seq" if getattr(config, "is_encoder_decoder", False) else "causal"
    auto = AutoModelForSeq2SeqLM if kind == "seq2seq" else AutoModelForCausalLM
    try:
        tokenizer = AutoTokenizer.from_pretrained(path, trust_remote_code=False)
    except Exception as error:
        raise ModelError(f"cannot load the tokenizer in {path}: {first_line(error)}") from error
    try:
        model: Any = auto.from_pretrained(
            path,
            config=config,
            dtype=runtime.torch_dtype(dtype_name),
            use_safetensors=checked.use_safetensors,
            trust_remote_code=False,
        )
    except Exception as error:
        raise ModelError(f"cannot load the {kind} model in {path}: {first_line(error)}") from error
    model.eval()
    if device != "cpu":
        model.to(device)
    return model, tokenizer, kind


class GeneratedNoRepeatNGram:
    """Ban an n-gram from repeating within the generated tokens only.

    transformers' `no_repeat_ngram_size` for a decoder-only model also counts the prompt, so it forbids
    copying any n tokens of the article: with per-digit tokens that mangles figures ("300,000"). This
    processor looks only at tokens after `prompt_len`.
    """

    def __init__(self, n: int, prompt_len: int) -> None:
        self.n = n
        self.prompt_len = prompt_len

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        generated = input_ids[:, self.prompt_len :]
        n = self.n
        if generated.shape[1] < n:
            return scores
        for row, tokens in enumerate(generated.tolist()):
            prefix = tuple(tokens[len(tokens) - n + 1 :])
            banned = [
                tokens[i + n - 1]
                for i in range(len(tokens) - n + 1)
                if tuple(tokens[i : i + n - 1]) == prefix
            ]
            if banned:
                scores[row, banned] = -float("inf")
        return scores


class TransformersBackend:
    kind = ""

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        *,
        spec: str,
        task: str,
        info: dict[str, Any],
        threads: int,
        device: str,
    ) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.spec = spec
        self.task = task
        self.info = info
        self.threads = threads
        self.device = device
        self.position_limit = self._position_limit()
        self.max_input_tokens = self._input_budget()
        # The model's own length setting becomes our default; max_length is then cleared so that passing
        # max_new_tokens never clashes with it.
        gen = model.generation_config
        configured = getattr(gen, "max_length", None)
        self.configured_max_new_tokens = configured if configured and configured != 20 else None
        gen.max_length = None

    def _position_limit(self) -> int:
        config = self.model.config
        limits = [getattr(config, "max_position_embeddings", None)]
        model_max = getattr(self.tokenizer, "model_max_length", None)
        if isinstance(model_max, int) and model_max < 1_000_000:
            limits.append(model_max)
        known = [value for value in limits if isinstance(value, int) and value > 0]
        return min(known) if known else 512

    def _input_budget(self) -> int:
        return self.position_limit - 2

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def generate(self, texts: list[str], **settings: Any) -> list[list[str]]:
        check_settings(settings)
        num_beams, num_return, do_sample = nbest_settings(settings, self._default_beams())
        batch_size = positive_int(settings, "batch_size", DEFAULT_BATCH[self.kind])
        results: list[list[str]] = [[""] * num_return for _ in texts]
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if not todo:
            return results
        runtime.apply_threads(self.threads)
        lengths = [len(texts[i]) for i in todo]
        import torch

        with torch.inference_mode(), _seeded(settings.get("seed") if do_sample else None):
            for bucket in length_buckets(lengths, batch_size):
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

    def _default_beams(self) -> int:
        return 1

    def _common_kwargs(
        self, settings: dict[str, Any], num_beams: int, num_return: int, do_sample: bool, max_new_tokens: int
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "max_new_tokens": max_new_tokens,
            "num_beams": num_beams,
            "num_return_sequences": num_return,
            "do_sample": do_sample,
            "use_cache": True,
            "pad_token_id": self.tokenizer.pad_token_id,
        }
        if do_sample:
            for key in ("temperature", "top_p"):
                if settings.get(key) is not None:
                    kwargs[key] = settings[key]
        if settings.get("repetition_penalty") is not None:
            kwargs["repetition_penalty"] = float(settings["repetition_penalty"])
        return kwargs

    def _group(self, decoded: list[str], num_return: int) -> list[list[str]]:
        return [
            [text.strip() for text in decoded[i : i + num_return]] for i in range(0, len(decoded), num_return)
        ]

    def _generate_batch(
        self, texts: list[str], settings: dict[str, Any], num_beams: int, num_return: int, do_sample: bool
    ) -> list[list[str]]:
        raise NotImplementedError


class Seq2SeqBackend(TransformersBackend):
    kind = "seq2seq"

    def _default_beams(self) -> int:
        configured = getattr(self.model.generation_config, "num_beams", None)
        return configured if isinstance(configured, int) and configured > 1 else 4

    def _generate_batch(
        self, texts: list[str], settings: dict[str, Any], num_beams: int, num_return: int, do_sample: bool
    ) -> list[list[str]]:
        tokenizer = self.tokenizer
        extra: dict[str, Any] = {}
        src_lang, tgt_lang = settings.get("src_lang"), settings.get("tgt_lang")
        if src_lang and hasattr(tokenizer, "get_lang_id"):  # M2M100-style multilingual tokenizers
            try:
                tokenizer.src_lang = src_lang
                if tgt_lang:
                    extra["forced_bos_token_id"] = tokenizer.get_lang_id(tgt_lang)
            except (KeyError, ValueError) as error:
                raise LanguageError(f"{self.spec} does not know language {first_line(error)}") from error
        encoded = tokenizer(texts, return_tensors="pt", padding=True, truncation=False)
        longest = int(encoded["input_ids"].shape[1])
        if longest > self.position_limit:
            raise ModelError(
                f"an input of {longest} tokens is longer than {self.spec} accepts ({self.position_limit}); "
                "split it into chunks of at most max_input_tokens"
            )
        max_new = self._max_new_tokens(settings, longest)
        kwargs = self._common_kwargs(settings, num_beams, num_return, do_sample, max_new)
        if settings.get("no_repeat_ngram_size") is not None:
            kwargs["no_repeat_ngram_size"] = int(settings["no_repeat_ngram_size"])
        min_length = getattr(self.model.generation_config, "min_length", None)
        if isinstance(min_length, int) and min_length >= max_new:
            kwargs["min_length"] = 0
        encoded = encoded.to(self.device)
        output = self.model.generate(**encoded, **kwargs, **extra)
        decoded = tokenizer.batch_decode(output, skip_special_tokens=True)
        return self._group(decoded, num_return)

    def _max_new_tokens(self, settings: dict[str, Any], longest: int) -> int:
        if settings.get("max_new_tokens") is not None:
            return positive_int(settings, "max_new_tokens", 1)
        configured = self.configured_max_new_tokens
        if self.task == "translate":
            relative = 2 * longest + 16
            return min(configured, relative) if configured else relative
        return configured or SUMMARY_MAX_NEW_TOKENS


class CausalBackend(TransformersBackend):
    kind = "causal"

    def __init__(self, model: Any, tokenizer: Any, **kwargs: Any) -> None:
        tokenizer.padding_side = "left"
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        super().__init__(model, tokenizer, **kwargs)

    def _input_budget(self) -> int:
        context = min(self.position_limit, CAUSAL_CONTEXT_CAP)
        return context - min(CAUSAL_RESERVE, context // 4)

    def prompt(self, text: str, instruction: str | None) -> tuple[str, bool]:
        """(prompt, has_special_tokens): the chat template when the tokenizer has one, else plain text."""
        content = f"{instruction.strip()}\n\n{text}" if instruction else text
        if getattr(self.tokenizer, "chat_template", None):
            rendered = self.tokenizer.apply_chat_template(
                [{"role": "user", "content": content}], tokenize=False, add_generation_prompt=True
            )
            return str(rendered), True
        return content + "\n\n", False

    def _generate_batch(
        self, texts: list[str], settings: dict[str, Any], num_beams: int, num_return: int, do_sample: bool
    ) -> list[list[str]]:
        tokenizer = self.tokenizer
        prompts = [self.prompt(text, settings.get("instruction")) for text in texts]
        templated = prompts[0][1]
        encoded = tokenizer(
            [p for p, _ in prompts], return_tensors="pt", padding=True, add_special_tokens=not templated
        )
        prompt_len = int(encoded["input_ids"].shape[1])
        max_new = (
            positive_int(settings, "max_new_tokens", 1)
            if settings.get("max_new_tokens") is not None
            else (SUMMARY_MAX_NEW_TOKENS if self.task == "summarize" else min(1024, 2 * prompt_len + 32))
        )
        if prompt_len + max_new > self.position_limit:
            raise ModelError(
                f"a prompt of {prompt_len} tokens plus {max_new} new tokens is longer than {self.spec} "
                f"accepts ({self.position_limit}); split the input into chunks of at most max_input_tokens"
            )
        kwargs = self._common_kwargs(settings, num_beams, num_return, do_sample, max_new)
        ngram = settings.get("no_repeat_ngram_size", CAUSAL_NO_REPEAT_NGRAM)
        if ngram:
            from transformers import LogitsProcessorList

            kwargs["logits_processor"] = LogitsProcessorList([GeneratedNoRepeatNGram(int(ngram), prompt_len)])
        encoded = encoded.to(self.device)
        output = self.model.generate(**encoded, **kwargs)
        decoded = tokenizer.batch_decode(output[:, prompt_len:], skip_special_tokens=True)
        return self._group(decoded, num_return)


@contextlib.contextmanager
def _seeded(seed: int | None) -> Iterator[None]:
    """Sampling with a seed is reproducible, without disturbing the caller's global RNG state."""
    if seed is None:
        yield
        return
    import torch

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(int(seed))
        yield
