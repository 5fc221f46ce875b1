"""Place names from CLDR (Babel): countries and regions, and the exemplar cities of time zones.

Used by extraction (is this capitalized name a place?) and by matching (what is "Kyiv" called in
Russian?). Loaded lazily once per language and cached.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources

from babel import Locale

# Territory names that are not places a news text means ("world", "Europe" is fine, "Unknown Region" not).
_SKIP_TERRITORY_CODES = {"ZZ", "001", "QO", "EZ", "UN"}


@functools.cache
def _zone_ids() -> tuple[str, ...]:
    import zoneinfo

    return tuple(sorted(z for z in zoneinfo.available_timezones() if "/" in z))


@functools.cache
def place_names(lang: str) -> dict[str, str]:
    """{name in `lang`: key}, key being a CLDR territory code or a time zone id."""
    locale = Locale.parse(lang)
    names: dict[str, str] = {}
    for code, name in locale.territories.items():
        if code not in _SKIP_TERRITORY_CODES:
            names[name] = code
    zones = locale.time_zones
    for zone in _zone_ids():
        city = zones.get(zone, {}).get("city") if zone in zones else None
        if city is None and lang == "en":
            city = zone.rsplit("/", 1)[1].replace("_", " ")
        if city:
            names[city] = zone
    if lang == "en":
        for name in _extra_places():
            names.setdefault(name, f"extra:{name}")
        for alias, code in _ENGLISH_ALIASES.items():
            names.setdefault(alias, code)
    return names


# Everyday English names CLDR spells otherwise.
_ENGLISH_ALIASES = {
    "Britain": "GB", "Great Britain": "GB", "UK": "GB", "U.K.": "GB", "US": "US", "U.S.": "US", "USA": "US",
    "America": "US", "UAE": "AE", "Holland": "NL", "Czech Republic": "CZ", "Kiev": "Europe/Kiev",
    "Kyiv": "Europe/Kiev", "Crimea": "extra:Crimea",
}  # fmt: skip


@functools.lru_cache(maxsize=1)
def _extra_places() -> tuple[str, ...]:
    data = resources.files("keepfacts.eval").joinpath("data/places.json").read_text(encoding="utf-8")
    return tuple(json.loads(data)["places"])


def is_everyday_alias(name: str) -> bool:
    """An everyday English name CLDR spells otherwise ("Britain" for the United Kingdom): CLDR's form in
    another language translates CLDR's name, and a translator may as well translate the everyday one
    ("Großbritannien")."""
    return name in _ENGLISH_ALIASES


# The word "republic" in CLDR's formal country names ("Южно-Африканская Республика" for South Africa).
_REPUBLIC = re.compile(
    r"(?i)республик|республік|republi[kcq]|rep[uú]blica|république|repubblica|共和国|공화국"
)


def is_formal_in(name: str, lang: str) -> bool:
    """Whether CLDR names the English place `name` in `lang` by a formal long form the English name is
    not ("South Africa" -> ru "Южно-Африканская Республика", cs "Jihoafrická republika"): translators
    write the everyday name there ("Южной Африки", "Jižní Afrika"), which CLDR does not give."""
    if _REPUBLIC.search(name):
        return False
    return any(_REPUBLIC.search(form) for form in place_in(name, lang))


def is_place(name: str) -> bool:
    return name in place_names("en")


@functools.lru_cache(maxsize=4096)
def place_in(name: str, lang: str) -> list[str]:
    """The names of an English place name in `lang` (empty when CLDR does not know it)."""
    key = place_names("en").get(name)
    if key is None or key.startswith("extra:"):
        return []
    locale = Locale.parse(lang)
    if "/" in key:
        city = locale.time_zones.get(key, {}).get("city")
        return [city] if city else []
    territory = locale.territories.get(key)
    return [territory] if territory else []
