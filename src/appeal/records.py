"""Recipient records: the schema of ``recipients.yaml``, its validation, and the typed records.

Schema version 2 (documented for organisers in the README)::

    schema_version: 2
    recipients:
      - id: mission-de                 # unique; letters, digits and '-'
        kind: mission                  # one of the kinds campaign.yaml declares
        country: DE                    # ISO 3166-1 alpha-2 the record serves; required for a
                                       # kind that serves one country per record, omitted
                                       # for a body that serves everyone
        also_serves: [LI]              # other countries this post covers (optional)
        name: {en: ..., ru: ...}       # display name per language (en required)
        addressee: {en: ...}           # first line of the postal address block, per language
        salutation: {en: Your Excellency}   # form of address per language; never guessed
        officeholder:                  # optional; never without as_of
          name: ...
          title: H.E. Mr.
          role: Permanent Representative
          as_of: 2026-01-29
          source: ...
        email:                         # optional; strings or mappings
          - address: info@example.org
            confidence: high           # defaults to the record's
            source: ...                # defaults to the record's
            last_seen: 2022-01-20      # defaults to the record's
            role: consular section     # a mailbox of part of the office: listed, never in To:
            note: ...
        form: {url: https://..., fields: [full name, e-mail], max_chars: 2000, note: ...}
        postal:                        # one element per line, from the street down
          lines: [Unter den Linden 63-65, 10117 Berlin]
          lines_latin: [...]           # a Latin-script form where the source gives one
          country: DE                  # where the address is; printed letters posted from
                                       # another country add its name in capitals
        phone: ["+49 30 2291110"]
        website: https://...
        handles:                       # accounts for short public posts, each confirmed:
          x: {handle: Genproc, source: ..., last_seen: 2018-03}
        languages: [ru, en]            # languages of correspondence, most preferred first
        source: ...                    # where the facts were read
        last_seen: 2015-03-19          # the source's date: YYYY-MM-DD, YYYY-MM, YYYY, or
                                       # "undated" when the source carries no date at all
        closed_since: 2022-02-24       # the post is closed: no letter is drafted to it
        channel_sources:               # where and when each other channel was seen (each
          postal: {source: ..., last_seen: 2015-03-19, confidence: high}   # defaults to the
          phone: {source: ..., last_seen: 2025-12-20}                      # record's)
          website: {source: ..., last_seen: 2022-11-16}
          form: {source: ..., last_seen: 2024}
        lead: post                     # the channel that leads this record's drafts, when the
                                       # office's own rules say so (email|form|post|website)
        channel_advice: {post: ..., form: ...}   # what a sender should know about a channel
        city: Ouagadougou              # where the office is, when nothing else is known
        fallback:                      # the office that covered the country before, offered
          recipient: mission-ci        # while this record has no contact detail
          note: ...
        check_pages:                   # official pages to check the contact details against
          - {url: https://..., title: the office's own site}
        confidence: high               # high | medium | low
        notes: ...

Every problem in the file is collected and reported at once, each with its line and place.

Version 1 files are still read. They differ only in ``postal``, written
``{address: "...", address_latin: "..."}``: such an address is split into lines at its line
breaks only, never at commas (a comma also parts a street from its number, "Unter den Linden,
63-65"), and has no country. :func:`upgrade_postal` turns the old form into the new one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, cast

from appeal.emails import EmailProblem, check_email, is_free_mail, quick_email
from appeal.errors import DataError
from appeal.textguard import hidden_character_problem

if TYPE_CHECKING:
    from appeal.yamlfile import PathKey, YamlDocument

SCHEMA_VERSION = 2
#: Versions this module reads; the ones before SCHEMA_VERSION differ as the docstring says.
READABLE_VERSIONS = (1, 2)
#: At most this many lines in a postal address (addressee and country come on top).
MAX_POSTAL_LINES = 8

#: What a recipient kind's id looks like: the campaign declares its kinds (campaign.yaml), and
#: an id names template files (``letters/en/<kind>.txt.j2``).
KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
Confidence = Literal["high", "medium", "low"]
#: The ways a letter can reach an office, each with its own source and date.
ChannelKind = Literal["email", "form", "post", "website", "phone"]
#: Channel kinds that ``channel_sources`` and ``channel_advice`` may describe.
CHANNEL_FIELDS = ("postal", "phone", "website", "form")
#: Channel kinds a record may name in ``lead`` and ``channel_advice``.
LEAD_CHANNELS = ("email", "form", "post", "website")
CONFIDENCES: tuple[Confidence, ...] = ("high", "medium", "low")
#: Languages a record's per-language texts may be written in.
LANGUAGES = ("en", "ru", "de", "fr", "es")

_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_LANG_PATTERN = re.compile(r"^[a-z]{2}$")
_URL_PATTERN = re.compile(r"^https?://[^\s<>\"]+$")
_HTTPS_PATTERN = re.compile(r"^https://[^\s<>\"]+$")
#: Names Windows reserves for devices: a file called ``con.eml`` cannot be written there, so
#: record ids (which name output files) may not be one of them.
WINDOWS_DEVICE_NAMES = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"{port}{digit}" for port in ("com", "lpt") for digit in "0123456789"]
)
#: A fact last seen after tomorrow (a day's grace for time zones) was not seen yet.
_FUTURE_GRACE = dt.timedelta(days=1)
_MAX_TEXT = 2000


class SeenDate(NamedTuple):
    """The date a fact was last seen in its source, as precise as the source allows."""

    text: str
    earliest: dt.date | None

    def age_days(self, today: dt.date) -> int | None:
        """Days from the earliest day this date can mean to ``today``; None when undated."""
        return None if self.earliest is None else (today - self.earliest).days

    def phrase(self) -> str:
        """'on 2015-03-19', 'in 2018-03', or 'at an unknown date' for use in a sentence."""
        if self.earliest is None:
            return "at an unknown date"
        return f"on {self.text}" if len(self.text) == 10 else f"in {self.text}"

    def __str__(self) -> str:
        return self.text


class EmailAddress(NamedTuple):
    """One e-mail address of a recipient, in the ASCII form that links and .eml files need."""

    address: str
    confidence: Confidence
    source: str
    last_seen: SeenDate
    note: str | None = None
    #: A mailbox of part of the office (its consular section): listed, never put in To:.
    role: str | None = None

    @property
    def is_free_mail(self) -> bool:
        """Whether the address is on a free or consumer mail provider's domain."""
        return is_free_mail(self.address)


class ChannelSource(NamedTuple):
    """Where and when one channel of a record (its postal address, phones, website, form) was
    seen, and how far that source can be trusted."""

    source: str
    last_seen: SeenDate
    confidence: Confidence


class Fallback(NamedTuple):
    """The office to write to while a record has no contact detail, and why."""

    recipient: str
    note: str


class CheckPage(NamedTuple):
    """An official page on which a sender can check a record's contact details."""

    url: str
    title: str


class OnlineForm(NamedTuple):
    """An official online reception form: where it is and what it asks for."""

    url: str
    fields: tuple[str, ...] = ()
    max_chars: int | None = None
    note: str | None = None


class PostalAddress(NamedTuple):
    """A postal address, one element per line as the source gives it: from the street down to
    the postcode and city, never the addressee (the record's ``addressee`` and ``name``) and
    never the country, which printed letters add in capitals when posted from another one."""

    lines: tuple[str, ...]
    lines_latin: tuple[str, ...] = ()
    #: ISO 3166-1 alpha-2 of the country the address is in; None when the record does not say.
    country: str | None = None

    def one_line(self, latin: bool = False) -> str:
        """The address on one line, for listings (the native form unless ``latin``)."""
        return ", ".join(self.lines_latin if latin and self.lines_latin else self.lines)


class Officeholder(NamedTuple):
    """A named holder of the office, valid only with the date the source said so."""

    name: str
    as_of: SeenDate
    source: str
    title: str | None = None
    role: str | None = None


class Recipient(NamedTuple):
    """One office that letters can be addressed to."""

    id: str
    kind: str
    country: str | None
    also_serves: tuple[str, ...]
    name: Mapping[str, str]
    addressee: Mapping[str, str]
    salutation: Mapping[str, str]
    officeholder: Officeholder | None
    emails: tuple[EmailAddress, ...]
    form: OnlineForm | None
    postal: PostalAddress | None
    phones: tuple[str, ...]
    website: str | None
    handles: Mapping[str, str]
    languages: tuple[str, ...]
    source: str
    last_seen: SeenDate
    confidence: Confidence
    notes: str | None
    closed_since: SeenDate | None = None
    channel_sources: Mapping[str, ChannelSource] = {}
    lead: str | None = None
    channel_advice: Mapping[str, str] = {}
    city: str | None = None
    fallback: Fallback | None = None
    check_pages: tuple[CheckPage, ...] = ()

    def text(self, field: Literal["name", "addressee", "salutation"], language: str) -> str | None:
        """A per-language text in ``language``, or None when the record has none in it."""
        texts: Mapping[str, str] = getattr(self, field)
        return texts.get(language)

    def display_name(self, language: str = "en") -> str:
        """The record's name in ``language``, falling back to English."""
        return self.name.get(language) or self.name["en"]

    @property
    def sendable_emails(self) -> tuple[EmailAddress, ...]:
        """Addresses good enough to put in To: (not low-confidence leads, not the mailbox of
        a part of the office such as its consular section)."""
        return tuple(e for e in self.emails if e.confidence != "low" and e.role is None)

    def channel_source(self, field: str) -> ChannelSource:
        """Where and when a channel (postal, phone, website, form) was seen: its own entry in
        ``channel_sources``, else the record's source and date."""
        return self.channel_sources.get(field) or ChannelSource(
            self.source, self.last_seen, self.confidence
        )

    def usable_channels(self) -> list[tuple[str, SeenDate]]:
        """Each channel a letter can use (e-mail in To:, form, post, phone, website) with the
        date it was last seen; low-confidence channels are left out."""
        found: list[tuple[str, SeenDate]] = [("email", e.last_seen) for e in self.sendable_emails]
        present = {
            "form": self.form is not None,
            "postal": self.postal is not None,
            "phone": bool(self.phones),
            "website": self.website is not None,
        }
        for field, there in present.items():
            seen = self.channel_source(field)
            if there and seen.confidence != "low":
                found.append((field, seen.last_seen))
        return found

    @property
    def newest_seen(self) -> SeenDate:
        """The date a sender sees: that of the newest channel a letter can go through (e-mail
        in To:, form, post), else of the newest other channel (phone, website), else the
        record's own; so that Argentina's 2026 e-mail is not shown as 2015, and a 2024 phone
        number does not make a 2015 e-mail address look current."""
        channels = self.usable_channels()
        letter = [seen for kind, seen in channels if kind in ("email", "form", "postal")]
        for dates in (letter, [seen for _, seen in channels]):
            dated = [seen for seen in dates if seen.earliest is not None]
            if dated:
                return max(dated, key=lambda seen: (seen.earliest, len(seen.text)))
            if dates:  # channels whose sources carry no date: their age is unknown
                return dates[0]
        return self.last_seen

    def serves(self, alpha2: str) -> bool:
        """Whether this record is a recipient for a sender in country ``alpha2``."""
        return serves(self.country, self.also_serves, alpha2)


def serves(country: str | None, also_serves: Sequence[str], alpha2: str) -> bool:
    """Whether a record for ``country`` (None: every country) that also serves ``also_serves``
    is a recipient for a sender in ``alpha2``."""
    return country is None or country == alpha2 or alpha2 in also_serves


_RECORD_FIELDS = {
    "id",
    "kind",
    "country",
    "also_serves",
    "name",
    "addressee",
    "salutation",
    "officeholder",
    "email",
    "form",
    "postal",
    "phone",
    "website",
    "handles",
    "languages",
    "source",
    "last_seen",
    "confidence",
    "notes",
    "closed_since",
    "channel_sources",
    "lead",
    "channel_advice",
    "city",
    "fallback",
    "check_pages",
}


class _Checker:
    """Collects problems with their place instead of stopping at the first."""

    def __init__(self, document: YamlDocument) -> None:
        self.document = document
        self.problems: list[str] = []
        self.check_emails = True
        self.version: int = SCHEMA_VERSION

    def problem(self, path: PathKey, label: str, message: str) -> None:
        line = self.document.line_of(path)
        where = f"{self.document.name}:{line}" if line else self.document.name
        self.problems.append(f"{where}: {label}: {message}" if label else f"{where}: {message}")


class _RecordReader:
    """Reads one record mapping, reporting each bad field through the checker."""

    def __init__(self, checker: _Checker, path: PathKey, raw: dict[str, Any]) -> None:
        self.checker = checker
        self.path = path
        self.raw = raw
        raw_id = raw.get("id")
        self.label = f"recipients[{path[-1]}]" + (f" ({raw_id})" if isinstance(raw_id, str) else "")
        self.ok = True

    def bad(self, field: str | PathKey, message: str) -> None:
        keys: PathKey = (field,) if isinstance(field, str) else field
        shown = ".".join(str(k) if isinstance(k, str) else f"[{k}]" for k in keys)
        shown = shown.replace(".[", "[")
        self.checker.problem((*self.path, *keys), f"{self.label}: {shown}", message)
        self.ok = False

    def text(self, field: str, required: bool = False) -> str | None:
        value = self.raw.get(field)
        if value is None:
            if required:
                self.bad(field, "missing")
            return None
        return self._check_text((field,), value)

    def _check_text(self, keys: PathKey, value: Any) -> str | None:
        if not isinstance(value, str):
            self.bad(keys, f"expected text, got {_describe(value)}; put it in quotes")
            return None
        if not value.strip():
            self.bad(keys, "is empty")
            return None
        if len(value) > _MAX_TEXT:
            self.bad(keys, f"is {len(value):,} characters long; the limit is {_MAX_TEXT:,}")
            return None
        problem = hidden_character_problem(value, allow="\n\t", data=True)
        if problem:
            self.bad(keys, problem)
            return None
        return value.strip()

    def single_line(self, keys: PathKey, value: Any) -> str | None:
        text = self._check_text(keys, value)
        if text is not None and "\n" in text:
            self.bad(keys, "must be on one line")
            return None
        return text

    def url(self, keys: PathKey, value: Any) -> str | None:
        text = self.single_line(keys, value)
        if text is not None and (problem := url_problem(text)):
            self.bad(keys, problem)
            return None
        return text

    def seen_date(self, keys: PathKey, value: Any, past: bool = True) -> SeenDate | None:
        parsed = parse_seen_date(value)
        if parsed is None:
            self.bad(
                keys, f"expected a date like 2015-03-19, 2018-03, 2018 or undated, got {value!r}"
            )
        elif past and parsed.earliest and parsed.earliest > dt.date.today() + _FUTURE_GRACE:
            self.bad(keys, f"{parsed.text} is in the future; give the date the source showed it")
            return None
        return parsed

    def choice(self, field: str, value: Any, choices: tuple[str, ...]) -> str | None:
        if isinstance(value, str) and value in choices:
            return value
        close = _close_matches(str(value), choices)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        self.bad(field, f"{value!r} is not one of {', '.join(choices)}{hint}")
        return None

    def per_language(self, field: str, required_en: bool = False) -> dict[str, str]:
        value = self.raw.get(field)
        if value is None:
            if required_en:
                self.bad(field, "missing (a mapping of language to text, with 'en')")
            return {}
        if not isinstance(value, dict):
            self.bad(field, f"expected a mapping of language to text, got {_describe(value)}")
            return {}
        texts: dict[str, str] = {}
        for language, text in value.items():
            if language not in LANGUAGES:
                self.bad((field, language), f"unknown language; use one of {', '.join(LANGUAGES)}")
                continue
            checked = self.single_line((field, language), text)
            if checked is not None:
                texts[language] = checked
        if required_en and "en" not in value:
            self.bad(field, "needs an English ('en') text")
        return texts

    def country_code(self, keys: PathKey, value: Any) -> str | None:
        from appeal.countries import is_alpha2

        if isinstance(value, str) and is_alpha2(value):
            return value
        self.bad(keys, f"{value!r} is not an ISO 3166-1 alpha-2 code in capitals (e.g. DE)")
        return None


def url_problem(text: str, https_only: bool = False) -> str | None:
    """Why ``text`` is not a usable web address (http(s), or https only), or None."""
    if https_only:
        return None if _HTTPS_PATTERN.match(text) else f"{text!r} is not an https:// URL"
    return None if _URL_PATTERN.match(text) else f"{text!r} is not an http(s) URL"


def _close_matches(word: str, choices: Sequence[str]) -> list[str]:
    import difflib  # only on the error path: it costs a millisecond at start-up

    return difflib.get_close_matches(word, choices, n=1)


def parse_seen_date(value: Any) -> SeenDate | None:
    """Accept a date, or text 'YYYY-MM-DD', 'YYYY-MM', 'YYYY' or 'undated'; else None."""
    if isinstance(value, dt.date):
        return SeenDate(value.isoformat(), value)
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100:
        return SeenDate(str(value), dt.date(value, 1, 1))  # a bare year reads as a number
    if not isinstance(value, str):
        return None
    if value.strip() == "undated":
        return SeenDate("undated", None)
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value.strip())
    if not match:
        return None
    year, month, day = match.groups()
    if day and not month:
        return None
    try:
        earliest = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return SeenDate(value.strip(), earliest)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int):
        return f"a number ({value})"
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def parse_recipients(
    document: YamlDocument,
    check_emails: bool = True,
    kinds: Mapping[str, str] | None = None,
) -> tuple[Recipient, ...]:
    """Validate a parsed ``recipients.yaml`` and return its records.

    ``kinds`` maps the campaign's recipient kinds to how they serve ("country": each record
    needs a country; "everyone"); a record of another kind is an error. Without it (a file
    checked on its own), a kind only has to look like one.

    Raises DataError listing every problem found, each with its line and place. With
    ``check_emails`` false, addresses get only a quick shape check instead of email-validator's
    full one (which costs a fifth of a second at start-up): for the embedded campaign, whose file
    the project's tests and ``appeal recipients check`` validate in full.
    """
    checker = _Checker(document)
    checker.check_emails = check_emails
    root = document.value
    if not isinstance(root, dict):
        checker.problem((), "", f"expected a mapping with 'recipients', got {_describe(root)}")
        raise DataError(*checker.problems)
    for key in root:
        if key not in ("schema_version", "recipients"):
            checker.problem((key,), key, "unknown top-level key")
    version = root.get("schema_version")
    readable = isinstance(version, int) and not isinstance(version, bool)
    if not readable or version not in READABLE_VERSIONS:
        checker.problem(
            ("schema_version",),
            "schema_version",
            f"expected {SCHEMA_VERSION} (or the older {READABLE_VERSIONS[0]}), got {version!r}",
        )
    checker.version = version if readable and version in READABLE_VERSIONS else SCHEMA_VERSION
    entries = root.get("recipients")
    if not isinstance(entries, list):
        checker.problem(("recipients",), "recipients", f"expected a list, got {_describe(entries)}")
        raise DataError(*checker.problems)
    records: list[Recipient] = []
    seen_ids: dict[str, int] = {}
    for index, raw in enumerate(entries):
        path: PathKey = ("recipients", index)
        if not isinstance(raw, dict):
            checker.problem(
                path, f"recipients[{index}]", f"expected a mapping, got {_describe(raw)}"
            )
            continue
        record = _read_record(_RecordReader(checker, path, raw), kinds)
        if record is None:
            continue
        if record.id in seen_ids:
            checker.problem(
                (*path, "id"),
                f"recipients[{index}] ({record.id})",
                f"duplicate id; recipients[{seen_ids[record.id]}] has it too",
            )
            continue
        seen_ids[record.id] = index
        records.append(record)
    if checker.problems:
        raise DataError(*checker.problems)
    return tuple(records)


def _read_record(reader: _RecordReader, kinds: Mapping[str, str] | None) -> Recipient | None:
    raw = reader.raw
    for key in raw:
        if key not in _RECORD_FIELDS:
            close = _close_matches(key, sorted(_RECORD_FIELDS))
            reader.bad(key, "unknown field" + (f"; did you mean {close[0]!r}?" if close else ""))
    record_id = reader.text("id", required=True)
    if record_id is not None and not _ID_PATTERN.match(record_id):
        reader.bad("id", f"{record_id!r}: use lower-case letters, digits and '-'")
    elif record_id in WINDOWS_DEVICE_NAMES:
        reader.bad("id", f"{record_id!r} names a device on Windows; choose another id")
    kind = _read_kind(reader, kinds)
    country = None
    if raw.get("country") is not None:
        country = reader.country_code(("country",), raw["country"])
    elif kind and kinds and kinds.get(kind) == "country":
        reader.bad("country", f"missing; each record of kind {kind!r} serves one country")
    also_serves = _read_list(reader, "also_serves", reader.country_code)
    name = reader.per_language("name", required_en=True)
    addressee = reader.per_language("addressee")
    salutation = reader.per_language("salutation")
    officeholder = _read_officeholder(reader)
    emails = _read_emails(reader)
    form = _read_form(reader)
    postal = _read_postal(reader)
    phones = _read_list(reader, "phone", reader.single_line)
    website = reader.url(("website",), raw["website"]) if raw.get("website") is not None else None
    handles = _read_handles(reader)
    languages = _read_list(reader, "languages", _language_checker(reader))
    source = reader.text("source", required=True)
    last_seen = None
    if raw.get("last_seen") is None:
        reader.bad("last_seen", "missing: the date the source showed these facts")
    else:
        last_seen = reader.seen_date(("last_seen",), raw["last_seen"])
    confidence = reader.choice("confidence", raw.get("confidence"), CONFIDENCES)
    notes = reader.text("notes")
    closed_since = None
    if raw.get("closed_since") is not None:
        closed_since = reader.seen_date(("closed_since",), raw["closed_since"], past=False)
    channel_sources = _read_channel_sources(reader)
    lead = None
    if raw.get("lead") is not None:
        lead = reader.choice("lead", raw["lead"], LEAD_CHANNELS)
    advice = _read_text_mapping(reader, "channel_advice", LEAD_CHANNELS)
    city = reader.single_line(("city",), raw["city"]) if raw.get("city") is not None else None
    fallback = _read_fallback(reader)
    check_pages = _read_check_pages(reader)
    if not reader.ok:
        return None
    assert record_id and kind and source and last_seen and confidence  # guaranteed by reader.ok
    default_source, default_seen = source, last_seen
    return Recipient(
        id=record_id,
        kind=kind,
        country=country,
        also_serves=also_serves,
        name=name,
        addressee=addressee,
        salutation=salutation,
        officeholder=officeholder,
        emails=tuple(
            EmailAddress(
                address=address,
                confidence=cast(Confidence, email_confidence or confidence),
                source=email_source or default_source,
                last_seen=email_seen or default_seen,
                note=note,
                role=role,
            )
            for address, email_confidence, email_source, email_seen, note, role in emails
        ),
        form=form,
        postal=postal,
        phones=phones,
        website=website,
        handles=handles,
        languages=languages,
        source=source,
        last_seen=last_seen,
        confidence=cast(Confidence, confidence),
        notes=notes,
        closed_since=closed_since,
        channel_sources=channel_sources,
        lead=lead,
        channel_advice=advice,
        city=city,
        fallback=fallback,
        check_pages=check_pages,
    )


def _read_kind(reader: _RecordReader, kinds: Mapping[str, str] | None) -> str | None:
    """The record's kind: one the campaign declares (``kinds``), else of the shape of one."""
    value = reader.raw.get("kind")
    if kinds is not None:
        if isinstance(value, str) and value in kinds:
            return value
        close = _close_matches(str(value), tuple(kinds))
        hint = f"; did you mean {close[0]!r}?" if close else ""
        declared = ", ".join(kinds)
        reader.bad("kind", f"{value!r} is not a kind campaign.yaml declares ({declared}){hint}")
        return None
    if not isinstance(value, str) or not KIND_PATTERN.match(value):
        reader.bad("kind", f"{value!r}: expected a recipient kind (lower-case letters, '_')")
        return None
    return value


def _read_channel_sources(reader: _RecordReader) -> dict[str, ChannelSource]:
    value = reader.raw.get("channel_sources")
    if value is None or not _mapping(reader, "channel_sources", value, set(CHANNEL_FIELDS)):
        return {}
    found: dict[str, ChannelSource] = {}
    for field, entry in value.items():
        keys: PathKey = ("channel_sources", field)
        if field not in CHANNEL_FIELDS or not _mapping(
            reader, keys, entry, {"source", "last_seen", "confidence"}
        ):
            continue
        source = reader.single_line((*keys, "source"), entry.get("source"))
        seen = None
        if entry.get("last_seen") is None:
            reader.bad((*keys, "last_seen"), "missing: the date the source showed this channel")
        else:
            seen = reader.seen_date((*keys, "last_seen"), entry["last_seen"])
        confidence = entry.get("confidence", reader.raw.get("confidence"))
        if confidence not in CONFIDENCES:
            reader.bad(
                (*keys, "confidence"), f"{confidence!r} is not one of {', '.join(CONFIDENCES)}"
            )
            continue
        if source is not None and seen is not None:
            found[field] = ChannelSource(source, seen, cast(Confidence, confidence))
    return found


def _read_text_mapping(
    reader: _RecordReader, field: str, allowed: tuple[str, ...]
) -> dict[str, str]:
    value = reader.raw.get(field)
    if value is None or not _mapping(reader, field, value, set(allowed)):
        return {}
    texts: dict[str, str] = {}
    for key, text in value.items():
        checked = reader.single_line((field, key), text)
        if checked is not None and key in allowed:
            texts[key] = checked
    return texts


def _read_fallback(reader: _RecordReader) -> Fallback | None:
    value = reader.raw.get("fallback")
    if value is None or not _mapping(reader, "fallback", value, {"recipient", "note"}):
        return None
    target = reader.single_line(("fallback", "recipient"), value.get("recipient"))
    if target is not None and not _ID_PATTERN.match(target):
        reader.bad(("fallback", "recipient"), f"{target!r} is not a record id")
        return None
    note = reader.single_line(("fallback", "note"), value.get("note"))
    if target is None or note is None:
        return None
    return Fallback(target, note)


def _read_check_pages(reader: _RecordReader) -> tuple[CheckPage, ...]:
    value = reader.raw.get("check_pages")
    if value is None:
        return ()
    if not isinstance(value, list):
        reader.bad("check_pages", f"expected a list, got {_describe(value)}")
        return ()
    pages = []
    for index, entry in enumerate(value):
        keys: PathKey = ("check_pages", index)
        if not _mapping(reader, keys, entry, {"url", "title"}):
            continue
        url = reader.url((*keys, "url"), entry.get("url"))
        title = reader.single_line((*keys, "title"), entry.get("title"))
        if url is not None and title is not None:
            pages.append(CheckPage(url, title))
    return tuple(pages)


def _language_checker(reader: _RecordReader) -> Callable[[PathKey, Any], str | None]:
    def check(keys: PathKey, value: Any) -> str | None:
        if isinstance(value, str) and _LANG_PATTERN.match(value):
            return value
        reader.bad(keys, f"{value!r} is not a two-letter language code")
        return None

    return check


def _read_list(
    reader: _RecordReader, field: str, item: Callable[[PathKey, Any], str | None]
) -> tuple[str, ...]:
    value = reader.raw.get(field)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        reader.bad(field, f"expected a list, got {_describe(value)}")
        return ()
    checked = (item((field, index), entry) for index, entry in enumerate(value))
    return tuple(entry for entry in checked if entry is not None)


def _mapping(reader: _RecordReader, field: str | PathKey, value: Any, allowed: set[str]) -> bool:
    keys: PathKey = (field,) if isinstance(field, str) else field
    if not isinstance(value, dict):
        reader.bad(keys, f"expected a mapping, got {_describe(value)}")
        return False
    for key in value:
        if key not in allowed:
            reader.bad((*keys, key), f"unknown field; expected one of {', '.join(sorted(allowed))}")
    return True


def _read_officeholder(reader: _RecordReader) -> Officeholder | None:
    value = reader.raw.get("officeholder")
    if value is None:
        return None
    if not _mapping(reader, "officeholder", value, {"name", "title", "role", "as_of", "source"}):
        return None
    name = reader.single_line(("officeholder", "name"), value.get("name"))
    source = reader.single_line(("officeholder", "source"), value.get("source"))
    if value.get("as_of") is None:
        reader.bad(("officeholder", "as_of"), "missing: name an officeholder only with a date")
        return None
    as_of = reader.seen_date(("officeholder", "as_of"), value["as_of"])
    title = role = None
    if value.get("title") is not None:
        title = reader.single_line(("officeholder", "title"), value["title"])
    if value.get("role") is not None:
        role = reader.single_line(("officeholder", "role"), value["role"])
    if name is None or source is None or as_of is None:
        return None
    return Officeholder(name=name, as_of=as_of, source=source, title=title, role=role)


_EmailFields = tuple[str, str | None, str | None, SeenDate | None, str | None, str | None]


def _read_emails(reader: _RecordReader) -> list[_EmailFields]:
    value = reader.raw.get("email")
    if value is None:
        return []
    if isinstance(value, (str, dict)):
        value = [value]
    if not isinstance(value, list):
        reader.bad("email", f"expected a list of addresses, got {_describe(value)}")
        return []
    result: list[_EmailFields] = []
    for index, entry in enumerate(value):
        keys: PathKey = ("email", index)
        confidence = source = note = role = None
        seen = None
        if isinstance(entry, dict):
            allowed = {"address", "confidence", "source", "last_seen", "note", "role"}
            if not _mapping(reader, keys, entry, allowed):
                continue
            if entry.get("confidence") is not None:
                if entry["confidence"] in CONFIDENCES:
                    confidence = entry["confidence"]
                else:
                    reader.bad(
                        (*keys, "confidence"),
                        f"{entry['confidence']!r} is not one of {', '.join(CONFIDENCES)}",
                    )
            if entry.get("source") is not None:
                source = reader.single_line((*keys, "source"), entry["source"])
            if entry.get("last_seen") is not None:
                seen = reader.seen_date((*keys, "last_seen"), entry["last_seen"])
            if entry.get("note") is not None:
                note = reader.single_line((*keys, "note"), entry["note"])
            if entry.get("role") is not None:
                role = reader.single_line((*keys, "role"), entry["role"])
            keys = (*keys, "address")
            entry = entry.get("address")
        if not isinstance(entry, str):
            reader.bad(keys, f"expected an e-mail address, got {_describe(entry)}")
            continue
        address = check_email(entry) if reader.checker.check_emails else quick_email(entry)
        if isinstance(address, EmailProblem):
            reader.bad(keys, address.message)
            continue
        result.append((address, confidence, source, seen, note, role))
    return result


def _read_form(reader: _RecordReader) -> OnlineForm | None:
    value = reader.raw.get("form")
    if value is None:
        return None
    if not _mapping(reader, "form", value, {"url", "fields", "max_chars", "note"}):
        return None
    url = reader.url(("form", "url"), value.get("url"))
    fields: list[str] = []
    raw_fields = value.get("fields") or []
    if not isinstance(raw_fields, list):
        reader.bad(("form", "fields"), f"expected a list, got {_describe(raw_fields)}")
    else:
        for index, entry in enumerate(raw_fields):
            checked = reader.single_line(("form", "fields", index), entry)
            if checked:
                fields.append(checked)
    max_chars = value.get("max_chars")
    if max_chars is not None and (
        not isinstance(max_chars, int) or isinstance(max_chars, bool) or max_chars < 100
    ):
        reader.bad(
            ("form", "max_chars"), f"expected a whole number of at least 100, got {max_chars!r}"
        )
        max_chars = None
    note = reader.single_line(("form", "note"), value["note"]) if value.get("note") else None
    if url is None:
        return None
    return OnlineForm(url=url, fields=tuple(fields), max_chars=max_chars, note=note)


def _read_postal(reader: _RecordReader) -> PostalAddress | None:
    value = reader.raw.get("postal")
    if value is None:
        return None
    if reader.checker.version == 1:
        return _read_postal_v1(reader, value)
    if isinstance(value, dict) and "address" in value:
        reader.bad(
            ("postal", "address"),
            f"schema version {SCHEMA_VERSION} writes an address as 'lines', a list with one "
            "element per line, and its 'country'",
        )
        return None
    if not _mapping(reader, "postal", value, {"lines", "lines_latin", "country"}):
        return None
    lines = _postal_lines(reader, ("postal", "lines"), value.get("lines"), required=True)
    latin = _postal_lines(reader, ("postal", "lines_latin"), value.get("lines_latin"))
    country = None
    if value.get("country") is not None:
        country = reader.country_code(("postal", "country"), value["country"])
    if not lines:
        return None
    return PostalAddress(lines=lines, lines_latin=latin, country=country)


def _postal_lines(
    reader: _RecordReader, keys: PathKey, value: Any, required: bool = False
) -> tuple[str, ...]:
    if value is None:
        if required:
            reader.bad(keys, "missing (a list with one element per line of the address)")
        return ()
    if not isinstance(value, list):
        reader.bad(keys, f"expected a list with one element per line, got {_describe(value)}")
        return ()
    if not value:
        reader.bad(keys, "is empty; give one element per line of the address")
        return ()
    if len(value) > MAX_POSTAL_LINES:
        reader.bad(keys, f"has {len(value)} lines; the limit is {MAX_POSTAL_LINES}")
        return ()
    checked = [reader.single_line((*keys, index), line) for index, line in enumerate(value)]
    return tuple(line for line in checked if line is not None)


def _read_postal_v1(reader: _RecordReader, value: Any) -> PostalAddress | None:
    if not _mapping(reader, "postal", value, {"address", "address_latin"}):
        return None
    address = reader._check_text(("postal", "address"), value.get("address"))
    latin = None
    if value.get("address_latin") is not None:
        latin = reader._check_text(("postal", "address_latin"), value["address_latin"])
    if address is None:
        return None
    upgraded = upgrade_postal({"address": address, "address_latin": latin})
    return PostalAddress(tuple(upgraded["lines"]), tuple(upgraded.get("lines_latin", ())))


def upgrade_postal(old: Mapping[str, Any]) -> dict[str, Any]:
    """A version 1 ``postal`` mapping (``address``, ``address_latin``) in version 2's form.

    The text is split at its line breaks only: where a source joined the lines with commas,
    nothing tells a line break from the comma between a street and its number, so such an
    address stays on one line until someone who knows it writes it out. Version 1 had no
    country, so none is set. A mapping without a text ``address`` is returned as it is.
    """
    if not isinstance(old.get("address"), str):
        return dict(old)

    def split(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    new: dict[str, Any] = {"lines": split(old["address"])}
    if isinstance(old.get("address_latin"), str):
        new["lines_latin"] = split(old["address_latin"])
    return new


def _read_handles(reader: _RecordReader) -> dict[str, str]:
    """Accounts for short public posts, each with the source that confirms it (a post link goes
    only to a handle a source confirms)."""
    value = reader.raw.get("handles")
    if value is None:
        return {}
    if not _mapping(reader, "handles", value, {"x", "bluesky", "telegram"}):
        return {}
    handles: dict[str, str] = {}
    for network, entry in value.items():
        keys: PathKey = ("handles", network)
        if not isinstance(entry, dict):
            reader.bad(
                keys,
                "give the handle with the source that confirms it: {handle: ..., source: ..., "
                "last_seen: ...}; leave out a handle no source confirms",
            )
            continue
        if not _mapping(reader, keys, entry, {"handle", "source", "last_seen"}):
            continue
        checked = reader.single_line((*keys, "handle"), entry.get("handle"))
        source = reader.single_line((*keys, "source"), entry.get("source"))
        if entry.get("last_seen") is None:
            reader.bad((*keys, "last_seen"), "missing: the date the source showed the handle")
        else:
            reader.seen_date((*keys, "last_seen"), entry["last_seen"])
        if checked and not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", checked):
            reader.bad((*keys, "handle"), f"{checked!r} is not a handle (no '@', no spaces)")
        elif checked and source:
            handles[network] = checked
    return handles
