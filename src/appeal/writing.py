"""Writing drafts to files: the content of each file in a format, and the set written at once.

Every file is rendered in memory first; :mod:`appeal.files` writes them only when all have
rendered, all of them or none. A NOTICE.txt with the draft set's notices comes first, to be read
before the letters.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from appeal.errors import InputError

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from appeal.campaign import Campaign
    from appeal.drafts import DraftSet
    from appeal.files import Content
    from appeal.sender import Sender

#: The formats that only write files (the others, text and json, may also print).
FILE_FORMATS = ("eml", "mbox", "html")
#: The file with the draft set's notices, written beside the drafts.
NOTICE_FILE = "NOTICE.txt"


def draft_files(
    campaign: Campaign,
    sender: Sender,
    draft_set: DraftSet,
    fmt: str,
    vias: Sequence[str] = ("mailto",),
    with_html: bool = False,
    today: dt.date | None = None,
    on_note: Callable[[str], None] = lambda note: None,
) -> dict[str, Content]:
    """The files of ``draft_set`` in ``fmt`` (file name → content): text or JSON (one per
    draft), eml (one per e-mail recipient), mbox (one archive) or html (one printable letter per
    postal address). A draft that gets no file (no e-mail address) is said to ``on_note``."""
    drafts = draft_set.drafts
    if fmt == "html":
        import datetime as dt

        from appeal.printable import print_pages

        pages = print_pages(campaign, sender, drafts, today or dt.date.today())
        if not pages:
            raise InputError(
                "html: none of these recipients has a postal address",
                field="format",
                code="no-postal-address",
            )
        return dict(pages)
    if fmt in ("eml", "mbox"):
        from appeal.eml import eml_bytes, mbox_bytes

        emailable = [d for d in drafts if d.to]
        for skipped in (d for d in drafts if not d.to):
            on_note(f"{skipped.recipient.id} has no e-mail address; no .{fmt} for it.")
        if not emailable:
            raise InputError(
                f"{fmt}: none of these recipients has an e-mail address",
                field="format",
                code="no-email-address",
            )
        if fmt == "mbox":
            return {"appeal-drafts.mbox": mbox_bytes(emailable, sender, with_html)}
        return {f"{d.recipient.id}.eml": eml_bytes(d, sender, with_html) for d in emailable}
    if fmt == "json":
        return {
            f"{d.recipient.id}.json": json.dumps(d.to_json(), ensure_ascii=False, indent=2) + "\n"
            for d in drafts
        }
    from appeal.presentation import format_draft

    return {f"{d.recipient.id}.txt": format_draft(d, vias) for d in drafts}


def with_notice_file(draft_set: DraftSet, files: Mapping[str, Content]) -> dict[str, Content]:
    """``files`` and, when the draft set has notices, a NOTICE.txt with them to read first."""
    if not draft_set.notices:
        return dict(files)
    from appeal.presentation import notice_text

    return {NOTICE_FILE: notice_text(draft_set.notices), **files}


def write_drafts(
    folder: Path, draft_set: DraftSet, files: Mapping[str, Content], *, force: bool = False
) -> list[Path]:
    """Write ``files`` and the notice file into ``folder``, all or nothing (see
    :func:`appeal.files.write_file_set`); returns the paths written."""
    from appeal.files import write_file_set

    return write_file_set(folder, with_notice_file(draft_set, files), force=force)
