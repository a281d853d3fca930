"""The shipped dataset: loads clean, references resolve, identifiers match the fact sheet, page text verbatim."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from stemcell_cli.loading import load
from stemcell_cli.model import ClaimKind, Dataset, Design, Direction

from .conftest import ROOT, SHIPPED, run
from .reliability.helpers import squash, table_cells

SHARED = ROOT.parent / "shared"
FACTS = SHARED / "evidence" / "lupus_msc_facts.yaml"
SEED = SHARED / "seeds" / "000_f725b914bc6b0e9a.txt"
CITED = ["zhou2020", "wang2018", "wen2019", "deng2017", "bai2017"]
needs_shared = pytest.mark.skipif(not FACTS.is_file(), reason="the shared evidence folder is not beside the repo")


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(SHIPPED, use_cache=False).dataset


def _facts() -> dict[str, Any]:
    with FACTS.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.load(handle, Loader=yaml.SafeLoader)
    return {s["id"]: s for s in loaded["studies"]}


def test_shipped_data_loads_with_lupus_and_its_alias(data: Dataset) -> None:
    assert [(c.id, c.name, c.aliases) for c in data.conditions] == [
        ("lupus", "Systemic lupus erythematosus", ("sle",))]
    assert {p.topic for p in data.conditions[0].overview} == {
        "what_it_is", "organs", "kidney_involvement", "standard_of_care"}
    assert all(p.src for p in data.conditions[0].overview)


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


def test_page_has_four_benefit_claims_and_five_quoted_conclusions(data: Dataset) -> None:
    kinds = [c.kind for c in data.claims]
    assert kinds.count(ClaimKind.BENEFIT) == 4
    assert kinds.count(ClaimKind.QUOTED_CONCLUSION) == 5


@pytest.mark.skipif(not SEED.is_file(), reason="the shared seed page is not beside the repo")
def test_claim_texts_and_citations_are_verbatim_from_the_page(data: Dataset) -> None:
    page = SEED.read_text(encoding="utf-8")
    for claim in data.claims:
        # The whole bullet: a shortened text or a changed citation would not be found.
        quoted = claim.text if claim.kind is ClaimKind.BENEFIT else f"“{claim.text}”"
        assert f"• {quoted} ({claim.cited_as})" in page, claim.id


@needs_shared
@pytest.mark.parametrize("field", ["title", "journal", "year", "volume", "issue", "pages", "article_number", "doi",
                                   "pmid", "pmcid", "trial_registration"])
def test_bibliographic_values_equal_the_fact_sheet(data: Dataset, field: str) -> None:
    facts = _facts()
    for study in data.studies:
        sheet = facts[study.id if study.id != "scrt2025" else "scrt2025_metaanalysis"]["fields"].get(field)
        ours = getattr(study, field).value
        if ours is None:
            continue
        assert sheet is not None, f"{study.id}.{field} is not in the fact sheet"
        assert sheet.get("value") is not None, f"{study.id}.{field} has no source value"
        assert str(ours) == str(sheet["value"]), f"{study.id}.{field}: {ours!r} vs {sheet['value']!r}"


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
    first = table_cells(table)[1]
    assert first[:3] == ["Deng 2017", "RCT", "18"]
    assert squash(first[3]).startswith(squash("sledai: " + finding))


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
                    "effect over and above standard immunosuppression. | contradicts | ⊕◯◯◯ very low |"]


def test_citation_issues_cover_the_known_traps(data: Dataset) -> None:
    kinds = sorted((i.claim, i.kind.value, i.study or "") for i in data.citation_issues)
    assert kinds == [
        ("conclusion_bai2017", "author_mismatch", "bai2017"),
        ("conclusion_bai2017", "quote_unconfirmed", "bai2017"),
        ("conclusion_wang2018", "quote_not_found", "wang2018"),
        ("conclusion_wen2019", "misdescribed_result", "wen2019"),
        ("conclusion_zhou2020", "internal_inconsistency", "zhou2020"),
        ("conclusion_zhou2020", "quote_unconfirmed", "zhou2020"),
        ("kidney", "source_contradicts_claim", "zhou2020"),
        ("long_term", "author_mismatch", "bai2017"),
        ("safety", "author_mismatch", "bai2017"),
        ("safety", "negative_study_cited_as_support", "deng2017"),
        ("sledai", "source_contradicts_claim", "zhou2020"),
    ]


def test_wang_2018_journal_figures_are_not_mixed_with_the_conference_denominator(data: Dataset) -> None:
    wang = next(s for s in data.studies if s.id == "wang2018")
    totals = {arm.total for o in wang.outcomes for arm in o.arms if arm.total is not None}
    assert totals == {81, 37}  # 37: relapses among the 37 in remission (journal abstract)


def test_unknown_years_sort_last_within_a_design() -> None:
    result = run("lupus", "studies", "--sort", "design", "--format", "csv", "--data", str(SHIPPED))
    rows = [line.split(",")[:3] for line in result.stdout.splitlines()[1:5]]
    assert [(study, year) for study, _label, year in rows] == [
        ("zhou2020", "2020"), ("zeng2022", "2022"), ("scrt2025", "2025"), ("xia2023", "")]
