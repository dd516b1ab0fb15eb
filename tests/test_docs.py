"""The README's promises that can be checked: its commands and CI's agree."""

from __future__ import annotations

from pathlib import Path

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
