"""The compiled snapshot of the embedded campaign and the country table: current, equal to what
they were compiled from, ignored when stale, and what keeps start-up light."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from appeal import countries, snapshot
from appeal.campaign import (
    CAMPAIGN_FILE,
    RECIPIENTS_FILE,
    TEMPLATES_DIR,
    Campaign,
    default_campaign_root,
    load_campaign,
    parse_recipients_bytes,
    parse_settings_bytes,
)
from appeal.countries import resolve_country
from appeal.drafts import DraftOptions, build_drafts, renderer_for
from appeal.errors import DataError, TemplateError
from appeal.letters import LetterRenderer
from appeal.records import LANGUAGES
from appeal.sender import make_sender

REBUILD = "stale: run `python scripts/build_snapshot.py` and commit the result"


def _files(root: Path) -> dict[str, bytes]:
    return {name: (root / name).read_bytes() for name in (CAMPAIGN_FILE, RECIPIENTS_FILE)}


def _root() -> Path:
    return Path(str(default_campaign_root()))


def _committed_snapshot() -> tuple[dict[str, Any], list[str]]:
    lines = (_root() / snapshot.SNAPSHOT_FILE).read_text(encoding="utf-8").splitlines()
    return json.loads(lines[0]), lines


def test_snapshot_records_are_current() -> None:
    header, lines = _committed_snapshot()
    fresh = snapshot.snapshot_text(snapshot.build_snapshot()).splitlines()
    fresh_header = json.loads(fresh[0])
    for part in ("format", "built_from", "settings", "serves"):
        assert header[part] == fresh_header[part], REBUILD
    records = len(fresh_header["serves"])
    assert lines[1 : 1 + records] == fresh[1 : 1 + records], REBUILD


def test_snapshot_template_code_is_current() -> None:
    header, lines = _committed_snapshot()
    if header["jinja2"] != snapshot.jinja2_version():
        # The code is keyed by Jinja's version, so it is simply unused (and start-up slower)
        # until rebuilt; a new Jinja release must not fail every build until then.
        pytest.skip(f"snapshot compiled with Jinja {header['jinja2']}: {REBUILD}")
    assert lines == snapshot.snapshot_text(snapshot.build_snapshot()).splitlines(), REBUILD


def test_country_table_is_current() -> None:
    committed = countries.TABLE_FILE.read_text(encoding="utf-8")
    version = json.loads(committed.partition("\n")[0] + "]}")["pycountry"]
    if version != importlib.metadata.version("pycountry"):
        pytest.skip(f"country table compiled from pycountry {version}: {REBUILD}")
    assert committed == snapshot.country_table_text(snapshot.build_country_table()), REBUILD


def test_snapshot_holds_what_the_full_check_reads() -> None:
    files = _files(_root())
    loaded = snapshot.load_snapshot(_root(), files)
    assert loaded is not None
    settings, records, template_code = loaded
    assert settings == parse_settings_bytes(files[CAMPAIGN_FILE], CAMPAIGN_FILE)
    parsed = parse_recipients_bytes(files[RECIPIENTS_FILE], RECIPIENTS_FILE, check_emails=True)
    assert records.all() == parsed
    assert len(parsed) == 345
    templates = sorted(p for p in (_root() / TEMPLATES_DIR).rglob("*.j2"))
    assert len(template_code) == len(templates) == 53


@pytest.mark.parametrize("alpha2", ["DE", "LI", "UA", "HK", "RU", "US", "BT"])
def test_records_serving_a_country_are_decoded_alone(alpha2: str) -> None:
    loaded = snapshot.load_snapshot(_root(), _files(_root()))
    assert loaded is not None
    records = loaded[1]
    serving = records.serving(alpha2)
    decoded = len(records._decoded)
    assert decoded == len(serving) < 20  # the rest stay undecoded
    assert serving == [r for r in records.all() if r.serves(alpha2)]


def _copy_of_default(tmp_path: Path) -> Path:
    folder = tmp_path / "default"
    folder.mkdir()
    for name in (CAMPAIGN_FILE, RECIPIENTS_FILE, snapshot.SNAPSHOT_FILE):
        shutil.copyfile(_root() / name, folder / name)
    return folder


def test_a_snapshot_that_no_longer_matches_its_yaml_is_ignored(tmp_path: Path) -> None:
    folder = _copy_of_default(tmp_path)
    assert snapshot.load_snapshot(folder, _files(folder)) is not None
    recipients = folder / RECIPIENTS_FILE
    recipients.write_bytes(recipients.read_bytes().replace(b"Hornet", b"Hornet2", 1))
    assert snapshot.load_snapshot(folder, _files(folder)) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: "",
        lambda text: text.replace('"format": 2', '"format": 1', 1),
        lambda text: text[: len(text) // 2],
        lambda text: "not json\n" + text,
    ],
)
def test_a_damaged_snapshot_is_ignored(tmp_path: Path, damage: object) -> None:
    folder = _copy_of_default(tmp_path)
    target = folder / snapshot.SNAPSHOT_FILE
    target.write_text(damage(target.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    assert snapshot.load_snapshot(folder, _files(folder)) is None


def test_a_damaged_record_line_is_a_one_line_error(tmp_path: Path) -> None:
    folder = _copy_of_default(tmp_path)
    target = folder / snapshot.SNAPSHOT_FILE
    lines = target.read_bytes().split(b"\n")
    lines[3] = lines[3][:40]
    target.write_bytes(b"\n".join(lines))
    loaded = snapshot.load_snapshot(folder, _files(folder))
    assert loaded is not None
    records = loaded[1]
    records.serving("DE")  # the damaged line is not one of Germany's
    with pytest.raises(DataError, match=r"^snapshot.jsonl:4: damaged; reinstall appeal"):
        records.all()


def test_without_a_snapshot_the_campaign_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import appeal.campaign

    folder = _copy_of_default(tmp_path)
    (folder / snapshot.SNAPSHOT_FILE).unlink()
    shutil.copytree(_root() / TEMPLATES_DIR, folder / TEMPLATES_DIR)
    monkeypatch.setattr(appeal.campaign, "default_campaign_root", lambda: folder)
    appeal.campaign._load_default.cache_clear()
    try:
        parsed = load_campaign()
    finally:
        appeal.campaign._load_default.cache_clear()
    assert not parsed.template_code
    loaded = snapshot.load_snapshot(_root(), _files(_root()))
    assert loaded is not None
    assert parsed.recipients == loaded[1].all()


def _drafts_json(campaign: Campaign, alpha2: str, language: str) -> list[dict[str, object]]:
    sender = make_sender("Anna Schmidt", resolve_country(alpha2), city="Köln", note="Mein Satz.")
    options = DraftOptions(
        language=language,
        today=dt.date(2026, 11, 23),
        kinds=("embassy", "un_mission", "prosecutor", "investigative_committee", "company"),
    )
    return [draft.to_json() for draft in build_drafts(campaign, sender, options).drafts]


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_templates_write_the_same_letters(language: str) -> None:
    compiled = load_campaign()
    assert compiled.template_code
    fresh = Campaign(
        compiled.label, compiled.settings, compiled.recipients, compiled.template_roots
    )
    for alpha2 in ("DE", "FR", "RU"):
        assert _drafts_json(compiled, alpha2, language) == _drafts_json(fresh, alpha2, language)


def test_compiled_code_is_used_and_an_edited_template_is_compiled_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign = load_campaign()
    renderer = renderer_for(campaign)
    compiled_names = _count_compiles(renderer, monkeypatch)
    renderer.render("en", "embassy", _context())
    assert compiled_names == []

    templates = tmp_path / "templates"
    shutil.copytree(_root() / TEMPLATES_DIR, templates)
    demands = templates / "letters" / "en" / "_demands.txt.j2"
    demands.write_text(demands.read_text(encoding="utf-8") + "\nOne more demand.\n", "utf-8")
    edited = LetterRenderer([(TEMPLATES_DIR, templates)], campaign.template_code)
    compiled_names = _count_compiles(edited, monkeypatch)
    letter = edited.render("en", "embassy", _context())
    assert compiled_names == ["letters/en/_demands.txt.j2"]
    assert "One more demand." in letter.body


def test_code_compiled_by_another_jinja_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import jinja2

    monkeypatch.setattr(jinja2, "__version__", "9.9.9")
    renderer = renderer_for(load_campaign())
    compiled_names = _count_compiles(renderer, monkeypatch)
    renderer.render("en", "embassy", _context())
    assert "letters/en/embassy.txt.j2" in compiled_names


def test_an_error_in_compiled_code_names_the_template_line() -> None:
    renderer = renderer_for(load_campaign())
    context = _context()
    del context["sender"]
    with pytest.raises(TemplateError, match=r"templates/letters/en/\w+\.txt\.j2:\d+: undefined"):
        renderer.render("en", "embassy", context)


def _count_compiles(renderer: LetterRenderer, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates ``renderer`` compiles from source from now on."""
    names: list[str] = []
    original = renderer.environment.compile

    def counting(source: str, name: str | None = None, *args: object, **kwargs: object) -> object:
        names.append(str(name))
        return original(source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(renderer.environment, "compile", counting)
    return names


def _context() -> dict[str, object]:
    from appeal.drafts import letter_context

    campaign = load_campaign()
    record = campaign.serving("DE")[0]
    sender = make_sender("Anna Schmidt", resolve_country("DE"))
    return dict(letter_context(record, sender, "en", "email", dt.date(2026, 11, 23)))
