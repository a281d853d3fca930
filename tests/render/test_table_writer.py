"""The package's own grid writer draws what rich's Table draws for the same rows and widths, framed or not."""

from __future__ import annotations

import io

import pytest
from rich import box
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from stemcell_cli.render.blocks import Document, Table
from stemcell_cli.render.table_format import _grid, _Writer, to_table

ROWS = (("c1", "Widgetitis is cured in most patients who take it", "very uncertain\n⊕◯◯◯"),
        ("claim-two", "Short words", "not checkable\n-"))


def _rich(block: Table, widths: list[int], frame: box.Box) -> list[str]:
    """Return the lines rich draws for the table at these column widths."""
    console = Console(file=io.StringIO(), width=200, color_system=None, force_terminal=False, legacy_windows=False)
    table = RichTable(title=Text(block.title, style="bold") if block.title else None, box=frame,
                      show_lines=block.separators, title_justify="left", show_edge=block.edge)
    for index, column in enumerate(block.columns):
        table.add_column(Text(column, style="bold"), overflow="fold", no_wrap=index not in (block.wrap or ()),
                         width=widths[index])
    for row in block.rows:
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)
    output = console.file
    assert isinstance(output, io.StringIO)
    return [line.rstrip(" ") for line in output.getvalue().split("\n")[:-1]]


@pytest.mark.parametrize("edge", [True, False])
@pytest.mark.parametrize("separators", [True, False])
@pytest.mark.parametrize("title", [None, "What the page claims"])
@pytest.mark.parametrize("frame", [box.ROUNDED, box.ASCII])
def test_the_grid_is_rich_s_table_byte_for_byte(edge: bool, separators: bool, title: str | None,
                                                  frame: box.Box) -> None:
    block = Table(("Claim", "What the page says", "Verdict, certainty"), ROWS, title, (1,), (), separators,
                  edge=edge)
    widths = [9, 20, 18]  # the identifier columns at their natural width, as the layout gives them
    drawn = [line.rstrip(" ") for line in _grid(_Writer(ascii_only=False), frame, block, widths)]
    assert drawn == _rich(block, widths, frame)


def test_a_table_without_edge_has_no_top_or_bottom_frame_and_no_outer_verticals() -> None:
    block = Table(("Claim", "Verdict"), (("c1", "supported"),), wrap=(1,), separators=False, edge=False)
    assert to_table(Document("T", (block,)), color=False, width=80) == (
        "T\n"
        " Claim │ Verdict\n"
        "───────┼───────────\n"
        " c1    │ supported\n")
