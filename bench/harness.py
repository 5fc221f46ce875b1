"""Measuring helpers for bench/run.py: run a child process, time it, read its own peak memory.

Every figure comes from a child process: the parent times it (wall clock, perf_counter) and reads that
child's peak resident set size from os.wait4 (ru_maxrss of the child and whatever it waited for), so
each figure has its own memory peak, not the largest of the run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PROBES = ROOT / "bench" / "probes.py"
OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1"}


def venv_bin() -> Path:
    """The directory of the venv's python and console scripts (the one running this script)."""
    return Path(sys.executable).parent


def python() -> str:
    return sys.executable


def script(name: str) -> str:
    path = venv_bin() / name
    if not path.is_file():
        raise SystemExit(f"bench: {path} not found; run `make install` first")
    return str(path)


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def busy_cpu_seconds() -> float:
    """CPU seconds all cores have spent busy since boot (/proc/stat; 0 where there is none)."""
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            fields = [int(x) for x in handle.readline().split()[1:]]
    except (OSError, ValueError):
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / CLOCK_TICKS


def others_cores(seconds: float = 1.0) -> float:
    """Cores kept busy by everything else over the next `seconds` (this process sleeps meanwhile)."""
    before = busy_cpu_seconds()
    time.sleep(seconds)
    return max(0.0, busy_cpu_seconds() - before) / seconds


# (most cores others may use, longest wait per child run): set by run.py --settle; None = never wait.
SETTLE: tuple[float, float] | None = None
WAITED = [0.0]  # seconds spent waiting in settle() during this run


@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    returncode: int
    stdout: str
    stderr: str
    loadavg_after: list[float] = field(default_factory=list)
    # Cores other processes kept busy, on average, while this child ran (machine busy time minus the
    # child's own CPU time, over wall time): the noise in this figure.
    others_cores: float = 0.0
    waited_s: float = 0.0

    def json(self) -> dict[str, Any]:
        """The last line of stdout as JSON (what a probe prints)."""
        lines = [line for line in self.stdout.splitlines() if line.strip()]
        if not lines:
            raise RuntimeError(f"no output; stderr: {self.stderr[-2000:]}")
        result: dict[str, Any] = json.loads(lines[-1])
        return result


class ChildFailed(RuntimeError):
    pass


def run(
    argv: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
    stdin: str | None = None,
    check: bool = True,
    timeout: float = 1800,
) -> Run:
    """Run argv to completion; wall seconds, and the child's own peak RSS (os.wait4, ru_maxrss in KiB)."""
    full_env = {**os.environ, **OFFLINE, **(env or {})}
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8") as out,
        tempfile.TemporaryFile("w+", encoding="utf-8") as err,
        tempfile.TemporaryFile("w+", encoding="utf-8") as inp,
    ):
        if stdin is not None:
            inp.write(stdin)
            inp.seek(0)
        waited = settle()
        busy_before = busy_cpu_seconds()
        started = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdin=inp, stdout=out, stderr=err, env=full_env, cwd=cwd)
        killer = threading.Timer(timeout, proc.kill)  # a hung child ends the bench, not the machine
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        seconds = time.perf_counter() - started
        busy = busy_cpu_seconds() - busy_before
        own = usage.ru_utime + usage.ru_stime
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = Run(
            seconds=seconds,
            max_rss_mb=round(usage.ru_maxrss / 1024, 1),
            returncode=proc.returncode,
            stdout=out.read(),
            stderr=err.read(),
            loadavg_after=loadavg(),
            others_cores=round(max(0.0, busy - own) / max(seconds, 1e-9), 2),
            waited_s=round(waited, 1),
        )
    if check and result.returncode != 0:
        raise ChildFailed(
            f"{' '.join(argv)} exited {result.returncode}: {result.stderr.strip()[-2000:] or '(no stderr)'}"
        )
    return result


def settle() -> float:
    """With SETTLE set, wait (up to its patience) until other processes leave the cores nearly free."""
    if SETTLE is None:
        return 0.0
    max_cores, patience = SETTLE
    started = time.monotonic()
    while others_cores(0.5) > max_cores and time.monotonic() - started < patience:
        time.sleep(1.0)
    waited = time.monotonic() - started
    WAITED[0] += waited
    return waited


def probe(name: str, args: dict[str, Any], *, env: dict[str, str] | None = None) -> Run:
    return run([python(), str(PROBES), name, json.dumps(args)], env=env)


def interleaved(
    tasks: dict[str, Callable[[], Run]],
    rounds: int | dict[str, int],
    missing: dict[str, Any] | None = None,
) -> dict[str, list[Run]]:
    """Run the tasks round-robin (A, B, A, B, ...), so that a change in machine load hits all of them.

    With `missing`, a task whose child fails is dropped (missing[name] = {"missing": reason}) and the
    others go on; without it the failure propagates."""
    wanted = {name: rounds if isinstance(rounds, int) else rounds[name] for name in tasks}
    runs: dict[str, list[Run]] = {name: [] for name in tasks}
    for index in range(max(wanted.values(), default=0)):
        for name, task in tasks.items():
            if index >= wanted[name] or (missing is not None and name in missing):
                continue
            try:
                runs[name].append(task())
            except ChildFailed as error:
                if missing is None:
                    raise
                missing[name] = {"missing": " ".join(str(error).split())[-400:]}
    return runs


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.seconds)


def summary(runs: list[Run]) -> dict[str, Any]:
    """Best wall time, every run's wall time, the peak RSS over the runs, and how busy other processes
    kept the machine during the best run and during the runs overall."""
    chosen = best(runs)
    return {
        "seconds": round(chosen.seconds, 3),
        "runs": [round(r.seconds, 3) for r in runs],
        "max_rss_mb": max(r.max_rss_mb for r in runs),
        "others_cores": chosen.others_cores,
        "others_cores_max": max(r.others_cores for r in runs),
    }


def wait_for_idle(max_load: float, patience_s: float) -> list[float]:
    """Sleep while the 1-minute load average is above max_load, up to patience_s; the last load seen."""
    deadline = time.monotonic() + patience_s
    while True:
        now = loadavg()
        if now[0] <= max_load or time.monotonic() >= deadline:
            return now
        print(f"bench: load average {now[0]} > {max_load}; waiting", file=sys.stderr, flush=True)
        time.sleep(min(30.0, max(1.0, deadline - time.monotonic())))
