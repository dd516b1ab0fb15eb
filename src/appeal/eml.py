""".eml drafts and mbox archives of the e-mail drafts.

An .eml file opens as an editable draft in classic Outlook for Windows (``X-Unsent: 1``) and in
Thunderbird; Apple Mail opens it read-only (Message > Send Again makes it editable). The message
has CRLF line endings, an RFC 2047 subject where it is not ASCII, a quoted-printable UTF-8 body
(and an HTML alternative on request), no Date or Message-ID (the mail program adds them when it
sends), a From header only when the sender gave an address, never a Bcc, and ASCII addresses
only. Every value has been checked before: a line break can never reach a header.
"""

from __future__ import annotations

import html
import io
import time
from email.generator import BytesGenerator
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP, Policy

from appeal.drafts import Draft
from appeal.sender import Sender


def build_message(draft: Draft, sender: Sender | None, with_html: bool = False) -> EmailMessage:
    """The e-mail for one draft; the draft must have at least one address in ``to``."""
    if not draft.to:
        raise ValueError(f"{draft.recipient.id} has no e-mail address")
    # RFC 2045 caps quoted-printable lines at 76 characters; Python encodes bodies to the policy's
    # max_line_length, whose SMTP default (78) is two too many.
    message = EmailMessage(policy=SMTP.clone(max_line_length=76))
    message["To"] = ", ".join(draft.to)
    if sender is not None and sender.email:
        message["From"] = Address(display_name=sender.name, addr_spec=sender.email)
    message["Subject"] = draft.subject
    message["X-Unsent"] = "1"
    message.set_content(draft.body + "\n", cte="quoted-printable")
    if with_html:
        message.add_alternative(body_html(draft.body), subtype="html", cte="quoted-printable")
    return message


def body_html(body: str) -> str:
    """The letter as a minimal HTML document: escaped paragraphs, line breaks kept."""
    paragraphs = [
        "<p>" + html.escape(block).replace("\n", "<br>\n") + "</p>"
        for block in body.split("\n\n")
        if block.strip()
    ]
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n'
        + "\n".join(paragraphs)
        + "\n</body></html>\n"
    )


def header_policy(draft: Draft) -> Policy:
    """SMTP policy for writing the message out.

    Python folds a long ASCII subject by moving all of it to a continuation line, which parsers
    (Python's own among them) read back with a leading space; such a subject is left unfolded
    (lines may be up to 998 characters). A non-ASCII subject keeps the 78-character folding, so
    that its RFC 2047 encoded-words stay within 75 characters each. Bodies are encoded when the
    message is built, so this does not touch their quoted-printable line length.
    """
    return SMTP.clone(max_line_length=998) if draft.subject.isascii() else SMTP


def eml_bytes(draft: Draft, sender: Sender | None, with_html: bool = False) -> bytes:
    """One draft as the bytes of an .eml file."""
    return build_message(draft, sender, with_html).as_bytes(policy=header_policy(draft))


def mbox_bytes(drafts: list[Draft], sender: Sender | None, with_html: bool = False) -> bytes:
    """Every e-mail draft in one mbox archive (for keeping a copy, not for sending).

    Built in memory: each message gets a 'From ' separator line, body lines that begin with
    'From ' are quoted as '>From ', and lines end in LF as mbox readers expect.
    """
    buffer = io.BytesIO()
    stamp = time.asctime(time.gmtime())
    for draft in drafts:
        buffer.write(f"From appeal {stamp}\n".encode("ascii"))
        policy = header_policy(draft).clone(linesep="\n")
        BytesGenerator(buffer, mangle_from_=True, policy=policy).flatten(
            build_message(draft, sender, with_html)
        )
        buffer.write(b"\n")
    return buffer.getvalue()
