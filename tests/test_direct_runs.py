"""A plain command line runs without Typer and prints, byte for byte, what the Typer app prints; the rest is Typer's.

Each line runs twice in a real subprocess: through the console entry (`python -m stemcell_cli`, which runs a plain
line directly) and through the Typer app alone. Their stdout, stderr, exit code and written files must be equal.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from stemcell_cli.cli.app import TYPER_COMPLETION_OPTIONS
from stemcell_cli.cli.direct import ROOT_PARAMS, planned

from .app_commands import SAMPLES, AppCommand, app_commands, root
from .conftest import OTHER, ROOT
from .reliability.helpers import subprocess_env

FIXTURES = ROOT / "tests" / "fixtures"
OUTCOMES = FIXTURES / "outcome_condition.yaml"
PAGE = SAMPLES["other"]["page"]
# The Typer app with no direct path before it, as the console script ran it before there was one.
APP = "import sys\nfrom stemcell_cli.cli.app import main\nsys.argv[0] = 'stemcell'\nmain()"
# The console entry, reporting on stderr whether the run imported typer.
ENTRY = ("import sys\nfrom stemcell_cli.cli.entry import main\nsys.argv[0] = 'stemcell'\ntry:\n    main()\n"
         "finally:\n    sys.stderr.write('typer' in sys.modules and '\\nTYPER' or '')")
GIVEN = {**SAMPLES["other"], "path": str(OTHER), "old": str(OTHER), "new": str(OUTCOMES)}


def _base(command: AppCommand) -> list[str]:
    """Return the words, arguments and --data that run a command on the second dataset."""
    arguments = command.arguments(GIVEN)
    assert arguments is not None, command.words
    return [*command.words_on("other"), *arguments, *(["--data", str(OTHER)] if command.has("data") else [])]


def _grid() -> list[list[str]]:
    """Return every command in every format, and each command's own options in its first format."""
    lines = []
    for command in app_commands():
        if command.name in ("help", "completion"):
            continue
        base = _base(command)
        lines += [[*base, "--format", fmt] for fmt in command.formats()] or [base]
        for param in command.params:
            if param.param_type_name != "option" or param.name in {"fmt", "data", "output", "force", "color",
                                                                   "no_cache", "quiet", "no_pager", "emit_yaml"}:
                continue
            value = [] if param.is_flag else [SAMPLES["other"].get(param.name) or str(next(iter(
                param.type_descriptor.annotation)).value)]
            lines.append([*base, param.opts[0], *value, *(["--format", command.formats()[0]] * command.has("fmt"))])
    return lines


GRID = _grid()
# Plain lines in less usual shapes, each run directly.
PLAIN = [
    ["--data", str(OTHER), "-q", "wdg", "summary", "-f", "json"],
    ["--color", "NEVER", "--no-cache", "wdg", "claims", "--data", str(OTHER)],
    ["wdg", "studies", "--format=CSV", "--design", "Single-arm", "--data", str(OTHER)],
    ["wdg", "studies", "--since=1800", "--min-n", "0", "--data", str(OTHER), "-f", "tsv"],
    ["wdg", "effects", "--outcome=", "--hartung-knapp", "--binary", "or", "--data", str(OTHER), "-f", "json"],
    ["--data", str(OTHER), "nosuch", "summary"],
    ["wdg", "claim", "nosuch", "--data", str(OTHER)],
    ["wdg", "study", "10.5555/able.2001", "--data", str(OTHER), "-f", "markdown"],
    ["wdg", "summary", "--data", str(FIXTURES / "missing.yaml")],
    ["validate", str(FIXTURES / "bad_verdict_fields.yaml"), "-f", "json"],
    ["validate", str(OTHER), "--strict"],
    ["diff", str(OTHER), str(OTHER), "-f", "json"],
    ["diff", str(OTHER), str(FIXTURES / "missing.yaml")],
    ["check", PAGE, "--data", str(OTHER), "--condition", "nosuch", "-f", "json"],
    ["find", "nothing-like-this", "--data", str(OTHER)],
    ["schema"],
]
# Lines the parser must read: help, completion, mistakes, and shapes this module leaves to it.
DECLINED = [
    [], ["--help"], ["-h"], ["--version", "wdg"], ["wdg"], ["wdg", "--help"], ["wdg", "summary", "--help"],
    ["wdg", "summary", "-h"], ["summary", "wdg"], ["claims"], ["CONDITION", "summary"], ["-", "summary"],
    ["wdg", "sumary"], ["wdg", "summary", "--formt", "json"], ["wdg", "summary", "-f", "yaml"],
    ["wdg", "summary", "-f"], ["wdg", "summary", "-f", "json", "-f", "csv"], ["wdg", "summary", "-qf", "json"],
    ["wdg", "summary", "-fjson"], ["wdg", "summary", "-f=json"], ["wdg", "summary", "--force=1"],
    ["wdg", "summary", "--", "-f"], ["wdg", "summary", "extra"], ["wdg", "claim"], ["wdg", "claim", "a", "b"],
    ["wdg", "studies", "--since", "1"], ["wdg", "studies", "--min-n", "many"], ["wdg", "studies", "--sort", "-n"],
    ["wdg", "--data", str(OTHER), "summary"], ["--color", "sometimes", "wdg", "summary"], ["--data"],
    ["help"], ["help", "summary"], ["completion", "bash"], ["validate", "a", "b"], ["diff", str(OTHER)],
    ["check"], ["wdg", "summary", "-o", "-x"],
]


def _run(code: str, line: list[str], cwd: Path, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """Run Python code as the command line's program in a fresh interpreter."""
    return subprocess.run([sys.executable, "-c", code, *line], input=stdin, capture_output=True, cwd=cwd,
                          env=subprocess_env(COLUMNS="100"), timeout=60, check=False)


def _same(line: list[str], tmp_path: Path, *, direct: bool, stdin: bytes = b"") -> None:
    """Assert that the entry and the Typer app give the same bytes and exit code, and that typer ran or not."""
    (tmp_path / "entry").mkdir(parents=True)
    (tmp_path / "app").mkdir()
    entry = _run(ENTRY, line, tmp_path / "entry", stdin)
    app = _run(APP, line, tmp_path / "app", stdin)
    imported_typer = entry.stderr.endswith(b"\nTYPER")
    assert imported_typer is not direct, entry.stderr
    assert (entry.returncode, entry.stdout, entry.stderr.removesuffix(b"\nTYPER")) == (
        app.returncode, app.stdout, app.stderr)
    written = {path.name: path.read_bytes() for path in (tmp_path / "entry").iterdir()}
    assert written == {path.name: path.read_bytes() for path in (tmp_path / "app").iterdir()}


def test_the_grid_covers_every_command_that_may_run_directly_in_every_format() -> None:
    assert {line[1] if line[0] == "wdg" else line[0] for line in GRID} == {
        command.name for command in app_commands()} - {"help", "completion"}
    assert len(GRID) >= 60
    assert all(planned(line) is not None for line in GRID + PLAIN)


@pytest.mark.parametrize("line", DECLINED, ids=" ".join)
def test_help_completion_mistakes_and_unusual_shapes_are_left_to_the_parser(line: list[str]) -> None:
    assert planned(line) is None


def test_a_completion_request_is_left_to_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    line = ["wdg", "summary", "--data", str(OTHER)]
    assert planned(line) is not None
    monkeypatch.setenv("_STEMCELL_COMPLETE", "bash_complete")
    assert planned(line) is None


def test_a_plain_line_is_read_as_the_parser_reads_it() -> None:
    from stemcell_cli.api import Design, SortKey
    from stemcell_cli.render import ColorMode, RecordFormat

    plan = planned(["--color", "NEVER", "-q", "wdg", "studies", "--design", "single arm", "--since=2001",
                    "-f", "CSV", "--data", "-"])
    assert plan is not None
    assert (plan.command.name, plan.before.condition, plan.before.color, plan.before.quiet, plan.before.data) == (
        "studies", "wdg", ColorMode.NEVER, True, None)
    assert plan.values == {"design": Design.SINGLE_ARM, "since": 2001, "min_n": None, "sort": SortKey.YEAR,
                           "fmt": RecordFormat.CSV, "data": "-", "output": None, "force": False,
                           "color": ColorMode.AUTO, "no_cache": False, "quiet": False}


def test_the_root_options_read_directly_are_the_apps() -> None:
    # The app's root also has --version (answered before either path) and help; Typer's completion options are
    # taken off it when it runs.
    typer_root = {param.name: tuple(param.opts) for param in root().params
                  if param.name not in {"version", "help", *TYPER_COMPLETION_OPTIONS}}
    assert typer_root == {param.name: param.declared.decls for param in ROOT_PARAMS}


@pytest.mark.parametrize("line", GRID + PLAIN, ids=" ".join)
def test_a_plain_line_prints_what_the_app_prints(line: list[str], tmp_path: Path) -> None:
    _same(line, tmp_path, direct=True)


@pytest.mark.parametrize("line", DECLINED[:12], ids=" ".join)
def test_a_declined_line_is_the_apps_own_run(line: list[str], tmp_path: Path) -> None:
    _same(line, tmp_path, direct=False)


def test_standard_input_and_written_files_are_the_same_both_ways(tmp_path: Path) -> None:
    text = OTHER.read_bytes()
    _same(["wdg", "claims", "--data", "-", "-f", "json", "-o", "claims.json"], tmp_path / "a", direct=True,
          stdin=text)
    _same(["check", "-", "--data", str(OTHER), "-f", "markdown", "--emit-yaml", "stubs.yaml"], tmp_path / "b",
          direct=True, stdin=Path(PAGE).read_bytes())


def test_the_boundary_turns_an_interrupt_into_130_and_a_closed_input_into_one_error_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    from stemcell_cli.cli.boundary import contained, guarded

    def interrupted() -> int:
        raise KeyboardInterrupt

    def closed_input() -> int:
        raise EOFError

    # What Typer gives for both, which a line run without it must give too.
    assert contained(lambda: guarded(interrupted)) == 130
    assert capsys.readouterr().err == ""
    assert contained(lambda: guarded(closed_input)) == 1
    assert capsys.readouterr().err == "error: aborted\n"
