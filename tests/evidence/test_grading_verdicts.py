"""Claim verdicts: what each effect means for each assertion, compound claims, the row chosen, sizes (ring 1)."""

from __future__ import annotations

import msgspec
import pytest

from stemcell_cli.evidence.certainty import Level
from stemcell_cli.evidence.grades import OutcomeRow, Shown, Verdict
from stemcell_cli.evidence.grading import Grader, choose_row, combine, verdict_of
from stemcell_cli.model import (
    Assertion,
    BiasLevel,
    Claim,
    ClaimKind,
    Comparator,
    Condition,
    Magnitude,
    MagnitudeScale,
)

from .test_outcome_rows import FUNCTION, only_row, reported, study

S, NS, VU, NC = Verdict.SUPPORTED, Verdict.NOT_SUPPORTED, Verdict.VERY_UNCERTAIN, Verdict.NOT_CHECKABLE

# What each effect means for a claim, written out from VERDICTS.md: a benefit claim needs benefit; a no-benefit
# claim holds where the cells add nothing (no important difference, or harm); a safety claim (on a harm outcome,
# where "benefit" is fewer harms) holds unless harm is shown; an uncertain effect answers nothing.
TABLE = {
    (Assertion.BENEFIT, Shown.BENEFIT): S,
    (Assertion.BENEFIT, Shown.LITTLE_OR_NO_DIFFERENCE): NS,
    (Assertion.BENEFIT, Shown.HARM): NS,
    (Assertion.BENEFIT, Shown.UNCERTAIN): VU,
    (Assertion.NO_BENEFIT, Shown.BENEFIT): NS,
    (Assertion.NO_BENEFIT, Shown.LITTLE_OR_NO_DIFFERENCE): S,
    (Assertion.NO_BENEFIT, Shown.HARM): S,
    (Assertion.NO_BENEFIT, Shown.UNCERTAIN): VU,
    (Assertion.SAFE, Shown.BENEFIT): S,
    (Assertion.SAFE, Shown.LITTLE_OR_NO_DIFFERENCE): S,
    (Assertion.SAFE, Shown.HARM): NS,
    (Assertion.SAFE, Shown.UNCERTAIN): VU,
}


@pytest.mark.parametrize(("asserts", "effect"), list(TABLE))
def test_verdict_at_low_certainty_follows_the_effect(asserts: Assertion, effect: Shown) -> None:
    assert verdict_of(asserts, effect, Level.LOW) is TABLE[(asserts, effect)]


@pytest.mark.parametrize(("asserts", "effect"), list(TABLE))
@pytest.mark.parametrize("level", [Level.HIGH, Level.MODERATE])
def test_higher_certainty_gives_the_same_verdict(asserts: Assertion, effect: Shown, level: Level) -> None:
    assert verdict_of(asserts, effect, level) is TABLE[(asserts, effect)]


@pytest.mark.parametrize(("asserts", "effect"), list(TABLE))
def test_very_low_certainty_is_always_very_uncertain(asserts: Assertion, effect: Shown) -> None:
    assert verdict_of(asserts, effect, Level.VERY_LOW) is VU


def test_the_table_covers_every_assertion_and_effect() -> None:
    assert len(TABLE) == len(Assertion) * len(Shown) == 12


# --- combine: compound claims ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("parts", "expected"), [
    ([], (NC, None, None)),
    ([(S, Level.HIGH, Shown.BENEFIT), (S, Level.LOW, Shown.BENEFIT)], (S, Level.LOW, Shown.BENEFIT)),
    # supported on different effects (a no-benefit claim: no difference and harm): no one effect to name
    ([(S, Level.MODERATE, Shown.LITTLE_OR_NO_DIFFERENCE), (S, Level.HIGH, Shown.HARM)], (S, Level.MODERATE, None)),
    # one part not supported is enough; the most certain failing part speaks
    ([(S, Level.HIGH, Shown.BENEFIT), (NS, Level.LOW, Shown.HARM), (NS, Level.MODERATE, Shown.LITTLE_OR_NO_DIFFERENCE)],
     (NS, Level.MODERATE, Shown.LITTLE_OR_NO_DIFFERENCE)),
    ([(NS, Level.LOW, Shown.HARM), (VU, Level.VERY_LOW, Shown.UNCERTAIN)], (NS, Level.LOW, Shown.HARM)),
    ([(S, Level.HIGH, Shown.BENEFIT), (VU, Level.VERY_LOW, Shown.BENEFIT)], (VU, Level.VERY_LOW, Shown.UNCERTAIN)),
    ([(S, Level.MODERATE, Shown.BENEFIT), (NC, None, None)], (VU, Level.MODERATE, Shown.UNCERTAIN)),
    ([(VU, None, None), (NC, None, None)], (VU, None, Shown.UNCERTAIN)),
    ([(NC, None, None), (NC, None, None)], (NC, None, None)),
])
def test_combine_supports_only_if_every_part_is_supported(
        parts: list[tuple[Verdict, Level | None, Shown | None]],
        expected: tuple[Verdict, Level | None, Shown | None]) -> None:
    assert combine(parts) == expected


# --- choose_row ------------------------------------------------------------------------------------------------

BASE = only_row([study("a2020", reported("function", "MD", 5.0, 1.0, 9.0, timepoint="6 months"), total=60)],
                "function")


def row(months: float | None, studies: int = 1, comparator: Comparator = Comparator.USUAL_CARE,
        estimated: bool = True) -> OutcomeRow:
    """Return a copy of the base row at another time point, with another count of trials and comparator."""
    timepoint = None if months is None else f"{months:g} months"
    return msgspec.structs.replace(BASE, months=months, timepoint=timepoint, studies=studies, comparator=comparator,
                                   estimate=BASE.estimate if estimated else None)


def test_choose_row_takes_the_longest_follow_up() -> None:
    chosen, why = choose_row([row(6, studies=5), row(12), row(None, studies=9)], None)
    assert chosen is not None
    assert (chosen.months, chosen.studies) == (12, 1)
    assert why == "answered at the longest follow-up with a controlled estimate (12 months); 2 other rows in `sof`"


def test_choose_row_then_takes_the_most_trials_then_placebo() -> None:
    chosen, _why = choose_row([row(12, studies=2, comparator=Comparator.PLACEBO_OR_SHAM), row(12, studies=3)], None)
    assert chosen is not None
    assert (chosen.studies, chosen.comparator) == (3, Comparator.USUAL_CARE)
    chosen, why = choose_row([row(12, studies=3), row(12, studies=3, comparator=Comparator.PLACEBO_OR_SHAM),
                              row(12, studies=3, comparator=Comparator.ACTIVE)], None)
    assert chosen is not None
    assert chosen.comparator is Comparator.PLACEBO_OR_SHAM
    assert why == "answered at the longest follow-up with a controlled estimate (12 months); 2 other rows in `sof`"


def test_choose_row_prefers_an_estimate_and_honours_the_claims_follow_up() -> None:
    chosen, _why = choose_row([row(24, estimated=False), row(6)], None)
    # the later row has no estimate and no votes: it cannot answer
    assert chosen is not None
    assert chosen.months == 6
    assert choose_row([row(6), row(12)], 24) == (None, "")
    chosen, why = choose_row([row(6), row(24)], 24)
    assert chosen is not None
    assert chosen.months == 24
    assert why == "answered at the longest follow-up with a controlled estimate (24 months)"


# --- claims through the grader ----------------------------------------------------------------------------------

CONDITION = Condition(id="c", name="C", outcomes=(FUNCTION,))


def claim(*outcomes: str, asserts: Assertion = Assertion.BENEFIT, magnitude: Magnitude | None = None) -> Claim:
    """Return a claim about these outcomes."""
    return Claim(id="k", page="p", kind=ClaimKind.BENEFIT, text="t", outcome="function", outcomes=outcomes,
                 asserts=asserts, magnitude=magnitude)


def graded(low: float, high: float, the_claim: Claim) -> tuple[Verdict, Level | None, str | None]:
    """Grade a claim on one large low-risk RCT whose MD of function has this 95% CI (high certainty)."""
    trial = study("big2022", reported("function", "MD", (low + high) / 2, low, high, timepoint="12 months"),
                  rob=BiasLevel.LOW, total=600)
    grade = Grader(CONDITION, [trial], []).core(the_claim)
    return grade.verdict, grade.certainty, grade.answers[0].magnitude if grade.answers else None


TEN = Magnitude(scale=MagnitudeScale.DIFFERENCE, value=10.0, note="ten points better")


def test_without_a_size_a_ci_of_1_to_9_supports_a_benefit_claim() -> None:
    assert graded(1.0, 9.0, claim("function"))[:2] == (S, Level.HIGH)


def test_a_claimed_size_above_the_whole_ci_is_not_supported() -> None:
    assert graded(1.0, 9.0, claim("function", magnitude=TEN)) == (
        NS, Level.HIGH, "the claimed size (10) against the 95% CI: the whole CI falls short of it")


def test_a_claimed_size_inside_the_ci_is_very_uncertain() -> None:
    assert graded(5.0, 15.0, claim("function", magnitude=TEN)) == (
        VU, Level.HIGH, "the claimed size (10) against the 95% CI: the CI includes smaller effects")


def test_a_claimed_size_the_whole_ci_reaches_is_supported() -> None:
    assert graded(10.0, 20.0, claim("function", magnitude=TEN)) == (
        S, Level.HIGH, "the claimed size (10) against the 95% CI: the whole CI reaches it")


def test_a_ratio_size_cannot_be_read_from_a_difference() -> None:
    fourfold = Magnitude(scale=MagnitudeScale.RATIO, value=4.0, note="fourfold")
    assert graded(1.0, 9.0, claim("function", magnitude=fourfold)) == (
        VU, Level.HIGH, "the claim asserts a ratio (4.0), but the estimate is a difference (MD): the size cannot be "
                        "read from it")


def test_a_claim_with_no_outcomes_is_not_checkable() -> None:
    grade = Grader(CONDITION, [], []).core(claim())
    assert (grade.verdict, grade.certainty, grade.effect, grade.answers) == (NC, None, None, ())
    assert grade.statement == "This cannot be checked: no curated outcome matches this claim."


def test_a_claim_on_an_outcome_not_curated_is_not_checkable() -> None:
    grade = Grader(CONDITION, [], []).core(claim("walking"))
    assert (grade.verdict, grade.certainty) == (NC, None)
    assert grade.answers[0].reason == "no curated outcome 'walking'"


def test_a_claim_on_an_outcome_nobody_measured_is_not_checkable() -> None:
    grade = Grader(CONDITION, [], []).core(claim("function"))
    assert (grade.verdict, grade.answers[0].reason) == (NC, "no curated result measures it")
