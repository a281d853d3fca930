r"""TSV output for pipes: one record per line, a header line, cells escaped so nothing breaks a record.

The escapes are those of linear TSV (PostgreSQL's text COPY format): `\t`, `\n`, `\r` and `\\` for tab,
newline, carriage return and backslash; other control characters are written as `\x1b` or `\u202e`. A text cell
a spreadsheet would run as a formula (first character `=`, `+`, `-` or `@`, and not a number) starts with `'`.
"""

from __future__ import annotations

from stemcell_cli.render.safe_text import inert_cell, safe

_LAYOUT = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _cell(value: object) -> str:
    """Return one cell: None is empty, and the text is escaped and cannot start a formula."""
    if value is None:
        return ""
    return inert_cell(safe(str(value).translate(_LAYOUT)))


def to_tsv(columns: tuple[str, ...], rows: list[tuple[object, ...]]) -> str:
    """Return a header line and one line per row, cells separated by tabs."""
    return "".join("\t".join(_cell(v) for v in row) + "\n" for row in [columns, *rows])
