"""Links that open a filled-in message: ``mailto:`` (RFC 6068), webmail compose pages, posts.

Every value is UTF-8 and percent-encoded with nothing left unescaped but ``A-Z a-z 0-9 - . _ ~``,
so a space is ``%20`` (never ``+``, which mail clients show literally), ``+`` is ``%2B``, ``#`` is
``%23`` and a body line break is ``%0D%0A``. Only the fields ``to``, ``cc``, ``bcc``, ``subject``
and ``body`` are ever written, and never empty. Builders are small pure functions so that they can
be tested exhaustively; lengths are measured on the final, encoded link.

Webmail compose links (Gmail, Outlook.com, Microsoft 365, Yahoo) are observed formats, not
documented APIs; they take the same values through the same encoder. Proton Mail takes a whole
``mailto:`` URI in its URL fragment.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple
from urllib.parse import quote, unquote

from appeal.textguard import fold_spaces

#: Chromium on Windows does nothing with a longer mailto: link (its limit is 2,048 characters).
MAILTO_BUDGET = 2000
#: Gmail's compose page fails with HTTP 413/400 from about 6,400 characters.
WEBMAIL_BUDGET = 6000

#: Compose pages by name: base URL and the query name of each field (None: not supported).
WEBMAIL_FORMS: dict[str, tuple[str, dict[str, str | None]]] = {
    "gmail": (
        "https://mail.google.com/mail/?view=cm&fs=1",
        {"to": "to", "cc": "cc", "bcc": "bcc", "subject": "su", "body": "body"},
    ),
    "outlook": (
        "https://outlook.live.com/mail/0/deeplink/compose",
        {"to": "to", "cc": "cc", "bcc": "bcc", "subject": "subject", "body": "body"},
    ),
    "office365": (
        "https://outlook.office.com/mail/deeplink/compose",
        {"to": "to", "cc": None, "bcc": None, "subject": "subject", "body": "body"},
    ),
    "yahoo": (
        "https://compose.mail.yahoo.com/",
        {"to": "to", "cc": "cc", "bcc": "bcc", "subject": "subject", "body": "body"},
    ),
}
PROTON_BASE = "https://mail.proton.me/inbox/#mailto="
#: Every mail link the tool can build, in the order it shows them.
MAIL_VIAS = ("mailto", "gmail", "outlook", "office365", "yahoo", "proton")
#: Every way a link sheet can list: mail links, the online form, public posts.
SHEET_VIAS = (*MAIL_VIAS, "form", "x", "bluesky")

_CONTROL_EXCEPT_NEWLINE_TAB = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ADDRESS_SAFE = "@"


_UNRESERVED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
#: Each byte as a URI carries it: itself if unreserved, else %XX.
_PERCENT = tuple(chr(b) if b in _UNRESERVED else f"%{b:02X}" for b in range(256))


def percent_encode(value: str) -> str:
    """UTF-8, then every byte but ``A-Z a-z 0-9 - . _ ~`` as ``%XX``.

    The same as ``urllib.parse.quote(value, safe="")`` (a test checks it), without its
    per-call set-up, which is most of the cost for a name or a city.
    """
    return "".join([_PERCENT[byte] for byte in value.encode()])


@functools.lru_cache(maxsize=32)
def encode_value(value: str) -> str:
    """Percent-encode a header or body value for a URI: UTF-8, all but unreserved characters.

    Cached: the links of one letter (mailto and four webmail forms) encode the same body.
    """
    return percent_encode(value)


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


class DecodedMailto(NamedTuple):
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


def webmail(
    via: str,
    to: Sequence[str],
    subject: str = "",
    body: str = "",
    cc: Sequence[str] = (),
    bcc: Sequence[str] = (),
) -> str:
    """A compose link for a webmail service in :data:`WEBMAIL_FORMS`, or Proton Mail."""
    if via == "proton":
        return PROTON_BASE + encode_value(mailto(to, subject, body, cc, bcc))
    base, names = WEBMAIL_FORMS[via]
    values = {
        "to": ",".join(to),
        "cc": ",".join(cc),
        "bcc": ",".join(bcc),
        "subject": clean_subject(subject),
        "body": clean_body(body),
    }
    for field, value in values.items():
        if value and names[field] is None:
            raise ValueError(f"{via} compose links cannot carry {field}")
    query = "&".join(
        f"{names[field]}={encode_value(value)}" for field, value in values.items() if value
    )
    if not query:
        return base
    return f"{base}{'&' if '?' in base else '?'}{query}"


def mail_link(via: str, to: Sequence[str], subject: str = "", body: str = "") -> str:
    """The link for ``via`` (one of :data:`MAIL_VIAS`)."""
    return mailto(to, subject, body) if via == "mailto" else webmail(via, to, subject, body)


def parse_webmail(url: str) -> dict[str, str]:
    """Decode a compose link back to its field values (by our field names), for checking."""
    if url.startswith(PROTON_BASE):
        decoded = parse_mailto(unquote(url[len(PROTON_BASE) :]))
        return {"to": ",".join(decoded.to), **decoded.fields}
    for base, names in WEBMAIL_FORMS.values():
        if url.startswith(base):
            ours = {query: field for field, query in names.items() if query}
            query = url[len(base) :].lstrip("?&")
            result: dict[str, str] = {}
            for pair in query.split("&") if query else ():
                name, _, value = pair.partition("=")
                if name in ours:
                    result[ours[name]] = unquote(value)
            return result
    raise ValueError(f"not a known compose link: {url[:40]!r}")


#: Public-post intents: base URL of each network's compose page, which takes ``text``.
POST_INTENTS = {
    "x": "https://twitter.com/intent/tweet?text=",
    "bluesky": "https://bsky.app/intent/compose?text=",
}
POST_LIMIT = 280


def post_link(network: str, text: str) -> str:
    """A compose link for a public post on ``network`` (x or bluesky) with ``text``."""
    return POST_INTENTS[network] + encode_value(fold_spaces(text))


def chosen_links(
    vias: Iterable[str],
    links: Mapping[str, str | None],
    fallback_links: Mapping[str, str],
    form_url: str | None = None,
) -> Iterator[tuple[str, str, bool]]:
    """(via, link, whether the link carries the letter) for each of ``vias`` in turn that has a
    link: the full mail link, else its address-and-subject fallback; ``form`` gives the online
    form, where the letter is pasted. Link sheets, the mail-merge and opening a link
    choose alike."""
    for via in vias:
        if via == "form":
            if form_url is not None:
                yield via, form_url, False
        elif full := links.get(via):
            yield via, full, True
        elif via in fallback_links:
            yield via, fallback_links[via], False
