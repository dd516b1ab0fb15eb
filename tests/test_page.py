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
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from appeal.cli import cli
from appeal.textguard import fold_spaces

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from playwright.sync_api import Browser, Playwright

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
    for external in ("<link", "<img", " src=", "@import", "url(", "<iframe"):
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


def _cli_drafts(country: str, name: str, city: str, email: str, note: str) -> list[dict]:  # type: ignore[type-arg]
    # The page's language is the visitor's own, as a locale is (not a --lang choice): letters to
    # the kinds the campaign writes in Russian are Russian with the page's language after them.
    args = ["draft", "-c", country, "-n", name, "--format", "json"]
    for option, value in (("--city", city), ("--email", email), ("--note", note)):
        if value:
            args += [option, value]
    result = CliRunner().invoke(cli, args, env={"LC_ALL": "en_US.UTF-8"})
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
    page.select_option("#country", country)
    page.fill("#name", name)
    page.fill("#city", city)
    page.fill("#email", email)
    page.fill("#note", note)
    page.click("#make")
    page.wait_for_selector("article")
    expected = _cli_drafts(country, name, city, email, note)

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
    page.select_option("#country", "FR")
    page.fill("#name", "Camille\u202eMartin")
    page.keyboard.press("Enter")
    assert "cannot be used" in (page.text_content("#form-error") or "")
    page.fill("#name", "Camille Martin")
    page.focus("#name")
    page.keyboard.press("Enter")
    page.wait_for_selector("article")
    assert page.evaluate("document.activeElement.tagName") == "H2"
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
    page.select_option("#country", "RU")
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
