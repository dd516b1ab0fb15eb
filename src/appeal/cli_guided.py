"""Guided mode: on a terminal, ``appeal`` alone (or ``appeal draft`` without --country or
--name) asks for what it needs, one question at a time, for people who have never used a
command-line tool.

It asks for the country (any name or code ``--country`` takes, with a suggestion on a typo), the
name, the town, the offices to write to (the campaign's defaults pre-selected, each with the
campaign's line on what that office can do), a few words of one's own and the language. It shows
the safety notes that apply as soon as the country is known, then each letter, and asks how to
send it: open it in the mail program, copy it, save an .eml draft, print it, or skip it. Every
answer is one of ``appeal draft``'s options, and the run ends with the command lines that do the
same in one go.

It never asks when standard input or output is not a terminal, in CI (the ``CI`` variable) or
with ``--no-input``: a missing option is then the usual usage error, so scripts keep working.
Ctrl-C at any question ends the run with one line and exit code 130.

This module is part of the command-line layer (imported only when it is needed, to keep start-up
fast); the library never imports it.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import textwrap
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import click
from click.core import ParameterSource

if TYPE_CHECKING:
    import datetime as dt

    from appeal.campaign import Campaign
    from appeal.countries import Country
    from appeal.drafts import Draft, DraftSet
    from appeal.safety import Notice
    from appeal.sender import Sender

#: Exit code of a run stopped with Ctrl-C (128 + SIGINT), as shells report it.
STOPPED_EXIT_CODE = 130
#: The folder files are saved in unless the person names another.
DEFAULT_FOLDER = "appeal-letters"


# --- When to ask ----------------------------------------------------------------------------


def stdio_is_terminal() -> bool:
    """Whether both standard input and standard output are a terminal (tests replace this)."""
    return bool(sys.stdin and sys.stdin.isatty() and sys.stdout and sys.stdout.isatty())


def in_ci(environ: Mapping[str, str]) -> bool:
    """Whether the ``CI`` variable says this runs in continuous integration."""
    return environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def may_ask(ctx: click.Context) -> bool:
    """Whether appeal may ask questions: on a terminal, not in CI, not with --no-input."""
    from appeal.cli import NO_INPUT_KEY

    if ctx.meta.get(NO_INPUT_KEY) or in_ci(os.environ):
        return False
    return stdio_is_terminal()


def missing_option(ctx: click.Context, name: str) -> click.MissingParameter:
    """The usage error click gives for a required option that was left out (exit code 2)."""
    param = next(p for p in ctx.command.params if p.name == name)
    return click.MissingParameter(ctx=ctx, param=param)


@contextlib.contextmanager
def stops_cleanly(saved: Sequence[Path] = ()) -> Iterator[None]:
    """Turn Ctrl-C (or end of input) at a question into one line and exit code 130; SIGTERM
    into exit code 143."""
    from appeal.cli import _Terminated

    try:
        yield
    except (click.Abort, KeyboardInterrupt, EOFError) as stop:
        # click.prompt turns an interruption into Abort; what interrupted it is its context.
        cause = stop.__context__ if isinstance(stop, click.Abort) else stop
        terminated = isinstance(cause, _Terminated)
        kept = f" The {len(saved)} file(s) already saved are kept." if saved else ""
        click.echo(err=True)
        how = "Stopped by SIGTERM" if terminated else "Stopped"
        click.echo(f"{how}. Nothing has been sent.{kept}", err=True)
        raise click.exceptions.Exit(143 if terminated else STOPPED_EXIT_CODE) from None


# --- The questions --------------------------------------------------------------------------


class Answers(NamedTuple):
    """What the person said, as ``appeal draft``'s parameters (by their names in the command)."""

    country: str
    name: str
    city: str | None
    kinds: tuple[str, ...]
    note: str | None
    #: None: the default (the locale's language, and the campaign's for the kinds it names).
    language: str | None
    #: The options that give these answers on the command line (its parameter names -> values).
    options: dict[str, object]


def _given_text(given: Mapping[str, object], name: str) -> str | None:
    """The text the command was given for ``name``, if any."""
    value = given.get(name)
    return value if isinstance(value, str) else None


def ask_missing(
    ctx: click.Context,
    campaign: Campaign,
    given: Mapping[str, object],
    ask_note: Callable[[], str | None],
    default_language: str,
) -> Answers:
    """Ask for every detail ``given`` (the draft command's parameters) lacks, in turn.

    ``ask_note`` opens the editor with the guiding prompts and returns what was written (the
    command's --edit). Safety notes for the country are shown as soon as it is known.
    """
    from appeal.sender import make_sender

    options: dict[str, object] = {}
    click.echo(
        "appeal drafts letters for you to send yourself; it sends nothing and saves nothing "
        "unless you ask. Answer a few questions (Ctrl-C stops at any time)."
    )
    given_country = _given_text(given, "country")
    if given_country:
        country = _resolve(given_country)
    else:
        country = _ask_country()
        options["country"] = country.alpha2
    from appeal.presentation import format_notice

    for notice in early_notes(campaign, country, default_language):
        click.echo("")
        click.secho(format_notice(notice), bold=True)
        early_notes_cache(ctx).append(notice.text)
    name = _given_text(given, "name")
    if not name:
        name = _ask_checked(
            "Your name, as you sign letters",
            lambda value: make_sender(value, country).name,
        )
        options["name"] = name
    city = _given_text(given, "city")
    if city is None:
        city = (
            _ask_checked(
                "Your town or city (shown under your name; press Enter to leave it out)",
                lambda value: make_sender("x", country, city=value).city or "",
                default="",
            )
            or None
        )
        if city:
            options["city"] = city
    given_kinds = given.get("kinds")
    kinds = tuple(str(k) for k in given_kinds) if isinstance(given_kinds, tuple) else ()
    if not kinds:
        kinds = _ask_kinds(campaign, country)
        options["kinds"] = kinds
    note = _given_text(given, "note")
    if not given.get("note_given"):
        questions = note_questions(campaign, default_language)
        note, how = _ask_note(country, questions, ask_note)
        if how == "edit":
            options["edit"] = True
        elif note:
            options["note"] = note
    language = _given_text(given, "language")
    if not language:
        language = _ask_language(campaign, kinds, default_language)
        if language:
            options["language"] = language
    return Answers(country.alpha2, name, city, kinds, note, language, options)


def _resolve(text: str) -> Country:
    from appeal.countries import resolve_country

    return resolve_country(text)


def _ask_country() -> Country:
    """The country, by name or code; on a typo, the close matches are offered."""
    from appeal.countries import close_countries, resolve_country
    from appeal.errors import CountryError

    while True:
        typed = click.prompt("Your country (its name or code, e.g. Germany or DE)")
        try:
            return resolve_country(typed)
        except CountryError:
            close = close_countries(typed)
        if len(close) == 1:
            (only,) = close
            if click.confirm(f"Did you mean {only.name} ({only.alpha2})?", default=True):
                return only
            continue
        if close:
            listed = ", ".join(f"{c.name} ({c.alpha2})" for c in close)
            click.echo(f"No country is called {typed.strip()!r}. Did you mean {listed}?")
        else:
            click.echo(
                f"No country is called {typed.strip()!r}. Try its English name or its "
                "two-letter code (DE, FR, GB, US …)."
            )


def _ask_checked(prompt: str, check: Callable[[str], object], default: str | None = None) -> str:
    """Ask until ``check`` accepts the answer; show why it did not, without the option name."""
    from appeal.errors import InputError

    while True:
        value = click.prompt(prompt, default=default, show_default=False)
        try:
            return str(check(value))
        except InputError as error:
            click.echo(f"That cannot be used: {error.problems[0]}.")


def offered_kinds(campaign: Campaign, alpha2: str) -> list[str]:
    """The recipient kinds with an open office that serves this country, in the campaign's
    order."""
    serving = campaign.serving(alpha2)
    return [
        k
        for k in campaign.settings.kinds
        if any(r.kind == k and not r.closed_since for r in serving)
    ]


def kind_line(campaign: Campaign, kind: str) -> str:
    """The campaign's line on what an office of this kind can do, else its plain name."""
    settings = campaign.settings
    return settings.kind_description(kind) or settings.kind_label(kind)


def _ask_kinds(campaign: Campaign, country: Country) -> tuple[str, ...]:
    offered = offered_kinds(campaign, country.alpha2)
    chosen = [k for k in offered if k in campaign.settings.default_kinds] or offered[:1]
    width = min(shutil_width(), 100)
    click.echo("")
    click.echo("Whom do you want to write to? The usual choice is marked [x].")
    for number, kind in enumerate(offered, start=1):
        mark = "x" if kind in chosen else " "
        click.echo(
            textwrap.fill(
                kind_line(campaign, kind),
                width,
                initial_indent=f"  {number} [{mark}] ",
                subsequent_indent=" " * 8,
            )
        )
    while True:
        typed = click.prompt(
            "Press Enter to keep the marked ones, or type the numbers you want (e.g. 1 2 4)",
            default="",
            show_default=False,
        )
        if not typed.strip():
            return tuple(chosen)
        numbers = re.split(r"[\s,;]+", typed.strip())
        if all(n.isdigit() and 1 <= int(n) <= len(offered) for n in numbers):
            picked = {offered[int(n) - 1] for n in numbers}
            return tuple(k for k in offered if k in picked)
        click.echo(f"Type numbers from 1 to {len(offered)}, separated by spaces.")


def note_questions(campaign: Campaign, language: str) -> list[str]:
    """What to write about in one's own words: the campaign's questions and the caution about
    people at risk, in ``language`` (as the editor shows them with --edit)."""
    from appeal.languages import parse_language
    from appeal.sender import OWN_WORDS_CAUTION

    primary = parse_language(language)[0]
    hint = campaign.settings.own_words_hint
    questions = [hint.get(primary)] if hint else []
    return [*questions, OWN_WORDS_CAUTION.get(primary, OWN_WORDS_CAUTION["en"])]


def _ask_note(
    country: Country, questions: Sequence[str], ask_note: Callable[[], str | None]
) -> tuple[str | None, str | None]:
    """Own words typed on one line, or written in the editor (``e``); (text, how)."""
    from appeal.sender import make_sender

    click.echo("")
    click.echo("Officials discount identical letters: your own words are what make this one count.")
    for paragraph in questions:
        click.echo(textwrap.fill(paragraph, min(shutil_width(), 100)))
    click.echo(
        "Type a sentence or two and press Enter. Type e to write in your text editor instead; "
        "press Enter alone to leave it out."
    )
    while True:
        typed = _ask_checked(
            "Your words",
            lambda value: make_sender("x", country, note=value).note or "",
            default="",
        )
        if typed.strip().lower() != "e":
            return (typed or None), ("note" if typed else None)
        try:
            written = ask_note()
        except click.ClickException as error:  # no editor, or it failed
            click.echo(f"The editor did not work ({error.format_message()}): type your words here.")
            continue
        if written:
            click.echo(f"Your words: {written}")
            return written, "edit"
        click.echo("The editor gave back no words. Type them here, or press Enter to go on.")


def _ask_language(campaign: Campaign, kinds: Sequence[str], default_language: str) -> str | None:
    """The letters' language as typed (--lang), or None for the default (Enter): the locale's
    language, with the campaign's own language first for the kinds it names."""
    from appeal.errors import InputError
    from appeal.languages import NATIVE_NAMES, parse_language

    choices = ", ".join(f"{code} {name}" for code, name in NATIVE_NAMES.items())
    click.echo("")
    click.echo(f"Language of your letters: {choices}.")
    rules = campaign.settings.letters
    own_language = [
        k for k in kinds if rules.languages.get(k, default_language) != default_language
    ]
    if own_language:
        from babel import Locale

        in_english = Locale("en").languages
        offices = " and ".join(f"the {campaign.settings.kind_label(k)}" for k in own_language)
        first = in_english.get(rules.languages[own_language[0]], "")
        mine = in_english.get(default_language, default_language)
        click.echo(
            textwrap.fill(
                f"{rules.language_reason or ''} Press Enter for {mine}: your letters to "
                f"{offices} then come in {first}, with {mine} after it. A language typed here "
                "is used for every letter.",
                min(shutil_width(), 100),
            ).strip()
        )
    while True:
        typed = click.prompt(
            f"Language [{default_language}]", default="", show_default=False
        ).strip()
        if not typed:
            return None
        try:
            primary, second = parse_language(typed)
        except InputError as error:
            click.echo(error.problems[0])
            continue
        return f"{primary}+{second}" if second else primary


def early_notes(campaign: Campaign, country: Country, language: str) -> list[Notice]:
    """The safety notes for a sender in ``country``, to show before any other question.

    They are the notes a draft set for this country carries that the campaign gives as safety
    notes (drafted here with a stand-in name that is never shown).
    """
    from appeal.drafts import DraftOptions, build_drafts
    from appeal.sender import make_sender

    draft_set = build_drafts(campaign, make_sender("-", country), DraftOptions(language=language))
    return safety_notes(campaign, draft_set)


def safety_notes(campaign: Campaign, draft_set: DraftSet) -> list[Notice]:
    """The notices of a draft set that come from the campaign's safety rules."""
    codes = {rule.id for rule in campaign.settings.safety_rules}
    return [notice for notice in draft_set.notices if notice.code in codes]


def shutil_width() -> int:
    """The terminal's width in columns (80 where it cannot be known)."""
    import shutil

    return shutil.get_terminal_size((80, 24)).columns - 2


# --- Showing the letters and sending them ---------------------------------------------------


class Action(NamedTuple):
    """One way to send a letter, as the guided mode offers it."""

    key: str
    label: str


def actions_for(draft: Draft) -> list[Action]:
    """The ways this letter can go, most direct first, ending with 'skip'."""
    record = draft.recipient
    actions = []
    if draft.to:
        actions.append(Action("o", "open it in your mail program, ready to send"))
    elif record.form:
        actions.append(Action("o", "open the web form, with the letter copied to paste into it"))
    if record.postal:
        actions.append(Action("p", "print it, to sign and post (a page opens in your browser)"))
    actions.append(Action("c", "copy it, to paste into a mail program or a web form"))
    if draft.to:
        actions.append(Action("e", "save it as an .eml draft (Outlook, Thunderbird, Apple Mail)"))
    actions.append(Action("s", "skip it"))
    return actions


class Sent(NamedTuple):
    """What was done with one letter, for the closing command lines."""

    recipient: str
    key: str
    #: Whether the link opened has no letter in it (the letter was copied as well).
    copied_too: bool = False


class SendContext(NamedTuple):
    """What the send step needs from the draft command."""

    campaign: Campaign
    sender: Sender
    today: dt.date
    #: The draft command's function that copies or opens drafts (--copy, --open).
    copy_or_open: Callable[[Sequence[Draft], str | None, bool, str | None], None]


def present_and_send(
    ctx: click.Context, draft_set: DraftSet, answers: Answers, send: SendContext
) -> None:
    """Show the notes, then each letter and ask how to send it; end with the command lines."""
    from appeal.presentation import RULE, THIN_RULE, draft_header, format_notice

    shown_early = set(early_notes_cache(ctx))
    notes = [n for n in draft_set.notices if n.text not in shown_early]
    safety = set(safety_notes(send.campaign, draft_set))
    notes.sort(key=lambda n: n not in safety)  # safety notes first
    if notes:
        click.echo("")
    for note in notes:
        click.secho(format_notice(note), bold=note in safety)
        click.echo("")
    sent: list[Sent] = []
    run = _Run(send.sender, at_risk=bool(early_notes_cache(ctx)), options=answers.options)
    total = len(draft_set.drafts)
    with stops_cleanly(run.saved):
        for number, draft in enumerate(draft_set.drafts, start=1):
            # The letter without its links: the answer below opens or copies them.
            letter = [*draft_header(draft), THIN_RULE, draft.body, THIN_RULE]
            click.echo(f"{RULE}\n[{number}/{total}] " + "\n".join(letter))
            actions = actions_for(draft)
            for action in actions:
                click.echo(f"  {action.key}  {action.label}")
            key = click.prompt(
                f"How do you want to send this letter ({number} of {total})?",
                type=click.Choice([a.key for a in actions], case_sensitive=False),
                default=actions[0].key,
                show_choices=True,
            ).lower()
            outcome = _do(key, draft, draft_set, send, run)
            if outcome is not None:
                sent.append(outcome)
    click.echo(RULE)
    if draft_set.pointers:
        from appeal.presentation import format_pointer

        click.echo("More you can do (links only; appeal writes to none of them):")
        for pointer in draft_set.pointers:
            click.echo(format_pointer(pointer, draft_set.language))
        click.echo("")
    click.echo(
        "Nothing has been sent: read each letter in your mail program and press Send yourself."
    )
    click.echo("")
    line, ways = closing_commands(ctx, answers, sent, run.folder, total)
    click.echo("Next time, one line does the same:")
    click.echo(f"  {line}")
    if ways:
        click.echo("and, added to it, each of these sends letters the way you did this time:")
        for way in ways:
            click.echo(f"  {way}")


def early_notes_cache(ctx: click.Context) -> list[str]:
    """The safety notes already shown after the country question, in this run."""
    shown: list[str] = ctx.meta.setdefault("appeal.notes_shown", [])
    return shown


class _Run:
    """What the send step learns as it goes: where files are saved, the sender's postal address
    if they chose to give it for a printed letter."""

    def __init__(self, sender: Sender, at_risk: bool, options: dict[str, object]) -> None:
        self.sender = sender
        #: Whether a safety note was shown for the sender's country.
        self.at_risk = at_risk
        #: The command line's options (a postal address given here joins them).
        self.options = options
        self.folder: Path | None = None
        self.saved: list[Path] = []
        self.address_asked = False


def _ask_address(run: _Run, send: SendContext) -> None:
    """Offer, once, to put a postal address on printed letters to offices that answer only at
    one; never pressing (an address says who and where the sender is)."""
    from appeal.errors import InputError
    from appeal.sender import MAX_ADDRESS_LINES, check_address

    run.address_asked = True
    settings = send.campaign.settings
    click.echo("")
    caution = (
        "Read the safety note above before you decide."
        if run.at_risk
        else "Leave it out if you prefer: the letter can still be sent."
    )
    click.echo(
        textwrap.fill(
            "This office replies only by post. "
            f"{settings.postal_reply_reason or ''} Giving yours tells the office who you are and "
            f"where you live. {caution}",
            min(shutil_width(), 100),
        )
    )
    click.echo("Your address for a reply, line by line (your country is added); Enter alone ends.")
    lines: list[str] = []
    while len(lines) < MAX_ADDRESS_LINES:
        typed = click.prompt(f"Address line {len(lines) + 1}", default="", show_default=False)
        try:
            parts = check_address("address", [*lines, typed])[len(lines) :]
        except InputError as error:
            click.echo(f"That cannot be used: {error.problems[0]}.")
            continue
        if not parts:
            break
        lines.extend(parts)
    if lines:
        run.sender = run.sender._replace(address=tuple(lines))
        run.options["address"] = tuple(lines)


def _do(key: str, draft: Draft, draft_set: DraftSet, send: SendContext, run: _Run) -> Sent | None:
    """Carry out one answer to 'how do you want to send this letter?'."""
    from appeal.errors import AppealError
    from appeal.files import write_file_set
    from appeal.writing import draft_files

    record_id = draft.recipient.id
    if key == "s":
        return None
    if key in ("o", "c"):
        copy_too = key == "c" or not draft.links.get("mailto")
        send.copy_or_open(
            [draft], "body" if copy_too else None, False, "mailto" if key == "o" else None
        )
        return Sent(record_id, key, copied_too=copy_too and key == "o")
    reply_only_by_post = draft.recipient.kind in send.campaign.settings.postal_reply_kinds
    if key == "p" and reply_only_by_post and not run.sender.address and not run.address_asked:
        _ask_address(run, send)
    if run.folder is None:
        run.folder = Path(click.prompt("Folder to save files in", default=DEFAULT_FOLDER))
    fmt = "eml" if key == "e" else "html"
    one = draft_set._replace(drafts=(draft,))
    try:
        files = draft_files(
            send.campaign,
            run.sender,
            one,
            fmt,
            ("mailto",),
            False,
            send.today,
            lambda note: click.echo(f"Note: {note}", err=True),
        )
        force = False
        existing = [name for name in files if (run.folder / name).exists()]
        if existing and click.confirm(f"{run.folder / existing[0]} already exists. Replace it?"):
            force = True
        written = write_file_set(run.folder, files, force=force)
    except AppealError as error:
        for problem in error.lines():
            click.echo(f"Error: {problem}", err=True)
        return None
    run.saved.extend(written)
    for path in written:
        click.echo(f"Saved {path.resolve()}")
    if key == "p":
        click.echo("It opens in your browser: print it, sign it and post it to the address on it.")
        for path in written:
            click.launch(str(path.resolve()))
    else:
        click.echo("Open it with your mail program: it opens as a draft you can check and send.")
    return Sent(record_id, key)


# --- The equivalent command line ------------------------------------------------------------


def option_words(param: click.Parameter, value: object) -> list[str]:
    """The command-line words that give ``value`` to ``param`` (an option of appeal draft)."""
    if not isinstance(param, click.Option) or value is None or value == () or value is False:
        return []
    flag = next((o for o in param.opts if o.startswith("--")), param.opts[0])
    if param.is_flag:
        return [flag]
    values = value if param.multiple and isinstance(value, (tuple, list)) else (value,)
    words: list[str] = []
    for item in values:
        if isinstance(item, os.PathLike):
            text = os.fsdecode(item)
        elif hasattr(item, "read"):  # a file click opened (--note-file): the name it was given
            text = str(getattr(item, "name", ""))
        else:
            text = str(item)
        # An option whose value may be left out (--copy, --open) takes it after '='.
        words.extend([f"{flag}={text}"] if param._flag_needs_value else [flag, text])
    return words


def command_words(ctx: click.Context, answers: Mapping[str, object], *extra: str) -> list[str]:
    """``appeal [its options] draft [options]``: what was typed, with ``answers`` filled in."""
    words: list[str] = []
    contexts = [ctx]
    while contexts[0].parent is not None:
        contexts.insert(0, contexts[0].parent)
    for level in contexts:
        words.append(level.info_name or "appeal")
        for param in level.command.params:
            name = param.name or ""
            if level is ctx and name in answers:
                words.extend(option_words(param, answers[name]))
            elif level.get_parameter_source(name) == ParameterSource.COMMANDLINE:
                words.extend(option_words(param, level.params.get(name)))
    if ctx.info_name is None or len(contexts) == 1:
        words.append("draft")
    words.extend(extra)
    return words


def command_line(words: Sequence[str], posix: bool = os.name != "nt") -> str:
    """Words joined into one line a POSIX shell reads back as the same words (a name with an
    apostrophe in double quotes, which read more easily than shlex's way); on Windows, quoted
    as its programs split their command line."""
    import shlex

    if not posix:
        import subprocess

        return subprocess.list2cmdline(words)

    quoted = []
    for word in words:
        plain = shlex.quote(word)
        if plain != word and "'" in word and not set(word) & set('"$`\\!'):
            plain = f'"{word}"'
        quoted.append(plain)
    return " ".join(quoted)


def closing_commands(
    ctx: click.Context,
    answers: Answers,
    sent: Sequence[Sent],
    folder: Path | None,
    total: int,
) -> tuple[str, list[str]]:
    """What does again what this guided run did: the command line with every answer, and the
    options that, each added to it, send letters the way they went this time (none when every
    letter went the same way: the line then holds that way too)."""
    ways: list[list[str]] = []
    for key, fmt in (("o", None), ("e", "eml"), ("p", "html")):
        ids = [s.recipient for s in sent if s.key == key and not s.copied_too]
        if not ids or (fmt and folder is None):
            continue
        way = ["--open"] if fmt is None else ["--format", fmt, "--out", str(folder)]
        ways.append([*way, *_only(ids, total)])
    for item in sent:
        if item.key == "c" or item.copied_too:
            copy = ["--copy", "--open"] if item.copied_too else ["--copy"]
            ways.append([*copy, "--recipient", item.recipient])
    base = command_words(ctx, answers.options)
    if len(ways) == 1 and "--recipient" not in ways[0]:
        return command_line([*base, *ways[0]]), []
    return command_line(base), [command_line(way) for way in ways]


def _only(ids: Sequence[str], total: int) -> list[str]:
    """--recipient for each id, unless they are every letter."""
    if len(ids) == total:
        return []
    return [word for record_id in ids for word in ("--recipient", record_id)]
