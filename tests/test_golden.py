"""Every condition command in every format prints exactly the reviewed output kept in tests/golden/ (ring 3).

The commands and formats are discovered from the app, so a new one fails here until its files exist:
`PYTHONPATH=src python -m tests.test_golden` writes the missing files only. After a deliberate change of output,
add `--rewrite` to rewrite them all, and review the diff before committing it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from .app_commands import CONDITION, SAMPLES, AppCommand, condition_commands
from .conftest import FIXTURES, OTHER, other_warnings, run

GOLDEN = Path(__file__).resolve().parent / "golden"
BARE = FIXTURES / "bare_condition.yaml"
OUTCOMES = FIXTURES / "outcome_condition.yaml"  # the same records with outcomes curated as numbers
EXTENSION = {"table": "txt", "markdown": "md"}  # any other format's file ends in its own name


def _command_line(command: AppCommand, data: str) -> list[str] | None:
    """Return the command with its required arguments on a dataset, or None when one has no sample there."""
    # The bare condition has no records, so a command that needs one has no case there.
    arguments = command.arguments(SAMPLES[data])
    return None if arguments is None else [command.name, *arguments]


def _cases(data: str, path: Path) -> list[tuple[str, Path, list[str], str]]:
    """Return every case on one dataset: each condition command that has a sample there, in each of its formats."""
    return [(SAMPLES[data][CONDITION], path, line, fmt) for command in DISCOVERED
            if (line := _command_line(command, data)) is not None for fmt in command.formats()]


DISCOVERED = condition_commands()


def _cases(data: str, path: Path) -> list[tuple[str, Path, list[str], str]]:
    """Return every case on one dataset: each command that has its samples there, in each of its own formats."""
    return [(SAMPLES[data][CONDITION], path, line, fmt) for command in DISCOVERED
            if (line := _command_line(command, data)) is not None for fmt in command.formats()]


COMMANDS = [line for command in DISCOVERED if (line := _command_line(command, "other")) is not None]
CASES = _cases("other", OTHER) + _cases("outcomes", OUTCOMES) + _cases("bare", BARE)


def golden_path(condition: str, command: list[str], fmt: str) -> Path:
    """Return the file that holds one case's expected output."""
    return GOLDEN / f"{condition}-{command[0]}.{EXTENSION.get(fmt, fmt)}"


def output(condition: str, data: Path, command: list[str], fmt: str) -> str:
    """Run one case through the real app at 100 columns; it must succeed, with only its data's warning on stderr."""
    result = run(condition, *command, "--data", str(data), "--format", fmt, env={"COLUMNS": "100"})
    warnings = other_warnings(data) if data == OTHER else ""
    if data == OUTCOMES:
        warnings = f"{data}: $.claims[1] (line 47): warning: claim 'cure' has no supporting study\n"
    assert (result.exit_code, result.stderr) == (0, warnings), result.stderr
    return result.stdout


@pytest.mark.parametrize(("condition", "data", "command", "fmt"), CASES,
                         ids=[f"{c}-{cmd[0]}-{fmt}" for c, _d, cmd, fmt in CASES])
def test_the_output_is_exactly_the_reviewed_one(condition: str, data: Path, command: list[str], fmt: str) -> None:
    expected = golden_path(condition, command, fmt).read_text(encoding="utf-8")
    assert output(condition, data, command, fmt) == expected


def test_every_condition_command_has_cases_on_the_second_dataset() -> None:
    assert [line[0] for line in COMMANDS] == [command.name for command in DISCOVERED]
    assert len(COMMANDS) >= 9


def test_every_golden_file_belongs_to_a_case() -> None:
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(golden_path(c, cmd, f).name for c, _d, cmd, f in CASES)


if __name__ == "__main__":
    # Only the cases without a file, unless asked to rewrite every file after a deliberate change of output.
    os.environ.setdefault("STEMCELL_NO_CACHE", "1")
    GOLDEN.mkdir(exist_ok=True)
    everything = sys.argv[1:] == ["--rewrite"]
    written = 0
    for case in CASES:
        path = golden_path(case[0], case[2], case[3])
        if everything or not path.exists():
            path.write_text(output(*case), encoding="utf-8")
            written += 1
    sys.stdout.write(f"wrote {written} of {len(CASES)} files to {GOLDEN}\n")
