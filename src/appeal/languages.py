"""Letter languages: their names, the sender's language choices ("de", "de+ru"), and the
languages of one recipient's letter.

A choice is one language ('de') or two joined by '+' ('de+ru': German, with the Russian version
after it for recipients that correspond in Russian). The campaign may write a kind's letters in a
language of its own (``letters.languages`` in campaign.yaml); :func:`letter_choice` applies it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from appeal.errors import InputError
from appeal.records import LANGUAGES

if TYPE_CHECKING:
    from appeal.campaign import LetterRules
    from appeal.records import Recipient
    from appeal.safety import Notice

__all__ = [
    "CYRILLIC",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "NATIVE_NAMES",
    "SECOND_VERSION_LABEL",
    "VERSION_SEPARATOR",
    "chosen_language",
    "language_from_environment",
    "letter_choice",
    "parse_language",
    "recipient_choice",
    "sender_language",
]

#: Language names for the drafts' notices (which are in English, as all the tool's messages).
LANGUAGE_NAMES = {
    "en": "English",
    "ru": "Russian",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
}

#: How each letter language is named to a person choosing it (in that language).
NATIVE_NAMES = {
    "en": "English",
    "ru": "Русский",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
}

#: What introduces the second language of a bilingual letter, in that language.
SECOND_VERSION_LABEL = {
    "en": "English version",
    "ru": "Текст письма на русском языке",
    "de": "Deutsche Fassung",
    "fr": "Version française\u00a0",  # French puts a no-break space before the colon
    "es": "Versión en español",
}

#: Any Cyrillic letter (a letter in Russian; six characters each in a mailto: link).
CYRILLIC = re.compile("[\u0400-\u04ff]")

#: What parts the two versions of a bilingual letter.
VERSION_SEPARATOR = "\n\n* * *\n\n"


def parse_language(choice: str) -> tuple[str, str | None]:
    """'de' → ('de', None); 'de+ru' → ('de', 'ru'). Raises InputError (field ``language``) for
    unknown languages."""
    parts = [part.strip().lower() for part in choice.split("+")]
    if len(parts) > 2 or not all(parts):
        raise InputError(
            f"{choice!r}: give one language, or two joined by '+' (de+ru)",
            field="language",
            code="language-syntax",
        )
    for part in parts:
        if part not in LANGUAGES:
            raise InputError(
                f"{part!r} is not one of {', '.join(LANGUAGES)}",
                field="language",
                code="unknown-language",
            )
    if len(parts) == 2 and parts[0] == parts[1]:
        return parts[0], None
    return parts[0], parts[1] if len(parts) == 2 else None


def language_from_environment(environ: Mapping[str, str]) -> str:
    """The letter language the user's locale suggests (LC_ALL, LC_MESSAGES, LANG), else 'en'."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        if value:
            code = value[:2].lower()
            return code if code in LANGUAGES else "en"
    return "en"


def chosen_language(choice: str | None, environ: Mapping[str, str]) -> str:
    """The language choice as given, else the one the user's locale suggests."""
    return choice or language_from_environment(environ)


def letter_choice(
    record: Recipient, language: str, explicit: bool, rules: LetterRules
) -> tuple[str, Notice | None]:
    """The languages of one recipient's letter ('ru+de': Russian, then German) and a notice
    saying why, or None. ``language`` is the sender's choice; ``explicit``, whether they gave it.

    Where the campaign writes a kind's letters in a language of its own (``letters.languages``
    in campaign.yaml), the letter is in that language with the sender's own after it, unless
    the sender chose a language: then it is as given, and the notice (in the sender's language)
    says what the campaign advises.
    Otherwise a second language is added only for recipients that correspond in it.
    """
    wanted = rules.languages.get(record.kind)
    primary, second = parse_language(language)
    if wanted is None or second == wanted:
        return recipient_choice(record, language), None
    if primary == wanted:  # 'ru', or 'ru+de': the sender's language (if any) after it
        return language, None
    from appeal.draft_warnings import language_warning

    notice = language_warning(primary, wanted, explicit, rules.language_reason, primary)
    if explicit:
        return recipient_choice(record, language), notice
    return f"{wanted}+{primary}", notice


def recipient_choice(record: Recipient, choice: str) -> str:
    """A language choice as it applies to one recipient: 'de+ru' keeps Russian only for records
    that list it among their languages of correspondence."""
    primary, second = parse_language(choice)
    return f"{primary}+{second}" if second and second in record.languages else primary


def sender_language(record: Recipient, requested: str) -> str:
    """The language the sender's own words are taken to be in, from the choice as the user gave
    it (or their locale's): of 'ru+es', Spanish for a recipient that corresponds in Russian but
    not in Spanish, although that recipient's letter is in Russian alone; else the first."""
    primary, second = parse_language(requested)
    if second is not None and primary in record.languages and second not in record.languages:
        return second
    return primary
