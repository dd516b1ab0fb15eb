"""Putting a letter on the clipboard, so it can be pasted into a mail program or a web form.

pyperclip is used where the system has a clipboard (on Linux it needs xclip, xsel or
wl-clipboard, which are absent over SSH). As a fallback the user may opt in to the OSC 52
terminal escape, which asks the terminal itself to set the clipboard; many terminals ignore it
silently, so the caller always says what it did and prints the text when nothing worked.
"""

from __future__ import annotations

import base64
from typing import TextIO

#: Terminals cap OSC 52 payloads; beyond this the escape is not attempted.
OSC52_LIMIT = 74_000


class ClipboardUnavailable(Exception):
    """No way to reach a clipboard from here; the reason is the message."""


def osc52_sequence(text: str) -> str:
    """The OSC 52 escape that asks a terminal to put ``text`` on the system clipboard."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f"\x1b]52;c;{payload}\x07"


def copy_text(text: str, allow_osc52: bool, terminal: TextIO) -> str:
    """Copy ``text``; return how ('clipboard' or 'terminal (OSC 52)').

    Raises ClipboardUnavailable when neither way is possible.
    """
    try:
        import pyperclip

        pyperclip.copy(text)
        return "clipboard"
    except Exception as exc:  # pyperclip raises its own exception types per platform
        reason = str(exc) or type(exc).__name__
    if allow_osc52:
        if not terminal.isatty():
            raise ClipboardUnavailable("no clipboard, and OSC 52 needs a terminal")
        sequence = osc52_sequence(text)
        if len(sequence) > OSC52_LIMIT:
            raise ClipboardUnavailable("no clipboard, and the text is too long for OSC 52")
        terminal.write(sequence)
        terminal.flush()
        return "terminal (OSC 52; some terminals ignore it)"
    raise ClipboardUnavailable(f"no clipboard ({reason.splitlines()[0]})")
