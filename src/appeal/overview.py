"""Tables of what a campaign's data holds: records and the countries they serve."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from appeal.campaign import Campaign


def recipient_rows(
    campaign: Campaign, country: str | None = None, kinds: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """One row per record, optionally only those serving ``country`` and of ``kinds``."""
    today = dt.date.today()
    rows = []
    for record in campaign.recipients:
        if country and not record.serves(country):
            continue
        if kinds and record.kind not in kinds:
            continue
        rows.append(
            {
                "id": record.id,
                "kind": record.kind,
                "country": record.country,
                "also_serves": list(record.also_serves),
                "name": record.display_name(),
                "email": [e.address for e in record.sendable_emails],
                "form": record.form.url if record.form else None,
                "postal": record.postal is not None,
                "source": record.source,
                "last_seen": str(record.newest_seen),
                "age_days": record.newest_seen.age_days(today),
                "source_date": str(record.last_seen),
                # Each usable channel's own date (e-mail in To:, form, postal, phone, website).
                "channels": [
                    {"kind": kind, "last_seen": str(seen)}
                    for kind, seen in record.usable_channels()
                ],
                "confidence": record.confidence,
                "closed_since": None if record.closed_since is None else str(record.closed_since),
            }
        )
    return rows


def country_rows(campaign: Campaign) -> list[dict[str, Any]]:
    """One row per country that a country-specific record serves, with each kind's age."""
    from appeal.countries import country_for_code

    today = dt.date.today()
    rows = []
    for code in campaign.countries():
        kinds = []
        for record in campaign.recipients:
            if record.country is not None and record.serves(code):
                kinds.append(
                    {
                        "kind": record.kind,
                        "id": record.id,
                        "last_seen": str(record.newest_seen),
                        "age_days": record.newest_seen.age_days(today),
                        "via": record.country if record.country != code else None,
                        "closed_since": None
                        if record.closed_since is None
                        else str(record.closed_since),
                        # No contact detail yet: drafts offer this office instead.
                        "fallback": record.fallback.recipient
                        if record.fallback and not record.usable_channels()
                        else None,
                    }
                )
        rows.append({"code": code, "name": country_for_code(code).name, "kinds": kinds})
    return rows
