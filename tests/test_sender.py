"""Sender fields: nothing a person types can add a header or hide text."""

from __future__ import annotations

import pytest

from appeal.countries import resolve_country
from appeal.errors import InputError
from appeal.sender import make_sender

GERMANY = resolve_country("DE")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"name": "Anna\nBcc: x@example.org"},
            "name: contains a line break; write it on one line",
        ),
        ({"name": "Anna\rSchmidt"}, "name: contains a line break; write it on one line"),
        ({"name": "Anna\x00"}, "name: contains a control character (U+0000)"),
        (
            {"name": "Anna \u202eadmin"},
            "name: contains an invisible text-direction control (U+202E)",
        ),
        ({"name": "   "}, "name: give the name you sign with"),
        ({"name": "A" * 101}, "name: is 101 characters long; the limit is 100"),
        ({"name": "Anna", "city": "Leipzig\nTo: x@example.org"}, "city: contains a line break"),
        (
            {"name": "Anna", "email": "a@example.org, b@example.org"},
            "email: 'a@example.org, b@example.org' is not a valid e-mail address",
        ),
        (
            {"name": "Anna", "email": "Anna <a@example.org>"},
            "email: 'Anna <a@example.org>' is not a valid e-mail address",
        ),
        ({"name": "Anna", "note": "hi\x1b[31m"}, "note: contains a control character (U+001B)"),
    ],
)
def test_bad_fields_are_refused(fields: dict[str, str], message: str) -> None:
    with pytest.raises(InputError) as caught:
        make_sender(country=GERMANY, **fields)
    assert str(caught.value).startswith(message)


def test_note_keeps_lines_and_normalises_endings() -> None:
    sender = make_sender("Anna", GERMANY, note="  one\r\ntwo\rBcc: x@example.org  ")
    assert sender.note == "one\ntwo\nBcc: x@example.org"


def test_email_is_stripped_and_checked_offline() -> None:
    assert make_sender("Anna", GERMANY, email=" anna@example.org ").email == "anna@example.org"
