"""Domain errors. Library code raises these; only the CLI edge turns them into a line and an exit code.

Exit codes (the public contract): 0 done; 1 a check failed; 2 bad usage or bad input.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2


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
