"""The 2026-11-30 data review: routing, heads of post, every sender country, per-channel dates,
the likeliest channel first, and the records check's figures and routing error."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from appeal.campaign import load_campaign
from appeal.check import check_records
from appeal.cli import cli
from appeal.countries import resolve_country
from appeal.drafts import DraftOptions, build_drafts, channels_of
from appeal.emails import is_free_mail
from appeal.records import LANGUAGES
from appeal.sender import make_sender

NEW_EMBASSIES = {"BF": "embassy-ci", "GQ": "embassy-cm", "NE": "embassy-ml", "SL": "embassy-gn",
                 "SS": "embassy-ug"}  # fmt: skip
SHARED_FREE_MAIL = Path("/work/shared/data/free_mail_domains.txt")


def _drafts(runner: CliRunner, *args: str) -> tuple[list[dict], str]:  # type: ignore[type-arg]
    result = runner.invoke(cli, ["draft", *args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["drafts"], result.stderr


@pytest.mark.parametrize(("country", "covering"), sorted(NEW_EMBASSIES.items()))
def test_new_embassies_are_named_with_the_covering_one_as_fallback(
    runner: CliRunner, country: str, covering: str
) -> None:
    (draft,), _ = _drafts(runner, "-c", country, "-n", "A", "--to", "embassy")
    assert draft["recipient"] == f"embassy-{country.lower()}"
    assert draft["to"] == []  # no contact detail is known: nothing is made up
    assert draft["medium"] == "print"
    assert {c["via"] for c in draft["channels"]} == {covering}
    assert any(c["kind"] == "post" for c in draft["channels"])
    warning = next(
        w for w in [n["text"] for n in draft["warnings"]] if "exists, but no contact details" in w
    )
    assert "was covered by the Russian embassy" in warning
    record = load_campaign().recipient(covering)
    assert record is not None and country not in record.also_serves


def test_announced_embassies_are_notes_on_the_covering_records() -> None:
    campaign = load_campaign()
    for covering, country in (("embassy-bj", "Togo"), ("embassy-gh", "Liberia"),
                              ("embassy-sn", "Gambia"), ("embassy-mg", "Comoros")):  # fmt: skip
        record = campaign.recipient(covering)
        assert record is not None and record.notes
        assert f"{country}: embassy in" in record.notes and "not confirmed open" in record.notes


def test_kosovo_is_a_sender_country_with_the_pristina_office(runner: CliRunner) -> None:
    assert resolve_country("Kosovo").alpha2 == "XK"
    drafts, _ = _drafts(runner, "-c", "XK", "-n", "A", "--to", "embassy", "--to", "prosecutor")
    embassy, prosecutor = drafts
    assert embassy["recipient"] == "embassy-xk"
    assert "Pristina" in embassy["name"]
    assert {c["via"] for c in embassy["channels"]} == {"embassy-rs"}
    assert prosecutor["recipient"] == "prosecutor-general"


def test_taiwan_has_the_de_facto_office_without_unconfirmed_addresses(runner: CliRunner) -> None:
    (draft,), _ = _drafts(runner, "-c", "TW", "-n", "A", "--to", "embassy")
    assert draft["recipient"] == "embassy-tw"
    assert draft["to"] == []  # the e-mail addresses are low-confidence leads
    assert draft["channels"][0]["kind"] == "post"
    assert "XinYi Road" in draft["channels"][0]["target"]


def test_argentina_shows_its_2026_email_date(runner: CliRunner) -> None:
    (draft,), _ = _drafts(runner, "-c", "AR", "-n", "A", "--to", "embassy")
    assert draft["record"]["last_seen"] == "2026-08-08"
    assert draft["record"]["source_date"] == "2015-03-19"
    first = draft["channels"][0]
    assert first["kind"] == "email" and first["target"] == "argentina@mid.ru"
    assert first["last_seen"] == "2026-08-08"
    result = runner.invoke(cli, ["recipients", "list", "-c", "AR", "--kind", "embassy"])
    assert "seen 2026-08-08" in result.stdout
    result = runner.invoke(
        cli, ["recipients", "list", "-c", "AR", "--kind", "embassy", "--format", "json"]
    )
    (row,) = json.loads(result.stdout)
    dates = {channel["kind"]: channel["last_seen"] for channel in row["channels"]}
    assert dates == {
        "email": "2026-08-08",
        "postal": "2015-03-19",
        "phone": "2015-03-19",
        "website": "2022-11-16",
    }


def test_a_free_mail_only_embassy_leads_with_the_printed_letter_and_website() -> None:
    record = load_campaign().recipient("embassy-ee")
    assert record is not None and all(is_free_mail(e.address) for e in record.sendable_emails)
    kinds = [c.kind for c in channels_of(record, dt.date(2026, 11, 30))]
    assert kinds[:2] == ["post", "website"] and kinds[-1] == "email"


def test_greek_consular_mailboxes_are_listed_but_not_in_to(runner: CliRunner) -> None:
    (draft,), _ = _drafts(runner, "-c", "GR", "-n", "A", "--to", "embassy")
    assert draft["to"] == ["embraf@otenet.gr"]
    consular = [c for c in draft["channels"] if "consular section" in (c["why"] or "")]
    assert {c["target"] for c in consular} == {"athenes@dks.ru", "rusconsgr@yandex.ru"}


def test_no_record_lists_an_address_twice() -> None:
    for record in load_campaign().recipients:
        addresses = [e.address for e in record.emails]
        assert len(addresses) == len(set(addresses)), record.id


@pytest.mark.skipif(not SHARED_FREE_MAIL.exists(), reason="needs the project's shared data")
def test_free_mail_list_holds_every_domain_of_the_shared_list() -> None:
    for domain in SHARED_FREE_MAIL.read_text(encoding="utf-8").split():
        assert is_free_mail(f"x@{domain}"), domain


def test_phones_are_written_in_plus_form() -> None:
    for record in load_campaign().recipients:
        if record.kind == "embassy" and record.country:
            for phone in record.phones:
                assert not phone.startswith("8-10"), (record.id, phone)
    gb = load_campaign().recipient("embassy-gb")
    assert gb is not None and gb.phones[0].startswith("+44 20 ")


def test_heads_of_office_follow_officeholders_csv() -> None:
    campaign = load_campaign()
    prosecutor = campaign.recipient("prosecutor-general")
    assert prosecutor is not None and prosecutor.officeholder is not None
    assert prosecutor.officeholder.name == "Alexander Gutsan"
    assert str(prosecutor.officeholder.as_of) == "2025-09-24"
    committee = campaign.recipient("investigative-committee")
    assert committee is not None and committee.officeholder is None
    holy_see = campaign.recipient("un-mission-va")
    assert holy_see is not None and holy_see.officeholder is None
    assert holy_see.text("addressee", "en") == (
        "The Permanent Observer of the Holy See to the United Nations"
    )
    for record in campaign.recipients:
        if record.kind == "embassy" and record.officeholder:
            assert record.officeholder.as_of.earliest is not None, record.id
            assert record.officeholder.source, record.id


@pytest.mark.parametrize("record_id", ["prosecutor-general", "investigative-committee"])
def test_federal_bodies_lead_with_the_signed_paper_letter(record_id: str) -> None:
    record = load_campaign().recipient(record_id)
    assert record is not None and record.lead == "post"
    first = channels_of(record, dt.date(2026, 11, 30))[0]
    assert first.kind == "post" and first.why is not None
    assert "30 March 2025" in first.why and "postal operator" in first.why


def test_countries_marks_closed_posts(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["countries"])
    line = next(line for line in result.stdout.splitlines() if line.startswith("UA "))
    assert "embassy (CLOSED since 2022-02-24)" in line
    line = next(line for line in result.stdout.splitlines() if line.startswith("BF "))
    assert "embassy (no contact yet; fallback embassy-ci)" in line


def test_check_reports_channel_ages_per_kind() -> None:
    report = check_records(load_campaign(), 3 * 365, dt.date(2026, 11, 30))
    ages = report.figures["channel_ages"]
    assert report.errors == []
    embassy, un = ages["embassy"], ages["un_mission"]
    assert embassy["countries"] > 190 and un["countries"] == 195
    assert 0 < embassy["share_best_channel_fresh"] < un["share_best_channel_fresh"] <= 1
    assert sum(embassy["channels"].values()) > 190


def test_check_fails_on_a_country_routed_past_its_own_embassy(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "campaign"
    result = runner.invoke(cli, ["init", str(folder)])
    assert result.exit_code == 0, result.stderr
    recipients = folder / "recipients.yaml"
    text = load_default_text()
    # Route Burkina Faso to Côte d'Ivoire again, as before the embassy reopened.
    text = text.replace("    country: CI\n", "    country: CI\n    also_serves: [BF]\n", 1)
    recipients.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["--campaign", str(folder), "recipients", "check"])
    assert result.exit_code == 1
    assert "embassy-ci: covered-but-own-record: also_serves BF" in result.stderr


def load_default_text() -> str:
    from appeal.campaign import default_campaign_root

    return (Path(str(default_campaign_root())) / "recipients.yaml").read_text(encoding="utf-8")


CHARGE_OPENING = {
    "en": "Dear Chargé d'affaires,",
    "ru": "Уважаемый Временный поверенный в делах!",
    "de": "Sehr geehrte Damen und Herren,",
    "fr": "Madame, Monsieur le Chargé d’affaires,",
    "es": "Señora Encargada de Negocios, señor Encargado de Negocios:",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_vacant_un_post_is_addressed_to_the_charge_in_every_language(language: str) -> None:
    # The UK's UN post was vacant in the Blue Book; officeholders.csv: a chargé runs it. The
    # title where a language has an ungendered form, else its neutral opening.
    sender = make_sender("Alex", resolve_country("GB"))
    options = DraftOptions(kinds=("un_mission",), language=language)
    (draft,) = build_drafts(load_campaign(), sender, options).drafts
    expected = {
        "de": "Sehr geehrte Damen und Herren,",
        "fr": "Madame, Monsieur,",
        "es": "Estimados señores:",
    }.get(language, CHARGE_OPENING[language])
    assert draft.body.splitlines()[0] == expected
    assert draft.recipient.text("salutation", language)


@pytest.mark.parametrize("country", ["EE", "LV", "LT"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_baltic_embassies_are_addressed_to_the_charge(country: str, language: str) -> None:
    sender = make_sender("Alex", resolve_country(country))
    options = DraftOptions(kinds=("embassy",), language=language)
    (draft,) = build_drafts(load_campaign(), sender, options).drafts
    assert draft.body.splitlines()[0] == CHARGE_OPENING[language]
    assert draft.recipient.text("addressee", "en") == (
        "The Chargé d'affaires a.i. of the Russian Federation"
    )


def test_every_vacant_un_post_has_a_form_of_address_in_every_language() -> None:
    vacant = [
        r for r in load_campaign().recipients if r.kind == "un_mission" and r.officeholder is None
    ]
    assert len(vacant) >= 10
    for record in vacant:
        assert set(record.salutation) == set(LANGUAGES), record.id


@pytest.mark.parametrize(
    ("language", "opening"),
    [
        ("en", "Dear Chairman,"),
        ("ru", "Уважаемый Председатель!"),
        ("de", "Sehr geehrte Vorsitzende, sehr geehrter Vorsitzender,"),
        ("fr", "Madame, Monsieur le Président,"),
        ("es", "Señora Presidenta, señor Presidente:"),
    ],
)
def test_the_unknown_committee_chairman_is_not_given_a_gender(language: str, opening: str) -> None:
    # officeholders.csv: nothing is known of the chairman after 2026-08-27.
    sender = make_sender("Alex", resolve_country("DE"))
    options = DraftOptions(kinds=("investigative_committee",), language=language)
    (draft,) = build_drafts(load_campaign(), sender, options).drafts
    assert draft.body.splitlines()[0] == opening
