"""The command line end to end, on the embedded default campaign."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from appeal import __version__
from appeal.cli import cli
from appeal.links import parse_mailto

# Engine tests: they draft from a small, frozen campaign, not the shipped records.
pytestmark = pytest.mark.usefixtures("min_campaign")


def run_json(runner: CliRunner, *args: str) -> list[dict]:  # type: ignore[type-arg]
    result = runner.invoke(cli, ["draft", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["drafts"]  # type: ignore[no-any-return]


def test_australia_json(runner: CliRunner) -> None:
    drafts = run_json(runner, "--country", "AU", "--name", "Kari Nordmann")
    assert [d["recipient"] for d in drafts] == [
        "embassy-au",
        "un-mission-au",
        "prosecutor-general",
    ]
    # A foreign ambassador is "Your Excellency", one's own country's "Dear Ambassador"; the
    # Prosecutor General's letter is in Russian with English after it (no --lang given).
    expected = [
        ("Your Excellency,", "en"),
        ("Dear Ambassador,", "en"),
        ("Уважаемый господин Генеральный прокурор!", "ru+en"),
    ]
    for draft, (salutation, language) in zip(drafts, expected, strict=True):
        assert draft["body"].startswith(salutation)
        assert "Kari Nordmann" in draft["body"]
        assert draft["language"] == language
        assert set(draft) >= {"recipient", "kind", "to", "subject", "body", "links", "warnings"}
    embassy, mission, prosecutor = drafts
    # The embassy's only e-mail is a 2015 free-mail address: the printed letter leads, and the
    # mail links carry address and subject only where the fuller letter is over budget.
    assert embassy["medium"] == "print" and embassy["channels"][0]["kind"] == "post"
    assert embassy["channels"][-1]["target"] == "rusembassy.australia@rambler.ru"
    assert embassy["links"]["mailto"] or embassy["fallback_links"]["mailto"]
    for draft in (mission,):
        link = draft["links"]["mailto"]
        assert link is not None and len(link) <= 2000
        decoded = parse_mailto(link)
        assert list(decoded.to) == draft["to"]
        assert decoded.fields["subject"] == draft["subject"]
        assert decoded.fields["body"] == draft["body"].replace("\n", "\r\n")
    assert prosecutor["to"] == []
    assert prosecutor["links"]["mailto"] is None
    assert any("online form" in w for w in [n["text"] for n in prosecutor["warnings"]])


def test_norway_reaches_oslo(runner: CliRunner) -> None:
    drafts = run_json(runner, "--country", "NO", "--name", "Kari", "--to", "embassy")
    assert len(drafts) == 1
    assert drafts[0]["recipient"] == "embassy-no"
    assert drafts[0]["to"] == ["rembassy@online.no"]


def test_note_goes_into_the_letter(runner: CliRunner) -> None:
    note = "I visited Grozny in 2015 & met people who + later # fled."
    drafts = run_json(runner, "-c", "DE", "-n", "Anna Schmidt", "--city", "Leipzig", "--note", note)
    for draft in drafts:
        assert note in draft["body"]
        assert not any("bare template" in w for w in [n["text"] for n in draft["warnings"]])
    embassy = drafts[0]
    assert "Leipzig, Germany" in embassy["body"]
    body = parse_mailto(embassy["links"]["mailto"]).fields["body"]
    assert note in body


def test_bare_template_is_flagged(runner: CliRunner) -> None:
    drafts = run_json(runner, "-c", "DE", "-n", "Anna", "--to", "embassy")
    assert any("bare template" in w for w in [n["text"] for n in drafts[0]["warnings"]])


def test_over_budget_link_is_replaced_not_cut(runner: CliRunner) -> None:
    drafts = run_json(runner, "-c", "DE", "-n", "Anna", "--to", "embassy", "--mailto-budget", "500")
    draft = drafts[0]
    assert draft["links"]["mailto"] is None
    short = parse_mailto(draft["fallback_links"]["mailto"])
    assert short.fields == {"subject": draft["subject"]}
    assert any(
        w.startswith("The letter is too long for these links: mailto (")
        for w in [n["text"] for n in draft["warnings"]]
    )
    assert draft["links"]["gmail"] is not None  # the webmail budget is separate


def test_text_output_shows_everything(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["draft", "-c", "DE", "-n", "Anna Schmidt", "--to", "embassy"])
    assert result.exit_code == 0
    out = result.stdout
    assert "[1/1] Embassy of the Russian Federation in Germany" in out
    assert "E-mail:   info@russische-botschaft.de" in out
    assert "Subject:  Please forward to Moscow: the persecution of gay men in" in out
    assert "mailto: mailto:info@russische-botschaft.de?subject=" in out
    assert "Nothing has been sent and nothing was saved" in out


def test_out_writes_one_file_per_draft_and_refuses_to_overwrite(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "drafts"
    args = ["draft", "-c", "FR", "-n", "Camille Martin", "--out", str(out)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "NOTICE.txt",
        "embassy-fr.txt",
        "prosecutor-general.txt",
        "un-mission-fr.txt",
    ]
    assert "Camille Martin" in (out / "embassy-fr.txt").read_text(encoding="utf-8")
    again = runner.invoke(cli, args)
    assert again.exit_code == 1
    assert again.stderr.startswith(f"Error: {out / 'NOTICE.txt'}: already exists")
    assert runner.invoke(cli, [*args, "--force"]).exit_code == 0


def test_out_path_that_is_a_file(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    result = runner.invoke(cli, ["draft", "-c", "FR", "-n", "C", "--out", str(target)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {target}: exists and is not a folder\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-c", "Atlantis", "-n", "A"], "Error: --country: no country matches 'Atlantis'\n"),
        (
            ["-c", "DE", "-n", "Anna\nBcc: x@example.org"],
            "Error: --name: contains a line break; write it on one line\n",
        ),
        (
            ["-c", "DE", "-n", "A", "--email", "a@b@c"],
            "Error: --email: 'a@b@c' is not a valid e-mail address: ",
        ),
    ],
)
def test_bad_input_is_one_error_line(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(cli, ["draft", *args, "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
    assert not out.exists()


def test_usage_errors_exit_2(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["draft", "-c", "DE"])
    assert result.exit_code == 2
    assert "Missing option '--name'" in result.stderr
    wrong_kind = runner.invoke(cli, ["draft", "-c", "DE", "-n", "A", "--to", "x"])
    assert wrong_kind.exit_code == 2
    assert "'x' is not a recipient kind of this campaign; its kinds are embassy, un_mission" in (
        wrong_kind.stderr
    )


def test_bad_campaign_folder_lists_every_problem(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "recipients.yaml").write_text(
        "schema_version: 1\nrecipients:\n  - id: a\n    kind: x\n  - id: a\n", encoding="utf-8"
    )
    result = runner.invoke(cli, ["--campaign", str(tmp_path), "draft", "-c", "DE", "-n", "A"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) > 3
    assert all(line.startswith(f"Error: {tmp_path / 'recipients.yaml'}:") for line in lines)
    assert "recipients[0] (a): kind: 'x' is not a kind campaign.yaml declares" in result.stderr


def test_malformed_yaml_in_campaign(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "recipients.yaml").write_text("recipients: [\n", encoding="utf-8")
    result = runner.invoke(cli, ["--campaign", str(tmp_path), "draft", "-c", "DE", "-n", "A"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {tmp_path / 'recipients.yaml'}:2:1: ")
    assert result.stderr.count("\n") == 1


def test_broken_template_in_campaign(runner: CliRunner, tmp_path: Path) -> None:
    from appeal.campaign import default_campaign_root

    data = (default_campaign_root() / "recipients.yaml").read_bytes()
    (tmp_path / "recipients.yaml").write_bytes(data)
    letters = tmp_path / "templates" / "letters" / "en"
    letters.mkdir(parents=True)
    (letters / "embassy.txt.j2").write_text(
        "{% block subject %}S{% endblock %}\nDear {{ recipient.nickname }}\n", encoding="utf-8"
    )
    args = ["--campaign", str(tmp_path), "draft", "-c", "DE", "-n", "A", "--to", "embassy"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path}/templates/letters/en/embassy.txt.j2:2: undefined value: "
        "'dict object' has no attribute 'nickname'\n"
    )
    (letters / "embassy.txt.j2").write_text("{% block subject %}S{% endblock\n", encoding="utf-8")
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: {tmp_path}/templates/letters/en/embassy.txt.j2:1: syntax error: "
    )


def test_recipients_list_and_countries(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["recipients", "list", "--country", "Norway", "--format", "json"])
    assert result.exit_code == 0
    ids = [row["id"] for row in json.loads(result.stdout)]
    assert "embassy-no" in ids and "un-mission-no" in ids and "prosecutor-general" in ids
    result = runner.invoke(cli, ["countries", "--format", "json"])
    rows = {row["code"]: row for row in json.loads(result.stdout)}
    assert {k["kind"] for k in rows["DE"]["kinds"]} == {"embassy", "un_mission"}


def test_version_and_help(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout
    for command in ([], ["draft"], ["recipients"], ["recipients", "list"], ["countries"]):
        help_result = runner.invoke(cli, [*command, "-h"])
        assert help_result.exit_code == 0
        assert "Usage:" in help_result.stdout


def test_python_dash_m(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "appeal", "draft", "-c", "no", "-n", "Kari", "--to", "embassy"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "rembassy@online.no" in result.stdout


def test_json_mode_puts_record_caveats_on_stderr(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["draft", "-c", "DE", "-n", "A", "--to", "embassy", "--format", "json"]
    )
    assert result.exit_code == 0
    (draft,) = json.loads(result.stdout)["drafts"]
    # The age warning concerns the channel the draft leads with, here the 2015 e-mail address.
    assert (
        "Warning: embassy-de: The e-mail address this draft leads with was last seen in its "
        "source on 2015-03-19" in result.stderr
    )
    assert any(
        w.startswith("The e-mail address this draft")
        for w in [n["text"] for n in draft["warnings"]]
    )


def test_text_output_points_to_links_not_letters(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["draft", "-c", "DE", "-n", "A", "--to", "embassy"])
    out = result.stdout
    assert "More you can do (links only; appeal writes to none of them):" in out
    assert "- Russian LGBT Network (the group's own site): https://lgbtnet.org/en/" in out
    assert "Do not pass on its contact details to anyone in Russia" in " ".join(out.split())


def test_sender_in_russia_is_told_of_the_risk(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["draft", "-c", "Russia", "-n", "A", "--format", "json"])
    assert result.exit_code == 0
    assert "supporting it can be a criminal offence in Russia" in " ".join(result.stderr.split())
    notices = json.loads(result.stdout)["notices"]
    assert notices[0]["code"] == "sender-in-russia" and notices[0]["severity"] == "danger"
