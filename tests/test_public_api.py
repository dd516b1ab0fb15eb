"""The public API the README shows is what the modules' ``__all__`` lists, and it runs."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

import appeal

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_MODULES = [
    "appeal",
    "appeal.campaign",
    "appeal.countries",
    "appeal.drafts",
    "appeal.errors",
    "appeal.safety",
    "appeal.sender",
]


def _library_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use as a library", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "the README's library section has no Python example"
    return match.group(1)


def test_every_name_the_readme_imports_is_in_its_modules_all() -> None:
    imports = re.findall(r"^from (appeal[\w.]*) import (.+)$", _library_example(), re.MULTILINE)
    assert imports
    for module_name, names in imports:
        module = importlib.import_module(module_name)
        for name in (n.strip() for n in names.split(",")):
            assert name in module.__all__, f"{module_name}.__all__ lacks {name}"


def test_the_errors_the_readme_names_are_exported_from_the_package() -> None:
    for name in ("AppealError", "DataError", "TemplateError", "InputError", "CountryError"):
        assert name in appeal.__all__
        assert issubclass(getattr(appeal, name), appeal.AppealError)


def test_every_name_in_all_exists() -> None:
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            assert getattr(module, name) is not None, f"{module_name}.{name}"


def test_the_readme_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(_library_example(), "README.md", "exec"), {})
    assert "mailto:" in capsys.readouterr().out
