"""The README's promises that can be checked: its commands and CI's agree."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    fence = readme.index("```sh")
    install_and_draft, install_and_test = readme[fence + 1], readme[fence + 2]
    assert "appeal draft" in install_and_draft
    assert install_and_test.endswith("pytest")
    assert install_and_test in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
