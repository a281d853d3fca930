"""Knee osteoarthritis: key trials pinned to their sources, claims verbatim, verdicts exact, data invariants."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from stemcell_cli.loading import load
from stemcell_cli.model import Dataset, Design, Study

from .conftest import ROOT, SHIPPED, run

CONDITION = "knee-osteoarthritis"
FACTS = ROOT.parent / "shared" / "evidence" / "knee_oa_facts.yaml"
needs_facts = pytest.mark.skipif(not FACTS.is_file(), reason="the shared evidence folder is not beside the repo")

SHAPIRO_PORTAL = ("https://mayoclinic.pure.elsevier.com/en/publications/"
                  "a-prospective-single-blind-placebo-controlled-trial-of-bone-marro")
MILES_PMC = "https://app.altruwe.org/proxy?url=https%3A%2F%2Fpmc.ncbi.nlm.nih.gov%2Farticles%2Fpmid%2F37919438%2F"
MILES_PUBMED = "https://app.altruwe.org/proxy?url=https%3A%2F%2Fpubmed.ncbi.nlm.nih.gov%2F37919438%2F"
MILES_INGENERON = "https://ingeneron.com/publication/cell-based-versus-corticosteroid-injections-for-knee-pain/"
MILES_CTGOV = "https://classic.clinicaltrials.gov/ct2/show/NCT03818737"
MA_PMC = "https://pmc.ncbi.nlm.nih.gov/articles/PMC7717742"
GUPTA_PMC = "https://pmc.ncbi.nlm.nih.gov/articles/PMC5168586"
GUPTA_ART = "https://arthritis-research.biomedcentral.com/articles/10.1186/s13075-016-1195-7?optIn=false"
CENTENO_BMC = "https://translational-medicine.biomedcentral.com/articles/10.1186/s12967-018-1736-8"
LAMO_MEDLUNA = "https://medluna.com/article/27565858"
LAMO_TAB2 = "https://translational-medicine.biomedcentral.com/articles/10.1186/s12967-016-0998-2/tables/2"
CYTO_DRNAT = "https://drnat.com/nd/autologous-mesenchymal-fat-derived-cell-therapy-for-knee-osteoarthritis/"

# claim id -> (fact-sheet page id, position of the claim on that page)
CLAIM_SOURCES = {
    "koa_mayo_tested": ("k_scp_mayo", 0),
    "koa_legitimate": ("k_scp_mayo", 1),
    "koa_fda_safe": ("k_scp_mayo", 2),
    "koa_viable": ("k_scp_mayo", 3),
    "koa_staggering": ("k_scp_first", 0),
    "koa_with_without": ("k_scp_first", 1),
    "koa_homing": ("k_scp_first", 2),
    "koa_niscell": ("k_niscell", 0),
    "koa_landmark": ("k_boston", 0),
    "koa_compelling": ("k_boston", 1),
    "koa_140_patients": ("k_boston", 2),
    "koa_internal_ctrl": ("k_boston", 3),
    "koa_best_trial": ("k_stemcures_partial", 0),
    "koa_repeatable": ("k_stemcures_partial", 1),
}
PAGE_URLS = {
    "koa-scp-mayo": "https://stemcellprofessionals.com/2017/02/03/stem-cell-therapy-clinical-trials-knees/",
    "koa-scp-first": "http://stemcellprofessionals.com/2017/01/10/first-ever-stem-cell-therapy-study/",
    "koa-niscell": ("https://www.niscell.org/post/"
                    "mayo-clinic-florida-reports-stem-cell-therapy-benefits-in-arthritis-of-knees"),
    "koa-boston": "https://bostonsportsandbiologics.com/blog/can-stem-cell-injections-delay-knee-replacement",
    "koa-stemcures": "https://www.stemcures.com/clinical-trials-for-knee-stem-cells",
}
# Not graded from effect estimates until the condition's outcomes are curated as numbers (issue 17).
VERDICTS = {
    "koa_mayo_tested": ("very_uncertain", None),
    "koa_legitimate": ("very_uncertain", None),
    "koa_fda_safe": ("very_uncertain", None),
    "koa_viable": ("very_uncertain", None),
    "koa_staggering": ("very_uncertain", None),
    "koa_with_without": ("very_uncertain", None),
    "koa_homing": ("not_checkable", None),
    "koa_niscell": ("very_uncertain", None),
    "koa_landmark": ("not_checkable", None),
    "koa_compelling": ("very_uncertain", None),
    "koa_140_patients": ("not_checkable", None),
    "koa_internal_ctrl": ("not_checkable", None),
    "koa_best_trial": ("very_uncertain", None),
    "koa_repeatable": ("not_checkable", None),
}


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(SHIPPED, use_cache=False).dataset


def _studies(data: Dataset) -> dict[str, Study]:
    return {s.id: s for s in data.studies if s.condition == CONDITION}


def _outcome(study: Study, measure: str) -> Any:
    return next(o for o in study.outcomes if o.measure == measure)


def _facts() -> dict[str, Any]:
    with FACTS.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.load(handle, Loader=yaml.SafeLoader)
    return loaded


def test_the_condition_has_its_name_aliases_and_sourced_overview(data: Dataset) -> None:
    condition = next(c for c in data.conditions if c.id == CONDITION)
    assert (condition.name, condition.aliases) == ("Knee osteoarthritis", ("knee-oa", "koa"))
    assert [p.topic for p in condition.overview] == ["what_it_is", "standard_of_care", "cell_products"]
    assert all(p.src for p in condition.overview)


def test_aliases_reach_the_same_condition() -> None:
    for name in ("knee-oa", "koa"):
        result = run(name, "studies", "--format", "json")
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["condition"] == CONDITION


def test_shapiro2017_identity_and_null_saline_comparison(data: Dataset) -> None:
    study = _studies(data)["shapiro2017"]
    assert study.design is Design.RANDOMISED_CONTROLLED_TRIAL
    assert study.direction.value == "no_benefit"
    assert study.title.value == ("A Prospective, Single-Blind, Placebo-Controlled Trial of Bone Marrow Aspirate "
                                 "Concentrate for Knee Osteoarthritis")
    assert study.title.src == (SHAPIRO_PORTAL,)
    assert study.authors.value == ("Shane A Shapiro", "Shari E. Kazmerchak", "Michael G. Heckman", "Abba Zubair",
                                   "Mary I. O'Connor")
    assert (study.doi.value, study.pmid.value, study.year.value) == (None, None, None)
    assert study.doi.note
    assert study.pmid.note
    assert study.source_note
    assert study.participants.total == 25
    assert study.participants.arms == ()
    primary = _outcome(study, "pain relief, BMAC knee vs saline knee (OARSI ICOAP and VAS pain)")
    assert primary.reported == ("Pain relief, although dramatic, did not differ significantly between treated "
                                "knees (P >.09 for all).")
    assert primary.src == (SHAPIRO_PORTAL,)
    assert study.conclusion.status.value == "truncated"
    assert study.conclusion.text.startswith("Early results show that BMAC is safe to use")


def test_miles_identifiers_denominators_and_primary_result(data: Dataset) -> None:
    study = _studies(data)["mautner2023"]
    assert study.design is Design.RANDOMISED_CONTROLLED_TRIAL
    assert (study.doi.value, study.pmid.value, study.pmcid.value) == (
        "10.1038/s41591-023-02632-w", "37919438", "PMC10719084")
    assert study.doi.src == (MILES_PUBMED, MILES_PMC)
    assert study.pmid.src == (MILES_PMC,)
    assert study.trial_registration.value == "NCT03818737"
    assert MILES_CTGOV in study.trial_registration.src
    assert (study.journal.value, study.year.value, study.volume.value, study.issue.value, study.pages.value) == (
        "Nature Medicine", 2023, "29", "12", "3120-3126")
    assert study.participants.total == 480
    assert [(a.name, a.n) for a in study.participants.arms] == [
        ("BMAC", 120), ("corticosteroid injection (control), BMAC arm", 40),
        ("umbilical cord tissue MSC", 120), ("corticosteroid injection (control), UC-MSC arm", 40),
        ("SVF", 120), ("corticosteroid injection (control), SVF arm", 40)]
    primary = study.outcomes[0]
    assert primary.reported == ("Analyses of our primary endpoints, with 440 patients, revealed that at 1 year "
                                "post injection, none of the three orthobiologic injections was superior to "
                                "another, or to the CSI control.")
    assert primary.src == (MILES_INGENERON,)
    assert study.conclusion.text == ("In summary, this study shows that at 1 year post injection, there was no "
                                     "superior orthobiologic as compared to CSI for knee osteoarthritis.")
    registry = _outcome(study, "change in VAS pain and KOOS pain (registry results, six result groups)")
    assert "-20.2; -15.9; -16.7; -25.2; -28.8; -17.8" in registry.reported
    assert registry.arms == ()
    assert study.harms == ()


def test_miles_trial_record(data: Dataset) -> None:
    trial = next(t for t in data.trials if t.id == "NCT03818737")
    assert (trial.condition, trial.phase, trial.status, trial.results_posted, trial.published_as) == (
        CONDITION, "Phase 3", "Completed", True, "mautner2023")
    assert trial.enrollment.startswith("475 (actual)")
    assert MILES_CTGOV in trial.src


def test_the_smaller_trials_are_pinned_to_their_pages(data: Dataset) -> None:
    studies = _studies(data)
    lamo = studies["lamoespinosa2016"]
    assert (lamo.doi.value, lamo.pmid.value, lamo.trial_registration.value) == (
        "10.1186/s12967-016-0998-2", "27565858", "NCT02123368")
    assert lamo.pmid.src == (LAMO_MEDLUNA,)
    assert "(low-dose vs control group p = 0.005 and high-dose vs control group p < 0.009)" in lamo.outcomes[0].reported
    table = _outcome(lamo, "overall WOMAC, median (IQR), control / low dose / high dose (Table 2)")
    assert table.src == (LAMO_TAB2,)
    assert "12 mo 13.5 (8, 33) / 21.5 (15, 26) / 16.5 (12, 19)**" in table.reported

    cyto = studies["cytotherapy2018"]
    assert cyto.doi.value == "10.1016/j.jcyt.2018.08.005"
    assert cyto.doi.src == (CYTO_DRNAT,)
    assert cyto.authors.value is None
    assert cyto.pmid.value is None
    assert cyto.source_note
    assert [(a.name, a.n) for a in cyto.participants.arms] == [("MSC", 19), ("placebo", 24)]

    centeno = studies["centeno2018"]
    assert (centeno.doi.value, centeno.trial_registration.value) == ("10.1186/s12967-018-1736-8", "NCT02034032")
    assert centeno.doi.src == (CENTENO_BMC,)
    assert [(a.name, a.n) for a in centeno.participants.arms] == [("BMC", 26), ("exercise therapy (control)", 22)]
    assert centeno.risk_of_bias.level.value == "high"

    gupta = studies["gupta2016"]
    assert (gupta.doi.value, gupta.pmcid.value, gupta.pmid.value) == (
        "10.1186/s13075-016-1195-7", "PMC5168586", None)
    assert GUPTA_ART in gupta.doi.src
    assert gupta.pmcid.src == (GUPTA_PMC,)
    assert gupta.outcomes[0].reported.endswith("although this was not statistically significant when compared "
                                               "to placebo.")

    pilot = studies["bmacprp_pilot"]
    assert pilot.trial_registration.value == "NCT02958267"
    nprs = _outcome(pilot, "numeric pain rating scale at 12 months, BMAC vs HA (secondary)")
    assert "(-3.13 points; 95% CI: -3.96, -3.29)" in nprs.reported
    assert nprs.estimate is None


def test_ma2020_pooled_estimates_exactly_as_printed(data: Dataset) -> None:
    study = _studies(data)["ma2020"]
    assert (study.doi.value, study.pmid.value, study.pmcid.value) == (
        "10.1097/MD.0000000000023343", "33285713", "PMC7717742")
    assert study.pooling.participants == 335
    assert study.pooling.comparison.value == "randomised_arms"
    vas = _outcome(study, "VAS pain (MSC vs control)")
    assert vas.src == (MA_PMC,)
    assert (vas.estimate.metric, vas.estimate.value, vas.estimate.ci_low, vas.estimate.ci_high, vas.estimate.p) == (
        "MD", -19.24, -26.31, -12.18, "< .00001")
    stiffness = _outcome(study, "WOMAC stiffness (MSC vs control)").estimate
    assert stiffness.printed["ci_high"] == "0.00"
    assert stiffness.p == "0.05"


@needs_facts
def test_every_claim_sentence_is_verbatim_from_the_fact_sheet(data: Dataset) -> None:
    pages = {p["id"]: p for p in _facts()["pages"]}
    claims = {c.id: c for c in data.claims if c.page in PAGE_URLS}
    assert set(claims) == set(CLAIM_SOURCES)
    for claim_id, (page_id, index) in CLAIM_SOURCES.items():
        fact = pages[page_id]["claims"][index]
        assert claims[claim_id].text == fact["verbatim"], claim_id
        assert fact["src"] == PAGE_URLS[claims[claim_id].page], claim_id


def test_pages_have_their_addresses_and_the_date_seen(data: Dataset) -> None:
    pages = {p.id: p for p in data.pages if p.condition == CONDITION}
    assert {k: p.url for k, p in pages.items()} == PAGE_URLS
    assert {p.seen for p in pages.values()} == {"2026-12-01"}


def test_verdicts_and_certainties_through_the_cli() -> None:
    result = run(CONDITION, "claims", "--format", "json")
    assert result.exit_code == 0, result.stderr
    claims = json.loads(result.stdout)["claims"]
    found = {c["id"]: (c["verdict"], c["certainty"]) for c in claims}
    assert found == VERDICTS


def test_at_least_six_studies_and_a_randomised_trial(data: Dataset) -> None:
    studies = _studies(data)
    assert len(studies) == 9
    assert sum(s.design is Design.RANDOMISED_CONTROLLED_TRIAL for s in studies.values()) == 8


def test_every_study_has_a_doi_or_pmid_or_says_why(data: Dataset) -> None:
    for study in _studies(data).values():
        assert study.doi.value or study.pmid.value or study.doi.note or study.pmid.note, study.id


def test_studies_with_only_secondary_sources_say_why(data: Dataset) -> None:
    secondary = {s.url for s in data.secondary_sources}
    for study in _studies(data).values():
        urls = {u for fact in (study.title, study.doi, study.pmid, study.trial_registration) for u in fact.src}
        urls |= {u for o in study.outcomes for u in o.src}
        if urls and urls <= secondary:
            assert study.source_note, study.id
    assert MILES_PMC in secondary
    assert MILES_INGENERON in secondary
    assert SHAPIRO_PORTAL in secondary
    assert MA_PMC not in secondary
    assert MILES_CTGOV not in secondary


def test_citation_issues_point_at_this_conditions_claims(data: Dataset) -> None:
    issues = [i for i in data.citation_issues if i.claim in CLAIM_SOURCES]
    assert sorted((i.id, i.kind.value) for i in issues) == [
        ("koa-issue-best-trial", "quote_unconfirmed"),
        ("koa-issue-fda", "quote_unconfirmed"),
        ("koa-issue-hernigou-140", "quote_unconfirmed"),
        ("koa-issue-homing", "misdescribed_result"),
        ("koa-issue-mayo-null", "negative_study_cited_as_support"),
        ("koa-issue-niscell", "negative_study_cited_as_support"),
        ("koa-issue-staggering", "negative_study_cited_as_support"),
    ]
    assert all(i.src for i in issues)


def test_the_data_validates_with_only_the_justified_warnings() -> None:
    result = run("validate", "--format", "json")
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["passed"] is True
    assert report["errors"] == 0
    koa = sorted(p["message"] for p in report["problems"] if "'koa_" in p["message"])
    assert koa == sorted(f"claim {c!r} has no supporting study" for c in (
        "koa_homing", "koa_landmark", "koa_140_patients", "koa_internal_ctrl", "koa_repeatable"))


def test_every_command_works_for_the_condition_in_every_format() -> None:
    commands = [["summary"], ["overview"], ["claims"], ["contrasts"], ["studies"], ["trials"], ["effects"],
                ["claim", "koa_mayo_tested"], ["study", "mautner2023"]]
    for command in commands:
        for fmt in ("table", "json", "csv", "markdown"):
            result = run(CONDITION, *command, "--format", fmt)
            assert result.exit_code == 0, (command, fmt, result.stderr)
            assert result.stdout.strip(), (command, fmt)
