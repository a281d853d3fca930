"""Crohn's disease: the two phase 3 trials pooled as printed, key trials, the EU regulatory facts and every verdict."""

from __future__ import annotations

import json

import pytest
import yaml

from stemcell_cli.loading import load
from stemcell_cli.model import Dataset

from .condition_checks import command_json, shared_sheet, sof_rows, studies_of, verdicts
from .conftest import SHIPPED, run

FACTS, needs_facts = shared_sheet("facts_crohns.yaml")

MEDICOM = ("https://conferences.medicom-publishers.com/specialisation/gastroenterology/ddw-2024/"
           "admire-cd-ii-darvadstrocel-does-not-meet-primary-endpoint-in-complex-crohns-perianal-fistulas/")
DISCOVERY = ("https://discovery.researcher.life/article/long-term-efficacy-and-safety-of-stem-cell-therapy-cx601-for-"
             "complex-perianal-fistulas-in-patients-with-crohn-s-disease/1bfa67edb67d319eb796cee3fc67d045")
EMA_NEWS = "https://ema.europa.eu/en/news/alofisel-withdrawn-eu-market"
EMA_EPAR = "https://www.ema.europa.eu/en/medicines/human/EPAR/alofisel"
COCHRANE_TBL3 = ("https://pmc.ncbi.nlm.nih.gov/articles/PMC9099217/table/CD013070-tbl-0003/"
                 "?term=%22Cochrane+Database+Syst+Rev%22%5Bjour%5D")

VERDICTS = {
    "cd-panama-rct": ("very_uncertain", "uncertain", "very_low"),
    "cd-panama-hsct": ("very_uncertain", "uncertain", "very_low"),
    "cd-panama-qol": ("very_uncertain", "uncertain", "very_low"),
    "cd-dvc21-progression": ("not_checkable", None, None),
    "cd-dvc21-outcomes": ("very_uncertain", "uncertain", "very_low"),
    "cd-dvc20-promising": ("very_uncertain", "uncertain", "very_low"),
    "cd-dvc20-inflammation": ("very_uncertain", "uncertain", "very_low"),
    "cd-rha-cohort": ("very_uncertain", "uncertain", "very_low"),
    "cd-rha-safe": ("very_uncertain", "uncertain", "very_low"),
    "cd-ucmsc-safety": ("very_uncertain", "uncertain", "very_low"),
    "cd-ucmsc-benefits": ("very_uncertain", "uncertain", "very_low"),
    "cd-vega-solution": ("very_uncertain", "uncertain", "very_low"),
    "cd-osiris-day28": ("very_uncertain", "uncertain", "very_low"),
    "cd-osiris-105": ("very_uncertain", "uncertain", "very_low"),
    "cd-osiris-sae": ("very_uncertain", "uncertain", "very_low"),
}

# (outcome, comparison, time point) -> (participants, studies, certainty, effect, estimate to 2 decimals)
CRITICAL_ROWS = {
    ("combined_remission", "placebo_or_sham", "24 weeks"): (780, 2, "very_low", "uncertain",
                                                          ("RD", 8.0, -75.98, 91.99)),
    ("combined_remission", "placebo_or_sham", "52 weeks"): (780, 2, "very_low", "uncertain",
                                                         ("RD", 8.57, -94.95, 112.08)),
    ("combined_remission", "placebo_or_sham", "12 weeks"): (21, 1, "very_low", "uncertain", ("RR", 1.4, 0.4, 4.91)),
    ("cdai_remission", "mixed", "24 weeks"): (None, 4, "very_low", "uncertain", ("RR", 1.02, 0.67, 1.56)),
    ("cdai_remission", "usual_care", "1 year"): (45, 1, "very_low", "uncertain", None),
    ("serious_adverse_events", "mixed", None): (None, 7, "very_low", "uncertain", ("RR", 1.22, 0.88, 1.67)),
    ("all_cause_mortality", "mixed", None): (None, 7, "very_low", "uncertain", ("OR", 5.51, 0.3, 101.02)),
}


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(SHIPPED, use_cache=False).dataset


def test_the_condition_its_alias_and_its_pages(data: Dataset) -> None:
    condition = next(c for c in data.conditions if c.id == "crohns")
    assert (condition.name, condition.aliases) == ("Crohn's disease", ("crohns-disease",))
    pages = [p.id for p in data.pages if p.condition == "crohns"]
    assert pages == ["cd-regen-panama", "cd-dvc-2021", "cd-dvc-2020", "cd-rha-hsct", "cd-rha-ucmsc", "cd-vega",
                     "cd-osiris"]
    for name in ("crohns", "crohns-disease"):
        result = run(name, "summary")
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("Crohn's disease: what the curated evidence shows")


def test_the_two_phase_3_trials_as_printed(data: Dataset) -> None:
    studies = studies_of(data, "crohns")
    first, second, week52 = studies["panes2016"], studies["admirecd2"], studies["panes2018"]
    assert [(a.name, a.n, a.role.value) for a in first.participants.arms] == [("Cx601", 107, "treated"),
                                                                              ("placebo", 105, "control")]
    assert [(a.name, a.n, a.role.value) for a in second.participants.arms] == [("Cx601", 283, "treated"),
                                                                               ("placebo", 285, "control")]
    primary = first.outcomes[0].estimate
    assert (primary.metric, primary.value, primary.ci_low, primary.ci_high, primary.ci_level, primary.p) == (
        "RD", 15.8, 0.5, 31.2, 97.5, ".021")
    assert first.outcomes[0].src == (DISCOVERY,)
    replication = [(r.timepoint, r.estimate.value, r.estimate.ci_low, r.estimate.ci_high, r.estimate.p)
                   for r in second.outcomes]
    assert replication == [("24 weeks", 2.4, -5.8, 10.6, "0.571"), ("52 weeks", 1.3, -6.8, 9.3, "0.757")]
    assert {r.src for r in second.outcomes} == {(MEDICOM,)}
    assert "sign is ambiguous" in second.outcomes[1].note
    assert (week52.outcomes[0].estimate.value, week52.outcomes[0].estimate.ci_low,
            week52.outcomes[0].estimate.ci_high) == (17.7, 4.2, 31.2)
    cluster = next(c for c in next(c for c in data.conditions if c.id == "crohns").clusters)
    assert (cluster.kind.value, cluster.studies) == ("serial_reports", ("panes2016", "panes2018", "garciaolmo2022"))


def test_combined_remission_pools_both_phase_3_trials_at_weeks_24_and_52() -> None:
    assert sof_rows(command_json("crohns", "sof"), critical_only=True) == CRITICAL_ROWS


def test_the_eu_authorisation_and_withdrawal_are_in_the_overview_with_the_regulator_s_pages() -> None:
    result = run("crohns", "overview", "--format", "json")
    assert result.exit_code == 0, result.stderr
    points = {p["topic"]: p for p in json.loads(result.stdout)["overview"]}
    assert "23 March 2018" in points["regulatory_eu_authorisation"]["text"]
    assert EMA_EPAR in points["regulatory_eu_authorisation"]["src"]
    assert "13 December 2024" in points["regulatory_eu_withdrawal"]["text"]
    assert EMA_NEWS in points["regulatory_eu_withdrawal"]["src"]


def test_other_trials_arms_and_roles(data: Dataset) -> None:
    studies = studies_of(data, "crohns")
    molendijk = studies["molendijk2015"].outcomes[0]
    assert [(a.events, a.total, a.role.value) for a in molendijk.arms] == [
        (3, 5, "treated"), (4, 5, "treated"), (1, 5, "treated"), (1, 6, "control")]
    zhang = studies["zhang2018cd"].outcomes[0]
    assert (zhang.outcome, [(a.mean, a.sd) for a in zhang.arms]) == ("cdai_fall", [(62.5, 23.2), (23.6, 12.4)])
    asticlite = studies["lindsay2024"].outcomes[0]
    assert [(a.events, a.total) for a in asticlite.arms] == [(3, 7), (0, 6)]
    assert studies["zhou2020cd"].design.value == "non_randomised_controlled"
    assert studies["cochrane2022cd"].pooling.includes == (
        "garciaolmo2009", "hawkey2015", "melmed2015", "molendijk2015", "panes2016", "zhang2018cd", "zhou2020cd")
    assert {o.estimate.value for o in studies["cochrane2022cd"].outcomes if o.estimate} == {
        1.48, 1.42, 1.02, 1.22, 5.51, 0.25}
    assert {o.src for o in studies["cochrane2022cd"].outcomes} == {(COCHRANE_TBL3,)}


def test_trials_without_results_lower_certainty(data: Dataset) -> None:
    trials = {t.id: (t.results_posted, t.published_as) for t in data.trials if t.condition == "crohns"}
    assert trials["NCT00482092"] == (False, None)
    assert trials["NCT01769755"] == (False, None)
    assert trials["NCT03279081"] == (True, "admirecd2")
    assert len(trials) == 14


def test_verdicts_through_the_cli() -> None:
    assert verdicts("crohns") == VERDICTS


def test_effects_pools_the_two_phase_3_trials_as_risk_differences() -> None:
    result = run("crohns", "effects", "--outcome", "combined remission", "--format", "json")
    assert result.exit_code == 0, result.stderr
    pooled = {(o["measure"], o["timepoint"]): (o["random"]["k"], round(o["random"]["estimate"], 2))
              for o in json.loads(result.stdout)["outcomes"] if o["random"]}
    assert pooled == {("RD", "24 weeks"): (2, 8.0), ("RD", "52 weeks"): (2, 8.57)}


@needs_facts
def test_every_claim_is_verbatim_on_the_fact_sheet(data: Dataset) -> None:
    with FACTS.open(encoding="utf-8") as handle:
        sheet = yaml.load(handle, Loader=yaml.SafeLoader)
    quoted = [claim["verbatim"] for page in sheet["pages"] for claim in page["claims"]]
    claims = [c for c in data.claims if c.page.startswith("cd-")]
    for claim in claims:
        assert any(claim.text in sentence for sentence in quoted), claim.id
    urls = {page["url"] for page in sheet["pages"]}
    assert {p.url for p in data.pages if p.condition == "crohns"} <= urls


def test_the_perianal_rct_claim_is_answered_on_both_phase_3_trials_at_52_weeks() -> None:
    result = run("crohns", "claim", "cd-panama-rct", "--format", "json")
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)["claim"]["outcomes"][0]
    assert (answer["outcome"], answer["timepoint"], answer["studies"], answer["verdict"], answer["certainty"]) == (
        "combined_remission", "52 weeks", ["panes2018", "admirecd2"], "very_uncertain", "very_low")
    assert [(d["domain"], d["levels"]) for d in answer["domains"]] == [
        ("risk_of_bias", 1), ("inconsistency", 0), ("indirectness", 0), ("imprecision", 1),
        ("publication_bias", 1)]
