"""Each command works in a fresh interpreter, where nothing is imported before the run (subprocesses).

In-process tests run with every module already imported, so a command that imports a module late (the formats,
the loader, the arithmetic of effects) could lose an import there unseen. What each run imports, builds and freezes
is a matter of speed and is checked by the benchmark (`benchmarks/run.py --checks`), not here.
"""

from __future__ import annotations

from typing import Any

import pytest
import typer

from stemcell_cli.cli.app import app
from stemcell_cli.render import OutputFormat

from .conftest import OTHER, other_warnings
from .reliability.helpers import run_process

# Arguments no type gives, by parameter name; they name records of the synthetic second dataset.
SAMPLES = {"study_id": "able2001", "claim_id": "pain", "command": "summary", "path": str(OTHER), "shell": "bash"}
WORDS = {"CONDITION": "wdg"}


def _commands() -> list[tuple[tuple[str, ...], Any]]:
    """Return each runnable command of the app by the words that reach it."""
    found: list[tuple[tuple[str, ...], Any]] = []

    def walk(group: Any, words: tuple[str, ...]) -> None:
        for name in list(group.commands):
            command = group.commands[name]
            if hasattr(command, "commands"):
                walk(command, (*words, WORDS.get(name, name)))
            else:
                found.append(((*words, name), command))

    walk(typer.main.get_command(app), ())
    return found


def _line(words: tuple[str, ...], command: Any, fmt: str | None) -> list[str]:
    """Return a command line that runs the command on the second dataset, in one of its formats."""
    line = list(words)
    names = {param.name for param in command.params}
    for param in command.params:
        if param.param_type_name == "argument" and (param.required or param.name in SAMPLES):
            if param.name not in SAMPLES:
                pytest.fail(f"add a sample value of {param.name} of `{' '.join(words)}` to SAMPLES")
            line.append(SAMPLES[param.name])
    if "data" in names:
        line += ["--data", str(OTHER)]
    if fmt is not None and "fmt" in names:
        line += ["--format", fmt]
    return line


COMMANDS = _commands()
# Every command once (JSON where it has formats), one condition command in every format, and every command's help
# (which builds each command of its group).
LINES = ([_line(words, command, OutputFormat.JSON.value) for words, command in COMMANDS]
         + [_line(words, command, fmt.value) for words, command in COMMANDS if words[1:] == ("summary",)
            for fmt in OutputFormat if fmt is not OutputFormat.JSON]
         + [["--help"]] + [[*words, "--help"] for words, _command in COMMANDS])


def test_the_lines_cover_every_command_and_format() -> None:
    assert len(COMMANDS) >= 13
    runs = [line for line in LINES if line[-1] != "--help"]
    assert {line[1] if line[0] == "wdg" else line[0] for line in runs} == {words[-1] for words, _c in COMMANDS}
    assert {line[-1] for line in LINES if line[:2] == ["wdg", "summary"] and "--format" in line} == {
        fmt.value for fmt in OutputFormat}
    assert {tuple(line[:-1]) for line in LINES if line[-1] == "--help"} == {(), *(words for words, _c in COMMANDS)}


@pytest.mark.parametrize("line", LINES, ids=" ".join)
def test_every_command_runs_in_a_fresh_interpreter(line: list[str]) -> None:
    done = run_process(*line, timeout=60)
    # The synthetic dataset carries one warning, which every command that loads it shows.
    assert (done.returncode, done.stderr.decode()) == (0, other_warnings() if "--data" in line else "")
    assert done.stdout.strip()
