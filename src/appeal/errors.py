"""The exception hierarchy: every error a user can cause is an :class:`AppealError`.

The command line turns these into ``Error: …`` lines on stderr in one place; anything else that
escapes is a bug in appeal, not bad input.
"""

from __future__ import annotations

__all__ = [
    "AppealError",
    "CountryError",
    "DataError",
    "InputError",
    "OutputError",
    "TemplateError",
]


class AppealError(Exception):
    """Root of every error caused by input: a data file, a template, a country, a sender field.

    ``problems`` holds one line per problem (with its place), so that a file with several
    mistakes is reported whole in one run. ``field`` names the input the error is about, in the
    library's words (``country``, ``email``, ``kinds``, see :data:`FIELDS`), when it is one the
    user gave rather than a place in a file: a front end shows it as its own name for that input
    (the command line as an option) and adds its own remedy. ``code`` is a stable
    identifier of the kind of problem (``unknown-country``, ``exists``), for front ends and tests.
    """

    def __init__(self, *problems: str, field: str | None = None, code: str | None = None) -> None:
        if not problems:
            raise TypeError("AppealError needs at least one problem line")
        if field is not None and field not in FIELDS:
            raise TypeError(f"unknown field {field!r}; add it to errors.FIELDS")
        self.problems: tuple[str, ...] = tuple(_one_line(p) for p in problems)
        self.field = field
        self.code = code
        super().__init__("\n".join(self.lines()))

    def lines(self, label: str | None = None) -> tuple[str, ...]:
        """The problems, each after ``label`` (by default the field's own name) when the error
        is about a field: ``email: 'x' is not a valid e-mail address: …``."""
        label = label or self.field
        return self.problems if label is None else tuple(f"{label}: {p}" for p in self.problems)


#: The inputs an error can be about, as the library names them; a front end maps each to its own
#: word for it (the command line to an option, see ``cli.FIELD_OPTIONS``).
FIELDS = frozenset(
    {
        "name",
        "country",
        "city",
        "email",
        "note",
        "address",
        "language",
        "kinds",
        "recipient",
        "format",
        "output",
        "recipients",
        "campaign",
        "note_file",
        "edited_note",
        "copy",
    }
)


class DataError(AppealError):
    """A campaign data file (recipients, campaign settings) is unreadable or invalid."""


class TemplateError(AppealError):
    """A letter template is missing, does not parse, or fails to render."""


class InputError(AppealError):
    """A value the user typed (a sender field, an option) cannot be used."""


class CountryError(InputError):
    """A country name or code that no known country matches."""


class OutputError(AppealError):
    """Output files cannot be written where the user asked."""


def _one_line(text: str) -> str:
    """Fold a message onto one line, so that a file's content cannot forge extra output lines,
    and show any control or invisible character it quotes as an escape (``\\x1b``), so that it
    cannot drive the terminal the message is shown on."""
    folded = " ".join(text.split())
    if folded.isprintable():
        return folded
    return "".join(
        char if char.isprintable() or char == " " else repr(char)[1:-1] for char in folded
    )
