"""Every command has help with an example; the README's set-up commands are the ones CI runs."""

from __future__ import annotations

import re

import pytest

from .app_commands import CONDITION, app_commands, condition_commands, root_commands
from .conftest import ROOT, run

# Discovered from the app, so that a new command cannot escape the check.
ROOT_COMMANDS = [command.name for command in root_commands()]
CONDITION_COMMANDS = [command.name for command in condition_commands()]


def test_the_commands_are_discovered() -> None:
    assert ROOT_COMMANDS == ["conditions", "find", "validate", "schema", "help", "diff", "completion", "check"]
    assert len(CONDITION_COMMANDS) == 13


@pytest.mark.parametrize("command", [[c] for c in ROOT_COMMANDS] + [["lupus", c] for c in CONDITION_COMMANDS],
                         ids=" ".join)
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Example: stemcell " in result.stdout


def test_root_help_documents_exit_codes_and_the_condition_form() -> None:
    out = run("--help").stdout
    assert "stemcell CONDITION COMMAND" in out
    assert ("Exit codes: 0 success, 1 data or runtime error, 2 usage error, 70 internal error (a bug)."
            in " ".join(out.split()))


def test_the_readme_documents_every_exit_code() -> None:
    from stemcell_cli.errors import ExitCode

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Exit codes", 1)[1].split("\n\n", 2)[1]
    assert [int(code) for code in re.findall(r"^\| (\d+) \|", table, flags=re.MULTILINE)] == sorted(ExitCode)


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_exactly_two_setup_commands() -> None:
    commands = _readme_commands()
    assert len(commands) == 2
    assert commands[0].endswith("stemcell lupus summary")
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _readme_commands()[1] in ci


def test_fixed_commands_are_the_reserved_command_words() -> None:
    from stemcell_cli.names import COMMAND_WORDS

    assert sorted(ROOT_COMMANDS) == sorted(COMMAND_WORDS)


def _readme_command_table() -> list[str]:
    """Return the first cell of each row of the README's table of commands, without its backquotes."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Commands", 1)[1]
    table = section[section.index("\n| command |"):].split("\n\n", 1)[0]
    return [cell.strip("`") for cell in re.findall(r"^\| (`[^`]+`) \|", table, flags=re.MULTILINE)]


def test_the_readme_documents_every_command_in_its_table() -> None:
    documented = _readme_command_table()
    assert documented[:2] == ["stemcell conditions", "stemcell lupus summary"]
    for command in app_commands():
        # A condition command is documented on the README's example condition; `claim safety` is `claim` on a claim.
        words = " ".join(["stemcell", *("lupus" if word == CONDITION else word for word in command.words)])
        assert any(row == words or row.startswith(f"{words} ") for row in documented), words


def test_the_readme_follows_a_command_through_modules_that_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How the code is laid out", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`((?:cli|loading|evidence|render)/\w+\.py|\w+\.py)`", section))
    package = ROOT / "src" / "stemcell_cli"
    assert {"cli/app.py", "loading/cache.py", "evidence/command_results.py", "render/table_format.py"} <= named
    assert sorted(name for name in named if not (package / name).is_file()) == []
    assert "stemcell lupus summary" in section


def _slug(heading: str) -> str:
    """Return the anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_the_readme_table_of_contents_lists_every_section_in_order() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    headings, fenced = [], False
    for line in readme.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (found := re.match(r"^(#{2,3}) (.+)$", line)):
            headings.append((len(found.group(1)) - 2, found.group(2)))
    contents = readme.split("\nContents:\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert contents == [f"{'  ' * depth}- [{text}](#{_slug(text)})" for depth, text in headings]
    assert readme.index("\nContents:\n") < readme.index("\n## ")
    assert len(set(_slug(text) for _, text in headings)) == len(headings)  # every anchor leads to one place


def test_the_readme_says_how_to_run_stemcell_after_set_up_and_why_tests_skip() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    for words in ("`.venv/bin/stemcell`", "`. .venv/bin/activate`", "`.venv\\Scripts\\Activate.ps1`",
                  "`stemcell: command not found`", "Skipped tests:", "`../shared/evidence/`"):
        assert words in section, words
    # Every skip condition the tests have is one the README explains.
    reasons = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        text = path.read_text(encoding="utf-8")
        reasons |= set(re.findall(r'skipif\([^()]*(?:\([^()]*\)[^()]*)*reason="([^"]+)"', text))
        reasons |= set(re.findall(r'pytest\.skip\("([^"]+)"', text))
    # The fact sheets beside the repository, or what a platform lacks (the README's sentence on Windows).
    explained = {"the shared evidence folder is not beside the repo", "the shared seed page is not beside the repo",
                 "../shared/evidence/lupus_msc_facts.yaml lies beside the repository in CI, not in this copy",
                 "the shipped data file is not in this checkout", "POSIX pipes and pseudo-terminals",
                 "POSIX pipes, ttys and devices", "needs a pseudo-terminal", "no /dev/full",
                 "no FIFOs on this platform", "no /dev/zero on this platform", "needs /dev/zero and symlinks"}
    assert reasons <= explained, reasons - explained
