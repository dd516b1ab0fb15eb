"""Resolve what a person types as their country into an ISO 3166-1 country.

Accepts alpha-2 and alpha-3 codes, English names (short, official and common forms), the names
in the other languages the tool speaks (from pycountry's gettext catalogues) and a small table
of everyday names that ISO does not use ("UK", "Ivory Coast", "Holland"). Matching ignores case,
accents and punctuation. pycountry is imported only when a country is resolved, since importing it
costs tens of milliseconds that most commands do not need.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from appeal.errors import CountryError

#: Languages whose country names are accepted as input (the languages the letters are in).
NAME_LANGUAGES = ("de", "fr", "es", "ru")

# Everyday names that neither ISO 3166 nor pycountry's catalogues give; normalised form -> alpha-2.
_ALIASES = {
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "us": "US",
    "america": "US",
    "united states of america": "US",
    "turkey": "TR",
    "turkei": "TR",
    "turquie": "TR",
    "turquia": "TR",
    "ivory coast": "CI",
    "cote divoire": "CI",
    "holland": "NL",
    "czech republic": "CZ",
    "burma": "MM",
    "swaziland": "SZ",
    "macedonia": "MK",
    "cape verde": "CV",
    "east timor": "TL",
    "vatican": "VA",
    "vatican city": "VA",
    "holy see": "VA",
    "russia": "RU",
    "russland": "RU",
    "russie": "RU",
    "rusia": "RU",
    "россия": "RU",
    "south korea": "KR",
    "north korea": "KP",
    "dr congo": "CD",
    "drc": "CD",
    "democratic republic of the congo": "CD",
    "republic of the congo": "CG",
    "palestine": "PS",
    "brunei": "BN",
    "micronesia": "FM",
    "emirates": "AE",
    "uae": "AE",
}


_APOSTROPHES = re.compile(r"['’`.]")
_NON_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class Country:
    """An ISO 3166-1 country: its codes and the English name the tool shows."""

    alpha2: str
    alpha3: str
    name: str


def normalise(text: str) -> str:
    """Fold case, accents and punctuation so that 'Côte d’Ivoire' matches 'cote divoire'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = _APOSTROPHES.sub("", bare)
    return " ".join(_NON_WORD.sub(" ", bare).split())


def display_name(record: object) -> str:
    """The name to show for a pycountry record: its common name, else a readable short name."""
    common = getattr(record, "common_name", None)
    if common:
        return str(common)
    name = str(getattr(record, "name", ""))
    head, sep, tail = name.partition(", ")
    # ISO writes some names inverted ("Congo, The Democratic Republic of the"); turn those round.
    if sep and re.search(r"\b(of|of the)$", tail):
        return f"{tail} {head}"
    return name


@functools.lru_cache(maxsize=1)
def _index() -> tuple[dict[str, Country], dict[str, Country]]:
    """(exact codes, names) → Country; built once, on the first lookup that needs it."""
    import gettext

    import pycountry

    codes: dict[str, Country] = {}
    names: dict[str, Country] = {}
    catalogues = []
    for language in NAME_LANGUAGES:
        try:
            catalogues.append(
                gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
            )
        except OSError:  # pragma: no cover - a pycountry build without that catalogue
            continue
    for record in pycountry.countries:
        country = Country(record.alpha_2, record.alpha_3, display_name(record))
        codes[record.alpha_2.casefold()] = country
        codes[record.alpha_3.casefold()] = country
        english = [
            record.name,
            getattr(record, "official_name", None),
            getattr(record, "common_name", None),
            country.name,
        ]
        for name in filter(None, english):
            names.setdefault(normalise(name), country)
            for catalogue in catalogues:
                names.setdefault(normalise(catalogue.gettext(name)), country)
    for alias, code in _ALIASES.items():
        names.setdefault(normalise(alias), codes[code.casefold()])
    return codes, names


def country_for_code(alpha2: str) -> Country:
    """The country with this exact alpha-2 code (any case); raises CountryError if none."""
    import pycountry

    record = pycountry.countries.get(alpha_2=alpha2.upper()) if len(alpha2) == 2 else None
    if record is None:
        raise CountryError(f"{alpha2!r} is not an ISO 3166-1 alpha-2 country code")
    return Country(record.alpha_2, record.alpha_3, display_name(record))


def is_alpha2(code: str) -> bool:
    """Whether ``code`` is an assigned ISO 3166-1 alpha-2 code, written in capitals."""
    if len(code) != 2 or not code.isupper():
        return False
    import pycountry

    return pycountry.countries.get(alpha_2=code) is not None


def resolve_country(text: str, field: str = "--country") -> Country:
    """Resolve a code or a name, in any supported language, to a Country.

    Raises CountryError, with close matches as suggestions, when nothing matches; its message
    starts with ``field``, the place the text came from (an option, a file's field).
    """
    wanted = text.strip()
    if not wanted:
        raise CountryError(f"{field}: give a country name or code, e.g. DE or Germany")
    if len(wanted) in (2, 3) and wanted.isascii() and wanted.isalpha():
        import pycountry

        # Exact codes need no name index: answer them without building it.
        code = wanted.upper()
        if len(code) == 2:
            record = pycountry.countries.get(alpha_2=code)
        else:
            record = pycountry.countries.get(alpha_3=code)
        if record is not None:
            return Country(record.alpha_2, record.alpha_3, display_name(record))
    _, names = _index()
    key = normalise(wanted)
    if found := names.get(key):
        return found
    suggestions = difflib.get_close_matches(key, list(names), n=6, cutoff=0.75)
    unique: dict[str, Country] = {}
    for suggestion in suggestions:
        unique.setdefault(names[suggestion].alpha2, names[suggestion])
    hint = ""
    if unique:
        listed = ", ".join(f"{c.name} ({c.alpha2})" for c in list(unique.values())[:3])
        hint = f"; did you mean {listed}?"
    raise CountryError(f"{field}: no country matches {wanted!r}{hint}")


@functools.lru_cache(maxsize=8)
def _catalogue(language: str) -> Any:
    import gettext

    import pycountry

    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return None


#: A stand-in country whose name is a marked place, one per language (see appeal.prerender).
SLOT_COUNTRY = Country("ZZ", "ZZZ", "\x01C\x01")


@functools.lru_cache(maxsize=4096)
def name_in(country: Country, language: str) -> str:
    """The country's name in ``language`` (from pycountry's catalogues), else its English name."""
    if country == SLOT_COUNTRY:
        return f"\x01C{language}\x01"
    if language == "en":
        return country.name
    catalogue = _catalogue(language)
    if catalogue is None:
        return country.name
    import pycountry

    record = pycountry.countries.get(alpha_2=country.alpha2)
    for english in (getattr(record, "common_name", None), getattr(record, "name", None)):
        if english and (translated := catalogue.gettext(english)) != english:
            return _uninvert(str(translated))
    return country.name


def _uninvert(name: str) -> str:
    """'Russie, Fédération de' → 'Fédération de Russie': catalogues keep ISO's inverted forms."""
    head, sep, tail = name.partition(", ")
    if not sep:
        return name
    if tail.endswith("d'"):
        return f"{tail}{head}"
    if re.search(r"\b(of|of the|de|de la|del|des|du)$", tail):
        return f"{tail} {head}"
    return name
