"""What an estimate shows against its threshold, and each GRADE domain at its boundaries (ring 1)."""

from __future__ import annotations

import math

import msgspec
import pytest

from stemcell_cli.evidence import pooling
from stemcell_cli.evidence.domains import (
    ENOUGH_EVENTS,
    ENOUGH_PARTICIPANTS,
    imprecision,
    inconsistency,
    indirectness,
    missing_trials,
    publication_bias,
    risk_of_bias,
    shown,
)
from stemcell_cli.evidence.estimates import Effect, Measure, Method, PooledTest
from stemcell_cli.evidence.grades import Absolute, Contribution, Domain, Estimate, Judgement, Shown
from stemcell_cli.model import (
    Better,
    BiasLevel,
    Comparator,
    Condition,
    Importance,
    OutcomeDefinition,
    OutcomeKind,
    Trial,
)

from .test_outcome_rows import (
    CONDITION,
    FUNCTION,
    PAIN,
    RELAPSE,
    REMISSION,
    SRC,
    Z95,
    events,
    means,
    only_row,
    reported,
    study,
    with_mid,
)


def estimate(value: float, low: float, high: float, measure: Measure = Measure.MD) -> Estimate:
    """Return an estimate on its reading scale (ratios as ratios)."""
    log_scale = measure in (Measure.RR, Measure.OR, Measure.HR)
    return Estimate(measure=measure, value=value, ci_low=low, ci_high=high, log_scale=log_scale, method="test",
                    k=1)


def contribution(sid: str, weight: float, rob: str = "low", yi: float = 0.0, vi: float = 1.0, funded: bool = False,
                 indirect: str | None = None, product: str | None = None, funding_seen: bool = True) -> Contribution:
    """Return one trial's contribution with its weight, risk of bias and effect on the analysis scale."""
    half = Z95 * math.sqrt(vi)
    effect = Effect(measure=Measure.MD, source="arms", estimate=yi, ci_low=yi - half, ci_high=yi + half, yi=yi,
                    vi=vi)
    return Contribution(study=sid, label=sid, measure="m", review=False, effect=effect,
                        comparator=Comparator.PLACEBO_OR_SHAM, randomised=True, participants=100, events=None,
                        weight_pct=weight, risk_of_bias=rob, funded=funded, funding_seen=funding_seen,
                        product=product, indirect=indirect, trials_listed=False)


HIGHER = FUNCTION  # continuous, better higher, no threshold
LOWER = PAIN  # continuous, better lower, no threshold


# --- shown(): no threshold -> the null is the threshold ----------------------------------------------------------

@pytest.mark.parametrize(("outcome", "value", "low", "high", "expected"), [
    (HIGHER, 1.0, -1.0, 3.0, (Shown.UNCERTAIN, 1)),
    (HIGHER, 2.0, 0.5, 3.0, (Shown.BENEFIT, 0)),
    (HIGHER, -2.0, -3.0, -0.5, (Shown.HARM, 0)),
    (LOWER, 1.0, -1.0, 3.0, (Shown.UNCERTAIN, 1)),
    (LOWER, -2.0, -3.0, -0.5, (Shown.BENEFIT, 0)),
    (LOWER, 2.0, 0.5, 3.0, (Shown.HARM, 0)),
])
def test_without_a_threshold_the_ci_is_read_against_the_null(outcome: OutcomeDefinition, value: float, low: float,
                                                            high: float, expected: tuple[Shown, int]) -> None:
    assert shown(estimate(value, low, high), None, outcome) == expected


@pytest.mark.parametrize(("outcome", "value", "low", "high", "expected"), [
    (REMISSION, 1.5, 1.1, 2.0, (Shown.BENEFIT, 0)),  # more remission is better
    (REMISSION, 0.5, 0.3, 0.8, (Shown.HARM, 0)),
    (RELAPSE, 0.5, 0.3, 0.8, (Shown.BENEFIT, 0)),  # less relapse is better
    (RELAPSE, 1.5, 1.1, 2.0, (Shown.HARM, 0)),
    (RELAPSE, 0.9, 0.55, 1.46, (Shown.UNCERTAIN, 1)),
])
def test_a_ratio_without_a_threshold_is_read_against_one(outcome: OutcomeDefinition, value: float, low: float,
                                                        high: float, expected: tuple[Shown, int]) -> None:
    assert shown(estimate(value, low, high, Measure.RR), None, outcome) == expected


# --- shown(): with a threshold (MID 10) ---------------------------------------------------------------------------

FUNCTION_MID = with_mid(FUNCTION, 10.0)
PAIN_MID = with_mid(PAIN, 10.0)


@pytest.mark.parametrize(("outcome", "value", "low", "high", "expected"), [
    (FUNCTION_MID, 1.0, -5.0, 8.0, (Shown.LITTLE_OR_NO_DIFFERENCE, 0)),  # inside -10..10, even across the null
    (FUNCTION_MID, 5.0, 3.0, 8.0, (Shown.LITTLE_OR_NO_DIFFERENCE, 0)),
    (FUNCTION_MID, 15.0, 12.0, 20.0, (Shown.BENEFIT, 0)),
    (FUNCTION_MID, -15.0, -20.0, -12.0, (Shown.HARM, 0)),
    (FUNCTION_MID, 12.0, 5.0, 20.0, (Shown.BENEFIT, 1)),  # crosses +10 only: by the point estimate
    (FUNCTION_MID, 8.0, 5.0, 20.0, (Shown.LITTLE_OR_NO_DIFFERENCE, 1)),
    (FUNCTION_MID, -12.0, -20.0, -5.0, (Shown.HARM, 1)),
    (FUNCTION_MID, 0.0, -15.0, 15.0, (Shown.UNCERTAIN, 2)),  # crosses both
    (FUNCTION_MID, 11.0, -15.0, 30.0, (Shown.UNCERTAIN, 2)),
    (PAIN_MID, -15.0, -20.0, -12.0, (Shown.BENEFIT, 0)),  # lower pain is better
    (PAIN_MID, -12.0, -20.0, -5.0, (Shown.BENEFIT, 1)),
    (PAIN_MID, 12.0, 5.0, 20.0, (Shown.HARM, 1)),
    (PAIN_MID, 0.0, -15.0, 15.0, (Shown.UNCERTAIN, 2)),
])
def test_with_a_threshold_the_ci_is_read_against_plus_and_minus_the_mid(
        outcome: OutcomeDefinition, value: float, low: float, high: float, expected: tuple[Shown, int]) -> None:
    assert shown(estimate(value, low, high), None, outcome) == expected


def test_a_ci_from_the_mid_upwards_shows_benefit() -> None:
    # The threshold is "the smallest effect that matters" (model.Threshold): a CI of 10 to 20 with MID 10 holds
    # only important effects. Its mirror image (-20 to -10) is read as harm; this one must be read as benefit.
    assert shown(estimate(-15.0, -20.0, -10.0), None, FUNCTION_MID) == (Shown.HARM, 0)
    assert shown(estimate(15.0, 10.0, 20.0), None, FUNCTION_MID) == (Shown.BENEFIT, 0)


def test_a_binary_threshold_is_read_per_1000() -> None:
    remission_mid = with_mid(REMISSION, 50.0)
    deng = estimate(0.9, 0.554, 1.461, Measure.RR)
    # -83 per 1000 (-371 to 167) crosses -50 and +50
    wide = Absolute(comparator_per_1000=833.3, intervention_per_1000=750.0, difference_per_1000=-83.3, ci_low=-371.3,
                    ci_high=166.7, basis="b")
    assert shown(deng, wide, remission_mid) == (Shown.UNCERTAIN, 2)
    # 20 per 1000 (-30 to 40) lies inside +-50 although the RR's CI crosses 1
    small = Absolute(comparator_per_1000=100.0, intervention_per_1000=120.0, difference_per_1000=20.0, ci_low=-30.0,
                     ci_high=40.0, basis="b")
    assert shown(estimate(1.2, 0.7, 1.4, Measure.RR), small, remission_mid) == (Shown.LITTLE_OR_NO_DIFFERENCE, 0)
    # fewer relapses: -120 per 1000 (-180 to -60) beyond -50 is a benefit when lower is better
    fewer = Absolute(comparator_per_1000=300.0, intervention_per_1000=180.0, difference_per_1000=-120.0,
                     ci_low=-180.0, ci_high=-60.0, basis="b")
    assert shown(estimate(0.6, 0.4, 0.8, Measure.RR), fewer, with_mid(RELAPSE, 50.0)) == (Shown.BENEFIT, 0)


def test_a_risk_difference_is_read_against_a_threshold_per_1000() -> None:
    # A reported risk difference is a proportion (0.08 = 80 per 1000); the threshold of a binary outcome is per
    # 1000 (model.Threshold). 80 (60 to 140) per 1000 lies wholly beyond 50 per 1000: an important benefit.
    remission_mid = with_mid(REMISSION, 50.0)
    assert shown(estimate(0.08, 0.06, 0.14, Measure.RD), None, remission_mid) == (Shown.BENEFIT, 0)
    # and 10 (-20 to 40) per 1000 lies inside +-50 per 1000
    assert shown(estimate(0.01, -0.02, 0.04, Measure.RD), None, remission_mid) == (Shown.LITTLE_OR_NO_DIFFERENCE, 0)


# --- risk of bias: the share of weight ---------------------------------------------------------------------------

@pytest.mark.parametrize(("shares", "levels"), [
    ({"low": 100.0}, 0),
    ({"high": 50.0, "low": 50.0}, 1),
    ({"high": 50.5, "low": 49.5}, 2),
    ({"some_concerns": 50.0, "low": 50.0}, 0),
    ({"some_concerns": 50.5, "low": 49.5}, 1),
    ({"not_assessed": 50.5, "low": 49.5}, 1),
    ({"some_concerns": 25.0, "not_assessed": 25.5, "low": 49.5}, 1),
])
def test_risk_of_bias_rates_down_by_the_share_of_weight(shares: dict[str, float], levels: int) -> None:
    contributions = [contribution(f"s_{rob}", weight, rob) for rob, weight in shares.items()]
    assert risk_of_bias(contributions).levels == levels


def test_risk_of_bias_names_each_trial_not_at_low_risk_with_its_weight() -> None:
    found = risk_of_bias([contribution("a", 50.5, "high"), contribution("b", 30.0, "not_assessed"),
                          contribution("c", 19.5, "low")])
    assert found == Judgement(Domain.RISK_OF_BIAS, 2, "a: high (50% of the weight); b: not assessed (30% of the "
                                                      "weight)", ("a", "b"))


def test_an_unassessed_trial_is_shown_as_not_assessed() -> None:
    row = only_row([study("deng2017", events("remission", (9, 12), (5, 6)))], "remission")
    assert row.judgements[0] == Judgement(Domain.RISK_OF_BIAS, 1, "deng2017: not assessed (100% of the weight)",
                                          ("deng2017",))
    assert row.contributions[0].risk_of_bias == "not_assessed"


# --- inconsistency: estimates apart, CIs apart, I² 50 and 75 -------------------------------------------------------

def fit_for(contributions: list[Contribution], i2: float) -> Estimate:
    """Return a pooled estimate of the contributions with I² set to the boundary under test."""
    yi = [c.effect.yi or 0.0 for c in contributions]
    vi = [c.effect.vi or 0.0 for c in contributions]
    fit = msgspec.structs.replace(pooling.random_effects(yi, vi, Method.REML, PooledTest.KNHA), i2=i2)
    return Estimate(measure=Measure.MD, value=fit.estimate, ci_low=fit.ci_low, ci_high=fit.ci_high, log_scale=False,
                    method="random effects (REML, Hartung-Knapp)", k=len(yi), fit=fit)


# one trial each side of the null, CIs overlapping (-3 +- 3.9 and 3 +- 3.9)
APART_OVERLAPPING = [contribution("a", 50.0, yi=-3.0, vi=4.0), contribution("b", 50.0, yi=3.0, vi=4.0)]
# one trial each side of the null, CIs apart (-5 +- 2 and 5 +- 2)
APART_DISJOINT = [contribution("a", 50.0, yi=-5.0, vi=1.0), contribution("b", 50.0, yi=5.0, vi=1.0)]
# both trials above the null, CIs apart (2 +- 1 and 20 +- 2)
SAME_SIDE_DISJOINT = [contribution("a", 50.0, yi=2.0, vi=0.25), contribution("b", 50.0, yi=20.0, vi=1.0)]


@pytest.mark.parametrize(("contributions", "i2", "levels"), [
    (APART_OVERLAPPING, 49.9, 0),
    (APART_OVERLAPPING, 50.0, 1),
    (APART_OVERLAPPING, 90.0, 1),
    (APART_DISJOINT, 10.0, 1),
    (APART_DISJOINT, 74.9, 1),
    (APART_DISJOINT, 75.0, 2),
    (SAME_SIDE_DISJOINT, 95.0, 0),
])
def test_inconsistency_needs_estimates_apart_then_counts_i2(contributions: list[Contribution], i2: float,
                                                           levels: int) -> None:
    assert inconsistency(contributions, fit_for(contributions, i2), FUNCTION).levels == levels


def test_inconsistency_reasons_name_what_was_seen() -> None:
    found = inconsistency(APART_DISJOINT, fit_for(APART_DISJOINT, 80.0), FUNCTION)
    assert found == Judgement(Domain.INCONSISTENCY, 2, "point estimates on both sides of the threshold; confidence "
                                                       "intervals that do not overlap; I² 80%", ("a", "b"))


def test_with_a_mid_estimates_apart_means_either_side_of_the_mid() -> None:
    # 12 and 5 lie on either side of MID 10 (benefit vs little or no difference) though both favour the cells
    pair = [contribution("a", 50.0, yi=12.0, vi=4.0), contribution("b", 50.0, yi=5.0, vi=4.0)]
    assert inconsistency(pair, fit_for(pair, 60.0), FUNCTION_MID).levels == 1
    assert inconsistency(pair, fit_for(pair, 60.0), FUNCTION).levels == 0


def test_inconsistency_is_not_judged_on_one_trial() -> None:
    one = [contribution("a", 100.0, yi=2.0)]
    assert inconsistency(one, estimate(2.0, 0.0, 4.0), FUNCTION) == Judgement(
        Domain.INCONSISTENCY, 0, "not applicable: one trial")


# --- indirectness -------------------------------------------------------------------------------------------------

LVEF = OutcomeDefinition(id="lvef", name="LVEF", kind=OutcomeKind.CONTINUOUS, better=Better.HIGHER,
                         importance=Importance.IMPORTANT, surrogate="survival and hospitalisation", unit="%")


def test_a_surrogate_outcome_rates_down_one_level() -> None:
    found = indirectness([contribution("a", 100.0)], LVEF, lambda _c: False)
    assert found == Judgement(Domain.INDIRECTNESS, 1, "LVEF is a surrogate for survival and hospitalisation", ())


def test_a_direct_outcome_is_not_rated_down() -> None:
    assert indirectness([contribution("a", 100.0)], FUNCTION, lambda _c: False).levels == 0


@pytest.mark.parametrize(("indirect_weight", "levels"), [(50.0, 0), (50.5, 1)])
def test_indirect_evidence_rates_down_when_it_carries_most_weight(indirect_weight: float, levels: int) -> None:
    contributions = [contribution("a", indirect_weight, indirect="children, not adults"),
                     contribution("b", 100.0 - indirect_weight)]
    assert indirectness(contributions, FUNCTION, lambda _c: False).levels == levels


def test_surrogate_and_mostly_another_product_rate_down_two_levels() -> None:
    contributions = [contribution("a", 70.0, product="other cells"), contribution("b", 30.0, product="our cells")]
    found = indirectness(contributions, LVEF, lambda c: c.product != "our cells")
    assert found == Judgement(Domain.INDIRECTNESS, 2, "LVEF is a surrogate for survival and hospitalisation; a: "
                                                      "another product (other cells)", ("a",))


# --- imprecision ---------------------------------------------------------------------------------------------------

NARROW = estimate(2.0, 1.0, 3.0)


@pytest.mark.parametrize(("events_seen", "levels"), [(ENOUGH_EVENTS - 1, 1), (ENOUGH_EVENTS, 0)])
def test_binary_information_size_is_counted_in_events(events_seen: int, levels: int) -> None:
    found = imprecision(0, False, REMISSION, 5000, events_seen, NARROW)
    assert (ENOUGH_EVENTS, found.levels) == (300, levels)


def test_binary_information_size_reason() -> None:
    assert imprecision(0, False, REMISSION, 5000, 299, NARROW).reason == (
        "the 95% CI does not cross the null; 299 events (fewer than the 300 of GRADE's rule of thumb)")
    assert imprecision(0, False, REMISSION, 5000, 300, NARROW).reason == (
        "the 95% CI does not cross the null; 300 events (at least the 300 of GRADE's rule of thumb)")


@pytest.mark.parametrize(("participants", "levels"), [(ENOUGH_PARTICIPANTS - 1, 1), (ENOUGH_PARTICIPANTS, 0)])
def test_continuous_information_size_is_counted_in_participants(participants: int, levels: int) -> None:
    found = imprecision(0, True, FUNCTION_MID, participants, None, NARROW)
    assert (ENOUGH_PARTICIPANTS, found.levels) == (400, levels)


def test_unknown_events_with_known_participants_cannot_be_judged_and_cost_no_level() -> None:
    binary = imprecision(1, False, REMISSION, 5000, None, NARROW)
    assert binary == Judgement(Domain.IMPRECISION, 1, "the 95% CI crosses the null (no threshold on record); the "
                               "optimal information size cannot be judged: the events are not known")


@pytest.mark.parametrize("outcome", [FUNCTION_MID, REMISSION])
def test_no_size_known_at_all_is_not_shown_enough_and_costs_one_level(outcome: OutcomeDefinition) -> None:
    clear = imprecision(0, True, outcome, None, None, NARROW)
    assert clear.levels == 1
    assert clear.reason.endswith("the number of participants is not known, so the optimal information size is not "
                                 "shown to be met")
    assert imprecision(1, True, outcome, None, None, NARROW).levels == 2


@pytest.mark.parametrize(("crossed", "participants", "levels"), [(1, 400, 1), (1, 399, 2), (2, 400, 2), (2, 10, 2)])
def test_crossing_thresholds_and_too_few_participants_add_up_to_two(crossed: int, participants: int,
                                                                    levels: int) -> None:
    assert imprecision(crossed, True, FUNCTION_MID, participants, None, NARROW).levels == levels


def test_no_estimate_is_two_levels_imprecise() -> None:
    assert imprecision(0, True, FUNCTION_MID, 1000, None, None).levels == 2


def test_a_reported_ratio_without_counts_has_unknown_events_in_its_row() -> None:
    row = only_row([study("r2020", reported("relapse", "RR", 0.5, 0.3, 0.8, timepoint="12 months"), total=900)],
                   "relapse")
    assert row.judgements[3] == Judgement(Domain.IMPRECISION, 0, "the 95% CI does not cross the null; the optimal "
                                          "information size cannot be judged: the events are not known")


# --- publication bias ------------------------------------------------------------------------------------------------

def trial(tid: str, status: str | None = "Completed", results_posted: bool | None = False,
          published_as: str | None = None, condition: str = "c") -> Trial:
    """Return a registered trial of condition `c`."""
    return Trial(id=tid, condition=condition, title="t", status=status, results_posted=results_posted,
                 published_as=published_as, src=SRC)


def test_a_maker_funded_trial_favouring_its_cells_with_most_weight_rates_down() -> None:
    favouring = [contribution("maker", 60.0, yi=5.0, funded=True), contribution("academic", 40.0, yi=1.0)]
    found = publication_bias(favouring, (), FUNCTION)
    assert found == Judgement(Domain.PUBLICATION_BIAS, 1, "most of the weight comes from trials a cell maker funded "
                              "whose results favour its cells (maker)", ("maker",))


@pytest.mark.parametrize(("outcome", "yi", "weight", "levels"), [
    (FUNCTION, 5.0, 50.0, 0),  # favouring, but not most of the weight
    (FUNCTION, 5.0, 50.5, 1),
    (FUNCTION, 0.0, 100.0, 0),  # the maker's null trial is evidence against its interest
    (FUNCTION, 1.5, 100.0, 0),  # a point estimate on the good side whose CI (vi 1) crosses the null is still null
    (FUNCTION, -5.0, 100.0, 0),  # unfavourable
    (PAIN, -5.0, 100.0, 1),  # less pain favours the cells
    (PAIN, 5.0, 100.0, 0),
])
def test_only_a_makers_favourable_results_count_against_it(outcome: OutcomeDefinition, yi: float, weight: float,
                                                           levels: int) -> None:
    contributions = [contribution("maker", weight, yi=yi, funded=True), contribution("academic", 100.0 - weight)]
    assert publication_bias(contributions, (), outcome).levels == levels


def test_registered_trials_completed_without_results_rate_down_once() -> None:
    trials = [trial("NCT1"), trial("NCT2"), trial("NCT3", results_posted=True), trial("NCT4", results_posted=None),
              trial("NCT5", status="Recruiting"), trial("NCT6", published_as="x2020"), trial("NCT7", condition="d")]
    missing = missing_trials(CONDITION, trials)
    assert [t.id for t in missing] == ["NCT1", "NCT2"]
    favouring = [contribution("maker", 100.0, yi=5.0, funded=True)]
    found = publication_bias(favouring, missing, FUNCTION)
    assert found == Judgement(Domain.PUBLICATION_BIAS, 1, "2 registered trials of the condition completed with no "
                              "posted results and no publication on file (NCT1, NCT2); most of the weight comes from "
                              "trials a cell maker funded whose results favour its cells (maker)",
                              ("NCT1", "NCT2", "maker"))


def test_missing_trials_lower_a_rows_certainty_by_one_level() -> None:
    from stemcell_cli.evidence.domains import graded_rows

    trials = [study("a2020", means("function", (30, 5, 250), (20, 5, 250)), rob=BiasLevel.LOW)]
    plain = graded_rows(Condition(id="c", name="C", outcomes=(FUNCTION,)), trials, [])[0]
    lowered = graded_rows(Condition(id="c", name="C", outcomes=(FUNCTION,)), trials,
                          [trial("NCT1"), trial("NCT2")])[0]
    assert (plain.certainty.value, lowered.certainty.value) == ("high", "moderate")
    assert lowered.judgements[4].studies == ("NCT1", "NCT2")


def test_a_trial_whose_funding_was_not_seen_is_named_never_counted_as_independent() -> None:
    judged = publication_bias([contribution("seen", 60.0), contribution("unseen", 40.0, funding_seen=False)], [],
                              FUNCTION)
    assert (judged.levels, judged.reason) == (0, "no trial known to be missing, and no maker's trials favouring its "
                                                 "own cells carry most of the weight (funding not seen for unseen)")
