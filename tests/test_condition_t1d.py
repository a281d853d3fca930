"""Type 1 diabetes: key trials pinned to their recorded sources, claims verbatim, outcome rows and verdicts exactly."""

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

FACTS, needs_facts = shared_sheet("facts_type1_diabetes.yaml")

# our study id -> the fact sheet's id (randomised trials under `studies`, the rest under their own sections)
SHEET_IDS = {
    "cai2016": "cai2016_ucmsc_bmmnc",
    "protrans2023": "carlsson2023_protrans",
    "haller2013": "haller2013_ucb_vitd_dha",
    "carlsson2015": "carlsson2015_bmmsc",
    "hu2013t1d": "hu2013_wjmsc",
    "izadi2022": "izadi2022_bmmsc",
    "prochymal_nct00690066": "prochymal_t1d_nct00690066",
    "ghodsi2012": "ghodsi2012_fetal_liver",
}
RANDOMISED = tuple(SHEET_IDS)
COMPARED = 22  # 16 bibliographic values and 6 participant totals
NON_RANDOMISED = ("lu2021t1d", "zhao2012")
SINGLE_ARM = ("voltarelli2007", "couri2009", "daddio2014", "snarski2016", "gu2012t1d", "cantu2016", "haller2009",
              "reichman2025", "shapiro2021")
REVIEWS = ("sun2020t1d", "gan2018", "madani2022", "scrt2021t1d", "zhang2020t1d")

CAI_SCITE = "https://staging.scite.ai/authors/xiumin-xu-OVyrx4"
CAI_SCRIBD = "https://www.scribd.com/document/647217245/diabetes-1-y-celuas-madre-2015"
PROTRANS_EBUSCA = "https://ebusca.uv.mx/Record/pubmed-10317874/Details"
PROTRANS_EDCHOICE = ("https://diabetologia-journal.org/editors-choice/umbilical-cord%E2%80%91derived-mesenchymal-"
                     "stromal-cells-preserve-endogenous-insulin-production-in-type-1-diabetes-a-phase-i-ii-randomised-"
                     "double%E2%80%91blind-placebo%E2%80%91controlled-trial-publ/")
PROTRANS_GAID = ("http://www.globalauthorid.com/WebPortal/ArticleView?wd="
                 "03E459076164F53E6ECB5C580DE34B184D66A68C2AB45835719B9B43F0911515")
NEXTCELL_2020 = "https://news.cision.com/nextcell-pharma-ab/r/protrans-shows-significant-effect-in-diabetes,c3190683"
HALLER_PUBMED = "https://www.pubmed.gov/23611977/"
CARLSSON_PUBMED = "https://pubmed.ncbi.nlm.nih.gov/25204974/"
HU_ICHGCP = ("https://ichgcp.net/cs/clinical-trials-registry/publications/18319-long-term-effects-of-the-implantation-"
             "of-wharton-s-jelly-derived-mesenchymal-stem-cells-from-the")
IZADI_SCRT = "https://stemcellres.biomedcentral.com/articles/10.1186/s13287-022-02941-w"
PROCHYMAL_NEWS = ("https://news-medical.net/news/20120104/"
                  "Osiris-provides-update-on-Prochymal-Phase-2-trial-for-type-1-diabetes.aspx")
PROCHYMAL_CTGOV = "https://www.clinicaltrials.gov/ct2/show/NCT00690066?term=stem+cell+diabetes&rank=36"
GHODSI_ACTA = "https://acta.tums.ac.ir/index.php/acta/article/view/3945"
SUN_AIBT = "https://www.ai-bt.com/si.php?db=pubmed&id=33102605"
SUN_PMC = "https://pmc.ncbi.nlm.nih.gov/articles/PMC7569432"
LU_SCRT = "https://stemcellres.biomedcentral.com/articles/10.1186/s13287-021-02417-3"
SNARSKI = "https://www.ncbi.nlm.nih.gov/pubmed/26642342"
VX880_RELIEF = "https://reliefmedicalgroup.com/stem-cell-derived-fully-differentiated-islets-for-type-1-diabetes"

# (study, field): (value as recorded, a URL its src must hold)
IDENTIFIERS = {
    ("cai2016", "doi"): ("10.2337/dc15-0171", CAI_SCRIBD),
    ("cai2016", "trial_registration"): ("NCT01374854", "https://clinicaltrials.gov/ct2/show/NCT01374854"),
    ("cai2016", "pages"): ("149–157", "https://slideplayer.com./amp/14987507"),
    ("protrans2023", "doi"): ("10.1007/s00125-023-05934-3", PROTRANS_EDCHOICE),
    ("protrans2023", "pmid"): ("37221247", PROTRANS_EBUSCA),
    ("protrans2023", "pmcid"): ("PMC10317874", PROTRANS_EBUSCA),
    ("haller2013", "doi"): ("10.1016/j.bbmt.2013.04.011", HALLER_PUBMED),
    ("haller2013", "pmid"): ("23611977", HALLER_PUBMED),
    ("carlsson2015", "pmid"): ("25204974", CARLSSON_PUBMED),
    ("carlsson2015", "trial_registration"): ("NCT01068951", CARLSSON_PUBMED),
    ("izadi2022", "doi"): ("10.1186/s13287-022-02941-w", IZADI_SCRT),
    ("izadi2022", "trial_registration"): ("IRCT2016070428786N1", IZADI_SCRT),
    ("prochymal_nct00690066", "trial_registration"): ("NCT00690066", PROCHYMAL_CTGOV),
    ("snarski2016", "pmid"): ("26642342", SNARSKI),
    ("snarski2016", "doi"): ("10.1038/bmt.2015.294", SNARSKI),
    ("cantu2016", "trial_registration"): ("NCT01121029", "https://pubmed.ncbi.nlm.nih.gov/26859103/"),
    ("reichman2025", "doi"): ("10.1056/NEJMoa2506549", "http://47.251.13.51:8081/40544428"),
    ("sun2020t1d", "pmid"): ("33102605", SUN_PMC),
    ("sun2020t1d", "pmcid"): ("PMC7569432", SUN_PMC),
    ("gan2018", "doi"): ("10.3892/etm.2018.6769", "https://www.spandidos-publications.com/10.3892/etm.2018.6769"),
    ("madani2022", "doi"): ("10.1186/s13643-022-01950-3", "http://47.251.13.51:8081/35501872"),
}

# values the fact sheet leaves unverified stay null here
UNVERIFIED = [("cai2016", "pmid"), ("cai2016", "funding"), ("cai2016", "deaths"), ("protrans2023", "volume"),
              ("haller2013", "trial_registration"), ("haller2013", "funding"), ("carlsson2015", "doi"),
              ("carlsson2015", "pages"), ("carlsson2015", "funding"), ("hu2013t1d", "year"), ("hu2013t1d", "doi"),
              ("hu2013t1d", "pmid"), ("hu2013t1d", "trial_registration"), ("hu2013t1d", "funding"),
              ("izadi2022", "pmid"), ("prochymal_nct00690066", "doi"), ("prochymal_nct00690066", "pmid"),
              ("prochymal_nct00690066", "dose"), ("voltarelli2007", "journal"), ("couri2009", "adverse_events"),
              ("gu2012t1d", "journal"), ("cantu2016", "authors"), ("reichman2025", "trial_registration"),
              ("reichman2025", "authors"), ("shapiro2021", "journal"), ("zhang2020t1d", "pmid"),
              ("haller2009", "journal")]

# Every claim through the CLI's JSON: (verdict, effect, certainty).
VERDICTS = {
    "t1d-hu-quote": ("very_uncertain", "uncertain", "very_low"),
    "t1d-preserved": ("very_uncertain", "uncertain", "very_low"),
    "t1d-no-side-effects": ("very_uncertain", "uncertain", "very_low"),
    "t1d-conclusion": ("very_uncertain", "uncertain", "very_low"),
    "t1d-reverse": ("very_uncertain", "uncertain", "very_low"),
    "t1d-retaught": ("very_uncertain", "uncertain", "very_low"),
    "t1d-primary": ("very_uncertain", "uncertain", "very_low"),
    "t1d-percent": ("very_uncertain", "uncertain", "very_low"),
    "t1d-course": ("not_checkable", None, None),
    "t1d-2007": ("very_uncertain", "uncertain", "very_low"),
    "t1d-most-effective": ("not_checkable", None, None),
    "t1d-osiris": ("very_uncertain", "uncertain", "very_low"),
}

# Every Summary of Findings row: (outcome, comparison, time point) ->
# (participants, studies, certainty, effect, (measure, estimate, CI low, CI high) to 2 decimals or None).
SOF_ROWS = {
    ("c_peptide", "placebo_or_sham", "12 months"): (63, 1, "very_low", "uncertain", None),
    ("c_peptide", "placebo_or_sham", "24 months"): (29, 1, "very_low", "benefit", None),
    ("c_peptide", "placebo_or_sham", None): (None, 1, "very_low", "benefit", ("SMD", 0.93, 0.23, 1.63)),
    ("c_peptide", "usual_care", "1 year"): (42, 1, "very_low", "benefit", ("MD", 5.9, 1.94, 9.86)),
    ("hba1c", "placebo_or_sham", "1 year"): (30, 1, "very_low", "uncertain", None),
    ("hba1c", "placebo_or_sham", "24 months"): (29, 1, "very_low", "benefit", None),
    ("hba1c", "usual_care", "1 year"): (42, 1, "very_low", "benefit", ("MD", -1.3, -1.88, -0.72)),
    ("insulin_dose", "placebo_or_sham", "1 year"): (24, 1, "very_low", "benefit", None),
    ("insulin_dose", "usual_care", "1 year"): (42, 1, "very_low", "benefit", ("MD", -0.3, -0.42, -0.18)),
    ("insulin_independence", "usual_care", "1 year"): (53, 1, "very_low", "uncertain", ("RR", 6.75, 0.37, 124.61)),
    ("serious_adverse_events", "placebo_or_sham", "1 year"): (63, 1, "very_low", "uncertain", None),
}

PAGES = ["t1d-aaict", "t1d-calapai", "t1d-futurehealth", "t1d-nextcell-2020", "t1d-nextcell-obs", "t1d-diabetesite",
         "t1d-osiris"]
# our page id -> the fact sheet's page id, for the pages whose claims the sheet lists with `verbatim`
SHEET_PAGES = {"t1d-aaict": "t1d_aaict", "t1d-calapai": "t1d_calapai", "t1d-futurehealth": "t1d_futurehealth_zhao",
               "t1d-nextcell-2020": "t1d_nextcell_protrans", "t1d-nextcell-obs": "t1d_nextcell_protrans"}


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(SHIPPED, use_cache=False).dataset


def test_the_condition_its_alias_and_its_pages(data: Dataset) -> None:
    condition = next(c for c in data.conditions if c.id == "type-1-diabetes")
    assert (condition.name, condition.aliases) == ("Type 1 diabetes", ("t1d",))
    assert [p.id for p in data.pages if p.condition == "type-1-diabetes"] == PAGES
    assert {p.seen for p in data.pages if p.condition == "type-1-diabetes"} == {"2026-12-07"}
    assert [o.id for o in condition.outcomes] == ["c_peptide", "hba1c", "insulin_dose", "insulin_independence",
                                                  "severe_hypoglycaemia", "deaths", "serious_adverse_events"]
    assert all(o.threshold is None and o.threshold_note for o in condition.outcomes)
    assert [(o.id, o.surrogate) for o in condition.outcomes if o.surrogate] == [
        ("c_peptide", "severe hypoglycaemia and long-term diabetic complications"),
        ("hba1c", "long-term diabetic complications")]
    regulatory = next(p for p in condition.overview if p.topic == "regulatory")
    assert "Lantidra (donislecel)" in regulatory.text
    assert "It is not a stem-cell product." in regulatory.text
    for name in ("type-1-diabetes", "t1d"):
        result = run(name, "summary")
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("Type 1 diabetes: what the curated evidence shows")


def test_twenty_five_studies_by_design_each_with_an_identifier_or_a_note(data: Dataset) -> None:
    studies = studies_of(data, "type-1-diabetes")
    assert sorted(studies) == sorted([*RANDOMISED, *NON_RANDOMISED, *SINGLE_ARM, "penaforte2017", *REVIEWS])
    by_design = {sid: s.design for sid, s in studies.items()}
    assert {sid for sid, d in by_design.items() if d is Design.RANDOMISED_CONTROLLED_TRIAL} == set(RANDOMISED)
    assert {sid for sid, d in by_design.items() if d is Design.NON_RANDOMISED_CONTROLLED} == set(NON_RANDOMISED)
    assert {sid for sid, d in by_design.items() if d is Design.SINGLE_ARM} == set(SINGLE_ARM)
    assert by_design["penaforte2017"] is Design.RETROSPECTIVE_COHORT
    assert {sid for sid, d in by_design.items() if d is Design.SYSTEMATIC_REVIEW} == set(REVIEWS)
    for study in studies.values():
        has_id = study.doi.value is not None or study.pmid.value is not None
        assert has_id or bool(study.doi.note and study.pmid.note), study.id


def test_the_controlled_trials_sizes_arm_roles_and_comparators(data: Dataset) -> None:
    studies = studies_of(data, "type-1-diabetes")
    sizes = {sid: (studies[sid].participants.total, [(a.name, a.n, a.role.value if a.role else None)
                                                     for a in studies[sid].participants.arms],
                   studies[sid].comparator.value if studies[sid].comparator else None)
             for sid in (*RANDOMISED, *NON_RANDOMISED)}
    assert sizes == {
        "cai2016": (42, [("SCT (UC-MSC + aBM-MNC)", 21, "treated"), ("standard care", 21, "control")],
                    "usual_care"),
        "protrans2023": (24, [("ProTrans", 10, "treated"), ("placebo", 5, "control"),
                              ("dose-escalation cohorts (25, 100, 200 million cells; open)", 9, "other_treated")],
                         "placebo_or_sham"),
        "haller2013": (15, [("autologous UCB + vitamin D + DHA", 10, "treated"),
                            ("intensive diabetes management", 5, "control")], "usual_care"),
        "carlsson2015": (20, [("autologous BM-MSC + standard treatment", 10, "treated"),
                              ("standard treatment", 10, "control")], "usual_care"),
        "hu2013t1d": (29, [("group I: WJ-MSC", 15, "treated"), ("group II: normal saline", 14, "control")],
                      "placebo_or_sham"),
        "izadi2022": (21, [], "placebo_or_sham"),
        "prochymal_nct00690066": (63, [], "placebo_or_sham"),
        "ghodsi2012": (30, [("fetal liver cells", 13, "treated"), ("placebo", 17, "control")], "placebo_or_sham"),
        "lu2021t1d": (53, [("MSC-treated", 27, "treated"), ("standard care", 26, "control")], "usual_care"),
        "zhao2012": (15, [("Stem Cell Educator", 12, "treated"), ("Control Group", 3, "control")], "usual_care"),
    }
    products = {sid: s.product for sid, s in studies.items() if s.product}
    assert products == {"cai2016": "UC-MSC with bone-marrow cells", "protrans2023": "ProTrans",
                        "prochymal_nct00690066": "Prochymal", "zhao2012": "Stem Cell Educator",
                        "reichman2025": "zimislecel"}
    # arm sizes read only on a meta-analysis table are marked as such
    assert "Sun 2020's table" in studies["carlsson2015"].participants.note
    assert SUN_AIBT in studies["hu2013t1d"].participants.src


def test_cai_2016_arm_level_results_as_printed(data: Dataset) -> None:
    cai = studies_of(data, "type-1-diabetes")["cai2016"]
    mapped = [(r.outcome, r.timepoint, [(a.role.value if a.role else None, a.mean, a.sd) for a in r.arms])
              for r in cai.outcomes]
    assert mapped == [
        ("c_peptide", "1 year", [("treated", 13.6, 8.1), ("control", 7.7, 4.5)]),
        ("hba1c", "1 year", [("treated", 7.5, 1.0), ("control", 8.8, 0.9)]),
        ("insulin_dose", "1 year", [("treated", 0.6, 0.2), ("control", 0.9, 0.2)]),
        (None, "1 year", [("treated", 2205.5, 1194.0), ("control", 1431.7, 441.6)]),
        (None, "1 year", [("treated", 151.2, 22.1), ("control", 184.2, 34.3)]),
    ]
    # the printed forms keep the source's digits (1.0, not 1)
    assert cai.outcomes[1].arms[0].printed == {"mean": "7.5", "sd": "1.0"}
    assert cai.outcomes[0].reported.startswith("AUC C-Pep increased 105.7% (6.6 6 6.1 to 13.6 6 8.1 pmol/mL/180 min")
    assert "in 20 of 21 responders" in cai.outcomes[0].reported
    assert {r.src for r in cai.outcomes} == {(CAI_SCITE,)}
    assert (cai.risk_of_bias.level.value, [r.value for r in cai.risk_of_bias.reasons]) == (
        "high", ["open_label", "no_blinding"])


def test_protrans_sponsor_numbers_stay_in_words_and_never_count(data: Dataset) -> None:
    protrans = studies_of(data, "type-1-diabetes")["protrans2023"]
    c_peptide, insulin = protrans.outcomes
    assert (c_peptide.outcome, c_peptide.arms, c_peptide.estimate, c_peptide.finding, c_peptide.src) == (
        "c_peptide", (), None, None, (NEXTCELL_2020,))
    assert "from average 96 nmol/l x 120 min, [SD=34] at baseline to 85 nmol/l x 120 min" in c_peptide.reported
    assert "the arms started at 96 and 48" in c_peptide.note
    assert (insulin.outcome, insulin.finding.value, insulin.src) == ("insulin_dose", "favours_treatment",
                                                                     (PROTRANS_EDCHOICE,))
    assert (protrans.risk_of_bias.level.value, [r.value for r in protrans.risk_of_bias.reasons]) == (
        "high", ["manufacturer_funded"])
    result = run("type-1-diabetes", "sof", "--format", "json")
    assert result.exit_code == 0, result.stderr
    left = {(row["study"], row["measure"]): row["reason"] for row in json.loads(result.stdout)["left_out"]}
    assert left[("protrans2023", "C-peptide AUC (MMTT), change to 12 months (sponsor-reported)")] == (
        "reported in words only")


def test_the_null_and_the_words_only_trials_as_reported(data: Dataset) -> None:
    studies = studies_of(data, "type-1-diabetes")
    prochymal = studies["prochymal_nct00690066"].outcomes
    assert [(r.outcome, r.timepoint, r.finding.value if r.finding else None) for r in prochymal] == [
        ("c_peptide", "1 year", "no_difference"), ("serious_adverse_events", "1 year", "no_difference"),
        ("severe_hypoglycaemia", "1 year", None)]
    assert prochymal[0].reported == ("No significant differences in the rates of disease progression, as measured by "
                                     "stimulated C-peptide levels at the one year time point, have been observed.")
    assert {r.src for r in prochymal} == {(PROCHYMAL_NEWS,)}
    haller = studies["haller2013"].outcomes[0]
    assert (haller.finding.value, haller.indirect) == (
        "no_difference", "autologous umbilical cord blood with vitamin D and DHA, not mesenchymal stromal cells")
    assert "(P = .29)" in haller.reported
    carlsson = studies["carlsson2015"].outcomes[0]
    assert (carlsson.outcome, carlsson.finding.value, carlsson.src) == ("c_peptide", "favours_treatment",
                                                                        (CARLSSON_PUBMED,))
    hu = studies["hu2013t1d"].outcomes
    assert [(r.outcome, r.timepoint, r.finding.value, r.src) for r in hu] == [
        ("c_peptide", "24 months", "favours_treatment", (HU_ICHGCP,)),
        ("hba1c", "24 months", "favours_treatment", (HU_ICHGCP,))]
    # Izadi's sentences state no comparison: in words with no direction
    assert [(r.outcome, r.finding) for r in studies["izadi2022"].outcomes] == [
        ("c_peptide", None), ("hba1c", None), ("severe_hypoglycaemia", None)]
    ghodsi = studies["ghodsi2012"].outcomes
    assert [(r.outcome, r.finding.value if r.finding else None) for r in ghodsi] == [
        ("hba1c", "no_difference"), ("insulin_independence", None)]
    assert [(a.events, a.total) for a in ghodsi[1].arms] == [(0, 13), (0, 17)]
    assert ghodsi[1].src == (GHODSI_ACTA, SUN_AIBT)
    lu = studies["lu2021t1d"].outcomes[0]
    assert ([(a.role.value, a.events, a.total) for a in lu.arms], lu.src) == (
        [("treated", 3, 27), ("control", 0, 26)], (LU_SCRT,))


def test_harms_and_uncontrolled_signals(data: Dataset) -> None:
    studies = studies_of(data, "type-1-diabetes")
    assert [(h.kind.value, h.event, h.arm, h.count) for h in studies["snarski2016"].harms] == [
        ("death", "pseudomonas sepsis in the course of neutropenia after AHSCT", "AHSCT", 1)]
    assert [(h.kind.value, h.count) for h in studies["reichman2025"].harms] == [
        ("death", 1), ("death", 1), ("serious_adverse_event", 3)]
    assert {src for h in studies["reichman2025"].harms for src in h.src} == {VX880_RELIEF}
    signals = {sid: [(a.events, a.total) for r in studies[sid].outcomes if r.outcome == "insulin_independence"
                     for a in r.arms] for sid in ("couri2009", "snarski2016", "gu2012t1d", "cantu2016",
                                                  "reichman2025")}
    assert signals == {"couri2009": [(20, 23)], "snarski2016": [(4, 20)], "gu2012t1d": [(15, 28)],
                       "cantu2016": [(7, 16)], "reichman2025": [(10, 12)]}
    clusters = {c.id: (c.kind.value, c.studies) for c in data.conditions if c.id == "type-1-diabetes"
                for c in c.clusters}
    assert clusters == {"t1d-uppsala-protrans-group": ("same_group", ("carlsson2015", "protrans2023")),
                        "t1d-ribeirao-preto-ahst": ("serial_reports", ("voltarelli2007", "couri2009"))}


def test_the_reviews_pool_as_seen(data: Dataset) -> None:
    studies = studies_of(data, "type-1-diabetes")
    pooling = {sid: (studies[sid].pooling.comparison.value, studies[sid].pooling.includes,
                     studies[sid].pooling.participants) for sid in REVIEWS if studies[sid].pooling}
    assert pooling == {
        "sun2020t1d": ("randomised_arms", ("cai2016", "carlsson2015", "ghodsi2012", "hu2013t1d"), 396),
        "gan2018": ("randomised_arms", (), None),
        "madani2022": ("before_after", (), None),
        "scrt2021t1d": ("mixed", (), 239),
    }
    sun = [(r.outcome, r.estimate.metric, r.estimate.value, r.estimate.ci_low, r.estimate.ci_high)
           for r in studies["sun2020t1d"].outcomes]
    assert sun == [("hba1c", "MD", -1.20, -1.91, -0.49), ("c_peptide", "MD", 0.25, 0.04, 0.45),
                   ("c_peptide", "SMD", 0.66, 0.13, 1.18)]
    assert studies["sun2020t1d"].outcomes[0].estimate.printed["value"] == "-1.20"
    assert {r.src for r in studies["sun2020t1d"].outcomes} == {(SUN_PMC,)}
    gan = studies["gan2018"].outcomes[0]
    assert (gan.estimate.metric, gan.estimate.value, gan.estimate.ci_low, gan.estimate.ci_high) == (
        "SMD", 0.93, 0.23, 1.63)
    assert studies["madani2022"].outcomes == ()
    assert studies["zhang2020t1d"].outcomes == ()


@pytest.mark.parametrize(("key", "expected"), sorted(IDENTIFIERS.items()))
def test_key_identifiers_are_pinned_to_their_sources(data: Dataset, key: tuple[str, str],
                                                    expected: tuple[str, str]) -> None:
    assert_pinned(studies_of(data, "type-1-diabetes")[key[0]], key[1], expected)


@pytest.mark.parametrize("key", UNVERIFIED)
def test_values_the_fact_sheet_leaves_unverified_stay_null_with_a_note(data: Dataset, key: tuple[str, str]) -> None:
    assert_null_with_note(studies_of(data, "type-1-diabetes")[key[0]], key[1])


@needs_facts
def test_bibliographic_values_equal_the_fact_sheet(data: Dataset) -> None:
    sheet = {s["id"]: s["fields"] for s in fact_sheet(FACTS)["studies"]}
    compared = 0
    for ours, theirs in SHEET_IDS.items():
        study = studies_of(data, "type-1-diabetes")[ours]
        for field in ("title", "doi", "pmid", "pmcid"):
            value = getattr(study, field).value
            if value is None or field not in sheet[theirs]:
                continue
            assert str(value) in str(sheet[theirs][field]["value"]), f"{ours}.{field}"
            compared += 1
        # ProTrans's 24 are the sheet's '9 in the dose-escalation part ... + 15 randomised', summed
        if ours != "protrans2023" and "n_participants" in sheet[theirs]:
            assert str(study.participants.total) in str(sheet[theirs]["n_participants"]["value"]), ours
            compared += 1
    assert compared == COMPARED


@needs_facts
def test_every_claim_sentence_is_verbatim_as_the_fact_sheet_records_it(data: Dataset) -> None:
    sheet = fact_sheet(FACTS)
    pages = {p["id"]: p for p in sheet["pages"]}
    extra = {p["id"]: p for p in sheet["additional_pages"]}
    claims = [c for c in data.claims if c.id.startswith("t1d-")]
    recorded = {c["verbatim"] for sid in set(SHEET_PAGES.values()) for c in pages[sid]["claims"]}
    recorded |= {c["value"] for sid in ("t1d_diabetesite", "t1d_osiris") for c in extra[sid]["claims_verbatim"]}
    texts = {c.text for c in claims}
    assert texts <= recorded
    assert len(claims) == 12
    # the page's altered words are kept as the page prints them, and the abstract's own words as its conclusion
    conclusion = next(c for c in claims if c.id == "t1d-conclusion")
    assert "autologous MSC results in new-onset" in conclusion.text
    carlsson = studies_of(data, "type-1-diabetes")["carlsson2015"].conclusion
    assert (carlsson.status.value, "autologous MSC treatment in new-onset" in carlsson.text) == ("verified", True)


def test_verdicts_effects_and_certainties_through_the_cli() -> None:
    assert verdicts("type-1-diabetes") == VERDICTS


def test_every_summary_of_findings_row() -> None:
    assert sof_rows(command_json("t1d", "sof")) == SOF_ROWS


def test_the_c_peptide_claims_are_answered_on_cai_2016_and_rated_down_for_each_domain() -> None:
    result = run("t1d", "claim", "t1d-hu-quote", "--format", "json")
    assert result.exit_code == 0, result.stderr
    claim = json.loads(result.stdout)["claim"]
    answers = {o["outcome"]: (o["studies"], o["start"], [(d["domain"], d["levels"]) for d in o["domains"]])
               for o in claim["outcomes"]}
    levels = [("risk_of_bias", 2), ("inconsistency", 0), ("indirectness", 1), ("imprecision", 1),
              ("publication_bias", 1)]
    assert answers == {"c_peptide": (["cai2016"], "high", levels), "hba1c": (["cai2016"], "high", levels)}
    # the ProTrans claim names its product and placebo: its own numbers are not an estimate, so the
    # placebo-controlled rows answer it, each a vote of a trial reported in words
    primary = json.loads(run("t1d", "claim", "t1d-primary", "--format", "json").stdout)["claim"]["outcomes"][0]
    assert (primary["comparison"], primary["timepoint"], primary["estimate"]) == ("placebo_or_sham", "24 months",
                                                                                   None)


def test_sponsor_and_citation_traps_are_recorded(data: Dataset) -> None:
    issues = {i.id: i for i in data.citation_issues if i.claim.startswith("t1d-")}
    assert sorted((i.claim, i.kind.value) for i in issues.values()) == [
        ("t1d-2007", "source_partly_supports_claim"),
        ("t1d-conclusion", "quote_not_found"),
        ("t1d-course", "source_partly_supports_claim"),
        ("t1d-hu-quote", "source_partly_supports_claim"),
        ("t1d-no-side-effects", "quote_not_found"),
        ("t1d-osiris", "source_contradicts_claim"),
        ("t1d-percent", "misdescribed_result"),
        ("t1d-preserved", "source_partly_supports_claim"),
        ("t1d-primary", "source_partly_supports_claim"),
        ("t1d-reverse", "misdescribed_result"),
    ]
    assert "(48 vs 96 nmol/l x 120 min)" in issues["issue-t1d-nextcell-baselines"].summary
    reverse = next(c for c in data.claims if c.id == "t1d-reverse")
    assert ([link.study for link in reverse.contrast], reverse.product) == (["zhao2012"], "Stem Cell Educator")


def test_registered_trials(data: Dataset) -> None:
    trials = {t.id: (t.published_as, t.results_posted) for t in data.trials if t.condition == "type-1-diabetes"}
    assert trials == {
        "NCT00690066": (None, False), "NCT02057211": (None, False), "NCT01068951": ("carlsson2015", None),
        "NCT01374854": ("cai2016", False), "NCT00315133": ("voltarelli2007", False), "NCT03973827": (None, False),
        "NCT03406585": ("protrans2023", None), "NCT05061030": (None, None), "NCT01219465": (None, False),
        "NCT01143168": (None, False), "NCT06407297": (None, None), "NCT04061746": (None, None),
    }
    prochymal = next(t for t in data.trials if t.id == "NCT00690066")
    assert (prochymal.status, prochymal.enrollment) == ("Completed (completion 2011-12-19)", "63")


def test_the_summary_keeps_its_table_at_80_columns() -> None:
    lines = run("t1d", "summary", env={"STEMCELL_FORCE_TTY": "80"}).stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0] == "Type 1 diabetes: what the curated evidence shows"
    assert sum(line.startswith(" t1d-") for line in lines) == 12


def test_the_data_file_validates_with_the_three_claims_nothing_supports() -> None:
    assert validate_warnings("t1d-") == ["claim 't1d-reverse' has no supporting study",
                                         "claim 't1d-most-effective' has no supporting study",
                                         "claim 't1d-osiris' has no supporting study"]


