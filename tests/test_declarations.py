"""Commands declared once: shared options as one value, condition commands from one table, a typed invocation."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from stemcell_cli.cli import condition_commands
from stemcell_cli.cli.declare import CommandDeclaration
from stemcell_cli.cli.options import Shared

from .app_commands import condition_commands as app_condition_commands
from .conftest import OTHER, ROOT, other_warnings, run, run_other

SHARED_OPTIONS = ["--format", "--data", "--output", "--force", "--color", "--no-cache", "--quiet"]


def _condition_commands() -> dict[str, typer.core.TyperCommand]:
    return {found.name: found.command for found in app_condition_commands()}


def test_the_condition_commands_are_those_of_the_table_in_its_order() -> None:
    assert list(_condition_commands()) == [declaration.view.__name__ for declaration in condition_commands.COMMANDS]
    assert list(_condition_commands()) == ["summary", "overview", "sof", "claims", "claim", "contrasts", "studies",
                                           "study", "trials", "effects", "issues", "cite", "report"]


@pytest.mark.parametrize("declaration", condition_commands.COMMANDS, ids=lambda s: s.view.__name__)
def test_every_condition_command_takes_the_shared_options_after_its_own(declaration: CommandDeclaration) -> None:
    command = _condition_commands()[declaration.view.__name__]
    options = [max(p.opts, key=len) for p in command.params if p.param_type_name == "option" and p.name != "help"]
    tail = SHARED_OPTIONS + (["--no-pager"] if declaration.pageable else [])
    assert options[len(options) - len(tail):] == tail
    assert command.help == declaration.view.__doc__
    assert command.epilog == declaration.example


def test_the_shared_options_are_one_value_with_a_field_for_each() -> None:
    assert Shared._fields == ("fmt", "data", "output", "force", "color", "no_cache", "quiet", "no_pager")


def test_no_module_passes_the_condition_through_ctx_meta() -> None:
    for path in (ROOT / "src" / "stemcell_cli").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [node for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "meta"]
        assert names == [], path.name


def test_data_no_cache_and_color_are_accepted_before_the_condition(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert run("--no-cache", "--data", str(OTHER), "wdg", "summary").exit_code == 0
    assert not cache.exists() or list(cache.iterdir()) == []
    assert run("--data", str(OTHER), "wdg", "summary").exit_code == 0
    assert list(cache.iterdir()) != []
    before = run("--data", str(OTHER), "wdg", "studies", "-f", "csv")
    assert (before.exit_code, before.stderr) == (0, other_warnings())
    assert before.stdout == run_other("wdg", "studies", "-f", "csv").stdout
    assert before.stdout.startswith("id,")
    coloured = run("--color", "always", "--data", str(OTHER), "wdg", "summary")
    assert "\x1b[" in coloured.stdout
    assert "\x1b[" not in run("--color", "always", "--data", str(OTHER), "wdg", "summary", "--color", "never").stdout


def test_an_option_after_the_condition_wins_over_the_same_before_it(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    result = run("--data", str(missing), "wdg", "studies", "-f", "csv", "--data", str(OTHER))
    assert (result.exit_code, result.stderr) == (0, other_warnings())
    wrong = run("--data", str(OTHER), "wdg", "studies", "--data", str(missing))
    assert wrong.exit_code == 1
    assert str(missing) in wrong.stderr


def test_usage_and_help_name_the_condition_as_typed() -> None:
    result = run("sle", "studies", "--since", "x")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "error: --since: 'x' is not a whole number (see `stemcell sle studies -h`)\n"
    assert run("sle", "studies", "-h").stdout.startswith("Usage: stemcell sle studies [OPTIONS]\n")


@pytest.mark.parametrize(("args", "stderr"), [
    (["lupus", "study"], "error: missing argument 'ID' (see `stemcell lupus study -h`)\n"),
    (["lupus", "study", "a", "b"], "error: got unexpected extra argument(s) (b) (see `stemcell lupus study -h`)\n"),
    (["lupus", "studies", "--sinc", "2000"], "error: no such option: --sinc; did you mean '--since'? "
                                             "(see `stemcell lupus studies -h`)\n"),
    (["lupus", "studies", "--since"], "error: option '--since' requires an argument\n"),
    (["--bogus"], "error: no such option: --bogus (see `stemcell -h`)\n"),
    (["completion", "ksh"], "error: SHELL: 'ksh' is not one of 'bash', 'zsh', 'fish' (see `stemcell completion -h`)\n"),
])
def test_usage_errors_are_one_error_line_without_framework_wording(args: list[str], stderr: str) -> None:
    result = run(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", stderr)


def test_a_command_given_nothing_to_do_shows_its_help_on_stderr() -> None:
    result = run("lupus")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("Usage: stemcell lupus [OPTIONS] COMMAND [ARGS]...\n")
    assert "  summary  " in result.stderr


def test_usage_errors_have_the_one_style_in_a_real_process() -> None:
    done = subprocess.run([sys.executable, "-m", "stemcell_cli", "lupus", "studies", "--min-n", "-3"],
                          capture_output=True, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"}, check=False)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "error: --min-n: -3 is below the lowest allowed value, 0 (see `stemcell lupus studies -h`)\n"


@pytest.mark.parametrize(("shell", "first"), [
    ("bash", "_stemcell_completion() {"), ("zsh", "#compdef stemcell"), ("fish", "complete --command stemcell "),
])
def test_completion_prints_the_script_and_writes_no_file(shell: str, first: str, tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run([sys.executable, "-m", "stemcell_cli", "completion", shell], capture_output=True,
                          text=True, env=env, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith(first)
    assert f"_STEMCELL_COMPLETE=complete_{shell}" in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_the_data_commands_read_a_data_file_given_before_them_too() -> None:
    listed = run("--data", str(OTHER), "conditions", "-f", "csv")
    assert (listed.exit_code, listed.stderr) == (0, other_warnings())
    assert listed.stdout == "id,name,aliases,studies,claims,trials\nwidgetitis,Widgetitis (synthetic),wdg,3,2,2\n"
    checked = run("--data", str(OTHER), "validate")
    assert (checked.exit_code, checked.stdout) == (0, "")
    assert checked.stderr == other_warnings() + f"{OTHER}: 0 errors, 1 warning\n"


STYLE = re.compile(r"error: .+|.+: (error|warning): .+|.+: \d+ errors?, \d+ warnings?")
FRAMEWORK_WORDS = ("Usage:", "Try '", "Error:", "Invalid value for", "Value error", "Input should", "CONDITION")


@pytest.mark.parametrize("case", ["usage", "unknown-condition", "unknown-study", "broken-yaml", "bad-type",
                                  "missing-file", "output-exists", "bad-extension"])
def test_every_error_has_the_one_style(case: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema_version: 1\nconditions: [\n", encoding="utf-8")
    typed = tmp_path / "typed.yaml"
    typed.write_text("schema_version: 1\nconditions:\n  - id: x\n    name: 5\n", encoding="utf-8")
    existing = tmp_path / "out.json"
    existing.write_text("{}", encoding="utf-8")
    args = {
        "usage": ["lupus", "studies", "--since", "soon"],
        "unknown-condition": ["lupsu", "summary"],
        "unknown-study": ["lupus", "study", "deng2071"],
        "broken-yaml": ["--data", str(broken), "lupus", "summary"],
        "bad-type": ["lupus", "summary", "--data", str(typed)],
        "missing-file": ["lupus", "summary", "--data", str(tmp_path / "nowhere.yaml")],
        "output-exists": ["lupus", "summary", "-o", str(existing)],
        "bad-extension": ["lupus", "summary", "-o", str(tmp_path / "x.csv"), "-f", "json"],
    }[case]
    result = run(*args)
    assert result.exit_code in (1, 2)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines
    for line in lines:
        assert STYLE.fullmatch(line), line
        assert not any(word in line for word in FRAMEWORK_WORDS), line
    assert any(line.startswith("error: ") or ": error: " in line for line in lines)


def test_a_framework_error_that_is_not_about_usage_and_an_abort_keep_the_style(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from stemcell_cli.cli.usage import FRAMEWORK_ERROR, parsed

    def fail(error: BaseException) -> object:
        raise error

    assert parsed(lambda: fail(FRAMEWORK_ERROR("the file went away.")), standalone=False) == 1
    assert capsys.readouterr().err == "error: the file went away\n"
    assert parsed(lambda: fail(typer.Abort()), standalone=False) == 1
    assert capsys.readouterr().err == "error: aborted\n"
    assert parsed(lambda: 3, standalone=False) == 3
    with pytest.raises(SystemExit) as done:
        parsed(lambda: None, standalone=True)
    assert done.value.code == 0
