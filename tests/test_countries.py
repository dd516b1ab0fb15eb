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
    error = caught.value
    assert (error.field, error.code) == ("country", "unknown-country")
    assert error.problems == ("no country matches 'Germny'; did you mean Germany (DE)?",)


def test_nothing_close() -> None:
    with pytest.raises(CountryError, match=r"^country: no country matches 'Atlantis'$"):
        resolve_country("Atlantis")


def test_letters_name_countries_the_way_a_signature_would() -> None:
    from appeal.countries import all_countries, name_in

    assert name_in(resolve_country("TW"), "de") == "Taiwan"
    assert name_in(resolve_country("IR"), "de") == "Iran"
    assert name_in(resolve_country("SB"), "fr") == "Îles Salomon"
    assert name_in(resolve_country("CI"), "es") == "Costa de Marfil"
    assert resolve_country("VG").name == "British Virgin Islands"
    # ISO's catalogues invert some names ("Iran, Islamische Republik"); only names that are lists
    # of places keep a comma.
    inverted = {
        country.alpha2
        for country in all_countries()
        for language in ("en", "de", "fr", "es", "ru")
        if ", " in name_in(country, language)
    }
    assert inverted == {"BQ", "SH"}


@pytest.mark.parametrize(
    ("typed", "code"),
    [("British Virgin Islands", "VG"), ("Costa de Marfil", "CI"), ("Îles Salomon", "SB")],
)
def test_the_letters_names_can_be_typed(typed: str, code: str) -> None:
    assert resolve_country(typed).alpha2 == code
