"""Every condition's summary fits one screen in a real terminal: 40 lines at 80 columns, 30 at 100 (ring 3).

The conditions come from the data, so a condition added to it is measured too; a generated condition of fifteen
claims with long words, pages and controlled trials stands for the ones to come.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from stemcell_cli import api

from .conftest import SHIPPED
from .reliability.helpers import subprocess_env

SCREENS = ((80, 40), (100, 30))
CONDITIONS = [row.condition.id for row in api.load(SHIPPED, use_cache=False).conditions().conditions]
LONG_WORDS = ("Patients treated with our proprietary stem cell protocol experienced dramatic, lasting and clinically "
              "significant improvements in every measure of their disease, with no side effects whatsoever, as "
              "confirmed by several peer-reviewed studies published in leading international journals")


def generated(tmp_path: Path) -> Path:
    """Write a condition of fifteen claims whose page words are long, with pages, trials and controlled studies."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    try:
        from benchmarks.generate import dataset_text
    finally:
        sys.path.pop(0)
    text = re.sub(r'text: "Stem cells improve ([a-z ]+)"', lambda m: f"text: {json.dumps(f'{LONG_WORDS} ({m[1]}).')}",
                  dataset_text(150, 1))
    path = tmp_path / "fifteen.yaml"
    path.write_text(text, encoding="utf-8")
    assert api.load(path, use_cache=False).summary("lupus").claims.__len__() == 15
    return path


def on_terminal(columns: int, *args: str) -> str:
    """Run stemcell with stdout on a pseudo-terminal of this many columns and return what the terminal got."""
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = subprocess_env(COLUMNS=str(columns), NO_COLOR="1")
    process = subprocess.Popen([sys.executable, "-m", "stemcell_cli", *args], stdout=follower,
                               stderr=subprocess.DEVNULL, env=env)
    os.close(follower)
    shown = b""
    try:
        while chunk := os.read(leader, 65536):
            shown += chunk
    except OSError:  # Linux says EIO once the last writer has closed the terminal
        pass
    finally:
        os.close(leader)
    assert process.wait(timeout=60) == 0
    return shown.decode("utf-8")


def assert_fits(text: str, columns: int, lines: int) -> None:
    """Assert that a terminal's text has at most `lines` lines, none wider than the terminal."""
    shown = text.split("\r\n")
    assert shown[-1] == ""
    assert len(shown) - 1 <= lines, f"{len(shown) - 1} lines at {columns} columns:\n{text}"
    assert max(len(line) for line in shown) <= columns


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize(("columns", "lines"), SCREENS)
@pytest.mark.parametrize("condition", CONDITIONS)
def test_each_condition_summary_fits_one_screen_on_a_real_terminal(condition: str, columns: int, lines: int) -> None:
    shown = on_terminal(columns, condition, "summary", "--data", str(SHIPPED))
    name = api.load(SHIPPED, use_cache=False).summary(condition).condition.name
    assert shown.startswith(f"{name}: what the curated evidence shows\r\n")
    assert_fits(shown, columns, lines)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize(("columns", "lines"), SCREENS)
def test_a_condition_of_fifteen_long_claims_fits_one_screen(tmp_path: Path, columns: int, lines: int) -> None:
    shown = on_terminal(columns, "lupus", "summary", "--data", str(generated(tmp_path)))
    assert_fits(shown, columns, lines)
    # Each claim keeps its row, its page's words cut at a word with the mark that more follows.
    rows = [line for line in shown.split("\r\n") if re.match(r" lupus-claim\d+ ", line)]
    assert len(rows) == 15
    assert all("Patients treated with our" in row and "…" in row for row in rows)
