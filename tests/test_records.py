"""recipients.yaml validation: every problem at once, each with its line and place."""

from __future__ import annotations

import textwrap

import pytest

from appeal.errors import DataError
from appeal.records import parse_recipients
from appeal.yamlfile import read_yaml_bytes

GOOD = """\
schema_version: 2
recipients:
  - id: embassy-no
    kind: embassy
    country: NO
    name: {en: Embassy of the Russian Federation in Norway}
    salutation: {en: Your Excellency}
    email: [rembassy@online.no]
    source: a source
    last_seen: 2015-03-19
    confidence: high
  - id: prosecutor-general
    kind: prosecutor
    name: {en: Prosecutor General's Office}
    email:
      - address: genproc@genproc.gov.ru
        confidence: low
    form: {url: "https://example.org/form", fields: [full name]}
    source: another source
    last_seen: 2018-03
    confidence: medium
    officeholder: {name: A. Person, as_of: 2020-01-22, source: a newspaper}
    postal:
      lines: ["ул. Большая Дмитровка, д. 15А", "г. Москва, ГСП-3", "125993"]
      country: RU
"""


#: The default campaign's kinds and how each serves (campaign.yaml declares them).
KINDS = {"embassy": "country", "un_mission": "country", "prosecutor": "everyone"}
KINDS |= {"investigative_committee": "everyone", "company": "everyone"}


def parse(text: str):  # type: ignore[no-untyped-def]
    document = read_yaml_bytes(textwrap.dedent(text).encode(), "recipients.yaml")
    return parse_recipients(document, kinds=KINDS)


def problems(text: str) -> list[str]:
    with pytest.raises(DataError) as caught:
        parse(text)
    return list(caught.value.problems)


def test_good_file_loads_into_typed_records() -> None:
    embassy, prosecutor = parse(GOOD)
    assert embassy.country == "NO"
    assert embassy.serves("NO") and not embassy.serves("SE")
    assert embassy.emails[0].address == "rembassy@online.no"
    assert embassy.emails[0].confidence == "high"
    assert prosecutor.country is None and prosecutor.serves("SE")
    assert prosecutor.sendable_emails == ()
    assert str(prosecutor.last_seen) == "2018-03"
    assert prosecutor.officeholder is not None
    assert str(prosecutor.officeholder.as_of) == "2020-01-22"
    with pytest.raises(AttributeError):
        embassy.id = "x"


def test_every_problem_is_reported_with_line_and_place() -> None:
    bad = (
        GOOD.replace("rembassy@online.no", "not-an-address")
        .replace("kind: prosecutor", "kind: prosecuter")
        .replace("confidence: medium", "confidence: yes")
    )
    found = problems(bad)
    assert found[0].startswith(
        "recipients.yaml:8: recipients[0] (embassy-no): email[0]: 'not-an-address' is not a "
        "valid e-mail address"
    )
    assert found[1] == (
        "recipients.yaml:13: recipients[1] (prosecutor-general): kind: 'prosecuter' is not a kind "
        "campaign.yaml declares (embassy, un_mission, prosecutor, investigative_committee, "
        "company); did you mean "
        "'prosecutor'?"
    )
    assert found[2] == (
        "recipients.yaml:21: recipients[1] (prosecutor-general): confidence: 'yes' is not one of "
        "high, medium, low"
    )
    assert len(found) == 3


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "id: prosecutor-general",
            "id: embassy-no",
            "recipients.yaml:12: recipients[1] (embassy-no): duplicate id; recipients[0] has it too",
        ),
        (
            "country: NO",
            "country: false",
            "recipients.yaml:5: recipients[0] (embassy-no): country: False is not an ISO 3166-1 "
            "alpha-2 code in capitals (e.g. DE)",
        ),
        ("country: NO", "country: XX", "country: 'XX' is not an ISO 3166-1 alpha-2 code"),
        ("[rembassy@online.no]", "[' rembassy@online.no']", "has spaces around it"),
        ("[rembassy@online.no]", "['Embassy <rembassy@online.no>']", "is not a valid e-mail"),
        ("last_seen: 2015-03-19", "last_seen: 01234", "expected a date like 2015-03-19"),
        ("last_seen: 2015-03-19", "last_seen: 2015", None),
        ("    source: a source\n", "", "recipients[0] (embassy-no): source: missing"),
        (
            "    confidence: high\n",
            "    confidence: high\n    emial: x\n",
            "emial: unknown field; did you mean 'email'?",
        ),
        ("as_of: 2020-01-22, ", "", "officeholder.as_of: missing: name an officeholder only"),
        (
            "salutation: {en: Your Excellency}",
            "salutation: {xx: Hi}",
            "salutation.xx: unknown language",
        ),
        (
            "name: {en: Embassy of the Russian Federation in Norway}",
            "name: 12",
            "name: expected a mapping of language to text, got a number (12)",
        ),
    ],
)
def test_single_mistakes(old: str, new: str, expected: str | None) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    if expected is None:
        parse(text)
        return
    found = problems(text)
    assert any(expected in line for line in found), found


def test_top_level_must_be_a_mapping_with_a_list() -> None:
    assert problems("- a\n- b\n") == [
        "recipients.yaml:1: expected a mapping with 'recipients', got a list"
    ]
    assert problems("schema_version: 2\nrecipients: {}\n") == [
        "recipients.yaml:2: recipients: expected a list, got a mapping"
    ]
    assert problems("schema_version: 3\nrecipients: []\n") == [
        "recipients.yaml:1: schema_version: expected 2 (or the older 1), got 3"
    ]
    assert problems("schema_version: true\nrecipients: []\n") == [
        "recipients.yaml:1: schema_version: expected 2 (or the older 1), got True"
    ]


def test_postal_addresses_are_lines_with_their_country() -> None:
    embassy, prosecutor = parse(GOOD)
    assert prosecutor.postal is not None
    assert prosecutor.postal.lines == (
        "ул. Большая Дмитровка, д. 15А",
        "г. Москва, ГСП-3",
        "125993",
    )
    assert prosecutor.postal.country == "RU" and prosecutor.postal.lines_latin == ()
    assert prosecutor.postal.one_line() == "ул. Большая Дмитровка, д. 15А, г. Москва, ГСП-3, 125993"
    assert embassy.postal is None


@pytest.mark.parametrize(
    ("postal", "expected"),
    [
        ('{address: "Nobels gate 45, 0244 Oslo"}', "postal.address: schema version 2 writes an"),
        ("{lines: Nobels gate 45}", "postal.lines: expected a list with one element per line"),
        ("{lines: []}", "postal.lines: is empty; give one element per line"),
        ("{country: NO}", "postal.lines: missing"),
        ('{lines: ["a\\nb"]}', "postal.lines[0]: must be on one line"),
        ("{lines: [a, b, c, d, e, f, g, h, i]}", "postal.lines: has 9 lines; the limit is 8"),
        ("{lines: [a], country: Norway}", "postal.country: 'Norway' is not an ISO 3166-1"),
        ("{lines: [a], lines_latin: x}", "postal.lines_latin: expected a list"),
        ("{lines: [a], city: Oslo}", "postal.city: unknown field"),
    ],
)
def test_bad_postal_addresses(postal: str, expected: str) -> None:
    text = GOOD.split("    postal:\n")[0] + f"    postal: {postal}\n"
    found = problems(text)
    assert any(expected in line for line in found), found


def test_version_1_files_are_read_with_addresses_split_at_line_breaks_only() -> None:
    old = GOOD.replace("schema_version: 2", "schema_version: 1").split("    postal:\n")[0] + (
        '    postal:\n      address: "Unter den Linden, 63-65\\n10117 Berlin"\n'
        '      address_latin: "Unter den Linden, 63-65, 10117 Berlin"\n'
    )
    _, record = parse(old)
    assert record.postal is not None
    assert record.postal.lines == ("Unter den Linden, 63-65", "10117 Berlin")
    assert record.postal.lines_latin == ("Unter den Linden, 63-65, 10117 Berlin",)
    assert record.postal.country is None
    # A version 2 record in a version 1 file is the old form's mistake, reported as such.
    assert any(
        "postal.lines: unknown field" in p
        for p in problems(GOOD.replace("schema_version: 2", "schema_version: 1"))
    )


CHANNELS = GOOD.replace(
    "    email: [rembassy@online.no]\n",
    """\
    email:
      - rembassy@online.no
      - {address: oslo@mid.ru, last_seen: 2025-12-20, confidence: medium}
      - {address: consul@example.org, role: consular section}
    postal: {lines: [Drammensveien 74, 0271 Oslo], country: NO}
    phone: ["+47 22 55 32 78"]
    website: https://norway.mid.ru/
    channel_sources:
      postal: {source: the embassy's channel, last_seen: 2025-12-20, confidence: medium}
      phone: {source: the embassy's channel, last_seen: 2026-01}
    lead: post
    channel_advice: {post: Sign it.}
    city: Oslo
    fallback: {recipient: embassy-se, note: Stockholm covered it.}
    check_pages: [{url: "https://norway.mid.ru/", title: the embassy's own site}]
""",
)


def test_channels_carry_their_own_source_and_date() -> None:
    embassy, _ = parse(CHANNELS)
    assert [e.address for e in embassy.sendable_emails] == ["rembassy@online.no", "oslo@mid.ru"]
    assert embassy.emails[2].role == "consular section"
    postal = embassy.channel_source("postal")
    assert str(postal.last_seen) == "2025-12-20" and postal.confidence == "medium"
    assert embassy.channel_source("phone").confidence == "high"  # the record's, by default
    assert str(embassy.channel_source("website").last_seen) == "2015-03-19"
    # The shown date is the newest letter channel's, not the newer phone number's.
    assert str(embassy.newest_seen) == "2025-12-20"
    assert embassy.lead == "post" and embassy.channel_advice == {"post": "Sign it."}
    assert embassy.city == "Oslo" and embassy.fallback is not None
    assert embassy.fallback.recipient == "embassy-se"
    assert embassy.check_pages[0].title == "the embassy's own site"


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ("lead: post", "lead: fax", "recipients[0] (embassy-no): lead: 'fax' is not one of"),
        (
            "last_seen: 2026-01}",
            "last_seen: soon}",
            "channel_sources.phone.last_seen: expected a date like 2015-03-19",
        ),
        ("      phone: {source", "      fax: {source", "channel_sources.fax: unknown field"),
        ("recipient: embassy-se", "recipient: Embassy SE", "fallback.recipient: 'Embassy SE' is"),
        ('url: "https://norway.mid.ru/"', "url: norway.mid.ru", "check_pages[0].url:"),
        ("channel_advice: {post:", "channel_advice: {phone:", "channel_advice.phone: unknown"),
    ],
)
def test_bad_channel_fields_are_reported_with_their_place(
    before: str, after: str, message: str
) -> None:
    assert before in CHANNELS
    found = problems(CHANNELS.replace(before, after))
    assert any(message in problem for problem in found), found
