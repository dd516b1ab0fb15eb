"""The ``appeal`` command line: parse options, call the library, print. Nothing else lives here.

Every AppealError is turned into ``Error: …`` lines on stderr with exit code 1 in one place
(:class:`_AppealGroup`); usage errors keep click's exit code 2.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TypeVar

import click

from appeal.actions import COPY_WHATS
from appeal.errors import AppealError, InputError, TemplateError
from appeal.links import MAIL_VIAS, MAILTO_BUDGET, SHEET_VIAS, WEBMAIL_BUDGET
from appeal.writing import FILE_FORMATS

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, WriteableBuffer
    from click.decorators import FC
    from click.shell_completion import CompletionItem

    from appeal.actions import Importer
    from appeal.campaign import Campaign
    from appeal.check import Finding
    from appeal.cli_guided import Answers
    from appeal.drafts import Draft, DraftOptions, DraftSet
    from appeal.sender import Sender

#: A command function, as click's decorators take and return it.
F = TypeVar("F", bound=Callable[..., object])

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def complete_country(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion of --country (appeal.cli_complete, imported only when completing)."""
    from appeal import cli_complete

    return cli_complete.complete_country(ctx, param, incomplete)


def complete_kind(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion of --to and --kind: the kinds of the campaign the command line names."""
    from appeal import cli_complete

    return cli_complete.complete_kind(ctx, param, incomplete)


#: Where --no-input (given to ``appeal`` or to ``appeal draft``) is kept for the whole run.
NO_INPUT_KEY = "appeal.no_input"


def _remember_no_input(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta[NO_INPUT_KEY] = True
    return value


no_input_option = click.option(
    "--no-input",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    envvar="APPEAL_NO_INPUT",
    callback=_remember_no_input,
    help="Never ask questions: a missing option is an error, as when not on a terminal or in CI "
    "(env: APPEAL_NO_INPUT=1).",
)


#: The option that gives each field the library's errors name (see errors.FIELDS).
FIELD_OPTIONS = {
    "name": "--name",
    "country": "--country",
    "city": "--city",
    "email": "--email",
    "note": "--note",
    "note_file": "--note-file",
    "edited_note": "--edit",
    "address": "--address",
    "language": "--lang",
    "kinds": "--to",
    "recipient": "--recipient",
    "format": "--format",
    "output": "--out",
    "recipients": "--recipients",
    "campaign": "--campaign",
    "copy": "--copy",
}
#: What to do about an error, by its code, where the remedy is an option of the command line.
REMEDIES = {
    "exists": "use --force to replace it",
    "exist": "use --force to replace them",
    "recipients-not-found": "name the file with --recipients",
    "not-one-draft": "pick one with --recipient ID or --to",
}


def error_lines(error: AppealError) -> tuple[str, ...]:
    """The lines (without ``Error:``) that show ``error`` on the command line: each problem
    after the option of its field, with the remedy for its code."""
    label = FIELD_OPTIONS.get(error.field or "")
    remedy = REMEDIES.get(error.code or "")
    lines = error.lines(label)
    return lines if remedy is None else tuple(f"{line}; {remedy}" for line in lines)


class _ErrorLines(click.ClickException):
    """Shows each problem of an AppealError as its own ``Error:`` line."""

    exit_code = 1

    def __init__(self, error: AppealError) -> None:
        self.problems = error_lines(error)
        super().__init__("\n".join(self.problems))

    def show(self, file: object = None) -> None:
        for problem in self.problems:
            click.echo(f"Error: {problem}", err=True)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, turned into an exception so that cleanup runs as for Ctrl-C."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


#: errno values of a write to standard output that cannot go on (closed pipe, full disk, …).
_STDOUT_ERRNOS = frozenset({"EPIPE", "ENOSPC", "EDQUOT", "EFBIG", "EIO", "EBADF", "EINVAL"})


class _AppealGroup(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        from appeal.limits import RENDER_CLOCK

        if ctx.parent is None:
            RENDER_CLOCK.start()  # templates get MAX_COMMAND_RENDER_SECONDS for this command
        try:
            return super().invoke(ctx)
        except AppealError as error:
            raise _ErrorLines(error) from None
        except KeyboardInterrupt as interrupt:
            what = "stopped by SIGTERM" if isinstance(interrupt, _Terminated) else "interrupted"
            click.echo(f"Error: {what}; no file was left half-written", err=True)
            ctx.exit(143 if isinstance(interrupt, _Terminated) else 130)
        except UnicodeEncodeError as exc:
            if "\ud800" <= exc.object[exc.start] <= "\udfff":
                raise  # a bug: text that was never checked; say so with the traceback
            raise _ErrorLines(
                AppealError(
                    f"standard output: its encoding ({exc.encoding}) cannot write "
                    f"{exc.object[exc.start]!r}; set PYTHONIOENCODING=utf-8 or a UTF-8 locale"
                )
            ) from None
        except OSError as exc:
            import errno

            if (
                exc.filename is not None
                or errno.errorcode.get(exc.errno or 0) not in _STDOUT_ERRNOS
            ):
                raise
            _silence_stdout()
            raise _ErrorLines(
                AppealError(f"standard output: cannot write ({exc.strerror or exc})")
            ) from None
        finally:
            if ctx.parent is None:
                RENDER_CLOCK.stop()


def _silence_stdout() -> None:
    """Point standard output at the null device, so that Python's final flush of what is left
    in its buffer cannot fail a second time (with a traceback) as the program ends."""
    import os
    import sys

    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


_lang_option = click.option(
    "--lang",
    "language",
    help="Letter language: en, ru, de, fr or es (default: your locale's, else en). Without "
    "--lang, kinds the campaign writes in another language (letters.languages in campaign.yaml) "
    "get that language with yours after it. 'de+ru' adds a Russian version below the German one "
    "for recipients that correspond in Russian; 'ru+de' puts Russian first.",
)


def _budget_options(function: F) -> F:
    """--mailto-budget and --webmail-budget, shared by every command that builds links."""
    function = click.option(
        "--webmail-budget",
        type=click.IntRange(200, 100_000),
        default=WEBMAIL_BUDGET,
        show_default=True,
        help="Longest webmail compose link to offer (Gmail fails from about 6,400).",
    )(function)
    return click.option(
        "--mailto-budget",
        type=click.IntRange(200, 100_000),
        default=MAILTO_BUDGET,
        show_default=True,
        help="Longest mailto: link to offer; 2,000 suits Windows mail handlers.",
    )(function)


_text_or_json_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)


_max_age_option = click.option(
    "--max-age",
    "max_age_days",
    type=click.IntRange(1),
    default=3 * 365,
    show_default=True,
    help="Flag records last seen more than this many days ago (1095 days: 3 years).",
)


@click.group(cls=_AppealGroup, context_settings=CONTEXT_SETTINGS, invoke_without_command=True)
@click.version_option(package_name="appeal", prog_name="appeal")
@no_input_option
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
    unless you ask it to write files. On a terminal, 'appeal' alone asks a few questions and
    walks you through your first letter.
    """
    ctx.obj = campaign_dir
    if ctx.invoked_subcommand is None:  # plain `appeal`: the guided mode, on a terminal only
        from appeal.cli_guided import may_ask

        if not may_ask(ctx):
            raise click.exceptions.NoArgsIsHelpError(ctx)
        ctx.invoke(draft)


def _kinds_option(name: str, help_text: str) -> Callable[[FC], FC]:
    """A repeatable option naming recipient kinds: the campaign declares them, so they are
    checked once it is loaded (:func:`_checked_kinds`); the shell completes the campaign's."""
    return click.option(
        name, "kinds", multiple=True, metavar="KIND", shell_complete=complete_kind, help=help_text
    )


def _checked_kinds(
    campaign: Campaign, kinds: tuple[str, ...], option: str = "--to"
) -> tuple[str, ...]:
    """The kinds given with ``option``, each one of the campaign's, else a usage error (exit 2)
    that names the campaign's kinds."""
    try:
        return campaign.settings.check_kinds(kinds)
    except InputError as error:
        raise click.BadParameter(error.problems[0], param_hint=f"'{option}'") from None


def _campaign_dir(ctx: click.Context) -> Path | None:
    """The --campaign folder given to ``appeal`` (kept as the root context's object)."""
    folder = ctx.find_root().obj
    return folder if isinstance(folder, Path) else None


def _campaign(ctx: click.Context, strict: bool = False) -> Campaign:
    from appeal.campaign import load_campaign

    return load_campaign(_campaign_dir(ctx), strict=strict)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option(
    "--country",
    "-c",
    shell_complete=complete_country,
    help="Your country: code or name (DE, Germany). Asked for on a terminal if left out.",
)
@click.option("--name", "-n", help="Your name, as you sign letters. Asked for on a terminal too.")
@click.option("--city", help="Your town or city, shown under your signature.")
@click.option("--email", help="Your e-mail address (optional; the From: of .eml drafts).")
@click.option(
    "--address",
    multiple=True,
    help="Your postal address for a reply (street, postcode and city; your country comes from "
    "--country): repeat the option for each line, or part the lines with \\n. Printed above "
    "your letter; some offices answer only a letter that gives one.",
)
@click.option("--note", help="A few sentences of your own, placed in the letter.")
@click.option(
    "--note-file",
    type=click.File("rb"),
    help="Read your own sentences from this file ('-' for standard input).",
)
@click.option(
    "--edit", is_flag=True, help="Write your own sentences in your editor, with a few prompts."
)
@_kinds_option(
    "--to",
    "Recipient kind, one of those campaign.yaml declares (the shell completes them); "
    "repeatable (default: the kinds it marks 'default: true').",
)
@click.option(
    "--recipient", "recipient_ids", multiple=True, help="Only this record id; repeatable."
)
@_lang_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", *FILE_FORMATS]),
    default="text",
    show_default=True,
    help="text or json on screen; with --out also eml (one draft per e-mail recipient), "
    "mbox (all e-mail drafts in one archive) or html (a printable postal letter per recipient).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help="Write one file per draft into this folder instead of printing.",
)
@click.option("--force", is_flag=True, help="With --out: replace files that already exist.")
@click.option(
    "--via",
    "vias",
    multiple=True,
    type=click.Choice(MAIL_VIAS),
    help="Mail links to show in text output; repeatable (default: mailto). JSON always has them "
    "all.",
)
@click.option(
    "--html-alternative", is_flag=True, help="With eml/mbox: add an HTML version of the body."
)
@_budget_options
@_max_age_option
@click.option(
    "--copy",
    "copy_what",
    is_flag=False,
    flag_value="body",
    type=click.Choice(COPY_WHATS),
    help="Copy one draft's body (or, with --copy=message, To/Subject/body) to the clipboard.",
)
@click.option("--osc52", is_flag=True, help="With --copy: fall back to the terminal's OSC 52.")
@click.option(
    "--open",
    "open_via",
    is_flag=False,
    flag_value="mailto",
    type=click.Choice(MAIL_VIAS),
    help="Open each draft's link (the one named, or mailto) in your mail program or browser, "
    "in turn.",
)
@no_input_option
@click.pass_context
def draft(
    ctx: click.Context,
    country: str | None,
    name: str | None,
    city: str | None,
    email: str | None,
    address: tuple[str, ...],
    note: str | None,
    note_file: BinaryIO | None,
    edit: bool,
    kinds: tuple[str, ...],
    recipient_ids: tuple[str, ...],
    language: str | None,
    fmt: str,
    out_dir: Path | None,
    force: bool,
    vias: tuple[str, ...],
    html_alternative: bool,
    mailto_budget: int,
    webmail_budget: int,
    max_age_days: int,
    copy_what: str | None,
    osc52: bool,
    open_via: str | None,
) -> None:
    """Draft a letter to each recipient that serves your country.

    Prints, for each recipient, how to send the letter, its subject, the full text and its
    links: a mailto: link and webmail compose links where the recipient has an e-mail address,
    the online form to paste it into, a link for a short public post where the record lists an
    account. Nothing is sent: you read the letter and press Send yourself.

    .eml drafts open as editable drafts in Outlook for Windows and Thunderbird; Apple Mail opens
    them read-only (use Message > Send Again).

    Without --country or --name, on a terminal, it asks for what is missing, one question at a
    time, and ends with the command line that does the same (see --no-input).
    """
    from appeal.actions import note_prompts_for
    from appeal.countries import resolve_country
    from appeal.drafts import DraftOptions, build_drafts
    from appeal.presentation import DEFAULT_VIAS, format_json, format_text, stderr_notes
    from appeal.sender import make_sender
    from appeal.writing import draft_files, write_drafts

    if fmt in FILE_FORMATS and out_dir is None:
        raise click.UsageError(f"--format {fmt} writes files: give --out DIR")
    answers = None
    if country is None or name is None:  # the guided mode asks for them (or exits 2)
        answers = _guided_answers(ctx)
        country, name, city, kinds, note, language = answers[:6]
    assert country is not None and name is not None  # given, or the guided mode asked
    campaign = _campaign(ctx)
    kinds = _checked_kinds(campaign, tuple(kinds))
    letter_language = _language(language)
    prompts = note_prompts_for(campaign.settings, letter_language) if edit else None
    note = _personal_note(note, note_file, prompts)
    sender = make_sender(
        name, resolve_country(country), city=city, email=email, note=note, address=address
    )
    today = dt.date.today()
    options = DraftOptions(
        kinds=kinds or None,
        language=letter_language,
        mailto_budget=mailto_budget,
        webmail_budget=webmail_budget,
        max_age_days=max_age_days,
        today=today,
        recipient_ids=recipient_ids,
        language_explicit=language is not None,
    )
    draft_set = build_drafts(campaign, sender, options)
    if answers is not None and _guided_send(ctx, campaign, sender, draft_set, answers, today):
        return
    shown_vias = vias or DEFAULT_VIAS
    if copy_what or open_via:
        for line in stderr_notes(draft_set):  # the safety notes come first here too
            click.echo(line, err=True)
        _copy_or_open(draft_set.drafts, copy_what, osc52, open_via)
        return
    if out_dir is not None:
        files = draft_files(
            campaign, sender, draft_set, fmt, shown_vias, html_alternative, today, _note
        )
        written = write_drafts(out_dir, draft_set, files, force=force)
        for line in stderr_notes(draft_set):
            click.echo(line, err=True)
        click.echo(f"Wrote {len(written)} file(s) to {out_dir}. Nothing has been sent.")
        return
    if fmt == "json":
        for line in stderr_notes(draft_set):
            click.echo(line, err=True)
        click.echo(format_json(draft_set), nl=False)
    else:
        click.echo(format_text(draft_set, shown_vias, FIELD_OPTIONS), nl=False)


def _note(text: str) -> None:
    click.echo(f"Note: {text}", err=True)


# --- Guided mode (appeal.cli_guided): the draft command's hooks --------------------------------


def _guided_answers(ctx: click.Context) -> Answers:
    """Ask, on a terminal, for what `appeal draft` was not given; else the usual usage error."""
    from appeal import cli_guided
    from appeal.actions import note_prompts_for

    if not cli_guided.may_ask(ctx):
        missing = "country" if ctx.params["country"] is None else "name"
        raise cli_guided.missing_option(ctx, missing)
    given = dict(ctx.params)
    given["note_given"] = bool(given["note"] or given["note_file"] or given["edit"])
    campaign = _campaign(ctx)
    with cli_guided.stops_cleanly():
        return cli_guided.ask_missing(
            ctx,
            campaign,
            given,
            lambda: _personal_note(
                None, None, note_prompts_for(campaign.settings, _language(None))
            ),
            _language(None),
        )


def _guided_send(
    ctx: click.Context,
    campaign: Campaign,
    sender: Sender,
    draft_set: DraftSet,
    answers: Answers,
    today: dt.date,
) -> bool:
    """Show the letters and ask how to send each, unless output options were given (then only
    say what the one-line command is, and let the draft command go on); True if it did."""
    from appeal import cli_guided

    params = ctx.params
    if params["copy_what"] or params["open_via"] or params["out_dir"] or params["fmt"] != "text":
        words = cli_guided.command_words(ctx, answers.options)
        click.echo(f"Next time: {cli_guided.command_line(words)}", err=True)
        return False
    send = cli_guided.SendContext(campaign, sender, today, _copy_or_open)
    cli_guided.present_and_send(ctx, draft_set, answers, send)
    return True


# --- End of the guided mode's hooks ------------------------------------------------------------


def _personal_note(note: str | None, note_file: BinaryIO | None, prompts: str | None) -> str | None:
    """The sender's own words, from --note, --note-file or the editor with ``prompts`` (only
    one of them)."""
    given = [
        flag
        for flag, value in (("--note", note), ("--note-file", note_file), ("--edit", prompts))
        if value
    ]
    if len(given) > 1:
        raise click.UsageError(f"{' and '.join(given)}: use only one way to give your note")
    from appeal.actions import note_from_editor
    from appeal.sender import MAX_NOTE_BYTES, decode_note

    if note_file is not None:
        try:
            data = note_file.read(MAX_NOTE_BYTES + 1)
        except OSError as exc:
            raise InputError(
                f"cannot be read ({exc.strerror or exc})", field="note_file", code="unreadable"
            ) from None
        return decode_note(data, "note_file")
    if prompts:
        return note_from_editor(_edited_note(prompts))
    return note


def _edited_note(prompts: str) -> bytes:
    """The bytes the user's editor saved, starting from a file of ``prompts`` (removed after)."""
    import os
    import tempfile

    from appeal.sender import MAX_NOTE_BYTES

    handle, name = tempfile.mkstemp(prefix="appeal-note-", suffix=".txt")
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(prompts)
        click.edit(filename=name)
        try:
            with path.open("rb") as stream:
                return stream.read(MAX_NOTE_BYTES + 1)
        except OSError as exc:
            raise InputError(
                f"--edit: the editor left no note to read ({exc.strerror or exc})"
            ) from None
    finally:
        path.unlink(missing_ok=True)


def _language(choice: str | None) -> str:
    import os

    from appeal.languages import chosen_language

    return chosen_language(choice, os.environ)


def _copy_or_open(
    drafts: Sequence[Draft], copy_what: str | None, osc52: bool, open_via: str | None
) -> None:
    """--copy and --open: hand one letter to the clipboard, or links to the system, in turn."""
    import sys

    from appeal.actions import draft_to_copy, link_to_open, text_to_copy
    from appeal.clipboard import ClipboardUnavailable, copy_text

    if copy_what:
        chosen = draft_to_copy(drafts)
        text = text_to_copy(chosen, copy_what)
        try:
            how = copy_text(text, osc52, sys.stdout)
            click.echo(f"Copied the {copy_what} for {chosen.recipient.id} to the {how}.", err=True)
        except ClipboardUnavailable as exc:
            click.echo(f"Could not copy: {exc}. Here is the text to copy by hand:", err=True)
            click.echo(text)
    if open_via:
        for index, chosen in enumerate(drafts):
            found = link_to_open(chosen, open_via)
            if found is None:
                click.echo(f"{chosen.recipient.id}: nothing to open by {open_via}.", err=True)
                continue
            if index and not click.confirm(f"Open the next draft ({chosen.recipient.id})?"):
                break
            link, with_letter = found
            click.echo(f"{chosen.recipient.id}: {link}")
            click.launch(link)
            if not with_letter:
                click.echo("  (this link has no letter in it: paste the letter)", err=True)


@cli.command(
    context_settings=CONTEXT_SETTINGS,
    short_help="Write link sheets, or a mail-merge, for organisers.",
)
@click.option(
    "--country",
    "-c",
    "country_names",
    multiple=True,
    shell_complete=complete_country,
    help="A country: code or name (FR, France); repeatable.",
)
@click.option("--all", "all_countries", is_flag=True, help="Every country the data serves.")
@_kinds_option(
    "--to",
    "Recipient kind (one the campaign declares); repeatable (default: the campaign's default "
    "kinds).",
)
@click.option(
    "--via",
    "vias",
    default=",".join(SHEET_VIAS),
    help="Comma-separated ways to include: mailto, gmail, outlook, office365, yahoo, proton, "
    "form, x, bluesky (default: all of them).",
)
@_lang_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "markdown", "html"]),
    default="csv",
    show_default=True,
    help="Sheet format (a mail-merge with --supporters is always csv).",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option(
    "--supporters",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Mail-merge: a CSV of supporters (columns name, country; optional email, city, "
    "language, note) for personalised links, one output row per supporter, recipient and way.",
)
@_budget_options
@click.pass_context
def links(
    ctx: click.Context,
    country_names: tuple[str, ...],
    all_countries: bool,
    kinds: tuple[str, ...],
    vias: str,
    language: str | None,
    fmt: str,
    output: Path | None,
    force: bool,
    supporters: Path | None,
    mailto_budget: int,
    webmail_budget: int,
) -> None:
    """Write a sheet of ready links for organisers, one row per recipient and way of sending.

    Letters keep the places [Your name] and [Your city] for each supporter to fill in in their
    mail program. Links too long for their budget carry address and subject only
    (body_included false). CSV and JSON columns: country, country_name, recipient, kind, name,
    via, link, body_included, length, subject, notices (the safety notes that concern the row).

    With --supporters FILE.csv, a mail-merge instead: each supporter's own links, with their
    name, city and note in the letters. Output columns: line (where the supporter's row starts),
    name, country, recipient, kind, language, via, link, body_included, length, notices. Rows
    are streamed; a bad row is reported with its line number and the rest go on (exit 1 at the
    end if any failed).
    """
    from appeal.drafts import DraftOptions
    from appeal.files import write_built
    from appeal.sheets import render_sheet, sheet_countries, sheet_rows

    chosen_vias = [v.strip() for v in vias.split(",") if v.strip()]
    for via in chosen_vias:
        if via not in SHEET_VIAS:
            raise click.BadParameter(
                f"{via!r} is not one of {', '.join(SHEET_VIAS)}", param_hint="--via"
            )
    if supporters is not None:
        if country_names or all_countries:
            raise click.UsageError("--supporters takes each supporter's country from the file")
        campaign = _campaign(ctx)
        merge_options = DraftOptions(
            kinds=_checked_kinds(campaign, kinds) or None,
            language=_language(language),
            mailto_budget=mailto_budget,
            webmail_budget=webmail_budget,
        )
        _merge(campaign, supporters, output, force, merge_options, chosen_vias)
        return
    if bool(country_names) == all_countries:
        raise click.UsageError("give --country (one or more) or --all")
    campaign = _campaign(ctx)
    countries = sheet_countries(campaign, None if all_countries else country_names)
    options = DraftOptions(
        kinds=_checked_kinds(campaign, kinds) or None,
        language=_language(language),
        mailto_budget=mailto_budget,
        webmail_budget=webmail_budget,
        language_explicit=language is not None,
    )

    def sheet() -> str:
        rows = sheet_rows(campaign, countries, options, chosen_vias)
        return render_sheet(rows, fmt, campaign.settings.title)

    if output is None:
        click.echo(sheet(), nl=False)
        return
    write_built(output, sheet, force=force)
    click.echo(f"Wrote the sheet for {len(countries)} countries to {output}.", err=True)


def _merge(
    campaign: Campaign,
    supporters: Path,
    output: Path | None,
    force: bool,
    options: DraftOptions,
    vias: Sequence[str],
) -> None:
    """The mail-merge, with a progress bar on a terminal when it writes a file."""
    import sys

    from appeal.merge import merge_supporters

    def report(message: str) -> None:
        click.echo(f"Error: {message}", err=True)

    show_progress = output is not None and sys.stderr.isatty()
    with click.progressbar(
        length=supporters.stat().st_size,
        label="Supporters",
        file=sys.stderr,
        hidden=not show_progress,
    ) as bar:

        def progress(done: int) -> None:
            bar.update(done - bar.pos)

        written, failed = merge_supporters(
            campaign, supporters, output, sys.stdout, options, vias, report, progress, force=force
        )
    where = f" to {output}" if output else ""
    click.echo(
        f"Wrote {written:,} link row(s){where}; {failed:,} supporter row(s) failed.", err=True
    )
    if failed:
        raise click.exceptions.Exit(1)


@cli.command(
    context_settings=CONTEXT_SETTINGS,
    short_help="Write a self-contained action page for supporters.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The HTML file to write.",
)
@_lang_option
@_kinds_option(
    "--to", "Recipient kinds on the page; repeatable (default: the campaign's default kinds)."
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@click.pass_context
def page(
    ctx: click.Context, output: Path, language: str | None, kinds: tuple[str, ...], force: bool
) -> None:
    """Write a self-contained action page for supporters: pick a country, write, send.

    One HTML file with everything inline (no fonts, scripts or requests to any other host) that
    works from a file or any static host. For the same country, sender details and language, its
    letters and links are exactly those of 'appeal draft --format json'.
    """
    from appeal.files import write_built
    from appeal.languages import parse_language
    from appeal.page import build_page

    campaign = _campaign(ctx)
    primary, second = parse_language(_language(language))
    if second:
        raise InputError("--lang: the page is in one language; give e.g. --lang de")
    chosen = _checked_kinds(campaign, kinds) or campaign.settings.default_kinds
    html = write_built(output, lambda: build_page(campaign, primary, chosen), force=force)
    size = len(html.encode("utf-8"))
    click.echo(f"Wrote {output} ({size / 1024:,.0f} KB). Nothing has been sent.", err=True)


@cli.command(
    context_settings=CONTEXT_SETTINGS,
    short_help="Start a new campaign folder (or one about another government).",
)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--embassies-of",
    "government",
    metavar="CODE",
    help="Start a campaign about this government (ISO code or name: BY, Belarus) with its "
    "embassies, high commissions and de facto embassies as recipients, and starter letters.",
)
@click.option(
    "--from",
    "export",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="With --embassies-of: read this database-of-embassies CSV export instead of the one "
    "appeal ships (2022-11-16).",
)
@click.option(
    "--seen",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="With --from: the day the export was made (default: the date in its file name).",
)
def init(
    folder: Path, government: str | None, export: Path | None, seen: dt.datetime | None
) -> None:
    """Start a new campaign folder: a copy of the default campaign, or with --embassies-of a
    campaign about another government whose embassies are already filled in.

    FOLDER gets campaign.yaml, recipients.yaml, templates/ and a README for organisers; it must
    not exist yet, or be empty. Use it with --campaign FOLDER or APPEAL_CAMPAIGN=FOLDER.
    """
    if government is None:
        if export is not None or seen is not None:
            raise click.UsageError("--from and --seen go with --embassies-of")
        from appeal.campaign import init_campaign

        written = init_campaign(folder)
        click.echo(f"Wrote {len(written)} files to {folder}; it validates. Edit them, then run:")
    else:
        from appeal.starter import init_embassy_campaign

        written, imported, operator = init_embassy_campaign(
            folder,
            government,
            export,
            seen.date() if seen else None,
            ("--embassies-of", "--seen"),
        )
        for note in imported.notes:
            click.echo(note, err=True)
        count = len(imported.records)
        click.echo(
            f"Wrote {len(written)} files to {folder}: {count} posts of {operator.country.name} "
            "and starter letters; it validates. Write your letters where they say ORGANISER, "
            "fill in what the check lists, then run:"
        )
    click.echo(f"  appeal --campaign {folder} recipients check")
    click.echo(f"  appeal --campaign {folder} templates check")


@cli.group(cls=_AppealGroup, context_settings=CONTEXT_SETTINGS)
def templates() -> None:
    """Show and check the letter templates."""


@templates.command(
    "list",
    context_settings=CONTEXT_SETTINGS,
    short_help="List every template and where it comes from.",
)
@click.pass_context
def templates_list(ctx: click.Context) -> None:
    """List every template with where it comes from: the letters (language × kind), the posts,
    the printed letter and the action page. A campaign's own HTML templates are marked: appeal
    checks their output and adds its own security policy (see the README's Security section)."""
    from appeal.drafts import renderer_for
    from appeal.page import PAGE_TEMPLATE
    from appeal.printable import PRINT_TEMPLATE

    campaign = _campaign(ctx)
    renderer = renderer_for(campaign)
    for language in campaign.settings.languages:
        for kind in (*campaign.settings.kinds, "post"):
            name = renderer.template_name(language, kind)
            click.echo(f"{language}  {kind:<24} {renderer.source_of(name) or 'missing'}")
    for name in (PRINT_TEMPLATE, PAGE_TEMPLATE):
        source = renderer.source_of(name) or "missing"
        own = " (the campaign's own HTML)" if source.startswith(campaign.label + "/") else ""
        click.echo(f"--  {name:<24} {source}{own}")


@templates.command(
    "check",
    context_settings=CONTEXT_SETTINGS,
    short_help="Render every letter for every record; report failures.",
)
@click.pass_context
def templates_check(ctx: click.Context) -> None:
    """Render every kind × language for every record of that kind and report failures.

    Checks that each renders without missing values, leaves no template syntax or artefact
    ("(на)", "(e)", "[name]") behind, has a one-line subject of at most 80 characters, keeps its
    word budgets (e-mail, form, print), names no source the campaign forbids for that kind
    (letters.forbidden_sources), writes French with its no-break spaces and ’, that posts stay
    within 280 characters, and that every English, German and Spanish e-mail letter with a
    300-character personal note still fits a 2,000-character mailto: link; that no output holds
    control or invisible characters or a subject with RFC 2047 syntax; and that the printed
    letter (and a campaign's own action page) refers to nothing outside itself. Exits 1 on any
    failure.
    """
    from appeal.template_check import check_templates

    report = check_templates(_campaign(ctx))
    for failure in report.failures:
        click.echo(failure)
    summary = (
        f"{len(report.templates)} templates, {report.checked:,} renderings checked: "
        f"{len(report.failures)} failure(s)"
    )
    if report.failures:
        raise TemplateError(summary)
    click.echo(summary)


@cli.group(cls=_AppealGroup, context_settings=CONTEXT_SETTINGS)
def recipients() -> None:
    """Show and check the recipient records."""


@recipients.command(
    "list",
    context_settings=CONTEXT_SETTINGS,
    short_help="List the recipient records and how old each is.",
)
@click.option(
    "--country",
    "-c",
    shell_complete=complete_country,
    help="Only records that serve this country (code or name).",
)
@_kinds_option("--kind", "Only this kind; repeatable.")
@_text_or_json_option
@click.pass_context
def recipients_list(
    ctx: click.Context, country: str | None, kinds: tuple[str, ...], fmt: str
) -> None:
    """List recipient records, with where and when each was last seen."""
    from appeal.countries import resolve_country
    from appeal.overview import recipient_rows
    from appeal.presentation import recipient_lines

    code = resolve_country(country).alpha2 if country else None
    campaign = _campaign(ctx)
    rows = recipient_rows(campaign, code, _checked_kinds(campaign, kinds, "--kind"))
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for line in recipient_lines(rows):
        click.echo(line)
    click.echo(f"{len(rows)} record(s)", err=True)


@recipients.command(
    "check",
    context_settings=CONTEXT_SETTINGS,
    short_help="Validate the records and report what needs attention.",
)
@_max_age_option
@_text_or_json_option
@click.pass_context
def recipients_check(ctx: click.Context, max_age_days: int, fmt: str) -> None:
    """Validate the recipient records and report what needs a maintainer's attention.

    Exits 1 if the file is invalid (every error is listed) or a country is routed to a covering
    post although it has a post of that kind of its own; 0 otherwise, even with warnings:
    stale or undated records, low-confidence sources, no usable channel, free-mail addresses,
    missing forms of address in a supported language. Reports, per kind, how old the usable
    channels are and the share of countries whose best channel is younger than --max-age.
    """
    from appeal.check import check_records
    from appeal.presentation import check_lines

    campaign = _campaign(ctx, strict=True)
    report = check_records(campaign, max_age_days)
    if fmt == "json":
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        _fail_on_routing(report.errors)
        return
    for line in check_lines(report, max_age_days, campaign.settings.kind_label):
        click.echo(line)
    _fail_on_routing(report.errors)


def _fail_on_routing(errors: Sequence[Finding]) -> None:
    """Exit 1 with each routing error on stderr (they make letters go to the wrong post)."""
    from appeal.presentation import finding_error_lines

    if errors:
        for line in finding_error_lines(errors):
            click.echo(line, err=True)
        raise SystemExit(1)


def _import_options(function: F) -> F:
    """The options every importer takes: the file to update, the date, --dry-run."""
    function = click.option(
        "--dry-run", is_flag=True, help="Print the changes without writing them."
    )(function)
    function = click.option(
        "--seen",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        metavar="YYYY-MM-DD",
        help="Date the file was downloaded (default: today); recorded as when values were seen.",
    )(function)
    return click.option(
        "--recipients",
        "target",
        type=click.Path(dir_okay=False, path_type=Path),
        help="File to update (default: the campaign folder's, else ./recipients.yaml).",
    )(function)


def _run_import(
    ctx: click.Context,
    importer: Importer,
    source: Path,
    target: Path | None,
    seen: dt.datetime | None,
    dry_run: bool,
) -> None:
    from appeal.actions import recipients_file, run_import

    path = recipients_file(_campaign_dir(ctx), target)
    day = seen.date() if seen else dt.date.today()
    result = run_import(importer, source, path, day, dry_run=dry_run)
    for change in result.changes:
        click.echo(change)
    if dry_run:
        click.echo(f"{len(result.changes)} change(s); nothing written (--dry-run).", err=True)
        return
    click.echo(f"{len(result.changes)} change(s) written to {path}.", err=True)


@recipients.command(
    "import-bluebook",
    context_settings=CONTEXT_SETTINGS,
    short_help="Update UN mission records from the UN Blue Book.",
)
@click.argument("bluebook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_import_options
@click.pass_context
def recipients_import_bluebook(
    ctx: click.Context,
    bluebook: Path,
    target: Path | None,
    seen: dt.datetime | None,
    dry_run: bool,
) -> None:
    """Update UN mission records from the UN Protocol's Blue Book JSON file.

    BLUEBOOK is the Blue Book's data.json as downloaded. Missions are matched to countries by
    name; each record gets the mission's address, e-mail, phone, website and language of
    correspondence, and the active head of mission (Permanent Representative or Observer, else
    the Chargé d'affaires a.i.) with the date as "as of". Diplomats' personal phone numbers and
    e-mail addresses are not kept. Hand-written fields (names, forms of address, notes) stay.
    """
    from appeal.importers import bluebook_importer

    importer = bluebook_importer(_campaign(ctx).settings.importers)
    _run_import(ctx, importer, bluebook, target, seen, dry_run)


@recipients.command(
    "import-embassies",
    context_settings=CONTEXT_SETTINGS,
    short_help="Update embassy records from a Wikidata CSV export.",
)
@click.argument(
    "export", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--operator",
    metavar="CODE",
    help="The government whose posts are read (ISO code or name), for a campaign whose "
    "campaign.yaml names none (importers.embassies.operator); it may not name another.",
)
@click.option(
    "--add-missing", is_flag=True, help="Add a record for each post whose host has none yet."
)
@_import_options
@click.pass_context
def recipients_import_embassies(
    ctx: click.Context,
    export: Path | None,
    operator: str | None,
    add_missing: bool,
    target: Path | None,
    seen: dt.datetime | None,
    dry_run: bool,
) -> None:
    """Update embassy records from the database-of-embassies CSV export of Wikidata.

    EXPORT is the CSV (';' or ',' separated) with a header row and at least the columns
    operator (the sending state), country (the host), type, email and website, as the
    database-of-embassies export has them (jurisdictions, city, phone and QID are read too);
    without it, the export appeal ships (2022-11-16) is read. Only embassies, high commissions
    and de facto embassies of the campaign's government are read. A newer website replaces the
    old one, with a note of where and when it was seen; an e-mail address the record lacks is
    added as medium confidence with its source and date. Posts in countries with no record are
    listed, or added with --add-missing.
    """
    from appeal.embassies import prepare_import

    plan = prepare_import(
        _campaign(ctx).settings.importers,
        operator,
        export,
        seen.date() if seen else None,
        add_missing,
        ("--operator", "--seen"),
    )
    _run_import(ctx, plan.apply, plan.source, target, seen, dry_run)


@cli.command(
    context_settings=CONTEXT_SETTINGS,
    short_help="List the countries served and their recipient kinds.",
)
@_text_or_json_option
@click.pass_context
def countries(ctx: click.Context, fmt: str) -> None:
    """List the countries the data serves, with the recipient kinds each has."""
    from appeal.overview import country_rows
    from appeal.presentation import country_lines

    rows = country_rows(_campaign(ctx))
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for line in country_lines(rows):
        click.echo(line)
    click.echo(f"{len(rows)} countries; records without a country serve every country.", err=True)


def main(prog_name: str | None = None) -> None:
    """Entry point of the ``appeal`` console script."""
    import os

    if "_APPEAL_COMPLETE" in os.environ:  # completing in a shell: bash's escaping first
        import appeal.cli_complete  # noqa: F401
    import signal
    import sys

    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _terminate)
    if sys.stdout is None:  # started with standard output closed ('appeal … >&-')
        sys.stdout = _ClosedStream()
    if sys.stdin is None:  # and standard input ('--note-file - <&-')
        sys.stdin = _ClosedStream()
    cli(prog_name=prog_name or "appeal")


class _ClosedBytes(io.RawIOBase):
    def readinto(self, buffer: WriteableBuffer) -> int:
        raise _closed()

    def write(self, data: ReadableBuffer) -> int:
        raise _closed()


def _closed() -> OSError:
    import errno

    return OSError(errno.EBADF, "it is closed")


class _ClosedStream(io.TextIOBase):
    """A standard stream the process was started without: using it is an error, not silently
    nothing."""

    buffer = _ClosedBytes()

    def read(self, size: int | None = -1) -> str:
        raise _closed()

    def write(self, text: str) -> int:
        raise _closed()
