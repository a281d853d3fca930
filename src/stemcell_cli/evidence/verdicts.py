"""Each claim's verdict: evidence counted once, started by design, rated down by GRADE's domains, then re-checked."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import msgspec

from stemcell_cli.evidence import downgrades
from stemcell_cli.evidence.certainty import Level, start
from stemcell_cli.evidence.clusters import Group, Item, Side, cluster_side, group, tally
from stemcell_cli.evidence.harms import SAFE_TREATED, balance, rows
from stemcell_cli.evidence.lookup import study_label
from stemcell_cli.evidence.results import ClusterView, Domain, Grade, Robustness, Step, Verdict
from stemcell_cli.evidence.statements import statement
from stemcell_cli.model import (
    Assertion,
    BiasLevel,
    CitationIssue,
    Claim,
    ClaimKind,
    ClusterKind,
    Condition,
    IssueKind,
    Study,
)

VERDICT_RULES: tuple[tuple[Verdict, str], ...] = (
    (Verdict.NOT_CHECKABLE, "the quoted sentence was not found in its source and no other curated study bears on it"),
    (Verdict.SUPPORTS, "every decisive cluster (those that start at the best level) points the way the claim does"),
    (Verdict.CONTRADICTS, "every decisive cluster points against the claim"),
    (Verdict.HARM_SHOWN, "for a safety claim, controlled studies show harm (see the harm rules)"),
    (Verdict.INCONCLUSIVE, "decisive clusters point both ways, only uncontrolled reports bear on an effect, a safety "
                           "claim rests on too few treated patients, or no curated study bears on the claim"),
)

_SIDE_VERDICT = {Side.SUPPORT: Verdict.SUPPORTS, Side.CONTRAST: Verdict.CONTRADICTS}
_VERDICT_SIDE = {Verdict.SUPPORTS: Side.SUPPORT, Verdict.CONTRADICTS: Side.CONTRAST}


def source_ids(claim: Claim) -> tuple[str, ...]:
    """Return the studies a quoted conclusion comes from: they are its source, never its support."""
    return claim.cites if claim.kind is ClaimKind.QUOTED_CONCLUSION else ()


def grade_claim(claim: Claim, items: Sequence[Item], issues: Sequence[CitationIssue], condition: Condition,
                studies: Mapping[str, Study]) -> Grade:
    """Return the claim's verdict with its derivation and its robustness checks."""
    sources = source_ids(claim)
    evidence = [item for item in items if item.study.id not in sources]
    main = _core(claim, evidence, issues, condition, studies)
    checks = tuple(_robust(main, claim, evidence, issues, condition, studies, name, keep)
                   for name, keep in _scenarios(condition, studies))
    return msgspec.structs.replace(main, source=sources[0] if sources else None, robustness=checks)


def combine(claim: Claim, parts: Sequence[tuple[Claim, Grade]]) -> Grade:
    """Return the verdict of a claim made of others: the worst direction, the lowest certainty of its parts (GRADE)."""
    verdicts = [grade.verdict for _part, grade in parts]
    words = ", ".join(f"{part.id} {grade.verdict.value.replace('_', ' ')}"
                      + (f" ({grade.certainty.value.replace('_', ' ')})" if grade.certainty else "")
                      for part, grade in parts)
    if Verdict.HARM_SHOWN in verdicts:
        verdict = Verdict.HARM_SHOWN
    elif Verdict.CONTRADICTS in verdicts:
        verdict = Verdict.CONTRADICTS
    elif verdicts and all(v is Verdict.SUPPORTS for v in verdicts):
        verdict = Verdict.SUPPORTS
    else:
        verdict = Verdict.INCONCLUSIVE
    levels = [grade.certainty for _part, grade in parts if grade.certainty is not None]
    certainty = min(levels, key=lambda lv: lv.points) if levels else None
    reason = f"its parts: {words}" if parts else "it names no parts"
    text = {
        Verdict.SUPPORTS: "The evidence points towards every part of this claim",
        Verdict.CONTRADICTS: "The evidence points against part of this claim",
        Verdict.HARM_SHOWN: "Harm is shown for part of this claim",
        Verdict.INCONCLUSIVE: "Not established",
    }[verdict]
    level = f"; its certainty is the lowest of its parts', {certainty.value.replace('_', ' ')}" if certainty else ""
    start_reason = ("rests on other claims; like GRADE's overall certainty across critical outcomes, it takes the "
                    "lowest certainty of its parts")
    return Grade(verdict, certainty, None, start_reason, reason, (), (), 0, 0, None, f"{text}: {reason}{level}.",
                 parts=tuple(part.id for part, _grade in parts))


def _scenarios(condition: Condition, studies: Mapping[str, Study]) -> list[tuple[str, Callable[[Item], bool]]]:
    """Return the robustness scenarios: controlled only, without high risk of bias, without the biggest group."""
    scenarios: list[tuple[str, Callable[[Item], bool]]] = [
        ("controlled studies only", lambda i: start(i.study, studies) is not Level.VERY_LOW),
        ("without studies at high risk of bias",
         lambda i: i.study.risk_of_bias is None or i.study.risk_of_bias.level is not BiasLevel.HIGH),
    ]
    groups = [c for c in condition.clusters if c.kind is not ClusterKind.POOLED_SAME_TRIALS]
    if groups:
        biggest = max(groups, key=lambda c: len(c.studies))
        members = set(biggest.studies)
        scenarios.append((f"without cluster {biggest.id}", lambda i: i.study.id not in members))
    return scenarios


def _robust(main: Grade, claim: Claim, evidence: Sequence[Item], issues: Sequence[CitationIssue],
            condition: Condition, studies: Mapping[str, Study], name: str, keep: Callable[[Item], bool]) -> Robustness:
    """Recompute the verdict on the evidence a scenario keeps, and say whether it changed."""
    kept = [item for item in evidence if keep(item)]
    removed = tuple(dict.fromkeys(item.study.id for item in evidence if not keep(item)))
    again = _core(claim, kept, issues, condition, studies)
    changed = (again.verdict, again.certainty) != (main.verdict, main.certainty)
    return Robustness(name, removed, again.verdict, again.certainty, changed)


def _core(claim: Claim, evidence: Sequence[Item], issues: Sequence[CitationIssue], condition: Condition,
          studies: Mapping[str, Study]) -> Grade:
    """Return the verdict on this evidence, without robustness checks."""
    therapy, outcome = condition.therapy, claim.outcome
    if not evidence:
        not_found = any(i.kind is IssueKind.QUOTE_NOT_FOUND for i in issues)
        verdict = Verdict.NOT_CHECKABLE if not_found else Verdict.INCONCLUSIVE
        reason = ("the quoted sentence was not found in its source, and no other curated study bears on it"
                  if not_found else "no curated study other than its source bears on it")
        text = statement(verdict, None, claim.asserts, therapy=therapy, outcome=outcome, reason=reason)
        return Grade(verdict, None, None, "no evidence to start from", reason, (), (), 0, 0, None, text)
    groups = group(evidence, condition, studies)
    starts = [max((start(i.study, studies) for i in g.items), key=lambda lv: lv.points) for g in groups]
    best = max(starts, key=lambda lv: lv.points)
    sides = [cluster_side(i for i in g.items if start(i.study, studies) is level)
             for g, level in zip(groups, starts, strict=True)]
    decisive_index = [k for k, s in enumerate(starts) if s is best]
    decisive_groups = [groups[k] for k in decisive_index]
    decisive = [i for g in decisive_groups for i in g.items if start(i.study, studies) is best]
    verdict, reason = _verdict(claim, evidence, best, [sides[k] for k in decisive_index])
    steps = _steps(evidence, decisive, decisive_groups, {n: sides[k] for n, k in enumerate(decisive_index)},
                   condition, _VERDICT_SIDE.get(verdict), studies)
    certainty = best.lowered(sum(step.levels for step in steps))
    harm_rows = rows(_distinct(i.study for i in evidence)) if claim.asserts is Assertion.SAFE else ()
    clusters = tuple(ClusterView(g.study_ids, tuple(study_label(studies[s]) if s in studies else s
                                                   for s in g.study_ids),
                                 sides[k], starts[k], starts[k] is best, g.reasons) for k, g in enumerate(groups))
    support, contrast = tally(groups)
    text = statement(verdict, certainty, claim.asserts, therapy=therapy, outcome=outcome, reason=reason)
    split = next(s for s in steps if s.domain is Domain.INCONSISTENCY)
    if split.levels and verdict is not Verdict.INCONCLUSIVE:
        text += f" Rated down for inconsistency: {split.reason}."
    return Grade(verdict, certainty, best, _start_reason(best, decisive), reason, steps, clusters, support, contrast,
                 None, text, harms=harm_rows)


def _verdict(claim: Claim, evidence: Sequence[Item], best: Level, sides: Sequence[Side]) -> tuple[Verdict, str]:
    """Return the direction of the evidence and why."""
    if claim.asserts is Assertion.SAFE:
        found = balance(_distinct(i.study for i in evidence))
        counted = _plural(found.treated_events, "death or serious adverse event", "deaths or serious adverse events")
        harms = (f"{counted} in {found.treated} treated patients against {found.control_events} in "
                 f"{found.control} controls in controlled studies with harms per arm") if found.treated else (
                 "no controlled study with harms per arm")
        if found.uncurated:
            harms += f" (not curated for {', '.join(found.uncurated)})"
        if found.shown:
            why = (f"attributed to treatment by the authors of {', '.join(found.attributed)}" if found.attributed
                   else f"Fisher exact p = {found.p:.3g}")
            return Verdict.HARM_SHOWN, f"{harms}; {why}"
        if found.treated >= SAFE_TREATED:
            return Verdict.SUPPORTS, f"{harms}, none attributed to treatment by the authors"
        return Verdict.INCONCLUSIVE, (f"{harms}, none attributed to treatment by the authors; at least "
                                      f"{SAFE_TREATED} treated "
                                      "patients in controlled studies are needed to rule out a 1% rate of serious "
                                      "harm")
    if best is Level.VERY_LOW:
        return Verdict.INCONCLUSIVE, ("only uncontrolled reports bear on it, and they cannot separate the therapy's "
                                      "effect from that of the treatment given with it")
    distinct = set(sides)
    if len(distinct) == 1 and Side.MIXED not in distinct:
        return _SIDE_VERDICT[distinct.pop()], "the decisive evidence points one way"
    return Verdict.INCONCLUSIVE, "the decisive evidence points both ways"


def _steps(evidence: Sequence[Item], decisive: Sequence[Item], decisive_groups: Sequence[Group],
           sides: Mapping[int, Side], condition: Condition, verdict_side: Side | None,
           studies: Mapping[str, Study]) -> tuple[Step, ...]:
    """Return the five downgrade steps, each checked, in GRADE's order."""
    return (
        downgrades.risk_of_bias(decisive),
        downgrades.inconsistency(decisive_groups, sides),
        downgrades.indirectness(decisive),
        downgrades.imprecision(decisive_groups, studies),
        downgrades.publication_bias(evidence, decisive, condition, verdict_side),
    )


def _start_reason(best: Level, decisive: Sequence[Item]) -> str:
    """Say where the certainty starts and which studies set it."""
    names = ", ".join(dict.fromkeys(study_label(i.study) for i in decisive))
    what = {Level.HIGH: "randomised comparisons", Level.MODERATE: "randomised comparisons",
            Level.LOW: "non-randomised controlled comparisons",
            Level.VERY_LOW: "uncontrolled reports"}[best]
    return f"starts {best.value.replace('_', ' ')}: the best independent evidence is {what} ({names})"


def _plural(n: int, one: str, many: str) -> str:
    """Return 'n thing' with the right number."""
    return f"{n} {one if n == 1 else many}"


def _distinct(studies: Iterable[Study]) -> list[Study]:
    """Return the studies each once, by id, in order (records holding mappings cannot be hashed)."""
    return list({study.id: study for study in studies}.values())
