"""The static action page: one self-contained HTML file that drafts the same letters in a browser.

The page holds no copy of the letter templates. Every letter is rendered here, by the same
templates and code as ``appeal draft``, with marked places for the visitor's name, city, e-mail
and note; each combination of the optional fields (city, e-mail, note) is one rendering. The
page's script only puts the visitor's words into those places and builds the links with the
same encoding and budgets as :mod:`appeal.links`. So its subject, body and links equal the
CLI's by construction. The page makes no request to any host and stores nothing unless the
visitor asks it to remember their name.

The printed letter is rendered the same way, as ``appeal draft's HTML format`` prints it (the
fuller "print" version), twice per record: without and with a note (the sender's city and
e-mail stand only in the sender's block, which the print layout leaves out). Letters share most
of their paragraphs, so each body is kept as a list of paragraph ids. The page's own words come
from :mod:`appeal.page_text`; the CLI's warnings about each record are written in the page's
language from the same data the CLI writes them from (:func:`appeal.drafts.record_warning_parts`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import Any

from appeal.campaign import Campaign
from appeal.countries import all_countries, country_for_code, name_in, typed_name_table
from appeal.drafts import (
    CHANNEL_NOUNS,
    DEFAULT_MAX_AGE_DAYS,
    RecordWarning,
    channels_of,
    check_campaign_language,
    check_pages_of,
    record_warning_parts,
    record_warning_text,
    renderer_for,
)
from appeal.emails import EMAIL_DOMAIN_PATTERN, EMAIL_LOCAL_PATTERN, MAX_EMAIL, MAX_EMAIL_LOCAL
from appeal.errors import TemplateError
from appeal.htmlguard import own_script_hashes, seal_html
from appeal.languages import VERSION_SEPARATOR
from appeal.links import MAIL_VIAS, MAILTO_BUDGET, PROTON_BASE, WEBMAIL_BUDGET, WEBMAIL_FORMS
from appeal.page_text import page_strings, plural
from appeal.prerender import (
    SLOT_CITY,
    SLOT_EMAIL,
    SLOT_NAME,
    SLOT_NOTE,
    VARIANTS,
    Prerendered,
    SlotLetter,
    country_slot,
    slot_sender,
)
from appeal.printable import address_lines, block_language, format_date
from appeal.records import Recipient, SeenDate
from appeal.safety import PUBLIC_POST, rules_for_sender
from appeal.sender import (
    HIDDEN_CHARACTERS,
    MAX_CITY,
    MAX_NAME,
    MAX_NOTE,
    OWN_WORDS_CAUTION,
)
from appeal.textguard import BLANKS, ENCODED_WORD_PATTERN, FOLDED_SPACES

PAGE_TEMPLATE = "page/action.html.j2"


def page_data(
    campaign: Campaign, language: str, kinds: Sequence[str], today: dt.date | None = None
) -> dict[str, Any]:
    """Everything the page's script needs, as plain JSON-ready values."""
    # The page's language is the visitor's own, as a locale is: kinds that the campaign writes
    # in a language of its own get that language first, as a draft without a chosen language does.
    prerendered = Prerendered(campaign, language, today, explicit=False)
    # The printed letter is the fuller version (appeal draft's HTML format); the sender's city
    # and e-mail stand only in its last block, which the print layout leaves out, so two
    # renderings (without and with a note) serve every sender.
    printed = Prerendered(campaign, language, today, explicit=False, medium="print")
    strings = page_strings(language)
    texts: list[str] = []
    index: dict[str, int] = {}

    def text_id(text: str) -> int:
        if text not in index:
            index[text] = len(texts)
            texts.append(text)
        return index[text]

    bodies: list[list[int]] = []
    body_index: dict[tuple[int, ...], int] = {}

    def paragraph_ids(text: str) -> int:
        """The body as a list of paragraph ids, itself kept once (letters share them)."""
        ids = tuple(text_id(paragraph) for paragraph in text.split("\n\n"))
        if ids not in body_index:
            body_index[ids] = len(bodies)
            bodies.append(list(ids))
        return body_index[ids]

    notes: list[dict[str, Any]] = []
    note_index: dict[str, int] = {}

    def note_id(note: dict[str, Any]) -> int:
        key = json.dumps(note, sort_keys=True)
        if key not in note_index:
            note_index[key] = len(notes)
            notes.append(note)
        return note_index[key]

    records = []
    letters_by_record = []
    offline: list[dict[str, Any]] = []
    for record in campaign.recipients:
        if record.kind not in kinds:
            continue
        letters = [prerendered.letter(record, variant) for variant in VARIANTS]
        for letter in letters:
            if letter.why_not is not None:
                template = prerendered.renderer.template_name(language, record.kind)
                raise TemplateError(
                    f"templates/{template}: {letter.why_not}; the action page can only put "
                    "the visitor's details where the letter writes them out whole"
                )
        letters_by_record.append(letters)
        if record.country is None and record.closed_since is None:
            offline.append(_offline_letter(record, letters[0], language, strings))
        entry = _record_json(record, language, letters, text_id, prerendered)
        # Letters share most paragraphs (across variants and records): each body is kept as
        # the ids of its paragraphs, joined again by the page's script.
        entry["bodies"] = [paragraph_ids(letter.body) for letter in letters]
        entry.update(_record_notes(campaign, record, language, strings, prerendered.today))
        if record.postal is not None:
            fuller = [printed.letter(record, variant) for variant in (0, 4)]
            if all(letter.why_not is None for letter in fuller):
                entry["print_bodies"] = [paragraph_ids(letter.body) for letter in fuller]
                if len(fuller[0].languages) > 1:
                    # Each version of a printed letter has its subject in its language.
                    subject = _version_subject(printed, record, fuller[0].languages[1])
                    entry["print_subject"] = text_id(subject)
        entry["notes"] = [note_id(note) for note in entry["notes"]]
        # Titles repeat across records ("the office's own site"): kept once, in texts.
        entry["check"] = [[text_id(title) if title else None, url] for title, url in entry["check"]]
        records.append(entry)
    hint = campaign.settings.own_words_hint
    # Letters in a second language (that of the kinds the campaign writes in a language of
    # their own) name the sender's country in that language too.
    others = sorted(
        {
            used
            for record_letters in letters_by_record
            for letter in record_letters
            for used in letter.languages
        }
        - {language}
    )
    ordered = sorted(all_countries(), key=lambda c: _collation_key(name_in(c, language)))
    # The picker shows everyday names ("Iran", not "République islamique d’Iran"); letters keep the
    # names they sign with.
    everyday = strings.get("country_names", {})
    countries = [
        {
            "code": c.alpha2,
            "code3": c.alpha3,
            "name": name_in(c, language),
            "names": {other: name_in(c, other) for other in others},
        }
        for c in ordered
    ]
    for country in countries:
        if country["code"] in everyday:
            country["shown"] = everyday[country["code"]]
    page_settings = campaign.settings.page
    return {
        "language": language,
        "kinds": list(kinds),
        "records": records,
        "texts": texts,
        "bodies": bodies,
        "countries": countries,
        "slots": {
            "name": SLOT_NAME,
            "city": SLOT_CITY,
            "email": SLOT_EMAIL,
            "note": SLOT_NOTE,
            "countries": {used: country_slot(used) for used in (language, *others)},
        },
        "limits": {
            "name": MAX_NAME,
            "city": MAX_CITY,
            "note": MAX_NOTE,
            "blanks": BLANKS,
            "hidden": HIDDEN_CHARACTERS,
            "encoded_word": ENCODED_WORD_PATTERN,
            "email_local": EMAIL_LOCAL_PATTERN,
            "email_domain": EMAIL_DOMAIN_PATTERN,
            "email_local_max": MAX_EMAIL_LOCAL,
            "email_max": MAX_EMAIL,
        },
        # What a subject folds to one space (letters.fold_spaces; JavaScript's \s differs).
        "spaces": FOLDED_SPACES,
        "links": {
            "vias": list(MAIL_VIAS),
            "mailto_budget": MAILTO_BUDGET,
            "webmail_budget": WEBMAIL_BUDGET,
            "webmail": {via: {"base": b, "names": n} for via, (b, n) in WEBMAIL_FORMS.items()},
            "proton": PROTON_BASE,
        },
        "safety": safety_data(campaign, language, kinds, [c.alpha2 for c in ordered]),
        "pointers": [
            {
                "id": p.id,
                "title": p.title.get(language),
                "url": p.url,
                "note": p.note.get(language) if p.note else None,
                "restricted_in": [status.country for status in p.legal_status],
            }
            for p in campaign.settings.pointers
        ],
        "own_words_hint": hint.get(language) if hint else None,
        "own_words_caution": OWN_WORDS_CAUTION.get(language, OWN_WORDS_CAUTION["en"]),
        "title": campaign.settings.title,
        "ui": strings,
        # The limits as the page's language writes numbers ("2 000", "2.000").
        "limit_text": {
            field: _number(limit, language)
            for field, limit in (("name", MAX_NAME), ("city", MAX_CITY), ("note", MAX_NOTE))
        },
        # Not in the script's data: written into the page for browsers without JavaScript.
        "offline": offline,
        "notes": notes,
        "language_names": {used: _language_name(used, language) for used in others},
        "typed": typed_name_table(("en", language)),
        "separator": VERSION_SEPARATOR,
        "territories": {
            code: text.get(language)
            for code, text in (page_settings.countries.items() if page_settings else ())
        },
    }


def safety_data(
    campaign: Campaign, language: str, kinds: Sequence[str], codes: Sequence[str]
) -> dict[str, Any]:
    """The campaign's safety rules as the page applies them the moment a country is picked:
    every notice in the page's language, and per country (where it differs from the default)
    which notices hold for the sender, for a recipient kind and for public posts, and what is
    withheld. Computed by :mod:`appeal.safety`, so the page and ``appeal draft`` agree."""
    rules = campaign.settings.safety_rules
    notices = {}
    for rule in rules:
        notice = rule.notice(language)
        if notice is not None:
            notices[rule.id] = {"severity": notice.severity, "text": notice.text}

    def entry(alpha2: str) -> dict[str, Any]:
        safety = rules_for_sender(rules, alpha2)
        noted = sorted({kind for rule in safety.rules for kind in rule.recipient_kinds})
        return {
            "sender": [n.code for n in safety.notices((), language, kinds)],
            "kinds": {
                kind: [r.id for r in safety.for_draft(kind, ()) if r.id in notices]
                for kind in noted
            },
            "post": [r.id for r in safety.rules if r.channel == PUBLIC_POST and r.id in notices],
            "withhold_kinds": sorted(safety.withheld_kinds),
            "withhold_posts": PUBLIC_POST in safety.withheld_channels,
            "hide_pointers": sorted(safety.hidden_pointers),
        }

    default = entry("")
    by_country = {}
    for code in codes:
        found = entry(code)
        if found != default:
            by_country[code] = found
    return {
        "order": [rule.id for rule in rules],
        "notices": notices,
        "default": default,
        "countries": by_country,
    }


def _record_notes(
    campaign: Campaign, record: Recipient, language: str, strings: dict[str, Any], today: dt.date
) -> dict[str, Any]:
    """What the page shows under a letter's "To:" line: the CLI's warnings about the record
    (its age and the official pages to check first, confidence, leads, channels) and its
    free-mail addresses, in the page's language; the record's name and the language of its
    name and address, for their ``lang``."""
    fallback = (
        campaign.recipient(record.fallback.recipient)
        if record.fallback is not None and not record.usable_channels()
        else None
    )
    channels = channels_of(record, today, DEFAULT_MAX_AGE_DAYS, fallback)
    notes = [
        _note(record, part, language, strings)
        for part in record_warning_parts(record, today, DEFAULT_MAX_AGE_DAYS, fallback, channels)
    ]
    for email in record.sendable_emails:
        if email.is_free_mail:
            notes.append({"text": strings["free_mail"].replace("{address}", email.address)})
    if record.form is not None and record.form.note:
        # What the record says to check about its form (an address seen only in secondary
        # sources): the record's own words, in English.
        notes.append({"text": record.form.note, "lang": "en"})
    if record.kind in campaign.settings.postal_reply_kinds:
        notes.append({"text": strings["no_reply"]})
    postal = " ".join(address_lines(record.postal, language)[0]) if record.postal else ""
    # The channel the CLI's ranking puts first decides the letter's primary button.
    lead = next((channel.kind for channel in channels if channel.via is None), None)
    return {
        "lead": lead,
        "name_lang": language if language in record.name else "en",
        "postal_lang": "ru" if _CYRILLIC.search(postal) else None,
        "check": check_pages_of(record),
        "closed_text": _seen_text(record.closed_since, language) if record.closed_since else None,
        "notes": notes,
    }


_CYRILLIC = re.compile("[\u0400-\u04ff]")


def _note(
    record: Recipient, part: RecordWarning, language: str, strings: dict[str, Any]
) -> dict[str, Any]:
    """One record warning in the page's language: {text, lang (where it stays English), check
    (the pages to check: title, url)}."""
    note: dict[str, Any] = {"check": True} if part.check else {}
    values = part.values
    lead = values.get("lead")
    what = strings["lead"][lead if lead in CHANNEL_NOUNS else "record"]
    if part.code == "stale":
        seen = values["seen"]
        if language == "en":
            when = seen.phrase()
        else:
            precise = len(seen.text) == 10
            when = strings["seen_day" if precise else "seen_month"].replace(
                "{date}", _seen_text(seen, language)
            )
        text = (
            strings["stale"]
            .replace("{what}", what)
            .replace("{when}", when)
            .replace("{years}", plural(strings["years"], values["years"], language))
            .replace("{bounce}", strings["bounce"] if lead == "email" else "")
        )
    elif part.code == "undated":
        text = strings["undated"].replace("{what}", what)
    elif part.code == "low":
        text = strings["low"]
    elif part.code == "lead-only":
        text = strings["lead_only"].replace("{addresses}", ", ".join(values["addresses"]))
    elif part.code == "no-email":
        ways = {
            "form": strings["by_form"].replace("{url}", record.form.url if record.form else ""),
            "post": strings["by_post"],
        }
        ranked = [ways[way] for way in values["ways"]]
        how = f" {strings['or']} ".join(ranked) if ranked else strings["by_website"]
        text = strings["no_email"].replace("{how}", how)
    else:
        # Rare, and made of the record's own English data: shown in English, marked as such.
        return {"text": record_warning_text(record, part), "lang": "en"}
    note["text"] = text
    return note


def _seen_text(seen: SeenDate, language: str) -> str:
    """A source date as ``language`` writes it, as precise as it is: '24. Februar 2022',
    'mars 2018', 'марта 2018 г.' (CLDR, through Babel); the year alone as it is."""
    from babel.dates import format_skeleton

    if seen.earliest is None:
        return seen.text
    if len(seen.text) == 10:
        return format_date(seen.earliest, language)
    if len(seen.text) == 7:
        locale = "en_GB" if language == "en" else language
        return str(format_skeleton("yMMMM", seen.earliest, locale=locale))
    return seen.text


def _collation_key(name: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _record_json(
    record: Recipient,
    language: str,
    letters: list[SlotLetter],
    text_id: Any,
    prerendered: Prerendered,
) -> dict[str, Any]:
    from appeal.drafts import DraftOptions, post_links_for

    with prerendered.renderer.markers_allowed("\x01"):  # checked just below
        posts = post_links_for(
            prerendered.renderer,
            record,
            slot_sender(0),
            DraftOptions(language=language),
            prerendered.today,
        )
    if any("\x01" in post.text for post in posts):
        # The page shows posts as ready links; it cannot put a visitor's details into them.
        template = prerendered.renderer.template_name(language, "post")
        raise TemplateError(
            f"templates/{template}: puts the sender's details in a public post; the action page "
            "cannot fill them in"
        )
    return {
        "id": record.id,
        "kind": record.kind,
        "country": record.country,
        "also": list(record.also_serves),
        "closed": str(record.closed_since) if record.closed_since else None,
        "name": record.display_name(language),
        "to": [email.address for email in record.sendable_emails],
        "form": None
        if record.form is None
        else {
            "url": record.form.url,
            "fields": list(record.form.fields),
            "max_chars": record.form.max_chars,
        },
        "postal_lines": list(address_lines(record.postal, language)[0]) if record.postal else [],
        "languages": list(letters[0].languages),
        **_print_block(record, letters[0].languages, language),
        # Per variant: a template may put the sender's details in the subject too.
        "subjects": [text_id(letter.subject) for letter in letters],
        "posts": [{"network": p.network, "handle": p.handle, "url": p.url} for p in posts],
    }


#: Inside <script>, '</' could close the element early, so '<' is written as \u003c (still JSON);
#: invisible and C1 control characters (the page's own list of refused characters holds them)
#: are written as escapes too, so that the file itself holds none.
_JSON_ESCAPES = {
    ord(char): f"\\u{ord(char):04x}"
    for char in ["<", *HIDDEN_CHARACTERS, "\u2028", "\u2029", *map(chr, range(0x7F, 0xA0))]
}


def _version_subject(printed: Prerendered, record: Recipient, language: str) -> str:
    """The subject of a printed letter's second version, in its language, with the marked
    place for the sender's name (appeal.printable.letter_parts renders it the same way)."""
    from appeal.drafts import letter_context

    renderer = printed.renderer
    with renderer.markers_allowed("\x01"):
        context = letter_context(record, slot_sender(0), language, "print", printed.today)
        return renderer.render(language, record.kind, context).subject


def _print_block(record: Recipient, languages: Sequence[str], page_language: str) -> dict[str, Any]:
    """The recipient's address block of the printed letter, as appeal's printed letters have it
    (:func:`appeal.printable.recipient_block`): its lines and language, and the destination
    country's line, which the page adds when the sender writes from another country."""
    if record.postal is None:
        return {}
    language = block_language(record, languages)
    names = [record.text("addressee", language), record.text("name", language)]
    street, _ = address_lines(record.postal, language)
    country = record.postal.country
    block: dict[str, Any] = {"print_lang": language}
    # Kept only where they differ from the record's name and the address shown on screen.
    if [line for line in names if line] != [record.display_name(page_language)]:
        block["print_names"] = [line for line in names if line]
    if tuple(street) != address_lines(record.postal, page_language)[0]:
        block["print_street"] = list(street)
    if country:
        block["print_country"] = [country, country_for_code(country).name.upper()]
    return block


def _offline_letter(
    record: Recipient, letter: SlotLetter, language: str, strings: dict[str, Any]
) -> dict[str, Any]:
    """A letter that goes from every country, with bracketed places for the sender's details:
    what the page shows a browser without JavaScript."""
    values = {SLOT_NAME: strings["placeholder_name"]}
    for used in letter.languages:
        values[country_slot(used)] = strings["placeholder_country"]

    def placed(text: str) -> str:
        for slot, value in values.items():
            text = text.replace(slot, value)
        return text

    postal = list(address_lines(record.postal, language)[0]) if record.postal else []
    return {
        "name": record.display_name(language),
        "name_lang": language if language in record.name else "en",
        "to": [email.address for email in record.sendable_emails],
        "postal": postal,
        "postal_lang": "ru" if _CYRILLIC.search(" ".join(postal)) else None,
        "subject": placed(letter.subject),
        "lang": letter.languages[0],
        # Each language version with its lang (the second starts after the separator).
        "parts": _versions(placed(letter.body), letter.languages),
    }


def _versions(body: str, languages: Sequence[str]) -> list[tuple[str, str]]:
    """(lang, text) of each version of a letter: one, or two split after the separator."""
    at = body.rfind(VERSION_SEPARATOR) if len(languages) > 1 else -1
    if at < 0:
        return [(languages[0], body)]
    cut = at + len(VERSION_SEPARATOR)
    return [(languages[0], body[:cut]), (languages[1], body[cut:])]


def _number(value: int, language: str) -> str:
    """A number as ``language`` writes it (CLDR, through Babel)."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=language))


def _language_name(letter_language: str, language: str) -> str:
    """The name of ``letter_language`` in ``language`` ('russe', 'Russisch'), from CLDR."""
    from babel import Locale

    return str(Locale.parse(language).languages.get(letter_language, letter_language))


def build_page(campaign: Campaign, language: str, kinds: Sequence[str]) -> str:
    """The whole page as HTML text, in one of the campaign's languages, for its ``kinds``."""
    check_campaign_language(campaign.settings, language)
    data = page_data(campaign, language, campaign.settings.check_kinds(kinds))
    offline = data.pop("offline")
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    renderer = renderer_for(campaign)
    strings = data["ui"]
    page = campaign.settings.page
    # The page's title per language from campaign.yaml, else the campaign's title (in a
    # language the page cannot know, so left unmarked). A missing language shows English.
    title = page.title.get(language) if page and page.title else campaign.settings.title
    title_lang = (
        "en" if page and page.title and language not in page.title.by_language else language
    )
    context = {
        "language": language,
        "title": title,
        "title_lang": title_lang,
        "data_json": payload,
        "ui": strings,
        "intro": page.intro.get(language) if page else strings["no_intro"],
        "facts_as_of": strings["facts_as_of"].replace("{date}", format_date(page.as_of, language))
        if page and page.as_of
        else None,
        "organiser": strings["organiser"].replace("{name}", page.organiser)
        if page and page.organiser
        else None,
        "contact": strings["contact"].replace("{contact}", page.contact)
        if page and page.contact
        else None,
        "countries": [c.get("shown", c["name"]) for c in data["countries"]],
        "limits": data["limit_text"],
        "own_words_hint": data["own_words_hint"] or "",
        "own_words_caution": data["own_words_caution"],
        "offline": offline,
    }
    html = renderer.render_file(PAGE_TEMPLATE, context)
    label = renderer.source_of(PAGE_TEMPLATE) or PAGE_TEMPLATE
    return seal_html(html, label, own_scripts=_own_scripts())


def _own_scripts() -> frozenset[str]:
    """Hashes of the scripts of appeal's own page template: the only scripts a page may run."""
    from appeal.campaign import TEMPLATES_DIR, default_campaign_root

    source = (default_campaign_root() / TEMPLATES_DIR / PAGE_TEMPLATE).read_text(encoding="utf-8")
    return own_script_hashes(source)
