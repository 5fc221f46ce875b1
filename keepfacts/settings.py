"""Settings shared by the pipelines, and the signature that says how a result was made."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from keepfacts import __version__
from keepfacts.models.base import ServerOptions


@dataclass(frozen=True)
class RuntimeSettings:
    """Where and how models run; not part of what a result means, so not in the signature."""

    device: str = "cpu"
    threads: int | None = None
    dtype: str | None = None
    server: ServerOptions | None = None  # where an openai:NAME model is served

    def load_options(self) -> dict[str, Any]:
        """The keyword arguments models.load() takes from these settings."""
        return {"device": self.device, "dtype": self.dtype, "threads": self.threads, "server": self.server}


def signature(kind: str, settings: Any) -> str:
    """A short, stable id of everything that changes an output: the job kind, its settings, our version.

    Records carry it; `--resume` only skips inputs done with the same signature.
    """
    payload = {"kind": kind, "version": __version__, "settings": _meaningful(settings)}
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]
    return f"{kind}/{__version__}/{digest}"


def _meaningful(settings: Any) -> dict[str, Any]:
    data = asdict(settings)
    data.pop("runtime", None)
    return data


__all__ = ["RuntimeSettings", "signature"]
