"""Pure functions: the design hierarchy, look-ups, filters, tallies, the synthetic verdicts (ring 1)."""

from __future__ import annotations

import msgspec
import pytest

from stemcell_cli.errors import UnknownCondition, UnknownStudy
from stemcell_cli.evidence import command_results
from stemcell_cli.evidence.designs import rank
from stemcell_cli.evidence.grades import Verdict
from stemcell_cli.evidence.lookup import distinct, find_condition, find_study, study_label
from stemcell_cli.loading import load
from stemcell_cli.model import Dataset, Design, Fact
from tests.conftest import OTHER

RCT = Design.RANDOMISED_CONTROLLED_TRIAL
ARM = Design.SINGLE_ARM
META = Design.SYSTEMATIC_REVIEW


@pytest.fixture(scope="module")
def other() -> Dataset:
    return load(OTHER, use_cache=False).dataset


def test_the_hierarchy_ranks_meta_analyses_then_trials_first() -> None:
    assert sorted([ARM, Design.CASE_SERIES, RCT, META], key=rank) == [META, RCT, ARM, Design.CASE_SERIES]


def test_condition_found_by_id_alias_and_case(other: Dataset) -> None:
    assert find_condition(other, "widgetitis").id == "widgetitis"
    assert find_condition(other, "WDG").id == "widgetitis"


def test_unknown_condition_suggests_a_name_from_the_data(other: Dataset) -> None:
    with pytest.raises(UnknownCondition) as caught:
        find_condition(other, "widgetits")
    assert str(caught.value) == (
        "unknown condition 'widgetits'; did you mean 'widgetitis'? "
        "(known: widgetitis, wdg; see `stemcell conditions`)"
    )


def test_unknown_study_suggests_an_id_of_that_condition(other: Dataset) -> None:
    condition = find_condition(other, "wdg")
    with pytest.raises(UnknownStudy) as caught:
        find_study(other, condition, "bakr2002")
    assert str(caught.value) == (
        "unknown study 'bakr2002' for widgetitis; did you mean 'baker2002'? (see `stemcell widgetitis studies`)"
    )


def test_study_label_from_id_and_confirmed_year(other: Dataset) -> None:
    assert [study_label(s) for s in other.studies] == ["Able 2001", "Baker 2002", "Cole 2003"]
    unconfirmed = msgspec.structs.replace(other.studies[0], year=Fact())
    assert study_label(unconfirmed) == "Able (year unconfirmed)"
    labelled = msgspec.structs.replace(other.studies[0], label="Able et al. 2001")
    assert study_label(labelled) == "Able et al. 2001"


def test_distinct_keeps_each_study_once_by_id_in_first_order(other: Dataset) -> None:
    able, baker, cole = other.studies
    copy = msgspec.structs.replace(able, label="Able again")
    assert [s.id for s in distinct([baker, able, cole, copy, baker])] == ["baker2002", "able2001", "cole2003"]
    assert distinct([]) == []


def test_glance_tallies_designs_participants_and_years(other: Dataset) -> None:
    result = command_results.summary(other, find_condition(other, "wdg"))
    glance = result.glance
    assert (glance.studies, glance.controlled, glance.primary_participants) == (3, 1, 63)
    assert (glance.first_year, glance.last_year) == (2001, 2003)
    assert [(d.design, d.studies, d.participants) for d in glance.by_design] == [
        (RCT, 1, 40), (ARM, 1, 20), (Design.CASE_SERIES, 1, 3)]


def test_summary_claims_are_graded_and_contrasts_listed(other: Dataset) -> None:
    result = command_results.summary(other, find_condition(other, "wdg"))
    assert [(v.claim.id, len(v.support), len(v.contrast), v.grade.verdict, v.grade.certainty)
            for v in result.claims] == [("pain", 2, 1, Verdict.VERY_UNCERTAIN, None),
                                        ("cure", 0, 0, Verdict.NOT_CHECKABLE, None)]
    assert [c.study.id for c in result.contrasts] == ["cole2003"]
    assert [t.id for t in result.trials_without_results] == ["NCT00000001"]
    assert result.trials_results_unstated == 1
    assert [i.id for i in result.issues] == ["issue-cure"]


def test_support_is_listed_strongest_design_first(other: Dataset) -> None:
    view = command_results.claims(other, find_condition(other, "wdg")).claims[0]
    assert [f.study.id for f in view.support] == ["baker2002", "able2001"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["able2001", "baker2002", "cole2003"]),
        ({"design": ARM}, ["able2001"]),
        ({"since": 2002}, ["baker2002", "cole2003"]),
        ({"min_n": 20}, ["able2001", "baker2002"]),
        ({"sort": command_results.SortKey.N}, ["baker2002", "able2001", "cole2003"]),
        ({"sort": command_results.SortKey.DESIGN}, ["baker2002", "able2001", "cole2003"]),
        ({"min_n": 21, "since": 2000, "sort": command_results.SortKey.ID}, ["baker2002"]),
    ],
)
def test_study_filters_and_sorts(other: Dataset, filters: dict[str, object], expected: list[str]) -> None:
    result = command_results.studies(other, find_condition(other, "wdg"), **filters)  # type: ignore[arg-type]
    assert [s.id for s in result.studies] == expected
