"""Amyotrophic lateral sclerosis: the key trials pinned to their sources, claims verbatim, verdicts through the CLI."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from stemcell_cli.evidence.outcomes import collect
from stemcell_cli.loading import load
from stemcell_cli.model import Dataset, Design

from .condition_checks import shared_sheet
from .conftest import SHIPPED, run

CONDITION = "amyotrophic-lateral-sclerosis"
FACTS, needs_facts = shared_sheet("als_facts.yaml")

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


def test_every_claims_verdict_effect_and_certainty_through_the_cli(
        claims_json: dict[str, dict[str, Any]]) -> None:
    assert {cid: (c["verdict"], c["effect"], c["certainty"]) for cid, c in claims_json.items()} == {
        "als-halts": ("very_uncertain", "uncertain", "very_low"),
        "als-early-proofs": ("very_uncertain", "uncertain", "very_low"),
        "als-hadassah-24": ("very_uncertain", "uncertain", "very_low"),
        "als-compassionate": ("very_uncertain", "uncertain", "very_low"),
        "als-pr-findings": ("very_uncertain", "uncertain", "very_low"),
        "als-pr-safe": ("very_uncertain", "uncertain", "very_low"),
        "als-90-percent": ("very_uncertain", "uncertain", "very_low"),
        "als-karussis-quote": ("very_uncertain", "uncertain", "very_low"),
    }


def test_each_claim_is_answered_on_the_row_its_outcomes_lead_to(claims_json: dict[str, dict[str, Any]]) -> None:
    answered = {cid: [(o["outcome"], o["verdict"], o["comparison"], o["timepoint"], o["studies"])
                      for o in c["outcomes"]] for cid, c in claims_json.items()}
    oh_function = ("alsfrs_r", "very_uncertain", "usual_care", "6 months", ["oh2018"])
    oh_responders = ("responders", "very_uncertain", "usual_care", "4 months", ["oh2018"])
    assert answered == {
        "als-halts": [],
        "als-early-proofs": [oh_function],
        "als-hadassah-24": [oh_responders],
        "als-compassionate": [oh_function, ("fvc", "not_checkable", None, None, [])],
        "als-pr-findings": [oh_function, oh_responders],
        "als-pr-safe": [("serious_adverse_events", "very_uncertain", "usual_care", None, [])],
        "als-90-percent": [oh_responders],
        "als-karussis-quote": [oh_responders],
    }
    assert claims_json["als-halts"]["parts"] == ["als-early-proofs", "als-hadassah-24", "als-compassionate"]


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


# --- the outcome model (issue 17) ---

KEY_TRIALS = {
    "berry2019": ("placebo_or_sham", "NurOwn (MSC-NTF)", [("MSC-NTF", 36, "treated"), ("placebo", 12, "control")]),
    "cudkowicz2022": ("placebo_or_sham", "NurOwn (MSC-NTF)",
                      [("MSC-NTF", 95, "treated"), ("placebo", 94, "control")]),
    "oh2018": ("usual_care", None,
               [("BM-MSC + riluzole", 33, "treated"), ("riluzole alone (control)", 31, "control")]),
}


def test_key_trials_sizes_roles_comparators_and_products(data: Dataset) -> None:
    for sid, (comparator, product, arms) in KEY_TRIALS.items():
        study = _study(data, sid)
        assert study.design is Design.RANDOMISED_CONTROLLED_TRIAL
        assert (study.comparator.value, study.product) == (comparator, product), sid
        assert [(a.name, a.n, a.role.value) for a in study.participants.arms] == arms, sid
    assert _study(data, "petrou2016").product == "NurOwn (MSC-NTF)"
    assert [s.id for s in data.studies if s.condition == CONDITION and s.product] == [
        "petrou2016", "berry2019", "cudkowicz2022"]


def test_the_condition_lists_its_outcomes(data: Dataset) -> None:
    condition = next(c for c in data.conditions if c.id == CONDITION)
    assert [(o.id, o.kind.value, o.better.value, o.importance.value, o.surrogate, o.harm, o.unit)
            for o in condition.outcomes] == [
        ("alsfrs_r", "continuous", "higher", "critical", None, False, "points"),
        ("survival", "time_to_event", "higher", "critical", None, False, None),
        ("responders", "binary", "higher", "critical", None, False, None),
        ("fvc", "continuous", "higher", "important", "respiratory failure and survival", False, "%"),
        ("serious_adverse_events", "binary", "lower", "critical", None, True, None),
    ]
    # No page in the evidence states a minimal important difference: the null is every threshold.
    assert all(o.threshold is None and o.threshold_note for o in condition.outcomes)


def test_every_randomised_trial_has_a_mapped_result_or_says_why_none(data: Dataset) -> None:
    mapped = {sid: sorted({(o.outcome, o.subgroup is not None) for o in _study(data, sid).outcomes if o.outcome})
              for sid in KEY_TRIALS}
    assert mapped == {
        "berry2019": [("alsfrs_r", False), ("alsfrs_r", True), ("responders", False)],
        "cudkowicz2022": [("responders", False), ("responders", True)],
        "oh2018": [("alsfrs_r", False), ("fvc", False), ("responders", False), ("serious_adverse_events", False),
                   ("survival", False)],
    }
    for sid, why in (("berry2019", "No result with numbers was seen for this trial"),
                     ("cudkowicz2022", "so it cannot enter a pooled estimate")):
        assert any(why in note for note in _study(data, sid).notes), sid
    findings = {(sid, o.measure): o.finding.value for sid in KEY_TRIALS for o in _study(data, sid).outcomes
                if o.finding is not None}
    assert findings == {
        ("berry2019", "ALSFRS-R slope change, overall population"): "no_difference",
        ("cudkowicz2022", "clinical response (post-treatment change in progression of ≥1.25 points/mo), "
                          "primary endpoint"): "no_difference",
        ("oh2018", "long-term survival"): "no_difference",
        ("oh2018", "safety rating and serious treatment-related adverse events"): "no_difference",
    }


@pytest.fixture(scope="module")
def sof_json() -> dict[str, Any]:
    result = run(CONDITION, "sof", "--format", "json")
    assert result.exit_code == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def _two(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def test_summary_of_findings_rows_exact(sof_json: dict[str, Any]) -> None:
    rows = [(r["outcome"], r["importance"], r["comparison"], r["timepoint"], r["participants"], r["studies"],
             r["certainty"], r["effect"],
             None if r["relative"] is None else (r["relative"]["measure"], _two(r["relative"]["estimate"]),
                                                 _two(r["relative"]["ci_low"]), _two(r["relative"]["ci_high"])))
            for r in sof_json["outcomes"]]
    assert rows == [
        ("alsfrs_r", "critical", "placebo_or_sham", "6 months", 48, 1, "very_low", "uncertain", None),
        ("alsfrs_r", "critical", "usual_care", "4 months", 59, 1, "very_low", "benefit", ("MD", 2.98, 1.48, 4.48)),
        ("alsfrs_r", "critical", "usual_care", "6 months", 56, 1, "very_low", "benefit", ("MD", 3.38, 1.22, 5.54)),
        ("survival", "critical", "usual_care", "long-term (length not stated)", 64, 1, "very_low", "uncertain", None),
        # The phase 3's primary result: an OR printed without its CI, so a vote by the words' finding.
        ("responders", "critical", "placebo_or_sham", "28 weeks", 189, 1, "low", "uncertain", None),
        ("responders", "critical", "usual_care", "4 months", 59, 1, "very_low", "benefit",
         ("RR", 3.71, 1.63, 8.47)),
        ("serious_adverse_events", "critical", "usual_care", None, 64, 1, "very_low", "uncertain", None),
    ]
    responders = sof_json["outcomes"][5]["absolute"]
    assert [round(responders[k]) for k in ("comparator_per_1000", "intervention_per_1000", "difference_per_1000",
                                           "ci_low", "ci_high")] == [185, 688, 502, 116, 815]
    assert "Berry 2019 (NurOwn phase 2) no difference (n=48)" in sof_json["outcomes"][0]["footnotes"][-1]


def test_subgroups_are_never_pooled(data: Dataset, sof_json: dict[str, Any]) -> None:
    subgroups = {(s.id, o.measure) for s in data.studies if s.condition == CONDITION for o in s.outcomes
                 if o.subgroup}
    assert subgroups == {
        ("berry2019", "ALSFRS-R slope change, prespecified rapid progressor subgroup"),
        ("cudkowicz2022", "clinical response, prespecified subgroup with baseline ALSFRS-R ≥ 35"),
        ("cudkowicz2022", "clinical response by baseline ALSFRS-R threshold (Table 4, post hoc)"),
    }
    left = {(x["study"], x["measure"]): x["reason"] for x in sof_json["left_out"]}
    for key in subgroups:
        assert left[key].startswith("a subgroup result ("), key
    # The primary endpoint's OR has no CI: it counts as a vote by its words, so it is not left out.
    assert ("cudkowicz2022", "clinical response (post-treatment change in progression of ≥1.25 points/mo), "
                             "primary endpoint") not in left


def test_every_row_with_two_comparable_controlled_results_pools(data: Dataset, sof_json: dict[str, Any]) -> None:
    condition = next(c for c in data.conditions if c.id == CONDITION)
    collected, _signals = collect(condition, [s for s in data.studies if s.condition == CONDITION])
    sizes = {(r.outcome.id, r.comparator.value if r.comparator else None, r.timepoint): len(r.candidates)
             for r in collected}
    rows = {(r["outcome"], r["comparison"], r["timepoint"]): r for r in sof_json["outcomes"]}
    for key, candidates in sizes.items():
        if candidates >= 2:
            assert rows[key]["studies"] >= 2, key
    # Today no ALS row has two controlled results with numbers: the NurOwn trials give words, p-values and an OR
    # without its CI, and Oh 2018 is the only trial against usual care.
    assert max(sizes.values()) == 1


def test_nurown_claims_name_their_product_and_lose_nothing_for_publication_bias(
        data: Dataset, claims_json: dict[str, dict[str, Any]]) -> None:
    claims = {c.id: c for c in data.claims if c.id in claims_json}
    assert {cid for cid, c in claims.items() if c.product == "NurOwn (MSC-NTF)"} == set(claims_json)
    for cid, claim in claims_json.items():
        for answer in claim["outcomes"]:
            bias = [d for d in answer["domains"] if d["domain"] == "publication_bias"]
            assert [d["levels"] for d in bias] in ([], [0]), cid
            assert all(d["reason"].startswith("no trial known to be missing, and no maker's trials favouring its "
                                              "own cells carry most of the weight") for d in bias), cid


def test_claimed_sizes_and_follow_up(data: Dataset) -> None:
    claims = {c.id: c for c in data.claims}
    sizes = {cid: (c.magnitude.scale.value, c.magnitude.value) for cid, c in claims.items()
             if c.magnitude is not None and cid.startswith("als-")}
    assert sizes == {"als-hadassah-24": ("difference", 600), "als-90-percent": ("difference", 900),
                     "als-karussis-quote": ("difference", 900)}
    assert [(cid, c.at_least_months) for cid, c in claims.items()
            if cid.startswith("als-") and c.at_least_months is not None] == [("als-compassionate", 3)]
    assert {cid: c.outcomes for cid, c in claims.items() if cid.startswith("als-")} == {
        "als-halts": (),
        "als-early-proofs": ("alsfrs_r",),
        "als-hadassah-24": ("responders",),
        "als-compassionate": ("alsfrs_r", "fvc"),
        "als-pr-findings": ("alsfrs_r", "responders"),
        "als-pr-safe": ("serious_adverse_events",),
        "als-90-percent": ("responders",),
        "als-karussis-quote": ("responders",),
    }
