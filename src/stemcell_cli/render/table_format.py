"""Terminal tables with rich: data is plain Text (never markup), cells wrap between words, identifiers stay whole."""

from __future__ import annotations

import functools
import io
import itertools
import re
from collections.abc import Iterator

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.table import Table as RichTable
from rich.text import Text

from stemcell_cli.errors import assert_never
from stemcell_cli.render.blocks import Document, Fields, Heading, Paragraph, Table
from stemcell_cli.render.forest import Forest, layout
from stemcell_cli.render.labels import design_names
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
# A word is what a line never breaks: a design name of several words counts as one.
_PHRASES = "|".join(re.escape(name) for name in sorted(design_names(), key=len, reverse=True) if " " in name)
_WORD = re.compile(rf"\s*(?:\S*?(?:{_PHRASES})\S*|\S+)\s*")
# The same words in a text with no design name: a far cheaper pattern, for most texts.
_PLAIN_WORD = re.compile(r"\s*\S+\s*")
_PHRASE_NAMES = tuple(name for name in design_names() if " " in name)


def _words(text: str) -> Iterator[re.Match[str]]:
    """Return the words of a text, a design name of several words as one."""
    return (_WORD if any(name in text for name in _PHRASE_NAMES) else _PLAIN_WORD).finditer(text)
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


def screen_lines(width: int) -> int:
    """Return how many lines one screen holds at a width: 40 below 100 columns, 30 from 100 on."""
    # A wider screen holds more words per line, so a one-screen view must need fewer lines there, never more.
    return 30 if width >= 100 else 40


def to_table(doc: Document, *, color: bool, width: int, ascii_only: bool = False) -> str:
    """Return the document rendered as terminal text: for a one-screen document, its first version that fits."""
    return _drawn(screen_version(doc, width), color=color, width=width, ascii_only=ascii_only)


def screen_version(doc: Document, width: int) -> Document:
    """Return the version of a document a terminal of this width draws: the first of its screens that fits."""
    if not doc.screens:
        return doc
    # Chosen by its lines at 80 columns below 100 and at 100 from there on, so that every width of a class draws the
    # same version, and a wider screen never a longer one.
    reference = 80 if width < 100 else 100
    return next((version for version in doc.screens if _estimated_lines(version, reference) <= screen_lines(reference)),
                doc.screens[-1])


def _estimated_lines(doc: Document, width: int) -> int:
    """Return how many lines a document of headings, paragraphs and tables takes at a width, without drawing it."""
    out = _Writer(ascii_only=False)
    count = _text_lines(doc.title, width)
    for block in doc.blocks:
        match block:
            case Heading():
                count += 1 + _text_lines(block.text, width)
            case Paragraph():
                count += _text_lines(block.text, width)
            case Table():
                rows = tuple(tuple(out.plain(cell).replace("\t", " ") for cell in row) for row in block.rows)
                shown = Table(block.columns, rows, block.title, block.wrap, block.brief, block.separators,
                              edge=block.edge)
                widths = _widths(shown, width) if fits(len(shown.columns), width) else None
                shown = _cut(shown, widths, width, False)
                count += (_stacked_lines(shown, width) if widths is None
                          else min(_grid_lines(shown, widths), _stacked_lines(shown, width)))
            case Fields() | Forest():
                count += len(_drawn(Document("", (block,)), color=False, width=width, ascii_only=False).split("\n")) - 2
            case _:
                assert_never(block)
    return count


def _text_lines(text: str, width: int) -> int:
    """Return how many lines a paragraph takes, wrapped at spaces."""
    return sum(len(_breaks(line, width)) + 1 for line in text.split("\n"))


def _drawn(doc: Document, *, color: bool, width: int, ascii_only: bool) -> str:
    """Return one version of a document rendered as terminal text."""
    console = make_console(color=color, width=width)
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
    lines = output.getvalue().split("\n")
    return "\n".join(line.rstrip(" ") for line in lines)


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


@functools.lru_cache(maxsize=4096)
def _breaks(line: str, width: int) -> tuple[int, ...]:
    """Return where to break a line so that each piece fits the width, breaking only at spaces."""
    # Cached: a one-screen view counts its versions' lines before one is drawn, wrapping the same texts again.
    offsets: list[int] = []
    column = 0
    for word in _words(line):
        if column and column + _cell_width(word.group().rstrip()) > width:
            offsets.append(word.start())
            column = 0
        column += _cell_width(word.group())
    return tuple(offsets)


def _print_table(console: Console, out: _Writer, frame: box.Box, block: Table, notes: dict[str, int]) -> None:
    """Print a table as a grid whose identifier columns and words are whole, else one field per line."""
    # A tab would be expanded by the terminal past the column's width: in a cell it is a space.
    rows = tuple(tuple(out.plain(cell).replace("\t", " ") for cell in row) for row in block.rows)
    shown = Table(tuple(out.plain(column) for column in block.columns), rows,
                  out.plain(block.title) if block.title else None, block.wrap, block.brief, block.separators,
                  block.stack, block.edge)
    if not fits(len(shown.columns), console.width):
        _stacked(console, out, _cut(shown, None, console.width, out.ascii_only))
        return
    if shown.wrap is None:
        _print_grid(console, frame, shown, None)
        return
    # Every way of drawing the rows that keeps identifiers whole, the shortest drawn: a grid, with its URLs as numbered
    # notes, with its stackable columns joined, or one field per line. A wider screen thus never draws a longer table.
    width = console.width
    bases: list[tuple[Table, list[str], dict[str, int]]] = [(shown, [], notes)]
    if any(_URL.search(cell) for row in shown.rows for cell in row):
        numbered = dict(notes)
        noted, urls = _noted(shown, numbered)
        bases.append((noted, urls, numbered))
    grids: list[tuple[int, Table, list[int], list[str], dict[str, int]]] = []
    for base, cited, numbered in bases:
        for table in (base, _joined_columns(base) if base.stack else None):
            widths = _widths(table, width) if table is not None else None
            if table is None or widths is None:
                continue
            table = _cut(table, widths, width, out.ascii_only)
            below = sum(-(-cell_len(f"[{numbered[url]}] {url}") // width) for url in cited)
            grids.append((_grid_lines(table, widths) + below, table, widths, cited, numbered))
    flat = _cut(shown, None, width, out.ascii_only)
    best = min(grids, key=lambda grid: grid[0], default=None)
    # One line of a grid's frame is not counted against it: a table of one row stays a grid.
    if best is None or _stacked_lines(flat, width) < best[0] - (1 if best[1].edge else 0):
        _stacked(console, out, flat)
        return
    _, table, widths, cited, numbered = best
    notes.update(numbered)
    _print_grid(console, frame, table, widths)
    for url in cited:
        console.print(Text(f"[{notes[url]}] {url}"), overflow="ignore", crop=False, no_wrap=True)


def _print_grid(console: Console, frame: box.Box, block: Table, widths: list[int] | None) -> None:
    """Print a table whose cells are already escaped, at the given column widths (None: rich chooses)."""
    table = RichTable(title=Text(block.title, style="bold") if block.title else None, box=frame,
                      show_lines=block.separators, title_justify="left", show_edge=block.edge)
    for index, column in enumerate(block.columns):
        free = block.wrap is None or index in block.wrap
        # Given widths, every cell (its header too) is wrapped here to fit: rich need not wrap each again.
        header = _wrapped(column, widths[index]) if widths is not None and free else column
        table.add_column(Text(header, style="bold"), overflow="fold", no_wrap=widths is not None or not free,
                         width=None if widths is None else widths[index])
    for row in block.rows:
        # Wrapped here rather than by rich, so that a design name is never broken between lines.
        table.add_row(*(Text(_wrapped(cell, widths[i]) if widths and i in (block.wrap or ()) else cell)
                        for i, cell in enumerate(row)))
    console.print(table)


def _cut(block: Table, widths: list[int] | None, width: int, ascii_only: bool) -> Table:
    """Return the table with each brief cell cut at a word to its lines of its column (of the screen when stacked)."""
    if not block.brief:
        return block
    cuts = dict(block.brief)
    ellipsis = "..." if ascii_only else "…"

    def cut(cell: str, room: int, lines: int) -> str:
        pieces = _wrapped(cell, room).split("\n")
        if len(pieces) <= lines:
            return cell
        last = pieces[lines - 1]
        while last and cell_len(last) + len(ellipsis) > room:
            last = last.rsplit(" ", 1)[0] if " " in last.strip() else last[:-1]
        return " ".join([*pieces[:lines - 1], last.rstrip(" ,;:.")]) + ellipsis

    rows = tuple(tuple(cut(cell, widths[i] if widths else width, cuts[i]) if i in cuts else cell
                       for i, cell in enumerate(row)) for row in block.rows)
    return Table(block.columns, rows, block.title, block.wrap, (), block.separators, block.stack, block.edge)


def _grid_lines(block: Table, widths: list[int]) -> int:
    """Return how many lines a grid of these rows takes at these column widths, its frame included."""
    free = set(block.wrap or ())

    def height(row: tuple[str, ...]) -> int:
        return max(_wrapped(cell, widths[i]).count("\n") + 1 if i in free else cell.count("\n") + 1
                   for i, cell in enumerate(row))

    rows = [height(row) for row in block.rows]
    between = len(rows) - 1 if block.separators else 0
    return (1 if block.title else 0) + height(block.columns) + (3 if block.edge else 1) + sum(rows) + between


def _stacked_lines(block: Table, width: int) -> int:
    """Return how many lines the rows take one `column: value` line per cell, a rule between rows."""
    count = 1 if block.title else 0
    for row in block.rows:
        count += 1 + sum(_wrapped(f"{column}: {cell}", width).count("\n") + 1
                         for column, cell in zip(block.columns, row, strict=True))
    return count


def _wrapped(text: str, width: int) -> str:
    """Return text with a newline wherever a line of it must break to fit the width."""
    lines = []
    for line in text.split("\n"):
        cuts = [0, *_breaks(line, width), len(line)]
        lines += [line[start:end].rstrip() for start, end in itertools.pairwise(cuts)]
    return "\n".join(lines)


def _cell_width(text: str) -> int:
    """Return the columns a text takes: its length when ASCII (most cells), else as rich measures it."""
    return len(text) if text.isascii() else cell_len(text)


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
    natural = [max(_cell_width(line) for cell in cells for line in cell.split("\n")) for cells in columns]
    # Only a free column's longest word matters (the others keep their natural width).
    longest = [max((_cell_width(word.group().strip()) for cell in cells for word in _words(cell)), default=0)
               if i in free else 0 for i, cells in enumerate(columns)]
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
