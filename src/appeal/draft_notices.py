"""The notices a draft set carries about its recipients, in the sender's language: a post that
is closed, a kind no office serves the sender's country with, an office that covers the
sender's country from another one.

Each text names the office (the record's name) or the kind (the campaign's label for it, see
``kinds`` in campaign.yaml); the sentences are the tool's own and know no campaign.
"""

from __future__ import annotations

import datetime as dt

from appeal.campaign import CampaignSettings
from appeal.countries import Country, name_in
from appeal.records import Recipient, SeenDate
from appeal.safety import Notice

NBSP, NNBSP = "\u00a0", "\u202f"
#: What stands before a day after "since" in the notices' sentences.
_DAY_ARTICLE = {"de": "dem ", "fr": "le ", "es": "el "}

_CLOSED = {
    "en": "{name} has been closed since {date}{notes}: no letter is drafted to it.",
    "ru": "{name}: не работает с {date}, письмо туда не составляется.",
    "de": "{name}: seit {date} geschlossen; an diese Stelle wird kein Brief entworfen.",
    "fr": f"{{name}}{NBSP}: ne fonctionne plus depuis {{date}}{NNBSP}; aucune lettre n’est "
    "préparée pour ce destinataire.",
    "es": "{name}: sin actividad desde {date}; no se prepara ninguna carta para este destinatario.",
}
_NO_RECIPIENT = {
    "en": "No {label} record serves {country} ({code}) in {campaign}, so there is no letter of "
    "that kind.",
    "ru": "Адресата вида «{label}» для страны {country} ({code}) нет, поэтому такого письма не "
    "будет.",
    "de": "Für {country} ({code}) gibt es keinen Empfänger der Art „{label}“, daher keinen Brief "
    "dieser Art.",
    "fr": f"Aucun destinataire de type «{NNBSP}{{label}}{NNBSP}» pour votre pays ({{country}})"
    f"{NBSP}: il n’y a donc pas de lettre de ce type.",
    "es": "Ningún destinatario del tipo «{label}» atiende a su país ({country}), así que no hay "
    "carta de ese tipo.",
}
_ALSO_COVERS = {
    "en": "{name} also covers {country}: your letter goes there.",
    "ru": "{name} отвечает и за страну {country}: ваше письмо пойдёт туда.",
    "de": "{name} ist auch für {country} zuständig: Ihr Brief geht dorthin.",
    "fr": f"{{name}} couvre aussi votre pays ({{country}}){NBSP}: votre lettre lui est adressée.",
    "es": "{name} atiende también a su país ({country}): su carta va allí.",
}


def _date(seen: SeenDate, language: str) -> str:
    """A full date as people write it in ``language``, with the article a day takes after
    "since" ("seit dem 24. Februar 2022", "depuis le …", "desde el …"); a month or a year as
    recorded."""
    if language == "en" or seen.earliest is None or len(seen.text) != 10:
        return seen.text
    from appeal.printable import format_date

    day = format_date(dt.date.fromisoformat(seen.text), language)
    return _DAY_ARTICLE.get(language, "") + day


def closed_notice(record: Recipient, language: str) -> Notice:
    """A post of the chosen kinds that serves the sender is closed: no letter goes to it. The
    record's notes (English) say why in an English notice."""
    assert record.closed_since is not None
    notes = f" ({record.notes})" if record.notes and language == "en" else ""
    text = _CLOSED.get(language, _CLOSED["en"]).format(
        name=record.display_name(language),
        date=_date(record.closed_since, language),
        notes=notes,
    )
    return Notice("closed", "info", text)


def no_recipient_notice(
    settings: CampaignSettings, kind: str, country: Country, campaign_label: str, language: str
) -> Notice:
    """No open office of ``kind`` serves the sender's country."""
    text = _NO_RECIPIENT.get(language, _NO_RECIPIENT["en"]).format(
        label=settings.kind_label(kind, language),
        country=name_in(country, language),
        code=country.alpha2,
        campaign=campaign_label,
    )
    return Notice("no-recipient", "info", text)


def also_covers_notice(record: Recipient, country: Country, language: str) -> Notice:
    """The office that serves the sender sits in another country and covers theirs too."""
    text = _ALSO_COVERS.get(language, _ALSO_COVERS["en"]).format(
        name=record.display_name(language), country=name_in(country, language)
    )
    return Notice("also-covers", "info", text)
