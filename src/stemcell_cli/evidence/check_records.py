"""The result of checking a page: its text, citations with their resolution, claims with verdicts, red flags."""

from __future__ import annotations

import msgspec

from stemcell_cli.evidence.certainty import Level
from stemcell_cli.evidence.grades import Shown, Verdict


class PageInfo(msgspec.Struct, frozen=True, gc=False):
    """The page checked: where it came from, its address, the condition and its text (which the offsets index)."""

    source: str
    url: str | None
    condition: str
    text: str


class CitationCheck(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """One citation with its span, status, study, candidates and reasons."""

    text: str
    start: int
    end: int
    status: str
    study: str | None
    candidates: tuple[str, ...]
    reasons: tuple[str, ...]
    kinds: tuple[str, ...] = ()


class CitationProblem(msgspec.Struct, frozen=True, gc=False):
    """Something wrong with how the page uses a citation for a claim."""

    kind: str
    summary: str
    citation: int | None = None
    study: str | None = None


class OmittedStudy(msgspec.Struct, frozen=True, gc=False):
    """A controlled trial of the claim's outcome on file that points the other way and that the page does not cite."""

    study: str
    label: str
    design: str
    n: int | None
    direction: str


class ClaimCheck(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """One claim with its span and verdict, its citations (indexes), problems and omitted contrary trials."""

    text: str
    start: int
    end: int
    verdict: Verdict
    effect: Shown | None
    certainty: Level | None
    statement: str
    citations: tuple[int, ...]
    issues: tuple[CitationProblem, ...]
    omitted: tuple[OmittedStudy, ...]
    curated: str | None = None
    outcomes: tuple[str, ...] = ()


class RedFlag(msgspec.Struct, frozen=True, gc=False):
    """A warning sign the FDA and ISSCR list for patients, with its span."""

    kind: str
    text: str
    start: int
    end: int


class CheckResult(msgspec.Struct, frozen=True, gc=False):
    """Everything `check` found on one page; study ids and their labels and URLs for the annotated page."""

    page: PageInfo
    condition_name: str
    citations: tuple[CitationCheck, ...]
    claims: tuple[ClaimCheck, ...]
    red_flags: tuple[RedFlag, ...]
    labels: dict[str, str]
    links: dict[str, str]
    warnings: tuple[str, ...] = ()
