"""bench/: the benchmark's plumbing (the figures themselves come from `make bench`, not from tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUN, PROBES = ROOT / "bench" / "run.py", ROOT / "bench" / "probes.py"


def test_a_partial_quick_run_writes_results_and_prints_the_table(tmp_path: Path) -> None:
    output = tmp_path / "results.json"
    empty = tmp_path / "no-corpus"
    done = subprocess.run(
        [
            sys.executable,
            str(RUN),
            "--quick",
            "--only",
            "facts",
            "--corpus",
            str(empty),
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(output.read_text(encoding="utf-8"))
    facts = results["sections"]["facts"]
    assert results["mode"] == "quick" and results["failed"] == {}
    assert "variants of the seed" in results["articles"]  # no corpus: the seed, rotated
    assert facts["articles"] == 3 and facts["extract_per_s"] > 0 and facts["max_rss_mb"] > 0
    assert "| fact engine: extract() |" in done.stdout


def test_the_committed_results_hold_every_headline_figure() -> None:
    """bench/results.json is the README's table: every figure issue 7 names is in it, from a full run."""
    sys.path.insert(0, str(ROOT))
    from bench.run import table

    results = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))
    figures = results["figures"]
    assert results["mode"] == "full" and results["failed"] == {}
    for name in (
        "startup_ratio",
        "batch_speedup",
        "ct2_over_transformers_tokens_per_s",
        "ct2_over_transformers_opus_mt_shape",
        "ct2_over_transformers_distilbart_shape",
        "seed_summary_seconds",
    ):
        assert isinstance(figures[name], (int, float)), name
    rendered = table(results)
    assert f"**{figures['batch_speedup']}x**" in rendered and f"**{figures['startup_ratio']}**" in rendered


@pytest.mark.slow
@pytest.mark.parametrize(("runtime", "prefix"), [("transformers", "embedded:"), ("ct2", "ct2:embedded:")])
def test_the_load_probe_loads_the_runtime_it_is_asked_for(
    embedded_cold: dict[str, Any], runtime: str, prefix: str
) -> None:
    env = {**os.environ, "KEEPFACTS_CACHE": str(embedded_cold["cache"]), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, str(PROBES), "load", json.dumps({"runtime": runtime})],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1])["spec"].startswith(prefix)
