"""Helpers for the reliability suite: running the CLI in and out of process, and reading its output."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from typer.testing import Result

from tests.conftest import OTHER, after_warnings, other_warnings, run

__all__ = ["OTHER", "after_warnings", "other_warnings", "run"]

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
REPO = HERE.parents[1]
SRC = REPO / "src"
# SGR colour codes are the tool's own; OSC 8 hyperlinks to http(s) URLs are its own too (DOI and PubMed links).
OWN_ESCAPES = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b\x07]*;(https?://[!-~]*)?\x1b\\")
RAW_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
COUNT_LINE = r"\d+ errors?, \d+ warnings?"


def foreign_escapes(text: str) -> list[str]:
    """Return every escape sequence or raw control character that is not the tool's own colour or link."""
    rest = OWN_ESCAPES.sub("", text)
    return RAW_CONTROLS.findall(rest.replace("\n", "").replace("\t", ""))


def assert_refused(result: Result, located: str, *, code: int = 1) -> None:
    """Assert a user error: the exit code, nothing on stdout, no traceback, the located line, then the count."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert re.fullmatch(located, lines[0]), lines
    assert re.fullmatch(rf".*: {COUNT_LINE}", lines[-1]), lines


def subprocess_env(**extra: str) -> dict[str, str]:
    """Return an environment for a real `python -m stemcell_cli`: this checkout's src first, no user settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("STEMCELL_") and k not in {"NO_COLOR", "FORCE_COLOR", "COLUMNS", "TERM"}}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH", "")) if p)
    env["PYTHONIOENCODING"] = "utf-8"
    env["STEMCELL_NO_CACHE"] = "1"  # never write a parse cache into the home of whoever runs the tests
    env.update(extra)
    return env


def run_process(*args: str, timeout: float = 30, **env: str) -> subprocess.CompletedProcess[bytes]:
    """Run the CLI in a real subprocess and return its bytes."""
    return subprocess.run([sys.executable, "-m", "stemcell_cli", *args], capture_output=True, timeout=timeout,
                          env=subprocess_env(**env), check=False)


def table_cells(text: str) -> list[list[str]]:
    """Return the cells of every rich table in a terminal rendering, each with its folded pieces joined."""
    rows: list[list[str]] = []
    current: list[str] | None = None
    # A line that starts with a bar is a table row only inside a table: right after a border or another row (a
    # stacked table's cell text may itself start with "|").
    inside = False
    for line in text.splitlines():
        if line.startswith(("╭", "├", "+", "|-", "╰")):
            if current is not None:
                rows.append(current)
            current = None
            inside = not line.startswith("╰")
            continue
        if not (inside and line.startswith(("│", "|"))):
            inside = False
            continue
        if line.startswith(("│", "|")):
            parts = line[1:].rstrip("│|").split("│" if line.startswith("│") else "|")
            if current is None:
                current = ["" for _ in parts]
            for index, part in enumerate(parts):
                current[index] += part.strip()
    return rows


def squash(text: str) -> str:
    """Remove all whitespace, for comparing folded text."""
    return re.sub(r"\s+", "", text)
