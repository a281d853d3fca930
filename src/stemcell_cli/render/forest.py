"""A text forest plot: one line per study, a bar on a common axis, the line of no effect marked; pure layout."""

from __future__ import annotations

import math
from collections.abc import Callable

import msgspec

GAP = "  "
MIN_BAR = 11
MAX_BAR = 72
MIN_LABEL = 8
UNICODE = {"line": "─", "estimate": "■", "pooled": "◆", "pooled_line": "═", "null": "│", "cross": "┼",
           "axis": "─", "tick": "┴"}
ASCII = {"line": "-", "estimate": "o", "pooled": "#", "pooled_line": "=", "null": "|", "cross": "+",
         "axis": "-", "tick": "+"}


class ForestRow(msgspec.Struct, frozen=True, gc=False):
    """One line of the plot: the columns as text, and the estimate with its interval on the reading scale."""

    label: str
    design: str
    n: str
    text: str
    estimate: float
    low: float | None
    high: float | None
    pooled: bool = False
    weight: str = ""
    # The interval's ends as the row's text shows them (as printed in the source), for the axis labels at its ends.
    ends: tuple[str, str] = ("", "")


class Forest(msgspec.Struct, frozen=True, gc=False):
    """A forest plot: its title, the estimate column's header, the scale and the value of no effect."""

    title: str
    header: str
    rows: tuple[ForestRow, ...]
    log_scale: bool = False
    null: float | None = None
    # Values the axis must reach: the ends of every plot of the same outcome, so that its plots share one axis.
    span: tuple[tuple[float, str], ...] = ()
    # What each side of the line of no effect favours, left then right, e.g. ("favours control", "favours treatment").
    favours: tuple[str, str] | None = None
    # Who a result on each side of the line of no effect favours (`favours MSC therapy`), when the outcome says.
    favours_low: str | None = None
    favours_high: str | None = None


def favours_text(forest: Forest) -> str | None:
    """Return which side of the line of no effect favours whom, in words, when the plot knows."""
    if forest.null is None or forest.favours_low is None or forest.favours_high is None:
        return None
    null = f"{forest.null:g}"
    return f"Below {null}: favours {forest.favours_low}; above {null}: favours {forest.favours_high}."


def _fold(text: str, width: int) -> list[str]:
    """Cut text into pieces of at most `width` characters, after a space or a hyphen where it can."""
    pieces: list[str] = []
    while len(text) > width:
        cut = max(text.rfind(" ", 1, width + 1), text.rfind("-", 1, width) + 1)
        cut = cut if cut > 0 else width
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*pieces, text]


class _Axis:
    """Maps values on the reading scale to columns of the bar."""

    def __init__(self, forest: Forest, width: int) -> None:
        self.log = forest.log_scale
        ends = (value for row in forest.rows for value in (row.low, row.estimate, row.high))
        values = [value for value in (*ends, *(end for end, _ in forest.span)) if value is not None
                  and self.usable(value)]
        if forest.null is not None:
            values.append(forest.null)
        scaled = [self.scale(v) for v in values] or [0.0]
        low, high = min(scaled), max(scaled)
        if forest.null is not None:
            # Symmetric about no effect, as RevMan draws it: each side has room for what it favours.
            centre = self.scale(forest.null)
            reach = max(high - centre, centre - low)
            low, high = centre - reach, centre + reach
        if high - low < 1e-12:
            low, high = low - 1.0, high + 1.0
        self.low, self.high, self.width = low, high, width
        self.null_value = forest.null
        self.null = self.column(forest.null) if forest.null is not None else None

    def usable(self, value: float | None) -> bool:
        """Tell whether a value can be placed on the axis (finite, and positive on a log scale)."""
        return value is not None and math.isfinite(value) and (not self.log or value > 0)

    def scale(self, value: float) -> float:
        """Return a value on the plotting scale."""
        return math.log(value) if self.log else value

    def column(self, value: float) -> int:
        """Return the bar column of a value."""
        share = (self.scale(value) - self.low) / (self.high - self.low)
        return min(self.width - 1, max(0, round(share * (self.width - 1))))

    def value(self, column: int) -> float:
        """Return the value at a bar column."""
        scaled = self.low + (self.high - self.low) * column / (self.width - 1)
        return math.exp(scaled) if self.log else scaled


def _number(value: float) -> str:
    """Return an axis label: three significant digits."""
    return f"{value:.3g}"


def _bar(row: ForestRow, axis: _Axis, marks: dict[str, str]) -> str:
    """Return the bar of one row: the interval, the estimate, and the line of no effect."""
    cells = [" "] * axis.width
    if axis.null is not None:
        cells[axis.null] = marks["null"]
    line = marks["pooled_line"] if row.pooled else marks["line"]
    if row.low is not None and row.high is not None and axis.usable(row.low) and axis.usable(row.high):
        for column in range(axis.column(row.low), axis.column(row.high) + 1):
            cells[column] = marks["cross"] if column == axis.null else line
    if axis.usable(row.estimate):
        cells[axis.column(row.estimate)] = marks["pooled"] if row.pooled else marks["estimate"]
    return "".join(cells)


def _ticks(axis: _Axis, marks: dict[str, str], shown: dict[float, str]) -> tuple[str, str]:
    """Return the axis line with ticks at both ends and at no effect, and the line of their labels."""
    wanted = {0: axis.value(0), axis.width - 1: axis.value(axis.width - 1)}
    if axis.null is not None and axis.null_value is not None:
        wanted[axis.null] = axis.null_value
    line = [marks["axis"]] * axis.width
    labels = [" "] * axis.width
    # No effect first, so that its label wins a place over an end's when they would touch.
    order = sorted(wanted, key=lambda c: (c != axis.null, c))
    placed: list[tuple[int, int]] = []
    for column in order:
        value = wanted[column]
        # An end that is an interval's end keeps the text its row shows (16.39, never 16.4).
        text = next((given for end, given in shown.items() if math.isclose(end, value, rel_tol=1e-9, abs_tol=1e-12)),
                    _number(value))
        start = min(max(0, column - len(text) // 2), max(0, axis.width - len(text)))
        end = start + len(text)
        if any(start <= other_end and other_start <= end for other_start, other_end in placed):
            continue
        placed.append((start, end))
        line[column] = marks["tick"]
        labels[start:end] = list(text)
    return "".join(line), "".join(labels).rstrip()


def layout(forest: Forest, width: int, *, ascii_only: bool = False,
           clean: Callable[[str], str] = lambda text: text) -> list[str]:
    """Return the lines of the plot, each at most `width` characters (labels fold onto further lines)."""
    marks = ASCII if ascii_only else UNICODE
    rows = [msgspec.structs.replace(r, label=clean(r.label), design=clean(r.design), n=clean(r.n),
                                    text=clean(r.text), weight=clean(r.weight)) for r in forest.rows]
    header = clean(forest.header)
    weighted = any(r.weight for r in rows)
    design_w = max([len("Design"), *(len(r.design) for r in rows)])
    n_w = max([len("n"), *(len(r.n) for r in rows)])
    text_w = max([len(header), *(len(r.text) for r in rows)])
    weight_w = max([len("Weight"), *(len(r.weight) for r in rows)]) if weighted else 0
    label_w = max([len("Study"), *(len(r.label) for r in rows)])
    fixed = design_w + n_w + text_w + 4 * len(GAP) + (weight_w + len(GAP) if weighted else 0)
    bar_w = min(MAX_BAR, width - fixed - label_w)
    if bar_w < MIN_BAR:
        label_w = max(MIN_LABEL, width - fixed - MIN_BAR)
        bar_w = max(MIN_BAR, width - fixed - label_w)
    axis = _Axis(forest, bar_w)

    def line(label: str, design: str, n: str, text: str, weight: str, bar: str) -> str:
        cells = [label.ljust(label_w), design.ljust(design_w), n.rjust(n_w), text.ljust(text_w)]
        if weighted:
            cells.append(weight.rjust(weight_w))
        return GAP.join((*cells, bar)).rstrip()

    out = _fold(clean(forest.title), width)
    out.append(line("Study", "Design", "n", header, "Weight", ""))
    for row in rows:
        pieces = _fold(row.label, label_w)
        out.append(line(pieces[0], row.design, row.n, row.text, row.weight, _bar(row, axis, marks)))
        blank_bar = "".join(marks["null"] if i == axis.null else " " for i in range(bar_w))
        out += [line(piece, "", "", "", "", blank_bar) for piece in pieces[1:]]
    shown = dict(forest.span) | {end: text for r in rows for end, text in zip((r.low, r.high), r.ends, strict=True)
                                 if end is not None and text}
    if forest.null == 0.0 and not forest.log_scale:
        # The far end of an axis symmetric about zero mirrors a printed end: it keeps its digits, "16.39" as "-16.39".
        shown |= {-end: text[1:] if text.startswith("-") else f"-{text}" for end, text in list(shown.items())
                  if -end not in shown}
    ticks, labels = _ticks(axis, marks, shown)
    scale = "log scale" if forest.log_scale else ""
    out.append(line("", "", "", scale, "", ticks))
    out.append(line("", "", "", "", "", labels))
    if forest.favours is not None and axis.null is not None:
        room = len(line("", "", "", "", "", "x")) - 1 + bar_w
        # Words longer than the bar end where it ends, reaching left over the columns' blank space.
        out += [line("", "", "", "", "", words) if len(words) <= bar_w else words.rjust(room)
                for words in _favours(axis, forest.favours, ascii_only)]
    return out


def _favours(axis: _Axis, favours: tuple[str, str], ascii_only: bool) -> list[str]:
    """Return the line under the axis that says what each side of no effect favours, each beside the line."""
    assert axis.null is not None
    left, right = (f"<- {favours[0]}", f"{favours[1]} ->") if ascii_only else (f"← {favours[0]}", f"{favours[1]} →")
    if len(left) <= axis.null and len(right) <= axis.width - axis.null - 1:
        return [left.rjust(axis.null) + " " + right]
    # A bar too short for both beside the line: each on a line of its own, on its side as far as it can be.
    return [left.rjust(axis.null) if len(left) <= axis.null else left,
            " " * min(axis.null + 1, max(0, axis.width - len(right))) + right]
