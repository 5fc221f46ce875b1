"""Language codes: validated once, with names for prompts and messages (CLDR data through Babel)."""

from __future__ import annotations

from functools import lru_cache

from keepfacts.errors import LanguageError


@lru_cache(maxsize=64)
def language_name(code: str) -> str:
    """English name of a language code ("es" -> "Spanish"); LanguageError for an unknown code."""
    from babel import Locale, UnknownLocaleError

    normalized = normalize(code).replace("-", "_")
    try:
        locale = Locale.parse(normalized)
    except (UnknownLocaleError, ValueError, TypeError):
        raise LanguageError(
            f"unknown language code {code!r}; use an ISO 639-1 code such as en, es, de, fr, ru, uk, zh"
        ) from None
    name = locale.get_display_name("en")
    return name or code


def normalize(code: str) -> str:
    """The one spelling of a language code keepfacts uses: lowercase, '-' between parts (pt_BR: pt-br)."""
    return code.strip().replace("_", "-").lower()


def base_language(code: str) -> str:
    """The language part of a code: 'de-AT' -> 'de' (not validated)."""
    return normalize(code).split("-")[0]


def check_language(code: str) -> str:
    """Return the normalized code (lowercase language part) after validating it."""
    language_name(code)
    return normalize(code)


def check_base_language(code: str) -> str:
    """The validated language part of a code: 'pt_BR' -> 'pt'; LanguageError for an unknown one."""
    language_name(code)
    return base_language(code)
