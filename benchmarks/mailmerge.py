"""Mail-merge: appeal's merge against a hand-built loop, a million rows, and awdeorio's mailmerge.

Three figures (``python benchmarks/mailmerge.py [--quick] [--runs N]``):

1. **Ratio to the hand-built loop** (goal: at most 0.5). 100,000 supporter rows, each giving two
   mailto links (the Russian embassy and the UN mission serving the supporter's country). The
   loop does what a careful programmer would write by hand with no templates and no checks: per
   row and link, one ``str.format`` of the letter text and one ``urllib.parse.quote`` of its
   subject and body, written with the csv module. appeal's merge runs in the same process
   through :func:`appeal.merge.merge`. The two must write the same links, byte for byte (checked
   here), so both do the same work; the figure is appeal's time over the loop's.
2. **A million rows** through ``appeal links --supporters`` (the command an organiser runs), two
   mailto links each, pinned to one core: wall and CPU time (goal: under 60 s) and the peak
   resident memory of the process (goal: under 100 MB).
3. **Ratio to awdeorio's ``mailmerge --dry-run``** (PyPI's ``mailmerge``, installed into
   ``build/bench/mailmerge-venv``, never a dependency of the project) on the same 5,000 rows and
   the same letter, one message per row (``appeal links --to embassy --via mailto``), both run
   as commands.

Each timing is taken ``--runs`` times (default 3), alternating; the script prints every run and
the median, since the machine may be shared. In-process timings are CPU time
(``time.process_time``); commands get both wall time and their CPU time (user + system, from
``os.wait4``), since on a shared core the wall time mostly measures the other processes.
"""

from __future__ import annotations

import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROWS = 100_000
BIG_ROWS = 1_000_000
MAILMERGE_ROWS = 5_000
MAILMERGE_VERSION = "2.3.0"
COUNTRIES = ["DE", "FR", "NO", "GB", "US", "AU", "CA", "SE", "IT", "ES"]
REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO / "build" / "bench"


def supporters_file(folder: Path, rows: int) -> Path:
    """A supporters CSV: names, ten countries, a city and a short note of one's own."""
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
    """appeal's merge in this process, mailto links only; returns seconds."""
    from appeal.campaign import load_campaign
    from appeal.drafts import DraftOptions
    from appeal.merge import OUTPUT_COLUMNS, RowError, RowWriter, merge

    campaign = load_campaign()
    started = time.process_time()
    with (
        path.open(encoding="utf-8", newline="") as source,
        out.open("w", encoding="utf-8", newline="") as sink,
    ):
        writer = RowWriter(sink)  # as `appeal links --supporters` writes
        writer.writerow(OUTPUT_COLUMNS)
        for item in merge(campaign, source, str(path), DraftOptions(), ("mailto",)):
            if isinstance(item, RowError):
                raise SystemExit(item.message)
            writer.writerow(item)
    return time.process_time() - started


def _letter_formats() -> dict[str, list[tuple[str, str, str, str]]]:
    """Per country: (record id, address, subject, body as a str.format pattern) for each
    recipient that takes e-mail, taken from appeal's own letters (made before timing starts)."""
    from appeal.campaign import load_campaign
    from appeal.countries import name_in, resolve_country
    from appeal.drafts import build_drafts
    from appeal.sender import make_sender

    campaign = load_campaign()
    letters: dict[str, list[tuple[str, str, str, str]]] = {}
    for code in COUNTRIES:
        country = resolve_country(code)
        sender = make_sender("NAME", country, city="CITY", note="NOTE")
        letters[code] = []
        for draft in build_drafts(campaign, sender).drafts:
            if not draft.to:
                continue
            body = (
                draft.body.replace("{", "{{")
                .replace("}", "}}")
                .replace("NAME", "{name}")
                .replace("CITY", "{city}")
                .replace("NOTE", "{note}")
                .replace(name_in(country, "en"), "{country}")
            )
            letters[code].append((draft.recipient.id, draft.to[0], draft.subject, body))
    return letters


def baseline_merge(path: Path, out: Path) -> float:
    """The same links by hand: per row and link, one str.format of the letter and one quote of
    its subject and body, written with the csv module; no Jinja, no checks. Returns seconds."""
    from appeal.countries import name_in, resolve_country

    letters = _letter_formats()
    names = {code: name_in(resolve_country(code), "en") for code in COUNTRIES}
    started = time.process_time()
    with (
        path.open(encoding="utf-8", newline="") as source,
        out.open("w", encoding="utf-8", newline="") as sink,
    ):
        writer = csv.writer(sink, lineterminator="\n")
        for line, row in enumerate(csv.DictReader(source), start=2):
            country = row["country"]
            for record_id, address, subject, template in letters[country]:
                body = template.format(
                    name=row["name"], city=row["city"], note=row["note"], country=names[country]
                ).replace("\n", "\r\n")
                link = (
                    f"mailto:{quote(address, safe='@')}?subject={quote(subject, safe='')}"
                    f"&body={quote(body, safe='')}"
                )
                writer.writerow([line, row["name"], country, record_id, link])
    return time.process_time() - started


def _same_links(ours: Path, theirs: Path) -> int:
    """Check that both files hold the same links in the same order; returns their number."""
    with (
        ours.open(encoding="utf-8", newline="") as a,
        theirs.open(encoding="utf-8", newline="") as b,
    ):
        mine = csv.DictReader(a)
        count = 0
        for mine_row, their_row in zip(mine, csv.reader(b), strict=True):
            if mine_row["link"] != their_row[4] or mine_row["recipient"] != their_row[3]:
                raise SystemExit(f"links differ at output row {count + 2}")
            count += 1
    return count


def _run_measured(command: list[str], stdout: Any, one_core: bool) -> dict[str, float]:
    """Run a command; its wall time, CPU time (user + system) and peak resident memory."""

    def pin() -> None:
        if one_core and hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=stdout, stderr=subprocess.DEVNULL, preexec_fn=pin, cwd=REPO
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} exited with {process.returncode}")
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,  # KiB on Linux
    }


def _appeal_command() -> list[str]:
    return [sys.executable, "-m", "appeal"]


def million_rows(folder: Path, runs: int) -> list[dict[str, float]]:
    """``appeal links --supporters`` on a million rows, two mailto links each, on one core."""
    path = supporters_file(folder, BIG_ROWS)
    results = []
    for _ in range(runs):
        out = folder / "big-links.csv"
        command = [*_appeal_command(), "links", "--supporters", str(path), "--via", "mailto"]
        result = _run_measured([*command, "-o", str(out), "--force"], None, one_core=True)
        with out.open("rb") as stream:
            result["links"] = sum(1 for _ in stream) - 1
        out.unlink()
        results.append(result)
    path.unlink()
    return results


def mailmerge_venv() -> Path:
    """The mailmerge command in the benchmark's own venv (created and filled with pip once)."""
    venv = BENCH_DIR / "mailmerge-venv"
    command = venv / "bin" / "mailmerge"
    if not command.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, f"mailmerge=={MAILMERGE_VERSION}"], check=True)
    return command


def mailmerge_files(folder: Path, rows: int) -> tuple[Path, Path, Path, Path]:
    """The same rows and letter for both tools: our supporters file, and mailmerge's database
    (with each row's embassy address), template (the letter, its fields as Jinja variables)
    and server configuration (never used: --dry-run)."""
    letters = _letter_formats()
    ours = supporters_file(folder, rows)
    database = folder / "mailmerge_database.csv"
    with (
        ours.open(encoding="utf-8", newline="") as source,
        database.open("w", encoding="utf-8", newline="") as sink,
    ):
        writer = csv.writer(sink)
        writer.writerow(["email", "name", "country", "city", "note"])
        for row in csv.DictReader(source):
            record = letters[row["country"]][0]  # the embassy comes first
            writer.writerow([record[1], row["name"], row["country"], row["city"], row["note"]])
    # The letter text is the same for every country but the country's name; mailmerge's
    # template names it from the database, as it does the rest.
    from appeal.countries import name_in, resolve_country

    _, _, subject, body = letters["DE"][0]
    jinja_body = body.format(
        name="{{name}}",
        city="{{city}}",
        note="{{note}}",
        country="{{country_name}}",
    )
    template = folder / "mailmerge_template.txt"
    template.write_text(
        "TO: {{email}}\nSUBJECT: "
        + subject
        + "\nFROM: organiser@example.org\n\n"
        + jinja_body.replace("\r\n", "\n")
        + "\n",
        encoding="utf-8",
    )
    # mailmerge's database gets the country's name instead of its code.
    names = {code: name_in(resolve_country(code), "en") for code in COUNTRIES}
    rows_out = list(csv.reader(database.open(encoding="utf-8", newline="")))
    with database.open("w", encoding="utf-8", newline="") as sink:
        writer = csv.writer(sink)
        writer.writerow([*rows_out[0], "country_name"])
        for row in rows_out[1:]:
            writer.writerow([*row, names[row[2]]])
    config = folder / "mailmerge_server.conf"
    config.write_text(
        "[smtp_server]\nhost = localhost\nport = 25\nsecurity = Never\n"
        "username = nobody\nratelimit = 0\n",
        encoding="utf-8",
    )
    return ours, database, template, config


def against_mailmerge(folder: Path, runs: int) -> list[dict[str, float]]:
    """appeal and mailmerge --dry-run on the same rows, one message per row, alternating."""
    command = mailmerge_venv()
    ours, database, template, config = mailmerge_files(folder, MAILMERGE_ROWS)
    theirs_cmd = [
        str(command),
        "--dry-run",
        "--no-limit",
        "--output-format",
        "raw",
        "--template",
        str(template),
        "--database",
        str(database),
        "--config",
        str(config),
    ]
    out = folder / "mm-links.csv"
    ours_cmd = [*_appeal_command(), "links", "--supporters", str(ours), "--to", "embassy"]
    ours_cmd += ["--via", "mailto", "-o", str(out), "--force"]
    results = []
    for _ in range(runs):
        with open(os.devnull, "w") as sink:
            theirs = _run_measured(theirs_cmd, sink, one_core=True)
        mine = _run_measured(ours_cmd, None, one_core=True)
        results.append(
            {
                "appeal_s": mine["wall_s"],
                "mailmerge_s": theirs["wall_s"],
                "appeal_cpu_s": mine["cpu_s"],
                "mailmerge_cpu_s": theirs["cpu_s"],
                "ratio": mine["wall_s"] / theirs["wall_s"],
                "cpu_ratio": mine["cpu_s"] / theirs["cpu_s"],
            }
        )
    return results


def _spread(values: list[float], digits: int = 2) -> str:
    shown = ", ".join(f"{value:.{digits}f}" for value in values)
    return f"median {statistics.median(values):.{digits}f} (runs: {shown})"


def main(big: bool = True, runs: int = 3, compare: bool = True) -> dict[str, Any]:
    """Run the benchmark and print each figure; returns them."""
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="appeal-bench-") as name:
        folder = Path(name)
        path = supporters_file(folder, ROWS)
        ratios, ours_s, theirs_s = [], [], []
        for _ in range(runs):
            ours = appeal_merge(path, folder / "ours.csv")
            theirs = baseline_merge(path, folder / "theirs.csv")
            links = _same_links(folder / "ours.csv", folder / "theirs.csv")
            ours_s.append(ours)
            theirs_s.append(theirs)
            ratios.append(ours / theirs)
        result["hand_loop"] = {"rows": ROWS, "links": links, "appeal_s": ours_s, "loop_s": theirs_s}
        print(f"mail-merge: {ROWS:,} rows, {links:,} mailto links, the same in both")
        print(f"  appeal {_spread(ours_s, 1)} s; hand-built loop {_spread(theirs_s, 1)} s")
        print(f"  ratio {_spread(ratios)} (goal <= 0.5)")
        if big:
            million = million_rows(folder, runs)
            result["million"] = million
            print(f"mail-merge: {BIG_ROWS:,} rows, {million[0]['links']:,} mailto links, one core")
            print(f"  wall {_spread([r['wall_s'] for r in million], 1)} s (goal < 60)")
            print(f"  cpu {_spread([r['cpu_s'] for r in million], 1)} s")
            print(f"  peak memory {_spread([r['peak_mb'] for r in million], 0)} MB (goal < 100)")
        if compare:
            against = against_mailmerge(folder, runs)
            result["mailmerge"] = against
            print(f"mail-merge: {MAILMERGE_ROWS:,} rows against mailmerge {MAILMERGE_VERSION}")
            for what in ("", "cpu_"):
                label = "cpu" if what else "wall"
                print(f"  appeal {label} {_spread([r[f'appeal_{what}s'] for r in against])} s")
                theirs = _spread([r[f"mailmerge_{what}s"] for r in against])
                print(f"  mailmerge --dry-run {label} {theirs} s")
                print(f"  ratio of {label} times {_spread([r[f'{what}ratio'] for r in against])}")
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    arguments = sys.argv[1:]
    count = int(arguments[arguments.index("--runs") + 1]) if "--runs" in arguments else 3
    main(big="--quick" not in arguments, runs=count, compare="--no-mailmerge" not in arguments)
