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

    ``problems`` holds one self-contained line per problem (with its place), so that a file with
    several mistakes is reported whole in one run.
    """

    def __init__(self, *problems: str) -> None:
        if not problems:
            raise TypeError("AppealError needs at least one problem line")
        self.problems: tuple[str, ...] = tuple(_one_line(p) for p in problems)
        super().__init__("\n".join(self.problems))


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
