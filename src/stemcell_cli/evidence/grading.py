"""Each claim's verdict from the outcomes it speaks about: the chosen row's estimate and certainty, parts combined."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence

from stemcell_cli.errors import assert_never
from stemcell_cli.evidence.certainty import Level
from stemcell_cli.evidence.domains import everything, graded_rows, row_context
from stemcell_cli.evidence.grades import (
    ClaimGrade,
    Contribution,
    OutcomeAnswer,
    OutcomeRow,
    Robustness,
    Shown,
    Signal,
    Verdict,
    Vote,
)
from stemcell_cli.evidence.harms import rows as harm_rows
from stemcell_cli.evidence.outcomes import collect, months
from stemcell_cli.evidence.statements import comparator_words
from stemcell_cli.model import (
    Assertion,
    Claim,
    ClaimKind,
    Comparator,
    Condition,
    Magnitude,
    MagnitudeScale,
    Study,
    Trial,
)

SCENARIOS: tuple[tuple[str, str], ...] = (
    ("placebo_or_sham", "placebo- or sham-controlled comparisons only"),
    ("same_product", "the claim's product only"),
    ("listed_reviews", "without reviews whose trial lists are unknown"),
    ("low_or_some_bias", "without trials at high risk of bias"),
)


def verdict_of(asserts: Assertion, shown: Shown, certainty: Level) -> Verdict:
    """Return a part's verdict: very low certainty is always very uncertain; else what the effect means."""
    if certainty is Level.VERY_LOW or shown is Shown.UNCERTAIN:
        return Verdict.VERY_UNCERTAIN
    # A safety claim is about harm outcomes, where the benefit side is fewer harms.
    match asserts:
        case Assertion.BENEFIT:
            agrees = shown is Shown.BENEFIT
        case Assertion.NO_BENEFIT:
            agrees = shown is not Shown.BENEFIT
        case Assertion.SAFE:
            agrees = shown is not Shown.HARM
        case _:
            assert_never(asserts)
    return Verdict.SUPPORTED if agrees else Verdict.NOT_SUPPORTED


def choose_row(rows: Sequence[OutcomeRow], at_least_months: int | None) -> tuple[OutcomeRow | None, str]:
    """Return the row that answers a claim: the longest follow-up with an estimate, then most trials, then placebo."""
    usable = [r for r in rows if r.estimate is not None or r.votes]
    if at_least_months is not None:
        usable = [r for r in usable if r.months is not None and r.months >= at_least_months]
    estimated = [r for r in usable if r.estimate is not None]
    pool = estimated or usable
    if not pool:
        return None, ""
    best = max(pool, key=lambda r: (r.months if r.months is not None else -math.inf, r.studies,
                                    r.comparator is Comparator.PLACEBO_OR_SHAM))
    when = best.timepoint or "time point not stated"
    others = len(pool) - 1
    why = (f"answered at the longest follow-up with a controlled {'estimate' if estimated else 'result'} ({when})"
           + (f"; {others} other row{'s' if others != 1 else ''} in `sof`" if others else ""))
    return best, why


def _magnitude(magnitude: Magnitude, row: OutcomeRow) -> tuple[Verdict | None, str]:
    """Check a claimed size against the estimate: supported only if the whole CI reaches it."""
    estimate = row.estimate
    if estimate is None:
        return Verdict.VERY_UNCERTAIN, "the claimed size cannot be checked without an estimate"
    wanted = magnitude.value
    if magnitude.scale is MagnitudeScale.RATIO:
        if not estimate.log_scale:
            return Verdict.VERY_UNCERTAIN, (f"the claim asserts a ratio ({magnitude.printed.get('value', wanted)}), "
                                            f"but the estimate is a difference ({estimate.measure.value}): the size "
                                            "cannot be read from it")
        values = [estimate.value, estimate.ci_low, estimate.ci_high]
        if row.outcome.better.value == "lower":
            values = [1 / v for v in values]
    elif row.absolute is not None:
        # A difference in events is read per 1000, as the claim's size is curated.
        values = [row.absolute.difference_per_1000, row.absolute.ci_low, row.absolute.ci_high]
        if row.outcome.better.value == "lower":
            values = [-v for v in values]
    elif estimate.log_scale:
        return Verdict.VERY_UNCERTAIN, (f"the claim asserts a difference ({magnitude.printed.get('value', wanted)}), "
                                        f"but the estimate is a ratio ({estimate.measure.value}) with no comparator "
                                        "risk to read a difference from")
    else:
        values = [estimate.value, estimate.ci_low, estimate.ci_high]
        if row.outcome.better.value == "lower":
            values = [-v for v in values]
    low, high = min(values[1:]), max(values[1:])
    size = f"the claimed size ({magnitude.printed.get('value', f'{wanted:g}')}) against the 95% CI"
    if low >= wanted:
        return None, f"{size}: the whole CI reaches it"
    if high < wanted:
        return Verdict.NOT_SUPPORTED, f"{size}: the whole CI falls short of it"
    return Verdict.VERY_UNCERTAIN, f"{size}: the CI includes smaller effects"


def answer(claim: Claim, outcome_id: str, condition: Condition, rows: Sequence[OutcomeRow],
           signals: Mapping[str, Sequence[Signal]]) -> OutcomeAnswer:
    """Return how one outcome answers the claim."""
    definition = next((o for o in condition.outcomes if o.id == outcome_id), None)
    name = definition.name if definition else outcome_id
    if definition is None:
        return OutcomeAnswer(outcome=outcome_id, name=name, verdict=Verdict.NOT_CHECKABLE,
                             reason=f"no curated outcome {outcome_id!r}", row=None)
    compared = [r for r in rows if r.outcome.id == outcome_id
                and (claim.comparator is None or r.comparator is claim.comparator)]
    row, why = choose_row(compared, claim.at_least_months)
    later = f" at {claim.at_least_months} months or later" if claim.at_least_months else ""
    if claim.comparator is not None:
        later += f" against {comparator_words(claim.comparator)}"
    if row is None:
        # An uncontrolled report compares with nothing, so it cannot speak to a claim about one comparison.
        found = [s for s in signals.get(outcome_id, ()) if claim.comparator is None
                 and (claim.at_least_months is None or (months(s.timepoint) or 0) >= claim.at_least_months)]
        if found:
            names = ", ".join(dict.fromkeys(s.label for s in found))
            return OutcomeAnswer(outcome=outcome_id, name=name, verdict=Verdict.VERY_UNCERTAIN,
                                 reason=f"only uncontrolled reports bear on it{later} ({names}): they cannot "
                                        "separate the therapy's effect from the treatment given with it",
                                 row=None, signals=tuple(found))
        # Only results at the claim's own follow-up explain why none answers it.
        left = [x for r in compared if claim.at_least_months is None
                or (r.months is not None and r.months >= claim.at_least_months) for x in r.left_out]
        if left:
            why = "; ".join(f"{x.label}: {x.reason}" for x in left)
            return OutcomeAnswer(outcome=outcome_id, name=name, verdict=Verdict.NOT_CHECKABLE,
                                 reason=f"no curated result of it can enter an estimate{later} ({why})", row=None)
        return OutcomeAnswer(outcome=outcome_id, name=name, verdict=Verdict.NOT_CHECKABLE,
                             reason=f"no curated result measures it{later}", row=None)
    verdict = verdict_of(claim.asserts, row.shown, row.certainty)
    reason = f"{why}: shows {row.shown.value.replace('_', ' ')} at {row.certainty.value.replace('_', ' ')} certainty"
    size = None
    if claim.magnitude is not None:
        # The size is always checked and shown; it can only take a verdict down from supported.
        downgraded, size = _magnitude(claim.magnitude, row)
        if downgraded is not None and verdict is Verdict.SUPPORTED:
            verdict = downgraded
    return OutcomeAnswer(outcome=outcome_id, name=name, verdict=verdict, reason=reason, row=row,
                         signals=tuple(signals.get(outcome_id, ())), magnitude=size)


def combine(parts: Sequence[tuple[Verdict, Level | None, Shown | None]]) -> tuple[Verdict, Level | None, Shown | None]:
    """Return a compound claim's verdict: supported if every part is, not supported if any part is not."""
    if not parts:
        return Verdict.NOT_CHECKABLE, None, None
    verdicts = [v for v, _c, _s in parts]
    if all(v is Verdict.SUPPORTED for v in verdicts):
        levels = [c for _v, c, _s in parts if c is not None]
        effects = {s for _v, _c, s in parts}
        return Verdict.SUPPORTED, min(levels, key=lambda lv: lv.points), effects.pop() if len(effects) == 1 else None
    failing = [(c, s) for v, c, s in parts if v is Verdict.NOT_SUPPORTED and c is not None]
    if failing:
        level, effect = max(failing, key=lambda cs: cs[0].points)
        return Verdict.NOT_SUPPORTED, level, effect
    if all(v is Verdict.NOT_CHECKABLE for v in verdicts):
        return Verdict.NOT_CHECKABLE, None, None
    levels = [c for _v, c, _s in parts if c is not None]
    return Verdict.VERY_UNCERTAIN, (min(levels, key=lambda lv: lv.points) if levels else None), Shown.UNCERTAIN


def _nothing_other(_item: Contribution | Vote) -> bool:
    """Take no result as another product's (a claim that names none)."""
    return False


class Grader:
    """Grades a condition's claims, with the outcome rows computed once per analysis."""

    def __init__(self, condition: Condition, studies: Sequence[Study], trials: Sequence[Trial]) -> None:
        self.condition = condition
        self.studies = list(studies)
        self.trials = list(trials)
        self.by_id = {s.id: s for s in self.studies}
        # By analysis, then by outcome: a claim's analyses grade only the outcomes it speaks about, each once.
        self._rows: dict[str, dict[str, tuple[OutcomeRow, ...]]] = {}
        # What the studies report does not change between analyses: it is collected once, then filtered.
        self.collected, self.signals = collect(condition, self.studies)
        self.context = row_context(condition, self.studies, self.trials, self.collected)
        self._order = [o.id for o in condition.outcomes]

    def rows(self, name: str = "main", keep: Callable[[Contribution | Vote], bool] = everything,
             other_product: Callable[[Contribution | Vote], bool] = _nothing_other,
             outcomes: Collection[str] | None = None) -> tuple[OutcomeRow, ...]:
        """Return one analysis's graded rows (of the named outcomes only, if given), each computed once."""
        wanted = self._order if outcomes is None else [o for o in self._order if o in outcomes]
        done = self._rows.setdefault(name, {})
        missing = [o for o in wanted if o not in done]
        if missing:
            # An analysis that keeps everything is the main one.
            if name != "main" and other_product is _nothing_other and all(
                    keep(c.contribution) for row in self.collected for c in row.candidates) and all(
                    keep(v) for row in self.collected for v in row.votes):
                graded = self.rows(outcomes=missing)
            else:
                graded = graded_rows(self.condition, self.studies, self.trials, keep=keep,
                                     other_product=other_product, context=self.context, outcomes=set(missing))
            for outcome in missing:
                done[outcome] = tuple(r for r in graded if r.outcome.id == outcome)
        return tuple(r for outcome in wanted for r in done[outcome])

    def _claim_rows(self, claim: Claim, name: str = "main",
                    keep: Callable[[Contribution | Vote], bool] = everything) -> tuple[OutcomeRow, ...]:
        """Return the rows a claim is answered on: its product's own where it names one, others as indirect."""
        if claim.product is None:
            return self.rows(name, keep, outcomes=claim.outcomes)
        product = claim.product
        own = self.rows(f"{name}:{product}", lambda c: keep(c) and c.product == product, outcomes=claim.outcomes)
        rest = self.rows(f"{name}:{product}:indirect", keep, lambda c: c.product != product, outcomes=claim.outcomes)
        answered = {r.outcome.id for r in own if r.estimate is not None}
        return tuple(r for r in own if r.outcome.id in answered) + tuple(
            r for r in rest if r.outcome.id not in answered)

    def core(self, claim: Claim, name: str = "main",
             keep: Callable[[Contribution | Vote], bool] = everything) -> ClaimGrade:
        """Return the claim's verdict on one analysis, without robustness rows."""
        if not claim.outcomes:
            cited = len({link.study for link in (*claim.support, *claim.contrast)})
            if cited:
                # Studies are cited about it, but its outcomes are not curated as numbers yet: no estimate can grade
                # it, which is very uncertain, not uncheckable.
                reason = (f"its outcomes are not curated as numbers yet, so no estimate grades it ({cited} "
                          f"{'study is' if cited == 1 else 'studies are'} cited about it)")
                return ClaimGrade(verdict=Verdict.VERY_UNCERTAIN, effect=None, certainty=None,
                                  statement=f"Not graded from effect estimates: {reason}.", reason=reason, answers=())
            reason = "no curated outcome matches this claim"
            return ClaimGrade(verdict=Verdict.NOT_CHECKABLE, effect=None, certainty=None,
                              statement=f"This cannot be checked: {reason}.", reason=reason, answers=())
        rows = self._claim_rows(claim, name, keep)
        answers = tuple(answer(claim, oid, self.condition, rows, self.signals) for oid in claim.outcomes)
        parts = [(a.verdict, a.row.certainty if a.row else (Level.VERY_LOW if a.signals else None),
                  a.row.shown if a.row else None) for a in answers]
        verdict, certainty, effect = combine(parts)
        reason = "; ".join(f"{a.name}: {a.verdict.value.replace('_', ' ')} ({a.reason}"
                           + (f"; {a.magnitude}" if a.magnitude else "") + ")" for a in answers)
        statement = " ".join(a.row.statement if a.row else f"{a.name}: {a.reason}." for a in answers)
        return ClaimGrade(verdict=verdict, effect=effect, certainty=certainty, statement=statement, reason=reason,
                          answers=answers)

    def grade(self, claim: Claim) -> ClaimGrade:
        """Return the claim's verdict with its robustness rows and, for a quoted conclusion, its independence."""
        main = self.core(claim)
        source = claim.cites[0] if claim.kind is ClaimKind.QUOTED_CONCLUSION and claim.cites else None
        checks = tuple(self._robust(claim, main, scenario, words) for scenario, words in SCENARIOS)
        independent = None
        if source is not None:
            related = self._related(source)
            again = self.core(claim, f"without:{source}", lambda c: c.study not in related)
            independent = main.verdict in (Verdict.SUPPORTED, Verdict.NOT_SUPPORTED) and again.verdict is main.verdict
        harms = harm_rows(self.studies) if claim.asserts is Assertion.SAFE else ()
        return ClaimGrade(verdict=main.verdict, effect=main.effect, certainty=main.certainty,
                          statement=main.statement, reason=main.reason, answers=main.answers, source=source,
                          independent_confirmation=independent, robustness=checks, harms=harms)

    def _related(self, study_id: str) -> set[str]:
        """Return a study with those that share its patients (the one clustering) and the reviews that pool it."""
        keys = self.context.keys
        key = keys.get(study_id, study_id)
        related = {sid for sid, other in keys.items() if other == key} | {study_id}
        return related | {s.id for s in self.studies if s.pooling is not None and study_id in s.pooling.includes}

    def _robust(self, claim: Claim, main: ClaimGrade, scenario: str, words: str) -> Robustness:
        """Grade the claim again on the evidence one scenario keeps."""
        note = None
        if scenario == "placebo_or_sham":
            def keep(c: Contribution | Vote) -> bool:
                return c.comparator is Comparator.PLACEBO_OR_SHAM
        elif scenario == "same_product":
            product = claim.product
            if product is None:
                note = "the claim names no product, so every product is kept"

            def keep(c: Contribution | Vote) -> bool:
                return product is None or c.product == product
        elif scenario == "listed_reviews":
            def keep(c: Contribution | Vote) -> bool:
                return not (c.review and not c.trials_listed)
        else:
            def keep(c: Contribution | Vote) -> bool:
                return c.risk_of_bias != "high"
        again = self.core(claim, scenario, keep)
        used = {c.study for a in main.answers if a.row for c in a.row.contributions}
        removed = tuple(sorted(sid for sid in used if not any(
            keep(c) for a in main.answers if a.row for c in a.row.contributions if c.study == sid)))
        changed = (again.verdict, again.certainty) != (main.verdict, main.certainty)
        return Robustness(words, removed, again.verdict, again.certainty, changed, note)


def combine_claims(claim: Claim, parts: Sequence[tuple[Claim, ClaimGrade]]) -> ClaimGrade:
    """Return the verdict of a claim made of others, by the same rule as a compound claim's outcomes."""
    verdict, certainty, effect = combine([(g.verdict, g.certainty, g.effect) for _c, g in parts])
    reason = "its parts: " + ", ".join(f"{c.id} {g.verdict.value.replace('_', ' ')}"
                                       + (f" ({g.certainty.value.replace('_', ' ')})" if g.certainty else "")
                                       for c, g in parts)
    match verdict:
        case Verdict.SUPPORTED:
            words = "The evidence supports every part of this claim"
        case Verdict.NOT_SUPPORTED:
            words = "The evidence does not support part of this claim"
        case Verdict.VERY_UNCERTAIN:
            words = "The evidence is very uncertain about part of this claim"
        case Verdict.NOT_CHECKABLE:
            words = "No part of this claim can be checked"
        case _:
            assert_never(verdict)
    return ClaimGrade(verdict=verdict, effect=effect, certainty=certainty, statement=f"{words}: {reason}.",
                      reason=reason, answers=(), parts=tuple(c.id for c, _g in parts))
