"""The shape the project promises: a click-free core in layers (data → letters → channels →
outputs → CLI), no network code, no sending."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import appeal

PACKAGE = Path(appeal.__file__).parent
FORBIDDEN_MODULES = {"smtplib", "socket", "http", "urllib.request", "requests", "ssl", "ftplib"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_module_imports_network_or_mail_sending_code() -> None:
    for path in PACKAGE.rglob("*.py"):
        for name in _imports(path):
            assert not any(
                name == bad or name.startswith(bad + ".") for bad in FORBIDDEN_MODULES
            ), f"{path.name} imports {name}"


#: The layers, lowest first: a module may import modules of its own layer or lower ones only.
LAYERS: dict[str, tuple[str, ...]] = {
    # The campaign's data: records, settings, safety rules, countries, reading and checking files.
    "data": (
        "__init__",
        "errors",
        "limits",
        "textguard",
        "htmlguard",
        "slots",
        "yamlfile",
        "yamlwrite",
        "countries",
        "emails",
        "records",
        "safety",
        "snapshot",
        "files",
        "campaign",
        "check",
        "overview",
        "importers",
        "importer_settings",
        "embassies",
        "population",
        "starter",
    ),
    # Letters: templates, languages, the sender's details, the warnings a draft carries.
    "letters": ("letters", "languages", "sender", "draft_warnings"),
    # Channels: drafts and the ways they are sent (links, .eml, printed letters, the clipboard).
    "channels": ("links", "drafts", "draft_notices", "prerender", "eml", "printable", "clipboard"),
    # Outputs: what commands produce (text, files, sheets, the mail-merge, the page, checks).
    "outputs": (
        "presentation",
        "writing",
        "sheets",
        "merge",
        "page_text",
        "page",
        "template_check",
        "actions",
        "snapshot_build",
    ),
    "cli": ("cli", "cli_guided", "cli_complete", "__main__"),
}
_LAYER_OF = {module: rank for rank, modules in enumerate(LAYERS.values()) for module in modules}


def _appeal_imports(path: Path) -> set[str]:
    """The appeal modules ``path`` imports (at the top, in functions or for type checking)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("appeal."))
        elif isinstance(node, ast.ImportFrom) and node.module == "appeal":
            names.update(f"appeal.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("appeal."):
            names.add(str(node.module))
    return {name.split(".")[1] for name in names}


def test_every_module_has_a_layer() -> None:
    modules = {path.stem for path in PACKAGE.glob("*.py")}
    assert modules == set(_LAYER_OF), "place new modules in LAYERS (and drop removed ones)"


def test_modules_import_only_their_own_layer_or_lower_ones() -> None:
    wrong = [
        f"{path.stem} ({list(LAYERS)[_LAYER_OF[path.stem]]}) imports {name} "
        f"({list(LAYERS)[_LAYER_OF[name]]})"
        for path in sorted(PACKAGE.glob("*.py"))
        for name in sorted(_appeal_imports(path))
        if _LAYER_OF.get(name, 0) > _LAYER_OF[path.stem]
    ]
    assert wrong == []


def _in_cli_layer(path: Path) -> bool:
    """cli.py, its helper modules (cli_*.py: the guided mode, completion) and __main__.py."""
    return path.name in ("cli.py", "__main__.py") or path.name.startswith("cli_")


def test_only_the_cli_imports_click() -> None:
    for path in PACKAGE.rglob("*.py"):
        if _in_cli_layer(path):
            continue
        assert not any(n == "click" or n.startswith("click.") for n in _imports(path)), path.name


def test_the_core_never_imports_the_cli_layer() -> None:
    for path in PACKAGE.rglob("*.py"):
        if _in_cli_layer(path):
            continue
        assert not any(n.startswith("appeal.cli") for n in _imports(path)), path.name


def test_core_runs_without_loading_click_or_smtplib() -> None:
    # Some libraries import the socket module without using it; an audit hook catches any socket
    # actually being created.
    code = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda event, args: event.startswith('socket.') and opened.append(event))\n"
        "from appeal.campaign import load_campaign\n"
        "from appeal.countries import resolve_country\n"
        "from appeal.drafts import build_drafts\n"
        "from appeal.sender import make_sender\n"
        "drafts = build_drafts(load_campaign(), make_sender('A', resolve_country('DE')))\n"
        "assert drafts.drafts\n"
        "print(sorted(m for m in ('click', 'smtplib', 'ssl') if m in sys.modules), opened)\n"
    )
    assert _run_python(code).stdout.strip() == "[] []"


def test_drafting_loads_neither_yaml_nor_pycountry_nor_email_validator() -> None:
    # Start-up reads the compiled snapshot and country table (appeal.snapshot) instead.
    code = (
        "import sys\n"
        "from appeal.cli import main\n"
        "sys.argv = ['appeal', 'draft', '--country', 'DE', '--name', 'X']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('yaml', 'pycountry', 'email_validator', 'babel', 'importlib.metadata',\n"
        "         'appeal.snapshot_build')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    result = _run_python(code)
    assert "Embassy of the Russian Federation in Germany" in result.stdout
    assert result.stderr.strip().splitlines()[-1] == "[]"


def test_the_snapshot_loader_imports_neither_the_campaign_nor_the_build_side() -> None:
    # appeal.campaign imports appeal.snapshot; the reverse would be a cycle.
    imported = _imports(PACKAGE / "snapshot.py")
    assert not imported & {"appeal.campaign", "appeal.snapshot_build", "appeal.letters"}


def _run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)


#: Words that name the default campaign: its state and region (in the languages its letters
#: are in), its offices and companies, and its recipient kinds. The engine must know none of
#: them; campaign.yaml, recipients.yaml and the templates say them.
CAMPAIGN_WORDS = re.compile(
    r"\brussia\b|russian federation|russischen föderation|fédération de russie|chechn|"
    r"tschetschen|tchétchén|chechen|чечн|\bросси|moscow|москв|hornet|grindr|prosecutor|"
    r"investigative|\bembass(?:y|ies)\b|\bun_mission\b|\bcompany\b|\bcompanies\b",
    re.IGNORECASE,
)
#: Modules allowed to name the default campaign, and why. Each entry should go.
CAMPAIGN_WORD_EXCEPTIONS = {
    # Country data: 'russia' is one of the names a person may type for RU, as for any country.
    "countries.py": "country aliases",
    # Embassies of any government (issue 18): these read the database-of-embassies export and
    # write a new campaign about another government's posts. 'embassy' there is the export's
    # type of post and the new campaign's own kind; which government and which kinds a campaign
    # imports is campaign data (campaign.yaml's importers, whose keys name the importers).
    "embassies.py": "the database-of-embassies export: its posts are embassies",
    "starter.py": "a new campaign about any government's embassies writes its own kinds",
    "importer_settings.py": "the importers setting's keys: embassies, un_missions",
    "importers.py": "names appeal.embassies, the other importer",
}
#: The CLI's import commands and `init --embassies-of` describe the importers above.
CLI_IMPORT_COMMANDS = (
    "def recipients_import_embassies",
    "def recipients_import_bluebook",
    "def init",
)


def test_no_module_names_the_default_campaign() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in CAMPAIGN_WORD_EXCEPTIONS:
            continue
        text = path.read_text(encoding="utf-8")
        if path.name == "cli.py":
            text = _without_import_commands(text)
        for number, line in enumerate(text.splitlines(), start=1):
            if match := CAMPAIGN_WORDS.search(line):
                found.append(f"{path.name}:{number}: {match.group()!r}: {line.strip()}")
    assert not found, "\n".join(found)


def _without_import_commands(source: str) -> str:
    """cli.py without the functions of its import commands and init (CLI_IMPORT_COMMANDS)."""
    tree = ast.parse(source)
    lines = source.splitlines()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and f"def {node.name}" in CLI_IMPORT_COMMANDS:
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            for index in range(first - 1, node.end_lineno or node.lineno):
                lines[index] = ""
    return "\n".join(lines)


def test_the_campaign_word_check_sees_what_it_looks_for() -> None:
    for line in ('kind == "embassy"', "Russia's", "un_mission", "Tschetschenien", "Hornet"):
        assert CAMPAIGN_WORDS.search(line), line
    for line in ("Russian", "ru+de", "an office of this kind", "accompany"):
        assert not CAMPAIGN_WORDS.search(line), line


#: Modules that speak the command line's language: only they name its options.
CLI_MODULES = {"cli.py", "cli_guided.py", "cli_complete.py"}
#: An option's name: two dashes, then a letter ("--country"; not "--" alone).
OPTION_WORD = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
#: Where the core may still write an option's name, and why.
OPTION_WORDS_ALLOWED = {
    # `appeal init` writes a README for the new campaign folder: it shows the commands to run.
    ("campaign.py", "--campaign"),
    # The files `appeal init --embassies-of` writes name the command that made them.
    ("starter.py", "--embassies-of"),
    ("starter.py", "--campaign"),
    # The importer's report line names the option that would add a skipped post.
    ("embassies.py", "--add-missing"),
}


def test_the_core_names_no_command_line_option() -> None:
    """Errors and warnings say what is wrong about a field; the CLI names the option."""
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name in CLI_MODULES:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for word in OPTION_WORD.findall(line):
                if (path.name, word) not in OPTION_WORDS_ALLOWED:
                    found.append(f"{path.name}:{number}: {word}")
    assert not found, found


def test_every_error_field_has_an_option() -> None:
    from appeal.cli import FIELD_OPTIONS
    from appeal.errors import FIELDS

    assert set(FIELD_OPTIONS) == FIELDS
