"""Apertium: open rule-based translation through the Debian `apertium` binary (offline, CPU, fast).

One `apertium` process per batch: the texts are joined with a unique separator line that Apertium passes
through untouched, and the output is split on it again (checked; on any mismatch each text is translated
on its own). By default unknown-word marks are off (`apertium -u`); `mark_unknown=True` returns the raw
output, where `*word` marks a word Apertium did not know (kept untranslated).
"""

from __future__ import annotations

import functools
import re
import secrets
import shutil
import subprocess
from typing import Any

from keepfacts.errors import LanguageError, ModelError, ModelNotAvailable, UsageError
from keepfacts.models.base import check_settings, first_line

SETTINGS = frozenset({"mark_unknown"})
TIMEOUT_S = 300
# ISO 639-1 -> ISO 639-3 codes Apertium uses in mode names (a small table: only languages Apertium has).
ISO3 = {
    "en": "eng", "es": "spa", "ca": "cat", "fr": "fra", "pt": "por", "it": "ita", "gl": "glg", "oc": "oci",
    "eu": "eus", "ro": "ron", "eo": "epo", "nb": "nob", "nn": "nno", "da": "dan", "sv": "swe", "is": "isl",
    "br": "bre", "cy": "cym", "ga": "gle", "ar": "ara", "mt": "mlt", "de": "deu", "nl": "nld", "af": "afr",
    "ru": "rus", "uk": "ukr", "be": "bel", "kk": "kaz", "tt": "tat", "hi": "hin", "ur": "urd", "id": "ind",
    "ms": "msa", "sq": "sqi", "mk": "mkd", "bg": "bul", "sr": "srp", "hr": "hrv", "bs": "bos", "sl": "slv",
    "an": "arg", "ast": "ast", "sc": "srd", "co": "cos", "fo": "fao", "se": "sme", "ky": "kir", "tr": "tur",
}  # fmt: skip
INSTALL_HINT = "apt-get install apertium apertium-eng-spa apertium-eng-cat"


def binary() -> str | None:
    return shutil.which("apertium")


@functools.lru_cache(maxsize=4)
def installed_modes(executable: str | None = None) -> tuple[str, ...]:
    """Modes `apertium -l` lists (e.g. eng-spa, eng-cat); empty when Apertium is missing."""
    executable = executable or binary()
    if not executable:
        return ()
    try:
        listing = subprocess.run([executable, "-l"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(sorted(line.strip() for line in listing.stdout.splitlines() if line.strip()))


_ISO1 = {three: one for one, three in ISO3.items()}
LIST_HINT = "`translate --list-pairs` lists what works here"


def mode_pair(mode: str) -> tuple[str, str]:
    """The (source, target) languages of a mode, as ISO 639-1 codes where there is one: "eng-cat_valencia"
    -> ("en", "ca")."""
    a, _, b = mode.partition("-")
    b = b.split("_")[0]
    return _ISO1.get(a, a), _ISO1.get(b, b)


def installed_pairs(executable: str | None = None) -> tuple[tuple[str, str], ...]:
    """The language pairs the installed modes translate (a pair's variants, such as eng-cat_valencia,
    count once), sorted."""
    return tuple(sorted({mode_pair(mode) for mode in installed_modes(executable)}))


def _pairs_text(executable: str | None = None) -> str:
    """Short text for a one-line error: "it translates ca->en, en->ca, en->es, es->en"."""
    pairs = installed_pairs(executable)
    return f"it translates {', '.join(f'{a}->{b}' for a, b in pairs)}" if pairs else "it has no modes"


def mode_for(src: str, tgt: str) -> str | None:
    """The installed mode translating src -> tgt (ISO 639-1 or -3 codes), or None."""
    modes = installed_modes()
    a, b = ISO3.get(src, src), ISO3.get(tgt, tgt)
    mode = f"{a}-{b}"
    return mode if mode in modes else None


def package_for(mode: str) -> str:
    a, _, b = mode.partition("-")
    return f"apertium-{a}-{b.split('_')[0]}"


class ApertiumBackend:
    """Rule-based translation; `mode=None` picks the mode per call from src_lang/tgt_lang."""

    def __init__(self, mode: str | None, executable: str) -> None:
        self.mode = mode
        self.executable = executable
        self.spec = f"apertium:{mode}" if mode else "apertium"
        self.max_input_tokens = 100_000  # no context window; this only bounds one input's size
        self.info: dict[str, Any] = {
            "model": self.spec,
            "kind": "apertium",
            "runtime": "apertium",
            "mode": mode,
            "binary": executable,
            "versions": _versions(executable, mode),
        }

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def generate(self, texts: list[str], **settings: Any) -> list[list[str]]:
        check_settings(settings, SETTINGS)
        mode = self._mode(settings)
        flags = [] if settings.get("mark_unknown") else ["-u"]
        results = [[""] for _ in texts]
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if not todo:
            return results
        outputs = self._translate_joined([texts[i] for i in todo], mode, flags)
        for i, output in zip(todo, outputs, strict=True):
            results[i] = [output.strip()]
        return results

    def _mode(self, settings: dict[str, Any]) -> str:
        if self.mode:
            return self.mode
        src, tgt = settings.get("src_lang") or "en", settings.get("tgt_lang")
        if not tgt:
            raise UsageError("apertium needs tgt_lang (or a fixed mode such as apertium:eng-spa)")
        mode = mode_for(src, tgt)
        if mode is None:
            raise LanguageError(f"apertium has no {src}->{tgt} mode here ({_pairs_text()}); {LIST_HINT}")
        return mode

    def _translate_joined(self, texts: list[str], mode: str, flags: list[str]) -> list[str]:
        if len(texts) == 1:
            return [self._run(texts[0], mode, flags)]
        nonce = _nonce(texts)
        separator = f"§§ {nonce} §§."  # the stop makes the next text start a sentence, as it does alone
        joined = "\n".join(f"{text}\n{separator}" for text in texts[:-1]) + "\n" + texts[-1]
        parts = re.split(rf"\n?[ \t]*§§ {nonce} §§\.[ \t]*\n?", self._run(joined, mode, flags))
        if len(parts) == len(texts):
            return parts
        return [self._run(text, mode, flags) for text in texts]  # the separator was disturbed: one by one

    def _run(self, text: str, mode: str, flags: list[str]) -> str:
        try:
            done = subprocess.run(
                [self.executable, *flags, mode],
                input=text,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise ModelError(f"apertium {mode} did not finish within {TIMEOUT_S} s") from error
        except OSError as error:
            raise ModelError(f"cannot run apertium: {first_line(error)}") from error
        if done.returncode != 0:
            detail = (done.stderr or "").strip().splitlines()
            raise ModelError(f"apertium {mode} failed: {detail[0] if detail else f'exit {done.returncode}'}")
        return done.stdout


def _nonce(texts: list[str]) -> str:
    while True:
        nonce = str(10_000_000 + secrets.randbelow(89_999_999))
        if not any(nonce in text for text in texts):
            return nonce


def _versions(executable: str, mode: str | None) -> dict[str, str]:
    found = {}
    packages = ["apertium"] + ([package_for(mode)] if mode else [])
    try:
        listing = subprocess.run(
            ["dpkg-query", "-W", "-f", "${Package} ${Version}\n", *packages],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        for line in listing.stdout.splitlines():
            name, _, version = line.partition(" ")
            if version:
                found[name] = version
    except (OSError, subprocess.SubprocessError):
        pass
    return found


def load_apertium(arg: str = "", *, task: str = "translate", **_options: Any) -> ApertiumBackend:
    """Factory for the `apertium` scheme: `apertium:eng-spa`, or `apertium` (mode chosen per call)."""
    if task != "translate":
        raise ModelError(f"apertium only translates; it cannot {task}")
    executable = binary()
    if not executable:
        raise ModelNotAvailable(f"apertium is not installed; run `{INSTALL_HINT}`")
    mode = arg.strip() or None
    if mode is not None and mode not in installed_modes(executable):
        raise ModelNotAvailable(
            f"apertium mode {mode!r} is not installed ({_pairs_text(executable)}); "
            f"run `apt-get install apertium {package_for(mode)}`; {LIST_HINT}"
        )
    return ApertiumBackend(mode, executable)
