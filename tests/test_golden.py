"""Every condition command in every format prints exactly the reviewed output kept in tests/golden/ (ring 3).

After a deliberate change of output, rewrite the files with `PYTHONPATH=src python -m tests.test_golden` and
review the diff before committing it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, OTHER, run

GOLDEN = Path(__file__).resolve().parent / "golden"
BARE = FIXTURES / "bare_condition.yaml"
FORMATS = ["table", "json", "csv", "markdown", "tsv"]
COMMANDS = [["summary"], ["claims"], ["contrasts"], ["studies"], ["study", "able2001"], ["trials"], ["overview"],
            ["claim", "pain"], ["effects"]]
CASES = ([("wdg", OTHER, command, fmt) for command in COMMANDS for fmt in FORMATS]
         + [("bare", BARE, command, fmt) for command in COMMANDS if command[0] not in ("study", "claim")
            for fmt in FORMATS])
EXTENSION = {"table": "txt", "json": "json", "csv": "csv", "markdown": "md", "tsv": "tsv"}


def golden_path(condition: str, command: list[str], fmt: str) -> Path:
    """Return the file that holds one case's expected output."""
    return GOLDEN / f"{condition}-{command[0]}.{EXTENSION[fmt]}"


def output(condition: str, data: Path, command: list[str], fmt: str) -> str:
    """Run one case through the real app at 100 columns; it must succeed silently on stderr."""
    result = run(condition, *command, "--data", str(data), "--format", fmt, env={"COLUMNS": "100"})
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    return result.stdout


@pytest.mark.parametrize(("condition", "data", "command", "fmt"), CASES,
                         ids=[f"{c}-{cmd[0]}-{fmt}" for c, _d, cmd, fmt in CASES])
def test_the_output_is_exactly_the_reviewed_one(condition: str, data: Path, command: list[str], fmt: str) -> None:
    expected = golden_path(condition, command, fmt).read_text(encoding="utf-8")
    assert output(condition, data, command, fmt) == expected


def test_every_golden_file_belongs_to_a_case() -> None:
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(golden_path(c, cmd, f).name for c, _d, cmd, f in CASES)


if __name__ == "__main__":
    os.environ.setdefault("STEMCELL_NO_CACHE", "1")
    GOLDEN.mkdir(exist_ok=True)
    for case in CASES:
        golden_path(case[0], case[2], case[3]).write_text(output(*case), encoding="utf-8")
    sys.stdout.write(f"wrote {len(CASES)} files to {GOLDEN}\n")
