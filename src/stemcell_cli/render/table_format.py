"""Terminal tables with rich: data is plain Text (never markup), cells fold rather than truncate."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from stemcell_cli.render.document import Document, Fields, Heading, Paragraph, Table
from stemcell_cli.render.safe_text import safe


def _text(value: str, style: str = "", link: str | None = None) -> Text:
    """Return data as literal rich Text, control characters escaped."""
    text = Text(safe(value), style=style)
    if link:
        text.stylize(f"link {link}")
    return text


def make_console(*, color: bool, width: int) -> Console:
    """Build the one console every table is printed on, writing to a buffer, blind to the environment."""
    return Console(
        file=io.StringIO(),
        width=max(width, 20),
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


def to_table(doc: Document, *, color: bool, width: int, ascii_only: bool = False) -> str:
    """Return the document rendered as terminal text."""
    console = make_console(color=color, width=width)
    frame = box.ASCII if ascii_only else box.ROUNDED
    console.print(_text(doc.title, "bold"))
    for block in doc.blocks:
        if isinstance(block, Heading):
            console.print()
            console.print(_text(block.text, "bold underline"))
        elif isinstance(block, Paragraph):
            console.print(_text(block.text), overflow="fold")
        elif isinstance(block, Fields):
            grid = RichTable.grid(padding=(0, 2))
            grid.add_column(style="bold", no_wrap=False, overflow="fold")
            grid.add_column(overflow="fold")
            for field in block.fields:
                grid.add_row(_text(field.name, "bold"), _text(field.value, link=field.link))
            console.print(grid)
        elif isinstance(block, Table):
            table = RichTable(title=_text(block.title, "bold") if block.title else None, box=frame,
                              show_lines=True, title_justify="left", expand=False)
            for column in block.columns:
                table.add_column(_text(column, "bold"), overflow="fold")
            for row in block.rows:
                table.add_row(*(_text(cell) for cell in row))
            console.print(table)
    output = console.file
    assert isinstance(output, io.StringIO)
    return output.getvalue()
