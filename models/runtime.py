"""Device, dtype, threads, malloc arenas and library versions for the backends (torch imported lazily)."""

from __future__ import annotations

import os
from importlib import metadata
from typing import Any

from keepfacts.errors import ModelError, UsageError

DTYPES = ("float32", "bfloat16", "float16")


def check_dtype(dtype: str | None) -> str:
    name = dtype or "float32"
    if name not in DTYPES:
        raise UsageError(f"unknown dtype {name!r}; valid dtypes: {', '.join(DTYPES)}")
    return name


def torch_dtype(name: str) -> Any:
    import torch

    return {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[name]


def check_device(device: str) -> str:
    """'cpu', 'cuda' or 'cuda:N'; cuda only where torch sees a GPU."""
    if device == "cpu":
        return device
    if device == "cuda" or device.startswith("cuda:"):
        import torch

        if not torch.cuda.is_available():
            raise ModelError(
                f"device {device!r} was asked for but no CUDA GPU is available; use --device cpu"
            )
        return device
    raise UsageError(f"unknown device {device!r}; valid devices: cpu, cuda, cuda:N")


def default_threads() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def check_threads(threads: int | None) -> int:
    if threads is None:
        return default_threads()
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise UsageError(f"threads must be a positive integer, got {threads!r}")
    return threads


def apply_threads(threads: int) -> None:
    """torch's intra-op thread count is process-wide: set it (cheaply) whenever a backend runs."""
    import torch

    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


# glibc's mallopt parameter for the most malloc arenas (malloc.h: M_ARENA_MAX).
M_ARENA_MAX = -8
_ARENA_SET = [False]


def _libc() -> Any:
    """glibc, or None elsewhere (musl, macOS, Windows)."""
    import ctypes
    import platform

    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        return None


def one_malloc_arena() -> bool:
    """Serve every thread's malloc from one glibc arena, once per process; True when set.

    CTranslate2's worker threads otherwise allocate from their own arenas, which hand large blocks back
    to the OS and fault them in again layer after layer: on some prompt lengths that doubled the prefill
    (make bench, the seed's 523-token prompt on the embedded model: about 4 s, 2 s with one arena). Call
    it before the threads start. KEEPFACTS_MALLOC_ARENAS=default leaves malloc as it is."""
    if _ARENA_SET[0]:
        return True
    if os.environ.get("KEEPFACTS_MALLOC_ARENAS", "").strip().lower() == "default":
        return False
    libc = _libc()
    if libc is None or libc.mallopt(M_ARENA_MAX, 1) != 1:
        return False
    _ARENA_SET[0] = True
    return True


def versions(*packages: str) -> dict[str, str]:
    found = {}
    for name in packages:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def quiet_transformers() -> None:
    """No progress bars or advisory log lines from transformers/hub on a CLI's stderr."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
