"""Finding citations and claims in page text: every form the issue lists, each with its span; any text is safe."""

from __future__ import annotations

import functools

from hypothesis import given, settings
from hypothesis import strategies as st

from stemcell_cli import api
from stemcell_cli.model import Dataset
from stemcell_cli.pages.citations import find_citations
from stemcell_cli.pages.claims import find_claims
from stemcell_cli.pages.names import Gazetteer, gazetteer, lower_keeping_offsets


@functools.cache
def _data() -> Dataset:
    return api.load().dataset


@functools.cache
def _names(condition: str) -> Gazetteer:
    data = _data()
    return gazetteer([s for s in data.studies if s.condition == condition],
                     [t for t in data.trials if t.condition == condition])


def _found(text: str, condition: str = "lupus") -> list[tuple[str, tuple[str, ...]]]:
    return [(text[m.start:m.end], tuple(k.value for k in m.kinds)) for m in find_citations(text, _names(condition))]


def test_author_year_forms_with_initials_lists_and_no_year() -> None:
    text = "As shown (Zhou et al, Wang et al; Deng, D 2017; Ru B et al 2017) and by Liang J. et al. (2010)."
    assert _found(text) == [("Zhou et al", ("author_year",)), ("Wang et al", ("author_year",)),
                            ("Deng, D 2017", ("author_year",)), ("Ru B et al 2017", ("author_year",)),
                            ("Liang J. et al. (2010)", ("author_year",))]


def test_a_sentence_start_or_a_place_before_a_year_is_no_author() -> None:
    assert _found("In 2017 the clinic opened. Professor at UC San Francisco (2014). Since 2019, more.") == []


def test_numbered_markers_point_at_their_reference_list_entries() -> None:
    text = ("MSC therapy lowered SLEDAI [1] and proteinuria (2-3).\n\nReferences\n"
            "1. Deng D, Zhang P, Guo Y, et al. A randomised double-blind, placebo-controlled trial. Ann Rheum Dis. "
            "2017.\n2. Wang D et al. Stem Cell Reports 2018. doi:10.1016/j.stemcr.2018.01.029\n"
            "3. Smith J. Unknown paper. 2020.\n")
    found = find_citations(text, _names("lupus"))
    markers = [m for m in found if m.numbers]
    assert [(text[m.start:m.end], m.numbers) for m in markers] == [("[1]", (1,)), ("(2-3)", (2, 3))]
    entries = [m for m in found if m.number is not None]
    assert [(m.number, m.surnames, m.year, m.doi) for m in entries] == [
        (1, ("Deng",), 2017, None), (2, ("Wang",), 2018, "10.1016/j.stemcr.2018.01.029"), (3, ("Smith",), 2020, None)]


def test_identifiers_trials_products_journals_and_institutions() -> None:
    text = ("See the DREAM-HF randomized controlled Phase 3 trial.\nIt tested rexlemestrocel-L.\nSee NCT02032004.\n"
            "See doi: 10.1016/j.jacc.2022.11.061.\nSee PMID: 36858705.\nAs published in the Journal of the American "
            "College of Cardiology.\nMayo Clinic researchers reported it in 2023.")
    assert _found(text, "heart-failure") == [
        ("DREAM-HF randomized controlled Phase 3", ("trial",)), ("rexlemestrocel-L", ("product",)),
        ("NCT02032004", ("registry",)), ("10.1016/j.jacc.2022.11.061", ("doi",)), ("PMID: 36858705", ("pmid",)),
        ("Journal of the American College of Cardiology", ("journal",)), ("Mayo Clinic", ("institution",)),
    ]


def test_parts_of_one_citation_close_together_are_one_citation() -> None:
    text = "A new study in Circulation Research by the American Heart Association shows it."
    assert _found(text, "heart-failure") == [
        ("Circulation Research by the American Heart Association", ("journal", "institution"))]


def test_a_quoted_title_is_found_by_its_words() -> None:
    text = "“nurown phase 2 randomized clinical trial in als: safety, clinical and biomarker results,” in neurology"
    assert _found(text, "amyotrophic-lateral-sclerosis") == [
        ("nurown phase 2 randomized clinical trial in als: safety, clinical and biomarker results", ("title",))]


def test_claims_are_sentences_bullets_and_quoted_conclusions() -> None:
    text = ("Lupus is an autoimmune disease. Stem cell therapy is safe and effective.\n"
            "  • MSC therapy improved SLEDAI (Zhou et al)\n"
            "“MSCs might be a promising therapeutic agent for patients with SLE.” (Zhou, T et al 2020)\n"
            "Contact us to book. Is it safe for me?\n")
    assert [text[c.start:c.end] for c in find_claims(text)] == [
        "Stem cell therapy is safe and effective.", "MSC therapy improved SLEDAI (Zhou et al)",
        "MSCs might be a promising therapeutic agent for patients with SLE."]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ZhouWang, D.et al(2017)[1-3]“”\"\n NCT0123456789 Phase II/ "
                                             "References\n1. Dr Mayo Clinic lupus SLE improved safe")),
               max_size=400))
def test_any_text_gives_spans_inside_the_page_in_order(text: str) -> None:
    found = find_citations(text, _names("lupus"))
    assert all(0 <= m.start < m.end <= len(text) for m in found)
    assert [m.start for m in found] == sorted(m.start for m in found)
    for claim in find_claims(text):
        assert 0 <= claim.start < claim.end <= len(text)
        assert text[claim.start:claim.end] == text[claim.start:claim.end].strip()


def test_claims_keep_their_offsets_and_words_when_lower_case_changes_a_letter() -> None:
    # The claim patterns read a lower-case copy of the page. İ lowers to two characters, which would shift every
    # offset after it, and the Kelvin sign to an ASCII k, which would make "click here" of a word the page lacks.
    text = ("İİİİİİİİİİİİİİİİİİİİİİİİİİİİİİİİ clinic.\nOur parking is free and easy.\n"
            "Stem cell therapy is safe, clic\u212a here.\n")
    assert [text[c.start:c.end] for c in find_claims(text)] == ["Stem cell therapy is safe, clic\u212a here."]
    assert lower_keeping_offsets("İ \u212a A É Ж") == "İ \u212a a é ж"
    assert lower_keeping_offsets("ÉTUDE SAFE") == "étude safe"
