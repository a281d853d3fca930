"""The Summary of Findings as users open it: Markdown through a CommonMark/GFM parser, CSV through Python's (ring 3)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from markdown_it import MarkdownIt

from .conftest import FIXTURES, run

OUTCOMES = FIXTURES / "outcome_condition.yaml"
HOSTILE = "Pain | score *bold* <b>x</b> `code` [link](javascript:alert(1))"


def _hostile_copy(tmp_path: Path) -> Path:
    """Return the outcome fixture with markup traps in an outcome's name."""
    path = tmp_path / "hostile.yaml"
    path.write_text(OUTCOMES.read_text(encoding="utf-8").replace("name: Pain score", f"name: {json.dumps(HOSTILE)}"),
                    encoding="utf-8")
    return path


def _cells(markdown: str) -> list[list[str]]:
    """Return the cells of every table row, as a GFM parser reads them."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    rows: list[list[str]] = []
    for index, token in enumerate(tokens):
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and tokens[index - 1].type in ("th_open", "td_open"):
            rows[-1].append("".join(child.content for child in token.children or []))
    return rows


def test_the_markdown_table_parses_back_with_hostile_text_kept_as_text(tmp_path: Path) -> None:
    data = _hostile_copy(tmp_path)
    result = run("gdg", "sof", "--data", str(data), "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    rows = _cells(result.stdout)
    assert rows[0] == ["Outcome (importance)", "Participants (studies)", "Certainty", "Relative effect (95% CI)",
                       "Risk with comparator", "Risk with intervention", "Difference (95% CI)", "Statement"]
    assert [row[0] for row in rows[1:3]] == ["Pain response (6 months; critical)",
                                            f"{HOSTILE} (6 months; important)"]
    assert rows[1][3:7] == ["RR 1.32 (0.09 to 18.54)", "475 per 1000", "627 per 1000",
                            "152 more per 1000 (from 430 fewer to 525 more)"]
    # No data text becomes a link, a tag or emphasis: the one link is the threshold's curated source.
    html = MarkdownIt("commonmark").enable("table").render(result.stdout)
    assert re.findall(r"<a [^>]*>", html) == ['<a href="https://example.org/source">']
    assert "<b>" not in html
    assert "<em>" not in html


def test_the_csv_reads_back_one_row_per_outcome_row(tmp_path: Path) -> None:
    result = run("gdg", "sof", "--data", str(_hostile_copy(tmp_path)), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    read = list(csv.reader(io.StringIO(result.stdout, newline=""), strict=True))
    # Computed estimates keep their full precision in the machine formats (3.0 - 4.1 in binary floating point).
    assert [(r[0], r[1], r[8], r[9]) for r in read[1:]] == [
        ("pain_response", "Pain response", "RR", "1.3190764433722864"),
        ("pain_score", HOSTILE, "MD", "-1.0999999999999996")]
