"""Letters in five languages: forms of address, bilingual letters, own words, template checks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from appeal.campaign import load_campaign
from appeal.cli import cli
from appeal.countries import resolve_country
from appeal.drafts import DraftOptions, build_drafts
from appeal.errors import InputError
from appeal.languages import language_from_environment, parse_language
from appeal.records import LANGUAGES
from appeal.sender import make_sender

# The record each kind is tested with, and the salutation it must open with in each language.
EXPECTED_OPENING = {
    ("embassy", "en"): "Your Excellency,",
    ("embassy", "ru"): "Ваше Превосходительство!",
    ("embassy", "de"): "Exzellenz,",
    ("embassy", "fr"): "Excellence,",
    ("embassy", "es"): "Excelencia:",
    # One's own country's Permanent Representative (H.E. Mr.): never "Excellency".
    ("un_mission", "en"): "Dear Ambassador,",
    ("un_mission", "ru"): "Уважаемый господин Посол!",
    ("un_mission", "de"): "Sehr geehrter Herr Botschafter,",
    ("un_mission", "fr"): "Monsieur l’Ambassadeur,",
    ("un_mission", "es"): "Señor Embajador:",
    ("prosecutor", "en"): "Dear Prosecutor General,",
    ("prosecutor", "ru"): "Уважаемый господин Генеральный прокурор!",
    ("prosecutor", "de"): "Sehr geehrter Herr Generalstaatsanwalt,",
    ("prosecutor", "fr"): "Monsieur le Procureur général,",
    ("prosecutor", "es"): "Señor Fiscal General:",
    ("investigative_committee", "en"): "Dear Chairman,",
    ("investigative_committee", "ru"): "Уважаемый господин Председатель!",
    ("investigative_committee", "de"): "Sehr geehrter Herr Vorsitzender,",
    ("investigative_committee", "fr"): "Monsieur le Président,",
    ("investigative_committee", "es"): "Señor Presidente:",
    ("company", "en"): "Dear Hornet team,",
    ("company", "ru"): "Уважаемая команда Hornet!",
    ("company", "de"): "Liebes Hornet-Team,",
    ("company", "fr"): "Chère équipe de Hornet,",
    ("company", "es"): "Estimado equipo de Hornet:",
}
SAMPLE = {
    "embassy": "embassy-de",
    "un_mission": "un-mission-de",
    "prosecutor": "prosecutor-general",
    "investigative_committee": "investigative-committee",
    "company": "company-hornet",
}
# Where a record has no form of address in a language, the template's neutral one is used.
NEUTRAL = {
    "en": "Dear Sir or Madam,",
    "ru": "Уважаемые дамы и господа!",
    "de": "Sehr geehrte Damen und Herren,",
    "fr": "Madame, Monsieur,",
    "es": "Estimados señores:",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", SAMPLE)
def test_form_of_address_comes_from_the_record(
    kind: str, language: str, min_campaign: Path
) -> None:
    sender = make_sender("Anna Schmidt", resolve_country("DE"), city="Leipzig")
    options = DraftOptions(kinds=(kind,), language=language, today=dt.date(2026, 11, 23))
    drafts = build_drafts(load_campaign(min_campaign), sender, options).drafts
    draft = next(d for d in drafts if d.recipient.id == SAMPLE[kind])
    assert draft.body.splitlines()[0] == EXPECTED_OPENING[(kind, language)]
    assert draft.body.rstrip().endswith(
        "Anna Schmidt\n"
        + "Leipzig, "
        + {
            "en": "Germany",
            "ru": "Германия",
            "de": "Deutschland",
            "fr": "Allemagne",
            "es": "Alemania",
        }[language]
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_record_without_a_form_of_address_gets_the_neutral_one(
    language: str, min_campaign: Path
) -> None:
    # The UK's UN post was vacant in the Blue Book: only an English form of address is on record.
    sender = make_sender("Alex", resolve_country("GB"))
    options = DraftOptions(kinds=("un_mission",), language=language)
    (draft,) = build_drafts(load_campaign(min_campaign), sender, options).drafts
    opening = draft.body.splitlines()[0]
    assert opening == ("Dear Chargé d'affaires," if language == "en" else NEUTRAL[language])


def test_french_with_russian_for_the_prosecutor(runner: CliRunner) -> None:
    result = runner.invoke(
        cli,
        [
            "draft",
            "--country",
            "FR",
            "--name",
            "Camille Martin",
            "--lang",
            "fr+ru",
            "--to",
            "prosecutor",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.stderr
    (draft,) = json.loads(result.stdout)["drafts"]
    assert draft["language"] == "fr+ru"
    french, _, russian = draft["body"].partition("\n\n* * *\n\nТекст письма на русском языке:\n\n")
    assert french.startswith("Monsieur le Procureur général,")
    assert russian.startswith("Уважаемый господин Генеральный прокурор!")
    assert french.rstrip().endswith("Camille Martin\nFrance")
    assert russian.rstrip().endswith("Camille Martin\nФранция")
    # One subject, the first version's: at most 80 characters on one line.
    assert draft["subject"].startswith("Demande de contrôle des refus")


@pytest.mark.usefixtures("min_campaign")  # the languages each record corresponds in
def test_second_language_only_for_recipients_that_correspond_in_it(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["draft", "-c", "DE", "-n", "A", "--lang", "de+ru", "--format", "json"]
    )
    languages = {d["recipient"]: d["language"] for d in json.loads(result.stdout)["drafts"]}
    assert languages == {
        "embassy-de": "de+ru",
        "un-mission-de": "de",
        "prosecutor-general": "de+ru",
    }


def test_russian_letter_says_plainly_that_it_cannot_be_a_mailto_link(runner: CliRunner) -> None:
    note = "Я жил в Москве два года и до сих пор дружу со многими людьми там."
    result = runner.invoke(
        cli,
        [
            "draft",
            "-c",
            "DE",
            "-n",
            "A",
            "--lang",
            "ru",
            "--to",
            "embassy",
            "--note",
            note,
            "--format",
            "json",
        ],
    )
    (draft,) = json.loads(result.stdout)["drafts"]
    assert draft["links"]["mailto"] is None
    (warning,) = [w for w in draft["warnings"] if w["code"] == "cyrillic-mailto"]
    # The sender chose Russian: the warning is in Russian too.
    assert warning["text"].startswith("Письмо кириллицей не помещается в ссылку mailto")
    assert draft["links"]["gmail"] is not None


@pytest.mark.parametrize(
    ("choice", "expected"), [("de", ("de", None)), ("DE+ru", ("de", "ru")), ("ru+ru", ("ru", None))]
)
def test_parse_language(choice: str, expected: tuple[str, str | None]) -> None:
    assert parse_language(choice) == expected


@pytest.mark.parametrize("choice", ["it", "de+ru+fr", "de+", "+"])
def test_bad_language(choice: str) -> None:
    with pytest.raises(InputError, match=r"^language: ") as caught:
        parse_language(choice)
    assert caught.value.field == "language"
    assert caught.value.code in ("unknown-language", "language-syntax")


def test_unknown_language_is_a_one_line_error(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["draft", "-c", "DE", "-n", "A", "--lang", "it"])
    assert result.exit_code == 1
    assert result.stderr == "Error: --lang: 'it' is not one of en, ru, de, fr, es\n"


def test_language_defaults_to_the_locale() -> None:
    assert language_from_environment({"LANG": "de_DE.UTF-8"}) == "de"
    assert language_from_environment({"LC_ALL": "fr_FR.UTF-8", "LANG": "de_DE.UTF-8"}) == "fr"
    assert language_from_environment({"LANG": "it_IT.UTF-8"}) == "en"
    assert language_from_environment({"LANG": "C.UTF-8"}) == "en"
    assert language_from_environment({}) == "en"


def test_locale_picks_the_letter_language(runner: CliRunner) -> None:
    result = runner.invoke(
        cli,
        ["draft", "-c", "DE", "-n", "A", "--to", "embassy", "--format", "json"],
        env={"LANG": "es_ES.UTF-8"},
    )
    assert json.loads(result.stdout)["drafts"][0]["body"].startswith("Excelencia:")


def test_own_words_share_is_reported(runner: CliRunner) -> None:
    note = "I taught in Kazan for three years and my former students still write to me."
    result = runner.invoke(
        cli, ["draft", "-c", "DE", "-n", "A", "--to", "embassy", "--note", note, "--format", "json"]
    )
    (draft,) = json.loads(result.stdout)["drafts"]
    assert draft["own_words_share"] == round(len(note) / len(draft["body"]), 2)
    assert 0 < draft["own_words_share"] < 0.2
    text = runner.invoke(cli, ["draft", "-c", "DE", "-n", "A", "--to", "embassy"]).stdout
    assert "Own text: 0% of the letter is in your words" in text


def test_note_file_and_editor(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note_file = tmp_path / "note.txt"
    note_file.write_text("My grandmother was born in Grozny.\n", encoding="utf-8")
    result = runner.invoke(
        cli,
        [
            "draft",
            "-c",
            "DE",
            "-n",
            "A",
            "--to",
            "embassy",
            "--note-file",
            str(note_file),
            "--format",
            "json",
        ],
    )
    assert "My grandmother was born in Grozny." in json.loads(result.stdout)["drafts"][0]["body"]

    import click

    def fake_edit(filename: str, **kwargs: object) -> None:
        # An editor changes the file it was given.
        text = Path(filename).read_text(encoding="utf-8")
        assert "# Who are you" in text
        assert "Do not name anyone at risk" in text and "Initials are enough" in text
        Path(filename).write_text("I am a nurse in Hamburg.\n" + text, encoding="utf-8")

    monkeypatch.setattr(click, "edit", fake_edit)
    result = runner.invoke(
        cli, ["draft", "-c", "DE", "-n", "A", "--to", "embassy", "--edit", "--format", "json"]
    )
    body = json.loads(result.stdout)["drafts"][0]["body"]
    assert "I am a nurse in Hamburg." in body and "Who are you" not in body

    both = runner.invoke(cli, ["draft", "-c", "DE", "-n", "A", "--note", "x", "--edit"])
    assert both.exit_code == 2


def test_templates_check_passes_on_the_default_campaign(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["templates", "check"])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("25 templates, ")
    assert result.stdout.rstrip().endswith("0 failure(s)")


def test_templates_check_fails_on_a_long_or_broken_template(
    runner: CliRunner, tmp_path: Path
) -> None:
    from appeal.campaign import default_campaign_root

    (tmp_path / "recipients.yaml").write_bytes(
        (default_campaign_root() / "recipients.yaml").read_bytes()
    )
    letters = tmp_path / "templates" / "letters" / "en"
    letters.mkdir(parents=True)
    (letters / "company.txt.j2").write_text(
        "{% block subject %}S{% endblock %}" + "word " * 500 + "{{ sender.name }}\n",
        encoding="utf-8",
    )
    (letters / "embassy.txt.j2").write_text(
        "{% block subject %}S{% endblock %}{{ oops }}\n", encoding="utf-8"
    )
    result = runner.invoke(cli, ["--campaign", str(tmp_path), "templates", "check"])
    assert result.exit_code == 1
    assert (
        "letters/en/company.txt.j2 × company-hornet: the email version has 502 words (budget 230)"
        in result.stdout
    )
    assert "embassy.txt.j2:1: undefined value: 'oops' is undefined" in result.stdout
    assert result.stderr.startswith("Error: 25 templates, ")


def test_templates_list(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["templates", "list"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 25 + 5 + 2  # letters, posts, print and page
    assert "ru  prosecutor               templates/letters/ru/prosecutor.txt.j2" in result.stdout


def test_a_sender_in_germany_gets_russian_with_german_beside_it(runner: CliRunner) -> None:
    note = "Ich habe in Moskau studiert."
    result = runner.invoke(
        cli,
        ["draft", "-c", "DE", "-n", "Anna Schmidt", "--to", "prosecutor", "--note", note],
        env={"LANG": "de_DE.UTF-8"},
    )
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(
        cli,
        [
            "draft",
            "-c",
            "DE",
            "-n",
            "Anna",
            "--to",
            "prosecutor",
            "--note",
            note,
            "--format",
            "json",
        ],
        env={"LANG": "de_DE.UTF-8"},
    )
    (draft,) = json.loads(result.stdout)["drafts"]
    assert draft["language"] == "ru+de"
    assert draft["subject"].startswith("О проверке законности отказов")
    russian, _, german = draft["body"].partition("\n\n* * *\n\nDeutsche Fassung:\n\n")
    assert russian.startswith("Уважаемый господин Генеральный прокурор!")
    assert german.startswith("Sehr geehrter Herr Generalstaatsanwalt,")
    # The note is the sender's own German words: labelled as such in the Russian part only.
    assert f"Собственные слова отправителя (на немецком языке):\n{note}" in russian
    assert f"\n\n{note}\n\n" in german and "Eigene Worte" not in german
    (warning,) = [w for w in draft["warnings"] if w["code"] == "language-added"]
    assert warning["field"] == "language"
    assert warning["text"].startswith(
        "Dieser Brief ist auf Russisch verfasst, gefolgt von einer Fassung in Ihrer Sprache (Deutsch)"
    )
    assert warning["text"].endswith("Um ihn nur auf Deutsch zu senden, wählen Sie de.")


def test_an_explicit_lang_is_followed_and_the_draft_says_what_the_campaign_advises(
    runner: CliRunner,
) -> None:
    result = runner.invoke(
        cli,
        [
            "draft",
            "-c",
            "DE",
            "-n",
            "A",
            "--to",
            "investigative_committee",
            "--lang",
            "de",
            "--format",
            "json",
        ],
    )
    (draft,) = json.loads(result.stdout)["drafts"]
    assert draft["language"] == "de"
    # Who chairs the Committee after 2026-08-27 is unknown: a form that guesses no gender.
    assert draft["body"].startswith("Sehr geehrte Vorsitzende, sehr geehrter Vorsitzender,")
    (warning,) = [w for w in draft["warnings"] if w["code"] == "language-as-chosen"]
    assert warning["text"].startswith("Dieser Brief ist wie gewünscht auf Deutsch verfasst.")
    # Embassies keep the sender's language: they work in the host country.
    result = runner.invoke(
        cli,
        ["draft", "-c", "DE", "-n", "A", "--to", "embassy", "--format", "json"],
        env={"LANG": "de_DE.UTF-8"},
    )
    (draft,) = json.loads(result.stdout)["drafts"]
    # (The age warning may name "the Russian Foreign Ministry's page": no notice of a letter
    # in Russian.)
    assert draft["language"] == "de"
    assert not any(w["code"].startswith("language-") for w in draft["warnings"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_vacant_post_is_addressed_as_an_office_and_the_body_agrees(
    language: str, min_campaign: Path
) -> None:
    sender = make_sender("Alex", resolve_country("GB"))
    options = DraftOptions(kinds=("un_mission",), language=language)
    (draft,) = build_drafts(load_campaign(min_campaign), sender, options).drafts
    body = draft.body
    if language == "es":
        assert "Les ruego que planteen" in body and " usted" not in body
        assert "Le ruego" not in body and "Le agradecería" not in body
    if language == "ru":
        assert " Вы" not in body and " Ваш" not in body


def test_letters_to_russian_bodies_name_no_undesirable_organisation() -> None:
    campaign = load_campaign()
    rules = campaign.settings.letters
    sender = make_sender("Alex", resolve_country("DE"), note="x")
    for language in LANGUAGES:
        options = DraftOptions(language=language, kinds=tuple(campaign.settings.kinds))
        for draft in build_drafts(campaign, sender, options).drafts:
            found = rules.forbidden_in(draft.recipient.kind, draft.subject + draft.body)
            assert found is None, (language, draft.recipient.id, found)
    assert rules.forbidden_in("prosecutor", "Laut Human Rights Watch …") is not None
    assert rules.forbidden_in("investigative_committee", "«Международной амнистии»") is not None
    assert rules.forbidden_in("un_mission", "Human Rights Watch") is None


def test_every_factual_partial_names_its_sources() -> None:
    from appeal.campaign import default_campaign_root

    letters = Path(str(default_campaign_root())) / "templates" / "letters"
    for language in LANGUAGES:
        for name in ("_reports", "_background", "prosecutor", "investigative_committee", "company"):
            text = (letters / language / f"{name}.txt.j2").read_text(encoding="utf-8")
            assert "{# sources: " in text, f"{language}/{name}"


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        (
            "{% block subject %}" + "Long " * 20 + "{% endblock %}Text\n",
            "the subject has 99 characters (limit 80)",
        ),
        (
            "{% block subject %}S{% endblock %}Selon Human Rights Watch.\n",
            "names 'Human Rights Watch'",
        ),
        ("{% block subject %}S{% endblock %}Буду признателен(на) за ответ.\n", "artefact '(на)'"),
        ("{% block subject %}S{% endblock %}Dear [name],\n", "artefact '[name]'"),
        ("{% block subject %}S{% endblock %}Je demande : rien.\n", "a ':' without a non-breaking"),
        ("{% block subject %}S{% endblock %}C'est tout.\n", "a straight apostrophe"),
        ("{% block subject %}S{% endblock %}Vraiment ?\n", "a ';', '?' or '!' without"),
    ],
)
def test_templates_check_catches_what_a_professional_would(
    runner: CliRunner, tmp_path: Path, template: str, problem: str
) -> None:
    from appeal.campaign import default_campaign_root

    root = default_campaign_root()
    for name in ("recipients.yaml", "campaign.yaml"):
        (tmp_path / name).write_bytes((root / name).read_bytes())
    letters = tmp_path / "templates" / "letters" / "fr"
    letters.mkdir(parents=True)
    (letters / "prosecutor.txt.j2").write_text(template, encoding="utf-8")
    result = runner.invoke(cli, ["--campaign", str(tmp_path), "templates", "check"])
    assert result.exit_code == 1
    assert any(
        line.startswith("letters/fr/prosecutor.txt.j2 × prosecutor-general: ") and problem in line
        for line in result.stdout.splitlines()
    ), result.stdout


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("letters: {languages: {prosecutor: xx}, language_reason: r}", "'xx' is not one of"),
        ("letters: {languages: {prosecutor: ru}}", "language_reason: say why"),
        ("letters: {forbidden_sources: [{names: [], kinds: [embassy], reason: r}]}", "names:"),
        ("letters: {forbidden_sources: [{names: [X], kinds: [nope], reason: r}]}", "kinds:"),
        ("letters: {oops: 1}", "'oops': unknown setting"),
    ],
)
def test_bad_letter_settings_are_one_line_errors(setting: str, message: str) -> None:
    from appeal.campaign import parse_settings_bytes
    from appeal.errors import DataError

    text = (
        "schema_version: 1\nid: x\ntitle: T\nkinds: {embassy: {label: e, default: true}, prosecutor: {label: p}}\n"
        "safety_note: S\n" + setting + "\n"
    )
    with pytest.raises(DataError) as caught:
        parse_settings_bytes(text.encode(), "campaign.yaml")
    assert any("campaign.yaml:6: letters: " in p and message in p for p in caught.value.problems)


def test_lang_with_the_bodies_language_first_puts_the_senders_after_it(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["draft", "-c", "FR", "-n", "A", "--lang", "ru+fr", "--format", "json"]
    )
    languages = {d["recipient"]: d["language"] for d in json.loads(result.stdout)["drafts"]}
    # The Prosecutor General: Russian, then French; the embassy and the French UN mission follow
    # the usual rule (the second language only where the record corresponds in it).
    assert languages == {
        "embassy-fr": "ru",
        "un-mission-fr": "ru+fr",
        "prosecutor-general": "ru+fr",
    }


def test_a_note_in_the_senders_language_is_labelled_in_a_russian_only_letter(
    runner: CliRunner, tmp_path: Path
) -> None:
    # --lang ru+es: the embassy corresponds in Russian only, so its letter is Russian alone;
    # the note is still the sender's Spanish and is labelled as such, on screen and in print.
    note = "Soy abogada y sigo este caso desde 2017."
    arguments = ["draft", "-c", "ES", "-n", "Lucía", "--to", "embassy", "--lang", "ru+es"]
    result = runner.invoke(cli, [*arguments, "--note", note, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    (draft,) = json.loads(result.stdout)["drafts"]
    assert draft["language"] == "ru"
    assert f"Собственные слова отправителя (на испанском языке):\n{note}" in draft["body"]
    out = tmp_path / "print"
    result = runner.invoke(cli, [*arguments, "--note", note, "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    (page,) = out.glob("*.html")
    assert "Собственные слова отправителя (на испанском языке)" in page.read_text()
