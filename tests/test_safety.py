"""Safety rules (campaign data) on every surface: text, JSON, --out files, link sheets,
mail-merge, the action page in Chromium, and the editor's prompts, in each letter language.

Expected notes are read from the campaign's own settings (so a reworded note does not break a
test), and each language is also checked by a phrase only that language's note has.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from appeal.campaign import load_campaign
from appeal.cli import cli
from appeal.countries import resolve_country
from appeal.drafts import DraftOptions, build_drafts
from appeal.errors import DataError
from appeal.sender import OWN_WORDS_CAUTION, make_sender

LANGUAGES = ("en", "ru", "de", "fr", "es")
#: A phrase only the Russia note in each language has (it proves the language, not just a code).
RUSSIA_PHRASE = {
    "en": "You gave Russia as your country",
    "ru": "Вы указали Россию как свою страну",
    "de": "Sie haben Russland als Ihr Land angegeben",
    "fr": "Vous avez indiqué la Russie comme pays",
    "es": "Ha indicado Rusia como su país",
}
RUSSIA = "sender-in-russia"
OWN_MISSION = "no-own-un-mission"
NO_EMBASSY = "no-embassy-at-home"
CRIMINALISING = "criminalising-country"
RUSSIAN_STATE = "read-by-russian-state"
PUBLIC_POST = "public-post"


def note(code: str, language: str) -> str:
    """The campaign's note for rule ``code`` in ``language``."""
    rule = next(r for r in load_campaign().settings.safety_rules if r.id == code)
    assert rule.note is not None
    return rule.note.get(language)


def flat(text: str) -> str:
    """Text with line wrapping undone (ASCII blanks only: French keeps its no-break spaces)."""
    return re.sub(r"[ \n]+", " ", text)


def draft_text(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, ["draft", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def draft_json(runner: CliRunner, *args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(cli, ["draft", *args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


# --- the done-when of issue 12 ---------------------------------------------------------------


def test_sender_in_russia_in_russian(runner: CliRunner) -> None:
    out = draft_text(runner, "--country", "RU", "--name", "Иван Петров", "--lang", "ru")
    first_letter = out.index("[1/")
    assert flat(note(RUSSIA, "ru")) in flat(out[:first_letter])
    assert RUSSIA_PHRASE["ru"] in flat(out[:first_letter])
    assert flat(note(OWN_MISSION, "ru")) in flat(out[:first_letter])
    assert "un_mission" not in out and "Постоянное представительство Российской" not in out
    assert "post on " not in out and "x.com" not in out and "twitter" not in out
    assert "amnesty.org" not in out and "lgbtnet" not in out  # no pointer (letters: issue 11)
    assert "More you can do" not in out
    data = draft_json(runner, "--country", "RU", "--name", "Иван Петров", "--lang", "ru")
    codes = [n["code"] for n in data["notices"]]
    assert codes == [RUSSIA, OWN_MISSION, NO_EMBASSY, RUSSIAN_STATE]  # nothing in English
    assert data["notices"][0] == {"code": RUSSIA, "severity": "danger", "text": note(RUSSIA, "ru")}
    assert [d["kind"] for d in data["drafts"]] == ["prosecutor"]
    assert all(d["post_links"] == [] for d in data["drafts"])
    assert data["pointers"] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_note_in_every_language_comes_before_the_first_letter(
    runner: CliRunner, language: str
) -> None:
    russia = draft_text(runner, "-c", "RU", "-n", "A", "--lang", language)
    head = flat(russia[: russia.index("[1/")])
    assert RUSSIA_PHRASE[language] in head
    for code in (RUSSIA, OWN_MISSION, NO_EMBASSY, RUSSIAN_STATE):
        assert flat(note(code, language)) in head, code
    ghana = draft_text(runner, "-c", "GH", "-n", "A", "--lang", language)
    head = flat(ghana[: ghana.index("[1/")])
    assert flat(note(CRIMINALISING, language)) in head
    assert flat(note(RUSSIAN_STATE, language)) in head
    assert flat(note(RUSSIA, language)) not in flat(ghana)
    germany = draft_text(
        runner, "-c", "DE", "-n", "A", "--lang", language, "--to", "embassy", "--to", "prosecutor"
    )
    head = flat(germany[: germany.index("[1/")])
    assert flat(note(RUSSIAN_STATE, language)) in head
    assert flat(note(CRIMINALISING, language)) not in flat(germany)
    # The public-post caveat stands beside the post link, in the letter's language.
    after_post = flat(germany[germany.index("post on x to @Genproc") :])
    assert flat(note(PUBLIC_POST, language)) in after_post
    # The same notes in JSON, with their codes.
    data = draft_json(runner, "-c", "RU", "-n", "A", "--lang", language)
    assert [(n["code"], n["text"]) for n in data["notices"]] == [
        (code, note(code, language)) for code in (RUSSIA, OWN_MISSION, NO_EMBASSY, RUSSIAN_STATE)
    ]
    data = draft_json(runner, "-c", "DE", "-n", "A", "--lang", language, "--to", "prosecutor")
    (prosecutor,) = data["drafts"]
    assert prosecutor["notices"] == [RUSSIAN_STATE, PUBLIC_POST]
    assert prosecutor["post_links"][0]["caveats"] == [note(PUBLIC_POST, language)]


def test_no_russian_authority_no_russian_state_line(runner: CliRunner) -> None:
    data = draft_json(runner, "-c", "DE", "-n", "A", "--to", "un_mission", "--to", "company")
    assert [n["code"] for n in data["notices"] if n["severity"] != "info"] == []
    data = draft_json(runner, "-c", "DE", "-n", "A", "--to", "embassy")
    assert [n["code"] for n in data["notices"]] == [RUSSIAN_STATE]
    (embassy,) = data["drafts"]
    assert embassy["notices"] == [RUSSIAN_STATE]


def test_criminalisation_list_is_data_with_its_source(runner: CliRunner) -> None:
    settings = load_campaign().settings
    listed = settings.country_lists["criminalisation"]
    assert listed.confidence == "low" and listed.source and listed.as_of
    assert {"GH", "UG", "SA", "TT"} <= listed.countries
    assert not {"DM", "NA", "RU", "DE"} & listed.countries  # decriminalised, or never on it
    for code in ("UG", "SA"):
        data = draft_json(runner, "-c", code, "-n", "A")
        assert data["notices"][0]["code"] == CRIMINALISING
    data = draft_json(runner, "-c", "NA", "-n", "A")
    assert CRIMINALISING not in [n["code"] for n in data["notices"]]


def test_pointers_carry_their_legal_status_and_hide_where_it_restricts(runner: CliRunner) -> None:
    data = draft_json(runner, "-c", "FR", "-n", "A", "--lang", "fr")
    pointers = {p["id"]: p for p in data["pointers"]}
    assert set(pointers) == {"amnesty", "russian-lgbt-network"}
    assert "indésirable" in pointers["amnesty"]["note"]
    assert pointers["amnesty"]["title"].startswith("Actions d’Amnesty")
    amnesty_source = pointers["amnesty"]["legal_status"][0]["source"]
    assert "rferl.org" in amnesty_source
    assert pointers["amnesty"]["legal_status"] == [
        {
            "country": "RU",
            "status": "undesirable",
            "since": "2025-05-19",
            "source": amnesty_source,
        }
    ]
    campaign = load_campaign()
    amnesty = next(p for p in campaign.settings.pointers if p.id == "amnesty")
    status = amnesty.status_in("RU")
    assert status is not None and status.status == "undesirable" and status.since == "2025-05-19"
    assert status.source
    assert campaign.settings.pointers_for("RU") == ()
    text = draft_text(runner, "-c", "FR", "-n", "A", "--lang", "fr")
    assert "agent de l’étranger" in flat(text)


def test_out_writes_a_notice_file_in_the_letter_language(runner: CliRunner, tmp_path: Path) -> None:
    for fmt in ("text", "json", "eml", "html"):
        out = tmp_path / fmt
        result = runner.invoke(
            cli,
            ["draft", "-c", "RU", "-n", "A", "--lang", "de", "--format", fmt, "--out", str(out)],
        )
        if fmt == "eml":  # Russia's only letter goes by form or post: no e-mail draft at all
            assert result.exit_code == 1 and "no e-mail address" in result.stderr
            assert not out.exists()
            continue
        assert result.exit_code == 0, result.stderr
        notice = flat((out / "NOTICE.txt").read_text(encoding="utf-8"))
        assert notice.index(flat(note(RUSSIA, "de"))) < notice.index(
            flat(note(RUSSIAN_STATE, "de"))
        )
        assert RUSSIA_PHRASE["de"] in notice
        assert not any(p.name.startswith("un-mission") for p in out.iterdir())
    out = tmp_path / "eml-gh"
    result = runner.invoke(
        cli, ["draft", "-c", "GH", "-n", "A", "--format", "eml", "--out", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    assert flat(note(CRIMINALISING, "en")) in flat((out / "NOTICE.txt").read_text(encoding="utf-8"))


def test_link_sheets_carry_the_notes_on_the_rows_they_concern(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["links", "-c", "RU", "-c", "DE", "-c", "GH", "--format", "csv", "--lang", "es"]
    )
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    russia = [r for r in rows if r["country"] == "RU"]
    assert russia and all(note(RUSSIA, "es") in r["notices"] for r in russia)
    assert not any(r["kind"] == "un_mission" or r["via"] in ("x", "bluesky") for r in russia)
    for row in rows:
        to_russia = row["kind"] in ("embassy", "prosecutor", "investigative_committee")
        assert (note(RUSSIAN_STATE, "es") in row["notices"]) == to_russia, row
        assert (note(CRIMINALISING, "es") in row["notices"]) == (row["country"] == "GH")
        assert (note(PUBLIC_POST, "es") in row["notices"]) == (row["via"] in ("x", "bluesky"))
    assert any(r["via"] == "x" and r["country"] == "DE" for r in rows)
    for fmt in ("markdown", "html"):
        result = runner.invoke(cli, ["links", "-c", "RU", "--format", fmt, "--lang", "fr"])
        assert result.exit_code == 0
        assert RUSSIA_PHRASE["fr"] in result.stdout


def test_mail_merge_row_for_a_supporter_in_russia_carries_the_note(
    runner: CliRunner, tmp_path: Path
) -> None:
    supporters = tmp_path / "supporters.csv"
    supporters.write_text(
        "name,country,language\nИван,RU,ru\nAma,GH,fr\nAnna,DE,\n", encoding="utf-8"
    )
    result = runner.invoke(cli, ["links", "--supporters", str(supporters)])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    ivan = [r for r in rows if r["country"] == "RU"]
    assert ivan and all(note(RUSSIA, "ru") in r["notices"] for r in ivan)
    assert all(note(RUSSIAN_STATE, "ru") in r["notices"] for r in ivan)
    assert not any(r["kind"] == "un_mission" for r in ivan)
    ama = [r for r in rows if r["country"] == "GH"]
    assert ama and all(note(CRIMINALISING, "fr") in r["notices"] for r in ama)
    anna_un = [r for r in rows if r["country"] == "DE" and r["kind"] == "un_mission"]
    assert anna_un and all(r["notices"] == "" for r in anna_un)  # a row no rule concerns
    supporters.write_text(
        "name,country,language\n" + "".join(f"A,RU,{lang}\n" for lang in LANGUAGES),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["links", "--supporters", str(supporters)])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["language"] for r in rows] == list(LANGUAGES)
    for row in rows:
        assert row["notices"].startswith(note(RUSSIA, row["language"]))


@pytest.mark.parametrize("language", LANGUAGES)
def test_editor_prompts_warn_in_the_letter_language(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    import click

    seen: list[str] = []

    def fake_edit(filename: str, **kwargs: object) -> None:
        # An editor changes the file it was given.
        text = Path(filename).read_text(encoding="utf-8")
        seen.append(text)
        Path(filename).write_text("Ich bin Ärztin.\n" + text, encoding="utf-8")

    monkeypatch.setattr(click, "edit", fake_edit)
    args = ["draft", "-c", "DE", "-n", "A", "--to", "embassy", "--edit", "--lang", language]
    data = draft_json(runner, *args[1:])
    (prompts,) = seen
    assert all(line.startswith("# ") for line in prompts.strip().splitlines())
    assert flat(OWN_WORDS_CAUTION[language]) in flat(prompts.replace("# ", ""))
    hint = load_campaign().settings.own_words_hint
    assert hint is not None
    assert flat(hint.get(language)) in flat(prompts.replace("# ", ""))
    assert "Ich bin Ärztin." in data["drafts"][0]["body"]
    assert "#" not in data["drafts"][0]["body"].split("Ich bin Ärztin.")[1][:5]


# --- the rules are data: the core knows no country and no kind -------------------------------


def test_the_core_names_no_country_no_kind_in_its_rules() -> None:
    source = (Path(__file__).parent.parent / "src" / "appeal" / "safety.py").read_text("utf-8")
    for word in ("RU", "Russia", "Chechnya", "un_mission", "embassy", "prosecutor"):
        assert not re.search(rf"\b{word}\b", source), word


def _folder(tmp_path: Path, settings: str) -> Path:
    from appeal.campaign import default_campaign_root

    root = default_campaign_root()
    (tmp_path / "recipients.yaml").write_bytes((root / "recipients.yaml").read_bytes())
    (tmp_path / "campaign.yaml").write_text(settings, encoding="utf-8")
    return tmp_path


BASE = """\
schema_version: 1
id: test
title: A test campaign
kinds: {embassy: {label: embassy, serves: country, default: true},
  un_mission: {label: UN mission, serves: country, default: true},
  prosecutor: {label: prosecutor, default: true}, investigative_committee: {label: committee},
  company: {label: company}}
pointers:
  - id: group
    title: A group
    url: https://example.org/
"""


def test_an_organisers_rules_apply_to_their_own_countries(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = _folder(
        tmp_path,
        BASE
        + """\
country_lists:
  nordic:
    title: Nordic countries
    source: a test
    as_of: 2026
    confidence: high
    countries: [NO, SE]
safety_rules:
  - id: nordic-note
    severity: caution
    when: {sender_in_list: nordic}
    withhold_kinds: [prosecutor]
    withhold_channels: [public_post]
    hide_pointers: [group]
    note: {en: Careful up north., fr: Prudence au nord.}
""",
    )
    campaign = load_campaign(folder)
    norway = build_drafts(
        campaign, make_sender("A", resolve_country("NO")), DraftOptions(language="fr")
    )
    assert norway.notices[0].code == "nordic-note"
    assert norway.notices[0].text == "Prudence au nord."
    assert "prosecutor" not in [d.recipient.kind for d in norway.drafts]
    assert norway.pointers == ()
    germany = build_drafts(campaign, make_sender("A", resolve_country("DE")))
    assert "nordic-note" not in [n.code for n in germany.notices]
    assert [p.id for p in germany.pointers] == ["group"]
    # A language the note lacks falls back to English.
    sweden = build_drafts(
        campaign, make_sender("A", resolve_country("SE")), DraftOptions(language="de")
    )
    assert sweden.notices[0].text == "Careful up north."
    # Russia is nothing special to the engine: this campaign has no rule for it.
    russia = build_drafts(campaign, make_sender("A", resolve_country("RU")))
    assert [n.severity for n in russia.notices if n.severity != "info"] == []


def test_bad_rules_are_reported_with_their_lines(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        BASE
        + """\
safety_note: old style
safety_rules:
  - id: one
    severity: severe
    when: {sender_in_list: nowhere, sender_country: [XX]}
    note: {fr: Sans anglais.}
  - id: two
    severity: info
    when: {recipient_kinds: [embassy, consulate]}
    withhold_kinds: [un_mission]
    note: Two.
  - id: three
    severity: info
    when: {channel: telegram}
""",
    )
    with pytest.raises(DataError) as caught:
        load_campaign(folder)
    problems = "\n".join(caught.value.problems)
    for expected in (
        "campaign.yaml:12: safety_note: replaced by safety_rules",
        "campaign.yaml:15: safety_rules[0].severity: 'severe' is not one of info, caution, danger",
        "safety_rules[0].when.sender_in_list: 'nowhere' is not a list in country_lists",
        "safety_rules[0].when.sender_country[0]: 'XX' is not an ISO 3166-1 alpha-2 code",
        "safety_rules[0].note: needs an English ('en') text",
        "safety_rules[1].when.recipient_kinds[1]: 'consulate' is not one of",
        "safety_rules[1]: a rule for recipient kinds or a channel can only add a note",
        "safety_rules[2].when.channel: 'telegram' is not one of public_post",
        "campaign.yaml:23: safety_rules[2]: the rule does nothing",
    ):
        assert expected in problems, (expected, problems)
    assert "safety_rules[0]: the rule does nothing" not in problems  # its note is just bad


def test_a_handle_needs_the_source_that_confirms_it(tmp_path: Path) -> None:
    from appeal.campaign import default_campaign_root

    data = (default_campaign_root() / "recipients.yaml").read_text(encoding="utf-8")
    data = data.replace(
        '    website: "https://en.sledcom.ru"\n',
        '    website: "https://en.sledcom.ru"\n    handles:\n      x: sledcom_rf\n',
        1,
    )
    (tmp_path / "recipients.yaml").write_text(data, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_campaign(tmp_path)
    (problem,) = caught.value.problems
    assert "handles.x: give the handle with the source that confirms it" in problem
    assert re.search(
        r"recipients\.yaml:\d+: recipients\[\d+\] \(investigative-committee\)", problem
    )


# --- the action page, in Chromium --------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from test_page import CHROMIUM, _browser

    sync_playwright = _browser()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    built = {}
    for language in LANGUAGES:
        target = folder / f"action-{language}.html"
        result = CliRunner().invoke(cli, ["page", "-o", str(target), "--lang", language])
        assert result.exit_code == 0, result.stderr
        built[language] = target
    return built


def _safety_codes(page) -> list[str]:  # type: ignore[no-untyped-def]
    codes: list[str] = page.eval_on_selector_all(
        "#safety .notice", "els => els.map(e => e.dataset.code)"
    )
    return codes


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_page_shows_the_notes_as_soon_as_the_country_is_picked(  # type: ignore[no-untyped-def]
    browser, pages: dict[str, Path], language: str
) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(pages[language].as_uri())
    assert _safety_codes(page) == []
    assert page.locator("#footer a").count() == 0  # no pointer before a country is known
    hint = flat(page.text_content("#note-hint") or "")
    assert flat(OWN_WORDS_CAUTION[language]) in hint
    page.fill("#country", "RU")  # nothing typed yet: no name, no submit
    assert page.input_value("#name") == ""
    assert _safety_codes(page) == [RUSSIA, OWN_MISSION, NO_EMBASSY, RUSSIAN_STATE]
    shown = flat(page.text_content("#safety") or "")
    assert RUSSIA_PHRASE[language] in shown and flat(note(RUSSIA, language)) in shown
    assert page.locator("#footer a").count() == 0  # both pointers are restricted in Russia
    # The notes stand above the name field, where the visitor is about to type.
    box = page.locator("#safety").bounding_box()
    name = page.locator("#name").bounding_box()
    assert box is not None and name is not None and box["y"] < name["y"]
    page.fill("#name", "Иван")
    page.click("#make")
    page.wait_for_selector("article")
    kinds = page.eval_on_selector_all("article", "els => els.map(e => e.dataset.recipient)")
    assert kinds == ["prosecutor-general"]
    assert page.locator("a[data-via=x], a[data-via=bluesky]").count() == 0
    page.fill("#country", "GH")
    assert _safety_codes(page) == [CRIMINALISING, RUSSIAN_STATE]
    assert flat(note(CRIMINALISING, language)) in flat(page.text_content("#safety") or "")
    page.fill("#country", "DE")
    assert _safety_codes(page) == [RUSSIAN_STATE, PUBLIC_POST]
    assert page.locator("#footer a").count() == 2
    page.click("#make")
    page.wait_for_selector("a[data-via=x]", state="attached")  # under "Other ways to send"
    post_box = page.locator("article[data-recipient=prosecutor-general] .actions")
    assert flat(note(PUBLIC_POST, language)) in flat(post_box.text_content() or "")
    assert errors == []
    page.close()


@pytest.mark.browser
def test_french_page_shows_the_russia_note_in_french(  # type: ignore[no-untyped-def]
    browser, pages: dict[str, Path]
) -> None:
    page = browser.new_page()
    page.goto(pages["fr"].as_uri())
    page.fill("#country", "RU")
    text = page.text_content("#safety .notice.danger") or ""
    assert text.startswith("Vous avez indiqué la Russie comme pays\u00a0: lisez d’abord ceci.")
    assert "«\u00a0mouvement LGBT international\u00a0»" in text
    page.close()


def test_notes_from_a_campaign_folder_cannot_carry_control_characters(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        BASE
        + """\
safety_rules:
  - id: loud
    severity: danger
    note: {en: "Read this\\e[2J first", de: "Bitte\\u202eeslen"}
""",
    )
    with pytest.raises(DataError) as caught:
        load_campaign(folder)
    assert len(caught.value.problems) == 2
    problems = "\n".join(caught.value.problems)
    assert "contains a control character (U+001B)" in problems
    assert "contains an invisible text-direction control (U+202E)" in problems


def test_copy_shows_the_notes_first(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    import appeal.clipboard

    copied: list[str] = []
    monkeypatch.setattr(appeal.clipboard, "copy_text", lambda text, *a, **k: copied.append(text))
    result = runner.invoke(cli, ["draft", "-c", "RU", "-n", "A", "--lang", "es", "--copy"])
    assert result.exit_code == 0, result.stderr
    assert RUSSIA_PHRASE["es"] in flat(result.stderr)


def test_a_withheld_kind_is_explained_only_when_it_was_asked_for(runner: CliRunner) -> None:
    data = draft_json(runner, "-c", "RU", "-n", "A", "--to", "prosecutor")
    assert [n["code"] for n in data["notices"]] == [RUSSIA, RUSSIAN_STATE]
    data = draft_json(runner, "-c", "RU", "-n", "A", "--to", "un_mission")
    assert [n["code"] for n in data["notices"]] == [RUSSIA, OWN_MISSION]
    assert data["drafts"] == []
    data = draft_json(runner, "-c", "RU", "-n", "A", "--to", "embassy")
    assert [n["code"] for n in data["notices"]] == [RUSSIA, NO_EMBASSY]
