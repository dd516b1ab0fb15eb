"""The person writing: their details, checked so that nothing they type can change a message.

A name, city or e-mail address goes into headers and the first lines of a link, so it must be
one line of visible text: a line break there could add a header or a recipient, and so could
RFC 2047 encoded-word syntax (``=?utf-8?b?...?=``) in a name or an address. A postal address is
a few such lines (street, postcode and city), each checked the same way. The personal note is
body text and may span lines, but control characters and the invisible characters that reverse
or hide text (see :mod:`appeal.textguard`) are refused everywhere, since they can make a letter
read differently from what the sender saw. The action page applies the same rules, with the
patterns and characters defined here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from appeal.countries import Country
from appeal.emails import check_sender_email
from appeal.errors import InputError
from appeal.textguard import (
    BLANKS,
    HIDDEN,
    has_encoded_word,
    hidden_character_problem,
    tidy_text,
)

#: The public API (see the README's "Use as a library"); the rest may change.
__all__ = ["Sender", "make_sender"]

MAX_NAME = 100
MAX_CITY = 100
MAX_NOTE = 2000
#: A postal address: at most this many lines (street, building, postcode and city, region) of
#: at most MAX_ADDRESS_LINE characters each; the country is the sender's country.
MAX_ADDRESS_LINES = 5
MAX_ADDRESS_LINE = 100
#: The characters refused in what a sender types (besides control characters), for the page.
HIDDEN_CHARACTERS = "".join(sorted(HIDDEN))


class Sender(NamedTuple):
    """Checked sender details."""

    name: str
    country: Country
    city: str | None = None
    email: str | None = None
    note: str | None = None
    #: The postal address for a reply, one element per line, without the country.
    address: tuple[str, ...] = ()


def check_line(field: str, value: str, limit: int, where: str = "") -> str:
    """Return ``value`` trimmed, or raise InputError (about ``field``; ``where`` leads its
    text, as in "line 2: ") if it is not one clean line of text."""
    text = value.strip(BLANKS)
    if "\r" in text or "\n" in text or "\u2028" in text or "\u2029" in text:
        raise InputError(
            f"{where}contains a line break; write it on one line", field=field, code="line-break"
        )
    _refuse_invisible(field, text, allow="\t", where=where)
    if "\t" in text:
        raise InputError(f"{where}contains a tab; write it on one line", field=field, code="tab")
    if len(text) > limit:
        raise InputError(
            f"{where}is {len(text)} characters long; the limit is {limit}",
            field=field,
            code="too-long",
        )
    return text


def check_note(field: str, value: str) -> str | None:
    """Return the note tidied as letters are (LF line ends, no spaces at line ends, at most one
    blank line in a row, no blank space around it), or None if empty.

    Raises InputError for control characters, direction overrides or an over-long note.
    """
    # A byte order mark at the start is an editor's file marker, not part of the note.
    text = tidy_text(value.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    text = text.strip(BLANKS)
    if not text:
        return None
    _refuse_invisible(field, text, allow="\n\t")
    if len(text) > MAX_NOTE:
        raise InputError(
            f"is {len(text):,} characters long; the limit is {MAX_NOTE:,}",
            field=field,
            code="too-long",
        )
    return text


def check_address(field: str, values: Sequence[str]) -> tuple[str, ...]:
    """The lines of a postal address given as one or more values of ``field``.

    Each value may hold several lines, parted by line breaks or by the two characters ``\n``
    that a shell passes on when one types them in quotes; blank lines are dropped. Raises
    InputError, naming the line, for control characters, over-long lines or too many lines.
    """
    lines: list[str] = []
    for value in values:
        text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\\n", "\n")
        lines.extend(line.strip(" \t") for line in text.split("\n"))
    lines = [line for line in lines if line]
    if len(lines) > MAX_ADDRESS_LINES:
        raise InputError(
            f"has {len(lines)} lines; the limit is {MAX_ADDRESS_LINES} "
            "(street, postcode and city; your country is given on its own)",
            field=field,
            code="too-many-lines",
        )
    return tuple(
        check_line(field, line, MAX_ADDRESS_LINE, where=f"line {number}: ")
        for number, line in enumerate(lines, start=1)
    )


#: Lone surrogates: how Python keeps bytes of argv it could not decode.
_SURROGATES = re.compile("[\ud800-\udfff]")


#: The most a note file may hold; a note is at most MAX_NOTE characters.
MAX_NOTE_BYTES = 64 * 1024


def decode_note(data: bytes, field: str) -> str:
    """The text of a note read as bytes (a file, standard input, the editor's file).

    Raises InputError for a file over :data:`MAX_NOTE_BYTES` or one that is not UTF-8; a
    byte-order mark at the start is dropped.
    """
    if len(data) > MAX_NOTE_BYTES:
        raise InputError(
            f"is over {MAX_NOTE_BYTES // 1024} KB; a note may have at most {MAX_NOTE:,} characters",
            field=field,
            code="too-long",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8",
            field=field,
            code="not-utf8",
        ) from None


def _refuse_invisible(field: str, text: str, allow: str, where: str = "") -> None:
    if _SURROGATES.search(text):
        raise InputError(
            f"{where}contains bytes that are not valid text in your system's encoding; "
            "type it again or set a UTF-8 locale",
            field=field,
            code="undecodable",
        )
    problem = hidden_character_problem(text, allow)
    if problem:
        raise InputError(f"{where}{problem}", field=field, code="hidden-character")


def make_sender(
    name: str,
    country: Country,
    city: str | None = None,
    email: str | None = None,
    note: str | None = None,
    address: Sequence[str] = (),
) -> Sender:
    """Check every field a person typed and return a Sender; raises InputError on bad input."""
    clean_name = check_line("name", name, MAX_NAME)
    if not clean_name:
        raise InputError("give the name you sign with", field="name", code="missing")
    if has_encoded_word(clean_name):
        raise InputError(
            "holds '=?...?=' (RFC 2047) syntax, which mail programs may decode into "
            "another header; write the name as it is",
            field="name",
            code="encoded-word",
        )
    clean_city = check_line("city", city, MAX_CITY) or None if city else None
    clean_email = None
    if email and email.strip(BLANKS):
        _refuse_invisible("email", email.strip(BLANKS), allow="")
        clean_email = check_sender_email(email)
    clean_note = check_note("note", note) if note else None
    clean_address = check_address("address", address)
    return Sender(clean_name, country, clean_city, clean_email, clean_note, clean_address)


#: Said wherever a sender is asked for their own words (the editor, the action page's hint).
OWN_WORDS_CAUTION = {
    "en": "Do not name anyone at risk, and give no detail that could identify them or their "
    "relatives. Initials are enough to sign with, if you prefer.",
    "ru": "Не называйте никого из тех, кому грозит опасность, и не приводите подробностей, по "
    "которым можно узнать их или их родственников. Если хотите, подпишитесь инициалами.",
    "de": "Nennen Sie niemanden, der in Gefahr ist, und keine Einzelheiten, an denen man die "
    "Betroffenen oder ihre Angehörigen erkennen könnte. Wenn Sie möchten, genügen Ihre "
    "Initialen als Unterschrift.",
    "fr": "Ne nommez aucune personne en danger et ne donnez aucun détail qui permettrait de "
    "l’identifier, elle ou ses proches. Si vous le préférez, vos initiales suffisent pour "
    "signer.",
    "es": "No nombre a nadie que esté en peligro ni dé detalles que permitan identificar a esas "
    "personas o a sus familiares. Si lo prefiere, basta con firmar con sus iniciales.",
}

_EDITOR_HEADER = {
    "en": (
        "Write a few sentences of your own above these lines; lines starting with # are left out.",
        "Officials discount identical letters: your own words are what make this one count.",
    ),
    "ru": (
        "Напишите несколько своих предложений над этими строками; строки, начинающиеся с #, "
        "в письмо не войдут.",
        "Одинаковые письма весят меньше: именно ваши слова придают этому письму вес.",
    ),
    "de": (
        "Schreiben Sie ein paar eigene Sätze über diese Zeilen; Zeilen, die mit # beginnen, "
        "werden weggelassen.",
        "Gleichlautende Briefe werden weniger beachtet: Ihre eigenen Worte geben diesem Brief "
        "Gewicht.",
    ),
    "fr": (
        "Écrivez quelques phrases à vous au-dessus de ces lignes\u202f; les lignes commençant "
        "par # sont ignorées.",
        "Les lettres identiques pèsent moins\u00a0: ce sont vos propres mots qui donnent du poids "
        "à celle-ci.",
    ),
    "es": (
        "Escriba unas frases suyas encima de estas líneas; las líneas que empiezan por # se "
        "omiten.",
        "Las cartas idénticas pesan menos: son sus propias palabras las que dan peso a esta.",
    ),
}


def note_prompts(language: str, hint: str | None) -> str:
    """The editor's prompts for the sender's own words, in ``language`` (else English): how to
    write, the campaign's questions (``hint``), and the caution about people at risk."""
    import textwrap

    header = _EDITOR_HEADER.get(language, _EDITOR_HEADER["en"])
    caution = OWN_WORDS_CAUTION.get(language, OWN_WORDS_CAUTION["en"])
    paragraphs = [*header, *([hint] if hint else []), caution]
    lines = [""]
    for paragraph in paragraphs:
        lines.extend(textwrap.wrap(paragraph, 88, initial_indent="# ", subsequent_indent="# "))
    return "\n".join(lines) + "\n"
