"""A neutral document model that the table and Markdown renderers both print."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Heading:
    """A section heading."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text."""

    text: str


@dataclass(frozen=True)
class Field:
    """One labelled value, with an optional link target."""

    name: str
    value: str
    link: str | None = None


@dataclass(frozen=True)
class Fields:
    """A list of labelled values."""

    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Table:
    """A table of text cells."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    title: str | None = None


Block = Heading | Paragraph | Fields | Table


@dataclass(frozen=True)
class Document:
    """A titled sequence of blocks."""

    title: str
    blocks: tuple[Block, ...]
