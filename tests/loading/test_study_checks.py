"""Each check of one study, on its own: what it reports, where, and how severe (ring 1)."""

from __future__ import annotations

import inspect

import msgspec
import pytest

from stemcell_cli.errors import Severity
from stemcell_cli.loading import checks
from stemcell_cli.loading.checks import (
    _arm_numbers,
    _estimate_numbers,
    _findable,
    _outcome_numbers,
    _overlaps_itself,
    _participant_numbers,
    _plausible_year,
    _quoted_conclusion,
    _sourced_facts,
)
from stemcell_cli.loading.source import read_data
from stemcell_cli.model import (
    Arm,
    ArmResult,
    Dataset,
    Estimate,
    Fact,
    Outcome,
    Participants,
    Quote,
    QuoteStatus,
    Study,
)
from tests.conftest import OTHER

SRC = ("https://example.org/s",)
ERROR, WARNING = Severity.ERROR, Severity.WARNING


@pytest.fixture(scope="module")
def study() -> Study:
    """Return the first study of the synthetic dataset, which passes every check."""
    from stemcell_cli.loading import examine

    dataset, _problems = examine(read_data(OTHER, "--data"))
    assert dataset is not None
    return dataset.studies[0]


def _found(found: object) -> list[tuple[str, Severity]]:
    return [(path, severity) for path, _message, severity in found]  # type: ignore[attr-defined]


def test_a_clean_study_passes_every_check(study: Study) -> None:
    assert list(checks._studies(Dataset(schema_version=1, conditions=(), studies=(study,)), 2026)) == []


def test_a_value_needs_its_source(study: Study) -> None:
    unsourced = msgspec.structs.replace(study, doi=Fact(value="10.1000/x"))
    assert _found(_sourced_facts(unsourced, "$.s")) == [("$.s.doi", ERROR)]


def test_a_study_cannot_overlap_with_itself(study: Study) -> None:
    assert _found(_overlaps_itself(msgspec.structs.replace(study, overlaps_with=(study.id,)), "$.s")) == [
        ("$.s.overlaps_with", ERROR)]


@pytest.mark.parametrize(("year", "found"), [(1899, 1), (1900, 0), (2027, 0), (2028, 1)])
def test_a_year_is_plausible_from_1900_to_next_year(study: Study, year: int, found: int) -> None:
    dated = msgspec.structs.replace(study, year=Fact(value=year, src=SRC))
    assert _found(_plausible_year(dated, "$.s", 2026)) == [("$.s.year.value", ERROR)] * found


def test_participant_numbers_add_up_and_have_a_source() -> None:
    people = Participants(total=5, arms=(Arm(name="a", n=2), Arm(name="b", n=-2)))
    assert _found(_participant_numbers(people, "$.p")) == [("$.p.arms[1].n", ERROR), ("$.p", ERROR),
                                                          ("$.p", ERROR)]
    assert _found(_participant_numbers(Participants(total=4, arms=(Arm(name="a", n=4),), src=SRC), "$.p")) == []


def test_an_outcome_arm_has_possible_counts_and_finite_numbers() -> None:
    arm = ArmResult(arm="a", events=5, total=3, mean=float("nan"), sd=-1.0)
    assert _found(_arm_numbers(arm, "$.a")) == [("$.a.mean", ERROR), ("$.a", ERROR), ("$.a.sd", ERROR)]
    assert _found(_arm_numbers(ArmResult(arm="a", events=1, total=0), "$.a")) == [("$.a.total", ERROR)]


def test_an_estimate_lies_inside_its_interval() -> None:
    assert _found(_estimate_numbers(Estimate(metric="RR", value=5.0, ci_low=1.0, ci_high=3.0), "$.e")) == [
        ("$.e", ERROR)]
    assert _found(_estimate_numbers(Estimate(metric="RR", value=2.0, ci_low=3.0, ci_high=1.0), "$.e")) == [
        ("$.e", ERROR)]
    assert _found(_estimate_numbers(Estimate(metric="RR", value=float("inf")), "$.e")) == [("$.e.value", ERROR)]


def test_an_outcome_checks_its_source_then_its_arms_then_its_estimate() -> None:
    outcome = Outcome(measure="m", reported="r", arms=(ArmResult(arm="a", sd=-1.0),),
                      estimate=Estimate(metric="MD", value=9.0, ci_low=0.0, ci_high=1.0))
    assert _found(_outcome_numbers(outcome, "$.o")) == [("$.o", ERROR), ("$.o.arms[0].sd", ERROR),
                                                        ("$.o.estimate", ERROR)]


def test_a_quoted_conclusion_is_verified_and_sourced(study: Study) -> None:
    quote = Quote(text="It works.", status=QuoteStatus.UNVERIFIED)
    assert _found(_quoted_conclusion(msgspec.structs.replace(study, conclusion=quote), "$.s")) == [
        ("$.s.conclusion", WARNING), ("$.s.conclusion", ERROR)]


def test_a_study_without_doi_or_pmid_says_why(study: Study) -> None:
    bare = msgspec.structs.replace(study, doi=Fact(), pmid=Fact())
    assert _found(_findable(bare, "$.s")) == [("$.s", WARNING)]
    assert _found(_findable(msgspec.structs.replace(bare, pmid=Fact(note="not indexed")), "$.s")) == []


def test_the_study_checks_are_a_list_of_named_checks() -> None:
    # Each check has a name that says what it looks at; the loop over the studies only calls them in order.
    assert len(inspect.getsource(checks._studies).splitlines()) < 15
