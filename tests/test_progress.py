"""Progress on stderr: a tqdm bar on any terminal, even one without a window size (`script`, some CI
runners' ptys: the bar used to be invisible there), and plain lines where stderr is no terminal (CI logs,
nohup, a pipe), never with --quiet. The commands run whole, in subprocesses, on fake models registered
through the real registry (tests/cli_fakes.py)."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from keepfacts.progress import Lines, make_progress

REPO = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^summarize: (\d+)/(\d+) done, (\d+) failed, (\d+(?:\.\d+)?)/s, (ETA \d+ s|\d+ s)$")


def articles(folder: Path, n: int, empty: int = 0) -> Path:
    folder.mkdir()
    for i in range(n):
        text = "  \n" if i < empty else f"Officials said {i + 1},000 people left on Monday. " * 3
        (folder / f"a{i}.txt").write_text(text, encoding="utf-8")
    return folder


def command(inputs: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "tests.cli_fakes", "summarize", str(inputs), "-o", str(out), *extra]


def environment(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1", **extra}


def run_in_pty(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run with stdin, stdout and stderr on a new pty, whose window size is 0x0 (as under `script`)."""
    master, slave = pty.openpty()
    job = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, cwd=REPO, env=env, close_fds=True)
    os.close(slave)
    output = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed its side
                break
            if not chunk:
                break
            output += chunk
        elif job.poll() is not None:
            break
    os.close(master)
    return job.wait(timeout=30), output.decode("utf-8", "replace")


def test_a_terminal_without_a_window_size_still_gets_the_bar(tmp_path: Path) -> None:
    inputs = articles(tmp_path / "in", 3)
    out = tmp_path / "out.jsonl"
    code, output = run_in_pty(command(inputs, out, "--method", "extractive"), environment())
    assert code == 0, output
    assert "3/3" in output and "article" in output, output
    assert not LINE.search(output.replace("\r", "\n")), "a terminal gets the bar, not plain lines"
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3


def test_quiet_draws_no_bar_on_a_terminal(tmp_path: Path) -> None:
    inputs = articles(tmp_path / "in", 3)
    code, output = run_in_pty(
        command(inputs, tmp_path / "out.jsonl", "--method", "extractive", "-q"), environment()
    )
    assert code == 0
    assert "3/3" not in output and "article" not in output


def test_a_pipe_gets_plain_lines_with_counts_rate_and_eta(tmp_path: Path) -> None:
    inputs = articles(tmp_path / "in", 6, empty=1)
    out = tmp_path / "out.jsonl"
    env = environment(KEEPFACTS_PROGRESS_SECONDS="0.2", KEEPFACTS_FAKE_MODEL_DELAY="0.3")
    args = command(inputs, out, "--model", "slow:none", "--method", "model", "--batch-size", "1")
    done = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr  # one input was empty: its error record, exit 2
    assert "\r" not in done.stderr  # no bar
    lines = [m for m in map(LINE.match, done.stderr.splitlines()) if m]
    assert len(lines) >= 2, done.stderr
    assert all(m.group(2) == "6" for m in lines)
    counts = [int(m.group(1)) for m in lines]
    assert counts == sorted(counts) and counts[-1] == 6
    assert lines[-1].group(3) == "1"  # the empty input
    assert lines[-1].group(5).endswith(" s") and not lines[-1].group(5).startswith("ETA")  # the last: time
    assert any(m.group(5).startswith("ETA") for m in lines[:-1])
    assert len(out.read_text(encoding="utf-8").splitlines()) == 6


def test_quiet_prints_no_lines_on_a_pipe(tmp_path: Path) -> None:
    inputs = articles(tmp_path / "in", 4)
    env = environment(KEEPFACTS_PROGRESS_SECONDS="0.1", KEEPFACTS_FAKE_MODEL_DELAY="0.3")
    args = command(
        inputs, tmp_path / "o.jsonl", "--model", "slow:none", "--method", "model", "--batch-size", "1"
    )
    done = subprocess.run([*args, "-q"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_plain_lines_every_few_seconds_with_rate_and_eta() -> None:
    clock, stream = Clock(), io.StringIO()
    lines = Lines(54, label="summarize", stream=stream, interval=5.0, clock=clock)
    for n in range(8):
        clock.now += 1.0
        lines.update(failed=n in (2, 5))
    clock.now += 2.0  # 5 s after the first line: 8 done in 10 s, 0.8/s; 46 to go: 58 s (rounded up)
    lines.update(0)
    assert stream.getvalue().splitlines() == [
        "summarize: 5/54 done, 1 failed, 1.0/s, ETA 49 s",  # the first line after 5 s
        "summarize: 8/54 done, 2 failed, 0.8/s, ETA 58 s",
    ]


def test_a_run_shorter_than_the_interval_prints_nothing() -> None:
    clock, stream = Clock(), io.StringIO()
    lines = Lines(3, label="summarize", stream=stream, interval=5.0, clock=clock)
    for _ in range(3):
        clock.now += 0.5
        lines.update()
    lines.close()
    assert stream.getvalue() == ""


def test_the_last_line_gives_the_time_taken_once_lines_were_printed() -> None:
    clock, stream = Clock(), io.StringIO()
    with Lines(2, label="factcheck", stream=stream, interval=1.0, clock=clock, unit="pairs") as lines:
        clock.now += 2.0
        lines.update()
        clock.now += 2.0
        lines.update(failed=True)
    assert stream.getvalue().splitlines() == [
        "factcheck: 1/2 pairs done, 0 failed, 0.5/s, ETA 2 s",
        "factcheck: 2/2 pairs done, 1 failed, 0.5/s, 4 s",
    ]


def test_make_progress_picks_the_bar_on_a_terminal_lines_elsewhere_and_nothing_when_quiet() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert type(make_progress(3, label="x", show=None, stream=io.StringIO())).__name__ == "Lines"
    assert type(make_progress(3, label="x", show=None, stream=Terminal())).__name__ == "Bar"
    assert type(make_progress(3, label="x", show=False, stream=Terminal())).__name__ == "NoProgress"
    assert type(make_progress(3, label="x", show=True, stream=io.StringIO())).__name__ == "Bar"


def test_factcheck_pairs_prints_plain_lines_on_a_pipe_and_none_when_quiet(tmp_path: Path) -> None:
    """`factcheck --pairs` draws the same progress as summarize and translate: lines where stderr is a
    pipe (here every 0 s: a line for each pair after the first), then its own last count line."""
    pairs = tmp_path / "pairs.jsonl"
    source = "Officials said 3,000 people left on Monday, the ministry reported."
    pairs.write_text(
        "".join(json.dumps({"id": f"p{i}", "source": source, "output": source}) + "\n" for i in range(3))
        + "not json\n",
        encoding="utf-8",
    )
    code = "from keepfacts.eval.cli import main; main()"
    env = environment(KEEPFACTS_PROGRESS_SECONDS="0.000001")
    args = [sys.executable, "-c", code, "--pairs", str(pairs), "-o", str(tmp_path / "r.jsonl")]
    done = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr  # the bad record
    lines = done.stderr.splitlines()
    assert lines[-1] == "factcheck: 4 pairs, 3 passed, 0 failed, 1 errors"
    progress = [line for line in lines if re.match(r"factcheck: \d/4 pairs done, ", line)]
    assert progress and progress[-1].startswith("factcheck: 4/4 pairs done, 1 failed, ")
    quiet = subprocess.run([*args, "-q"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert quiet.stderr == ""
