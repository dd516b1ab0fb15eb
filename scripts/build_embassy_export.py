"""Write the embassy export the package ships, from the database-of-embassies CSV (a
maintainer's tool).

Keeps the rows whose type is a post that represents a government to its host (embassy, high
commission, de facto embassy) and the columns appeal.embassies reads, and compresses them with
gzip (with no time stamp, so that the same input gives the same bytes)::

    python scripts/build_embassy_export.py ../shared/data/database_of_embassies_2022-11-16.csv

A second argument writes the file there instead (the tests compare the two).
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from pathlib import Path

from appeal.embassies import OPTIONAL_COLUMNS, POST_TYPES, REQUIRED_COLUMNS, SHIPPED_EXPORT

#: The columns kept, in this order (the post's accreditation items too, for the names ISO lacks).
COLUMNS = (
    "operator",
    "operatorQID",
    "jurisdictions",
    "jurisdictionQIDs",
    "country",
    "countryQID",
    "city",
    "phone",
    "email",
    "website",
    "type",
    "QID",
)


def main(arguments: list[str]) -> int:
    """Filter and compress the export named in ``arguments``; say what was written."""
    if len(arguments) not in (1, 2):
        print(__doc__, file=sys.stderr)
        return 2
    assert set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS) <= set(COLUMNS)
    source = Path(arguments[0])
    with source.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle, delimiter=";") if row["type"] in POST_TYPES]
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([row[column] for column in COLUMNS] for row in rows)
    data = gzip.compress(text.getvalue().encode("utf-8"), compresslevel=9, mtime=0)
    target = Path(arguments[1]) if len(arguments) == 2 else SHIPPED_EXPORT
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(data)
    print(f"{target}: {len(rows)} posts, {len(data):,} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
