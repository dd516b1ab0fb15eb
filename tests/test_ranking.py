"""The likeliest channel first: how drafts rank a record's channels and say why (engine tests
on hand-written records, independent of the shipped data)."""

from __future__ import annotations

import datetime as dt
import textwrap

from appeal.drafts import channels_of, medium_for
from appeal.records import Recipient, parse_recipients
from appeal.yamlfile import read_yaml_bytes

TODAY = dt.date(2026, 11, 30)

RECORDS = """\
schema_version: 1
recipients:
  - id: embassy-aa
    kind: embassy
    country: AR
    name: {en: Embassy A}
    email:
      - old@gmail.com
      - {address: new@mid.ru, last_seen: 2026-08-08, confidence: medium}
      - {address: consul@mid.ru, role: consular section}
      - {address: lead@example.org, confidence: low}
    postal: {address: "Street 1, City"}
    website: https://a.mid.ru/
    source: directory
    last_seen: 2015-03-19
    confidence: high
  - id: embassy-bb
    kind: embassy
    country: EE
    name: {en: Embassy B}
    email: [old@online.ee]
    postal: {address: "Pikk 19, Tallinn"}
    website: https://b.mid.ru/
    channel_sources:
      website: {source: wikidata, last_seen: 2022-11-16}
    source: directory
    last_seen: 2015-03-19
    confidence: high
  - id: office
    kind: prosecutor
    name: {en: Office}
    form: {url: "https://office.example.org/form"}
    postal: {address: "Street 2, Moscow"}
    lead: post
    channel_advice: {post: Sign the letter., form: The form identifies you.}
    source: homepage
    last_seen: 2018-03
    confidence: medium
  - id: embassy-cc
    kind: embassy
    country: BF
    name: {en: Embassy C}
    city: Ouagadougou
    fallback: {recipient: embassy-aa, note: A covered it before.}
    source: news
    last_seen: 2023-12-28
    confidence: medium
"""


def _records() -> dict[str, Recipient]:
    document = read_yaml_bytes(textwrap.dedent(RECORDS).encode(), "recipients.yaml")
    return {record.id: record for record in parse_recipients(document)}


def test_a_recent_own_domain_address_leads_and_free_mail_comes_last() -> None:
    record = _records()["embassy-aa"]
    channels = channels_of(record, TODAY)
    assert [(c.kind, c.target) for c in channels] == [
        ("email", "new@mid.ru"),
        ("post", "Street 1, City"),
        ("website", "https://a.mid.ru/"),
        ("email", "old@gmail.com"),
        ("email", "consul@mid.ru"),
    ]
    assert channels[0].last_seen == "2026-08-08" and "2026-08-08" in (channels[0].why or "")
    assert "free-mail" in (channels[3].why or "")
    assert "not put in To:" in (channels[4].why or "")
    # The shown date is that of the newest channel a letter can use.
    assert str(record.newest_seen) == "2026-08-08"
    assert [e.address for e in record.sendable_emails] == ["old@gmail.com", "new@mid.ru"]
    assert medium_for(record, TODAY) == "email"


def test_an_old_free_mail_address_puts_the_printed_letter_and_website_first() -> None:
    record = _records()["embassy-bb"]
    channels = channels_of(record, TODAY)
    assert [c.kind for c in channels] == ["post", "website", "email"]
    assert channels[1].last_seen == "2022-11-16"
    assert medium_for(record, TODAY) == "print"


def test_the_record_s_lead_and_advice_come_from_the_data() -> None:
    record = _records()["office"]
    post, form = channels_of(record, TODAY)
    assert post.kind == "post" and (post.why or "").endswith("Sign the letter.")
    assert form.kind == "form" and (form.why or "").endswith("The form identifies you.")
    assert medium_for(record, TODAY) == "print"


def test_a_record_without_contact_lists_its_fallback_s_channels() -> None:
    records = _records()
    record = records["embassy-cc"]
    assert record.usable_channels() == []
    channels = channels_of(record, TODAY, fallback=records["embassy-aa"])
    assert channels and {c.via for c in channels} == {"embassy-aa"}
    assert all((c.why or "").startswith("Fallback (Embassy A): ") for c in channels)
    assert all(c.kind != "website" for c in channels)
