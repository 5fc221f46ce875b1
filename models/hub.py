"""The Hugging Face hub: is it reachable, is a model in the local cache, and fetching one when online.

Offline is the normal case here. Reachability is decided fast: `HF_HUB_OFFLINE=1` means offline without
asking; otherwise one TCP connection to the hub host with a short timeout, run in a daemon thread so a
slow DNS lookup cannot hang the caller either. The answer is remembered by a `HubProbe` object.

The local cache is read through huggingface_hub's own API (`snapshot_download(local_files_only=True)`,
`scan_cache_dir`), never by walking its layout here; only its location is read here, at call time.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from keepfacts.errors import ModelError, ModelNotAvailable

PROBE_TIMEOUT_S = 2.0
_TRUE = {"1", "true", "yes", "on"}
# Files a model needs: config, tokenizer, generation config, safetensors weights (pickles only on request).
_SAFE_PATTERNS = ["*.json", "*.safetensors", "*.model", "*.txt", "*.jinja", "*.spm", "*.tiktoken"]
_PICKLE_PATTERNS = ["*.bin", "*.pt", "*.pth"]


def offline_by_env() -> bool:
    return any(
        os.environ.get(name, "").strip().lower() in _TRUE
        for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    )


def hub_host() -> str:
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    return urlparse(endpoint).hostname or "huggingface.co"


@dataclass
class HubProbe:
    """Remembers whether the hub answered, for `ttl` seconds (a CLI run asks at most once)."""

    timeout: float = PROBE_TIMEOUT_S
    ttl: float = 300.0
    _answer: tuple[float, bool, str] | None = field(default=None, repr=False)

    def status(self) -> tuple[bool, str]:
        """(reachable, reason). The reason is short text for a one-line message."""
        if offline_by_env():
            return False, "HF_HUB_OFFLINE=1"
        now = time.monotonic()
        if self._answer is not None and now - self._answer[0] < self.ttl:
            return self._answer[1], self._answer[2]
        reachable, reason = _connect(hub_host(), self.timeout)
        self._answer = (now, reachable, reason)
        return reachable, reason

    def reset(self) -> None:
        self._answer = None


def _connect(host: str, timeout: float) -> tuple[bool, str]:
    outcome: list[tuple[bool, str]] = []

    def attempt() -> None:
        try:
            with socket.create_connection((host, 443), timeout=timeout):
                outcome.append((True, f"{host} reachable"))
        except OSError as error:
            outcome.append((False, f"{host}: {error.strerror or type(error).__name__}"))

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(timeout + 0.5)
    return outcome[0] if outcome else (False, f"{host}: no answer within {timeout:g} s")


# The process-wide probe: explicit, resettable (tests call PROBE.reset()).
PROBE = HubProbe()


def hf_cache_dir() -> Path:
    """The hub cache, read from the environment at call time (huggingface_hub.constants reads it once, at
    import; tests and long-lived processes move it later), with huggingface_hub's precedence."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    if os.environ.get("HUGGINGFACE_HUB_CACHE"):
        return Path(os.environ["HUGGINGFACE_HUB_CACHE"])
    home = os.environ.get("HF_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "huggingface"
    )
    return Path(home) / "hub"


def how_to_get(model_id: str) -> str:
    return f"on a connected machine run `hf download {model_id}` or pass a local directory with --model"


@dataclass(frozen=True)
class Snapshot:
    path: Path
    revision: str | None


def cached_snapshot(model_id: str) -> Snapshot | None:
    """The model's directory in the local hub cache, if a usable copy (config and weights) is there."""
    return _lookup(model_id)[0]


def _lookup(model_id: str) -> tuple[Snapshot | None, str]:
    """(the usable cached snapshot or None, why not: words after the model id for a one-line message).

    huggingface_hub reads its own cache, without the network: `snapshot_download(local_files_only=True)`
    resolves refs/main and refuses a snapshot its cached tree listing shows to be incomplete (an interrupted
    download); failing that, `scan_cache_dir` gives the other cached revisions, newest first (a model
    downloaded by commit has no refs/main). A snapshot is usable with a config.json and weights.
    """
    from huggingface_hub.file_download import repo_folder_name

    cache = hf_cache_dir()
    absent = "is not in the local cache"
    if not (cache / repo_folder_name(repo_id=model_id, repo_type="model")).is_dir():
        return None, absent  # the common case: answered without a scan
    main, incomplete = _main_snapshot(model_id, cache)
    if main is not None and not incomplete and _usable(main):
        return Snapshot(path=main, revision=main.name), ""
    for path in _other_revisions(model_id, cache, skip=main):
        if _usable(path):
            return Snapshot(path=path, revision=path.name), ""
    if incomplete:
        return None, f"is only partly in the local cache (an interrupted download: {incomplete} missing)"
    return None, absent


def _main_snapshot(model_id: str, cache: Path) -> tuple[Path | None, str]:
    """(refs/main's snapshot directory or None, the files it lacks when known to be incomplete, else "")."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import IncompleteSnapshotError, LocalEntryNotFoundError

    try:
        path = snapshot_download(
            model_id, cache_dir=str(cache), local_files_only=True, allow_patterns=_SAFE_PATTERNS
        )
    except IncompleteSnapshotError as error:
        found = re.search(r"missing \(([^)]*)\)", str(error))
        return Path(error.snapshot_path), found.group(1) if found else "some files"
    except (LocalEntryNotFoundError, ValueError, OSError):  # no refs/main, an invalid id, an unreadable cache
        return None, ""
    return (Path(path), "") if isinstance(path, str) else (None, "")


def _other_revisions(model_id: str, cache: Path, *, skip: Path | None) -> list[Path]:
    from huggingface_hub import CacheNotFound, scan_cache_dir

    try:
        info = scan_cache_dir(cache)
    except (CacheNotFound, OSError):
        return []
    skipped = skip.resolve() if skip is not None else None
    revisions = [
        revision
        for repo in info.repos
        if repo.repo_type == "model" and repo.repo_id == model_id
        for revision in repo.revisions
        if revision.snapshot_path.resolve() != skipped
    ]
    return [r.snapshot_path for r in sorted(revisions, key=lambda r: r.last_modified, reverse=True)]


def cached_model_ids() -> list[str]:
    """The hub ids of the models with a usable snapshot in the local cache (through huggingface_hub's
    `scan_cache_dir`), sorted; empty when there is no cache."""
    from huggingface_hub import CacheNotFound, scan_cache_dir

    cache = hf_cache_dir()
    if not cache.is_dir():
        return []
    try:
        info = scan_cache_dir(cache)
    except (CacheNotFound, OSError):
        return []
    ids = {repo.repo_id for repo in info.repos if repo.repo_type == "model"}
    return sorted(model_id for model_id in ids if cached_snapshot(model_id) is not None)


def _usable(path: Path) -> bool:
    return (path / "config.json").is_file() and any(
        any(path.glob(pattern)) for pattern in ("*.safetensors", "*.bin")
    )


def is_available(model_id: str, probe: HubProbe = PROBE) -> tuple[bool, str]:
    """(usable, reason): in the local cache, or downloadable because the hub answers."""
    cached, why = _lookup(model_id)
    if cached is not None:
        return True, f"{model_id} is in the local Hugging Face cache"
    reachable, reason = probe.status()
    if reachable:
        return True, f"{model_id} can be downloaded from the hub"
    return False, f"{model_id} {why} and the hub cannot be reached ({reason})"


def snapshot(model_id: str, *, allow_pickle: bool = False, probe: HubProbe = PROBE) -> Snapshot:
    """A local directory for a hub model: the cached copy, or a download when the hub is reachable."""
    cached, why = _lookup(model_id)
    if cached is not None:
        return cached
    reachable, reason = probe.status()
    if not reachable:
        raise ModelNotAvailable(
            f"model '{model_id}' {why} and the Hugging Face hub cannot be reached "
            f"({reason}); {how_to_get(model_id)}"
        )
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

    patterns = _SAFE_PATTERNS + (_PICKLE_PATTERNS if allow_pickle else [])
    try:
        path = snapshot_download(model_id, cache_dir=str(hf_cache_dir()), allow_patterns=patterns)
    except RepositoryNotFoundError as error:
        raise ModelNotAvailable(f"model '{model_id}' does not exist on the Hugging Face hub") from error
    except (HfHubHTTPError, OSError) as error:
        raise ModelNotAvailable(
            f"model '{model_id}' could not be downloaded: {str(error).splitlines()[0]}"
        ) from error
    except Exception as error:  # any other failure of the client: still one line, never a traceback
        raise ModelError(f"model '{model_id}' could not be downloaded: {type(error).__name__}") from error
    return Snapshot(path=Path(path), revision=Path(path).name)
