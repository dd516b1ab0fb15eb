"""Letters rendered once with marked places, then filled in for each sender: text and links.

Rendering a Jinja template per letter is the slow part of drafting, and percent-encoding a whole
letter for every link is the next. For many senders (the organiser's mail-merge) and for the
action page, each record's letter is rendered once per language choice and combination of the
optional sender fields (city, e-mail, note), with marked places for the sender's details (see
:mod:`appeal.slots`); filling them in is joining strings. For links, the letter's text between
the marked places is also cleaned and percent-encoded once, so a sender costs only the encoding
of their own name, city, e-mail, note and country name, and of the subject when the template
puts their details in it.

The templates and the code that render them are the ones ``appeal draft`` uses, and a letter is
only filled in when that gives exactly what ``appeal draft`` writes: the template must write the
sender's details out whole (never measure, change or compare them), and a sample sender's letter
filled in must equal the same letter rendered. A letter that fails either check is rendered for
each sender in the mail-merge, and refused by the action page, which cannot render.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from appeal.campaign import Campaign
from appeal.countries import SLOT_COUNTRY, Country, name_in, resolve_country
from appeal.draft_warnings import links_too_long_warning, too_long_entry
from appeal.drafts import (
    DraftOptions,
    compose_letter,
    link_allowed,
    link_budget,
    mail_links,
    medium_for,
    renderer_for,
)
from appeal.languages import letter_choice, parse_language, sender_language
from appeal.letters import Letter
from appeal.links import clean_body, clean_subject, mail_link, percent_encode
from appeal.records import Recipient
from appeal.safety import Notice
from appeal.sender import Sender, make_sender
from appeal.slots import (
    SLOT_CITY,
    SLOT_EMAIL,
    SLOT_NAME,
    SLOT_NOTE,
    SlotText,
    country_slot_text,
    watch,
)
from appeal.textguard import fold_spaces

__all__ = [
    "SLOT_CITY",
    "SLOT_EMAIL",
    "SLOT_NAME",
    "SLOT_NOTE",
    "VARIANTS",
    "Prerendered",
    "SlotLetter",
    "country_slot",
    "slot_sender",
    "variant_of",
]

#: The variants: bit 0, a city is given; bit 1, an e-mail address; bit 2, a note.
VARIANTS = range(8)
#: A marked place, capturing its key: N name, T city (town), E e-mail, M note, C+language country.
_PLACE = re.compile("\x01(N|T|E|M|C[a-z]+)\x01")

#: Link values the link builders leave as they are (unreserved characters only), used to find
#: where a link's subject and body go.
_SUBJECT_MARK = "appeal-subject-9f3c"
_BODY_MARK = "appeal-body-4e7a"


def variant_of(sender: Sender) -> int:
    """Which of the eight renderings fits this sender."""
    return (1 if sender.city else 0) | (2 if sender.email else 0) | (4 if sender.note else 0)


def slot_sender(variant: int) -> Sender:
    """A sender made of marked places, with the optional fields of ``variant``."""
    return Sender(
        name=SlotText(SLOT_NAME),
        country=SLOT_COUNTRY,
        city=SlotText(SLOT_CITY) if variant & 1 else None,
        email=SlotText(SLOT_EMAIL) if variant & 2 else None,
        note=SlotText(SLOT_NOTE) if variant & 4 else None,
    )


def country_slot(language: str) -> str:
    """The marked place for the sender's country named in ``language``."""
    return country_slot_text(language)


def _sample_sender(variant: int) -> Sender:
    """A sender whose details hold what escaping, folding or measuring would change."""
    return make_sender(
        'Zoë  O\'Brien-Ärger & <Co> "#1" + 100% {x} Жанна 🌍\u00a0',
        resolve_country("CI"),
        city="São  Paulo & Co. #2" if variant & 1 else None,
        email="probe+tag@example.org" if variant & 2 else None,
        note="One & <two> 50% #3 {x}\n\nСлово  🌍\tand a tab" if variant & 4 else None,
    )


class SlotLetter(NamedTuple):
    """A letter with marked places; its subject and body split at them."""

    subject: str
    body: str
    #: The languages whose country names the letter holds ("de" or "de", "ru").
    languages: tuple[str, ...]
    #: Literal text and place keys, alternating: (text, key, text, ..., text).
    subject_parts: tuple[str, ...]
    body_parts: tuple[str, ...]
    #: Why the letter cannot be filled in (it must be rendered for each sender), or None.
    why_not: str | None = None

    @property
    def used(self) -> str:
        """The language choice used, as ``appeal draft`` reports it ("de" or "de+ru")."""
        return "+".join(self.languages)


def _fill(parts: Sequence[str], values: Mapping[str, str]) -> str:
    pieces = list(parts)
    for index in range(1, len(pieces), 2):
        pieces[index] = values[pieces[index]]
    return "".join(pieces)


class _Encoded(NamedTuple):
    """A letter's parts as links carry them: cleaned and percent-encoded once."""

    #: The encoded subject, or None when it holds marked places (encoded for each sender).
    subject: str | None
    #: Encoded literal text and place keys, alternating.
    body_parts: tuple[str, ...]


class _Shape(NamedTuple):
    """One kind of link to one set of addresses, with the places of its subject and body."""

    prefix: str
    middle: str
    suffix: str
    short_prefix: str
    short_suffix: str
    #: The link carries a whole mailto: URI, encoded once more (Proton Mail).
    nested: bool


class _Plan(NamedTuple):
    """How one record's links are made for one variant (see :meth:`Prerendered._plan`)."""

    slotted: SlotLetter
    encoded: _Encoded | None
    #: (via, shape, budget) for each link the record can take.
    links: tuple[tuple[str, _Shape, int], ...]


def _shape(via: str, to: tuple[str, ...]) -> _Shape | None:
    """Where subject and body go in ``via``'s links, found by building one with the real
    builders; None if an address holds a mark (then links are built the slow way)."""
    full = mail_link(via, to, _SUBJECT_MARK, _BODY_MARK)
    short = mail_link(via, to, _SUBJECT_MARK)
    if full.count(_SUBJECT_MARK) != 1 or full.count(_BODY_MARK) != 1:
        return None
    if short.count(_SUBJECT_MARK) != 1:
        return None
    prefix, _, rest = full.partition(_SUBJECT_MARK)
    middle, _, suffix = rest.partition(_BODY_MARK)
    if middle.count(_BODY_MARK) or suffix.count(_SUBJECT_MARK):
        return None
    short_prefix, _, short_suffix = short.partition(_SUBJECT_MARK)
    nested = "%2525" in mail_link(via, to, "%", _BODY_MARK)
    return _Shape(prefix, middle, suffix, short_prefix, short_suffix, nested)


_CONTROL = re.compile("[\x00-\x1f\x7f]")


def _encode(text: str) -> str:
    """Clean as a link's body is cleaned (only when there is something to clean), encode."""
    return percent_encode(clean_body(text) if _CONTROL.search(text) else text)


class _EncodedValues(dict[str, str]):
    """A sender's details cleaned and percent-encoded as links carry them, each on first use."""

    def __init__(
        self,
        values: Mapping[str, str],
        country: Country,
        encoded_country: Callable[[Country, str], str],
    ) -> None:
        super().__init__()
        self.plain = values
        self.country = country
        self.encoded_country = encoded_country

    def __missing__(self, key: str) -> str:
        if key[0] == "C":
            encoded = self.encoded_country(self.country, key[1:])
        else:
            encoded = _encode(self.plain[key])
        self[key] = encoded
        return encoded


class _OwnParts:
    """One sender's details: plain, encoded on demand, and whether any holds a CR."""

    def __init__(self, values: dict[str, str], encoded: _EncodedValues) -> None:
        self.values = values
        self.encoded = encoded
        # Cleaning turns CR LF into one line break: a CR at the end of a detail would join the
        # letter's next line break, so such details take the slow way (checked ones never do).
        self.has_cr = any("\r" in value for value in values.values())


class Prerendered:
    """Letters of one campaign in one language choice, rendered on first use and kept."""

    def __init__(
        self,
        campaign: Campaign,
        language: str,
        today: dt.date | None = None,
        explicit: bool = True,
        medium: str | None = None,
    ) -> None:
        self.renderer = renderer_for(campaign)
        #: The medium every letter is written for ("print" for printed letters), else each
        #: record's own (see drafts.medium_for).
        self.medium = medium
        self.language = language
        #: As DraftOptions.language_explicit: a language chosen by the sender, not
        #: their locale's, decides kinds that the campaign writes in a language of its own.
        self.options = DraftOptions(language=language, language_explicit=explicit)
        self.letter_rules = campaign.settings.letters
        self.today = today or dt.date.today()
        self._letters: dict[tuple[str, int], SlotLetter] = {}
        self._plans: dict[tuple[str, int, tuple[str, ...], int, int], _Plan] = {}
        self._shapes: dict[tuple[str, tuple[str, ...]], _Shape | None] = {}
        self._countries: dict[tuple[Country, str], str] = {}
        self._to: dict[str, tuple[str, ...]] = {}
        self._last_sender: tuple[Sender, tuple[str, ...], _OwnParts] | None = None

    def letter(self, record: Recipient, variant: int) -> SlotLetter:
        """The record's letter for one variant, with marked places."""
        key = (record.id, variant)
        if key not in self._letters:
            self._letters[key] = self._prerender(record, variant)
        return self._letters[key]

    def _compose(self, record: Recipient, sender: Sender) -> tuple[str, Letter]:
        """The letter ``appeal draft`` writes for this record and sender (rendered)."""
        medium = self.medium or medium_for(record, self.today)
        choice = letter_choice(
            record, self.options.language, self.options.language_explicit, self.letter_rules
        )[0]
        note_language = sender_language(record, self.options.language)
        return compose_letter(
            self.renderer, record, sender, choice, medium, self.today, note_language
        )

    def _prerender(self, record: Recipient, variant: int) -> SlotLetter:
        # The marked places are control characters, which a render may hold only here: a stray
        # one is caught below, and a letter rendered for a real sender refuses it.
        with self.renderer.markers_allowed("\x01"), watch() as uses:
            used, letter = self._compose(record, slot_sender(variant))
        slotted = SlotLetter(
            letter.subject,
            letter.body,
            tuple(used.split("+")),
            tuple(_PLACE.split(letter.subject)),
            tuple(_PLACE.split(letter.body)),
        )
        if uses.seen:
            how = ", ".join(sorted(set(uses.seen)))
            return slotted._replace(why_not=f"uses the sender's details other than whole ({how})")
        if "\x01" in _PLACE.sub("", letter.subject + letter.body):
            return slotted._replace(why_not="cuts a marked place for the sender's details")
        sample = _sample_sender(variant)
        if self._filled(slotted, sample) != self._compose(record, sample):
            return slotted._replace(
                why_not="gives another letter for a sample sender than the one filled in"
            )
        return slotted

    def _values(self, sender: Sender, languages: Sequence[str]) -> dict[str, str]:
        values = {
            "N": sender.name,
            "T": sender.city or "",
            "E": sender.email or "",
            "M": sender.note or "",
        }
        for language in languages:
            values["C" + language] = name_in(sender.country, language)
        return values

    def _filled(self, slotted: SlotLetter, sender: Sender) -> tuple[str, Letter]:
        values = self._values(sender, slotted.languages)
        subject = slotted.subject
        if len(slotted.subject_parts) > 1:
            # The sender's details may start or end with white space that the subject folds.
            subject = fold_spaces(_fill(slotted.subject_parts, values))
        return slotted.used, Letter(subject, _fill(slotted.body_parts, values))

    def fill(self, record: Recipient, sender: Sender) -> tuple[str, Letter]:
        """(language used, letter) for a real sender, as ``appeal draft`` writes it."""
        slotted = self.letter(record, variant_of(sender))
        if slotted.why_not is not None:
            return self._compose(record, sender)
        return self._filled(slotted, sender)

    def mail_links(
        self,
        record: Recipient,
        sender: Sender,
        options: DraftOptions,
        vias: Sequence[str],
    ) -> tuple[str, dict[str, str | None], dict[str, str], list[Notice]]:
        """(language used, links, fallback links, warnings) for a real sender: what
        :func:`appeal.drafts.mail_links` gives for the letter ``appeal draft`` writes, built
        from the letter's parts encoded once and the sender's own details encoded here."""
        variant = variant_of(sender)
        plan = self._plan(record, variant, options, vias)
        slotted = plan.slotted
        own = self._own_parts(sender, slotted.languages)
        if plan.encoded is None or own.has_cr:
            used, letter = self.fill(record, sender)
            to = self._addresses(record)
            return used, *mail_links(to, letter.subject, letter.body, options, vias)
        subject = plan.encoded.subject
        if subject is None:
            subject = percent_encode(
                clean_subject(fold_spaces(_fill(slotted.subject_parts, own.values)))
            )
            if not subject:  # a subject of nothing but control characters: no subject field
                used, letter = self._filled(slotted, sender)
                to = self._addresses(record)
                return used, *mail_links(to, letter.subject, letter.body, options, vias)
        body = _fill(plan.encoded.body_parts, own.encoded)
        links: dict[str, str | None] = dict.fromkeys(vias)
        fallback: dict[str, str] = {}
        language = parse_language(options.language)[0]
        too_long: list[str] = []
        for via, shape, budget in plan.links:
            link_subject, link_body = subject, body
            if shape.nested:
                link_subject = subject.replace("%", "%25")
                link_body = body.replace("%", "%25")
            full = shape.prefix + link_subject + shape.middle + link_body + shape.suffix
            if len(full) <= budget:
                links[via] = full
            else:
                fallback[via] = shape.short_prefix + link_subject + shape.short_suffix
                too_long.append(too_long_entry(via, len(full), budget, language))
        warnings = [links_too_long_warning(too_long, language)] if too_long else []
        return slotted.used, links, fallback, warnings

    def _plan(
        self, record: Recipient, variant: int, options: DraftOptions, vias: Sequence[str]
    ) -> _Plan:
        """How links are made for one record and variant: the letter's parts encoded once and
        each link's shape and budget; no encoded parts where links must be built whole."""
        key = (record.id, variant, tuple(vias), options.mailto_budget, options.webmail_budget)
        if key not in self._plans:
            slotted = self.letter(record, variant)
            to = self._addresses(record)
            encoded = self._encode_letter(slotted) if to else None
            links = []
            for via in vias:
                if not link_allowed(via, to):
                    continue
                shape = self._shape(via, to)
                if shape is None:
                    encoded = None
                    break
                links.append((via, shape, link_budget(via, options)))
            self._plans[key] = _Plan(slotted, encoded, tuple(links))
        return self._plans[key]

    def _addresses(self, record: Recipient) -> tuple[str, ...]:
        if record.id not in self._to:
            self._to[record.id] = tuple(email.address for email in record.sendable_emails)
        return self._to[record.id]

    def _own_parts(self, sender: Sender, languages: tuple[str, ...]) -> _OwnParts:
        """The sender's details, plain and encoded; kept for the next call with the same
        sender (the mail-merge asks once for each of a supporter's recipients)."""
        last = self._last_sender
        if last is not None and last[0] is sender and last[1] == languages:
            return last[2]
        values = self._values(sender, languages)
        own = _OwnParts(values, _EncodedValues(values, sender.country, self._encoded_country))
        self._last_sender = (sender, languages, own)
        return own

    @staticmethod
    def _encode_letter(slotted: SlotLetter) -> _Encoded | None:
        if slotted.why_not is not None:
            return None
        texts = slotted.body_parts[::2]
        if any(text.endswith("\r") for text in texts):
            return None
        if not clean_body("".join(texts)) and len(slotted.body_parts) == 1:
            return None
        subject = None
        if len(slotted.subject_parts) == 1:
            subject = percent_encode(clean_subject(slotted.subject))
            if not subject:
                return None
        parts = [
            _encode(part) if index % 2 == 0 else part
            for index, part in enumerate(slotted.body_parts)
        ]
        return _Encoded(subject, tuple(parts))

    def _shape(self, via: str, to: tuple[str, ...]) -> _Shape | None:
        key = (via, to)
        if key not in self._shapes:
            self._shapes[key] = _shape(via, to)
        return self._shapes[key]

    def _encoded_country(self, country: Country, language: str) -> str:
        key = (country, language)
        if key not in self._countries:
            self._countries[key] = _encode(name_in(country, language))
        return self._countries[key]
