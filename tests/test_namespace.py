"""keepfacts installs one top-level import name; users' own eval.py, models.py, ... never shadow it."""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "khaama-ukraine-desertions.txt"


def test_only_keepfacts_is_a_top_level_name_of_this_distribution() -> None:
    names = {
        name for name, dists in importlib.metadata.packages_distributions().items() if "keepfacts" in dists
    }
    assert names == {"keepfacts"}


def test_the_subpackages_live_in_the_design_cards_folders() -> None:
    for folder in ("eval", "models", "summarize", "translate"):
        module = importlib.import_module(
            f"keepfacts.{folder}.cli" if folder != "models" else "keepfacts.models.registry"
        )
        assert Path(module.__file__ or "").resolve().parent == ROOT / folder


# The installed `summarize` console script, run in-process with the user's folder first on sys.path (as
# `python app.py` from that folder would have it): their modules must not replace keepfacts' own.
_RUN_ENTRY_POINT = """
import runpy, sys
script = sys.argv[1]
sys.path.insert(0, ".")
sys.argv = ["summarize", sys.argv[2], "--method", "extractive", "--max-words", "40"]
runpy.run_path(script, run_name="__main__")
"""


def test_summarize_runs_beside_user_modules_named_like_ours(tmp_path: Path) -> None:
    for name in ("eval", "models", "summarize", "translate"):
        (tmp_path / f"{name}.py").write_text(f"raise ImportError('the user module {name}.py was imported')\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", _RUN_ENTRY_POINT, str(Path(sys.executable).parent / "summarize"), str(SEED)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**env, "HF_HUB_OFFLINE": "1"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "100,000" in result.stdout
    assert "user module" not in result.stderr
