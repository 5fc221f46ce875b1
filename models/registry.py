"""Model names -> backends: the scheme registry, the alias table, name resolution and a caching Loader.

Resolution order for a name:
1. `scheme:arg` with a registered scheme (`apertium:eng-spa`, `bergamot:en-pt`,
   `embedded:smollm2-135m-instruct`, `fake:drop`);
2. an alias (`smollm2`, `distilbart`, ...), resolved again;
3. an existing local directory (a transformers model: config.json decides seq2seq or causal);
4. a path ending in `.gguf`;
5. otherwise a Hugging Face hub id (local cache first; downloaded only when the hub is reachable).
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keepfacts.errors import KeepfactsError, ModelError, ModelNotAvailable, UsageError
from keepfacts.models.base import Backend, ServerOptions, check_task, first_line


def _load_hf(arg: str, *, runtime: str | None = None, **options: Any) -> Backend:
    from keepfacts.models import hf_backend, hub

    path = Path(arg)
    if path.is_dir():
        return hf_backend.load_dir(
            path.resolve(), spec=str(path.resolve()), info={"source": "local"}, **options
        )
    try:
        snap = hub.snapshot(arg, allow_pickle=options.get("allow_pickle", False))
    except ModelNotAvailable as error:
        if "/" in arg:
            raise
        # A bare word is more often a misspelt alias than a hub id.
        raise ModelNotAvailable(f"{error.message} (aliases: {', '.join(sorted(ALIASES))})") from error
    info = {"source": "hub-cache", "revision": snap.revision}
    return hf_backend.load_dir(snap.path, spec=arg, info=info, **options)


def _load_gguf(arg: str, *, runtime: str | None = None, **options: Any) -> Backend:
    return _load_converted(
        Path(arg).expanduser().resolve(), spec=str(Path(arg).expanduser().resolve()), **options
    )


def default_runtime() -> str:
    """The runtime of the default models (the embedded one, and what `--model auto` picks): CTranslate2
    where it is installed (measured faster by `make bench`), else transformers."""
    return "ct2" if importlib.util.find_spec("ctranslate2") is not None else "transformers"


def _load_embedded(arg: str, *, runtime: str | None = None, **options: Any) -> Backend:
    from keepfacts.models import gguf_convert

    name = arg or gguf_convert.DEFAULT_EMBEDDED
    if (runtime or default_runtime()) == "ct2":
        return _load_ct2(f"embedded:{name}", **options)
    return _load_converted(gguf_convert.embedded_gguf(name), spec=f"embedded:{name}", **options)


def _load_converted(gguf: Path, *, spec: str, **options: Any) -> Backend:
    from keepfacts.models import gguf_convert, hf_backend

    directory, facts = gguf_convert.ensure_converted(gguf)
    return hf_backend.load_dir(directory, spec=spec, info={"source": "gguf", **facts}, **options)


def _load_ct2(arg: str, *, runtime: str | None = None, **options: Any) -> Backend:
    from keepfacts.models.ct2_backend import load_ct2

    return load_ct2(arg, **options)


def _load_apertium(arg: str, **options: Any) -> Backend:
    from keepfacts.models.apertium import load_apertium

    return load_apertium(arg, **options)


def _load_openai(arg: str, **options: Any) -> Backend:
    from keepfacts.models.openai_backend import load_openai

    return load_openai(arg, **options)


def _load_bergamot(arg: str, **options: Any) -> Backend:
    from keepfacts.models.bergamot import load_bergamot

    return load_bergamot(arg, **options)


# scheme -> factory. A factory is called as factory(arg, task=..., device=..., dtype=..., threads=...,
# allow_pickle=...) (plus runtime=... when the caller chose one, server=... for a server scheme) and
# returns a Backend. Plugins and test fakes add theirs with register().
BACKENDS: dict[str, Callable[..., Backend]] = {
    "hf": _load_hf,
    "gguf": _load_gguf,
    "embedded": _load_embedded,
    "apertium": _load_apertium,
    "bergamot": _load_bergamot,
    "ct2": _load_ct2,
    "openai": _load_openai,
}
SERVER_SCHEMES = frozenset({"openai"})  # the schemes that take ServerOptions (server=...)
RUNTIMES = ("transformers", "ct2")

# friendly name -> spec (a spec is itself resolved, so an alias may name a scheme, a hub id or a path).
ALIASES: dict[str, str] = {
    "embedded": "embedded:smollm2-135m-instruct",
    "smollm2": "embedded:smollm2-135m-instruct",
    "distilbart": "sshleifer/distilbart-cnn-12-6",
    "m2m100": "facebook/m2m100_418M",
    "apertium": "apertium:",  # the mode is chosen per call from src_lang/tgt_lang
}

_SCHEME = re.compile(r"^[a-z][a-z0-9_+.-]*$")
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")


def register(scheme: str, factory: Callable[..., Backend]) -> None:
    """Add (or replace) a backend scheme, e.g. register("fake", make_fake) makes `fake:drop` loadable."""
    if not _SCHEME.match(scheme):
        raise UsageError(f"invalid backend scheme {scheme!r}: use lowercase letters, digits and - _ + .")
    if not callable(factory):
        raise UsageError(f"backend factory for {scheme!r} is not callable")
    BACKENDS[scheme] = factory


@dataclass(frozen=True)
class Resolved:
    scheme: str
    arg: str

    @property
    def spec(self) -> str:
        return self.arg if self.scheme in ("hf", "gguf") else f"{self.scheme}:{self.arg}".rstrip(":")


def resolve(name: str) -> Resolved:
    """Which backend a model name means, without loading anything heavy."""
    seen: list[str] = []
    while True:
        name = name.strip()
        if not name:
            raise UsageError("empty model name")
        scheme, colon, arg = name.partition(":")
        if colon and scheme in BACKENDS:
            return Resolved(scheme, arg)
        if name in ALIASES:
            if name in seen:
                raise ModelError(f"alias loop: {' -> '.join([*seen, name])}")
            seen.append(name)
            name = ALIASES[name]
            continue
        path = Path(os.path.expanduser(name))
        if path.is_dir():
            return Resolved("hf", str(path.resolve()))
        if name.lower().endswith(".gguf"):
            if not path.is_file():
                raise ModelError(f"no GGUF file at {path}")
            return Resolved("gguf", str(path.resolve()))
        if path.exists():
            raise ModelError(f"{path} is a file; pass a model directory (with config.json) or a .gguf file")
        if colon and _SCHEME.match(scheme):
            raise ModelError(
                f"unknown model scheme {scheme!r} in {name!r}; valid schemes: {', '.join(sorted(BACKENDS))}"
            )
        looks_like_path = name.startswith((".", "/", "~")) or os.sep + os.sep in name or name.count("/") > 1
        if looks_like_path or not _HUB_ID.match(name):
            raise ModelError(
                f"no model directory at {name} (and it is not an alias or a hub id; "
                f"aliases: {', '.join(sorted(ALIASES))})"
            )
        return Resolved("hf", name)


def with_runtime(target: Resolved, runtime: str | None) -> Resolved:
    """Apply an explicit runtime choice: "ct2" wraps a transformers model, "transformers" unwraps ct2.
    (An `embedded` model is told its runtime by the loader: its default is default_runtime().)"""
    if runtime is None:
        return target
    if runtime not in RUNTIMES:
        raise UsageError(f"unknown runtime {runtime!r}; valid runtimes: {', '.join(RUNTIMES)}")
    if runtime == "ct2" and target.scheme in ("hf", "gguf", "embedded"):
        return Resolved("ct2", target.spec)
    if runtime == "transformers" and target.scheme == "ct2":
        return with_runtime(resolve(target.arg), runtime)
    if target.scheme not in ("hf", "gguf", "embedded", "ct2"):
        raise UsageError(f"runtime {runtime!r} does not apply to {target.spec!r}")
    return target


class Loader:
    """Loads backends and keeps the last `maxsize` of them, keyed by resolved name and options."""

    def __init__(self, maxsize: int = 2) -> None:
        self.maxsize = maxsize
        self._cache: OrderedDict[tuple[Any, ...], Backend] = OrderedDict()

    def load(
        self,
        name: str,
        *,
        task: str,
        device: str = "cpu",
        dtype: str | None = None,
        threads: int | None = None,
        allow_pickle: bool = False,
        runtime: str | None = None,
        server: ServerOptions | None = None,
    ) -> Backend:
        check_task(task)
        target = with_runtime(resolve(name), runtime)
        if server is not None and server != ServerOptions() and target.scheme not in SERVER_SCHEMES:
            raise UsageError(
                f"--api-base, --concurrency and --api-timeout apply to openai:NAME models, not {name!r}"
            )
        key = (target.scheme, target.arg, task, device, dtype, threads, allow_pickle, runtime)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        factory = BACKENDS[target.scheme]
        options: dict[str, Any] = {"runtime": runtime} if runtime is not None else {}
        if target.scheme in SERVER_SCHEMES:
            options["server"] = server or ServerOptions()
        try:
            backend = factory(
                target.arg,
                task=task,
                device=device,
                dtype=dtype,
                threads=threads,
                allow_pickle=allow_pickle,
                **options,
            )
        except KeepfactsError:
            raise
        except Exception as error:  # a plugin or library failure still ends as one line
            raise ModelError(f"cannot load model {name!r}: {first_line(error)}") from error
        if target.scheme in SERVER_SCHEMES:
            return backend  # a client is cheap, and the URL or key may come from the environment
        self._cache[key] = backend
        while len(self._cache) > self.maxsize:
            self._cache.popitem(last=False)
        return backend

    def clear(self) -> None:
        self._cache.clear()


# The loader behind models.load(); create your own Loader for an isolated cache.
DEFAULT_LOADER = Loader()


def load(
    name: str,
    *,
    task: str,
    device: str = "cpu",
    dtype: str | None = None,
    threads: int | None = None,
    allow_pickle: bool = False,
    runtime: str | None = None,
    server: ServerOptions | None = None,
) -> Backend:
    """Load (or reuse) the backend a model name resolves to. Raises ModelError / ModelNotAvailable /
    LanguageError / UsageError with a one-line message; never hangs waiting for the network.

    runtime: None (the name decides: `ct2:NAME` is CTranslate2), "transformers" or "ct2".
    server: how to reach the server of an `openai:NAME` model (default: OPENAI_BASE_URL)."""
    return DEFAULT_LOADER.load(
        name,
        task=task,
        device=device,
        dtype=dtype,
        threads=threads,
        allow_pickle=allow_pickle,
        runtime=runtime,
        server=server,
    )
