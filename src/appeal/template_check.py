"""Checking a campaign's letter templates before anyone sends a letter made from them.

Every kind × language is rendered for a sample sender and for every record of that kind, as the
e-mail (or form) version and as the printed version. A failure is any of: a template that does
not render (a missing value, a syntax error); leftover template syntax or 'None' in the text; an
empty or multi-line subject; a letter over its word budget; a post over 280 characters; or, for
letters in Latin script, a mailto: link over 2,000 characters once a 300-character personal note
is added, since that is the length a supporter's own words are expected to take.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from appeal.campaign import Campaign
from appeal.countries import country_for_code
from appeal.drafts import letter_context, renderer_for
from appeal.errors import TemplateError
from appeal.letters import LetterRenderer
from appeal.links import MAILTO_BUDGET, POST_LIMIT, mailto
from appeal.records import KINDS, LANGUAGES, Recipient
from appeal.sender import Sender

#: Word budgets without the sender's note: an e-mail reads in a minute; a print fits one page.
EMAIL_WORD_BUDGET = 230
PRINT_WORD_BUDGET = 400
#: Languages whose letters must fit a mailto: link with a note (Cyrillic cannot: ×6 encoding).
LATIN_LANGUAGES = ("en", "de", "fr", "es")

#: A personal note of about 300 characters per language, as a supporter might write.
SAMPLE_NOTES = {
    "en": "I studied in Moscow for two years and still have close friends across Russia. Reading "
    "about men taken from their homes in Chechnya, beaten and killed, I cannot stay silent. As a "
    "teacher I see every day how much safety and dignity matter, and I ask you to act so that "
    "these crimes are investigated.",
    "de": "Ich habe zwei Jahre in Moskau studiert und habe noch heute enge Freunde in Russland. "
    "Wenn ich lese, dass Männer in Tschetschenien verschleppt, geschlagen und getötet werden, "
    "kann ich nicht schweigen. Als Lehrerin sehe ich täglich, wie wichtig Sicherheit und Würde "
    "sind. Bitte handeln Sie.",
    "fr": "J'ai étudié deux ans à Moscou et j'ai encore des amis proches en Russie. En lisant que "
    "des hommes sont enlevés, battus et tués en Tchétchénie, je ne peux pas me taire. Comme "
    "enseignant, je vois chaque jour combien la sécurité et la dignité comptent. Je vous demande "
    "d'agir sans attendre.",
    "es": "Estudié dos años en Moscú y todavía tengo buenos amigos en Rusia. Al leer que en "
    "Chechenia se secuestra, golpea y mata a hombres, no puedo callarme. Como profesora veo cada "
    "día cuánto importan la seguridad y la dignidad de las personas. Les ruego que actúen para "
    "que se investiguen estos crímenes.",
    "ru": "Я два года учился в Москве, и у меня до сих пор есть близкие друзья в России. Когда я "
    "читаю о том, что в Чечне мужчин похищают, избивают и убивают, я не могу молчать. Прошу Вас "
    "сделать всё, чтобы эти преступления были расследованы.",
}
_LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\bNone\b|\bUndefined\b")


@dataclass
class TemplateReport:
    """What was checked and what failed."""

    checked: int = 0
    failures: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)


def sample_sender(record: Recipient, language: str, with_note: bool) -> Sender:
    """A plausible sender from the record's country (or Germany for bodies serving all)."""
    return Sender(
        name="Alex Sample",
        country=country_for_code(record.country or "DE"),
        city="Leipzig",
        email="alex@example.org",
        note=SAMPLE_NOTES[language] if with_note else None,
    )


def check_templates(campaign: Campaign, today: dt.date | None = None) -> TemplateReport:
    """Render every kind × language for every record of that kind and report what fails."""
    today = today or dt.date.today()
    renderer = renderer_for(campaign)
    report = TemplateReport()
    for language in LANGUAGES:
        for kind in KINDS:
            name = renderer.template_name(language, kind)
            report.templates.append(name)
            for record in (r for r in campaign.recipients if r.kind == kind):
                report.checked += 1
                try:
                    report.failures.extend(_check_one(renderer, record, language, name, today))
                except TemplateError as error:
                    report.failures.append(f"{name} × {record.id}: {error.problems[0]}")
    return report


def _check_one(
    renderer: LetterRenderer, record: Recipient, language: str, name: str, today: dt.date
) -> list[str]:
    failures: list[str] = []
    where = f"{name} × {record.id}"
    bare = sample_sender(record, language, with_note=False)
    for medium, budget in (("email", EMAIL_WORD_BUDGET), ("print", PRINT_WORD_BUDGET)):
        context = letter_context(record, bare, language, medium, today)
        letter = renderer.render(language, record.kind, context)
        words = len(letter.body.split())
        if words > budget:
            failures.append(f"{where}: the {medium} version has {words} words (budget {budget})")
        for text in (letter.subject, letter.body):
            if leftover := _LEFTOVER.search(text):
                failures.append(f"{where}: leftover {leftover.group()!r} in the {medium} version")
    if not letter.subject or "\n" in letter.subject:
        failures.append(f"{where}: the subject must be one non-empty line")
    if language in LATIN_LANGUAGES and record.sendable_emails:
        with_note = sample_sender(record, language, with_note=True)
        context = letter_context(record, with_note, language, "email", today)
        letter = renderer.render(language, record.kind, context)
        to = [email.address for email in record.sendable_emails]
        length = len(mailto(to, letter.subject, letter.body))
        if length > MAILTO_BUDGET:
            failures.append(
                f"{where}: the mailto: link is {length:,} characters with a "
                f"{len(SAMPLE_NOTES[language])}-character note (limit {MAILTO_BUDGET:,})"
            )
    for handle in record.handles.values():
        context = {**letter_context(record, bare, language, "post", today), "handle": handle}
        text = " ".join(renderer.render_text(language, "post", context).split())
        if len(text) > POST_LIMIT:
            failures.append(f"{where}: the post has {len(text)} characters (limit {POST_LIMIT})")
    return failures
