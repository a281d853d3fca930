"""Frozen results the commands compute and the renderers print."""

from __future__ import annotations

from dataclasses import dataclass

from stemcell_cli.evidence.grading import Certainty
from stemcell_cli.model import CitationIssue, Claim, Condition, Design, Direction, Page, Study, Trial


@dataclass(frozen=True)
class StudyRef:
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


@dataclass(frozen=True)
class CitedFinding:
    """A study tied to a claim and what it found for the claim's outcome."""

    study: StudyRef
    finding: str


@dataclass(frozen=True)
class ClaimView:
    """A claim with its supporting and contrasting studies, its citation issues and its grade."""

    claim: Claim
    support: tuple[CitedFinding, ...]
    contrast: tuple[CitedFinding, ...]
    issues: tuple[CitationIssue, ...]
    certainty: Certainty
    strongest_support: Design | None
    strongest_contrast: Design | None


@dataclass(frozen=True)
class ContrastedClaim:
    """One claim a contrasting study goes against, and what the study found."""

    claim_id: str
    claim_outcome: str
    finding: str


@dataclass(frozen=True)
class ContrastView:
    """A study whose results go against one or more claims."""

    study: StudyRef
    claims: tuple[ContrastedClaim, ...]
    summary: str | None


@dataclass(frozen=True)
class DesignCount:
    """How many studies of one design, and how many participants they report."""

    design: Design
    studies: int
    participants: int


@dataclass(frozen=True)
class Glance:
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


@dataclass(frozen=True)
class ConditionRow:
    """A condition and how much the data holds on it."""

    condition: Condition
    studies: int
    claims: int
    trials: int


@dataclass(frozen=True)
class ConditionsResult:
    """The conditions in the data."""

    conditions: tuple[ConditionRow, ...]


@dataclass(frozen=True)
class ClaimsResult:
    """Every claim of a condition with its citations."""

    condition: Condition
    claims: tuple[ClaimView, ...]


@dataclass(frozen=True)
class ContrastsResult:
    """Every contrasting finding of a condition."""

    condition: Condition
    contrasts: tuple[ContrastView, ...]


@dataclass(frozen=True)
class SummaryResult:
    """One screen on a condition: overview, glance, claims, contrasts, issues, unreported trials."""

    condition: Condition
    pages: tuple[Page, ...]
    glance: Glance
    claims: tuple[ClaimView, ...]
    contrasts: tuple[ContrastView, ...]
    issues: tuple[CitationIssue, ...]
    trials_without_results: tuple[Trial, ...]
    trials_results_unstated: int


@dataclass(frozen=True)
class StudiesResult:
    """The studies of a condition that pass the filters, in the order asked for."""

    condition: Condition
    studies: tuple[StudyRef, ...]


@dataclass(frozen=True)
class StudyResult:
    """Every field of one study."""

    condition: Condition
    study: Study
    ref: StudyRef


@dataclass(frozen=True)
class TrialsResult:
    """The registered trials of a condition."""

    condition: Condition
    trials: tuple[Trial, ...]
