"""The guided mode (plain ``appeal`` on a terminal) and shell completion.

The prompts are driven with click's CliRunner, with the terminal check replaced (a runner's
streams are never a terminal); one run goes end to end through a real pseudo-terminal.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from appeal import cli_guided
from appeal.cli import cli
from appeal.countries import all_countries, complete_country, resolve_country
from appeal.errors import DataError


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch, min_campaign: Path) -> list[str]:
    """Pretend stdin and stdout are a terminal, outside CI; collect what click.launch opens."""
    monkeypatch.setattr(cli_guided, "stdio_is_terminal", lambda: True)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("APPEAL_NO_INPUT", raising=False)
    launched: list[str] = []

    def launch(url: str, wait: bool = False, locate: bool = False) -> int:
        launched.append(url)
        return 0

    monkeypatch.setattr(click, "launch", launch)
    return launched


def ask(runner: CliRunner, answers: list[str], *args: str) -> tuple[int, str, str]:
    """Run appeal with these lines typed in turn; (exit code, stdout, stderr)."""
    typed = "".join(f"{answer}\n" for answer in answers)
    result = runner.invoke(cli, list(args), input=typed, prog_name="appeal")
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


#: Germany, with a typo; the name; the town; the usual offices; a line of one's own; English.
GERMANY = ["Germny", "y", "Anna O'Neil", "Berlin", "", "I teach in Hamburg.", "en"]


def test_plain_appeal_walks_to_a_letter_open_in_the_mail_program(
    runner: CliRunner, terminal: list[str], tmp_path: Path
) -> None:
    code, out, _ = ask(runner, [*GERMANY, "o", "s", "s"])
    assert code == 0, out
    # The questions come in turn, the typo gets a suggestion, each office has its line.
    order = [
        "Your country",
        "Did you mean Germany (DE)?",
        "Your name",
        "Your town or city",
        "Whom do you want to write to?",
        "Your words",
        "Language",
        "[1/3]",
        "How do you want to send this letter (1 of 3)?",
        "[2/3]",
        "[3/3]",
        "Next time, one line does the same:",
    ]
    positions = [out.index(text) for text in order]
    assert positions == sorted(positions)
    assert "1 [x] Russia's embassy in your country: forwards letters" in out
    assert "4 [ ] Russia's Investigative Committee" in out
    # The first letter went to the mail program, with the name and the words in it.
    assert len(terminal) == 1
    assert terminal[0].startswith("mailto:info@russische-botschaft.de?subject=")
    assert "I%20teach%20in%20Hamburg." in terminal[0]
    assert "Anna%20O%27Neil%0D%0ABerlin%2C%20Germany" in terminal[0]
    # The one-line command, shell-quoted, that opens the same letter.
    expected = (
        'appeal draft --country DE --name "Anna O\'Neil" --city Berlin --note '
        "'I teach in Hamburg.' --to embassy --to un_mission --to prosecutor --lang en"
    )
    assert f"  {expected}\n" in out
    assert "  --open --recipient embassy-de\n" in out
    words = [*shlex.split(expected)[1:], "--open", "--recipient", "embassy-de"]
    again = runner.invoke(cli, words, prog_name="appeal")
    assert again.exit_code == 0, again.output
    assert terminal[1] == terminal[0]
    assert [p.name for p in tmp_path.iterdir() if p.name != "home"] == []  # nothing saved


def test_appeal_draft_without_country_asks_only_what_is_missing(
    runner: CliRunner, terminal: list[str]
) -> None:
    code, out, _ = ask(
        runner,
        ["de", "Kari", "", "1", "", "s"],
        "draft",
        "--lang",
        "fr",
        "--email",
        "kari@example.org",
    )
    assert code == 0, out
    assert "Language [" not in out  # given with --lang
    assert "letter in fr" in out
    # No words of one's own: said in the sender's language, French here.
    assert "Cette lettre n’est encore que le modèle." in out
    assert "  appeal draft --country DE --name Kari --email kari@example.org" in out
    assert "--to embassy --lang fr\n" in out
    assert terminal == []


def test_sender_in_russia_sees_the_safety_note_before_giving_a_name(
    runner: CliRunner, terminal: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from appeal.campaign import load_campaign

    monkeypatch.setenv("LANG", "ru_RU.UTF-8")  # the sender's language: the notes come in it
    campaign = load_campaign(Path(os.environ["APPEAL_CAMPAIGN"]))
    notes = cli_guided.early_notes(campaign, resolve_country("RU"), "ru")
    assert notes
    code, out, _ = ask(runner, ["Россия", "Ivan", "", "", "", "", *["s"] * 5])
    assert code == 0, out
    flat = " ".join(out.split())
    for note in notes:  # in the sender's language, as the campaign writes them
        start = " ".join(note.text.split()[:6])
        assert flat.index("Your country") < flat.index(start) < flat.index("Your name"), start
        assert flat.count(start) == 1  # not repeated before the letters


def test_offices_pick_by_number_and_wrong_numbers_are_asked_again(
    runner: CliRunner, terminal: list[str]
) -> None:
    code, out, _ = ask(runner, ["DE", "Kari", "", "9", "4 5", "", "en", "s", "s", "s"])
    assert code == 0, out
    assert "Type numbers from 1 to 5, separated by spaces." in out
    assert "[1/3] Investigative Committee" in out
    assert "--to investigative_committee --to company" in out


def test_office_lines_come_from_the_campaign(
    runner: CliRunner,
    terminal: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    min_campaign: Path,
) -> None:
    folder = tmp_path / "campaign"
    folder.mkdir()
    shutil.copy(min_campaign / "recipients.yaml", folder)
    settings = (Path(__file__).parents[1] / "campaign.yaml").read_text(encoding="utf-8")
    replaced = (
        "kinds:\n"
        "  embassy: {serves: country, default: true, label: Russian embassy,\n"
        "    description: The embassy line of this campaign.}\n"
        "  un_mission: {serves: country, default: true, label: UN mission}\n"
        "  prosecutor: {default: true, label: Prosecutor General}\n"
        "  investigative_committee: {label: Investigative Committee}\n"
        "  company: {label: company}\n"
    )
    (folder / "campaign.yaml").write_text(_replace_kinds(settings, replaced))
    monkeypatch.setenv("APPEAL_CAMPAIGN", str(folder))
    code, out, err = ask(runner, ["DE", "Kari", "", "", "", "en", "s", "s", "s"])
    assert code == 0, err
    assert "1 [x] The embassy line of this campaign." in out
    assert "2 [x] UN mission" in out  # a kind the campaign does not describe: its plain name


def test_bad_answers_are_asked_again(runner: CliRunner, terminal: list[str]) -> None:
    answers = ["Atlantis", "DE", "Bad\x1bName", "Kari", "", "", "Hi\u202ethere", "ok", "xx", "en"]
    code, out, _ = ask(runner, [*answers, "s", "s", "s"])
    assert code == 0, out
    assert "No country is called 'Atlantis'." in out
    assert "That cannot be used: contains a control character (U+001B)." in out
    assert "That cannot be used: contains an invisible text-direction control (U+202E)." in out
    assert "'xx' is not one of en, ru, de, fr, es" in out
    assert "--name Kari" in out and "--note ok" in out


def test_own_words_in_the_editor(
    runner: CliRunner, terminal: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\n"
        "text = open(sys.argv[1], encoding='utf-8').read()\n"
        "open(sys.argv[1], 'w', encoding='utf-8').write('My own words.\\n' + text)\n"
    )
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(editor))}")
    code, out, _ = ask(runner, ["DE", "Kari", "", "1", "e", "en", "s"])
    assert code == 0, out
    assert "Your words: My own words." in out
    assert "My own words." in out.split("[1/1]")[1]
    assert "--name Kari --edit --to embassy --lang en\n" in out


def test_saving_an_eml_and_a_printed_letter(
    runner: CliRunner, terminal: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = ask(runner, ["DE", "Kari", "", "1 2", "", "en", "e", "letters", "p"])
    assert code == 0, out
    eml = tmp_path / "letters" / "embassy-de.eml"
    page = tmp_path / "letters" / "un-mission-de.html"
    assert eml.is_file() and page.is_file()
    assert b"To: info@russische-botschaft.de" in eml.read_bytes()
    assert terminal == [str(page.resolve())]  # the printable page opens in the browser
    assert "  --format eml --out letters --recipient embassy-de\n" in out
    assert "  --format html --out letters --recipient un-mission-de\n" in out


def test_every_letter_the_same_way_is_one_line(runner: CliRunner, terminal: list[str]) -> None:
    code, out, _ = ask(runner, ["DE", "Kari", "", "1 2", "", "en", "o", "o"])
    assert code == 0, out
    assert out.rstrip().endswith(
        "appeal draft --country DE --name Kari --to embassy --to un_mission --lang en --open"
    )
    assert len(terminal) == 2


def test_output_options_keep_their_meaning(runner: CliRunner, terminal: list[str]) -> None:
    code, out, err = ask(runner, ["DE", "Kari", "", "1", "", "en"], "draft", "--format", "json")
    assert code == 0, err
    drafts = json.loads(out[out.index("\n{") :])["drafts"]
    assert [d["recipient"] for d in drafts] == ["embassy-de"]
    assert (
        "Next time: appeal draft --country DE --name Kari --to embassy --lang en --format json"
        in (err)
    )


def test_end_of_input_stops_cleanly_and_writes_nothing(
    runner: CliRunner, terminal: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.iterdir())
    code, _, err = ask(runner, ["DE"])  # input ends (as Ctrl-D) at the name question
    assert code == cli_guided.STOPPED_EXIT_CODE
    assert err.strip() == "Stopped. Nothing has been sent."
    assert sorted(tmp_path.iterdir()) == before
    assert terminal == []


def test_ctrl_c_at_a_question_stops_cleanly(
    runner: CliRunner, terminal: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(click, "prompt", interrupted)
    code, _, err = ask(runner, [])
    assert code == 130
    assert err.strip() == "Stopped. Nothing has been sent."


# --- Never interactive off a terminal, in CI, or with --no-input ------------------------------


@pytest.mark.parametrize(
    ("args", "env", "missing"),
    [
        (["draft"], {}, "--country"),
        (["draft", "-c", "DE"], {}, "--name"),
        (["draft", "-n", "Kari"], {}, "--country"),
        (["draft", "--no-input"], {"FORCE": "1"}, "--country"),
        (["--no-input", "draft", "-c", "DE"], {"FORCE": "1"}, "--name"),
        (["draft"], {"FORCE": "1", "CI": "true"}, "--country"),
        (["draft"], {"FORCE": "1", "APPEAL_NO_INPUT": "1"}, "--country"),
    ],
)
def test_missing_options_are_usage_errors_when_not_asking(
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    env: dict[str, str],
    missing: str,
) -> None:
    monkeypatch.delenv("CI", raising=False)
    if env.pop("FORCE", None):
        monkeypatch.setattr(cli_guided, "stdio_is_terminal", lambda: True)
    result = runner.invoke(cli, args, env=env, input="DE\nKari\n")
    assert result.exit_code == 2
    assert f"Missing option '{missing}'" in result.stderr
    assert "Your country" not in result.output


def test_plain_appeal_off_a_terminal_prints_the_help(runner: CliRunner) -> None:
    result = runner.invoke(cli, [], input="DE\n")
    assert result.exit_code == 2
    assert "Usage:" in result.stderr and "Commands:" in result.stderr
    assert "Your country" not in result.output


def test_plain_appeal_with_no_input_prints_the_help(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_guided, "stdio_is_terminal", lambda: True)
    monkeypatch.delenv("CI", raising=False)
    result = runner.invoke(cli, ["--no-input"], input="DE\n")
    assert result.exit_code == 2
    assert "Usage:" in result.stderr and "Your country" not in result.output


def test_the_campaign_option_is_in_the_command_line(
    runner: CliRunner, terminal: list[str], min_campaign: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("APPEAL_CAMPAIGN")
    code, out, _ = ask(
        runner, ["CH", "Kari", "", "1", "", "", "s"], "--campaign", str(min_campaign)
    )
    assert code == 0, out
    assert "[1/1] Embassy of the Russian Federation in Switzerland" in out
    assert out.rstrip().endswith(
        f"appeal --campaign {min_campaign} draft --country CH --name Kari --to embassy"
    )


def test_ci_values(monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli_guided.in_ci({"CI": "true"}) and cli_guided.in_ci({"CI": "1"})
    assert not cli_guided.in_ci({}) and not cli_guided.in_ci({"CI": "false"})


# --- The command line ------------------------------------------------------------------------


@given(st.lists(st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))))
def test_command_line_reads_back_as_the_same_words(words: list[str]) -> None:
    assert shlex.split(cli_guided.command_line(words)) == words


def test_command_line_on_windows_is_quoted_for_its_programs() -> None:
    line = cli_guided.command_line(["appeal", "--name", "Anna O'Neil", "--note", 'a "b"'], False)
    assert line == 'appeal --name "Anna O\'Neil" --note "a \\"b\\""'


# --- Completion ------------------------------------------------------------------------------


def test_country_completion_offers_codes_and_names_that_resolve() -> None:
    assert [value for value, _ in complete_country("ger")] == ["Germany"]
    assert [value for value, _ in complete_country("Deutsch")] == ["Deutschland"]
    assert complete_country("de")[0][0] == "DE"
    united = dict(complete_country("united kin"))
    assert united["United Kingdom"].alpha2 == "GB"
    everything = complete_country("")
    assert len(everything) == len(all_countries())
    assert all(len(value) == 2 for value, _ in everything)
    for value, country in complete_country("s") + complete_country("ру"):
        assert resolve_country(value) == country


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_completion_through_click(runner: CliRunner, shell: str) -> None:
    words = "appeal draft --country Ger"
    env = {"_APPEAL_COMPLETE": f"{shell}_complete", "COMP_WORDS": words, "COMP_CWORD": "3"}
    if shell == "fish":
        env["COMP_WORDS"], env["COMP_CWORD"] = words, "Ger"
    result = runner.invoke(cli, [], env=env, prog_name="appeal")
    assert result.exit_code == 0
    expected = "plain\nGermany\nDE Germany" if shell == "zsh" else "plain,Germany\tDE Germany"
    assert result.output.strip() == expected


def test_completion_scripts_exist_for_every_shell(runner: CliRunner) -> None:
    for shell in ("bash", "zsh", "fish"):
        result = runner.invoke(
            cli, [], env={"_APPEAL_COMPLETE": f"{shell}_source"}, prog_name="appeal"
        )
        assert result.exit_code == 0
        assert "_APPEAL_COMPLETE" in result.output


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(
    ("typed", "completed"),
    [("'United\\ Ki'", "United\\ Kingdom"), ("cote", "Côte\\ d\\'Ivoire"), ("ger", "Germany")],
)
def test_bash_completes_a_country_name_as_one_word(
    tmp_path: Path, typed: str, completed: str
) -> None:
    """The real bash script, sourced in bash: a name with a space or an apostrophe is inserted
    as one escaped word."""
    appeal = Path(sys.executable).with_name("appeal")
    if not appeal.exists():
        pytest.skip("the appeal script is not installed beside this Python")
    source = subprocess.run(
        [str(appeal)],
        env={**os.environ, "_APPEAL_COMPLETE": "bash_source"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    script = tmp_path / "complete.bash"
    script.write_text(
        source
        + f"\nCOMP_WORDS=(appeal draft --country {typed}); COMP_CWORD=3\n"
        + "_appeal_completion appeal\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
    )
    env = {**os.environ, "PATH": f"{appeal.parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", "--norc", str(script)], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines() == [completed]


# --- Campaign data ---------------------------------------------------------------------------


def _replace_kinds(settings: str, block: str) -> str:
    """campaign.yaml's text with its kinds block replaced by ``block``."""
    start = settings.index("kinds:\n")
    body = settings.index("\n", start) + 1
    end = re.search(r"^[^\s#]", settings[body:], re.MULTILINE)
    assert end is not None
    return settings[:start] + block + settings[body + end.start() :]


def test_kinds_are_checked(tmp_path: Path) -> None:
    from appeal.campaign import parse_settings_bytes

    settings = (Path(__file__).parents[1] / "campaign.yaml").read_text(encoding="utf-8")
    bad = (
        "kinds:\n"
        '  embassy: {label: {en: "Ring \\e[5m"}, default: true, description: "Bell \\a"}\n'
        "  Consulate: {label: x}\n"
        "  company: {label: [1], default: maybe}\n"
        "  un_mission: {label: UN mission, serves: somewhere, colour: red}\n"
    )
    with pytest.raises(DataError) as raised:
        parse_settings_bytes(_replace_kinds(settings, bad).encode(), "campaign.yaml")
    problems = "\n".join(raised.value.problems)
    assert re.search(r"campaign.yaml:\d+: kinds.embassy.label.en: .*control", problems), problems
    assert re.search(r"kinds.embassy.description: .*control", problems), problems
    assert "kinds.Consulate: a kind is lower-case letters" in problems
    assert "kinds.company.label: expected text" in problems
    assert "kinds.company.default: expected true or false" in problems
    assert "kinds.un_mission.serves: expected one of country, everyone" in problems
    assert "kinds.un_mission.colour: unknown field" in problems
    # The rest of the file names kinds this block no longer declares.
    assert (
        "postal_reply: kinds: 'prosecutor' is not one of embassy, company, un_mission" in problems
    )


def test_old_kind_settings_say_what_replaced_them() -> None:
    from appeal.campaign import parse_settings_bytes

    text = "schema_version: 1\nid: x\ntitle: T\ndefault_kinds: [a]\nkind_descriptions: {a: b}\n"
    with pytest.raises(DataError) as raised:
        parse_settings_bytes(text.encode(), "campaign.yaml")
    problems = raised.value.problems
    assert "campaign.yaml:4: default_kinds: replaced by 'default: true' in kinds" in problems[0]
    assert any("kind_descriptions: replaced by 'description' in kinds" in p for p in problems)
    assert any("kinds: expected a mapping of recipient kind" in p for p in problems)


def test_the_default_campaign_describes_every_kind() -> None:
    from appeal.campaign import load_campaign
    from appeal.records import LANGUAGES

    settings = load_campaign().settings
    for kind in settings.kinds:
        for language in LANGUAGES:
            line = settings.kind_description(kind, language)
            assert line and "\n" not in line and len(line) < 260, (kind, language)
            entry = settings.kinds[kind]
            assert entry.description and language in entry.description.by_language
            assert language in entry.label.by_language


# --- End to end, in a pseudo-terminal --------------------------------------------------------


class Terminal:
    """``python -m appeal`` in a pseudo-terminal, read and typed into like a person would."""

    def __init__(self, tmp_path: Path, min_campaign: Path) -> None:
        import pty

        bin_dir = tmp_path / "bin"
        bin_dir.mkdir()
        self.opened = tmp_path / "opened.txt"
        # Stands in for the desktop's opener: records what it was asked to open.
        opener = bin_dir / "xdg-open"
        opener.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{self.opened}"\n')
        opener.chmod(0o755)
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("CI", "APPEAL_NO_INPUT", "EDITOR", "VISUAL")
        }
        env.update(
            PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
            HOME=str(tmp_path / "home"),
            LANG="C.UTF-8",
            COLUMNS="100",
            APPEAL_CAMPAIGN=str(min_campaign),
        )
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become appeal
            import signal

            # As a shell does for a command it runs in the foreground: a test runner started in
            # the background inherits SIGINT ignored, and so would appeal.
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.chdir(tmp_path)
            os.execve(sys.executable, [sys.executable, "-m", "appeal"], env)
        self.output = b""
        self.read_up_to = 0

    def expect(self, text: str, timeout: float = 30) -> None:
        """Read until ``text`` appears after what was matched before."""
        import select
        import time

        wanted = text.encode()
        deadline = time.monotonic() + timeout
        while (found := self.output.find(wanted, self.read_up_to)) < 0:
            remaining = deadline - time.monotonic()
            ready = select.select([self.fd], [], [], max(remaining, 0))[0]
            chunk = self._read() if ready else b""
            if not chunk:
                shown = self.output.decode(errors="replace")[-1500:]
                raise AssertionError(f"{text!r} did not appear; the terminal shows:\n{shown}")
            self.output += chunk
        self.read_up_to = found + len(wanted)

    def wait_until_reading(self) -> None:
        """Wait until appeal sleeps on the terminal (Linux: as /proc says; else a moment).

        A SIGINT that arrives after a prompt is written but before Python's input() blocks in
        read() is noted and then not acted on until the next input (a CPython race): a person's
        Ctrl-C always comes later than that."""
        import time

        stat = Path(f"/proc/{self.pid}/stat")
        for _ in range(200):
            if not stat.exists():
                time.sleep(0.5)
                return
            if stat.read_text().rsplit(")", 1)[1].split()[0] == "S":
                return
            time.sleep(0.025)

    def type(self, line: str) -> None:
        os.write(self.fd, line.encode() + b"\r")

    def _read(self) -> bytes:
        try:
            return os.read(self.fd, 65536)
        except OSError:  # the other side closed (Linux says EIO)
            return b""

    def exit_code(self, timeout: float = 30) -> int:
        """Wait for appeal to end (reading what is left); its exit code."""
        import select
        import signal
        import time

        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            if select.select([self.fd], [], [], remaining)[0]:
                chunk = self._read()
                if not chunk:
                    break
                self.output += chunk
        else:
            os.kill(self.pid, signal.SIGKILL)
        os.close(self.fd)
        status = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
        assert status != -signal.SIGKILL, f"appeal did not end:\n{self.output.decode()[-1500:]}"
        return status


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs a pseudo-terminal (POSIX)")
def test_a_person_goes_from_appeal_to_a_letter_in_their_mail_program(
    tmp_path: Path, min_campaign: Path
) -> None:
    term = Terminal(tmp_path, min_campaign)
    for prompt, answer in [
        ("Your country", "Germny"),
        ("Did you mean Germany (DE)?", "y"),
        ("Your name", "Anna Schmidt"),
        ("Your town or city", ""),
        ("Press Enter to keep the marked ones", ""),
        ("Your words", "I teach in Hamburg."),
        ("Language", "en"),
        ("How do you want to send this letter (1 of 3)?", "o"),
        ("(2 of 3)?", "s"),
        ("(3 of 3)?", "s"),
    ]:
        term.expect(prompt)
        term.type(answer)
    term.expect("Next time, one line does the same:")
    assert term.exit_code() == 0, term.output.decode(errors="replace")
    screen = term.output.decode()
    assert (
        "appeal draft --country DE --name 'Anna Schmidt' --note 'I teach in Hamburg.' "
        "--to embassy --to un_mission --to prosecutor --lang en" in screen
    )
    import time

    for _ in range(100):  # the opener runs in the background
        if tmp_path.joinpath("opened.txt").exists():
            break
        time.sleep(0.05)
    (opened,) = term.opened.read_text().splitlines()
    assert opened.startswith("mailto:info@russische-botschaft.de?subject=")
    assert "I%20teach%20in%20Hamburg." in opened and "Anna%20Schmidt" in opened
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "opened.txt"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs a pseudo-terminal (POSIX)")
def test_ctrl_c_in_a_terminal_ends_with_one_line(tmp_path: Path, min_campaign: Path) -> None:
    term = Terminal(tmp_path, min_campaign)
    term.expect("Your country")
    term.type("DE")
    term.expect("Your name")
    term.wait_until_reading()
    os.write(term.fd, b"\x03")  # Ctrl-C: the terminal sends SIGINT
    assert term.exit_code() == 130
    after = term.output[term.read_up_to :].decode()
    assert [line for line in after.splitlines() if line.strip()][-1:] == [
        "Stopped. Nothing has been sent."
    ]
    assert "Traceback" not in after
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin"]


def test_enter_at_the_language_keeps_the_campaigns_languages(
    runner: CliRunner, terminal: list[str]
) -> None:
    code, out, _ = ask(runner, ["DE", "Kari", "", "1 3", "", "", "s", "s"])
    assert code == 0, out
    said = " ".join(out.split())
    assert (
        "Press Enter for English: your letters to the Prosecutor General of the Russian Federation "
        "then come in Russian" in said
    )
    assert "letter in en\n" in out and "letter in ru+en\n" in out
    assert out.rstrip().endswith(
        "appeal draft --country DE --name Kari --to embassy --to prosecutor"
    )  # no --lang: the same default next time


def test_options_given_are_kept_in_the_command_line(
    runner: CliRunner, terminal: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("my note.txt").write_text("I wrote this in a file.", encoding="utf-8")
    args = ["draft", "--note-file", "my note.txt", "--to", "embassy", "--mailto-budget", "1800"]
    code, out, _ = ask(runner, ["FR", "Camille", "Lyon", "", "s"], *args)
    assert code == 0, out
    assert "Your words" not in out and "Whom do you want" not in out  # given as options
    assert "I wrote this in a file." in out
    assert out.rstrip().endswith(
        "appeal draft --country FR --name Camille --city Lyon --note-file 'my note.txt' "
        "--to embassy --mailto-budget 1800"
    )


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs a pseudo-terminal (POSIX)")
def test_sigterm_at_a_question_ends_with_one_line(tmp_path: Path, min_campaign: Path) -> None:
    import signal

    term = Terminal(tmp_path, min_campaign)
    term.expect("Your country")
    term.wait_until_reading()
    os.kill(term.pid, signal.SIGTERM)
    assert term.exit_code() == 143
    after = term.output[term.read_up_to :].decode()
    assert [line for line in after.splitlines() if line.strip()][-1:] == [
        "Stopped by SIGTERM. Nothing has been sent."
    ]
    assert "Traceback" not in after and "Error" not in after
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin"]


def test_a_printed_letter_may_carry_an_address_and_the_command_line_prints_the_same(
    runner: CliRunner, terminal: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    answers = ["DE", "Anna", "Berlin", "3", "", "", "p", "Unter den Linden 1", "10117 Berlin", ""]
    code, out, _ = ask(runner, [*answers, "printed"])
    assert code == 0, out
    said = " ".join(out.split())
    assert "This office replies only by post. Russian law on citizens' appeals" in said
    assert "Giving yours tells the office who you are and where you live." in said
    page = (tmp_path / "printed" / "prosecutor-general.html").read_text(encoding="utf-8")
    assert "Unter den Linden 1" in page and "10117 Berlin" in page
    line = out.rstrip().splitlines()[-1].strip()
    assert line == (
        "appeal draft --country DE --name Anna --city Berlin --address 'Unter den Linden 1' "
        "--address '10117 Berlin' --to prosecutor --format html --out printed"
    )
    again = [*shlex.split(line)[1:-1], "again"]
    result = runner.invoke(cli, again)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "again" / "prosecutor-general.html").read_text(encoding="utf-8") == page
