"""Terminal tables with rich: data is plain Text (never markup), cells fold rather than truncate."""

from __future__ import annotations

import io
import re

from rich import box
from rich.console import Console
from rich.style import Style
from rich.table import Table as RichTable
from rich.text import Text

from stemcell_cli.render.document import Document, Fields, Heading, Paragraph, Table
from stemcell_cli.render.forest import Forest, layout
from stemcell_cli.render.labels import shortened
from stemcell_cli.render.safe_text import safe

MIN_WIDTH = 20
# Below this many characters per column a table is unreadable (and below one, rich drops the text), so the
# rows are printed one field per line instead.
MIN_CELL = 6
# A wrapping column narrower than this reads badly: below it every column wraps instead.
MIN_FREE = 16
_CELL_FRAME = 3
_LINK = re.compile(r"^https?://[!-~]+$")
_ASCII_FOLD = str.maketrans({
    "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "—": "-", "–": "-", "…": "...", "×": "x", "≥": ">=",
    "≤": "<=", "±": "+/-", "\u00a0": " ", "•": "*", "→": "->", "⊕": "+", "◯": "o",
})


class _Writer:
    """Turns data strings into literal rich Text for one output: escaped, and ASCII-only when asked."""

    def __init__(self, *, ascii_only: bool) -> None:
        self.ascii_only = ascii_only

    def plain(self, value: str) -> str:
        """Return data with control characters escaped, and non-ASCII escaped when the stream needs it."""
        text = safe(value)
        if self.ascii_only:
            text = text.translate(_ASCII_FOLD).encode("ascii", "backslashreplace").decode("ascii")
        return text

    def text(self, value: str, style: str = "", link: str | None = None) -> Text:
        """Return data as literal rich Text, with a link only to a plain http(s) URL."""
        text = Text(self.plain(value), style=style)
        if link and _LINK.match(link):
            text.stylize(Style(link=link))
        return text


def make_console(*, color: bool, width: int) -> Console:
    """Build the one console every table is printed on, writing to a buffer, blind to the environment."""
    return Console(
        file=io.StringIO(),
        width=max(width, MIN_WIDTH),
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
        legacy_windows=False,
        safe_box=True,
        _environ={"TERM": "xterm" if color else "dumb"},
    )


def fits(columns: int, width: int) -> bool:
    """Tell whether a table of this many columns is drawn as a grid at this width (else one field per line)."""
    return max(width, MIN_WIDTH) >= columns * (MIN_CELL + _CELL_FRAME) + 1


def to_table(doc: Document, *, color: bool, width: int, ascii_only: bool = False) -> str:
    """Return the document rendered as terminal text."""
    console = make_console(color=color, width=width)
    out = _Writer(ascii_only=ascii_only)
    frame = box.ASCII if ascii_only else box.ROUNDED
    console.print(out.text(doc.title, "bold"), overflow="fold")
    for block in doc.blocks:
        if isinstance(block, Heading):
            console.print()
            console.print(out.text(block.text, "bold underline"), overflow="fold")
        elif isinstance(block, Paragraph):
            console.print(out.text(block.text), overflow="fold")
        elif isinstance(block, Fields):
            grid = RichTable.grid(padding=(0, 2))
            grid.add_column(style="bold", no_wrap=False, overflow="fold")
            grid.add_column(overflow="fold")
            for field in block.fields:
                grid.add_row(out.text(field.name, "bold"), out.text(field.value, link=field.link))
            console.print(grid)
        elif isinstance(block, Forest):
            # One print for the whole plot: rich's cost is per call, and a plot has a line per study.
            lines = layout(block, console.width, ascii_only=ascii_only, clean=out.plain)
            console.print(Text("\n".join(lines)), overflow="fold", no_wrap=True)
        elif isinstance(block, Table) and not fits(len(block.columns), console.width):
            _stacked(console, out, block)
        elif isinstance(block, Table):
            wrap = _wrapping(block, console.width)
            table = RichTable(title=out.text(block.title, "bold") if block.title else None, box=frame,
                              show_lines=block.separators, title_justify="left",
                              expand=wrap is not None and _natural(block) > console.width)
            for index, column in enumerate(block.columns):
                free = wrap is None or index in wrap
                table.add_column(out.text(column, "bold"), overflow="fold", no_wrap=not free, ratio=1 if free else None)
            cuts = dict(block.brief)
            for row in block.rows:
                cells = (shortened(cell, cuts[i]) if i in cuts else cell for i, cell in enumerate(row))
                table.add_row(*(out.text(cell) for cell in cells))
            console.print(table)
    output = console.file
    assert isinstance(output, io.StringIO)
    lines = output.getvalue().split("\n")
    return "\n".join(line.rstrip(" ") for line in lines)


def _natural(block: Table) -> int:
    """Return the width a table takes with every cell on one line."""
    return 1 + sum(max(len(line) for cell in (block.columns[i], *(row[i] for row in block.rows))
                       for line in cell.split("\n")) + _CELL_FRAME for i in range(len(block.columns)))


def _wrapping(block: Table, width: int) -> tuple[int, ...] | None:
    """Return the columns that wrap, or None (all wrap) when the whole columns would leave the others too little."""
    if block.wrap is None:
        return None
    whole = sum(max(len(line) for cell in (block.columns[i], *(row[i] for row in block.rows))
                    for line in cell.split("\n")) + _CELL_FRAME
                for i in range(len(block.columns)) if i not in block.wrap)
    spare = width - whole - 1 - _CELL_FRAME * len(block.wrap)
    return block.wrap if spare >= MIN_FREE * len(block.wrap) else None


def _stacked(console: Console, out: _Writer, block: Table) -> None:
    """Print a table too wide for the terminal as one `column: value` line per cell, a rule between rows."""
    if block.title:
        console.print(out.text(block.title, "bold"), overflow="fold")
    rule = ("-" if out.ascii_only else "─") * min(console.width, MIN_WIDTH)
    for row in block.rows:
        console.print(rule)
        for column, cell in zip(block.columns, row, strict=True):
            console.print(Text.assemble(out.text(f"{column}: ", "bold"), out.text(cell)), overflow="fold")
