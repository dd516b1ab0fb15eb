"""A campaign about another government: `appeal init --embassies-of` from a slice of the export.

The fixture holds real rows of the database-of-embassies export of 2022-11-16 (Wikidata, CC0):
Belarus's posts in ten countries (embassies, consulates, an honorary consulate) and Russia's
embassy in Germany, copied unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from appeal.campaign import load_campaign
from appeal.cli import cli
from appeal.countries import country_for_code
from appeal.embassies import read_export, resolve_operator, website_url
from appeal.errors import CountryError
from appeal.starter import embassy_labels

FIXTURE = Path(__file__).parent / "fixtures" / "database_of_embassies_2022-11-16_belarus.csv"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def belarus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("campaigns") / "belarus"
    result = run("init", str(folder), "--embassies-of", "BY", "--from", str(FIXTURE))
    assert result.exit_code == 0, result.stderr
    assert "11 posts of Belarus" in result.stdout
    return folder


def test_init_writes_the_embassies_and_nothing_else(belarus: Path) -> None:
    campaign = load_campaign(belarus)
    by_id = {r.id: r for r in campaign.recipients if r.kind == "embassy"}
    # Eleven embassies; the consulates, the honorary consulate and Russia's embassy are left out.
    assert sorted(by_id) == [
        "embassy-am",
        "embassy-am-q111635325",
        "embassy-at",
        "embassy-ch",
        "embassy-cn",
        "embassy-de",
        "embassy-fr",
        "embassy-gb",
        "embassy-lv",
        "embassy-pl",
        "embassy-us",
    ]
    # Each sender's own UN mission: appeal's own records, as the default campaign has them.
    default = {r.id: r for r in load_campaign().recipients if r.kind == "un_mission"}
    missions = {r.id: r for r in campaign.recipients if r.kind == "un_mission"}
    assert missions == default
    assert {r.kind for r in campaign.recipients} == {"embassy", "un_mission"}
    germany = by_id["embassy-de"]
    assert germany.country == "DE"
    assert germany.website == "http://germany.mfa.gov.by/be/"
    assert germany.city == "Berlin"
    assert germany.postal is None and not germany.emails
    assert germany.name["en"] == "Embassy of Belarus in Germany"
    assert "http://www.wikidata.org/entity/Q22250207" in germany.source
    assert str(germany.last_seen) == "2022-11-16"
    assert germany.confidence == "medium"
    assert germany.notes is not None and "street address (the export has none)" in germany.notes
    # The accreditation list: Austria also serves Slovenia; France Portugal and Monaco; the
    # United Kingdom Ireland ("Republic of Ireland", Q27) and the Holy See.
    assert by_id["embassy-at"].also_serves == ("SI",)
    assert by_id["embassy-fr"].also_serves == ("MC", "PT")
    assert by_id["embassy-gb"].also_serves == ("IE", "VA")
    assert by_id["embassy-us"].also_serves == ("CA",)
    assert by_id["embassy-us"].name["en"] == "Embassy of Belarus in the United States"
    # An e-mail address where the export has one, as an address a letter can go to.
    assert [e.address for e in by_id["embassy-pl"].sendable_emails] == ["poland@belembassy.org"]
    assert by_id["embassy-pl"].phones == ("+48-22-742-09-90",)
    # The export places the embassy in Kenya in Armenia: kept, of low confidence, and said why.
    doubtful = by_id["embassy-am-q111635325"]
    assert doubtful.confidence == "low"
    assert doubtful.also_serves == ("ET", "KE", "TZ", "UG")
    assert doubtful.notes is not None and "does not name Armenia" in doubtful.notes
    assert by_id["embassy-am"].confidence == "medium"


def test_campaign_settings_name_the_government(belarus: Path) -> None:
    settings = load_campaign(belarus).settings
    assert settings.importers.embassies_operator == "BY"
    assert settings.importers.embassies_kind == "embassy"
    assert settings.default_kinds == ("embassy", "un_mission")
    assert settings.importers.un_missions_kind == "un_mission"
    text = (belarus / "campaign.yaml").read_text(encoding="utf-8")
    assert "ORGANISER" in text
    for word in ("Chechnya", "Russia", "Grozny", "Lapunov"):
        assert word not in text


def test_starter_letters_state_no_fact_of_the_default_campaign(belarus: Path) -> None:
    templates = sorted((belarus / "templates" / "letters").rglob("*.j2"))
    assert [p.relative_to(belarus).as_posix() for p in templates] == [
        f"templates/letters/{language}/{kind}.txt.j2"
        for language in ("de", "en", "es", "fr", "ru")
        for kind in ("embassy", "un_mission")
    ]
    for template in templates:
        text = template.read_text(encoding="utf-8")
        assert "ORGANISER" in text
        for word in ("Chechnya", "Tschetschenien", "Чечн", "Tchétchénie", "Chechenia", "Moscow"):
            assert word not in text, template
        assert "@COUNTRY" not in text
    # The UN letter names the country in a form that needs no declension.
    letters = belarus / "templates" / "letters"
    assert "human rights in Belarus." in (letters / "en" / "un_mission.txt.j2").read_text("utf-8")
    assert "in folgendem Land: Belarus." in (letters / "de" / "un_mission.txt.j2").read_text(
        "utf-8"
    )
    assert "стране: Беларусь." in (letters / "ru" / "un_mission.txt.j2").read_text("utf-8")
    assert "suivant\u00a0: Bélarus." in (letters / "fr" / "un_mission.txt.j2").read_text("utf-8")
    assert "país: Bielorrusia." in (letters / "es" / "un_mission.txt.j2").read_text("utf-8")


def test_templates_check_passes_as_written(belarus: Path) -> None:
    result = run("--campaign", str(belarus), "templates", "check")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.endswith(": 0 failure(s)\n")


def test_draft_in_germany_leads_with_the_website(belarus: Path) -> None:
    result = run("--campaign", str(belarus), "draft", "-c", "DE", "-n", "Anna", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    draft, mission = data["drafts"]
    assert mission["recipient"] == "un-mission-de"
    assert "human rights in Belarus" in mission["body"]
    assert draft["recipient"] == "embassy-de"
    assert draft["medium"] == "print"
    assert draft["channels"][0]["kind"] == "website"
    assert draft["channels"][0]["target"] == "http://germany.mfa.gov.by/be/"
    assert draft["channels"][0]["last_seen"] == "2022-11-16"
    warnings = [w["text"] for w in draft["warnings"]]
    assert any("Check http://germany.mfa.gov.by/be/" in w for w in warnings)
    assert "No e-mail address" in " ".join(warnings)
    for word in ("Chechnya", "Russia", "Moscow"):
        assert word not in draft["body"]
    assert [n["code"] for n in data["notices"]] == ["read-by-the-state"]


def test_draft_where_the_post_is_known_by_post_once_an_address_is_added(
    tmp_path: Path, belarus: Path
) -> None:
    import shutil

    folder = tmp_path / "by"
    shutil.copytree(belarus, folder)
    recipients = folder / "recipients.yaml"
    text = recipients.read_text(encoding="utf-8")
    anchor = '    website: "http://germany.mfa.gov.by/be/"\n'
    assert anchor in text
    text = text.replace(
        anchor,
        anchor
        + "    postal:\n      lines: [Am Treptower Park 32, 12435 Berlin]\n      country: DE\n"
        + "    channel_sources:\n      postal: {source: a test, last_seen: 2026-11-01}\n",
    )
    recipients.write_text(text, encoding="utf-8")
    result = run(
        "--campaign", str(folder), "draft", "-c", "DE", "-n", "A", "--to", "embassy",
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    [draft] = json.loads(result.stdout)["drafts"]
    assert [c["kind"] for c in draft["channels"]] == ["post", "website"]


def test_draft_in_a_country_covered_by_accreditation_only(belarus: Path) -> None:
    result = run("--campaign", str(belarus), "draft", "-c", "SI", "-n", "Ana", "--format", "json")
    assert result.exit_code == 0, result.stderr
    draft, mission = json.loads(result.stdout)["drafts"]
    assert mission["recipient"] == "un-mission-si"
    assert draft["recipient"] == "embassy-at"
    assert draft["channels"][0]["target"] == "https://austria.mfa.gov.by"
    assert "also covers Slovenia" in result.stderr
    # Ireland is named "Republic of Ireland" in the export (Wikidata item Q27).
    result = run("--campaign", str(belarus), "draft", "-c", "IE", "-n", "A", "--format", "json")
    drafts = json.loads(result.stdout)["drafts"]
    assert [d["recipient"] for d in drafts] == ["embassy-gb", "un-mission-ie"]


def test_a_country_with_no_post_gets_a_notice(belarus: Path) -> None:
    result = run("--campaign", str(belarus), "draft", "-c", "BR", "-n", "A", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [d["recipient"] for d in data["drafts"]] == ["un-mission-br"]
    assert "no-recipient" in [n["code"] for n in data["notices"]]


def test_a_sender_in_the_country_addressed_gets_no_letter_and_is_told_why(belarus: Path) -> None:
    result = run("--campaign", str(belarus), "draft", "-c", "BY", "-n", "A", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["drafts"] == []
    assert [n["code"] for n in data["notices"]] == ["no-embassy-at-home", "no-own-un-mission"]


def test_recipients_check_lists_what_to_fill_in_largest_populations_first(belarus: Path) -> None:
    result = run("--campaign", str(belarus), "recipients", "check", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = [row for row in json.loads(result.stdout)["to_fill"] if row["record"][:7] == "embassy"]
    people = [row["people"] for row in rows]
    assert people == sorted(people, reverse=True)
    assert rows[0]["record"] == "embassy-cn"  # China: the most people
    germany = next(row for row in rows if row["record"] == "embassy-de")
    assert germany["missing"] == ["postal address", "e-mail", "form of address"]
    assert germany["website"] == "http://germany.mfa.gov.by/be/"
    poland = next(row for row in rows if row["record"] == "embassy-pl")
    assert poland["missing"] == ["postal address", "form of address"]
    text = run("--campaign", str(belarus), "recipients", "check").stdout
    assert "To fill in, country by country, largest populations first" in text
    assert "  DE  embassy-de: postal address, e-mail, form of address (serves DE: " in text


def test_import_embassies_reads_the_campaigns_operator(tmp_path: Path, belarus: Path) -> None:
    import shutil

    folder = tmp_path / "by"
    shutil.copytree(belarus, folder)
    recipients = folder / "recipients.yaml"
    before = recipients.read_text(encoding="utf-8")
    result = run("--campaign", str(folder), "recipients", "import-embassies", str(FIXTURE))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # the same export: nothing changes, nothing is added twice
    assert recipients.read_text(encoding="utf-8") == before
    # Another government's posts are never mixed into these records.
    result = run(
        "--campaign", str(folder), "recipients", "import-embassies", str(FIXTURE),
        "--operator", "Russia",
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --operator: this campaign's embassy records are those of BY (campaign.yaml "
        "importers.embassies.operator); RU's posts would be mixed into them\n"
    )
    assert recipients.read_text(encoding="utf-8") == before
    # A campaign that names no government takes the one --operator gives.
    settings = folder / "campaign.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("operator: BY, ", ""), encoding="utf-8"
    )
    result = run("--campaign", str(folder), "recipients", "import-embassies", str(FIXTURE))
    assert result.exit_code == 1
    assert "--operator: give the government whose embassies to read" in result.stderr
    result = run(
        "--campaign", str(folder), "recipients", "import-embassies", str(FIXTURE),
        "--operator", "Russia", "--dry-run",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "embassy-de: website: 'http://germany.mfa.gov.by/be/' -> " in result.stdout


def test_an_unknown_government_is_one_line_with_near_matches(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    result = run("init", str(folder), "--embassies-of", "Belarrus", "--from", str(FIXTURE))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --embassies-of: no government matches 'Belarrus'; near matches: Belarus (BY)\n"
    )
    assert not folder.exists()
    result = run("init", str(folder), "--embassies-of", "JP", "--from", str(FIXTURE))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "has no embassy of Japan (JP)" in result.stderr
    assert not folder.exists()


def test_operator_by_code_english_and_other_languages_names() -> None:
    export = read_export(FIXTURE.read_bytes(), "fixture")
    for text in ("BY", "BLR", "Belarus", "Беларусь", "Bielorrusia", "belarus"):
        assert resolve_operator(text, export.posts, "fixture", "x").country.alpha2 == "BY"
    with pytest.raises(CountryError):
        resolve_operator("", export.posts, "fixture", "x")


def test_an_export_without_a_date_needs_one(tmp_path: Path) -> None:
    export = tmp_path / "embassies.csv"
    export.write_bytes(FIXTURE.read_bytes())
    folder = tmp_path / "x"
    result = run("init", str(folder), "--embassies-of", "BY", "--from", str(export))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --seen: embassies.csv has no date in its name; give the day the export was made\n"
    )
    result = run(
        "init", str(folder), "--embassies-of", "BY", "--from", str(export), "--seen", "2022-11-16"
    )
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("code", "labels"),
    [
        ("BY", ["embassy of Belarus", "посольство Беларуси", "Botschaft (Belarus)",
                "ambassade (Bélarus)", "embajada de Bielorrusia"]),
        ("DE", ["embassy of Germany", "посольство Германии", "Botschaft (Deutschland)",
                "ambassade (Allemagne)", "embajada de Alemania"]),
        ("US", ["embassy of the United States", "посольство (Соединённые Штаты)",
                "Botschaft (Vereinigte Staaten)", "ambassade (États-Unis)",
                "embajada (Estados Unidos)"]),
        ("NL", ["embassy of the Netherlands", "посольство (Нидерланды)",
                "Botschaft (Niederlande)", "ambassade (Pays-Bas)", "embajada (Países Bajos)"]),
        ("CN", ["embassy of China", "посольство (Китай)", "Botschaft (China)",
                "ambassade (Chine)", "embajada de China"]),
        ("CU", ["embassy of Cuba", "посольство Кубы", "Botschaft (Kuba)", "ambassade (Cuba)",
                "embajada de Cuba"]),
        ("RU", ["embassy of the Russian Federation", "посольство (Российская Федерация)",
                "Botschaft (Russische Föderation)", "ambassade (Fédération de Russie)",
                "embajada (Federación Rusa)"]),
    ],
)  # fmt: skip
def test_kind_labels_in_five_languages(code: str, labels: list[str]) -> None:
    assert list(embassy_labels(country_for_code(code)).values()) == labels


@pytest.mark.parametrize(
    ("code", "language", "label"),
    [
        ("IL", "ru", "посольство (Израиль)"),  # masculine in -ь: not -и
        ("TW", "ru", "посольство (Тайвань)"),
        ("NI", "ru", "посольство (Никарагуа)"),  # vowel + а: does not decline
        ("TO", "ru", "посольство (Тонга)"),
        ("PL", "ru", "посольство Польши"),
        ("MX", "ru", "посольство Мексики"),
        ("IN", "es", "embajada (India)"),  # "la India"
        ("BS", "en", "embassy of the Bahamas"),
        ("GB", "en", "embassy of the United Kingdom"),
        ("CD", "en", "embassy of the Democratic Republic of the Congo"),
    ],
)
def test_kind_labels_never_decline_by_guesswork(code: str, language: str, label: str) -> None:
    assert embassy_labels(country_for_code(code))[language] == label


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://germany.mfa.gov.by/", "https://germany.mfa.gov.by/"),
        ("http://germany.mfa.gov.by/be/", "http://germany.mfa.gov.by/be/"),
        ("www.example.org", "https://www.example.org"),
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("ftp://example.org/", None),
        ("data:text/html,<script>", None),
        ('https://example.org/"><script>', None),
        ("", None),
    ],
)
def test_websites_are_http_addresses_or_nothing(given: str, kept: str | None) -> None:
    assert website_url(given) == kept


def _hostile_export(tmp_path: Path, **changes: str) -> Path:
    """The fixture with its row for Belarus's embassy in Germany changed as given."""
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(FIXTURE.read_text(encoding="utf-8")), delimiter=";"))
    for row in rows:
        if row["operator"] == "Belarus" and row["country"] == "Germany":
            row.update(changes)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "database_of_embassies_2022-11-16_hostile.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        (
            "city",
            '=HYPERLINK("https://evil.example","Berlin")',
            "starts like a spreadsheet formula",
        ),
        ("city", "@SUM(1+1)", "starts like a spreadsheet formula"),
        ("city", "\x1b]52;c;aGk=\x07Berlin", "contains a control character (U+001B)"),
        ("city", "Ber\u202elin", "contains an invisible text-direction control (U+202E)"),
        ("city", "B" * 5000, "is 5,000 characters long (more than 300)"),
        ("email", "mailto:poland@belembassy.org\nBcc: all@evil.example", "control character"),
        ("email", "=?utf-8?b?QmNjOiB4QGV2aWwuZXhhbXBsZQ==?=@evil.example", "email: "),
        ("website", "javascript:alert(document.cookie)", "is not an http(s) address"),
        ("website", "file:///etc/passwd", "is not an http(s) address"),
        ("website", "ftp://germany.mfa.gov.by/", "is not an http(s) address"),
        ("phone", "+49 30\x1b[2J", "control character"),
        ("phone", "call us!", "is not a phone number"),
    ],
)
def test_hostile_export_cells_are_left_out_and_said(
    tmp_path: Path, column: str, value: str, reason: str
) -> None:
    export = _hostile_export(tmp_path, **{column: value})
    folder = tmp_path / "by"
    result = run("init", str(folder), "--embassies-of", "BY", "--from", str(export))
    assert result.exit_code == 0, result.stderr
    [line] = [line for line in result.stderr.splitlines() if f": {column}: " in line]
    assert reason in line and line.endswith("; left out")
    assert line.isprintable()
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    germany = next(r for r in load_campaign(folder).recipients if r.id == "embassy-de")
    field: dict[str, object] = {
        "city": germany.city,
        "email": germany.emails,
        "website": germany.website,
        "phone": germany.phones,
    }
    assert not field[column]
    written = (folder / "recipients.yaml").read_text(encoding="utf-8")
    assert "evil.example" not in written and "\x1b" not in written and "javascript" not in written
    assert run("--campaign", str(folder), "templates", "check").exit_code == 0


def test_an_http_website_is_kept_as_the_source_gives_it(tmp_path: Path) -> None:
    export = _hostile_export(tmp_path, website="germany.mfa.gov.by/be/")
    folder = tmp_path / "by"
    assert run("init", str(folder), "--embassies-of", "BY", "--from", str(export)).exit_code == 0
    germany = next(r for r in load_campaign(folder).recipients if r.id == "embassy-de")
    assert germany.website == "https://germany.mfa.gov.by/be/"


def test_a_field_too_large_for_csv_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    export = _hostile_export(tmp_path, city="B" * 200_000)
    folder = tmp_path / "by"
    result = run("init", str(folder), "--embassies-of", "BY", "--from", str(export))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"Error: {export}:")
    assert ": field larger than field limit (131072)" in result.stderr
    assert not folder.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00", "not UTF-8 text"),
        (b"operator;country\nBelarus;Germany\n", "missing column(s) type, email, website"),
        (b"", "missing column(s) operator, country, type, email, website"),
    ],
)
def test_a_file_that_is_no_export_is_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    export = tmp_path / "database_of_embassies_2022-11-16.csv"
    export.write_bytes(content)
    folder = tmp_path / "by"
    result = run("init", str(folder), "--embassies-of", "BY", "--from", str(export))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert not folder.exists()


def test_the_readme_walk_through_is_what_appeal_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("```console\n$ appeal init belarus --embassies-of BY\n")
    block = readme[start : readme.index("```\n", start + 10)].split("\n", 1)[1]
    shown_init, shown_draft = block.split("$ appeal --campaign belarus draft -c DE -n Anna\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    init = run("init", "belarus", "--embassies-of", "BY")
    assert init.exit_code == 0, init.stderr
    assert "$ appeal init belarus --embassies-of BY\n" + init.stdout == shown_init
    draft = run("--campaign", "belarus", "draft", "-c", "DE", "-n", "Anna")
    assert draft.exit_code == 0, draft.stderr
    shown = shown_draft.removesuffix("…\n")
    assert shown.endswith("[2/2] Permanent Mission of Germany to the United Nations\n")
    # The age in words moves on with the calendar; the rest is as printed.
    assert _ageless(draft.stdout[: len(shown)]) == _ageless(shown)


def _ageless(text: str) -> str:
    import re

    return re.sub(r"\(about\s+\d+\s+years\s+ago\)", "(about N years ago)", text)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("{embassies: {operator: by}}", "importers.embassies.operator: 'by' is not an ISO 3166-1"),
        ("{embassies: {operator: BY, kind: consulate}}", "importers.embassies.kind: 'consulate'"),
        ("{consulates: {operator: BY}}", "importers.consulates: unknown importer"),
        ("{un_missions: {operator: BY}}", "importers.un_missions.operator: unknown setting"),
        ("[BY]", "importers: expected a mapping"),
    ],
)
def test_a_bad_importers_setting_is_reported_with_its_line(
    tmp_path: Path, belarus: Path, setting: str, message: str
) -> None:
    import re
    import shutil

    folder = tmp_path / "by"
    shutil.copytree(belarus, folder)
    settings = folder / "campaign.yaml"
    text = settings.read_text(encoding="utf-8")
    text = re.sub(r"importers:\n(  .*\n)+", f"importers: {setting}\n", text)
    settings.write_text(text, encoding="utf-8")
    result = run("--campaign", str(folder), "recipients", "check")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: {settings}:") and message in line
