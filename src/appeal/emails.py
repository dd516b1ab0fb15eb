"""E-mail addresses: the checks of an office's address in the records and of a sender's own, and
which domains are free or consumer mail.

An office's address is checked offline with email-validator (imported only when a data file is
read, not from the compiled snapshot); a sender's with the patterns below, which the action page's
script applies too, so that a page and the command line accept the same addresses.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from appeal.errors import InputError
from appeal.textguard import BLANKS, has_encoded_word

MAX_EMAIL = 254
MAX_EMAIL_LOCAL = 64

#: The sender's e-mail rule, which the action page's script applies with the same patterns (so a
#: page and the CLI accept the same addresses): an ASCII dot-atom before the '@', host names of
#: letters, digits and '-' after it, ending in a top-level domain of letters (or its xn-- form).
EMAIL_LOCAL_PATTERN = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
EMAIL_DOMAIN_PATTERN = (
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})"
)

# Free and consumer mail providers: an official address there is usually an old or informal
# one (the list includes every such domain seen in the project's shared data).
FREE_MAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "bk.ru",
        "gmail.com",
        "gmx.de",
        "gmx.net",
        "googlemail.com",
        "hot.ee",
        "hotmail.com",
        "hotmail.fr",
        "icloud.com",
        "inbox.ru",
        "libero.it",
        "list.ru",
        "live.com",
        "mail.com",
        "mail.dk",
        "mail.ru",
        "me.com",
        "msn.com",
        "newmail.ru",
        "online.ee",
        "outlook.com",
        "poczta.onet.pl",
        "proton.me",
        "protonmail.com",
        "rambler.ru",
        "usa.com",
        "web.de",
        "ya.ru",
        "yahoo.co.uk",
        "yahoo.com",
        "yahoo.com.br",
        "yahoo.fr",
        "yandex.com",
        "yandex.ru",
        "ymail.com",
    }
)


def is_free_mail(address: str) -> bool:
    """Whether the address is on a well-known free or consumer mail provider's domain."""
    return address.rpartition("@")[2].lower() in FREE_MAIL_DOMAINS


class EmailProblem(NamedTuple):
    """Why a string is not a usable e-mail address."""

    message: str


def check_email(value: str) -> str | EmailProblem:
    """Validate one address offline; return its ASCII form or the reason it is unusable.

    Whitespace around an address is an error, not silently trimmed: in a data file it usually
    means a copy-and-paste accident, and a display name ("Name <a@b>") is never accepted, since
    links and drafts take bare addresses only.
    """
    if value != value.strip():
        return EmailProblem(f"{value!r} has spaces around it")
    from email_validator import EmailNotValidError, validate_email

    try:
        valid = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        return EmailProblem(f"{value!r} is not a valid e-mail address: {exc}")
    if has_encoded_word(value):
        return EmailProblem(
            f"{value!r} holds '=?...?=' (RFC 2047) syntax, which mail programs decode into other "
            "addresses"
        )
    if valid.ascii_email is None:
        return EmailProblem(
            f"{value!r} has non-ASCII characters before the @, which mail links cannot carry"
        )
    return str(valid.ascii_email)


_QUICK_EMAIL = re.compile(r"[!#-'*+\-/-9=?A-Z^-~.]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def quick_email(value: str) -> str | EmailProblem:
    """A shape check for addresses in an already validated file (ASCII, one '@', a dot),
    giving the address in the form the full check does (its domain in lower case)."""
    if _QUICK_EMAIL.fullmatch(value) and "=?" not in value:
        local, _, domain = value.rpartition("@")
        return f"{local}@{domain.lower()}"
    return check_email(value)  # anything unusual gets the full check and its message


def check_sender_email(value: str) -> str:
    """Return the address trimmed, its domain in lower case, or raise InputError.

    The rule is :data:`EMAIL_LOCAL_PATTERN` @ :data:`EMAIL_DOMAIN_PATTERN` within 64 and 254
    characters, with no RFC 2047 encoded-word in it; the action page applies the same.
    """
    text = value.strip(BLANKS)
    if not text.isascii():
        raise InputError(
            f"{text!r} must use plain (ASCII) letters", field="email", code="not-ascii"
        )
    local, at, domain = text.rpartition("@")
    reason = None
    if not at or not re.fullmatch(EMAIL_LOCAL_PATTERN, local):
        reason = "the part before the '@' is not a plain address"
    elif not re.fullmatch(EMAIL_DOMAIN_PATTERN, domain):
        reason = "the part after the '@' is not a domain name"
    elif len(local) > MAX_EMAIL_LOCAL or len(text) > MAX_EMAIL:
        reason = f"it is too long (at most {MAX_EMAIL_LOCAL} before the '@', {MAX_EMAIL} in all)"
    elif has_encoded_word(text):
        reason = "it holds '=?...?=' (RFC 2047) syntax, which mail programs may decode"
    if reason:
        raise InputError(
            f"{text!r} is not a valid e-mail address: {reason}", field="email", code="invalid-email"
        )
    return f"{local}@{domain.lower()}"
