"""Letters rendered once and filled in: the mail-merge's letters and links equal 'appeal draft'.

The mail-merge builds each supporter's links from the letter's parts encoded once and the
supporter's own details encoded on their own (appeal.prerender). These tests hold that to
``build_drafts``, the code behind ``appeal draft``, byte for byte: over random names, cities and
notes (Cyrillic, emoji, ``&#+%``, line breaks, what escaping or white-space folding could
touch, notes that push a letter over a link's budget), for templates that put the sender's
details in the subject, and for templates that use those details in ways a marked place cannot
stand for.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from appeal.campaign import Campaign, load_campaign
from appeal.cli import cli
from appeal.countries import resolve_country
from appeal.drafts import DraftOptions, build_drafts
from appeal.errors import InputError
from appeal.links import MAIL_VIAS, parse_mailto, percent_encode
from appeal.merge import RowWriter
from appeal.prerender import Prerendered, variant_of
from appeal.sender import Sender, make_sender
from appeal.textguard import fold_spaces

TODAY = dt.date(2026, 11, 30)
#: The frozen fixture campaign (see conftest): records that a data refresh does not move.
MIN_CAMPAIGN = Path(__file__).parent / "fixtures" / "campaign_min"
TOO_LONG = "The letter is too long for these links"

# What people type, and what escaping (& < > " '), URL encoding (% # + = ?), str.format ({ }),
# white-space folding (double spaces, no-break and other Unicode spaces) or Jinja could touch.
TRICKY = (
    "abcXYZ019 -.'&#+%=?<>\"{}[]\\/|~`!$^*();:@,"
    "\u00a0\u2003\u202f\u3000"  # Unicode spaces that str.split() folds
    "éßøĳǅ\u0301"  # accents, a ligature, a titlecase digraph, a combining mark
    "ЖжЁёЩщЪъ"  # Cyrillic
    "🌍🏳️‍🌈👍🏽"  # emoji, with a zero-width joiner and a skin-tone modifier
    "\ufeff\u00ad"  # a BOM in the middle of text, a soft hyphen
)
LINE = st.text(alphabet=TRICKY, min_size=1, max_size=60)
NOTE = st.one_of(
    st.none(),
    st.text(alphabet=TRICKY + "\n\r\t  ", max_size=300),
    # long enough to push most letters over the 2,000-character mailto budget
    st.text(alphabet=TRICKY + "\n ", min_size=1, max_size=20).map(lambda t: (t + " ") * 60),
)
EMAILS = [None, "anna@example.org", "o.brien+chechnya@example.co.uk", "X_Y@sub.example.de"]
# Own embassy and UN mission; covered by another country's embassy (LI, MC); UN mission only
# (GB); a closed embassy (UA); only the federal bodies (RU, HK, JP).
COUNTRIES = ["DE", "FR", "AU", "NO", "LI", "MC", "GB", "UA", "RU", "HK", "JP"]
LANGUAGES = ["en", "de", "fr", "es", "ru", "de+ru", "fr+ru", "es+en"]


def _prerendered(campaign: Campaign, cache: dict[str, Prerendered], language: str) -> Prerendered:
    if language not in cache:
        cache[language] = Prerendered(campaign, language, TODAY)
    return cache[language]


def _sender(name: str, country: str, city: str | None, email: str | None, note: str | None):  # type: ignore[no-untyped-def]
    try:
        return make_sender(name, resolve_country(country), city=city, email=email, note=note)
    except InputError:
        return None


def _assert_like_draft(
    campaign: Campaign,
    prerendered: Prerendered,
    sender: Sender,
    options: DraftOptions,
    filled_in: bool = True,
) -> int:
    """Every record's filled letter and links equal build_drafts'; returns the links compared.

    With ``filled_in``, every letter must also be one that is filled in, not rendered again.
    """
    compared = 0
    for draft in build_drafts(campaign, sender, options).drafts:
        record = draft.recipient
        if filled_in:
            why_not = prerendered.letter(record, variant_of(sender)).why_not
            assert why_not is None, (record.id, why_not)
        used, letter = prerendered.fill(record, sender)
        assert (used, letter.subject, letter.body) == (draft.language, draft.subject, draft.body)
        if not draft.to:
            continue
        used, links, fallback, warnings = prerendered.mail_links(record, sender, options, MAIL_VIAS)
        assert used == draft.language
        assert links == draft.links, record.id
        assert fallback == draft.fallback_links, record.id
        assert warnings == [w for w in draft.warnings if w.code == "links-too-long"]
        compared += len(links) + len(fallback)
    return compared


@pytest.fixture(scope="module")
def fixture_campaign() -> Campaign:
    return load_campaign(MIN_CAMPAIGN)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=LINE,
    city=st.one_of(st.none(), LINE),
    email=st.sampled_from(EMAILS),
    note=NOTE,
    country=st.sampled_from(COUNTRIES),
    language=st.sampled_from(LANGUAGES),
    mailto_budget=st.sampled_from([2000, 2000, 800, 6000]),
)
def test_filled_letters_and_links_equal_draft(
    fixture_campaign: Campaign,
    name: str,
    city: str | None,
    email: str | None,
    note: str | None,
    country: str,
    language: str,
    mailto_budget: int,
) -> None:
    sender = _sender(name, country, city, email, note)
    assume(sender is not None)
    assert sender is not None
    options = DraftOptions(language=language, mailto_budget=mailto_budget, today=TODAY)
    cache = _CACHES.setdefault("default", {})
    prerendered = _prerendered(fixture_campaign, cache, language)
    _assert_like_draft(fixture_campaign, prerendered, sender, options)


_CACHES: dict[str, dict[str, Prerendered]] = {}


def test_long_notes_fall_back_in_both(fixture_campaign: Campaign) -> None:
    """A note that pushes the letter over the mailto budget, but not over webmail's."""
    sender = make_sender("Anna", resolve_country("DE"), note="Ich schreibe. " * 100)
    options = DraftOptions(today=TODAY)
    prerendered = Prerendered(fixture_campaign, "en", TODAY)
    assert _assert_like_draft(fixture_campaign, prerendered, sender, options) > 0
    _, links, fallback, warnings = prerendered.mail_links(
        fixture_campaign.recipient("embassy-de"),  # type: ignore[arg-type]
        sender,
        options,
        MAIL_VIAS,
    )
    assert links["mailto"] is None and "mailto" in fallback and links["gmail"]
    assert warnings and warnings[0].text.startswith(TOO_LONG) and "mailto (" in warnings[0].text


def test_the_default_letters_are_filled_in_not_rendered(fixture_campaign: Campaign) -> None:
    prerendered = Prerendered(fixture_campaign, "de+ru", TODAY)
    for record in fixture_campaign.serving("DE"):
        for variant in range(8):
            assert prerendered.letter(record, variant).why_not is None, record.id


def _campaign_folder(tmp_path: Path, templates: dict[str, str]) -> Path:
    folder = tmp_path / "campaign"
    folder.mkdir()
    shutil.copyfile(MIN_CAMPAIGN / "recipients.yaml", folder / "recipients.yaml")
    for name, text in templates.items():
        path = folder / "templates" / "letters" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


SENDER_SUBJECTS = {
    "en/embassy.txt.j2": '{% extends "default/letters/en/embassy.txt.j2" %}\n'
    "{% block subject %}A letter from {{ sender.name }} in "
    "{{ sender.city or sender.country }}{% endblock %}\n",
    "en/un_mission.txt.j2": '{% extends "default/letters/en/un_mission.txt.j2" %}\n'
    "{% block subject %}{{ sender.name }} ({{ sender.country }}) asks your help"
    "{% if sender.city %}, from {{ sender.city }}{% endif %}{% endblock %}\n",
    "ru/embassy.txt.j2": '{% extends "default/letters/ru/embassy.txt.j2" %}\n'
    "{% block subject %}Письмо: {{ sender.name }}, {{ sender.country }}{% endblock %}\n",
}


@pytest.fixture(scope="module")
def subject_campaign(tmp_path_factory: pytest.TempPathFactory) -> Campaign:
    folder = _campaign_folder(tmp_path_factory.mktemp("subjects"), SENDER_SUBJECTS)
    return load_campaign(folder)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=LINE,
    city=st.one_of(st.none(), LINE),
    note=NOTE,
    country=st.sampled_from(["DE", "FR", "LI", "AU", "GB"]),
    language=st.sampled_from(["en", "en+ru", "ru"]),
)
def test_sender_fields_in_the_subject_equal_draft(
    subject_campaign: Campaign,
    name: str,
    city: str | None,
    note: str | None,
    country: str,
    language: str,
) -> None:
    sender = _sender(name, country, city, None, note)
    assume(sender is not None)
    assert sender is not None
    cache = _CACHES.setdefault("subjects", {})
    prerendered = _prerendered(subject_campaign, cache, language)
    options = DraftOptions(language=language, today=TODAY)
    _assert_like_draft(subject_campaign, prerendered, sender, options)


def _draft_json(runner: CliRunner, folder: Path, row: dict[str, str]) -> list[dict]:  # type: ignore[type-arg]
    args = ["--campaign", str(folder), "draft", "-c", row["country"], "-n", row["name"]]
    args += ["--format", "json"]
    for option in ("city", "note"):
        if row.get(option):
            args += [f"--{option}", row[option]]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["drafts"]  # type: ignore[no-any-return]


MERGE_ROWS = [
    {"name": "Anna  Maria\u00a0Schmidt & Co", "country": "DE", "city": "Leipzig", "note": "Hi."},
    {"name": "Жанна 🌍 #1 + 100%", "country": "FR", "city": "", "note": "Line 1\n\nLine 2"},
    {"name": "Kari", "country": "LI", "city": "Vaduz", "note": ""},
]


def test_merge_subjects_equal_draft_subjects(runner: CliRunner, tmp_path: Path) -> None:
    folder = _campaign_folder(tmp_path, SENDER_SUBJECTS)
    source, target = tmp_path / "supporters.csv", tmp_path / "links.csv"
    with source.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=["name", "country", "city", "note"])
        writer.writeheader()
        writer.writerows(MERGE_ROWS)
    result = runner.invoke(
        cli, ["--campaign", str(folder), "links", "--supporters", str(source), "-o", str(target)]
    )
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    for supporter in MERGE_ROWS:
        drafts = {d["recipient"]: d for d in _draft_json(runner, folder, supporter)}
        mine = [r for r in rows if r["name"] == supporter["name"].strip()]
        assert mine
        for row in mine:
            draft = drafts[row["recipient"]]
            if row["via"] == "form":  # a form link carries no letter: it is the form's address
                assert row["link"] == draft["form"]["url"]
                continue
            expected = draft["links"][row["via"]] or draft["fallback_links"][row["via"]]
            assert row["link"] == expected
            if row["via"] == "mailto":
                subject = parse_mailto(row["link"]).fields["subject"]
                assert subject == draft["subject"]
                assert "\x01" not in subject
        embassy = next(d for d in drafts.values() if d["kind"] == "embassy")
        where = supporter["city"] or resolve_country(supporter["country"]).name
        folded = fold_spaces(supporter["name"])
        assert embassy["subject"] == f"A letter from {folded} in {where}"


# Templates that use the sender's details in ways a marked place cannot stand for: the merge
# renders these letters for each supporter, the action page refuses them.
OPAQUE_USES = {
    "upper": "{{ sender.name|upper }}",
    "length": "{% if (sender.note or '')|length > 20 %}long{% else %}short{% endif %}",
    "compare": '{% if sender.country == "Germany" %}Hallo{% endif %}',
    "urlencode": "{{ sender.name|urlencode }}",
    "escape": "{{ sender.name|e }}",
    "tojson": "{{ sender.name|tojson }}",
    "truncate": "{{ (sender.city or '')|truncate(9) }}",
    "wordwrap": "{{ (sender.note or '')|wordwrap(20) }}",
    "index": "{{ sender.name[0] }}.",
    "replace": "{{ sender.name|replace('a', 'o') }}",
    "center": "{{ sender.name|center(40) }}",
    "format": "{{ '%-30s|'|format(sender.name) }}",
    "in": "{% if 'a' in sender.name %}A{% endif %}",
    "int": "{{ (sender.city or '')|int }}",
    "title": "{{ (sender.city or '')|title }}",
}


def _embassy_using(tmp_path: Path, expression: str):  # type: ignore[no-untyped-def]
    """A campaign folder whose English embassy letter has ``expression`` in its subject and
    body: (folder, campaign, prerendered letters, the embassy in Germany)."""
    folder = _campaign_folder(
        tmp_path,
        {
            "en/embassy.txt.j2": '{% extends "default/letters/en/embassy.txt.j2" %}\n'
            "{% block subject %}Subject " + expression + "{% endblock %}\n"
            "{% block request %}" + expression + "\n{{ super() }}{% endblock %}\n"
        },
    )
    campaign = load_campaign(folder)
    record = campaign.recipient("embassy-de")
    assert record is not None
    return folder, campaign, Prerendered(campaign, "en", TODAY), record


@pytest.mark.parametrize("use", sorted(OPAQUE_USES))
def test_templates_that_look_into_details_are_rendered_for_each_sender(
    runner: CliRunner, tmp_path: Path, use: str
) -> None:
    folder, campaign, prerendered, record = _embassy_using(tmp_path, OPAQUE_USES[use])
    sender = make_sender(
        "anna  Müller & <Co>",
        resolve_country("DE"),
        city="12 Leipzig an der Pleiße",
        note="A note of more than twenty characters, on\ntwo lines.",
    )
    assert prerendered.letter(record, variant_of(sender)).why_not is not None
    _assert_like_draft(campaign, prerendered, sender, DraftOptions(today=TODAY), filled_in=False)
    result = runner.invoke(
        cli, ["--campaign", str(folder), "page", "-o", str(tmp_path / "p.html"), "--lang", "en"]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: templates/letters/en/embassy.txt.j2: ")
    assert "the action page can only put the visitor's details" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "p.html").exists()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_percent_encode_is_quote(text: str) -> None:
    try:
        expected = quote(text, safe="")
    except UnicodeEncodeError:  # lone surrogates: both refuse
        with pytest.raises(UnicodeEncodeError):
            percent_encode(text)
        return
    assert percent_encode(text) == expected


CELL = st.one_of(
    st.text(alphabet='ab ,"\r\n\t=%;', max_size=8),
    st.integers(-5, 5000),
    st.booleans(),
    st.floats(allow_nan=False),
    st.none(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(CELL, max_size=6), max_size=5))
def test_row_writer_writes_what_the_csv_module_writes(rows: list[list[object]]) -> None:
    ours, theirs = io.StringIO(), io.StringIO()
    writer, reference = RowWriter(ours), csv.writer(theirs, lineterminator="\n")
    for row in rows:
        writer.writerow(row)
        reference.writerow(row)
    assert ours.getvalue() == theirs.getvalue()


def test_the_quick_character_check_covers_every_refused_character() -> None:
    from appeal.textguard import HIDDEN, _suspects

    refused = {chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cc"}
    refused |= set(HIDDEN)
    suspects = _suspects("")
    assert {chr(c) for c in range(0x110000) if suspects.match(chr(c))} == refused
    # Lone surrogates (undecodable argv bytes) are refused first, by their own check.
    from appeal.sender import _SURROGATES

    assert {chr(c) for c in range(0x110000) if _SURROGATES.match(chr(c))} == {
        chr(c) for c in range(0xD800, 0xE000)
    }


# Uses that keep a marked place whole: these letters are still filled in, not rendered.
FAITHFUL_USES = {
    "concatenation": "{{ sender.name ~ ' from ' ~ sender.country }}",
    "plus": "{{ 'Dear ' + sender.name }}",
    "set": "{% set who = sender.name %}{{ who }}, {{ who }}",
    "condition": "{% if sender.city %}{{ sender.city }}{% else %}-{% endif %}",
    "percent": "{{ '(%s)' % sender.name }}",
}


@pytest.mark.parametrize("use", sorted(FAITHFUL_USES))
def test_templates_that_write_details_out_whole_are_filled_in(tmp_path: Path, use: str) -> None:
    _, campaign, prerendered, record = _embassy_using(tmp_path, FAITHFUL_USES[use])
    for city in (None, "Leipzig"):
        sender = make_sender("anna  Müller & <Co>", resolve_country("DE"), city=city)
        assert prerendered.letter(record, variant_of(sender)).why_not is None
        _assert_like_draft(campaign, prerendered, sender, DraftOptions(today=TODAY))


def test_the_page_refuses_posts_that_hold_the_senders_details(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = _campaign_folder(
        tmp_path, {"en/post.txt.j2": "@{{ handle }} {{ sender.name }} asks you to act."}
    )
    target = tmp_path / "page.html"
    result = runner.invoke(cli, ["--campaign", str(folder), "page", "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: templates/letters/en/post.txt.j2: puts the sender's details in a public post; "
        "the action page cannot fill them in\n"
    )
    assert not target.exists()
