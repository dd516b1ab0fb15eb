"""The shipped data: it covers the world (every UN member state gets its letters, or a reason),
its figures, and links within budget for every country.

These are the tests a refresh of the shipped records may need to update. Tests of the engine
draft from the frozen fixture campaign in tests/fixtures/campaign_min instead (see conftest)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from click.testing import CliRunner

from appeal.campaign import load_campaign
from appeal.check import check_records
from appeal.cli import cli
from appeal.countries import country_for_code
from appeal.drafts import DraftOptions, build_drafts
from appeal.links import parse_mailto
from appeal.sender import make_sender


def test_every_un_member_gets_an_un_letter_and_an_embassy_letter_or_a_reason() -> None:
    campaign = load_campaign()
    missions = [r for r in campaign.recipients if r.kind == "un_mission"]
    assert len(missions) == 195
    options = DraftOptions(kinds=("embassy", "un_mission"), today=dt.date(2026, 11, 23))
    without_embassy = []
    for mission in missions:
        assert mission.country is not None
        sender = make_sender("Test Sender", country_for_code(mission.country))
        result = build_drafts(campaign, sender, options)
        kinds = [d.recipient.kind for d in result.drafts]
        if any(n.code == "no-own-un-mission" for n in result.notices):
            assert "un_mission" not in kinds  # the campaign's own state: no letter to itself
            continue
        assert kinds.count("un_mission") == 1, mission.country
        un_draft = next(d for d in result.drafts if d.recipient.kind == "un_mission")
        assert "Test Sender" in un_draft.body
        if "embassy" not in kinds:
            without_embassy.append(mission.country)
            assert any("embassy" in n.text.lower() for n in result.notices), mission.country
    # Ukraine (closed since 2022), and the few states no Russian post covered in 2015.
    assert "UA" in without_embassy
    assert len(without_embassy) <= 10, without_embassy


def test_ukraine_is_explained_not_drafted(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["draft", "-c", "UA", "-n", "A", "--to", "embassy", "--format", "json"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["drafts"] == []
    assert "closed since 2022-02-24" in result.stderr


def test_concurrent_accreditation_resolves_to_the_covering_embassy(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["draft", "-c", "Liechtenstein", "-n", "A", "--to", "embassy", "--format", "json"]
    )
    assert [d["recipient"] for d in json.loads(result.stdout)["drafts"]] == ["embassy-ch"]
    assert "also covers Liechtenstein" in result.stderr


def test_check_passes_on_shipped_file_with_figures(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["recipients", "check"])
    assert result.exit_code == 0, result.stderr
    summary = result.stdout.splitlines()[-1]
    assert summary.startswith("352 records valid (high ")
    assert "UN mission: letter for 195 countries" in summary
    report = check_records(load_campaign(), max_age_days=3 * 365, today=dt.date(2026, 11, 23))
    coverage = report.figures["countries_per_kind"]
    assert sorted(coverage) == ["embassy", "un_mission"]  # the kinds that serve one country
    assert coverage["un_mission"]["countries_with_letter"] == 195
    assert coverage["embassy"]["countries_with_letter"] >= 185
    # A per-country kind should serve every country: the check lists those it does not.
    assert "UA" in coverage["embassy"]["countries_without_letter"]  # closed since 2022
    assert "DE" not in coverage["embassy"]["countries_without_letter"]
    codes = report.figures["findings_per_code"]
    assert codes["stale"] > 100  # the 2015 embassy directory
    assert codes["free-mail"] > 50
    # Every shipped postal address says its country; the ones still one line are listed.
    assert "postal-no-country" not in codes
    one_line = {f.record for f in report.findings if f.code == "postal-one-line"}
    # Those left are the ones whose 2015 text has a homoglyph or a newer address pending.
    assert len(one_line) <= 10
    assert not one_line & {"embassy-de", "embassy-fr", "prosecutor-general", "un-mission-de"}


def test_check_reports_an_invalid_file_with_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "recipients.yaml").write_text(
        "schema_version: 1\nrecipients:\n  - id: x\n", encoding="utf-8"
    )
    result = runner.invoke(cli, ["--campaign", str(tmp_path), "recipients", "check"])
    assert result.exit_code == 1
    assert "recipients[0] (x): kind:" in result.stderr


def test_low_confidence_leads_are_never_in_to(runner: CliRunner) -> None:
    campaign = load_campaign()
    for record in campaign.recipients:
        assert all(e.confidence != "low" for e in record.sendable_emails)
    grindr = campaign.recipient("company-grindr")
    assert grindr is not None and grindr.sendable_emails == () and grindr.form is not None


def test_sheet_for_all_countries_loads_as_csv_within_budgets(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "all.csv"
    result = runner.invoke(cli, ["links", "--all", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len({r["country"] for r in rows}) >= 190
    for row in rows:
        assert int(row["length"]) == len(row["link"])
        if row["via"] == "mailto":
            assert int(row["length"]) <= 2000 or row["body_included"] == "False"
        elif row["via"] in ("gmail", "outlook", "office365", "yahoo", "proton"):
            assert int(row["length"]) <= 6000 or row["body_included"] == "False"
    mailto_row = next(r for r in rows if r["country"] == "NO" and r["via"] == "mailto")
    body = parse_mailto(mailto_row["link"]).fields["body"]
    assert "[Your name]" in body and "[Your city]" in body
    again = runner.invoke(cli, ["links", "--all", "-o", str(target)])
    assert again.exit_code == 1 and "already exists" in again.stderr
