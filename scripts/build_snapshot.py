"""Rebuild the compiled data in a source checkout (a maintainer's tool).

- ``src/appeal/default_campaign/snapshot.jsonl``, the default campaign's compiled snapshot. It is
  not committed: every wheel builds its own (``hatch_build.py``), and an editable install writes
  this one. Run this after changing ``recipients.yaml``, ``campaign.yaml`` or a template if you
  want the quick start-up back in your checkout; until then appeal parses the YAML at each start.
- ``src/appeal/countries.json``, with ``--countries``: after updating pycountry (part of the
  ``test`` extra). This table is committed; the tests say when it no longer matches pycountry.

Run from the repository root::

    python scripts/build_snapshot.py [--countries]
"""

from __future__ import annotations

import sys
from pathlib import Path

from appeal import countries, snapshot_build
from appeal.campaign import default_campaign_root, default_snapshot_file


def main(arguments: list[str]) -> int:
    """Write the snapshot (and the country table if asked) and say what was written."""
    if "--countries" in arguments:
        # The country table first: checking the records reads it.
        table = snapshot_build.build_country_table()
        countries.TABLE_FILE.write_text(snapshot_build.country_table_text(table), encoding="utf-8")
        print(f"{countries.TABLE_FILE}: {len(table['countries'])} countries", file=sys.stderr)
    target = Path(str(default_snapshot_file()))
    data = snapshot_build.write_snapshot(default_campaign_root(), target)
    print(
        f"{target}: {len(data['recipients'])} records, {len(data['templates'])} templates",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
