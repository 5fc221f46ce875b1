"""Headless Chromium for the review page's tests and scripts: the dumped DOM, the console, a screenshot.

Debian's `chromium` (make install's `chromium` target). Each run gets a profile directory of its own, so
runs in parallel never share one. Console messages (console.*, uncaught errors, CSP violations) come from
`--enable-logging=stderr --v=0`, as lines holding ":CONSOLE".
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = shutil.which("chromium")
MISSING = "chromium is not installed (make install gets Debian's chromium package where apt-get exists)"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0"]


@dataclass
class Rendered:
    dom: str
    console: list[str]
    seconds: float


def _run(args: list[str], timeout: float) -> tuple[subprocess.CompletedProcess[str], float]:
    if CHROMIUM is None:
        raise RuntimeError(MISSING)
    with tempfile.TemporaryDirectory(prefix="keepfacts-chromium-") as profile:
        started = time.perf_counter()
        done = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        return done, time.perf_counter() - started


def url(page: Path, fragment: str = "") -> str:
    return page.resolve().as_uri() + (f"#{fragment}" if fragment else "")


def dump_dom(address: str, timeout: float = 120) -> Rendered:
    """The DOM after load (and after the page's script ran), and the console lines."""
    done, seconds = _run(["--dump-dom", address], timeout)
    if done.returncode != 0:
        raise RuntimeError(f"chromium exited {done.returncode}: {done.stderr[-2000:]}")
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return Rendered(done.stdout, console, seconds)


def screenshot(address: str, png: Path, size: str = "1280,2000", timeout: float = 120) -> float:
    done, seconds = _run(
        [f"--screenshot={png}", f"--window-size={size}", "--hide-scrollbars", address], timeout
    )
    if done.returncode != 0 or not png.exists():
        raise RuntimeError(f"chromium made no screenshot (exit {done.returncode}): {done.stderr[-2000:]}")
    return seconds
