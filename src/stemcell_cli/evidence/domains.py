"""GRADE per outcome: what the estimate shows against its threshold, and the five domains that rate certainty down."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from typing import NamedTuple

from stemcell_cli.evidence.certainty import Level
from stemcell_cli.evidence.clusters import cluster_keys
from stemcell_cli.evidence.grades import (
    Absolute,
    Contribution,
    Domain,
    Estimate,
    Judgement,
    LeftOut,
    OutcomeRow,
    Shown,
    Vote,
)
from stemcell_cli.evidence.outcomes import Collected, collect, pool, trials_with_data
from stemcell_cli.evidence.pooling import Z95
from stemcell_cli.model import Better, Condition, OutcomeDefinition, OutcomeKind, Study, Trial

# GRADE 6's rules of thumb for the optimal information size: about 300 events for a binary outcome, about 400
# participants for a continuous one.
ENOUGH_EVENTS = 300
ENOUGH_PARTICIPANTS = 400
SERIOUS_I2 = 50.0
VERY_SERIOUS_I2 = 75.0


def everything(_contribution: Contribution | Vote) -> bool:
    """Keep every contribution (the main analysis)."""
    return True


def _oriented(row_outcome: OutcomeDefinition, value: float) -> float:
    """Return a value on the benefit-pointing scale: positive means patients are better off."""
    return value if row_outcome.better is Better.HIGHER else -value


def _scale(estimate: Estimate, absolute: Absolute | None, outcome: OutcomeDefinition) -> tuple[float, float, float,
                                                                                                 float, str]:
    """Return (point, low, high, threshold, words) on the benefit-pointing scale the threshold is judged on."""
    threshold = outcome.threshold.value if outcome.threshold is not None else 0.0
    if outcome.kind is OutcomeKind.BINARY and absolute is not None and outcome.threshold is not None:
        values = (absolute.difference_per_1000, absolute.ci_low, absolute.ci_high)
        unit = "per 1000"
    elif outcome.kind is OutcomeKind.BINARY and estimate.measure.value == "RD" and outcome.threshold is not None:
        values = (1000 * estimate.value, 1000 * estimate.ci_low, 1000 * estimate.ci_high)
        unit = "per 1000"
    elif estimate.log_scale:
        values = (math.log(estimate.value), math.log(estimate.ci_low), math.log(estimate.ci_high))
        threshold, unit = 0.0 if outcome.kind is OutcomeKind.BINARY else threshold, "log ratio"
    else:
        values = (estimate.value, estimate.ci_low, estimate.ci_high)
        unit = outcome.unit or "units"
    if estimate.measure.value == "SMD":
        threshold = 0.0
    point, a, b = (_oriented(outcome, v) for v in values)
    return point, min(a, b), max(a, b), abs(threshold), unit


def _zone(value: float, threshold: float) -> Shown:
    """Return where a benefit-pointing value lies: beyond the threshold either way, or inside it."""
    if value > threshold:
        return Shown.BENEFIT
    if value < -threshold:
        return Shown.HARM
    return Shown.LITTLE_OR_NO_DIFFERENCE if threshold > 0 else Shown.UNCERTAIN


def shown(estimate: Estimate, absolute: Absolute | None, outcome: OutcomeDefinition) -> tuple[Shown, int]:
    """Return what the 95% CI shows against the threshold, and how many thresholds it crosses."""
    point, low, high, threshold, _unit = _scale(estimate, absolute, outcome)
    if threshold == 0:
        if low > 0:
            return Shown.BENEFIT, 0
        if high < 0:
            return Shown.HARM, 0
        return Shown.UNCERTAIN, 1
    crossed = sum(low < edge < high for edge in (-threshold, threshold))
    if crossed == 2:
        return Shown.UNCERTAIN, 2
    # With no threshold inside the CI, the whole CI lies in the point estimate's zone (its ends may touch a threshold).
    return _zone(point, threshold), crossed


def _names(contributions: Sequence[Contribution]) -> str:
    """Return the contributions' labels, each once."""
    return ", ".join(dict.fromkeys(c.label for c in contributions))


def start(contributions: Sequence[Contribution], votes: Sequence[Vote], randomised_votes: bool) -> Level:
    """Return where certainty starts: high when every comparison is randomised, else low."""
    if contributions:
        return Level.HIGH if all(c.randomised for c in contributions) else Level.LOW
    return Level.HIGH if votes and randomised_votes else Level.LOW


def risk_of_bias(contributions: Sequence[Contribution | Vote]) -> Judgement:
    """Rate down by the share of weight from trials at high risk of bias, or mostly with concerns or not assessed."""
    if not contributions:
        return Judgement(Domain.RISK_OF_BIAS, 0, "no estimate to judge")
    votes = [c for c in contributions if isinstance(c, Vote)]
    share = {level: sum(_share(c, votes) for c in contributions if c.risk_of_bias == level)
             for level in ("high", "some_concerns", "not_assessed", "low")}
    flagged = [c for c in contributions if c.risk_of_bias != "low"]
    details = "; ".join(f"{c.label}: {c.risk_of_bias.replace('_', ' ')} ({_share(c, votes):.0f}% of the weight)"
                        for c in flagged)
    if share["high"] > 50:
        levels = 2
    elif share["high"] > 0 or share["high"] + share["some_concerns"] + share["not_assessed"] > 50:
        levels = 1
    else:
        rest = f" (also {details})" if details else ""
        return Judgement(Domain.RISK_OF_BIAS, 0, f"most of the weight comes from trials at low risk of bias{rest}")
    return Judgement(Domain.RISK_OF_BIAS, levels, details, tuple(dict.fromkeys(c.study for c in flagged)))


def inconsistency(contributions: Sequence[Contribution], estimate: Estimate | None,
                  outcome: OutcomeDefinition) -> Judgement:
    """Rate down for unexplained differences between two or more trials: estimates apart, CIs apart, high I²."""
    if estimate is None or len(contributions) < 2 or estimate.fit is None:
        only = contributions[0] if contributions else None
        if only is not None and only.review:
            return Judgement(Domain.INCONSISTENCY, 0, "not judged: one review's estimate, whose own heterogeneity "
                                                      "is not curated")
        return Judgement(Domain.INCONSISTENCY, 0, "not applicable: one trial")
    threshold = outcome.threshold.value if outcome.threshold is not None and not estimate.log_scale else 0.0
    points = [_oriented(outcome, c.effect.yi or 0.0) for c in contributions]
    zones = {_zone(p, threshold) for p in points}
    apart = len(zones) > 1
    intervals = [(c.effect.yi or 0.0) for c in contributions]
    spans = [(y - Z95 * math.sqrt(c.effect.vi or 0.0), y + Z95 * math.sqrt(
        c.effect.vi or 0.0)) for y, c in zip(intervals, contributions, strict=True)]
    disjoint = max(low for low, _ in spans) > min(high for _, high in spans)
    i2 = estimate.fit.i2
    found = []
    if apart:
        found.append("point estimates on both sides of the threshold")
    if disjoint:
        found.append("confidence intervals that do not overlap")
    found.append(f"I² {i2:.0f}%")
    ids = tuple(c.study for c in contributions)
    if apart and disjoint and i2 >= VERY_SERIOUS_I2:
        return Judgement(Domain.INCONSISTENCY, 2, "; ".join(found), ids)
    if apart and (disjoint or i2 >= SERIOUS_I2):
        return Judgement(Domain.INCONSISTENCY, 1, "; ".join(found), ids)
    return Judgement(Domain.INCONSISTENCY, 0, "; ".join(found))


def _share(item: Contribution | Vote, votes: Sequence[Vote]) -> float:
    """Return an item's share of the weight in percent: a contribution's pooling weight, a vote's participants."""
    if isinstance(item, Contribution):
        return item.weight_pct
    total = sum(v.participants or 0 for v in votes)
    return 100 * (item.participants or 0) / total if total else 100 / len(votes)


def indirectness(contributions: Sequence[Contribution | Vote], outcome: OutcomeDefinition,
                 other_product: Callable[[Contribution | Vote], bool]) -> Judgement:
    """Rate down for a surrogate outcome, and for most of the weight from another population or product."""
    reasons, levels = [], 0
    if outcome.surrogate:
        levels += 1
        reasons.append(f"{outcome.name} is a surrogate for {outcome.surrogate}")
    votes = [c for c in contributions if isinstance(c, Vote)]
    indirect = [c for c in contributions if c.indirect or other_product(c)]
    if indirect and sum(_share(c, votes) for c in indirect) > 50:
        levels += 1
        reasons.append("; ".join(f"{c.label}: {c.indirect or 'another product (' + (c.product or 'not named') + ')'}"
                                 for c in indirect))
    if not levels:
        return Judgement(Domain.INDIRECTNESS, 0, "the trials measured the outcome itself in the claim's population")
    return Judgement(Domain.INDIRECTNESS, min(levels, 2), "; ".join(reasons),
                     tuple(dict.fromkeys(c.study for c in indirect)))


def imprecision(crossed: int, has_threshold: bool, outcome: OutcomeDefinition, participants: int | None,
                events: int | None, estimate: Estimate | None) -> Judgement:
    """Rate down for a CI that crosses the thresholds, then for too little information (GRADE 6 and 34)."""
    if estimate is None:
        return Judgement(Domain.IMPRECISION, 2, "no estimate with a CI: the size of any effect is unknown")
    parts = []
    if crossed == 2:
        parts.append("the 95% CI includes both important benefit and important harm")
    elif crossed == 1:
        parts.append("the 95% CI crosses " + ("the threshold for an important effect" if has_threshold else
                                               "the null (no threshold on record)"))
    else:
        parts.append("the 95% CI does not cross " + ("either threshold" if has_threshold else "the null"))
    short = False
    if outcome.kind is OutcomeKind.BINARY and events is not None:
        short = events < ENOUGH_EVENTS
        parts.append(f"{events} events ({'fewer than' if short else 'at least'} the {ENOUGH_EVENTS} of GRADE's "
                     "rule of thumb)")
    elif outcome.kind is OutcomeKind.BINARY and participants is not None:
        parts.append("the optimal information size cannot be judged: the events are not known")
    elif participants is not None:
        short = participants < ENOUGH_PARTICIPANTS
        parts.append(f"{participants} participants ({'fewer than' if short else 'at least'} the "
                     f"{ENOUGH_PARTICIPANTS} of GRADE's rule of thumb)")
    else:
        # Nothing on file says how much information the estimate rests on, so it is not shown to be enough.
        short = True
        parts.append("the number of participants is not known, so the optimal information size is not shown to be "
                     "met")
    return Judgement(Domain.IMPRECISION, min(2, crossed + int(short)), "; ".join(parts))


def missing_trials(condition: Condition, trials: Sequence[Trial]) -> list[Trial]:
    """Return the condition's registered trials completed with no posted results and no publication on file."""
    return [t for t in trials if t.condition == condition.id and t.results_posted is False
            and t.published_as is None and "complet" in (t.status or "").casefold()]


def publication_bias(contributions: Sequence[Contribution], missing: Sequence[Trial],
                     outcome: OutcomeDefinition) -> Judgement:
    """Rate down once for trials known to be missing, or for most weight from makers' trials favouring their cells."""
    reasons = []
    if missing:
        ids = ", ".join(t.id for t in missing)
        reasons.append(f"{len(missing)} registered trial{'s' if len(missing) != 1 else ''} of the condition "
                       f"completed with no posted results and no publication on file ({ids})")
    favouring = [c for c in contributions if c.funded and _shows_benefit(c, outcome)]
    if favouring and sum(c.weight_pct for c in favouring) > 50:
        reasons.append(f"most of the weight comes from trials a cell maker funded whose results favour its cells "
                       f"({_names(favouring)})")
    if not reasons:
        unseen = [c for c in contributions if not c.funding_seen]
        # Unknown is not none: a trial whose funding was not seen is named, not counted as independent.
        also = f" (funding not seen for {_names(unseen)})" if unseen else ""
        return Judgement(Domain.PUBLICATION_BIAS, 0, "no trial known to be missing, and no maker's trials favouring "
                                                     f"its own cells carry most of the weight{also}")
    return Judgement(Domain.PUBLICATION_BIAS, 1, "; ".join(reasons),
                     tuple(t.id for t in missing) + tuple(c.study for c in favouring))


def _shows_benefit(contribution: Contribution, outcome: OutcomeDefinition) -> bool:
    """Tell whether a trial's own 95% CI lies on the benefit side of no effect (a null trial does not favour)."""
    effect = contribution.effect
    if effect.yi is None or effect.vi is None:
        return False
    half = Z95 * math.sqrt(effect.vi)
    return min(_oriented(outcome, effect.yi - half), _oriented(outcome, effect.yi + half)) > 0


def vote_count(votes: Sequence[Vote]) -> tuple[Shown, str]:
    """Return the direction of words-only trials weighted by participants, labelled as a vote count."""
    weight = {finding: sum(v.participants or 0 for v in votes if v.finding == finding)
              for finding in ("favours_treatment", "no_difference", "favours_control")}
    total = sum(weight.values())
    unknown = [v.label for v in votes if v.participants is None]
    words = ", ".join(f"{v.label} {v.finding.replace('_', ' ')} (n={v.participants or '?'})" for v in votes)
    also = f"; size unknown, so not weighed: {', '.join(unknown)}" if unknown else ""
    label = f"vote count, weighted by participants, of trials reported in words only: {words}{also}"
    if total and weight["favours_treatment"] * 2 > total:
        return Shown.BENEFIT, label
    if total and weight["favours_control"] * 2 > total:
        return Shown.HARM, label
    return Shown.UNCERTAIN, label


def _product(contributions: Sequence[Contribution]) -> str | None:
    """Return the one product every contribution used, if they name one."""
    products = {c.product for c in contributions}
    return products.pop() if len(products) == 1 else None


class RowContext(NamedTuple):
    """What every analysis of a condition's outcome rows reads and none changes, computed once."""

    collected: list[Collected]
    with_data: dict[str, dict[str, set[str]]]
    keys: dict[str, str]
    missing: list[Trial]
    designs: dict[str, str]


def row_context(condition: Condition, studies: Sequence[Study], trials: Sequence[Trial],
                collected: list[Collected] | None = None) -> RowContext:
    """Return the condition's collected results, trials with data, clusters, missing trials and designs."""
    if collected is None:
        collected = collect(condition, studies)[0]
    return RowContext(collected, trials_with_data(collected), cluster_keys(condition, {s.id: s for s in studies}),
                      missing_trials(condition, trials), {s.id: s.design.value for s in studies})


def graded_rows(condition: Condition, studies: Sequence[Study], trials: Sequence[Trial], *,
                keep: Callable[[Contribution | Vote], bool] = everything,
                other_product: Callable[[Contribution | Vote], bool] = lambda _c: False,
                collected: list[Collected] | None = None, context: RowContext | None = None,
                outcomes: Collection[str] | None = None) -> tuple[OutcomeRow, ...]:
    """Return the outcome rows of the condition (of the named outcomes only, if given), each graded."""
    from stemcell_cli.evidence.statements import row_statement

    if context is None:
        context = row_context(condition, studies, trials, collected)
    with_data, keys, missing, designs = context.with_data, context.keys, context.missing, context.designs
    rows = []
    for row in context.collected:
        if outcomes is not None and row.outcome.id not in outcomes:
            continue
        pooled = pool(row, with_data, keep, keys)
        votes = tuple(v for v in row.votes if keep(v)) if pooled.estimate is None else ()
        unused = tuple(LeftOut(v.study, v.label, row.outcome.name, "reported in words only: a vote count is used "
                                                                   "only where no result has an estimate")
                       for v in row.votes if pooled.estimate is not None and keep(v))
        if pooled.estimate is None and not votes and not pooled.left_out:
            continue
        rows.append(_graded(row, pooled.estimate, pooled.contributions, pooled.left_out + unused, pooled.absolute,
                            pooled.participants, pooled.studies, votes, missing, designs, other_product,
                            row_statement, condition.therapy))
    order = {o.id: i for i, o in enumerate(condition.outcomes)}
    return tuple(sorted(rows, key=lambda r: (order[r.outcome.id], r.comparator.value if r.comparator else "",
                                             r.months if r.months is not None else math.inf)))


def _graded(row: Collected, estimate: Estimate | None, contributions: tuple[Contribution, ...],
            left_out: tuple[object, ...], absolute: Absolute | None, participants: int | None, studies: int,
            votes: tuple[Vote, ...], missing: Sequence[Trial], designs: dict[str, str],
            other_product: Callable[[Contribution | Vote], bool], row_statement: Callable[..., str],
            therapy: str) -> OutcomeRow:
    """Return one row graded on GRADE's five domains."""
    outcome = row.outcome
    has_threshold = outcome.threshold is not None
    if estimate is not None:
        effect, crossed = shown(estimate, absolute, outcome)
        basis = estimate.method
    elif votes:
        effect, basis = vote_count(votes)
        crossed = 0
    else:
        effect, crossed, basis = Shown.UNCERTAIN, 0, "no result with numbers"
    randomised_votes = all(designs.get(v.study) == "randomised_controlled_trial" for v in votes)
    level = start(contributions, votes, randomised_votes)
    events = None
    if contributions and all(c.events is not None for c in contributions):
        events = sum(c.events or 0 for c in contributions)
    judgements = (
        risk_of_bias(contributions or votes),
        inconsistency(contributions, estimate, outcome),
        indirectness(contributions or votes, outcome, other_product),
        imprecision(crossed, has_threshold, outcome, participants, events, estimate),
        publication_bias(contributions, missing, outcome),
    )
    certainty = level.lowered(sum(j.levels for j in judgements))
    if estimate is None and not votes:
        certainty = Level.VERY_LOW
    statement = row_statement(effect, certainty, outcome, _product(contributions) or therapy, has_threshold,
                              estimated=estimate is not None)
    if estimate is None and votes and all(v.participants is not None for v in votes):
        participants = sum(v.participants or 0 for v in votes)
    return OutcomeRow(outcome=outcome, comparator=row.comparator, timepoint=row.timepoint, months=row.months,
                      contributions=contributions, left_out=left_out,  # type: ignore[arg-type]
                      votes=votes, estimate=estimate, absolute=absolute, participants=participants,
                      studies=studies if estimate is not None else len(votes),
                      threshold=outcome.threshold.value if outcome.threshold else None,
                      threshold_src=outcome.threshold.src if outcome.threshold else (), shown=effect, start=level,
                      judgements=judgements, certainty=certainty, statement=statement, basis=basis)
