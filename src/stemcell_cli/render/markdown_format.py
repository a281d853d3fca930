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


def backslashed(match: re.Match[str]) -> str:
    """Return a matched character with a backslash before it (as a function: a template is parsed on every call)."""
    return "\\" + match.group(1)


def backslash_second(match: re.Match[str]) -> str:
    """Return a match's first group, then its second with a backslash before it."""
    return match.group(1) + "\\" + match.group(2)


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
        escaped = _INLINE.sub(backslashed, piece)
        out.append(_LEADING.sub(backslash_second, escaped) if index == 0 else escaped)
    return _references(lead) + "".join(out) + _references(trail)


def _references(spaces: str) -> str:
    """Return white space as numeric character references."""
    return "".join(f"&#{ord(char)};" for char in spaces) if spaces else ""


def _table(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> list[str]:
    """Return the lines of one GFM table."""
    lines = ["| " + " | ".join(escape(c, cell=True) for c in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(escape(cell, cell=True) for cell in row) + " |" for row in rows]
    return lines


def provenance_line(provenance: Provenance) -> str:
    """Return the paragraph that names a document's source, written under its title."""
    return escape(provenance_text(provenance))


def to_markdown(doc: Document, provenance: Provenance | None = None) -> str:
    """Return the document as Markdown, its provenance (when known) under the title."""
    out = [f"# {escape(doc.title)}", ""]
    if provenance is not None:
        out += [provenance_line(provenance), ""]
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
