"""Recipient kinds come from the campaign: their labels, the kinds drafted by default, and the
notices that name them in the sender's language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from appeal.campaign import kind_label, load_campaign
from appeal.countries import resolve_country
from appeal.drafts import DraftOptions, build_drafts
from appeal.errors import InputError
from appeal.records import LANGUAGES
from appeal.sender import make_sender

TODAY = dt.date(2026, 11, 30)


def _notices(folder: Path, country: str, language: str, *kinds: str) -> dict[str, str]:
    sender = make_sender("Anna", resolve_country(country))
    options = DraftOptions(kinds=kinds or None, language=language, today=TODAY)
    found = build_drafts(load_campaign(folder), sender, options).notices
    return {n.code: n.text for n in found if n.code in ("closed", "no-recipient", "also-covers")}


def test_the_default_campaign_declares_its_kinds_in_order() -> None:
    settings = load_campaign().settings
    assert list(settings.kinds) == [
        "embassy",
        "un_mission",
        "prosecutor",
        "investigative_committee",
        "company",
    ]
    assert settings.default_kinds == ("embassy", "un_mission", "prosecutor")
    assert [k for k, e in settings.kinds.items() if e.serves == "country"] == [
        "embassy",
        "un_mission",
    ]
    for kind in settings.kinds:
        assert all(language in settings.kinds[kind].label.by_language for language in LANGUAGES)


def test_labels_per_language_with_english_for_the_rest() -> None:
    settings = load_campaign().settings
    assert kind_label(settings, "embassy", "ru") == "посольство России"
    assert kind_label(settings, "embassy", "de") == "Russische Botschaft"
    assert kind_label(settings, "embassy", "fr") == "ambassade de Russie"
    assert kind_label(settings, "embassy", "es") == "Embajada de Rusia"
    assert settings.kind_label("prosecutor", "fr") == "Procureur général de la Fédération de Russie"
    assert settings.kind_label("un_mission") == "UN mission"
    other = load_campaign(Path(__file__).parent / "fixtures" / "campaign_other").settings
    assert other.kind_label("ministry_of_justice", "ru") == "Ministry of Justice of Hungary"
    assert other.kind_label("not_declared", "de") == "not_declared"


def test_a_kind_the_campaign_does_not_declare_is_refused() -> None:
    sender = make_sender("Anna", resolve_country("DE"))
    with pytest.raises(InputError) as raised:
        build_drafts(load_campaign(), sender, DraftOptions(kinds=("consulate",)))
    assert raised.value.problems[0] == (
        "'consulate' is not a recipient kind of this campaign; its kinds are embassy, "
        "un_mission, prosecutor, investigative_committee, company"
    )


@pytest.mark.parametrize(
    ("language", "closed", "covers"),
    [
        (
            "en",
            "Embassy of the Russian Federation in Ukraine has been closed since 2022-02-24",
            "Embassy of the Russian Federation in Australia also covers Fiji: your letter goes "
            "there.",
        ),
        (
            "ru",
            "не работает с 24 февраля 2022\u202fг., письмо туда не составляется.",
            "отвечает и за страну Фиджи: ваше письмо пойдёт туда.",
        ),
        (
            "de",
            ": seit dem 24. Februar 2022 geschlossen; an diese Stelle wird kein Brief entworfen.",
            " ist auch für Fidschi zuständig: Ihr Brief geht dorthin.",
        ),
        (
            "fr",
            "\u00a0: ne fonctionne plus depuis le 24 février 2022\u202f; aucune lettre",
            " couvre aussi votre pays (Fidji)\u00a0: votre lettre lui est adressée.",
        ),
        (
            "es",
            ": sin actividad desde el 24 de febrero de 2022; no se prepara ninguna carta",
            " atiende también a su país (Fiyi): su carta va allí.",
        ),
    ],
)
def test_notices_about_recipients_are_in_the_senders_language(
    min_campaign: Path, language: str, closed: str, covers: str
) -> None:
    assert closed in _notices(min_campaign, "UA", language)["closed"]
    assert covers in _notices(min_campaign, "FJ", language)["also-covers"]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "No company record serves Germany (DE)"),
        ("ru", "Адресата вида «компания» для страны Германия (DE) нет"),
        ("de", "Für Deutschland (DE) gibt es keinen Empfänger der Art „Unternehmen“"),
        ("fr", "Aucun destinataire de type «\u202fentreprise\u202f» pour votre pays (Allemagne)"),
        ("es", "Ningún destinatario del tipo «empresa» atiende a su país (Alemania)"),
    ],
)
def test_no_recipient_notice_names_the_kind_by_its_label(
    tmp_path: Path, min_campaign: Path, language: str, text: str
) -> None:
    folder = tmp_path / "campaign"
    folder.mkdir()
    records = (min_campaign / "recipients.yaml").read_text(encoding="utf-8")
    # Without the company records, no company serves anyone.
    start = records.index("  - id: company-hornet")
    (folder / "recipients.yaml").write_text(records[:start], encoding="utf-8")
    notice = _notices(folder, "DE", language, "company")["no-recipient"]
    assert notice.startswith(text), notice
