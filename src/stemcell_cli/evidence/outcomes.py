"""Each outcome's evidence as numbers: the controlled results, each trial once, pooled, and per 1000 for events."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import msgspec

from stemcell_cli.evidence import pooling
from stemcell_cli.evidence.designs import CONTROLLED
from stemcell_cli.evidence.effects import arm_size, binary_effect, continuous_effect, reported, split_arms
from stemcell_cli.evidence.estimates import RATIOS, Effect, Measure, Method, PooledTest
from stemcell_cli.evidence.grades import Absolute, Contribution, Estimate, LeftOut, Signal, Vote
from stemcell_cli.evidence.lookup import study_label
from stemcell_cli.model import (
    BiasReason,
    ClusterKind,
    Comparator,
    Comparison,
    Condition,
    Design,
    Outcome,
    OutcomeDefinition,
    OutcomeKind,
    Study,
)

_DURATION = re.compile(r"(\d+(?:\.\d+)?)[\s-]*(day|week|month|year|mo\b|yr\b)", re.IGNORECASE)
_MONTHS_PER = {"day": 12 / 365.25, "week": 12 / 52.1775, "month": 1.0, "mo": 1.0, "year": 12.0, "yr": 12.0}
RANDOMISED = frozenset({Design.RANDOMISED_CONTROLLED_TRIAL})
# Hartung-Knapp with its factor kept at 1 or more (metafor's test="adhoc"): plain Hartung-Knapp narrows the CI to
# nothing when the trials happen to agree, and then a few small trials would look more precise than any one of them.
POOLED_TEST = PooledTest.ADHOC
POOLED_METHOD = "random effects (REML, Hartung-Knapp, factor at least 1)"
_PREFERRED = (Measure.RR, Measure.MD, Measure.OR, Measure.HR, Measure.IRR, Measure.SMD, Measure.RD)


def months(timepoint: str | None) -> float | None:
    """Return a time point's length in months ("6 months" 6, "4-year follow-up" 48; a list of visits: the last)."""
    if not timepoint:
        return None
    found = list(_DURATION.finditer(timepoint))
    if not found:
        return None
    last = found[-1]
    return float(last.group(1)) * _MONTHS_PER[last.group(2).lower()]


class Candidate(msgspec.Struct, frozen=True, gc=False):
    """A controlled result of one outcome before the row is put together."""

    study: Study
    result: Outcome
    contribution: Contribution
    key: tuple[str, str, str]
    includes: frozenset[str]


class Collected(msgspec.Struct, frozen=True, gc=False):
    """Everything the condition's studies report for one outcome row: candidates, left-outs, words-only votes."""

    outcome: OutcomeDefinition
    comparator: Comparator | None
    timepoint: str | None
    months: float | None
    candidates: tuple[Candidate, ...]
    left_out: tuple[LeftOut, ...]
    votes: tuple[Vote, ...]


class Pooled(msgspec.Struct, frozen=True, gc=False):
    """A row's estimate with the contributions as weighted, and its absolute effect."""

    estimate: Estimate | None
    contributions: tuple[Contribution, ...]
    left_out: tuple[LeftOut, ...]
    absolute: Absolute | None
    participants: int | None
    studies: int


def _trial_effect(study: Study, result: Outcome, kind: OutcomeKind) -> Effect | str:
    """Return a controlled trial's effect for the outcome: from its arms, else its printed estimate, else why not."""
    found = _from_arms(study, result, kind)
    if isinstance(found, Effect):
        return found
    if result.estimate is not None:
        effect = reported(result.estimate)
        return effect if effect.yi is not None and effect.vi is not None else "no usable 95% CI in the report"
    return found


def _from_arms(study: Study, result: Outcome, kind: OutcomeKind) -> Effect | str:
    """Return the effect computed from the arms (RR for events, MD for means), or why there is none."""
    pair = split_arms(result.arms) if result.arms else None
    if pair is not None:
        treated, control = pair
        if kind is OutcomeKind.BINARY and treated.events is not None and control.events is not None:
            n_t, n_c = arm_size(study, treated), arm_size(study, control)
            if not n_t or not n_c:
                return "no arm totals for the events"
            if treated.events == 0 and control.events == 0:
                return "no events in either arm: no direction, left out of ratio pooling"
            return msgspec.structs.replace(binary_effect(Measure.RR, treated.events, n_t, control.events, n_c),
                                           treatment=treated.arm, control=control.arm)
        if treated.mean is not None and control.mean is not None:
            n_t, n_c = arm_size(study, treated), arm_size(study, control)
            if treated.sd is None or control.sd is None or not n_t or not n_c:
                return "no SD or arm size for the means"
            found = continuous_effect(Measure.MD, treated.mean, treated.sd, n_t, control.mean, control.sd, n_c)
            if isinstance(found, Effect):
                return msgspec.structs.replace(found, treatment=treated.arm, control=control.arm)
            return found.reason
        if treated.median is not None or control.median is not None:
            return "medians only: no mean difference can be computed"
    if result.arms:
        return "no treated and control arm could be told apart (give the arms' roles)"
    return "reported in words only"


def _reviews_includes(condition: Condition, studies: Mapping[str, Study]) -> dict[str, frozenset[str]]:
    """Return the trials each review may pool: its own list and those of reviews curated as pooling the same."""
    own = {s.id: frozenset(s.pooling.includes) for s in studies.values() if s.pooling is not None}
    result = dict(own)
    for cluster in condition.clusters:
        if cluster.kind is not ClusterKind.POOLED_SAME_TRIALS:
            continue
        joined = frozenset().union(*(own.get(member, frozenset()) for member in cluster.studies))
        for member in cluster.studies:
            if member in result:
                result[member] = result[member] | joined
    return result


def _maker_funded(study: Study) -> bool:
    """Tell whether the curated risk of bias names a cell maker's funding (a fact about the study)."""
    return study.risk_of_bias is not None and BiasReason.MANUFACTURER_FUNDED in study.risk_of_bias.reasons


def _participants(study: Study, effect: Effect) -> int | None:
    """Return how many took part in a comparison: its arms, else the study's total."""
    if effect.n_treatment is not None and effect.n_control is not None:
        return effect.n_treatment + effect.n_control
    return study.participants.total if study.pooling is None else study.pooling.participants


def _events(effect: Effect) -> int | None:
    """Return the events in both arms of a 2x2 comparison, else None."""
    counts = effect.counts
    return None if counts is None else counts.a + counts.c


def collect(condition: Condition, studies: Sequence[Study]) -> tuple[list[Collected], dict[str, list[Signal]]]:
    """Return the condition's outcome rows before pooling, and each outcome's uncontrolled signals."""
    definitions = {o.id: o for o in condition.outcomes}
    by_id = {s.id: s for s in studies}
    includes = _reviews_includes(condition, by_id)
    rows: dict[tuple[str, str, str], dict[str, list[object]]] = {}
    meta: dict[tuple[str, str, str], tuple[OutcomeDefinition, Comparator | None, str | None, float | None]] = {}
    signals: dict[str, list[Signal]] = {}
    for study in studies:
        for result in study.outcomes:
            definition = definitions.get(result.outcome or "")
            if definition is None:
                continue
            comparator = result.comparator or study.comparator
            span = months(result.timepoint)
            key = (definition.id, comparator.value if comparator else "",
                   f"{span:g}" if span is not None else (result.timepoint or "").strip().casefold())
            bucket = rows.setdefault(key, {"candidates": [], "left": [], "votes": []})
            meta.setdefault(key, (definition, comparator, result.timepoint, span))
            label = study_label(study)
            review = study.design is Design.SYSTEMATIC_REVIEW
            controlled_review = review and study.pooling is not None and (
                study.pooling.comparison is Comparison.RANDOMISED_ARMS)
            if not (controlled_review or study.design in CONTROLLED):
                signals.setdefault(definition.id, []).append(
                    Signal(study.id, label, result.measure, result.timepoint, result.reported))
                continue
            if result.subgroup:
                bucket["left"].append(LeftOut(study.id, label, result.measure,
                                              f"a subgroup result ({result.subgroup}): not pooled"))
                continue
            effect = _trial_effect(study, result, definition.kind)
            if isinstance(effect, str):
                if result.finding is not None and not review and "no events in either arm" not in effect:
                    bucket["votes"].append(Vote(
                        study.id, label, result.finding.value, study.participants.total, result.indirect,
                        study.product, comparator,
                        study.risk_of_bias.level.value if study.risk_of_bias else "not_assessed"))
                else:
                    bucket["left"].append(LeftOut(study.id, label, result.measure, effect))
                continue
            # A result the source restricts to trials of one risk of bias carries its own judgement.
            rob = result.risk_of_bias or study.risk_of_bias
            pooled = study.pooling
            contribution = Contribution(
                study=study.id, label=label, measure=result.measure, review=review, effect=effect,
                comparator=comparator, randomised=review or study.design in RANDOMISED,
                participants=_participants(study, effect), events=_events(effect), weight_pct=100.0,
                risk_of_bias=rob.level.value if rob else "not_assessed",
                funded=_maker_funded(study),
                funding_seen=study.funding.value is not None or _maker_funded(study),
                product=study.product,
                indirect=result.indirect,
                trials_listed=pooled is not None and bool(pooled.includes or pooled.others))
            bucket["candidates"].append(Candidate(study, result, contribution, key,
                                                  includes.get(study.id, frozenset())))
    collected = []
    for key, bucket in rows.items():
        definition, comparator, timepoint, span = meta[key]
        collected.append(Collected(definition, comparator, timepoint, span,
                                   tuple(bucket["candidates"]),  # type: ignore[arg-type]
                                   tuple(bucket["left"]),  # type: ignore[arg-type]
                                   tuple(bucket["votes"])))  # type: ignore[arg-type]
    return collected, signals


def _stand_ins(row: Collected, trials_by_outcome: Mapping[str, Mapping[str, set[str]]],
               keep: Callable[[Contribution | Vote], bool]) -> tuple[list[Candidate], list[LeftOut]]:
    """Keep a row's trials and the reviews that stand in only for trials not on file, one review per row."""
    kept: list[Candidate] = []
    left: list[LeftOut] = []
    own = trials_by_outcome.get(row.outcome.id, {})
    here = {c.study.id for c in row.candidates if not c.contribution.review and keep(c.contribution)}
    reviews: list[Candidate] = []
    for candidate in row.candidates:
        if not keep(candidate.contribution):
            continue
        if not candidate.contribution.review:
            kept.append(candidate)
            continue
        timepoint_key = candidate.key[2]
        same_time = {sid for sid, keys in own.items() if timepoint_key in keys}
        with_data = set(own) if not candidate.result.timepoint else same_time
        overlap = sorted(candidate.includes & with_data)
        if overlap:
            left.append(LeftOut(candidate.study.id, candidate.contribution.label, candidate.result.measure,
                                f"may pool {', '.join(overlap)}, whose own results are used (each trial once)"))
        elif here and not candidate.contribution.trials_listed:
            left.append(LeftOut(candidate.study.id, candidate.contribution.label, candidate.result.measure,
                                f"its trials are not listed, so it may pool {', '.join(sorted(here))} again"))
        else:
            reviews.append(candidate)
    if reviews:
        def order(c: Candidate) -> tuple[int, bool, int]:
            estimate = c.result.estimate
            return (estimate.studies or 0) if estimate else 0, c.contribution.trials_listed, c.study.year.value or 0
        best = max(reviews, key=order)
        kept.append(best)
        left += [LeftOut(c.study.id, c.contribution.label, c.result.measure, _gives_way(c, best))
                 for c in reviews if c is not best]
    return kept, left


def _gives_way(review: Candidate, kept: Candidate) -> str:
    """Say why a review gives way to the row's kept review: trials both are known to pool, or possibly pool."""
    shared = sorted(review.includes & kept.includes)
    if shared:
        return f"pools {', '.join(shared)}, also pooled by {kept.study.id}, the row's one review (counted once)"
    # Unlisted or partly listed trials may overlap: one review per row is the precaution, not a known overlap.
    return f"may pool the same trials as {kept.study.id}, the row's one review (one review per row)"


def _review_k(candidate: Candidate) -> int:
    """Return how many trials a contribution stands for: a review's pooled count, else one."""
    estimate = candidate.result.estimate
    if candidate.contribution.review:
        return (estimate.studies if estimate and estimate.studies else 1)
    return 1


def _once(kept: list[Candidate], keys: Mapping[str, str]) -> tuple[list[Candidate], list[LeftOut]]:
    """Keep one report of each group of patients: the one with the most participants (then the first)."""
    best: dict[str, Candidate] = {}
    for candidate in kept:
        key = keys.get(candidate.study.id, candidate.study.id)
        held = best.get(key)
        if held is None or (candidate.contribution.participants or 0) > (held.contribution.participants or 0):
            best[key] = candidate
    chosen = {id(c) for c in best.values()}
    left = [LeftOut(c.study.id, c.contribution.label, c.result.measure,
                    f"reports patients also in {best[keys.get(c.study.id, c.study.id)].study.id} (counted once)")
            for c in kept if id(c) not in chosen]
    return [c for c in kept if id(c) in chosen], left


def pool(row: Collected, trials_by_outcome: Mapping[str, Mapping[str, set[str]]],
         keep: Callable[[Contribution | Vote], bool], keys: Mapping[str, str]) -> Pooled:
    """Return a row's estimate: REML with Hartung-Knapp over two or more results, else the one result's own."""
    kept, left = _stand_ins(row, trials_by_outcome, keep)
    kept, twice = _once(kept, keys)
    left = list(row.left_out) + left + twice
    if kept:
        counts: dict[Measure, int] = {}
        for c in kept:
            counts[c.contribution.effect.measure] = counts.get(c.contribution.effect.measure, 0) + 1
        measure = max(counts, key=lambda m: (counts[m], -_PREFERRED.index(m) if m in _PREFERRED else -99))
        left += [LeftOut(c.study.id, c.contribution.label, c.result.measure,
                         f"measured as {c.contribution.effect.measure.value}; the row pools {measure.value}")
                 for c in kept if c.contribution.effect.measure is not measure]
        kept = [c for c in kept if c.contribution.effect.measure is measure]
    if not kept:
        return Pooled(None, (), tuple(left), None, None, 0)
    effects = [c.contribution.effect for c in kept]
    studies = sum(_review_k(c) for c in kept)
    sizes = [c.contribution.participants for c in kept]
    participants = None if any(n is None for n in sizes) else sum(n or 0 for n in sizes)
    measure = effects[0].measure
    log_scale = measure in RATIOS
    if len(kept) == 1:
        only = effects[0]
        low, high = only.ci_low, only.ci_high
        assert low is not None
        assert high is not None
        method = "the review's pooled estimate" if kept[0].contribution.review else "one trial"
        estimate = Estimate(measure=measure, value=only.estimate, ci_low=low, ci_high=high, log_scale=log_scale,
                            method=method, k=studies)
        contributions: tuple[Contribution, ...] = (kept[0].contribution,)
    else:
        yi = [e.yi for e in effects if e.yi is not None]
        vi = [e.vi for e in effects if e.vi is not None]
        fit = pooling.random_effects(yi, vi, Method.REML, POOLED_TEST, with_tau2_ci=False)
        back = math.exp if log_scale else (lambda x: x)
        estimate = Estimate(measure=measure, value=back(fit.estimate), ci_low=back(fit.ci_low),
                            ci_high=back(fit.ci_high), log_scale=log_scale, method=POOLED_METHOD, k=studies,
                            fit=fit)
        contributions = tuple(msgspec.structs.replace(c.contribution, weight_pct=w)
                              for c, w in zip(kept, fit.weights_pct, strict=True))
    absolute = absolute_effect(estimate, kept) if row.outcome.kind is OutcomeKind.BINARY else None
    return Pooled(estimate, contributions, tuple(left), absolute, participants, studies)


def absolute_effect(estimate: Estimate, kept: Sequence[Candidate]) -> Absolute | None:
    """Return a binary row per 1000: comparator risk from the control arms, the intervention's from the RR."""
    tables = [c.contribution.effect.counts for c in kept if c.contribution.effect.counts is not None]
    if estimate.measure is not Measure.RR or len(tables) != len(kept):
        return None
    control_events = sum(t.c for t in tables)
    control_total = sum(t.c + t.d for t in tables)
    risk = control_events / control_total
    if risk == 0:
        return _from_risk_difference(kept, risk)

    def per_1000(ratio: float) -> float:
        return min(1000.0, 1000 * risk * ratio)

    return Absolute(comparator_per_1000=1000 * risk, intervention_per_1000=per_1000(estimate.value),
                    difference_per_1000=per_1000(estimate.value) - 1000 * risk,
                    ci_low=per_1000(estimate.ci_low) - 1000 * risk, ci_high=per_1000(estimate.ci_high) - 1000 * risk,
                    basis="the comparator risk of the control arms times the relative risk (capped at 1000)")


def _from_risk_difference(kept: Sequence[Candidate], risk: float) -> Absolute:
    """Return the absolute effect from the risk difference where no control patient had an event.

    The counts are used as observed (metafor's escalc with to="none"): no cell needs a correction for a difference.
    """
    yi, vi = [], []
    for c in kept:
        counts = c.contribution.effect.counts
        assert counts is not None
        n1, n2 = counts.a + counts.b, counts.c + counts.d
        p1, p2 = counts.a / n1, counts.c / n2
        yi.append(p1 - p2)
        vi.append(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    if len(yi) == 1:
        half = pooling.Z95 * math.sqrt(vi[0])
        value, low, high = yi[0], yi[0] - half, yi[0] + half
    else:
        fit = pooling.random_effects(yi, vi, Method.REML, POOLED_TEST, with_tau2_ci=False)
        value, low, high = fit.estimate, fit.ci_low, fit.ci_high
    return Absolute(comparator_per_1000=1000 * risk, intervention_per_1000=1000 * (risk + value),
                    difference_per_1000=1000 * value, ci_low=1000 * low, ci_high=1000 * high,
                    basis="no control patient had an event, so the difference is the risk difference of the counts "
                          "as observed (a ratio would make every risk 0)")


def trials_with_data(collected: Iterable[Collected]) -> dict[str, dict[str, set[str]]]:
    """Return, per outcome, each trial with its own result and the time points it has results at."""
    found: dict[str, dict[str, set[str]]] = {}
    for row in collected:
        for candidate in row.candidates:
            if not candidate.contribution.review:
                found.setdefault(row.outcome.id, {}).setdefault(candidate.study.id, set()).add(candidate.key[2])
    return found
