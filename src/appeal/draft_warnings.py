"""The warnings a draft carries, in the sender's language: how old its record is and where to
check it, what its channels cannot carry (a long letter, Cyrillic in a mailto: link), a reply
that cannot come, the language the letter is in, a letter that is still the bare template.

Each function is pure (its inputs → a :class:`~appeal.safety.Notice` with a stable code and, where
the sender can act on it, the field they would change), so the command line and the action page
show the same words. The texts name no option of any front end: a front end adds its own remedy
from the field. Dates and numbers are written as each language writes them (CLDR, through
Babel); what a campaign or a record says in English (a reason, a page's title, a fallback's note)
is quoted only in the English text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Literal

from appeal.records import Recipient, SeenDate
from appeal.safety import Notice

#: The public API (the action page calls these); the rest may change.
__all__ = [
    "CODES",
    "bare_template_warning",
    "channel_reason",
    "cyrillic_mailto_warning",
    "fallback_reason",
    "form_fields",
    "form_too_long_warning",
    "language_warning",
    "links_too_long_warning",
    "postal_reply_warning_notice",
    "record_warnings",
    "too_long_entry",
]

NBSP, NNBSP = "\u00a0", "\u202f"

#: Every code a draft warning can carry.
CODES = (
    "language-as-chosen",
    "language-added",
    "links-too-long",
    "cyrillic-mailto",
    "form-too-long",
    "bare-template",
    "postal-reply",
    "no-contact-yet",
    "undated-record",
    "old-record",
    "low-confidence",
    "unconfirmed-email",
    "no-email",
)


def _text(texts: Mapping[str, str], language: str, **values: str) -> str:
    return texts.get(language, texts["en"]).format(**values)


# English needs no Babel (which takes a while to load): drafting in English starts faster.


def _number(value: int, language: str) -> str:
    if language == "en":
        return f"{value:,}"
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=language))


def _language_name(code: str, language: str) -> str:
    """A language's name in ``language`` as a sentence uses it ('Russian', 'russe', 'Russisch')."""
    if language == "en":
        from appeal.languages import LANGUAGE_NAMES

        return LANGUAGE_NAMES[code]
    from babel import Locale

    return str(Locale.parse(language).languages[code])


def _seen(seen: SeenDate, language: str) -> str:
    """When a record was last seen: a day, a month or a year, as the language writes it."""
    if language == "en":
        return seen.phrase()
    from babel.dates import format_date, format_skeleton

    if seen.earliest is None:
        return {"ru": "дата неизвестна", "de": "unbekannt", "fr": "inconnue", "es": "desconocida"}[
            language
        ]
    if len(seen.text) == 10:
        return str(format_date(dt.date.fromisoformat(seen.text), format="long", locale=language))
    if len(seen.text) == 7:
        return str(format_skeleton("yMMMM", seen.earliest, locale=language))
    return seen.text


def _ago(days: int, language: str) -> str:
    if language == "en":
        years = days // 365
        return f"about {years} year{'' if years == 1 else 's'} ago"
    from babel.dates import format_timedelta

    return str(format_timedelta(-dt.timedelta(days=days), add_direction=True, locale=language))


def _list(
    items: Sequence[str], language: str, style: Literal["standard", "or"] = "standard"
) -> str:
    if language == "en":
        word = " or " if style == "or" else " and "
        return word.join(items) if len(items) < 3 else ", ".join(items[:-1]) + word + items[-1]
    from babel.lists import format_list

    return str(format_list(list(items), style=style, locale=language))


# --- the language of the letter -----------------------------------------------------------------

_AS_CHOSEN = {
    "en": "This letter is in {own}, as you chose.{reason} To draft it in {letter} with {own} after "
    "it, choose {pair}.",
    "ru": "Письмо составлено на выбранном вами языке ({own}). Чтобы оно было на языке адресата "
    "({letter}), а за ним шла версия на вашем языке, выберите {pair}.",
    "de": "Dieser Brief ist wie gewünscht auf {own} verfasst. Um ihn auf {letter} zu entwerfen, "
    "gefolgt von einer Fassung auf {own}, wählen Sie {pair}.",
    "fr": "Cette lettre est en {own}, comme vous l’avez choisi. Pour la rédiger en {letter}, "
    "suivie d’une version en {own}, choisissez {pair}.",
    "es": "Esta carta está en {own}, como usted eligió. Para redactarla en {letter}, seguida de "
    "una versión en {own}, elija {pair}.",
}
_ADDED = {
    "en": "This letter is in {letter}, with your own language ({own}) after it so that you can "
    "read what you send.{reason} To send it in {own} only, choose {primary}.",
    "ru": "Письмо составлено на языке адресата ({letter}), а за ним идёт версия на вашем "
    "языке ({own}), чтобы вы знали, что отправляете. Чтобы отправить его только на вашем языке, "
    "выберите {primary}.",
    "de": "Dieser Brief ist auf {letter} verfasst, gefolgt von einer Fassung in Ihrer Sprache "
    "({own}), "
    "damit Sie lesen können, was Sie senden. Um ihn nur auf {own} zu senden, wählen Sie {primary}.",
    "fr": "Cette lettre est en {letter}, suivie d’une version dans votre langue ({own}) pour que "
    "vous puissiez lire ce que vous envoyez. Pour l’envoyer uniquement en {own}, choisissez "
    "{primary}.",
    "es": "Esta carta está en {letter}, seguida de una versión en su idioma ({own}) para que "
    "pueda leer lo que envía. Para enviarla solo en {own}, elija {primary}.",
}


def language_warning(
    primary: str, wanted: str, chosen: bool, reason: str | None, language: str
) -> Notice:
    """The letter's recipient reads ``wanted`` (the campaign says so) and the sender's language
    is ``primary``: either the sender ``chosen`` it, and the letter is in it alone, or the letter
    is in ``wanted`` with the sender's language after it."""
    values = {
        "own": _language_name(primary, language),
        "letter": _language_name(wanted, language),
        "reason": f" {reason}" if reason and language == "en" else "",
        "pair": f"{wanted}+{primary}",
        "primary": primary,
    }
    if chosen:
        text = _text(_AS_CHOSEN, language, **values)
        return Notice("language-as-chosen", "info", text, "language")
    return Notice("language-added", "info", _text(_ADDED, language, **values), "language")


# --- what the links and forms can carry ---------------------------------------------------------

_LINKS_TOO_LONG = {
    "en": "The letter is too long for these links: {entries}. Their shorter versions open a "
    "message with the address and subject only: paste the letter into it, or use the .eml draft.",
    "ru": "Письмо слишком длинное для этих ссылок: {entries}. Их короткие варианты открывают "
    "сообщение только с адресом и темой: вставьте в него текст письма или воспользуйтесь "
    "черновиком .eml.",
    "de": "Der Brief ist für diese Links zu lang: {entries}. Ihre kürzeren Fassungen öffnen eine "
    "Nachricht nur mit Adresse und Betreff: Fügen Sie den Brief dort ein oder nutzen Sie den "
    ".eml-Entwurf.",
    "fr": f"La lettre est trop longue pour ces liens{NBSP}: {{entries}}. Leurs versions courtes "
    f"ouvrent un message avec seulement l’adresse et l’objet{NBSP}: collez-y la lettre ou "
    "utilisez le brouillon .eml.",
    "es": "La carta es demasiado larga para estos enlaces: {entries}. Sus versiones cortas abren "
    "un mensaje solo con la dirección y el asunto: pegue en él la carta o use el borrador .eml.",
}
_CYRILLIC_MAILTO = {
    "en": "A letter in Cyrillic script cannot fit in a mailto: link: each Cyrillic letter takes "
    "six characters there. Use a webmail link, the .eml draft, a copy of the letter, or the "
    "recipient's online form.",
    "ru": "Письмо кириллицей не помещается в ссылку mailto: каждая буква кириллицы занимает там "
    "шесть символов. Воспользуйтесь ссылкой на веб-почту, черновиком .eml, скопируйте письмо или "
    "отправьте его через онлайн-форму адресата.",
    "de": "Ein Brief in kyrillischer Schrift passt nicht in einen mailto:-Link: Jeder kyrillische "
    "Buchstabe belegt dort sechs Zeichen. Nutzen Sie einen Webmail-Link, den .eml-Entwurf, eine "
    "Kopie des Briefs oder das Online-Formular des Empfängers.",
    "fr": f"Une lettre en cyrillique ne tient pas dans un lien mailto{NBSP}: chaque lettre "
    "cyrillique y occupe six caractères. Utilisez un lien de messagerie web, le brouillon .eml, "
    "une copie de la lettre ou le formulaire en ligne du destinataire.",
    "es": "Una carta en alfabeto cirílico no cabe en un enlace mailto: cada letra cirílica ocupa "
    "ahí seis caracteres. Use un enlace de correo web, el borrador .eml, una copia de la carta o "
    "el formulario en línea del destinatario.",
}
_FORM_TOO_LONG = {
    "en": "The letter has {length} characters; the online form takes at most {limit}. Shorten it "
    "before pasting.",
    "ru": "Длина письма — {length} симв., а онлайн-форма принимает не больше {limit}. Сократите "
    "его, прежде чем вставлять.",
    "de": "Der Brief hat {length} Zeichen; das Online-Formular nimmt höchstens {limit} an. Kürzen "
    "Sie ihn vor dem Einfügen.",
    "fr": f"La lettre compte {{length}}{NBSP}caractères{NNBSP}; le formulaire en ligne en accepte "
    "au plus {limit}. Raccourcissez-la avant de la coller.",
    "es": "La carta tiene {length} caracteres; el formulario en línea admite como máximo "
    "{limit}. Acórtela antes de pegarla.",
}


def too_long_entry(via: str, length: int, budget: int, language: str = "en") -> str:
    """One over-budget link, as :func:`links_too_long_warning` lists it:
    'mailto (2,345 > 2,000)'."""
    return f"{via} ({_number(length, language)} > {_number(budget, language)})"


def links_too_long_warning(entries: Sequence[str], language: str) -> Notice:
    """The letter is too long for some links (entries from :func:`too_long_entry`)."""
    text = _text(_LINKS_TOO_LONG, language, entries=", ".join(entries))
    return Notice("links-too-long", "info", text)


def cyrillic_mailto_warning(language: str) -> Notice:
    """A letter in Cyrillic does not fit in a mailto: link."""
    return Notice("cyrillic-mailto", "info", _text(_CYRILLIC_MAILTO, language))


def form_too_long_warning(length: int, limit: int, language: str) -> Notice:
    """The letter is longer than the online form takes."""
    text = _text(
        _FORM_TOO_LONG,
        language,
        length=_number(length, language),
        limit=_number(limit, language),
    )
    return Notice("form-too-long", "caution", text, "note")


# --- the sender's part ----------------------------------------------------------------------------

_BARE_TEMPLATE = {
    "en": "This letter is still the bare template. Officials discount identical letters: add a "
    "few sentences of your own (who you are, why this matters to you).",
    "ru": "Пока это письмо — только шаблон. Одинаковым письмам чиновники придают мало значения: "
    "добавьте несколько предложений от себя (кто вы и почему для вас это важно).",
    "de": "Dieser Brief ist noch die reine Vorlage. Gleichlautende Briefe nehmen Behörden weniger "
    "ernst: Fügen Sie einige eigene Sätze hinzu (wer Sie sind und warum Ihnen das wichtig ist).",
    "fr": "Cette lettre n’est encore que le modèle. Les autorités accordent peu de poids aux "
    f"lettres identiques{NBSP}: ajoutez quelques phrases personnelles (qui vous êtes, pourquoi "
    "cela vous tient à cœur).",
    "es": "Esta carta es todavía solo la plantilla. Las autoridades dan poco peso a las cartas "
    "idénticas: añada unas frases propias (quién es usted y por qué le importa).",
}
_NO_REPLY = {
    "en": "No reply can come to this letter: it gives no postal address, and this office replies "
    "only by post.{reason}",
    "ru": "На это письмо не придёт ответ: в нём нет почтового адреса, а это ведомство отвечает "
    "только по почте.",
    "de": "Auf diesen Brief kann keine Antwort kommen: Er enthält keine Postanschrift, und diese "
    "Stelle antwortet nur auf dem Postweg.",
    "fr": f"Cette lettre ne pourra pas recevoir de réponse{NBSP}: elle ne donne pas d’adresse "
    "postale, et ce service ne répond que par courrier.",
    "es": "Esta carta no podrá recibir respuesta: no incluye una dirección postal y este "
    "organismo solo responde por correo postal.",
}
_NO_REPLY_AT_RISK = {
    "en": " Giving your address tells the office who you are and where you live: read the safety "
    "note before you decide.",
    "ru": " Указав адрес, вы сообщите ведомству, кто вы и где живёте: прежде чем решать, "
    "прочитайте предупреждение о безопасности.",
    "de": " Mit Ihrer Anschrift erfährt die Stelle, wer Sie sind und wo Sie wohnen: Lesen Sie den "
    "Sicherheitshinweis, bevor Sie sich entscheiden.",
    "fr": " Donner votre adresse indique à ce service qui vous êtes et où vous habitez"
    f"{NBSP}: lisez la mise en garde de sécurité avant de décider.",
    "es": " Dar su dirección le dice al organismo quién es usted y dónde vive: lea la advertencia "
    "de seguridad antes de decidir.",
}
_NO_REPLY_IF_WILLING = {
    "en": " If you are willing to tell the office where you live, give your address (street, "
    "postcode and city) and print the letter.",
    "ru": " Если вы готовы сообщить ведомству, где живёте, укажите свой адрес (улица, индекс и "
    "город) и распечатайте письмо.",
    "de": " Wenn Sie der Stelle mitteilen möchten, wo Sie wohnen, geben Sie Ihre Anschrift an "
    "(Straße, Postleitzahl und Ort) und drucken Sie den Brief aus.",
    "fr": " Si vous acceptez d’indiquer à ce service où vous habitez, donnez votre adresse "
    "(rue, code postal et ville) et imprimez la lettre.",
    "es": " Si acepta decirle al organismo dónde vive, indique su dirección (calle, "
    "código postal y ciudad) e imprima la carta.",
}


def bare_template_warning(language: str) -> Notice:
    """The sender added no words of their own."""
    return Notice("bare-template", "info", _text(_BARE_TEMPLATE, language), "note")


def postal_reply_warning_notice(at_risk: bool, reason: str | None, language: str) -> Notice:
    """The office answers only by post and the letter gives no address; to a sender the
    campaign's safety note is for (``at_risk``), the warning says to read it before deciding and
    never presses for an address. ``reason`` (English, the campaign's) is quoted in English."""
    lead = _text(_NO_REPLY, language, reason=f" {reason}" if reason else "")
    follow = _text(_NO_REPLY_AT_RISK if at_risk else _NO_REPLY_IF_WILLING, language)
    return Notice("postal-reply", "caution", lead + follow, "address")


# --- the record's age and trust ------------------------------------------------------------------

_CHECK = {
    "en": " Check {pages} before sending.",
    "ru": " Перед отправкой проверьте: {pages}.",
    "de": " Prüfen Sie vor dem Absenden: {pages}.",
    "fr": f" Avant l’envoi, vérifiez{NBSP}: {{pages}}.",
    "es": " Antes de enviarla, compruebe: {pages}.",
}
#: How a warning names the channel a draft leads with: in English the subject of the sentence
#: about its age, in the other languages a sentence of its own before it.
_LEAD = {
    "en": "The {noun} this draft leads with",
    "ru": "Основной способ связи в этом черновике — {noun}. ",
    "de": "Dieser Entwurf nutzt zuerst {noun}. ",
    "fr": "Ce brouillon passe d’abord par {noun}. ",
    "es": "Este borrador usa primero {noun}. ",
}
_THIS_RECORD = {"en": "This record"}
_NOUNS = {
    "en": {
        "email": "e-mail address",
        "form": "online form",
        "post": "postal address",
        "website": "website",
    },
    "ru": {
        "email": "адрес электронной почты",
        "form": "онлайн-форма",
        "post": "почтовый адрес",
        "website": "сайт",
    },
    "de": {
        "email": "die E-Mail-Adresse",
        "form": "das Online-Formular",
        "post": "die Postanschrift",
        "website": "die Website",
    },
    "fr": {
        "email": "l’adresse électronique",
        "form": "le formulaire en ligne",
        "post": "l’adresse postale",
        "website": "le site web",
    },
    "es": {
        "email": "la dirección de correo electrónico",
        "form": "el formulario en línea",
        "post": "la dirección postal",
        "website": "el sitio web",
    },
}
_NO_CONTACT_YET = {
    "en": "The {name}{where} exists, but no contact details for it are known yet.{site} {note}"
    "{instead}",
    "ru": "{name}{where}: контактные данные пока неизвестны.{site}{instead}",
    "de": "{name}{where}: Kontaktdaten sind noch nicht bekannt.{site}{instead}",
    "fr": f"{{name}}{{where}}{NBSP}: aucune coordonnée n’est encore connue.{{site}}{{instead}}",
    "es": "{name}{where}: todavía no se conoce ningún dato de contacto.{site}{instead}",
}
_SITE = {
    "en": " Its website: {url}.",
    "ru": " Сайт: {url}.",
    "de": " Website: {url}.",
    "fr": f" Site web{NBSP}: {{url}}.",
    "es": " Sitio web: {url}.",
}
_INSTEAD = {
    "en": " Until one is known, the fallback listed above can forward your letter: {name}.",
    "ru": " Пока их нет, письмо может переслать запасной адресат, указанный выше: {name}.",
    "de": " Bis sie bekannt sind, kann die oben genannte Ersatzstelle Ihren Brief weiterleiten: "
    "{name}.",
    "fr": " En attendant, le destinataire de repli indiqué plus haut peut transmettre votre "
    f"lettre{NBSP}: {{name}}.",
    "es": " Mientras tanto, el destinatario alternativo indicado arriba puede remitir su carta: "
    "{name}.",
}
_UNDATED = {
    "en": "{what} comes from an undated source, so its age is unknown.{check}",
    "ru": "{what}Источник этих данных не датирован, поэтому неизвестно, насколько они актуальны."
    "{check}",
    "de": "{what}Die Quelle dieser Angabe ist undatiert, ihr Alter daher unbekannt.{check}",
    "fr": f"{{what}}La source de cette information n’est pas datée{NBSP}: on ignore donc son "
    "ancienneté.{check}",
    "es": "{what}La fuente de este dato no tiene fecha, así que se desconoce su antigüedad.{check}",
}
_OLD = {
    "en": "{what} was last seen in its source {seen} ({ago}): it may have changed{bounce}.{check}",
    "ru": "{what}Последнее подтверждение в источнике: {seen} ({ago}); данные могли измениться"
    "{bounce}.{check}",
    "de": "{what}Zuletzt in der Quelle bestätigt: {seen} ({ago}); die Angabe kann sich "
    "geändert haben{bounce}.{check}",
    "fr": f"{{what}}Dernière confirmation dans la source{NBSP}: {{seen}} ({{ago}}){NNBSP}; "
    "l’information a pu changer{bounce}.{check}",
    "es": "{what}Última confirmación en la fuente: {seen} ({ago}); el dato puede haber cambiado"
    "{bounce}.{check}",
}
_BOUNCE = {
    "en": " (an e-mail may bounce)",
    "ru": " (письмо может не дойти)",
    "de": " (eine E-Mail kann als unzustellbar zurückkommen)",
    "fr": " (un courriel risque de revenir non distribué)",
    "es": " (un correo electrónico podría ser devuelto)",
}
_LOW_CONFIDENCE = {
    "en": "This record is of low confidence (secondary source only).{check}",
    "ru": "Надёжность этой записи низкая (есть только вторичный источник).{check}",
    "de": "Dieser Eintrag ist wenig verlässlich (nur eine Sekundärquelle).{check}",
    "fr": "Cette fiche est peu fiable (source secondaire uniquement).{check}",
    "es": "Este registro es poco fiable (solo hay una fuente secundaria).{check}",
}
_UNCONFIRMED = {
    "en": "The only e-mail address known ({leads}) is an unconfirmed lead, so it is not used "
    "here; send the letter another way.",
    "ru": "Единственный известный адрес электронной почты ({leads}) не подтверждён, поэтому "
    "здесь он не используется; отправьте письмо другим способом.",
    "de": "Die einzige bekannte E-Mail-Adresse ({leads}) ist unbestätigt und wird hier nicht "
    "verwendet; schicken Sie den Brief auf anderem Weg.",
    "fr": f"La seule adresse électronique connue ({{leads}}) n’est pas confirmée{NNBSP}; elle "
    "n’est donc pas utilisée ici. Envoyez la lettre par un autre moyen.",
    "es": "La única dirección de correo electrónico conocida ({leads}) no está confirmada, así "
    "que no se usa aquí; envíe la carta por otra vía.",
}
_NO_EMAIL = {
    "en": "No e-mail address: send this letter {how}.",
    "ru": "Адреса электронной почты нет: отправьте письмо {how}.",
    "de": "Keine E-Mail-Adresse: Schicken Sie diesen Brief {how}.",
    "fr": f"Pas d’adresse électronique{NBSP}: envoyez cette lettre {{how}}.",
    "es": "No hay dirección de correo electrónico: envíe esta carta {how}.",
}
_WAYS = {
    "en": {
        "form": "through the online form at {url}",
        "post": "by post to the address given",
        "other": "by a channel listed on its website",
    },
    "ru": {
        "form": "через онлайн-форму ({url})",
        "post": "обычной почтой по указанному адресу",
        "other": "одним из способов, указанных на сайте адресата",
    },
    "de": {
        "form": "über das Online-Formular ({url})",
        "post": "per Post an die angegebene Anschrift",
        "other": "auf einem der Wege, die auf der Website genannt sind",
    },
    "fr": {
        "form": "par le formulaire en ligne ({url})",
        "post": "par la poste à l’adresse indiquée",
        "other": "par l’un des moyens indiqués sur son site",
    },
    "es": {
        "form": "mediante el formulario en línea ({url})",
        "post": "por correo postal a la dirección indicada",
        "other": "por alguna de las vías que indica su sitio web",
    },
}


def _check_where(record: Recipient, language: str) -> str:
    """' Check X and Y before sending.' with the record's official pages (with their English
    titles in English), else its website; '' when there is none."""
    if language == "en":
        pages = [f"{page.title} ({page.url})" for page in record.check_pages]
    else:
        pages = [page.url for page in record.check_pages]
    if not pages and record.website:
        pages = [record.website]
    return _text(_CHECK, language, pages=_list(pages, language)) if pages else ""


def record_warnings(
    record: Recipient,
    language: str,
    *,
    age_days: int | None,
    seen: SeenDate,
    max_age_days: int,
    lead_kind: str | None,
    ways: Sequence[str],
    fallback_name: str | None = None,
) -> list[Notice]:
    """What to know about a draft's record: no contact known yet, an undated or old source (with
    where to check it first), low confidence, an unconfirmed e-mail lead, no e-mail address.

    ``seen`` and ``age_days`` are those of the channel the draft leads with (``lead_kind``: email,
    form, post, website; None: the record's own); ``ways`` are the kinds of channel a letter
    without e-mail can go by, best first; ``fallback_name`` names the office that can forward it.
    """
    warnings: list[Notice] = []
    check = _check_where(record, language)
    nouns = _NOUNS.get(language, _NOUNS["en"])
    if lead_kind:
        what = _text(_LEAD, language, noun=nouns[lead_kind])
    else:
        what = _THIS_RECORD.get(language, "")
    if record.fallback is not None and not record.usable_channels():
        instead = _text(_INSTEAD, language, name=fallback_name) if fallback_name else ""
        text = _text(
            _NO_CONTACT_YET,
            language,
            name=record.display_name(language),
            where=f" ({record.city})" if record.city else "",
            site=_text(_SITE, language, url=record.website) if record.website else "",
            note=record.fallback.note if language == "en" else "",
            instead=instead,
        )
        warnings.append(Notice("no-contact-yet", "caution", text))
    elif age_days is None:
        text = _text(_UNDATED, language, what=what, check=check)
        warnings.append(Notice("undated-record", "caution", text))
    elif age_days > max_age_days:
        text = _text(
            _OLD,
            language,
            what=what,
            seen=_seen(seen, language),
            ago=_ago(age_days, language),
            bounce=_text(_BOUNCE, language) if lead_kind == "email" else "",
            check=check,
        )
        warnings.append(Notice("old-record", "caution", text))
    if record.confidence == "low":
        warnings.append(
            Notice("low-confidence", "caution", _text(_LOW_CONFIDENCE, language, check=check))
        )
    leads = [email.address for email in record.emails if email.confidence == "low"]
    if leads and not record.sendable_emails:
        text = _text(_UNCONFIRMED, language, leads=", ".join(leads))
        warnings.append(Notice("unconfirmed-email", "caution", text))
    if not record.sendable_emails and record.usable_channels():
        phrases = _WAYS.get(language, _WAYS["en"])
        url = record.form.url if record.form else ""
        ranked = [phrases[way].format(url=url) for way in ways if way in ("form", "post")]
        how = _list(ranked, language, "or") if ranked else phrases["other"]
        warnings.append(Notice("no-email", "info", _text(_NO_EMAIL, language, how=how)))
    return warnings


# --- why each channel is where it is in the ranking ---------------------------------------------

_SEEN_LABEL = {
    "ru": "последнее подтверждение: {seen}",
    "de": "zuletzt bestätigt: {seen}",
    "fr": f"dernière confirmation{NBSP}: {{seen}}",
    "es": "última confirmación: {seen}",
}
_CHANNEL_REASONS = {
    "en": {
        "other-mailbox": "The {role}'s mailbox, not the office's general one: not put in To: "
        "(last seen {phrase}).",
        "free-mail": "A free-mail address, last seen {phrase}: likely personal or no longer read.",
        "recent-email": "The office's own e-mail address, last seen {phrase}.",
        "old-email": "The office's own e-mail address, but last seen {phrase}: it may bounce.",
        "form": "The office's own online form (last seen {phrase}).",
        "post": "A signed letter by post; the address was last seen {phrase}.",
        "website": "The office's own site (last seen {phrase}): look there for a current contact.",
        "fallback": "Fallback ({name}): {why}",
        "asks-for": "asks for: {fields}",
    },
    "ru": {
        "other-mailbox": "Ящик подразделения ({role}), а не общий адрес ведомства: в поле «Кому» "
        "не ставится ({seen}).",
        "free-mail": "Адрес на бесплатном почтовом сервисе ({seen}): скорее всего, личный или "
        "уже не используется.",
        "recent-email": "Собственный адрес электронной почты ведомства ({seen}).",
        "old-email": "Собственный адрес электронной почты ведомства, но давний ({seen}): письмо "
        "может не дойти.",
        "form": "Собственная онлайн-форма ведомства ({seen}).",
        "post": "Подписанное письмо по почте ({seen}).",
        "website": "Собственный сайт ведомства ({seen}): ищите там актуальные контакты.",
        "fallback": "Запасной вариант ({name}): {why}",
        "asks-for": "поля: {fields}",
    },
    "de": {
        "other-mailbox": "Das Postfach einer Abteilung ({role}), nicht die allgemeine Adresse der "
        "Stelle: nicht im An-Feld ({seen}).",
        "free-mail": "Eine Adresse bei einem kostenlosen E-Mail-Anbieter ({seen}): wohl privat "
        "oder nicht mehr gelesen.",
        "recent-email": "Die eigene E-Mail-Adresse der Stelle ({seen}).",
        "old-email": "Die eigene E-Mail-Adresse der Stelle, aber alt ({seen}): Eine E-Mail kann "
        "zurückkommen.",
        "form": "Das eigene Online-Formular der Stelle ({seen}).",
        "post": "Ein unterschriebener Brief per Post ({seen}).",
        "website": "Die eigene Website der Stelle ({seen}): Dort finden Sie aktuelle Kontaktdaten.",
        "fallback": "Ersatzweg ({name}): {why}",
        "asks-for": "Felder: {fields}",
    },
    "fr": {
        "other-mailbox": "La boîte d’un service ({role}), pas l’adresse générale de l’organisme"
        f"{NBSP}: elle n’est pas mise dans le champ «{NNBSP}À{NNBSP}» ({{seen}}).",
        "free-mail": "Une adresse chez un fournisseur de messagerie gratuit ({seen})"
        f"{NBSP}: sans doute personnelle ou plus consultée.",
        "recent-email": "L’adresse électronique de l’organisme lui-même ({seen}).",
        "old-email": "L’adresse électronique de l’organisme lui-même, mais ancienne ({seen})"
        f"{NBSP}: un courriel risque de revenir non distribué.",
        "form": "Le formulaire en ligne de l’organisme lui-même ({seen}).",
        "post": "Une lettre signée, par la poste ({seen}).",
        "website": f"Le site de l’organisme lui-même ({{seen}}){NBSP}: cherchez-y des "
        "coordonnées à jour.",
        "fallback": f"Solution de repli ({{name}}){NBSP}: {{why}}",
        "asks-for": f"champs{NBSP}: {{fields}}",
    },
    "es": {
        "other-mailbox": "El buzón de un departamento ({role}), no la dirección general del "
        "organismo: no se pone en «Para» ({seen}).",
        "free-mail": "Una dirección de un servicio de correo gratuito ({seen}): probablemente "
        "personal o ya sin uso.",
        "recent-email": "La dirección de correo electrónico propia del organismo ({seen}).",
        "old-email": "La dirección de correo electrónico propia del organismo, pero antigua "
        "({seen}): el correo podría ser devuelto.",
        "form": "El formulario en línea propio del organismo ({seen}).",
        "post": "Una carta firmada por correo postal ({seen}).",
        "website": "El sitio web propio del organismo ({seen}): busque allí un contacto actual.",
        "fallback": "Alternativa ({name}): {why}",
        "asks-for": "campos: {fields}",
    },
}


def channel_reason(reason: str, seen: SeenDate, language: str, role: str | None = None) -> str:
    """Why a channel stands where it does among a record's channels, with the date it was last
    seen: ``reason`` is one of other-mailbox, free-mail, recent-email, old-email, form, post,
    website. A mailbox's ``role`` is the record's (English) word for it."""
    texts = _CHANNEL_REASONS.get(language, _CHANNEL_REASONS["en"])
    if language not in _SEEN_LABEL:
        return texts[reason].format(phrase=seen.phrase(), role=role or "")
    when = _SEEN_LABEL[language].format(seen=_seen(seen, language))
    return texts[reason].format(seen=when, role=role or "")


def fallback_reason(name: str, why: str | None, language: str) -> str:
    """Why a fallback office's channel is listed for a record without any contact."""
    texts = _CHANNEL_REASONS.get(language, _CHANNEL_REASONS["en"])
    return texts["fallback"].format(name=name, why=why or "").strip()


def form_fields(fields: Sequence[str], language: str) -> str:
    """What an online form asks for (its fields as the record names them)."""
    texts = _CHANNEL_REASONS.get(language, _CHANNEL_REASONS["en"])
    return texts["asks-for"].format(fields=", ".join(fields))
