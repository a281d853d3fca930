"""The shipped dataset: loads clean, references resolve, identifiers match the fact sheet, page text verbatim."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
import yaml

from stemcell_cli.loading import load
from stemcell_cli.loading.slices import narrowed
from stemcell_cli.model import ClaimKind, Dataset, Design, Direction

from .conftest import ROOT, SHIPPED, run
from .reliability.helpers import squash

SHARED = ROOT.parent / "shared"
FACTS = SHARED / "evidence" / "lupus_msc_facts.yaml"
SEED = SHARED / "seeds" / "000_f725b914bc6b0e9a.txt"
CITED = ["zhou2020", "wang2018", "wen2019", "deng2017", "bai2017"]
needs_shared = pytest.mark.skipif(not FACTS.is_file(), reason="the shared evidence folder is not beside the repo")


@pytest.fixture(scope="module")
def everything() -> Dataset:
    return load(SHIPPED, use_cache=False).dataset


@pytest.fixture(scope="module")
def data(everything: Dataset) -> Dataset:
    """The lupus records (this file pins the lupus curation; each other condition has its own test file)."""
    return narrowed(everything, "lupus")


def _facts() -> dict[str, Any]:
    with FACTS.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.load(handle, Loader=yaml.SafeLoader)
    return {s["id"]: s for s in loaded["studies"]}


def test_shipped_data_has_its_conditions_with_their_aliases(data: Dataset) -> None:
    assert [(c.id, c.aliases) for c in data.conditions] == [
        ("lupus", ("sle",)), ("knee-osteoarthritis", ("knee-oa", "koa")), ("amyotrophic-lateral-sclerosis", ("als",)),
        ("multiple-sclerosis", ("ms",)), ("heart-failure", ("hf",)), ("type-1-diabetes", ("t1d",)),
        ("parkinsons", ("pd",)), ("stroke", ()), ("crohns", ("crohns-disease",)), ("rheumatoid-arthritis", ("ra",))]
    lupus = data.conditions[0]
    assert lupus.name == "Systemic lupus erythematosus"
    assert {p.topic for p in lupus.overview} == {"what_it_is", "organs", "kidney_involvement", "standard_of_care"}
    assert all(p.src for c in data.conditions for p in c.overview)


def test_every_condition_holds_the_shipped_data_invariants(everything: Dataset) -> None:
    studies = {s.id for s in everything.studies}
    claims = {c.id for c in everything.claims}
    secondary = {s.url for s in everything.secondary_sources}
    for condition in everything.conditions:
        mine = [s for s in everything.studies if s.condition == condition.id]
        assert len(mine) >= 6, condition.id
        assert any(s.design is Design.RANDOMISED_CONTROLLED_TRIAL for s in mine), condition.id
        for study in mine:
            assert study.doi.value or study.pmid.value or study.doi.note or study.pmid.note, study.id
            assert study.source_note or any(url not in secondary for url in study.source_urls()), study.id
    for claim in everything.claims:
        assert set(claim.cites) <= studies, claim.id
        assert {link.study for link in claim.support + claim.contrast} <= studies, claim.id
        assert set(claim.rests_on) <= claims, claim.id
    assert {i.claim for i in everything.citation_issues} <= claims
    result = run("validate", str(SHIPPED))
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (0, f"{SHIPPED}: 0 errors, 23 warnings")


def test_the_five_cited_studies_are_present_and_unreliable_ones_left_out(data: Dataset) -> None:
    ids = [s.id for s in data.studies]
    assert set(CITED) <= set(ids)
    assert not {"sun2010", "zhou2020animal", "bioscmed_secretome_metaanalysis"} & set(ids)
    assert next(s for s in data.studies if s.id == "bai2017").cited_as == "Ru B et al 2017"


def test_every_claim_reference_resolves(data: Dataset) -> None:
    studies = {s.id for s in data.studies}
    for claim in data.claims:
        assert set(claim.cites) <= studies, claim.id
        assert {link.study for link in claim.support + claim.contrast} <= studies, claim.id
    claims = {c.id for c in data.claims}
    assert {i.claim for i in data.citation_issues} <= claims


def test_each_study_has_a_doi_or_pmid_or_a_note_saying_why_not(data: Dataset) -> None:
    for study in data.studies:
        assert study.doi.value or study.pmid.value or study.doi.note or study.pmid.note, study.id


def test_page_has_two_headlines_four_benefit_claims_and_five_quoted_conclusions(data: Dataset) -> None:
    kinds = [c.kind for c in data.claims]
    assert kinds.count(ClaimKind.HEADLINE) == 2
    assert kinds.count(ClaimKind.BENEFIT) == 4
    assert kinds.count(ClaimKind.QUOTED_CONCLUSION) == 5


@pytest.mark.skipif(not SEED.is_file(), reason="the shared seed page is not beside the repo")
def test_claim_texts_and_citations_are_verbatim_from_the_page(data: Dataset) -> None:
    page = SEED.read_text(encoding="utf-8")
    for claim in data.claims:
        if claim.kind is ClaimKind.HEADLINE:
            # A headline is a whole sentence of the page's prose, ending a paragraph or followed by another.
            assert re.search(rf"(^|\n|\. ){re.escape(claim.text)}(\n| )", page), claim.id
            continue
        # The whole bullet: a shortened text or a changed citation would not be found.
        quoted = claim.text if claim.kind is ClaimKind.BENEFIT else f"“{claim.text}”"
        assert f"• {quoted} ({claim.cited_as})" in page, claim.id


BIBLIOGRAPHIC = ["title", "journal", "year", "volume", "issue", "pages", "article_number", "doi", "pmid", "pmcid",
                 "trial_registration"]
# Values confirmed after the fact sheet (by the data audit or the curation that followed it): each with the value
# and the page it was read from, as recorded in the data.
LIU = "http://xuebao.bjmu.edu.cn/EN/10.19723/j.issn.1671-167X.2018.06.013"
WANG17 = "http://link.springer.com/article/10.1007%2Fs10238-016-0427-0"
RANJBAR = "https://profdoc.um.ac.ir/paper-abstract-1088114.html"
BAO = "http://58.192.131.136/article/doi/10.7619/jcmp.20230609?viewType=HTML"
AFTER_AUDIT: dict[tuple[str, str], tuple[str, str]] = {
    ("gu2014", "volume"): ("33", "http://120.26.44.124:3004/details/1/933674402"),
    # The journal's page prints these without the fact sheet's spaces and bracketed romanisation.
    ("liu2018", "title"): ("Efficacy of mesenchymal stem cells on systemic lupus erythematosus:a meta-analysis", LIU),
    ("liu2018", "journal"): ("Journal of Peking University(Health Sciences)", LIU),
    ("wang2017safety", "title"): ("Long-term safety of umbilical cord mesenchymal stem cells transplantation for "
                                  "systemic lupus erythematosus: a 6-year follow-up study", WANG17),
    ("wang2017safety", "journal"): ("Clinical and Experimental Medicine", WANG17),
    ("wang2017safety", "year"): ("2017", "http://120.26.44.124:3004/details/1/933138031/2/5"),
    ("wang2017safety", "volume"): ("17", "http://120.26.44.124:3004/details/1/933138031/2/5"),
    ("wang2017safety", "doi"): ("10.1007/s10238-016-0427-0", WANG17),
    ("ranjbar2022", "title"): ("Allogeneic adipose-derived mesenchymal stromal cell transplantation for refractory "
                               "lupus nephritis: Results of a phase I clinical trial", RANJBAR),
    ("ranjbar2022", "journal"): ("Current Research in Translational Medicine", RANJBAR),
    ("ranjbar2022", "year"): ("2022", RANJBAR),
    ("ranjbar2022", "volume"): ("70", RANJBAR),
    ("ranjbar2022", "issue"): ("2", RANJBAR),
    ("ranjbar2022", "pages"): ("103324-103333", RANJBAR),
    ("bao2023", "title"): ("Long-term prognosis analysis of umbilical cord mesenchymal stem cell transplantation in "
                           "treating refractory lupus nephritis", BAO),
    ("bao2023", "journal"): ("Journal of Clinical Medicine in Practice", BAO),
    ("bao2023", "year"): ("2023", BAO),
    ("bao2023", "volume"): ("27", BAO),
    ("bao2023", "issue"): ("10", BAO),
    ("bao2023", "pages"): ("1-5, 20", BAO),
    ("bao2023", "doi"): ("10.7619/jcmp.20230609", BAO),
}


@needs_shared
@pytest.mark.parametrize("field", BIBLIOGRAPHIC)
def test_bibliographic_values_equal_the_fact_sheet_or_a_recorded_correction(data: Dataset, field: str) -> None:
    facts = _facts()
    for study in data.studies:
        ours = getattr(study, field).value
        if ours is None:
            continue
        if (study.id, field) in AFTER_AUDIT:
            value, url = AFTER_AUDIT[(study.id, field)]
            assert (str(ours), url in getattr(study, field).src) == (value, True), f"{study.id}.{field}"
            continue
        entry = facts.get(study.id if study.id != "scrt2025" else "scrt2025_metaanalysis")
        assert entry is not None, f"{study.id}.{field} is neither in the fact sheet nor a recorded correction"
        sheet = entry["fields"].get(field)
        assert sheet is not None, f"{study.id}.{field} is not in the fact sheet"
        assert sheet.get("value") is not None, f"{study.id}.{field} has no source value"
        assert str(ours) == str(sheet["value"]), f"{study.id}.{field}: {ours!r} vs {sheet['value']!r}"


def test_the_audit_corrections_hold_with_their_sources(data: Dataset) -> None:
    by_id = {s.id: s for s in data.studies}
    deng, gu, kamen, scrt = by_id["deng2017"], by_id["gu2014"], by_id["kamen2022"], by_id["scrt2025"]
    assert (deng.country.value, deng.country.src) == ("China", ("http://mymedr.afpm.org.my/publications/51528",))
    assert (gu.volume.value, gu.volume.src) == ("33", ("http://120.26.44.124:3004/details/1/933674402",))
    gfr = next(o for o in gu.outcomes if o.measure.startswith("GFR"))
    assert (gfr.timepoint, [a.arm for a in gfr.arms]) == ("12 months", ["baseline", "12 months"])
    assert (kamen.direction, kamen.follow_up.value) == (Direction.SAFETY_ONLY, None)
    assert [o.timepoint for o in kamen.outcomes] == [None] * len(kamen.outcomes)
    assert scrt.authors.value == ("Liuting Zeng", "Chang Liu", "Yang Wu", "Shuman Liu", "Yaru Zheng", "Wensa Hao",
                                  "Dandan Wang", "Lingyun Sun")
    assert scrt.authors.src == ("https://cdn.suppr.wilddata.cn/browses/detail/pubmed/39934871",
                                "https://booksci.cn/literature/143400049.htm")
    irct = next(t for t in data.trials if t.registry == "IRCT")
    assert (irct.id, irct.src) == ("IRCT2016090729747N1", ("https://irct.behdasht.gov.ir/trial/23832",))


def test_deaths_of_unstated_or_unrelated_cause_are_read_the_same_way_in_every_study(data: Dataset) -> None:
    by_id = {s.id: s for s in data.studies}
    deaths = {sid: [(h.count, h.attribution.value) for h in by_id[sid].harms if h.kind.value == "death"]
              for sid in ("deng2017", "wang2013", "wang2014", "wang2018")}
    assert deaths == {"deng2017": [(1, "not_stated")], "wang2013": [(5, "unrelated")],
                      "wang2014": [(3, "unrelated")], "wang2018": [(13, "not_stated")]}
    safety = next(c for c in data.claims if c.id == "safety")
    assert [link.study for link in safety.contrast] == ["deng2017"]
    wang14 = next(link.finding for link in safety.support if link.study == "wang2014")
    assert "Table 2 lists 3 deaths (days 7, 192 and 256)" in wang14
    assert "3 herpesvirus infections and 1 tuberculosis infection" in wang14


def test_the_four_unfair_citation_issues_are_restated(data: Dataset) -> None:
    issues = {i.id: i for i in data.citation_issues}
    assert issues["issue-zhou2020-sledai-contradicts"].kind.value == "source_partly_supports_claim"
    assert issues["issue-zhou2020-kidney-contradicts"].kind.value == "source_partly_supports_claim"
    assert "-2.00 (-3.81, -0.19), p=0.03" in issues["issue-zhou2020-kidney-contradicts"].summary
    assert issues["issue-wen2019-projecting"].kind.value == "quote_unconfirmed"
    assert "unconfirmed, not disproved" in issues["issue-wen2019-projecting"].summary
    assert "relieves kidney damage (减轻肾脏损伤)" in issues["issue-bai2017-quote-wording"].summary
    deng = issues["issue-deng2017-safety"].summary
    assert "on placebo one patient had a stroke and another ascites" in deng
    assert "not for a safety reason" in deng


def test_deng_2017_is_the_negative_double_blind_trial(data: Dataset) -> None:
    deng = next(s for s in data.studies if s.id == "deng2017")
    assert (deng.design, deng.direction) == (Design.RANDOMISED_CONTROLLED_TRIAL, Direction.NO_BENEFIT)
    assert (deng.doi.value, deng.pmid.value, deng.trial_registration.value) == (
        "10.1136/annrheumdis-2017-211073", "28478399", "NCT01539902")
    assert deng.participants.total == 18
    assert deng.conclusion.text == (
        "hUC-MSC has no apparent additional effect over and above standard immunosuppression.")


def test_deng_json_gives_remission_9_of_12_with_msc_and_5_of_6_with_placebo() -> None:
    result = run("lupus", "study", "deng2017", "--format", "json", "--data", str(SHIPPED))
    assert result.exit_code == 0, result.stderr
    outcomes = json.loads(result.stdout)["study"]["outcomes"]
    remission = next(o for o in outcomes if o["measure"].lower().startswith("remission"))
    arms = {a["arm"]: (a["events"], a["total"]) for a in remission["arms"]}
    assert sorted(arms.values()) == [(5, 6), (9, 12)]
    assert arms[next(a for a in arms if "MSC" in a)] == (9, 12)
    assert arms[next(a for a in arms if "placebo" in a.lower())] == (5, 6)


def test_contrasts_list_deng_2017_first_with_its_numbers() -> None:
    result = run("lupus", "contrasts", "--format", "json", "--data", str(SHIPPED))
    payload = json.loads(result.stdout)
    assert [c["study"]["id"] for c in payload["contrasts"]][:2] == ["deng2017", "carrion2010"]
    table = run("sle", "contrasts", "--data", str(SHIPPED)).stdout
    finding = payload["contrasts"][0]["claims"][0]["finding"]
    assert finding.startswith("Double-blind placebo RCT (n=18): Remission 9/12 (75%) with hUC-MSC vs 5/6 (83%) with "
                              "placebo;")
    # At 100 columns the rows take fewer lines one field per line than in a grid of narrow columns.
    lines = table.splitlines()
    start = lines.index("Study: Deng 2017")
    assert lines[start + 1:start + 3] == ["Design: RCT", "n: 18"]
    assert squash(" ".join(lines[start + 3:start + 8])).startswith(squash("What it found: sledai: " + finding))


def test_the_summary_gives_deng_2017_as_the_key_controlled_evidence_with_its_numbers() -> None:
    payload = json.loads(run("lupus", "summary", "--format", "json", "--data", str(SHIPPED)).stdout)
    (key,) = payload["key_evidence"]
    assert (key["study"]["id"], key["study"]["n"]) == ("deng2017", 18)
    assert key["result"] == ("Remission occurred in 9 of 12 patients (75%) in the hUC-MSC group and 5 of 6 patients "
                             "(83%) in the placebo group.")
    assert key["conclusion"] == "hUC-MSC has no apparent additional effect over and above standard immunosuppression."


def test_the_summary_marks_the_claim_that_asserts_no_added_benefit() -> None:
    rows = [line for line in run("lupus", "summary", "-f", "markdown").stdout.splitlines() if "[claim: " in line]
    assert rows == ["| conclusion\\_deng2017 | \\[claim: no added benefit\\] hUC-MSC has no apparent additional "
                    "effect over and above standard immunosuppression. | very uncertain | ⊕◯◯◯ very low |"]


def test_citation_issues_cover_the_known_traps(data: Dataset) -> None:
    kinds = sorted((i.claim, i.kind.value, i.study or "") for i in data.citation_issues)
    assert kinds == [
        ("conclusion_bai2017", "author_mismatch", "bai2017"),
        ("conclusion_bai2017", "quote_unconfirmed", "bai2017"),
        ("conclusion_wang2018", "quote_not_found", "wang2018"),
        ("conclusion_wen2019", "quote_unconfirmed", "wen2019"),
        ("conclusion_zhou2020", "internal_inconsistency", "zhou2020"),
        ("conclusion_zhou2020", "quote_unconfirmed", "zhou2020"),
        ("kidney", "source_partly_supports_claim", "zhou2020"),
        ("long_term", "author_mismatch", "bai2017"),
        ("safety", "author_mismatch", "bai2017"),
        ("safety", "negative_study_cited_as_support", "deng2017"),
        ("sledai", "source_partly_supports_claim", "zhou2020"),
    ]


def test_wang_2018_journal_figures_are_not_mixed_with_the_conference_denominator(data: Dataset) -> None:
    wang = next(s for s in data.studies if s.id == "wang2018")
    totals = {arm.total for o in wang.outcomes for arm in o.arms if arm.total is not None}
    assert totals == {81, 37}  # 37: relapses among the 37 in remission (journal abstract)


def test_unknown_years_sort_last_within_a_design() -> None:
    result = run("lupus", "studies", "--sort", "design", "--format", "csv", "--data", str(SHIPPED))
    rows = [line.split(",")[:3] for line in result.stdout.splitlines()[1:6]]
    assert [(study, year) for study, _label, year in rows] == [
        ("liu2018", "2018"), ("zhou2020", "2020"), ("zeng2022", "2022"), ("scrt2025", "2025"), ("xia2023", "")]


def test_every_study_has_a_canonical_source_or_says_why_not(data: Dataset) -> None:
    secondary = {s.url for s in data.secondary_sources}
    without = sorted(s.id for s in data.studies if all(url in secondary for url in s.source_urls()))
    assert without == ["bao2023", "barbado2018", "carrion2010", "farge2025", "gu2014", "liang2010", "ranjbar2022",
                       "scrt2025", "wang2013", "xia2023"]
    assert all(next(s for s in data.studies if s.id == sid).source_note for sid in without)


def test_the_study_view_marks_secondary_pages_in_every_format() -> None:
    url = ("https://www.stemcell.co.nz/allogenic-mesenchymal-stem-cells-transplantation-in-refractory-systemic-lupus-"
           "erythematosus-a-pilot-clinical-study/")
    payload = json.loads(run("lupus", "study", "liang2010", "-f", "json").stdout)
    assert {"url": url, "kind": "vendor", "note": "a cell-therapy company's page reproducing the abstract"} in (
        payload["secondary_sources"])
    assert payload["study"]["source_note"] == ("No journal or PubMed page was seen: the abstract was read on a "
                                               "cell-therapy company's page and an aggregator.")
    rows = list(csv.DictReader(io.StringIO(run("lupus", "study", "liang2010", "-f", "csv").stdout)))
    title = next(r for r in rows if r["field"] == "title")
    assert title["secondary_src"] == f"vendor:{url} aggregator:https://peeref.com/works/6892378"
    markdown = run("lupus", "study", "liang2010", "-f", "markdown").stdout
    assert f"<{url}> (secondary: vendor)" in markdown
