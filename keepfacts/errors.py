"""Domain errors. Library code raises these; only the CLI edge turns them into a line and an exit code.

Exit codes (the public contract): 0 done; 1 a check failed; 2 bad usage or bad input; 130 interrupted
(Ctrl-C).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


class Interrupted(KeyboardInterrupt):
    """A batch stopped by Ctrl-C after writing (and flushing) what was done.

    `busy`: a model call was still running in the engine's thread; the process should leave at once
    (os._exit) rather than wait for it or finalize the interpreter under it.
    """

    def __init__(self, done: int, total: int, *, busy: bool = False) -> None:
        super().__init__(f"interrupted: {done} of {total} done")
        self.done = done
        self.total = total
        self.busy = busy


class KeepfactsError(Exception):
    """Base class: a message for one line on stderr, and the exit code it maps to."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(KeepfactsError):
    """Bad options or an impossible combination of them."""


class InputError(KeepfactsError):
    """An input cannot be read or is not usable text."""


class OutputError(KeepfactsError):
    """An output path cannot be written."""


class ModelError(KeepfactsError):
    """A model cannot be found, loaded or run."""


class ModelNotAvailable(ModelError):
    """A model is not in the local cache and cannot be downloaded (offline)."""


class LanguageError(KeepfactsError):
    """An unknown language code, or a pair no model supports."""


class CheckFailed(KeepfactsError):
    """A fact check failed (factcheck, or --strict)."""

    exit_code = EXIT_CHECK_FAILED
