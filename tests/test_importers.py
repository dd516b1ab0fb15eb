"""import-bluebook: a small Blue Book file built here, applied twice, changes nothing the second time."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from appeal.cli import cli
from appeal.yamlfile import read_yaml_bytes

RECIPIENTS = """\
# Hand-written header comment that must survive.
schema_version: 1
recipients:
  - id: un-mission-no
    kind: un_mission
    country: NO
    name: {en: Permanent Mission of Norway to the United Nations}
    salutation: {en: Your Excellency, de: Exzellenz}
    email: [old@mfa.no]
    source: an older copy
    last_seen: 2020-01-01
    confidence: high
    notes: Hand-written note that must survive.
  - id: embassy-de
    kind: embassy
    country: DE
    name: {en: Embassy of the Russian Federation in Germany}
    postal:
      address: "Unter den Linden, 63-65, 10117 Berlin"
    source: a version 1 record
    last_seen: 2015-03-19
    confidence: high
"""


def bluebook() -> dict:  # type: ignore[type-arg]
    return {
        "countries": [
            {
                "MC_Entity": "NOR",
                "MC_EntityBB": "Norway",
                "MC_Address": "Permanent Mission of Norway to the United Nations\r\n"
                "885 Second Avenue, 35th Floor\r\nNew York, NY 10017",
                "MC_Telephone": "+1 646-430-7510",
                "MC_eMail": "delun@mfa.no",
                "MC_WebSite": "www.norway.no/un",
                "MC_UNCorrespondenceLanguage": "English",
            },
            {
                "MC_Entity": "BOL",
                "MC_EntityBB": "Bolivia (Plurinational State of)",
                "MC_Address": "Permanent Mission of the Plurinational State of Bolivia to the United Nations\r\n"
                "801 Second Avenue, New York, NY 10017",
                "MC_eMail": "mission@example.org",
                "MC_UNCorrespondenceLanguage": "Spanish",
            },
        ],
        "bluebooks": [
            {
                "BB_Mission": "NOR",
                "BB_FirstName": "Merete",
                "BB_LastName": "Example",
                "BB_Title": "H.E. Ms.",
                "BB_Function": "Permanent Representative",
                "BB_Status": "Active",
                "BB_Telephone": "+1 555 0100",
                "BB_eMail": "private@example.org",
            },
            {
                "BB_Mission": "NOR",
                "BB_FirstName": "Deputy",
                "BB_LastName": "Person",
                "BB_Title": "Mr.",
                "BB_Function": "Deputy Permanent Representative",
                "BB_Status": "Active",
            },
            {
                "BB_Mission": "BOL",
                "BB_FirstName": "Old",
                "BB_LastName": "Head",
                "BB_Title": "H.E. Mr.",
                "BB_Function": "Permanent Representative",
                "BB_Status": "Inactive",
            },
            {
                "BB_Mission": "BOL",
                "BB_FirstName": "Acting",
                "BB_LastName": "Head",
                "BB_Title": "Mr.",
                "BB_Function": "Chargé d'affaires a.i.",
                "BB_Status": "Active",
            },
        ],
    }


def test_import_twice_changes_nothing_the_second_time(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "recipients.yaml"
    target.write_text(RECIPIENTS, encoding="utf-8")
    data = tmp_path / "data.json"
    data.write_text(json.dumps(bluebook()), encoding="utf-8")
    args = [
        "recipients",
        "import-bluebook",
        str(data),
        "--recipients",
        str(target),
        "--seen",
        "2026-11-20",
    ]

    dry = runner.invoke(cli, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.stderr
    assert "un-mission-bo: added" in dry.stdout
    assert target.read_text(encoding="utf-8") == RECIPIENTS

    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.stderr
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Hand-written header comment that must survive.\n")
    assert "private@example.org" not in text and "555 0100" not in text
    records = {r["id"]: r for r in read_yaml_bytes(text.encode(), "r").value["recipients"]}
    norway = records["un-mission-no"]
    assert norway["email"] == ["delun@mfa.no"]
    assert norway["salutation"] == {"en": "Your Excellency", "de": "Exzellenz"}
    assert norway["notes"] == "Hand-written note that must survive."
    assert norway["officeholder"]["name"] == "Merete Example"
    assert str(norway["officeholder"]["as_of"]) == "2026-11-20"
    assert norway["postal"] == {
        "lines": ["885 Second Avenue, 35th Floor", "New York, NY 10017"],
        "country": "US",
    }
    # The version 1 file is written back as version 2; its comma-joined address stays one
    # line, since nothing tells where its lines break.
    assert "\nschema_version: 2\n" in text
    assert records["embassy-de"]["postal"] == {"lines": ["Unter den Linden, 63-65, 10117 Berlin"]}
    assert norway["website"] == "https://www.norway.no/un"
    assert records["un-mission-bo"]["officeholder"]["role"] == "Chargé d'affaires a.i."
    assert records["un-mission-bo"]["languages"] == ["es"]

    second = runner.invoke(cli, args)
    assert second.exit_code == 0
    assert second.stdout == ""
    assert "0 change(s)" in second.stderr
    assert target.read_text(encoding="utf-8") == text

    check = runner.invoke(cli, ["--campaign", str(tmp_path), "recipients", "check"])
    assert check.exit_code == 0, check.stderr


def test_unknown_mission_name_is_an_error_and_nothing_is_written(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "recipients.yaml"
    target.write_text(RECIPIENTS, encoding="utf-8")
    data = tmp_path / "data.json"
    data.write_text(json.dumps({"countries": [{"MC_Entity": "X", "MC_EntityBB": "Atlantis"}]}))
    result = runner.invoke(
        cli, ["recipients", "import-bluebook", str(data), "--recipients", str(target)]
    )
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {data}: countries[0]: MC_EntityBB: no country matches 'Atlantis'\n"
    )
    assert target.read_text(encoding="utf-8") == RECIPIENTS


EMBASSIES = """\
schema_version: 1
recipients:
  - id: embassy-no
    kind: embassy
    country: NO
    name: {en: Embassy of the Russian Federation in Norway}
    email: [rembassy@online.no]
    website: http://www.norway.mid.ru/
    source: MFA directory
    last_seen: 2015-03-19
    confidence: high
"""

EXPORT = (
    "operator;operatorQID;country;countryQID;city;cityQID;address;latitude;longitude;phone;email;"
    "website;facebook;twitter;youtube;picture;type;typeQID;creation;QID;\n"
    "Russia;Q159;Norway;Q20;Oslo;Q585;;;;;mailto:embnor@mid.ru;https://norway.mid.ru/;;;;;embassy;Q3917681;;Q1;\n"
    "Russia;Q159;Norway;Q20;Kirkenes;Q1;;;;;mailto:kirkenes@mid.ru;;;;;;consulate general;Q1;;Q2;\n"
    "Afghanistan;Q889;Norway;Q20;Oslo;Q585;;;;;mailto:af@example.org;https://af.example.org;;;;;embassy;Q1;;Q3;\n"
    "Russia;Q159;Bhutan;Q917;Thimphu;Q1;;;;;;https://bt.example.org;;;;;embassy;Q1;;Q4;\n"
)


def test_import_embassies_twice_changes_nothing_the_second_time(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "recipients.yaml"
    target.write_text(EMBASSIES, encoding="utf-8")
    export = tmp_path / "embassies.csv"
    export.write_text(EXPORT, encoding="utf-8")
    args = [
        "recipients",
        "import-embassies",
        str(export),
        "--recipients",
        str(target),
        "--seen",
        "2026-11-20",
    ]

    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.stderr
    source = f"database-of-embassies export of Wikidata (CC0), {export}: http://www.wikidata.org/entity/Q1"
    assert first.stdout.splitlines() == [
        "embassy-bt: no record serves BT; not added (--add-missing)",
        "embassy-no: website: 'http://www.norway.mid.ru/' -> 'https://norway.mid.ru/'",
        f"embassy-no: website: seen 2026-11-20 in {source}",
        "embassy-no: email: added embnor@mid.ru",
    ]
    text = target.read_text(encoding="utf-8")
    record = read_yaml_bytes(text.encode(), "r").value["recipients"][0]
    assert record["email"][0] == "rembassy@online.no"
    assert record["email"][1]["address"] == "embnor@mid.ru"
    assert record["email"][1]["confidence"] == "medium"
    assert str(record["email"][1]["last_seen"]) == "2026-11-20"
    assert "kirkenes@mid.ru" not in text and "af@example.org" not in text
    assert f"Website https://norway.mid.ru/ from {source}" in record["notes"]
    assert str(record["channel_sources"]["website"]["last_seen"]) == "2026-11-20"

    second = runner.invoke(cli, args)
    assert second.exit_code == 0
    assert second.stdout == "embassy-bt: no record serves BT; not added (--add-missing)\n"
    assert target.read_text(encoding="utf-8") == text


def test_import_embassies_needs_its_columns(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "recipients.yaml"
    target.write_text(EMBASSIES, encoding="utf-8")
    export = tmp_path / "embassies.csv"
    export.write_text("operator,country\nRussia,Norway\n", encoding="utf-8")
    result = runner.invoke(
        cli, ["recipients", "import-embassies", str(export), "--recipients", str(target)]
    )
    assert result.exit_code == 1
    assert result.stderr == f"Error: {export}: missing column(s) type, email, website\n"
    assert target.read_text(encoding="utf-8") == EMBASSIES
