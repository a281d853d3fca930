"""Effect sizes and pooled fits as records: the numbers the effects view and the outcome grading share."""

# No `from __future__ import annotations`: msgspec reads these records' annotations when it encodes them.

from enum import Enum

import msgspec

from stemcell_cli.model import Attribution, HarmKind


class Measure(str, Enum):
    """Effect measures: ratios are analysed on the log scale, differences and proportions as they are."""

    RR = "RR"
    OR = "OR"
    RD = "RD"
    MD = "MD"
    SMD = "SMD"
    HR = "HR"
    IRR = "IRR"
    PR = "PR"
    OTHER = "other"


RATIOS = frozenset({Measure.RR, Measure.OR, Measure.HR, Measure.IRR})


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
    # A reported estimate's numbers as its source printed them (value, ci_low, ci_high), so that 16.39 stays 16.39.
    printed: dict[str, str] = msgspec.field(default_factory=dict)


# Enums alike in shape to the model's on purpose: each set of choices is its own type for the exhaustive matches.
class Method(str, Enum):
    """Estimators of a fit: the inverse-variance common effect and the random-effects tau2 estimators."""

    FE = "FE"
    DL = "DL"
    REML = "REML"
    PM = "PM"


class PooledTest(str, Enum):
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


# Fit and results.py's MantelHaenszel share their test's fields on purpose, in metafor's order: a common base would
# move those fields ahead of the others in the JSON.
class Fit(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """A pooled estimate with its test, heterogeneity and prediction interval, on the analysis scale."""

    method: Method
    test: PooledTest
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
