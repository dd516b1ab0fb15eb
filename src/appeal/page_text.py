"""The action page's own words in each language it is built in, read from ``page_strings.yaml``.

One file holds every word the page says of its own (labels, buttons, hints, errors and the
CLI's warnings about a record), so that a translator finds them in one place. French typography
is applied here: the file is written with plain spaces, and the page gets the no-break spaces
French puts before ``: ; ! ?`` and inside « ».
"""

from __future__ import annotations

import functools
import re
from importlib.resources import files
from typing import Any

from appeal.errors import DataError

STRINGS_FILE = "page_strings.yaml"
#: The languages the page can be built in.
PAGE_LANGUAGES = ("en", "ru", "de", "fr", "es")

_FRENCH_SPACES = (
    (re.compile(r" ([:])"), "\u00a0\\1"),  # espace insécable before the colon
    (re.compile(r" ([;!?])"), "\u202f\\1"),  # fine insécable before ; ! ?
    (re.compile(r"« "), "«\u00a0"),
    (re.compile(r" »"), "\u00a0»"),
)


def french_spacing(text: str) -> str:
    """French typography: the apostrophe ’ and no-break spaces (before ``: ; ! ?``, in « »)."""
    text = text.replace("'", "\u2019")  # the typographic apostrophe: l’ambassade
    for pattern, replacement in _FRENCH_SPACES:
        text = pattern.sub(replacement, text)
    return text


def _typeset(value: Any, language: str) -> Any:
    if isinstance(value, dict):
        return {key: _typeset(item, language) for key, item in value.items()}
    if isinstance(value, str) and language == "fr":
        return french_spacing(value)
    return value


@functools.lru_cache(maxsize=1)
def _all_strings() -> dict[str, Any]:
    from appeal.yamlfile import read_yaml_bytes

    data = files("appeal").joinpath(STRINGS_FILE).read_bytes()
    value = read_yaml_bytes(data, STRINGS_FILE).value
    if not isinstance(value, dict) or set(value) != set(PAGE_LANGUAGES):
        raise DataError(f"{STRINGS_FILE}: expected one mapping per language of the page")
    english = value["en"]
    for language, strings in value.items():
        missing = sorted(set(english) - set(strings))
        if missing:
            raise DataError(f"{STRINGS_FILE}: {language}: missing {', '.join(missing)}")
    return value


def page_strings(language: str) -> dict[str, Any]:
    """Every word of the page in ``language`` (typeset), keyed as in ``page_strings.yaml``."""
    strings = _all_strings()
    if language not in strings:
        raise DataError(f"the action page has no words in {language!r}")
    return _typeset(strings[language], language)  # type: ignore[no-any-return]


def plural(forms: dict[str, str], count: int, language: str) -> str:
    """The form of ``forms`` (CLDR plural categories) that fits ``count``, with {n} filled in."""
    from babel import Locale

    category = Locale.parse(language).plural_form(count)
    return forms.get(category, forms["other"]).replace("{n}", str(count))
