"""The regression suite end to end: factcheck over the seed and over what the commands wrote."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "khaama-ukraine-desertions.txt"
BIN = Path(sys.executable).parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"HF_HUB_OFFLINE": "1", "PATH": str(BIN) + ":/usr/bin:/bin"}
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)


def test_factcheck_passes_the_summary_the_command_wrote(tmp_path: Path) -> None:
    summary = tmp_path / "summary.txt"
    made = run(str(BIN / "summarize"), str(SEED), "--method", "extractive", "-o", str(summary), "-q")
    assert made.returncode == 0, made.stderr
    checked = run(str(BIN / "factcheck"), str(SEED), str(summary), "--format", "json")
    assert checked.returncode == 0, checked.stdout
    report = json.loads(checked.stdout)
    assert report["passed"] is True and not report["unsupported"] and not report["misattributed"]


@pytest.mark.skipif(shutil.which("apertium") is None, reason="apt-get unavailable: Apertium not installed")
def test_factcheck_finds_every_digit_figure_in_the_translation_the_command_wrote(tmp_path: Path) -> None:
    spanish = tmp_path / "seed.es.txt"
    made = run(str(BIN / "translate"), str(SEED), "--to", "es", "-o", str(spanish), "-q")
    assert made.returncode == 0, made.stderr
    checked = run(str(BIN / "factcheck"), str(SEED), str(spanish), "--lang", "es", "--format", "json")
    report = json.loads(checked.stdout)
    lost = [
        f["text"] for f in report["missing"] if f["kind"] == "figure" and any(c.isdigit() for c in f["text"])
    ]
    # Every figure is there in Spanish form ("100.000": the guard rewrote Apertium's "100,000", which a
    # reader in Spain takes for one hundred); what stays flagged is Apertium's garbled qualifier
    # ("encima 100.000" for "over 100,000"), a changed direction, not a changed amount or form.
    assert lost == [] and report["unsupported"] == []
    assert {c["part"] for c in report["changed"]} <= {"qualifier"}, report["changed"]
