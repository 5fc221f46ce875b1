"""models: a process that ran CTranslate2 exits cleanly (issue 11: SIGABRT at interpreter exit).

CTranslate2 hands back a generate_batch result before its worker thread destroys the finished job, and
with it the pybind11 wrapper of the loop-guard callback, whose destructor takes the GIL. When the caller
exited first, the worker's GIL request during finalization ended the thread inside that destructor:
"terminate called without an active exception", exit status -6 (gdb: Worker::run -> ~BatchJob ->
~GenerationOptions -> ~func_handle -> gil_scoped_acquire -> take_gil -> PyThread_exit_thread).

Each child loads (and maybe generates), then exits at once. It sets a long GIL switch interval after the
load, which keeps the GIL on the main thread the way CPU load does and makes the old race show in most
runs instead of a few.
"""

from __future__ import annotations

import os
import subprocess
import sys
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from keepfacts import models
from keepfacts.models import ct2_backend

THREADS = [1, 2, None]
CHILD = """
import sys
from keepfacts import models
backend = models.Loader().load({spec!r}, task="summarize", threads={threads!r})
assert backend.info["runtime"] == "ctranslate2" and backend.info["ct2_converted_now"] is False
sys.setswitchinterval(60)
step = {step!r}
if step == "generate":
    out = backend.generate(["Police said 12 people died."], max_new_tokens=4)
elif step == "seeded":
    out = backend.generate(["Police said 12 people died."], max_new_tokens=4, do_sample=True, seed=3)
else:
    out = "loaded"
sys.stdout.write(str(out))
sys.stdout.flush()
"""


def _exits_cleanly(spec: str, threads: int | None, step: str, cache: Path) -> None:
    code = CHILD.format(spec=spec, threads=threads, step=step)
    env = {**os.environ, "KEEPFACTS_CACHE": str(cache), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert "terminate called" not in done.stderr, done.stderr[-2000:]
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("loaded" if step == "load" else "[["), done.stdout


@pytest.fixture(scope="module")
def tiny_cache(tmp_path_factory: pytest.TempPathFactory, tiny_model_dirs: dict[str, Path]) -> Path:
    """A private cache with the tiny Llama and BART converted (loaded, never run, in this process)."""
    cache = tmp_path_factory.mktemp("ct2-exit-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KEEPFACTS_CACHE", str(cache))
        patch.setenv("HF_HUB_OFFLINE", "1")
        for name in ("llama", "bart"):
            models.Loader().load(f"ct2:{tiny_model_dirs[name]}", task="summarize", threads=1)
    return cache


@pytest.mark.parametrize("step", ["load", "generate", "seeded"])
@pytest.mark.parametrize("threads", THREADS)
def test_causal_ct2_process_exits_cleanly(
    tiny_cache: Path, tiny_model_dirs: dict[str, Path], threads: int | None, step: str
) -> None:
    _exits_cleanly(f"ct2:{tiny_model_dirs['llama']}", threads, step, tiny_cache)


@pytest.mark.parametrize("step", ["load", "generate"])
@pytest.mark.parametrize("threads", THREADS)
def test_seq2seq_ct2_process_exits_cleanly(
    tiny_cache: Path, tiny_model_dirs: dict[str, Path], threads: int | None, step: str
) -> None:
    _exits_cleanly(f"ct2:{tiny_model_dirs['bart']}", threads, step, tiny_cache)


@pytest.mark.slow
@pytest.mark.parametrize("step", ["load", "generate"])
@pytest.mark.parametrize("threads", THREADS)
def test_embedded_ct2_process_exits_cleanly(
    embedded_backend: Any, embedded_cache: Path, threads: int | None, step: str
) -> None:
    """The report's reproduction: `Loader().load('embedded', ...)`, generate, exit."""
    assert embedded_backend.info["runtime"] == "ctranslate2"
    _exits_cleanly("embedded", threads, step, embedded_cache)


@pytest.fixture
def callbacks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[weakref.ref[Any]]]:
    """Weak references to every loop-guard callback a CTranslate2 call is given."""
    made: list[weakref.ref[Any]] = []
    real = ct2_backend._LoopCallback

    class Tracked(real):  # type: ignore[misc, valid-type]
        def __init__(self, n: int, batch: int) -> None:
            super().__init__(n, batch)
            made.append(weakref.ref(self))

    monkeypatch.setattr(ct2_backend, "_LoopCallback", Tracked)
    yield made


def test_generate_returns_after_ctranslate2_let_go_of_the_callback(
    tiny_cache: Path, tiny_model_dirs: dict[str, Path], callbacks: list[weakref.ref[Any]]
) -> None:
    """The worker's last touch of Python (freeing the callback) happens before generate returns, while
    the interpreter is fully alive, so nothing is left for it to do at exit."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KEEPFACTS_CACHE", str(tiny_cache))
        backend = models.Loader().load(f"ct2:{tiny_model_dirs['llama']}", task="summarize", threads=2)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(60)  # the worker gets the GIL only when this thread waits for it
    try:
        for _ in range(5):
            outputs = backend.generate(["Police said 12 people died.", "Ukraine"], max_new_tokens=6)
            assert len(outputs) == 2 and callbacks and all(ref() is None for ref in callbacks)
    finally:
        sys.setswitchinterval(interval)
    assert len(callbacks) == 10
