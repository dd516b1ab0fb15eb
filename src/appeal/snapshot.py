"""A compiled snapshot of the embedded default campaign, so that start-up need not parse it.

Reading the embedded ``recipients.yaml`` (10,600 lines) through the YAML parser and checking
every record costs about a quarter of a second, and Jinja compiling the letter templates tens of
milliseconds more: several times the cost of everything else ``appeal draft`` does. The checked
result is therefore compiled ahead of time into ``default_campaign/snapshot.json``:

- the campaign settings and every record, exactly as the full, strict check reads them, with the
  SHA-256 of the two files they came from;
- the Python code Jinja generates for each embedded template, keyed by the template's name, its
  source's checksum, the Jinja version and the sandbox's settings.

The file is JSON Lines: a header (format, hashes, settings, which countries each record serves),
then one line per record, then one per template. A draft for one country decodes the header and
the few records that serve it, not all 345.

At start-up the files' hashes are compared with the snapshot's: if either file differs (someone
edited it), it is parsed and checked as before, so a stale snapshot costs time, never truth.
Compiled template code is used only for a template whose key matches exactly. The tests check
that the committed snapshot is current; ``python scripts/build_snapshot.py`` rebuilds it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from appeal.errors import DataError
from appeal.records import (
    EmailAddress,
    Officeholder,
    OnlineForm,
    PostalAddress,
    Recipient,
    SeenDate,
    parse_seen_date,
    serves,
)

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from appeal.campaign import CampaignSettings

SNAPSHOT_FILE = "snapshot.jsonl"
#: Bumped whenever the layout below changes; a snapshot of another format is ignored.
FORMAT = 2

#: Compiled template code: lookup key → (the template's file name, Jinja's Python code).
TemplateCode = Mapping[str, tuple[str, str]]


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


def load_snapshot(
    root: Traversable, files: Mapping[str, bytes]
) -> tuple[CampaignSettings, LazyRecords, TemplateCode] | None:
    """The snapshot's settings, records and template code, if it matches ``files`` exactly.

    ``files`` maps each source file's name (``campaign.yaml``, ``recipients.yaml``) to its
    bytes. Returns None when there is no snapshot, it has another format, or any file differs.
    """
    try:
        # Bytes, split before decoding: only the lines a command needs are ever decoded.
        lines = (root / SNAPSHOT_FILE).read_bytes().split(b"\n")
        header = json.loads(lines[0])
        if header["format"] != FORMAT or set(header["built_from"]) != set(files):
            return None
        if any(header["built_from"][name] != file_digest(data) for name, data in files.items()):
            return None
        records_end = 1 + len(header["serves"])
        templates_end = records_end + header["templates"]
        if len(lines) != templates_end + 1 or lines[-1]:
            return None
        templates = {}
        for line in lines[records_end:templates_end]:
            key, filename, code = json.loads(line)
            templates[key] = (filename, code)
        settings = settings_from_json(header["settings"])
    except (OSError, ValueError, LookupError, TypeError):  # missing, or not a snapshot we wrote
        return None
    return settings, LazyRecords(lines[1:records_end], header["serves"]), templates


def build_snapshot() -> dict[str, Any]:
    """Parse and check the embedded campaign in full and compile its templates: the snapshot."""
    from appeal.campaign import (
        CAMPAIGN_FILE,
        RECIPIENTS_FILE,
        TEMPLATES_DIR,
        default_campaign_root,
        parse_recipients_bytes,
        parse_settings_bytes,
    )
    from appeal.letters import LetterRenderer

    root = default_campaign_root()
    campaign_bytes = (root / CAMPAIGN_FILE).read_bytes()
    recipients_bytes = (root / RECIPIENTS_FILE).read_bytes()
    settings = parse_settings_bytes(campaign_bytes, CAMPAIGN_FILE)
    records = parse_recipients_bytes(recipients_bytes, RECIPIENTS_FILE, check_emails=True)
    renderer = LetterRenderer([(TEMPLATES_DIR, root / TEMPLATES_DIR)])
    templates = {}
    for name in sorted(_template_names(root / TEMPLATES_DIR)):
        key, filename, code = renderer.compile_ahead(name)
        templates[key] = (filename, code)
    return {
        "format": FORMAT,
        "jinja2": jinja2_version(),
        "built_from": {
            CAMPAIGN_FILE: file_digest(campaign_bytes),
            RECIPIENTS_FILE: file_digest(recipients_bytes),
        },
        "settings": settings_to_json(settings),
        "recipients": records_to_json(records),
        "templates": templates,
    }


def jinja2_version() -> str:
    """The installed Jinja's version, which the compiled template code depends on."""
    import jinja2

    return str(jinja2.__version__)


def _template_names(folder: Traversable, prefix: str = "") -> Iterator[str]:
    for item in folder.iterdir():
        if item.is_dir():
            yield from _template_names(item, f"{prefix}{item.name}/")
        elif item.name.endswith(".j2"):
            yield f"{prefix}{item.name}"


def snapshot_text(snapshot: Mapping[str, Any]) -> str:
    """The snapshot as the committed file holds it: a header line, then a line per record and
    a line per template."""

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    records, templates = snapshot["recipients"], snapshot["templates"]
    header = {
        "format": snapshot["format"],
        "jinja2": snapshot["jinja2"],
        "built_from": snapshot["built_from"],
        "settings": snapshot["settings"],
        "serves": [[r["country"], r["also_serves"]] for r in records],
        "templates": len(templates),
    }
    lines = [dumps(header)]
    lines.extend(dumps(record) for record in records)
    lines.extend(dumps([key, *entry]) for key, entry in templates.items())
    return "\n".join(lines) + "\n"


def settings_to_json(settings: CampaignSettings) -> dict[str, Any]:
    """Campaign settings as plain JSON values."""
    return {
        "id": settings.id,
        "title": settings.title,
        "default_kinds": list(settings.default_kinds),
        "pointers": [[p.id, p.title, p.url, p.note] for p in settings.pointers],
        "safety_note": settings.safety_note,
    }


def settings_from_json(raw: Mapping[str, Any]) -> CampaignSettings:
    """The inverse of :func:`settings_to_json`."""
    from appeal.campaign import CampaignSettings, Pointer

    return CampaignSettings(
        raw["id"],
        raw["title"],
        tuple(raw["default_kinds"]),
        tuple(Pointer(*p) for p in raw["pointers"]),
        raw["safety_note"],
    )


def records_to_json(records: Sequence[Recipient]) -> list[dict[str, Any]]:
    """Checked records as plain JSON values (dates as the text they were written as)."""

    def seen(date: SeenDate | None) -> str | None:
        return None if date is None else date.text

    rows = []
    for r in records:
        holder = r.officeholder
        rows.append(
            {
                "id": r.id,
                "kind": r.kind,
                "country": r.country,
                "also_serves": list(r.also_serves),
                "name": dict(r.name),
                "addressee": dict(r.addressee),
                "salutation": dict(r.salutation),
                "officeholder": None
                if holder is None
                else [holder.name, holder.as_of.text, holder.source, holder.title, holder.role],
                # As in the YAML, an address's confidence, source and date default to the
                # record's (null here), which keeps the file a third smaller and quicker to read.
                "emails": [
                    [
                        e.address,
                        None if e.confidence == r.confidence else e.confidence,
                        None if e.source == r.source else e.source,
                        None if e.last_seen == r.last_seen else e.last_seen.text,
                        e.note,
                    ]
                    for e in r.emails
                ],
                "form": None
                if r.form is None
                else [r.form.url, list(r.form.fields), r.form.max_chars, r.form.note],
                "postal": None if r.postal is None else [r.postal.address, r.postal.address_latin],
                "phones": list(r.phones),
                "website": r.website,
                "handles": dict(r.handles),
                "languages": list(r.languages),
                "source": r.source,
                "last_seen": r.last_seen.text,
                "confidence": r.confidence,
                "notes": r.notes,
                "closed_since": seen(r.closed_since),
            }
        )
    return rows


def record_from_json(row: Mapping[str, Any], dates: dict[str, SeenDate]) -> Recipient:
    """One record from its :func:`records_to_json` form; ``dates`` keeps the dates already
    read, to share them."""

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
            )
            for address, email_confidence, email_source, email_seen, note in row["emails"]
        ),
        form=None if form is None else OnlineForm(form[0], tuple(form[1]), *form[2:]),
        postal=None if postal is None else PostalAddress(*postal),
        phones=tuple(row["phones"]),
        website=row["website"],
        handles=row["handles"],
        languages=tuple(row["languages"]),
        source=source,
        last_seen=last_seen,
        confidence=confidence,
        notes=row["notes"],
        closed_since=None if row["closed_since"] is None else seen(row["closed_since"]),
    )


#: The name a letter's signature gives, where ISO's catalogue has an inverted, official or
#: misspelt form ("Taiwan, Chinesische Provinz", "Salomon, Îles", "Costa de Marfíl").
LETTER_NAMES = {
    ("VG", "en"): "British Virgin Islands",
    ("VI", "en"): "United States Virgin Islands",
    ("FM", "de"): "Mikronesien",
    ("IR", "de"): "Iran",
    ("LA", "de"): "Laos",
    ("PS", "de"): "Palästina",
    ("TW", "de"): "Taiwan",
    ("VE", "de"): "Venezuela",
    ("AX", "fr"): "Îles Åland",
    ("CC", "fr"): "Îles Cocos (Keeling)",
    ("CX", "fr"): "Île Christmas",
    ("FK", "fr"): "Îles Malouines (Falkland)",
    ("LA", "fr"): "Laos",
    ("SB", "fr"): "Îles Salomon",
    ("VI", "fr"): "Îles Vierges des États-Unis",
    ("BO", "es"): "Bolivia",
    ("CI", "es"): "Costa de Marfil",
    ("KM", "es"): "Comoras",
    ("TZ", "es"): "Tanzania",
    ("VG", "es"): "Islas Vírgenes Británicas",
    ("VI", "es"): "Islas Vírgenes de los Estados Unidos",
}


def build_country_table() -> dict[str, Any]:
    """ISO 3166-1 from pycountry, compiled for :mod:`appeal.countries` (a maintainer's tool).

    For each country: its codes, the English name the tool shows, its name in each of the
    letters' other languages, and every name a person may type for it.
    """
    import gettext
    from importlib.metadata import version

    import pycountry

    from appeal.countries import NAME_LANGUAGES

    catalogues = {
        language: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        for language in NAME_LANGUAGES
    }
    rows = []
    for record in pycountry.countries:
        shown = LETTER_NAMES.get((record.alpha_2, "en"), display_name(record))
        english = [
            record.name,
            getattr(record, "official_name", None),
            getattr(record, "common_name", None),
            shown,
        ]
        typed: list[str] = []
        for name in filter(None, english):
            for text in (name, *(c.gettext(name) for c in catalogues.values())):
                if text not in typed:
                    typed.append(text)
        names_in = {}
        for language, catalogue in catalogues.items():
            names_in[language] = shown
            for name in (getattr(record, "common_name", None), record.name):
                if name and (translated := catalogue.gettext(name)) != name:
                    names_in[language] = uninvert(translated)
                    break
            names_in[language] = LETTER_NAMES.get((record.alpha_2, language), names_in[language])
            if names_in[language] not in typed:
                typed.append(names_in[language])
        rows.append(
            {
                "alpha2": record.alpha_2,
                "alpha3": record.alpha_3,
                "name": shown,
                "names_in": names_in,
                "typed_names": typed,
            }
        )
    return {
        "source": "pycountry: ISO 3166-1 and its gettext catalogues",
        "pycountry": version("pycountry"),
        "countries": rows,
    }


def country_table_text(table: Mapping[str, Any]) -> str:
    """The country table as the committed file holds it: JSON, one country per line."""
    rows = ",\n".join(json.dumps(row, ensure_ascii=False) for row in table["countries"])
    head = json.dumps({k: v for k, v in table.items() if k != "countries"}, ensure_ascii=False)
    return head[:-1] + ', "countries": [\n' + rows + "\n]}\n"


def display_name(record: object) -> str:
    """The name to show for a pycountry record: its common name, else a readable short name."""
    common = getattr(record, "common_name", None)
    if common:
        return str(common)
    name = str(getattr(record, "name", ""))
    head, sep, tail = name.partition(", ")
    # ISO writes some names inverted ("Congo, The Democratic Republic of the"); turn those round.
    if sep and re.search(r"\b(of|of the)$", tail):
        return f"{tail} {head}"
    return name


def uninvert(name: str) -> str:
    """'Russie, Fédération de' → 'Fédération de Russie': catalogues keep ISO's inverted forms."""
    head, sep, tail = name.partition(", ")
    if not sep:
        return name
    if tail.endswith("d'"):
        return f"{tail}{head}"
    if re.search(r"\b(of|of the|de|de la|del|des|du)$", tail):
        return f"{tail} {head}"
    return name
