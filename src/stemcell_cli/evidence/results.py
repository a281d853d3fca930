"""Frozen results the commands compute and the renderers print."""

# No `from __future__ import annotations`: msgspec reads these records' annotations when it builds a decoder
# or encoder on each run, and string annotations would each be compiled and evaluated there.

from enum import Enum

import msgspec

from stemcell_cli.evidence.certainty import Level
from stemcell_cli.evidence.clusters import Side
from stemcell_cli.model import (
    Attribution,
    CitationIssue,
    Claim,
    Condition,
    Design,
    Direction,
    HarmKind,
    OverviewPoint,
    Page,
    Study,
    Trial,
)


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


class Verdict(str, Enum):
    """Which way the evidence points, relative to what the claim asserts."""

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    INCONCLUSIVE = "inconclusive"
    HARM_SHOWN = "harm_shown"
    NOT_CHECKABLE = "not_checkable"


class Domain(str, Enum):
    """GRADE's reasons to rate certainty down."""

    RISK_OF_BIAS = "risk_of_bias"
    INCONSISTENCY = "inconsistency"
    INDIRECTNESS = "indirectness"
    IMPRECISION = "imprecision"
    PUBLICATION_BIAS = "publication_bias"


class Step(msgspec.Struct, frozen=True, gc=False):
    """One downgrade: its domain, how many levels (0 when checked and not triggered), why, and the studies."""

    domain: Domain
    levels: int
    reason: str
    studies: tuple[str, ...] = ()


class ClusterView(msgspec.Struct, frozen=True, gc=False):
    """One piece of evidence counted once: its studies, the side it points to, where it starts, why it is one."""

    studies: tuple[str, ...]
    labels: tuple[str, ...]
    side: Side
    start: Level
    decisive: bool
    joined_by: tuple[str, ...]


class HarmRow(msgspec.Struct, frozen=True, gc=False):
    """Deaths or serious adverse events in one arm of one study, with the authors' attribution."""

    study: str
    label: str
    controlled: bool
    arm: str
    arm_n: int | None
    kind: HarmKind
    event: str
    count: int
    attribution: Attribution


class Robustness(msgspec.Struct, frozen=True, gc=False):
    """The verdict recomputed on a subset of the evidence, and whether it changes."""

    scenario: str
    removed: tuple[str, ...]
    verdict: Verdict
    certainty: Level | None
    changed: bool


class Grade(msgspec.Struct, frozen=True, gc=False):
    """A claim's verdict: direction, GRADE certainty, the derivation, the clusters and a plain statement."""

    verdict: Verdict
    certainty: Level | None
    start: Level | None
    start_reason: str
    verdict_reason: str
    steps: tuple[Step, ...]
    clusters: tuple[ClusterView, ...]
    clusters_for: int
    clusters_against: int
    source: str | None
    statement: str
    harms: tuple[HarmRow, ...] = ()
    robustness: tuple[Robustness, ...] = ()


class ClaimView(msgspec.Struct, frozen=True, gc=False):
    """A claim with its supporting and contrasting studies, its citation issues and its verdict."""

    claim: Claim
    support: tuple[CitedFinding, ...]
    contrast: tuple[CitedFinding, ...]
    issues: tuple[CitationIssue, ...]
    grade: Grade
    source: StudyRef | None = None


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
    """Every claim of a condition with its citations, and with each derivation when asked to explain."""

    condition: Condition
    claims: tuple[ClaimView, ...]
    explain: bool = False


class ContrastsResult(msgspec.Struct, frozen=True, gc=False):
    """Every contrasting finding of a condition."""

    condition: Condition
    contrasts: tuple[ContrastView, ...]


class KeyEvidence(msgspec.Struct, frozen=True, gc=False):
    """A controlled study with a record of its own, with its first reported outcome and its conclusion."""

    study: StudyRef
    design_detail: str | None
    result: str | None
    conclusion: str | None


class SummaryResult(msgspec.Struct, frozen=True, gc=False):
    """One screen on a condition: bottom line, each claim's verdict, key controlled evidence, counts to follow."""

    condition: Condition
    pages: tuple[Page, ...]
    bottom_line: tuple[str, ...]
    glance: Glance
    claims: tuple[ClaimView, ...]
    key_evidence: tuple[KeyEvidence, ...]
    contrasts: tuple[ContrastView, ...]
    issues: tuple[CitationIssue, ...]
    trials_without_results: tuple[Trial, ...]
    trials_results_unstated: int


class OverviewResult(msgspec.Struct, frozen=True, gc=False):
    """A condition's overview, in our words, with its sources."""

    condition: Condition
    points: tuple[OverviewPoint, ...]


class ClaimResult(msgspec.Struct, frozen=True, gc=False):
    """One claim with the whole derivation of its verdict."""

    condition: Condition
    view: ClaimView


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
