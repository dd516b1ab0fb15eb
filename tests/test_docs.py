"""The documentation keeps its promises: the README's commands and CI's agree, and every example in
README.md, CONTRIBUTING.md and docs/ is a real run that scripts/docs.py regenerates and checks."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    fence = readme.index("```sh")
    install_and_start, install_and_test = readme[fence + 1], readme[fence + 2]
    # Drafts letters on any machine, also without a terminal (where the guided mode never asks).
    assert "bin/appeal draft --country" in install_and_start
    assert install_and_test.endswith("pytest")
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert install_and_test in [line.strip() for line in ci_lines]


def test_ci_tests_the_oldest_and_newest_python_the_project_supports() -> None:
    import re

    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    floor = re.search(r'^requires-python = ">=(3\.\d+)"$', pyproject, re.MULTILINE)
    assert floor, "requires-python must name the oldest version CI tests"
    classified = re.findall(r'"Programming Language :: Python :: (3\.\d+)"', pyproject)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    tested = re.search(r"^PYTHONS=\(([^)]*)\)$", ci, re.MULTILINE)
    assert tested
    versions = tested.group(1).split()
    newest = max(classified, key=lambda v: tuple(map(int, v.split("."))))
    assert versions == [floor.group(1), newest]


@pytest.mark.skipif(shutil.which("bash") is None, reason="the examples are bash command lines")
def test_the_examples_and_the_help_reference_are_what_appeal_prints() -> None:
    """README.md and docs/*.md show real runs: scripts/docs.py --check reruns every example
    (and every --help) and fails, with the difference and the command that regenerates them,
    when one is out of date, fails, or is neither generated nor marked as not run."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "docs.py"), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_the_readme_draft_command_runs() -> None:
    """The first line's appeal command (it installs first, so scripts/docs.py does not run it)
    drafts letters with no terminal and no input."""
    import shlex
    import subprocess
    import sys
    import tempfile

    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    install_and_start = readme[readme.index("```sh") + 1]
    command = shlex.split(install_and_start.split("&& .venv/bin/")[-1])
    assert command[:2] == ["appeal", "draft"]
    appeal = Path(sys.executable).parent / "appeal"
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [str(appeal), *command[1:]],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "Nothing has been sent" in done.stdout
        assert not list(Path(folder).iterdir())


def test_the_links_help_names_every_column_the_sheets_and_the_merge_write() -> None:
    from click.testing import CliRunner

    from appeal.cli import cli
    from appeal.merge import OUTPUT_COLUMNS
    from appeal.sheets import COLUMNS

    shown = " ".join(CliRunner().invoke(cli, ["links", "--help"]).output.split())
    assert ", ".join(COLUMNS) in shown
    assert (
        "Output columns: line (where the supporter's row starts), " + ", ".join(OUTPUT_COLUMNS[1:])
        in shown
    )


def _docs_script() -> Any:
    """scripts/docs.py as a module (scripts/ is not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("docs_script", ROOT / "scripts" / "docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_example_block_must_be_generated_or_say_why_it_is_not_run() -> None:
    docs = _docs_script()
    text = "\n".join(
        [
            "<!-- not run: needs a user's file -->",
            "```sh",
            "appeal links --supporters mine.csv",
            "```",
            '<!-- [[[cog console("appeal countries") ]]] -->',
            "```console",
            "```",
            "<!-- [[[end]]] -->",
            "Unmarked:",
            "```sh",
            "appeal draft",
            "```",
        ]
    )
    assert docs._unmarked_blocks(ROOT / "README.md", text) == [
        "README.md:10: a block that is neither generated (cog) nor marked "
        "'<!-- not run: why -->' on the line before it"
    ]


def test_an_excerpt_marks_every_line_it_leaves_out() -> None:
    docs = _docs_script()
    lines = ["intro", "Subject:  one", "          two", "Record:   x", "a", "b", "c", "end"]
    assert docs._excerpt(lines, ["Subject:", ("a", 2)]) == [
        "…",
        "Subject:  one",
        "          two",
        "…",
        "a",
        "b",
        "…",
    ]
    assert docs._excerpt(lines, [("Record:", "b"), ("end", None)]) == [
        "…",
        "Record:   x",
        "a",
        "b",
        "…",
        "end",
    ]
    with pytest.raises(RuntimeError, match="no line matching 'Missing'"):
        docs._excerpt(lines, ["Missing"])


def test_long_links_and_lines_are_shortened_visibly() -> None:
    docs = _docs_script()
    link = "mailto:a@example.org?subject=" + "x" * 100
    assert docs._shorten(f"mailto: {link}", 40, None) == f"mailto: {link[:40]}…"
    assert docs._shorten("y" * 30, None, 10) == "y" * 9 + "…"
