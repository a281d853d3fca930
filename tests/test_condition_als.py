"""Amyotrophic lateral sclerosis: the key trials pinned to their sources, claims verbatim, verdicts through the CLI."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from stemcell_cli.loading import load
from stemcell_cli.model import Dataset, Design

from .conftest import ROOT, SHIPPED, run

CONDITION = "amyotrophic-lateral-sclerosis"
FACTS = ROOT.parent / "shared" / "evidence" / "als_facts.yaml"
needs_facts = pytest.mark.skipif(not FACTS.is_file(), reason="the shared evidence folder is not beside the repo")

PETROU_PUBMED = "https://www.ncbi.nlm.nih.gov/pubmed/26751635"
BERRY_SCITE = "https://staging.scite.ai/authors/revital-aricha-lXmdab"
BERRY_NEUROLOGY = "https://n.neurology.org/content/93/24/e2294.full"
BERRY_MAYO = ("https://mayoclinic.elsevierpure.com/en/publications/"
              "nurown-phase-2-randomized-clinical-trial-in-patients-with-als-saf")
CUD_UMASS = "https://repository.escholarship.umassmed.edu/handle/20.500.14038/52196"
CUD_UITM = "https://openaccess.library.uitm.edu.my./Record/scopus_10-1002-mus-27472/Details"
CUD_TAB1 = "https://pmc.ncbi.nlm.nih.gov/articles/PMC9305113/table/mus27472-tbl-0001"
CUD_CTGOV = "https://classic.clinicaltrials.gov/ct2/show/results/NCT03280056"
OH_PMC = "https://pmc.ncbi.nlm.nih.gov/articles/PMC6175096"
OH_TAB3 = "https://pmc.ncbi.nlm.nih.gov/articles/PMC6175096/table/ana25302-tbl-0003"
BCLI_PR = "https://stockprices.com/moreinfo/BCLI/pressrelease/434851"

# The claim ids and the fact-sheet page whose recorded sentence each one copies.
CLAIM_PAGES = {
    "als-early-proofs": "a_emcell",
    "als-hadassah-24": "a_emcell",
    "als-compassionate": "a_emcell",
    "als-pr-findings": "a_brainstorm_pr",
    "als-90-percent": "a_biovault",
    "als-karussis-quote": "a_biovault",
}


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(SHIPPED, use_cache=False).dataset


@pytest.fixture(scope="module")
def claims_json() -> dict[str, dict[str, Any]]:
    result = run(CONDITION, "claims", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {c["id"]: c for c in json.loads(result.stdout)["claims"]}


def _study(data: Dataset, sid: str) -> Any:
    return next(s for s in data.studies if s.id == sid)


def _facts() -> dict[str, Any]:
    with FACTS.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.load(handle, Loader=yaml.SafeLoader)
    return loaded


def test_the_condition_is_listed_with_its_alias_and_overview(data: Dataset) -> None:
    condition = next(c for c in data.conditions if c.id == CONDITION)
    assert (condition.name, condition.aliases) == ("Amyotrophic lateral sclerosis", ("als",))
    assert [p.topic for p in condition.overview] == ["what_it_is", "standard_of_care", "how_progression_is_measured"]
    assert all(p.src for p in condition.overview)
    assert run("als", "summary").exit_code == 0


def test_at_least_six_studies_three_of_them_randomised(data: Dataset) -> None:
    studies = [s for s in data.studies if s.condition == CONDITION]
    assert sorted(s.id for s in studies) == [
        "abdulwahid2019", "aljabri2021", "berry2019", "cudkowicz2022", "hadassah2021", "nabavi2018", "oh2018",
        "petrou2016", "staff2016"]
    assert sorted(s.id for s in studies if s.design is Design.RANDOMISED_CONTROLLED_TRIAL) == [
        "berry2019", "cudkowicz2022", "oh2018"]


def test_every_study_has_a_doi_or_pmid(data: Dataset) -> None:
    studies = [s for s in data.studies if s.condition == CONDITION]
    assert [s.id for s in studies if s.doi.value is None and s.pmid.value is None] == []


def test_berry2019_corrections_from_the_audit(data: Dataset) -> None:
    berry = _study(data, "berry2019")
    assert berry.title.value == (
        "NurOwn, phase 2, randomized, clinical trial in patients with ALS: Safety, clinical, and biomarker results")
    assert (berry.doi.value, berry.pmid.value, berry.pmcid.value) == (
        "10.1212/WNL.0000000000008620", "31740545", "PMC6937497")
    assert berry.authors.value == (
        "James D. Berry", "Merit E. Cudkowicz", "Anthony J. Windebank", "Nathan P. Staff", "Margaret Owegi",
        "Katherine Nicholson", "Diane McKenna-Yasek", "Yossef S. Levy", "Natalie Abramov", "Haggai Kaspi",
        "Munish Mehra", "Revital Aricha", "Yael Gothelf", "Robert H. Brown")
    for fact in (berry.title, berry.authors, berry.doi, berry.pmid, berry.pmcid):
        assert fact.src == (BERRY_MAYO,)
    assert berry.cited_as is not None
    assert "nurown phase 2 randomized clinical trial in als" in berry.cited_as
    assert berry.verification.value == "verified"


def test_cudkowicz2022_identifiers_and_primary_result_as_recorded(data: Dataset) -> None:
    study = _study(data, "cudkowicz2022")
    assert (study.doi.value, study.pmcid.value, study.trial_registration.value) == (
        "10.1002/mus.27472", "PMC9305113", "NCT03280056")
    assert CUD_TAB1 in study.doi.src
    assert CUD_CTGOV in study.trial_registration.src
    assert study.pmid.value is None
    assert "34890069" in (study.pmid.note or "")
    assert (study.volume.value, study.issue.value, study.pages.value) == ("65", "3", "291-302")
    assert [(a.name, a.n) for a in study.participants.arms] == [("MSC-NTF", 95), ("placebo", 94)]
    primary = study.outcomes[0]
    assert primary.reported == (
        "Thirty-three percent of MSC-NTF and 28% of placebo participants met clinical response criteria at 28 wk "
        "(odds ratio [OR] = 1.33, P = .45); thus, the primary endpoint was not met.")
    assert primary.estimate is not None
    assert (primary.estimate.metric, primary.estimate.value, primary.estimate.p) == ("OR", 1.33, ".45")
    assert CUD_UMASS in primary.src
    subgroup = study.outcomes[1]
    assert "35% MSC-NTF and 16% placebo (OR = 2.6, P =.29)" in subgroup.reported
    assert subgroup.src == (CUD_UITM,)


def test_berry2019_overall_null_and_subgroup_results_as_recorded(data: Dataset) -> None:
    study = _study(data, "berry2019")
    assert study.trial_registration.value == "NCT02017912"
    assert (study.journal.value, study.volume.value, study.issue.value, study.pages.value) == (
        "Neurology", "93", "24", "e2294")
    assert BERRY_NEUROLOGY in study.pages.src
    assert [(a.name, a.n) for a in study.participants.arms] == [("MSC-NTF", 36), ("placebo", 12)]
    reported = {o.measure: (o.reported, o.src) for o in study.outcomes}
    assert reported["ALSFRS-R slope change, overall population"] == (
        "The rate of disease progression (Revised ALS Functional Rating Scale [ALSFRS-R] slope change) in the "
        "overall study population was similar in treated and placebo participants.", (BERRY_SCITE,))
    responders = reported["responders (≥1.5 points/month ALSFRS-R slope improvement)"][0]
    assert "was significant in rapid progressors at 4 and 12 weeks (p = 0.004 and 0.046, respectively)" in responders
    assert study.conclusion.status.value == "verified"


def test_oh2018_identifiers_and_alsfrs_r_differences_as_recorded(data: Dataset) -> None:
    study = _study(data, "oh2018")
    assert (study.doi.value, study.pmid.value, study.pmcid.value, study.trial_registration.value) == (
        "10.1002/ana.25302", "30048006", "PMC6175096", "NCT01363401")
    assert all(OH_PMC in fact.src for fact in (study.doi, study.pmid, study.pmcid, study.trial_registration))
    assert study.journal.value is None
    by_time = {o.timepoint: o for o in study.outcomes if o.measure == "ALSFRS-R change from baseline"}
    four, six = by_time["4 months"], by_time["6 months"]
    assert OH_TAB3 in four.src
    assert OH_TAB3 in six.src
    assert [(a.arm, a.role.value if a.role else None, a.mean, a.sd, a.total) for a in four.arms] == [
        ("MSC", "treated", -1.69, 2.51, 32), ("control", "control", -4.67, 3.25, 27)]
    assert [(a.arm, a.role.value if a.role else None, a.mean, a.sd, a.total) for a in six.arms] == [
        ("MSC", "treated", -3.10, 3.51, 31), ("control", "control", -6.48, 4.53, 25)]
    assert "MSC (n=32) −1.69 (2.51) vs control (n=27) −4.67 (3.25)" in four.reported
    assert "difference 3.38 (SE 1.07; 95% CI 1.23 to 5.54), p = 0.003" in six.reported
    assert four.estimate is not None
    assert six.estimate is not None
    assert (four.estimate.value, four.estimate.ci_low, four.estimate.ci_high, four.estimate.p) == (
        2.98, 1.48, 4.47, "<0.001")
    assert (six.estimate.value, six.estimate.ci_low, six.estimate.ci_high, six.estimate.p) == (
        3.38, 1.23, 5.54, "0.003")
    assert six.arms[0].printed == {"mean": "-3.10", "sd": "3.51", "total": "31"}


def test_petrou2016_identifiers_and_cohorts_as_recorded(data: Dataset) -> None:
    study = _study(data, "petrou2016")
    assert (study.doi.value, study.pmid.value) == ("10.1001/jamaneurol.2015.4321", "26751635")
    assert study.doi.src == (PETROU_PUBMED,)
    assert study.pmid.src == (PETROU_PUBMED,)
    assert study.participants.total == 26
    assert [a.n for a in study.participants.arms] == [6, 6, 14]
    assert study.trial_registration.value is None


def test_registered_trials_as_recorded(data: Dataset) -> None:
    trials = {t.id: t for t in data.trials if t.condition == CONDITION}
    assert sorted(trials) == ["NCT01051882", "NCT01609283", "NCT03268603", "NCT03280056", "NCT04745299"]
    phase3 = trials["NCT03280056"]
    assert (phase3.enrollment, phase3.results_posted, phase3.published_as) == ("196", True, "cudkowicz2022")
    assert CUD_CTGOV in phase3.src
    assert trials["NCT04745299"].results_posted is False
    assert "did not meet its primary and secondary endpoints" in (trials["NCT04745299"].note or "")


@needs_facts
def test_every_claim_sentence_is_verbatim_as_the_fact_sheet_records_it(data: Dataset) -> None:
    pages = {p["id"]: p for p in _facts()["pages"]}
    claims = {c.id: c for c in data.claims}
    for cid, page in CLAIM_PAGES.items():
        recorded = [c["verbatim"] for c in pages[page]["claims"]]
        assert claims[cid].text in recorded, cid
    assert claims["als-halts"].text == pages["a_emcell"]["title"]["value"]


def test_the_claim_read_on_the_release_itself_is_kept_as_printed(data: Dataset) -> None:
    claim = next(c for c in data.claims if c.id == "als-pr-safe")
    assert claim.text == (
        "the clinical trial confirmed that a single transplantation of msc-ntf (nurown) cells was safe and "
        "well-tolerated.")
    page = next(p for p in data.pages if p.id == claim.page)
    assert (page.url, page.seen) == (BCLI_PR, "2026-12-01")


def test_verdicts_and_certainties_through_the_cli(claims_json: dict[str, dict[str, Any]]) -> None:
    assert {cid: (c["verdict"], c["certainty"]) for cid, c in claims_json.items()} == {
        "als-halts": ("very_uncertain", "very_low"),
        "als-early-proofs": ("very_uncertain", "very_low"),
        "als-hadassah-24": ("very_uncertain", "very_low"),
        "als-compassionate": ("very_uncertain", "very_low"),
        "als-pr-findings": ("very_uncertain", "very_low"),
        "als-pr-safe": ("very_uncertain", "low"),
        "als-90-percent": ("very_uncertain", "very_low"),
        "als-karussis-quote": ("very_uncertain", "very_low"),
    }


def test_the_quoted_investigator_is_not_checked_against_his_own_trials(
        claims_json: dict[str, dict[str, Any]]) -> None:
    quote = claims_json["als-karussis-quote"]
    assert quote["source"]["id"] == "petrou2016"
    linked = {link["study"]["id"] for link in quote["support"] + quote["contrast"]}
    assert "petrou2016" not in linked
    assert {link["study"]["id"] for link in quote["contrast"]} == {"berry2019", "cudkowicz2022"}


def test_every_value_has_a_source() -> None:
    result = run("validate", "--format", "json")
    assert result.exit_code == 0, result.stdout
    problems = json.loads(result.stdout)["problems"]
    assert not [p for p in problems if p["severity"] == "error"]
    assert not [p for p in problems if "als" in p["message"] or "amyotrophic" in p["message"]]
