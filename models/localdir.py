"""What a local model directory holds: its kind (seq2seq or causal) and which weights it may load."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keepfacts.errors import ModelError

SAFE_WEIGHTS = ("*.safetensors",)
PICKLE_WEIGHTS = ("*.bin", "*.pt", "*.pth", "*.ckpt")


@dataclass(frozen=True)
class ModelDir:
    path: Path
    kind: str  # "seq2seq" or "causal"
    config: dict[str, Any]
    use_safetensors: bool
    weights: tuple[str, ...]


def inspect_dir(path: Path, *, allow_pickle: bool = False) -> ModelDir:
    """Check a model directory before any heavy import; every problem is one ModelError line."""
    if not path.is_dir():
        raise ModelError(f"no model directory at {path}")
    config_file = path / "config.json"
    if not config_file.is_file():
        raise ModelError(f"{path} is not a model directory: it has no config.json")
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(f"{config_file} is unreadable or not valid JSON ({type(error).__name__})") from error
    if not isinstance(config, dict) or "model_type" not in config:
        raise ModelError(f"{config_file} is not a transformers model config (no model_type)")
    safe = sorted(p.name for pattern in SAFE_WEIGHTS for p in path.glob(pattern))
    pickles = sorted(p.name for pattern in PICKLE_WEIGHTS for p in path.glob(pattern))
    if safe:
        use_safetensors, weights = True, safe
    elif pickles and allow_pickle:
        use_safetensors, weights = False, pickles
    elif pickles:
        raise ModelError(
            f"{path} has only pickle weights ({', '.join(pickles)}), which can run code when loaded; "
            "pass allow_pickle=True (--allow-pickle) if you trust its source, or convert it to safetensors"
        )
    else:
        raise ModelError(f"{path} has no model weights (no *.safetensors file)")
    kind = "seq2seq" if config.get("is_encoder_decoder") else "causal"
    return ModelDir(
        path=path, kind=kind, config=config, use_safetensors=use_safetensors, weights=tuple(weights)
    )
