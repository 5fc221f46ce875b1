"""CTranslate2 runtime: int8 on CPU for seq2seq (BART, Marian, M2M100, T5) and Llama-family models.

`ct2:NAME` loads NAME (a hub id, a local directory, a .gguf file or an embedded model) through
CTranslate2. The transformers model directory is converted once (`TransformersConverter`, int8) into a
directory beside it (for converted GGUFs) or under `<cache>/ct2/`, atomically, then reused. Tokenization
and the chat template stay with the model's own Hugging Face tokenizer, so prompts are the same as with
the transformers runtime; the generation rules (defaults, loop guard, limits) are shared.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from keepfacts.errors import ModelError, UsageError
from keepfacts.models import generation as rules
from keepfacts.models import runtime
from keepfacts.models.base import first_line, positive_int
from keepfacts.models.cache import atomic_directory, cache_root
from keepfacts.models.light_tokenizer import LightTokenizer
from keepfacts.models.localdir import inspect_dir

QUANTIZATION = "int8"
COMPUTE_TYPES = ("int8", "int8_float32", "int8_bfloat16", "float32", "bfloat16")
MARKER = "keepfacts-ct2.json"
SMALL_MODEL_BYTES = 200 * 2**20  # int8 weights: about 200M parameters
# The longest a call waits for CTranslate2's worker to free a Python callback (it takes microseconds),
# and after a failed call, whose error may keep the callback alive (the worker is done by then anyway).
CALLBACK_RELEASE_SECONDS = 30.0
CALLBACK_ERROR_SECONDS = 0.5

log = logging.getLogger(__name__)


def default_threads(model_bytes: int) -> int:
    """Threads for a model of `model_bytes` when the user set none: one for a small model, whose
    matrices are too small to share between cores (the seed's default summary spends 2.1 s in the embedded
    SmolLM2-135M on one thread, 3.3 s on two: `python bench/run.py --only summarize_default`), else every
    core this process may use."""
    return 1 if model_bytes < SMALL_MODEL_BYTES else runtime.default_threads()


def ct2_dir(hf_dir: Path, quantization: str = QUANTIZATION) -> Path:
    """Where the CTranslate2 copy of a transformers model directory lives."""
    converted_root = cache_root() / "converted"
    if hf_dir.parent == converted_root:
        return hf_dir.with_name(f"{hf_dir.name}.ct2-{quantization}")
    facts = [str(hf_dir.resolve())]
    for item in sorted(hf_dir.iterdir()):
        if item.is_file():
            stat = item.stat()
            facts.append(f"{item.name}:{stat.st_size}:{stat.st_mtime_ns}")
    key = hashlib.sha1("|".join(facts).encode()).hexdigest()[:16]
    return cache_root() / "ct2" / f"{hf_dir.name}-{key}-{quantization}"


def ensure_ct2(
    hf_dir: Path, quantization: str = QUANTIZATION, *, use_safetensors: bool = True, name: str | None = None
) -> tuple[Path, dict[str, Any]]:
    """The CTranslate2 copy of hf_dir, converted now if the cache lacks it (`name` names the model in
    the notice; a hub snapshot's directory is only a commit hash)."""
    target = ct2_dir(hf_dir, quantization)
    facts: dict[str, Any] = {
        "ct2_path": str(target),
        "quantization": quantization,
        "ct2_converted_now": False,
    }
    if (target / MARKER).is_file() and (target / "model.bin").is_file():
        return target, facts
    started = time.perf_counter()
    log.info("converting %s once into CTranslate2 %s in %s", name or hf_dir.name, quantization, target.parent)
    runtime.quiet_transformers()
    try:
        with atomic_directory(target) as tmp:
            converter = _converter(hf_dir, use_safetensors)
            converter.convert(str(tmp), quantization=quantization, force=True)
            record = {"source": str(hf_dir), "quantization": quantization, **runtime.versions("ctranslate2")}
            (tmp / MARKER).write_text(json.dumps(record, indent=2) + "\n")
    except OSError as error:
        raise ModelError(
            f"cannot write the CTranslate2 model to {target.parent}: {first_line(error)}"
        ) from error
    except Exception as error:
        raise ModelError(f"CTranslate2 cannot convert {hf_dir}: {first_line(error)}") from error
    facts.update(ct2_converted_now=True, ct2_convert_seconds=round(time.perf_counter() - started, 3))
    return target, facts


def _converter(hf_dir: Path, use_safetensors: bool) -> Any:
    from ctranslate2.converters import TransformersConverter

    class Converter(TransformersConverter):
        """Loads safetensors only (unless allowed) and fills config fields transformers 5 dropped."""

        def load_model(self, model_class: Any, model_name_or_path: str, **kwargs: Any) -> Any:
            kwargs["use_safetensors"] = use_safetensors
            model = model_class.from_pretrained(model_name_or_path, **kwargs)
            config = model.config
            if config.model_type == "bart" and not hasattr(config, "normalize_before"):
                config.normalize_before = False  # BART is post-norm
            return model

    return Converter(str(hf_dir), low_cpu_mem_usage=True, trust_remote_code=False)


def load_ct2(
    arg: str,
    *,
    task: str,
    device: str = "cpu",
    dtype: str | None = None,
    threads: int | None = None,
    allow_pickle: bool = False,
) -> Ct2Backend:
    """Factory for the `ct2` scheme: `ct2:smollm2`, `ct2:/path/to/model`, `ct2:Helsinki-NLP/opus-mt-en-de`."""
    compute_type = dtype or "int8"
    if compute_type not in COMPUTE_TYPES:
        raise UsageError(f"unknown dtype {compute_type!r} for ct2; valid: {', '.join(COMPUTE_TYPES)}")
    runtime.check_threads(threads)
    device = runtime.check_device(device)
    hf_dir, spec, info = _transformers_dir(arg, allow_pickle)
    checked = inspect_dir(hf_dir, allow_pickle=allow_pickle)
    model_dir, facts = ensure_ct2(hf_dir, use_safetensors=checked.use_safetensors, name=spec)
    n_threads = threads or default_threads((model_dir / "model.bin").stat().st_size)
    started = time.perf_counter()
    arenas = 1 if runtime.one_malloc_arena() else None  # before CTranslate2 starts its threads
    import ctranslate2

    kind = "seq2seq" if checked.config.get("is_encoder_decoder") else "causal"
    tokenizer = _tokenizer(hf_dir, kind)
    ct2_class = ctranslate2.Translator if kind == "seq2seq" else ctranslate2.Generator
    device_name, _, index = device.partition(":")
    factory = functools.partial(
        ct2_class,
        str(model_dir),
        device=device_name,
        device_index=int(index or 0),
        compute_type=compute_type,
        intra_threads=n_threads,
        inter_threads=1,
    )
    try:
        model = factory()
    except Exception as error:
        raise ModelError(f"CTranslate2 cannot load {model_dir}: {first_line(error)}") from error
    info.update(
        model=f"ct2:{spec}",
        kind=kind,
        runtime="ctranslate2",
        path=str(hf_dir),
        compute_type=compute_type,
        device=device,
        threads=n_threads,
        malloc_arenas=arenas,
        versions=runtime.versions("ctranslate2", "transformers", "tokenizers"),
        load_seconds=round(time.perf_counter() - started, 3),
        **facts,
    )
    cls = Ct2Seq2Seq if kind == "seq2seq" else Ct2Causal
    return cls(
        factory,
        model,
        tokenizer,
        checked.config,
        _generation_config(hf_dir),
        spec=f"ct2:{spec}",
        task=task,
        info=info,
    )


def _tokenizer(hf_dir: Path, kind: str) -> Any:
    """A causal model's tokenizer.json is read without transformers (no torch import: a load in about a
    second); seq2seq tokenizers (sentencepiece, language codes) come from transformers."""
    if kind == "causal":
        light = LightTokenizer.load(hf_dir)
        if light is not None:
            return light
    runtime.quiet_transformers()
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(str(hf_dir), trust_remote_code=False)
    except Exception as error:
        raise ModelError(f"cannot load the tokenizer in {hf_dir}: {first_line(error)}") from error


def _transformers_dir(arg: str, allow_pickle: bool) -> tuple[Path, str, dict[str, Any]]:
    """(transformers model directory, spec of the underlying model, provenance) for a ct2 argument."""
    from keepfacts.models import gguf_convert, hub
    from keepfacts.models.registry import resolve

    target = resolve(arg)
    if target.scheme in ("embedded", "gguf"):
        gguf = (
            gguf_convert.embedded_gguf(target.arg or gguf_convert.DEFAULT_EMBEDDED)
            if target.scheme == "embedded"
            else Path(target.arg)
        )
        directory, facts = gguf_convert.ensure_converted(gguf)
        return directory, target.spec, {"source": "gguf", **facts}
    if target.scheme == "hf":
        path = Path(target.arg)
        if path.is_dir():
            return path, target.spec, {"source": "local"}
        snap = hub.snapshot(target.arg, allow_pickle=allow_pickle)
        return snap.path, target.spec, {"source": "hub-cache", "revision": snap.revision}
    raise ModelError(
        f"ct2 runs transformers models (a hub id, a model directory, a .gguf file or an embedded model), "
        f"not {target.spec!r}"
    )


def _generation_config(hf_dir: Path) -> dict[str, Any]:
    path = hf_dir / "generation_config.json"
    try:
        loaded = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        loaded = {}
    return loaded if isinstance(loaded, dict) else {}


class _Limits:
    def __init__(self, config: dict[str, Any]) -> None:
        self.max_position_embeddings = config.get("max_position_embeddings")


class Ct2Backend(rules.BatchedBackend):
    def __init__(
        self,
        factory: Callable[[], Any],
        model: Any,
        tokenizer: Any,
        config: dict[str, Any],
        generation_config: dict[str, Any],
        *,
        spec: str,
        task: str,
        info: dict[str, Any],
    ) -> None:
        self.factory = factory
        self.model = model
        self.tokenizer = tokenizer
        self.generation_config = generation_config
        self.spec = spec
        self.task = task
        self.info = info
        self.position_limit = rules.position_limit(_Limits(config), tokenizer)
        self.decoder_positions = config.get("max_position_embeddings")
        self.max_input_tokens = rules.input_budget(self.kind, self.position_limit)
        configured = generation_config.get("max_length")
        self.configured_max_new_tokens = (
            configured if isinstance(configured, int) and configured != 20 else None
        )

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    @contextlib.contextmanager
    def _running(self, seed: int | None) -> Iterator[None]:
        """A seeded call runs on a fresh model object: CTranslate2 seeds a worker thread's random
        generator when the thread starts, so set_random_seed alone would not repeat a sample."""
        if seed is None:
            yield
            return
        import ctranslate2

        ctranslate2.set_random_seed(int(seed))
        shared = self.model
        self.model = self.factory()
        try:
            yield
        finally:
            self.model = shared

    def _decoding_options(
        self, settings: dict[str, Any], num_beams: int, num_return: int, do_sample: bool, max_new: int
    ) -> dict[str, Any]:
        options: dict[str, Any] = {
            "beam_size": num_beams,
            "num_hypotheses": num_return,
            "sampling_topk": 50 if do_sample else 1,
        }
        if do_sample:
            if settings.get("temperature") is not None:
                options["sampling_temperature"] = float(settings["temperature"])
            if settings.get("top_p") is not None:
                options["sampling_topp"] = float(settings["top_p"])
        if settings.get("repetition_penalty") is not None:
            options["repetition_penalty"] = float(settings["repetition_penalty"])
        return options

    def _min_new(self, settings: dict[str, Any], max_new: int) -> int:
        if settings.get("min_new_tokens") is None:
            return 0
        return min(positive_int(settings, "min_new_tokens", 1), max_new)


class Ct2Causal(Ct2Backend):
    kind = "causal"

    def _default_batch(self) -> int:
        """One prompt per call: on CPU a padded batch of long prompts is slower and changes the padded
        rows' greedy output (`make bench`, section causal_batching)."""
        return 1

    def _end_tokens(self) -> list[int]:
        ends = self.generation_config.get("eos_token_id")
        ids = ends if isinstance(ends, list) else [ends] if isinstance(ends, int) else []
        if self.tokenizer.eos_token_id is not None and self.tokenizer.eos_token_id not in ids:
            ids.append(self.tokenizer.eos_token_id)
        return ids

    def _generate_batch(
        self, texts: list[str], settings: dict[str, Any], num_beams: int, num_return: int, do_sample: bool
    ) -> list[list[str]]:
        tokenizer = self.tokenizer
        prompts = [rules.chat_prompt(tokenizer, text, settings.get("instruction")) for text in texts]
        encoded = tokenizer([p for p, _ in prompts], add_special_tokens=not prompts[0][1])["input_ids"]
        longest = max(len(ids) for ids in encoded)
        longest_text = max(self.count_tokens(text) for text in texts)
        max_new = self._causal_max_new(settings, longest, longest_text)
        ngram = rules.loop_ngram(settings)
        options = self._decoding_options(settings, num_beams, num_return, do_sample, max_new)
        options.update(
            max_length=max_new,
            min_length=self._min_new(settings, max_new),
            include_prompt_in_result=False,
            end_token=self._end_tokens(),
        )
        if ngram and num_beams == 1 and num_return == 1:
            options["callback"] = _LoopCallback(ngram, len(texts))
        results = _run_releasing_callback(
            self.model.generate_batch, [tokenizer.convert_ids_to_tokens(ids) for ids in encoded], options
        )
        decoded = [
            tokenizer.decode(rules.trim_loop(ids, ngram), skip_special_tokens=True)
            for result in results
            for ids in result.sequences_ids
        ]
        return rules.group(decoded, num_return)


def _run_releasing_callback(
    method: Callable[..., Any], batch: list[list[str]], options: dict[str, Any]
) -> Any:
    """method(batch, **options), returning only once CTranslate2 has freed `options["callback"]`.

    CTranslate2 delivers a batch's results before its worker thread destroys the finished job, and with
    it the job's copy of the callback, a pybind11 wrapper whose destructor takes the GIL. A caller that
    went on to exit left the worker asking for the GIL during interpreter finalization, which ends the
    thread inside that destructor: std::terminate, "terminate called without an active exception",
    SIGABRT at exit (issue 11; gdb: Worker::run -> ~BatchJob -> ~GenerationOptions -> ~func_handle ->
    gil_scoped_acquire -> take_gil -> PyThread_exit_thread). Waiting here, GIL released, until the
    callback object is freed makes that last touch of Python happen now, while Python is fully alive."""
    callback = options.pop("callback", None)
    if callback is None:
        return method(batch, **options)
    released = threading.Event()
    watch = weakref.ref(callback, lambda _: released.set())
    patience = CALLBACK_RELEASE_SECONDS
    try:
        return method(batch, callback=callback, **options)
    except BaseException:
        patience = CALLBACK_ERROR_SECONDS  # an error's traceback may hold the callback itself
        raise
    finally:
        del callback  # now the worker's copies hold the last references
        if not released.wait(patience) and patience == CALLBACK_RELEASE_SECONDS:
            log.warning("CTranslate2 still holds a generation callback after %s s", patience)
        del watch


class _LoopCallback:
    """Stops a greedy row as soon as its generated tokens repeat an n-gram (the output is trimmed after)."""

    def __init__(self, n: int, batch: int) -> None:
        self.n = n
        self.tokens: list[list[int]] = [[] for _ in range(batch)]
        self.seen: list[set[tuple[int, ...]]] = [set() for _ in range(batch)]

    def __call__(self, step: Any) -> bool:
        row, seen = self.tokens[step.batch_id], self.seen[step.batch_id]
        row.append(step.token_id)
        if len(row) < self.n:
            return False
        gram = tuple(row[-self.n :])
        if gram in seen:
            return True
        seen.add(gram)
        return False


class Ct2Seq2Seq(Ct2Backend):
    kind = "seq2seq"

    def _default_beams(self) -> int:
        configured = self.generation_config.get("num_beams")
        return configured if isinstance(configured, int) and configured > 1 else 4

    def _generate_batch(
        self, texts: list[str], settings: dict[str, Any], num_beams: int, num_return: int, do_sample: bool
    ) -> list[list[str]]:
        tokenizer = self.tokenizer
        target = self._target_language(tokenizer, settings)
        target_prefix = [[tokenizer.get_lang_token(target)]] * len(texts) if target else None
        encoded = tokenizer(texts)["input_ids"]
        max_new = self._seq2seq_max_new(settings, max(len(ids) for ids in encoded))
        options = self._decoding_options(settings, num_beams, num_return, do_sample, max_new)
        gen = self.generation_config
        configured_min = gen.get("min_length")
        min_length = configured_min if isinstance(configured_min, int) else 0
        options.update(
            max_decoding_length=max_new,
            min_decoding_length=self._min_new(settings, max_new)
            or (min_length if min_length < max_new else 0),
            no_repeat_ngram_size=int(
                settings["no_repeat_ngram_size"]
                if settings.get("no_repeat_ngram_size") is not None
                else gen.get("no_repeat_ngram_size") or 0
            ),
            length_penalty=float(gen.get("length_penalty") or 1.0),
        )
        results = self.model.translate_batch(
            [tokenizer.convert_ids_to_tokens(ids) for ids in encoded], target_prefix=target_prefix, **options
        )
        decoded = [
            tokenizer.decode(tokenizer.convert_tokens_to_ids(tokens), skip_special_tokens=True)
            for result in results
            for tokens in result.hypotheses
        ]
        return rules.group(decoded, num_return)
