"""Drafts: one personalised letter per recipient, with the ways it can be sent and its caveats.

This is the heart of the library: pick the records that serve the sender's country, render each
letter, build its links within their length budgets, and say plainly what a person should know
before sending (an old address, a low-confidence lead, a letter that is still the bare template).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from appeal.campaign import TEMPLATES_DIR, Campaign, CampaignSettings, LetterRules, Pointer
from appeal.countries import name_in
from appeal.draft_notices import also_covers_notice, closed_notice, no_recipient_notice
from appeal.draft_warnings import (
    bare_template_warning,
    channel_reason,
    cyrillic_mailto_warning,
    fallback_reason,
    form_fields,
    form_too_long_warning,
    links_too_long_warning,
    postal_reply_warning_notice,
    record_warnings,
    too_long_entry,
)
from appeal.errors import InputError, TemplateError
from appeal.languages import (
    CYRILLIC,
    SECOND_VERSION_LABEL,
    VERSION_SEPARATOR,
    letter_choice,
    parse_language,
    sender_language,
)
from appeal.letters import Letter, LetterRenderer
from appeal.links import (
    MAIL_VIAS,
    MAILTO_BUDGET,
    POST_LIMIT,
    WEBMAIL_BUDGET,
    mail_link,
    post_link,
)
from appeal.records import Recipient, parse_seen_date
from appeal.safety import PUBLIC_POST, Notice, SenderRules, rules_for_sender
from appeal.sender import Sender
from appeal.textguard import fold_spaces

#: The public API (see the README's "Use as a library"); the rest may change.
__all__ = ["Channel", "Draft", "DraftOptions", "DraftSet", "PostLink", "build_drafts"]

#: Records last seen longer ago than this get a warning at draft time.
DEFAULT_MAX_AGE_DAYS = 3 * 365


class Channel(NamedTuple):
    """One way to send a draft (e-mail, online form, post, or the office's website to find a
    current contact), with why it has its place in the ranking and when it was last seen."""

    kind: str
    target: str
    detail: str | None = None
    why: str | None = None
    last_seen: str | None = None
    #: The record the channel belongs to when it is not the draft's own (a fallback office).
    via: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A plain mapping for JSON output."""
        return {
            "kind": self.kind,
            "target": self.target,
            "detail": self.detail,
            "why": self.why,
            "last_seen": self.last_seen,
            "via": self.via,
        }


class PostLink(NamedTuple):
    """A short public post to an official account, and the link that opens it."""

    network: str
    handle: str
    text: str
    url: str

    def to_json(self) -> dict[str, str]:
        """A plain mapping for JSON output."""
        return {"network": self.network, "handle": self.handle, "text": self.text, "url": self.url}


class Draft(NamedTuple):
    """A letter ready for one recipient, and how to send it."""

    recipient: Recipient
    language: str
    medium: str
    to: tuple[str, ...]
    subject: str
    body: str
    links: dict[str, str | None]
    fallback_links: dict[str, str]
    post_links: tuple[PostLink, ...]
    channels: tuple[Channel, ...]
    warnings: tuple[Notice, ...]
    record_age_days: int | None
    #: The part of ``warnings`` about the record itself (its age, its confidence).
    record_warnings: tuple[Notice, ...] = ()
    #: How much of the body is the sender's own text (0 to 1).
    own_words_share: float = 0.0
    #: The language the sender's note is taken to be in ('' : the letter's first language).
    note_language: str = ""
    #: Safety notices that concern this draft (its recipient kind, a channel it offers).
    notices: tuple[Notice, ...] = ()
    #: What to know before a public post (from the rules for that channel), in its language.
    post_caveats: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The draft as a JSON-ready mapping (the JSON output's shape)."""
        record = self.recipient
        return {
            "recipient": record.id,
            "kind": record.kind,
            "name": record.display_name(self.language),
            "language": self.language,
            "medium": self.medium,
            "to": list(self.to),
            "subject": self.subject,
            "body": self.body,
            "links": dict(self.links),
            "fallback_links": dict(self.fallback_links),
            "form": None
            if record.form is None
            else {
                "url": record.form.url,
                "fields": list(record.form.fields),
                "max_chars": record.form.max_chars,
                "note": record.form.note,
                "text": self.body,
            },
            "postal": None
            if record.postal is None
            else {
                "lines": list(record.postal.lines),
                "lines_latin": list(record.postal.lines_latin),
                "country": record.postal.country,
            },
            "post_links": [
                {**post.to_json(), "caveats": list(self.post_caveats)} for post in self.post_links
            ],
            "channels": [channel.to_json() for channel in self.channels],
            "warnings": [warning.to_json() for warning in self.warnings],
            "notices": [notice.code for notice in self.notices],
            "own_words_share": round(self.own_words_share, 2),
            "record": {
                "source": record.source,
                "last_seen": str(record.newest_seen),
                "source_date": str(record.last_seen),
                "age_days": self.record_age_days,
                "confidence": record.confidence,
                "website": record.website,
            },
        }


class DraftSet(NamedTuple):
    """All drafts for one sender, with notices that concern the set rather than one draft
    (safety notices first, in the campaign's order), and the pointers safe to show them."""

    drafts: tuple[Draft, ...]
    notices: tuple[Notice, ...] = ()
    pointers: tuple[Pointer, ...] = ()
    #: The language notices and pointers are written in.
    language: str = "en"

    def to_json(self) -> dict[str, Any]:
        """The JSON output's shape: notices first, then drafts and pointers."""
        return {
            "notices": [notice.to_json() for notice in self.notices],
            "drafts": [draft.to_json() for draft in self.drafts],
            "pointers": [p.to_json(self.language) for p in self.pointers],
        }


class DraftOptions(NamedTuple):
    """Choices that shape the drafts; every field has the default a new user should get."""

    kinds: tuple[str, ...] | None = None
    language: str = "en"
    mailto_budget: int = MAILTO_BUDGET
    webmail_budget: int = WEBMAIL_BUDGET
    max_age_days: int = DEFAULT_MAX_AGE_DAYS
    today: dt.date | None = None
    #: Only these record ids (empty: every record of the chosen kinds).
    recipient_ids: tuple[str, ...] = ()
    #: Whether the user named ``language``; if not, it is the sender's own language
    #: and kinds the campaign writes in another language get that one, with the sender's after it.
    language_explicit: bool = True


def renderer_for(campaign: Campaign) -> LetterRenderer:
    """A letter renderer over the campaign's template folders."""
    roots = [(_label(campaign, index), root) for index, root in enumerate(campaign.template_roots)]
    return LetterRenderer(roots, campaign.template_code)


def _label(campaign: Campaign, index: int) -> str:
    if index == 0 and campaign.label != "the default campaign":
        return f"{campaign.label}/{TEMPLATES_DIR}"
    return TEMPLATES_DIR


def select_recipients(campaign: Campaign, country: str, kinds: Sequence[str]) -> list[Recipient]:
    """Records of the given kinds that serve ``country``, in the order of ``kinds``, then id."""
    order = {kind: position for position, kind in enumerate(kinds)}
    chosen = [r for r in campaign.serving(country) if r.kind in order]
    return sorted(chosen, key=lambda r: (order[r.kind], r.country != country, r.id))


def safety_for(campaign: Campaign, alpha2: str) -> SenderRules:
    """The campaign's safety rules that hold for a sender in ``alpha2``."""
    return rules_for_sender(campaign.settings.safety_rules, alpha2)


def drafted_channels(draft: Draft) -> tuple[str, ...]:
    """The channels a draft offers that safety rules can match."""
    return (PUBLIC_POST,) if draft.post_links else ()


def build_drafts(
    campaign: Campaign, sender: Sender, options: DraftOptions | None = None
) -> DraftSet:
    """Render a draft for every chosen recipient that serves the sender's country, leaving out
    what the campaign's safety rules withhold from this sender."""
    options = options or DraftOptions()
    settings = campaign.settings
    # Naming records picks them among every kind, not only the campaign's default ones.
    every = tuple(settings.kinds) if options.recipient_ids else settings.default_kinds
    kinds = settings.check_kinds(options.kinds or every)
    language = parse_language(options.language)[0]
    check_campaign_language(settings, options.language)
    today = options.today or dt.date.today()
    renderer = renderer_for(campaign)
    country = sender.country
    safety = safety_for(campaign, country.alpha2)
    withheld = safety.withheld_kinds
    recipients = select_recipients(campaign, country.alpha2, kinds)
    if options.recipient_ids:
        unknown = [i for i in options.recipient_ids if campaign.recipient(i) is None]
        if unknown:
            raise InputError(
                f"no record with id {unknown[0]!r}", field="recipient", code="unknown-recipient"
            )
        recipients = [r for r in recipients if r.id in options.recipient_ids]
    recipients = [r for r in recipients if r.kind not in withheld]
    notices: list[Notice] = []
    for record in [r for r in recipients if r.closed_since]:
        recipients.remove(record)
        notices.append(closed_notice(record, language))
    for kind in () if options.recipient_ids else kinds:
        if kind in withheld:
            continue  # the rule that withholds it says why
        if not any(r.kind == kind for r in recipients) and not any(
            r.kind == kind and r.closed_since for r in campaign.serving(country.alpha2)
        ):
            notices.append(no_recipient_notice(settings, kind, country, campaign.label, language))
    for record in recipients:
        if record.country and record.country != country.alpha2:
            notices.append(also_covers_notice(record, country, language))
    allow_posts = PUBLIC_POST not in safety.withheld_channels
    # A sender a campaign's danger note is for is told to read it before giving an address.
    at_risk = any(r.severity == "danger" and r.for_everything for r in safety.rules)
    drafts = []
    for record in recipients:
        draft = _with_reply_warning(
            _draft(
                renderer,
                record,
                sender,
                options,
                today,
                campaign.settings.letters,
                _fallback_of(campaign, record),
                allow_posts,
            ),
            sender,
            campaign.settings,
            at_risk,
            language,
        )
        concerned = safety.for_draft(record.kind, drafted_channels(draft))
        found = [(rule, rule.notice(language)) for rule in concerned]
        drafts.append(
            draft._replace(
                notices=tuple(n for _, n in found if n is not None),
                post_caveats=tuple(
                    n.text for rule, n in found if n is not None and rule.channel == PUBLIC_POST
                ),
            )
        )
    drafted = [(d.recipient.kind, drafted_channels(d)) for d in drafts]
    safety_notices = safety.notices(drafted, language, () if options.recipient_ids else kinds)
    pointers = campaign.settings.pointers_for(country.alpha2, safety.hidden_pointers)
    return DraftSet(tuple(drafts), (*safety_notices, *notices), pointers, language)


def check_campaign_language(settings: CampaignSettings, choice: str) -> None:
    """Refuse a letter language the campaign has no letters in (``languages`` in
    campaign.yaml)."""
    for part in parse_language(choice):
        if part is not None and part not in settings.languages:
            raise InputError(
                f"this campaign's letters are in {', '.join(settings.languages)}, not {part!r}",
                field="language",
                code="language-not-in-campaign",
            )


def postal_reply_warning(
    record: Recipient,
    sender: Sender,
    settings: CampaignSettings,
    at_risk: bool = False,
    language: str = "en",
) -> Notice | None:
    """The warning for a letter that cannot be answered: its recipient replies only at a
    postal address (the campaign says which kinds do) and the sender gave none.

    An address tells the office who and where the sender is, so the warning never presses
    for one: it says what giving one means, and to a sender the campaign's safety note is
    for (``at_risk``) it says to read that note before deciding.
    """
    if sender.address or record.kind not in settings.postal_reply_kinds:
        return None
    return postal_reply_warning_notice(at_risk, settings.postal_reply_reason, language)


def _with_reply_warning(
    draft: Draft, sender: Sender, settings: CampaignSettings, at_risk: bool, language: str
) -> Draft:
    warning = postal_reply_warning(draft.recipient, sender, settings, at_risk, language)
    if warning is None:
        return draft
    return draft._replace(warnings=(warning, *draft.warnings))


def _fallback_of(campaign: Campaign, record: Recipient) -> Recipient | None:
    """The office a record without any contact detail names as its fallback, if it has one."""
    if record.fallback is None or record.usable_channels():
        return None
    return campaign.recipient(record.fallback.recipient)


#: The English name of each kind of channel, for the record warnings the action page builds
#: from :func:`record_warning_parts` (the CLI's own texts are in draft_warnings.py).
CHANNEL_NOUNS = {
    "email": "e-mail address",
    "form": "online form",
    "post": "postal address",
    "website": "website",
}

#: What each leading channel makes of the letter: an e-mail, a form's text, or a printed letter.
MEDIUM_OF_CHANNEL = {"email": "email", "form": "form", "post": "print", "website": "print"}


def medium_for(
    record: Recipient, today: dt.date | None = None, max_age_days: int = DEFAULT_MAX_AGE_DAYS
) -> str:
    """The channel a record's letter is written for: that of its likeliest channel (email or
    form), else a printed letter."""
    return _medium(channels_of(record, today, max_age_days))


def _medium(channels: Sequence[Channel]) -> str:
    own = (MEDIUM_OF_CHANNEL[channel.kind] for channel in channels if channel.via is None)
    return next(own, "print")


def compose_letter(
    renderer: LetterRenderer,
    record: Recipient,
    sender: Sender,
    choice: str,
    medium: str,
    today: dt.date,
    note_language: str | None = None,
) -> tuple[str, Letter]:
    """The letter in the languages of ``choice``, as given: 'ru+de' is the Russian letter with
    the German version after it (see :func:`letter_choice` and :func:`recipient_choice` for
    how a user's choice becomes this). Returns (languages, letter); the subject is the first
    version's.

    The sender's note is taken to be in their own language: the second one when the first is
    the recipient's and the second is not, else the first. A version in another language
    labels it as the sender's own words (``sender.note_language`` in the templates).
    ``note_language`` says it outright where ``choice`` no longer shows it (see
    :func:`sender_language`).
    """
    primary, second = parse_language(choice)
    if note_language is None:
        beside = (
            second is not None and primary in record.languages and second not in record.languages
        )
        note_language = second if beside else primary
    letter = renderer.render(
        primary,
        record.kind,
        letter_context(record, sender, primary, medium, today, note_language),
    )
    if second is None:
        return primary, letter
    other = renderer.render(
        second, record.kind, letter_context(record, sender, second, medium, today, note_language)
    )
    body = f"{letter.body}{VERSION_SEPARATOR}{SECOND_VERSION_LABEL[second]}:\n\n{other.body}"
    return f"{primary}+{second}", Letter(letter.subject, body)


def own_words_share(body: str, note: str | None) -> float:
    """The share of ``body`` that is the sender's own note (counted each time it appears)."""
    if not note or not body:
        return 0.0
    return min(1.0, body.count(note) * len(note) / len(body))


def letter_context(
    record: Recipient,
    sender: Sender,
    language: str,
    medium: str,
    today: dt.date,
    note_language: str | None = "",
) -> dict[str, Any]:
    """The values a letter template sees. ``note_language`` is the language the sender's note
    is in (None: unknown; by default the letter's own)."""
    holder = record.officeholder
    return {
        "language": language,
        "medium": medium,
        "today": today,
        "sender": {
            "name": sender.name,
            "city": sender.city,
            "country": name_in(sender.country, language),
            "email": sender.email,
            "note": sender.note,
            "note_language": language if note_language == "" else note_language,
            "address": list(sender.address),
        },
        "recipient": {
            "id": record.id,
            "kind": record.kind,
            "name": record.display_name(language),
            "addressee": record.text("addressee", language) or record.text("addressee", "en"),
            "salutation": record.text("salutation", language),
            "officeholder": None
            if holder is None
            else {
                "name": holder.name,
                "title": holder.title,
                "role": holder.role,
                "as_of": str(holder.as_of),
            },
        },
    }


def _draft(
    renderer: LetterRenderer,
    record: Recipient,
    sender: Sender,
    options: DraftOptions,
    today: dt.date,
    rules: LetterRules | None = None,
    fallback: Recipient | None = None,
    allow_posts: bool = True,
) -> Draft:
    own_language = parse_language(options.language)[0]
    channels = channels_of(record, today, options.max_age_days, fallback, own_language)
    medium = _medium(channels)
    choice, language_notice = letter_choice(
        record, options.language, options.language_explicit, rules or LetterRules()
    )
    note_language = sender_language(record, options.language)
    language, letter = compose_letter(
        renderer, record, sender, choice, medium, today, note_language
    )
    to = tuple(email.address for email in record.sendable_emails)
    warnings: list[Notice] = [language_notice] if language_notice else []
    links, fallback_links, link_warnings = mail_links(to, letter.subject, letter.body, options)
    warnings.extend(link_warnings)
    if fallback_links.get("mailto") and CYRILLIC.search(letter.body):
        warnings.append(cyrillic_mailto_warning(own_language))
    if record.form and record.form.max_chars and len(letter.body) > record.form.max_chars:
        warnings.append(
            form_too_long_warning(len(letter.body), record.form.max_chars, own_language)
        )
    record_warnings = _record_warnings(
        record, today, options.max_age_days, fallback, channels, own_language
    )
    warnings.extend(record_warnings)
    own_share = own_words_share(letter.body, sender.note)
    if not sender.note:
        warnings.append(bare_template_warning(own_language))
    return Draft(
        recipient=record,
        language=language,
        medium=medium,
        to=to,
        subject=letter.subject,
        body=letter.body,
        links=links,
        fallback_links=fallback_links,
        post_links=post_links_for(renderer, record, sender, options, today) if allow_posts else (),
        channels=channels,
        warnings=tuple(warnings),
        record_age_days=record.newest_seen.age_days(today),
        record_warnings=tuple(record_warnings),
        own_words_share=own_share,
        note_language=note_language,
    )


def mail_links(
    to: Sequence[str],
    subject: str,
    body: str,
    options: DraftOptions,
    vias: Sequence[str] = MAIL_VIAS,
) -> tuple[dict[str, str | None], dict[str, str], list[Notice]]:
    """Every mail link in ``vias`` within its budget; over budget, a body-less link and a warning
    (in the sender's language).

    Returns (links by via, None where there is none; body-less fallbacks; warnings).
    """
    links: dict[str, str | None] = dict.fromkeys(vias)
    fallback: dict[str, str] = {}
    warnings: list[Notice] = []
    if not to:
        return links, fallback, warnings
    language = parse_language(options.language)[0]
    too_long: list[str] = []
    for via in vias:
        if not link_allowed(via, to):
            continue
        budget = link_budget(via, options)
        full = mail_link(via, to, subject, body)
        if len(full) <= budget:
            links[via] = full
        else:
            fallback[via] = mail_link(via, to, subject)
            too_long.append(too_long_entry(via, len(full), budget, language))
    if too_long:
        warnings.append(links_too_long_warning(too_long, language))
    return links, fallback, warnings


def link_allowed(via: str, to: Sequence[str]) -> bool:
    """Whether ``via`` can carry a message to ``to`` at all."""
    # Microsoft 365 turns an encoded '+' in 'to' into a space (OfficeDev/office-js#4127).
    return not (via == "office365" and any("+" in address for address in to))


def link_budget(via: str, options: DraftOptions) -> int:
    """The longest link ``via`` may have."""
    return options.mailto_budget if via == "mailto" else options.webmail_budget


def post_links_for(
    renderer: LetterRenderer,
    record: Recipient,
    sender: Sender,
    options: DraftOptions,
    today: dt.date,
) -> tuple[PostLink, ...]:
    """Links for short public posts to the accounts the record lists (X, Bluesky)."""
    posts = []
    for network, handle in record.handles.items():
        if network not in ("x", "bluesky"):
            continue
        language = parse_language(options.language)[0]
        context = letter_context(record, sender, language, "post", today)
        text = renderer.render_text(language, "post", {**context, "handle": handle})
        text = fold_spaces(text)
        if len(text) > POST_LIMIT:
            raise TemplateError(
                f"templates/{renderer.template_name(language, 'post')}: the post for "
                f"@{handle} has {len(text)} characters; the limit is {POST_LIMIT}"
            )
        posts.append(PostLink(network, handle, text, post_link(network, text)))
    return tuple(posts)


#: Places in the ranking of channels (lower leads): a recent e-mail address on the office's
#: own domain, its online form, an older e-mail address on its own domain, the postal address,
#: its website (to find a current contact), a free-mail address, a part of the office's mailbox.
_RANK = {
    "lead": 0,
    "recent-email": 1,
    "form": 2,
    "old-email": 3,
    "post": 4,
    "website": 5,
    "free-mail": 6,
    "other-mailbox": 7,
}


def channels_of(
    record: Recipient,
    today: dt.date | None = None,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    fallback: Recipient | None = None,
    language: str = "en",
) -> tuple[Channel, ...]:
    """Every way to reach a record, the likeliest to arrive first, each saying why in
    ``language``.

    A record's ``lead`` (the office's own rules, e.g. paper letters only) puts that channel
    first; its ``channel_advice`` (the record's words, in English) is added to the reason. A
    record without any contact detail lists its fallback office's channels after its own
    website.
    """
    today = today or dt.date.today()
    ranked: list[tuple[int, int, Channel]] = []

    def add(place: str, channel: Channel) -> None:
        advice = record.channel_advice.get(channel.kind) if channel.via is None else None
        if channel.via is None and record.lead == channel.kind:
            place = "lead"
        why = " ".join(filter(None, [channel.why, advice]))
        ranked.append((_RANK[place], len(ranked), channel._replace(why=why or None)))

    for email in record.emails:
        if email.confidence == "low":
            continue
        if email.role:
            why = channel_reason("other-mailbox", email.last_seen, language, email.role)
            add("other-mailbox", Channel("email", email.address, email.note, why))
            continue
        age = email.last_seen.age_days(today)
        if email.is_free_mail:
            place = "free-mail"
        elif age is not None and age <= max_age_days:
            place = "recent-email"
        else:
            place = "old-email"
        why = channel_reason(place, email.last_seen, language)
        add(place, Channel("email", email.address, email.note, why, str(email.last_seen)))
    if record.form:
        seen = record.channel_source("form").last_seen
        fields = form_fields(record.form.fields, language) if record.form.fields else None
        why = channel_reason("form", seen, language)
        add("form", Channel("form", record.form.url, fields, why, str(seen)))
    if record.postal:
        postal = record.postal
        latin = postal.one_line(latin=True) if postal.lines_latin else None
        seen = record.channel_source("postal").last_seen
        why = channel_reason("post", seen, language)
        add(
            "post",
            Channel("post", postal.one_line(), latin, why, str(seen)),
        )
    if record.website:
        seen = record.channel_source("website").last_seen
        why = channel_reason("website", seen, language)
        add("website", Channel("website", record.website, None, why, str(seen)))
    if fallback is not None and record.fallback is not None:
        name = fallback.display_name(language)
        for channel in channels_of(fallback, today, max_age_days, language=language):
            if channel.kind == "website":
                continue
            why = fallback_reason(name, channel.why, language)
            ranked.append((len(_RANK), len(ranked), channel._replace(why=why, via=fallback.id)))
    return tuple(channel for _, _, channel in sorted(ranked))


def _check_where(record: Recipient) -> str:
    """' Check X and Y before sending.' with the record's official pages, else its website."""
    pages = [f"{title} ({url})" if title else url for title, url in check_pages_of(record)]
    return f" Check {' and '.join(pages)} before sending." if pages else ""


def check_pages_of(record: Recipient) -> list[tuple[str | None, str]]:
    """(title, url) of the official pages to check a record against, else its website."""
    pages: list[tuple[str | None, str]] = [(page.title, page.url) for page in record.check_pages]
    if not pages and record.website:
        pages = [(None, record.website)]
    return pages


class RecordWarning(NamedTuple):
    """One warning about a record itself (its age, confidence or channels), as data: ``code``
    says which, ``values`` what it names. :func:`record_warning_text` writes it in English;
    the action page writes the same warnings in its own language."""

    code: str
    values: Mapping[str, Any]
    #: Whether the check pages (see :func:`check_pages_of`) follow the sentence.
    check: bool = False


def record_warning_parts(
    record: Recipient,
    today: dt.date,
    max_age_days: int,
    fallback: Recipient | None = None,
    channels: Sequence[Channel] = (),
) -> list[RecordWarning]:
    """The warnings about a record, as data, in the order the CLI gives them."""
    parts: list[RecordWarning] = []
    lead = next((channel for channel in channels if channel.via is None), None)
    seen = parse_seen_date(lead.last_seen) if lead and lead.last_seen else None
    seen = seen or record.newest_seen
    age = seen.age_days(today)
    lead_kind = lead.kind if lead else None
    if record.fallback is not None and not record.usable_channels():
        parts.append(RecordWarning("no-contact", {"fallback": fallback}))
    elif age is None:
        parts.append(RecordWarning("undated", {"lead": lead_kind}, check=True))
    elif age > max_age_days:
        values = {"lead": lead_kind, "seen": seen, "years": age // 365}
        parts.append(RecordWarning("stale", values, check=True))
    if record.confidence == "low":
        parts.append(RecordWarning("low", {}, check=True))
    leads = [email.address for email in record.emails if email.confidence == "low"]
    if leads and not record.sendable_emails:
        parts.append(RecordWarning("lead-only", {"addresses": leads}))
    if not record.sendable_emails and record.usable_channels():
        ranked = [c.kind for c in channels if c.kind in ("form", "post") and c.via is None]
        if "form" in ranked and record.form is None:
            ranked.remove("form")
        parts.append(RecordWarning("no-email", {"ways": ranked}))
    return parts


def record_warning_text(record: Recipient, part: RecordWarning) -> str:
    """A record warning as the CLI writes it (English)."""
    values = part.values
    check = _check_where(record) if part.check else ""
    lead = values.get("lead")
    what = f"The {CHANNEL_NOUNS[lead]} this draft leads with" if lead else "This record"
    if part.code == "no-contact":
        where = f" ({record.city})" if record.city else ""
        site = f" Its website: {record.website}." if record.website else ""
        fallback = values["fallback"]
        note = record.fallback.note if record.fallback else ""
        instead = (
            f" Until one is known, the fallback listed above can forward your letter: "
            f"{fallback.display_name()}."
            if fallback is not None
            else ""
        )
        return (
            f"The {record.display_name()}{where} exists, but no contact detail of it is known "
            f"yet.{site} {note}{instead}"
        )
    if part.code == "undated":
        return f"{what} comes from an undated source, so its age is unknown.{check}"
    if part.code == "stale":
        bounce = " (an e-mail may bounce)" if lead == "email" else ""
        return (
            f"{what} was last seen in its source {values['seen'].phrase()} (about "
            f"{values['years']} years ago): it may have changed{bounce}.{check}"
        )
    if part.code == "low":
        return f"This record is of low confidence (secondary source only).{check}"
    if part.code == "lead-only":
        return (
            f"The only e-mail address known ({', '.join(values['addresses'])}) is an unconfirmed "
            "lead, so it is not used here; send the letter another way."
        )
    ways = {
        "form": f"through the online form at {record.form.url}" if record.form else "",
        "post": "by post to the address given",
    }
    ranked = [ways[way] for way in values["ways"]]
    how = " or ".join(ranked) if ranked else "by a channel listed on its website"
    return f"No e-mail address: send this letter {how}."


def _record_warnings(
    record: Recipient,
    today: dt.date,
    max_age_days: int,
    fallback: Recipient | None = None,
    channels: Sequence[Channel] = (),
    language: str = "en",
) -> list[Notice]:
    lead = next((channel for channel in channels if channel.via is None), None)
    seen = parse_seen_date(lead.last_seen) if lead and lead.last_seen else None
    seen = seen or record.newest_seen
    return record_warnings(
        record,
        language,
        age_days=seen.age_days(today),
        seen=seen,
        max_age_days=max_age_days,
        lead_kind=lead.kind if lead else None,
        ways=[c.kind for c in channels if c.via is None],
        fallback_name=fallback.display_name(language) if fallback is not None else None,
    )
