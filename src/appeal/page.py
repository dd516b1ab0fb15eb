"""The static action page: one self-contained HTML file that drafts the same letters in a browser.

The page holds no copy of the letter templates. Every letter is rendered here, by the same
templates and code as ``appeal draft``, with marked places for the visitor's name, city, e-mail
and note; each combination of the optional fields (city, e-mail, note) is one rendering. The
page's script only puts the visitor's words into those places and builds the links with the
same encoding and budgets as :mod:`appeal.links`. So its subject, body and links equal the
CLI's by construction. The page makes no request to any host and stores nothing unless the
visitor asks it to remember their name.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from appeal.campaign import Campaign
from appeal.countries import all_countries, name_in
from appeal.drafts import check_campaign_language, renderer_for
from appeal.emails import EMAIL_DOMAIN_PATTERN, EMAIL_LOCAL_PATTERN, MAX_EMAIL, MAX_EMAIL_LOCAL
from appeal.errors import TemplateError
from appeal.htmlguard import own_script_hashes, seal_html
from appeal.links import MAIL_VIAS, MAILTO_BUDGET, PROTON_BASE, WEBMAIL_BUDGET, WEBMAIL_FORMS
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
from appeal.records import Recipient
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
    texts: list[str] = []
    index: dict[str, int] = {}

    def text_id(text: str) -> int:
        if text not in index:
            index[text] = len(texts)
            texts.append(text)
        return index[text]

    records = []
    letters_by_record = []
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
        records.append(_record_json(record, language, letters, text_id, prerendered))
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
    countries = [
        {
            "code": c.alpha2,
            "name": name_in(c, language),
            "names": {other: name_in(c, other) for other in others},
        }
        for c in ordered
    ]
    return {
        "language": language,
        "kinds": list(kinds),
        "records": records,
        "texts": texts,
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
        else {"url": record.form.url, "fields": list(record.form.fields)},
        "postal": record.postal.one_line(latin=True) if record.postal else None,
        "website": record.website,
        "last_seen": str(record.newest_seen),
        # Per variant: a template may put the sender's details in the subject too.
        "subjects": [text_id(letter.subject) for letter in letters],
        "bodies": [text_id(letter.body) for letter in letters],
        "posts": [{"network": p.network, "handle": p.handle, "url": p.url} for p in posts],
    }


#: Inside <script>, '</' could close the element early, so '<' is written as \u003c (still JSON);
#: invisible and C1 control characters (the page's own list of refused characters holds them)
#: are written as escapes too, so that the file itself holds none.
_JSON_ESCAPES = {
    ord(char): f"\\u{ord(char):04x}"
    for char in ["<", *HIDDEN_CHARACTERS, "\u2028", "\u2029", *map(chr, range(0x7F, 0xA0))]
}


def build_page(campaign: Campaign, language: str, kinds: Sequence[str]) -> str:
    """The whole page as HTML text, in one of the campaign's languages, for its ``kinds``."""
    check_campaign_language(campaign.settings, language)
    data = page_data(campaign, language, campaign.settings.check_kinds(kinds))
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    renderer = renderer_for(campaign)
    html = renderer.render_file(
        PAGE_TEMPLATE,
        {"language": language, "title": campaign.settings.title, "data_json": payload},
    )
    label = renderer.source_of(PAGE_TEMPLATE) or PAGE_TEMPLATE
    return seal_html(html, label, own_scripts=_own_scripts())


def _own_scripts() -> frozenset[str]:
    """Hashes of the scripts of appeal's own page template: the only scripts a page may run."""
    from appeal.campaign import TEMPLATES_DIR, default_campaign_root

    source = (default_campaign_root() / TEMPLATES_DIR / PAGE_TEMPLATE).read_text(encoding="utf-8")
    return own_script_hashes(source)
