"""Rebuild the compiled data the package ships (a maintainer's tool; the tests say when).

Run from the repository root after changing ``recipients.yaml``, ``campaign.yaml`` or a template
(writes ``src/appeal/default_campaign/snapshot.json``), or after updating pycountry (writes
``src/appeal/countries.json``, which needs pycountry, part of the ``test`` extra)::

    python scripts/build_snapshot.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from appeal import countries, snapshot
from appeal.campaign import default_campaign_root


def main() -> int:
    """Write both files and say what was written."""
    # The country table first: checking the records reads it.
    table = snapshot.build_country_table()
    countries.TABLE_FILE.write_text(snapshot.country_table_text(table), encoding="utf-8")
    print(f"{countries.TABLE_FILE}: {len(table['countries'])} countries", file=sys.stderr)
    target = Path(str(default_campaign_root())) / snapshot.SNAPSHOT_FILE
    data = snapshot.build_snapshot()
    target.write_text(snapshot.snapshot_text(data), encoding="utf-8")
    print(
        f"{target}: {len(data['recipients'])} records, {len(data['templates'])} templates",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
