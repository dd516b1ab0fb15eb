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
from appeal.records import CONFIDENCES, LANGUAGES, Recipient

# Free-mail providers: an official address there is usually an old or informal one.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.fr",
        "yahoo.co.uk",
        "hotmail.com",
        "hotmail.fr",
        "outlook.com",
        "live.com",
        "msn.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "mail.ru",
        "inbox.ru",
        "list.ru",
        "bk.ru",
        "yandex.ru",
        "ya.ru",
        "rambler.ru",
        "newmail.ru",
        "protonmail.com",
        "proton.me",
    }
)


@dataclass(frozen=True)
class Finding:
    """Something about one record that a maintainer should look at."""

    record: str
    code: str
    message: str

    def to_json(self) -> dict[str, str]:
        """A plain mapping for JSON output."""
        return {"record": self.record, "code": self.code, "message": self.message}


@dataclass
class Report:
    """Findings and coverage figures for a campaign's records."""

    findings: list[Finding] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A plain mapping for JSON output."""
        return {"figures": self.figures, "findings": [f.to_json() for f in self.findings]}


def is_free_mail(address: str) -> bool:
    """Whether the address is on a well-known free-mail provider's domain."""
    return address.rpartition("@")[2].lower() in FREE_MAIL_DOMAINS


def check_records(campaign: Campaign, max_age_days: int, today: dt.date | None = None) -> Report:
    """Report stale, low-confidence, unreachable and incomplete records, and coverage figures."""
    today = today or dt.date.today()
    report = Report()
    for record in campaign.recipients:
        report.findings.extend(_findings(record, max_age_days, today))
    report.figures = _figures(campaign, report)
    return report


def _findings(record: Recipient, max_age_days: int, today: dt.date) -> list[Finding]:
    found: list[Finding] = []

    def add(code: str, message: str) -> None:
        found.append(Finding(record.id, code, message))

    if record.closed_since:
        return found
    age = record.last_seen.age_days(today)
    if age is None:
        add("undated", "the source is undated, so the record's age is unknown")
    elif age > max_age_days:
        add("stale", f"last seen {record.last_seen}, {age:,} days ago (limit {max_age_days:,})")
    if record.confidence == "low":
        add("low-confidence", "the record rests on secondary sources only")
    for email in record.emails:
        if email.confidence == "low":
            add("low-confidence-email", f"{email.address} is a low-confidence lead (not used)")
        if is_free_mail(email.address):
            add("free-mail", f"{email.address} is on a free-mail domain: possibly an old address")
    if not record.sendable_emails and not record.form and not record.postal:
        add("no-channel", "no usable e-mail address, online form or postal address")
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
    embassy_countries: set[str] = set()
    email_countries: set[str] = set()
    un_countries: set[str] = set()
    for record in campaign.recipients:
        if record.closed_since or record.country is None:
            continue
        served = {record.country, *record.also_serves}
        if record.kind == "embassy":
            embassy_countries |= served
            if record.sendable_emails:
                email_countries |= served
        elif record.kind == "un_mission":
            un_countries |= served
    confidence = Counter(record.confidence for record in campaign.recipients)
    kinds = Counter(record.kind for record in campaign.recipients)
    codes = Counter(finding.code for finding in report.findings)
    return {
        "records": len(campaign.recipients),
        "records_per_kind": dict(sorted(kinds.items())),
        "records_per_confidence": {level: confidence.get(level, 0) for level in CONFIDENCES},
        "countries_with_embassy_letter": len(embassy_countries),
        "countries_with_embassy_email": len(email_countries),
        "countries_with_un_letter": len(un_countries),
        "findings_per_code": dict(sorted(codes.items())),
    }
