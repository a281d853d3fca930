"""HTML output: one self-contained page, no script, a strict Content-Security-Policy, forest plots as inline SVG."""

from __future__ import annotations

import binascii
import html
import math

from stemcell_cli.errors import assert_never
from stemcell_cli.model import Provenance
from stemcell_cli.render.blocks import Document, Fields, Heading, HeadingLevels, Paragraph, Table, provenance_text
from stemcell_cli.render.forest import Forest, ForestRow, favours_text
from stemcell_cli.render.links import split_links
from stemcell_cli.render.safe_text import safe

STYLE = """
:root { color-scheme: light; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111; background: #fff;
       max-width: 64rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; line-height: 1.25; }
h2 { font-size: 1.3rem; border-bottom: 1px solid #bbb; margin-top: 2rem; }
h3 { font-size: 1.1rem; }
h4, h5, h6 { font-size: 1rem; }
p, td, th { overflow-wrap: break-word; }
a { overflow-wrap: anywhere; }
a { color: #0645ad; }
.provenance { font-size: .85rem; color: #444; }
.wide { overflow-x: auto; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #bbb; padding: .25rem .45rem; text-align: left; vertical-align: top;
         white-space: pre-line; min-width: 5rem; }
th { background: #f2f2f2; }
figure { margin: 0 0 1rem; }
svg { display: block; width: 100%; max-width: 48rem; height: auto; }
figcaption { font-size: .9rem; color: #333; }
@media (max-width: 40rem) {
  body { font-size: 15px; padding: .5rem; }
  th, td { padding: .2rem .3rem; }
}
@media print {
  body { max-width: none; font-size: 10pt; padding: 0; }
  .wide { overflow: visible; }
  a { color: inherit; }
  h2, h3, h4 { break-after: avoid; }
  tr, figure { break-inside: avoid; }
}
"""

# Forest plot geometry, in SVG user units (the plot scales with the page); labels take the width left of the plot.
WIDTH = 640
PLOT_LEFT = 310
PLOT_RIGHT = 625
ROW_HEIGHT = 22
TOP = 8


def _style_hash() -> str:
    """Return the CSP source that allows the one inline style sheet and nothing else."""
    from stemcell_cli.model import sha256_hex  # the interpreter's SHA-256: hashlib would load OpenSSL

    # binascii is what base64 calls, without base64's own imports.
    digest = binascii.b2a_base64(bytes.fromhex(sha256_hex(STYLE.encode("utf-8"))), newline=False).decode("ascii")
    return "'sha256-" + digest + "'"


def _text(text: str) -> str:
    """Return text from the data as HTML text: controls shown escaped, markup escaped, http(s) URLs as links."""
    out = []
    for piece, link in split_links(safe(text)):
        escaped = html.escape(piece, quote=True)
        out.append(f'<a href="{escaped}" rel="noreferrer">{escaped}</a>' if link else escaped)
    return "".join(out)


def _plain(text: str) -> str:
    """Return text from the data as escaped HTML text, never a link (for attributes and SVG)."""
    return html.escape(safe(text, layout=False), quote=True)


def _table(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> list[str]:
    """Return one table, scrollable sideways on a narrow screen."""
    head = "".join(f'<th scope="col">{_text(c)}</th>' for c in columns)
    body = ["<tr>" + "".join(f"<td>{_text(cell)}</td>" for cell in row) + "</tr>" for row in rows]
    return ['<div class="wide"><table>', f"<thead><tr>{head}</tr></thead>", "<tbody>", *body, "</tbody></table></div>"]


class _Scale:
    """Maps values on the reading scale to x positions of the plot."""

    def __init__(self, forest: Forest) -> None:
        self.log = forest.log_scale
        values = [v for row in forest.rows for v in (row.low, row.estimate, row.high) if self.usable(v)]
        if forest.null is not None:
            values.append(forest.null)
        scaled = [self._scaled(v) for v in values if v is not None] or [0.0]
        low, high = min(scaled), max(scaled)
        if high - low < 1e-12:
            low, high = low - 1.0, high + 1.0
        pad = (high - low) * 0.05
        self.low, self.high = low - pad, high + pad

    def usable(self, value: float | None) -> bool:
        """Tell whether a value can be placed (finite, and positive on a log scale)."""
        return value is not None and math.isfinite(value) and (not self.log or value > 0)

    def _scaled(self, value: float) -> float:
        return math.log(value) if self.log else value

    def x(self, value: float) -> float:
        """Return the x position of a value."""
        share = (self._scaled(value) - self.low) / (self.high - self.low)
        return round(PLOT_LEFT + share * (PLOT_RIGHT - PLOT_LEFT), 1)

    def value(self, share: float) -> float:
        """Return the value at a share of the axis."""
        scaled = self.low + (self.high - self.low) * share
        return math.exp(scaled) if self.log else scaled


def _mark(row: ForestRow, scale: _Scale, y: float) -> list[str]:
    """Return the interval and the estimate of one row: a square, or a diamond for the pooled estimate."""
    parts = []
    has_interval = scale.usable(row.low) and scale.usable(row.high)
    if has_interval and row.low is not None and row.high is not None and not row.pooled:
        parts.append(f'<line x1="{scale.x(row.low)}" y1="{y}" x2="{scale.x(row.high)}" y2="{y}" stroke="#222" '
                     'stroke-width="1.5"/>')
    if scale.usable(row.estimate):
        x = scale.x(row.estimate)
        if row.pooled and has_interval and row.low is not None and row.high is not None:
            left, right = scale.x(row.low), scale.x(row.high)
            parts.append(f'<polygon points="{left},{y} {x},{y - 6} {right},{y} {x},{y + 6}" fill="#222"/>')
        else:
            parts.append(f'<rect x="{x - 4}" y="{y - 4}" width="8" height="8" fill="#222"/>')
    return parts


def _number(value: float) -> str:
    """Return an axis label: three significant digits."""
    return f"{value:.3g}"


def _svg(forest: Forest, number: int) -> list[str]:
    """Return a forest plot as inline SVG with its title and description as text alternatives."""
    scale = _Scale(forest)
    height = TOP + ROW_HEIGHT * len(forest.rows) + 58
    axis_y = TOP + ROW_HEIGHT * len(forest.rows) + 4
    described = "; ".join(f"{r.label}: {r.text}" for r in forest.rows)
    favours = favours_text(forest)
    desc = f"Forest plot, one row per result: {described}." + (f" {favours}" if favours else "")
    out = [f'<svg role="img" viewBox="0 0 {WIDTH} {height}" aria-labelledby="plot{number}-title plot{number}-desc" '
           'xmlns="http://www.w3.org/2000/svg">',
           f'<title id="plot{number}-title">{_plain(forest.title)}</title>',
           f'<desc id="plot{number}-desc">{_plain(desc)}</desc>']
    for index, row in enumerate(forest.rows):
        y = TOP + ROW_HEIGHT * index + ROW_HEIGHT / 2
        weight = ' font-weight="bold"' if row.pooled else ""
        label = row.label if len(row.label) <= 44 else row.label[:43] + "…"
        out.append(f'<text x="0" y="{y + 4}" font-size="12"{weight}>{_plain(label)}</text>')
        out += _mark(row, scale, y)
    out.append(f'<line x1="{PLOT_LEFT}" y1="{axis_y}" x2="{PLOT_RIGHT}" y2="{axis_y}" stroke="#222"/>')
    ticks: dict[float, float] = {PLOT_LEFT: scale.value(0.0), PLOT_RIGHT: scale.value(1.0)}
    if forest.null is not None:
        null_x = scale.x(forest.null)
        out.append(f'<line x1="{null_x}" y1="{TOP}" x2="{null_x}" y2="{axis_y}" stroke="#666" '
                   'stroke-dasharray="4 3"/>')
        ticks = {x: v for x, v in ticks.items() if abs(x - null_x) > 30} | {null_x: forest.null}
    for x, value in sorted(ticks.items()):
        out.append(f'<line x1="{x}" y1="{axis_y}" x2="{x}" y2="{axis_y + 4}" stroke="#222"/>')
        out.append(f'<text x="{x}" y="{axis_y + 16}" font-size="11" text-anchor="middle">{_number(value)}</text>')
    if forest.null is not None and forest.favours_low and forest.favours_high:
        out.append(f'<text x="{PLOT_LEFT}" y="{axis_y + 34}" font-size="11">← favours '
                   f'{_plain(forest.favours_low)}</text>')
        out.append(f'<text x="{PLOT_RIGHT}" y="{axis_y + 50}" font-size="11" text-anchor="end">favours '
                   f'{_plain(forest.favours_high)} →</text>')
    if forest.log_scale:
        out.append(f'<text x="0" y="{axis_y + 16}" font-size="11">log scale</text>')
    out.append("</svg>")
    return out


def provenance_paragraph(provenance: Provenance) -> str:
    """Return the paragraph that names a page's source, shown under its title."""
    return f'<p class="provenance">{_text(provenance_text(provenance))}</p>'


def to_html(doc: Document, provenance: Provenance | None = None) -> str:
    """Return the document as one self-contained HTML page: no script, no outside resource, data as text."""
    csp = (f"default-src 'none'; style-src {_style_hash()}; img-src 'none'; base-uri 'none'; form-action 'none'")
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           '<meta name="referrer" content="no-referrer">',
           f"<title>{_plain(doc.title)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>", "<main>",
           f"<h1>{_text(doc.title)}</h1>"]
    if provenance is not None:
        out.append(provenance_paragraph(provenance))
    levels = HeadingLevels()
    plots = 0
    for block in doc.blocks:
        match block:
            case Heading():
                level = levels.heading(block.level)
                out.append(f"<h{level}>{_text(block.text)}</h{level}>")
            case Paragraph():
                out.append(f"<p>{_text(block.text)}</p>")
            case Fields():
                out += _table(("Field", "Value"), tuple((f.name, f.value) for f in block.fields))
            case Forest():
                plots += 1
                level = levels.title()
                out += [f"<h{level}>{_text(block.title)}</h{level}>", "<figure>", *_svg(block, plots)]
                favours = favours_text(block)
                if favours:
                    out.append(f"<figcaption>{_text(favours)}</figcaption>")
                out.append("</figure>")
                out += _table(("Study", "Design", "n", block.header),
                              tuple((r.label, r.design, r.n, r.text) for r in block.rows))
            case Table():
                if block.title:
                    level = levels.title()
                    out.append(f"<h{level}>{_text(block.title)}</h{level}>")
                out += _table(block.columns, block.rows)
            case _:
                assert_never(block)
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
