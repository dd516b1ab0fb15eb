"""The built wheel and sdist: the wheel carries the default campaign, its compiled snapshot and
py.typed and works from any folder; the sdist holds what the wheel and the tests need, and the
tests pass when run from it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _fresh_venv(env_dir: Path) -> Path:
    """A new venv that borrows this environment's dependencies through a .pth line (so no network
    is needed) but gets its own copy of appeal, installed later, ahead of them on sys.path.
    Returns its bin folder."""
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    inner_site = subprocess.run(
        [
            str(bin_dir / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    outer_site = sysconfig.get_paths()["purelib"]
    (Path(inner_site) / "borrowed-dependencies.pth").write_text(outer_site + "\n")
    return bin_dir


def _pip_install(bin_dir: Path, target: Path) -> None:
    subprocess.run(
        [
            str(bin_dir / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "--force-reinstall",
            str(target),
        ],
        check=True,
    )


@pytest.mark.slow
def test_wheel_installs_and_drafts_from_another_folder(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = dist.glob("appeal-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "appeal/default_campaign/recipients.yaml" in names
    assert "appeal/default_campaign/campaign.yaml" in names
    assert "appeal/default_campaign/templates/letters/en/embassy.txt.j2" in names
    assert "appeal/default_campaign/snapshot.jsonl" in names  # compiled by hatch_build.py
    assert "appeal/countries.json" in names
    assert "appeal/page_strings.yaml" in names  # the action page's words
    assert "appeal/py.typed" in names
    # What `appeal init --embassies-of` needs: the export, the starter letters, populations.
    assert "appeal/data/database_of_embassies_2022-11-16.posts.csv.gz" in names
    assert "appeal/starter/letters/fr/un_mission.txt.j2" in names
    assert "appeal/population.json" in names

    bin_dir = _fresh_venv(tmp_path / "venv")
    _pip_install(bin_dir, wheel)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [
            str(bin_dir / "appeal"),
            "draft",
            "--country",
            "AU",
            "--name",
            "Kari Nordmann",
            "--format",
            "json",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    drafts = json.loads(result.stdout)["drafts"]
    assert [d["recipient"] for d in drafts] == ["embassy-au", "un-mission-au", "prosecutor-general"]
    located = subprocess.run(
        [
            str(bin_dir / "python"),
            "-c",
            "import appeal; from appeal.campaign import load_campaign; "
            "print(appeal.__file__, bool(load_campaign().template_code))",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    location, compiled = located.stdout.split()
    assert location.startswith(str(tmp_path / "venv"))
    assert compiled == "True"  # the wheel's snapshot matches its files and is used
    started = subprocess.run(
        [str(bin_dir / "appeal"), "init", "belarus", "--embassies-of", "BY"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode == 0, started.stderr
    assert "55 posts of Belarus" in started.stdout
    page = subprocess.run(
        [str(bin_dir / "appeal"), "page", "-o", "page.html", "--lang", "fr"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
    )
    assert page.returncode == 0, page.stderr
    assert "Afficher mes lettres" in (elsewhere / "page.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_tests_pass_from_the_unpacked_sdist(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-c", f"import hatchling.build as b; print(b.build_sdist({str(dist)!r}))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    sdist = dist / built.stdout.strip().splitlines()[-1]
    with tarfile.open(sdist) as archive:
        names = {name.partition("/")[2] for name in archive.getnames()}
        archive.extractall(tmp_path / "unpacked", filter="data")
    for needed in ("campaign.yaml", "recipients.yaml", "hatch_build.py", "tests/conftest.py"):
        assert needed in names
    assert "templates/letters/en/embassy.txt.j2" in names
    assert not any(name.endswith("snapshot.jsonl") for name in names)  # built, not shipped
    (source,) = (tmp_path / "unpacked").iterdir()

    bin_dir = _fresh_venv(tmp_path / "venv")
    _pip_install(bin_dir, source)
    # The tests, less this module's own and the browser's, run against the installed sdist.
    result = subprocess.run(
        [
            str(bin_dir / "python"),
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            "not slow and not browser",
        ],
        cwd=source,
        env={**os.environ, "CI": "true"},  # the installed snapshot must be current
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    summary = result.stdout.splitlines()[-1]
    print(f"from the sdist: {summary}")  # shown with pytest -s
    assert " passed" in summary
