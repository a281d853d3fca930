"""Knee osteoarthritis: key trials pinned to their sources, claims verbatim, verdicts exact, data invariants."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from stemcell_cli.loading import load
from stemcell_cli.model import Dataset, Design, Study

from .condition_checks import EVIDENCE, shared_sheet
from .conftest import SHIPPED, run

CONDITION = "knee-osteoarthritis"
FACTS, needs_facts = shared_sheet("knee_oa_facts.yaml")

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
RUANE_SCITE = "https://scite.ai/authors/d-m-mcclure-WnVLAw?page=2"
RUANE_PMC = "https://pmc.ncbi.nlm.nih.gov/articles/PMC8372416"
LAMO_CUN = ("https://www.cun.es/investigacion/publicaciones-cientificas/"
            "intra-articular-injection-different-doses-autologous-bone-marrow-mesenchymal-stem-cells-hyaluronic-acid-"
            "treatment-knee-osteoarthritis")
ADIPOA2_UNIPD = "https://www.research.unipd.it/handle/11577/3562867"
SADEGHIRAD = ("https://discovery.researcher.life/article/mesenchymal-stem-cells-for-chronic-knee-pain-secondary-to-"
              "osteoarthritis-a-systematic-review-and-meta-analysis-of-randomized-trials/8f84159e76113fc692c407cc607f09d3")
LEE_WILEY = "https://stemcellsjournals.onlinelibrary.wiley.com/doi/full/10.1002/sctm.18-0122"
LU_PUBMED = "https://www.pubmed.gov/31113476/"
KUAH_PMC = "https://pmc.ncbi.nlm.nih.gov/articles/PMC5840781"
LAMO20_JTM = "https://translational-medicine.biomedcentral.com/articles/10.1186/s12967-020-02530-6"
LAMO20_TABLE3 = LAMO20_JTM + "/tables/3"
BJR_PMC = "https://pmc.ncbi.nlm.nih.gov/articles/PMC7640936"
AUDIT = EVIDENCE / "audit_2026-12_four_conditions.md"
BMAC = "BMAC (bone marrow aspirate concentrate)"

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
# Graded per outcome (issue 17): (verdict, effect, certainty) as the CLI's JSON gives them.
VERDICTS = {
    "koa_mayo_tested": ("not_supported", "little_or_no_difference", "low"),
    "koa_legitimate": ("not_supported", "little_or_no_difference", "low"),
    "koa_fda_safe": ("not_supported", "harm", "low"),
    "koa_viable": ("not_supported", "harm", "low"),
    "koa_staggering": ("not_supported", "little_or_no_difference", "low"),
    "koa_with_without": ("supported", "little_or_no_difference", "low"),
    "koa_homing": ("not_checkable", None, None),
    "koa_niscell": ("not_supported", "little_or_no_difference", "low"),
    "koa_landmark": ("not_checkable", None, None),
    "koa_compelling": ("not_checkable", None, None),
    "koa_140_patients": ("not_checkable", None, None),
    "koa_internal_ctrl": ("not_checkable", None, None),
    "koa_best_trial": ("very_uncertain", None, None),
    "koa_repeatable": ("not_checkable", None, None),
}
# Every Summary of Findings row: (outcome, comparison, time point, participants, studies, certainty, effect,
# (measure, estimate, CI low, CI high) to 2 decimals, or None for a vote count).
SOF_ROWS = [
    ("pain", "active", "12 months", 480, 1, "very_low", "uncertain", None),
    ("pain", "mixed", "3-6 months", 807, 1, "high", "little_or_no_difference", ("MD", -0.74, -1.16, -0.33)),
    ("pain", "mixed", "12 months", 807, 1, "moderate", "little_or_no_difference", ("MD", -0.73, -1.69, 0.24)),
    ("pain", "placebo_or_sham", "1 week, 3 months and 6 months", 25, 1, "very_low", "uncertain", None),
    ("pain", "placebo_or_sham", None, 60, 1, "very_low", "uncertain", None),
    ("function", "active", "3 months", 48, 1, "very_low", "benefit", None),
    ("function", "active", "12 months", None, 1, "very_low", "uncertain", None),
    ("function", "mixed", None, 335, 1, "low", "benefit", ("SMD", -0.36, -0.69, -0.04)),
    ("function", "placebo_or_sham", None, 43, 1, "very_low", "benefit", None),
    ("responders", "placebo_or_sham", None, 135, 1, "low", "uncertain", ("RR", 0.86, 0.58, 1.28)),
    ("adverse_events", "mixed", None, 807, 1, "moderate", "harm", ("RR", 2.67, 1.19, 5.99)),
]


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

    pilot = studies["ruane2021"]
    assert pilot.trial_registration.value == "NCT02958267"
    nprs = _outcome(pilot, "numeric pain rating scale at 12 months, BMAC vs HA (secondary)")
    assert "(-3.13 points; 95% CI: -3.96, -3.29)" in nprs.reported
    assert nprs.estimate is None
    assert [(a.arm, a.role.value, a.mean, a.sd, a.total) for a in nprs.arms] == [
        ("BMAC + PRP", "treated", -3.13, None, None), ("HA (control)", "control", -1.56, None, None)]
    assert (nprs.outcome, nprs.comparator.value, nprs.src) == ("pain", "active", (RUANE_SCITE,))


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
    found = {c["id"]: (c["verdict"], c["effect"], c["certainty"]) for c in claims}
    assert found == VERDICTS


def test_seventeen_studies_fourteen_of_them_randomised_trials_and_three_reviews(data: Dataset) -> None:
    studies = _studies(data)
    assert sorted(studies) == sorted([
        "shapiro2017", "mautner2023", "lamoespinosa2016", "cytotherapy2018", "centeno2018", "gupta2016",
        "hernigou2018", "ruane2021", "ma2020", "adipoa2", "sadeghirad2024", "bjr2020", "lee2019", "lu2019",
        "kuah2018", "vega2015", "lamoespinosa2020"])
    designs = [s.design for s in studies.values()]
    assert designs.count(Design.RANDOMISED_CONTROLLED_TRIAL) == 14
    assert designs.count(Design.SYSTEMATIC_REVIEW) == 3


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


# --- Issue 17: outcomes, mapped results, the audit's corrections and missing studies, SoF rows, verdicts ---


def _sof() -> dict[str, Any]:
    result = run(CONDITION, "sof", "--format", "json")
    assert result.exit_code == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def _claim(claim_id: str) -> dict[str, Any]:
    result = run(CONDITION, "claim", claim_id, "--format", "json")
    assert result.exit_code == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout)["claim"]
    return loaded


def test_the_condition_lists_its_outcomes_with_the_pain_threshold_and_its_source(data: Dataset) -> None:
    condition = next(c for c in data.conditions if c.id == CONDITION)
    assert [(o.id, o.kind.value, o.better.value, o.importance.value, o.harm, o.unit) for o in condition.outcomes] == [
        ("pain", "continuous", "lower", "critical", False, "cm"),
        ("function", "continuous", "lower", "critical", False, "WOMAC points"),
        ("responders", "binary", "higher", "important", False, None),
        ("knee_replacement", "binary", "lower", "critical", False, None),
        ("serious_adverse_events", "binary", "lower", "critical", True, None),
        ("adverse_events", "binary", "lower", "important", True, None),
    ]
    pain = condition.outcomes[0]
    assert pain.threshold is not None
    assert (pain.threshold.value, pain.threshold.printed["value"], pain.threshold.src) == (1.5, "1.5", (SADEGHIRAD,))
    assert pain.threshold_note is None
    for outcome in condition.outcomes[1:]:
        assert outcome.threshold is None
        assert outcome.threshold_note, outcome.id
        assert "the null is the threshold" in outcome.threshold_note, outcome.id
        assert outcome.surrogate is None


def test_miles_is_three_cell_arms_against_corticosteroid_with_words_only_pain(data: Dataset) -> None:
    study = _studies(data)["mautner2023"]
    assert study.comparator is not None
    assert study.comparator.value == "active"
    assert [(a.name, a.n, a.role.value if a.role else None) for a in study.participants.arms] == [
        ("BMAC", 120, "treated"), ("corticosteroid injection (control), BMAC arm", 40, "control"),
        ("umbilical cord tissue MSC", 120, "treated"),
        ("corticosteroid injection (control), UC-MSC arm", 40, "control"),
        ("SVF", 120, "treated"), ("corticosteroid injection (control), SVF arm", 40, "control")]
    primary = study.outcomes[0]
    assert (primary.outcome, primary.comparator.value, primary.finding.value, primary.timepoint) == (
        "pain", "active", "no_difference", "12 months")
    assert primary.arms == ()
    assert primary.estimate is None
    assert all(o.outcome is None for o in study.outcomes[1:])
    assert study.product is None


def test_words_only_trials_carry_their_own_direction(data: Dataset) -> None:
    studies = _studies(data)
    found = {(sid, o.outcome, o.comparator.value if o.comparator else None, o.finding.value if o.finding else None,
              o.timepoint) for sid, s in studies.items() for o in s.outcomes if o.finding is not None}
    assert found == {
        ("shapiro2017", "pain", "placebo_or_sham", "no_difference", "1 week, 3 months and 6 months"),
        ("mautner2023", "pain", "active", "no_difference", "12 months"),
        ("gupta2016", "pain", "placebo_or_sham", "no_difference", None),
        ("cytotherapy2018", "function", "placebo_or_sham", "favours_treatment", None),
        ("centeno2018", "function", "active", "favours_treatment", "3 months"),
        ("ruane2021", "function", "active", "no_difference", "12 months"),
    }
    for sid, study in studies.items():
        for result in study.outcomes:
            if result.finding is not None:
                assert not result.arms, sid
                assert result.estimate is None, sid


def test_centeno_crossover_maps_only_the_first_period(data: Dataset) -> None:
    study = _studies(data)["centeno2018"]
    assert [(a.name, a.n, a.role.value) for a in study.participants.arms] == [
        ("BMC", 26, "treated"), ("exercise therapy (control)", 22, "control")]
    first, after = study.outcomes
    assert (first.outcome, first.timepoint, first.comparator.value) == ("function", "3 months", "active")
    assert (after.outcome, after.timepoint) == (None, "2 years")
    assert after.note
    assert "not controlled comparisons" in after.note
    assert first.reported + " " + after.reported == (
        "At 3 months, KSS-knee, SF-12 Physical, and LEAS improved significantly in the crossover group compared to "
        "exercise, similar to significant improvements on KSS-knee and LEAS for the treatment group (N = 26) compared "
        "to exercise group at 3 months. After BMC treatment, patients’ clinical outcome scores (except SF-12 Mental "
        "Health), were significantly improved through the 2-year follow-up compared to baseline.")


def test_lamo_espinosa_medians_and_the_audits_authors(data: Dataset) -> None:
    study = _studies(data)["lamoespinosa2016"]
    vas = _outcome(study, "VAS pain, median (IQR), each arm vs control (HA)")
    assert (vas.outcome, vas.comparator.value, vas.timepoint) == ("pain", "active", "12 months")
    assert [(a.arm, a.role.value, a.median, a.mean) for a in vas.arms] == [
        ("HA alone (control)", "control", 4, None), ("BM-MSC low dose (10 x 10^6) with HA", "treated", 2, None),
        ("BM-MSC high dose (100 x 10^6) with HA", "treated", 2, None)]
    assert study.authors.value == (
        "Lamo-Espinosa JM", "Mora G", "Blanco JF", "Granero-Moltó F", "Nuñez-Córdoba JM", "Sánchez-Echenique C",
        "Bondía JM", "Aquerreta JD", "Andreu EJ", "Ornilla E", "Villarón EM", "Valentí-Azcárate A",
        "Sánchez-Guijo F", "Del Cañizo MC", "Valentí-Nin JR", "Prósper F")
    assert study.authors.src == (LAMO_CUN,)
    assert (study.volume.value, study.issue.value, study.article_number.value) == ("14", "1", "246")
    assert study.volume.src == study.article_number.src == (LAMO_CUN,)


def test_lamo_espinosa_2020_arms_as_printed_and_no_arm_sizes(data: Dataset) -> None:
    """The PRGF-controlled trial prints 12-month means and SDs; its arm sizes were not seen, so nothing is pooled."""
    study = _studies(data)["lamoespinosa2020"]
    assert study.title.value == (
        "Phase II multicenter randomized controlled clinical trial on the efficacy of intra-articular injection of "
        "autologous bone marrow mesenchymal stem cells with platelet rich plasma for the treatment of knee "
        "osteoarthritis")
    assert (study.doi.value, study.year.value, study.journal.value) == (
        "10.1186/s12967-020-02530-6", 2020, "Journal of Translational Medicine")
    assert study.authors.value is None
    assert "Lamo-Espinosa" in study.authors.note
    assert (study.participants.total, study.participants.arms, study.comparator.value) == (60, (), "active")
    assert "24 (MSCs+PRP) and 26 (PRP)" in study.participants.note
    vas = _outcome(study, "VAS pain at 12 months, mean (SD), PRGF vs BM-MSC with PRGF")
    assert (vas.outcome, vas.timepoint, vas.finding, vas.src) == ("pain", "12 months", None, (LAMO20_JTM,))
    assert [(a.arm, a.role.value, a.mean, a.sd) for a in vas.arms] == [
        ("PRGF® (control)", "control", 4.5, 2.2), ("BM-MSC with PRGF®", "treated", 3.5, 2.5)]
    assert "went from 5 (1.8) to 4.5 (2.2) (p = 0.389) and from 5.3 (1.9) to 3.5 (2.5) (p = 0.01)" in vas.reported
    function = _outcome(study, "WOMAC physical function at 12 months, mean (SD), PRGF vs BM-MSCs + PRGF (Table 3)")
    assert [(a.role.value, a.mean, a.sd) for a in function.arms] == [("control", 15.5, 11.9), ("treated", 16.7, 11.6)]
    assert function.src == (LAMO20_TABLE3, LAMO20_JTM)
    assert "have been not detected" in study.direction_note
    assert (study.direction.value, study.conclusion.text) == ("no_benefit", None)


def test_ruane2021_is_identified_from_pmc(data: Dataset) -> None:
    study = _studies(data)["ruane2021"]
    assert study.label == "Ruane 2021 (BMAC+PRP vs HA)"
    assert study.authors.value == ("Ruane JJ", "Ross A", "Zigmont V", "McClure D", "Gascon G")
    assert study.title.value == ("A Single-Blinded Randomized Controlled Trial of Mesenchymal Stem Cell Therapy for "
                                 "the Treatment of Osteoarthritis of the Knee with Active Control")
    assert (study.journal.value, study.year.value, study.volume.value, study.issue.value, study.pages.value) == (
        "J Stem Cells Regen Med", 2021, "17", "1", "3-17")
    assert (study.doi.value, study.pmid.value, study.pmcid.value) == (
        "10.46582/jsrm.1701002", "34434003", "PMC8372416")
    for fact in (study.authors, study.title, study.journal, study.doi, study.pmid, study.pmcid):
        assert fact.src == (RUANE_PMC,)
    assert study.participants.total is None
    assert (study.product, study.comparator.value) == (BMAC, "active")
    assert next(t for t in data.trials if t.id == "NCT02958267").published_as == "ruane2021"


def test_adipoa2_responders_as_printed(data: Dataset) -> None:
    study = _studies(data)["adipoa2"]
    assert (study.design, study.direction.value, study.comparator.value) == (
        Design.RANDOMISED_CONTROLLED_TRIAL, "no_benefit", "placebo_or_sham")
    assert (study.doi.value, study.pmid.value, study.year.value) == ("10.1016/j.ard.2025.07.026", "40885690", None)
    assert (study.participants.total, study.participants.arms) == (135, ())
    assert study.source_note
    [result] = study.outcomes
    assert result.reported == ("26 patients (47.3%) versus 23 patients (54.8%) were strict OARSI/OMERACT responders "
                               "(relative risk 0.86 [95% CI: 0.58-1.28]; P = .46)")
    assert (result.outcome, result.comparator.value, result.arms, result.timepoint) == (
        "responders", "placebo_or_sham", (), None)
    e = result.estimate
    assert (e.metric, e.value, e.ci_low, e.ci_high, e.ci_level, e.p) == ("RR", 0.86, 0.58, 1.28, 95, ".46")
    assert result.src == (ADIPOA2_UNIPD,)


def test_the_reviews_pool_and_map_as_printed(data: Dataset) -> None:
    studies = _studies(data)
    sadeghirad = studies["sadeghirad2024"]
    assert (sadeghirad.title.value, sadeghirad.journal.value, sadeghirad.year.value, sadeghirad.volume.value,
            sadeghirad.issue.value, sadeghirad.pages.value, sadeghirad.doi.value, sadeghirad.pmid.value) == (
        "Mesenchymal stem cells for chronic knee pain secondary to osteoarthritis: A systematic review and "
        "meta-analysis of randomized trials", "Osteoarthritis Cartilage", 2024, "32", "10", "1207-1219",
        "10.1016/j.joca.2024.04.021", "38777213")
    assert (sadeghirad.pooling.comparison.value, sadeghirad.pooling.participants, sadeghirad.pooling.includes) == (
        "randomised_arms", 807, ())
    early, late, harms = sadeghirad.outcomes
    assert [(o.outcome, o.timepoint, o.comparator.value, o.estimate.metric, o.estimate.value, o.estimate.ci_low,
             o.estimate.ci_high, o.risk_of_bias.level.value, o.src) for o in (early, late)] == [
        ("pain", "3-6 months", "mixed", "WMD", -0.74, -1.16, -0.33, "low", (SADEGHIRAD,)),
        ("pain", "12 months", "mixed", "WMD", -0.73, -1.69, 0.24, "low", (SADEGHIRAD,))]
    assert (harms.outcome, harms.estimate.metric, harms.estimate.value, harms.estimate.ci_low,
            harms.estimate.ci_high) == ("adverse_events", "RR", 2.67, 1.19, 5.99)
    assert sadeghirad.risk_of_bias is None

    bjr = studies["bjr2020"]
    assert (bjr.journal.value, bjr.year.value, bjr.volume.value, bjr.issue.value, bjr.pages.value,
            bjr.pmcid.value) == ("Bone Joint Res", 2020, "9", "10", "719–728", "PMC7640936")
    assert (bjr.title.value, bjr.authors.value) == (None, None)
    assert bjr.pooling.participants == 256
    assert [(o.outcome, o.estimate.value, o.estimate.ci_low, o.estimate.ci_high, o.estimate.printed["ci_high"])
            for o in bjr.outcomes] == [(None, -13.24, -23.28, -3.2, "-3.20"), (None, -7.22, -12.97, -1.47, "-1.47")]
    assert bjr.source_urls() == [BJR_PMC]

    ma = studies["ma2020"]
    mapped = {o.measure: (o.outcome, o.comparator.value if o.comparator else None) for o in ma.outcomes}
    assert mapped == {"VAS pain (MSC vs control)": (None, None), "WOMAC total (MSC vs control)": (None, None),
                      "WOMAC pain (MSC vs control)": (None, None), "WOMAC stiffness (MSC vs control)": (None, None),
                      "WOMAC function (MSC vs control)": ("function", "mixed")}


def test_the_trials_the_audit_found_missing_are_pinned_with_their_sizes(data: Dataset) -> None:
    studies = _studies(data)
    lee, lu, kuah, vega = (studies[i] for i in ("lee2019", "lu2019", "kuah2018", "vega2015"))
    assert [(a.name, a.n, a.role.value) for a in lee.participants.arms] == [
        ("adipose MSC", 12, "treated"), ("saline (placebo)", 12, "control")]
    assert (lee.participants.total, lee.doi.value, lee.journal.value, lee.volume.value, lee.pages.value) == (
        24, "10.1002/sctm.18-0122", "Stem Cells Transl Med", "8", "504-511")
    assert lee.doi.src == lee.title.src == (LEE_WILEY,)
    assert (lee.title.value, lu.title.value) == (
        "Intra-Articular Injection of Autologous Adipose Tissue-Derived Mesenchymal Stem Cells for the Treatment of "
        "Knee Osteoarthritis: A Phase IIb, Randomized, Placebo-Controlled Clinical Trial",
        "Treatment of knee osteoarthritis with intra-articular injection of autologous adipose-derived mesenchymal "
        "progenitor cells: a prospective, randomized, double-blind, active-controlled, phase IIb clinical trial")
    assert (lu.title.src, lu.product) == (("https://stemcellres.biomedcentral.com/articles/10.1186/s13287-019-1248-3",),
                                          "Re-Join®")
    assert (lu.participants.total, lu.doi.value, lu.pmid.value, lu.pmcid.value, lu.trial_registration.value,
            lu.article_number.value) == (53, "10.1186/s13287-019-1248-3", "31113476", "PMC6528322", "NCT02162693",
                                         "143")
    assert lu.pmid.src == (LU_PUBMED,)
    assert (kuah.participants.total, kuah.pmid.value, kuah.pmcid.value, kuah.journal.value, kuah.year.value) == (
        20, "29510712", "PMC5840781", "J Transl Med", 2018)
    assert kuah.pmcid.src == kuah.participants.src == (KUAH_PMC,)
    assert [(a.name, a.n, a.role.value) for a in kuah.participants.arms] == [
        ("Progenza 3.9 million cells", 8, "treated"), ("Progenza 6.7 million cells", 8, "treated"),
        ("placebo", 4, "control")]
    authors = kuah.authors.value
    assert (kuah.product, kuah.title.value, authors[0], authors[-1], len(authors)) == (
        "Progenza", "Safety, tolerability and efficacy of intra-articular Progenza in knee osteoarthritis: A "
        "randomized double-blind placebo-controlled single ascending dose study", "D. Kuah", "J. Wilson", 11)
    assert kuah.title.src == kuah.authors.src == (
        "https://research.monash.edu/en/publications/safety-tolerability-and-efficacy-of-intra-articular-progenza-in-k",)
    assert (vega.participants.total, vega.journal.value, vega.volume.value, vega.issue.value, vega.pages.value) == (
        None, "Transplantation", "99", "8", "1681-1690")
    assert vega.source_note
    for study in (lee, lu, kuah, vega):
        assert study.outcomes == (), study.id
        assert study.direction_note, study.id
        assert "placeholder" in study.direction_note, study.id
        assert any(n.startswith("Numbers: ") for n in study.notes), study.id
    trial = next(t for t in data.trials if t.id == "NCT02162693")
    assert (trial.published_as, trial.src) == ("lu2019", (LU_PUBMED,))


@needs_facts
def test_the_audits_numbers_are_copied_as_printed(data: Dataset) -> None:
    # The sheet wraps its lines; compare with its runs of white space as single spaces.
    audit = " ".join(AUDIT.read_text(encoding="utf-8").split())
    studies = _studies(data)
    assert studies["adipoa2"].outcomes[0].reported in audit
    for text in ("135 randomised, 97 analysed", "16 RCTs / 807 participants", "WMD -0.74 cm on a 10 cm scale",
                 "MID 1.5 cm", "RR 2.67 (1.19 to 5.99)", "12 vs 12", "53 randomised", "20 (4:1)", "7 RCTs / 256",
                 "VAS MD -13.24 (-23.28 to -3.20)", "J Stem Cells Regen Med 2021;17(1):3-17", "vol 14(1), article 246"):
        assert text in audit, text
    for url in (RUANE_PMC, LAMO_CUN, ADIPOA2_UNIPD, SADEGHIRAD, LEE_WILEY, LU_PUBMED, KUAH_PMC, BJR_PMC):
        assert url in audit, url


def test_every_randomised_trial_has_numbers_mapped_or_says_why_not(data: Dataset) -> None:
    for study in _studies(data).values():
        if study.design is not Design.RANDOMISED_CONTROLLED_TRIAL:
            continue
        numbers = [o for o in study.outcomes if o.outcome and (o.arms or o.estimate)]
        assert numbers or any(n.startswith("Numbers: ") for n in study.notes), study.id


def test_products_on_the_bmac_trials_and_on_the_claims_about_the_mayo_trial(data: Dataset) -> None:
    studies = _studies(data)
    assert {sid for sid, s in studies.items() if s.product == BMAC} == {
        "shapiro2017", "centeno2018", "hernigou2018", "ruane2021"}
    assert studies["gupta2016"].product == "Stempeucel®"
    claims = {c.id: c for c in data.claims if c.id in CLAIM_SOURCES}
    assert {cid for cid, c in claims.items() if c.product == BMAC} == {
        "koa_mayo_tested", "koa_fda_safe", "koa_viable", "koa_staggering", "koa_with_without", "koa_niscell",
        "koa_landmark", "koa_compelling", "koa_140_patients", "koa_internal_ctrl"}


def test_claims_name_their_outcomes_follow_ups_and_claimed_sizes(data: Dataset) -> None:
    claims = {c.id: c for c in data.claims if c.id in CLAIM_SOURCES}
    assert {cid: (c.outcomes, c.at_least_months) for cid, c in claims.items()} == {
        "koa_mayo_tested": (("pain", "function"), None),
        "koa_legitimate": ((), None),
        "koa_fda_safe": (("serious_adverse_events", "adverse_events"), None),
        "koa_viable": (("serious_adverse_events", "adverse_events"), None),
        "koa_staggering": (("pain",), None),
        "koa_with_without": (("pain",), None),
        "koa_homing": ((), None),
        "koa_niscell": (("pain",), None),
        "koa_landmark": (("knee_replacement",), 180),
        "koa_compelling": (("knee_replacement",), 180),
        "koa_140_patients": (("knee_replacement",), None),
        "koa_internal_ctrl": (("knee_replacement",), 180),
        "koa_best_trial": ((), None),
        "koa_repeatable": ((), None),
    }
    for cid in ("koa_staggering", "koa_niscell"):
        magnitude = claims[cid].magnitude
        assert magnitude is not None
        assert (magnitude.scale.value, magnitude.value) == ("difference", 1.5)
        assert "minimal important difference" in magnitude.note
    assert all(claims[c].magnitude is None for c in claims if c not in ("koa_staggering", "koa_niscell"))


def test_every_sof_row_exactly() -> None:
    sof = _sof()
    found = []
    for row in sof["outcomes"]:
        rel = row["relative"]
        found.append((row["outcome"], row["comparison"], row["timepoint"], row["participants"], row["studies"],
                      row["certainty"], row["effect"],
                      None if rel is None else (rel["measure"], round(rel["estimate"], 2), round(rel["ci_low"], 2),
                                                round(rel["ci_high"], 2))))
    assert found == SOF_ROWS
    assert sof["left_out"] == [
        {"study": "lamoespinosa2016", "measure": "VAS pain, median (IQR), each arm vs control (HA)",
         "reason": "medians only: no mean difference can be computed"},
        {"study": "ruane2021", "measure": "numeric pain rating scale at 12 months, BMAC vs HA (secondary)",
         "reason": "no SD or arm size for the means"},
        {"study": "lamoespinosa2020", "measure": "VAS pain at 12 months, mean (SD), PRGF vs BM-MSC with PRGF",
         "reason": "no SD or arm size for the means"},
        {"study": "lamoespinosa2020",
         "measure": "WOMAC physical function at 12 months, mean (SD), PRGF vs BM-MSCs + PRGF (Table 3)",
         "reason": "no SD or arm size for the means"}]


def test_knee_pain_is_the_reviews_estimate_against_the_mid_and_no_harm_row_has_serious_events() -> None:
    rows = _sof()["outcomes"]
    pain = [r for r in rows if r["outcome"] == "pain" and r["relative"] is not None]
    assert [(r["timepoint"], r["effect"]) for r in pain] == [("3-6 months", "little_or_no_difference"),
                                                            ("12 months", "little_or_no_difference")]
    assert all(f"Threshold for an important effect: 1.5 (cm), from {SADEGHIRAD}." in r["footnotes"] for r in pain)
    assert not [r for r in rows if r["outcome"] in ("serious_adverse_events", "knee_replacement")]
    [harm] = [r for r in rows if r["outcome"] == "adverse_events"]
    assert harm["statement"].startswith("Cell injection therapy probably increases patients with any adverse event.")


def test_no_knee_pain_benefit_claim_is_supported_and_the_pain_answer_is_the_estimate_against_its_threshold() -> None:
    claims = {c["id"]: c for c in json.loads(run(CONDITION, "claims", "--format", "json").stdout)["claims"]}
    on_pain = {cid for cid, c in claims.items() if any(o["outcome"] == "pain" for o in c["outcomes"])}
    assert on_pain == {"koa_mayo_tested", "koa_staggering", "koa_with_without", "koa_niscell"}
    assert {cid: claims[cid]["verdict"] for cid in on_pain} == {
        "koa_mayo_tested": "not_supported", "koa_staggering": "not_supported", "koa_niscell": "not_supported",
        # "good results with the stem cells and without": a no-benefit claim the estimate agrees with
        "koa_with_without": "supported"}
    for cid in ("koa_staggering", "koa_niscell"):
        [pain] = claims[cid]["outcomes"]
        assert (pain["comparison"], pain["timepoint"], pain["effect"], pain["certainty"], pain["verdict"]) == (
            "mixed", "12 months", "little_or_no_difference", "low", "not_supported")
        assert pain["estimate"] == {"measure": "MD", "estimate": -0.73, "ci_low": -1.69, "ci_high": 0.24,
                                    "method": "the review's pooled estimate", "studies": 1}
        assert pain["threshold"] == {"value": 1.5, "scale": "cm", "src": [SADEGHIRAD]}
        assert pain["reason"] == ("answered at the longest follow-up with a controlled estimate (12 months); 1 other "
                                  "row in `sof`: shows little or no difference at low certainty")
        assert pain["magnitude"] == "the claimed size (1.5) against the 95% CI: the CI includes smaller effects"
        # The review is of cell therapy in general, the claim of bone marrow concentrate: one level for that.
        assert [(d["domain"], d["levels"]) for d in pain["domains"]] == [
            ("risk_of_bias", 0), ("inconsistency", 0), ("indirectness", 1), ("imprecision", 1),
            ("publication_bias", 0)]


def test_the_safety_claims_rest_on_the_review_of_adverse_events() -> None:
    viable = _claim("koa_viable")
    assert (viable["verdict"], viable["effect"], viable["certainty"]) == ("not_supported", "harm", "low")
    assert viable["reason"].startswith("Patients with a serious adverse event: not checkable (no curated result "
                                       "measures it); Patients with any adverse event: not supported")
    text = json.dumps(viable)
    assert "Sadeghirad 2024 (meta-analysis): not assessed (100% of the weight)" in text
    assert "another product (not named)" in text
