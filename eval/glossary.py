"""Accepted renderings of names and source nouns in other languages: a small built-in glossary plus a
user file (JSON like eval/data/glossary.json, or TSV lines `term<TAB>lang<TAB>rendering`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from keepfacts.errors import InputError
from keepfacts.languages import base_language


@dataclass
class Glossary:
    """term (lowercase) -> lang -> renderings; lang "*" applies to every language."""

    terms: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def add(self, term: str, lang: str, rendering: str) -> None:
        # Outputs are looked up by their base language ("pt" for pt-BR): "pt-BR" or "por" here means pt.
        lang = lang if lang == "*" else base_language(lang)
        renderings = self.terms.setdefault(term.lower(), {}).setdefault(lang, [])
        if rendering not in renderings:
            renderings.append(rendering)

    def merge(self, data: dict[str, dict[str, list[str]]]) -> None:
        for term, by_lang in data.items():
            for lang, renderings in by_lang.items():
                for rendering in [renderings] if isinstance(renderings, str) else renderings:
                    self.add(term, lang, rendering)

    def forms(self, text: str, lang: str) -> list[str]:
        """Renderings in `lang` of every glossary term that occurs in `text` (case-insensitive)."""
        lowered = text.lower()
        out: list[str] = []
        for term, by_lang in self.terms.items():
            if term in lowered:
                out.extend(by_lang.get(lang, []))
                out.extend(by_lang.get("*", []))
        return out


def _builtin() -> dict[str, dict[str, list[str]]]:
    raw = resources.files("keepfacts.eval").joinpath("data/glossary.json").read_text(encoding="utf-8")
    terms: dict[str, dict[str, list[str]]] = json.loads(raw)["terms"]
    return terms


def load_glossary(path: str | None) -> Glossary:
    """The built-in glossary, plus the entries of a user file when `path` is given."""
    glossary = Glossary()
    glossary.merge(_builtin())
    if path is None:
        return glossary
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read glossary {path}: {exc.strerror or exc}") from exc
    if file.suffix.lower() in (".tsv", ".txt"):
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3 or not all(p.strip() for p in parts):
                raise InputError(f"{path}:{number}: expected term<TAB>lang<TAB>rendering")
            glossary.add(parts[0].strip(), parts[1].strip(), parts[2].strip())
        return glossary
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    terms = data.get("terms", data) if isinstance(data, dict) else None
    if not isinstance(terms, dict):
        raise InputError(f"{path}: expected an object of term -> {{lang: [renderings]}}")
    try:
        glossary.merge(terms)
    except (AttributeError, TypeError) as exc:
        raise InputError(f"{path}: expected an object of term -> {{lang: [renderings]}}") from exc
    return glossary
