"""Printed letters a post office delivers and an office can answer (drafted from the frozen
fixture campaign, so that a refresh of the shipped records does not move them).

The sender's postal address reaches the printed letter; the recipient's address is printed one
element per line and ends with the destination country in capitals when the letter is posted
from another country; place and date are written as the letter's language writes them; each
language part is marked with its ``lang``; a letter to an office that answers only at a postal
address says, without one, that no reply can come.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_page import ARTIFACTS, browser  # noqa: F401  (its Chromium fixture, shared)

from appeal.campaign import load_campaign, parse_settings_bytes
from appeal.cli import cli
from appeal.countries import resolve_country
from appeal.drafts import DraftOptions, build_drafts
from appeal.errors import DataError, InputError
from appeal.printable import dateline, print_pages
from appeal.sender import make_sender

GOLDEN = Path(__file__).parent / "golden" / "print"
#: The frozen fixture campaign (see conftest.py): its records do not move with a data refresh.
FIXTURE = Path(__file__).parent / "fixtures" / "campaign_min"
pytestmark = pytest.mark.usefixtures("min_campaign")  # the command line drafts from it too
TODAY = dt.date(2026, 11, 30)
LEIPZIG = ("Karl-Heine-Straße 1", "04229 Leipzig")


class _Blocks(HTMLParser):
    """The text of each <p> in the page, with the classes and lang of the elements around it."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[dict[str, str | None]] = []
        self.paragraphs: list[tuple[tuple[str, ...], str | None, str]] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "meta"):
            return
        self.stack.append({"tag": tag, **dict(attrs)})
        if tag == "p":
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._text is not None:
            classes = tuple(str(e.get("class") or "") for e in self.stack)
            lang = next((e["lang"] for e in reversed(self.stack) if e.get("lang")), None)
            self.paragraphs.append((classes, lang, "".join(self._text)))
            self._text = None
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def inside(self, css_class: str) -> list[str]:
        """The paragraphs inside an element of this class."""
        return [text for classes, _, text in self.paragraphs if css_class in " ".join(classes)]


def parse(page: str) -> _Blocks:
    blocks = _Blocks()
    blocks.feed(page)
    return blocks


def printed(
    record_id: str,
    country: str = "DE",
    language: str = "de",
    address: tuple[str, ...] = LEIPZIG,
    city: str | None = "Leipzig",
) -> str:
    campaign = load_campaign(FIXTURE)
    sender = make_sender("Anna Schmidt", resolve_country(country), city=city, address=address)
    options = DraftOptions(language=language, today=TODAY, recipient_ids=(record_id,))
    drafts = build_drafts(campaign, sender, options).drafts
    return print_pages(campaign, sender, drafts, TODAY)[f"{record_id}.html"]


def test_a_letter_to_moscow_printed_in_germany_has_return_address_country_and_date() -> None:
    page = printed("prosecutor-general")
    blocks = parse(page)
    assert blocks.inside("sender") == [
        "Anna Schmidt",
        "Karl-Heine-Straße 1",
        "04229 Leipzig",
        "Deutschland",
    ]
    # No addressee line in German: it would name the holder with a gendered word.
    assert blocks.inside("recipient") == [
        "Generalstaatsanwaltschaft der Russischen Föderation",
        "ul. Bolshaya Dmitrovka, 15A",
        "Moscow, GSP-3",
        "125993",
        "RUSSIAN FEDERATION",
    ]
    assert blocks.inside("date") == ["Leipzig, 30. November 2026"]
    assert '<div class="sender" dir="auto">' in page
    assert '<p lang="en">RUSSIAN FEDERATION</p>' in page
    # A signature line above the sender's name, and the name once more under it.
    assert re.search(r'<div class="signature"[^>]*></div>\s*<p dir="auto">Anna Schmidt</p>', page)


def test_printed_letter_matches_golden_file() -> None:
    """The whole page, reviewed; regenerate with APPEAL_UPDATE_GOLDEN=1 after a wanted change."""
    page = printed("prosecutor-general", language="de+ru")
    path = GOLDEN / "prosecutor-general.de+ru.html"
    if os.environ.get("APPEAL_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
    assert page == path.read_text(encoding="utf-8")


def test_every_language_part_is_marked_with_its_lang() -> None:
    page = printed("prosecutor-general", language="de+ru")
    assert page.startswith('<!DOCTYPE html>\n<html lang="de">')
    blocks = parse(page)
    parts = [lang for classes, lang, _ in blocks.paragraphs if "subject" in classes[-1]]
    assert parts == ["de", "ru"]
    russian = [text for classes, lang, text in blocks.paragraphs if lang == "ru"]
    assert "Текст письма на русском языке" in russian
    assert any(text.startswith("Уважаемый господин Генеральный прокурор") for text in russian)
    # Only the first version is signed; both end with the sender's name.
    assert re.search(
        r'<div class="closing">\s*<p>Mit freundlichen Grüßen</p>\s*<div class="signature"', page
    )
    assert page.count('class="signature"') == 1
    assert page.count('<p dir="auto">Anna Schmidt</p>') == 3  # sender block and both parts
    assert 'class="hint" lang="en"' in page


def test_the_senders_own_words_in_the_other_language_are_marked_with_it() -> None:
    campaign = load_campaign(FIXTURE)
    note = "Ich habe in Moskau studiert."
    sender = make_sender("Anna", resolve_country("DE"), address=LEIPZIG, note=note)
    options = DraftOptions(language="de+ru", today=TODAY, recipient_ids=("prosecutor-general",))
    drafts = build_drafts(campaign, sender, options).drafts
    page = print_pages(campaign, sender, drafts, TODAY)["prosecutor-general.html"]
    # In the German version by inheritance, in the Russian one by its mark.
    assert page.count(note) == 2
    assert page.count(f'<span lang="de">{note}</span>') == 1
    russian = page.split('<div class="letter version" lang="ru">')[1]
    assert f'<span lang="de">{note}</span>' in russian


def test_a_russian_letter_has_a_russian_address_block_and_date() -> None:
    blocks = parse(page := printed("investigative-committee", language="ru"))
    assert blocks.inside("recipient") == [
        "Председателю Следственного комитета Российской Федерации",
        "Следственный комитет Российской Федерации",
        "Технический переулок, д. 2",
        "Москва",
        "105005",
        "RUSSIAN FEDERATION",
    ]
    assert blocks.inside("date") == ["Leipzig, 30 ноября 2026\u202fг."]
    # The sender's country in the letter's language, and the Latin form for an envelope.
    assert "Германия" in blocks.inside("sender")
    assert "Tekhnichesky Pereulok, 2<br>Moscow<br>105005<br>RUSSIAN FEDERATION</p>" in page
    assert '<html lang="ru">' in page


def test_no_country_line_at_home_and_the_country_in_capitals_abroad() -> None:
    un_from_germany = parse(printed("un-mission-de", language="en"))
    assert un_from_germany.inside("recipient")[-1] == "UNITED STATES"
    assert un_from_germany.inside("recipient")[-2] == "New York, NY 10017"
    embassy_at_home = parse(printed("embassy-fr", country="FR", language="fr", city=None))
    assert embassy_at_home.inside("recipient")[-1] == "75116 Paris"
    embassy = parse(printed("embassy-de"))
    assert embassy.inside("recipient") == [
        "Botschaft der Russischen Föderation",
        "Unter den Linden 63-65",
        "10117 Berlin",
    ]
    # A Liechtenstein sender's letter goes to the embassy in Bern: abroad, so the country.
    bern = parse(printed("embassy-ch", country="LI", language="de"))
    assert bern.inside("recipient")[-3:] == ["Brunnadernrain 37", "3006 Bern", "SWITZERLAND"]


def test_addresses_are_never_broken_at_commas() -> None:
    blocks = parse(printed("un-mission-de", language="en"))
    assert blocks.inside("recipient")[-3:] == [
        "871 United Nations Plaza",
        "New York, NY 10017",
        "UNITED STATES",
    ]
    hornet = parse(printed("company-hornet", language="en"))
    assert hornet.inside("recipient") == [
        "Queer Networks, Inc. (Hornet)",
        "Hornet",
        "750 N San Vicente Blvd, Suite 800",
        "Los Angeles, CA 90069",
        "UNITED STATES",
    ]


def test_without_an_address_the_city_and_without_a_city_the_date_alone() -> None:
    blocks = parse(printed("embassy-de", address=()))
    assert blocks.inside("sender") == ["Anna Schmidt", "Leipzig", "Deutschland"]
    blocks = parse(printed("embassy-de", city=None))
    assert blocks.inside("date") == ["30. November 2026"]
    assert blocks.inside("sender")[1:3] == list(LEIPZIG)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Leipzig, 30 November 2026"),
        ("de", "Leipzig, 30. November 2026"),
        ("fr", "Leipzig, le 30 novembre 2026"),
        ("es", "Leipzig, 30 de noviembre de 2026"),
        ("ru", "Leipzig, 30 ноября 2026\u202fг."),  # CLDR keeps "г." with the year
    ],
)
def test_place_and_date_as_each_language_writes_them(language: str, expected: str) -> None:
    assert dateline("Leipzig", TODAY, language) == expected


# --- the sender's address ------------------------------------------------------------------------


def test_address_lines_from_repeated_options_line_breaks_or_backslash_n() -> None:
    germany = resolve_country("DE")
    for given in (
        ["Karl-Heine-Straße 1", "04229 Leipzig"],
        ["Karl-Heine-Straße 1\n04229 Leipzig"],
        ["Karl-Heine-Straße 1\\n04229 Leipzig"],
        ["  Karl-Heine-Straße 1 \r\n\n 04229 Leipzig  "],
    ):
        assert make_sender("A", germany, address=given).address == LEIPZIG


@pytest.mark.parametrize(
    ("address", "message"),
    [
        (["Street 1\x1b[31m"], "line 1: contains a control character (U+001B)"),
        (["ok", "a\u202eb"], "line 2: contains an invisible text-direction control"),
        (["x" * 101], "line 1: is 101 characters long; the limit is 100"),
        (["a\\nb\\nc\\nd\\ne\\nf"], "has 6 lines; the limit is 5"),
    ],
)
def test_bad_addresses_are_refused_with_one_line(address: list[str], message: str) -> None:
    with pytest.raises(InputError) as caught:
        make_sender("A", resolve_country("DE"), address=address)
    (problem,) = caught.value.problems
    assert problem.startswith(message) and "\n" not in problem
    assert caught.value.field == "address"


def test_address_reaches_the_printed_letter_from_the_command_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "print"
    args = ["draft", "-c", "DE", "-n", "Anna Schmidt", "--city", "Leipzig", "--lang", "de"]
    args += ["--address", "Karl-Heine-Straße 1", "--address", "04229 Leipzig"]
    result = runner.invoke(
        cli, [*args, "--to", "prosecutor", "--format", "html", "--out", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    blocks = parse((out / "prosecutor-general.html").read_text(encoding="utf-8"))
    assert blocks.inside("sender")[:3] == ["Anna Schmidt", *LEIPZIG]
    assert blocks.inside("recipient")[-1] == "RUSSIAN FEDERATION"
    assert "No reply can come" not in result.stderr


def test_a_bad_address_on_the_command_line_is_one_error_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "print"
    args = ["draft", "-c", "DE", "-n", "A", "--address", "Street\x07", "--format", "html"]
    result = runner.invoke(cli, [*args, "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr == "Error: --address: line 1: contains a control character (U+0007)\n"
    assert not out.exists()


def test_a_text_draft_for_print_carries_the_return_address() -> None:
    from appeal.drafts import compose_letter, renderer_for

    campaign = load_campaign(FIXTURE)
    record = campaign.recipient("prosecutor-general")
    assert record is not None
    sender = make_sender("Anna Schmidt", resolve_country("DE"), city="Leipzig", address=LEIPZIG)
    renderer = renderer_for(campaign)
    _, printed_letter = compose_letter(renderer, record, sender, "de", "print", TODAY)
    assert printed_letter.body.endswith(
        "Anna Schmidt\nKarl-Heine-Straße 1\n04229 Leipzig\nDeutschland"
    )
    _, emailed = compose_letter(renderer, record, sender, "de", "email", TODAY)
    assert "Karl-Heine-Straße" not in emailed.body


# --- no reply without a postal address -----------------------------------------------------------


def _warnings(record_id: str, address: tuple[str, ...]) -> tuple[str, ...]:
    sender = make_sender("A", resolve_country("DE"), address=address)
    options = DraftOptions(today=TODAY, recipient_ids=(record_id,))
    (draft,) = build_drafts(load_campaign(FIXTURE), sender, options).drafts
    return tuple(warning.text for warning in draft.warnings)


@pytest.mark.parametrize("record_id", ["prosecutor-general", "investigative-committee"])
def test_a_draft_to_a_body_that_answers_only_by_post_says_no_reply_can_come(
    record_id: str,
) -> None:
    first = _warnings(record_id, ())[0]
    assert first.startswith("No reply can come to this letter: it gives no postal address")
    assert "59-FZ" in first and "give your address (street, postcode and city)" in first
    assert not any("No reply" in w for w in _warnings(record_id, LEIPZIG))


def test_a_sender_in_russia_is_not_pressed_to_give_an_address() -> None:
    sender = make_sender("A", resolve_country("RU"))
    options = DraftOptions(today=TODAY, recipient_ids=("prosecutor-general",))
    draft_set = build_drafts(load_campaign(FIXTURE), sender, options)
    warning = draft_set.drafts[0].warnings[0]
    assert (warning.code, warning.severity, warning.field) == ("postal-reply", "caution", "address")
    first = warning.text
    assert first.startswith("No reply can come to this letter")
    assert "read the safety note before you decide" in first and "give your address" not in first
    assert any(notice.text.startswith("You gave Russia") for notice in draft_set.notices)


def test_embassies_and_un_missions_get_no_such_warning() -> None:
    for record_id in ("embassy-de", "un-mission-de", "company-hornet"):
        assert not any("No reply" in w for w in _warnings(record_id, ()))


def test_the_warning_reaches_json_and_the_engine_names_no_country(runner: CliRunner) -> None:
    import json

    result = runner.invoke(
        cli, ["draft", "-c", "FR", "-n", "A", "--to", "investigative_committee", "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    (draft,) = json.loads(result.stdout)["drafts"]
    assert draft["warnings"][0]["text"].startswith("No reply can come")
    assert draft["warnings"][0]["field"] == "address"
    assert draft["postal"] == {
        "lines": ["Технический переулок, д. 2", "Москва", "105005"],
        "lines_latin": ["Tekhnichesky Pereulok, 2", "Moscow", "105005"],
        "country": "RU",
    }
    # The reason is the campaign's text, not the engine's.
    engine = Path(__file__).parents[1] / "src" / "appeal"
    assert not any("59-FZ" in path.read_text(encoding="utf-8") for path in engine.glob("*.py"))


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("postal_reply: [prosecutor]", "postal_reply: expected a mapping with 'kinds'"),
        ("postal_reply: {kinds: [prosecuter]}", "kinds: 'prosecuter' is not one of"),
        ("postal_reply: {kinds: prosecutor}", "kinds: expected a list of recipient kinds"),
        ("postal_reply: {kinds: [prosecutor], reason: 3}", "reason: expected text"),
    ],
)
def test_bad_postal_reply_settings_are_reported_with_their_line(setting: str, message: str) -> None:
    kinds = "kinds: {embassy: {label: embassy, default: true}, prosecutor: {label: prosecutor}}"
    text = f"schema_version: 1\nid: x\ntitle: T\n{kinds}\n\n{setting}\n"
    with pytest.raises(DataError) as caught:
        parse_settings_bytes(text.encode(), "campaign.yaml")
    (problem,) = caught.value.problems
    assert problem.startswith("campaign.yaml:6: postal_reply") and message in problem


def test_a_note_with_the_separator_does_not_split_the_letter_wrongly() -> None:
    campaign = load_campaign(FIXTURE)
    note = "Erstens.\n\n* * *\n\nZweitens."
    sender = make_sender("Anna", resolve_country("DE"), address=LEIPZIG, note=note)
    options = DraftOptions(language="de+ru", today=TODAY, recipient_ids=("prosecutor-general",))
    drafts = build_drafts(campaign, sender, options).drafts
    page = print_pages(campaign, sender, drafts, TODAY)["prosecutor-general.html"]
    german, russian = page.split('<div class="letter version" lang="ru">')
    assert "<p>Zweitens.</p>" in german and "Уважаемый" in russian
    assert page.count('class="subject"') == 2


# --- printed by Chromium ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_each_version_prints_on_one_page_with_its_signature(browser, paper: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    campaign = load_campaign(FIXTURE)
    note = (
        "Ich habe in Moskau studiert und habe bis heute Freunde in Russland. Was in Tschetschenien "
        "geschieht, betrifft Menschen, die ich kenne, und ich bitte Sie, es nicht hinzunehmen."
    )
    sender = make_sender(
        "Anna Schmidt", resolve_country("DE"), city="Leipzig", address=LEIPZIG, note=note
    )
    options = DraftOptions(language="de+ru", today=TODAY, recipient_ids=("prosecutor-general",))
    drafts = build_drafts(campaign, sender, options).drafts
    html = print_pages(campaign, sender, drafts, TODAY)["prosecutor-general.html"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / "printed-letter.html"
    source.write_text(html, encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(source.as_uri())
        pdf = page.pdf(format=paper)
    finally:
        page.close()
    (ARTIFACTS / f"printed-letter.{paper}.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    # The German letter with its signature on the first page, the Russian version on the second.
    assert pages == 2


def test_a_version_1_campaign_folder_still_prints(runner: CliRunner, tmp_path: Path) -> None:
    """An organiser's folder written before addresses were lines: read, line breaks kept."""
    init = runner.invoke(cli, ["init", str(tmp_path / "c")])
    assert init.exit_code == 0, init.stderr
    (tmp_path / "c" / "recipients.yaml").write_text(
        "schema_version: 1\n"
        "recipients:\n"
        "  - id: embassy-no\n"
        "    kind: embassy\n"
        "    country: NO\n"
        "    also_serves: [SE]\n"
        "    name: {en: Embassy of the Russian Federation in Norway}\n"
        '    postal: {address: "Drammensveien 74\\n0271 Oslo"}\n'
        "    source: an organiser's own note\n"
        "    last_seen: 2026-01-01\n"
        "    confidence: high\n",
        encoding="utf-8",
    )
    out = tmp_path / "print"
    args = ["--campaign", str(tmp_path / "c"), "draft", "-c", "SE", "-n", "A", "--lang", "en"]
    result = runner.invoke(cli, [*args, "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    blocks = parse((out / "embassy-no.html").read_text(encoding="utf-8"))
    # No country in a version 1 record, so no country line, even from Sweden.
    assert blocks.inside("recipient")[-2:] == ["Drammensveien 74", "0271 Oslo"]


def test_a_sender_in_germany_gets_a_russian_letter_with_german_after_it(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --lang, the campaign drafts letters to Russian bodies in Russian with the
    sender's own language after it: the printed page follows, part by part."""
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    out = tmp_path / "print"
    args = ["draft", "-c", "DE", "-n", "Anna Schmidt", "--city", "Leipzig", "--to", "prosecutor"]
    args += ["--address", "Karl-Heine-Straße 1\\n04229 Leipzig", "--format", "html"]
    result = runner.invoke(cli, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    page = (out / "prosecutor-general.html").read_text(encoding="utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="ru">')
    blocks = parse(page)
    assert blocks.inside("sender") == ["Anna Schmidt", *LEIPZIG, "Германия"]
    assert blocks.inside("recipient") == [
        "Генеральному прокурору Российской Федерации",
        "Генеральная прокуратура Российской Федерации",
        "ул. Большая Дмитровка, д. 15А",
        "г. Москва, ГСП-3",
        "125993",
        "RUSSIAN FEDERATION",
    ]
    # Today's date, as Russian writes it: "Leipzig, 30 ноября 2026 г.".
    (date,) = blocks.inside("date")
    assert re.fullmatch(r"Leipzig, \d{1,2} [а-я]+ \d{4}\u202fг\.", date), date
    parts = [lang for classes, lang, _ in blocks.paragraphs if "subject" in classes[-1]]
    assert parts == ["ru", "de"]
    # The Latin form for a hand-written envelope, on screen only.
    assert "ul. Bolshaya Dmitrovka, 15A<br>Moscow, GSP-3<br>125993<br>RUSSIAN FEDERATION" in page
