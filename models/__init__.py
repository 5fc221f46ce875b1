"""Shared model runtime: the one place that loads and runs models.

    backend = models.load("smollm2", task="summarize")
    backend.generate([article], instruction="Summarize ...", max_new_tokens=120)  # -> [[summary]]

Names: a hub id, a local directory, a .gguf file, an alias (ALIASES), or `scheme:arg` (BACKENDS:
`apertium:eng-spa`, `bergamot:en-pt`, `embedded:smollm2-135m-instruct`, `ct2:NAME` for the CTranslate2
int8 runtime).
The embedded model runs on CTranslate2 where it is installed (`runtime="transformers"` to opt out).
Importing this package is instant: torch and transformers load only when a model needs them.
"""

from keepfacts.models.auto import resolve_auto
from keepfacts.models.base import TASKS, Backend
from keepfacts.models.registry import (
    ALIASES,
    BACKENDS,
    DEFAULT_LOADER,
    Loader,
    Resolved,
    load,
    register,
    resolve,
)

__all__ = [
    "ALIASES",
    "BACKENDS",
    "DEFAULT_LOADER",
    "TASKS",
    "Backend",
    "Loader",
    "Resolved",
    "load",
    "register",
    "resolve",
    "resolve_auto",
]
