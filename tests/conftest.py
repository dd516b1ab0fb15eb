"""Shared fixtures: every test runs isolated from the user's environment and with no network."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner


class NetworkBlocked(RuntimeError):
    """Raised when code under test tries to open a socket."""


def _refuse(*args: object, **kwargs: object) -> None:
    raise NetworkBlocked("appeal must never open a network connection")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Point HOME at a temp dir, clear appeal's variables and block every socket."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("APPEAL_CAMPAIGN", raising=False)
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):  # letters default to the locale's language
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(socket, "socket", _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)


@pytest.fixture
def runner() -> CliRunner:
    """A CliRunner that keeps stderr apart from stdout."""
    return CliRunner()


#: A small, frozen campaign (records copied from the shipped ones) for tests of the engine, which
#: must not change when the shipped records are refreshed.
MIN_CAMPAIGN = Path(__file__).parent / "fixtures" / "campaign_min"


@pytest.fixture
def min_campaign(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the command line use the fixture campaign (through APPEAL_CAMPAIGN)."""
    monkeypatch.setenv("APPEAL_CAMPAIGN", str(MIN_CAMPAIGN))
    return MIN_CAMPAIGN
