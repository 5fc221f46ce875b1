"""Shared pytest fixtures. Each block is owned by one part of the project; keep blocks separate."""

from __future__ import annotations

# --- models: tiny random models and the embedded model (owner: models/) ------------------------------
# Tiny BART / Marian / Llama directories are built once per session from the seed text (plumbing only:
# their output is noise). The embedded SmolLM2 is converted once per session into a private cache, so
# the suite never depends on (or writes to) the user's ~/.cache, and is loaded once.
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SEED_ARTICLE = Path(__file__).resolve().parent.parent / "seeds" / "khaama-ukraine-desertions.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def tiny_model_dirs(tmp_path_factory: pytest.TempPathFactory, seed_text: str) -> dict[str, Path]:
    """{'bart': dir, 'marian': dir, 'llama': dir}: tiny random models saved with save_pretrained."""
    from tiny_models import build_tiny_bart, build_tiny_llama, build_tiny_marian

    root = tmp_path_factory.mktemp("tiny-models")
    return {
        "bart": build_tiny_bart(root / "bart", seed_text),
        "marian": build_tiny_marian(root / "marian", seed_text),
        "llama": build_tiny_llama(root / "llama", seed_text),
    }


@pytest.fixture(scope="session")
def embedded_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A keepfacts cache directory for this session (set KEEPFACTS_CACHE to it to reuse the conversion)."""
    return tmp_path_factory.mktemp("keepfacts-cache")


@pytest.fixture(scope="session")
def embedded_cold(embedded_cache: Path) -> Iterator[dict[str, Any]]:
    """The embedded model converted cold into the session cache and loaded once: {backend, seconds, cache}."""
    from keepfacts.models import Loader

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KEEPFACTS_CACHE", str(embedded_cache))
        patch.setenv("HF_HUB_OFFLINE", "1")
        started = time.perf_counter()
        backend = Loader().load("embedded", task="summarize", runtime="transformers")
        seconds = time.perf_counter() - started
    yield {"backend": backend, "seconds": seconds, "cache": embedded_cache}


@pytest.fixture(scope="session")
def embedded_backend(embedded_cold: dict[str, Any]) -> Any:
    """The embedded SmolLM2 as `models.load("embedded")` gives it (CTranslate2 where installed, else
    transformers), loaded once per session from the session cache (task summarize; it translates too)."""
    from keepfacts.models import Loader

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KEEPFACTS_CACHE", str(embedded_cold["cache"]))
        patch.setenv("HF_HUB_OFFLINE", "1")
        return Loader().load("embedded", task="summarize")


@pytest.fixture
def offline_hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """HF_HUB_OFFLINE=1, an empty private hub cache (returned) and a private keepfacts cache."""
    from keepfacts.models import hub

    cache = tmp_path / "hf-hub"
    cache.mkdir()
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setenv("KEEPFACTS_CACHE", str(tmp_path / "keepfacts-cache"))
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    hub.PROBE.reset()
    yield cache
    hub.PROBE.reset()


# --- end of the models block --------------------------------------------------------------------------
