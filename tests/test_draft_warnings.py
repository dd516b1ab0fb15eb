"""The warnings a draft carries come with a code and a field, in the sender's language, written
as each language writes (its dates, numbers and spacing); errors carry a field and a code, and
the command line turns the field into its option and adds the remedy."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from appeal.campaign import Campaign, load_campaign
from appeal.cli import FIELD_OPTIONS, REMEDIES, cli, error_lines
from appeal.countries import resolve_country
from appeal.draft_warnings import (
    CODES,
    bare_template_warning,
    cyrillic_mailto_warning,
    form_too_long_warning,
    language_warning,
    links_too_long_warning,
    postal_reply_warning_notice,
    record_warnings,
    too_long_entry,
)
from appeal.drafts import DraftOptions, build_drafts
from appeal.errors import AppealError, InputError, OutputError
from appeal.records import Recipient, SeenDate, parse_seen_date
from appeal.safety import Notice
from appeal.sender import make_sender

FIXTURE = Path(__file__).parent / "fixtures" / "campaign_min"
TODAY = dt.date(2026, 11, 30)
NBSP, NNBSP = "\u00a0", "\u202f"
LANGUAGES = ("en", "ru", "de", "fr", "es")


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return load_campaign(FIXTURE)


def _record(campaign: Campaign, record_id: str) -> Recipient:
    record = campaign.recipient(record_id)
    assert record is not None
    return record


def _seen(text: str) -> SeenDate:
    seen = parse_seen_date(text)
    assert seen is not None
    return seen


def _all_warnings(campaign: Campaign, language: str) -> list[Notice]:
    """One of each warning, made by the pure functions the action page calls too."""
    embassy = _record(campaign, "embassy-de")
    no_email = embassy._replace(emails=(), confidence="low")
    old = _seen("2015-03-19")
    undated = _seen("undated")
    made = [
        language_warning("de", "ru", True, None, language),
        language_warning("de", "ru", False, None, language),
        links_too_long_warning([too_long_entry("mailto", 12345, 2000, language)], language),
        cyrillic_mailto_warning(language),
        form_too_long_warning(2345, 2000, language),
        bare_template_warning(language),
        postal_reply_warning_notice(False, None, language),
    ]
    unconfirmed = embassy._replace(
        emails=tuple(e._replace(confidence="low") for e in embassy.emails)
    )
    for record, age, seen, lead in (
        (embassy, 4000, old, "email"),
        (no_email, None, undated, None),
        (unconfirmed, 10, old, "post"),
    ):
        made += record_warnings(
            record,
            language,
            age_days=age,
            seen=seen,
            max_age_days=730,
            lead_kind=lead,
            ways=["post"],
        )
    return made


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_warning_has_a_text_in_each_language(campaign: Campaign, language: str) -> None:
    warnings = _all_warnings(campaign, language)
    english = {w.code: w.text for w in _all_warnings(campaign, "en")}
    for warning in warnings:
        assert warning.code in CODES
        assert warning.text.strip() == warning.text and "  " not in warning.text
        assert "--" not in warning.text  # no option of a front end
        if language != "en":
            assert warning.text != english[warning.code], warning.code


def test_every_warning_code_is_made(campaign: Campaign) -> None:
    from appeal.records import Fallback

    codes = {w.code for w in _all_warnings(campaign, "en")}
    orphan = _record(campaign, "embassy-de")._replace(
        emails=(),
        form=None,
        postal=None,
        phones=(),
        website=None,
        fallback=Fallback("un-mission-de", "It opened in 2026."),
    )
    (warning,) = record_warnings(
        orphan,
        "fr",
        age_days=1,
        seen=_seen("2026-01-01"),
        max_age_days=730,
        lead_kind=None,
        ways=[],
        fallback_name="Mission permanente",
    )
    assert warning.code == "no-contact-yet"
    assert warning.text.endswith(
        f"aucune coordonnée n’est encore connue. En attendant, le destinataire de repli indiqué "
        f"plus haut peut transmettre votre lettre{NBSP}: Mission permanente."
    )
    assert codes | {warning.code} == set(CODES)


def test_fields_say_what_the_sender_can_change() -> None:
    assert bare_template_warning("en").field == "note"
    assert postal_reply_warning_notice(True, None, "en").field == "address"
    assert language_warning("de", "ru", True, None, "en").field == "language"
    assert bare_template_warning("en").to_json() == {
        "code": "bare-template",
        "severity": "info",
        "text": bare_template_warning("en").text,
        "field": "note",
    }
    assert "field" not in cyrillic_mailto_warning("en").to_json()


# --- the same warnings, as each language writes them ---------------------------------------------

BARE = {
    "en": "This letter is still the bare template. Officials discount identical letters: add a "
    "few sentences of your own (who you are, why this matters to you).",
    "ru": "Пока это письмо — только шаблон. Одинаковым письмам чиновники придают мало значения: "
    "добавьте несколько предложений от себя (кто вы и почему для вас это важно).",
    "de": "Dieser Brief ist noch die reine Vorlage. Gleichlautende Briefe nehmen Behörden "
    "weniger ernst: Fügen Sie einige eigene Sätze hinzu (wer Sie sind und warum Ihnen das "
    "wichtig ist).",
    "fr": "Cette lettre n’est encore que le modèle. Les autorités accordent peu de poids aux "
    f"lettres identiques{NBSP}: ajoutez quelques phrases personnelles (qui vous êtes, pourquoi "
    "cela vous tient à cœur).",
    "es": "Esta carta es todavía solo la plantilla. Las autoridades dan poco peso a las cartas "
    "idénticas: añada unas frases propias (quién es usted y por qué le importa).",
}
FORM = {
    "en": "The letter has 2,345 characters; the online form takes at most 2,000. Shorten it "
    "before pasting.",
    "ru": f"Длина письма — 2{NBSP}345 симв., а онлайн-форма принимает не больше 2{NBSP}000. "
    "Сократите его, прежде чем вставлять.",
    "de": "Der Brief hat 2.345 Zeichen; das Online-Formular nimmt höchstens 2.000 an. Kürzen Sie "
    "ihn vor dem Einfügen.",
    "fr": f"La lettre compte 2{NNBSP}345{NBSP}caractères{NNBSP}; le formulaire en ligne en "
    f"accepte au plus 2{NNBSP}000. Raccourcissez-la avant de la coller.",
    "es": "La carta tiene 2.345 caracteres; el formulario en línea admite como máximo 2.000. "
    "Acórtela antes de pegarla.",
}
#: The age of a record last seen on 19 March 2015, 4,000 days later, with the day written as
#: each language writes it.
OLD_SEEN = {
    "en": "was last seen in its source on 2015-03-19 (about 10 years ago)",
    "ru": f"Последнее подтверждение в источнике: 19 марта 2015{NNBSP}г. (11 лет назад)",
    "de": "Zuletzt in der Quelle bestätigt: 19. März 2015 (vor 11 Jahren)",
    "fr": f"Dernière confirmation dans la source{NBSP}: 19 mars 2015 (il y a 11 ans){NNBSP};",
    "es": "Última confirmación en la fuente: 19 de marzo de 2015 (hace 11 años)",
}
CHECK = {
    "en": "Check https://germany.mid.ru/ before sending.",
    "ru": "Перед отправкой проверьте: https://germany.mid.ru/.",
    "de": "Prüfen Sie vor dem Absenden: https://germany.mid.ru/.",
    "fr": f"Avant l’envoi, vérifiez{NBSP}: https://germany.mid.ru/.",
    "es": "Antes de enviarla, compruebe: https://germany.mid.ru/.",
}
NO_REPLY = {
    "en": "No reply can come to this letter",
    "ru": "На это письмо не придёт ответ",
    "de": "Auf diesen Brief kann keine Antwort kommen",
    "fr": f"Cette lettre ne pourra pas recevoir de réponse{NBSP}:",
    "es": "Esta carta no podrá recibir respuesta",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_bare_template_warning_in_each_language(language: str) -> None:
    assert bare_template_warning(language).text == BARE[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_numbers_are_grouped_as_each_language_groups_them(language: str) -> None:
    assert form_too_long_warning(2345, 2000, language).text == FORM[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_record_age_and_where_to_check_in_each_language(
    campaign: Campaign, language: str
) -> None:
    (warning,) = record_warnings(
        _record(campaign, "embassy-de")._replace(check_pages=()),
        language,
        age_days=4000,
        seen=_seen("2015-03-19"),
        max_age_days=730,
        lead_kind="email",
        ways=["email"],
    )
    assert warning.code == "old-record"
    assert OLD_SEEN[language] in warning.text
    assert warning.text.endswith(CHECK[language])


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_draft_carries_its_warnings_in_the_senders_language(
    campaign: Campaign, language: str
) -> None:
    sender = make_sender("A", resolve_country("DE"))
    options = DraftOptions(today=TODAY, recipient_ids=("prosecutor-general",), language=language)
    (draft,) = build_drafts(campaign, sender, options).drafts
    by_code = {w.code: w for w in draft.warnings}
    assert by_code["bare-template"].text == BARE[language]
    assert by_code["postal-reply"].text.startswith(NO_REPLY[language])


def test_a_month_is_written_as_the_language_writes_it(campaign: Campaign) -> None:
    (warning,) = record_warnings(
        _record(campaign, "embassy-de")._replace(check_pages=(), website=None),
        "es",
        age_days=3000,
        seen=_seen("2018-03"),
        max_age_days=730,
        lead_kind="post",
        ways=["post"],
    )
    assert warning.text == (
        "Este borrador usa primero la dirección postal. Última confirmación en la fuente: marzo "
        "de 2018 (hace 8 años); el dato puede haber cambiado."
    )


# --- errors: a field and a code; the command line names the option --------------------------------


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (
            InputError("no country matches 'X'", field="country", code="unknown-country"),
            "--country: no country matches 'X'",
        ),
        (InputError("'it' is not one of en", field="language"), "--lang: 'it' is not one of en"),
        (InputError("'x' is not a kind", field="kinds"), "--to: 'x' is not a kind"),
        (InputError("too long", field="note_file"), "--note-file: too long"),
        (InputError("too long", field="edited_note"), "--edit: too long"),
        (
            OutputError("out/a.txt: already exists", code="exists"),
            "out/a.txt: already exists; use --force to replace it",
        ),
        (
            OutputError("out/a.txt: already exists (2 of 3 files would be replaced)", code="exist"),
            "out/a.txt: already exists (2 of 3 files would be replaced); use --force to replace "
            "them",
        ),
        (
            InputError("2 drafts (a, b) but one can be copied", field="copy", code="not-one-draft"),
            "--copy: 2 drafts (a, b) but one can be copied; pick one with --recipient ID or --to",
        ),
        (AppealError("recipients.yaml:3: bad"), "recipients.yaml:3: bad"),
    ],
)
def test_the_cli_names_the_option_of_a_field_and_adds_the_remedy(
    error: AppealError, shown: str
) -> None:
    assert error_lines(error) == (shown,)


def test_the_library_names_the_field_in_its_own_words() -> None:
    error = InputError("give the name you sign with", field="name", code="missing")
    assert str(error) == "name: give the name you sign with"
    assert error.lines("Name") == ("Name: give the name you sign with",)
    with pytest.raises(TypeError):
        InputError("x", field="colour")
    assert set(REMEDIES) <= {"exists", "exist", "recipients-not-found", "not-one-draft"}
    assert FIELD_OPTIONS["kinds"] == "--to" and FIELD_OPTIONS["country"] == "--country"


#: A command line that causes each error code the library raises, and the line it shows.
ERROR_CASES = [
    (["draft", "-c", "Atlantis", "-n", "A"], "unknown-country", "Error: --country: no country"),
    (["draft", "-c", " ", "-n", "A"], "missing", "Error: --country: give a country name"),
    (["draft", "-c", "DE", "-n", "A", "--lang", "it"], "unknown-language", "Error: --lang: 'it'"),
    (["draft", "-c", "DE", "-n", "A", "--lang", "de+"], "language-syntax", "Error: --lang: 'de+'"),
    (["draft", "-c", "DE", "-n", "A\nB"], "line-break", "Error: --name: contains a line break"),
    (["draft", "-c", "DE", "-n", "A\tB"], "tab", "Error: --name: contains a tab"),
    (["draft", "-c", "DE", "-n", "A" * 101], "too-long", "Error: --name: is 101 characters"),
    (["draft", "-c", "DE", "-n", "A\x1b"], "hidden-character", "Error: --name: contains a"),
    (["draft", "-c", "DE", "-n", "=?utf-8?q?x?="], "encoded-word", "Error: --name: holds '=?"),
    (["draft", "-c", "DE", "-n", "A", "--email", "é@x.org"], "not-ascii", "Error: --email: "),
    (["draft", "-c", "DE", "-n", "A", "--email", "a@"], "invalid-email", "Error: --email: 'a@'"),
    (
        ["draft", "-c", "DE", "-n", "A", "--address", "a\\nb\\nc\\nd\\ne\\nf"],
        "too-many-lines",
        "Error: --address: has 6 lines",
    ),
    (
        ["draft", "-c", "DE", "-n", "A", "--recipient", "nobody"],
        "unknown-recipient",
        "Error: --recipient: no record with id 'nobody'",
    ),
]


@pytest.mark.parametrize(("args", "code", "shown"), ERROR_CASES)
def test_each_error_code_reaches_the_command_line(
    runner: CliRunner, args: list[str], code: str, shown: str
) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert shown in result.stderr
    assert len(result.stderr.strip().splitlines()) >= 1


def test_error_codes_as_the_library_raises_them(tmp_path: Path, campaign: Campaign) -> None:
    from appeal.actions import draft_to_copy, recipients_file
    from appeal.drafts import check_campaign_language
    from appeal.errors import DataError
    from appeal.files import write_file_set
    from appeal.sender import decode_note

    codes = {}
    for call in (
        lambda: decode_note(b"\xff", "note_file"),
        lambda: decode_note(b"x" * 70_000, "note_file"),
        lambda: draft_to_copy([]),
        lambda: recipients_file(tmp_path / "none", None),
        lambda: check_campaign_language(campaign.settings._replace(languages=("en",)), "de"),
        lambda: campaign.settings.check_kinds(["nobody"]),
    ):
        with pytest.raises(AppealError) as caught:
            call()
        codes[caught.value.code] = caught.value
    assert set(codes) == {
        "not-utf8",
        "too-long",
        "not-one-draft",
        "recipients-not-found",
        "language-not-in-campaign",
        "unknown-kind",
    }
    assert isinstance(codes["recipients-not-found"], DataError)
    assert codes["unknown-kind"].field == "kinds"
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    for files, code in (({"a.txt": "y"}, "exists"), ({"a.txt": "y", "b.txt": "z"}, "exist")):
        with pytest.raises(OutputError) as caught:
            write_file_set(tmp_path, files)
        assert caught.value.code == code


def test_text_output_points_a_warning_to_its_option(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["draft", "-c", "DE", "-n", "A", "--to", "embassy"])
    assert result.exit_code == 0
    flat = " ".join(result.stdout.split())
    assert "why this matters to you). (--note)" in flat


def test_json_warnings_carry_code_severity_text_and_field(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["draft", "-c", "DE", "-n", "A", "--to", "embassy", "--format", "json"]
    )
    (draft,) = json.loads(result.stdout)["drafts"]
    bare = next(w for w in draft["warnings"] if w["code"] == "bare-template")
    assert bare == {
        "code": "bare-template",
        "severity": "info",
        "text": BARE["en"],
        "field": "note",
    }


FREE_MAIL = {
    "en": "A free-mail address, last seen on 2015-03-19: likely personal or no longer read.",
    "ru": f"Адрес на бесплатном почтовом сервисе (последнее подтверждение: 19 марта 2015{NNBSP}г.)"
    ": скорее всего, личный или уже не используется.",
    "de": "Eine Adresse bei einem kostenlosen E-Mail-Anbieter (zuletzt bestätigt: 19. März 2015): "
    "wohl privat oder nicht mehr gelesen.",
    "fr": f"Une adresse chez un fournisseur de messagerie gratuit (dernière confirmation{NBSP}: "
    f"19 mars 2015){NBSP}: sans doute personnelle ou plus consultée.",
    "es": "Una dirección de un servicio de correo gratuito (última confirmación: 19 de marzo de "
    "2015): probablemente personal o ya sin uso.",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_why_a_free_mail_address_ranks_low_in_each_language(language: str) -> None:
    from appeal.draft_warnings import channel_reason

    assert channel_reason("free-mail", _seen("2015-03-19"), language) == FREE_MAIL[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_drafts_channels_say_why_in_the_senders_language(
    campaign: Campaign, language: str
) -> None:
    from appeal.draft_warnings import channel_reason

    sender = make_sender("A", resolve_country("DE"))
    options = DraftOptions(today=TODAY, recipient_ids=("embassy-de",), language=language)
    (draft,) = build_drafts(campaign, sender, options).drafts
    email = next(c for c in draft.channels if c.kind == "email")
    assert email.why == channel_reason("old-email", _seen("2015-03-19"), language)


def test_the_remaining_error_codes(campaign: Campaign) -> None:
    from appeal.drafts import DraftSet
    from appeal.writing import draft_files

    sender = make_sender("A", resolve_country("DE"))
    with pytest.raises(InputError) as caught:
        make_sender("A\udcff", resolve_country("DE"))
    assert (caught.value.field, caught.value.code) == ("name", "undecodable")
    empty = DraftSet(())
    for fmt, code in (("html", "no-postal-address"), ("eml", "no-email-address")):
        with pytest.raises(InputError) as caught:
            draft_files(campaign, sender, empty, fmt)
        assert (caught.value.field, caught.value.code) == ("format", code)
        assert error_lines(caught.value)[0].startswith(f"--format: {fmt}: none of these")
