"""The runtime side of the embedded campaign's compiled snapshot: read it, never build it.

Reading the embedded ``recipients.yaml`` (10,600 lines) through the YAML parser and checking
every record costs about a quarter of a second, and Jinja compiling the letter templates tens of
milliseconds more: several times the cost of everything else ``appeal draft`` does. The checked
result is therefore compiled when the wheel is built (:mod:`appeal.snapshot_build`, run by the
build hook in ``hatch_build.py``) into ``default_campaign/snapshot.jsonl``:

- the campaign settings and every record, exactly as the full, strict check reads them, with the
  SHA-256 of the two files they came from;
- the Python code Jinja generates for each embedded template, keyed by the template's name, its
  source's checksum, the Jinja version and the sandbox's settings; beside it, that code compiled
  by the Python that built the wheel (``marshal``), used only by a Python with the same bytecode
  magic number (any other compiles the code, as before).

The file is JSON Lines: a header (format, hashes, settings, which countries each record serves),
then one line per record, then one per template. A draft for one country decodes the header, the
few records that serve it and the templates it renders, not all of them.

At start-up the files' hashes are compared with the snapshot's: if either file differs (someone
edited it), it is parsed and checked as before, so a stale or missing snapshot costs time, never
truth. Compiled template code is used only for a template whose key matches exactly. This module
is imported at every start, so it holds only what reading needs.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from appeal.errors import DataError
from appeal.records import (
    ChannelSource,
    CheckPage,
    EmailAddress,
    Fallback,
    Officeholder,
    OnlineForm,
    PostalAddress,
    Recipient,
    SeenDate,
    parse_seen_date,
    serves,
)

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

SNAPSHOT_FILE = "snapshot.jsonl"
#: Bumped whenever the layout changes; a snapshot of another format is ignored.
FORMAT = 5


class CompiledTemplate(NamedTuple):
    """A template compiled ahead: its file name, the Python code Jinja wrote for it, and that
    code compiled and marshalled by the building Python, with that Python's bytecode magic
    number (hex); both empty when there is none."""

    filename: str
    code: str
    magic: str = ""
    marshalled: str = ""


#: Compiled template code by lookup key.
TemplateCode = Mapping[str, CompiledTemplate]


class LazyTemplates(Mapping[str, CompiledTemplate]):
    """The snapshot's templates, each line decoded the first time its key is looked up."""

    def __init__(self, keys: Sequence[str], lines: Sequence[bytes]) -> None:
        self._positions = {key: position for position, key in enumerate(keys)}
        self._lines = lines
        self._decoded: dict[str, CompiledTemplate] = {}

    def __getitem__(self, key: str) -> CompiledTemplate:
        if key not in self._decoded:
            try:
                filename, code, magic, marshalled = json.loads(self._lines[self._positions[key]])
            except (ValueError, TypeError) as exc:  # a damaged line: compile from source instead
                raise KeyError(key) from exc
            self._decoded[key] = CompiledTemplate(filename, code, magic, marshalled)
        return self._decoded[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


def file_digest(data: bytes) -> str:
    """The SHA-256 of a file's bytes, as the snapshot records it."""
    return hashlib.sha256(data).hexdigest()


class LazyRecords:
    """The snapshot's records, each decoded the first time it is needed."""

    def __init__(self, lines: Sequence[bytes], serves: Sequence[tuple[str | None, list[str]]]):
        self._lines = lines
        self._serves = serves
        self._decoded: dict[int, Recipient] = {}
        self._dates: dict[str, SeenDate] = {}

    def _record(self, position: int) -> Recipient:
        if position not in self._decoded:
            try:
                row = json.loads(self._lines[position])
                self._decoded[position] = record_from_json(row, self._dates)
            except (ValueError, LookupError, TypeError):
                line = position + 2  # after the header, counting from 1
                raise DataError(
                    f"{SNAPSHOT_FILE}:{line}: damaged; reinstall appeal, or rebuild the file with "
                    "scripts/build_snapshot.py"
                ) from None
        return self._decoded[position]

    def all(self) -> tuple[Recipient, ...]:
        """Every record, in the file's order."""
        return tuple(self._record(position) for position in range(len(self._lines)))

    def serving(self, alpha2: str) -> list[Recipient]:
        """The records that serve a sender in ``alpha2``, in the file's order."""
        return [
            self._record(position)
            for position, (country, also_serves) in enumerate(self._serves)
            if serves(country, also_serves, alpha2)
        ]


class Snapshot(NamedTuple):
    """What a snapshot that matches its files holds."""

    #: The campaign settings as JSON values (decoded by :mod:`appeal.campaign`).
    settings: Mapping[str, Any]
    records: LazyRecords
    template_code: TemplateCode


def load_snapshot(file: Traversable, files: Mapping[str, bytes]) -> Snapshot | None:
    """The snapshot in ``file``, if it was built from exactly ``files``.

    ``files`` maps each source file's name (``campaign.yaml``, ``recipients.yaml``) to its
    bytes. Returns None when there is no snapshot, it has another format, or any file differs.
    """
    try:
        # Bytes, split before decoding: only the lines a command needs are ever decoded.
        lines = file.read_bytes().split(b"\n")
        header = json.loads(lines[0])
        if header["format"] != FORMAT or set(header["built_from"]) != set(files):
            return None
        if any(header["built_from"][name] != file_digest(data) for name, data in files.items()):
            return None
        records_end = 1 + len(header["serves"])
        keys = header["templates"]
        templates_end = records_end + len(keys)
        if len(lines) != templates_end + 1 or lines[-1]:
            return None
        templates = LazyTemplates(keys, lines[records_end:templates_end])
        settings = header["settings"]
        if not isinstance(settings, dict):
            return None
    except (OSError, ValueError, LookupError, TypeError):  # missing, or not a snapshot we wrote
        return None
    return Snapshot(settings, LazyRecords(lines[1:records_end], header["serves"]), templates)


def record_from_json(row: Mapping[str, Any], dates: dict[str, SeenDate]) -> Recipient:
    """One record from the form :func:`appeal.snapshot_build.records_to_json` writes;
    ``dates`` keeps the dates already read, to share them."""

    def seen(text: str) -> SeenDate:
        if text not in dates:
            parsed = parse_seen_date(text)
            if parsed is None:
                raise ValueError(f"snapshot: {text!r} is not a date")
            dates[text] = parsed
        return dates[text]

    holder, form, postal = row["officeholder"], row["form"], row["postal"]
    confidence, source, last_seen = row["confidence"], row["source"], seen(row["last_seen"])
    return Recipient(
        id=row["id"],
        kind=row["kind"],
        country=row["country"],
        also_serves=tuple(row["also_serves"]),
        name=row["name"],
        addressee=row["addressee"],
        salutation=row["salutation"],
        officeholder=None
        if holder is None
        else Officeholder(holder[0], seen(holder[1]), holder[2], holder[3], holder[4]),
        emails=tuple(
            EmailAddress(
                address,
                email_confidence or confidence,
                email_source or source,
                last_seen if email_seen is None else seen(email_seen),
                note,
                role,
            )
            for address, email_confidence, email_source, email_seen, note, role in row["emails"]
        ),
        form=None if form is None else OnlineForm(form[0], tuple(form[1]), *form[2:]),
        postal=None
        if postal is None
        else PostalAddress(tuple(postal[0]), tuple(postal[1]), postal[2]),
        phones=tuple(row["phones"]),
        website=row["website"],
        handles=row["handles"],
        languages=tuple(row["languages"]),
        source=source,
        last_seen=last_seen,
        confidence=confidence,
        notes=row["notes"],
        closed_since=None if row["closed_since"] is None else seen(row["closed_since"]),
        channel_sources={
            field: ChannelSource(entry[0], seen(entry[1]), entry[2])
            for field, entry in row["channel_sources"].items()
        },
        lead=row["lead"],
        channel_advice=row["channel_advice"],
        city=row["city"],
        fallback=None if row["fallback"] is None else Fallback(*row["fallback"]),
        check_pages=tuple(CheckPage(*page) for page in row["check_pages"]),
    )
