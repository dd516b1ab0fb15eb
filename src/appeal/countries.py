"""Resolve what a person types as their country into an ISO 3166-1 country.

Accepts alpha-2 and alpha-3 codes, English names (short, official and common forms), the names
in the other languages the tool speaks and a small table of everyday names that ISO does not use
("UK", "Ivory Coast", "Holland"). Matching ignores case, accents and punctuation.

The names come from pycountry (ISO 3166-1 and its gettext catalogues), compiled by
``scripts/build_snapshot.py`` into ``countries.json`` beside this module: importing pycountry
and reading its catalogues costs tens of milliseconds at every start, and the table gives the
same answers (a test compares the two) for the price of reading one small file.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

from appeal.errors import CountryError
from appeal.slots import SlotText, country_slot_text

#: Languages whose country names are accepted as input (the languages the letters are in).
#: The public API (see the README's "Use as a library"); the rest may change.
__all__ = ["Country", "all_countries", "name_in", "resolve_country"]

NAME_LANGUAGES = ("de", "fr", "es", "ru")
#: The compiled table of countries and their names (see scripts/build_snapshot.py).
TABLE_FILE = Path(__file__).with_name("countries.json")

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
    # Everyday names in the other languages the tool speaks.
    "сша": "US",
    "америка": "US",
    "соединенные штаты": "US",
    "великобритания": "GB",
    "англия": "GB",
    "eeuu": "US",
    "ee uu": "US",
    "grossbritannien": "GB",
    "grande bretagne": "GB",
    "angleterre": "GB",
    "gran bretana": "GB",
    "inglaterra": "GB",
    "hollande": "NL",
    "holanda": "NL",
}


_APOSTROPHES = re.compile(r"['’`.]")
_NON_WORD = re.compile(r"[^\w]+")


class Country(NamedTuple):
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


class _Entry(NamedTuple):
    country: Country
    #: The country's name in each of NAME_LANGUAGES.
    names_in: dict[str, str]
    #: Every name a person may type for it, in any of the languages.
    typed_names: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, _Entry]:
    """Alpha-2 code → entry, in ISO's order; read once, on the first lookup."""
    raw = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    return {
        row["alpha2"]: _Entry(
            Country(row["alpha2"], row["alpha3"], row["name"]),
            row["names_in"],
            tuple(row["typed_names"]),
        )
        for row in raw["countries"]
    }


def all_countries() -> list[Country]:
    """Every ISO 3166-1 country, in the standard's order."""
    return [entry.country for entry in _table().values()]


@functools.lru_cache(maxsize=1)
def _codes() -> dict[str, Country]:
    """Alpha-2 and alpha-3 codes, case-folded → Country."""
    codes: dict[str, Country] = {}
    for entry in _table().values():
        codes[entry.country.alpha2.casefold()] = entry.country
        codes[entry.country.alpha3.casefold()] = entry.country
    return codes


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, Country]:
    """Normalised names in every language → Country; built on the first name typed."""
    names: dict[str, Country] = {}
    for entry in _table().values():
        for name in entry.typed_names:
            names.setdefault(normalise(name), entry.country)
    for alias, code in _ALIASES.items():
        names.setdefault(normalise(alias), _table()[code].country)
    return names


def typed_name_table(languages: tuple[str, ...] | None = None) -> dict[str, str]:
    """Names :func:`resolve_country` accepts, normalised (see :func:`normalise`) → alpha-2 code,
    for a program that resolves countries as the CLI does (the action page's script): every
    name, or ISO's names in ``languages`` with the everyday aliases."""
    table = {name: country.alpha2 for name, country in _names().items()}
    if languages is None:
        return table
    wanted = {normalise(name_in(c, language)) for c in all_countries() for language in languages}
    wanted |= {normalise(alias) for alias in _ALIASES}
    return {name: code for name, code in table.items() if name in wanted}


def country_for_code(alpha2: str) -> Country:
    """The country with this exact alpha-2 code (any case); raises CountryError if none."""
    entry = _table().get(alpha2.upper()) if len(alpha2) == 2 else None
    if entry is None:
        raise CountryError(f"{alpha2!r} is not an ISO 3166-1 alpha-2 country code")
    return entry.country


def is_alpha2(code: str) -> bool:
    """Whether ``code`` is an assigned ISO 3166-1 alpha-2 code, written in capitals."""
    return len(code) == 2 and code.isupper() and code in _table()


def resolve_country(text: str, label: str | None = None) -> Country:
    """Resolve a code or a name, in any supported language, to a Country.

    Raises CountryError, with close matches as suggestions, when nothing matches: about the
    sender's ``country`` field, or, given a ``label`` (a file's column), with that label first.
    """
    wanted = text.strip()
    if not wanted:
        raise _country_error("give a country name or code, e.g. DE or Germany", "missing", label)
    # Exact codes need no name index: answer them without building it.
    if len(wanted) in (2, 3) and (found := _codes().get(wanted.casefold())):
        return found
    names = _names()
    key = normalise(wanted)
    if found := names.get(key):
        return found
    hint = ""
    if close := close_countries(wanted):
        listed = ", ".join(f"{c.name} ({c.alpha2})" for c in close)
        hint = f"; did you mean {listed}?"
    raise _country_error(f"no country matches {wanted!r}{hint}", "unknown-country", label)


def _country_error(problem: str, code: str, label: str | None) -> CountryError:
    if label is None:
        return CountryError(problem, field="country", code=code)
    return CountryError(f"{label}: {problem}", code=code)


def close_countries(text: str, limit: int = 3) -> list[Country]:
    """Countries whose names are spelt close to ``text`` (a typo), closest first."""
    import difflib  # only when nothing matched

    names = _names()
    suggestions = difflib.get_close_matches(normalise(text), list(names), n=6, cutoff=0.75)
    unique: dict[str, Country] = {}
    for suggestion in suggestions:
        unique.setdefault(names[suggestion].alpha2, names[suggestion])
    return list(unique.values())[:limit]


def complete_country(prefix: str) -> list[tuple[str, Country]]:
    """What a shell may offer for a country typed so far: (the code or name to insert, its
    country), codes first, then one name per country that starts like ``prefix``, in any of the
    languages resolve_country accepts (so what is inserted always resolves)."""
    typed = prefix.strip()
    found: list[tuple[str, Country]] = []
    if len(typed) <= 3:
        found = [
            (entry.country.alpha2, entry.country)
            for entry in _table().values()
            if entry.country.alpha2.casefold().startswith(typed.casefold())
        ]
    key = normalise(typed)
    if not key:
        return found
    named: dict[str, tuple[str, Country]] = {}
    for entry in _table().values():
        for name in (entry.country.name, *entry.typed_names):
            if normalise(name).startswith(key):
                named.setdefault(entry.country.alpha2, (name, entry.country))
                break
    for alias, code in _ALIASES.items():
        if alias.startswith(key) and code not in named:
            shown = alias.upper() if len(alias) <= 3 else alias.title()
            named[code] = (shown, _table()[code].country)
    return found + sorted(named.values(), key=lambda item: normalise(item[0]))


#: A stand-in country whose name is a marked place, one per language (see appeal.prerender).
SLOT_COUNTRY = Country("ZZ", "ZZZ", "\x01C\x01")


def name_in(country: Country, language: str) -> str:
    """The country's name in ``language`` (from ISO's catalogues), else its English name."""
    if country == SLOT_COUNTRY:
        return SlotText(country_slot_text(language))
    entry = _table().get(country.alpha2)
    if language == "en" or entry is None:
        return country.name
    name = entry.names_in.get(language, country.name)
    # French typography: the apostrophe is ’ ("Côte d’Ivoire"), as in the letters.
    return name.replace("'", "\u2019") if language == "fr" else name
