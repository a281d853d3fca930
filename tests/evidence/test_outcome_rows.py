"""Outcome rows as numbers: each trial once, reviews only standing in, REML + Hartung-Knapp as metafor (ring 1).

The records are built in Python and passed to the evidence functions directly (no CLI, no YAML). The builders
here are shared with the other `test_outcome_*` and `test_grading_*` files.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from stemcell_cli.evidence.certainty import Level
from stemcell_cli.evidence.domains import graded_rows
from stemcell_cli.evidence.effects import split_arms as comparison_arms
from stemcell_cli.evidence.estimates import Measure
from stemcell_cli.evidence.grades import LeftOut, OutcomeRow, Shown, Signal, Verdict
from stemcell_cli.evidence.grading import Grader
from stemcell_cli.evidence.outcomes import collect, months
from stemcell_cli.evidence.statements import row_statement
from stemcell_cli.model import (
    ArmResult,
    ArmRole,
    Assertion,
    Better,
    BiasLevel,
    BiasReason,
    Claim,
    ClaimKind,
    Cluster,
    ClusterKind,
    Comparator,
    Comparison,
    Condition,
    Design,
    Direction,
    Estimate,
    Fact,
    Finding,
    Importance,
    Magnitude,
    MagnitudeScale,
    Outcome,
    OutcomeDefinition,
    OutcomeKind,
    Participants,
    Pooling,
    RiskOfBias,
    Study,
    Threshold,
    Verification,
)

SRC = ("https://example.org/source",)
Z95 = 1.959963984540054

REMISSION = OutcomeDefinition(id="remission", name="remission", kind=OutcomeKind.BINARY, better=Better.HIGHER,
                              importance=Importance.CRITICAL)
RELAPSE = OutcomeDefinition(id="relapse", name="relapse", kind=OutcomeKind.BINARY, better=Better.LOWER,
                            importance=Importance.CRITICAL)
PAIN = OutcomeDefinition(id="pain", name="pain", kind=OutcomeKind.CONTINUOUS, better=Better.LOWER,
                         importance=Importance.CRITICAL, unit="mm")
FUNCTION = OutcomeDefinition(id="function", name="function", kind=OutcomeKind.CONTINUOUS, better=Better.HIGHER,
                             importance=Importance.IMPORTANT, unit="points")
CONDITION = Condition(id="c", name="Condition C", therapy="MSC therapy", outcomes=(REMISSION, RELAPSE, PAIN, FUNCTION))


def with_mid(outcome: OutcomeDefinition, value: float) -> OutcomeDefinition:
    """Return the outcome with a threshold for an important effect."""
    return OutcomeDefinition(id=outcome.id, name=outcome.name, kind=outcome.kind, better=outcome.better,
                             importance=outcome.importance, surrogate=outcome.surrogate, unit=outcome.unit,
                             threshold=Threshold(value=value, src=SRC))


def study(sid: str, *outcomes: Outcome, design: Design = Design.RANDOMISED_CONTROLLED_TRIAL,
          rob: BiasLevel | None = None, funded: bool = False, product: str | None = None, total: int | None = None,
          pooling: Pooling | None = None, overlaps: tuple[str, ...] = (), year: int | None = None,
          comparator: Comparator | None = None) -> Study:
    """Return a study of condition `c` with these results; labelled by its id so reasons read plainly."""
    reasons = (BiasReason.MANUFACTURER_FUNDED,) if funded else ()
    risk = None
    if rob is not None:
        risk = RiskOfBias(level=rob, reasons=reasons, src=SRC)
    elif funded:
        risk = RiskOfBias(level=BiasLevel.SOME_CONCERNS, reasons=reasons, src=SRC)
    return Study(id=sid, label=sid, condition="c", verification=Verification.VERIFIED, design=design,
                 direction=Direction.MIXED, outcomes=outcomes, risk_of_bias=risk, product=product,
                 participants=Participants(total=total), pooling=pooling, overlaps_with=overlaps,
                 comparator=comparator, year=Fact(value=year))


def events(outcome: str, treated: tuple[int, int], control: tuple[int, int], timepoint: str | None = "12 months",
           comparator: Comparator = Comparator.PLACEBO_OR_SHAM) -> Outcome:
    """Return a binary result: (events, total) in the treated and the control arm, roles given."""
    return Outcome(measure=outcome, reported="as reported", outcome=outcome, timepoint=timepoint,
                   comparator=comparator,
                   arms=(ArmResult(arm="cells", role=ArmRole.TREATED, events=treated[0], total=treated[1]),
                         ArmResult(arm="placebo", role=ArmRole.CONTROL, events=control[0], total=control[1])))


def means(outcome: str, treated: tuple[float, float, int], control: tuple[float, float, int],
          timepoint: str | None = "6 months", comparator: Comparator = Comparator.PLACEBO_OR_SHAM) -> Outcome:
    """Return a continuous result: (mean, SD, n) in the treated and the control arm, roles given."""
    return Outcome(measure=outcome, reported="as reported", outcome=outcome, timepoint=timepoint,
                   comparator=comparator,
                   arms=(ArmResult(arm="cells", role=ArmRole.TREATED, mean=treated[0], sd=treated[1],
                                   total=treated[2]),
                         ArmResult(arm="saline", role=ArmRole.CONTROL, mean=control[0], sd=control[1],
                                   total=control[2])))


def reported(outcome: str, metric: str, value: float, low: float, high: float, timepoint: str | None = "6 months",
             studies: int | None = None, comparator: Comparator = Comparator.PLACEBO_OR_SHAM) -> Outcome:
    """Return a result given only as an estimate with its 95% CI."""
    return Outcome(measure=outcome, reported="as reported", outcome=outcome, timepoint=timepoint,
                   comparator=comparator,
                   estimate=Estimate(metric=metric, value=value, ci_low=low, ci_high=high, ci_level=95,
                                     studies=studies))


def review(sid: str, includes: tuple[str, ...], *outcomes: Outcome, year: int | None = None) -> Study:
    """Return a meta-analysis of randomised arms that pools the trials named."""
    return study(sid, *outcomes, design=Design.SYSTEMATIC_REVIEW, year=year,
                 pooling=Pooling(comparison=Comparison.RANDOMISED_ARMS, includes=includes))


def rows_of(studies: list[Study], condition: Condition = CONDITION) -> tuple[OutcomeRow, ...]:
    """Return the graded rows of the studies, with no registered trials."""
    return graded_rows(condition, studies, [])


def only_row(studies: list[Study], outcome: str, condition: Condition = CONDITION) -> OutcomeRow:
    """Return the one row of an outcome."""
    found = [r for r in rows_of(studies, condition) if r.outcome.id == outcome]
    assert len(found) == 1, found
    return found[0]


# --- one trial: Deng-like RCT ---------------------------------------------------------------------------------

DENG = study("deng2017", events("remission", (9, 12), (5, 6)))


def test_one_trial_gives_its_own_rr_and_ci() -> None:
    row = only_row([DENG], "remission")
    assert row.estimate is not None
    assert row.estimate.measure is Measure.RR
    assert row.estimate.method == "one trial"
    # RR = (9/12) / (5/6) = 0.90; var(log RR) = 1/9 - 1/12 + 1/5 - 1/6; CI exp(log 0.9 -+ 1.96 SE)
    assert (round(row.estimate.value, 2), round(row.estimate.ci_low, 2), round(row.estimate.ci_high, 2)) == (
        0.90, 0.55, 1.46)
    assert (row.studies, row.participants) == (1, 18)
    assert [c.study for c in row.contributions] == ["deng2017"]
    assert row.contributions[0].weight_pct == 100.0


def test_one_trial_gives_absolute_effects_per_1000() -> None:
    row = only_row([DENG], "remission")
    assert row.absolute is not None
    # comparator 5/6 = 833 per 1000; intervention 833 x 0.90 = 750; difference -83
    assert (round(row.absolute.comparator_per_1000), round(row.absolute.intervention_per_1000),
            round(row.absolute.difference_per_1000)) == (833, 750, -83)
    # CI of the difference: 833 x (0.554, 1.461) - 833, the upper risk capped at 1000 in 1000
    assert (round(row.absolute.ci_low), round(row.absolute.ci_high)) == (-371, 167)


def test_one_small_trial_crossing_the_null_is_very_uncertain() -> None:
    row = only_row([DENG], "remission")
    assert (row.shown, row.start, row.certainty) == (Shown.UNCERTAIN, Level.HIGH, Level.VERY_LOW)
    assert [j.levels for j in row.judgements] == [1, 0, 0, 2, 0]
    # the statement names the condition's therapy where the trials name no one product
    assert row.statement == "The evidence is very uncertain about the effect of MSC therapy on remission."


# --- zero-zero trials and metafor's REML + Hartung-Knapp (test="adhoc") ---------------------------------------

# Rscript -e 'library(metafor); d <- escalc("MD", m1i=c(20,44), sd1i=c(10,15), n1i=c(25,30),
#   m2i=c(38,45), sd2i=c(12,16), n2i=c(25,28)); r <- rma(yi, vi, data=d, method="REML", test="adhoc");
#   print(d); cat(r$b, r$ci.lb, r$ci.ub, r$tau2, r$I2, weights(r))'     (metafor 3.8.1)
METAFOR_MD: dict[str, Any] = {"yi": (-18.0, -1.0), "vi": (9.76, 16.6428571428571), "estimate": -9.70243697478991,
              "ci": (-117.67454291531, 98.2696689657303), "tau2": 131.298571428571, "i2": 90.8640632723678,
              "weights": (51.1908057340583, 48.8091942659417)}
# Rscript -e 'library(metafor); d <- escalc("RR", ai=c(0,2,1), n1i=c(10,20,25), ci=c(0,12,0),
#   n2i=c(10,20,25), drop00=TRUE); r <- rma(yi, vi, data=d, method="REML", test="adhoc");
#   print(d); cat(exp(r$b), exp(r$ci.lb), exp(r$ci.ub), r$tau2, r$I2, weights(r))'    (metafor 3.8.1)
# Trial 1 is zero-zero (dropped: NA); trial 3 has one zero cell (1/2 added to every cell).
METAFOR_RR: dict[str, Any] = {"yi": (-1.79175946922805, 1.09861228866811), "vi": (0.483333333333333, 2.58974358974359),
              "estimate": 0.491173645143981, "ci": (9.41921999533779e-09, 25612688.7155664),
              "tau2": 2.64058598788342, "i2": 63.2154014048799, "weights": (62.6068200858954, 37.3931799141046)}

PAIN_TRIALS = [study("a2020", means("pain", (20, 10, 25), (38, 12, 25))),
               study("b2021", means("pain", (44, 15, 30), (45, 16, 28)))]
RELAPSE_TRIALS = [study("zero2019", events("relapse", (0, 10), (0, 10))),
                  study("d2020", events("relapse", (2, 20), (12, 20))),
                  study("e2021", events("relapse", (1, 25), (0, 25)))]


def test_two_continuous_trials_pool_as_metafor_reml_hartung_knapp_adhoc() -> None:
    row = only_row(PAIN_TRIALS, "pain")
    estimate = row.estimate
    assert estimate is not None
    assert estimate.fit is not None
    assert estimate.method == "random effects (REML, Hartung-Knapp, factor at least 1)"
    assert [c.effect.yi for c in row.contributions] == pytest.approx(METAFOR_MD["yi"], rel=1e-12)
    assert [c.effect.vi for c in row.contributions] == pytest.approx(METAFOR_MD["vi"], rel=1e-12)
    assert estimate.value == pytest.approx(METAFOR_MD["estimate"], rel=1e-8)
    assert (estimate.ci_low, estimate.ci_high) == pytest.approx(METAFOR_MD["ci"], rel=1e-8)
    assert estimate.fit.tau2 == pytest.approx(METAFOR_MD["tau2"], rel=1e-8)
    assert estimate.fit.i2 == pytest.approx(METAFOR_MD["i2"], rel=1e-8)
    assert [c.weight_pct for c in row.contributions] == pytest.approx(METAFOR_MD["weights"], rel=1e-8)
    assert (row.studies, row.participants, estimate.k) == (2, 108, 2)


def test_zero_zero_trial_is_left_out_and_the_rest_pool_as_metafor_drop00() -> None:
    row = only_row(RELAPSE_TRIALS, "relapse")
    estimate = row.estimate
    assert estimate is not None
    assert estimate.fit is not None
    assert row.left_out == (LeftOut("zero2019", "zero2019", "relapse",
                                    "no events in either arm: no direction, left out of ratio pooling"),)
    assert [c.study for c in row.contributions] == ["d2020", "e2021"]
    assert [c.effect.yi for c in row.contributions] == pytest.approx(METAFOR_RR["yi"], rel=1e-12)
    assert [c.effect.vi for c in row.contributions] == pytest.approx(METAFOR_RR["vi"], rel=1e-12)
    assert estimate.log_scale is True
    assert estimate.value == pytest.approx(METAFOR_RR["estimate"], rel=1e-8)
    assert (estimate.ci_low, estimate.ci_high) == pytest.approx(METAFOR_RR["ci"], rel=1e-6)
    assert estimate.fit.tau2 == pytest.approx(METAFOR_RR["tau2"], rel=1e-8)
    assert estimate.fit.i2 == pytest.approx(METAFOR_RR["i2"], rel=1e-8)
    assert [c.weight_pct for c in row.contributions] == pytest.approx(METAFOR_RR["weights"], rel=1e-8)
    # the zero-zero trial's 20 patients count nowhere: 40 + 50 participants, 14 + 1 events
    assert (row.studies, row.participants) == (2, 90)
    assert [c.events for c in row.contributions] == [14, 1]


def test_pooled_binary_row_is_per_1000_from_the_pooled_control_arms() -> None:
    row = only_row(RELAPSE_TRIALS, "relapse")
    assert row.absolute is not None
    # comparator risk 12 / (20 + 25) of the pooled trials (the zero-zero trial's arms are not pooled)
    risk = 12 / 45
    assert row.absolute.comparator_per_1000 == pytest.approx(1000 * risk, rel=1e-12)
    assert row.absolute.intervention_per_1000 == pytest.approx(1000 * risk * METAFOR_RR["estimate"], rel=1e-8)
    assert row.absolute.difference_per_1000 == pytest.approx(1000 * risk * (METAFOR_RR["estimate"] - 1), rel=1e-8)
    # the upper bound is capped at 1000 patients in 1000
    assert row.absolute.ci_high == pytest.approx(1000 - 1000 * risk, rel=1e-12)


def test_a_row_with_only_a_zero_zero_trial_has_no_estimate() -> None:
    row = only_row([RELAPSE_TRIALS[0]], "relapse")
    assert (row.estimate, row.absolute, row.contributions, row.studies) == (None, None, (), 0)
    assert [x.reason for x in row.left_out] == ["no events in either arm: no direction, left out of ratio pooling"]
    assert (row.shown, row.certainty) == (Shown.UNCERTAIN, Level.VERY_LOW)


# --- reviews stand in only for trials not on file -------------------------------------------------------------

def review_rr(timepoint: str, studies: int = 3) -> Outcome:
    """Return a review's pooled RR of relapse."""
    return reported("relapse", "RR", 0.6, 0.4, 0.9, timepoint=timepoint, studies=studies)


def test_review_naming_a_trial_on_file_at_the_same_time_point_is_left_out() -> None:
    meta = review("meta2022", ("d2020", "other2018"), review_rr("12 months"))
    row = only_row([*RELAPSE_TRIALS[1:], meta], "relapse")
    assert [c.study for c in row.contributions] == ["d2020", "e2021"]
    assert row.left_out == (LeftOut("meta2022", "meta2022", "relapse",
                                    "may pool d2020, whose own results are used (each trial once)"),)
    assert row.studies == 2


def test_review_stands_in_at_a_time_point_where_its_trials_have_no_result_on_file() -> None:
    meta = review("meta2022", ("d2020", "other2018"), review_rr("24 months"))
    rows = [r for r in rows_of([*RELAPSE_TRIALS[1:], meta]) if r.outcome.id == "relapse"]
    assert [(r.timepoint, [c.study for c in r.contributions]) for r in rows] == [
        ("12 months", ["d2020", "e2021"]), ("24 months", ["meta2022"])]
    later = rows[1]
    assert later.estimate is not None
    assert (later.estimate.value, later.estimate.ci_low, later.estimate.ci_high) == (0.6, 0.4, 0.9)
    assert (later.estimate.method, later.studies, later.left_out) == ("the review's pooled estimate", 3, ())
    # the review's estimate has no 2x2 counts, so no per-1000 row can be built from control arms
    assert later.absolute is None


def test_two_reviews_of_the_same_trials_in_one_row_count_once() -> None:
    first = review("meta2020", ("x2015", "y2016"), review_rr("24 months", studies=2), year=2020)
    second = review("meta2023", ("x2015", "y2016", "z2019"), review_rr("24 months", studies=3), year=2023)
    row = only_row([first, second], "relapse")
    # the review with more trials is kept
    assert [c.study for c in row.contributions] == ["meta2023"]
    assert row.left_out == (LeftOut(
        "meta2020", "meta2020", "relapse",
        "pools x2015, y2016, also pooled by meta2023, the row's one review (counted once)"),)
    assert row.studies == 3


def test_a_second_review_whose_trials_are_not_known_to_overlap_only_may_pool_them() -> None:
    listed = review("meta2023", ("x2015", "y2016"), review_rr("24 months", studies=9), year=2023)
    unlisted = study("meta2019", review_rr("24 months", studies=4), design=Design.SYSTEMATIC_REVIEW,
                     pooling=Pooling(comparison=Comparison.RANDOMISED_ARMS), year=2019)
    row = only_row([unlisted, listed], "relapse")
    assert [c.study for c in row.contributions] == ["meta2023"]
    assert row.left_out == (LeftOut("meta2019", "meta2019", "relapse",
                                    "may pool the same trials as meta2023, the row's one review (one review per row)"),)
    assert row.studies == 9


def test_review_without_a_trial_list_is_left_out_beside_trials_of_its_row() -> None:
    unlisted = study("meta2021", review_rr("12 months"), design=Design.SYSTEMATIC_REVIEW,
                     pooling=Pooling(comparison=Comparison.RANDOMISED_ARMS))
    row = only_row([*RELAPSE_TRIALS[1:], unlisted], "relapse")
    assert [c.study for c in row.contributions] == ["d2020", "e2021"]
    assert row.left_out == (LeftOut("meta2021", "meta2021", "relapse",
                                    "its trials are not listed, so it may pool d2020, e2021 again"),)


def test_review_with_no_time_point_is_left_out_when_a_trial_it_names_has_any_result() -> None:
    meta = review("meta2022", ("d2020",), review_rr("24 months"))
    untimed = msgspec.structs.replace(
        meta, outcomes=(reported("relapse", "RR", 0.6, 0.4, 0.9, timepoint=None, studies=3),))
    rows = [r for r in rows_of([RELAPSE_TRIALS[1], untimed]) if r.outcome.id == "relapse"]
    assert [(r.timepoint, [c.study for c in r.contributions], [x.reason for x in r.left_out]) for r in rows] == [
        ("12 months", ["d2020"], []),
        (None, [], ["may pool d2020, whose own results are used (each trial once)"])]


# --- several treated arms ---------------------------------------------------------------------------------------

def test_two_treated_arms_with_events_are_added_and_other_treated_arms_ignored() -> None:
    result = Outcome(measure="relapse", reported="r", outcome="relapse", timepoint="12 months",
                     comparator=Comparator.PLACEBO_OR_SHAM,
                     arms=(ArmResult(arm="low dose", role=ArmRole.TREATED, events=4, total=10),
                           ArmResult(arm="high dose", role=ArmRole.TREATED, events=6, total=12),
                           ArmResult(arm="other product", role=ArmRole.OTHER_TREATED, events=0, total=11),
                           ArmResult(arm="placebo", role=ArmRole.CONTROL, events=3, total=11)))
    row = only_row([study("multi2020", result)], "relapse")
    effect = row.contributions[0].effect
    # Cochrane Handbook 6.5.2.10, dichotomous: events and totals of the treated arms are added: 10/22 vs 3/11
    assert effect.counts is not None
    assert (effect.counts.a, effect.counts.b, effect.counts.c, effect.counts.d) == (10, 12, 3, 8)
    assert effect.estimate == pytest.approx((10 / 22) / (3 / 11), rel=1e-12)
    assert effect.vi == pytest.approx(1 / 10 - 1 / 22 + 1 / 3 - 1 / 11, rel=1e-12)
    assert (effect.treatment, effect.control) == ("low dose + high dose", "placebo")
    assert row.participants == 33


def test_two_treated_arms_with_means_are_combined_by_the_handbook_formula() -> None:
    result = Outcome(measure="function", reported="r", outcome="function", timepoint="6 months",
                     comparator=Comparator.PLACEBO_OR_SHAM,
                     arms=(ArmResult(arm="low dose", role=ArmRole.TREATED, mean=10.0, sd=2.0, total=10),
                           ArmResult(arm="high dose", role=ArmRole.TREATED, mean=14.0, sd=3.0, total=15),
                           ArmResult(arm="sham", role=ArmRole.CONTROL, mean=11.0, sd=3.0, total=12)))
    row = only_row([study("multi2021", result)], "function")
    effect = row.contributions[0].effect
    # Cochrane Handbook 6.5.2.10: N = N1 + N2; M = (N1 M1 + N2 M2) / N;
    # SD^2 = ((N1-1) SD1^2 + (N2-1) SD2^2 + N1 N2 / N (M1 - M2)^2) / (N - 1)
    #      = (9 x 4 + 14 x 9 + 10 x 15 / 25 x 16) / 24 = 258 / 24 = 10.75; mean = (100 + 210) / 25 = 12.4
    assert effect.estimate == pytest.approx(12.4 - 11.0, rel=1e-12)
    assert effect.vi == pytest.approx(10.75 / 25 + 9 / 12, rel=1e-12)
    assert (effect.n_treatment, effect.n_control) == (25, 12)


def test_arms_without_roles_need_one_control_and_one_other_arm() -> None:
    arms = (ArmResult(arm="MSC", events=1, total=5), ArmResult(arm="placebo", events=2, total=5))
    pair = comparison_arms(arms)
    assert pair is not None
    assert (pair[0].arm, pair[1].arm) == ("MSC", "placebo")
    three = (*arms, ArmResult(arm="MSC high", events=1, total=5))
    assert comparison_arms(three) is None


# --- uncontrolled results are signals ---------------------------------------------------------------------------

SERIES = study("series2019", Outcome(measure="remission", reported="13 of 20 in remission", outcome="remission",
                                     timepoint="2 years", arms=(ArmResult(arm="MSC", events=13, total=20),)),
               design=Design.CASE_SERIES)


def test_an_uncontrolled_result_is_a_signal_not_a_contribution() -> None:
    _collected, signals = collect(CONDITION, [SERIES])
    assert signals == {"remission": [Signal("series2019", "series2019", "remission", "2 years",
                                            "13 of 20 in remission")]}
    assert rows_of([SERIES]) == ()
    with_trial = only_row([SERIES, DENG], "remission")
    assert [c.study for c in with_trial.contributions] == ["deng2017"]
    assert with_trial.left_out == ()


def test_a_claim_resting_on_signals_only_is_very_uncertain() -> None:
    claim = Claim(id="k", page="p", kind=ClaimKind.BENEFIT, text="t", outcome="remission",
                  outcomes=("remission",), asserts=Assertion.BENEFIT)
    grade = Grader(CONDITION, [SERIES], []).core(claim)
    assert (grade.verdict, grade.certainty) == (Verdict.VERY_UNCERTAIN, Level.VERY_LOW)
    assert grade.answers[0].reason == (
        "only uncontrolled reports bear on it (series2019): they cannot separate the therapy's effect from "
        "the treatment given with it")


# --- time points -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("timepoint", "expected"), [
    ("6 months", 6.0),
    ("5 years", 60.0),
    ("14 weeks", 14 * 12 / 52.1775),
    ("1 year", 12.0),
    ("mean 30 months", 30.0),
    ("total follow-up", None),
    ("", None),
    (None, None),
])
def test_months_reads_a_time_point(timepoint: str | None, expected: float | None) -> None:
    found = months(timepoint)
    if expected is None:
        assert found is None
    else:
        assert found == pytest.approx(expected, rel=1e-12)


def test_months_reads_a_hyphenated_time_point() -> None:
    # the shipped data writes "4-year follow-up" (two results of one study)
    assert months("4-year follow-up") == 48.0
    assert months("18-month visit") == 18.0


def test_months_of_a_list_of_visits_is_the_last_visit() -> None:
    # the shipped data writes "1 week, 3 months and 6 months" for one result: it reaches 6 months, not 1 week
    assert months("1 week, 3 months and 6 months") == 6.0


def test_rows_at_the_same_length_written_differently_are_one_row() -> None:
    one = study("a2019", events("relapse", (2, 10), (4, 10), timepoint="12 months"))
    two = study("b2020", events("relapse", (3, 10), (5, 10), timepoint="1 year"))
    row = only_row([one, two], "relapse")
    assert (row.months, row.studies) == (12.0, 2)
    assert [c.study for c in row.contributions] == ["a2019", "b2020"]


@pytest.mark.parametrize("difference", [1.0, 0.1])
def test_trials_with_the_same_estimate_keep_their_uncertainty(difference: float) -> None:
    # Two small trials with the same mean difference, each 95% CI about -16 to 18. Their Q is 0, so the
    # Hartung-Knapp factor s2w is 0 (metafor's rma(test="knha") returns a CI of width 0 there). Pooling must neither
    # fail (MD 1: division by zero) nor turn two null-crossing trials into a certain effect (MD 0.1: Q is 1e-31 by
    # rounding, the CI is 0.1 +- 2e-16 and the row shows "benefit").
    same = [study("p2020", means("function", (20 + difference, 20, 10), (20, 20, 10))),
            study("q2021", means("function", (30 + difference, 25, 12), (30, 25, 12)))]
    row = only_row(same, "function")
    assert row.estimate is not None
    assert row.estimate.value == pytest.approx(difference, rel=1e-12)
    assert row.estimate.ci_low < 0 < row.estimate.ci_high
    assert row.shown is Shown.UNCERTAIN


# --- the same patients count once ----------------------------------------------------------------------------------

FIRST = study("lee2018", events("relapse", (3, 30), (9, 30)))
# the same trial's 60 patients reported again at the same time point, one relapse recounted (with the very same
# numbers the two would also meet the Hartung-Knapp division by zero above)
SECOND_BY_LINK = study("lee2019", events("relapse", (4, 30), (9, 30)), overlaps=("lee2018",))
SECOND = study("lee2019", events("relapse", (4, 30), (9, 30)))
SAME_PATIENTS = msgspec.structs.replace(CONDITION, clusters=(
    Cluster(id="lee", kind=ClusterKind.SERIAL_REPORTS, studies=("lee2018", "lee2019"), reason="one trial", src=SRC),))


@pytest.mark.parametrize(("condition", "second"), [(CONDITION, SECOND_BY_LINK), (SAME_PATIENTS, SECOND)],
                         ids=["overlaps_with", "serial_reports_cluster"])
def test_a_second_report_of_the_same_patients_is_counted_once(condition: Condition, second: Study) -> None:
    alone = only_row([FIRST], "relapse", condition)
    both = only_row([FIRST, second], "relapse", condition)
    assert (alone.studies, alone.participants) == (1, 60)
    assert (both.studies, both.participants, len(both.contributions)) == (1, 60, 1)


def test_three_agreeing_small_trials_are_no_more_precise_than_a_common_effect() -> None:
    # Three independent trials, MD 1.0, 1.5 and 1.0, each SE 2 (each 95% CI crosses the null widely). The
    # common-effect (inverse-variance) CI is 7/6 +- 1.96 x sqrt(4/3) = -1.10 to 3.43; a random-effects CI is never
    # meant to be narrower. Hartung-Knapp multiplies the variance by s2w = Q/(k-1) = 0.02 here, giving 0.45 to 1.88
    # and "benefit" (metafor's test="adhoc" keeps s2w at least 1).
    trials = [study(sid, reported("function", "MD", md, md - Z95 * 2, md + Z95 * 2), total=150)
              for sid, md in (("f2019", 1.0), ("g2020", 1.5), ("h2021", 1.0))]
    row = only_row(trials, "function")
    assert row.estimate is not None
    assert row.estimate.value == pytest.approx(7 / 6, rel=1e-9)
    half = Z95 * (4 / 3) ** 0.5
    assert row.estimate.ci_high - row.estimate.ci_low >= 2 * half * (1 - 1e-9)
    assert row.shown is Shown.UNCERTAIN


def test_a_rate_ratio_as_printed_is_read_on_the_log_scale() -> None:
    row = only_row([study("mesems2021", reported("relapse", "rate ratio", 0.94, 0.58, 1.50), total=144)], "relapse")
    estimate = row.estimate
    assert estimate is not None
    assert (estimate.measure, estimate.value, estimate.ci_low, estimate.ci_high) == (Measure.IRR, 0.94, 0.58, 1.50)
    # Relapse is binary: with the events unknown the information size cannot be judged, so only the CI counts.
    assert (row.shown, row.certainty) == (Shown.UNCERTAIN, Level.LOW)


def _words(finding: Finding, indirect: str | None = None) -> Outcome:
    return Outcome(measure="function", reported="in words", outcome="function", timepoint="6 months",
                   comparator=Comparator.PLACEBO_OR_SHAM, finding=finding, indirect=indirect)


def test_a_vote_count_is_rated_down_for_indirect_trials_and_says_it_has_no_estimate() -> None:
    row = only_row([study("a2020", _words(Finding.NO_DIFFERENCE, indirect="another population"), total=100),
                    study("b2021", _words(Finding.FAVOURS_TREATMENT), total=40)], "function")
    assert row.estimate is None
    assert (row.participants, row.studies, row.shown) == (140, 2, Shown.UNCERTAIN)
    assert [(j.domain.value, j.levels) for j in row.judgements] == [
        ("risk_of_bias", 1), ("inconsistency", 0), ("indirectness", 1), ("imprecision", 2),
        ("publication_bias", 0)]
    assert row.judgements[0].reason == ("a2020: not assessed (71% of the weight); b2021: not assessed (29% of the "
                                        "weight)")
    assert row.judgements[2].reason == "a2020: another population"
    assert row.statement == ("The evidence is very uncertain about the effect of MSC therapy on function. (A vote "
                             "count of trials reported in words only: there is no estimate.)")
    assert row_statement(Shown.UNCERTAIN, Level.LOW, FUNCTION, "MSC therapy", False, estimated=False) == (
        "Trials reported in words only do not show which way MSC therapy moves function. (A vote count of trials "
        "reported in words only: there is no estimate.)")


def test_a_printed_estimate_stands_in_when_the_arms_lack_their_sizes() -> None:
    result = Outcome(measure="ALSFRS-R change", reported="as reported", outcome="function", timepoint="6 months",
                     comparator=Comparator.USUAL_CARE,
                     arms=(ArmResult(arm="cells", role=ArmRole.TREATED, mean=-2.0, sd=3.0),
                           ArmResult(arm="riluzole", role=ArmRole.CONTROL, mean=-5.0, sd=3.5)),
                     estimate=Estimate(metric="MD", value=3.38, ci_low=1.22, ci_high=5.54))
    estimate = only_row([study("oh2018", result, total=64)], "function").estimate
    assert estimate is not None
    assert (estimate.measure, estimate.value, estimate.ci_low, estimate.ci_high) == (Measure.MD, 3.38, 1.22, 5.54)


def test_an_estimate_without_its_ci_votes_by_its_finding_and_words_beside_an_estimate_are_listed() -> None:
    no_ci = Outcome(measure="responders", reported="OR 1.33, P = .45", outcome="function", timepoint="6 months",
                    comparator=Comparator.PLACEBO_OR_SHAM, finding=Finding.NO_DIFFERENCE,
                    estimate=Estimate(metric="OR", value=1.33))
    row = only_row([study("phase3", no_ci, total=189)], "function")
    assert (row.estimate, [v.study for v in row.votes]) == (None, ["phase3"])
    beside = only_row([study("phase3", no_ci, total=189),
                       study("a2020", means("function", (5.0, 2.0, 30), (4.0, 2.0, 30)), total=60)], "function")
    assert beside.estimate is not None
    assert beside.left_out == (LeftOut("phase3", "phase3", "function", "reported in words only: a vote count is used "
                                                                       "only where no result has an estimate"),)


def test_a_claimed_size_is_shown_even_when_the_verdict_is_very_uncertain() -> None:
    claim = Claim(id="fourfold", page="p", kind=ClaimKind.BENEFIT, text="fourfold", outcome="function",
                  outcomes=("function",), magnitude=Magnitude(scale=MagnitudeScale.RATIO, value=4.0, note="fourfold"))
    studies = [study("tiny", means("function", (5.0, 2.0, 10), (4.0, 2.0, 10)), total=20)]
    [answer] = Grader(CONDITION, studies, []).core(claim).answers
    assert (answer.verdict, answer.magnitude) == (Verdict.VERY_UNCERTAIN, "the claim asserts a ratio (4.0), but the "
                                                  "estimate is a difference (MD): the size cannot be read from it")


def test_an_outcome_whose_results_are_all_left_out_says_why() -> None:
    claim = Claim(id="k", page="p", kind=ClaimKind.BENEFIT, text="k", outcome="relapse", outcomes=("relapse",))
    studies = [study("zero2019", events("relapse", (0, 10), (0, 10)), total=20)]
    [answer] = Grader(CONDITION, studies, []).core(claim).answers
    assert (answer.verdict, answer.reason) == (Verdict.NOT_CHECKABLE, "no curated result of it can enter an estimate "
                                               "(zero2019: no events in either arm: no direction, left out of ratio "
                                               "pooling)")
