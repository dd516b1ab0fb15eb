"""The compiled snapshot of the embedded campaign and the country table: current, equal to what
they were compiled from, ignored when stale, and what keeps start-up light."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from appeal import countries, snapshot, snapshot_build
from appeal.campaign import (
    CAMPAIGN_FILE,
    RECIPIENTS_FILE,
    TEMPLATES_DIR,
    Campaign,
    default_campaign_root,
    default_snapshot_file,
    load_campaign,
    load_embedded,
    parse_recipients_bytes,
    parse_settings_bytes,
    settings_to_json,
)
from appeal.countries import resolve_country
from appeal.drafts import DraftOptions, build_drafts, renderer_for
from appeal.errors import DataError, TemplateError
from appeal.letters import LetterRenderer
from appeal.records import LANGUAGES
from appeal.sender import make_sender

REBUILD = "rebuild it with `python scripts/build_snapshot.py` (or `pip install -e .` again)"
#: CI installs appeal afresh, so there its snapshot must be current; locally a snapshot goes
#: stale whenever the YAML or a template is edited, which only costs start-up time.
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _files(root: Path) -> dict[str, bytes]:
    return {name: (root / name).read_bytes() for name in (CAMPAIGN_FILE, RECIPIENTS_FILE)}


def _root() -> Path:
    return Path(str(default_campaign_root()))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A snapshot of the default campaign built now, as the wheel's build hook builds it."""
    target = tmp_path_factory.mktemp("snapshot") / snapshot.SNAPSHOT_FILE
    snapshot_build.write_snapshot(_root(), target)
    return target


def _stale_or_missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"the installed snapshot {default_snapshot_file()} is {reason}")
    pytest.skip(f"the installed snapshot is {reason}; {REBUILD}")


def test_installed_snapshot_is_current(built: Path) -> None:
    installed = Path(str(default_snapshot_file()))
    if not installed.is_file():
        _stale_or_missing("missing (the install did not build it)")
    header = json.loads(installed.read_bytes().partition(b"\n")[0])
    if header["jinja2"] != snapshot_build.jinja2_version():
        # Its template code is keyed by Jinja's version, so it would be unused, and start-up
        # slower: the build environment's Jinja differs from the one appeal runs with.
        _stale_or_missing(
            f"compiled by Jinja {header['jinja2']}, not {snapshot_build.jinja2_version()}"
        )
    if not _same_snapshot(installed.read_bytes(), built.read_bytes()):
        _stale_or_missing("not what its campaign files build today")


def _same_snapshot(one: bytes, other: bytes) -> bool:
    """Whether two snapshots hold the same, byte for byte but for the marshalled template
    code, which is compared as code: marshal marks an object shared or not by its reference
    count in the process that wrote it, so the same code may marshal to other bytes."""
    import binascii
    import marshal

    one_lines, other_lines = one.split(b"\n"), other.split(b"\n")
    if len(one_lines) != len(other_lines):
        return False
    for mine, theirs in zip(one_lines, other_lines, strict=True):
        if mine == theirs:
            continue
        try:
            *rest, code = json.loads(mine)
            *other_rest, other_code = json.loads(theirs)
        except ValueError:
            return False
        if rest != other_rest or not isinstance(code, str) or not isinstance(other_code, str):
            return False
        if marshal.loads(binascii.a2b_base64(code)) != marshal.loads(
            binascii.a2b_base64(other_code)
        ):
            return False
    return True


def test_the_snapshot_from_the_install_is_used() -> None:
    installed = Path(str(default_snapshot_file()))
    if not installed.is_file() and not IN_CI:
        pytest.skip(f"no installed snapshot; {REBUILD}")
    loaded = snapshot.load_snapshot(installed, _files(_root()))
    if loaded is None and not IN_CI:
        pytest.skip(f"the installed snapshot is stale; {REBUILD}")
    assert loaded is not None
    assert load_campaign().template_code


def test_country_table_is_current() -> None:
    committed = countries.TABLE_FILE.read_text(encoding="utf-8")
    version = json.loads(committed.partition("\n")[0] + "]}")["pycountry"]
    if version != importlib.metadata.version("pycountry"):
        pytest.skip(
            f"country table compiled from pycountry {version}: "
            "run `python scripts/build_snapshot.py --countries` and commit the result"
        )
    assert committed == snapshot_build.country_table_text(snapshot_build.build_country_table())


def test_snapshot_holds_what_the_full_check_reads(built: Path) -> None:
    files = _files(_root())
    loaded = snapshot.load_snapshot(built, files)
    assert loaded is not None
    settings = parse_settings_bytes(files[CAMPAIGN_FILE], CAMPAIGN_FILE)
    assert loaded.settings == settings_to_json(settings)
    parsed = parse_recipients_bytes(
        files[RECIPIENTS_FILE], RECIPIENTS_FILE, settings, check_emails=True
    )
    assert loaded.records.all() == parsed
    templates = sorted(p for p in (_root() / TEMPLATES_DIR).rglob("*.j2"))
    assert len(loaded.template_code) == len(templates)


def test_the_snapshot_decodes_to_the_same_campaign(built: Path) -> None:
    from_snapshot = load_embedded(_root(), built)
    parsed = load_embedded(_root(), built.with_name("missing.jsonl"), strict=True)
    assert from_snapshot.template_code and not parsed.template_code
    assert from_snapshot.settings == parsed.settings
    assert from_snapshot.recipients == parsed.recipients


@pytest.mark.parametrize("alpha2", ["DE", "LI", "UA", "HK", "RU", "US", "BT"])
def test_records_serving_a_country_are_decoded_alone(alpha2: str, built: Path) -> None:
    loaded = snapshot.load_snapshot(built, _files(_root()))
    assert loaded is not None
    records = loaded.records
    serving = records.serving(alpha2)
    decoded = len(records._decoded)
    assert decoded == len(serving) < 20  # the rest stay undecoded
    assert serving == [r for r in records.all() if r.serves(alpha2)]


def _copy_of_default(tmp_path: Path, built: Path) -> Path:
    folder = tmp_path / "default"
    folder.mkdir()
    for name in (CAMPAIGN_FILE, RECIPIENTS_FILE):
        shutil.copyfile(_root() / name, folder / name)
    shutil.copyfile(built, folder / snapshot.SNAPSHOT_FILE)
    return folder


def test_a_snapshot_that_no_longer_matches_its_yaml_is_ignored(tmp_path: Path, built: Path) -> None:
    folder = _copy_of_default(tmp_path, built)
    target = folder / snapshot.SNAPSHOT_FILE
    assert snapshot.load_snapshot(target, _files(folder)) is not None
    recipients = folder / RECIPIENTS_FILE
    recipients.write_bytes(recipients.read_bytes() + b"\n# an edit\n")
    assert snapshot.load_snapshot(target, _files(folder)) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: "",
        lambda text: text.replace(f'"format": {snapshot.FORMAT}', '"format": 1', 1),
        lambda text: text[: len(text) // 2],
        lambda text: "not json\n" + text,
    ],
)
def test_a_damaged_snapshot_is_ignored(
    tmp_path: Path, built: Path, damage: Callable[[str], str]
) -> None:
    folder = _copy_of_default(tmp_path, built)
    target = folder / snapshot.SNAPSHOT_FILE
    target.write_text(damage(target.read_text(encoding="utf-8")), encoding="utf-8")
    assert snapshot.load_snapshot(target, _files(folder)) is None


def test_a_snapshot_with_damaged_settings_is_ignored(tmp_path: Path, built: Path) -> None:
    folder = _copy_of_default(tmp_path, built)
    shutil.copytree(_root() / TEMPLATES_DIR, folder / TEMPLATES_DIR)
    target = folder / snapshot.SNAPSHOT_FILE
    header, rest = target.read_bytes().split(b"\n", 1)
    damaged = json.loads(header)
    damaged["settings"] = {"title": "no id"}
    target.write_bytes(json.dumps(damaged).encode() + b"\n" + rest)
    campaign = load_embedded(folder, target)
    assert not campaign.template_code  # parsed, not read from the snapshot
    assert campaign.settings == load_embedded(_root(), built).settings


def test_a_damaged_record_line_is_a_one_line_error(tmp_path: Path, built: Path) -> None:
    folder = _copy_of_default(tmp_path, built)
    target = folder / snapshot.SNAPSHOT_FILE
    lines = target.read_bytes().split(b"\n")
    header = json.loads(lines[0])
    # A record that does not serve Hong Kong, so that Hong Kong's records are all intact.
    damaged = 1 + next(
        i
        for i, (country, also_serves) in enumerate(header["serves"])
        if country not in (None, "HK") and "HK" not in also_serves
    )
    lines[damaged] = lines[damaged][:40]
    target.write_bytes(b"\n".join(lines))
    loaded = snapshot.load_snapshot(target, _files(folder))
    assert loaded is not None
    loaded.records.serving("HK")  # the damaged line is not one of Hong Kong's
    with pytest.raises(DataError, match=rf"^snapshot.jsonl:{damaged + 1}: damaged; reinstall"):
        loaded.records.all()


def test_without_a_snapshot_the_campaign_is_parsed(tmp_path: Path, built: Path) -> None:
    folder = _copy_of_default(tmp_path, built)
    (folder / snapshot.SNAPSHOT_FILE).unlink()
    shutil.copytree(_root() / TEMPLATES_DIR, folder / TEMPLATES_DIR)
    parsed = load_embedded(folder, folder / snapshot.SNAPSHOT_FILE)
    assert not parsed.template_code
    loaded = snapshot.load_snapshot(built, _files(_root()))
    assert loaded is not None
    assert parsed.recipients == loaded.records.all()


def _drafts_json(campaign: Campaign, alpha2: str, language: str) -> list[dict[str, object]]:
    sender = make_sender("Anna Schmidt", resolve_country(alpha2), city="Köln", note="Mein Satz.")
    options = DraftOptions(
        language=language,
        today=dt.date(2026, 11, 23),
        kinds=("embassy", "un_mission", "prosecutor", "investigative_committee", "company"),
    )
    return [draft.to_json() for draft in build_drafts(campaign, sender, options).drafts]


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_templates_write_the_same_letters(language: str, built: Path) -> None:
    compiled = load_embedded(_root(), built)
    assert compiled.template_code
    fresh = Campaign(
        compiled.label, compiled.settings, compiled.recipients, compiled.template_roots
    )
    for alpha2 in ("DE", "FR", "RU"):
        assert _drafts_json(compiled, alpha2, language) == _drafts_json(fresh, alpha2, language)


def test_compiled_code_is_used_and_an_edited_template_is_compiled_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built: Path
) -> None:
    campaign = load_embedded(_root(), built)
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


def test_code_compiled_by_another_jinja_is_not_used(
    monkeypatch: pytest.MonkeyPatch, built: Path
) -> None:
    import jinja2

    campaign = load_embedded(_root(), built)
    monkeypatch.setattr(jinja2, "__version__", "9.9.9")
    renderer = renderer_for(campaign)
    compiled_names = _count_compiles(renderer, monkeypatch)
    renderer.render("en", "embassy", _context())
    assert "letters/en/embassy.txt.j2" in compiled_names


def test_marshalled_code_serves_the_same_python_and_source_code_any_other(
    monkeypatch: pytest.MonkeyPatch, built: Path
) -> None:
    import importlib.util
    import marshal

    campaign = load_embedded(_root(), built)
    entries = list(campaign.template_code.values())
    assert entries and all(e.magic == importlib.util.MAGIC_NUMBER.hex() for e in entries)
    loads: list[bytes] = []
    original_loads = marshal.loads

    def counting_loads(data: bytes) -> object:
        loads.append(data)
        return original_loads(data)

    monkeypatch.setattr(marshal, "loads", counting_loads)
    expected = renderer_for(campaign).render("en", "embassy", _context())
    assert loads  # the marshalled code was used, and nothing was compiled (test above)
    loads.clear()
    monkeypatch.setattr(importlib.util, "MAGIC_NUMBER", b"\x00\x00\r\n")  # another Python
    renderer = renderer_for(load_embedded(_root(), built))
    compiled_names = _count_compiles(renderer, monkeypatch)
    assert renderer.render("en", "embassy", _context()) == expected
    assert not loads and not compiled_names  # the Python code, compiled here; Jinja not rerun


def test_a_damaged_template_line_is_compiled_from_its_source(tmp_path: Path, built: Path) -> None:
    folder = _copy_of_default(tmp_path, built)
    target = folder / snapshot.SNAPSHOT_FILE
    lines = target.read_bytes().split(b"\n")
    lines[-2] = b"not json"  # the last template's line
    target.write_bytes(b"\n".join(lines))
    loaded = snapshot.load_snapshot(target, _files(folder))
    assert loaded is not None
    last = list(loaded.template_code)[-1]
    assert loaded.template_code.get(last) is None


def test_an_error_in_compiled_code_names_the_template_line(built: Path) -> None:
    renderer = renderer_for(load_embedded(_root(), built))
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
        return original(source, name, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(renderer.environment, "compile", counting)
    return names


def _context() -> dict[str, object]:
    from appeal.drafts import letter_context

    campaign = load_campaign()
    record = campaign.serving("DE")[0]
    sender = make_sender("Anna Schmidt", resolve_country("DE"))
    return dict(letter_context(record, sender, "en", "email", dt.date(2026, 11, 23)))
