"""transformers backends: seq2seq (BART, Marian, T5, M2M100) and causal chat models (Llama family).

This module is imported only when a model is loaded; torch and transformers are imported inside functions.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from keepfacts.errors import ModelError
from keepfacts.models import generation as rules
from keepfacts.models import runtime
from keepfacts.models.base import first_line, positive_int
from keepfacts.models.localdir import ModelDir, inspect_dir


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


class LoopStop:
    """Stopping criterion: a row is done once an n-gram repeats within its generated tokens."""

    def __init__(self, n: int, prompt_len: int) -> None:
        self.n = n
        self.prompt_len = prompt_len

    def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
        import torch

        generated = input_ids[:, self.prompt_len :].tolist()
        done = [rules.loop_start(tokens, self.n) is not None for tokens in generated]
        return torch.tensor(done, dtype=torch.bool, device=input_ids.device)


class TransformersBackend(rules.BatchedBackend):
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
        self.position_limit = rules.position_limit(model.config, tokenizer)
        self.decoder_positions = getattr(model.config, "max_position_embeddings", None)
        self.max_input_tokens = rules.input_budget(self.kind, self.position_limit)
        # The model's own length setting becomes our default; max_length is then cleared so that passing
        # max_new_tokens never clashes with it.
        self.configured_max_new_tokens = rules.configured_max_new_tokens(model.generation_config)
        model.generation_config.max_length = None

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    @contextlib.contextmanager
    def _running(self, seed: int | None) -> Iterator[None]:
        import torch

        runtime.apply_threads(self.threads)
        with torch.inference_mode(), _seeded(seed):
            yield

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
        if settings.get("min_new_tokens") is not None:
            kwargs["min_new_tokens"] = min(positive_int(settings, "min_new_tokens", 1), max_new_tokens)
        if settings.get("repetition_penalty") is not None:
            kwargs["repetition_penalty"] = float(settings["repetition_penalty"])
        return kwargs


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
        target = self._target_language(tokenizer, settings)
        if target:
            extra["forced_bos_token_id"] = tokenizer.get_lang_id(target)
        encoded = tokenizer(texts, return_tensors="pt", padding=True, truncation=False)
        max_new = self._seq2seq_max_new(settings, int(encoded["input_ids"].shape[1]))
        kwargs = self._common_kwargs(settings, num_beams, num_return, do_sample, max_new)
        if settings.get("no_repeat_ngram_size") is not None:
            kwargs["no_repeat_ngram_size"] = int(settings["no_repeat_ngram_size"])
        min_length = getattr(self.model.generation_config, "min_length", None)
        if isinstance(min_length, int) and min_length >= max_new:
            kwargs["min_length"] = 0
        encoded = encoded.to(self.device)
        output = self.model.generate(**encoded, **kwargs, **extra)
        decoded = tokenizer.batch_decode(output, skip_special_tokens=True)
        return rules.group(decoded, num_return)


class CausalBackend(TransformersBackend):
    kind = "causal"

    def __init__(self, model: Any, tokenizer: Any, **kwargs: Any) -> None:
        tokenizer.padding_side = "left"
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        super().__init__(model, tokenizer, **kwargs)

    def prompt(self, text: str, instruction: str | None) -> tuple[str, bool]:
        return rules.chat_prompt(self.tokenizer, text, instruction)

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
        longest_text = max(self.count_tokens(text) for text in texts)
        max_new = self._causal_max_new(settings, prompt_len, longest_text)
        kwargs = self._common_kwargs(settings, num_beams, num_return, do_sample, max_new)
        ngram = rules.loop_ngram(settings)
        if ngram and num_beams == 1:
            from transformers import StoppingCriteriaList

            kwargs["stopping_criteria"] = StoppingCriteriaList([LoopStop(ngram, prompt_len)])
        encoded = encoded.to(self.device)
        output = self.model.generate(**encoded, **kwargs)
        new_tokens = [rules.trim_loop(row, ngram) for row in output[:, prompt_len:].tolist()]
        decoded = tokenizer.batch_decode(new_tokens, skip_special_tokens=True)
        return rules.group(decoded, num_return)


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
