"""Frozen records of the outcome-based grading: each outcome's evidence, its certainty, and each claim's verdict."""

# No `from __future__ import annotations`: msgspec reads these records' annotations when it encodes them.

from enum import Enum

import msgspec

from stemcell_cli.evidence.certainty import Level
from stemcell_cli.evidence.estimates import Effect, Fit, HarmRow, Measure
from stemcell_cli.model import Comparator, OutcomeDefinition

# Alike in shape on purpose, like every module of records (model.py, results.py): each enum and record of the grading
# is its own type, so that an exhaustive match over it is checked by mypy.


class Domain(str, Enum):
    """GRADE's reasons to rate certainty down."""

    RISK_OF_BIAS = "risk_of_bias"
    INCONSISTENCY = "inconsistency"
    INDIRECTNESS = "indirectness"
    IMPRECISION = "imprecision"
    PUBLICATION_BIAS = "publication_bias"


class Verdict(str, Enum):
    """Whether the evidence agrees with what a claim asserts (for a no-benefit claim as for a benefit claim)."""

    SUPPORTED = "supported"
    NOT_SUPPORTED = "not_supported"
    VERY_UNCERTAIN = "very_uncertain"
    NOT_CHECKABLE = "not_checkable"


class Shown(str, Enum):
    """What the evidence shows for an outcome, from the 95% CI against the threshold for an important effect."""

    BENEFIT = "benefit"
    LITTLE_OR_NO_DIFFERENCE = "little_or_no_difference"
    HARM = "harm"
    UNCERTAIN = "uncertain"


class Contribution(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """One trial's result, or a review's estimate standing in for trials not on file, in an outcome row."""

    study: str
    label: str
    measure: str
    review: bool
    effect: Effect
    comparator: Comparator | None
    randomised: bool
    participants: int | None
    events: int | None
    weight_pct: float
    risk_of_bias: str
    funded: bool
    funding_seen: bool
    product: str | None
    indirect: str | None
    trials_listed: bool


class LeftOut(msgspec.Struct, frozen=True, gc=False):
    """A result that measures the outcome but does not enter its estimate, and why."""

    study: str
    label: str
    measure: str
    reason: str


class Signal(msgspec.Struct, frozen=True, gc=False):
    """An uncontrolled result for the outcome: shown, never pooled (it cannot separate the therapy's effect)."""

    study: str
    label: str
    measure: str
    timepoint: str | None
    reported: str


class Vote(msgspec.Struct, frozen=True, gc=False):
    """A controlled trial reported in words only: its finding and the participants it weighs by."""

    study: str
    label: str
    finding: str
    participants: int | None
    indirect: str | None = None
    product: str | None = None
    comparator: Comparator | None = None
    risk_of_bias: str = "not_assessed"
    # A vote is never a review: the filters that drop reviews keep every vote.
    review: bool = False
    trials_listed: bool = False


class Absolute(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """A binary outcome per 1000 patients: risk with the comparator, with the intervention, and the difference."""

    comparator_per_1000: float
    intervention_per_1000: float
    difference_per_1000: float
    ci_low: float
    ci_high: float
    basis: str


class Estimate(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """An outcome's estimate: pooled (REML, Hartung-Knapp), one trial's own, or a review's, on the reading scale."""

    measure: Measure
    value: float
    ci_low: float
    ci_high: float
    log_scale: bool
    method: str
    k: int
    fit: Fit | None = None


class Judgement(msgspec.Struct, frozen=True, gc=False):
    """One GRADE domain for one outcome: levels rated down (0 when checked and not triggered), why, and studies."""

    domain: Domain
    levels: int
    reason: str
    studies: tuple[str, ...] = ()


class OutcomeRow(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """One outcome in one comparison at one time point: its evidence, estimate, certainty and statement."""

    outcome: OutcomeDefinition
    comparator: Comparator | None
    timepoint: str | None
    months: float | None
    contributions: tuple[Contribution, ...]
    left_out: tuple[LeftOut, ...]
    votes: tuple[Vote, ...]
    estimate: Estimate | None
    absolute: Absolute | None
    participants: int | None
    studies: int
    threshold: float | None
    threshold_src: tuple[str, ...]
    shown: Shown
    start: Level
    judgements: tuple[Judgement, ...]
    certainty: Level
    statement: str
    basis: str


class OutcomeAnswer(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """How one outcome answers a claim: the row chosen and why, or why there is none, and the part's verdict."""

    outcome: str
    name: str
    verdict: Verdict
    reason: str
    row: OutcomeRow | None
    signals: tuple[Signal, ...] = ()
    magnitude: str | None = None


class Robustness(msgspec.Struct, frozen=True, gc=False):
    """A claim's verdict again on part of the evidence, and whether it changed."""

    scenario: str
    removed: tuple[str, ...]
    verdict: Verdict
    certainty: Level | None
    changed: bool
    note: str | None = None


class ClaimGrade(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """A claim's verdict with what the evidence shows, its certainty, the statement and the outcomes behind it."""

    verdict: Verdict
    effect: Shown | None
    certainty: Level | None
    statement: str
    reason: str
    answers: tuple[OutcomeAnswer, ...]
    parts: tuple[str, ...] = ()
    source: str | None = None
    independent_confirmation: bool | None = None
    robustness: tuple[Robustness, ...] = ()
    harms: tuple[HarmRow, ...] = ()
