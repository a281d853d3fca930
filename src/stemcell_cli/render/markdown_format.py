"""Markdown output: headings, paragraphs and GitHub-flavoured tables with every cell escaped."""

from __future__ import annotations

import re

from stemcell_cli.errors import assert_never
from stemcell_cli.render.blocks import Document, Fields, Heading, Paragraph, Table
from stemcell_cli.render.forest import Forest
from stemcell_cli.render.safe_text import one_line

_INLINE = re.compile(r"([\\`*_\[\]<>|~&#])")
_LEADING = re.compile(r"^(\d*)([+=>.)-])")


def escape(text: str) -> str:
    """Return text that Markdown shows literally on one line (backslash-escaped punctuation)."""
    flat = one_line(text.replace("\r\n", " ").replace("\n", " "))
    core = flat.strip()
    # Outer white space would be dropped, or turn a paragraph into a code block: it is kept as character references.
    lead = flat[: len(flat) - len(flat.lstrip())]
    trail = flat[len(flat.rstrip()):] if core else ""
    escaped = _LEADING.sub(lambda m: m.group(1) + "\\" + m.group(2), _INLINE.sub(r"\\\1", core))
    return _references(lead) + escaped + _references(trail)


def _references(spaces: str) -> str:
    """Return white space as numeric character references."""
    return "".join(f"&#{ord(char)};" for char in spaces)


def _table(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> list[str]:
    """Return the lines of one GFM table."""
    lines = ["| " + " | ".join(escape(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(escape(cell) for cell in row) + " |" for row in rows]
    return lines


def to_markdown(doc: Document) -> str:
    """Return the document as Markdown."""
    out = [f"# {escape(doc.title)}", ""]
    for block in doc.blocks:
        match block:
            case Heading():
                out += [f"{'#' * block.level} {escape(block.text)}", ""]
            case Paragraph():
                out += [escape(block.text), ""]
            case Fields():
                out += [*_table(("Field", "Value"), tuple((f.name, f.value) for f in block.fields)), ""]
            case Forest():
                # The bars need a fixed-width font: Markdown gets the plot's numbers as a table.
                out += [f"### {escape(block.title)}", ""]
                out += [*_table(("Study", "Design", "n", block.header),
                                tuple((r.label, r.design, r.n, r.text) for r in block.rows)), ""]
            case Table():
                if block.title:
                    out += [f"### {escape(block.title)}", ""]
                out += [*_table(block.columns, block.rows), ""]
            case _:
                assert_never(block)
    return "\n".join(out).rstrip("\n") + "\n"
