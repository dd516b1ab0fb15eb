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
from collections.abc import Iterator
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

    def __len__(self) -> int:
        _note("length")
        return str.__len__(self)

    def __iter__(self) -> Iterator[str]:
        _note("iteration")
        return str.__iter__(self)

    def __reversed__(self) -> Iterator[str]:
        _note("reversal")
        return reversed(str(self))

    def __getitem__(self, key: Any) -> str:
        _note("indexing")
        return str.__getitem__(self, key)

    def __contains__(self, other: object) -> bool:
        _note("containment")
        return str.__contains__(self, other)  # type: ignore[operator]

    def __eq__(self, other: object) -> bool:
        _note("comparison")
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        _note("comparison")
        return str.__ne__(self, other)

    def __lt__(self, other: str) -> bool:
        _note("comparison")
        return str.__lt__(self, other)

    def __le__(self, other: str) -> bool:
        _note("comparison")
        return str.__le__(self, other)

    def __gt__(self, other: str) -> bool:
        _note("comparison")
        return str.__gt__(self, other)

    def __ge__(self, other: str) -> bool:
        _note("comparison")
        return str.__ge__(self, other)

    def __hash__(self) -> int:
        _note("hashing")
        return str.__hash__(self)

    def __mod__(self, other: Any) -> str:
        _note("formatting")
        return str.__mod__(self, other)

    def __mul__(self, count: Any) -> str:
        _note("repetition")
        return str.__mul__(self, count)

    def __rmul__(self, count: Any) -> str:
        _note("repetition")
        return str.__mul__(self, count)

    def __int__(self) -> int:
        _note("conversion")
        return int(str(self))

    def __float__(self) -> float:
        _note("conversion")
        return float(str(self))
