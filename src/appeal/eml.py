""".eml drafts and mbox archives of the e-mail drafts.

An .eml file opens as an editable draft in classic Outlook for Windows (``X-Unsent: 1``) and in
Thunderbird; Apple Mail opens it read-only (Message > Send Again makes it editable). The message
has CRLF line endings, an RFC 2047 subject where it is not ASCII, a quoted-printable UTF-8 body
(and an HTML alternative on request), no Date or Message-ID (the mail program adds them when it
sends), a From header only when the sender gave an address, never a Bcc, and ASCII addresses
only. Every value has been checked before (no line break, no RFC 2047 encoded-word); then each
message is parsed back with Python's own parser and every header compared with the value meant,
so that a parser quirk (such as CVE-2024-6923 in older Pythons) can never add a header or a
recipient unnoticed: any difference is an error and nothing is written.
"""

from __future__ import annotations

import base64
import html
import io
import re
import time
from email.generator import BytesGenerator
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import SMTP, EmailPolicy, Policy
from email.policy import default as default_policy

from appeal.drafts import Draft
from appeal.errors import InputError
from appeal.sender import Sender
from appeal.textguard import has_encoded_word


def build_message(draft: Draft, sender: Sender | None, with_html: bool = False) -> EmailMessage:
    """The e-mail for one draft; the draft must have at least one address in ``to``."""
    if not draft.to:
        raise ValueError(f"{draft.recipient.id} has no e-mail address")
    for label, value in _header_values(draft, sender):
        if has_encoded_word(value):
            where = getattr(draft.recipient, "id", "draft")
            raise InputError(
                f"{where}: {label} holds '=?...?=' (RFC 2047) syntax, which mail programs may "
                "decode into another header or recipient"
            )
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


def _header_values(draft: Draft, sender: Sender | None) -> list[tuple[str, str]]:
    values = [("subject", draft.subject), *(("address", address) for address in draft.to)]
    if sender is not None and sender.email:
        values += [("the sender's name", sender.name), ("the sender's e-mail", sender.email)]
    return values


#: The longest line a header should have, and the longest RFC 2047 encoded-word.
_LINE = 78
_WORD = 75


class _DraftPolicy(EmailPolicy):
    """The SMTP policy, except for headers Python folds in ways that break a rule or read back
    otherwise.

    Python folds a long ASCII subject by moving all of it to a continuation line, which parsers
    (Python's own among them) read back with a leading space; such a subject stays on one line
    (lines may be up to 998 characters). A non-ASCII subject or sender name is folded here (see
    :func:`encoded_words`) rather than by Python, which writes encoded-words of 76 characters or
    more, or splits a name's inside a word. Bodies are encoded when the message is built, so
    this does not touch their line length.
    """

    def fold_binary(self, name: str, value: str) -> bytes:
        """Fold one header for a bytes generator."""
        if name.lower() == "subject":
            if str(value).isascii():
                return self.clone(max_line_length=998).fold_binary_plain(name, value)
            return self._lines([f"{name}: ", *encoded_words(str(value), len(name) + 2)])
        addresses: tuple[Address, ...] = getattr(value, "addresses", ())
        if (
            name.lower() == "from"
            and len(addresses) == 1
            and not addresses[0].display_name.isascii()
        ):
            address = addresses[0]
            words = encoded_words(address.display_name, len(name) + 2)
            return self._lines([f"{name}: ", *words, f"<{address.addr_spec}>"])
        return super().fold_binary(name, value)

    def _lines(self, parts: list[str]) -> bytes:
        """The header name and its first word on one line, each further part on its own."""
        lines = [parts[0] + parts[1], *(f" {part}" for part in parts[2:])]
        return (self.linesep.join(lines) + self.linesep).encode("ascii")

    def fold_binary_plain(self, name: str, value: str) -> bytes:
        """The standard folding, for the unfolded subject's long-line clone."""
        return super().fold_binary(name, value)


_POLICY = _DraftPolicy(linesep="\r\n")


def encoded_words(text: str, first_indent: int) -> list[str]:
    """``text`` as RFC 2047 encoded-words (UTF-8, base64) of at most 75 characters, each fitting
    a 78-character line: the first after ``first_indent`` characters, the others after a space.

    The text is cut between characters (never inside one), before a space where one is near, and
    spaces stay inside the words, so that a reader who joins adjacent encoded-words as RFC 2047
    says gets the text exactly.
    """
    chunks: list[str] = []
    rest = text
    room = _LINE - first_indent
    while rest:
        # 12 characters of '=?utf-8?b?' and '?='; base64 takes 4 characters per 3 bytes.
        limit = (min(room, _WORD) - 12) // 4 * 3
        cut = len(rest)
        while len(rest[:cut].encode("utf-8")) > limit:
            cut -= 1
        if cut < len(rest):
            space = rest.rfind(" ", 1, cut)
            cut = space if space > cut // 2 else cut
        chunks.append(rest[:cut])
        rest = rest[cut:]
        room = _LINE - 1
    return [
        "=?utf-8?b?" + base64.b64encode(chunk.encode("utf-8")).decode("ascii") + "?="
        for chunk in chunks
    ]


def header_policy(draft: Draft) -> Policy:
    """The policy for writing a draft's message out (CRLF line ends; see :class:`_DraftPolicy`)."""
    return _POLICY


def eml_bytes(draft: Draft, sender: Sender | None, with_html: bool = False) -> bytes:
    """One draft as the bytes of an .eml file, checked by parsing it back."""
    data = build_message(draft, sender, with_html).as_bytes(policy=header_policy(draft))
    verify_message(data, draft, sender)
    return data


def verify_message(data: bytes, draft: Draft, sender: Sender | None, mangled: bool = False) -> None:
    """Parse a generated message back and compare every header with the value meant.

    Raises InputError naming the draft and header on any difference: an extra header (a Bcc), a
    different recipient, a subject or sender name that reads back otherwise, another content
    type, or a letter that differs (``mangled``: as mbox quotes lines that begin with 'From ').
    """
    where = f"{getattr(draft.recipient, 'id', 'draft')}.eml"
    try:
        _compare_read_back(data, draft, sender, mangled, where)
    except ValueError as exc:
        # Newer Pythons refuse, while reading it back, a header that decodes to a line break.
        raise InputError(
            f"{where}: a header would not read back ({exc}); nothing was written"
        ) from None


def _compare_read_back(
    data: bytes, draft: Draft, sender: Sender | None, mangled: bool, where: str
) -> None:
    """:func:`verify_message`'s comparisons; the parser's own refusals raise ValueError."""
    parsed = BytesParser(policy=default_policy).parsebytes(data)
    expected_names = ["To", "Subject", "X-Unsent", "Content-Type", "MIME-Version"]
    if sender is not None and sender.email:
        expected_names.append("From")
    if not parsed.is_multipart():
        expected_names.append("Content-Transfer-Encoding")
    names = [name.title() for name in parsed]
    if sorted(names) != sorted(name.title() for name in expected_names):
        raise InputError(
            f"{where}: the message would read back with the headers {', '.join(names)}, not "
            f"{', '.join(expected_names)}; nothing was written"
        )
    to = parsed["To"]
    read_to = [address.addr_spec for address in to.addresses] if to is not None else []
    if read_to != list(draft.to) or any(address.display_name for address in to.addresses):
        raise InputError(f"{where}: the To: header would read back as {', '.join(read_to)!r}")
    if str(parsed["Subject"]) != draft.subject:
        raise InputError(f"{where}: the subject would read back as {str(parsed['Subject'])!r}")
    if sender is not None and sender.email:
        sent_from = parsed["From"].addresses
        # Python's parser puts a space between adjacent encoded-words of a name (RFC 2047 says
        # to join them), so a folded name is compared without its spaces.
        if len(sent_from) != 1 or (
            "".join(sent_from[0].display_name.split()),
            sent_from[0].addr_spec,
        ) != ("".join(sender.name.split()), sender.email):
            raise InputError(
                f"{where}: the From: header would read back as {str(parsed['From'])!r}"
            )
    if str(parsed["X-Unsent"]) != "1" or str(parsed["MIME-Version"]) != "1.0":
        raise InputError(
            f"{where}: the X-Unsent: or MIME-Version: header would read back otherwise"
        )
    expected_type = "multipart/alternative" if parsed.is_multipart() else "text/plain"
    plain = parsed.get_body(("plain",))
    if parsed.get_content_type() != expected_type or plain is None:
        raise InputError(f"{where}: the message would read back as {parsed.get_content_type()}")
    body = plain.get_content().replace("\r\n", "\n")
    expected_body = draft.body + "\n"
    if mangled:  # mbox quotes body lines that begin with 'From '
        expected_body = re.sub(r"^From ", ">From ", expected_body, flags=re.MULTILINE)
    if body != expected_body:
        raise InputError(f"{where}: the letter would read back otherwise")


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
        message = io.BytesIO()
        BytesGenerator(message, mangle_from_=True, policy=policy).flatten(
            build_message(draft, sender, with_html)
        )
        verify_message(message.getvalue(), draft, sender, mangled=True)
        buffer.write(message.getvalue())
        buffer.write(b"\n")
    return buffer.getvalue()
