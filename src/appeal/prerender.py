"""Letters rendered once with marked places, then filled in for each sender.

Rendering a Jinja template per letter is the slow part of drafting. For many senders (the
organiser's mail-merge) and for the action page, each record's letter is rendered once per
combination of the optional sender fields (city, e-mail, note), with marked places for the
sender's details; filling them in is plain string replacement. The templates and the code that
render them are the ones ``appeal draft`` uses, and the sender's details are tidied the same way
before they are put in, so a filled-in letter is the letter ``appeal draft`` writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from appeal.campaign import Campaign
from appeal.countries import SLOT_COUNTRY, name_in
from appeal.drafts import compose_letter, medium_for, recipient_choice, renderer_for
from appeal.letters import Letter
from appeal.records import Recipient
from appeal.sender import Sender

# Marked places: control characters, which no checked sender field can contain.
SLOT_NAME = "\x01N\x01"
SLOT_CITY = "\x01T\x01"
SLOT_EMAIL = "\x01E\x01"
SLOT_NOTE = "\x01M\x01"
#: The variants: bit 0, a city is given; bit 1, an e-mail address; bit 2, a note.
VARIANTS = range(8)


def variant_of(sender: Sender) -> int:
    """Which of the eight renderings fits this sender."""
    return (1 if sender.city else 0) | (2 if sender.email else 0) | (4 if sender.note else 0)


def slot_sender(variant: int) -> Sender:
    """A sender made of marked places, with the optional fields of ``variant``."""
    return Sender(
        name=SLOT_NAME,
        country=SLOT_COUNTRY,
        city=SLOT_CITY if variant & 1 else None,
        email=SLOT_EMAIL if variant & 2 else None,
        note=SLOT_NOTE if variant & 4 else None,
    )


def country_slot(language: str) -> str:
    """The marked place for the sender's country named in ``language``."""
    return name_in(SLOT_COUNTRY, language)


@dataclass(frozen=True)
class SlotLetter:
    """A letter with marked places, and the languages whose country names it holds."""

    subject: str
    body: str
    languages: tuple[str, ...]


class Prerendered:
    """Letters of one campaign in one language choice, rendered on first use and kept."""

    def __init__(self, campaign: Campaign, language: str, today: dt.date | None = None) -> None:
        self.renderer = renderer_for(campaign)
        self.language = language
        self.today = today or dt.date.today()
        self._letters: dict[tuple[str, int], SlotLetter] = {}

    def letter(self, record: Recipient, variant: int) -> SlotLetter:
        """The record's letter for one variant, with marked places."""
        key = (record.id, variant)
        if key not in self._letters:
            used, letter = compose_letter(
                self.renderer,
                record,
                slot_sender(variant),
                recipient_choice(record, self.language),
                medium_for(record),
                self.today,
            )
            self._letters[key] = SlotLetter(letter.subject, letter.body, tuple(used.split("+")))
        return self._letters[key]

    def fill(self, record: Recipient, sender: Sender) -> tuple[str, Letter]:
        """(language used, letter) for a real sender: the slotted letter filled in."""
        slotted = self.letter(record, variant_of(sender))
        body = (
            slotted.body.replace(SLOT_NAME, sender.name)
            .replace(SLOT_CITY, sender.city or "")
            .replace(SLOT_EMAIL, sender.email or "")
            .replace(SLOT_NOTE, sender.note or "")
        )
        for language in slotted.languages:
            body = body.replace(country_slot(language), name_in(sender.country, language))
        return "+".join(slotted.languages), Letter(slotted.subject, body)
