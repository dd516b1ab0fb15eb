"""Mail-merge: appeal's merge of 100,000 supporter rows against a hand-written baseline.

The baseline builds the same kind of output with no Jinja and no checks: per row and recipient,
one ``str.format`` of the letter text and one ``urllib.parse.quote`` per link, written with the
csv module. Both write one mailto link per recipient. The figure is appeal's time over the
baseline's (target: at most 2). Peak memory is measured for a million rows in a child process
(target: under 100 MB).
"""

from __future__ import annotations

import csv
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROWS = 100_000
BIG_ROWS = 1_000_000
COUNTRIES = ["DE", "FR", "NO", "GB", "US", "AU", "CA", "SE", "IT", "ES"]


def supporters_file(folder: Path, rows: int) -> Path:
    path = folder / f"supporters-{rows}.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["name", "country", "city", "note"])
        for number in range(rows):
            country = COUNTRIES[number % len(COUNTRIES)]
            writer.writerow(
                [f"Supporter {number}", country, "Springfield", f"I care, says #{number}."]
            )
    return path


def appeal_merge(path: Path, out: Path) -> float:
    from appeal.campaign import load_campaign
    from appeal.drafts import DraftOptions
    from appeal.merge import OUTPUT_COLUMNS, RowError, merge

    campaign = load_campaign()
    started = time.perf_counter()
    with (
        path.open(encoding="utf-8", newline="") as source,
        out.open("w", encoding="utf-8", newline="") as sink,
    ):
        writer = csv.writer(sink, lineterminator="\n")
        writer.writerow(OUTPUT_COLUMNS)
        for item in merge(campaign, source, str(path), DraftOptions(), ("mailto",)):
            if not isinstance(item, RowError):
                writer.writerow(item)
    return time.perf_counter() - started


def baseline_merge(path: Path, out: Path) -> float:
    """The same output by hand: per row and recipient, one str.format of the same letter text
    and one quote per link, written with the csv module; no Jinja, no checks."""
    from appeal.campaign import load_campaign
    from appeal.countries import name_in, resolve_country
    from appeal.drafts import select_recipients
    from appeal.prerender import (
        SLOT_CITY,
        SLOT_NAME,
        SLOT_NOTE,
        Prerendered,
        country_slot,
    )

    campaign = load_campaign()
    prerendered = Prerendered(campaign, "en")
    letters: dict[str, list[tuple[str, str, str]]] = {}
    for code in COUNTRIES:
        letters[code] = []
        for record in select_recipients(campaign, code, campaign.settings.default_kinds):
            if not record.sendable_emails:
                continue
            slotted = prerendered.letter(record, 5)  # a city and a note, as in the test file
            template = (
                slotted.body.replace("{", "{{")
                .replace("}", "}}")
                .replace(SLOT_NAME, "{name}")
                .replace(SLOT_CITY, "{city}")
                .replace(SLOT_NOTE, "{note}")
                .replace(country_slot("en"), "{country}")
            )
            letters[code].append((record.id, record.sendable_emails[0].address, template))
    names = {code: name_in(resolve_country(code), "en") for code in COUNTRIES}
    started = time.perf_counter()
    with (
        path.open(encoding="utf-8", newline="") as source,
        out.open("w", encoding="utf-8", newline="") as sink,
    ):
        writer = csv.writer(sink, lineterminator="\n")
        for row in csv.DictReader(source):
            for record_id, address, template in letters[row["country"]]:
                body = template.format(
                    name=row["name"],
                    city=row["city"],
                    note=row["note"],
                    country=names[row["country"]],
                )
                link = f"mailto:{address}?body={quote(body, safe='')}"
                writer.writerow([row["name"], record_id, link])
    return time.perf_counter() - started


def peak_memory_mb(path: Path, out: Path) -> float:
    code = (
        "import sys\n"
        "from benchmarks.mailmerge import appeal_merge\n"
        "from pathlib import Path\n"
        "appeal_merge(Path(sys.argv[1]), Path(sys.argv[2]))\n"
    )
    root = Path(__file__).resolve().parent.parent
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([sys.executable, "-c", code, str(path), str(out)], check=True, cwd=root)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(before, after) / 1024  # ru_maxrss is in KiB on Linux


def main(big: bool = True) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="appeal-bench-") as folder:
        root = Path(folder)
        path = supporters_file(root, ROWS)
        ours = appeal_merge(path, root / "ours.csv")
        theirs = baseline_merge(path, root / "theirs.csv")
        result = {"rows": ROWS, "appeal_s": ours, "baseline_s": theirs, "ratio": ours / theirs}
        print(
            f"mail-merge: {ROWS:,} rows in {ours:.1f} s, baseline {theirs:.1f} s, ratio "
            f"{result['ratio']:.2f} (target <= 2)"
        )
        if big:
            big_path = supporters_file(root, BIG_ROWS)
            result["peak_mb_1m_rows"] = peak_memory_mb(big_path, root / "big.csv")
            peak = result["peak_mb_1m_rows"]
            print(f"mail-merge: peak memory for {BIG_ROWS:,} rows {peak:.0f} MB (target < 100)")
    return result


if __name__ == "__main__":
    main(big="--quick" not in sys.argv)
