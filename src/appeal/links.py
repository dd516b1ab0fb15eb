"""Mail links: building ``mailto:`` URIs exactly as RFC 6068 says, and reading them back.

Every value is UTF-8 and percent-encoded with nothing left unescaped but ``A-Z a-z 0-9 - . _ ~``,
so a space is ``%20`` (never ``+``, which mail clients show literally), ``+`` is ``%2B``, ``#`` is
``%23`` and a body line break is ``%0D%0A``. Only the fields ``to``, ``cc``, ``bcc``, ``subject``
and ``body`` are ever written, and never empty. Builders are small pure functions so that they can
be tested exhaustively; lengths are measured on the final, encoded link.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, unquote

#: Chromium on Windows does nothing with a longer mailto: link (its limit is 2,048 characters).
MAILTO_BUDGET = 2000

_CONTROL_EXCEPT_NEWLINE_TAB = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ADDRESS_SAFE = "@"


def encode_value(value: str) -> str:
    """Percent-encode a header or body value for a URI: UTF-8, all but unreserved characters."""
    return quote(value, safe="")


def clean_subject(subject: str) -> str:
    """One line: line breaks fold to spaces and control characters go."""
    folded = re.sub(r"[\r\n]+", " ", subject)
    return _CONTROL_EXCEPT_NEWLINE_TAB.sub("", folded).replace("\t", " ").strip()


def clean_body(body: str) -> str:
    """Body text with CRLF line breaks and no control characters other than tab."""
    unified = body.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_EXCEPT_NEWLINE_TAB.sub("", unified).replace("\n", "\r\n")


def mailto(
    to: Sequence[str],
    subject: str = "",
    body: str = "",
    cc: Sequence[str] = (),
    bcc: Sequence[str] = (),
) -> str:
    """A ``mailto:`` URI for bare ASCII addresses, with optional subject and body."""
    path = ",".join(quote(address, safe=_ADDRESS_SAFE) for address in to)
    fields: list[tuple[str, str]] = []
    if cc:
        fields.append(("cc", ",".join(cc)))
    if bcc:
        fields.append(("bcc", ",".join(bcc)))
    if subject_line := clean_subject(subject):
        fields.append(("subject", subject_line))
    if body_text := clean_body(body):
        fields.append(("body", body_text))
    query = "&".join(f"{name}={encode_value(value)}" for name, value in fields)
    return f"mailto:{path}?{query}" if query else f"mailto:{path}"


@dataclass(frozen=True)
class DecodedMailto:
    """What a mail client reads from a ``mailto:`` URI (RFC 6068 decoding)."""

    to: tuple[str, ...]
    fields: dict[str, str]


def parse_mailto(uri: str) -> DecodedMailto:
    """Decode a ``mailto:`` URI: split on '?', '&' and the first '=', then percent-decode.

    Uses ``unquote`` (never ``unquote_plus``): in a mailto URI '+' is a plus sign.
    """
    if not uri.startswith("mailto:"):
        raise ValueError(f"not a mailto: URI: {uri[:40]!r}")
    path, _, query = uri[len("mailto:") :].partition("?")
    to = tuple(unquote(address) for address in path.split(",") if address)
    fields: dict[str, str] = {}
    for pair in query.split("&") if query else ():
        name, _, value = pair.partition("=")
        fields[unquote(name).lower()] = unquote(value)
    return DecodedMailto(to, fields)
