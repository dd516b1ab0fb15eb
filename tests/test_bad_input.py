"""Bad input, tried on purpose: every case ends in one 'Error:' line naming the place, a non-zero
exit, no traceback, no output file left behind and nothing written outside the output folder."""

from __future__ import annotations

import textwrap
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from appeal.cli import cli

GOOD_RECORD = """\
schema_version: 1
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
"""


def files_under(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


def run_in_campaign(tmp_path: Path, recipients: str | bytes, *args: str) -> tuple[Result, Path]:
    campaign = tmp_path / "campaign"
    campaign.mkdir(exist_ok=True)
    target = campaign / "recipients.yaml"
    if isinstance(recipients, bytes):
        target.write_bytes(recipients)
    else:
        target.write_text(recipients, encoding="utf-8")
    out = tmp_path / "out"
    before = files_under(tmp_path)
    result = CliRunner().invoke(
        cli,
        ["--campaign", str(campaign), "draft", "-c", "NO", "-n", "Kari", "--out", str(out), *args],
    )
    assert files_under(tmp_path) == before, "something was written"
    return result, target


def assert_one_error(result: Result, starts: str, contains: str = "") -> None:
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines, result.output
    assert all(line.startswith("Error: ") for line in lines), lines
    assert any(line.startswith("Error: " + starts) for line in lines), lines
    assert contains in result.stderr


@pytest.mark.parametrize(
    ("old", "new", "contains"),
    [
        (
            "kind: embassy",
            "kind: [embassy]",
            "kind: ['embassy'] is not a kind campaign.yaml declares",
        ),
        (
            "recipients:\n",
            "recipients:\n  - [a, b]\n",
            "recipients[0]: expected a mapping, got a list",
        ),
        (
            "name: {en: Embassy of the Russian Federation in Norway}",
            "name: {en: 12}",
            "name.en: expected text, got a number (12)",
        ),
        (
            "confidence: high",
            "confidence: yes",
            "confidence: 'yes' is not one of high, medium, low",
        ),
        ("confidence: high", "confidence: NO", "confidence: 'NO' is not one of high, medium, low"),
        ("last_seen: 2015-03-19", "last_seen: 01234", "last_seen: expected a date like 2015-03-19"),
        ("confidence: high", "confidence: high\n    confidence: low", "duplicate key 'confidence'"),
        (
            "kind: embassy",
            "kind: consulate",
            "kind: 'consulate' is not a kind campaign.yaml declares",
        ),
        (
            "salutation: {en: Your Excellency}",
            "salutation: {it: Eccellenza}",
            "salutation.it: unknown language",
        ),
        ("[rembassy@online.no]", "[rembassy(at)online.no]", "is not a valid e-mail address"),
        (
            "[rembassy@online.no]",
            "['Embassy <rembassy@online.no>']",
            "is not a valid e-mail address",
        ),
        ("[rembassy@online.no]", "[' rembassy@online.no ']", "has spaces around it"),
        ("recipients:\n", "recipients: [\n", ""),
    ],
)
def test_bad_recipients_file(tmp_path: Path, old: str, new: str, contains: str) -> None:
    assert old in GOOD_RECORD
    result, target = run_in_campaign(tmp_path, GOOD_RECORD.replace(old, new, 1))
    assert_one_error(result, f"{target}:", contains)


def test_duplicate_id(tmp_path: Path) -> None:
    doubled = GOOD_RECORD + textwrap.indent(GOOD_RECORD.split("recipients:\n", 1)[1], "")
    result, target = run_in_campaign(tmp_path, doubled)
    assert_one_error(result, f"{target}:12: recipients[1] (embassy-no): duplicate id")


def test_alias_bomb_is_refused_quickly_in_bounded_memory(tmp_path: Path) -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    tracemalloc.start()
    started = time.perf_counter()
    result, target = run_in_campaign(tmp_path, "\n".join(lines) + "\n")
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert_one_error(result, f"{target}:", "expands to more than 250,000 values")
    assert elapsed < 10
    assert peak < 200 * 1024 * 1024


def test_fifty_megabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    campaign = tmp_path / "campaign"
    campaign.mkdir()
    with (campaign / "recipients.yaml").open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    result = CliRunner().invoke(cli, ["--campaign", str(campaign), "draft", "-c", "NO", "-n", "K"])
    assert_one_error(result, f"{campaign / 'recipients.yaml'}: file is 52,428,800 bytes")


def test_not_utf8(tmp_path: Path) -> None:
    result, target = run_in_campaign(
        tmp_path, GOOD_RECORD.encode("utf-8").replace(b"Kari", b"") + b"# \xe9\n"
    )
    assert_one_error(result, f"{target}:12: not UTF-8 text")


# --- templates from a campaign folder ------------------------------------------------------


def run_template(tmp_path: Path, source: str) -> Result:
    campaign = tmp_path / "campaign"
    letters = campaign / "templates" / "letters" / "en"
    letters.mkdir(parents=True)
    (campaign / "recipients.yaml").write_text(GOOD_RECORD, encoding="utf-8")
    (letters / "embassy.txt.j2").write_text(source, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["--campaign", str(campaign), "draft", "-c", "NO", "-n", "K", "--out", str(out)]
    )
    assert not out.exists()
    return result


@pytest.mark.parametrize(
    ("source", "contains"),
    [
        ("{% block subject %}S{% endblock %}{% if %}", ":1: syntax error: "),
        (
            "{% block subject %}S{% endblock %}\n{{ nothing_here }}",
            ":2: undefined value: 'nothing_here' is undefined",
        ),
        (
            "{% block subject %}S{% endblock %}{{ ''.__class__.__mro__[1].__subclasses__() }}",
            "refused by the sandbox: access to attribute '__class__'",
        ),
        (
            "{% block subject %}S{% endblock %}{{ 'a' * 10**9 }}",
            "'*' would build 1,000,000,000 items",
        ),
        ("{% block subject %}S{% endblock %}{{ 2 ** 100000 }}", "'**' with an exponent of 100000"),
        (
            "{% block subject %}S{% endblock %}{% include '../../recipients.yaml' %}",
            "template not found",
        ),
    ],
)
def test_bad_templates(tmp_path: Path, source: str, contains: str) -> None:
    result = run_template(tmp_path, source)
    assert_one_error(result, "", contains)
    assert "embassy.txt.j2" in result.stderr or "recipients.yaml" in result.stderr


def test_a_template_that_renders_too_long_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import appeal.letters

    # The limit is 5 s; a shorter one stops the same endless template sooner.
    monkeypatch.setattr(appeal.letters, "MAX_RENDER_SECONDS", 0.2)
    endless = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    started = time.monotonic()
    result = run_template(tmp_path, "{% block subject %}S{% endblock %}" + endless)
    assert_one_error(result, "", "embassy.txt.j2: took longer than 0.2 s to render")
    assert time.monotonic() - started < 4


def test_template_link_outside_its_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("{% block subject %}S{% endblock %}secret", encoding="utf-8")
    campaign = tmp_path / "campaign"
    letters = campaign / "templates" / "letters" / "en"
    letters.mkdir(parents=True)
    (campaign / "recipients.yaml").write_text(GOOD_RECORD, encoding="utf-8")
    (letters / "embassy.txt.j2").symlink_to(secret)
    result = CliRunner().invoke(cli, ["--campaign", str(campaign), "draft", "-c", "NO", "-n", "K"])
    assert_one_error(result, "", "leads outside the templates folder")


# --- what a sender types ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--name", "Kari\r\nBcc: x@example.org", "--name: contains a line break"),
        ("--name", "Kari\x00", "--name: contains a control character (U+0000)"),
        (
            "--name",
            "Kari\u202egninrom",
            "--name: contains an invisible text-direction control (U+202E)",
        ),
        ("--city", "Oslo\nTo: x@example.org", "--city: contains a line break"),
        ("--note", "hello\x00", "--note: contains a control character (U+0000)"),
        (
            "--note",
            "hello \u2066x",
            "--note: contains an invisible text-direction control (U+2066)",
        ),
        ("--email", "a@example.org\nBcc: b@example.org", "--email: "),
    ],
)
def test_bad_sender_fields(tmp_path: Path, option: str, value: str, message: str) -> None:
    out = tmp_path / "out"
    args = ["draft", "-c", "NO", "-n", "Kari", "--format", "eml", "--out", str(out)]
    args = [a for a in args if not (option == "--name" and a in ("-n", "Kari"))]
    result = CliRunner().invoke(cli, [*args, option, value])
    assert_one_error(result, message)
    assert not out.exists()


def test_bcc_lines_and_markup_in_a_note_stay_in_the_body(tmp_path: Path) -> None:
    import email
    from email.policy import default as default_policy

    out = tmp_path / "out"
    note = "Bcc: someone@example.org\nTo: other@example.org\n<script>alert(1)</script>"
    result = CliRunner().invoke(
        cli,
        [
            "draft",
            "-c",
            "NO",
            "-n",
            "<b>Kari</b>",
            "--note",
            note,
            "--to",
            "embassy",
            "--format",
            "eml",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.stderr
    message = email.message_from_bytes((out / "embassy-no.eml").read_bytes(), policy=default_policy)
    assert message["Bcc"] is None
    assert message["To"] == "oslo@mid.ru"  # the embassy's official mailbox since 2025-12
    assert note in message.get_content().replace("\r\n", "\n")
    html_out = tmp_path / "html"
    CliRunner().invoke(
        cli,
        [
            "draft",
            "-c",
            "NO",
            "-n",
            "<b>Kari</b>",
            "--note",
            note,
            "--to",
            "embassy",
            "--format",
            "html",
            "--out",
            str(html_out),
        ],
    )
    page = (html_out / "embassy-no.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>Kari</b>" not in page


# --- output paths ------------------------------------------------------------------------------------


def test_output_path_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    a_file = tmp_path / "file"
    a_file.write_text("x")
    result = runner.invoke(cli, ["draft", "-c", "NO", "-n", "K", "--out", str(a_file)])
    assert_one_error(result, f"{a_file}: exists and is not a folder")
    sheet_dir = tmp_path / "dir"
    sheet_dir.mkdir()
    result = runner.invoke(cli, ["links", "-c", "NO", "-o", str(sheet_dir)])
    assert result.exit_code != 0
    existing = tmp_path / "sheet.csv"
    existing.write_text("keep me")
    result = runner.invoke(cli, ["links", "-c", "NO", "-o", str(existing)])
    assert_one_error(result, f"{existing}: already exists; use --force")
    assert existing.read_text() == "keep me"

    # A read-only folder (simulated: tests may run as root, who can write anywhere).
    import tempfile

    def refuse(*args: object, **kwargs: object) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    out = tmp_path / "readonly"
    result = runner.invoke(cli, ["draft", "-c", "NO", "-n", "K", "--out", str(out)])
    assert_one_error(result, f"{out}", "cannot write (Permission denied)")
    assert not any(out.iterdir()) if out.exists() else True


# --- supporters ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_million_supporters_stream_in_bounded_memory(tmp_path: Path) -> None:
    import resource

    from appeal.campaign import load_campaign
    from appeal.drafts import DraftOptions
    from appeal.merge import RowError, merge

    rows = 1_000_000

    def supporters() -> Iterator[str]:
        yield "name,country\n"
        for number in range(rows):
            yield "Lee,HK\n" if number % 1000 else "Bad\x00,HK\n"

    campaign = load_campaign()
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    errors = produced = 0
    # The federal bodies serve Hong Kong; a mail-merge gives links only where there is an
    # address, so this measures reading, checking and streaming (benchmarks/ measures links).
    options = DraftOptions(kinds=("prosecutor",))
    for item in merge(campaign, supporters(), "supporters.csv", options, ("mailto",)):
        if isinstance(item, RowError):
            errors += 1
        else:
            produced += 1
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
    assert errors == rows // 1000
    assert produced == 0
    assert grown < 100 * 1024  # the peak grew by less than 100 MiB over a million rows


def test_the_package_never_imports_smtplib() -> None:
    import subprocess
    import sys

    code = "import sys, appeal.cli, appeal.eml, appeal.merge, appeal.page; print('smtplib' in sys.modules)"
    assert (
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        == "False"
    )
