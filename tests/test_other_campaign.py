"""A campaign about another government runs with no change to the code.

tests/fixtures/campaign_other declares its own recipient kinds (embassy, ministry_of_justice,
ombudsman), writes its letters in English and German, and has a handful of records. Every
command that drafts, merges, builds a page or checks templates works on it, and names its kinds
as it declares them.
"""

from __future__ import annotations

import csv
import email
import io
import json
import shutil
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner

from appeal.campaign import load_campaign
from appeal.cli import cli

OTHER = Path(__file__).parent / "fixtures" / "campaign_other"


@pytest.fixture
def other(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the command line use the second campaign (through APPEAL_CAMPAIGN)."""
    monkeypatch.setenv("APPEAL_CAMPAIGN", str(OTHER))
    return OTHER


def _copy_with(tmp_path: Path, name: str, old: str, new: str) -> tuple[Path, Path, str]:
    """A copy of the second campaign in which the file ``name`` has ``old`` replaced by ``new``
    (once): the folder, that file and its new text."""
    folder = tmp_path / "campaign"
    shutil.copytree(OTHER, folder)
    path = folder / name
    text = path.read_text(encoding="utf-8").replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return folder, path, text


def _drafts(runner: CliRunner, *args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(cli, ["--no-input", "draft", "--format", "json", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_its_kinds_are_its_own() -> None:
    settings = load_campaign(OTHER).settings
    assert list(settings.kinds) == ["embassy", "ministry_of_justice", "ombudsman"]
    assert settings.default_kinds == ("embassy", "ministry_of_justice")
    assert settings.kind_label("embassy", "de") == "Ungarische Botschaft"
    assert (
        settings.kind_label("ombudsman", "fr") == "Commissioner for Fundamental Rights of Hungary"
    )
    assert settings.languages == ("en", "de")


def test_templates_and_records_check(runner: CliRunner, other: Path) -> None:
    templates = runner.invoke(cli, ["templates", "check"])
    assert templates.exit_code == 0, templates.output
    assert "0 failure(s)" in templates.output
    assert "6 templates" in templates.output
    records = runner.invoke(cli, ["recipients", "check"])
    assert records.exit_code == 0, records.stderr
    assert "Hungarian embassy: letter for 3 countries, 3 of them by e-mail; " in records.stdout
    listed = runner.invoke(cli, ["templates", "list"])
    assert f"en  ombudsman{' ' * 16}{OTHER}/templates" in listed.stdout.replace("\\", "/")


def test_text_draft_uses_its_templates(runner: CliRunner, other: Path) -> None:
    result = runner.invoke(cli, ["--no-input", "draft", "-c", "DE", "-n", "Anna", "--lang", "en"])
    assert result.exit_code == 0, result.stderr
    assert "[1/2] Embassy of Hungary in Berlin" in result.stdout
    assert "[2/2] Ministry of Justice of Hungary" in result.stdout
    assert "Please forward to Budapest: freedom of peaceful" in result.stdout
    assert "Dear Minister," in result.stdout
    # Nothing of the default campaign leaks in.
    for word in ("Russia", "Chechnya", "Moscow"):
        assert word not in result.output


def test_json_drafts_follow_its_default_and_chosen_kinds(runner: CliRunner, other: Path) -> None:
    default = _drafts(runner, "-c", "AT", "-n", "Anna", "--lang", "de")
    assert [d["recipient"] for d in default["drafts"]] == ["embassy-at", "ministry-of-justice"]
    assert default["drafts"][0]["name"] == "Botschaft von Ungarn in Wien"
    assert default["drafts"][0]["subject"].startswith("Bitte um Weiterleitung nach Budapest")
    chosen = _drafts(runner, "-c", "AT", "-n", "Anna", "--lang", "en", "--to", "ombudsman")
    (draft,) = chosen["drafts"]
    assert draft["recipient"] == "ombudsman" and draft["kind"] == "ombudsman"
    assert draft["to"] == ["fundamental.rights@example.org"]


def test_a_country_without_an_embassy_is_told_in_its_language(
    runner: CliRunner, other: Path
) -> None:
    german = _drafts(runner, "-c", "FR", "-n", "Anna", "--lang", "de")
    assert [d["recipient"] for d in german["drafts"]] == ["ministry-of-justice"]
    (notice,) = [n for n in german["notices"] if n["code"] == "no-recipient"]
    assert notice["text"] == (
        "Für Frankreich (FR) gibt es keinen Empfänger der Art „Ungarische Botschaft“, daher "
        "keinen Brief dieser Art."
    )
    english = _drafts(runner, "-c", "FR", "-n", "Anna", "--lang", "en")
    (notice,) = [n for n in english["notices"] if n["code"] == "no-recipient"]
    assert notice["text"].startswith("No Hungarian embassy record serves France (FR)")


def test_eml_and_html_drafts_are_written(runner: CliRunner, other: Path, tmp_path: Path) -> None:
    for fmt in ("eml", "html"):
        out = tmp_path / fmt
        args = ["--no-input", "draft", "-c", "GB", "-n", "Anna", "--lang", "en"]
        result = runner.invoke(cli, [*args, "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.stderr
        written = sorted(path.name for path in out.iterdir())
        assert written, fmt
        text = "\n".join(path.read_text(encoding="utf-8") for path in out.iterdir())
        if fmt == "eml":
            assert written == ["embassy-gb.eml", "ministry-of-justice.eml"]
            message = email.message_from_bytes(
                (out / "embassy-gb.eml").read_bytes(), policy=policy.default
            )
            assert message["To"] == "london.embassy@example.org"
            body = message.get_body()
            assert body is not None and "Your Excellency," in body.get_content()
        else:
            assert "Embassy of Hungary in London" in text
            assert "whomever they love" in text


def test_an_unknown_kind_names_its_kinds(runner: CliRunner, other: Path) -> None:
    result = runner.invoke(cli, ["--no-input", "draft", "-c", "DE", "-n", "A", "--to", "company"])
    assert result.exit_code == 2
    assert (
        "'company' is not a recipient kind of this campaign; its kinds are embassy, "
        "ministry_of_justice, ombudsman"
    ) in result.stderr
    language = runner.invoke(cli, ["--no-input", "draft", "-c", "DE", "-n", "A", "--lang", "fr"])
    assert language.exit_code == 1
    assert "this campaign's letters are in en, de, not 'fr'" in language.stderr


def test_the_shell_completes_its_kinds(runner: CliRunner) -> None:
    words = f"appeal --campaign {OTHER} draft --to "
    env = {"_APPEAL_COMPLETE": "zsh_complete", "COMP_WORDS": words, "COMP_CWORD": "5"}
    result = runner.invoke(cli, [], env=env, prog_name="appeal")
    assert result.exit_code == 0, result.output
    values = result.output.split("\n")[1::3]
    assert values == ["embassy", "ministry_of_justice", "ombudsman"]
    env["COMP_WORDS"] = "appeal draft --to "
    env["COMP_CWORD"] = "3"
    default = runner.invoke(cli, [], env=env, prog_name="appeal").output.split("\n")[1::3]
    assert "investigative_committee" in default and "ombudsman" not in default


def test_merge_gives_each_supporter_their_links(
    runner: CliRunner, other: Path, tmp_path: Path
) -> None:
    source, target = tmp_path / "supporters.csv", tmp_path / "links.csv"
    source.write_text(
        "name,country,language\nAnna Schmidt,DE,de\nSam Jones,GB,en\nLena Berg,FR,en\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["links", "--supporters", str(source), "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    pairs = {(r["name"], r["recipient"]) for r in rows}
    assert pairs == {
        ("Anna Schmidt", "embassy-de"),
        ("Anna Schmidt", "ministry-of-justice"),
        ("Sam Jones", "embassy-gb"),
        ("Sam Jones", "ministry-of-justice"),
        ("Lena Berg", "ministry-of-justice"),
    }
    assert {r["kind"] for r in rows} == {"embassy", "ministry_of_justice"}
    anna = next(r for r in rows if r["name"] == "Anna Schmidt" and r["via"] == "mailto")
    assert anna["language"] == "de" and "berlin.embassy%40example.org" not in anna["link"]
    assert anna["link"].startswith("mailto:berlin.embassy@example.org?subject=Bitte")


def test_page_is_built(runner: CliRunner, other: Path, tmp_path: Path) -> None:
    target = tmp_path / "action.html"
    result = runner.invoke(cli, ["page", "-o", str(target), "--lang", "de"])
    assert result.exit_code == 0, result.stderr
    html = target.read_text(encoding="utf-8")
    assert "Botschaft von Ungarn in Wien" in html
    assert "Versammlungsfreiheit für alle Menschen in Ungarn" in html
    for word in ("Russia", "Chechnya", "Tschetschenien", "Moscow", "Moskau"):
        assert word not in html


def test_a_record_of_an_undeclared_kind_is_an_error_with_its_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder, records, text = _copy_with(
        tmp_path, "recipients.yaml", "kind: ombudsman", "kind: prosecutor"
    )
    line = text.splitlines().index("    kind: prosecutor") + 1
    result = runner.invoke(cli, ["--campaign", str(folder), "recipients", "check"])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: {records}:{line}: recipients[4] (ombudsman): kind: 'prosecutor' is not a kind "
        "campaign.yaml declares (embassy, ministry_of_justice, ombudsman)"
    )


def test_a_kind_that_serves_one_country_needs_one(runner: CliRunner, tmp_path: Path) -> None:
    folder, _, _ = _copy_with(tmp_path, "recipients.yaml", "    country: GB\n", "")
    result = runner.invoke(cli, ["--campaign", str(folder), "recipients", "check"])
    assert result.exit_code == 1
    assert (
        "recipients[2] (embassy-gb): country: missing; each record of kind 'embassy' serves one "
        "country"
    ) in result.stderr


def test_a_language_it_has_no_letters_in_is_refused_everywhere(
    runner: CliRunner, other: Path, tmp_path: Path
) -> None:
    message = "this campaign's letters are in en, de, not 'es'"
    page = runner.invoke(cli, ["page", "-o", str(tmp_path / "p.html"), "--lang", "es"])
    assert page.exit_code == 1 and message in page.stderr
    sheet = runner.invoke(cli, ["links", "-c", "DE", "--lang", "es"])
    assert sheet.exit_code == 1 and message in sheet.stderr
    source, target = tmp_path / "supporters.csv", tmp_path / "links.csv"
    source.write_text("name,country,language\nAna,DE,es\nAnna,DE,de\n", encoding="utf-8")
    merged = runner.invoke(cli, ["links", "--supporters", str(source), "-o", str(target)])
    assert merged.exit_code == 1
    assert f"{source}:2: language: {message}" in merged.stderr
    assert "Anna" in target.read_text(encoding="utf-8")  # the other rows go on


def test_templates_check_measures_links_with_the_campaigns_sample_note(
    runner: CliRunner, tmp_path: Path
) -> None:
    long_note = "I care about this. " * 80
    samples = (OTHER / "campaign.yaml").read_text(encoding="utf-8").split("sample_notes:")[1]
    folder, _, _ = _copy_with(
        tmp_path, "campaign.yaml", "sample_notes:" + samples, f"sample_notes:\n  en: {long_note}\n"
    )
    result = runner.invoke(cli, ["--campaign", str(folder), "templates", "check"])
    assert result.exit_code == 1
    note_length = len(long_note.strip())
    assert f"with a {note_length}-character note (limit 2,000)" in result.output
    # German has no sample note of its own here: the English one stands in for it.
    assert "letters/de/embassy.txt.j2 × embassy-de: the mailto: link" in result.output


def test_languages_must_be_known_and_include_english(tmp_path: Path) -> None:
    from appeal.campaign import parse_settings_bytes
    from appeal.errors import DataError

    text = (OTHER / "campaign.yaml").read_text(encoding="utf-8")
    for wrong, message in (
        ("languages: [de, fr]", "languages: expected a list of languages with 'en'"),
        ("languages: [en, hu]", "languages[1]: 'hu' is not one of en, ru, de, fr, es"),
    ):
        with pytest.raises(DataError) as raised:
            parse_settings_bytes(text.replace("languages: [en, de]", wrong).encode(), "c.yaml")
        assert any(message in problem for problem in raised.value.problems), raised.value
