"""Printable postal letters: one self-contained HTML page per recipient with a postal address.

The printed letter is the fuller version of the same template (``medium`` is ``print``, which
adds the background paragraph), laid out as a letter that a post office delivers and an office
can answer: the sender's block with their postal address for the reply, the recipient's address
block one element per line (ending with the destination country in capitals when the letter is
posted from another country, as the Universal Postal Union asks), place and date as the letter's
language writes them, the subject, the letter, and a signature line. Each language part of a
bilingual letter is marked with its ``lang``. The page loads nothing from anywhere: its CSS is
inline and it has no scripts, fonts or images, and appeal itself puts a Content-Security-Policy
first in its head and refuses output that refers elsewhere (:mod:`appeal.htmlguard`), whoever
wrote the template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from appeal.campaign import Campaign
from appeal.countries import country_for_code, name_in
from appeal.drafts import (
    Draft,
    compose_letter,
    letter_context,
    renderer_for,
)
from appeal.htmlguard import PRINT_POLICY, seal_html
from appeal.languages import CYRILLIC, SECOND_VERSION_LABEL, VERSION_SEPARATOR
from appeal.letters import LetterRenderer
from appeal.records import PostalAddress, Recipient
from appeal.sender import Sender

PRINT_TEMPLATE = "print/letter.html.j2"


def format_date(day: dt.date, language: str) -> str:
    """A date as people write it in ``language``: '23 November 2026', '23. November 2026',
    '23 novembre 2026', '23 de noviembre de 2026', '23 ноября 2026 г.' (CLDR, through Babel)."""
    from babel.dates import format_date as babel_format_date

    # International English writes the day first, as British English does.
    locale = "en_GB" if language == "en" else language
    return str(babel_format_date(day, format="long", locale=locale))


def dateline(place: str | None, day: dt.date, language: str) -> str:
    """Place and date at the head of a letter: 'Leipzig, 30. November 2026', 'Leipzig, le 30
    novembre 2026', 'Leipzig, 30 ноября 2026 г.'; the date alone when no place is known."""
    date = format_date(day, language)
    if language == "fr":
        date = f"le {date}"  # French letters date "le 30 novembre", with the article
    return f"{place}, {date}" if place else date


def destination_country_line(postal: PostalAddress, sender: Sender) -> str | None:
    """The last line of an address posted from another country: the destination country's name
    in capitals, in English, which post offices everywhere read (UPU practice); None at home or
    when the record does not say where the address is."""
    if postal.country is None or postal.country == sender.country.alpha2:
        return None
    return country_for_code(postal.country).name.upper()


def _is_cyrillic(lines: tuple[str, ...]) -> bool:
    return any(CYRILLIC.search(line) for line in lines)


def address_lines(postal: PostalAddress, language: str) -> tuple[tuple[str, ...], bool]:
    """The address lines for a letter in ``language``, and whether they are the Latin form.

    The source's own lines when the letter is written in their script (a letter in Russian to
    an address written in Cyrillic), else the Latin-script form where the record has one.
    """
    if _is_cyrillic(postal.lines) == (language == "ru") or not postal.lines_latin:
        return postal.lines, False
    return postal.lines_latin, True


class RecipientBlock(NamedTuple):
    """The recipient's address block: its lines, and the country line in capitals (or None)."""

    lines: tuple[str, ...]
    country: str | None


def block_language(record: Recipient, languages: Sequence[str]) -> str:
    """The language of the address block: the first of the letter's languages in which the
    record names the office (a letter in German and Russian: German if the record has its
    German name, else Russian), else English."""
    return next((language for language in languages if language in record.name), "en")


def recipient_block(
    record: Recipient, postal: PostalAddress, sender: Sender, languages: Sequence[str]
) -> RecipientBlock:
    """Addressee, office and address, one element per line, in the block's language.

    The addressee line is left out where the record has none in that language, rather than
    put in English into a German letter: the office's name and address are enough to deliver it.
    """
    language = block_language(record, languages)
    names = [record.text("addressee", language), record.text("name", language)]
    street, _ = address_lines(postal, language)
    lines = [line for line in names if line] + list(street)
    return RecipientBlock(tuple(lines), destination_country_line(postal, sender))


def envelope_block(
    record: Recipient, postal: PostalAddress, sender: Sender, languages: Sequence[str]
) -> RecipientBlock | None:
    """The address in Latin script for writing an envelope by hand, when the letter's block is
    in another script and the record has a Latin form; else None."""
    street, latin = address_lines(postal, block_language(record, languages))
    if latin or not _is_cyrillic(street) or not postal.lines_latin:
        return None
    names = [record.text("addressee", "en"), record.text("name", "en")]
    lines = [line for line in names if line] + list(postal.lines_latin)
    return RecipientBlock(tuple(lines), destination_country_line(postal, sender))


def sender_lines(sender: Sender, language: str) -> list[str]:
    """The sender's block: name, postal address (or the city), country, e-mail."""
    lines = [sender.name]
    if sender.address:
        lines.extend(sender.address)
    elif sender.city:
        lines.append(sender.city)
    lines.append(name_in(sender.country, language))
    if sender.email:
        lines.append(sender.email)
    return lines


class Line(NamedTuple):
    """A line of a paragraph, and its language where it differs from its part's (else None)."""

    text: str
    language: str | None = None


class LetterPart(NamedTuple):
    """One language version of a printed letter: its paragraphs, then the closing formula,
    the signature line (on the first version only) and the sender's name."""

    language: str
    subject: str
    label: str | None
    paragraphs: list[list[Line]]
    closing: list[str]
    name: str
    signed: bool


def _note_language(draft: Draft, part: str) -> str | None:
    """The language of the sender's note where it differs from the part's it stands in (a
    German note in the Russian version): the one the draft takes it to be in."""
    note_language = draft.note_language or draft.language.split("+")[0]
    return None if note_language == part else note_language


def _versions(body: str, languages: Sequence[str]) -> list[tuple[str, str | None, str]]:
    """(language, label, text) of each version of a composed letter; the second version starts
    after the separator and its label ("Deutsche Fassung:"), which a note cannot end with."""
    if len(languages) < 2:
        return [(languages[0], None, body)]
    label = SECOND_VERSION_LABEL[languages[1]]
    first, found, second = body.rpartition(f"{VERSION_SEPARATOR}{label}:\n\n")
    if not found:
        return [(languages[0], None, body)]
    return [(languages[0], None, first), (languages[1], label, second)]


def letter_parts(
    renderer: LetterRenderer, draft: Draft, sender: Sender, today: dt.date
) -> list[LetterPart]:
    """The letter's language versions, the first one signed; each ends with the sender's name."""
    record = draft.recipient
    _, letter = compose_letter(
        renderer, record, sender, draft.language, "print", today, draft.note_language or None
    )
    languages = draft.language.split("+")
    versions = _versions(letter.body, languages)
    note_lines = set(sender.note.split("\n")) if sender.note else set()
    parts = []
    for index, (language, label, body) in enumerate(versions):
        context = letter_context(record, sender, language, "print", today)
        subject = renderer.render(language, record.kind, context).subject
        blocks = body.split("\n\n")
        # The last block is the sender's: the page shows it at the top, and under the
        # signature line only the name. The one before it is the closing formula.
        blocks.pop()
        closing = blocks.pop().split("\n") if blocks else []
        note_language = _note_language(draft, language)
        paragraphs = [
            [
                Line(line, note_language if line in note_lines else None)
                for line in block.split("\n")
            ]
            for block in blocks
        ]
        parts.append(
            LetterPart(language, subject, label, paragraphs, closing, sender.name, index == 0)
        )
    return parts


def print_pages(
    campaign: Campaign, sender: Sender, drafts: tuple[Draft, ...], today: dt.date
) -> dict[str, str]:
    """File name → HTML page for every draft whose recipient has a postal address."""
    renderer = renderer_for(campaign)
    pages: dict[str, str] = {}
    for draft in drafts:
        record = draft.recipient
        postal = record.postal
        if postal is None:
            continue
        languages = draft.language.split("+")
        language = languages[0]
        page_context: dict[str, Any] = {
            **letter_context(record, sender, language, "print", today),
            "sender_lines": sender_lines(sender, language),
            "recipient_block": recipient_block(record, postal, sender, languages),
            "envelope": envelope_block(record, postal, sender, languages),
            "dateline": dateline(sender.city, today, language),
            "parts": letter_parts(renderer, draft, sender, today),
            "subject": draft.subject,
        }
        html = renderer.render_file(PRINT_TEMPLATE, page_context)
        label = renderer.source_of(PRINT_TEMPLATE) or PRINT_TEMPLATE
        pages[f"{record.id}.html"] = seal_html(html, label, policy=PRINT_POLICY)
    return pages
