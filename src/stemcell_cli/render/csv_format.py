"""CSV output: stable columns, RFC 4180 quoting, control characters shown escaped, no cell run as a formula."""

from __future__ import annotations

import csv
import io

from stemcell_cli.render.safe_text import inert_cell, safe


def _cell(value: object) -> str:
    """Return a cell as text; None is an empty cell."""
    if value is None:
        return ""
    return inert_cell(safe(str(value)))


def to_csv(columns: tuple[str, ...], rows: list[tuple[object, ...]]) -> str:
    """Return a header line and one line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buffer.getvalue()
