"""Link sheets for organisers: every recipient's links for one or many countries, in one table.

Without a sender, letters keep clearly marked places (``[Your name]``, ``[Your city]``) that the
supporter fills in in their own mail program. Each row is one link: a mail link (with the letter,
or address and subject only where the letter would not fit), an online form, or a public post.

CSV and JSON columns, in order:

``country``        ISO code of the supporter's country
``country_name``   its English name
``recipient``      record id
``kind``           recipient kind
``name``           the recipient's name
``via``            mailto, gmail, outlook, office365, yahoo, proton, form, x or bluesky
``link``           the URL to open
``body_included``  true when the link carries the letter; false when it must be pasted
``length``         characters in the link
``subject``        the letter's subject
``notices``        what the supporter must know first about this row (safety notes of the
                   campaign, in the sheet's language; paragraphs separated by a blank line)
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from appeal.campaign import Campaign
from appeal.countries import Country, country_for_code, resolve_country
from appeal.drafts import Draft, DraftOptions, build_drafts, safety_for
from appeal.htmlguard import PRINT_POLICY
from appeal.languages import parse_language
from appeal.links import MAIL_VIAS, SHEET_VIAS, chosen_links
from appeal.safety import PUBLIC_POST, SenderRules, fold
from appeal.sender import Sender
from appeal.textguard import spreadsheet_cell

PLACEHOLDER_NAME = "[Your name]"
PLACEHOLDER_CITY = "[Your city]"
COLUMNS = (
    "country",
    "country_name",
    "recipient",
    "kind",
    "name",
    "via",
    "link",
    "body_included",
    "length",
    "subject",
    "notices",
)


def placeholder_sender(country: Country) -> Sender:
    """A sender whose name and city are marked places for the supporter to fill in."""
    return Sender(name=PLACEHOLDER_NAME, country=country, city=PLACEHOLDER_CITY)


def sheet_countries(campaign: Campaign, names: Sequence[str] | None) -> list[Country]:
    """The countries a sheet covers: those named (codes or names), or with None every country
    the campaign's records serve."""
    if names is None:
        return [country_for_code(code) for code in campaign.countries()]
    return [resolve_country(name) for name in names]


def sheet_rows(
    campaign: Campaign,
    countries: Sequence[Country],
    options: DraftOptions,
    vias: Sequence[str] = SHEET_VIAS,
) -> Iterator[dict[str, Any]]:
    """One row per link, country by country, recipient by recipient."""
    language = parse_language(options.language)[0]
    for country in countries:
        drafts = build_drafts(campaign, placeholder_sender(country), options).drafts
        safety = safety_for(campaign, country.alpha2)
        for draft in drafts:
            yield from _draft_rows(country, draft, vias, safety, language)


def notices_cell(safety: SenderRules, kind: str, channels: Sequence[str], language: str) -> str:
    """The notices column of one row: what to know first, as paragraphs."""
    return "\n\n".join(n.text for n in safety.concerning(kind, channels, language))


def _draft_rows(
    country: Country, draft: Draft, vias: Sequence[str], safety: SenderRules, language: str
) -> Iterator[dict[str, Any]]:
    base = {
        "country": country.alpha2,
        "country_name": country.name,
        "recipient": draft.recipient.id,
        "kind": draft.recipient.kind,
        "name": draft.recipient.display_name(draft.language),
    }

    kind = draft.recipient.kind
    letter_notices = notices_cell(safety, kind, (), language)
    post_notices = notices_cell(safety, kind, (PUBLIC_POST,), language)

    def row(via: str, link: str, body_included: bool) -> dict[str, Any]:
        return {
            **base,
            "via": via,
            "link": link,
            "body_included": body_included,
            "length": len(link),
            "subject": draft.subject,
            "notices": post_notices if via in ("x", "bluesky") else letter_notices,
        }

    in_order = [via for via in (*MAIL_VIAS, "form") if via in vias]
    form = draft.recipient.form.url if draft.recipient.form else None
    for via, link, body_included in chosen_links(in_order, draft.links, draft.fallback_links, form):
        yield row(via, link, body_included)
    for post in draft.post_links:
        if post.network in vias:
            yield row(post.network, post.url, True)


def render_sheet(rows: Iterator[dict[str, Any]], fmt: str, title: str) -> str:
    """The rows as csv, json, markdown or a self-contained html page."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for item in rows:
            writer.writerow({key: spreadsheet_cell(value) for key, value in item.items()})
        return buffer.getvalue()
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        lines = [
            f"# {markdown_text(title)}",
            "",
            "| country | recipient | via | link | letter in link | read first |",
            "|---|---|---|---|---|---|",
        ]
        for item in rows:
            cells = [
                markdown_text(f"{item['country_name']} ({item['country']})"),
                markdown_text(item["name"]),
                markdown_text(item["via"]),
                f"[open]({markdown_url(item['link'])})",
                "yes" if item["body_included"] else "no: paste it",
                markdown_text(fold(item["notices"])),
            ]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        return "\n".join(lines) + "\n"
    return _html_sheet(rows, title)


_MARKDOWN_SPECIAL = re.compile(r"([\\\[\]()<>`*_])")


def markdown_text(text: str) -> str:
    """Text for a markdown table cell: link, image, HTML and emphasis syntax escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def markdown_url(url: str) -> str:
    """A URL for a markdown link: parentheses, angle brackets and spaces percent-encoded, so the
    link cannot end early or carry markup."""
    for char, code in (("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E"), (" ", "%20")):
        url = url.replace(char, code)
    return url


def _html_sheet(rows: Iterator[dict[str, Any]], title: str) -> str:
    body = []
    for item in rows:
        letter = "yes" if item["body_included"] else "no: paste it"
        body.append(
            "<tr>"
            f"<td>{html.escape(item['country_name'])} ({html.escape(item['country'])})</td>"
            f"<td>{html.escape(item['name'])}</td>"
            f"<td>{html.escape(item['via'])}</td>"
            f'<td><a href="{html.escape(item["link"], quote=True)}">open</a></td>'
            f"<td>{letter}</td>"
            f"<td>{html.escape(item['notices']).replace(chr(10) * 2, '<br><br>')}</td>"
            "</tr>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head>'
        f'<meta http-equiv="Content-Security-Policy" content="{PRINT_POLICY}">'
        '<meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font:14px/1.4 sans-serif;margin:1em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f"<p>Replace {html.escape(PLACEHOLDER_NAME)} and {html.escape(PLACEHOLDER_CITY)} in each "
        "letter before sending. Nothing is sent by opening a link.</p>"
        "<table><thead><tr><th>Country</th><th>Recipient</th><th>Via</th><th>Link</th>"
        "<th>Letter in link</th><th>Read first</th></tr></thead><tbody>\n"
        + "\n".join(body)
        + "\n</tbody></table></body></html>\n"
    )
