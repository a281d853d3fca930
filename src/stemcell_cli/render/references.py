"""A study's bibliographic fields as curated, for the formats reference managers read: nothing added, none guessed."""

from __future__ import annotations

import re

import msgspec

from stemcell_cli.model import Study
from stemcell_cli.render.safe_text import one_line

_BREAKS = re.compile(r"[\r\n\t\u2028\u2029]+")


def flat(text: str) -> str:
    """Return text on one line: line breaks and tabs become a space, other control characters visible escapes."""
    return one_line(_BREAKS.sub(" ", text))


class Reference(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """One study's bibliographic fields, each None when the data has no value for it."""

    key: str
    authors: tuple[str, ...]
    title: str | None
    journal: str | None
    year: int | None
    volume: str | None
    issue: str | None
    pages: str | None
    article_number: str | None
    doi: str | None
    pmid: str | None
    pmcid: str | None
    registration: str | None


def reference(study: Study) -> Reference:
    """Return a study's reference from its curated facts, every text on one line."""

    def text(value: str | None) -> str | None:
        return flat(value) if value else None

    return Reference(key=study.id, authors=tuple(flat(a) for a in study.authors.value or () if a.strip()),
                     title=text(study.title.value), journal=text(study.journal.value), year=study.year.value,
                     volume=text(study.volume.value), issue=text(study.issue.value), pages=text(study.pages.value),
                     article_number=text(study.article_number.value), doi=text(study.doi.value),
                     pmid=text(study.pmid.value), pmcid=text(study.pmcid.value),
                     registration=text(study.trial_registration.value))


PAGE_RANGE = re.compile(r"^\s*([^\s\-–]+)\s*[-–]+\s*([^\s\-–]+)\s*$")


def page_range(pages: str) -> tuple[str, str | None]:
    """Return a page range's first and last page (`933-941`), or the text whole when it is not one range."""
    found = PAGE_RANGE.match(pages)
    return (found.group(1), found.group(2)) if found else (pages, None)
