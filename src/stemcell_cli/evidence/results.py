"""Frozen results the commands compute and the renderers print."""

# No `from __future__ import annotations`: msgspec reads these records' annotations when it builds a decoder
# or encoder on each run, and string annotations would each be compiled and evaluated there.

from enum import Enum

import msgspec

from stemcell_cli.evidence.certainty import Level
from stemcell_cli.evidence.check_records import CheckResult as CheckResult

# Alike in shape on purpose, like every module of records: one record per command result and per part of one, each
# its own type for the views' exhaustive matches; StudyRef is mirrored by render/payloads.py's RefJson, the contract.
# Re-exported: the effect records moved to estimates.py so that grades.py can use them without a cycle.
from stemcell_cli.evidence.estimates import RATIOS as RATIOS
from stemcell_cli.evidence.estimates import Effect as Effect
from stemcell_cli.evidence.estimates import Fit as Fit
from stemcell_cli.evidence.estimates import HarmRow as HarmRow
from stemcell_cli.evidence.estimates import Measure as Measure
from stemcell_cli.evidence.estimates import Method as Method
from stemcell_cli.evidence.estimates import PooledTest as PooledTest
from stemcell_cli.evidence.estimates import Table2x2 as Table2x2
from stemcell_cli.evidence.estimates import Tau2Interval as Tau2Interval
from stemcell_cli.evidence.grades import ClaimGrade, LeftOut, OutcomeRow, Verdict
from stemcell_cli.model import (
    CitationIssue,
    Claim,
    Condition,
    Design,
    Direction,
    OverviewPoint,
    Page,
    SecondarySource,
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


class ClaimView(msgspec.Struct, frozen=True, gc=False):
    """A claim with its supporting and contrasting studies, its citation issues and its verdict."""

    claim: Claim
    support: tuple[CitedFinding, ...]
    contrast: tuple[CitedFinding, ...]
    issues: tuple[CitationIssue, ...]
    grade: ClaimGrade
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


class FoundRecord(msgspec.Struct, frozen=True, gc=False):
    """A study or registered trial one of whose identifiers is the text searched for, and the command that shows it."""

    condition: str
    kind: str  # "study" or "trial"
    id: str
    label: str
    matched: str  # which identifier: id, DOI, PMID, PMCID or registry id
    command: str


class FindResult(msgspec.Struct, frozen=True, gc=False):
    """Every study and registered trial of any condition found by an identifier."""

    term: str
    found: tuple[FoundRecord, ...]


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
    """Every field of one study, with the secondary pages among its sources."""

    condition: Condition
    study: Study
    ref: StudyRef
    secondary: dict[str, SecondarySource] = {}


class TrialsResult(msgspec.Struct, frozen=True, gc=False):
    """The registered trials of a condition."""

    condition: Condition
    trials: tuple[Trial, ...]


# Effect sizes, pooled fits and vote counts: the records live here, the arithmetic in effects.py, pooling.py and
# votes.py, so that the other commands import the records alone.


class MantelHaenszel(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """The Mantel-Haenszel common effect of 2x2 tables (log scale for ratios) with Cochran's Q around it."""

    measure: Measure
    k: int
    estimate: float
    se: float
    stat: float
    pval: float
    ci_low: float
    ci_high: float
    q: float | None
    q_df: int | None
    q_p: float | None
    i2: float | None
    h2: float | None


class Votes(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """How many effects point above and below no effect, and the exact sign test of the split."""

    positive: int
    negative: int
    ties: int
    p_two_sided: float
    p_greater: float
    p_less: float
    share_positive: float | None
    share_low: float | None
    share_high: float | None


class StudyEffect(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """One outcome of one study: its effect size, or why it has none, and whether the pooled fit used it."""

    study: StudyRef
    outcome: str
    timepoint: str | None
    effect: Effect | None
    reason: str | None
    pooled: bool = False
    note: str | None = None


class OutcomeEffects(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """The effects of one outcome across studies, pooled where they can be, with their vote count."""

    outcome: str
    timepoint: str | None
    measure: Measure | None
    effects: tuple[StudyEffect, ...]
    common: Fit | None
    mantel_haenszel: MantelHaenszel | None
    random: Fit | None
    not_pooled: str | None
    votes: Votes | None


class EffectsResult(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """Per-study effects of a condition's outcomes, with pooled estimates and vote counts."""

    condition: Condition
    outcome_filter: str | None
    method: Method
    test: PooledTest
    binary: Measure
    continuous: Measure
    outcomes: tuple[OutcomeEffects, ...]
    # The verdict rules' outcome rows with an estimate (the same as `sof`), that the table for people shows.
    rows: tuple[OutcomeRow, ...] = ()


class RandomMethod(str, Enum):
    """The --method choices: the random-effects estimators of tau2."""

    REML = "REML"
    DL = "DL"
    PM = "PM"


class BinaryMeasure(str, Enum):
    """The --binary choices: the measure of two arms' events."""

    RR = "RR"
    OR = "OR"
    RD = "RD"


class ContinuousMeasure(str, Enum):
    """The --continuous choices: the measure of two arms' means."""

    MD = "MD"
    SMD = "SMD"


class SofResult(msgspec.Struct, frozen=True, gc=False):
    """A Summary of Findings: one row per outcome, comparison and time point, in GRADEpro's columns."""

    condition: Condition
    rows: tuple[OutcomeRow, ...]
    excluded: tuple[LeftOut, ...]


class IssueRow(msgspec.Struct, frozen=True, gc=False):
    """One citation issue with the claim it is about, the page that makes the claim and the study it concerns."""

    issue: CitationIssue
    claim: Claim | None
    page: Page | None
    study: StudyRef | None


class IssuesResult(msgspec.Struct, frozen=True, gc=False):
    """Every citation issue of a condition's claims, one row each."""

    condition: Condition
    issues: tuple[IssueRow, ...]


class CiteResult(msgspec.Struct, frozen=True, gc=False):
    """A condition's studies as references: their bibliographic fields exactly as curated."""

    condition: Condition
    studies: tuple[Study, ...]


class FieldChange(msgspec.Struct, frozen=True, gc=False):
    """One field of a study that differs between two data files, as each file writes it (None: absent)."""

    field: str
    old: str | None
    new: str | None


class StudyChange(msgspec.Struct, frozen=True, gc=False):
    """A study in both data files whose fields differ."""

    study: StudyRef
    fields: tuple[FieldChange, ...]


class VerdictChange(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """A claim whose verdict or certainty differs between two data files, with each side's reason."""

    condition: str
    claim: str
    old_verdict: Verdict | None
    new_verdict: Verdict | None
    old_certainty: Level | None
    new_certainty: Level | None
    old_reason: str | None
    new_reason: str | None
    studies: tuple[str, ...]


class DiffResult(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """What changed from one data file to another: studies added, removed and changed, and verdicts changed."""

    old: str
    new: str
    added: tuple[StudyRef, ...]
    removed: tuple[StudyRef, ...]
    changed: tuple[StudyChange, ...]
    verdicts: tuple[VerdictChange, ...]

    @property
    def differs(self) -> bool:
        """Tell whether anything changed."""
        return bool(self.added or self.removed or self.changed or self.verdicts)
class ReportResult(msgspec.Struct, frozen=True, gc=False):
    """A condition's report to share: its summary, its Summary of Findings, and the studies and trials it cites."""

    summary: SummaryResult
    sof: SofResult
    # Numbered from 1 in this order: first cited by a claim first, then the rest of the condition's studies.
    references: tuple[Study, ...]
    trials: tuple[Trial, ...]


# Every result a command on the data gives; each format's view switches on it with an exhaustive `match`, so that the
# type checker finds a view that misses one. `validate` and `schema` print what they find by a path of their own.
Result = (ConditionsResult | FindResult | SummaryResult | OverviewResult | ClaimsResult | ClaimResult | ContrastsResult
          | StudiesResult | StudyResult | TrialsResult | EffectsResult | SofResult | IssuesResult | DiffResult
          | ReportResult | CheckResult)
