"""Organiser mail-merge: personalised links for every supporter in a CSV file, row by row.

The supporters file has a header row with the columns ``name`` and ``country`` (required) and
``email``, ``city``, ``language``, ``note`` (optional). Each row yields one output row per
recipient and way of sending (a mail link, or the online form to paste the letter into), with
the supporter's own letter in the link and, in ``notices``, what the campaign's safety rules say
the supporter must know first (in the row's language); recipient kinds a rule withholds from the
supporter's country get no row. Rows are read and written one at a time, so memory stays the
same whatever the file's size; a bad row is reported with its line number and the rest go on.
Letters are rendered and percent-encoded once per record and language, and each supporter's
links are made by joining those parts with the supporter's own details, encoded on their own
(see :mod:`appeal.prerender`); they equal ``appeal draft``'s byte for byte.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from appeal.campaign import Campaign
from appeal.countries import Country, resolve_country
from appeal.drafts import (
    DraftOptions,
    check_campaign_language,
    safety_for,
    select_recipients,
)
from appeal.errors import AppealError, InputError
from appeal.languages import parse_language
from appeal.links import MAIL_VIAS, chosen_links
from appeal.prerender import Prerendered, variant_of
from appeal.sender import make_sender
from appeal.textguard import spreadsheet_cell

REQUIRED_COLUMNS = ("name", "country")
OPTIONAL_COLUMNS = ("email", "city", "language", "note")
OUTPUT_COLUMNS = (
    "line",
    "name",
    "country",
    "recipient",
    "kind",
    "language",
    "via",
    "link",
    "body_included",
    "length",
    "notices",
)


class RowWriter:
    """Writes rows as ``csv.writer(sink, lineterminator="\n")`` does, faster.

    The csv module looks at every character of every cell, which for rows holding
    two-kilobyte links costs more than making the links. A row of two or more cells, none of
    them None, is joined here: a cell with a comma, quote or line break is quoted as the csv
    module quotes it (the same few notes recur row after row, so their quoted form is kept);
    any other row goes through the csv module.
    """

    def __init__(self, sink: TextIO) -> None:
        self.sink = sink
        self.fallback = csv.writer(sink, lineterminator="\n")

    def writerow(self, row: Sequence[Any]) -> None:
        """Write one row."""
        # The csv module writes None as an empty cell and every other value as str() does.
        if len(row) > 1 and None not in row:
            texts = [str(cell) for cell in row]
            line = ",".join(texts)
            if "\r" not in line:  # what the csv module does with a lone CR is its own affair
                plain = line.count(",") == len(texts) - 1  # no cell holds a comma
                if not plain or '"' in line or "\n" in line:
                    line = ",".join(_quoted(t) if _NEEDS_QUOTES.search(t) else t for t in texts)
                self.sink.write(line + "\n")
                return
        self.fallback.writerow(row)


_NEEDS_QUOTES = re.compile('[,"\n]')


@functools.lru_cache(maxsize=64)
def _quoted(text: str) -> str:
    """A cell as the csv module quotes it (QUOTE_MINIMAL, doubled quotes)."""
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class RowError:
    """A supporter row that could not be turned into links."""

    line: int
    message: str


def check_header(fieldnames: Sequence[str] | None, label: str) -> None:
    """Refuse a supporters file whose header lacks a required column or has unknown ones."""
    if not fieldnames:
        raise InputError(f"{label}: empty file; the first row must name the columns")
    names = [name.strip().lower() for name in fieldnames]
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        raise InputError(f"{label}:1: missing column(s) {', '.join(missing)}")
    unknown = [n for n in names if n not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        known = ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
        raise InputError(f"{label}:1: unknown column(s) {', '.join(unknown)}; use {known}")


class Merger:
    """Turns supporter rows into link rows, keeping rendered letters and countries between rows."""

    def __init__(
        self,
        campaign: Campaign,
        options: DraftOptions,
        vias: Sequence[str] = MAIL_VIAS,
        today: dt.date | None = None,
    ) -> None:
        self.campaign = campaign
        self.options = options
        self.vias = vias
        self.mail_vias = [via for via in vias if via in MAIL_VIAS]
        self.kinds: tuple[str, ...] = options.kinds or campaign.settings.default_kinds
        self.today = today or dt.date.today()
        self._prerendered: dict[str, Prerendered] = {}
        self._countries: dict[str, Country] = {}
        self._recipients: dict[str, list[Any]] = {}
        self._notices: dict[tuple[str, str, str], str] = {}

    def _notices_for(self, alpha2: str, kind: str, language: str) -> str:
        key = (alpha2, kind, language)
        if key not in self._notices:
            notices = safety_for(self.campaign, alpha2).concerning(kind, (), language)
            self._notices[key] = "\n\n".join(notice.text for notice in notices)
        return self._notices[key]

    def _country(self, text: str) -> Country:
        if text not in self._countries:
            self._countries[text] = resolve_country(text)
        return self._countries[text]

    def _language(self, text: str) -> str:
        choice = text.strip() or self.options.language
        if choice not in self._prerendered:
            parse_language(choice)  # refuses unknown languages with a clear message
            check_campaign_language(self.campaign.settings, choice)
            # A language cell is the organiser's explicit choice for that row, as the sender's is.
            explicit = bool(text.strip()) or self.options.language_explicit
            self._prerendered[choice] = Prerendered(self.campaign, choice, self.today, explicit)
        return choice

    def rows(self, line: int, value: Mapping[str, str]) -> list[list[Any]]:
        """Output rows for one supporter, whose cells ``value`` holds by lower-case column name;
        raises AppealError for a bad row."""
        country = self._country(value.get("country", ""))
        sender = make_sender(
            value.get("name", ""),
            country,
            city=value.get("city") or None,
            email=value.get("email") or None,
            note=value.get("note") or None,
        )
        language = self._language(value.get("language", ""))
        prerendered = self._prerendered[language]
        if country.alpha2 not in self._recipients:
            chosen = select_recipients(self.campaign, country.alpha2, self.kinds)
            withheld = safety_for(self.campaign, country.alpha2).withheld_kinds
            # A mail-merge makes mail links and form links: recipients that take neither, and
            # kinds a safety rule withholds from this country, are left out.
            self._recipients[country.alpha2] = [
                r
                for r in chosen
                if not r.closed_since
                and r.kind not in withheld
                and (r.sendable_emails or (r.form and "form" in self.vias))
            ]
        notes_in = language.partition("+")[0]  # notes in the letter's first language
        out: list[list[Any]] = []
        # The name is the one cell a supporter writes freely (the others are codes, ids and
        # links appeal makes): one that begins like a formula is made safe for a spreadsheet.
        name_cell = spreadsheet_cell(sender.name)
        for record in self._recipients[country.alpha2]:
            notices = self._notices_for(country.alpha2, record.kind, notes_in)
            if record.sendable_emails:
                used, links, fallback, _ = prerendered.mail_links(
                    record, sender, self.options, self.mail_vias
                )
            else:  # a form only: the supporter pastes the letter, which no link carries
                used = prerendered.letter(record, variant_of(sender)).used
                links, fallback = {}, {}
            form = record.form.url if record.form else None
            for via, link, body in chosen_links(self.vias, links, fallback, form):
                out.append(
                    [
                        line,
                        name_cell,
                        country.alpha2,
                        record.id,
                        record.kind,
                        used,
                        via,
                        link,
                        body,
                        len(link),
                        notices,
                    ]
                )
        return out


def merge(
    campaign: Campaign,
    supporters: Iterable[str],
    label: str,
    options: DraftOptions,
    vias: Sequence[str] = MAIL_VIAS,
) -> Iterator[list[Any] | RowError]:
    """Output rows (lists in :data:`OUTPUT_COLUMNS` order, each cell safe for a spreadsheet) and
    row errors, in file order."""
    campaign.settings.check_kinds(options.kinds or ())
    reader = csv.reader(supporters)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InputError(f"{label}:1: {exc}") from None
    check_header(header, label)
    assert header is not None  # check_header refuses a file without one
    columns = [name.strip().lower() for name in header]
    merger = Merger(campaign, options, vias)
    end_of_previous = reader.line_num
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # e.g. a field over csv's limit: the reader skips the rest of that row and goes on.
            line, end_of_previous = end_of_previous + 1, reader.line_num
            yield RowError(line, f"{label}:{line}: {exc}")
            continue
        # A quoted field may span lines: report the line where the row starts.
        line, end_of_previous = end_of_previous + 1, reader.line_num
        if not fields:
            continue  # a blank line
        try:
            if len(fields) > len(columns):
                raise InputError("more fields than the header has columns")
            # A short row leaves its last columns empty, as csv.DictReader does.
            yield from merger.rows(line, dict(zip(columns, fields, strict=False)))
        except AppealError as error:
            yield RowError(line, f"{label}:{line}: {error.lines()[0]}")


def merge_to_csv(
    campaign: Campaign,
    supporters: Path,
    sink: TextIO,
    options: DraftOptions,
    vias: Sequence[str] = MAIL_VIAS,
    on_error: Callable[[str], None] = lambda message: None,
    on_progress: Callable[[int], None] = lambda done: None,
) -> tuple[int, int]:
    """Stream the supporters file into ``sink`` as CSV; return (rows written, rows failed).

    Each failed supporter row is passed to ``on_error`` as one line; ``on_progress`` gets the
    number of bytes of the supporters file read so far.
    """
    mail_vias = [v for v in vias if v in (*MAIL_VIAS, "form")]  # links a merge can make
    try:
        raw: BinaryIO = supporters.open("rb")
    except OSError as exc:
        raise InputError(f"{supporters}: cannot be read ({exc.strerror or exc})") from None
    failed = written = 0
    with raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        writer = RowWriter(sink)
        writer.writerow(OUTPUT_COLUMNS)
        last = 0
        try:
            for item in merge(campaign, text, str(supporters), options, mail_vias):
                if isinstance(item, RowError):
                    failed += 1
                    on_error(item.message)
                else:
                    writer.writerow(item)
                    written += 1
                position = raw.tell()
                if position != last:
                    on_progress(position)
                    last = position
        except UnicodeDecodeError as exc:
            raise InputError(f"{supporters}: not UTF-8 text ({exc.reason})") from None
    return written, failed


def merge_supporters(
    campaign: Campaign,
    supporters: Path,
    output: Path | None,
    stdout: TextIO,
    options: DraftOptions,
    vias: Sequence[str] = MAIL_VIAS,
    on_error: Callable[[str], None] = lambda message: None,
    on_progress: Callable[[int], None] = lambda done: None,
    *,
    force: bool = False,
) -> tuple[int, int]:
    """Merge the supporters file into ``output`` (all or nothing; an existing file only with
    ``force``), or stream it to ``stdout`` when there is none; return (rows written, rows
    failed). See :func:`merge_to_csv` for ``on_error`` and ``on_progress``."""
    if output is None:
        return merge_to_csv(campaign, supporters, stdout, options, vias, on_error, on_progress)
    from appeal.files import write_built

    merged = write_built(
        output,
        lambda: MergeFile(campaign, supporters, options, vias, on_error, on_progress),
        force=force,
    )
    return merged.written, merged.failed


class MergeFile:
    """A file's content (see :mod:`appeal.files`) that streams the merge into the file, and
    counts the rows written and failed."""

    def __init__(
        self,
        campaign: Campaign,
        supporters: Path,
        options: DraftOptions,
        vias: Sequence[str],
        on_error: Callable[[str], None],
        on_progress: Callable[[int], None],
    ) -> None:
        self.arguments = (campaign, supporters, options, vias, on_error, on_progress)
        self.written = self.failed = 0

    def __call__(self, binary: BinaryIO) -> None:
        campaign, supporters, options, vias, on_error, on_progress = self.arguments
        sink = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        try:
            self.written, self.failed = merge_to_csv(
                campaign, supporters, sink, options, vias, on_error, on_progress
            )
            sink.flush()
        finally:
            with contextlib.suppress(Exception):  # on an error the staged file is removed anyway
                sink.detach()
