"""Keep the examples in README.md, CONTRIBUTING.md and docs/*.md true: regenerate them from runs.

Every fenced block in those files is one of two things:

- a cog block (``<!-- [[[cog … ]]] -->`` … ``<!-- [[[end]]] -->``) whose text this script makes
  by running appeal: ``console(…)`` runs a command and shows its output, ``runs(…)`` runs the
  block as it stands and keeps it, ``help_reference()`` writes every command's ``--help``;
- a block marked ``<!-- not run: why -->`` on the line before it (a user's own file, an install,
  a sketch of a file format).

Commands run in bash in a fresh temporary folder (also their HOME, shown as ``~``), with
appeal's embedded campaign, no standard input (or, for a guided run, a pseudo-terminal that
types the block's answers), ``LANG=C.UTF-8``, 80 columns and no other environment than PATH;
no network is ever used (appeal makes none). Run from the repository root, with the Python
that appeal is installed for::

    .venv/bin/python scripts/docs.py --update   # rewrite the blocks from real runs; review the diff
    .venv/bin/python scripts/docs.py --check    # fail, with the difference, if one is out of date

``tests/test_docs.py`` runs ``--check``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UPDATE_COMMAND = ".venv/bin/python scripts/docs.py --update"
#: The appeal (and python) that runs the examples: the one installed beside this Python.
BIN = Path(sys.executable).parent
#: What stands for lines or characters of output left out.
ELLIPSIS = "…"
BEGIN, END = "<!-- [[[cog", "<!-- [[[end]]]"
NOT_RUN = re.compile(r"^<!-- not run: \S.* -->$")

#: Set by --update: blocks whose output depends on today's date are rewritten, not only checked.
_refresh = False


def documented_files() -> list[Path]:
    """The Markdown files whose examples are checked (templates/README.md has none)."""
    return [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]


# --- Running commands ---------------------------------------------------------------------------


#: One example's run: shell command lines typed in turn in one fresh folder, the exit status
#: the last must end with (the others must succeed), and, for a run on a terminal, each
#: question the command asks (text it prints) with the answer typed to it.
Session = tuple[tuple[str, ...], int, tuple[tuple[str, str], ...]]

#: While the files are read a first time, the sessions their blocks will need (None: running).
_wanted: list[Session] | None = None
#: Each session's outputs (or why it failed), run in parallel between the two readings.
_done: dict[Session, list[str] | Exception] = {}

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _environment(folder: Path) -> dict[str, str]:
    """What the examples run with: the folder as home and current folder, no other environment
    than PATH (first a folder of stand-ins, then this Python's, where appeal is)."""
    tools = folder / ".docs-bin"
    tools.mkdir()
    # Stands in for the desktop's opener (click.launch): notes what it was asked to open.
    opener = tools / "xdg-open"
    opener.write_text('#!/bin/sh\nprintf "%s\\n" "$1" >> "$HOME/.docs-opened"\n')
    opener.chmod(0o755)
    return {
        "PATH": os.pathsep.join([str(tools), str(BIN), os.environ.get("PATH", os.defpath)]),
        "HOME": str(folder),
        "LANG": "C.UTF-8",
        "COLUMNS": "80",
        "TERM": "dumb",
        # Output in the order a terminal shows it: stderr's notices among stdout's lines.
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def _execute(session: Session) -> list[str]:
    """Run a session's command lines as a user would type them; what each printed (stdout and
    stderr), with the folder it ran in written ``~``."""
    commands, status, answers = session
    outputs = []
    with tempfile.TemporaryDirectory(prefix="appeal-docs-") as name:
        folder = Path(name).resolve()
        env = _environment(folder)
        for number, command in enumerate(commands):
            expected = status if number == len(commands) - 1 else 0
            if answers:
                code, output = _on_a_terminal(command, answers, folder, env)
            else:
                done = subprocess.run(
                    ["bash", "-o", "pipefail", "-c", command],
                    cwd=folder,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                    encoding="utf-8",
                    timeout=120,
                    check=False,
                )
                code, output = done.returncode, done.stdout
            if code != expected:
                raise RuntimeError(f"`{command}` exited {code}, not {expected}:\n{output[-2000:]}")
            outputs.append(output.replace(str(folder), "~"))
    return outputs


def _on_a_terminal(
    command: str, answers: Sequence[tuple[str, str]], folder: Path, env: Mapping[str, str]
) -> tuple[int, str]:
    """Run a command in a pseudo-terminal, typing each answer once its question has appeared
    and the command waits for input; its exit status and the screen's text (bold left out)."""
    import fcntl
    import pty
    import select
    import struct
    import termios
    import time

    screen, typing = pty.openpty()
    fcntl.ioctl(typing, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(
        ["bash", "-c", f"exec {command}"],
        cwd=folder,
        env=dict(env),
        stdin=typing,
        stdout=typing,
        stderr=typing,
        start_new_session=True,
    )
    os.close(typing)
    shown = b""
    matched = 0

    def read(timeout: float) -> bool:
        nonlocal shown
        if not select.select([screen], [], [], timeout)[0]:
            return False
        try:
            chunk = os.read(screen, 65536)
        except OSError:  # the command ended (Linux says EIO)
            chunk = b""
        shown += chunk
        return bool(chunk)

    try:
        for question, answer in answers:
            deadline = time.monotonic() + 60
            while (found := shown.find(question.encode(), matched)) < 0:
                if not read(max(deadline - time.monotonic(), 0)):
                    text = shown.decode(errors="replace")[-1500:]
                    raise RuntimeError(f"{question!r} was not asked; the screen shows:\n{text}")
            matched = found + len(question)
            _wait_until_reading(process.pid)
            os.write(screen, answer.encode() + b"\r")
        while read(60):
            pass
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(screen)
    text = shown.decode("utf-8", errors="replace").replace("\r\n", "\n")
    return code, _ANSI.sub("", text)


def _wait_until_reading(pid: int) -> None:
    """Wait until a process sleeps (Linux: /proc says so), as it does once it reads its input:
    an answer typed earlier would be echoed by the terminal before the question is done."""
    import time

    stat = Path(f"/proc/{pid}/stat")
    for _ in range(500):
        if not stat.exists():
            time.sleep(0.2)
            return
        if stat.read_text().rsplit(")", 1)[1].split()[0] == "S":
            return
        time.sleep(0.01)


def _session(
    commands: Sequence[str], status: int = 0, answers: Sequence[tuple[str, str]] = ()
) -> list[str] | None:
    """The outputs of these commands run in one fresh folder; None on the first reading."""
    session = (tuple(commands), status, tuple(answers))
    if _wanted is not None:
        _wanted.append(session)
        return None
    if session not in _done:
        _run_all([session])
    result = _done[session]
    if isinstance(result, Exception):
        raise result
    return result


def _run_all(sessions: Sequence[Session]) -> None:
    """Run sessions side by side (each is mostly one appeal start-up)."""

    def attempt(session: Session) -> list[str] | Exception:
        try:
            return _execute(session)
        except Exception as error:
            return error

    todo = [s for s in dict.fromkeys(sessions) if s not in _done]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        _done.update(zip(todo, pool.map(attempt, todo), strict=True))


# --- Shaping output -----------------------------------------------------------------------------

Selector = str | tuple[str, int | str | None]


def _excerpt(lines: list[str], keep: Sequence[Selector]) -> list[str]:
    """The kept lines, in order, with ``…`` for each gap.

    A selector is a regular expression that a line must start with, taking that line and the
    indented lines that continue it; or (pattern, n): the matching line and the n - 1 after it;
    or (pattern, until): from the matching line through the next line that matches ``until``
    (None: through the last line). Each selector matches after the previous one's lines."""
    kept: list[int] = []
    start = 0

    def find(pattern: str, start: int) -> int:
        for index in range(start, len(lines)):
            if re.match(pattern, lines[index]):
                return index
        raise RuntimeError(f"no line matching {pattern!r} in the output:\n" + "\n".join(lines))

    for selector in keep:
        pattern, extent = (selector, 0) if isinstance(selector, str) else selector
        found = find(pattern, start)
        if isinstance(extent, int) and extent:
            end = found + extent
        elif isinstance(extent, str):
            end = find(extent, found + 1) + 1
        elif extent is None:
            end = len(lines)
        else:
            end = found + 1
            while end < len(lines) and lines[end].startswith(" ") and lines[end].strip():
                end += 1
        kept.extend(range(found, min(end, len(lines))))
        start = end
    shown: list[str] = []
    previous = -1
    for index in kept:
        if index != previous + 1:
            shown.append(ELLIPSIS)
        shown.append(lines[index])
        previous = index
    if kept and kept[-1] != len(lines) - 1:
        shown.append(ELLIPSIS)
    return shown


_LINK = re.compile(r"(?:https?://|mailto:)[^\s,\"]+")


def _shorten(line: str, links: int | None, width: int | None) -> str:
    """Links cut to ``links`` characters and the line to ``width``, each marked with ``…``."""
    if links:
        line = _LINK.sub(
            lambda m: m[0] if len(m[0]) <= links else m[0][:links] + ELLIPSIS,
            line,
        )
    if width and len(line) > width:
        line = line[: width - 1] + ELLIPSIS
    return line


#: The stamp a block whose output depends on the date carries: the day it was made.
_STAMP = r"   # on \d{4}-\d\d-\d\d"


def _blurred(text: str, patterns: Sequence[str]) -> str:
    """The text with every digit in what the patterns match replaced by ``#``."""
    for pattern in (_STAMP, *patterns):
        text = re.sub(pattern, lambda match: re.sub(r"\d", "#", match[0]), text)
    return text


def _out(text: str) -> None:
    import cog  # provided by cogapp while it runs a block

    cog.out(text)


def _previous() -> str:
    import cog

    return str(cog.previous)


# --- What the blocks call -----------------------------------------------------------------------


def console(
    *commands: str,
    answers: Sequence[tuple[str, str]] = (),
    keep: Sequence[Selector] = (),
    links: int | None = None,
    width: int | None = None,
    status: int = 0,
    dated: Sequence[str] = (),
) -> None:
    """A ```console block: each command as typed (``$ …``) and what it printed.

    The commands run one after the other in one fresh folder. With ``answers`` the command
    runs on a (pseudo-)terminal, where each answer is typed once its question has appeared: a
    list of (text of the question, answer). ``keep`` shows only some lines of the last command's
    output (``…`` marks what is left out), ``links`` shortens links and ``width`` long lines.

    ``dated``: the parts of the output that depend on today's date (regular expressions: a
    record's age, "about 11 years ago"); the first command then says on which day the block was
    made, and ``--check`` compares the block with today's run with the digits of those parts
    blurred, so that only ``--update`` changes them."""
    outputs = _session(commands, status, answers)
    if outputs is None:
        return
    shown = ["```console"]
    for number, (command, output) in enumerate(zip(commands, outputs, strict=True)):
        lines = output.splitlines()
        if number == len(commands) - 1 and keep:
            lines = _excerpt(lines, keep)
        prompt = f"$ {command}"
        if dated and number == 0:
            prompt += f"   # on {dt.date.today().isoformat()}"
        shown.append(prompt)
        shown.extend(_shorten(line, links, width).rstrip() for line in lines)
    shown.append("```")
    text = "\n".join(shown) + "\n"
    previous = _previous()
    if dated and not _refresh and _blurred(previous, dated) == _blurred(text, dated):
        text = previous
    _out(text)


def runs(instead: Mapping[str, str | None] | None = None, python: bool = False) -> None:
    """Run the block as it stands in the file (each line of a shell block, or a Python block as
    one program) and keep it unchanged; a failure stops the update and fails the check.

    ``instead`` maps a line as shown to the command that tests it where the line itself cannot
    run here (another shell's syntax): None skips it."""
    block = _previous()
    body = block.splitlines()[1:-1]
    if not block.startswith("```") or not body:
        raise RuntimeError("runs() needs its fenced block between ]]] and [[[end]]]")
    if python:
        # The block as a program on standard input, as a here-document.
        commands = ["python - <<'EXAMPLE'\n" + "\n".join(body) + "\nEXAMPLE"]
    else:
        shown = [line for line in body if line.strip() and not line.lstrip().startswith("#")]
        commands = [c for line in shown if (c := (instead or {}).get(line.strip(), line))]
    if _session(commands) is not None:
        _out(block)


#: Prints every command's --help, each after a line "\f appeal … --help": one Python start-up
#: instead of one per command, through the same click group and entry name as the console
#: script, on the terminal width COLUMNS gives.
_HELP_PROGRAM = """
import click
from appeal.cli import cli

def walk(command, path):
    yield path
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from walk(command.commands[name], [*path, name])

for path in walk(cli, []):
    print("\\f", " ".join(["appeal", *path, "--help"]), flush=True)
    cli.main([*path, "--help"], prog_name="appeal", standalone_mode=False)
"""


def help_reference() -> None:
    """Every command's and subcommand's ``--help``, as ``appeal … --help`` prints it."""
    outputs = _session([f"python - <<'PROGRAM'\n{_HELP_PROGRAM.strip()}\nPROGRAM"])
    if outputs is None:
        return
    sections = []
    for part in outputs[0].split("\f ")[1:]:
        typed, _, output = part.partition("\n")
        title = typed.removesuffix(" --help")
        sections.append(f"## {title}\n\n```text\n$ {typed}\n{output.rstrip()}\n```\n")
    if not sections:
        raise RuntimeError(f"no help was printed:\n{outputs[0][-2000:]}")
    _out("\n".join(sections))


# --- Checking and updating ----------------------------------------------------------------------


def _unmarked_blocks(path: Path, text: str) -> list[str]:
    """Fenced blocks that are neither made by cog nor marked ``<!-- not run: why -->``."""
    problems = []
    lines = text.splitlines()
    in_cog = in_fence = False
    for number, line in enumerate(lines, 1):
        if line.startswith(BEGIN):
            in_cog = True
        elif line.startswith(END):
            in_cog = False
        elif line.startswith("```"):
            if not in_fence and not in_cog:
                before = next((x for x in reversed(lines[: number - 1]) if x.strip()), "")
                if not NOT_RUN.match(before):
                    problems.append(
                        f"{path.relative_to(ROOT)}:{number}: a block that is neither generated "
                        "(cog) nor marked '<!-- not run: why -->' on the line before it"
                    )
            in_fence = not in_fence
    return problems


def _has_cog(text: str) -> bool:
    """Whether a file has generated blocks (a file that only mentions the markers has none)."""
    return any(line.startswith(BEGIN) for line in text.splitlines())


def _cogged(path: Path, text: str) -> str:
    from cogapp import Cog

    cog = Cog()
    out = io.StringIO()
    names = {"console": console, "runs": runs, "help_reference": help_reference}
    cog.process_file(io.StringIO(text), out, fname=str(path.relative_to(ROOT)), globals=names)
    return out.getvalue()


def _collect_and_run(texts: Mapping[Path, str]) -> None:
    """Read the files once to learn which commands their blocks run, and run them all side by
    side; the second reading then only shapes their output."""
    global _wanted
    _wanted = []
    try:
        for path, text in texts.items():
            if not _has_cog(text):
                continue
            with suppress(Exception):  # the second reading reports it
                _cogged(path, text)
        sessions = _wanted
    finally:
        _wanted = None
    _run_all(sessions)


def main(arguments: list[str]) -> int:
    """--update rewrites the out-of-date files; --check shows their differences and fails."""
    global _refresh
    if arguments not in (["--update"], ["--check"]):
        print(__doc__, file=sys.stderr)
        return 2
    _refresh = arguments == ["--update"]
    if not (BIN / "appeal").exists():
        print(
            f"No appeal beside {sys.executable}: run this with the Python of the environment "
            "appeal is installed in (e.g. .venv/bin/python).",
            file=sys.stderr,
        )
        return 2
    texts = {path: path.read_text(encoding="utf-8") for path in documented_files()}
    _collect_and_run(texts)
    failures = []
    for path, text in texts.items():
        failures.extend(_unmarked_blocks(path, text))
        if not _has_cog(text):
            continue
        try:
            new = _cogged(path, text)
        except Exception as error:
            failures.append(f"{path.relative_to(ROOT)}: an example failed: {error}")
            continue
        if new == text:
            continue
        name = str(path.relative_to(ROOT))
        if _refresh:
            path.write_text(new, encoding="utf-8")
            print(f"{name}: updated", file=sys.stderr)
        else:
            diff = difflib.unified_diff(
                text.splitlines(), new.splitlines(), name, f"{name} (today)", lineterm="", n=1
            )
            shown = list(diff)
            failures.append(f"{name} is out of date:\n" + "\n".join(shown[:80]))
    for failure in failures:
        print(failure, file=sys.stderr)
    if failures and not _refresh:
        print(
            f"\nTo regenerate: {UPDATE_COMMAND} (then review the diff and commit; see "
            "CONTRIBUTING.md).",
            file=sys.stderr,
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
