"""Country input: codes, names in five languages, everyday names, suggestions."""

from __future__ import annotations

import pytest

from appeal.countries import resolve_country
from appeal.errors import CountryError


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("DE", "DE"),
        ("de", "DE"),
        ("deu", "DE"),
        ("Germany", "DE"),
        ("Deutschland", "DE"),
        ("Allemagne", "DE"),
        ("alemania", "DE"),
        ("Германия", "DE"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("NO", "NO"),
        ("norway", "NO"),
        ("Norvège", "NO"),
        ("NORVEGE", "NO"),
        ("Côte d’Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("Turkey", "TR"),
        ("USA", "US"),
        ("Etats-Unis", "US"),
        ("South Korea", "KR"),
    ],
)
def test_resolves(typed: str, code: str) -> None:
    assert resolve_country(typed).alpha2 == code


def test_unknown_country_suggests_close_matches() -> None:
    with pytest.raises(CountryError) as caught:
        resolve_country("Germny")
    assert str(caught.value) == "--country: no country matches 'Germny'; did you mean Germany (DE)?"


def test_nothing_close() -> None:
    with pytest.raises(CountryError, match=r"^--country: no country matches 'Atlantis'$"):
        resolve_country("Atlantis")
