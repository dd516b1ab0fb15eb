"""Organiser mail-merge: each supporter's links equal 'appeal draft' for the same details."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from appeal.cli import cli

# Engine tests: they draft from a small, frozen campaign, not the shipped records.
pytestmark = pytest.mark.usefixtures("min_campaign")

SUPPORTERS = [
    {
        "name": 'Anna & Co #1 + "Q" Привет 🌍',
        "country": "DE",
        "city": "Leipzig",
        "email": "anna@example.org",
        "language": "",
        "note": "I visited Grozny in 2015.\n\n\n\nMy friends there # + & = ?  ",
    },
    {
        "name": "Camille Martin",
        "country": "France",
        "city": "",
        "email": "",
        "language": "fr+ru",
        "note": "",
    },
    {
        "name": "Kari",
        "country": "LI",
        "city": "Vaduz",
        "email": "",
        "language": "de",
        "note": "Hallo.",
    },
    {"name": "Lee", "country": "HK", "city": "", "email": "", "language": "es", "note": ""},
]


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(
            stream, fieldnames=["name", "country", "city", "email", "language", "note"]
        )
        writer.writeheader()
        writer.writerows(rows)


def _draft(runner: CliRunner, row: dict[str, str]) -> list[dict]:  # type: ignore[type-arg]
    args = [
        "draft",
        "-c",
        row["country"],
        "-n",
        row["name"],
        "--format",
        "json",
        "--lang",
        row["language"] or "en",
    ]
    for option, key in (("--city", "city"), ("--email", "email"), ("--note", "note")):
        if row[key]:
            args += [option, row[key]]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["drafts"]  # type: ignore[no-any-return]


def test_merge_links_equal_draft_links(runner: CliRunner, tmp_path: Path) -> None:
    source, target = tmp_path / "supporters.csv", tmp_path / "links.csv"
    _write(source, SUPPORTERS)
    result = runner.invoke(cli, ["links", "--supporters", str(source), "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    for supporter in SUPPORTERS:
        expected = {
            (d["recipient"], via): (link, True)
            for d in _draft(runner, supporter)
            for via, link in d["links"].items()
            if link
        } | {
            (d["recipient"], via): (link, False)
            for d in _draft(runner, supporter)
            for via, link in d["fallback_links"].items()
        }
        got = {
            (r["recipient"], r["via"]): (r["link"], r["body_included"] == "True")
            for r in rows
            if r["via"] != "form"  # a form link carries no letter; draft has it as form.url
            if r["name"] == supporter["name"]
        }
        assert got == expected, supporter["name"]
    languages = {(r["name"], r["recipient"]): r["language"] for r in rows}
    assert languages["Camille Martin", "embassy-fr"] == "fr+ru"
    assert languages["Camille Martin", "un-mission-fr"] == "fr"
    # Anna's row, with the blank lines of her note, takes lines 2 to 6.
    assert {r["line"] for r in rows if r["name"] == "Camille Martin"} == {"7"}


def test_bad_rows_are_reported_and_the_rest_go_on(runner: CliRunner, tmp_path: Path) -> None:
    source, target = tmp_path / "supporters.csv", tmp_path / "links.csv"
    source.write_text(
        "name,country,note\n"
        "Good,NO,\n"
        '"Bad\nName",NO,\n'
        "Other,Atlantis,\n"
        "Too,NO,many,fields\n"
        "Also good,SE,\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        cli, ["links", "--supporters", str(source), "-o", str(target), "--via", "mailto"]
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:3] == [
        f"Error: {source}:3: name: contains a line break; write it on one line",
        f"Error: {source}:5: country: no country matches 'Atlantis'",
        f"Error: {source}:6: more fields than the header has columns",
    ]
    assert "3 supporter row(s) failed" in result.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert {r["name"] for r in rows} == {"Good", "Also good"}


def test_missing_column_is_refused_and_nothing_written(runner: CliRunner, tmp_path: Path) -> None:
    source, target = tmp_path / "supporters.csv", tmp_path / "links.csv"
    source.write_text("name,city\nA,B\n", encoding="utf-8")
    result = runner.invoke(cli, ["links", "--supporters", str(source), "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {source}:1: missing column(s) country\n"
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]  # no temporary file left behind


def test_not_utf8_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    source, target = tmp_path / "supporters.csv", tmp_path / "links.csv"
    source.write_bytes("name,country\nJos\xe9,ES\n".encode("latin-1"))
    result = runner.invoke(cli, ["links", "--supporters", str(source), "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {source}: not UTF-8 text")
    assert not target.exists()


def test_supporters_and_countries_do_not_mix(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "s.csv"
    source.write_text("name,country\nA,NO\n", encoding="utf-8")
    assert runner.invoke(cli, ["links", "--supporters", str(source), "--all"]).exit_code == 2


def test_a_blank_line_does_not_shift_the_line_numbers(runner: CliRunner, tmp_path: Path) -> None:
    source, target = tmp_path / "supporters.csv", tmp_path / "links.csv"
    source.write_text("name,country\n\nA,Atlantis\nB,NO,extra\nC\n", encoding="utf-8")
    result = runner.invoke(cli, ["links", "--supporters", str(source), "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:3] == [
        f"Error: {source}:3: country: no country matches 'Atlantis'",
        f"Error: {source}:4: more fields than the header has columns",
        f"Error: {source}:5: country: give a country name or code, e.g. DE or Germany",
    ]


def test_a_cell_over_the_csv_limit_is_reported_and_the_rest_go_on(
    runner: CliRunner, tmp_path: Path
) -> None:
    source, target = tmp_path / "supporters.csv", tmp_path / "links.csv"
    huge = '"' + "x" * 200_000 + '"'
    source.write_text(f"name,country\nA,NO\n{huge},NO\nB,SE\n", encoding="utf-8")
    result = runner.invoke(
        cli, ["links", "--supporters", str(source), "-o", str(target), "--via", "mailto"]
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"Error: {source}:3: field larger than field limit (131072)"
    )
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [(r["line"], r["name"]) for r in rows] == [
        ("2", "A"),
        ("2", "A"),
        ("4", "B"),
        ("4", "B"),
    ]
