"""Hostile input, tried as an attacker would (issue 13, items 5 to 7).

- Sandbox limits: a campaign's templates cannot build huge text by any operator, method or
  filter, read a huge file, hoard memory, or hold a command for long.
- Every hostile input ends in one ``Error:`` line and a non-zero exit, never a traceback.
- All or nothing: a full disk, Ctrl-C or SIGTERM while files are written leaves neither part of
  the set nor hidden temporary files, and ``--force`` keeps the old files until every new one
  is written. Signals are sent to real processes at a point the test chooses (the child waits
  there), so the timing is exact without sleeping in the test.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from appeal import files, letters, limits
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
SUBJECT = "{% block subject %}S{% endblock %}"


def assert_one_error(result: Result | subprocess.CompletedProcess[str], contains: str) -> None:
    """Exit non-zero; stderr holds 'Error:' lines (at least one, one of them with ``contains``)
    and at most the draft's usual notes; no traceback anywhere."""
    if isinstance(result, Result):
        code, stdout, stderr = result.exit_code, result.stdout, result.stderr
    else:
        code, stdout, stderr = result.returncode, result.stdout, result.stderr
    assert code != 0, (stdout, stderr)
    assert "Traceback" not in stdout + stderr, stderr
    lines = stderr.splitlines()
    assert lines, stdout
    assert all(line.startswith(("Error: ", "Note: ", "Warning: ")) for line in lines), lines
    assert any(line.startswith("Error: ") for line in lines), lines
    assert contains in stderr, stderr


def hidden_files(folder: Path) -> list[Path]:
    return list(folder.rglob(".*"))


def campaign_with(tmp_path: Path, template: str | None = None) -> Path:
    campaign = tmp_path / "campaign"
    letters_en = campaign / "templates" / "letters" / "en"
    letters_en.mkdir(parents=True)
    (campaign / "recipients.yaml").write_text(GOOD_RECORD, encoding="utf-8")
    if template is not None:
        (letters_en / "embassy.txt.j2").write_text(SUBJECT + template, encoding="utf-8")
    return campaign


def draft_in(campaign: Path, *extra: str) -> Result:
    return CliRunner().invoke(
        cli,
        ["--campaign", str(campaign), "draft", "-c", "NO", "-n", "K", "--to", "embassy", *extra],
    )


# --- 5. sandbox limits ------------------------------------------------------------------------

BIG = '{% set s = "x" * 100000 %}'
GROW = '{% set ns = namespace(s="x" * 100000) %}{% for i in range(40) %}{% set ns.s = ns.s OP ns.s %}{% endfor %}{{ ns.s|length }}'

STRING_BUILDERS = {
    "star": ('{{ "x" * 10**9 }}', "'*' would build 1,000,000,000 items"),
    "tilde doubling": (GROW.replace("OP", "~"), "'~' would build more than 4,000,000"),
    "plus doubling": (GROW.replace("OP", "+"), "'+' would build more than 4,000,000"),
    "percent width": ('{{ "%01000000000d" % 1 }}', "'%' format with a width of 1,000,000,000"),
    "percent star": ('{{ "%*d" % (10**9, 1) }}', "'%' formats with '*' widths are not allowed"),
    "str.format width": ('{{ "{:>1000000000}".format(1) }}', "format() with a width of"),
    "str.format precision": ('{{ "{:.1000000000f}".format(1.5) }}', "format() with a width of"),
    "str.format nested": ('{{ "{:>{}}".format(1, 10**9) }}', "format specs built from fields"),
    "format_map": ('{{ "{a:>1000000000}".format_map({"a": 1}) }}', "format() with a width of"),
    "format filter": ('{{ "%01000000000d"|format(1) }}', "'%' format with a width of"),
    "center filter": ('{{ "x"|center(10**9) }}', "'center' with a width of 1,000,000,000"),
    "center method": ('{{ "x".center(10**9) }}', "'center' with a width of 1,000,000,000"),
    "ljust method": ('{{ "x".ljust(10**9) }}', "'ljust' with a width of"),
    "rjust method": ('{{ "x".rjust(10**9) }}', "'rjust' with a width of"),
    "zfill method": ('{{ "1".zfill(10**9) }}', "'zfill' with a width of"),
    "expandtabs": ('{% set s = "\t" * 100000 %}{{ s.expandtabs(100000) }}', "'expandtabs' would"),
    "join filter": (BIG + "{{ ([s] * 100000)|join }}", "'join' would build more than"),
    "join method": (BIG + '{{ "".join([s] * 100000) }}', "'join' would build more than"),
    "join generator": (
        BIG + '{{ "".join(range(100000)|map("string")|map("center", 9000)) }}',
        "'join' would build more than",
    ),
    "indent width": ('{{ "a"|indent(10**9) }}', "'indent' with a width of"),
    "indent lines": ('{% set s = "\n" * 100000 %}{{ s|indent(10000) }}', "'indent' would build"),
    "replace filter": (BIG + '{{ s|replace("x", "y" * 100000) }}', "'replace' would build"),
    "replace method": (BIG + '{{ s.replace("x", "y" * 100000) }}', "'replace' would build"),
    "wordwrap": (
        '{% set s = "x " * 50000 %}{{ s|wordwrap(1, wrapstring="y" * 100000) }}',
        "'wordwrap' would build",
    ),
    "sum of lists": (
        "{% set l = [1] * 100000 %}{{ ([l] * 100000)|sum(start=[])|length }}",
        "'sum' would build",
    ),
    "batch fill": ("{{ [1]|batch(10**9, 0)|list|length }}", "'batch' would build"),
    "slice": ("{{ [1]|slice(10**9)|list|length }}", "'slice' would build"),
    "output loop": (
        BIG + "{% for i in range(100000) %}{{ s }}{% endfor %}",
        "the template's output would build",
    ),
    "list written out": (
        '{% set l = ["x" * 1000] * 100000 %}{{ [l] * 100 }}',
        "writing a value would build",
    ),
    "list in tilde": (
        '{% set l = ["x" * 1000] * 100000 %}{{ "a" ~ ([l] * 100) }}',
        "would build more than",
    ),
    "lipsum": ("{{ lipsum(10**6) }}", "'lipsum' is undefined"),
}


@pytest.mark.parametrize("name", STRING_BUILDERS)
def test_a_template_cannot_build_huge_text(tmp_path: Path, name: str) -> None:
    source, message = STRING_BUILDERS[name]
    campaign = campaign_with(tmp_path, source)
    result = draft_in(campaign)
    assert_one_error(result, message)
    assert "templates/letters/en/embassy.txt.j2" in result.stderr


def test_limits_leave_ordinary_template_code_alone(tmp_path: Path) -> None:
    source = (
        '{{ "%-6s|%5.1f" % ("ab", 2.25) }} {{ "{:>8}".format("r") }} {{ "t"|center(7) }} '
        '{{ ["a", "b"]|join(", ") }} {{ "x" ~ 1 ~ [2] }} {{ "a\nb"|indent(2, true) }} '
        "{{ [[1], [2]]|sum(start=[]) }} {{ 'ab'.replace('a', 'c') }}"
    )
    result = draft_in(campaign_with(tmp_path, source), "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)["drafts"][0]["body"]
    assert "ab    |  2.2        r    t    a, b x1[2]   a\n  b [1, 2] cb" in body


def test_a_huge_sparse_template_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign = campaign_with(tmp_path)
    template = campaign / "templates" / "letters" / "en" / "embassy.txt.j2"
    with template.open("wb") as stream:
        stream.truncate(4 * 1024**3)  # 4 GB, sparse: no disk space is used
    opened: list[str] = []
    real_open = Path.open

    def spy(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)
    result = draft_in(campaign)
    assert_one_error(result, "embassy.txt.j2: 4,294,967,296 bytes; a template may have at most")
    assert str(template) not in opened


def test_a_template_that_hoards_memory_hits_the_cap(tmp_path: Path) -> None:
    if not Path("/proc/self/statm").exists():
        pytest.skip("the address-space cap is applied where /proc gives the process's size")
    source = (
        "{% set ns = namespace(l=[]) %}{% for i in range(3000) %}"
        '{% set ns.l = ns.l + [("x" * 99999) ~ i] %}{% endfor %}{{ ns.l|length }}'
    )
    campaign = campaign_with(tmp_path, source)
    # A fresh process, whose address space holds no memory freed by earlier tests, with the
    # cap patched down from 1 GiB to 64 MB; the template would hold 300 MB.
    code = (
        "import sys; from appeal import letters; from appeal.cli import main; "
        "letters.MAX_RENDER_MEMORY = 64 * 1024 * 1024; "
        f"sys.argv = ['appeal', '--campaign', {str(campaign)!r}, 'draft', '-c', 'NO', '-n', 'K']; "
        "main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
        env={**os.environ, "HOME": str(tmp_path)},
    )  # fmt: skip
    assert_one_error(result, "embassy.txt.j2: needed more than 64 MB of memory to render")


def test_one_slow_render_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(letters, "MAX_RENDER_SECONDS", 0.3)
    source = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    result = draft_in(campaign_with(tmp_path, source))
    assert_one_error(result, "embassy.txt.j2: took longer than 0.3 s to render")


def test_a_whole_command_has_a_render_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The command's budget (patched down from 60 s) is shorter than one render's own limit, so
    # the first slow render is stopped when the budget runs out and every later one at once.
    monkeypatch.setattr(limits, "MAX_COMMAND_RENDER_SECONDS", 0.05)
    campaign = campaign_with(tmp_path)
    records = "".join(
        GOOD_RECORD.split("recipients:\n", 1)[1].replace("embassy-no", f"embassy-{n}")
        for n in range(5)
    )
    (campaign / "recipients.yaml").write_text(
        "schema_version: 1\nrecipients:\n" + records, encoding="utf-8"
    )
    slow = SUBJECT + "{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}"
    (campaign / "templates" / "letters" / "en" / "embassy.txt.j2").write_text(slow)
    result = CliRunner().invoke(cli, ["--campaign", str(campaign), "templates", "check"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    budget = "the command's templates took longer than 0.05 s to render in all"
    failures = [line for line in result.stdout.splitlines() if "embassy.txt.j2" in line]
    assert failures and all(budget in line for line in failures), failures


def test_the_library_has_no_command_budget_unless_started() -> None:
    clock = limits.RenderClock()
    assert clock.left() is None
    clock.spend(100)
    assert clock.left() is None
    clock.start()
    clock.spend(1.5)
    assert clock.left() == limits.MAX_COMMAND_RENDER_SECONDS - 1.5


# --- 6. every input ends in one Error: line ---------------------------------------------------


def appeal_process(
    args: list[str | bytes], tmp_path: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run appeal in a child process; ``env`` adds to (or overrides) the environment."""
    return subprocess.run(
        [sys.executable, "-m", "appeal", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env={**os.environ, "HOME": str(tmp_path), "PYTHONIOENCODING": "utf-8", **(env or {})},
        timeout=60,
    )


def test_note_file_that_is_not_utf8(runner: CliRunner, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_bytes(b"I lived in Moscow.\n\xff\xfe")
    result = runner.invoke(cli, ["draft", "-c", "DE", "-n", "A", "--note-file", str(note)])
    assert_one_error(result, "--note-file: line 2: not UTF-8 text (byte 0xff)")


def test_stdin_that_is_not_utf8(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["draft", "-c", "DE", "-n", "A", "--note-file", "-"], input=b"ab\xc3\x28"
    )
    assert_one_error(result, "--note-file: line 1: not UTF-8 text (byte 0xc3)")


def test_stdin_closed(tmp_path: Path) -> None:
    command = f"{sys.executable} -m appeal draft -c DE -n Anna --note-file - <&-"
    result = subprocess.run(
        ["sh", "-c", command], capture_output=True, text=True, timeout=60,
        env={**os.environ, "HOME": str(tmp_path)},
    )  # fmt: skip
    assert_one_error(result, "--note-file: cannot be read (it is closed)")


def test_a_bom_in_a_note_file_is_dropped(runner: CliRunner, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_bytes("\ufeffMy own words.".encode())
    result = runner.invoke(
        cli, ["draft", "-c", "DE", "-n", "A", "--note-file", str(note), "--format", "json"]
    )
    assert result.exit_code == 0
    assert "\ufeff" not in result.stdout and "My own words." in result.stdout


@pytest.mark.parametrize("option", ["--name", "--city", "--email", "--note"])
def test_argv_bytes_that_are_not_text(tmp_path: Path, option: str) -> None:
    args: list[str | bytes] = ["draft", "-c", "DE", "-n", "Anna", option.encode(), b"An\xffna"]
    if option == "--name":
        args = ["draft", "-c", "DE", "-n", b"An\xffna"]
    result = appeal_process(args, tmp_path, env={"LC_ALL": "C.UTF-8"})
    assert_one_error(result, f"{option}: contains bytes that are not valid text")


YAML_BOMBS = {
    "alias loop": "a: &x [*x]\n",
    "mapping loop": "a: &x {b: *x}\n",
    "500-deep flow": "a: " + "[" * 500 + "]" * 500 + "\n",
    "500-deep block": "a:\n"
    + "".join(" " * (i + 1) + "a:\n" for i in range(500))
    + " " * 502
    + "1\n",
    "200,000-deep flow": "a: " + "[" * 200_000 + "]" * 200_000 + "\n",
}


@pytest.mark.parametrize("name", YAML_BOMBS)
@pytest.mark.parametrize("file", ["recipients.yaml", "campaign.yaml"])
def test_yaml_loops_and_deep_nesting(tmp_path: Path, name: str, file: str) -> None:
    campaign = campaign_with(tmp_path)
    (campaign / file).write_text(YAML_BOMBS[name], encoding="utf-8")
    result = draft_in(campaign)
    assert_one_error(result, f"{campaign / file}:")
    assert any(
        words in result.stderr
        for words in ("refers to a value that contains it", "nest more than 50", "nesting depth")
    )


def test_a_csv_cell_over_128_kib_fails_its_row_and_the_merge_goes_on(
    runner: CliRunner, tmp_path: Path
) -> None:
    supporters = tmp_path / "supporters.csv"
    supporters.write_text(
        "name,country,note\nAnna,DE," + "x" * 140_000 + "\nBen,DE,hello\n", encoding="utf-8"
    )
    result = runner.invoke(cli, ["links", "--supporters", str(supporters)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"Error: {supporters}:2: field larger than field limit" in result.stderr
    assert "1 supporter row(s) failed" in result.stderr
    assert any(line.startswith("3,Ben,DE,") for line in result.stdout.splitlines())


def test_a_csv_cell_over_128_kib_in_an_embassy_export(runner: CliRunner, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(
        "operator,country,type,email,website\nRussia,Norway,embassy,a@b.org," + "x" * 140_000,
        encoding="utf-8",
    )
    target = tmp_path / "recipients.yaml"
    target.write_text(GOOD_RECORD, encoding="utf-8")
    result = runner.invoke(
        cli, ["recipients", "import-embassies", str(export), "--recipients", str(target)]
    )
    assert_one_error(result, f"{export}:2: field larger than field limit")


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deep_json_in_import_bluebook(runner: CliRunner, tmp_path: Path, depth: int) -> None:
    bluebook = tmp_path / "data.json"
    bluebook.write_text("[" * depth + "]" * depth, encoding="utf-8")
    target = tmp_path / "recipients.yaml"
    target.write_text(GOOD_RECORD, encoding="utf-8")
    result = runner.invoke(
        cli, ["recipients", "import-bluebook", str(bluebook), "--recipients", str(target)]
    )
    assert_one_error(result, f"{bluebook}:")
    assert target.read_text(encoding="utf-8") == GOOD_RECORD


def test_stdout_closed_by_the_reader(tmp_path: Path) -> None:
    # 'appeal links --supporters … | head -1': a merge long enough to outlast the pipe's buffer.
    supporters = tmp_path / "supporters.csv"
    supporters.write_text(
        "name,country\n" + "".join(f"Anna {n},DE\n" for n in range(20_000)), encoding="utf-8"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "appeal", "links", "--supporters", str(supporters)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith(b"line,name,country")
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1
    assert stderr.splitlines() == ["Error: standard output: cannot write (Broken pipe)"]


@pytest.mark.parametrize("where", ["/dev/full", "closed"])
def test_stdout_full_or_closed(tmp_path: Path, where: str) -> None:
    if where == "/dev/full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    redirect = "> /dev/full" if where == "/dev/full" else ">&-"
    command = f"{sys.executable} -m appeal draft -c DE -n Anna {redirect}"
    result = subprocess.run(
        ["sh", "-c", command], capture_output=True, text=True, timeout=60,
        env={**os.environ, "HOME": str(tmp_path)},
    )  # fmt: skip
    reason = "No space left on device" if where == "/dev/full" else "it is closed"
    assert_one_error(result, f"standard output: cannot write ({reason})")
    assert len(result.stderr.splitlines()) == 1


def test_an_encoding_without_cyrillic(tmp_path: Path) -> None:
    result = appeal_process(
        ["draft", "-c", "DE", "-n", "Анна", "--lang", "ru"], tmp_path,
        env={"PYTHONIOENCODING": "latin-1"},
    )  # fmt: skip
    assert_one_error(result, "standard output: its encoding (latin-1) cannot write")
    assert "PYTHONIOENCODING=utf-8" in result.stderr


EDITORS = {
    "bad UTF-8": ("printf 'x\\377y' > \"$1\"\n", "--edit: line 1: not UTF-8 text (byte 0xff)"),
    "deletes its file": ('rm "$1"\n', "--edit: the editor left no note to read"),
    "fails": ("exit 3\n", "Editing failed"),
}


@pytest.mark.parametrize("name", EDITORS)
def test_a_hostile_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    script, message = EDITORS[name]
    editor = tmp_path / "editor"
    editor.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    before = set(Path(tempfile.gettempdir()).glob("appeal-note-*"))
    result = CliRunner().invoke(cli, ["draft", "-c", "DE", "-n", "A", "--edit"])
    assert_one_error(result, message)
    assert set(Path(tempfile.gettempdir()).glob("appeal-note-*")) == before  # nothing kept


def _without_root_powers() -> list[str]:
    """A command prefix under which file permissions hold, also for root: root keeps its
    identity (and so can run this interpreter) but loses the capabilities that bypass them."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--"]


@pytest.fixture
def restore_permissions(tmp_path: Path) -> Iterator[None]:
    yield
    for path in tmp_path.rglob("*"):
        if path.is_dir():
            path.chmod(0o755)


@pytest.mark.parametrize(
    ("locked", "args"),
    [
        ("templates/letters/en", ["draft", "-c", "NO", "-n", "K"]),
        ("templates/letters/en", ["templates", "list"]),
        ("templates", ["draft", "-c", "NO", "-n", "K"]),
    ],
)
@pytest.mark.usefixtures("restore_permissions")
def test_unreadable_template_folders(tmp_path: Path, locked: str, args: list[str]) -> None:
    prefix = _without_root_powers()
    campaign = campaign_with(tmp_path, "Dear {{ recipient.name }}")
    (campaign / locked).chmod(0)
    result = subprocess.run(
        [*prefix, sys.executable, "-m", "appeal", "--campaign", str(campaign), *args],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
        env={**os.environ, "HOME": str(tmp_path)},
    )  # fmt: skip
    assert_one_error(result, "cannot be read (Permission denied)")


@pytest.mark.usefixtures("restore_permissions")
def test_init_under_an_unreadable_folder(tmp_path: Path) -> None:
    prefix = _without_root_powers()
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    result = subprocess.run(
        [*prefix, sys.executable, "-m", "appeal", "init", str(locked / "campaign")],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
        env={**os.environ, "HOME": str(tmp_path)},
    )  # fmt: skip
    assert_one_error(result, f"{locked / 'campaign'}: cannot write (Permission denied)")


# --- 7. all or nothing ------------------------------------------------------------------------

#: Run appeal in a child that stops at a chosen point, says so in a file, and waits there for
#: the test's signal. ``point`` is "staged:N" (after N files are staged), "row:N" (at the
#: mail-merge's Nth supporter) or "moving" (as the first staged file moves into place, where
#: the child signals itself: the signal must wait until the whole set is in place).
CHILD = textwrap.dedent(
    """
    import os, signal, sys, time
    from pathlib import Path
    from appeal import files, merge
    from appeal.cli import main

    # As at a terminal, whatever the test runner's parent did with Ctrl-C.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    point, ready, *argv = sys.argv[1:]
    kind, _, count = point.partition(":")

    def wait_here():
        Path(ready).write_text("ready")
        for _ in range(3000):
            time.sleep(0.01)
        raise SystemExit("the test sent no signal")

    if kind == "staged":
        real_write = files._write_one
        staged = []

        def write_one(path, content):
            real_write(path, content)
            staged.append(path)
            if len(staged) == int(count):
                wait_here()

        files._write_one = write_one
    elif kind == "row":
        real_rows = merge.Merger.rows

        def rows(self, line, row):
            if line == int(count):
                wait_here()
            return real_rows(self, line, row)

        merge.Merger.rows = rows
    elif kind == "moving":
        real_rename = os.rename
        sent = []

        def rename(source, target):
            if not sent and ".tmp" in str(source) and ".tmp" not in str(target):
                sent.append(1)
                os.kill(os.getpid(), getattr(signal, count))
            return real_rename(source, target)

        os.rename = rename
    sys.argv = ["appeal", *argv]
    main()
    """
)


def run_until_signal(
    tmp_path: Path, point: str, args: list[str], signum: int | None
) -> subprocess.CompletedProcess[str]:
    ready = tmp_path / "ready"
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, point, str(ready), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "HOME": str(tmp_path / "home")},
    )
    if signum is not None:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the child never reached its stopping point"
            time.sleep(0.005)
        process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=60)
    ready.unlink(missing_ok=True)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


SIGNALS = {
    "Ctrl-C": (signal.SIGINT, 130, "interrupted"),
    "SIGTERM": (signal.SIGTERM, 143, "stopped by SIGTERM"),
}
SUPPORTERS = "name,country\n" + "".join(f"Anna {n},DE\n" for n in range(10))


def write_old_drafts(out: Path) -> dict[str, str]:
    out.mkdir()
    old = {
        name: f"old {name}"
        # NOTICE.txt: the safety notes written beside the drafts (issue 12)
        for name in ("NOTICE.txt", "embassy-de.txt", "un-mission-de.txt", "prosecutor-general.txt")
    }
    for name, text in old.items():
        (out / name).write_text(text)
    return old


def folder_state(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): p.read_text() if p.is_file() else "<dir>"
        for p in sorted(folder.rglob("*"))
    }


INTERRUPTIONS = {
    "draft --out, new folder": (
        "staged:2",
        ["draft", "-c", "DE", "-n", "A", "--out", "out"],
        False,
    ),
    "draft --out --force, old files": (
        "staged:2",
        ["draft", "-c", "DE", "-n", "A", "--out", "out", "--force"],
        True,
    ),
    "mail-merge -o": (
        "row:5",
        ["links", "--supporters", "supporters.csv", "-o", "out/merged.csv"],
        False,
    ),
    "mail-merge -o --force": (
        "row:5",
        ["links", "--supporters", "supporters.csv", "-o", "out/merged.csv", "--force"],
        True,
    ),
    "init": ("staged:10", ["init", "out/campaign"], False),
    "page": ("staged:1", ["page", "-o", "out/page.html"], False),
}


@pytest.mark.parametrize("signal_name", SIGNALS)
@pytest.mark.parametrize("case", INTERRUPTIONS)
def test_a_signal_while_writing_leaves_nothing_new(
    tmp_path: Path, case: str, signal_name: str
) -> None:
    point, args, existing = INTERRUPTIONS[case]
    signum, code, words = SIGNALS[signal_name]
    (tmp_path / "supporters.csv").write_text(SUPPORTERS, encoding="utf-8")
    out = tmp_path / "out"
    if existing:
        write_old_drafts(out)
        (out / "merged.csv").write_text("old merge")
    before = folder_state(out) if out.exists() else None
    result = run_until_signal(tmp_path, point, args, signum)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert f"Error: {words}; no file was left half-written" in result.stderr.splitlines()
    after = folder_state(out) if out.exists() else None
    assert after == before  # neither part of the new set nor a changed old file
    assert hidden_files(tmp_path) == []


@pytest.mark.parametrize("signal_name", SIGNALS)
def test_a_signal_while_files_move_into_place_waits_for_the_whole_set(
    tmp_path: Path, signal_name: str
) -> None:
    signum, code, words = SIGNALS[signal_name]
    out = tmp_path / "out"
    old = write_old_drafts(out)
    result = run_until_signal(
        tmp_path,
        f"moving:{signum.name}",
        ["draft", "-c", "DE", "-n", "A", "--out", "out", "--force"],
        None,
    )
    assert result.returncode == code, result.stderr
    assert f"Error: {words}; no file was left half-written" in result.stderr
    state = folder_state(out)
    assert sorted(state) == sorted(old)
    assert all(not text.startswith("old ") for text in state.values())  # every file is new
    assert hidden_files(tmp_path) == []


def full_disk_after(monkeypatch: pytest.MonkeyPatch, allowed: int) -> None:
    """Make os.write fail with ENOSPC once ``allowed`` bytes have been written."""
    written = [0]
    real_write = os.write

    def write(descriptor: int, data: bytes) -> int:
        if descriptor > 2:
            written[0] += len(data)
            if written[0] > allowed:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(descriptor, data)

    monkeypatch.setattr(os, "write", write)


FULL_DISK = {
    "draft --out": (["draft", "-c", "DE", "-n", "A", "--out", "{out}"], 3000),
    "draft --out --force": (["draft", "-c", "DE", "-n", "A", "--out", "{out}", "--force"], 3000),
    "draft eml": (["draft", "-c", "DE", "-n", "A", "--format", "eml", "--out", "{out}"], 1000),
    "draft html": (["draft", "-c", "DE", "-n", "A", "--format", "html", "--out", "{out}"], 8000),
    "mail-merge": (["links", "--supporters", "{supporters}", "-o", "{out}/merged.csv"], 5000),
    "mail-merge --force": (
        ["links", "--supporters", "{supporters}", "-o", "{out}/merged.csv", "--force"],
        5000,
    ),
    "links -o": (["links", "-c", "DE", "-o", "{out}/sheet.csv"], 500),
    "page": (["page", "-o", "{out}/page.html"], 50_000),
    "init": (["init", "{out}/campaign"], 200_000),
    "import-bluebook": (
        ["recipients", "import-bluebook", "{bluebook}", "--recipients", "{out}/recipients.yaml"],
        100,
    ),
}


@pytest.mark.parametrize("case", FULL_DISK)
def test_a_full_disk_leaves_nothing_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    template, allowed = FULL_DISK[case]
    out = tmp_path / "out"
    supporters = tmp_path / "supporters.csv"
    supporters.write_text(SUPPORTERS * 5, encoding="utf-8")
    bluebook = tmp_path / "data.json"
    bluebook.write_text('{"countries": [], "bluebooks": []}', encoding="utf-8")
    if "--force" in template:
        write_old_drafts(out)
        (out / "merged.csv").write_text("old merge")
    if case == "import-bluebook":
        out.mkdir()
        (out / "recipients.yaml").write_text("# kept\n" + GOOD_RECORD, encoding="utf-8")
    before = folder_state(out) if out.exists() else None
    args = [a.format(out=out, supporters=supporters, bluebook=bluebook) for a in template]
    full_disk_after(monkeypatch, allowed)
    result = CliRunner().invoke(cli, args)
    assert_one_error(result, "cannot write (No space left on device)")
    assert (folder_state(out) if out.exists() else None) == before
    assert hidden_files(tmp_path) == []


def test_a_failed_move_puts_the_old_files_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    old = write_old_drafts(out)
    real_rename = os.rename
    moved_in: list[str] = []

    def rename(source: str | Path, target: str | Path) -> None:
        if ".tmp" in str(source) and ".tmp" not in str(target):
            moved_in.append(str(target))
            if len(moved_in) == 2:
                raise OSError(errno.EIO, os.strerror(errno.EIO), str(target))
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", rename)
    result = CliRunner().invoke(cli, ["draft", "-c", "DE", "-n", "A", "--out", str(out), "--force"])
    assert_one_error(result, "cannot write (Input/output error)")
    assert folder_state(out) == old
    assert hidden_files(tmp_path) == []


def test_force_keeps_the_old_files_until_every_new_one_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    old = write_old_drafts(out)
    seen: list[dict[str, str]] = []
    real_write_one = files._write_one

    def write_one(path: Path, content: files.Content) -> None:
        seen.append(folder_state(out))  # what a reader of the folder sees meanwhile
        real_write_one(path, content)

    monkeypatch.setattr(files, "_write_one", write_one)
    result = CliRunner().invoke(cli, ["draft", "-c", "DE", "-n", "A", "--out", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert len(seen) == 4  # three drafts and NOTICE.txt
    for state in seen:
        assert {k: v for k, v in state.items() if not k.startswith(".")} == old
    assert all(not text.startswith("old ") for text in folder_state(out).values())


def test_the_cli_has_one_file_writer() -> None:
    source = (Path(__file__).parents[1] / "src" / "appeal" / "cli.py").read_text()
    for copy in ("os.replace", "mkstemp(dir", "already exists; use --force", "write_text_atomic"):
        assert copy not in source, copy


@pytest.mark.parametrize(
    ("args", "slow"),
    [
        (["page", "-o", "{out}"], "appeal.page.build_page"),
        (["links", "--all", "-o", "{out}"], "appeal.sheets.render_sheet"),
    ],
)
def test_an_existing_output_is_refused_before_the_slow_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], slow: str
) -> None:
    out = tmp_path / "taken"
    out.symlink_to(tmp_path / "nowhere")  # a link that leads nowhere is taken too

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"{slow} ran before the output path was checked")

    monkeypatch.setattr(slow, never)
    result = CliRunner().invoke(cli, [a.format(out=out) for a in args])
    assert_one_error(result, f"{out}: already exists; use --force to replace it")
