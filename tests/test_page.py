"""The action page: built from the same renderings as the CLI, self-contained, tested in Chromium.

Browser tests need Debian's chromium (``/usr/bin/chromium``) and Playwright's Python package.
Locally they are skipped when either is missing; with ``APPEAL_REQUIRE_BROWSER=1`` (set by CI)
a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner

from appeal.cli import cli
from appeal.textguard import fold_spaces

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from playwright.sync_api import Browser, Playwright, ViewportSize

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("APPEAL_ARTIFACTS", ROOT / "build" / "artifacts"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SPECIAL_NAME = 'Anna & Co #1 + "Q" Привет 🌍'


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("page") / "action.html"
    result = CliRunner().invoke(cli, ["page", "-o", str(target), "--lang", "en"])
    assert result.exit_code == 0, result.stderr
    return target


def test_page_is_small_and_self_contained(page_file: Path) -> None:
    html = page_file.read_text(encoding="utf-8")
    assert len(html.encode("utf-8")) < 500 * 1024
    # The one <link> is an empty icon, so that the browser asks for no favicon.
    assert html.count("<link") == 1 and '<link rel="icon" href="data:,">' in html
    for external in ("<img", " src=", "@import", "url(", "<iframe"):
        assert external not in html
    assert "default-src 'none'" in html  # the page could not load anything even if it tried
    assert "</script" not in html.split('id="appeal-data">', 1)[1].split("</script>", 1)[0]


def test_page_refuses_to_overwrite_and_to_be_bilingual(runner: CliRunner, page_file: Path) -> None:
    again = runner.invoke(cli, ["page", "-o", str(page_file)])
    assert again.exit_code == 1 and "already exists" in again.stderr
    both = runner.invoke(cli, ["page", "-o", str(page_file.parent / "x.html"), "--lang", "de+ru"])
    assert both.exit_code == 1 and "one language" in both.stderr


def test_record_text_cannot_inject_markup(runner: CliRunner, tmp_path: Path) -> None:
    from appeal.campaign import default_campaign_root

    data = (default_campaign_root() / "recipients.yaml").read_text(encoding="utf-8")
    data = data.replace(
        "en: Embassy of the Russian Federation in Germany",
        'en: "Embassy </script><script>alert(1)</script>"',
        1,
    )
    (tmp_path / "recipients.yaml").write_text(data, encoding="utf-8")
    target = tmp_path / "page.html"
    result = runner.invoke(cli, ["--campaign", str(tmp_path), "page", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    html = target.read_text(encoding="utf-8")
    assert html.count("<script") == 2  # the data block and the page's own script, nothing else
    assert "\\u003c/script>\\u003cscript>alert(1)" in html


def _browser() -> Callable[[], AbstractContextManager[Playwright]]:
    required = os.environ.get("APPEAL_REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            pytest.fail("Playwright is not installed but APPEAL_REQUIRE_BROWSER=1")
        pytest.skip("Playwright is not installed")
    if not Path(CHROMIUM).exists():
        if required:
            pytest.fail(f"{CHROMIUM} is missing but APPEAL_REQUIRE_BROWSER=1")
        pytest.skip("Chromium is not installed")
    return sync_playwright


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    sync_playwright = _browser()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


def _cli_drafts(
    country: str, name: str, city: str, email: str, note: str, locale: str = "en_US.UTF-8"
) -> list[dict[str, Any]]:
    # The page's language is the visitor's own, as a locale is (not a --lang choice): letters to
    # the kinds the campaign writes in Russian are Russian with the page's language after them.
    args = ["draft", "-c", country, "-n", name, "--format", "json"]
    for option, value in (("--city", city), ("--email", email), ("--note", note)):
        if value:
            args += [option, value]
    result = CliRunner().invoke(cli, args, env={"LC_ALL": locale})
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["drafts"]  # type: ignore[no-any-return]


CASES = [
    # every channel: e-mail (embassy, UN mission), online form and post (Prosecutor General)
    (
        "DE",
        SPECIAL_NAME,
        "Leipzig",
        "anna@example.org",
        "I visited Grozny in 2015.\n\nMy friends there # + & = ?",
    ),
    # no UN mission or embassy record: only the federal bodies
    ("HK", SPECIAL_NAME, "", "", ""),
    # covered by the embassy in Switzerland
    (
        "LI",
        "Kari Nordmann",
        "Vaduz",
        "",
        "Ich schreibe aus Liechtenstein.   \n\n\n\nZweiter Absatz.  ",
    ),
]


@pytest.mark.browser
@pytest.mark.parametrize(("country", "name", "city", "email", "note"), CASES)
def test_page_matches_cli_exactly(
    browser: Browser,
    page_file: Path,
    country: str,
    name: str,
    city: str,
    email: str,
    note: str,
) -> None:
    page = browser.new_page(viewport={"width": 1000, "height": 1400})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_file.as_uri())
    page.fill("#country", country)
    page.fill("#name", name)
    page.fill("#city", city)
    page.fill("#email", email)
    page.fill("#note", note)
    page.click("#make")
    page.wait_for_selector("article")
    expected = _cli_drafts(country, name, city, email, note)
    # The first letter's primary action has the focus: the mail program where the letter fits.
    focused = page.evaluate("document.activeElement.className")
    assert "primary" in focused

    shown = page.evaluate(
        "() => [...document.querySelectorAll('article')].map(a => ({"
        " id: a.dataset.recipient, body: a.querySelector('pre').textContent,"
        " links: Object.fromEntries([...a.querySelectorAll('a[data-via]')].map(l => [l.dataset.via, l.getAttribute('href')]))}))"
    )
    assert [s["id"] for s in shown] == [d["recipient"] for d in expected]
    fields = {"country": country, "name": name, "city": city, "email": email, "note": note}
    computed = page.evaluate("(fields) => window.appealDrafts(fields)", fields)
    for want, got, dom in zip(expected, computed, shown, strict=True):
        assert got["recipient"] == want["recipient"]
        assert got["subject"] == want["subject"]
        assert got["body"] == want["body"]
        assert dom["body"] == want["body"]
        assert got["links"] == want["links"]
        assert got["fallback_links"] == want["fallback_links"]
        for via, href in dom["links"].items():
            if via in want["links"]:
                assert href in (want["links"][via], want["fallback_links"].get(via))
            elif via == "form":
                assert href == want["form"]["url"]
            else:
                assert href in [p["url"] for p in want["post_links"]]
    if country == "LI":
        assert "also covers your country" in (page.text_content("#notices") or "")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"page-{country}.png"), full_page=True)
    assert errors == []
    assert requests == [page_file.as_uri()], requests
    page.close()


@pytest.mark.browser
def test_keyboard_only_and_bad_input(browser: Browser, page_file: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone-width screen
    page.goto(page_file.as_uri())
    page.focus("#country")
    order = []
    for _ in range(6):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id"))
    assert order == ["name", "city", "email", "note", "remember", "make"]
    page.fill("#country", "FR")
    page.fill("#name", "Camille\u202eMartin")
    page.keyboard.press("Enter")
    assert "cannot be used" in (page.text_content("#form-error") or "")
    assert page.evaluate("document.activeElement.id") == "name"
    assert page.get_attribute("#name", "aria-invalid") == "true"
    page.fill("#name", "Camille Martin")
    page.focus("#name")
    page.keyboard.press("Enter")
    page.wait_for_selector("article")
    assert "primary" in page.evaluate("document.activeElement.className")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing forces sideways scrolling on a phone
    for label_for in ("country", "name", "city", "email", "note"):
        assert page.locator(f"label[for={label_for}]").count() == 1
    assert page.evaluate("localStorage.length") == 0  # nothing stored unless asked
    page.close()


@pytest.mark.browser
def test_russian_visitors_see_the_safety_note(browser: Browser, page_file: Path) -> None:
    page = browser.new_page()
    page.goto(page_file.as_uri())
    page.fill("#country", "RU")
    page.fill("#name", "A")
    page.click("#make")
    page.wait_for_selector("article")
    assert re.search(
        r"supporting it\s+can be a criminal offence in Russia", page.text_content("#safety") or ""
    )
    page.close()


SENDER_SUBJECT = (
    '{% extends "default/letters/en/embassy.txt.j2" %}\n'
    "{% block subject %}A letter from {{ sender.name }} in "
    "{{ sender.city or sender.country }}{% endblock %}\n"
)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("name", "city"),
    [("Anna  Maria\u00a0Schmidt & Co", "Leipzig"), ("Жанна 🌍 #1 + 100%\u2003", ""), ("K", "")],
)
def test_subjects_with_sender_fields_equal_draft(  # type: ignore[no-untyped-def]
    browser, runner: CliRunner, tmp_path: Path, name: str, city: str
) -> None:
    folder = tmp_path / "campaign"
    (folder / "templates" / "letters" / "en").mkdir(parents=True)
    fixture = Path(__file__).parent / "fixtures" / "campaign_min" / "recipients.yaml"
    (folder / "recipients.yaml").write_bytes(fixture.read_bytes())
    (folder / "templates" / "letters" / "en" / "embassy.txt.j2").write_text(
        SENDER_SUBJECT, encoding="utf-8"
    )
    target = tmp_path / "page.html"
    built = runner.invoke(cli, ["--campaign", str(folder), "page", "-o", str(target)])
    assert built.exit_code == 0, built.stderr
    args = ["--campaign", str(folder), "draft", "-c", "DE", "-n", name, "--format", "json"]
    drafted = runner.invoke(cli, args + (["--city", city] if city else []))
    assert drafted.exit_code == 0, drafted.stderr
    expected = json.loads(drafted.stdout)["drafts"]
    page = browser.new_page()
    page.goto(target.as_uri())
    fields = {"country": "DE", "name": name, "city": city, "email": "", "note": ""}
    computed = page.evaluate("(fields) => window.appealDrafts(fields)", fields)
    page.close()
    assert [d["subject"] for d in computed] == [d["subject"] for d in expected]
    assert [d["links"] for d in computed] == [d["links"] for d in expected]
    assert expected[0]["subject"] == f"A letter from {fold_spaces(name)} in {city or 'Germany'}"


# --- issue 14: the page a first-time visitor trusts, in en, ru and fr ----------------------------

LANGUAGES = ("en", "ru", "fr")
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The default campaign's page in each tested language, built once."""
    folder = tmp_path_factory.mktemp("pages")
    built = {}
    for language in LANGUAGES:
        target = folder / f"action-{language}.html"
        result = CliRunner().invoke(cli, ["page", "-o", str(target), "--lang", language])
        assert result.exit_code == 0, result.stderr
        built[language] = target
    return built


def _strings(language: str) -> dict:  # type: ignore[type-arg]
    from appeal.page_text import page_strings

    return page_strings(language)


def _open(browser: Browser, url: str, **options: object):  # type: ignore[no-untyped-def]
    page: Any = browser.new_page(**options)  # type: ignore[arg-type]
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url)
    return page


def _show(page, country: str, name: str = "Camille Martin", **fields: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#country", country)
    page.fill("#name", name)
    for field, value in fields.items():
        page.fill(f"#{field}", value)
    page.click("#make")
    page.wait_for_selector("article")


def test_the_page_words_are_complete_and_typeset() -> None:
    from appeal.page_text import PAGE_LANGUAGES, page_strings

    english = page_strings("en")
    for language in PAGE_LANGUAGES:
        strings = page_strings(language)
        assert set(strings) == set(english)
    for key, text in page_strings("fr").items():
        if isinstance(text, str):
            # French: no plain space before : ; ! ? or inside « », and the apostrophe is ’.
            assert not re.search(r" [:;!?]|« | »|'", text), (key, text)
    assert "«" in str(page_strings("ru")) and "ё" in str(page_strings("ru"))
    assert "„" in str(page_strings("de"))


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_everything_is_in_the_page_language(
    browser: Browser, pages: dict[str, Path], language: str
) -> None:
    from appeal.campaign import load_campaign

    strings = _strings(language)
    page = _open(browser, pages[language].as_uri())
    assert page.get_attribute("html", "lang") == language
    settings = load_campaign().settings.page
    assert settings is not None and settings.title is not None
    assert page.text_content("h1") == settings.title.get(language) == page.title()
    assert page.get_attribute("h1", "lang") is None  # in the page's own language
    assert page.text_content("label[for=country]") == strings["country"]
    assert page.text_content("#make") == strings["make"]
    assert strings["footer"] in (page.text_content("footer") or "")
    _show(page, "DE")
    text = page.inner_text("main")
    if language != "en":
        english = _strings("en")
        for key in ("make", "mail_app", "other_ways", "legend", "warnings", "copy", "print"):
            assert english[key] not in text, key
    assert strings["mail_app"] in page.inner_text("#drafts") or strings["copy_open"] in text
    # The UN mission has its name in English only: marked as English on a non-English page.
    un = page.locator("article[data-recipient=un-mission-de] h2")
    assert un.get_attribute("lang") == "en"
    embassy = page.locator("article[data-recipient=embassy-de] h2")
    assert embassy.get_attribute("lang") == language
    # The Prosecutor General's letter is in Russian with the page's language after it, each
    # part marked with its own lang.
    pre = page.locator("article[data-recipient=prosecutor-general] pre.letter")
    assert pre.get_attribute("lang") == "ru"
    if language != "ru":
        assert pre.locator("span").get_attribute("lang") == language
    # The visitor's own UN mission letter follows the page's language.
    un_letter = page.locator("article[data-recipient=un-mission-de] pre.letter")
    assert un_letter.get_attribute("lang") == language
    assert page.errors == []
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("language", "date"),
    [("en", "24 February 2022."), ("ru", "24 февраля 2022\u202fг."), ("fr", "24 février 2022.")],
)
def test_a_closed_embassy_date_is_written_as_the_language_writes_it(
    browser: Browser, pages: dict[str, Path], language: str, date: str
) -> None:
    page = _open(browser, pages[language].as_uri())
    _show(page, "UA")
    notices = page.text_content("#notices") or ""
    assert date in notices and ".." not in notices
    page.close()


@pytest.mark.browser
def test_a_cyrillic_address_on_a_latin_page_carries_its_lang(
    browser: Browser, pages: dict[str, Path]
) -> None:
    page = _open(browser, pages["fr"].as_uri())
    _show(page, "DE")
    spans = page.locator("article .meta span[lang=ru]")
    cyrillic = [t for t in spans.all_text_contents() if re.search("[а-я]", t)]
    texts = page.locator("article .meta span").all_text_contents()
    # Every address with Cyrillic letters is marked lang="ru"; Latin ones are not.
    assert all(t in cyrillic for t in texts if re.search("[а-я]", t))
    page.close()


def _cli_record_warnings(country: str) -> dict[str, list[str]]:
    result = CliRunner().invoke(cli, ["draft", "-c", country, "-n", "A", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    drafts = json.loads(result.stdout)["drafts"]
    return {d["recipient"]: [w["text"] for w in d["warnings"]] for d in drafts}


@pytest.mark.browser
@pytest.mark.parametrize("country", ["DE", "EE", "HK"])
def test_every_cli_warning_about_a_record_is_under_its_to_line(
    browser: Browser, pages: dict[str, Path], country: str
) -> None:
    from appeal.campaign import load_campaign
    from appeal.drafts import build_drafts

    page = _open(browser, pages["en"].as_uri())
    _show(page, country, "A")
    campaign = load_campaign()
    # The check pages are links on the page; written out as the CLI writes them: "title (url)".
    shown = page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('article')].map(a => [a.dataset.recipient,"
        " [...a.querySelectorAll('.notes p:not(.notes-title)')].map(p => [...p.childNodes].map(n =>"
        " n.tagName === 'A' ? (n.textContent === n.getAttribute('href') ? n.textContent"
        " : `${n.textContent} (${n.getAttribute('href')})`) : n.textContent).join(''))]))"
    )
    cli_warnings = _cli_record_warnings(country)
    from appeal.countries import resolve_country
    from appeal.sender import make_sender

    drafts = build_drafts(campaign, make_sender("A", resolve_country(country)))
    for draft in drafts.drafts:
        record_id = draft.recipient.id
        for notice in draft.record_warnings:
            warning = notice.text
            assert warning in cli_warnings[record_id]
            # The page gives the same sentence, with the check pages as links.
            assert warning in shown[record_id], (record_id, warning, shown[record_id])
        # Under the "To:" line, before the letter.
        order = page.evaluate(
            "(id) => { const a = document.querySelector(`article[data-recipient=${id}]`);"
            " const n = a.querySelector('.notes'); const l = a.querySelector('pre');"
            " return n ? Boolean(n.compareDocumentPosition(l) & Node.DOCUMENT_POSITION_FOLLOWING) : null; }",
            record_id,
        )
        assert order in (True, None)
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_warnings_free_mail_and_the_bare_template_hint_in_the_page_language(
    browser: Browser, pages: dict[str, Path], language: str
) -> None:
    strings = _strings(language)
    page = _open(browser, pages[language].as_uri())
    _show(page, "EE")  # a free-mail address and an old record
    embassy = page.locator("article[data-recipient=embassy-ee]")
    notes = embassy.locator(".notes").inner_text()
    assert strings["warnings"] in notes
    assert strings["free_mail"].split("{address}")[1].strip()[:20] in notes
    assert strings["lead"]["post"] in notes or strings["lead"]["email"] in notes
    # What the record says to check about its online form, in the record's own English.
    form_note = page.locator("article[data-recipient=prosecutor-general] .notes p[lang=en]")
    assert "secondary sources" in " ".join(form_note.all_text_contents())
    # The bare-template hint comes before the send buttons.
    hint = embassy.locator("[data-hint=bare]")
    assert hint.inner_text().startswith(strings["bare"][:30])
    assert page.evaluate(
        "() => { const a = document.querySelector('article[data-recipient=embassy-ee]');"
        " return Boolean(a.querySelector('[data-hint=bare]').compareDocumentPosition(a.querySelector('.actions')) & Node.DOCUMENT_POSITION_FOLLOWING); }"
    )
    page.fill("#note", "I teach in Tartu.")
    page.wait_for_function("() => !document.querySelector('[data-hint=bare]')")
    page.close()


def _pdf_text(pdf: bytes) -> str:
    from io import BytesIO

    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_ctrl_p_prints_the_letters_and_nothing_else(
    browser: Browser, pages: dict[str, Path], language: str
) -> None:
    strings = _strings(language)
    page = _open(browser, pages[language].as_uri())
    _show(page, "DE", "Camille Martin", city="Leipzig")
    first_line = page.evaluate("document.querySelector('article pre').textContent.split('\\n')[0]")
    pdf = page.pdf(format="A4")
    text = _pdf_text(pdf)
    assert len(pdf) > 5000 and text.strip()
    assert first_line.strip()[:15] in text.replace("\n", " ")
    assert "Camille Martin" in text and "Leipzig" in text
    for furniture in (
        strings["make"],
        strings["legend"],
        strings["other_ways"],
        strings["bare"][:25],
    ):
        assert furniture not in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"page-print-{language}.pdf").write_bytes(pdf)
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_print_button_prints_one_letter(
    browser: Browser, pages: dict[str, Path], language: str
) -> None:
    page = _open(browser, pages[language].as_uri())
    _show(page, "DE", "Camille Martin", city="Leipzig")
    # window.print() blocks in a real browser; the test records the call and prints to PDF
    # with the page as the button left it.
    page.evaluate(
        "() => { window.print = () => { window.printed = document.body.className + '|'"
        " + document.querySelector('.print-target').dataset.recipient; }; }"
    )
    article = page.locator("article[data-recipient=un-mission-de]")
    article.locator("summary").click()
    article.locator("button[data-action=print]").click()
    assert page.evaluate("window.printed") == "print-one|un-mission-de"
    # Print with the same state: only the UN mission's letter.
    page.evaluate(
        "document.body.classList.add('print-one'); document.querySelector('article[data-recipient=un-mission-de]').classList.add('print-target')"
    )
    text = _pdf_text(page.pdf(format="A4")).replace("\n", " ")
    subject = page.evaluate(
        "document.querySelector('article[data-recipient=un-mission-de] .subject').lastChild.textContent"
    )
    assert subject[:20] in text
    # The UN mission's address heads the page; the embassy's letter is not printed.
    assert "United Nations Plaza" in text and "Unter den Linden" not in text
    assert "Leipzig" in text
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_letters_never_go_stale(browser: Browser, pages: dict[str, Path], language: str) -> None:
    strings = _strings(language)
    page = _open(browser, pages[language].as_uri())
    _show(page, "DE", "Anna Schmidt")
    page.fill("#name", "Berta Weiss")
    page.wait_for_function(
        "() => document.querySelector('article pre').textContent.includes('Berta Weiss')"
    )
    hrefs = page.evaluate(
        "[...document.querySelectorAll('a[data-via]')].map(a => decodeURIComponent(a.href))"
    )
    assert not any("Anna Schmidt" in href for href in hrefs)
    assert any("Berta Weiss" in href for href in hrefs)
    assert page.text_content("#live") == strings["updated"]
    # A bad value clears the letters and says what is wrong.
    page.fill("#email", "not an address")
    page.wait_for_function("() => !document.querySelector('article')")
    assert strings["bad_email"] in (page.text_content("#form-error") or "")
    assert page.get_attribute("#email", "aria-invalid") == "true"
    # A country that matches nothing clears the previous country's letters too.
    page.fill("#email", "")
    page.wait_for_selector("article")
    page.fill("#country", "Atlantis")
    page.wait_for_function("() => !document.querySelector('article')")
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_phone_flow_country_name_one_tap(
    browser: Browser, pages: dict[str, Path], language: str
) -> None:
    strings = _strings(language)
    page = _open(browser, pages[language].as_uri(), viewport=PHONE, has_touch=True, is_mobile=True)
    page.fill("#country", "DE")
    page.fill("#name", "Camille Martin")
    page.tap("#make")
    page.wait_for_selector("article")
    focused = page.evaluate(
        "({cls: document.activeElement.className, text: document.activeElement.textContent, top: document.activeElement.getBoundingClientRect().top})"
    )
    assert "primary" in focused["cls"]
    assert 0 <= focused["top"] <= PHONE["height"]  # in view
    # One primary action per letter; the rest behind "Other ways to send".
    for article in page.locator("article").all():
        assert article.locator(".primary").count() == 1
        assert article.locator("details.more summary").inner_text() == strings["other_ways"]
    # The primary button is the channel the CLI ranks first: the Prosecutor General's own
    # rules put the signed paper letter first.
    assert (
        page.get_attribute("article[data-recipient=prosecutor-general] .primary", "data-action")
        == "print"
    )
    assert page.locator("article[data-recipient=un-mission-de] .primary").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"page-phone-{language}.png"))
    page.close()


@pytest.mark.browser
def test_a_russian_letter_too_long_for_mailto_gets_copy_and_open(
    browser: Browser, pages: dict[str, Path]
) -> None:
    strings = _strings("ru")
    context = browser.new_context(viewport=PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(pages["ru"].as_uri())
    _show(page, "DE", "Анна Шмидт", note="Я пишу из Лейпцига. " * 10)
    article = page.locator("article[data-recipient=embassy-de]")
    button = article.locator(".primary")
    assert button.inner_text() == strings["copy_open"]
    body = article.locator("pre").text_content()
    # Following a mailto: link in headless Chromium does nothing; the copy is what is checked.
    button.click()
    page.wait_for_function(
        "() => document.querySelector('article[data-recipient=embassy-de] .status').textContent"
    )
    assert page.evaluate("navigator.clipboard.readText()") == body
    assert strings["copy_open_hint"][:30] in article.inner_text()
    # One explanation, beside the button, not one per link.
    assert article.inner_text().count(strings["copy_open_hint"][:30]) == 1
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_first_visit_intro_and_offices(
    browser: Browser, pages: dict[str, Path], language: str
) -> None:
    from appeal.campaign import load_campaign

    strings = _strings(language)
    settings = load_campaign().settings.page
    assert settings is not None
    page = _open(browser, pages[language].as_uri())
    intro = page.inner_text("#intro")
    assert settings.intro.get(language)[:40] in intro
    assert strings["no_organiser"][:40] in intro  # the default campaign names no organiser
    assert {"en": "30 November 2026", "ru": "30 ноября 2026\u202fг.", "fr": "30 novembre 2026"}[
        language
    ] in intro
    page.fill("#country", "DE")
    offices = page.inner_text("#offices")
    assert offices.startswith(strings["write_to"]["other"].replace("{n}", "3")[:12])
    assert page.locator("#offices li").count() == 3
    # No default-blue links; dark mode changes the colours.
    # One accent colour, not the browser's default blue.
    _show(page, "DE")
    colours = page.evaluate(
        "[...document.querySelectorAll('a, .primary')].map(a => getComputedStyle(a).color)"
    )
    assert "rgb(0, 0, 238)" not in colours
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.emulate_media(color_scheme="light")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark != light
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("language", "typed", "code"),
    [
        ("en", "UK", "GB"),
        ("en", "USA", "US"),
        ("en", "Great Britain", "GB"),
        ("fr", "Russie", "RU"),
        ("fr", "royaume-uni", "GB"),
        ("fr", "Etats-Unis", "US"),
        ("ru", "США", "US"),
        ("ru", "Германия", "DE"),
        ("ru", "germany", "DE"),
        ("en", "Rusia", "RU"),
        ("fr", "deu", "DE"),
        ("ru", "Великобритания", "GB"),
    ],
)
def test_country_names_and_aliases_resolve_as_in_the_cli(
    browser: Browser, pages: dict[str, Path], language: str, typed: str, code: str
) -> None:
    from appeal.countries import resolve_country

    assert resolve_country(typed).alpha2 == code  # the CLI's answer
    page = _open(browser, pages[language].as_uri())
    fields = {"country": typed, "name": "A", "city": "", "email": "", "note": ""}
    drafts = page.evaluate("(f) => window.appealDrafts(f)", fields)
    expected = json.loads(
        CliRunner().invoke(cli, ["draft", "-c", code, "-n", "A", "--format", "json"]).stdout
    )["drafts"]
    assert [d["recipient"] for d in drafts] == [d["recipient"] for d in expected]
    page.close()


@pytest.mark.browser
def test_the_country_picker(browser: Browser, pages: dict[str, Path]) -> None:
    page = _open(browser, pages["fr"].as_uri())
    country = page.locator("#country")
    assert country.get_attribute("autocomplete") == "country-name"
    assert country.get_attribute("list") == "country-list"
    options = page.evaluate(
        "[...document.querySelectorAll('#country-list option')].map(o => o.value)"
    )
    assert options.index("Russie") > options.index("Roumanie")
    assert options.index("Russie") < options.index("Rwanda")
    assert options == page.evaluate("(o) => [...o].sort(new Intl.Collator('fr').compare)", options)
    page.fill("#country", "Groenland")
    assert "Danemark" in page.inner_text("#territory")
    page.fill("#country", "Hong Kong")
    assert "Chine" in page.inner_text("#territory")
    # Elsewhere with fewer offices, a general note; none where every kind is served, nor where
    # a safety rule withholds a kind (its own note says why).
    page.fill("#country", "Bermudes")
    assert page.get_attribute("#territory .notice", "data-code") == "fewer-offices"
    for full in ("Allemagne", "Russie"):
        page.fill("#country", full)
        assert page.locator("#territory .notice").count() == 0
    page.close()
    ru = _open(browser, pages["ru"].as_uri())
    assert "Соединённые Штаты" in ru.evaluate(
        "[...document.querySelectorAll('#country-list option')].map(o => o.value)"
    )
    ru.close()


def test_spanish_and_russian_country_names() -> None:
    from appeal.countries import name_in, resolve_country

    assert name_in(resolve_country("DZ"), "es") == "Argelia"
    assert name_in(resolve_country("US"), "ru") == "Соединённые Штаты"


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_without_javascript_the_fields_are_labelled_and_the_page_says_what_is_needed(
    browser: Browser, pages: dict[str, Path], language: str
) -> None:
    strings = _strings(language)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(pages[language].as_uri())
    for field, key in (
        ("country", "country"),
        ("name", "name"),
        ("city", "city"),
        ("email", "email"),
        ("note", "note"),
    ):
        assert page.text_content(f"label[for={field}]") == strings[key]
    body = page.inner_text("body")
    assert strings["noscript"][:40] in body
    assert page.locator("#country-list option").count() > 190
    # The letter that goes from every country, with bracketed places for the sender's details.
    letter = page.locator("noscript article pre.letter")
    assert letter.count() >= 1
    text = letter.first.inner_text()
    assert strings["placeholder_name"] in text and strings["placeholder_country"] in text
    assert "\x01" not in text
    if language != "ru":  # the Russian letter, then its version in the page's language
        assert letter.first.get_attribute("lang") == "ru"
        assert letter.first.locator("span").get_attribute("lang") == language
    assert "Москва" in page.locator("noscript article").first.inner_text() or "Moscow" in body
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_keyboard_only(browser: Browser, pages: dict[str, Path], language: str) -> None:
    page = _open(browser, pages[language].as_uri())
    page.focus("#country")
    page.keyboard.type("DE")
    page.keyboard.press("Tab")
    page.keyboard.type("Camille Martin")
    page.keyboard.press("Enter")
    page.wait_for_selector("article")
    assert "primary" in page.evaluate("document.activeElement.className")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.parentElement.open") is True
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('details') !== null")
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_screen_readers(browser: Browser, pages: dict[str, Path], language: str) -> None:
    strings = _strings(language)
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.clock.install()
    page.goto(pages[language].as_uri())
    # Letters are not in a live region; one short status says they are ready.
    assert page.get_attribute("#drafts", "aria-live") is None
    page.fill("#country", "Atlantis")
    page.fill("#name", "A")
    page.click("#make")
    assert page.evaluate("document.activeElement.id") == "country"
    assert page.get_attribute("#country", "aria-invalid") == "true"
    assert "form-error" in (page.get_attribute("#country", "aria-describedby") or "")
    _show(page, "RU", "A")
    assert page.text_content("#live") == _plural(strings["letters_ready"], 1, language)
    # Notices come before the focus target.
    assert page.evaluate(
        "Boolean(document.querySelector('#safety .notice').compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    # Limits are stated, with the numbers the CLI checks against.
    from appeal.sender import MAX_CITY, MAX_NAME, MAX_NOTE

    for hint, limit in (("name", MAX_NAME), ("city", MAX_CITY), ("note", MAX_NOTE)):
        assert str(limit) in re.sub(r"\D", "", page.text_content(f"#{hint}-hint") or ""), hint
    # "Copied." clears.
    article = page.locator("article").first
    article.locator("summary").click()
    article.locator("button[data-action=copy]").click()
    page.wait_for_function("() => document.querySelector('article .status').textContent")
    assert article.locator(".status").text_content() == strings["copied"]
    page.clock.run_for(7000)
    assert article.locator(".status").text_content() == ""
    context.close()


def _plural(forms: dict[str, str], count: int, language: str) -> str:
    from appeal.page_text import plural

    return plural(forms, count, language)


@pytest.mark.browser
def test_the_copy_fallback_says_the_text_is_selected(
    browser: Browser, pages: dict[str, Path]
) -> None:
    strings = _strings("fr")
    page = _open(browser, pages["fr"].as_uri())
    _show(page, "DE")
    page.evaluate(
        "() => { navigator.clipboard.writeText = () => Promise.reject(new Error('no')); }"
    )
    article = page.locator("article").first
    article.locator("summary").click()
    article.locator("button[data-action=copy]").click()
    page.wait_for_function("() => document.querySelector('article .status').textContent")
    assert article.locator(".status").text_content() == strings["copy_fail"]
    assert page.evaluate("getSelection().toString().length") > 100
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_remember_me_forgets_at_once_and_no_favicon_is_asked_for(
    browser: Browser, pages: dict[str, Path], language: str
) -> None:
    page = _open(browser, pages[language].as_uri())
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.check("#remember")
    _show(page, "DE", "Anna Schmidt")
    assert page.evaluate("localStorage.getItem('appeal-name')") == "Anna Schmidt"
    page.uncheck("#remember")
    assert page.evaluate("localStorage.length") == 0
    page.reload()
    assert page.input_value("#name") == ""
    assert not any("favicon" in url for url in requests)
    assert all(url.startswith("file:") for url in requests)
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("language", "recipient"),
    [("en", "embassy-de"), ("ru", "un-mission-de"), ("fr", "un-mission-de")],
)
def test_the_eml_download_has_the_display_name_and_folds_as_the_cli(
    browser: Browser, pages: dict[str, Path], tmp_path: Path, language: str, recipient: str
) -> None:
    import email
    from email.policy import default

    name, address = "Zoë Ärger-Ünal von Österreich-Großbritannien", "zoe@example.org"
    out = tmp_path / "eml"
    result = CliRunner().invoke(
        cli,
        ["draft", "-c", "DE", "-n", name, "--email", address, "--format", "eml", "--out", str(out)],
        env={"LC_ALL": {"en": "en_US.UTF-8", "ru": "ru_RU.UTF-8", "fr": "fr_FR.UTF-8"}[language]},
    )
    assert result.exit_code == 0, result.stderr
    cli_eml = (out / f"{recipient}.eml").read_bytes().decode("ascii")
    page = _open(browser, pages[language].as_uri())
    fields = {"country": "DE", "name": name, "city": "", "email": address, "note": ""}
    ids = [d["recipient"] for d in page.evaluate("(f) => window.appealDrafts(f)", fields)]
    page_eml = page.evaluate("([f, i]) => window.appealEml(f, i)", [fields, ids.index(recipient)])
    page.close()

    def header(text: str, field: str) -> str:
        match = re.search(rf"^{field}: .*?(?=\r\n\S)", text, re.S | re.M)
        assert match, (field, text[:400])
        return match.group(0)

    for field in ("From", "Subject", "To"):
        assert header(page_eml, field) == header(cli_eml, field)
    for line in header(page_eml, "Subject").split("\r\n") + header(page_eml, "From").split("\r\n"):
        assert len(line) <= 78
        for word in re.findall(r"=\?utf-8\?b\?[^?]*\?=", line):
            assert len(word) <= 75
    message = email.message_from_string(page_eml, policy=default)
    assert message["From"].addresses[0].addr_spec == address
    assert message["X-Unsent"] == "1"


@pytest.mark.browser
@pytest.mark.parametrize(("language", "locale"), [("ru", "ru_RU.UTF-8"), ("fr", "fr_FR.UTF-8")])
def test_russian_and_french_pages_match_the_cli_exactly(
    browser: Browser, pages: dict[str, Path], language: str, locale: str
) -> None:
    fields = {
        "country": "DE",
        "name": SPECIAL_NAME,
        "city": "Leipzig",
        "email": "anna@example.org",
        "note": "Я была в Грозном. J’y étais. # + & = ?",
    }
    expected = _cli_drafts(
        "DE", fields["name"], fields["city"], fields["email"], fields["note"], locale=locale
    )
    page = _open(browser, pages[language].as_uri())
    computed = page.evaluate("(fields) => window.appealDrafts(fields)", fields)
    _show(page, "DE", SPECIAL_NAME, city="Leipzig", email="anna@example.org", note=fields["note"])
    shown = page.eval_on_selector_all("article pre.letter", "els => els.map(e => e.textContent)")
    page.close()
    assert [d["recipient"] for d in computed] == [d["recipient"] for d in expected]
    for want, got, body in zip(expected, computed, shown, strict=True):
        assert got["subject"] == want["subject"]
        assert got["body"] == want["body"] == body
        assert got["links"] == want["links"]
        assert got["fallback_links"] == want["fallback_links"]


class _LetterText(HTMLParser):
    """The paragraphs of a printed letter written by appeal draft --format html (subjects and
    the letter's text, without the version label), with <br> as line breaks."""

    def __init__(self) -> None:
        super().__init__()
        self.paragraphs: list[str] = []
        self._depth = 0  # inside div.letter
        self._skip = False
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div" and "letter" in classes:
            self._depth = 1
        elif tag == "div" and self._depth:
            self._depth += 1
        elif tag == "p" and self._depth:
            self._skip = "version-label" in classes
            self._text = []
        elif tag == "br" and self._text is not None:
            self._text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._depth:
            self._depth -= 1
        elif tag == "p" and self._text is not None:
            if not self._skip:
                self.paragraphs.append("".join(self._text))
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("language", "locale"), [("en", "en_US.UTF-8"), ("ru", "ru_RU.UTF-8"), ("fr", "fr_FR.UTF-8")]
)
def test_the_printed_letter_is_the_one_appeal_draft_prints(
    browser: Browser, pages: dict[str, Path], tmp_path: Path, language: str, locale: str
) -> None:
    name, city, note = "Camille Martin", "Leipzig", "J’enseigne à Leipzig.\nDepuis 2010."
    args = ["draft", "-c", "DE", "-n", name, "--city", city, "--note", note]
    result = CliRunner().invoke(
        cli, [*args, "--format", "html", "--out", str(tmp_path)], env={"LC_ALL": locale}
    )
    assert result.exit_code == 0, result.stderr
    page = _open(browser, pages[language].as_uri())
    _show(page, "DE", name, city=city, note=note)
    for printed in sorted(tmp_path.glob("*.html")):
        parser = _LetterText()
        parser.feed(printed.read_text(encoding="utf-8"))
        shown = page.evaluate(
            "(id) => [document.querySelector(`article[data-recipient=${id}] .subject`).lastChild"
            ".textContent, ...[...document.querySelectorAll(`article[data-recipient=${id}]"
            " .print-letter p`)].map(p => [...p.childNodes].map(n => n.tagName === 'BR' ? '\\n'"
            " : n.textContent).join(''))]",
            printed.stem,
        )
        assert len(parser.paragraphs) > 5
        # The same paragraphs in the same order; the page adds only the second version's label.
        assert [p for p in shown if p in parser.paragraphs] == parser.paragraphs, printed.stem
        assert len(shown) - len(parser.paragraphs) <= 1
    page.close()


@pytest.mark.browser
def test_a_letter_longer_than_its_form_takes_is_flagged_as_the_cli_does(
    browser: Browser, runner: CliRunner, tmp_path: Path
) -> None:
    fixture = Path(__file__).parent / "fixtures" / "campaign_min"
    folder = tmp_path / "campaign"
    folder.mkdir()
    records = (fixture / "recipients.yaml").read_text(encoding="utf-8")
    records = records.replace(
        '      url: "https://sledcom.ru/reception"\n',
        '      url: "https://sledcom.ru/reception"\n      max_chars: 500\n',
        1,
    )
    (folder / "recipients.yaml").write_text(records, encoding="utf-8")
    target = tmp_path / "page.html"
    args = ["--campaign", str(folder), "page", "-o", str(target), "--to", "investigative_committee"]
    built = runner.invoke(cli, args)
    assert built.exit_code == 0, built.stderr
    drafted = runner.invoke(
        cli,
        [
            *("--campaign", str(folder), "draft", "-c", "DE", "-n", "A", "--format", "json"),
            *("--to", "investigative_committee"),
        ],
        env={"LC_ALL": "en_US.UTF-8"},
    )
    assert drafted.exit_code == 0, drafted.stderr
    warnings = [w["text"] for w in json.loads(drafted.stdout)["drafts"][0]["warnings"]]
    warning = next(w for w in warnings if "online form" in w)
    page = _open(browser, target.as_uri())
    _show(page, "DE", "A")
    assert warning in page.inner_text("article .notes")
    page.close()


@pytest.mark.parametrize(
    ("link", "allowed"),
    [
        ('<link rel="icon" href="data:,">', True),
        ('<link rel="icon" href="https://example.org/favicon.ico">', False),
        ('<link rel="stylesheet" href="data:,">', False),
        ('<link rel="icon" href="data:," media="print">', False),
        ('<link href="data:," rel="icon">', False),
    ],
)
def test_the_only_link_allowed_is_an_empty_icon(link: str, allowed: bool) -> None:
    from appeal.errors import TemplateError
    from appeal.htmlguard import seal_html

    html = f'<!DOCTYPE html>\n<html lang="en">\n<head>\n{link}\n<title>t</title>\n</head>\n<body></body>\n</html>\n'
    if allowed:
        assert link in seal_html(html, "page")
    else:
        with pytest.raises(TemplateError, match="<link> is not allowed"):
            seal_html(html, "page")


@pytest.mark.parametrize(
    ("page", "complaint"),
    [
        ({"intro": {"en": "x"}, "organizer": "Y"}, "page.organizer: unknown field"),
        ({"intro": {"en": "x"}, "as_of": "30 Nov"}, "page.as_of: expected a date"),
        ({"intro": {"en": "x"}, "organiser": "A\nB"}, "page.organiser: expected one line"),
        ({"intro": {"en": "x"}, "contact": "a\u202eb"}, "page.contact: "),
        ({"intro": {"de": "x"}}, "page.intro: needs an English"),
        ({"intro": {"en": "x"}, "countries": {"XX": {"en": "y"}}}, "page.countries.XX: not an ISO"),
    ],
)
def test_a_bad_page_section_is_reported_where_it_is(page: dict[str, Any], complaint: str) -> None:
    from appeal.campaign import default_campaign_root, parse_settings
    from appeal.errors import DataError
    from appeal.yamlfile import read_yaml_bytes

    raw = read_yaml_bytes((default_campaign_root() / "campaign.yaml").read_bytes(), "c").value
    raw["page"] = page
    with pytest.raises(DataError) as caught:
        parse_settings(raw, "campaign.yaml")
    assert complaint in str(caught.value)


def test_a_campaign_without_a_page_section_gets_a_plain_page(tmp_path: Path) -> None:
    from appeal.campaign import default_campaign_root, parse_settings
    from appeal.yamlfile import read_yaml_bytes

    raw = read_yaml_bytes((default_campaign_root() / "campaign.yaml").read_bytes(), "c").value
    del raw["page"]
    assert parse_settings(raw, "campaign.yaml").page is None
    import yaml

    root = default_campaign_root()
    (tmp_path / "recipients.yaml").write_bytes((root / "recipients.yaml").read_bytes())
    (tmp_path / "campaign.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), "utf-8")
    target = tmp_path / "page.html"
    result = CliRunner().invoke(
        cli, ["--campaign", str(tmp_path), "page", "-o", str(target), "--lang", "fr"]
    )
    assert result.exit_code == 0, result.stderr
    html = target.read_text(encoding="utf-8")
    strings = _strings("fr")
    assert strings["no_intro"] in html and strings["no_organiser"] in html
