"""The blocks a document is made of (headings, paragraphs, fields, tables, forests), printed as a table or Markdown."""

from __future__ import annotations

import msgspec

from stemcell_cli.model import Provenance
from stemcell_cli.render.forest import Forest


class Heading(msgspec.Struct, frozen=True, gc=False):
    """A section heading."""

    text: str
    level: int = 2


class Paragraph(msgspec.Struct, frozen=True, gc=False):
    """A paragraph of plain text."""

    text: str


class Field(msgspec.Struct, frozen=True, gc=False):
    """One labelled value, with an optional link target."""

    name: str
    value: str
    link: str | None = None


class Fields(msgspec.Struct, frozen=True, gc=False):
    """A list of labelled values."""

    fields: tuple[Field, ...]


class Table(msgspec.Struct, frozen=True, gc=False):
    """A table of text cells."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    title: str | None = None
    # Columns of free text that take the spare width and wrap; the others keep their words whole where they fit.
    # None lets every column wrap.
    wrap: tuple[int, ...] | None = None
    # (column, lines): on a screen such a cell is cut at a word to that many lines of its column; Markdown keeps it all.
    brief: tuple[tuple[int, int], ...] = ()
    # Lines between rows; a table of one-line rows reads as well without them.
    separators: bool = True
    # Columns that a screen too narrow for them side by side shows as lines of the first one's cell, in this order.
    stack: tuple[int, ...] = ()
    # A frame above and below the table; a one-screen view saves those two lines.
    edge: bool = True


Block = Heading | Paragraph | Fields | Table | Forest


class Document(msgspec.Struct, frozen=True, gc=False):
    """A titled sequence of blocks, with the versions of itself a screen it must fit tries."""

    title: str
    blocks: tuple[Block, ...]
    # Meant to fit one screen: on a terminal, the first of these versions (each shorter than the one before) that
    # fits is drawn, the last when none does. Markdown keeps the document itself.
    screens: tuple[Document, ...] = ()


def provenance_text(provenance: Provenance) -> str:
    """Return a document's provenance in one line: each data file's name, schema version and SHA-256, and the tool."""
    files = "; ".join(f"{f.file} (schema version {f.schema_version}, SHA-256 {f.sha256})" for f in provenance.data)
    return f"Data: {files or 'no file'}. Made by stemcell-cli {provenance.version}."


class HeadingLevels:
    """Heading levels that never skip one: a section at most one below the last, a table's title one below it."""

    def __init__(self) -> None:
        self.section = 1  # the document's title

    def heading(self, level: int) -> int:
        """Return the level of a section heading asked for at `level`."""
        self.section = max(2, min(level, self.section + 1, 6))
        return self.section

    def title(self) -> int:
        """Return the level of a table's or plot's title within the current section."""
        return min(self.section + 1, 6)
