"""Heart failure: key trials pinned to their recorded sources, claims verbatim, verdicts exactly."""

from __future__ import annotations

import json

import pytest

from stemcell_cli.loading import load
from stemcell_cli.model import Dataset, Design

from .condition_checks import (
    assert_null_with_note,
    assert_pinned,
    command_json,
    fact_sheet,
    shared_sheet,
    sof_rows,
    studies_of,
    validate_warnings,
    verdicts,
)
from .conftest import SHIPPED, run

FACTS, needs_facts = shared_sheet("heart_failure_facts.yaml")

# our study id -> the fact sheet's study id
SHEET_IDS = {
    "bartolucci2017": "rimecard2017",
    "perin2023": "dreamhf2023",
    "bartunek2017": "chart1_2017",
    "mathiasen2015": "mschf2015",
    "qayyum2023": "science2023",
    "bolli2021": "concerthf2021",
    "patel2016": "ixcelldcm2016",
}
# studies added from the December 2026 audit of the four conditions (the Cochrane review is also on the fact sheet,
# whose year, DOI and PMID were null there)
AUDIT_IDS = ("heldman2014", "hare2012", "bartunek_ccure", "cochrane2016", "wang2019hf", "scrt2019hf")

RIMECARD_PUBMED = "https://pubmed.ncbi.nlm.nih.gov/28974553/"
RIMECARD_PMC = "https://pmc.ncbi.nlm.nih.gov/articles/PMC6372053"
RIMECARD_DISCOVERY = ("https://discovery.researcher.life/article/safety-and-efficacy-of-the-intravenous-infusion-of-"
                      "umbilical-cord-mesenchymal-stem-cells-in-patients-with-heart-failure-a-phase-12-randomized-"
                      "controlled-trial-rimecard-trial-randomized-clinical-trial-of-intravenous-infusion-umbilical-"
                      "cord-mesenchymal-stem-cells-on-cardiopathy/472b422ea7d13696b436cfa42e6be422")
DREAM_PUBMED = "http://47.251.13.51:8081/36858705"
DREAM_CTGOV = "https://clinicaltrials.gov/show/NCT02032004"
DREAM_MEDICOM = ("https://conferences.medicom-publishers.com/specialisation/cardiology/aha-2021/"
                 "dream-hf-mpc-therapy-for-hfref-did-not-meet-primary-endpoint/")
DREAM_PACECME = "https://pace-cme.org/news/transendocardial-delivery-of-mesenchymal-precursor-cells-in-chronic-hfref/2456103/"
CHART_DUKE = "https://scholars.duke.edu/publication/1162971"
CHART_PERGAMOS = ("https://pergamos.lib.uoa.gr/uoa/dl/frontend/citation?format=RIS&id="
                  "%2Flib%2Fdefault%2Fdata%2F3108863")
MSCHF_PUBMED = "http://47.251.13.51:8081/25926562"
MSCHF_KU = ("https://test01.ku.dk/:obvius/pureproxy/3974268/en/publications/"
            "bone-marrow-derived-mesenchymal-stromal-cell-treatment-in-patient")
SCIENCE_PUBMED = "http://47.251.13.51:8081/36644821"
SCIENCE_AMINER = ("https://www.aminer.org/pub/657945b7939a5f408223cdd1/effect-of-allogeneic-adipose-tissue-derived-"
                  "mesenchymal-stromal-cell-treatment-in-chronic")
CONCERT_PUBMED = "http://47.251.13.51:8081/33811444"
CONCERT_TAB2 = "https://pmc.ncbi.nlm.nih.gov/articles/PMC8357352/table/T2"
CONCERT_IU = "https://scholarworks.indianapolis.iu.edu/items/0e2978dc-57ff-423e-a7e6-9c9f11150002"
CONCERT_CTGOV = "https://clinicaltrials.gov/ct2/show/NCT02501811?term=concert&cond=heart+failure&rank=1"
IXCELL_ACC = ("http://www.acc.org/latest-in-cardiology/journal-scans/2016/04/03/15/53/"
              "ixmyelocel-t-for-patients-with-ischemic-heart-failure-acc-2016")
IXCELL_CTGOV = ("https://clinicaltrials.gov/ct2/show/study/NCT01670981?term=Cardiomyopathy&lup_s=04%2F28%2F2013"
                "&lup_d=14&show_rss=Y&sel_rss=mod14&show_locs=Y")
TACHFT_JHU = "https://jhu.pure.elsevier.com/en/publications/transendocardial-mesenchymal-stem-cells-and-mononuclear-bone-marr-3"
TACHFT_RIS = "https://pure.johnshopkins.edu/en/publications/transendocardial-mesenchymal-stem-cells-and-mononuclear-bone-marr-3"
POSEIDON_PUBMED = "https://pubmed.ncbi.nlm.nih.gov/23117550/"
POSEIDON_ACC = ("http://www.acc.org/latest-in-cardiology/journal-scans/2013/01/17/15/31/"
                "comparison-of-allogeneic-vs-autologous-bone-marrow")
CCURE_UMN = ("https://minnesota-staging.pure.elsevier.com/en/publications/"
             "cardiopoietic-stem-cell-therapy-in-heart-failure-the-c-cure-cardi")
COCHRANE_TOGOWS = "http://togows.dbcls.jp/entry/ncbi-pubmed/28012165"
COCHRANE_PL = "https://cochranelibrary.com/cdsr/doi/10.1002/14651858.CD007888.pub3//pl"
MSCMA_1258 = "https://stemcellres.biomedcentral.com/articles/10.1186/s13287-019-1258-1"
MSCMA_1258_TABLE = MSCMA_1258 + "/tables/1"
WANG_PMC = "https://pmc.ncbi.nlm.nih.gov/articles/PMC6472092"

# (study, field): (value as recorded, a URL its src must hold)
IDENTIFIERS = {
    ("bartolucci2017", "doi"): ("10.1161/CIRCRESAHA.117.310712", RIMECARD_PUBMED),
    ("bartolucci2017", "pmid"): ("28974553", RIMECARD_PUBMED),
    ("bartolucci2017", "pmcid"): ("PMC6372053", RIMECARD_PMC),
    ("bartolucci2017", "trial_registration"): ("NCT01739777", "https://clinicaltrials.gov/show/NCT01739777"),
    ("perin2023", "doi"): ("10.1016/j.jacc.2022.11.061", DREAM_PUBMED),
    ("perin2023", "pmid"): ("36858705", DREAM_PUBMED),
    ("perin2023", "trial_registration"): ("NCT02032004", DREAM_CTGOV),
    ("bartunek2017", "doi"): ("10.1093/eurheartj/ehw543", CHART_PERGAMOS),
    ("mathiasen2015", "doi"): ("10.1093/eurheartj/ehv136", MSCHF_PUBMED),
    ("mathiasen2015", "pmid"): ("25926562", MSCHF_PUBMED),
    ("mathiasen2015", "trial_registration"): ("NCT00644410", "https://www.scilit.net/publications/0a5731b4d84d34f016728ce708070af1"),
    ("qayyum2023", "doi"): ("10.1002/ejhf.2772", SCIENCE_PUBMED),
    ("qayyum2023", "pmid"): ("36644821", SCIENCE_PUBMED),
    ("bolli2021", "doi"): ("10.1002/ejhf.2178", CONCERT_PUBMED),
    ("bolli2021", "pmid"): ("33811444", CONCERT_PUBMED),
    ("bolli2021", "pmcid"): ("PMC8357352", CONCERT_TAB2),
    ("bolli2021", "trial_registration"): ("NCT02501811", CONCERT_CTGOV),
    ("patel2016", "trial_registration"): ("NCT01670981", IXCELL_CTGOV),
    ("heldman2014", "pmid"): ("24247587", TACHFT_JHU),
    ("heldman2014", "trial_registration"): ("NCT00768066", TACHFT_JHU),
    ("heldman2014", "title"): ("Transendocardial Mesenchymal Stem Cells and Mononuclear Bone Marrow Cells for Ischemic "
                               "Cardiomyopathy: The TAC-HFT Randomized Trial", TACHFT_JHU),
    ("hare2012", "doi"): ("10.1001/jama.2012.25321", POSEIDON_PUBMED),
    ("hare2012", "pmid"): ("23117550", POSEIDON_PUBMED),
    ("hare2012", "pmcid"): ("PMC4762261", POSEIDON_PUBMED),
    ("cochrane2016", "doi"): ("10.1002/14651858.CD007888.pub3", COCHRANE_TOGOWS),
    ("cochrane2016", "pmid"): ("28012165", COCHRANE_TOGOWS),
    ("cochrane2016", "year"): (2016, COCHRANE_TOGOWS),
    ("cochrane2016", "title"): ("Stem cell therapy for chronic ischaemic heart disease and congestive heart failure",
                                COCHRANE_PL),
    ("hare2012", "title"): ("Comparison of Allogeneic vs Autologous Bone Marrow–Derived Mesenchymal Stem Cells "
                            "Delivered by Transendocardial Injection in Patients With Ischemic Cardiomyopathy: The "
                            "POSEIDON Randomized Trial", POSEIDON_ACC),
    ("wang2019hf", "doi"): ("10.1186/s13287-019-1214-0", WANG_PMC),
    ("wang2019hf", "pmid"): ("30999928", WANG_PMC),
    ("wang2019hf", "pmcid"): ("PMC6472092", WANG_PMC),
    ("scrt2019hf", "doi"): ("10.1186/s13287-019-1258-1", MSCMA_1258),
    ("wang2019hf", "title"): ("Effect of stem cell transplantation on patients with ischemic heart failure: a "
                              "systematic review and meta-analysis of randomized controlled trials", WANG_PMC),
    ("scrt2019hf", "title"): ("Efficacy of mesenchymal stem cell therapy in systolic heart failure: a systematic "
                              "review and meta-analysis", MSCMA_1258),
}

# values the fact sheet leaves unverified stay null here
UNVERIFIED = [("perin2023", "pmcid"), ("bartunek2017", "pmid"), ("bartunek2017", "trial_registration"),
              ("qayyum2023", "trial_registration"), ("patel2016", "doi"), ("patel2016", "pmid"),
              ("patel2016", "journal"), ("patel2016", "year"), ("perin2023", "adverse_events"),
              ("perin2023", "deaths"), ("bartolucci2017", "deaths"), ("bartolucci2017", "funding"),
              ("heldman2014", "doi"), ("hare2012", "authors"),
              ("bartunek_ccure", "journal"), ("bartunek_ccure", "year"), ("bartunek_ccure", "doi"),
              ("bartunek_ccure", "pmid"), ("cochrane2016", "authors"), ("wang2019hf", "authors"),
              ("scrt2019hf", "pmid")]

# Every claim through the CLI's JSON: (verdict, effect, certainty).
VERDICTS = {
    "hf-fhb-treat": ("very_uncertain", "uncertain", "very_low"),
    "hf-fhb-function": ("very_uncertain", "uncertain", "very_low"),
    "hf-fhb-pump": ("very_uncertain", "uncertain", "very_low"),
    "hf-c4l-fourfold": ("very_uncertain", "uncertain", "very_low"),
    "hf-c4l-safe": ("very_uncertain", "uncertain", "very_low"),
    "hf-lifeline-quote": ("very_uncertain", "uncertain", "very_low"),
    "hf-cm-healing": ("very_uncertain", "uncertain", "very_low"),
    "hf-cm-animal": ("not_checkable", None, None),
    "hf-meso-reductions": ("very_uncertain", "uncertain", "very_low"),
    "hf-meso-mi-stroke": ("very_uncertain", "uncertain", "very_low"),
    "hf-meso-nyha2": ("very_uncertain", "uncertain", "very_low"),
    "hf-meso23-results": ("very_uncertain", "uncertain", "very_low"),
    "hf-meso-lvef": ("very_uncertain", "uncertain", "very_low"),
}

# Each critical outcome's Summary of Findings rows: (outcome, comparison, time point) ->
# (participants, studies, certainty, effect, (measure, estimate, CI low, CI high) to 2 decimals or None).
CRITICAL_ROWS = {
    ("all_cause_mortality", "mixed", None): (612, 1, "low", "uncertain", ("RR", 0.64, 0.35, 1.16)),
    ("all_cause_mortality", "placebo_or_sham", "12 months"): (61, 1, "low", "uncertain", ("RR", 0.83, 0.20, 3.39)),
    ("cardiovascular_death", "placebo_or_sham", "mean 30 months"): (537, 1, "very_low", "uncertain", None),
    ("hf_hospitalisation", "placebo_or_sham", "12 months"): (61, 1, "low", "uncertain", ("RR", 0.63, 0.21, 1.93)),
    ("hf_hospitalisation", "placebo_or_sham", "mean 30 months"): (537, 1, "very_low", "uncertain", None),
    ("mi_stroke", "placebo_or_sham", "mean 30 months"): (537, 1, "very_low", "benefit", ("RR", 0.35, 0.19, 0.66)),
    ("quality_of_life", "placebo_or_sham", "6 months"): (60, 1, "very_low", "uncertain", None),
    ("quality_of_life", "placebo_or_sham", "the first year (to 12 months)"): (258, 2, "very_low", "uncertain", None),
    ("serious_adverse_events", "placebo_or_sham", "12 months"): (61, 1, "very_low", "uncertain",
                                                                ("RR", 0.83, 0.41, 1.67)),
}

# our page id -> the fact sheet's page id
PAGE_IDS = {"hf-futurehealth": "futurehealth_rimecard", "hf-cells4life": "cells4life_rimecard",
            "hf-cellmedicine": "cellmedicine_hf"}
MESOBLAST_PAGES = ("hf-mesoblast-2021-01", "hf-mesoblast-2023-02")


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(SHIPPED, use_cache=False).dataset


def test_the_condition_its_alias_and_its_pages(data: Dataset) -> None:
    condition = next(c for c in data.conditions if c.id == "heart-failure")
    assert (condition.name, condition.aliases) == ("Chronic heart failure", ("hf",))
    pages = [p.id for p in data.pages if p.condition == "heart-failure"]
    assert pages == ["hf-futurehealth", "hf-cells4life", "hf-lifeline", "hf-cellmedicine", *MESOBLAST_PAGES]
    assert {p.seen for p in data.pages if p.condition == "heart-failure"} == {"2026-12-01"}
    for name in ("heart-failure", "hf"):
        result = run(name, "summary")
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("Chronic heart failure: what the curated evidence shows")


def test_thirteen_studies_ten_randomised_three_reviews_each_with_an_identifier_or_a_note(data: Dataset) -> None:
    studies = studies_of(data, "heart-failure")
    assert sorted(studies) == sorted([*SHEET_IDS, *AUDIT_IDS])
    designs = [s.design for s in studies.values()]
    assert designs.count(Design.RANDOMISED_CONTROLLED_TRIAL) == 10
    assert designs.count(Design.SYSTEMATIC_REVIEW) == 3
    for study in studies.values():
        has_id = study.doi.value is not None or study.pmid.value is not None
        assert has_id or bool(study.doi.note and study.pmid.note), study.id
    assert studies["patel2016"].doi.note == "unverified: not seen on any page"


def test_the_key_trials_sizes_and_arm_roles(data: Dataset) -> None:
    studies = studies_of(data, "heart-failure")
    sizes = {sid: (s.participants.total, [(a.name, a.n, a.role.value if a.role else None)
                                          for a in s.participants.arms]) for sid, s in studies.items()}
    assert sizes == {
        "bartolucci2017": (30, [("UC-MSC", 15, "treated"), ("placebo", 15, "control")]),
        "perin2023": (537, [("MPC", 261, "treated"), ("sham", 276, "control")]),
        "bartunek2017": (315, [("cardiopoietic cells", 157, "treated"), ("sham", 158, "control")]),
        "mathiasen2015": (60, []),
        "qayyum2023": (133, []),
        "bolli2021": (125, [("MSC", 29, "treated"), ("MSC+CPC", 33, "other_treated"), ("CPC", 31, "other_treated"),
                            ("placebo", 32, "control")]),
        "patel2016": (126, [("ixmyelocel-T", 60, "treated"), ("placebo", 66, "control")]),
        "heldman2014": (65, []),
        "hare2012": (30, []),
        "bartunek_ccure": (None, []),
        "cochrane2016": (None, []),
        "wang2019hf": (None, []),
        "scrt2019hf": (None, []),
    }
    assert "MSC (n=19) vs placebo (n=11), BMC (n=19) vs placebo (n=10)" in studies["heldman2014"].participants.note
    products = {sid: s.product for sid, s in studies.items() if s.product}
    assert products == {"bartolucci2017": "Cellistem", "perin2023": "rexlemestrocel-L",
                        "bartunek2017": "cardiopoietic cells", "qayyum2023": "CSCC_ASC",
                        "patel2016": "ixmyelocel-T", "bartunek_ccure": "cardiopoietic cells"}
    # CONCERT-HF: every mapped result keeps the four arms with the same roles (cell arms are never controls)
    for result in studies["bolli2021"].outcomes:
        if result.arms:
            assert [(a.arm, a.role.value if a.role else None) for a in result.arms] == [
                ("MSC", "treated"), ("MSC+CPC", "other_treated"), ("CPC", "other_treated"),
                ("placebo", "control")], result.measure


def test_every_randomised_trial_has_a_mapped_result_with_numbers_or_says_why(data: Dataset) -> None:
    with_numbers = set()
    for study in studies_of(data, "heart-failure").values():
        if study.design is not Design.RANDOMISED_CONTROLLED_TRIAL:
            continue
        if any(r.outcome and (r.arms or r.estimate) for r in study.outcomes):
            with_numbers.add(study.id)
        else:
            assert any(note.startswith("No result is mapped") for note in study.notes), study.id
    assert with_numbers == {"bartolucci2017", "perin2023", "bolli2021", "patel2016"}


def test_the_reviews_pool_as_seen(data: Dataset) -> None:
    studies = studies_of(data, "heart-failure")
    pooling = {sid: (studies[sid].pooling.comparison.value, studies[sid].pooling.includes,
                     studies[sid].pooling.participants) for sid in AUDIT_IDS if studies[sid].pooling}
    assert pooling == {"cochrane2016": ("randomised_arms", (), 1907), "wang2019hf": ("randomised_arms", (), 669),
                       "scrt2019hf": ("randomised_arms",
                                      ("heldman2014", "mathiasen2015", "bartolucci2017", "bartunek2017"), 612)}
    # Table 1 lists nine RCTs: four are curated trials, five are not (their sizes add up to 593, not 612)
    msc_review = studies["scrt2019hf"].pooling
    assert [(o.label, o.design.value, o.n) for o in msc_review.others] == [
        ("Wang JA 2006", "randomised_controlled_trial", 24), ("Zhao XF 2014", "randomised_controlled_trial", 59),
        ("Xiao W 2016", "randomised_controlled_trial", 37), ("Butler J 2016", "randomised_controlled_trial", 22),
        ("Perin 2015", "randomised_controlled_trial", 60)]
    assert msc_review.src == (MSCMA_1258, MSCMA_1258_TABLE)
    assert "add up to 593, not 612" in msc_review.note
    wang = studies["wang2019hf"].outcomes[0]
    assert (wang.outcome, wang.comparator.value, wang.estimate.metric, wang.estimate.value, wang.estimate.ci_low,
            wang.estimate.ci_high, wang.src) == ("all_cause_mortality", "mixed", "RR", 0.86, 0.45, 1.66,
                                                 (WANG_PMC, "https://stemcellres.biomedcentral.com/articles/"
                                                  "10.1186/s13287-019-1214-0"))
    # Not an MSC review, whatever the audit said: its trials are of stem cell transplantation of any kind.
    assert (wang.reported, studies["wang2019hf"].label, studies["wang2019hf"].cell_type.value) == (
        "mortality (RR = 0.86, 95% CI 0.45 to 1.66, P > 0.05)", "Wang 2019 (stem cell meta-analysis)",
        "stem cells of the trials' kinds (stem cell transplantation)")
    death = studies["scrt2019hf"].outcomes[0]
    assert (death.reported, death.estimate.value, death.estimate.ci_low, death.estimate.ci_high, death.src) == (
        "death RR 0.64 [0.35, 1.16]", 0.64, 0.35, 1.16, (MSCMA_1258,))
    # the Cochrane estimates were seen only on a paraphrased copy: none recorded
    assert studies["cochrane2016"].outcomes == ()


@pytest.mark.parametrize(("key", "expected"), sorted(IDENTIFIERS.items()))
def test_key_identifiers_are_pinned_to_their_sources(data: Dataset, key: tuple[str, str],
                                                    expected: tuple[str, str]) -> None:
    assert_pinned(studies_of(data, "heart-failure")[key[0]], key[1], expected)


def test_tac_hft_authors_as_the_index_record_lists_them(data: Dataset) -> None:
    authors = studies_of(data, "heart-failure")["heldman2014"].authors
    # The record's author line runs "Behzad OskoueiJohn Byrnes" together; its citation form has them apart.
    assert (len(authors.value), authors.value[0], authors.value[19:21], authors.value[-1]) == (
        36, "Alan W. Heldman", ("Behzad Oskouei", "John Byrnes"), "Joshua M. Hare")
    assert (TACHFT_JHU in authors.src, TACHFT_RIS in authors.src) == (True, True)


@pytest.mark.parametrize("key", UNVERIFIED)
def test_values_the_fact_sheet_leaves_unverified_stay_null_with_a_note(data: Dataset, key: tuple[str, str]) -> None:
    assert_null_with_note(studies_of(data, "heart-failure")[key[0]], key[1])


def test_dream_hf_primary_and_secondary_results_as_reported(data: Dataset) -> None:
    dream = studies_of(data, "heart-failure")["perin2023"]
    primary, mi_stroke, nyha2, cardiac_death, lvef = dream.outcomes
    assert primary.reported == ("After a mean follow-up of 30 months, the primary endpoint of MPC therapy was not "
                                "met (HR 1.2; P=0.406).")
    # printed with no CI: kept in words, with the direction its words state
    assert (primary.outcome, primary.estimate, primary.finding.value, primary.src) == (
        "hf_hospitalisation", None, "no_difference", (DREAM_MEDICOM,))
    assert primary.indirect
    # the MI/stroke result is graded on its events; the hazard ratio stays beside them as printed
    assert (mi_stroke.outcome, [(a.arm, a.role.value, a.events, a.total) for a in mi_stroke.arms]) == (
        "mi_stroke", [("MPC", "treated", 12, 261), ("sham", "control", 36, 276)])
    estimate = mi_stroke.estimate
    assert (estimate.value, estimate.ci_low, estimate.ci_high, estimate.p, mi_stroke.src) == (
        0.346, 0.180, 0.664, "0.001", (DREAM_PACECME,))
    assert estimate.printed == {"value": "0.346", "ci_low": "0.180", "ci_high": "0.664", "ci_level": "95"}
    assert [(a.arm, a.events, a.total) for a in nyha2.arms] == [("MPC", 8, 100), ("sham", 21, 106)]
    assert (nyha2.outcome, nyha2.subgroup) == ("cardiovascular_death", "NYHA class II patients (206 of 537)")
    assert (cardiac_death.outcome, cardiac_death.finding.value, cardiac_death.src) == (
        "cardiovascular_death", "no_difference", (DREAM_PACECME,))
    assert cardiac_death.reported.startswith("MPC treatment did not reduce cardiac death in the total population")
    assert "p=0.021" in lvef.reported
    assert (lvef.outcome, lvef.finding) == ("lvef", None)
    assert (dream.participants.total, [(a.name, a.n) for a in dream.participants.arms]) == (
        537, [("MPC", 261), ("sham", 276)])
    assert "565 intention-to-treat" in dream.participants.note
    assert "566 actual enrolment" in dream.participants.note
    assert (dream.product, dream.comparator.value) == ("rexlemestrocel-L", "placebo_or_sham")


def test_rimecard_primary_result_as_reported(data: Dataset) -> None:
    rimecard = studies_of(data, "heart-failure")["bartolucci2017"]
    lvef = rimecard.outcomes[0]
    assert lvef.reported == ("Echocardiographic left ventricular ejection fraction change from baseline to month 12 "
                             "differed significantly between groups (+7.07±6.22% versus +1.85±5.60%; P=0.028).")
    assert [(a.arm, a.role.value, a.mean, a.sd) for a in lvef.arms] == [("UC-MSC", "treated", 7.07, 6.22),
                                                                         ("placebo", "control", 1.85, 5.60)]
    assert (lvef.outcome, lvef.timepoint) == ("lvef", "12 months")
    assert lvef.arms[1].printed == {"mean": "1.85", "sd": "5.60"}
    assert lvef.src == (RIMECARD_DISCOVERY,)
    assert [(a.name, a.n) for a in rimecard.participants.arms] == [("UC-MSC", 15), ("placebo", 15)]
    # funding not seen is unknown, never "no manufacturer"
    assert rimecard.funding.value is None
    assert rimecard.funding.note.startswith("Funding not seen")
    assert "manufacturer_funded" not in [r.value for r in rimecard.risk_of_bias.reasons]


def test_the_other_key_trials_primary_results_as_reported(data: Dataset) -> None:
    studies = studies_of(data, "heart-failure")
    chart = studies["bartunek2017"].outcomes[0]
    assert (chart.estimate.value, chart.estimate.ci_low, chart.estimate.ci_high, chart.estimate.p, chart.src) == (
        0.54, 0.47, 0.61, "0.27", (CHART_DUKE,))
    assert chart.outcome is None
    mschf = studies["mathiasen2015"].outcomes[0]
    assert (mschf.estimate, mschf.outcome, mschf.finding.value, mschf.src) == (
        None, "lvesv", "favours_treatment", (MSCHF_KU,))
    assert "The difference between groups was 13.0 (95% CI 5.9-20.1) mL (P = 0.001)." in mschf.reported
    science = studies["qayyum2023"].outcomes[0]
    assert science.reported == ("There were no significant differences between groups during follow-up in LVESV "
                                "(0.3 ± 5.0 ml, p = 0.945)")
    assert (science.estimate, science.outcome, science.finding.value, science.src) == (
        None, "lvesv", "no_difference", (SCIENCE_AMINER,))
    concert = studies["bolli2021"]
    mapped = [(r.outcome, [(a.events, a.total) for a in r.arms]) for r in concert.outcomes[:4]]
    assert mapped == [
        ("mace", [(7, 29), (3, 33), (2, 31), (9, 32)]),
        ("all_cause_mortality", [(3, 29), (2, 33), (2, 31), (4, 32)]),
        ("hf_hospitalisation", [(4, 29), (2, 33), (1, 31), (7, 32)]),
        ("serious_adverse_events", [(9, 29), (8, 33), (8, 31), (12, 32)]),
    ]
    assert {r.src for r in concert.outcomes[:4]} == {(CONCERT_TAB2,)}
    assert [(h.kind.value, h.arm, h.count) for h in concert.harms] == [
        ("death", "MSC", 3), ("death", "MSC+CPC", 2), ("death", "CPC", 2), ("death", "placebo", 4),
        ("serious_adverse_event", "MSC", 9), ("serious_adverse_event", "MSC+CPC", 8),
        ("serious_adverse_event", "CPC", 8), ("serious_adverse_event", "placebo", 12)]
    assert {src for h in concert.harms for src in h.src} == {CONCERT_TAB2}
    funding = studies["qayyum2023"].funding
    assert (funding.value, funding.src) == ("Horizon 2020 funded (the SCIENCE consortium)",
                                            ("https://www.ncbi.nlm.nih.gov/pubmed/30790396",))
    summary = concert.outcomes[4]
    assert "did not differ significantly among groups" in summary.reported
    assert (summary.outcome, summary.src) == (None, (CONCERT_IU,))
    words = {(r.outcome, r.finding.value) for r in concert.outcomes[5:]}
    assert words == {("quality_of_life", "favours_treatment"), ("lvef", "no_difference"),
                     ("lvesv", "no_difference"), ("six_minute_walk", "no_difference")}
    ixcell = studies["patel2016"].outcomes[0]
    assert [(a.arm, a.role.value, a.events, a.total) for a in ixcell.arms] == [
        ("ixmyelocel-T", "treated", 22, 58), ("placebo", "control", 25, 51)]
    assert (ixcell.outcome, ixcell.estimate, ixcell.src) == ("mace", None, (IXCELL_ACC,))
    assert "risk ratio, 0.63" in ixcell.reported


@needs_facts
def test_bibliographic_values_equal_the_fact_sheet(data: Dataset) -> None:
    sheet = {s["id"]: s["fields"] for s in fact_sheet(FACTS)["studies"]}
    fields = ("title", "journal", "year", "volume", "issue", "pages", "doi", "pmid", "pmcid", "trial_registration")
    compared = 0
    for ours, theirs in SHEET_IDS.items():
        study = studies_of(data, "heart-failure")[ours]
        for field in fields:
            value = getattr(study, field).value
            if value is None:
                continue
            assert str(value) == str(sheet[theirs][field]["value"]), f"{ours}.{field}"
            compared += 1
    assert compared == 55


@needs_facts
def test_every_claim_sentence_is_verbatim_as_the_fact_sheet_records_it(data: Dataset) -> None:
    sheet = fact_sheet(FACTS)
    pages = {p["id"]: p for p in sheet["pages"] + sheet["additional_pages"]}
    claims = [c for c in data.claims if c.page.startswith("hf-")]
    notes = " ".join(p.note or "" for p in data.pages if p.condition == "heart-failure")
    issues = " ".join(i.summary for i in data.citation_issues if i.claim.startswith("hf-"))
    for ours, theirs in PAGE_IDS.items():
        page_claims = {c.text for c in claims if c.page == ours}
        for entry in pages[theirs]["claims_verbatim"]:
            sentence = entry["value"]
            assert sentence in page_claims or sentence in notes or sentence in issues, sentence
    mesoblast = {c.text for c in claims if c.page in MESOBLAST_PAGES}
    assert {e["value"] for e in pages["mesoblast_dreamhf_releases"]["claims_verbatim"]} == mesoblast
    early = next(s for s in sheet["studies"] if s["id"] == "rimecard2017")["fields"]["conclusion_verbatim"]
    lifeline = next(c for c in claims if c.page == "hf-lifeline")
    assert f"'{lifeline.text}'" in early["verification"]
    assert len(claims) == 13


def test_verdicts_effects_and_certainties_through_the_cli() -> None:
    assert verdicts("heart-failure") == VERDICTS


def test_each_critical_outcome_s_summary_of_findings_rows() -> None:
    assert sof_rows(command_json("heart-failure", "sof"), critical_only=True) == CRITICAL_ROWS


def test_mortality_across_comparators_rests_on_the_msc_review_and_says_why_wang_is_left_out() -> None:
    """The MSC review now lists its nine RCTs; the stem cell review (trials unlisted) may pool the same ones."""
    sof = command_json("heart-failure", "sof")
    row = next(r for r in sof["outcomes"] if (r["outcome"], r["comparison"]) == ("all_cause_mortality", "mixed"))
    assert (row["relative"], row["participants"]) == (
        {"measure": "RR", "estimate": 0.64, "ci_low": 0.35, "ci_high": 1.16}, 612)
    wang = {"study": "wang2019hf", "measure": "mortality (stem cells vs control)",
            "reason": "may pool the same trials as scrt2019hf, the row's one review (one review per row)"}
    assert wang in sof["left_out"]


def test_mortality_pools_only_the_trials_with_deaths_per_arm() -> None:
    """One controlled trial, CONCERT-HF, prints deaths per arm; no other trial's all-cause deaths were seen."""
    result = run("heart-failure", "claim", "hf-c4l-safe", "--format", "json")
    assert result.exit_code == 0, result.stderr
    mortality = next(o for o in json.loads(result.stdout)["claim"]["outcomes"] if o["outcome"] == "all_cause_mortality")
    assert (mortality["timepoint"], mortality["studies"]) == ("12 months", ["bolli2021"])


def test_the_fourfold_claim_carries_its_magnitude_and_is_not_supported(data: Dataset) -> None:
    claim = next(c for c in data.claims if c.id == "hf-c4l-fourfold")
    assert (claim.outcomes, claim.product, claim.magnitude.scale.value, claim.magnitude.value,
            claim.magnitude.printed) == (("lvef",), "Cellistem", "ratio", 4.0, {"value": "4"})
    result = run("heart-failure", "claim", "hf-c4l-fourfold", "--format", "json")
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)["claim"]["outcomes"][0]
    assert (answer["verdict"], answer["certainty"], answer["studies"]) == ("very_uncertain", "very_low",
                                                                          ["bartolucci2017"])
    assert answer["magnitude"] == ("the claim asserts a ratio (4), but the estimate is a difference (MD): the size "
                                   "cannot be read from it")
    mesoblast = {c.id: (c.outcomes, c.product, c.at_least_months, c.magnitude.value if c.magnitude else None)
                 for c in data.claims if c.page.startswith("hf-mesoblast")}
    assert mesoblast == {
        "hf-meso-reductions": (("mi_stroke", "cardiovascular_death"), "rexlemestrocel-L", None, None),
        "hf-meso-mi-stroke": (("mi_stroke",), "rexlemestrocel-L", 30, 2.5),
        "hf-meso-nyha2": (("cardiovascular_death",), "rexlemestrocel-L", None, 2.5),
        "hf-meso23-results": (("lvef", "mi_stroke", "cardiovascular_death"), "rexlemestrocel-L", 12, None),
        "hf-meso-lvef": (("lvef",), "rexlemestrocel-L", 12, None),
    }


def test_the_mi_stroke_row_is_graded_on_dream_hf_s_events() -> None:
    result = run("heart-failure", "claim", "hf-meso-mi-stroke", "--format", "json")
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)["claim"]["outcomes"][0]
    estimate = answer["estimate"]
    assert (answer["studies"], estimate["measure"], round(estimate["estimate"], 2), round(estimate["ci_low"], 2),
            round(estimate["ci_high"], 2)) == (["perin2023"], "RR", 0.35, 0.19, 0.66)


def test_sponsor_and_product_traps_are_recorded(data: Dataset) -> None:
    issues = {i.id: i for i in data.citation_issues if i.claim.startswith("hf-")}
    assert sorted((i.claim, i.kind.value) for i in issues.values()) == [
        ("hf-c4l-fourfold", "misdescribed_result"),
        ("hf-fhb-function", "misdescribed_result"),
        ("hf-fhb-function", "misdescribed_result"),
        ("hf-fhb-pump", "source_partly_supports_claim"),
        ("hf-meso-reductions", "source_partly_supports_claim"),
        ("hf-meso23-results", "source_partly_supports_claim"),
    ]
    assert "NYHA class II subgroup (8/100 vs 21/106)" in issues["issue-hf-meso-cardiac-deaths"].summary
    nyha2 = next(c for c in data.claims if c.id == "hf-meso-nyha2")
    assert [link.study for link in nyha2.contrast] == ["perin2023"]
    assert nyha2.contrast[0].indirect


def test_registered_trials(data: Dataset) -> None:
    trials = {t.id: (t.published_as, t.enrollment, t.results_posted) for t in data.trials
              if t.condition == "heart-failure"}
    assert trials == {
        "NCT02032004": ("perin2023", "566 (actual)", False),
        "NCT01739777": ("bartolucci2017", "30 (actual)", None),
        "NCT02501811": ("bolli2021", "125 (actual)", None),
        "NCT01670981": ("patel2016", None, None),
    }


def test_the_data_file_validates() -> None:
    assert validate_warnings("hf-") == ["claim 'hf-lifeline-quote' has no supporting study",
                                        "claim 'hf-cm-animal' has no supporting study",
                                        "claim 'hf-meso-lvef' has no supporting study"]


