"""The build side of the compiled data the package ships (never imported at start-up).

- :func:`build_snapshot` parses and checks a campaign folder in full and compiles its templates;
  :func:`snapshot_text` writes the result as ``default_campaign/snapshot.jsonl``, which
  :mod:`appeal.snapshot` reads. The wheel's build hook (``hatch_build.py``) runs it, so every
  wheel carries a snapshot built from the very files it ships, by the Jinja it was built with.
- :func:`build_country_table` compiles ``countries.json`` from pycountry (a maintainer's tool:
  the table is committed, so pycountry is needed neither to build nor to run appeal).

``python scripts/build_snapshot.py`` runs both for a source checkout.
"""

from __future__ import annotations

import binascii
import importlib.util
import json
import marshal
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appeal.campaign import (
    CAMPAIGN_FILE,
    RECIPIENTS_FILE,
    TEMPLATES_DIR,
    parse_recipients_bytes,
    parse_settings_bytes,
    settings_to_json,
)
from appeal.letters import LetterRenderer
from appeal.snapshot import FORMAT, file_digest

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

    from appeal.records import Recipient, SeenDate


def build_snapshot(root: Traversable) -> dict[str, Any]:
    """Parse and check the campaign in ``root`` in full and compile its templates: the snapshot.

    Raises :class:`appeal.errors.AppealError` on any problem in the campaign's files.
    """
    campaign_bytes = (root / CAMPAIGN_FILE).read_bytes()
    recipients_bytes = (root / RECIPIENTS_FILE).read_bytes()
    settings = parse_settings_bytes(campaign_bytes, CAMPAIGN_FILE)
    records = parse_recipients_bytes(recipients_bytes, RECIPIENTS_FILE, settings, check_emails=True)
    renderer = LetterRenderer([(TEMPLATES_DIR, root / TEMPLATES_DIR)])
    templates = {}
    for name in sorted(_template_names(root / TEMPLATES_DIR)):
        key, filename, code = renderer.compile_ahead(name)
        # What Jinja's bytecode cache would hold: the code compiled as Jinja compiles it.
        compiled = marshal.dumps(compile(code, filename, "exec"))
        templates[key] = (
            filename,
            code,
            importlib.util.MAGIC_NUMBER.hex(),
            binascii.b2a_base64(compiled, newline=False).decode("ascii"),
        )
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
    """The snapshot as ``snapshot.jsonl`` holds it: a header line, then a line per record and
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
        "templates": list(templates),
    }
    lines = [dumps(header)]
    lines.extend(dumps(record) for record in records)
    lines.extend(dumps(list(entry)) for entry in templates.values())
    return "\n".join(lines) + "\n"


def write_snapshot(root: Traversable, target: Path) -> dict[str, Any]:
    """Build the snapshot of the campaign in ``root`` and write it to ``target`` (replaced only
    when complete). Returns the snapshot."""
    data = build_snapshot(root)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(snapshot_text(data), encoding="utf-8")
    partial.replace(target)
    return data


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
                        e.role,
                    ]
                    for e in r.emails
                ],
                "form": None
                if r.form is None
                else [r.form.url, list(r.form.fields), r.form.max_chars, r.form.note],
                "postal": None
                if r.postal is None
                else [list(r.postal.lines), list(r.postal.lines_latin), r.postal.country],
                "phones": list(r.phones),
                "website": r.website,
                "handles": dict(r.handles),
                "languages": list(r.languages),
                "source": r.source,
                "last_seen": r.last_seen.text,
                "confidence": r.confidence,
                "notes": r.notes,
                "closed_since": seen(r.closed_since),
                "channel_sources": {
                    field: [c.source, c.last_seen.text, c.confidence]
                    for field, c in r.channel_sources.items()
                },
                "lead": r.lead,
                "channel_advice": dict(r.channel_advice),
                "city": r.city,
                "fallback": None if r.fallback is None else list(r.fallback),
                "check_pages": [list(page) for page in r.check_pages],
            }
        )
    return rows


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
    ("US", "ru"): "Соединённые Штаты",
    ("BO", "es"): "Bolivia",
    ("DZ", "es"): "Argelia",
    ("CI", "es"): "Costa de Marfil",
    ("KM", "es"): "Comoras",
    ("TZ", "es"): "Tanzania",
    ("VG", "es"): "Islas Vírgenes Británicas",
    ("VI", "es"): "Islas Vírgenes de los Estados Unidos",
}


#: Kosovo is not in ISO 3166-1; XK (alpha-3 XKX) is the user-assigned code the European
#: Commission, the IMF and passport issuers use for it. People there write letters too.
KOSOVO = {
    "alpha2": "XK",
    "alpha3": "XKX",
    "name": "Kosovo",
    "names_in": {"de": "Kosovo", "fr": "Kosovo", "es": "Kosovo", "ru": "Косово"},
    "typed_names": ["Kosovo", "Kosova", "Republic of Kosovo", "Republika e Kosovës", "Косово"],
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
    rows.append(KOSOVO)
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
    """'Corée, République de' → 'République de Corée': catalogues keep ISO's inverted forms."""
    head, sep, tail = name.partition(", ")
    if not sep:
        return name
    if tail.endswith("d'"):
        return f"{tail}{head}"
    if re.search(r"\b(of|of the|de|de la|del|des|du)$", tail):
        return f"{tail} {head}"
    return name
