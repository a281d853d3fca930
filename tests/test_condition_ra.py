"""Rheumatoid arthritis: the controlled trials as printed, an add-on trial kept apart, and every verdict."""

from __future__ import annotations

import pytest
import yaml

from stemcell_cli.loading import load
from stemcell_cli.model import Dataset

from .condition_checks import command_json, shared_sheet, sof_rows, studies_of, verdicts
from .conftest import SHIPPED, run

FACTS, needs_facts = shared_sheet("facts_rheumatoid_arthritis.yaml")

TOGOWS = "http://togows.dbcls.jp/entry/ncbi-pubmed/27269294"

VERDICTS = {
    "ra-progencell-64": ("very_uncertain", "uncertain", "very_low"),
    "ra-progencell-regenerate": ("very_uncertain", "uncertain", "very_low"),
    "ra-amca-2021": ("very_uncertain", "uncertain", "very_low"),
    "ra-amca-studies": ("very_uncertain", "uncertain", "very_low"),
    "ra-amca-tolerated": ("very_uncertain", "uncertain", "very_low"),
    "ra-thailand-impact": ("very_uncertain", "uncertain", "very_low"),
    "ra-rha-acr20": ("not_checkable", None, None),
    "ra-rha-safety": ("very_uncertain", "uncertain", "very_low"),
    "ra-tigenix-positive": ("very_uncertain", "uncertain", "very_low"),
    "ra-tigenix-mild": ("very_uncertain", "uncertain", "very_low"),
}

CRITICAL_ROWS = {
    ("acr20", "placebo_or_sham", "1 month"): (53, 1, "very_low", "uncertain", ("RR", 1.14, 0.33, 3.95)),
    ("das28_change", "usual_care", None): (172, 1, "very_low", "benefit", None),
    ("serious_adverse_events", "mixed", None): (358, 1, "very_low", "uncertain", ("RR", 1.1, 0.15, 7.97)),
}


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(SHIPPED, use_cache=False).dataset


def test_the_condition_its_alias_and_its_pages(data: Dataset) -> None:
    condition = next(c for c in data.conditions if c.id == "rheumatoid-arthritis")
    assert (condition.name, condition.aliases) == ("Rheumatoid arthritis", ("ra",))
    assert [p.id for p in data.pages if p.condition == "rheumatoid-arthritis"] == [
        "ra-progencell", "ra-amca", "ra-sct-thailand", "ra-rha-ifn", "ra-tigenix"]
    thresholds = {o.id: o.threshold.value for o in condition.outcomes if o.threshold}
    assert thresholds == {"das28_change": 1.2, "haq_change": 0.22}
    result = run("ra", "summary")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Rheumatoid arthritis: what the curated evidence shows")


def test_cx611_arms_and_results_as_printed(data: Dataset) -> None:
    cx611 = studies_of(data, "rheumatoid-arthritis")["alvarogracia2017"]
    assert [(a.name, a.n, a.role.value) for a in cx611.participants.arms] == [
        ("Cx611 1 million/kg", 20, "treated"), ("Cx611 2 million/kg", 20, "treated"),
        ("Cx611 4 million/kg", 6, "treated"), ("placebo", 7, "control")]
    any_event, acr20 = cx611.outcomes[0], cx611.outcomes[1]
    assert [(a.events, a.total) for a in any_event.arms] == [(17, 20), (15, 20), (6, 6), (4, 7)]
    assert [(a.events, a.total) for a in acr20.arms] == [(9, 20), (4, 20), (2, 6), (2, 7)]
    assert "derived" in acr20.note
    assert [(h.kind.value, h.arm, h.count) for h in cx611.harms] == [("serious_adverse_event", "Cx611 1 million/kg", 1)]
    assert {o.src for o in cx611.outcomes} == {(TOGOWS,)}


def test_the_add_on_trial_has_no_control_and_enters_no_estimate(data: Dataset) -> None:
    he = studies_of(data, "rheumatoid-arthritis")["he2020ra"]
    assert [(a.name, a.role.value) for a in he.participants.arms] == [("UC-MSC + IFN-γ", "treated"),
                                                                      ("UC-MSC", "other_treated")]
    assert all(r.outcome is None for r in he.outcomes)
    assert studies_of(data, "rheumatoid-arthritis")["wang2013ra"].design.value == "non_randomised_controlled"


def test_each_critical_outcome_s_rows() -> None:
    assert sof_rows(command_json("rheumatoid-arthritis", "sof"), critical_only=True) == CRITICAL_ROWS


def test_registered_trials(data: Dataset) -> None:
    trials = {t.id: (t.results_posted, t.published_as) for t in data.trials if t.condition == "rheumatoid-arthritis"}
    assert trials["NCT03618784"] == (False, None)
    assert trials["NCT02221258"] == (False, None)
    assert trials["NCT01663116"] == (None, "alvarogracia2017")
    assert len(trials) == 10


def test_verdicts_through_the_cli() -> None:
    assert verdicts("ra") == VERDICTS


@needs_facts
def test_every_claim_is_verbatim_on_the_fact_sheet(data: Dataset) -> None:
    with FACTS.open(encoding="utf-8") as handle:
        sheet = yaml.load(handle, Loader=yaml.SafeLoader)
    quoted = [claim["verbatim"] for page in sheet["pages"] for claim in page["claims"]]
    claims = [c for c in data.claims if c.page.startswith("ra-")]
    for claim in claims:
        assert any(claim.text in sentence for sentence in quoted), claim.id
    urls = {page["url"] for page in sheet["pages"]}
    assert {p.url for p in data.pages if p.condition == "rheumatoid-arthritis"} <= urls
