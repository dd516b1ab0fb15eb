"""Campaign folders: appeal init, APPEAL_CAMPAIGN, and templates that extend the default ones."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from appeal.cli import cli


def test_init_writes_a_folder_that_validates_and_is_used(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "my-campaign"
    result = runner.invoke(cli, ["init", str(folder)])
    assert result.exit_code == 0, result.stderr
    assert (folder / "campaign.yaml").is_file() and (folder / "recipients.yaml").is_file()
    assert (folder / "templates" / "letters" / "en" / "embassy.txt.j2").is_file()
    assert "appeal --campaign" in (folder / "README.md").read_text(encoding="utf-8")
    again = runner.invoke(cli, ["init", str(folder)])
    assert again.exit_code == 1 and "exists and is not an empty folder" in again.stderr

    letter = folder / "templates" / "letters" / "en" / "embassy.txt.j2"
    letter.write_text(
        '{% extends "default/letters/en/embassy.txt.j2" %}\n'
        "{% block subject %}Our own subject{% endblock %}\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        cli,
        ["draft", "-c", "NO", "-n", "Kari", "--to", "embassy", "--format", "json"],
        env={"APPEAL_CAMPAIGN": str(folder)},
    )
    assert result.exit_code == 0, result.stderr
    (draft,) = json.loads(result.stdout)["drafts"]
    assert draft["subject"] == "Our own subject"
    assert "I ask you to forward this letter to the Ministry of Foreign Affairs" in draft["body"]


def test_missing_templates_fall_back_to_the_default(runner: CliRunner, tmp_path: Path) -> None:
    from appeal.campaign import default_campaign_root

    (tmp_path / "recipients.yaml").write_bytes(
        (default_campaign_root() / "recipients.yaml").read_bytes()
    )
    result = runner.invoke(
        cli, ["--campaign", str(tmp_path), "draft", "-c", "NO", "-n", "K", "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["drafts"][0]["body"].startswith("Your Excellency,")
