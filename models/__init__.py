"""Shared model runtime: the one place that loads and runs models.

    backend = models.load("smollm2", task="summarize")
    backend.generate([article], instruction="Summarize ...", max_new_tokens=120)  # -> [[summary]]

Importing this package is instant: torch and transformers load only when a model does.
"""

from models.auto import resolve_auto
from models.base import TASKS, Backend
from models.registry import ALIASES, BACKENDS, DEFAULT_LOADER, Loader, Resolved, load, register, resolve

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
