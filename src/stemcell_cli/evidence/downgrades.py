"""GRADE's five reasons to rate certainty down, each applied to the decisive evidence with a reason in a sentence."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from stemcell_cli.evidence.clusters import Group, Item, Side, study_sides
from stemcell_cli.evidence.lookup import study_label
from stemcell_cli.evidence.results import Domain, Step
from stemcell_cli.model import BiasLevel, BiasReason, ClusterKind, Condition, Study

# GRADE's rule of thumb for the optimal information size of a continuous outcome is about 400 participants;
# under 100 the estimate rests on so few patients that we rate down twice.
ENOUGH_PARTICIPANTS = 400
VERY_FEW_PARTICIPANTS = 100

DOWNGRADE_RULES: tuple[tuple[Domain, str], ...] = (
    (Domain.RISK_OF_BIAS, "one level if a decisive study is at high risk of bias or most have some concerns; two "
                          "if most are at high risk (a meta-analysis is judged by the trials it pools)"),
    (Domain.INCONSISTENCY, "one level if decisive clusters point different ways, a study pooled with the decisive "
                           "evidence points the other way, or a decisive study's own results point both ways"),
    (Domain.INDIRECTNESS, "one level if a decisive study measured another outcome, population or cell type than "
                          "the claim's"),
    (Domain.IMPRECISION, f"one level under {ENOUGH_PARTICIPANTS} participants of known size in the decisive "
                         f"evidence (or none known), two under {VERY_FEW_PARTICIPANTS}"),
    (Domain.PUBLICATION_BIAS, "one level if one group or centre produced more than half of the studies on the "
                              "claim, or a cell manufacturer funded decisive evidence that agrees with the verdict"),
)


def _names(studies: Sequence[Study]) -> str:
    """Return the studies' labels as a readable list."""
    labels = [study_label(s) for s in studies]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _unique(items: Sequence[Item]) -> list[Study]:
    """Return the items' studies, each once, in order."""
    return list({item.study.id: item.study for item in items}.values())


def risk_of_bias(decisive: Sequence[Item]) -> Step:
    """Rate down for the decisive studies' curated risk of bias."""
    studies = _unique(decisive)
    levels = {s.id: s.risk_of_bias.level if s.risk_of_bias else BiasLevel.SOME_CONCERNS for s in studies}
    high = [s for s in studies if levels[s.id] is BiasLevel.HIGH]
    concerns = [s for s in studies if levels[s.id] is BiasLevel.SOME_CONCERNS]
    flagged = high + concerns
    if len(high) * 2 > len(studies):
        levels_down = 2
    elif high or len(concerns) * 2 > len(studies):
        levels_down = 1
    else:
        return Step(Domain.RISK_OF_BIAS, 0, "not rated down: no decisive study is at high risk of bias and at most "
                                            "half have some concerns")
    details = "; ".join(f"{study_label(s)}: {_bias_words(s)}" for s in flagged)
    return Step(Domain.RISK_OF_BIAS, levels_down, f"risk of bias in the decisive evidence ({details})",
                tuple(s.id for s in flagged))


def _bias_words(study: Study) -> str:
    """Return a study's risk-of-bias judgement and reasons in words."""
    rob = study.risk_of_bias
    if rob is None:
        return "not assessed"
    reasons = [r.value.replace("_", " ") for r in rob.reasons if r is not BiasReason.MANUFACTURER_FUNDED]
    level = rob.level.value.replace("_", " ")
    return f"{level}, {', '.join(reasons)}" if reasons else level


def inconsistency(decisive_groups: Sequence[Group], sides: Mapping[int, Side]) -> Step:
    """Rate down when the decisive evidence points different ways."""
    found: list[str] = []
    studies: list[Study] = []
    directions = {sides[i] for i in range(len(decisive_groups))}
    if len(directions - {Side.MIXED}) > 1:
        found.append("the decisive clusters point different ways")
    for index, grp in enumerate(decisive_groups):
        side = sides[index]
        if side is Side.MIXED:
            continue
        against = [item.study for item in grp.items
                   if study_sides(grp.items)[item.study.id] not in (side, Side.MIXED)]
        against = list({s.id: s for s in against}.values())
        if against:
            found.append(f"{_names(against)}, in the same body of evidence, points the other way")
            studies += against
    both = [s for s in _unique([i for g in decisive_groups for i in g.items])
            if study_sides([i for g in decisive_groups for i in g.items])[s.id] is Side.MIXED]
    if both:
        found.append(f"{_names(both)} reports results on both sides of the claim")
        studies += both
    if not found:
        return Step(Domain.INCONSISTENCY, 0, "the decisive evidence points one way")
    return Step(Domain.INCONSISTENCY, 1, "; ".join(found), tuple(dict.fromkeys(s.id for s in studies)))


def indirectness(decisive: Sequence[Item]) -> Step:
    """Rate down when decisive studies measured something other than the claim."""
    indirect = [item for item in decisive if item.indirect]
    if not indirect:
        return Step(Domain.INDIRECTNESS, 0, "the decisive studies measured the claim's outcome")
    reasons = dict.fromkeys((study_label(item.study), item.indirect) for item in indirect)
    details = "; ".join(f"{label}: {why}" for label, why in reasons)
    return Step(Domain.INDIRECTNESS, 1, f"indirect evidence ({details})",
                tuple(dict.fromkeys(item.study.id for item in indirect)))


def participants(decisive_groups: Sequence[Group], studies: Mapping[str, Study]) -> tuple[int, list[str]]:
    """Return the participants of known size in the decisive clusters, each trial once, and what has no size."""
    sizes: dict[str, int | None] = {}
    pooled_totals: list[int] = []
    for grp in decisive_groups:
        for study in _unique(grp.items):
            if study.pooling is None:
                sizes.setdefault(study_label(study), study.participants.total)
                continue
            if study.pooling.participants is not None:
                pooled_totals.append(study.pooling.participants)
            for member in study.pooling.includes:
                if member in studies:
                    sizes.setdefault(study_label(studies[member]), studies[member].participants.total)
            for other in study.pooling.others:
                if sizes.get(other.label) is None:
                    sizes[other.label] = other.n
    known = sum(n for n in sizes.values() if n is not None)
    return max([known, *pooled_totals]), [label for label, n in sizes.items() if n is None]


def imprecision(decisive_groups: Sequence[Group], studies: Mapping[str, Study]) -> Step:
    """Rate down when the decisive evidence rests on few participants."""
    total, unknown = participants(decisive_groups, studies)
    ids = tuple(dict.fromkeys(i.study.id for g in decisive_groups for i in g.items))
    also = f"; size not known for {', '.join(unknown)}" if unknown else ""
    what = f"{total} participants of known size in the decisive evidence, each trial counted once{also}"
    if total < VERY_FEW_PARTICIPANTS:
        return Step(Domain.IMPRECISION, 2, what, ids)
    if total < ENOUGH_PARTICIPANTS:
        return Step(Domain.IMPRECISION, 1, what, ids)
    return Step(Domain.IMPRECISION, 0, what)


def publication_bias(items: Sequence[Item], decisive: Sequence[Item], condition: Condition,
                     verdict_side: Side | None) -> Step:
    """Rate down when one group produced most of the evidence, or a manufacturer funded the agreeing evidence."""
    studies = _unique(items)
    ids = {s.id for s in studies}
    found: list[str] = []
    flagged: list[str] = []
    groups = [c for c in condition.clusters if c.kind in (ClusterKind.SAME_GROUP, ClusterKind.OVERLAPPING_COHORT,
                                                           ClusterKind.SERIAL_REPORTS)]
    counts = Counter({c.id: len(ids & set(c.studies)) for c in groups})
    if counts:
        top, count = counts.most_common(1)[0]
        if count * 2 > len(studies):
            found.append(f"{count} of the {len(studies)} studies on the claim come from one group (cluster {top})")
            flagged += sorted(ids & set(next(c for c in groups if c.id == top).studies))
    funded = [i.study for i in decisive if i.side is verdict_side and i.study.risk_of_bias is not None
              and BiasReason.MANUFACTURER_FUNDED in i.study.risk_of_bias.reasons]
    funded = list({s.id: s for s in funded}.values())
    if funded:
        found.append(f"a cell manufacturer funded {_names(funded)}")
        flagged += [s.id for s in funded]
    if not found:
        return Step(Domain.PUBLICATION_BIAS, 0, "no one group dominates and no manufacturer funded the agreeing "
                                                "decisive evidence")
    return Step(Domain.PUBLICATION_BIAS, 1, "; ".join(found), tuple(dict.fromkeys(flagged)))


