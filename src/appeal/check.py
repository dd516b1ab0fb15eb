"""Health report of a campaign's records: age, confidence, channels, forms of address.

Loading a campaign already rejects every invalid record; this module reports what is valid but
worth a maintainer's attention, and the figures that say how well the data covers the world.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from appeal.campaign import Campaign
from appeal.emails import is_free_mail
from appeal.records import CONFIDENCES, LANGUAGES, Recipient


@dataclass(frozen=True)
class Finding:
    """Something about one record that a maintainer should look at."""

    record: str
    code: str
    message: str

    def to_json(self) -> dict[str, str]:
        """A plain mapping for JSON output."""
        return {"record": self.record, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class ToFill:
    """What an organiser should add to one record of a post in one country."""

    record: str
    country: str
    #: Every country the record serves, its own first.
    serves: tuple[str, ...]
    #: How many people live in those countries (appeal.population).
    people: int
    missing: tuple[str, ...]
    #: Where to look for it: the post's own website, when the record has one.
    website: str | None

    def to_json(self) -> dict[str, Any]:
        """A plain mapping for JSON output."""
        return {
            "record": self.record,
            "country": self.country,
            "serves": list(self.serves),
            "people": self.people,
            "missing": list(self.missing),
            "website": self.website,
        }


@dataclass
class Report:
    """Findings, errors and coverage figures for a campaign's records."""

    findings: list[Finding] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    #: Valid records that are still wrong (``appeal recipients check`` exits non-zero).
    errors: list[Finding] = field(default_factory=list)
    #: Records of posts in one country that lack a channel a letter can take, largest
    #: populations served first.
    to_fill: list[ToFill] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A plain mapping for JSON output."""
        return {
            "figures": self.figures,
            "errors": [e.to_json() for e in self.errors],
            "findings": [f.to_json() for f in self.findings],
            "to_fill": [t.to_json() for t in self.to_fill],
        }


#: Age bands of the channel-age distribution: (label, upper bound in days, exclusive).
AGE_BANDS = (
    ("under 1 year", 365),
    ("1-3 years", 3 * 365),
    ("3-5 years", 5 * 365),
    ("5-10 years", 10 * 365),
    ("over 10 years", None),
)


def check_records(campaign: Campaign, max_age_days: int, today: dt.date | None = None) -> Report:
    """Report stale, low-confidence, unreachable and incomplete records, and coverage figures."""
    today = today or dt.date.today()
    report = Report()
    for record in campaign.recipients:
        report.findings.extend(_findings(record, max_age_days, today))
    report.errors = _routing_errors(campaign)
    report.to_fill = to_fill(campaign)
    report.figures = _figures(campaign, report)
    report.figures["channel_ages"] = channel_ages(campaign, today, max_age_days)
    return report


def _per_country_kinds(campaign: Campaign) -> tuple[str, ...]:
    """The kinds whose records each serve one country (``serves: country`` in campaign.yaml)."""
    return tuple(k for k, entry in campaign.settings.kinds.items() if entry.serves == "country")


def to_fill(campaign: Campaign) -> list[ToFill]:
    """For each open record that serves particular countries and lacks a postal address or an
    e-mail address a letter can go to: what is missing, ordered by how many people live in the
    countries it serves (largest first), so that an organiser starts where most supporters are."""
    from appeal.population import population

    rows = []
    for record in campaign.recipients:
        if record.country is None or record.closed_since:
            continue
        missing = []
        if record.postal is None:
            missing.append("postal address")
        if not record.sendable_emails:
            missing.append("e-mail")
        if not missing:
            continue
        if not record.salutation:
            missing.append("form of address")
        if record.website is None:
            missing.append("website")
        serves = (record.country, *record.also_serves)
        people = sum(population(code) for code in serves)
        rows.append(
            ToFill(record.id, record.country, serves, people, tuple(missing), record.website)
        )
    return sorted(rows, key=lambda row: (-row.people, row.record))


def _routing_errors(campaign: Campaign) -> list[Finding]:
    """Records that route a country to a covering post of their kind when that country has a
    post of the same kind of its own: letters from there would go to the wrong post."""
    per_country = _per_country_kinds(campaign)
    own = {
        (r.kind, r.country): r.id
        for r in campaign.recipients
        if r.kind in per_country and r.country and not r.closed_since
    }
    errors = []
    ids = {r.id for r in campaign.recipients}
    for record in campaign.recipients:
        if record.fallback and record.fallback.recipient not in ids:
            errors.append(
                Finding(
                    record.id,
                    "unknown-fallback",
                    f"fallback.recipient {record.fallback.recipient!r} is not a record's id",
                )
            )
        if record.kind not in per_country or record.closed_since:
            continue
        for code in record.also_serves:
            if (record.kind, code) in own:
                errors.append(
                    Finding(
                        record.id,
                        "covered-but-own-record",
                        f"also_serves {code}, which has its own {record.kind} record "
                        f"{own[record.kind, code]}: remove {code} from also_serves (name "
                        f"{record.id} as that record's fallback)",
                    )
                )
    return errors


def _band(age: int | None) -> str:
    if age is None:
        return "undated"
    return next(label for label, limit in AGE_BANDS if limit is None or age < limit)


def channel_ages(campaign: Campaign, today: dt.date, max_age_days: int) -> dict[str, Any]:
    """Per kind: how old the usable channels are (e-mail in To:, form, postal address, phones,
    website), and for kinds that serve one country each, the share of countries whose best
    channel for a letter (the newest e-mail in To:, form or postal address) is younger than
    ``max_age_days``."""
    bands = [label for label, _ in AGE_BANDS] + ["undated"]
    per_kind: dict[str, Any] = {}
    best: dict[str, dict[str, int | None]] = {}
    for record in campaign.recipients:
        if record.closed_since:
            continue
        entry = per_kind.setdefault(record.kind, {"channels": dict.fromkeys(bands, 0)})
        ages = [seen.age_days(today) for _, seen in record.usable_channels()]
        for age in ages:
            entry["channels"][_band(age)] += 1
        if record.country is None:
            continue
        letter_ages = [
            seen.age_days(today)
            for kind, seen in record.usable_channels()
            if kind in ("email", "form", "postal")
        ]
        dated = [age for age in letter_ages if age is not None]
        newest = min(dated) if dated else None
        countries = best.setdefault(record.kind, {})
        for code in (record.country, *record.also_serves):
            known = countries.get(code)
            if code not in countries or (newest is not None and (known is None or newest < known)):
                countries[code] = newest
    for kind, countries in best.items():
        fresh = sum(1 for age in countries.values() if age is not None and age < max_age_days)
        per_kind[kind]["countries"] = len(countries)
        per_kind[kind]["countries_best_channel_fresh"] = fresh
        per_kind[kind]["share_best_channel_fresh"] = round(fresh / len(countries), 3)
    return dict(sorted(per_kind.items()))


def _findings(record: Recipient, max_age_days: int, today: dt.date) -> list[Finding]:
    found: list[Finding] = []

    def add(code: str, message: str) -> None:
        found.append(Finding(record.id, code, message))

    if record.closed_since:
        return found
    seen = record.newest_seen
    age = seen.age_days(today)
    if age is None:
        add("undated", "the source is undated, so the record's age is unknown")
    elif age > max_age_days:
        add("stale", f"newest channel seen {seen}, {age:,} days ago (limit {max_age_days:,})")
    if record.confidence == "low":
        add("low-confidence", "the record rests on secondary sources only")
    for email in record.emails:
        if email.confidence == "low":
            add("low-confidence-email", f"{email.address} is a low-confidence lead (not used)")
        if is_free_mail(email.address):
            add("free-mail", f"{email.address} is on a free-mail domain: possibly an old address")
    if not record.sendable_emails and not record.form and not record.postal:
        fallback = f"; drafts offer {record.fallback.recipient}" if record.fallback else ""
        add("no-channel", f"no usable e-mail address, online form or postal address{fallback}")
    if record.postal and record.postal.country is None:
        add(
            "postal-no-country",
            "the postal address has no country: a letter posted from abroad cannot name it",
        )
    if record.postal and len(record.postal.lines) == 1 and "," in record.postal.lines[0]:
        add(
            "postal-one-line",
            "the postal address is one comma-joined line: write it out line by line "
            "(postal.lines) where you know where its lines break",
        )
    missing = [language for language in LANGUAGES if language not in record.salutation]
    if missing:
        add("no-salutation", f"no form of address in {', '.join(missing)}")
    return found


def _figures(campaign: Campaign, report: Report) -> dict[str, Any]:
    """Counts per kind and confidence, and for each kind that serves one country per record,
    how many countries have an open post of it (and how many of those by e-mail), and which of
    the countries the campaign serves at all have none: such a kind should serve every one."""
    coverage: dict[str, dict[str, set[str]]] = {
        kind: {"letter": set(), "email": set()} for kind in _per_country_kinds(campaign)
    }
    for record in campaign.recipients:
        if record.closed_since or record.country is None or record.kind not in coverage:
            continue
        served = {record.country, *record.also_serves}
        coverage[record.kind]["letter"] |= served
        if record.sendable_emails:
            coverage[record.kind]["email"] |= served
    confidence = Counter(record.confidence for record in campaign.recipients)
    kinds = Counter(record.kind for record in campaign.recipients)
    codes = Counter(finding.code for finding in report.findings)
    return {
        "records": len(campaign.recipients),
        "records_per_kind": dict(sorted(kinds.items())),
        "records_per_confidence": {level: confidence.get(level, 0) for level in CONFIDENCES},
        "countries_per_kind": {
            kind: {
                "countries_with_letter": len(served["letter"]),
                "countries_with_email": len(served["email"]),
                "countries_without_letter": sorted(set(campaign.countries()) - served["letter"]),
            }
            for kind, served in coverage.items()
        },
        "findings_per_code": dict(sorted(codes.items())),
    }
