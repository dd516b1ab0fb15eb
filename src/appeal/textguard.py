"""Rules for text that crosses a trust boundary: into a header, a terminal, a letter or a sheet.

Campaign folders come from people a user may not know, so their texts and template output get
the same checks as what a sender types:

- no control characters (ESC starts terminal escape sequences, OSC 52 writes the clipboard),
  except line feeds and tabs where text may span lines;
- none of the invisible characters that reorder or hide text (bidirectional controls and marks,
  zero-width spaces, byte order marks); data files (records, ``campaign.yaml``) refuse every
  invisible formatting character, since their texts are names, addresses and sentences;
- no RFC 2047 encoded-words (``=?utf-8?b?...?=``) in anything that reaches a mail header, since a
  mail program may decode one into a line break and a new header or recipient;
- no spreadsheet formulas: a CSV cell that begins with ``= + - @``, a tab or a carriage return is
  prefixed with a single quote (the OWASP rule), so a spreadsheet shows it as text.
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: Bidirectional embedding, override and isolate controls (Unicode TR9).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Invisible characters refused in everything a sender types and every template output:
#: direction controls and marks, zero-width spaces and joiners' look-alikes, byte order marks.
#: (The zero-width joiner and non-joiner stay allowed: emoji and several scripts need them.)
HIDDEN = BIDI_CONTROLS | frozenset(
    "\u061c\u180e\u200b\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
)
#: Line and paragraph separators: line breaks that str.splitlines() and some terminals honour.
UNICODE_LINE_BREAKS = frozenset("\u2028\u2029")

#: Written so that Python and JavaScript (the action page) read it alike.
ENCODED_WORD_PATTERN = r"=\?[^?]*\?[^?]*\?[\s\S]*?\?="
_ENCODED_WORD = re.compile(ENCODED_WORD_PATTERN)

#: The blank characters trimmed from the ends of what people type. Explicit (rather than
#: str.strip) so that the action page's JavaScript trims exactly the same set.
BLANKS = " \t\n"


def has_encoded_word(text: str) -> bool:
    """Whether ``text`` holds RFC 2047 encoded-word syntax (``=?charset?b?data?=``)."""
    return "=?" in text and _ENCODED_WORD.search(text) is not None


_CONTROLS = "".join(map(chr, [*range(0x20), *range(0x7F, 0xA0)]))


@functools.lru_cache(maxsize=8)
def _suspects(allow: str) -> re.Pattern[str]:
    """Control characters not in ``allow`` and the hidden characters, as one character class."""
    chars = [char for char in _CONTROLS if char not in allow] + sorted(HIDDEN)
    return re.compile("[" + re.escape("".join(chars)) + "]")


def hidden_character_problem(text: str, allow: str = "\n\t", data: bool = False) -> str | None:
    """Why ``text`` may not be shown or written (its first bad character), or None if it may.

    ``allow`` lists control characters that are fine here (line feed and tab by default).
    ``data`` applies the data-file rule: every invisible formatting character (Unicode category
    Cf, the zero-width joiners included) and the Unicode line separators are refused as well.
    """
    found = _suspects(allow).search(text)
    bad = found.group() if found else None
    if bad is None and data and not text.isascii():
        bad = next(
            (
                char
                for char in text
                if char >= "\x80"
                and (char in UNICODE_LINE_BREAKS or unicodedata.category(char) == "Cf")
            ),
            None,
        )
    if bad is None:
        return None
    if bad in BIDI_CONTROLS or bad in "\u061c\u200e\u200f":
        return f"contains an invisible text-direction control (U+{ord(bad):04X})"
    if unicodedata.category(bad) == "Cc":
        return f"contains a control character (U+{ord(bad):04X})"
    if bad in UNICODE_LINE_BREAKS:
        return f"contains a Unicode line separator (U+{ord(bad):04X})"
    return f"contains an invisible character (U+{ord(bad):04X})"


#: Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: a string that begins like a formula gets a
    leading single quote. Numbers and booleans the tool writes itself are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


#: What folds to one space in subjects and campaign texts (the action page's script folds the
#: same characters; JavaScript's \s differs).
FOLDED_SPACES = " \t\r\n"
_FOLDED_RUN = re.compile(f"[{re.escape(FOLDED_SPACES)}]+")


def fold_spaces(text: str) -> str:
    """One line: runs of spaces, tabs and line breaks become one space. No-break spaces stay
    (French typography puts them before ':' and inside « »)."""
    return _FOLDED_RUN.sub(" ", text).strip(" ")


_BLANKS_AT_LINE_END = re.compile(r"[ \t]+(?=\n|$)")
_BLANK_LINES = re.compile(r"\n{3,}")


def tidy_text(text: str) -> str:
    """Strip spaces and tabs at line ends, keep at most one blank line between paragraphs, and
    trim blank lines at both ends; CRLF line ends become LF. Letters and the sender's note are
    tidied alike, so the action page can put a note into a pre-rendered letter unchanged."""
    joined = _BLANKS_AT_LINE_END.sub("", text.replace("\r\n", "\n"))
    return _BLANK_LINES.sub("\n\n", joined).strip("\n")
