"""Writing recipient files back as YAML that :mod:`appeal.yamlfile` reads as the same values.

Strings are written plain where that reads back as the same text under appeal's YAML 1.2-style
rules (so ``country: NO`` stays bare and readable), and double-quoted otherwise; dates are written
as ``YYYY-MM-DD``. The leading comment block of a file is kept; the order of records and of
their fields is the order given.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import Any

from appeal.records import SCHEMA_VERSION

_PLAIN = re.compile(r"^[A-Za-z0-9\u00c0-\u024f\u0400-\u04ff][^:#\n\"'{}\[\],&*!|>%@`]*$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_TYPED = re.compile(
    r"^(?:true|True|TRUE|false|False|FALSE|~|null|Null|NULL|[-+]?(?:0|[1-9][0-9]*)|"
    r"[0-9]{4}-[0-9]{2}-[0-9]{2})$"
)


def scalar(value: Any) -> str:
    """One scalar as YAML text."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if _DATE.match(text):
        return text  # reads back as the date it names, which the schema treats the same
    if _PLAIN.match(text) and not _TYPED.match(text) and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def emit(value: Any, indent: int = 0) -> list[str]:
    """Block-style YAML lines for a mapping or a list."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:")
                lines.extend(emit(item, indent + 2))
            elif isinstance(item, (dict, list)):
                lines.append(f"{pad}{key}: {'{}' if isinstance(item, dict) else '[]'}")
            else:
                lines.append(f"{pad}{key}: {scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                inner = emit(item, indent + 2)
                lines.append(f"{pad}- {inner[0].lstrip()}")
                lines.extend(inner[1:])
            else:
                lines.append(f"{pad}- {scalar(item)}")
    return lines


def leading_comments(text: str) -> str:
    """The comment block at the top of a YAML file (with the blank line after it)."""
    kept: list[str] = []
    for line in text.splitlines():
        if line.startswith("#") or (not line.strip() and kept):
            kept.append(line)
        else:
            break
    return "\n".join(kept).rstrip("\n") + "\n\n" if kept else ""


def dump_recipients(header: str, records: Sequence[dict[str, Any]]) -> str:
    """A whole ``recipients.yaml``: header comments, schema version, one block per record."""
    out = [header.rstrip("\n"), ""] if header else []
    out.extend([f"schema_version: {SCHEMA_VERSION}", "recipients:"])
    for record in records:
        out.append("")
        out.extend(emit([record], 2))
    return "\n".join(out) + "\n"
