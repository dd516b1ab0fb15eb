"""What the commands do besides drafting, as library calls: the CLI parses options, calls these
and prints what they return.

- the sender's own words written in an editor (its prompts, and what is kept of the file);
- copying and opening: which draft, which text, which link;
- the importers: which recipients file, read, apply, write all or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from appeal.errors import DataError, InputError

if TYPE_CHECKING:
    from appeal.campaign import CampaignSettings
    from appeal.drafts import Draft
    from appeal.importers import ImportResult

#: An importer: (recipients file, its label, source file, its label, date seen) → result.
Importer = Callable[[bytes, str, bytes, str, dt.date], "ImportResult"]
#: What a copy to the clipboard holds: the body, or To, Subject and the body.
COPY_WHATS = ("body", "message")


def note_prompts_for(settings: CampaignSettings, language: str) -> str:
    """The editor's prompts for the sender's own words, in the letter's (first) language, with
    the campaign's hint."""
    from appeal.languages import parse_language
    from appeal.sender import note_prompts

    primary = parse_language(language)[0]
    hint = settings.own_words_hint
    return note_prompts(primary, hint.get(primary) if hint else None)


def note_from_editor(data: bytes, field: str = "edited_note") -> str | None:
    """The sender's words from the file their editor saved: the prompt lines (starting with #)
    are left out; None if nothing else is left."""
    from appeal.sender import decode_note

    written = decode_note(data, field)
    kept = [line for line in written.splitlines() if not line.lstrip().startswith("#")]
    return "\n".join(kept).strip() or None


def draft_to_copy(drafts: Sequence[Draft]) -> Draft:
    """The one draft to copy to the clipboard; raises InputError naming the drafts when there
    are more (or none)."""
    if len(drafts) != 1:
        ids = ", ".join(d.recipient.id for d in drafts) or "none"
        raise InputError(
            f"{len(drafts)} drafts ({ids}) but one can be copied",
            field="copy",
            code="not-one-draft",
        )
    return drafts[0]


def text_to_copy(draft: Draft, what: str) -> str:
    """The body, or for ``message`` To, Subject and the body, as one text to paste."""
    if what == "message":
        return f"To: {', '.join(draft.to)}\nSubject: {draft.subject}\n\n{draft.body}"
    return draft.body


def link_to_open(draft: Draft, via: str) -> tuple[str, bool] | None:
    """The link to open in a browser for ``via`` (the full link, its address-and-subject
    fallback, else the online form) and whether it carries the letter; None when there is
    none."""
    from appeal.links import chosen_links

    form = draft.recipient.form.url if draft.recipient.form else None
    chosen = next(chosen_links((via, "form"), draft.links, draft.fallback_links, form), None)
    return None if chosen is None else chosen[1:]


def recipients_file(campaign_dir: Path | None, given: Path | None) -> Path:
    """The recipients file an importer updates: the one given, else the campaign folder's, else
    ./recipients.yaml; raises DataError if it is not a file."""
    target = given or (campaign_dir or Path(".")) / "recipients.yaml"
    if not target.is_file():
        raise DataError(f"{target}: not found", code="recipients-not-found")
    return target


def run_import(
    importer: Importer, source: Path, target: Path, seen: dt.date, *, dry_run: bool = False
) -> ImportResult:
    """Apply ``source`` to the recipients file ``target`` and, unless ``dry_run``, write the new
    file all or nothing; returns the changes."""
    from appeal.files import write_file

    result = importer(_read(target), str(target), _read(source), str(source), seen)
    if not dry_run:
        write_file(target, result.text, force=True)
    return result


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
