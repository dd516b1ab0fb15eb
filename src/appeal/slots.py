"""Marked places for the sender's details in a letter rendered ahead of time.

A marked place is a short text of control characters, which no checked sender field can hold.
It is only a faithful stand-in when the template writes the value out whole: a template that
upper-cases a name, measures a note or compares a country has to see the real value. So the
marked places are :class:`SlotText` strings, which note any use other than being written out
(see :func:`watch`), and :mod:`appeal.prerender` renders such a letter for each sender instead.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import Any

SLOT_NAME = "\x01N\x01"
SLOT_CITY = "\x01T\x01"
SLOT_EMAIL = "\x01E\x01"
SLOT_NOTE = "\x01M\x01"


def country_slot_text(language: str) -> str:
    """The marked place for the sender's country named in ``language``."""
    return f"\x01C{language}\x01"


class Uses:
    """What a render did with marked places other than writing them out (empty: nothing)."""

    def __init__(self) -> None:
        self.seen: list[str] = []


_current: list[Uses] = []


@contextlib.contextmanager
def watch() -> Iterator[Uses]:
    """Collect the uses of marked places made while the block runs."""
    uses = Uses()
    _current.append(uses)
    try:
        yield uses
    finally:
        _current.pop()


def _note(what: str) -> None:
    if _current:
        _current[-1].seen.append(what)


class SlotText(str):
    """A marked place that notes every use that would differ for a real value.

    Writing it out (``str()`` from the template itself, joining, ``%s`` and ``{}``
    formatting, concatenation) is faithful; it is always true, since a marked place stands
    only for a value that is given. Any string method, measuring, indexing, iterating,
    comparing, hashing, escaping or converting is noted.
    """

    __slots__ = ()

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("__"):
            _note(name)
        return str.__getattribute__(self, name)

    def __bool__(self) -> bool:
        return True

    def __str__(self) -> str:
        # Writing a value out, joining with '~' and '%s' call str() from the template's code
        # or jinja2.runtime; a filter that calls str() first (replace, urlencode) changes it.
        caller = sys._getframe(1).f_globals.get("__name__") or ""
        if caller.startswith("jinja2.") and caller != "jinja2.runtime":
            _note(f"conversion in {caller}")
        return str.__str__(self)

    def __html__(self) -> str:
        _note("escape")
        return str(self)

    def __format__(self, spec: str) -> str:
        if spec:
            _note("format")
        return str.__format__(self, spec)

    def __int__(self) -> int:
        _note("conversion")
        return int(str(self))

    def __float__(self) -> float:
        _note("conversion")
        return float(str(self))


def _noting(name: str, use: str) -> Callable[..., Any]:
    method = getattr(str, name)

    def noted(self: str, *args: Any) -> Any:
        _note(use)
        return method(self, *args)

    noted.__name__ = name
    return noted


for _name, _use in (
    ("__len__", "length"),
    ("__iter__", "iteration"),
    ("__getitem__", "indexing"),
    ("__contains__", "containment"),
    ("__eq__", "comparison"),
    ("__ne__", "comparison"),
    ("__lt__", "comparison"),
    ("__le__", "comparison"),
    ("__gt__", "comparison"),
    ("__ge__", "comparison"),
    ("__hash__", "hashing"),
    ("__mod__", "formatting"),
    ("__mul__", "repetition"),
    ("__rmul__", "repetition"),
):
    setattr(SlotText, _name, _noting(_name, _use))
