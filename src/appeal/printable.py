"""Printable postal letters: one self-contained HTML page per recipient with a postal address.

The printed letter is the fuller version of the same template (``medium`` is ``print``, which
adds the background paragraph), laid out with the sender's block, the date, the recipient's
address block, the subject, the letter and space for a signature. The page loads nothing from
anywhere: its CSS is inline and it has no scripts, fonts or images.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from appeal.campaign import Campaign
from appeal.drafts import Draft, compose_letter, letter_context, parse_language, renderer_for
from appeal.sender import Sender

PRINT_TEMPLATE = "print/letter.html.j2"


def format_date(day: dt.date, language: str) -> str:
    """A date as people write it in ``language``: '23 November 2026', '23. November 2026',
    '23 novembre 2026', '23 de noviembre de 2026', '23 ноября 2026 г.' (CLDR, through Babel)."""
    from babel.dates import format_date as babel_format_date

    # International English writes the day first, as British English does.
    locale = "en_GB" if language == "en" else language
    return str(babel_format_date(day, format="long", locale=locale))


def print_pages(
    campaign: Campaign, sender: Sender, drafts: tuple[Draft, ...], today: dt.date
) -> dict[str, str]:
    """File name → HTML page for every draft whose recipient has a postal address."""
    renderer = renderer_for(campaign)
    pages: dict[str, str] = {}
    for draft in drafts:
        record = draft.recipient
        if record.postal is None:
            continue
        language = parse_language(draft.language)[0]
        context = letter_context(record, sender, language, "print", today)
        _, letter = compose_letter(
            renderer, record, sender, draft.language, "print", today, draft.note_language or None
        )
        address_lines = list(record.postal.lines_latin or record.postal.lines)
        if record.postal.lines_latin:
            address_lines.append(f"({record.postal.one_line()})")
        page_context: dict[str, Any] = {
            **context,
            "subject": letter.subject,
            "date": format_date(today, language),
            "address_lines": [line for line in address_lines if line],
            # The last paragraph is the sender's name block: the signature goes above it.
            "paragraphs": [block.split("\n") for block in letter.body.split("\n\n")][:-1],
            "name_block": letter.body.split("\n\n")[-1].split("\n"),
        }
        pages[f"{record.id}.html"] = renderer.render_file(PRINT_TEMPLATE, page_context)
    return pages
