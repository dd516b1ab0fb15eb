"""HTML that appeal writes never reaches the network, whoever wrote its template.

A campaign folder may bring its own ``print/`` and ``page/`` templates, and a printed letter holds
the sender's name and address. So every HTML file made from a template passes through
:func:`seal_html`, which

1. refuses the output when it holds anything that could fetch or navigate by itself, or that
   parsers read differently (and so could hide such a thing): an attribute that takes a URL with
   anything but an in-page ``#fragment`` (or a ``data:`` image), an event handler, a ``style``
   with ``url()`` or ``@import``, a ``<meta http-equiv>`` other than a content type or a stricter
   policy, elements that embed or load (``base``, ``link``, ``iframe``, ``object``, ``svg`` and
   the like), comments, and any script that is not appeal's own;
2. inserts a fixed Content-Security-Policy as the first child of ``<head>``, so a browser blocks
   every request even if something slipped through: printed letters get no scripts at all, the
   action page only appeal's own script, allowed by its SHA-256 hash (never ``'unsafe-inline'``).

Links the action page's script makes at run time (mail, webmail, the records' forms, the
campaign's pointers) are plain navigations the visitor clicks; their targets are the checked
URLs of the records and ``campaign.yaml`` (http(s) and https only), never text from a template.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Collection
from html.parser import HTMLParser

from appeal.errors import TemplateError
from appeal.textguard import hidden_character_problem

#: The policy of a printed letter: inline styles, nothing else; no forms, no base URL.
PRINT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'"

_PREFIX = re.compile(
    r"\A\s*<!DOCTYPE html>\s*<html(?:\s+(?:lang|dir)=\"[A-Za-z0-9-]*\")*\s*>\s*<head>",
    re.IGNORECASE,
)
#: Constructs that the browser and Python's parser may read differently.
#: (A browser ends a script or style at '</script/' too, Python's parser only at '</script>'.)
_AMBIGUOUS = re.compile(r"<!--|<!\[|<\?|--!>|</(?:script|style)(?!>)", re.IGNORECASE)
_URL_ATTRIBUTES = frozenset(
    (
        *("href", "src", "srcset", "action", "formaction", "poster", "background", "cite"),
        *("data", "codebase", "manifest", "ping", "longdesc", "lowsrc", "dynsrc", "icon"),
        *("profile", "archive", "classid", "usemap", "xlink:href", "srcdoc", "imagesrcset"),
        "attributionsrc",
    )
)
_FORBIDDEN_ELEMENTS = frozenset(
    (
        *("base", "link", "iframe", "frame", "frameset", "object", "embed", "applet"),
        *("portal", "svg", "math", "fencedframe", "image"),
    )
)
#: The one <link> allowed: an icon that is an empty data: URL (loads nothing, and keeps the
#: browser from asking for /favicon.ico).
_EMPTY_ICON = [("rel", "icon"), ("href", "data:,")]
_DATA_IMAGE = re.compile(r"data:image/(?:png|gif|jpeg|webp);base64,[A-Za-z0-9+/=\s]*", re.I)
_CSS_FETCH = re.compile(r"url\s*\(|@import|image-set\s*\(|image\s*\(|expression\s*\(|binding", re.I)
_SAFE_META_EQUIV = ("content-type", "content-security-policy")


def page_policy(script_hashes: Collection[str]) -> str:
    """The action page's policy: its own scripts by hash, inline styles, data: images."""
    scripts = " ".join(f"'sha256-{digest}'" for digest in sorted(script_hashes)) or "'none'"
    return (
        f"default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; img-src data:; "
        "form-action 'none'; base-uri 'none'"
    )


def script_hash(text: str) -> str:
    """The CSP hash of an inline script: SHA-256 of its UTF-8 text as the browser reads it."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    return base64.b64encode(hashlib.sha256(normalised.encode("utf-8")).digest()).decode("ascii")


class _Scan(HTMLParser):
    """Collects the first problem in a document and the hashes of its executable scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problem: str | None = None
        self.script_hashes: list[str] = []
        self._in: str | None = None  # 'script' (executable), 'data' (JSON) or 'style'
        self._text: list[str] = []

    def refuse(self, message: str) -> None:
        if self.problem is None:
            self.problem = message

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag == "link" and attrs == _EMPTY_ICON:
            return  # an empty icon, so that the browser asks no server for a favicon
        if tag in _FORBIDDEN_ELEMENTS:
            self.refuse(f"line {line}: <{tag}> is not allowed (it can load from elsewhere)")
        # Every attribute is checked, duplicates included: a browser keeps the first of two.
        for name, value in attrs:
            self._check_attribute(tag, name, value or "", line)
        values = {name: value or "" for name, value in reversed(attrs)}
        equiv = values.get("http-equiv")
        if tag == "meta" and equiv is not None and equiv.strip().lower() not in _SAFE_META_EQUIV:
            self.refuse(f"line {line}: <meta http-equiv={equiv!r}> is not allowed")
        if tag == "script":
            kind = values.get("type", "").strip().lower()
            self._in = "data" if kind == "application/json" else "script"
            self._text = []
        elif tag == "style":
            self._in = "style"
            self._text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.handle_endtag(tag)

    def _check_attribute(self, tag: str, name: str, value: str, line: int) -> None:
        if name.startswith("on"):
            self.refuse(f"line {line}: <{tag} {name}=…>: event handlers are not allowed")
        elif name in _URL_ATTRIBUTES:
            target = value.strip()
            data_image = tag == "img" and name == "src" and _DATA_IMAGE.fullmatch(target)
            if not (target.startswith("#") and name != "srcdoc") and not data_image:
                self.refuse(
                    f"line {line}: <{tag} {name}={value[:60]!r}> refers to something outside "
                    "the page"
                )
        elif name == "style" and _css_problem(value):
            self.refuse(f"line {line}: <{tag} style=…> {_css_problem(value)}")

    def handle_endtag(self, tag: str) -> None:
        if tag not in ("script", "style") or self._in is None:
            return
        text = "".join(self._text)
        if self._in == "script":
            self.script_hashes.append(script_hash(text))
        elif self._in == "style" and _css_problem(text):
            self.refuse(f"line {self.getpos()[0]}: <style> {_css_problem(text)}")
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self._text.append(data)


def _css_problem(css: str) -> str | None:
    if "\\" in css:
        return "holds a backslash escape, which could hide a url()"
    if match := _CSS_FETCH.search(css):
        return f"holds {match.group()!r}, which could load from elsewhere"
    return None


def seal_html(
    html: str, label: str, policy: str | None = None, own_scripts: Collection[str] = ()
) -> str:
    """``html`` with the Content-Security-Policy inserted first in ``<head>``; raises
    TemplateError (naming ``label``, the template) if the output could reach the network.

    With ``policy`` None the page's policy is built from the hashes of its scripts, each of
    which must be one of ``own_scripts`` (hashes of appeal's own); otherwise no script is allowed.
    """
    prefix = _PREFIX.match(html)
    if prefix is None:
        raise TemplateError(
            f"{label}: the output must begin with <!DOCTYPE html>, <html> (lang and dir only) "
            "and <head>, so that appeal's security policy comes first"
        )
    if problem := hidden_character_problem(html):
        raise TemplateError(f"{label}: the output {problem}")
    if ambiguous := _AMBIGUOUS.search(html):
        line = html.count("\n", 0, ambiguous.start()) + 1
        raise TemplateError(f"{label}: line {line}: {ambiguous.group()!r} is not allowed in output")
    scan = _Scan()
    scan.feed(html)
    scan.close()
    if scan.problem is None:
        foreign = [digest for digest in scan.script_hashes if digest not in own_scripts]
        if policy is not None and scan.script_hashes:
            scan.refuse("a printed letter may hold no script")
        elif foreign:
            scan.refuse(
                "its script is not appeal's own (a campaign may restyle the page, not "
                "change its script)"
            )
    if scan.problem is not None:
        raise TemplateError(f"{label}: {scan.problem}")
    chosen = policy if policy is not None else page_policy(set(scan.script_hashes))
    meta = f'\n<meta http-equiv="Content-Security-Policy" content="{chosen}">'
    return html[: prefix.end()] + meta + html[prefix.end() :]


@functools.lru_cache(maxsize=4)
def own_script_hashes(template_source: str) -> frozenset[str]:
    """Hashes of the executable scripts in one of appeal's own page templates (whose scripts
    hold no template syntax, so they render to exactly their source text)."""
    scan = _Scan()
    scan.feed(template_source)
    scan.close()
    return frozenset(scan.script_hashes)
