"""How many people live in each country: to list the countries where a campaign can expect the
most supporters first (``appeal recipients check``).

The figures are GeoNames', compiled by ``scripts/build_population.py`` into ``population.json``
beside this module, with their source; no figure is typed in by hand.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

#: The compiled table (see scripts/build_population.py).
TABLE_FILE = Path(__file__).with_name("population.json")


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    return loaded


def population(alpha2: str) -> int:
    """The number of people in ``alpha2`` (0 when the table has no figure for it)."""
    figures: dict[str, int] = _table()["population"]
    return figures.get(alpha2, 0)


def population_source() -> str:
    """Where the figures come from, for a report's heading."""
    source: str = _table()["source"]
    return source
