"""Markdown output: headings, paragraphs and GitHub-flavoured tables with every cell escaped and every URL linked."""

from __future__ import annotations

import re

from stemcell_cli.errors import assert_never
from stemcell_cli.model import Provenance
from stemcell_cli.render.blocks import Document, Fields, Heading, HeadingLevels, Paragraph, Table, provenance_text
from stemcell_cli.render.forest import Forest, favours_text
from stemcell_cli.render.links import split_links
from stemcell_cli.render.safe_text import one_line

_INLINE = re.compile(r"([\\`*_\[\]<>|~&#])")
_LEADING = re.compile(r"^(\d*)([+=>.)-])")


def escape(text: str, *, cell: bool = False, links: bool = True) -> str:
    """Return text that Markdown shows literally on one line, its http(s) URLs as autolinks unless `links` is off."""
    flat = one_line(text.replace("\r\n", " ").replace("\n", " "))
    core = flat.strip()
    # Outer white space would be dropped, or turn a paragraph into a code block: it is kept as character references.
    lead = flat[: len(flat) - len(flat.lstrip())]
    trail = flat[len(flat.rstrip()):] if core else ""
    out = []
    for index, (piece, link) in enumerate(split_links(core) if links else [(core, False)]):
        if link:
            # Inside <...> nothing is escaped (a backslash would become part of the address); a table cell alone
            # needs its pipes escaped, which GFM removes before it reads the link.
            out.append("<" + (piece.replace("|", "\\|") if cell else piece) + ">")
            continue
        escaped = _INLINE.sub(r"\\\1", piece)
        out.append(_LEADING.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped) if index == 0 else escaped)
    return _references(lead) + "".join(out) + _references(trail)


def _references(spaces: str) -> str:
    """Return white space as numeric character references."""
    return "".join(f"&#{ord(char)};" for char in spaces)


def _table(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> list[str]:
    """Return the lines of one GFM table."""
    lines = ["| " + " | ".join(escape(c, cell=True) for c in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(escape(cell, cell=True) for cell in row) + " |" for row in rows]
    return lines


def to_markdown(doc: Document, provenance: Provenance | None = None) -> str:
    """Return the document as Markdown, its provenance (when known) under the title."""
    out = [f"# {escape(doc.title)}", ""]
    if provenance is not None:
        out += [escape(provenance_text(provenance)), ""]
    levels = HeadingLevels()
    for block in doc.blocks:
        match block:
            case Heading():
                out += [f"{'#' * levels.heading(block.level)} {escape(block.text)}", ""]
            case Paragraph():
                out += [escape(block.text), ""]
            case Fields():
                out += [*_table(("Field", "Value"), tuple((f.name, f.value) for f in block.fields)), ""]
            case Forest():
                # The bars need a fixed-width font: Markdown gets the plot's numbers as a table.
                out += [f"{'#' * levels.title()} {escape(block.title)}", ""]
                out += [*_table(("Study", "Design", "n", block.header),
                                tuple((r.label, r.design, r.n, r.text) for r in block.rows)), ""]
                favours = favours_text(block)
                if favours:
                    out += [escape(favours), ""]
            case Table():
                if block.title:
                    out += [f"{'#' * levels.title()} {escape(block.title)}", ""]
                out += [*_table(block.columns, block.rows), ""]
            case _:
                assert_never(block)
    return "\n".join(out).rstrip("\n") + "\n"
