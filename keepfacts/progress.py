"""Progress of a batch on stderr: a tqdm bar on a terminal, plain lines elsewhere, nothing with --quiet.

- A terminal gets the bar whatever its window size: a pty without one (under `script`, some CI runners)
  reports 0x0, and tqdm draws nothing at that size, so the bar is 80 columns wide there (and follows
  the window where there is a size).
- Where stderr is no terminal (a CI log, nohup, a pipe) a line is printed at most every
  KEEPFACTS_PROGRESS_SECONDS (10 by default) as items finish: `summarize: 8/54 done, 2 failed, 0.8/s,
  ETA 58 s`; and when lines were printed, a last one with the time taken. A run shorter than that prints
  none.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable
from typing import IO, Any

INTERVAL_ENV = "KEEPFACTS_PROGRESS_SECONDS"
DEFAULT_INTERVAL = 10.0
FALLBACK_COLUMNS = 80
FALLBACK_ROWS = 24


class NoProgress:
    def update(self, n: int = 1, failed: bool = False) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Lines(NoProgress):
    """Plain progress lines for a log: counts, rate and ETA, at most every `interval` seconds."""

    def __init__(
        self,
        total: int,
        *,
        label: str,
        stream: IO[str] | None = None,
        interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        unit: str = "",
    ) -> None:
        self.total = total
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval_seconds() if interval is None else interval
        self.clock = clock
        self.unit = f" {unit}" if unit else ""
        self.started = self.last = clock()
        self.done = self.failed = 0
        self.printed = False
        self.finished = False

    def update(self, n: int = 1, failed: bool = False) -> None:
        self.done += n
        self.failed += bool(failed)
        now = self.clock()
        if self.done >= self.total:
            self._finish(now)
        elif self.done and now - self.last >= self.interval:
            elapsed = now - self.started
            rate = self.done / elapsed if elapsed > 0 else 0.0
            eta = f"ETA {math.ceil((self.total - self.done) / rate)} s" if rate > 0 else "ETA ? s"
            self._say(rate, eta)
            self.last = now

    def close(self) -> None:
        self._finish(self.clock())

    def _finish(self, now: float) -> None:
        if self.finished:
            return
        self.finished = True
        if self.printed:  # a short run stays silent; a long one says it is done, and how long it took
            elapsed = now - self.started
            rate = self.done / elapsed if elapsed > 0 else 0.0
            self._say(rate, f"{elapsed:.0f} s")

    def _say(self, rate: float, tail: str) -> None:
        speed = f"{rate:.1f}" if rate >= 0.1 or rate == 0 else f"{rate:.2g}"
        line = (
            f"{self.label}: {self.done}/{self.total}{self.unit} done, {self.failed} failed, {speed}/s, {tail}"
        )
        print(line, file=self.stream, flush=True)
        self.printed = True


class Bar(NoProgress):
    """tqdm's bar, as wide as the terminal, or FALLBACK_COLUMNS where the terminal reports no size."""

    def __init__(self, total: int, *, label: str, stream: IO[str] | None = None, unit: str = "item") -> None:
        from tqdm import tqdm

        stream = stream if stream is not None else sys.stderr
        columns = terminal_columns(stream)
        self.failed = 0
        self._bar: Any = tqdm(
            total=total,
            unit=unit,
            file=stream,
            dynamic_ncols=columns is not None,
            ncols=None if columns is not None else FALLBACK_COLUMNS,
            nrows=None if columns is not None else FALLBACK_ROWS,  # tqdm draws nothing with 0 rows either
            smoothing=0.1,
        )

    def update(self, n: int = 1, failed: bool = False) -> None:
        if failed:
            self.failed += 1
            self._bar.set_postfix_str(f"{self.failed} failed", refresh=False)
        self._bar.update(n)

    def close(self) -> None:
        self._bar.close()


def terminal_columns(stream: IO[str]) -> int | None:
    """The width of the terminal behind `stream`, or None where it reports none (0 columns) or has none."""
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError and a ValueError
        return None
    return columns if columns > 0 else None


def interval_seconds() -> float:
    try:
        value = float(os.environ.get(INTERVAL_ENV) or DEFAULT_INTERVAL)
    except ValueError:
        return DEFAULT_INTERVAL
    return value if value > 0 else DEFAULT_INTERVAL


def make_progress(
    total: int, *, label: str, show: bool | None, stream: IO[str] | None = None, unit: str = "article"
) -> NoProgress:
    """show: None = a bar on a terminal, plain lines elsewhere; True = a bar; False = nothing (--quiet).
    `unit` names the items for the bar ("article"); lines count them without it (`8/54 done`) unless
    it is not "article"."""
    stream = stream if stream is not None else sys.stderr
    if show is False:
        return NoProgress()
    isatty = getattr(stream, "isatty", None)
    if show or (callable(isatty) and isatty()):
        return Bar(total, label=label, stream=stream, unit=unit)
    return Lines(total, label=label, stream=stream, unit="" if unit == "article" else f"{unit}s")
