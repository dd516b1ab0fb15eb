"""The ``appeal`` command line: parse options, call the library, print. Nothing else lives here.

Every AppealError is turned into ``Error: …`` lines on stderr with exit code 1 in one place
(:class:`_AppealGroup`); usage errors keep click's exit code 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from appeal.errors import AppealError, DataError, OutputError
from appeal.records import KINDS

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _ErrorLines(click.ClickException):
    """Shows each problem of an AppealError as its own ``Error:`` line."""

    exit_code = 1

    def __init__(self, error: AppealError) -> None:
        super().__init__(str(error))
        self.problems = error.problems

    def show(self, file: Any = None) -> None:
        for problem in self.problems:
            click.echo(f"Error: {problem}", err=True)


class _AppealGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AppealError as error:
            raise _ErrorLines(error) from None


_max_age_option = click.option(
    "--max-age",
    "max_age_days",
    type=click.IntRange(1),
    default=3 * 365,
    show_default=True,
    help="Flag records last seen more than this many days ago (default: 3 years).",
)


@click.group(cls=_AppealGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="appeal", prog_name="appeal")
@click.option(
    "--campaign",
    "campaign_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="APPEAL_CAMPAIGN",
    help="Campaign folder to use instead of the embedded default (env: APPEAL_CAMPAIGN).",
)
@click.pass_context
def cli(ctx: click.Context, campaign_dir: Path | None) -> None:
    """Draft letters of appeal to the officials who can act, ready for you to send yourself.

    appeal works offline: it never sends anything, makes no network connection and saves nothing
    unless you ask it to write files.
    """
    ctx.obj = campaign_dir


def _campaign(ctx: click.Context) -> Any:
    from appeal.campaign import load_campaign

    return load_campaign(ctx.find_root().obj)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option("--country", "-c", required=True, help="Your country: code or name (DE, Germany).")
@click.option("--name", "-n", required=True, help="Your name, as you sign letters.")
@click.option("--city", help="Your town or city, shown under your signature.")
@click.option("--email", help="Your e-mail address (optional; for the sender block).")
@click.option("--note", help="A few sentences of your own, placed in the letter.")
@click.option(
    "--to",
    "kinds",
    multiple=True,
    type=click.Choice(KINDS),
    help="Recipient kind; repeat for several. Default: embassy, un_mission, prosecutor.",
)
@click.option(
    "--lang", "language", default="en", show_default=True, help="Language of the letters."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help="Write one file per draft into this folder instead of printing.",
)
@click.option("--force", is_flag=True, help="With --out: replace files that already exist.")
@click.option(
    "--mailto-budget",
    type=click.IntRange(200, 100_000),
    default=2000,
    show_default=True,
    help="Longest mailto: link to offer; 2,000 suits Windows mail handlers.",
)
@_max_age_option
@click.pass_context
def draft(
    ctx: click.Context,
    country: str,
    name: str,
    city: str | None,
    email: str | None,
    note: str | None,
    kinds: tuple[str, ...],
    language: str,
    fmt: str,
    out_dir: Path | None,
    force: bool,
    mailto_budget: int,
    max_age_days: int,
) -> None:
    """Draft a letter to each recipient that serves your country.

    Prints, for each recipient, how to send the letter, its subject, the full text and a mailto:
    link where the recipient has an e-mail address.
    """
    from appeal.countries import resolve_country
    from appeal.drafts import DraftOptions, build_drafts
    from appeal.output import (
        draft_files,
        format_json,
        format_text,
        stderr_notes,
        write_files,
    )
    from appeal.sender import make_sender

    sender = make_sender(name, resolve_country(country), city=city, email=email, note=note)
    campaign = _campaign(ctx)
    options = DraftOptions(
        kinds=tuple(kinds) or None,  # type: ignore[arg-type]  # click.Choice checked them
        language=language,
        mailto_budget=mailto_budget,
        max_age_days=max_age_days,
    )
    draft_set = build_drafts(campaign, sender, options)
    if out_dir is not None:
        written = write_files(out_dir, draft_files(draft_set, fmt), force=force)
        for line in stderr_notes(draft_set):
            click.echo(line, err=True)
        click.echo(f"Wrote {len(written)} draft file(s) to {out_dir}. Nothing has been sent.")
        return
    if fmt == "json":
        for line in stderr_notes(draft_set):
            click.echo(line, err=True)
        click.echo(format_json(draft_set), nl=False)
    else:
        click.echo(format_text(draft_set), nl=False)


@cli.group(cls=_AppealGroup, context_settings=CONTEXT_SETTINGS)
def recipients() -> None:
    """Show and check the recipient records."""


@recipients.command("list", context_settings=CONTEXT_SETTINGS)
@click.option("--country", "-c", help="Only records that serve this country (code or name).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only this kind.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def recipients_list(
    ctx: click.Context, country: str | None, kinds: tuple[str, ...], fmt: str
) -> None:
    """List recipient records, with where and when each was last seen."""
    from appeal.countries import resolve_country
    from appeal.overview import recipient_rows

    code = resolve_country(country).alpha2 if country else None
    rows = recipient_rows(_campaign(ctx), code, kinds)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        serves = row["country"] or "all"
        email = ", ".join(row["email"]) or "-"
        click.echo(
            f"{row['id']:<28} {row['kind']:<24} {serves:<4} seen {row['last_seen']:<10} "
            f"{row['confidence']:<6} {email}"
        )
    click.echo(f"{len(rows)} record(s)", err=True)


@recipients.command("check", context_settings=CONTEXT_SETTINGS)
@_max_age_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def recipients_check(ctx: click.Context, max_age_days: int, fmt: str) -> None:
    """Validate the recipient records and report what needs a maintainer's attention.

    Exits 1 if the file is invalid (every error is listed), 0 otherwise, even with warnings:
    stale or undated records, low-confidence sources, no usable channel, free-mail addresses,
    missing forms of address in a supported language.
    """
    from appeal.check import check_records

    report = check_records(_campaign(ctx), max_age_days)
    if fmt == "json":
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return
    for finding in report.findings:
        click.echo(f"{finding.record}: {finding.code}: {finding.message}")
    figures = report.figures
    confidence = ", ".join(f"{k} {v}" for k, v in figures["records_per_confidence"].items())
    click.echo(
        f"{figures['records']} records valid ({confidence}); "
        f"embassy letter for {figures['countries_with_embassy_letter']} countries, "
        f"{figures['countries_with_embassy_email']} of them by e-mail; "
        f"UN letter for {figures['countries_with_un_letter']}; "
        f"{len(report.findings)} warnings"
    )


def _import_options(function: Any) -> Any:
    """The options every importer takes: the file to update, the date, --dry-run."""
    function = click.option(
        "--dry-run", is_flag=True, help="Print the changes without writing them."
    )(function)
    function = click.option(
        "--seen",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="Date the file was downloaded (default: today); recorded as when values were seen.",
    )(function)
    return click.option(
        "--recipients",
        "target",
        type=click.Path(dir_okay=False, path_type=Path),
        help="File to update. Default: the campaign folder's, else ./recipients.yaml.",
    )(function)


def _run_import(
    ctx: click.Context, importer: Any, source: Path, target: Path | None, seen: Any, dry_run: bool
) -> None:
    import datetime as dt

    from appeal.output import write_text_atomic

    campaign_dir = ctx.find_root().obj
    target = target or (campaign_dir or Path(".")) / "recipients.yaml"
    if not target.is_file():
        raise DataError(f"{target}: not found; name the file with --recipients")
    day = seen.date() if seen else dt.date.today()
    result = importer(target.read_bytes(), str(target), source.read_bytes(), str(source), day)
    for change in result.changes:
        click.echo(change)
    if dry_run:
        click.echo(f"{len(result.changes)} change(s); nothing written (--dry-run).", err=True)
        return
    try:
        write_text_atomic(target, result.text)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write ({exc.strerror or exc})") from None
    click.echo(f"{len(result.changes)} change(s) written to {target}.", err=True)


@recipients.command("import-bluebook", context_settings=CONTEXT_SETTINGS)
@click.argument("bluebook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_import_options
@click.pass_context
def recipients_import_bluebook(
    ctx: click.Context, bluebook: Path, target: Path | None, seen: Any, dry_run: bool
) -> None:
    """Update UN mission records from the UN Protocol's Blue Book JSON file.

    BLUEBOOK is the Blue Book's data.json as downloaded. Missions are matched to countries by
    name; each record gets the mission's address, e-mail, phone, website and language of
    correspondence, and the active head of mission (Permanent Representative or Observer, else
    the Chargé d'affaires a.i.) with the date as "as of". Diplomats' personal phone numbers and
    e-mail addresses are not kept. Hand-written fields (names, forms of address, notes) stay.
    """
    from appeal.importers import import_bluebook

    _run_import(ctx, import_bluebook, bluebook, target, seen, dry_run)


@recipients.command("import-embassies", context_settings=CONTEXT_SETTINGS)
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_import_options
@click.pass_context
def recipients_import_embassies(
    ctx: click.Context, export: Path, target: Path | None, seen: Any, dry_run: bool
) -> None:
    """Update Russian embassy records from a Wikidata CSV export of embassies.

    EXPORT is a CSV (';' or ',' separated) with a header row and at least the columns operator
    (the sending state, e.g. Russia), country (the host, by name), type (embassy, consulate, …),
    email (optionally with a mailto: prefix) and website, as the database-of-embassies export
    has them. Only rows with operator Russia and type embassy are read. A newer website replaces
    the old one, with a note of where and when it was seen; an e-mail address the record lacks
    is added as medium confidence with its source and date. Hosts with no record are listed,
    never invented.
    """
    from appeal.importers import import_embassies

    _run_import(ctx, import_embassies, export, target, seen, dry_run)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def countries(ctx: click.Context, fmt: str) -> None:
    """List the countries the data serves, with the recipient kinds each has."""
    from appeal.overview import country_rows

    rows = country_rows(_campaign(ctx))
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        kinds = ", ".join(
            f"{k['kind']} (seen {k['last_seen']}" + (f", via {k['via']})" if k["via"] else ")")
            for k in row["kinds"]
        )
        click.echo(f"{row['code']}  {row['name']:<34} {kinds}")
    click.echo(
        f"{len(rows)} countries; federal bodies and companies serve every country.", err=True
    )


def main(prog_name: str | None = None) -> None:
    """Entry point of the ``appeal`` console script."""
    cli(prog_name=prog_name or "appeal")
