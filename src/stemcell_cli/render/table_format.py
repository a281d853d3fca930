"""Terminal tables: data is plain text (never markup), cells wrap between words, identifiers stay whole.

The grid, the fields and the paragraphs are written here, line by line, with rich's box characters and cell widths:
measured on the shipped data, laying out the same tables through rich's Table and Console took 4 to 40 times as long
(the lupus claims 333 against 9 ms in process) and made the many-row tables miss their time budget. Only a table
that lets rich choose its widths (`wrap=None`) still goes through rich.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator

from rich import box
from rich.cells import cell_len as rich_cell_len
from rich.cells import set_cell_size

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
TAB_SIZE = 8
FIELD_GAP = "  "
_SPACE = re.compile(r"\s")
_LINK = re.compile(r"^https?://[!-~]+$")
_URL = re.compile(r"https?://\S+")
# Select Graphic Rendition codes of the styles used here, as rich writes them.
_SGR = {"bold": "1", "bold underline": "1;4", "bold italic": "1;3"}
_ANY_SGR = re.compile(r"\x1b\[[0-9;]*m")
# A word is what a line never breaks: a design name of several words counts as one.
_PHRASES = "|".join(re.escape(name) for name in sorted(design_names(), key=len, reverse=True) if " " in name)
_WORD = re.compile(rf"\s*(?:\S*?(?:{_PHRASES})\S*|\S+)\s*")
# The same words in a text without a design name of several words, found about ten times faster.
_PHRASE = re.compile(_PHRASES)
_PLAIN_WORD = re.compile(r"\s*\S+\s*")
_ASCII_FOLD = str.maketrans({
    "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "—": "-", "–": "-", "…": "...", "×": "x", "≥": ">=",
    "≤": "<=", "±": "+/-", "\u00a0": " ", "•": "*", "→": "->", "⊕": "+", "◯": "o",
})


def cell_len(text: str) -> int:
    """Return how many terminal cells text takes: its length when printable ASCII, else as rich counts them."""
    return len(text) if text.isascii() and text.isprintable() else rich_cell_len(text)


class _Writer:
    """Turns data strings into literal text for one output: escaped, ASCII-only, styled and linked when asked."""

    def __init__(self, *, ascii_only: bool, color: bool = False, links: bool = False) -> None:
        self.ascii_only = ascii_only
        self.color = color
        self.links = links

    def plain(self, value: str) -> str:
        """Return data with control characters escaped, and non-ASCII escaped when the stream needs it."""
        text = safe(value)
        if self.ascii_only:
            text = text.translate(_ASCII_FOLD).encode("ascii", "backslashreplace").decode("ascii")
        return text

    def styled(self, text: str, style: str) -> str:
        """Return already plain text in a style (bold, ...) when colour is on."""
        return f"\x1b[{_SGR[style]}m{text}\x1b[0m" if self.color and style and text else text

    def linked(self, text: str, link: str | None) -> str:
        """Return already plain text as a clickable link (OSC 8) to a plain http(s) URL, when links are on."""
        if self.links and link and text and _LINK.match(link):
            return f"\x1b]8;;{link}\x1b\\{text}\x1b]8;;\x1b\\"
        return text


def make_console(*, color: bool, width: int) -> object:
    """Build a rich console writing to a buffer, blind to the environment, for the tables rich still lays out."""
    import io

    from rich.console import Console

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


def to_table(doc: Document, *, color: bool, width: int, ascii_only: bool = False, links: bool = False) -> str:
    """Return the document rendered as terminal text: for a one-screen document, its first version that fits.

    Links (OSC 8) only when asked, colour only when asked.
    """
    return _drawn(screen_version(doc, width), color=color, width=width, ascii_only=ascii_only, links=links)


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


def _drawn(doc: Document, *, color: bool, width: int, ascii_only: bool, links: bool = False) -> str:
    """Return one version of a document rendered as terminal text."""
    width = max(width, MIN_WIDTH)
    out = _Writer(ascii_only=ascii_only, color=color, links=links)
    frame = box.ASCII if ascii_only else box.ROUNDED
    # Numbered URLs under the tables too narrow to show them whole, one number per URL in the whole document.
    notes: dict[str, int] = {}
    lines = list(_words(out, out.plain(doc.title), width, bold=len(doc.title)))
    for block in doc.blocks:
        match block:
            case Heading():
                lines.append("")
                lines += _words(out, out.plain(block.text), width, bold=len(block.text), style="bold underline")
            case Paragraph():
                lines += _words(out, out.plain(block.text), width)
            case Fields():
                lines += _fields(out, block, width)
            case Forest():
                for line in layout(block, width, ascii_only=ascii_only, clean=out.plain):
                    line = _expand_tabs(line)
                    lines.append(set_cell_size(line, width) if cell_len(line) > width else line)
            case Table():
                lines += _table(out, frame, block, notes, width)
            case _:
                assert_never(block)
    return "".join(line.rstrip(" ") + "\n" for line in lines)


def _fields(out: _Writer, block: Fields, width: int) -> list[str]:
    """Return labelled values in two columns, each value wrapped between words beside its name."""
    names = [out.plain(field.name) for field in block.fields]
    named = max((cell_len(name) for name in names), default=0)
    room = width - named - len(FIELD_GAP)
    values = [_wrapped(out.plain(field.value), room) for field in block.fields]
    if room < MIN_FREE or any(cell_len(line) > room for value in values for line in value.split("\n")):
        return _rich_fields(out, block, width)  # too narrow for the values' words: rich shares the width out
    lines = []
    for name, value, field in zip(names, values, block.fields, strict=True):
        for index, line in enumerate(value.split("\n")):
            label = out.styled(name, "bold") + " " * (named - cell_len(name)) if index == 0 else " " * named
            lines.append(label + FIELD_GAP + out.linked(line, field.link))
    return lines


def _rich_fields(out: _Writer, block: Fields, width: int) -> list[str]:
    """Return labelled values laid out by rich, which shares a width too narrow for them between the columns."""
    from rich.style import Style
    from rich.table import Table as RichTable
    from rich.text import Text

    console = make_console(color=out.color or out.links, width=width)
    grid = RichTable.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=False, overflow="fold")
    grid.add_column(overflow="fold")
    room = width - max((cell_len(out.plain(field.name)) for field in block.fields), default=0) - 2
    for field in block.fields:
        value = out.plain(field.value)
        text = Text(_wrapped(value, room) if room >= MIN_FREE else value)
        if out.links and field.link and _LINK.match(field.link):
            text.stylize(Style(link=field.link))
        grid.add_row(Text(out.plain(field.name), style="bold"), text)
    console.print(grid)  # type: ignore[attr-defined]
    drawn = str(console.file.getvalue())  # type: ignore[attr-defined]
    return (drawn if out.color else _ANY_SGR.sub("", drawn)).split("\n")[:-1]


def _words(out: _Writer, text: str, width: int, *, bold: int = 0, style: str = "bold") -> Iterator[str]:
    """Yield plain text wrapped at spaces, its first `bold` characters styled; an overlong word stays whole."""
    styled = 0  # how many of the bold characters are already written
    for line in text.split("\n"):
        cuts = [0, *_breaks(line, width), len(line)]
        for start, end in itertools.pairwise(cuts):
            piece = line[start:end].rstrip()
            if bold > styled and out.color:
                head = max(0, min(len(piece), bold - styled))
                shown = out.styled(piece[:head], style) + piece[head:]
            else:
                shown = piece
            styled += end - start
            yield _expand_tabs(shown)
        styled += 1  # the newline


def _expand_tabs(line: str) -> str:
    """Return the line with each tab a space and then spaces to the next tab stop, as rich and terminals show it."""
    if "\t" not in line:
        return line
    parts = line.split("\t")
    done = ""
    for part in parts[:-1]:
        done += part + " "
        remainder = cell_len(_ANY_SGR.sub("", done)) % TAB_SIZE
        done += " " * (TAB_SIZE - remainder) if remainder else ""
    return done + parts[-1]


def _folded(text: str, width: int) -> str:
    """Return text with every line longer than the width cut into pieces of the width, as rich folds a cell."""
    lines = []
    for line in text.split("\n"):
        while cell_len(line) > width:
            taken, cells = 0, 0
            while taken < len(line) and cells + cell_len(line[taken]) <= width:
                cells += cell_len(line[taken])
                taken += 1
            taken = max(taken, 1)  # a character wider than the column still moves on
            lines.append(line[:taken])
            line = line[taken:]
        lines.append(line)
    return "\n".join(lines)


def _words_in(text: str) -> Iterator[re.Match[str]]:
    """Return the words of a text, each with the spaces around it; a design name of several words is one."""
    return (_WORD if _PHRASE.search(text) else _PLAIN_WORD).finditer(text)


@functools.lru_cache(maxsize=4096)
def _breaks(line: str, width: int) -> tuple[int, ...]:
    """Return where to break a line so that each piece fits the width, breaking only at spaces."""
    # Cached: a one-screen view counts its versions' lines before one is drawn, wrapping the same texts again.
    if cell_len(line) <= width:
        return ()
    offsets: list[int] = []
    column = 0
    for word in _words_in(line):
        if column and column + cell_len(word.group().rstrip()) > width:
            offsets.append(word.start())
            column = 0
        column += cell_len(word.group())
    return tuple(offsets)


def _table(out: _Writer, frame: box.Box, block: Table, notes: dict[str, int], width: int) -> list[str]:
    """Return a table as a grid whose identifier columns and words are whole, else as one field per line."""
    # A tab would be expanded by the terminal past the column's width: in a cell it is a space.
    rows = tuple(tuple(out.plain(cell).replace("\t", " ") for cell in row) for row in block.rows)
    shown = Table(tuple(out.plain(column) for column in block.columns), rows,
                  out.plain(block.title) if block.title else None, block.wrap, block.brief, block.separators,
                  block.stack, block.edge)
    if not fits(len(shown.columns), width):
        return list(_stacked(out, _cut(shown, None, width, out.ascii_only), width))
    if shown.wrap is None:
        return _rich_grid(out, frame, shown, width)
    # Every way of drawing the rows that keeps identifiers whole, the shortest drawn: a grid, with its URLs as numbered
    # notes, with its stackable columns joined, or one field per line. A wider screen thus never draws a longer table.
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
        return list(_stacked(out, flat, width))
    _, table, widths, cited, numbered = best
    notes.update(numbered)
    return [*_grid(out, frame, table, widths), *(f"[{notes[url]}] {url}" for url in cited)]


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


def _grid(out: _Writer, frame: box.Box, block: Table, widths: list[int]) -> Iterator[str]:
    """Yield a table whose cells are already escaped, in rich's frame, at the given column widths."""
    padded = [width + 2 for width in widths]
    edge = block.edge
    if block.title:
        # As wide as the table: without its edge, the frame's outer two lines are not drawn.
        across = sum(padded) + len(padded) + (1 if edge else -1)
        for line in _folded(_wrapped(block.title, across), across).split("\n"):
            yield out.styled(line, "bold italic")
    free = set(block.wrap or ())

    def cells(row: tuple[str, ...]) -> list[list[str]]:
        # Wrapped here, so that a design name is never broken between lines.
        return [_folded(_wrapped(cell, widths[i]) if i in free else cell, widths[i]).split("\n")
                for i, cell in enumerate(row)]

    if edge:
        yield frame.get_top(padded)
    yield from _row(out, cells(block.columns), widths,
                    (frame.head_left if edge else "", frame.head_vertical, frame.head_right if edge else ""),
                    "bold", bottom=True)
    yield frame.get_row(padded, "head", edge=edge)
    for index, row in enumerate(block.rows):
        if index and block.separators:
            yield frame.get_row(padded, "row", edge=edge)
        yield from _row(out, cells(row), widths,
                        (frame.mid_left if edge else "", frame.mid_vertical, frame.mid_right if edge else ""), "")
    if edge:
        yield frame.get_bottom(padded)


def _row(out: _Writer, cells: list[list[str]], widths: list[int], edges: tuple[str, str, str],
         style: str, *, bottom: bool = False) -> Iterator[str]:
    """Yield a row's lines: cells padded a space each side, top-aligned (bottom-aligned, as rich does a header)."""
    left, between, right = edges
    height = max(len(lines) for lines in cells)
    if bottom:
        cells = [[""] * (height - len(lines)) + lines for lines in cells]
    for depth in range(height):
        parts = []
        for lines, width in zip(cells, widths, strict=True):
            text = lines[depth] if depth < len(lines) else ""
            parts.append(f" {out.styled(text, style)}{' ' * (width - cell_len(text))} ")
        yield left + between.join(parts) + right


def _rich_grid(out: _Writer, frame: box.Box, block: Table, width: int) -> list[str]:
    """Return a table whose every column may wrap, with widths rich chooses."""
    from rich.table import Table as RichTable
    from rich.text import Text

    console = make_console(color=out.color, width=width)
    table = RichTable(title=Text(block.title, style="bold") if block.title else None, box=frame,
                      show_lines=block.separators, title_justify="left", show_edge=block.edge)
    for column in block.columns:
        table.add_column(Text(column, style="bold"), overflow="fold", no_wrap=False)
    for row in block.rows:
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)  # type: ignore[attr-defined]
    return str(console.file.getvalue()).split("\n")[:-1]  # type: ignore[attr-defined]


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
    # Only a free column's longest word matters (the others keep their natural width).
    longest = [max((cell_len(word.group().strip()) for cell in cells for word in _words_in(cell)), default=0)
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


def _stacked(out: _Writer, block: Table, width: int) -> Iterator[str]:
    """Yield a table too wide for the terminal as one `column: value` line per cell, a rule between rows."""
    if block.title:
        yield from _words(out, block.title, width, bold=len(block.title))
    rule = ("-" if out.ascii_only else "─") * min(width, MIN_WIDTH)
    for row in block.rows:
        yield rule
        for column, cell in zip(block.columns, row, strict=True):
            yield from _words(out, f"{column}: {cell}", width, bold=len(column) + 2)
