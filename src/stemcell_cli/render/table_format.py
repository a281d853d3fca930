"""Terminal tables with rich: data is plain Text (never markup), cells wrap between words, identifiers stay whole."""

from __future__ import annotations

import io
import itertools
import re

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.table import Table as RichTable
from rich.text import Text

from stemcell_cli.errors import assert_never
from stemcell_cli.render.blocks import Document, Fields, Heading, Paragraph, Table
from stemcell_cli.render.forest import Forest, layout
from stemcell_cli.render.labels import design_names, shortened
from stemcell_cli.render.safe_text import safe

MIN_WIDTH = 20
# Below this many characters per column a table is unreadable (and below one, rich drops the text), so the
# rows are printed one field per line instead.
MIN_CELL = 6
# A free-text column narrower than this reads badly: it gets this much where the identifier columns leave it.
MIN_FREE = 16
_CELL_FRAME = 3
# Nothing printed here is cut or paged to a height; rich needs one to take the width as given.
CONSOLE_LINES = 25
_SPACE = re.compile(r"\s")
_LINK = re.compile(r"^https?://[!-~]+$")
_URL = re.compile(r"https?://\S+")
# Select Graphic Rendition: colour and weight. Everything else rich writes here is a link (OSC 8).
_SGR = re.compile(r"\x1b\[[0-9;]*m")
# A word is what a line never breaks: a design name of several words counts as one.
_PHRASES = "|".join(re.escape(name) for name in sorted(design_names(), key=len, reverse=True) if " " in name)
_WORD = re.compile(rf"\s*(?:\S*?(?:{_PHRASES})\S*|\S+)\s*")
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
    # Each setting rich would otherwise read from the environment is given, so none of COLUMNS, LINES, TERM, NO_COLOR,
    # FORCE_COLOR, TTY_COMPATIBLE, TTY_INTERACTIVE or JUPYTER_* applies here (terminal.py decides from them). The
    # height matters too: without one, TERM=dumb on a forced terminal replaces the width with 80.
    return Console(
        file=io.StringIO(),
        width=max(width, MIN_WIDTH),
        height=CONSOLE_LINES,
        force_terminal=color,
        force_jupyter=False,
        force_interactive=False,
        color_system="standard" if color else None,
        no_color=not color,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
        legacy_windows=False,
        safe_box=True,
    )


def fits(columns: int, width: int) -> bool:
    """Tell whether a table of this many columns is drawn as a grid at this width (else one field per line)."""
    return max(width, MIN_WIDTH) >= columns * (MIN_CELL + _CELL_FRAME) + 1


def to_table(doc: Document, *, color: bool, width: int, ascii_only: bool = False, links: bool = False) -> str:
    """Return the document rendered as terminal text; with links but no colour, only the links' escapes stay."""
    console = make_console(color=color or links, width=width)
    out = _Writer(ascii_only=ascii_only)
    frame = box.ASCII if ascii_only else box.ROUNDED
    # Numbered URLs under the tables too narrow to show them whole, one number per URL in the whole document.
    notes: dict[str, int] = {}
    _print_words(console, out.text(doc.title, "bold"))
    for block in doc.blocks:
        match block:
            case Heading():
                console.print()
                _print_words(console, out.text(block.text, "bold underline"))
            case Paragraph():
                _print_words(console, out.text(block.text))
            case Fields():
                _print_fields(console, out, block)
            case Forest():
                # One print for the whole plot: rich's cost is per call, and a plot has a line per study.
                lines = layout(block, console.width, ascii_only=ascii_only, clean=out.plain)
                console.print(Text("\n".join(lines)), overflow="fold", no_wrap=True)
            case Table():
                _print_table(console, out, frame, block, notes)
            case _:
                assert_never(block)
    output = console.file
    assert isinstance(output, io.StringIO)
    drawn = output.getvalue()
    if links and not color:
        # The data's own control characters were escaped before the layout: every escape here is rich's.
        drawn = _SGR.sub("", drawn)
    return "\n".join(line.rstrip(" ") for line in drawn.split("\n"))


def _print_fields(console: Console, out: _Writer, block: Fields) -> None:
    """Print labelled values in two columns, each value wrapped between words beside its name."""
    grid = RichTable.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=False, overflow="fold")
    grid.add_column(overflow="fold")
    room = console.width - max((cell_len(out.plain(field.name)) for field in block.fields), default=0) - 2
    for field in block.fields:
        value = out.plain(field.value)
        grid.add_row(out.text(field.name, "bold"),
                     out.text(_wrapped(value, room) if room >= MIN_FREE else value, link=field.link))
    console.print(grid)


def _print_words(console: Console, text: Text) -> None:
    """Print text wrapped at spaces; a word longer than the line (a long URL) stays whole, for the terminal to wrap."""
    lines: list[Text] = []
    for line in text.split("\n", allow_blank=True):
        lines += line.divide(_breaks(line.plain, console.width))
    for piece in lines:
        piece.rstrip()
    console.print(Text("\n").join(lines), no_wrap=True, overflow="ignore", crop=False)


def _breaks(line: str, width: int) -> list[int]:
    """Return where to break a line so that each piece fits the width, breaking only at spaces."""
    offsets: list[int] = []
    column = 0
    for word in _WORD.finditer(line):
        if column and column + cell_len(word.group().rstrip()) > width:
            offsets.append(word.start())
            column = 0
        column += cell_len(word.group())
    return offsets


def _print_table(console: Console, out: _Writer, frame: box.Box, block: Table, notes: dict[str, int]) -> None:
    """Print a table as a grid whose identifier columns and words are whole, else one field per line."""
    cuts = dict(block.brief)
    # A tab would be expanded by the terminal past the column's width: in a cell it is a space.
    rows = tuple(tuple(out.plain(shortened(cell, cuts[i]) if i in cuts else cell).replace("\t", " ")
                       for i, cell in enumerate(row)) for row in block.rows)
    shown = Table(tuple(out.plain(column) for column in block.columns), rows,
                  out.plain(block.title) if block.title else None, block.wrap, (), block.separators, block.stack)
    if not fits(len(shown.columns), console.width):
        _stacked(console, out, shown)
        return
    if shown.wrap is None:
        _print_grid(console, frame, shown, None)
        return
    widths = _widths(shown, console.width)
    cited: list[str] = []
    if widths is None and any(_URL.search(cell) for row in shown.rows for cell in row):
        # URLs too long for a column go under the table, numbered, each on a line of its own.
        numbered = dict(notes)
        noted, urls = _noted(shown, numbered)
        widths = _widths(noted, console.width)
        if widths is not None:
            shown, cited = noted, urls
            notes.update(numbered)
    joined = _joined_columns(shown) if widths is None and shown.stack else None
    if joined is not None:
        widths = _widths(joined, console.width)
        shown = joined if widths is not None else shown
    if widths is None:
        # Even the identifier columns alone are wider than the screen: one `column: value` line per cell keeps
        # each identifier whole (a URL longer than the line stays on a line of its own).
        _stacked(console, out, shown)
        return
    _print_grid(console, frame, shown, widths)
    for url in cited:
        console.print(Text(f"[{notes[url]}] {url}"), overflow="ignore", crop=False, no_wrap=True)


def _print_grid(console: Console, frame: box.Box, block: Table, widths: list[int] | None) -> None:
    """Print a table whose cells are already escaped, at the given column widths (None: rich chooses)."""
    table = RichTable(title=Text(block.title, style="bold") if block.title else None, box=frame,
                      show_lines=block.separators, title_justify="left")
    for index, column in enumerate(block.columns):
        free = block.wrap is None or index in block.wrap
        table.add_column(Text(column, style="bold"), overflow="fold", no_wrap=not free,
                         width=None if widths is None else widths[index])
    for row in block.rows:
        # Wrapped here rather than by rich, so that a design name is never broken between lines.
        table.add_row(*(Text(_wrapped(cell, widths[i]) if widths and i in (block.wrap or ()) else cell)
                        for i, cell in enumerate(row)))
    console.print(table)


def _wrapped(text: str, width: int) -> str:
    """Return text with a newline wherever a line of it must break to fit the width."""
    lines = []
    for line in text.split("\n"):
        cuts = [0, *_breaks(line, width), len(line)]
        lines += [line[start:end].rstrip() for start, end in itertools.pairwise(cuts)]
    return "\n".join(lines)


def _columns(block: Table) -> list[tuple[str, ...]]:
    """Return each column's header and cells."""
    return [(block.columns[i], *(row[i] for row in block.rows)) for i in range(len(block.columns))]


def _widths(block: Table, width: int) -> list[int] | None:
    """Return column widths with the identifier columns whole and no word cut, or None when they cannot fit.

    The free-text columns (`block.wrap`) take the spare width in equal shares, none wider than its longest line and
    each at least MIN_FREE wide where that fits, else at least as wide as its longest word.
    """
    free = set(block.wrap or ())
    columns = _columns(block)
    natural = [max(cell_len(line) for cell in cells for line in cell.split("\n")) for cells in columns]
    longest = [max((cell_len(word.group().strip()) for cell in cells for word in _WORD.finditer(cell)), default=0)
               for cells in columns]
    room = width - 1 - _CELL_FRAME * len(columns)
    for least in (MIN_FREE, 1):
        widths = [min(natural[i], max(least, longest[i])) if i in free else natural[i] for i in range(len(columns))]
        if sum(widths) <= room:
            break
    else:
        return None
    growing = [i for i in sorted(free) if widths[i] < natural[i]]
    spare = room - sum(widths)
    while spare > 0 and growing:
        share = max(1, spare // len(growing))
        for i in growing:
            added = min(share, natural[i] - widths[i], spare)
            widths[i] += added
            spare -= added
        growing = [i for i in growing if widths[i] < natural[i]]
    return widths


def _joined_columns(block: Table) -> Table | None:
    """Return the table with its stackable columns joined into the first one, a line each, the cell wrapping."""
    first, *rest = block.stack
    whole = [i for i in block.stack if i not in (block.wrap or ())]
    if any(_SPACE.search(row[i]) for row in block.rows for i in whole):
        return None  # an identifier with a space would be wrapped in the joined cell
    kept = [i for i in range(len(block.columns)) if i not in rest]
    position = {old: new for new, old in enumerate(kept)}

    def row_of(cells: tuple[str, ...]) -> tuple[str, ...]:
        joined = "\n".join(cells[i] for i in block.stack)
        return tuple(joined if i == first else cells[i] for i in kept)

    wrap = tuple(sorted({position[i] for i in (block.wrap or ()) if i in position} | {position[first]}))
    header = " / ".join(block.columns[i] for i in block.stack)
    return Table((header, *(block.columns[i] for i in kept[1:])), tuple(row_of(row) for row in block.rows),
                 block.title, wrap, (), True)


def _noted(block: Table, notes: dict[str, int]) -> tuple[Table, list[str]]:
    """Return the table with each URL replaced by its note number, and the URLs it cites, numbering new ones."""
    cited: list[str] = []

    def number(match: re.Match[str]) -> str:
        cited.append(match.group())
        return f"[{notes.setdefault(match.group(), len(notes) + 1)}]"

    rows = tuple(tuple(_URL.sub(number, cell) for cell in row) for row in block.rows)
    return Table(block.columns, rows, block.title, block.wrap, (), block.separators), list(dict.fromkeys(cited))


def _stacked(console: Console, out: _Writer, block: Table) -> None:
    """Print a table too wide for the terminal as one `column: value` line per cell, a rule between rows."""
    if block.title:
        _print_words(console, Text(block.title, style="bold"))
    rule = ("-" if out.ascii_only else "─") * min(console.width, MIN_WIDTH)
    for row in block.rows:
        console.print(rule)
        for column, cell in zip(block.columns, row, strict=True):
            _print_words(console, Text.assemble(Text(f"{column}: ", style="bold"), Text(cell)))
