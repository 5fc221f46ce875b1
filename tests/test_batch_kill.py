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

from keepfacts.outputs import MANIFEST_NAME

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


def run_command(*args: str, guard_delay: float = 0.0, model_delay: float = 0.0) -> subprocess.Popen[bytes]:
    """The real command (tests/cli_fakes.py: fake models through the real registry) as a subprocess."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    env["KEEPFACTS_FAKE_GUARD_DELAY"] = str(guard_delay)
    env["KEEPFACTS_FAKE_MODEL_DELAY"] = str(model_delay)
    return subprocess.Popen(
        [sys.executable, "-m", "tests.cli_fakes", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def write_articles(folder: Path, count: int) -> Path:
    folder.mkdir()
    for n in range(count):
        text = f"Police said {n + 12} people were hurt in Kabul on Monday. Officials said 300 fled.\n"
        (folder / f"art-{n:03d}.txt").write_text(text, "utf-8")
    return folder


@pytest.mark.slow
def test_summarize_writes_each_record_when_done_so_a_kill_loses_only_items_in_flight(tmp_path: Path) -> None:
    inputs = write_articles(tmp_path / "articles", ARTICLES)
    out = tmp_path / "out.jsonl"
    args = ("summarize", str(inputs), "--model", "fake:none", "-o", str(out), "-q")  # --batch-size 8
    job = run_command(*args, guard_delay=0.3)
    deadline = time.monotonic() + 60
    while complete_lines(out) < 2 and time.monotonic() < deadline and job.poll() is None:
        time.sleep(0.02)
    job.send_signal(signal.SIGKILL)
    job.communicate(timeout=30)
    assert job.returncode == -signal.SIGKILL, "the job must be killed mid-run, not finish"
    raw = out.read_bytes()
    first = [json.loads(line) for line in raw.decode("utf-8").splitlines()]  # every line complete JSON
    # the first batch is 8 documents: its records were written one by one, not all at its end
    assert 2 <= len(first) < 8
    assert all("output" in r and r["id"].startswith("art-") for r in first)

    resumed = run_command(*args, "--resume")
    _, stderr = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, stderr.decode()
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["id"] for r in records) == [f"art-{n:03d}" for n in range(ARTICLES)]
    assert records[: len(first)] == first  # what the killed run wrote stands, untouched


@pytest.mark.slow
@pytest.mark.parametrize("output", ["out.jsonl", "out/"])
def test_ctrl_c_stops_at_once_with_one_line_and_exit_130(tmp_path: Path, output: str) -> None:
    """SIGINT while the model is in a call that holds signals back (as native code does): the job stops
    within 2 s, keeps what is done, says so in one line, exits 130; --resume finishes the rest."""
    inputs = write_articles(tmp_path / "articles", ARTICLES)
    out = f"{tmp_path}/{output}"
    done_file = Path(out) / MANIFEST_NAME if output.endswith("/") else Path(out)
    args = (
        "translate",
        str(inputs),
        "--to",
        "es",
        "-o",
        out,
        "-q",
        "--batch-size",
        "4",
        "--model",
        "slow:none",
    )
    job = run_command(*args, model_delay=2.5)  # each model call: 2.5 s, SIGINT held back
    deadline = time.monotonic() + 60
    while complete_lines(done_file) < 1 and time.monotonic() < deadline and job.poll() is None:
        time.sleep(0.02)
    time.sleep(0.1)  # well inside the next model call
    job.send_signal(signal.SIGINT)
    sent = time.monotonic()
    _, stderr = job.communicate(timeout=30)
    took = time.monotonic() - sent
    assert job.returncode == 130, stderr.decode()
    assert took < 2.0, f"took {took:.1f} s to stop"
    records = [json.loads(line) for line in done_file.read_text(encoding="utf-8").splitlines()]
    assert 1 <= len(records) < ARTICLES and all("output" in r for r in records)
    [line] = stderr.decode().splitlines()
    assert line == (
        f"translate: interrupted: {len(records)} of {ARTICLES} done, written to {out}; --resume continues"
    )

    resumed = run_command(*args, "--resume")
    _, stderr = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, stderr.decode()
    ids = [json.loads(line)["id"] for line in done_file.read_text(encoding="utf-8").splitlines()]
    assert sorted(ids) == [f"art-{n:03d}" for n in range(ARTICLES)]
