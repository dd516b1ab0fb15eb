"""The built wheel carries the default campaign and works from any folder, in a fresh venv."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


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
    assert "appeal/default_campaign/snapshot.jsonl" in names  # the compiled campaign
    assert "appeal/countries.json" in names

    # The new venv borrows this environment's dependencies through a .pth line (so no network is
    # needed) but gets its own copy of appeal, installed from the wheel, ahead of them on sys.path.
    env_dir = tmp_path / "venv"
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
    subprocess.run(
        [
            str(bin_dir / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--force-reinstall",
            str(wheel),
        ],
        check=True,
    )
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
    drafts = json.loads(result.stdout)
    assert [d["recipient"] for d in drafts] == ["embassy-au", "un-mission-au", "prosecutor-general"]
    located = subprocess.run(
        [str(bin_dir / "python"), "-c", "import appeal; print(appeal.__file__)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(env_dir) in located.stdout
