"""Any government's embassies, from the database-of-embassies export of Wikidata (CC0).

The export is a CSV file (``;``-separated) with one row per diplomatic post: the ``operator``
(the sending state), the ``country`` hosting the post, its accreditation list
(``jurisdictions``, ``|``-separated), ``city``, ``phone``, ``email``, ``website``, ``type`` and
the post's Wikidata item (``QID``). It has no street addresses at all and e-mail addresses for
about one post in eleven, so records made from it say so in their notes.

:func:`read_export` reads and checks the file like any untrusted input: a value with control
or invisible characters, one that starts like a spreadsheet formula, an overlong one, an e-mail
address that does not validate or a website that is not an http(s) address is left out of the
record and reported, never passed on. :func:`resolve_operator` finds the government the
organiser names (ISO code or name, in any of the tool's languages) among the export's
operators; :func:`embassy_records` turns that operator's embassies, high commissions and
de facto embassies (never consulates) into recipient records, and :func:`import_embassies`
applies them to an existing recipients file.

The package ships the posts of the 2022-11-16 export, filtered to those three types and the
columns read here, gzip-compressed (:data:`SHIPPED_EXPORT`); an organiser may give a newer one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from appeal.countries import Country, normalise
from appeal.errors import CountryError, DataError, InputError
from appeal.limits import MAX_FILE_BYTES
from appeal.textguard import hidden_character_problem

if TYPE_CHECKING:
    from appeal.importer_settings import ImporterSettings
    from appeal.importers import ImportResult

#: The export shipped with the package: its posts (embassies, high commissions, de facto
#: embassies) and the columns this module reads, gzip-compressed (scripts/build_embassy_export.py).
SHIPPED_EXPORT = Path(__file__).with_name("data") / "database_of_embassies_2022-11-16.posts.csv.gz"
#: The day the shipped export was made (its name says so), recorded as each fact's last_seen.
SHIPPED_EXPORT_DATE = dt.date(2022, 11, 16)
#: What a record made from the export names as its source (with the post's Wikidata item).
EXPORT_NAME = "database-of-embassies export of Wikidata (CC0)"

#: Columns without which no row can be read.
REQUIRED_COLUMNS = ("operator", "country", "type", "email", "website")
#: Columns read when present (the shipped file keeps exactly these and REQUIRED_COLUMNS).
OPTIONAL_COLUMNS = ("operatorQID", "jurisdictions", "countryQID", "city", "phone", "QID")
#: Post types that represent a government to the host state, in the order ids prefer them.
POST_TYPES = ("embassy", "high commission", "de facto embassy")
#: How a record's English name calls each type.
POST_TYPE_NAMES = {
    "embassy": "Embassy",
    "high commission": "High Commission",
    "de facto embassy": "De facto embassy",
}
#: Wikidata names that ISO's names do not cover, by the Wikidata item the export gives for them
#: (each checked against the export by the tests). Only exact items: "Republic of China"
#: (Taiwan, Q865) is not China, so no rule that strips "Republic of" from names is used.
WIKIDATA_COUNTRIES = {
    "Q27": "IE",  # Republic of Ireland
    "Q778": "BS",  # The Bahamas
    "Q1005": "GM",  # The Gambia
}
#: Longest value kept from one cell (a city, a website); anything longer is not such a value.
MAX_CELL = 300
_QID = re.compile(r"^(?:https?://www\.wikidata\.org/entity/)?(Q[1-9][0-9]{0,11})$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]{3,40}$")
_HOSTNAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,63}(?:[/?#][^\s<>\"]*)?$")
_URL = re.compile(r"^https?://[^\s<>\"'`]+$")


class Post(NamedTuple):
    """One row of the export that names a post, with the values that passed the checks."""

    line: int
    operator: str
    operator_qid: str | None
    host: str
    host_qid: str | None
    jurisdictions: tuple[tuple[str, str | None], ...]
    type: str
    city: str | None
    phone: str | None
    email: str | None
    website: str | None
    qid: str | None
    #: Values of this row that were left out, and why (one line each).
    problems: tuple[str, ...] = ()

    @property
    def item_url(self) -> str | None:
        """The post's Wikidata item, as the export names it."""
        return f"http://www.wikidata.org/entity/{self.qid}" if self.qid else None


class Export(NamedTuple):
    """The posts of an export, and the rows left out because no post could be read from them
    (one line each)."""

    label: str
    posts: tuple[Post, ...]
    skipped: tuple[str, ...]


def load_export(path: Path | None) -> Export:
    """The export in ``path``, or the one the package ships when ``path`` is None."""
    import gzip

    if path is None:
        try:
            data = gzip.decompress(SHIPPED_EXPORT.read_bytes())
        except (OSError, EOFError) as exc:  # a damaged installation, not the user's input
            raise DataError(f"{SHIPPED_EXPORT}: cannot be read ({exc})") from None
        return read_export(data, SHIPPED_EXPORT.name)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataError(f"{path}: file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: not found") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a folder, not an export file") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return read_export(data, str(path))


def read_export(data: bytes, label: str) -> Export:
    """Read an export's rows; a file that is not one raises DataError (one line)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"{label}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=";" if ";" in first else ",")
    try:
        columns = reader.fieldnames or []
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise DataError(f"{label}: missing column(s) {', '.join(missing)}")
        posts: list[Post] = []
        skipped: list[str] = []
        for row in reader:
            line = reader.reader.line_num
            problems: list[str] = []
            post = _post(row, f"{label}:{line}", line, problems)
            if post is not None:
                posts.append(post._replace(problems=tuple(problems)))
            elif problems:
                skipped.extend(problems)
    except csv.Error as exc:
        raise DataError(f"{label}:{reader.reader.line_num}: {exc}") from None
    return Export(label, tuple(posts), tuple(skipped))


def _post(row: dict[str | Any, Any], where: str, line: int, skipped: list[str]) -> Post | None:
    """A row's post, or None for rows of other types; bad values are left out and noted."""
    kind = _cell(row, "type", where, [])
    if kind not in POST_TYPES:
        return None
    operator = _cell(row, "operator", where, skipped)
    host = _cell(row, "country", where, skipped)
    if not operator or not host:
        skipped.append(f"{where}: no operator or host country; row left out")
        return None
    names = (_cell(row, "jurisdictions", where, skipped) or "").split("|")
    qids = (row.get("jurisdictionQIDs") or "").split("|")
    jurisdictions = tuple(
        (name.strip(), _qid(qids[index]) if index < len(qids) else None)
        for index, name in enumerate(names)
        if name.strip()
    )
    return Post(
        line=line,
        operator=operator,
        operator_qid=_qid(row.get("operatorQID")),
        host=host,
        host_qid=_qid(row.get("countryQID")),
        jurisdictions=jurisdictions,
        type=kind,
        city=_cell(row, "city", where, skipped),
        phone=_phone(_cell(row, "phone", where, skipped), where, skipped),
        email=_email(_cell(row, "email", where, skipped), where, skipped),
        website=_website(_cell(row, "website", where, skipped), where, skipped),
        qid=_qid(row.get("QID")),
    )


def _cell(row: dict[str | Any, Any], column: str, where: str, skipped: list[str]) -> str | None:
    """A cell's text, or None when it is empty or may not be used (and then why is noted)."""
    value = row.get(column)
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    problem = hidden_character_problem(value, allow="", data=True)
    if problem is None and len(value) > MAX_CELL:
        problem = f"is {len(value):,} characters long (more than {MAX_CELL})"
    if problem is None and value.startswith(("=", "@")):
        problem = "starts like a spreadsheet formula"
    if problem is not None:
        skipped.append(f"{where}: {column}: {problem}; left out")
        return None
    return value


def _qid(value: Any) -> str | None:
    match = _QID.match(value.strip()) if isinstance(value, str) else None
    return match.group(1) if match else None


def _phone(value: str | None, where: str, skipped: list[str]) -> str | None:
    if value is None or _PHONE.match(value):
        return value
    skipped.append(f"{where}: phone: {value!r} is not a phone number; left out")
    return None


def _email(value: str | None, where: str, skipped: list[str]) -> str | None:
    from appeal.emails import EmailProblem, check_email

    if value is None:
        return None
    address = value.removeprefix("mailto:").strip()
    checked = check_email(address)
    if isinstance(checked, EmailProblem):
        skipped.append(f"{where}: email: {checked.message}; left out")
        return None
    return checked


def _website(value: str | None, where: str, skipped: list[str]) -> str | None:
    url = website_url(value)
    if value is not None and url is None:
        skipped.append(f"{where}: website: {value!r} is not an http(s) address; left out")
    return url


def website_url(value: Any) -> str | None:
    """The first address in a source's website text: an http(s) URL as given, or a bare host
    name with https:// added; None for anything else (another scheme, a script, a file)."""
    text = str(value or "").strip().split(" ")[0]
    if not text:
        return None
    if _URL.match(text):
        return text
    if "://" not in text and ":" not in text.split("/")[0] and _HOSTNAME.match(text):
        return f"https://{text}"
    return None


# --- Countries as the export names them ------------------------------------------------------


def country_of(name: str, qid: str | None) -> Country | None:
    """The ISO country a Wikidata name (and item) stands for, or None (a region, an
    organisation, a state ISO 3166-1 does not list)."""
    from appeal.countries import country_for_code, resolve_country

    if qid in WIKIDATA_COUNTRIES:
        return country_for_code(WIKIDATA_COUNTRIES[qid])
    try:
        return resolve_country(name, "country")
    except CountryError:
        return None


class Operator(NamedTuple):
    """The government whose posts are read: its ISO country and the export's names for it."""

    country: Country
    names: tuple[str, ...]


def resolve_operator(text: str, posts: Sequence[Post], label: str, field: str) -> Operator:
    """The operator ``text`` names (ISO code, or a name in any of the tool's languages, or the
    export's own name), among the export's operators. An unknown one raises CountryError in
    one line that lists the closest operators the export has."""
    from appeal.countries import resolve_country

    operators: dict[str, Country | None] = {}
    for post in posts:
        if post.operator not in operators:
            operators[post.operator] = country_of(post.operator, post.operator_qid)
    wanted = text.strip()
    if not wanted:
        raise CountryError(f"{field}: give the government's ISO code or name, e.g. BY or Belarus")
    try:
        country: Country | None = resolve_country(wanted, field)
    except CountryError:
        folded = normalise(wanted)
        country = next((c for n, c in operators.items() if normalise(n) == folded), None)
    names = tuple(sorted(n for n, c in operators.items() if c is not None and c == country))
    if country is not None and names:
        return Operator(country, names)
    if country is not None:
        raise CountryError(
            f"{field}: {label} has no embassy of {country.name} ({country.alpha2})"
            + _near(wanted, operators)
        )
    if any(normalise(name) == normalise(wanted) for name in operators):
        raise CountryError(
            f"{field}: {wanted!r} is in {label} but is not an ISO 3166-1 country, which "
            "recipient records serve"
        )
    raise CountryError(f"{field}: no government matches {wanted!r}" + _near(wanted, operators))


def _near(text: str, operators: dict[str, Country | None]) -> str:
    """'; near matches: Belarus (BY), …': the export's operators whose names (or ISO names, in
    any of the tool's languages) are spelt close to ``text``, for an error line."""
    import difflib

    from appeal.countries import close_countries

    present = {country for country in operators.values() if country is not None}
    known = {normalise(name): country for name, country in operators.items() if country is not None}
    found = [known[c] for c in difflib.get_close_matches(normalise(text), list(known), 4, 0.6)]
    found += [country for country in close_countries(text, 6) if country in present]
    unique = list(dict.fromkeys(found))[:4]
    listed = ", ".join(f"{country.name} ({country.alpha2})" for country in unique)
    return f"; near matches: {listed}" if unique else ""


# --- Records ---------------------------------------------------------------------------------


class ImportedPosts(NamedTuple):
    """Records made from one operator's posts, and one line for each thing left out."""

    records: list[dict[str, Any]]
    notes: list[str]


def embassy_records(export: Export, operator: Operator, kind: str, seen: dt.date) -> ImportedPosts:
    """One record per embassy, high commission or de facto embassy of ``operator``.

    Each serves its host country and the countries of its accreditation list that have no
    post of their own (a country with its own post is served by that one). A post whose
    accreditation list leaves out its own host is kept at low confidence with a note: the
    export may place it in the wrong country. Ids are ``<kind>-<host>``, with the post's
    Wikidata item added where a host has several posts.
    """
    from appeal.countries import name_in

    notes = list(export.skipped)
    chosen: list[tuple[Post, Country]] = []
    for post in export.posts:
        if post.operator not in operator.names:
            continue
        notes.extend(post.problems)
        host = country_of(post.host, post.host_qid)
        if host is None:
            notes.append(
                f"{export.label}:{post.line}: host {post.host!r} is not an ISO 3166-1 country; "
                "post left out"
            )
            continue
        if host == operator.country:
            continue
        chosen.append((post, host))
    hosts = {host.alpha2 for _, host in chosen}
    chosen.sort(key=lambda item: _order(*item))
    records: list[dict[str, Any]] = []
    used: set[str] = set()
    prefix = kind.replace("_", "-")
    for post, host in chosen:
        record_id = f"{prefix}-{host.alpha2.lower()}"
        if record_id in used:
            record_id = f"{record_id}-{(post.qid or str(post.line)).lower()}"
        used.add(record_id)
        served, unknown, own = _served(post, host, hosts, operator.country)
        for name in unknown:
            notes.append(
                f"{record_id}: accreditation {name!r} is not an ISO 3166-1 country; left out"
            )
        records.append(_record(post, host, record_id, kind, served, own, seen, export))
    name = name_in(operator.country, "en")
    if not records:
        notes.append(f"{export.label}: no embassy of {name} in the export")
    return ImportedPosts(records, notes)


def _order(post: Post, host: Country) -> tuple[str, int, int, int]:
    """Per host: posts whose accreditation names the host first, then by type and item."""
    names_host = not post.jurisdictions or any(
        country_of(name, qid) == host for name, qid in post.jurisdictions
    )
    number = int(post.qid[1:]) if post.qid else 0
    return (host.alpha2, 0 if names_host else 1, POST_TYPES.index(post.type), number)


def _served(
    post: Post, host: Country, hosts: set[str], own_country: Country
) -> tuple[list[str], list[str], bool]:
    """(other countries served, accreditation names that are no ISO country, whether the
    accreditation list names the host or is empty)."""
    served: list[str] = []
    unknown: list[str] = []
    names_host = not post.jurisdictions
    for name, qid in post.jurisdictions:
        country = country_of(name, qid)
        if country is None:
            unknown.append(name)
        elif country == host:
            names_host = True
        elif (
            country.alpha2 not in hosts and country != own_country and country.alpha2 not in served
        ):
            served.append(country.alpha2)
    return sorted(served), unknown, names_host


def _record(
    post: Post,
    host: Country,
    record_id: str,
    kind: str,
    served: list[str],
    names_host: bool,
    seen: dt.date,
    export: Export,
) -> dict[str, Any]:

    operator = english_with_article(post_operator_country(post))
    place = english_with_article(host.name)
    name = f"{POST_TYPE_NAMES[post.type]} of {operator} in {place}"
    source = f"{EXPORT_NAME}, {export.label}"
    if post.item_url:
        source = f"{source}: {post.item_url}"
    record: dict[str, Any] = {
        "id": record_id,
        "kind": kind,
        "country": host.alpha2,
    }
    if served:
        record["also_serves"] = served
    record["name"] = {"en": name}
    if post.email:
        record["email"] = [post.email]
    if post.phone:
        record["phone"] = [post.phone]
    if post.website:
        record["website"] = post.website
    if post.city:
        record["city"] = post.city
    record["source"] = source
    record["last_seen"] = seen
    record["confidence"] = "medium" if names_host else "low"
    record["notes"] = provenance(post, host, names_host, seen)
    return record


def post_operator_country(post: Post) -> str:
    """The operator's English name as the tool shows it."""
    country = country_of(post.operator, post.operator_qid)
    return country.name if country else post.operator


def provenance(post: Post, host: Country, names_host: bool, seen: dt.date) -> str:
    """What the record holds and what it lacks, in plain words, for the record's notes."""
    has = [
        what
        for what, value in (
            ("website", post.website),
            ("city", post.city),
            ("e-mail", post.email),
            ("phone", post.phone),
        )
        if value
    ]
    lacks = ["street address (the export has none)"]
    if not post.email:
        lacks.append("e-mail")
    if not post.website:
        lacks.append("website")
    text = (
        f"From Wikidata (database-of-embassies export, {seen.isoformat()}): "
        f"{', '.join(has) if has else 'nothing but the post itself'}. "
        f"Missing: {', '.join(lacks)}; add them from the post's own site before relying on "
        "this record."
    )
    if not names_host:
        listed = ", ".join(name for name, _ in post.jurisdictions)
        text += (
            f" The export places this post in {host.name}, but its accreditation list "
            f"({listed}) does not name {host.name}: check where the post really is."
        )
    return text


# --- Names of countries in sentences --------------------------------------------------------

#: English short names that are plural in form and take "the" (the Bahamas, the Netherlands).
_PLURAL_NAMES = frozenset(
    {"Bahamas", "Comoros", "Maldives", "Netherlands", "Philippines", "Seychelles"}
)
#: Words that make an English country name a description that takes "the".
_DESCRIPTIVE = re.compile(
    r"\b(?:Republic|Kingdom|Federation|States|Islands|Emirates|Union|State|Holy See|Gambia)\b"
)


def english_with_article(name: str) -> str:
    """An English country name as it follows "of" or "in": "the United States", "the
    Netherlands", "Belarus" ("the" for plural names and names that describe a state)."""
    if name.startswith("The "):
        return "the " + name[4:]
    if name in _PLURAL_NAMES or _DESCRIPTIVE.search(name):
        return "the " + name
    return name


# --- Updating a recipients file ------------------------------------------------------------


def import_embassies(
    recipients_text: bytes,
    recipients_label: str,
    export: Export,
    operator: Operator,
    kind: str,
    seen: dt.date,
    add_missing: bool = False,
) -> ImportResult:
    """Apply an embassy export (appeal.embassies) to the records of ``kind``.

    The operator's posts update the record of the same kind that serves their host: a newer
    website replaces the old one (noted with its date), and an e-mail address the record lacks
    is added as a medium-confidence address with source and date. A post whose host has no
    record is added with ``add_missing`` (as :func:`appeal.embassies.embassy_records` makes
    it, with its source, date and what it lacks), else reported.
    """
    from appeal.importers import ImportResult, dump_records, load_records

    records = load_records(recipients_text, recipients_label)
    imported = embassy_records(export, operator, kind, seen)
    existing: dict[str, dict[str, Any]] = {}
    for record in records:
        if record.get("kind") == kind and record.get("country"):
            existing.setdefault(record["country"], record)
    ids = {record.get("id") for record in records}
    changes = list(imported.notes)
    for fresh in imported.records:
        host = fresh["country"]
        primary = fresh["id"] == f"{kind.replace('_', '-')}-{host.lower()}"
        known = existing.get(host)
        if known is not None:
            if primary:
                changes.extend(_apply_embassy_post(known, fresh, seen))
            continue
        if not add_missing:
            changes.append(f"{fresh['id']}: no record serves {host}; not added (--add-missing)")
        elif fresh["id"] in ids:
            changes.append(f"{fresh['id']}: the id is taken by another record; not added")
        else:
            records.append(fresh)
            ids.add(fresh["id"])
            changes.append(f"{fresh['id']}: added ({fresh['name']['en']})")
    return ImportResult(dump_records(recipients_text, recipients_label, records), changes)


def _apply_embassy_post(record: dict[str, Any], fresh: dict[str, Any], seen: dt.date) -> list[str]:
    changes = []
    source = fresh["source"]
    website = fresh.get("website")
    if website and record.get("website") != website:
        changes.append(f"{record['id']}: website: {record.get('website')!r} -> {website!r}")
        record["website"] = website
        note = f"Website {website} from {source}, seen {seen.isoformat()}."
        record["notes"] = f"{record['notes']} {note}" if record.get("notes") else note
    same_source = record.get("source") == source and str(record.get("last_seen")) == str(seen)
    if website and record.get("website") == website and not same_source:
        # The website was seen there on that day, whatever the date of the record's other facts.
        sources = record.setdefault("channel_sources", {})
        entry = {"source": source, "last_seen": seen, "confidence": "medium"}
        if sources.get("website") != entry:
            sources["website"] = entry
            changes.append(f"{record['id']}: website: seen {seen.isoformat()} in {source}")
    known = [e if isinstance(e, str) else e.get("address") for e in record.get("email") or []]
    for address in fresh.get("email") or []:
        if address not in known:
            entry = {
                "address": address,
                "confidence": "medium",
                "source": source,
                "last_seen": seen,
            }
            record["email"] = [*(record.get("email") or []), entry]
            changes.append(f"{record['id']}: email: added {address}")
    return changes


class EmbassyImport(NamedTuple):
    """An embassy import made ready: the export to read and what applies it to a file (with
    the signature of appeal's importers: file text, its label, export bytes, label, day)."""

    source: Path
    export: Export
    operator: Operator
    kind: str
    seen: dt.date
    add_missing: bool

    def apply(
        self, recipients_text: bytes, recipients_label: str, _data: bytes, _label: str, _day: Any
    ) -> ImportResult:
        """Apply the export (already read) to a recipients file."""
        return import_embassies(
            recipients_text,
            recipients_label,
            self.export,
            self.operator,
            self.kind,
            self.seen,
            self.add_missing,
        )


def prepare_import(
    settings: ImporterSettings,
    government: str | None,
    export_path: Path | None,
    seen: dt.date | None,
    add_missing: bool = False,
    fields: tuple[str, str] = ("operator", "seen"),
) -> EmbassyImport:
    """Read the export (``export_path``, else the shipped one) and find the government whose
    posts to import: ``government`` if given, else the campaign's (``settings``); another
    government than the campaign's is refused, so that one government's posts are never mixed
    into another's records. ``fields`` name the government's and the date's origin in errors."""
    from appeal.starter import export_date

    wanted = government or settings.embassies_operator
    if wanted is None:
        raise InputError(
            f"{fields[0]}: give the government whose embassies to read (campaign.yaml has no "
            "importers.embassies.operator)"
        )
    if settings.embassies_kind is None:
        raise DataError(
            "campaign.yaml: importers.embassies.kind: say which kind the posts' records are"
        )
    export = load_export(export_path)
    operator = resolve_operator(wanted, export.posts, export.label, fields[0])
    if settings.embassies_operator not in (None, operator.country.alpha2):
        raise InputError(
            f"{fields[0]}: this campaign's embassy records are those of "
            f"{settings.embassies_operator} (campaign.yaml importers.embassies.operator); "
            f"{operator.country.alpha2}'s posts would be mixed into them"
        )
    day = export_date(export_path, seen, fields[1])
    source = export_path or SHIPPED_EXPORT
    return EmbassyImport(source, export, operator, settings.embassies_kind, day, add_missing)
