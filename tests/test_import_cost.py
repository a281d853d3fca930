"""Each command works in a fresh interpreter, where nothing is imported before the run (subprocesses).

In-process tests run with every module already imported, so a command that imports a module late (the formats,
the loader, the arithmetic of effects) could lose an import there unseen. What each run imports, builds and freezes
is a matter of speed and is checked by the benchmark (`benchmarks/run.py --checks`), not here.
"""

from __future__ import annotations

import pytest

from stemcell_cli.render import RECORD_FORMATS, OutputFormat

from .app_commands import SAMPLES, AppCommand, app_commands
from .conftest import OTHER, other_warnings
from .reliability.helpers import run_process

# validate's PATH and diff's OLD and NEW are files: the synthetic dataset, the one every other command reads with
# --data (diff of a file with itself exits 0).
GIVEN = {**SAMPLES["other"], "path": str(OTHER), "old": str(OTHER), "new": str(OTHER)}


def _line(command: AppCommand, fmt: str | None) -> list[str]:
    """Return a command line that runs the command on the second dataset, in one of its formats."""
    arguments = command.arguments(GIVEN)
    if arguments is None:
        pytest.fail(f"add a sample value of each argument of `{' '.join(command.words)}` to SAMPLES")
    line = [*command.words_on("other"), *arguments]
    if command.has("data"):
        line += ["--data", str(OTHER)]
    if fmt is not None and command.has("fmt"):
        # A command whose formats are others (cite's) runs in its first.
        line += ["--format", fmt if fmt in command.formats() else command.formats()[0]]
    return line


COMMANDS = app_commands()
# Every command once (JSON where it has formats), one condition command in every format, and every command's help
# (which builds each command of its group).
LINES = ([_line(command, OutputFormat.JSON.value if OutputFormat.JSON.value in command.formats()
                else (command.formats() or [None])[0]) for command in COMMANDS]
         + [_line(command, fmt.value) for command in COMMANDS if command.on_condition and command.name == "summary"
            for fmt in RECORD_FORMATS if fmt is not OutputFormat.JSON]
         + [["--help"]] + [[*command.words_on("other"), "--help"] for command in COMMANDS])


def test_the_lines_cover_every_command_and_format() -> None:
    assert len(COMMANDS) >= 13
    runs = [line for line in LINES if line[-1] != "--help"]
    assert {line[1] if line[0] == "wdg" else line[0] for line in runs} == {command.name for command in COMMANDS}
    assert {line[-1] for line in LINES if line[:2] == ["wdg", "summary"] and "--format" in line} == {
        fmt.value for fmt in RECORD_FORMATS}
    assert {tuple(line[:-1]) for line in LINES if line[-1] == "--help"} == {
        (), *(tuple(command.words_on("other")) for command in COMMANDS)}


@pytest.mark.parametrize("line", LINES, ids=" ".join)
def test_every_command_runs_in_a_fresh_interpreter(line: list[str]) -> None:
    done = run_process(*line, timeout=60)
    # The synthetic dataset carries one warning, which every command that loads it with --data shows.
    assert (done.returncode, done.stderr.decode()) == (0, other_warnings() if "--data" in line else "")
    assert done.stdout.strip()
