"""A batch killed with SIGKILL mid-run, then resumed: exactly one valid record per input, none torn."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTICLES = 10


def run_job(out: Path, inputs: Path, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.batch_fakes", str(out), str(inputs), *extra],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def complete_lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


@pytest.mark.slow
def test_sigkill_mid_run_then_resume_gives_exactly_one_record_per_input(tmp_path: Path) -> None:
    inputs = tmp_path / "articles"
    inputs.mkdir()
    for n in range(ARTICLES):
        (inputs / f"article-{n:02d}.txt").write_text(f"Article {n}: over 100,000 were charged.\n", "utf-8")
    out = tmp_path / "out.jsonl"

    job = run_job(out, inputs, "--delay", "0.25", "--batch-size", "2")
    deadline = time.monotonic() + 60
    while complete_lines(out) < 3 and time.monotonic() < deadline and job.poll() is None:
        time.sleep(0.02)
    job.send_signal(signal.SIGKILL)
    job.communicate(timeout=30)  # also closes its pipes
    assert job.returncode == -signal.SIGKILL, "the job must be killed mid-run, not finish"
    written_before = complete_lines(out)
    assert 3 <= written_before < ARTICLES

    resumed = run_job(out, inputs, "--delay", "0.0", "--resume")
    _, stderr = resumed.communicate(timeout=60)
    assert resumed.returncode == 0, stderr.decode()
    assert f"skipped={written_before}" in stderr.decode()

    raw = out.read_bytes()
    assert raw.endswith(b"\n")
    records = [json.loads(line) for line in raw.decode("utf-8").splitlines()]  # every line valid JSON
    ids = [r["id"] for r in records]
    assert sorted(ids) == [f"article-{n:02d}" for n in range(ARTICLES)]  # exactly ten, none doubled
    assert all(r["output"].startswith("ARTICLE ") and r["signature"] == "fake/1" for r in records)
