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
    parts: tuple[str, ...] = ()


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


class Measure(str, Enum):
    """Effect measures: ratios are analysed on the log scale, differences and proportions as they are."""

    RR = "RR"
    OR = "OR"
    RD = "RD"
    MD = "MD"
    SMD = "SMD"
    HR = "HR"
    PR = "PR"
    OTHER = "other"


RATIOS = frozenset({Measure.RR, Measure.OR, Measure.HR})


class Table2x2(msgspec.Struct, frozen=True, gc=False):
    """Raw counts of a two-arm comparison: events and non-events in treatment (a, b) and control (c, d)."""

    a: int
    b: int
    c: int
    d: int


class Effect(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """One study's effect: the estimate and interval as read, and yi, vi on the analysis scale."""

    measure: Measure
    source: str
    estimate: float
    ci_low: float | None
    ci_high: float | None
    yi: float | None
    vi: float | None
    log_scale: bool = False
    metric: str | None = None
    corrected: bool = False
    counts: Table2x2 | None = None
    treatment: str | None = None
    control: str | None = None
    n_treatment: int | None = None
    n_control: int | None = None
    events: int | None = None
    total: int | None = None
    wilson_low: float | None = None
    wilson_high: float | None = None
    exact_low: float | None = None
    exact_high: float | None = None


class Method(str, Enum):
    """Estimators of a fit: the inverse-variance common effect and the random-effects tau2 estimators."""

    FE = "FE"
    DL = "DL"
    REML = "REML"
    PM = "PM"


class Test(str, Enum):
    """How the pooled estimate is tested: normal z, Hartung-Knapp t (knha), or knha with s2w at least 1."""

    Z = "z"
    KNHA = "knha"
    ADHOC = "adhoc"


class Tau2Interval(msgspec.Struct, frozen=True, gc=False):
    """The Q-profile 95% interval of tau2 and what it means for tau, I2 and H2."""

    tau2: tuple[float, float]
    tau: tuple[float, float]
    i2: tuple[float, float]
    h2: tuple[float, float]


class Fit(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """A pooled estimate with its test, heterogeneity and prediction interval, on the analysis scale."""

    method: Method
    test: Test
    k: int
    estimate: float
    se: float
    stat: float
    pval: float
    ci_low: float
    ci_high: float
    df: int | None
    s2w: float
    tau2: float
    tau: float
    se_tau2: float | None
    i2: float
    h2: float
    q: float
    q_df: int
    q_p: float
    pi_low: float | None
    pi_high: float | None
    weights_pct: tuple[float, ...]
    tau2_ci: Tau2Interval | None = None
    requested: Method | None = None
    note: str | None = None


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
    test: Test
    binary: Measure
    continuous: Measure
    outcomes: tuple[OutcomeEffects, ...]


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


# Every result a command on the data gives; each format's view switches on it with an exhaustive `match`, so that the
# type checker finds a view that misses one. `validate` and `schema` print what they find by a path of their own.
Result = (ConditionsResult | SummaryResult | OverviewResult | ClaimsResult | ClaimResult | ContrastsResult
          | StudiesResult | StudyResult | TrialsResult | EffectsResult)
