"""Per-study effect sizes with 95% intervals, following metafor's escalc conventions."""

import math

import msgspec

from stemcell_cli.errors import assert_never
from stemcell_cli.evidence.distributions import clopper_pearson, norm_ppf, wilson
from stemcell_cli.evidence.results import RATIOS, Effect, Measure, Table2x2
from stemcell_cli.model import ArmResult, ArmRole, Estimate, Outcome, Study, compared_arms

Z95 = 1.959963984540054
ZERO_CELL_ADD = 0.5
BINARY = (Measure.RR, Measure.OR, Measure.RD)
_REPORTED: dict[str, Measure] = {"rr": Measure.RR, "risk ratio": Measure.RR, "relative risk": Measure.RR,
                                 "or": Measure.OR, "odds ratio": Measure.OR, "rd": Measure.RD,
                                 "risk difference": Measure.RD, "md": Measure.MD, "wmd": Measure.MD,
                                 "mean difference": Measure.MD, "smd": Measure.SMD, "hr": Measure.HR,
                                 "hazard ratio": Measure.HR,
                                 "rate ratio": Measure.IRR, "irr": Measure.IRR, "incidence rate ratio": Measure.IRR}


class NoEffect(msgspec.Struct, frozen=True, gc=False):
    """Why an outcome gives no effect size."""

    reason: str


def _interval(yi: float, vi: float, *, log_scale: bool) -> tuple[float, float, float]:
    """Return the estimate and 95% interval on the reading scale (exponentiated for ratios)."""
    half = Z95 * math.sqrt(vi)
    if log_scale:
        return math.exp(yi), math.exp(yi - half), math.exp(yi + half)
    return yi, yi - half, yi + half


def _cells(events_t: int, total_t: int, events_c: int, total_c: int) -> tuple[Table2x2, tuple[float, ...], bool]:
    """Return the raw table and its cells with 1/2 added to each when one is zero (escalc's to="only0")."""
    table = Table2x2(events_t, total_t - events_t, events_c, total_c - events_c)
    cells: tuple[float, ...] = (table.a, table.b, table.c, table.d)
    corrected = 0 in cells
    if corrected:
        cells = tuple(x + ZERO_CELL_ADD for x in cells)
    return table, cells, corrected


def binary_effect(measure: Measure, events_t: int, total_t: int, events_c: int, total_c: int) -> Effect:
    """Return the RR, OR or RD of treatment vs control; ratios on the log scale, double-zero studies kept."""
    table, (a, b, c, d), corrected = _cells(events_t, total_t, events_c, total_c)
    n1, n2 = a + b, c + d
    match measure:
        case Measure.RR:
            yi, vi = math.log(a / n1) - math.log(c / n2), 1 / a - 1 / n1 + 1 / c - 1 / n2
        case Measure.OR:
            yi, vi = math.log(a * d / (b * c)), 1 / a + 1 / b + 1 / c + 1 / d
        case Measure.RD:
            p1, p2 = a / n1, c / n2
            yi, vi = p1 - p2, p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2
        case Measure.MD | Measure.SMD | Measure.HR | Measure.IRR | Measure.PR | Measure.OTHER:
            raise ValueError(f"{measure} is not a measure of a 2x2 table")
        case _:
            assert_never(measure)
    log_scale = measure in RATIOS
    estimate, low, high = _interval(yi, vi, log_scale=log_scale)
    return Effect(measure=measure, source="arms", estimate=estimate, ci_low=low, ci_high=high, yi=yi, vi=vi,
                  log_scale=log_scale, corrected=corrected, counts=table, n_treatment=total_t, n_control=total_c)


def hedges_correction(df: int) -> float:
    """Return the exact small-sample correction of Hedges' g for df degrees of freedom (metafor's .cmicalc)."""
    return math.exp(math.lgamma(df / 2) - math.log(math.sqrt(df / 2)) - math.lgamma((df - 1) / 2))


def continuous_effect(measure: Measure, mean_t: float, sd_t: float, n_t: int, mean_c: float, sd_c: float,
                      n_c: int) -> Effect | NoEffect:
    """Return the MD or the bias-corrected SMD (Hedges' g) of treatment vs control with escalc's variance."""
    match measure:
        case Measure.MD:
            yi, vi = mean_t - mean_c, sd_t**2 / n_t + sd_c**2 / n_c
        case Measure.SMD:
            df = n_t + n_c - 2
            if df < 2:
                return NoEffect("too few participants for a standardised mean difference")
            pooled = math.sqrt(((n_t - 1) * sd_t**2 + (n_c - 1) * sd_c**2) / df)
            if pooled == 0:
                return NoEffect("SDs of 0: no standardised mean difference")
            yi = hedges_correction(df) * (mean_t - mean_c) / pooled
            vi = 1 / n_t + 1 / n_c + yi**2 / (2 * (n_t + n_c))
        case Measure.RR | Measure.OR | Measure.RD | Measure.HR | Measure.IRR | Measure.PR | Measure.OTHER:
            raise ValueError(f"{measure} is not a measure of means")
        case _:
            assert_never(measure)
    if vi <= 0:
        return NoEffect("SDs of 0: the difference has no variance")
    estimate, low, high = _interval(yi, vi, log_scale=False)
    return Effect(measure=measure, source="arms", estimate=estimate, ci_low=low, ci_high=high, yi=yi, vi=vi,
                  n_treatment=n_t, n_control=n_c)


# Proportions are shown as percentages, the scale sources print them on ("9 of 12 patients (75%)", a pooled
# proportion of 28.1%), so that a computed share and a reported one read alike; yi and vi stay escalc's fractions.
PERCENT = 100


def proportion(events: int, total: int) -> Effect:
    """Return a single-arm proportion in percent with its Wilson and exact intervals; yi, vi as escalc's "PR"."""
    low, high = wilson(events, total)
    exact = clopper_pearson(events, total)
    corrected = events in (0, total)
    x, n = (events + ZERO_CELL_ADD, total + 2 * ZERO_CELL_ADD) if corrected else (events, total)
    return Effect(measure=Measure.PR, source="arms", estimate=PERCENT * events / total, ci_low=PERCENT * low,
                  ci_high=PERCENT * high, yi=x / n, vi=(x / n) * (1 - x / n) / n, corrected=corrected, events=events,
                  total=total, wilson_low=PERCENT * low, wilson_high=PERCENT * high, exact_low=PERCENT * exact[0],
                  exact_high=PERCENT * exact[1])


def reported_measure(metric: str) -> Measure:
    """Return the measure a reported metric names (`other` when the name says none we know)."""
    text = metric.strip().casefold()
    if text in _REPORTED:
        return _REPORTED[text]
    if "proportion" in text:
        return Measure.PR
    return Measure.OTHER


def reported(estimate: Estimate) -> Effect:
    """Return an estimate as its source reports it; yi and vi are read back from a reported interval."""
    measure = reported_measure(estimate.metric)
    log_scale = measure in RATIOS
    yi: float | None = None
    vi: float | None = None
    low, high = estimate.ci_low, estimate.ci_high
    level = (estimate.ci_level or 95) / 100
    usable = low is not None and high is not None and low < high and (not log_scale or low > 0)
    if usable and measure is not Measure.OTHER and low is not None and high is not None:
        z = norm_ppf(0.5 + level / 2)
        if log_scale and estimate.value > 0:
            yi, vi = math.log(estimate.value), ((math.log(high) - math.log(low)) / (2 * z)) ** 2
        elif not log_scale:
            yi, vi = estimate.value, ((high - low) / (2 * z)) ** 2
    printed: dict[str, str] = {name: text for name, text in estimate.printed.items()
                               if name in ("value", "ci_low", "ci_high")}
    return Effect(measure=measure, source="reported", estimate=estimate.value, ci_low=low, ci_high=high, yi=yi,
                  vi=vi, log_scale=log_scale, metric=estimate.metric, printed=printed)


def combined_arms(arms: tuple[ArmResult, ...]) -> ArmResult:
    """Return several treated arms as one (Cochrane Handbook 6.5.2.10: events added, means and SDs combined)."""
    if len(arms) == 1:
        return arms[0]
    if all(arm.events is not None and arm.total is not None for arm in arms):
        return ArmResult(arm=" + ".join(arm.arm for arm in arms), role=ArmRole.TREATED,
                         events=sum(a.events or 0 for a in arms), total=sum(a.total or 0 for a in arms))
    first = arms[0]
    for arm in arms[1:]:
        if None in (first.mean, first.sd, first.total, arm.mean, arm.sd, arm.total):
            # Arms that cannot be combined leave the comparison to the first treated arm, as curated.
            return arms[0]
        n1, n2 = first.total or 0, arm.total or 0
        m1, m2, s1, s2 = first.mean or 0.0, arm.mean or 0.0, first.sd or 0.0, arm.sd or 0.0
        mean = (n1 * m1 + n2 * m2) / (n1 + n2)
        var = ((n1 - 1) * s1**2 + (n2 - 1) * s2**2 + n1 * n2 / (n1 + n2) * (m1 - m2) ** 2) / (n1 + n2 - 1)
        first = ArmResult(arm=f"{first.arm} + {arm.arm}", role=ArmRole.TREATED, mean=mean, sd=math.sqrt(var),
                          total=n1 + n2)
    return first


def split_arms(arms: tuple[ArmResult, ...]) -> tuple[ArmResult, ArmResult] | None:
    """Return (treatment, control): the treated arms (combined) and the control, by role or name; else None."""
    sides = compared_arms(arms)
    return None if sides is None else (combined_arms(sides[0]), sides[1])


def arm_size(study: Study, arm: ArmResult) -> int | None:
    """Return an arm's size: its own total, else the study's participant arm of the same name."""
    if arm.total is not None:
        return arm.total
    wanted = arm.arm.casefold().strip()
    return next((a.n for a in study.participants.arms if a.name.casefold().strip() == wanted), None)


def outcome_effect(study: Study, outcome: Outcome, *, binary: Measure = Measure.RR,
                   continuous: Measure = Measure.MD) -> Effect | NoEffect:
    """Return the effect of one outcome of a study, or why there is none."""
    if not outcome.arms:
        if outcome.estimate is not None:
            return reported(outcome.estimate)
        return NoEffect("no numbers (reported in words only)")
    pair = split_arms(outcome.arms)
    if pair is None:
        return _uncontrolled(outcome)
    treatment, control = pair
    found = _compared(study, treatment, control, binary=binary, continuous=continuous)
    if isinstance(found, NoEffect) and outcome.estimate is not None:
        return reported(outcome.estimate)
    if isinstance(found, Effect):
        return msgspec.structs.replace(found, treatment=treatment.arm, control=control.arm)
    return found


def _uncontrolled(outcome: Outcome) -> Effect | NoEffect:
    """Return a single arm's proportion, a reported estimate, or why an uncontrolled outcome has no effect."""
    first = outcome.arms[0]
    if len(outcome.arms) == 1 and first.events is not None and first.total:
        return msgspec.structs.replace(proportion(first.events, first.total), treatment=first.arm)
    if outcome.estimate is not None:
        return reported(outcome.estimate)
    if len(outcome.arms) == 1:
        arm = outcome.arms[0]
        if arm.events is not None:
            return NoEffect("no total for the events")
        return NoEffect("no control arm (one group's mean or median)")
    names = ", ".join(arm.arm for arm in outcome.arms)
    return NoEffect(f"no control arm (arms: {names})")


def _compared(study: Study, treatment: ArmResult, control: ArmResult, *, binary: Measure,
              continuous: Measure) -> Effect | NoEffect:
    """Return the effect of treatment vs control from counts or from means and SDs, or why not."""
    if treatment.events is not None and control.events is not None:
        if treatment.total is None or control.total is None:
            return NoEffect("no totals for the events")
        if treatment.total <= 0 or control.total <= 0:
            return NoEffect("an arm with no participants")
        return binary_effect(binary, treatment.events, treatment.total, control.events, control.total)
    if treatment.mean is not None and control.mean is not None:
        if treatment.sd is None or control.sd is None:
            return NoEffect("no SD")
        n_t, n_c = arm_size(study, treatment), arm_size(study, control)
        if n_t is None or n_c is None:
            return NoEffect("no arm sizes for the means")
        if n_t <= 0 or n_c <= 0:
            return NoEffect("an arm with no participants")
        return continuous_effect(continuous, treatment.mean, treatment.sd, n_t, control.mean, control.sd, n_c)
    if treatment.median is not None or control.median is not None:
        return NoEffect("medians only")
    return NoEffect("the arms report different kinds of numbers")
