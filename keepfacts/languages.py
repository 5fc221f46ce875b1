"""Language codes: any standard spelling normalised in one place (langcodes), validated once, with names
for prompts and messages (CLDR data through Babel)."""

from __future__ import annotations

from functools import lru_cache

from keepfacts.errors import LanguageError

# The source languages the fact engine reads (eval.extract.check_source_language); outputs may be in any.
SOURCE_LANGUAGES = ("en",)
_NOT_LANGUAGES = frozenset({"und", "mul", "zxx", "mis"})  # undetermined, multiple, none, uncoded
_UNKNOWN = "unknown language code {code!r}; use an ISO 639 code or BCP-47 tag such as en, es, de, pt-BR, spa"


@lru_cache(maxsize=256)
def canonical_tag(code: str) -> str:
    """The BCP-47 tag of any spelling of a language code, through langcodes (the IANA registry): ISO
    639-1 ("es"), 639-2/3 ("spa", "ger"), POSIX locales ("pt_BR"), deprecated codes ("iw") all become one
    tag ("es", "de", "pt-BR", "he"). LanguageError for something that is not a language code."""
    import langcodes

    text = code.strip().replace("_", "-") if isinstance(code, str) else ""
    try:
        tag = langcodes.standardize_tag(text) if text else ""
    except (ValueError, langcodes.tag_parser.LanguageTagError):
        tag = ""
    if not tag or not langcodes.tag_is_valid(tag) or tag.split("-")[0] in _NOT_LANGUAGES:
        raise LanguageError(_UNKNOWN.format(code=code))
    return tag


@lru_cache(maxsize=64)
def language_name(code: str) -> str:
    """English name of a language code ("es" or "spa" -> "Spanish"); LanguageError for an unknown code."""
    from babel import Locale, UnknownLocaleError

    tag = canonical_tag(code)
    for candidate in (tag, tag.split("-")[0]):
        try:
            name = Locale.parse(candidate.replace("-", "_")).get_display_name("en")
        except (UnknownLocaleError, ValueError, TypeError):
            continue
        if name:
            return str(name)
    raise LanguageError(_UNKNOWN.format(code=code))


def normalize(code: str) -> str:
    """The one spelling of a language code keepfacts uses: the canonical tag, lowercase (pt_BR, pt-BR
    and por-BR: pt-br). Text that is no language code is only lowercased (not validated here)."""
    try:
        return canonical_tag(code).lower()
    except LanguageError:
        return code.strip().replace("_", "-").lower()


def base_language(code: str) -> str:
    """The language part of a code: 'de-AT' -> 'de', 'spa' -> 'es' (not validated)."""
    return normalize(code).split("-")[0]


def check_language(code: str) -> str:
    """Return the normalized code (lowercase canonical tag) after validating it."""
    language_name(code)
    return normalize(code)


def check_base_language(code: str) -> str:
    """The validated language part of a code: 'pt_BR' -> 'pt', 'spa' -> 'es'; LanguageError otherwise."""
    language_name(code)
    return base_language(code)
