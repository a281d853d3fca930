"""The effects command's result: each outcome's per-study effects, pooled where comparable, and vote-counted."""

from __future__ import annotations

import math

from stemcell_cli.errors import UnknownOutcome
from stemcell_cli.evidence import pooling
from stemcell_cli.evidence.clusters import cluster_keys
from stemcell_cli.evidence.command_results import grader, ref
from stemcell_cli.evidence.effects import BINARY, NoEffect, outcome_effect
from stemcell_cli.evidence.lookup import studies_of
from stemcell_cli.evidence.results import (
    BinaryMeasure,
    ContinuousMeasure,
    EffectsResult,
    Measure,
    Method,
    OutcomeEffects,
    PooledTest,
    RandomMethod,
    StudyEffect,
)
from stemcell_cli.evidence.votes import count_votes
from stemcell_cli.model import Condition, Dataset, Design, Study
from stemcell_cli.names import normalise

# Below this many effects a sign test says nothing (its smallest two-sided p is 0.5 with two).
FEWEST_VOTES = 3

CONTROLLED_DESIGNS = frozenset({Design.RANDOMISED_CONTROLLED_TRIAL, Design.NON_RANDOMISED_CONTROLLED})
# Measures with a line of no effect, so that an effect has a direction.
DIRECTIONAL = frozenset({Measure.RR, Measure.OR, Measure.HR, Measure.IRR, Measure.RD, Measure.MD, Measure.SMD})


def effects(data: Dataset, condition: Condition, *, outcome: str | None = None,
            method: RandomMethod = RandomMethod.REML, knha: bool = False, binary: BinaryMeasure = BinaryMeasure.RR,
            continuous: ContinuousMeasure = ContinuousMeasure.MD) -> EffectsResult:
    """Return every outcome's per-study effects (those whose measure contains `outcome`), pooled and counted."""
    return outcome_effects(data, condition, outcome=outcome, method=Method(method.value),
                           test=PooledTest.KNHA if knha else PooledTest.Z, binary=Measure(binary.value),
                           continuous=Measure(continuous.value))


def outcome_effects(data: Dataset, condition: Condition, *, outcome: str | None, method: Method, test: PooledTest,
                    binary: Measure, continuous: Measure) -> EffectsResult:
    """Return the effects result for any estimator, test and pair of measures."""
    studies = studies_of(data, condition)
    groups: dict[tuple[str, str], list[tuple[Study, StudyEffect]]] = {}
    wanted = normalise(outcome) if outcome else None
    named = {o.id: o for o in condition.outcomes}
    chosen = {o.id for o in condition.outcomes if wanted is None or wanted in normalise(o.id)
              or wanted in normalise(o.name)}
    for study in studies:
        for item in study.outcomes:
            if wanted is not None and wanted not in normalise(item.measure) and item.outcome not in chosen:
                continue
            found = outcome_effect(study, item, binary=binary, continuous=continuous)
            entry = StudyEffect(study=ref(study), outcome=item.measure, timepoint=item.timepoint,
                                effect=None if isinstance(found, NoEffect) else found,
                                reason=found.reason if isinstance(found, NoEffect) else None)
            key = (normalise(item.measure), normalise(item.timepoint or ""))
            groups.setdefault(key, []).append((study, entry))
    if wanted is not None and not groups and not chosen:
        names = [o.name for o in named.values()] or sorted({i.measure for s in studies for i in s.outcomes})
        raise UnknownOutcome(f"--outcome: no outcome matches '{outcome}' (outcomes: {'; '.join(names) or 'none'})")
    cluster = cluster_keys(condition, {s.id: s for s in studies})
    summaries = tuple(_summarise(entries, cluster, method, test) for entries in groups.values())
    rows = tuple(row for row in grader(data, condition).rows() if row.estimate is not None and row.outcome.id in chosen)
    return EffectsResult(condition=condition, outcome_filter=outcome, method=method, test=test, binary=binary,
                         continuous=continuous, outcomes=summaries, rows=rows)


def _candidate(study: Study, entry: StudyEffect) -> bool:
    """Tell whether an effect can enter a pooled fit: a comparison in a controlled primary study, with a variance."""
    effect = entry.effect
    if effect is None or effect.measure not in DIRECTIONAL or effect.yi is None or effect.vi is None:
        return False
    if study.design is Design.SYSTEMATIC_REVIEW or not (math.isfinite(effect.vi) and effect.vi > 0):
        return False
    return effect.control is not None or study.design in CONTROLLED_DESIGNS


def _one_per_cluster(entries: list[tuple[Study, StudyEffect]],
                     cluster: dict[str, str]) -> tuple[list[tuple[Study, StudyEffect]], dict[str, str]]:
    """Keep the largest study of each evidence cluster; say which study each left-out one shares patients with."""
    best: dict[str, tuple[Study, StudyEffect]] = {}
    for study, entry in entries:
        key = cluster.get(study.id, study.id)
        held = best.get(key)
        if held is None or (study.participants.total or 0) > (held[0].participants.total or 0):
            best[key] = (study, entry)
    kept = list(best.values())
    chosen = {id(entry) for _, entry in kept}
    dropped = {study.id: best[cluster.get(study.id, study.id)][0].id for study, entry in entries
               if id(entry) not in chosen}
    return kept, dropped


def _summarise(entries: list[tuple[Study, StudyEffect]], cluster: dict[str, str], method: Method,
               test: PooledTest) -> OutcomeEffects:
    """Pool one outcome's comparable effects, or say why not, and count the directions of its effects."""
    first = entries[0][1]
    directional = [(s, e) for s, e in entries if e.effect is not None and e.effect.measure in DIRECTIONAL
                   and (e.effect.yi is not None or e.effect.estimate is not None)]
    votes = None
    voters, _ = _one_per_cluster(directional, cluster)
    if len(voters) >= FEWEST_VOTES:
        votes = count_votes([_direction(e) for _, e in voters])
    candidates, dropped = _one_per_cluster([(s, e) for s, e in entries if _candidate(s, e)], cluster)
    measures = sorted({e.effect.measure.value for _, e in candidates if e.effect is not None})
    reason = _why_not(entries, candidates, measures)
    notes = {study: f"shares patients with {other}; counted once" for study, other in dropped.items()}
    common = mh = random = None
    measure = Measure(measures[0]) if len(measures) == 1 else None
    pooled_ids: set[int] = set()
    if reason is None and measure is not None:
        yi = [e.effect.yi for _, e in candidates if e.effect is not None and e.effect.yi is not None]
        vi = [e.effect.vi for _, e in candidates if e.effect is not None and e.effect.vi is not None]
        common = pooling.common_effect(yi, vi)
        random = pooling.random_effects(yi, vi, method, test)
        tables = [e.effect.counts for _, e in candidates if e.effect is not None and e.effect.counts is not None]
        if measure in BINARY and len(tables) == len(candidates):
            mh = pooling.mantel_haenszel(measure, tables, yi, vi)
        pooled_ids = {id(e) for _, e in candidates}
    rows = tuple(_marked(entry, id(entry) in pooled_ids, notes.get(study.id) if _candidate(study, entry) else None)
                 for study, entry in entries)
    return OutcomeEffects(outcome=first.outcome, timepoint=first.timepoint, measure=measure, effects=rows,
                          common=common, mantel_haenszel=mh, random=random, not_pooled=reason, votes=votes)


def _marked(entry: StudyEffect, pooled: bool, note: str | None) -> StudyEffect:
    """Return the entry marked as pooled or not, with its note."""
    return StudyEffect(study=entry.study, outcome=entry.outcome, timepoint=entry.timepoint, effect=entry.effect,
                       reason=entry.reason, pooled=pooled, note=note)


def _direction(entry: StudyEffect) -> float:
    """Return an effect's signed distance from no effect (log scale for ratios)."""
    effect = entry.effect
    assert effect is not None
    if effect.yi is not None:
        return effect.yi
    if effect.log_scale:
        return math.log(effect.estimate) if effect.estimate > 0 else -math.inf
    return effect.estimate


def _why_not(entries: list[tuple[Study, StudyEffect]], candidates: list[tuple[Study, StudyEffect]],
             measures: list[str]) -> str | None:
    """Say why an outcome cannot be pooled, or None when it can."""
    if len(measures) > 1:
        return f"different measures ({', '.join(measures)})"
    if len(candidates) == 1:
        return "one study"
    if candidates:
        return None
    found = [(s, e.effect) for s, e in entries if e.effect is not None]
    if not found:
        return "no effect could be computed"
    if any(effect.measure is Measure.PR for _, effect in found):
        return "uncontrolled data (single-group proportions are not compared with a control)"
    if all(study.design is Design.SYSTEMATIC_REVIEW for study, _ in found):
        return "meta-analyses' pooled estimates only (not pooled again)"
    if any(effect.measure is Measure.OTHER for _, effect in found):
        return "the reported measure is not named"
    return "no effect with an interval from a controlled comparison"
