"""Refreshing recipient records from official files that a maintainer downloaded.

``import_bluebook`` reads the UN Protocol's Blue Book JSON (``countries``: one object per
mission; ``bluebooks``: one per diplomat) and updates or adds UN mission records: contacts,
language of correspondence, and the active head of mission with an "as of" date. Diplomats'
personal phone numbers and e-mail addresses are never read into the records. Hand-written fields
(names, forms of address, notes) are kept, as are the file's header comments and record order.
The other importer, of diplomatic posts from the Wikidata export, lives with its reader in
:mod:`appeal.embassies` and shares this module's reading and writing of recipient files.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from appeal.errors import CountryError, DataError
from appeal.records import SCHEMA_VERSION, parse_recipients, upgrade_postal
from appeal.yamlfile import read_yaml_bytes
from appeal.yamlwrite import dump_recipients, leading_comments

if TYPE_CHECKING:
    from appeal.importer_settings import ImporterSettings

HEAD_FUNCTIONS = ("Permanent Representative", "Permanent Observer", "Chargé d'affaires a.i.")
_LANGUAGES = {"english": "en", "french": "fr", "spanish": "es"}


@dataclass
class ImportResult:
    """The new file text and a line per change made."""

    text: str
    changes: list[str] = field(default_factory=list)


def import_bluebook(
    recipients_text: bytes,
    recipients_label: str,
    bluebook: bytes,
    bluebook_label: str,
    seen: dt.date,
    kind: str,
) -> ImportResult:
    """Apply a Blue Book JSON file to the records of ``kind`` (the kind the campaign gives its
    missions to the UN) in a recipients file; return the new text and the changes."""
    records = load_records(recipients_text, recipients_label)
    try:
        data = json.loads(bluebook.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"{bluebook_label}: not a JSON file: {exc}") from None
    except RecursionError:
        raise DataError(f"{bluebook_label}: values nest too deeply to be a Blue Book") from None
    if not isinstance(data, dict) or not isinstance(data.get("countries"), list):
        raise DataError(f"{bluebook_label}: expected an object with a 'countries' list")
    heads = _heads(data.get("bluebooks") or [])
    by_country = {r.get("country"): r for r in records if r.get("kind") == kind}
    source = f"UN Protocol Blue Book data.json ({bluebook_label})"
    result_changes: list[str] = []
    problems: list[str] = []
    for index, mission in enumerate(data["countries"]):
        if not isinstance(mission, dict):
            problems.append(f"{bluebook_label}: countries[{index}]: expected an object")
            continue
        try:
            code = _country_code(mission)
        except CountryError as exc:
            problems.append(f"{bluebook_label}: countries[{index}]: {exc.problems[0]}")
            continue
        if code is None:
            continue
        fresh = _mission_fields(mission, heads.get(str(mission.get("MC_Entity"))), source, seen)
        record = by_country.get(code)
        if record is None:
            record = _new_record(code, mission, kind)
            records.append(record)
            by_country[code] = record
            result_changes.append(f"{record['id']}: added")
        result_changes.extend(_apply(record, fresh))
    if problems:
        raise DataError(*problems)
    return ImportResult(dump_records(recipients_text, recipients_label, records), result_changes)


def bluebook_importer(
    settings: ImporterSettings,
) -> Callable[[bytes, str, bytes, str, dt.date], ImportResult]:
    """:func:`import_bluebook` for the kind the campaign gives its missions to the UN."""
    kind = settings.un_missions_kind
    if kind is None:
        raise DataError(
            "campaign.yaml: importers.un_missions.kind: say which kind the missions' records are"
        )

    def importer(text: bytes, label: str, data: bytes, source: str, seen: dt.date) -> ImportResult:
        return import_bluebook(text, label, data, source, seen, kind)

    return importer


def load_records(recipients_text: bytes, label: str) -> list[dict[str, Any]]:
    """The records of a recipients file as plain mappings; refuses a file that is invalid."""
    document = read_yaml_bytes(recipients_text, label)
    parse_recipients(document)
    records: list[dict[str, Any]] = document.value["recipients"]
    if document.value.get("schema_version") != SCHEMA_VERSION:
        # The file is written back in the current version: old postal addresses become lines.
        for record in records:
            if isinstance(record.get("postal"), dict):
                record["postal"] = upgrade_postal(record["postal"])
    return records


def dump_records(recipients_text: bytes, label: str, records: list[dict[str, Any]]) -> str:
    """The updated file, with the original's header comments, checked before it is returned."""
    header = leading_comments(recipients_text.decode("utf-8-sig")).rstrip("\n")
    text = dump_recipients(header, records)
    parse_recipients(read_yaml_bytes(text.encode("utf-8"), label))
    return text


def _heads(entries: list[Any]) -> dict[str, dict[str, Any]]:
    """The active head of each mission, a Permanent Representative or Observer before a chargé."""
    heads: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("BB_Status") != "Active":
            continue
        function = entry.get("BB_Function")
        if function not in HEAD_FUNCTIONS:
            continue
        mission = str(entry.get("BB_Mission"))
        current = heads.get(mission)
        if current is None or HEAD_FUNCTIONS.index(function) < HEAD_FUNCTIONS.index(
            current["BB_Function"]
        ):
            heads[mission] = entry
    return heads


def _country_code(mission: dict[str, Any]) -> str | None:
    """The ISO code of a mission's country, trying 'Bolivia' after 'Bolivia (Plurinational …)'."""
    from appeal.countries import resolve_country

    field = "MC_EntityBB" if mission.get("MC_EntityBB") else "MC_Entity"
    name = str(mission.get(field) or "").strip()
    if not name:
        return None
    try:
        return resolve_country(name, field).alpha2
    except CountryError as error:
        bare = name.split(" (")[0]
        if bare == name:
            raise
        try:
            return resolve_country(bare, field).alpha2
        except CountryError:
            raise error from None


def _lines(value: Any) -> list[str]:
    return [
        line.strip() for line in str(value or "").replace("\r\n", "\n").split("\n") if line.strip()
    ]


def _mission_fields(
    mission: dict[str, Any], head: dict[str, Any] | None, source: str, seen: dt.date
) -> dict[str, Any]:
    address = [
        line
        for line in _lines(mission.get("MC_Address"))
        if "mission" not in line.lower() and "delegation" not in line.lower()
    ]
    emails = [
        e
        for part in _lines(mission.get("MC_eMail"))
        for e in part.replace(",", ";").split(";")
        if e.strip()
    ]
    fresh: dict[str, Any] = {
        "email": [e.strip() for e in emails] or None,
        # The Blue Book is the list of the missions in New York.
        "postal": {"lines": address, "country": "US"} if address else None,
        "phone": _lines(mission.get("MC_Telephone")) or None,
        "website": normalise_website(mission.get("MC_WebSite")),
        "languages": [
            _LANGUAGES[part.strip().lower()]
            for part in str(mission.get("MC_UNCorrespondenceLanguage") or "").split("/")
            if part.strip().lower() in _LANGUAGES
        ]
        or None,
        "source": source,
        "last_seen": seen,
    }
    if head is not None:
        name = " ".join(
            str(head.get(k) or "").strip() for k in ("BB_FirstName", "BB_LastName")
        ).strip()
        if name:
            fresh["officeholder"] = {
                "name": name,
                "title": str(head.get("BB_Title") or "").strip() or None,
                "role": head["BB_Function"],
                "as_of": seen,
                "source": source,
            }
    return fresh


def normalise_website(value: Any) -> str | None:
    """The first URL in a source's website text, with https:// added to a bare host name; None
    for anything that is not an http(s) address (another scheme, a script, a file)."""
    from appeal.embassies import website_url

    return website_url(value)


def _new_record(code: str, mission: dict[str, Any], kind: str) -> dict[str, Any]:
    lines = _lines(mission.get("MC_Address"))
    name = lines[0] if lines else f"Permanent Mission of {mission.get('MC_EntityBB')}"
    return {
        "id": f"{kind.replace('_', '-')}-{code.lower()}",
        "kind": kind,
        "country": code,
        "name": {"en": name},
        "salutation": {"en": "Your Excellency"},
        "confidence": "high",
    }


def _apply(record: dict[str, Any], fresh: dict[str, Any]) -> list[str]:
    changes = []
    for key, value in fresh.items():
        if value is None:
            continue
        if key == "officeholder":
            value = {k: v for k, v in value.items() if v is not None}
        if record.get(key) != value:
            if key not in ("source", "last_seen"):
                changes.append(f"{record['id']}: {key}: {record.get(key)!r} -> {value!r}")
            record[key] = value
    return changes
