"""Ischaemic stroke: key trials pinned to their recorded sources, claims verbatim, verdicts exactly."""

from __future__ import annotations

import json
from typing import Any

import pytest

from stemcell_cli.loading import load
from stemcell_cli.model import Dataset, Design

from .condition_checks import (
    assert_null_with_note,
    assert_pinned,
    command_json,
    compared_with_sheet,
    fact_sheet,
    shared_sheet,
    sof_rows,
    studies_of,
    summary_lines,
    validate_warnings,
    verdicts,
)
from .conftest import SHIPPED, run

FACTS, needs_facts = shared_sheet("facts_stroke.yaml")

# our study id -> the fact sheet's study id (controlled trials)
SHEET_IDS = {
    "houkin2024": "houkin2024_treasure",
    "hess2017": "hess2017_masters",
    "prasad2014": "prasad2014_invest",
    "savitz2019": "savitz2019_recover_stroke",
    "chung2021": "chung2021_starting2",
    "actissima": "sanbio_actissima_sb623",
    "moniche2023": "moniche2023_ibis",
    "isis_hermes": "isis_hermes_rct",
}
REVIEWS = ("stcltm2024", "cochrane2019stroke", "osanai2025", "xue2018", "hindawi2016stroke")

TREASURE_PMC = "https://pmc.ncbi.nlm.nih.gov/articles/PMC10792497"
TREASURE_TAB2 = "https://pmc.ncbi.nlm.nih.gov/articles/PMC10792497/table/noi230096t2"
TREASURE_ICHGCP = "https://ichgcp.net/clinical-trials-registry/NCT02961504"
MASTERS_ABLESCI = "https://ablesci.com/scholar/paper?id=E1m79BmjE"
MASTERS_RELEASE = "https://www.medicalnewstoday.com/releases/307067.php"
INVEST_PURE = "https://manipal.pure.elsevier.com/en/publications/intravenous-autologous-bone-marrow-mononuclear-stem-cell-therapy-"
RECOVER_SCITE = "https://staging.scite.ai/authors/neal-rutledge-4YN5ll"
S2_REFWORKS = "https://n.neurology.org/highwire/citation/190916/refworks-tagged"
ACT_RESULTS = "https://clinicaltrials.gov/ct2/show/results/NCT02448641"
IBIS_RICORS = ("https://ricors-ictus.es/publicaciones/safety-and-efficacy-of-intra-arterial-bone-marrow-mononuclear-"
               "cell-transplantation-in-patients-with-acute-ischaemic-stroke-in-spain-ibis-trial-a-phase-2-randomised-"
               "open-label-standard-of-care-co/")
STCLTM = "https://academic.oup.com/stcltm/article/13/9/886/7736084?login=false"
XUE_PMC = "https://pmc.ncbi.nlm.nih.gov/articles/PMC5957058"

# (study, field): (value as recorded, a URL its src must hold)
IDENTIFIERS = {
    ("houkin2024", "doi"): ("10.1001/jamaneurol.2023.5200", TREASURE_PMC),
    ("houkin2024", "pmid"): ("38227308", TREASURE_PMC),
    ("houkin2024", "pmcid"): ("PMC10792497", TREASURE_PMC),
    ("houkin2024", "trial_registration"): ("NCT02961504", TREASURE_ICHGCP),
    ("hess2017", "doi"): ("10.1016/s1474-4422(17)30046-7", MASTERS_ABLESCI),
    ("prasad2014", "pages"): ("3618-3624", INVEST_PURE),
    ("chung2021", "doi"): ("10.1212/WNL.0000000000011440", S2_REFWORKS),
    ("moniche2023", "doi"): ("10.1016/S1474-4422(22)00526-9", IBIS_RICORS),
    ("moniche2023", "pmid"): ("36681446", IBIS_RICORS),
    ("xue2018", "pmid"): ("29785117", XUE_PMC),
    ("xue2018", "doi"): ("10.2147/TCRM.S161326", XUE_PMC),
}

# values the fact sheet leaves unverified stay null here
UNVERIFIED = [("hess2017", "pmid"), ("prasad2014", "doi"), ("prasad2014", "pmid"),
              ("prasad2014", "trial_registration"), ("savitz2019", "doi"), ("savitz2019", "pmid"),
              ("chung2021", "pmid"), ("chung2021", "funding"), ("actissima", "doi"), ("isis_hermes", "doi"),
              ("stcltm2024", "title"), ("cochrane2019stroke", "pmid")]

# Every claim through the CLI's JSON: (verdict, effect, certainty).
VERDICTS = {
    "st-lasting": ("very_uncertain", "uncertain", "very_low"),
    "st-recover": ("supported", "benefit", "low"),
    "st-walk": ("very_uncertain", "uncertain", "very_low"),
    "st-speed": ("supported", "benefit", "low"),
    "st-athersys-1y": ("very_uncertain", "uncertain", "very_low"),
}

# Each critical outcome's Summary of Findings rows: (outcome, comparison, time point) ->
# (participants, studies, certainty, effect, (measure, estimate, CI low, CI high) to 2 decimals or None).
CRITICAL_ROWS = {
    ("excellent_outcome", "placebo_or_sham", "90 days"): (206, 1, "very_low", "uncertain", ("RR", 1.18, 0.53, 2.60)),
    ("excellent_outcome", "placebo_or_sham", "12 months"): (206, 1, "very_low", "uncertain",
                                                            ("RR", 1.43, 0.70, 2.92)),
    ("independence", "placebo_or_sham", "90 days"): (192, 1, "very_low", "uncertain", ("RR", 1.45, 0.93, 2.26)),
    ("independence", "usual_care", "12 months"): (63, 1, "very_low", "uncertain", None),
    ("disability", "mixed", None): (None, 1, "low", "benefit", ("MD", -0.26, -0.50, -0.01)),
    ("disability", "placebo_or_sham", "90 days"): (380, 3, "very_low", "uncertain", None),
    ("disability", "usual_care", "90 days"): (54, 1, "very_low", "uncertain", None),
    ("disability", "usual_care", "180 days"): (120, 1, "very_low", "uncertain", None),
    ("disability", "usual_care", "2 years (mixed models)"): (31, 1, "very_low", "uncertain", None),
    ("death", "mixed", None): (None, 1, "low", "benefit", ("RR", 0.44, 0.28, 0.69)),
    ("death", "placebo_or_sham", "90 days"): (206, 1, "very_low", "uncertain", ("RR", 1.96, 0.50, 7.63)),
    ("death", "placebo_or_sham", "12 months"): (206, 1, "very_low", "uncertain", ("RR", 1.27, 0.59, 2.78)),
}


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(SHIPPED, use_cache=False).dataset


def test_the_condition_its_outcomes_and_its_pages(data: Dataset) -> None:
    condition = next(c for c in data.conditions if c.id == "stroke")
    assert (condition.name, condition.aliases, condition.therapy) == ("Ischaemic stroke", (), "cell therapy")
    outcomes = {o.id: (o.kind.value, o.better.value, o.importance.value, o.harm, o.threshold)
                for o in condition.outcomes}
    assert outcomes == {
        "excellent_outcome": ("binary", "higher", "critical", False, None),
        "independence": ("binary", "higher", "critical", False, None),
        "disability": ("continuous", "lower", "critical", False, None),
        "nihss": ("continuous", "lower", "important", False, None),
        "barthel": ("continuous", "higher", "important", False, None),
        "motor_function": ("continuous", "higher", "important", False, None),
        "death": ("binary", "lower", "critical", True, None),
        "serious_adverse_events": ("binary", "lower", "critical", True, None),
    }
    # no threshold was seen on a scale the trials use: each outcome says why the null is the threshold
    assert all(o.threshold_note and "the null is the threshold" in o.threshold_note for o in condition.outcomes)
    pages = [p.id for p in data.pages if p.condition == "stroke"]
    assert pages == ["st-stemaid", "st-amcaz", "st-novastem", "st-athersys"]
    result = run("stroke", "summary")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Ischaemic stroke: what the curated evidence shows")


def test_fifteen_studies_eight_randomised_one_non_randomised_five_reviews_one_single_arm(data: Dataset) -> None:
    studies = studies_of(data, "stroke")
    assert sorted(studies) == sorted([*SHEET_IDS, *REVIEWS, "bmsc_mca2020", "sb623_2016"])
    designs = {sid: s.design for sid, s in studies.items()}
    assert [sid for sid, d in designs.items() if d is Design.RANDOMISED_CONTROLLED_TRIAL] == list(SHEET_IDS)
    assert [sid for sid, d in designs.items() if d is Design.SYSTEMATIC_REVIEW] == list(REVIEWS)
    assert (designs["bmsc_mca2020"], designs["sb623_2016"]) == (Design.NON_RANDOMISED_CONTROLLED, Design.SINGLE_ARM)


def test_the_key_trials_sizes_and_arm_roles(data: Dataset) -> None:
    studies = studies_of(data, "stroke")
    sizes = {sid: (s.participants.total, [(a.name, a.n, a.role.value if a.role else None)
                                          for a in s.participants.arms]) for sid, s in studies.items()
             if sid in SHEET_IDS}
    assert sizes == {
        "houkin2024": (206, [("MultiStem", 104, "treated"), ("placebo", 102, "control")]),
        "hess2017": (126, [("MultiStem", 65, "treated"), ("placebo", 61, "control")]),
        "prasad2014": (120, [("BMSC", 60, "treated"), ("control", 60, "control")]),
        "savitz2019": (48, [("ALD-401", 29, "treated"), ("sham", 19, "control")]),
        "chung2021": (54, [("MSC", 39, "treated"), ("standard treatment", 15, "control")]),
        "actissima": (163, [("SB623 2.5M", 55, "treated"), ("SB623 5.0M", 56, "other_treated"),
                            ("sham", 52, "control")]),
        "moniche2023": (77, [("BMMNC low dose", 20, "treated"), ("BMMNC high dose", 19, "other_treated"),
                             ("standard of care", 38, "control")]),
        "isis_hermes": (31, []),
    }
    comparators = {sid: s.comparator.value for sid, s in studies.items() if sid in SHEET_IDS and s.comparator}
    assert comparators == {"houkin2024": "placebo_or_sham", "hess2017": "placebo_or_sham",
                           "prasad2014": "usual_care", "savitz2019": "placebo_or_sham", "chung2021": "usual_care",
                           "actissima": "placebo_or_sham", "moniche2023": "usual_care", "isis_hermes": "usual_care"}
    # the three denominators of MASTERS are kept apart, not merged
    assert "a review table gives 129 and the registry mirror a target of 134" in studies["hess2017"].participants.note


def test_treasure_results_are_table_2_as_printed(data: Dataset) -> None:
    treasure = studies_of(data, "stroke")["houkin2024"]
    mapped = [(r.outcome, r.timepoint, [(a.arm, a.events, a.total) for a in r.arms]) for r in treasure.outcomes
              if r.arms]
    assert mapped == [
        ("excellent_outcome", "90 days", [("MultiStem", 12, 104), ("placebo", 10, 102)]),
        ("excellent_outcome", "12 months", [("MultiStem", 16, 104), ("placebo", 11, 102)]),
        ("independence", "90 days", [("MultiStem", 34, 97), ("placebo", 23, 95)]),
        ("death", "90 days", [("MultiStem", 6, 104), ("placebo", 3, 102)]),
        ("death", "12 months", [("MultiStem", 13, 104), ("placebo", 10, 102)]),
    ]
    assert treasure.outcomes[0].reported == ("Imputation: 12/104 (11.5) vs 10/102 (9.8); adjusted risk difference "
                                             "0.5 (−7.3 to 8.3), P .90")
    # the adjusted risk differences are percentage points: kept in the words, never read as an estimate
    assert all(r.estimate is None for r in treasure.outcomes)
    assert {r.src for r in treasure.outcomes} == {(TREASURE_TAB2,)}
    assert [(h.kind.value, h.arm, h.count) for h in treasure.harms] == [("death", "MultiStem", 13),
                                                                        ("death", "placebo", 10)]


def test_results_printed_without_numbers_stay_in_words(data: Dataset) -> None:
    studies = studies_of(data, "stroke")
    masters = studies["hess2017"].outcomes[1]
    # percentages only: no events back-calculated from 23.1% of 65 and 8.2% of 61
    assert (masters.outcome, masters.arms, masters.finding.value if masters.finding else None) == (
        "excellent_outcome", (), "favours_treatment")
    assert masters.src == (MASTERS_RELEASE, "https://www.biocentury.com/bc-week-review/clinical-news/clinical-results/"
                           "2016-02-22/multistem-additional-phase-ii-data?kwh=%22Athersys%22+%22Athersys+Inc.%22")
    recover = studies["savitz2019"].outcomes[0]
    # the mean difference's direction is not stated: no estimate
    assert (recover.outcome, recover.estimate, recover.src) == ("disability", None, (RECOVER_SCITE,))
    assert "(mean difference, 0.3; 95% CI, –0.3 to 0.8; P=0.330)" in recover.reported
    barthel = studies["prasad2014"].outcomes[0]
    assert [(a.arm, a.mean, a.sd) for a in barthel.arms] == [("BMSC", 63.1, None), ("control", 63.6, None)]
    actissima = studies["actissima"].outcomes[0]
    assert (actissima.outcome, actissima.timepoint, actissima.finding.value if actissima.finding else None) == (
        "motor_function", "6 months", "no_difference")
    assert studies["actissima"].participants.src == (ACT_RESULTS,)
    assert studies["moniche2023"].outcomes == ()
    assert any(n.startswith("No result is mapped") for n in studies["moniche2023"].notes)


def test_the_msc_review_estimates_are_as_printed(data: Dataset) -> None:
    review = studies_of(data, "stroke")["stcltm2024"]
    assert review.pooling is not None
    assert review.pooling.comparison.value == "randomised_arms"
    estimates = [(r.outcome, r.comparator.value if r.comparator else None, r.estimate.metric, r.estimate.value,
                  r.estimate.ci_low, r.estimate.ci_high) for r in review.outcomes if r.estimate]
    assert estimates == [("disability", "mixed", "MD", -0.26, -0.50, -0.01),
                         ("nihss", "mixed", "MD", -1.69, -2.66, -0.73),
                         ("death", "mixed", "RR", 0.44, 0.28, 0.69)]
    assert {r.src for r in review.outcomes} == {(STCLTM,)}
    # the review whose measures are mislabelled 'OR' gives no estimate
    assert all(r.estimate is None and r.outcome is None for r in studies_of(data, "stroke")["xue2018"].outcomes)


@pytest.mark.parametrize(("key", "expected"), sorted(IDENTIFIERS.items()))
def test_key_identifiers_are_pinned_to_their_sources(data: Dataset, key: tuple[str, str],
                                                    expected: tuple[Any, str]) -> None:
    assert_pinned(studies_of(data, "stroke")[key[0]], key[1], expected)


@pytest.mark.parametrize("key", UNVERIFIED)
def test_values_the_fact_sheet_leaves_unverified_stay_null_with_a_note(data: Dataset, key: tuple[str, str]) -> None:
    assert_null_with_note(studies_of(data, "stroke")[key[0]], key[1])


@needs_facts
def test_bibliographic_values_equal_the_fact_sheet(data: Dataset) -> None:
    assert compared_with_sheet(studies_of(data, "stroke"), fact_sheet(FACTS), SHEET_IDS,
                               ("title", "journal", "year", "doi", "pmid", "pmcid")) == 24


@needs_facts
def test_every_claim_and_recorded_sentence_is_verbatim_as_the_fact_sheet_records_it(data: Dataset) -> None:
    sheet = fact_sheet(FACTS)
    texts = {p["url"]: [c["verbatim"] for c in p["claims"]] for p in sheet["pages"]}
    texts.update({p["url"]: p["verbatim"] for p in sheet["other_pages_seen"]})
    ours = {p.id: p for p in data.pages if p.condition == "stroke"}
    for page in ours.values():
        recorded = {c.text for c in data.claims if c.page == page.id}
        for sentence in texts[page.url]:
            assert sentence in recorded or sentence in (page.note or ""), sentence
    assert len([c for c in data.claims if c.page in ours]) == 5


def test_verdicts_effects_and_certainties_through_the_cli() -> None:
    assert verdicts("stroke") == VERDICTS


def test_each_critical_outcome_s_summary_of_findings_rows() -> None:
    sof = command_json("stroke", "sof")
    assert sof_rows(sof, critical_only=True) == CRITICAL_ROWS
    # MASTERS' one-year percentages cannot join TREASURE's events: left out, with the reason
    assert sof["left_out"] == [{"study": "hess2017", "measure": "Excellent outcome (mRS 0-1, NIHSS 0-1, BI ≥95)",
                                "reason": "reported in words only: a vote count is used only where no result has "
                                          "an estimate"}]


def test_the_supported_claims_rest_on_one_review_and_say_how_fragile_that_is() -> None:
    for claim in ("st-recover", "st-speed"):
        result = run("stroke", "claim", claim, "--format", "json")
        assert result.exit_code == 0, result.stderr
        graded = json.loads(result.stdout)["claim"]
        (answer,) = graded["outcomes"]
        assert (answer["outcome"], answer["timepoint"], answer["studies"], answer["estimate"]["estimate"],
                answer["estimate"]["ci_low"], answer["estimate"]["ci_high"]) == (
            "disability", None, ["stcltm2024"], -0.26, -0.5, -0.01)
        assert {d["domain"]: d["levels"] for d in answer["domains"]} == {
            "risk_of_bias": 1, "inconsistency": 0, "indirectness": 0, "imprecision": 1, "publication_bias": 0}
        robustness = {r["scenario"]: (r["verdict"], r["certainty"]) for r in graded["robustness"]}
        assert robustness == {
            "placebo- or sham-controlled comparisons only": ("very_uncertain", "very_low"),
            "the claim's product only": ("supported", "low"),
            "without reviews whose trial lists are unknown": ("very_uncertain", "very_low"),
            "without trials at high risk of bias": ("supported", "low"),
        }


def test_the_sponsor_s_one_year_claim_is_answered_on_treasure_not_on_its_own_percentages() -> None:
    result = run("stroke", "claim", "st-athersys-1y", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (answer,) = json.loads(result.stdout)["claim"]["outcomes"]
    estimate = answer["estimate"]
    assert (answer["timepoint"], answer["studies"], estimate["measure"], round(estimate["estimate"], 2),
            round(estimate["ci_low"], 2), round(estimate["ci_high"], 2)) == (
        "12 months", ["houkin2024"], "RR", 1.43, 0.70, 2.92)


def test_citation_issues_and_registered_trials(data: Dataset) -> None:
    issues = sorted((i.claim, i.kind.value, i.study) for i in data.citation_issues if i.claim.startswith("st-"))
    assert issues == [("st-athersys-1y", "source_partly_supports_claim", "hess2017"),
                      ("st-lasting", "source_contradicts_claim", "houkin2024"),
                      ("st-speed", "source_contradicts_claim", "houkin2024"),
                      ("st-walk", "misdescribed_result", "sb623_2016"),
                      ("st-walk", "source_contradicts_claim", "actissima")]
    trials = {t.id: (t.published_as, t.results_posted) for t in data.trials if t.condition == "stroke"}
    assert trials == {
        "NCT03545607": (None, False), "NCT02961504": ("houkin2024", False), "NCT01436487": ("hess2017", None),
        "NCT01273337": ("savitz2019", False), "NCT02448641": ("actissima", True), "NCT03629275": (None, False),
        "NCT02178657": ("moniche2023", False), "NCT01716481": ("chung2021", None), "NCT01461720": (None, None),
        "NCT01287936": ("sb623_2016", True),
    }


def test_the_summary_fits_40_lines_at_80_columns() -> None:
    lines = summary_lines("stroke")
    assert len(lines) <= 40
    assert max(len(line) for line in lines) <= 80


def test_the_condition_s_one_warning_is_the_claim_no_study_supports() -> None:
    assert validate_warnings("st-") == ["claim 'st-lasting' has no supporting study"]


