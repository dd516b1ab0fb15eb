"""Presentation: drafts, notices and the data's tables as text for a person to read, and as JSON.

Nothing here writes a file or touches the terminal: the CLI prints what these return, and
:mod:`appeal.writing` puts the same text into files.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from appeal.campaign import Pointer
from appeal.drafts import Draft, DraftSet
from appeal.records import Recipient
from appeal.safety import Notice

if TYPE_CHECKING:
    from appeal.check import Finding, Report

#: Mail links shown in text output unless the user picks others.
DEFAULT_VIAS = ("mailto",)

RULE = "=" * 72
THIN_RULE = "-" * 72

NOTHING_SENT = (
    "Nothing has been sent and nothing was saved: appeal works offline. Open a link or copy a "
    "letter into your own mail program, read it, and send it yourself."
)


#: The heading above the campaign's pointers, in the letter's language (their notes are too).
POINTERS_HEADING = {
    "en": "More you can do (links only; appeal writes to none of them):",
    "ru": "Что ещё можно сделать (только ссылки; appeal никому из них не пишет):",
    "de": "Was Sie noch tun können (nur Links; appeal schreibt keinem davon):",
    "fr": "Pour aller plus loin (liens seulement\u202f; appeal n’écrit à aucun d’eux)\u00a0:",
    "es": "Qué más puede hacer (solo enlaces; appeal no escribe a ninguno):",
}


def _wrap(label: str, text: str) -> str:
    return textwrap.fill(
        text,
        width=72,
        initial_indent=f"{label:<10}",
        subsequent_indent=" " * 10,
        break_long_words=False,
        break_on_hyphens=False,
    )


def seen_label(record: Recipient) -> str:
    """'newest channel seen 2026-08-08' (the date a sender should judge a record by), or the
    record's own date when it has no usable channel."""
    if record.usable_channels():
        return f"newest channel seen {record.newest_seen}"
    return f"last seen {record.last_seen} (no contact detail)"


#: How each kind of channel is labelled above a letter.
CHANNEL_LABELS = {"email": "E-mail:", "form": "Web form:", "post": "Post:", "website": "Website:"}


def draft_header(draft: Draft, hints: Mapping[str, str] | None = None) -> list[str]:
    """The lines above a letter: who it is for, how to send it, its subject and caveats; a
    caveat about a field in ``hints`` ends with the hint (the command line's option for it)."""
    record = draft.recipient
    lines = [record.display_name(draft.language)]
    where = f"{record.kind} · {record.id} · letter in {draft.language}"
    lines.append(where)
    lines.append("")
    # The channels come likeliest first; each says why it has its place.
    for channel in draft.channels:
        label = CHANNEL_LABELS[channel.kind]
        target = " ".join(channel.target.split())
        lines.append(_wrap(label, target))
        if channel.detail:
            lines.append(_wrap("", f"({' '.join(channel.detail.split())})"))
        if channel.why:
            lines.append(_wrap("", channel.why))
    if not draft.channels:
        lines.append(_wrap("Send:", "no channel on record; see the record's website"))
    lines.append(_wrap("Subject:", draft.subject))
    source = record.source if len(record.source) <= 90 else record.source[:89] + "…"
    lines.append(
        _wrap(
            "Record:",
            f"{seen_label(record)}, confidence {record.confidence}; source: {source}",
        )
    )
    if record.officeholder:
        holder = record.officeholder
        role = f", {holder.role}" if holder.role else ""
        lines.append(_wrap("Holder:", f"{holder.name}{role} (as of {holder.as_of})"))
    lines.append(_wrap("Own text:", f"{draft.own_words_share:.0%} of the letter is in your words"))
    for warning in draft.warnings:
        hint = (hints or {}).get(warning.field or "")
        lines.append(_wrap("Note:", f"{warning.text} ({hint})" if hint else warning.text))
    return lines


def draft_links(draft: Draft, vias: Sequence[str] = DEFAULT_VIAS) -> list[str]:
    """The link lines below a letter, for the chosen mail links, then public posts."""
    lines = []
    for via in vias:
        if link := draft.links.get(via):
            lines.append(f"{via}: {link}")
        elif via in draft.fallback_links:
            lines.append(
                f"{via} (address and subject only; paste the letter): {draft.fallback_links[via]}"
            )
    if draft.medium == "form" and draft.recipient.form:
        lines.append(f"form: open {draft.recipient.form.url} and paste the letter above into it")
    for post in draft.post_links:
        lines.append(f"post on {post.network} to @{post.handle}: {post.url}")
    for caveat in draft.post_caveats if draft.post_links else ():
        lines.append(textwrap.fill(caveat, 72, initial_indent="  ! ", subsequent_indent="    "))
    return lines


def format_notice(notice: Notice) -> str:
    """A notice as a wrapped paragraph, marked by its severity."""
    mark = {"danger": "!!! ", "caution": "! ", "info": ""}[notice.severity]
    return textwrap.fill(mark + notice.text, 72, break_long_words=False, break_on_hyphens=False)


def notice_text(notices: Sequence[Notice]) -> str:
    """Notices as plain text paragraphs (NOTICE.txt beside written files)."""
    return "\n\n".join(format_notice(n) for n in notices) + "\n" if notices else ""


def format_draft(
    draft: Draft, vias: Sequence[str] = DEFAULT_VIAS, hints: Mapping[str, str] | None = None
) -> str:
    """One draft as text: header, letter, links (``hints``: see :func:`draft_header`)."""
    parts = [*draft_header(draft, hints), THIN_RULE, draft.body, THIN_RULE]
    parts.extend(draft_links(draft, vias))
    return "\n".join(parts).rstrip("\n") + "\n"


def format_text(
    draft_set: DraftSet, vias: Sequence[str] = DEFAULT_VIAS, hints: Mapping[str, str] | None = None
) -> str:
    """Every draft as text, numbered, followed by notices and the reminder that nothing was sent
    (``hints``: see :func:`draft_header`)."""
    total = len(draft_set.drafts)
    head = [format_notice(n) for n in draft_set.notices]
    blocks = ["\n\n".join(head) + "\n"] if head else []
    for number, draft in enumerate(draft_set.drafts, start=1):
        blocks.append(f"{RULE}\n[{number}/{total}] {format_draft(draft, vias, hints)}")
    tail = [RULE] if blocks else []
    if draft_set.pointers:
        tail.append(
            "\n".join(
                [POINTERS_HEADING.get(draft_set.language, POINTERS_HEADING["en"])]
                + [format_pointer(p, draft_set.language) for p in draft_set.pointers]
            )
        )
    tail.append(textwrap.fill(NOTHING_SENT, 72))
    return "\n".join(blocks) + ("\n" if blocks else "") + "\n\n".join(tail) + "\n"


def format_pointer(pointer: Pointer, language: str = "en") -> str:
    """A link the campaign points to, with what to know first, as an indented list item."""
    lines = [f"- {pointer.title.get(language)}: {pointer.url}"]
    if pointer.note:
        note = pointer.note.get(language)
        lines.append(textwrap.fill(note, 72, initial_indent="  ", subsequent_indent="  "))
    return "\n".join(lines)


def stderr_notes(draft_set: DraftSet) -> list[str]:
    """What must reach a person even when stdout is JSON or files: notices and record caveats."""
    lines = [f"Note: {notice.text}" for notice in draft_set.notices]
    for draft in draft_set.drafts:
        lines.extend(f"Warning: {draft.recipient.id}: {w.text}" for w in draft.record_warnings)
    return lines


def format_json(draft_set: DraftSet) -> str:
    """The draft set as a JSON object: ``notices`` (code, severity, text), ``drafts`` (one object
    per draft) and ``pointers``."""
    return json.dumps(draft_set.to_json(), ensure_ascii=False, indent=2) + "\n"


# --- The data's tables (appeal recipients list, appeal countries, appeal recipients check) ---


def recipient_lines(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """One line per row of :func:`appeal.overview.recipient_rows`: id, kind, country served,
    when seen, confidence, e-mail addresses."""
    lines = []
    for row in rows:
        serves = row["country"] or "all"
        email = ", ".join(row["email"]) or "-"
        lines.append(
            f"{row['id']:<28} {row['kind']:<24} {serves:<4} seen {row['last_seen']:<10} "
            f"{row['confidence']:<6} {email}"
        )
    return lines


def country_lines(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """One line per row of :func:`appeal.overview.country_rows`: code, name, each kind's state."""
    return [
        f"{row['code']}  {row['name']:<34} {', '.join(_country_kind(k) for k in row['kinds'])}"
        for row in rows
    ]


def _country_kind(kind: Mapping[str, Any]) -> str:
    """'<kind> (seen 2015-03-19)', '… (CLOSED since 2022-02-24)', '… (no contact yet;
    fallback <record id>)', with ', via XX' for a post in another country."""
    if kind["closed_since"]:
        state = f"CLOSED since {kind['closed_since']}"
    elif kind["fallback"]:
        state = f"no contact yet; fallback {kind['fallback']}"
    elif kind["last_seen"] == "undated":
        state = "source undated"
    else:
        state = f"seen {kind['last_seen']}"
    via = f", via {kind['via']}" if kind["via"] else ""
    return f"{kind['kind']} ({state}{via})"


def check_lines(
    report: Report, max_age_days: int, kind_label: Callable[[str], str] = str
) -> list[str]:
    """The text of ``appeal recipients check``: each finding, how old each kind's channels are,
    and a summary line with each kind (named by ``kind_label``) and the countries it serves."""
    lines = [f"{f.record}: {f.code}: {f.message}" for f in report.findings]
    lines += to_fill_lines(report)
    for kind, ages in report.figures["channel_ages"].items():
        bands = ", ".join(f"{band} {count}" for band, count in ages["channels"].items())
        line = f"{kind}: usable channels by age: {bands}"
        if "countries" in ages:
            line += (
                f"; best channel under {max_age_days:,} days old for "
                f"{ages['countries_best_channel_fresh']} of {ages['countries']} countries "
                f"({ages['share_best_channel_fresh']:.0%})"
            )
        lines.append(line)
    figures = report.figures
    confidence = ", ".join(f"{k} {v}" for k, v in figures["records_per_confidence"].items())
    coverage = "".join(
        _coverage_line(
            kind_label(kind),
            served["countries_with_letter"],
            served["countries_with_email"],
            served["countries_without_letter"],
        )
        for kind, served in figures["countries_per_kind"].items()
    )
    lines.append(
        f"{figures['records']} records valid ({confidence}); {coverage}"
        f"{len(report.findings)} warnings"
    )
    return lines


def _coverage_line(label: str, letter: int, email: int, missing: Sequence[str]) -> str:
    """'UN mission: letter for 195 countries, 194 of them by e-mail, none for TW, XK; '."""
    line = f"{label}: letter for {letter} countries, {email} of them by e-mail"
    return f"{line}, none for {', '.join(missing)}; " if missing else f"{line}; "


def to_fill_lines(report: Report) -> list[str]:
    """What an organiser should fill in, country by country, largest populations first."""
    if not report.to_fill:
        return []
    from appeal.population import population_source

    lines = [
        "To fill in, country by country, largest populations first "
        f"(population: {population_source()}):"
    ]
    for row in report.to_fill:
        where = f"; see {row.website}" if row.website else ""
        lines.append(
            f"  {row.country}  {row.record}: {', '.join(row.missing)} "
            f"(serves {', '.join(row.serves)}: {row.people:,} people){where}"
        )
    return lines


def finding_error_lines(findings: Sequence[Finding]) -> list[str]:
    """``Error:`` lines for findings that are errors (a routing error of the records)."""
    return [f"Error: {f.record}: {f.code}: {f.message}" for f in findings]
