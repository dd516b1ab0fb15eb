"""Campaigns: the embedded default (read through importlib.resources) or an organiser's folder.

A campaign is a folder with ``campaign.yaml`` (settings), ``recipients.yaml`` (records) and
``templates/letters/`` (Jinja letter templates). The default campaign ships inside the package;
an organiser's folder is searched first, and anything it lacks comes from the default.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, cast

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

    from appeal.snapshot import LazyRecords, TemplateCode

from appeal.errors import DataError, InputError
from appeal.importer_settings import ImporterSettings, read_importers
from appeal.limits import MAX_FILE_BYTES
from appeal.records import KIND_PATTERN, LANGUAGES, Recipient, url_problem
from appeal.safety import (
    CountryList,
    PointerStatus,
    RiskRule,
    Texts,
    read_country_lists,
    read_rules,
    read_statuses,
    read_texts,
)
from appeal.textguard import fold_spaces, hidden_character_problem

#: The public API (see the README's "Use as a library"); the rest may change.
__all__ = [
    "Campaign",
    "CampaignSettings",
    "KindSettings",
    "Pointer",
    "init_campaign",
    "kind_label",
    "load_campaign",
]

CAMPAIGN_FILE = "campaign.yaml"
RECIPIENTS_FILE = "recipients.yaml"
TEMPLATES_DIR = "templates"
#: The folder inside the package that holds the default campaign in a wheel.
DEFAULT_CAMPAIGN_DIR = "default_campaign"


class Pointer(NamedTuple):
    """A link the tool shows but never writes to (a campaign page, a group's own site), with
    what to know first and the organisation's legal status in the countries that restrict it."""

    id: str
    title: Texts
    url: str
    note: Texts | None
    legal_status: tuple[PointerStatus, ...] = ()

    def status_in(self, alpha2: str) -> PointerStatus | None:
        """The organisation's legal status in ``alpha2``, if the campaign records one."""
        return next((s for s in self.legal_status if s.country == alpha2), None)

    def to_json(self, language: str) -> dict[str, Any]:
        """A plain mapping for JSON output, in ``language``, with every recorded legal status
        (a pointer is never shown where one is recorded)."""
        return {
            "id": self.id,
            "title": self.title.get(language),
            "url": self.url,
            "note": self.note.get(language) if self.note else None,
            "legal_status": [status._asdict() for status in self.legal_status],
        }


class ForbiddenSources(NamedTuple):
    """Sources a letter to some recipient kinds must never name (in any of the given forms)."""

    names: tuple[str, ...]
    kinds: tuple[str, ...]
    reason: str

    def found_in(self, text: str) -> str | None:
        """The first of ``names`` that ``text`` contains (whole words, any case), else None."""
        folded = text.casefold()
        for name in self.names:
            start = folded.find(name.casefold())
            while start != -1:
                end = start + len(name)
                before = folded[start - 1] if start else " "
                after = folded[end] if end < len(folded) else " "
                if not before.isalnum() and not after.isalnum():
                    return name
                start = folded.find(name.casefold(), start + 1)
        return None


class LetterRules(NamedTuple):
    """The ``letters`` setting: the language some kinds are written in, and forbidden sources."""

    #: Kind → the language its letters are drafted in, the sender's own language beside it.
    languages: Mapping[str, str] = MappingProxyType({})
    #: Why (shown with each such draft, so the sender knows what they send and why).
    language_reason: str | None = None
    forbidden_sources: tuple[ForbiddenSources, ...] = ()

    def forbidden_in(self, kind: str, text: str) -> tuple[str, ForbiddenSources] | None:
        """The first forbidden source named in ``text`` for a letter to ``kind``, if any."""
        for rule in self.forbidden_sources:
            if kind in rule.kinds and (name := rule.found_in(text)):
                return name, rule
        return None


#: How the records of a kind serve senders: each record one country (and the countries in its
#: ``also_serves``), or every sender, wherever they live, when the record names no country.
Serves = Literal["country", "everyone"]
SERVES: tuple[Serves, ...] = ("country", "everyone")


class KindSettings(NamedTuple):
    """One kind of recipient as the campaign declares it (``kinds`` in campaign.yaml)."""

    id: str
    #: What the kind is called in a sentence, per language ("UN mission").
    label: Texts
    #: What an office of this kind can do, one line per language (shown when a person picks
    #: whom to write to); None when the campaign says nothing.
    description: Texts | None = None
    #: Whether the kind is drafted when the sender does not choose kinds.
    default: bool = False
    #: "country": every record serves one country (``country`` required), and the campaign
    #: means to cover every country; "everyone": a record without a country serves everyone.
    serves: Serves = "everyone"


class PageSettings(NamedTuple):
    """``page`` in campaign.yaml: what the action page tells a first-time visitor."""

    #: What happened and what the letters ask, a few sentences per language.
    intro: Texts
    #: The date the campaign's facts are as of (ISO, YYYY-MM-DD).
    as_of: dt.date | None = None
    #: Who runs the campaign, and how to reach them (None: the page says it names nobody).
    organiser: str | None = None
    contact: str | None = None
    #: Per country code: why the page offers no letter of some kinds there (Greenland: choose
    #: Denmark), in each language.
    countries: Mapping[str, Texts] = MappingProxyType({})
    #: The page's title and heading per language (else the campaign's title).
    title: Texts | None = None


class CampaignSettings(NamedTuple):
    """What ``campaign.yaml`` says about the campaign as a whole."""

    id: str
    title: str
    #: The recipient kinds, in the order their letters come.
    kinds: Mapping[str, KindSettings]
    pointers: tuple[Pointer, ...]
    letters: LetterRules = LetterRules()
    #: Kinds of recipient that answer a letter only at the sender's postal address.
    postal_reply_kinds: tuple[str, ...] = ()
    #: Why, in a sentence (the law or rule), shown with the warning on a draft without one.
    postal_reply_reason: str | None = None
    #: The languages the campaign's letters are written in (``templates check`` renders these;
    #: a draft in another language is refused).
    languages: tuple[str, ...] = LANGUAGES
    #: A personal note of about 300 characters per language, as a supporter might write it:
    #: ``templates check`` measures the letters' links with it.
    sample_notes: Texts | None = None

    #: Safety rules, in the order their notes are shown (appeal.safety).
    safety_rules: tuple[RiskRule, ...] = ()
    country_lists: Mapping[str, CountryList] = MappingProxyType({})
    #: What to ask for (and warn about) when the sender writes their own words.
    own_words_hint: Texts | None = None
    #: Whose posts the importers read and which kinds their records get (``importers``).
    importers: ImporterSettings = ImporterSettings()
    #: What the action page says first: the campaign's introduction and who runs it.
    page: PageSettings | None = None
    #: The settings as read, in plain JSON values (dates as text): the compiled snapshot keeps
    #: these and checks them again when it is loaded.
    as_read: Mapping[str, Any] = MappingProxyType({})

    @property
    def default_kinds(self) -> tuple[str, ...]:
        """The kinds drafted when the sender does not choose, in the campaign's order."""
        return tuple(kind for kind, entry in self.kinds.items() if entry.default)

    def kind_label(self, kind: str, language: str = "en") -> str:
        """What ``kind`` is called in ``language`` (English where the campaign has no label in
        that language; the kind's id for a kind the campaign does not declare)."""
        entry = self.kinds.get(kind)
        return entry.label.get(language) if entry else kind

    def kind_description(self, kind: str, language: str = "en") -> str | None:
        """What an office of ``kind`` can do, in ``language`` (else English), if the campaign
        says."""
        entry = self.kinds.get(kind)
        return entry.description.get(language) if entry and entry.description else None

    def check_kinds(self, kinds: Sequence[str]) -> tuple[str, ...]:
        """``kinds`` as given, once each, after checking each is one of the campaign's; raises
        InputError naming the campaign's kinds."""
        for kind in kinds:
            if kind not in self.kinds:
                raise InputError(
                    f"{kind!r} is not a recipient kind of this campaign; its kinds are "
                    f"{', '.join(self.kinds)}",
                    field="kinds",
                    code="unknown-kind",
                )
        return tuple(dict.fromkeys(kinds))

    def pointers_for(
        self, alpha2: str, hidden: frozenset[str] = frozenset()
    ) -> tuple[Pointer, ...]:
        """Pointers safe to show a sender in ``alpha2``: none whose organisation has a legal
        status recorded there, none a rule hides."""
        return tuple(p for p in self.pointers if p.id not in hidden and p.status_in(alpha2) is None)


def kind_label(settings: CampaignSettings, kind: str, language: str = "en") -> str:
    """What the campaign calls ``kind`` in ``language`` (:meth:`CampaignSettings.kind_label`)."""
    return settings.kind_label(kind, language)


def settings_to_json(settings: CampaignSettings) -> dict[str, Any]:
    """Campaign settings as plain JSON values, for the compiled snapshot: what the file held,
    checked again (quickly, without YAML) by :func:`settings_from_json`. The kinds become a
    list of (id, settings) pairs: their order is the letters' order, and the snapshot's JSON
    sorts the keys of a mapping."""
    data = dict(settings.as_read)
    if isinstance(data.get("kinds"), dict):
        data["kinds"] = [[kind, entry] for kind, entry in data["kinds"].items()]
    return data


def settings_from_json(raw: Mapping[str, Any]) -> CampaignSettings:
    """The inverse of :func:`settings_to_json`: the settings, checked as the file is."""
    data = dict(raw)
    if isinstance(data.get("kinds"), list):
        data["kinds"] = dict(data["kinds"])
    return parse_settings(data, CAMPAIGN_FILE)


class Campaign:
    """A loaded campaign: settings, records and where its templates are.

    The embedded campaign's records come from its compiled snapshot, decoded as they are asked
    for: a draft for one country decodes the few records that serve it (see :meth:`serving`).
    """

    def __init__(
        self,
        label: str,
        settings: CampaignSettings,
        recipients: tuple[Recipient, ...] | LazyRecords,
        template_roots: tuple[Traversable, ...],
        template_code: TemplateCode = MappingProxyType({}),
    ) -> None:
        self.label = label
        self.settings = settings
        self.template_roots = template_roots
        #: Template code compiled ahead of time for the embedded templates (appeal.snapshot).
        self.template_code = template_code
        self._records = recipients
        self._serving: dict[str, tuple[Recipient, ...]] = {}

    @functools.cached_property
    def recipients(self) -> tuple[Recipient, ...]:
        """Every record, in the file's order."""
        records = self._records
        return records if isinstance(records, tuple) else records.all()

    def serving(self, alpha2: str) -> tuple[Recipient, ...]:
        """The records that serve a sender in ``alpha2``, in the file's order (found once per
        country: a mail-merge asks for the same few countries row after row)."""
        if alpha2 not in self._serving:
            records = self._records
            if isinstance(records, tuple):
                found = tuple(record for record in records if record.serves(alpha2))
            else:
                found = tuple(records.serving(alpha2))
            self._serving[alpha2] = found
        return self._serving[alpha2]

    def recipient(self, recipient_id: str) -> Recipient | None:
        """The record with this id, or None."""
        return next((r for r in self.recipients if r.id == recipient_id), None)

    def countries(self) -> list[str]:
        """Alpha-2 codes of every country that at least one country-specific record serves."""
        codes: set[str] = set()
        for record in self.recipients:
            if record.country:
                codes.add(record.country)
                codes.update(record.also_serves)
        return sorted(codes)


def _package_folder() -> Traversable:
    """The installed package's own folder."""
    folder = Path(__file__).parent
    # A package on disk (every pip install) needs no importlib.resources, which is slow to import.
    if folder.is_dir():
        return folder
    from importlib import resources

    return resources.files("appeal")


def default_campaign_root() -> Traversable:
    """Where the embedded default campaign's files live.

    A wheel carries them in the package's ``default_campaign`` folder. A source checkout (an
    editable install) reads them where the repository keeps them, at its top, two levels above
    this module.
    """
    packaged = _package_folder() / DEFAULT_CAMPAIGN_DIR
    if (packaged / CAMPAIGN_FILE).is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / CAMPAIGN_FILE).is_file() and (checkout / "pyproject.toml").is_file():
        return checkout
    return packaged  # reading it reports what is missing


def default_snapshot_file() -> Traversable:
    """Where the compiled snapshot of the default campaign is (appeal.snapshot): inside the
    package in a wheel, built there by the wheel's build hook; in a source checkout, at the same
    place, written by the editable install or ``scripts/build_snapshot.py`` and ignored by git."""
    from appeal.snapshot import SNAPSHOT_FILE

    return _package_folder() / DEFAULT_CAMPAIGN_DIR / SNAPSHOT_FILE


def load_campaign(folder: Path | None = None, strict: bool = False) -> Campaign:
    """Load the campaign in ``folder``, or the embedded default when ``folder`` is None.

    An organiser's folder is always checked in full. The embedded default, which the project's
    tests check in full, gets a quicker e-mail check unless ``strict`` asks for the full one.
    """
    if folder is None:
        return _load_default(strict)
    if not folder.is_dir():
        raise DataError(f"{folder}: campaign folder not found")
    default = _load_default()
    settings = default.settings
    settings_path = folder / CAMPAIGN_FILE
    if settings_path.is_file():
        _refuse_outside(folder, settings_path)
        settings = parse_settings_bytes(
            _read(settings_path, str(settings_path)), str(settings_path)
        )
    recipients_path = folder / RECIPIENTS_FILE
    if not recipients_path.is_file():
        raise DataError(f"{recipients_path}: not found; a campaign folder needs its recipients")
    _refuse_outside(folder, recipients_path)
    recipients = parse_recipients_bytes(
        _read(recipients_path, str(recipients_path)), str(recipients_path), settings
    )
    roots = (folder / TEMPLATES_DIR, *default.template_roots)
    return Campaign(str(folder), settings, recipients, roots, default.template_code)


def _refuse_outside(folder: Path, path: Path) -> None:
    """Refuse a data file that is a link to somewhere outside its campaign folder: a folder from
    someone else must not make appeal read (and show parts of) other files."""
    if not path.resolve().is_relative_to(folder.resolve()):
        raise DataError(f"{path}: leads outside the campaign folder; copy the file into it")


@functools.lru_cache(maxsize=2)
def _load_default(strict: bool = False) -> Campaign:
    return load_embedded(default_campaign_root(), default_snapshot_file(), strict)


def load_embedded(root: Traversable, snapshot_file: Traversable, strict: bool = False) -> Campaign:
    """The default campaign in ``root``, from its compiled snapshot when that was built from
    exactly these files, else parsed and checked (``strict``: with the full e-mail check)."""
    from appeal.snapshot import load_snapshot

    files = {name: _read(root / name, name) for name in (CAMPAIGN_FILE, RECIPIENTS_FILE)}
    roots = (root / TEMPLATES_DIR,)
    label = "the default campaign"
    snapshot = load_snapshot(snapshot_file, files)
    try:
        settings = None if snapshot is None else settings_from_json(snapshot.settings)
    except (ValueError, LookupError, TypeError, DataError):  # damaged: as if there were none
        settings = None
    if snapshot is None or settings is None:
        settings = parse_settings_bytes(files[CAMPAIGN_FILE], CAMPAIGN_FILE)
        recipients = parse_recipients_bytes(
            files[RECIPIENTS_FILE], RECIPIENTS_FILE, settings, strict
        )
        return Campaign(label, settings, recipients, roots)
    if strict:  # asked to check the file itself, not to trust the snapshot made from it
        recipients = parse_recipients_bytes(files[RECIPIENTS_FILE], RECIPIENTS_FILE, settings)
        return Campaign(label, settings, recipients, roots, snapshot.template_code)
    return Campaign(label, settings, snapshot.records, roots, snapshot.template_code)


def _read(file: Traversable, label: str) -> bytes:
    try:
        size = file.stat().st_size if isinstance(file, Path) else 0
        if size > MAX_FILE_BYTES:
            raise DataError(
                f"{label}: file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes"
            )
        return bytes(file.read_bytes())
    except FileNotFoundError:
        raise DataError(f"{label}: not found") from None
    except OSError as exc:
        raise DataError(f"{label}: cannot be read ({exc.strerror or exc})") from None


def parse_recipients_bytes(
    data: bytes, label: str, settings: CampaignSettings, check_emails: bool = True
) -> tuple[Recipient, ...]:
    """Parse and check the content of a ``recipients.yaml`` called ``label``: every record's
    kind must be one of the campaign's (``settings``), with a country where the kind serves
    one country per record."""
    from appeal.records import parse_recipients
    from appeal.yamlfile import read_yaml_bytes

    serves = {kind: entry.serves for kind, entry in settings.kinds.items()}
    return parse_recipients(read_yaml_bytes(data, label), check_emails, serves)


def parse_settings_bytes(data: bytes, label: str) -> CampaignSettings:
    """Parse and check the content of a ``campaign.yaml`` called ``label``."""
    from appeal.yamlfile import read_yaml_bytes

    document = read_yaml_bytes(data, label)
    return parse_settings(document.value, label, document.line_of)


SETTINGS_KEYS = (
    "schema_version",
    "id",
    "title",
    "kinds",
    "languages",
    "sample_notes",
    "pointers",
    "own_words_hint",
    "country_lists",
    "safety_rules",
    "letters",
    "postal_reply",
    "importers",
    "page",
)
#: Settings of older campaign files, and what took their place.
_REPLACED_SETTINGS = {
    "safety_note": "safety_rules",
    "default_kinds": "'default: true' in kinds",
    "kind_descriptions": "'description' in kinds",
}


def parse_settings(
    raw: Any, label: str, line_of: Callable[[tuple[str | int, ...]], int | None] | None = None
) -> CampaignSettings:
    """Check campaign settings already read from YAML (or from the snapshot); every problem is
    reported at once, with its line where ``line_of`` knows it."""
    from appeal.countries import is_alpha2

    problems: list[str] = []

    def bad(place: str | tuple[str | int, ...], message: str) -> None:
        path = (place,) if isinstance(place, str) else place
        line = line_of(path) if line_of else None
        shown = ".".join(str(k) if isinstance(k, str) else f"[{k}]" for k in path)
        shown = shown.replace(".[", "[")
        where = f"{label}:{line}" if line else label
        problems.append(f"{where}: {shown}: {message}" if shown else f"{where}: {message}")

    if not isinstance(raw, dict):
        raise DataError(f"{label}: expected a mapping of campaign settings")
    for key in raw:
        if key in _REPLACED_SETTINGS:
            bad((key,), f"replaced by {_REPLACED_SETTINGS[key]} (see docs/campaign-settings.md)")
        elif key not in SETTINGS_KEYS:
            bad((key,), "unknown setting")
    if raw.get("schema_version") != 1:
        bad(("schema_version",), f"expected 1, got {raw.get('schema_version')!r}")
    campaign_id = _text(raw, "id", bad)
    title = _text(raw, "title", bad)
    kinds = _kinds(raw.get("kinds"), bad)
    # Every well-named kind the file declares, also one whose settings have a problem (already
    # reported): the settings that name it are not wrong too.
    declared = raw["kinds"] if isinstance(raw.get("kinds"), dict) else {}
    kind_ids = tuple(k for k in declared if isinstance(k, str) and KIND_PATTERN.match(k))
    languages = _languages(raw.get("languages"), bad)
    pointers = _pointers(raw.get("pointers"), bad, is_alpha2)
    letters = _letter_rules(raw.get("letters"), bad, kind_ids)
    reply_kinds, reply_reason = _postal_reply(raw.get("postal_reply"), bad, kind_ids)
    samples = None
    if raw.get("sample_notes") is not None:
        samples = read_texts(raw["sample_notes"], ("sample_notes",), bad, LANGUAGES)
    importers = read_importers(raw.get("importers"), bad, kind_ids, is_alpha2)
    hint = None
    if raw.get("own_words_hint") is not None:
        hint = read_texts(raw["own_words_hint"], ("own_words_hint",), bad, LANGUAGES)
    page = _page_settings(raw.get("page"), bad, is_alpha2)
    lists = read_country_lists(raw.get("country_lists"), bad, is_alpha2)
    rules = read_rules(
        raw.get("safety_rules"),
        bad,
        kinds=kind_ids,
        languages=LANGUAGES,
        lists=lists,
        pointer_ids=[p.id for p in pointers],
        is_code=is_alpha2,
    )
    if problems:
        raise DataError(*problems)
    assert campaign_id and title
    return CampaignSettings(
        campaign_id,
        title,
        MappingProxyType(kinds),
        pointers,
        letters=letters,
        postal_reply_kinds=reply_kinds,
        postal_reply_reason=reply_reason,
        safety_rules=rules,
        country_lists=MappingProxyType(lists),
        own_words_hint=hint,
        as_read=_plain(raw),
        languages=languages,
        sample_notes=samples,
        importers=importers,
        page=page,
    )


def _page_settings(raw: Any, bad: Any, is_code: Callable[[str], bool]) -> PageSettings | None:
    """``page``: title and intro (text per language), as_of (a date), organiser and contact
    (one line each, optional) and countries (code → text per language)."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        bad(("page",), "expected a mapping with intro, as_of, organiser, contact, countries")
        return None
    allowed = ("title", "intro", "as_of", "organiser", "contact", "countries")
    for key in raw:
        if key not in allowed:
            bad(("page", key), f"unknown field; expected one of {', '.join(allowed)}")
    intro = read_texts(raw.get("intro"), ("page", "intro"), bad, LANGUAGES)
    title = None
    if raw.get("title") is not None:
        title = read_texts(raw["title"], ("page", "title"), bad, LANGUAGES)
    as_of = raw.get("as_of")
    if as_of is not None and not isinstance(as_of, dt.date):
        try:
            as_of = dt.date.fromisoformat(str(as_of))
        except ValueError:
            bad(("page", "as_of"), "expected a date, YYYY-MM-DD")
            as_of = None
    lines: dict[str, str | None] = {}
    for key in ("organiser", "contact"):
        value = raw.get(key)
        if value is None:
            lines[key] = None
        elif not isinstance(value, str) or not value.strip() or "\n" in value.strip():
            bad(("page", key), "expected one line of text")
            lines[key] = None
        elif problem := hidden_character_problem(value, data=True):
            bad(("page", key), problem)
            lines[key] = None
        else:
            lines[key] = value.strip()
    countries: dict[str, Texts] = {}
    raw_countries = raw.get("countries") or {}
    if not isinstance(raw_countries, dict):
        bad(("page", "countries"), "expected a mapping of country code to text")
        raw_countries = {}
    for code, text in raw_countries.items():
        if not isinstance(code, str) or not is_code(code):
            bad(("page", "countries", str(code)), "not an ISO 3166-1 alpha-2 country code")
            continue
        texts = read_texts(text, ("page", "countries", code), bad, LANGUAGES)
        if texts is not None:
            countries[code] = texts
    if intro is None:
        return None
    return PageSettings(
        intro, as_of, lines["organiser"], lines["contact"], MappingProxyType(countries), title
    )


def _postal_reply(
    raw: Any, bad: Any, kind_ids: Sequence[str]
) -> tuple[tuple[str, ...], str | None]:
    """``postal_reply: {kinds: [...], reason: ...}``: who replies only to a postal address."""
    if raw is None:
        return (), None
    if not isinstance(raw, dict) or set(raw) - {"kinds", "reason"}:
        bad("postal_reply", "expected a mapping with 'kinds' (a list) and 'reason' (text)")
        return (), None
    kinds: list[str] = []
    listed = raw.get("kinds")
    if not isinstance(listed, list):
        bad("postal_reply", "kinds: expected a list of recipient kinds")
        listed = []
    for kind in listed:
        if kind in kind_ids:
            kinds.append(kind)
        else:
            bad("postal_reply", f"kinds: {kind!r} is not one of {_listed(kind_ids)}")
    reason = raw.get("reason")
    if reason is not None and (not isinstance(reason, str) or not reason.strip()):
        bad("postal_reply", "reason: expected text")
        reason = None
    return tuple(kinds), fold_spaces(reason) if reason else None


def _listed(kind_ids: Sequence[str]) -> str:
    """The campaign's kinds, for a message about a kind it does not declare."""
    return ", ".join(kind_ids) or "the kinds declared under 'kinds'"


def _kinds(raw: Any, bad: Any) -> dict[str, KindSettings]:
    """``kinds``: kind id → label (per language, 'en' required), description (per language),
    default (drafted when the sender does not choose) and serves (country | everyone)."""
    if not isinstance(raw, dict) or not raw:
        bad(("kinds",), "expected a mapping of recipient kind to its settings (label, ...)")
        return {}
    kinds: dict[str, KindSettings] = {}
    allowed = ("label", "description", "default", "serves")
    for kind, entry in raw.items():
        path: tuple[str | int, ...] = ("kinds", kind)
        if not isinstance(kind, str) or not KIND_PATTERN.match(kind):
            bad(path, "a kind is lower-case letters, digits and '_', starting with a letter")
            continue
        if not isinstance(entry, dict):
            bad(path, f"expected a mapping with {', '.join(allowed)}")
            continue
        for key in entry:
            if key not in allowed:
                bad((*path, key), f"unknown field; expected one of {', '.join(allowed)}")
        label = read_texts(entry.get("label"), (*path, "label"), bad, LANGUAGES)
        description = None
        if entry.get("description") is not None:
            description = read_texts(entry["description"], (*path, "description"), bad, LANGUAGES)
        default = entry.get("default", False)
        if not isinstance(default, bool):
            bad((*path, "default"), "expected true or false")
        serves = entry.get("serves", "everyone")
        if serves not in SERVES:
            bad((*path, "serves"), f"expected one of {', '.join(SERVES)}")
        if label is not None and isinstance(default, bool) and serves in SERVES:
            kinds[kind] = KindSettings(kind, label, description, default, cast(Serves, serves))
    if kinds and not any(entry.default for entry in kinds.values()):
        bad(("kinds",), "no kind has 'default: true': say which kinds are drafted by default")
    return kinds


def _languages(raw: Any, bad: Any) -> tuple[str, ...]:
    """``languages``: the languages the campaign's letters are written in (default: all)."""
    if raw is None:
        return LANGUAGES
    if not isinstance(raw, list) or not raw or "en" not in raw:
        bad(("languages",), f"expected a list of languages with 'en' ({', '.join(LANGUAGES)})")
        return LANGUAGES
    for index, language in enumerate(raw):
        if language not in LANGUAGES:
            bad(("languages", index), f"{language!r} is not one of {', '.join(LANGUAGES)}")
    return tuple(language for language in LANGUAGES if language in raw)


def _plain(value: Any) -> Any:
    """YAML values as JSON values: dates become the text they were written as."""
    import datetime as dt

    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _text(raw: Mapping[str, Any], key: str, bad: Any) -> str | None:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        bad((key,), "expected text")
        return None
    # The records' rule: these texts reach the terminal, letters and the action page.
    problem = hidden_character_problem(value, allow="\n\t", data=True)
    if problem:
        bad((key,), problem)
        return None
    return fold_spaces(value)


def _letter_rules(raw: Any, bad: Any, kind_ids: Sequence[str]) -> LetterRules:
    """The ``letters`` setting: ``languages`` (kind → language), ``language_reason``, and
    ``forbidden_sources`` (a list of ``names``, ``kinds`` and ``reason``)."""
    from appeal.records import LANGUAGES

    if raw is None:
        return LetterRules()
    if not isinstance(raw, dict):
        bad("letters", "expected a mapping (languages, language_reason, forbidden_sources)")
        return LetterRules()
    for key in raw:
        if key not in ("languages", "language_reason", "forbidden_sources"):
            bad("letters", f"{key!r}: unknown setting")
    languages: dict[str, str] = {}
    raw_languages = raw.get("languages") or {}
    if not isinstance(raw_languages, dict):
        bad("letters", "languages: expected a mapping of recipient kind to language")
        raw_languages = {}
    for kind, language in raw_languages.items():
        if kind not in kind_ids:
            bad("letters", f"languages: {kind!r} is not one of {_listed(kind_ids)}")
        elif language not in LANGUAGES:
            bad("letters", f"languages: {kind}: {language!r} is not one of {', '.join(LANGUAGES)}")
        else:
            languages[kind] = language
    reason = raw.get("language_reason")
    if reason is not None and (not isinstance(reason, str) or not reason.strip()):
        bad("letters", "language_reason: expected text")
        reason = None
    if languages and reason is None:
        bad("letters", "language_reason: say why these letters are in another language")
    return LetterRules(
        MappingProxyType(languages),
        fold_spaces(reason) if reason else None,
        _forbidden_sources(raw.get("forbidden_sources"), bad, kind_ids),
    )


def _forbidden_sources(raw: Any, bad: Any, kind_ids: Sequence[str]) -> tuple[ForbiddenSources, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        bad("letters", "forbidden_sources: expected a list")
        return ()
    rules = []
    for index, entry in enumerate(raw):
        where = f"forbidden_sources[{index}]"
        if not isinstance(entry, dict) or set(entry) - {"names", "kinds", "reason"}:
            bad("letters", f"{where}: expected a mapping of names, kinds and reason")
            continue
        names, kinds, reason = entry.get("names"), entry.get("kinds"), entry.get("reason")
        if (
            not isinstance(names, list)
            or not names
            or not all(isinstance(n, str) and n.strip() for n in names)
        ):
            bad("letters", f"{where}: names: expected a non-empty list of names")
            continue
        if not isinstance(kinds, list) or not kinds or not all(k in kind_ids for k in kinds):
            bad("letters", f"{where}: kinds: expected a list of {_listed(kind_ids)}")
            continue
        if not isinstance(reason, str) or not reason.strip():
            bad("letters", f"{where}: reason: expected text")
            continue
        rules.append(
            ForbiddenSources(
                tuple(fold_spaces(n) for n in names),
                tuple(kinds),
                fold_spaces(reason),
            )
        )
    return tuple(rules)


def _pointers(raw: Any, bad: Any, is_code: Callable[[str], bool]) -> tuple[Pointer, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        bad(("pointers",), "expected a list")
        return ()
    pointers = []
    allowed = ("id", "title", "url", "note", "legal_status")
    for index, entry in enumerate(raw):
        path: tuple[str | int, ...] = ("pointers", index)
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(k), (str, dict)) for k in ("id", "title", "url")
        ):
            bad(path, "needs id, title and url")
            continue
        for key in entry:
            if key not in allowed:
                bad((*path, key), f"unknown field; expected one of {', '.join(allowed)}")
        title = read_texts(entry["title"], (*path, "title"), bad, LANGUAGES)
        note = None
        if entry.get("note") is not None:
            note = read_texts(entry["note"], (*path, "note"), bad, LANGUAGES)
        url = entry["url"]
        problem = url_problem(url, https_only=True) if isinstance(url, str) else "expected a URL"
        if problem:
            bad((*path, "url"), problem)
            continue
        if not isinstance(entry["id"], str) or hidden_character_problem(entry["id"], data=True):
            bad((*path, "id"), "expected a plain identifier")
            continue
        statuses = read_statuses(entry.get("legal_status"), (*path, "legal_status"), bad, is_code)
        if title is not None and isinstance(entry["id"], str):
            pointers.append(Pointer(entry["id"], title, url, note, statuses))
    return tuple(pointers)


ORGANISER_README = """\
# Your appeal campaign

This folder is a campaign for `appeal`: run any command on it with
`appeal --campaign {folder} ...` (or set `APPEAL_CAMPAIGN={folder}`).

- `campaign.yaml`: the campaign's title, recipient kinds (their names in each language, which
  are drafted by default), links (pointers), `letters`
  (the language some kinds are written in; sources letters to some kinds must not name), safety
  rules and their notes in each language (schema: appeal's docs/campaign-settings.md).
- `recipients.yaml`: the recipient records (schema in appeal's README: every record needs its
  source and the date it was last seen there; never invent an address).
- `templates/letters/<language>/<kind>.txt.j2`: the letters. A template you delete here falls
  back to appeal's own; one you keep can extend appeal's own version with
  `{{% extends "default/letters/en/_layout.txt.j2" %}}`.

Check your work with `appeal --campaign {folder} recipients check` and
`appeal --campaign {folder} templates check`. Templates render in a sandbox with limits on size
and time, so a campaign folder from someone else cannot read your files or hang the tool.
"""


def init_campaign(folder: Path) -> list[Path]:
    """Write a new campaign folder: a copy of the default campaign's files and a README.

    Refuses a folder that exists and is not empty. Every file is written, or none (also on
    Ctrl-C or a full disk). Returns the files written.
    """
    from appeal.files import write_file_set

    root = default_campaign_root()
    files: dict[str, bytes | str] = {
        name: _read(root / name, name) for name in (CAMPAIGN_FILE, RECIPIENTS_FILE)
    }
    files.update(_template_files(root / TEMPLATES_DIR, TEMPLATES_DIR))
    files["README.md"] = ORGANISER_README.format(folder=folder)
    written = write_file_set(folder, files, empty_folder=True)
    load_campaign(folder)  # the new folder must validate at once
    return written


def _template_files(source: Traversable, prefix: str) -> dict[str, bytes | str]:
    files: dict[str, bytes | str] = {}
    for item in sorted(source.iterdir(), key=lambda i: i.name):
        if item.is_dir():
            files.update(_template_files(item, f"{prefix}/{item.name}"))
        elif item.name.endswith(".j2"):
            files[f"{prefix}/{item.name}"] = item.read_bytes()
    return files
