"""The real `summarize` / `translate` commands on fake models, as a subprocess: `python -m tests.cli_fakes
summarize ARGS...`. A module (not a conftest) so that kill and Ctrl-C tests can run a whole command.

Fake models come only through the real registry (tests/fakes.py). Two more schemes make a run slow:
- `slow:CORRUPTION` (`slow:none`): every model call takes KEEPFACTS_FAKE_MODEL_DELAY seconds with SIGINT
  held back, the way a model's native code keeps Python's signal handler waiting until it returns (the
  delay is not in the model spec, so a resumed run with another delay has the same signature);
- KEEPFACTS_FAKE_GUARD_DELAY=SECONDS in the environment: the summary guard takes that long per document.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from typing import Any

from tests.fakes import FakeBackend, make_fake


class NativeSlowBackend(FakeBackend):
    """A fake whose generate() blocks like native code: a signal sent meanwhile acts only afterwards."""

    delay: float = 0.0

    def generate(self, texts: list[str], **settings: Any) -> list[list[str]]:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            time.sleep(self.delay)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
        return super().generate(texts, **settings)


def make_slow(arg: str, *, task: str, **options: Any) -> NativeSlowBackend:
    fake = make_fake(arg or "none", task=task)
    backend = NativeSlowBackend(corruptions=fake.corruptions, task=task, spec=f"slow:{arg}")
    backend.delay = float(os.environ.get("KEEPFACTS_FAKE_MODEL_DELAY") or 0)
    return backend


def _slow_guard(delay: float) -> None:
    import keepfacts.eval.guard as guard

    real = guard.guard_summary

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(delay)
        return real(*args, **kwargs)

    guard.guard_summary = slow  # type: ignore[assignment]


def main(argv: list[str]) -> None:
    from keepfacts import models

    models.register("fake", make_fake)
    models.register("slow", make_slow)
    delay = float(os.environ.get("KEEPFACTS_FAKE_GUARD_DELAY") or 0)
    if delay:
        _slow_guard(delay)
    command, args = argv[0], argv[1:]
    if command == "summarize":
        from keepfacts.summarize.cli import main as cli
    else:
        from keepfacts.translate.cli import main as cli
    cli.main(args=args, prog_name=command)


if __name__ == "__main__":
    main(sys.argv[1:])
