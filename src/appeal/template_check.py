"""Checking a campaign's letter templates before anyone sends a letter made from them.

Every kind × language is rendered for a sample sender and for every record of that kind, as the
e-mail (or form) version and as the printed version. A failure is any of: a template that does
not render (a missing value, a syntax error); leftover template syntax or 'None' in the text; an
empty or multi-line subject, or one over 80 characters; a letter over its word budget; a post
over 280 characters; a leftover template artefact ("(на)", "(e)", "[name]"); a source the
campaign forbids in letters to that kind (``letters.forbidden_sources`` in campaign.yaml); French
text without its non-breaking spaces (U+00A0 before ':', U+202F before '; ? !' and inside « »)
or with a straight apostrophe; or, for English, German and Spanish letters, a mailto: link
over 2,000 characters once a 300-character personal note is added, since that is the length a
supporter's own words are expected to take.
A subject with RFC 2047 syntax or any output with control or invisible characters fails too, and
the printed letter (and a campaign's own action page) must pass appeal's HTML checks
(appeal.htmlguard).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from appeal.campaign import Campaign, CampaignSettings, LetterRules
from appeal.countries import country_for_code
from appeal.drafts import letter_context, medium_for, renderer_for
from appeal.errors import TemplateError
from appeal.letters import Letter, LetterRenderer
from appeal.links import MAILTO_BUDGET, POST_LIMIT, mailto
from appeal.records import Recipient
from appeal.sender import Sender
from appeal.textguard import fold_spaces

#: Word budgets without the sender's note: an e-mail reads in a minute; a letter pasted into an
#: online form (which the sender may also print and post) and a printed letter fit one page.
EMAIL_WORD_BUDGET = 230
FORM_WORD_BUDGET = 300
PRINT_WORD_BUDGET = 400
#: Languages whose letters must fit a mailto: link with a note. Cyrillic cannot (each letter
#: takes six characters in a link). Nor can French with its typography and the facts the letters
#: now give: U+00A0 before ':', U+202F before '; ? !' and inside « », and the apostrophe ’ take
#: six to nine characters each, and the default campaign's French letters by e-mail measured
#: 2,348 to 2,800 characters with a 287-character note. Their drafts offer a subject-only
#: mailto: link with a warning, and the webmail links (budget 6,000) carry the whole letter.
MAILTO_LANGUAGES = ("en", "de", "es")

#: The note templates are checked with when the campaign gives none of its own
#: (``sample_notes`` in campaign.yaml): about 300 characters, as a supporter might write.
GENERIC_SAMPLE_NOTES = {
    "en": "I have followed the reports on this case for a long time, and I read them with growing "
    "concern. As a teacher I see every day how much safety and dignity matter to people. I ask "
    "you to use the powers of your office so that what happened is looked into and those "
    "affected are protected.",
    "de": "Ich verfolge die Berichte über diesen Fall seit Langem und lese sie mit wachsender "
    "Sorge. Als Lehrerin sehe ich täglich, wie wichtig Menschen Sicherheit und Würde sind. "
    "Ich bitte Sie, die Befugnisse Ihres Amtes zu nutzen, damit die Vorgänge aufgeklärt werden.",
    "fr": "Je suis depuis longtemps les informations sur cette affaire, avec une inquiétude "
    "croissante. Comme enseignant, je vois chaque jour combien la sécurité et la dignité "
    "comptent. Je vous demande d’user des pouvoirs de votre fonction pour que les faits soient "
    "examinés.",
    "es": "Sigo desde hace tiempo las noticias sobre este caso, con una preocupación creciente. "
    "Como profesora veo cada día cuánto importan la seguridad y la dignidad de las personas. Les "
    "ruego que usen las competencias de su cargo para que se examinen los hechos.",
    "ru": "Я давно слежу за сообщениями об этом деле, и они вызывают у меня всё большую тревогу. "
    "Как учитель я каждый день вижу, как важны для людей безопасность и достоинство. Прошу Вас "
    "использовать полномочия Вашей должности, чтобы обстоятельства были проверены.",
}
_LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\bNone\b|\bUndefined\b")
#: Gender or number left open by a template: "признателен(на)", "cher(e)", "[name]".
_ARTEFACT = re.compile(
    r"\((?:на|ла|а|ая|е|ы|e|a|es|in|innen|r|s|x|ne|le)\)|\w/(?:in|innen|a|e)\b|\[[^\]\n]{1,40}\]"
)
#: A subject longer than this is cut off in mail lists and reads as careless on paper.
MAX_SUBJECT_CHARS = 80
NBSP, NNBSP = "\u00a0", "\u202f"
#: French typography: what must stand before ':' (NBSP), before '; ? !' (U+202F), inside « ».
_FRENCH_SPACING = (
    (re.compile(r"(?<!\u00a0):(?!//)"), "a ':' without a non-breaking space (U+00A0) before it"),
    (re.compile(r"(?<!\u202f)[;?!]"), "a ';', '?' or '!' without a narrow no-break space (U+202F)"),
    (re.compile(r"«(?![\u202f\u00a0])|(?<![\u202f\u00a0])»"), "« » without no-break spaces inside"),
    (re.compile(r"'"), "a straight apostrophe (use ’)"),
)


@dataclass
class TemplateReport:
    """What was checked and what failed."""

    checked: int = 0
    failures: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)


def sample_note(settings: CampaignSettings, language: str) -> str:
    """The campaign's sample note in ``language`` (else in English), or a generic one."""
    if settings.sample_notes is not None:
        return settings.sample_notes.get(language)
    return GENERIC_SAMPLE_NOTES[language]


def sample_sender(
    record: Recipient, language: str, with_note: bool, settings: CampaignSettings | None = None
) -> Sender:
    """A plausible sender from the record's country (or Germany for bodies serving all)."""
    note = None
    if with_note:
        note = sample_note(settings, language) if settings else GENERIC_SAMPLE_NOTES[language]
    return Sender(
        name="Alex Sample",
        country=country_for_code(record.country or "DE"),
        city="Leipzig",
        email="alex@example.org",
        note=note,
        # A return address, so that printed letters are checked with the lines it adds.
        address=("Karl-Heine-Straße 1", "04229 Leipzig"),
    )


def check_templates(campaign: Campaign, today: dt.date | None = None) -> TemplateReport:
    """Render every kind × language for every record of that kind and report what fails."""
    today = today or dt.date.today()
    renderer = renderer_for(campaign)
    rules = campaign.settings.letters
    report = TemplateReport()
    settings = campaign.settings
    for language in settings.languages:
        for kind in settings.kinds:
            name = renderer.template_name(language, kind)
            report.templates.append(name)
            for record in (r for r in campaign.recipients if r.kind == kind):
                report.checked += 1
                try:
                    report.failures.extend(
                        _check_one(renderer, record, language, name, today, rules, settings)
                    )
                except TemplateError as error:
                    report.failures.append(f"{name} × {record.id}: {error.problems[0]}")
    report.failures.extend(_check_html(campaign, renderer, today))
    return report


def _check_html(campaign: Campaign, renderer: LetterRenderer, today: dt.date) -> list[str]:
    """Render the printed letter in every language (and a campaign's own action page) through
    the checks that keep HTML off the network (appeal.htmlguard)."""
    from appeal.drafts import DraftOptions, build_drafts
    from appeal.page import PAGE_TEMPLATE, build_page
    from appeal.printable import PRINT_TEMPLATE, print_pages

    failures: list[str] = []
    posted = next((r for r in campaign.recipients if r.postal and not r.closed_since), None)
    languages = campaign.settings.languages
    for language in languages if posted else ():
        assert posted is not None
        sender = sample_sender(posted, language, True, campaign.settings)
        options = DraftOptions(language=language, recipient_ids=(posted.id,), today=today)
        try:
            print_pages(campaign, sender, build_drafts(campaign, sender, options).drafts, today)
        except TemplateError as error:
            failures.append(f"{PRINT_TEMPLATE} ({language}): {error.problems[0]}")
    source = renderer.source_of(PAGE_TEMPLATE) or ""
    if source.startswith(campaign.label + "/"):  # appeal's own page is checked by its tests
        for language in languages:
            try:
                build_page(campaign, language, campaign.settings.default_kinds)
            except TemplateError as error:
                failures.append(f"{PAGE_TEMPLATE} ({language}): {error.problems[0]}")
    return failures


def _check_one(
    renderer: LetterRenderer,
    record: Recipient,
    language: str,
    name: str,
    today: dt.date,
    rules: LetterRules | None = None,
    settings: CampaignSettings | None = None,
) -> list[str]:
    failures: list[str] = []
    where = f"{name} × {record.id}"
    bare = sample_sender(record, language, with_note=False)
    budgets = {"email": EMAIL_WORD_BUDGET, "form": FORM_WORD_BUDGET, "print": PRINT_WORD_BUDGET}
    for medium in dict.fromkeys((medium_for(record), "print")):
        budget = budgets[medium]
        context = letter_context(record, bare, language, medium, today)
        letter = renderer.render(language, record.kind, context)
        # Words between ordinary spaces: French no-break spaces before ':' do not make a word.
        words = len(re.findall(r"[^ \t\r\n]+", letter.body))
        if words > budget:
            failures.append(f"{where}: the {medium} version has {words} words (budget {budget})")
        for text in (letter.subject, letter.body):
            if leftover := _LEFTOVER.search(text):
                failures.append(f"{where}: leftover {leftover.group()!r} in the {medium} version")
            if artefact := _ARTEFACT.search(text):
                failures.append(
                    f"{where}: template artefact {artefact.group()!r} in the {medium} version"
                )
        failures.extend(_language_rules(where, medium, language, record, letter, rules))
    if not letter.subject or "\n" in letter.subject:
        failures.append(f"{where}: the subject must be one non-empty line")
    if len(letter.subject) > MAX_SUBJECT_CHARS:
        failures.append(
            f"{where}: the subject has {len(letter.subject)} characters "
            f"(limit {MAX_SUBJECT_CHARS}): {letter.subject!r}"
        )
    if language in MAILTO_LANGUAGES and record.sendable_emails:
        with_note = sample_sender(record, language, True, settings)
        context = letter_context(record, with_note, language, "email", today)
        letter = renderer.render(language, record.kind, context)
        to = [email.address for email in record.sendable_emails]
        length = len(mailto(to, letter.subject, letter.body))
        if length > MAILTO_BUDGET:
            failures.append(
                f"{where}: the mailto: link is {length:,} characters with a "
                f"{len(with_note.note or '')}-character note (limit {MAILTO_BUDGET:,})"
            )
    for handle in record.handles.values():
        context = {**letter_context(record, bare, language, "post", today), "handle": handle}
        text = fold_spaces(renderer.render_text(language, "post", context))
        if len(text) > POST_LIMIT:
            failures.append(f"{where}: the post has {len(text)} characters (limit {POST_LIMIT})")
    return failures


def _language_rules(
    where: str,
    medium: str,
    language: str,
    record: Recipient,
    letter: Letter,
    rules: LetterRules | None,
) -> list[str]:
    """Forbidden sources for the record's kind, and French spacing, in one rendered letter."""
    failures: list[str] = []
    text = f"{letter.subject}\n{letter.body}"
    if rules is not None and (found := rules.forbidden_in(record.kind, text)):
        named, rule = found
        failures.append(
            f"{where}: the {medium} version names {named!r}, which letters to "
            f"{record.kind} must not name ({rule.reason})"
        )
    if language == "fr":
        for pattern, problem in _FRENCH_SPACING:
            if match := pattern.search(text):
                start = max(0, match.start() - 25)
                context = text[start : match.end() + 5].replace("\n", " ")
                failures.append(f"{where}: {problem} in the {medium} version: …{context}…")
    return failures
