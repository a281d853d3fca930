"""The records a page is read into: its text, and the claims and citation mentions found in it, with spans."""

from __future__ import annotations

from enum import Enum

import msgspec


class PageText(msgspec.Struct, frozen=True, gc=False):
    """A page as text: where it came from, its address if given, and warnings from reading it."""

    source: str
    url: str | None
    text: str
    warnings: tuple[str, ...] = ()


class MentionKind(str, Enum):
    """How a page points at a study."""

    AUTHOR_YEAR = "author_year"
    REFERENCE = "reference"
    MARKER = "marker"
    TITLE = "title"
    JOURNAL = "journal"
    TRIAL = "trial"
    REGISTRY = "registry"
    DOI = "doi"
    PMID = "pmid"
    PRODUCT = "product"
    INSTITUTION = "institution"


class Mention(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """One citation on the page with its span and what it gives: authors, year, title words, identifiers."""

    kinds: tuple[MentionKind, ...]
    start: int
    end: int
    surnames: tuple[str, ...] = ()
    initials: str | None = None
    first_author: bool = True
    year: int | None = None
    title: str | None = None
    journals: tuple[str, ...] = ()
    trials: tuple[str, ...] = ()
    phase: str | None = None
    registry: tuple[str, ...] = ()
    doi: str | None = None
    pmid: str | None = None
    products: tuple[str, ...] = ()
    institutions: tuple[str, ...] = ()
    # A numbered marker's reference numbers; each points at the reference-list entry of that number.
    numbers: tuple[int, ...] = ()
    number: int | None = None


class ClaimSpan(msgspec.Struct, frozen=True, gc=False):
    """A sentence, bullet or quoted conclusion that asserts benefit, safety or a number."""

    start: int
    end: int
    quoted: bool = False
