"""The verdict rules case by case: start levels, each downgrade on and off, not checkable, harms (ring 1)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from stemcell_cli.evidence.certainty import Level, start
from stemcell_cli.evidence.clusters import Item, Side, group, tally
from stemcell_cli.evidence.harms import balance, fisher_exact
from stemcell_cli.evidence.results import Domain, Grade, Verdict
from stemcell_cli.evidence.verdicts import grade_claim
from stemcell_cli.model import (
    Arm,
    Assertion,
    Attribution,
    BiasLevel,
    BiasReason,
    CitationIssue,
    Claim,
    ClaimKind,
    Cluster,
    ClusterKind,
    Comparison,
    Condition,
    Design,
    Direction,
    Harm,
    HarmKind,
    IssueKind,
    Participants,
    PooledStudy,
    Pooling,
    RiskOfBias,
    Study,
    Verification,
)

RCT = Design.RANDOMISED_CONTROLLED_TRIAL
ARM = Design.SINGLE_ARM
META = Design.SYSTEMATIC_REVIEW
SRC = ("https://example.org/source",)
LOW_RISK = RiskOfBias(level=BiasLevel.LOW, src=SRC)


def study(sid: str, design: Design = RCT, n: int | None = 500, *, rob: RiskOfBias | None = LOW_RISK,
          pooling: Pooling | None = None, harms: tuple[Harm, ...] = (), arms: tuple[Arm, ...] = ()) -> Study:
    """Return a study with only what the verdicts read."""
    if not arms and n is not None and design is RCT:
        arms = (Arm(name="cells", n=n - n // 2), Arm(name="placebo", n=n // 2))
    return Study(id=sid, condition="c", verification=Verification.VERIFIED, design=design,
                 direction=Direction.SUPPORTS_BENEFIT, participants=Participants(total=n, arms=arms, src=SRC),
                 risk_of_bias=rob, pooling=pooling, harms=harms)


def claim(asserts: Assertion = Assertion.BENEFIT, *, kind: ClaimKind = ClaimKind.BENEFIT,
          cites: tuple[str, ...] = ()) -> Claim:
    """Return a claim about 'pain'."""
    return Claim(id="k", page="p", kind=kind, text="Cells cure pain", outcome="pain", cites=cites, asserts=asserts)


def verdict(links: Sequence[tuple[Study, Side]], the_claim: Claim | None = None, *,
            clusters: tuple[Cluster, ...] = (), issues: tuple[CitationIssue, ...] = (),
            indirect: dict[str, str] | None = None) -> Grade:
    """Grade a claim on these links."""
    items = [Item(s, side, f"{s.id} finding", (indirect or {}).get(s.id)) for s, side in links]
    condition = Condition(id="c", name="C", therapy="cell therapy", clusters=clusters)
    return grade_claim(the_claim or claim(), items, issues, condition, {s.id: s for s, _ in links})


def steps(grade: Grade) -> dict[Domain, int]:
    """Return how many levels each domain took off."""
    return {s.domain: s.levels for s in grade.steps}


NO_STEPS = dict.fromkeys(Domain, 0)


@pytest.mark.parametrize(("design", "expected"), [
    (RCT, Level.HIGH), (Design.NON_RANDOMISED_CONTROLLED, Level.LOW), (ARM, Level.VERY_LOW),
    (Design.CASE_SERIES, Level.VERY_LOW), (Design.LONG_TERM_FOLLOW_UP, Level.VERY_LOW),
    (Design.RETROSPECTIVE_COHORT, Level.VERY_LOW), (META, Level.VERY_LOW)])
def test_each_design_starts_at_its_level(design: Design, expected: Level) -> None:
    assert start(study("s", design), {}) is expected


def meta(sid: str, comparison: Comparison, *, includes: tuple[str, ...] = (),
         others: tuple[PooledStudy, ...] = (), participants: int | None = None) -> Study:
    """Return a meta-analysis with its curated pooling."""
    return study(sid, META, None, pooling=Pooling(comparison=comparison, includes=includes, others=others,
                                                  participants=participants, src=SRC))


@pytest.mark.parametrize(("comparison", "others", "expected"), [
    (Comparison.RANDOMISED_ARMS, (PooledStudy(label="T 2010", design=RCT),), Level.HIGH),
    (Comparison.MIXED, (PooledStudy(label="T 2010", design=RCT),), Level.LOW),
    (Comparison.BEFORE_AFTER, (PooledStudy(label="T 2010", design=RCT),), Level.VERY_LOW),
    # Never above what it pools: "randomised arms" over single-arm reports is still very low.
    (Comparison.RANDOMISED_ARMS, (PooledStudy(label="S 2010", design=ARM),), Level.VERY_LOW),
    (Comparison.RANDOMISED_ARMS, (), Level.HIGH),
])
def test_a_meta_analysis_starts_where_what_it_pools_starts(
    comparison: Comparison, others: tuple[PooledStudy, ...], expected: Level
) -> None:
    assert start(meta("m", comparison, others=others), {}) is expected


def test_one_large_low_risk_trial_gives_high_certainty_support_and_a_plain_statement() -> None:
    grade = verdict([(study("a"), Side.SUPPORT)])
    assert (grade.verdict, grade.certainty, grade.start) == (Verdict.SUPPORTS, Level.HIGH, Level.HIGH)
    assert steps(grade) == NO_STEPS
    assert grade.statement == "Cell therapy improves pain."


def test_the_same_trial_against_the_claim_contradicts_it_with_the_same_certainty() -> None:
    grade = verdict([(study("a"), Side.CONTRAST)])
    assert (grade.verdict, grade.certainty) == (Verdict.CONTRADICTS, Level.HIGH)
    assert grade.statement == "Cell therapy makes little or no difference to pain."


def test_uncontrolled_reports_alone_are_inconclusive_at_very_low_certainty() -> None:
    grade = verdict([(study("a", ARM, 900), Side.SUPPORT), (study("b", Design.CASE_SERIES, 900), Side.SUPPORT)])
    assert (grade.verdict, grade.certainty, grade.start) == (Verdict.INCONCLUSIVE, Level.VERY_LOW, Level.VERY_LOW)
    assert grade.statement == (
        "It is not known whether cell therapy improves pain: only uncontrolled reports bear on it, and they cannot "
        "separate the therapy's effect from that of the treatment given with it.")


def test_two_supporting_trials_are_not_overturned_by_a_contrasting_case_series() -> None:
    grade = verdict([(study("a"), Side.SUPPORT), (study("b"), Side.SUPPORT), (study("c", ARM, 5), Side.CONTRAST)])
    assert (grade.verdict, grade.certainty) == (Verdict.SUPPORTS, Level.HIGH)
    assert [(c.studies, c.decisive) for c in grade.clusters] == [(("a",), True), (("b",), True), (("c",), False)]


def test_a_disagreeing_trial_in_the_same_evidence_is_named_in_the_statement() -> None:
    pooled = meta("m", Comparison.RANDOMISED_ARMS, includes=("a",))
    grade = verdict([(pooled, Side.SUPPORT), (study("a"), Side.CONTRAST)])
    assert grade.statement == ("Cell therapy probably improves pain. Rated down for inconsistency: a (year "
                               "unconfirmed), in the same body of evidence, points the other way.")


def test_independent_trials_on_both_sides_are_inconclusive_and_rated_down_for_inconsistency() -> None:
    grade = verdict([(study("a"), Side.SUPPORT), (study("b"), Side.CONTRAST)])
    assert grade.verdict is Verdict.INCONCLUSIVE
    assert steps(grade)[Domain.INCONSISTENCY] == 1
    assert grade.certainty is Level.MODERATE


HIGH = RiskOfBias(level=BiasLevel.HIGH, reasons=(BiasReason.OPEN_LABEL,), src=SRC)
CONCERNS = RiskOfBias(level=BiasLevel.SOME_CONCERNS, reasons=(BiasReason.STOPPED_EARLY,), src=SRC)


@pytest.mark.parametrize(("risks", "levels"), [
    ((LOW_RISK, LOW_RISK), 0),
    ((HIGH, LOW_RISK, LOW_RISK), 1),
    ((CONCERNS, CONCERNS, LOW_RISK), 1),
    ((CONCERNS, LOW_RISK, LOW_RISK), 0),
    ((HIGH, HIGH, LOW_RISK), 2),
])
def test_risk_of_bias_rates_down_by_the_rule(risks: tuple[RiskOfBias, ...], levels: int) -> None:
    grade = verdict([(study(f"s{k}", rob=r), Side.SUPPORT) for k, r in enumerate(risks)])
    assert steps(grade)[Domain.RISK_OF_BIAS] == levels
    assert grade.certainty is Level.HIGH.lowered(levels)


def test_a_risk_of_bias_step_names_the_study_and_its_reason() -> None:
    grade = verdict([(study("a", rob=HIGH), Side.SUPPORT)])
    (step,) = [s for s in grade.steps if s.domain is Domain.RISK_OF_BIAS]
    assert (step.levels, step.reason, step.studies) == (
        2, "risk of bias in the decisive evidence (a (year unconfirmed): high, open label)", ("a",))


def test_indirect_evidence_rates_down_one_level_and_direct_evidence_does_not() -> None:
    direct = verdict([(study("a"), Side.SUPPORT)])
    indirect = verdict([(study("a"), Side.SUPPORT)], indirect={"a": "measured another outcome"})
    assert (steps(direct)[Domain.INDIRECTNESS], steps(indirect)[Domain.INDIRECTNESS]) == (0, 1)
    assert indirect.certainty is Level.MODERATE


@pytest.mark.parametrize(("n", "levels"), [(400, 0), (399, 1), (100, 1), (99, 2), (None, 2)])
def test_imprecision_rates_down_under_400_and_twice_under_100(n: int | None, levels: int) -> None:
    grade = verdict([(study("a", n=n), Side.SUPPORT)])
    assert steps(grade)[Domain.IMPRECISION] == levels


def test_a_meta_analysis_counts_its_pooled_trials_once_for_imprecision() -> None:
    trials = (PooledStudy(label="T 2010", design=RCT, n=60), PooledStudy(label="U 2011", design=RCT, n=30))
    one = meta("m1", Comparison.RANDOMISED_ARMS, includes=("a",), others=trials)
    two = meta("m2", Comparison.RANDOMISED_ARMS, includes=("a",), others=trials)
    grade = verdict([(one, Side.SUPPORT), (two, Side.SUPPORT), (study("a", n=20), Side.SUPPORT)])
    (step,) = [s for s in grade.steps if s.domain is Domain.IMPRECISION]
    assert step.reason.startswith("110 participants of known size in the decisive evidence, each trial counted once")
    assert step.levels == 1


def test_one_group_behind_most_studies_rates_down_for_publication_bias() -> None:
    group_of = Cluster(id="g", kind=ClusterKind.SAME_GROUP, studies=("a", "b"), reason="one centre", src=SRC)
    links = [(study("a"), Side.SUPPORT), (study("b"), Side.SUPPORT), (study("c"), Side.SUPPORT)]
    assert steps(verdict(links, clusters=(group_of,)))[Domain.PUBLICATION_BIAS] == 1
    assert steps(verdict(links))[Domain.PUBLICATION_BIAS] == 0


def test_manufacturer_funding_rates_down_only_the_evidence_that_agrees_with_the_verdict() -> None:
    funded = RiskOfBias(level=BiasLevel.LOW, reasons=(BiasReason.MANUFACTURER_FUNDED,), src=SRC)
    agreeing = verdict([(study("a", rob=funded), Side.SUPPORT)])
    assert (agreeing.verdict, steps(agreeing)[Domain.PUBLICATION_BIAS]) == (Verdict.SUPPORTS, 1)
    other_way = verdict([(study("a", rob=funded), Side.CONTRAST), (study("b"), Side.SUPPORT)])
    assert steps(other_way)[Domain.PUBLICATION_BIAS] == 0


def test_overlapping_cohorts_count_once_and_the_cluster_says_why() -> None:
    cohort = Cluster(id="n", kind=ClusterKind.OVERLAPPING_COHORT, studies=("a", "b"), reason="same patients",
                     src=SRC)
    grade = verdict([(study("a"), Side.SUPPORT), (study("b"), Side.SUPPORT)], clusters=(cohort,))
    assert (grade.clusters_for, grade.clusters_against) == (1, 0)
    assert grade.clusters[0].joined_by == ("cluster n: same patients",)


def test_a_meta_analysis_speaks_for_the_trials_it_pools_and_a_disagreeing_trial_is_inconsistency() -> None:
    pooled = meta("m", Comparison.RANDOMISED_ARMS, includes=("a",))
    grade = verdict([(pooled, Side.SUPPORT), (study("a"), Side.CONTRAST)])
    assert (grade.verdict, grade.clusters_for, grade.clusters_against) == (Verdict.SUPPORTS, 1, 1)
    assert len(grade.clusters) == 1
    assert [s.reason for s in grade.steps if s.domain is Domain.INCONSISTENCY] == [
        "a (year unconfirmed), in the same body of evidence, points the other way"]


def quoted() -> Claim:
    """Return a quoted conclusion of study q."""
    return claim(kind=ClaimKind.QUOTED_CONCLUSION, cites=("q",))


def test_a_quoted_conclusion_is_checked_against_other_evidence_and_its_source_is_not_support() -> None:
    grade = verdict([(study("q"), Side.SUPPORT), (study("a", ARM), Side.SUPPORT)], quoted())
    assert grade.source == "q"
    assert all("q" not in c.studies for c in grade.clusters)
    assert (grade.verdict, grade.start) == (Verdict.INCONCLUSIVE, Level.VERY_LOW)


def test_a_quote_not_found_in_its_source_with_nothing_else_is_not_checkable() -> None:
    issue = CitationIssue(id="i", claim="k", kind=IssueKind.QUOTE_NOT_FOUND, summary="not found", src=SRC)
    grade = verdict([(study("q"), Side.SUPPORT)], quoted(), issues=(issue,))
    assert (grade.verdict, grade.certainty) == (Verdict.NOT_CHECKABLE, None)
    assert grade.statement == ("This cannot be checked: the quoted sentence was not found in its source, and no "
                               "other curated study bears on it.")


def test_no_evidence_is_inconclusive_without_a_certainty_not_evidence_against() -> None:
    grade = verdict([])
    assert (grade.verdict, grade.certainty, grade.clusters) == (Verdict.INCONCLUSIVE, None, ())
    assert grade.statement == ("It is not known whether cell therapy improves pain: no curated study other than its "
                               "source bears on it.")


def harm(arm: str, count: int, attribution: Attribution = Attribution.NOT_STATED,
         kind: HarmKind = HarmKind.DEATH) -> Harm:
    """Return a harm in one arm."""
    return Harm(kind=kind, event="died", arm=arm, count=count, attribution=attribution, src=SRC)


def trial(sid: str, treated: int, control: int, harms: tuple[Harm, ...]) -> Study:
    """Return a controlled trial with harms per arm."""
    return study(sid, n=treated + control, harms=harms,
                 arms=(Arm(name="cells", n=treated), Arm(name="placebo", n=control)))


SAFE = claim(Assertion.SAFE)


def test_one_unattributed_death_in_a_small_trial_is_not_harm_shown_and_safety_is_not_established() -> None:
    grade = verdict([(trial("a", 12, 6, (harm("cells", 1),)), Side.CONTRAST)], SAFE)
    assert grade.verdict is Verdict.INCONCLUSIVE
    assert grade.statement.startswith("The safety of cell therapy is not established: 1 death or serious adverse "
                                      "event in 12 treated patients against 0 in 6 controls in controlled studies")


def test_a_death_the_authors_attribute_to_treatment_is_harm_shown() -> None:
    grade = verdict([(trial("a", 12, 6, (harm("cells", 1, Attribution.RELATED),)), Side.SUPPORT)], SAFE)
    assert grade.verdict is Verdict.HARM_SHOWN


def test_a_significant_excess_of_serious_harms_is_harm_shown_even_unattributed() -> None:
    grade = verdict([(trial("a", 50, 50, (harm("cells", 10),)), Side.SUPPORT)], SAFE)
    assert grade.verdict is Verdict.HARM_SHOWN
    assert grade.verdict_reason.endswith("Fisher exact p = 0.00119")


def test_events_the_source_does_not_grade_are_listed_but_not_counted() -> None:
    ungraded = harm("cells", 10, kind=HarmKind.ADVERSE_EVENT)
    grade = verdict([(trial("a", 50, 50, (ungraded,)), Side.SUPPORT)], SAFE)
    assert grade.verdict is Verdict.INCONCLUSIVE
    assert [(h.study, h.count, h.controlled) for h in grade.harms] == [("a", 10, True)]


NONE_SERIOUS = (harm("cells", 0, kind=HarmKind.SERIOUS_ADVERSE_EVENT),)


def test_safety_is_supported_only_with_300_treated_patients_in_controlled_studies() -> None:
    assert verdict([(trial("a", 300, 300, NONE_SERIOUS), Side.SUPPORT)], SAFE).verdict is Verdict.SUPPORTS
    assert verdict([(trial("a", 299, 300, NONE_SERIOUS), Side.SUPPORT)], SAFE).verdict is Verdict.INCONCLUSIVE


def test_a_controlled_study_without_curated_harms_is_named_and_never_counted_as_no_harm() -> None:
    grade = verdict([(trial("a", 300, 300, ()), Side.SUPPORT)], SAFE)
    assert grade.verdict is Verdict.INCONCLUSIVE
    assert grade.verdict_reason.startswith(
        "no controlled study with harms per arm (not curated for a (year unconfirmed)), none attributed")


def test_uncontrolled_deaths_are_listed_apart_and_count_neither_way() -> None:
    cohort = study("w", ARM, 81, arms=(Arm(name="cells", n=81),), harms=(harm("cells", 13),))
    grade = verdict([(cohort, Side.SUPPORT)], SAFE)
    assert grade.verdict is Verdict.INCONCLUSIVE
    assert [(h.study, h.controlled, h.count) for h in grade.harms] == [("w", False, 13)]
    assert balance([cohort]).treated == 0


@pytest.mark.parametrize(("cells", "expected"), [
    ((1, 12, 0, 6), 1.0), ((10, 50, 0, 50), 0.0011868393451716576), ((3, 20, 1, 20), 0.6049896049896051),
    ((5, 10, 0, 10), 0.032507739938080496)])
def test_fisher_exact_matches_scipy(cells: tuple[int, int, int, int], expected: float) -> None:
    # Expected values from scipy.stats.fisher_exact, two-sided.
    assert fisher_exact(*cells) == pytest.approx(expected, rel=1e-12)


def test_robustness_says_when_dropping_high_risk_studies_changes_the_verdict() -> None:
    grade = verdict([(study("a", rob=HIGH), Side.SUPPORT), (study("b", ARM), Side.CONTRAST)])
    checks = {r.scenario: (r.removed, r.verdict, r.changed) for r in grade.robustness}
    assert checks["without studies at high risk of bias"] == (("a",), Verdict.INCONCLUSIVE, True)
    assert checks["controlled studies only"] == (("b",), Verdict.SUPPORTS, False)


def test_tally_counts_a_cluster_once_per_side_it_holds() -> None:
    items = [Item(study("a"), Side.SUPPORT, "x"), Item(study("b"), Side.CONTRAST, "y")]
    cohort = Cluster(id="n", kind=ClusterKind.OVERLAPPING_COHORT, studies=("a", "b"), reason="r", src=SRC)
    groups = group(items, Condition(id="c", name="C", clusters=(cohort,)), {})
    assert tally(groups) == (1, 1)


def test_a_claim_made_of_others_takes_the_worst_direction_and_the_lowest_certainty() -> None:
    from stemcell_cli.evidence.verdicts import combine

    strong, weak = verdict([(study("a"), Side.SUPPORT)]), verdict([(study("b", n=50), Side.SUPPORT)])
    against = verdict([(study("c"), Side.CONTRAST)])
    whole = claim(kind=ClaimKind.HEADLINE)
    parts = [(claim(), strong), (claim(), weak)]
    assert (combine(whole, parts).verdict, combine(whole, parts).certainty) == (Verdict.SUPPORTS, Level.LOW)
    mixed = combine(whole, [*parts, (claim(), against)])
    assert (mixed.verdict, mixed.certainty, mixed.parts) == (Verdict.CONTRADICTS, Level.LOW, ("k", "k", "k"))
    unknown = combine(whole, [(claim(), strong), (claim(), verdict([]))])
    assert (unknown.verdict, unknown.certainty) == (Verdict.INCONCLUSIVE, Level.HIGH)
    assert unknown.statement == ("Not established: its parts: k supports (high), k inconclusive; its certainty is the "
                                 "lowest of its parts', high.")
