"""Frozen results the commands compute and the renderers print."""

# No `from __future__ import annotations`: msgspec reads these records' annotations when it builds a decoder
# or encoder on each run, and string annotations would each be compiled and evaluated there.

import msgspec

from stemcell_cli.evidence.grading import Certainty
from stemcell_cli.model import CitationIssue, Claim, Condition, Design, Direction, Page, Study, Trial


class StudyRef(msgspec.Struct, frozen=True, gc=False):
    """A study as a citation: label, design, size, year, direction and identifiers."""

    id: str
    label: str
    design: Design
    n: int | None
    year: int | None
    direction: Direction
    verification: str
    doi: str | None
    pmid: str | None
    title: str | None


class CitedFinding(msgspec.Struct, frozen=True, gc=False):
    """A study tied to a claim and what it found for the claim's outcome."""

    study: StudyRef
    finding: str


class ClaimView(msgspec.Struct, frozen=True, gc=False):
    """A claim with its supporting and contrasting studies, its citation issues and its grade."""

    claim: Claim
    support: tuple[CitedFinding, ...]
    contrast: tuple[CitedFinding, ...]
    issues: tuple[CitationIssue, ...]
    certainty: Certainty
    strongest_support: Design | None
    strongest_contrast: Design | None


class ContrastedClaim(msgspec.Struct, frozen=True, gc=False):
    """One claim a contrasting study goes against, and what the study found."""

    claim_id: str
    claim_outcome: str
    finding: str


class ContrastView(msgspec.Struct, frozen=True, gc=False):
    """A study whose results go against one or more claims."""

    study: StudyRef
    claims: tuple[ContrastedClaim, ...]
    summary: str | None


class DesignCount(msgspec.Struct, frozen=True, gc=False):
    """How many studies of one design, and how many participants they report."""

    design: Design
    studies: int
    participants: int


class Glance(msgspec.Struct, frozen=True, gc=False):
    """Evidence at a glance for one condition."""

    studies: int
    by_design: tuple[DesignCount, ...]
    primary_studies: int
    primary_participants: int
    primary_unknown_n: int
    controlled: int
    overlapping: int
    first_year: int | None
    last_year: int | None


class ConditionRow(msgspec.Struct, frozen=True, gc=False):
    """A condition and how much the data holds on it."""

    condition: Condition
    studies: int
    claims: int
    trials: int


class ConditionsResult(msgspec.Struct, frozen=True, gc=False):
    """The conditions in the data."""

    conditions: tuple[ConditionRow, ...]


class ClaimsResult(msgspec.Struct, frozen=True, gc=False):
    """Every claim of a condition with its citations."""

    condition: Condition
    claims: tuple[ClaimView, ...]


class ContrastsResult(msgspec.Struct, frozen=True, gc=False):
    """Every contrasting finding of a condition."""

    condition: Condition
    contrasts: tuple[ContrastView, ...]


class SummaryResult(msgspec.Struct, frozen=True, gc=False):
    """One screen on a condition: overview, glance, claims, contrasts, issues, unreported trials."""

    condition: Condition
    pages: tuple[Page, ...]
    glance: Glance
    claims: tuple[ClaimView, ...]
    contrasts: tuple[ContrastView, ...]
    issues: tuple[CitationIssue, ...]
    trials_without_results: tuple[Trial, ...]
    trials_results_unstated: int


class StudiesResult(msgspec.Struct, frozen=True, gc=False):
    """The studies of a condition that pass the filters, in the order asked for."""

    condition: Condition
    studies: tuple[StudyRef, ...]


class StudyResult(msgspec.Struct, frozen=True, gc=False):
    """Every field of one study."""

    condition: Condition
    study: Study
    ref: StudyRef


class TrialsResult(msgspec.Struct, frozen=True, gc=False):
    """The registered trials of a condition."""

    condition: Condition
    trials: tuple[Trial, ...]
