"""Resolving citations to curated studies: by any author (inverted names too), year, title, journal, trial,
registry id, DOI or PMID; ambiguous with candidates when several fit or the parts disagree; never a silent guess."""

from __future__ import annotations

import functools

import pytest

from stemcell_cli.evidence.citation_matching import Matcher, Resolution, settle_short_citations
from stemcell_cli.loading import load
from stemcell_cli.model import Dataset
from stemcell_cli.pages.citations import find_citations
from stemcell_cli.pages.names import gazetteer
from stemcell_cli.pages.records import Mention, MentionKind


@functools.cache
def _data() -> Dataset:
    return load(None).dataset


def _matcher(condition: str) -> Matcher:
    data = _data()
    studies = [s for s in data.studies if s.condition == condition]
    return Matcher(studies, gazetteer(studies, [t for t in data.trials if t.condition == condition]))


def _resolve(text: str, condition: str = "lupus") -> list[tuple[str, str | None, tuple[str, ...]]]:
    matcher = _matcher(condition)
    mentions = find_citations(text, matcher.names)
    found = settle_short_citations(mentions, [matcher.resolve(m) for m in mentions])
    return [(r.status.value, r.study, r.candidates) for r in found]


@pytest.mark.parametrize(("text", "condition", "expected"), [
    ("(Ru B et al 2017)", "lupus", ("resolved", "bai2017", ())),  # Bai Ru, given and family name inverted
    ("(Deng, D 2017)", "lupus", ("resolved", "deng2017", ())),
    ("(Wang, D et al 2018)", "lupus", ("resolved", "wang2018", ())),
    ("doi: 10.1136/annrheumdis-2017-211073", "lupus", ("resolved", "deng2017", ())),
    ("PMID: 28478399", "lupus", ("resolved", "deng2017", ())),
    ("NCT01539902", "lupus", ("resolved", "deng2017", ())),
    ("NCT02633163", "lupus", ("not_on_file", None, ())),  # registered, no publication on file
    ("doi: 10.1000/not-a-curated-doi", "lupus", ("not_on_file", None, ())),
    ("the RIMECARD trial", "heart-failure", ("resolved", "bartolucci2017", ())),
    ("NurOwn", "amyotrophic-lateral-sclerosis", ("ambiguous", None, ("berry2019", "cudkowicz2022", "petrou2016"))),
    ("NurOwn phase 3 trial", "amyotrophic-lateral-sclerosis", ("resolved", "cudkowicz2022", ())),
    ("Hernigou et al., published in International Orthopaedics", "knee-osteoarthritis",
     ("resolved", "hernigou2018", ())),
    ("Dr. Phillipe Hernigou", "knee-osteoarthritis", ("ambiguous", None, ("hernigou2018",))),
    ("(Smith et al 2019)", "lupus", ("not_on_file", None, ())),
])
def test_one_citation_resolves_as_its_parts_say(text: str, condition: str, expected: tuple[object, ...]) -> None:
    assert _resolve(text, condition) == [expected]


def test_a_year_that_fits_no_candidate_is_ambiguous_not_a_guess() -> None:
    assert _resolve("(Deng, D 2018)") == [("ambiguous", None, ("deng2017",))]


def test_a_title_and_a_year_of_two_papers_make_the_citation_ambiguous_between_them() -> None:
    text = ('Riordan NH, Morales I, Fernández G, et al. "Clinical feasibility of umbilical cord tissue-derived '
            'mesenchymal stem cells in the treatment of multiple sclerosis." Journal of Translational Medicine. '
            '2009;7:29.')
    assert _resolve(text, "multiple-sclerosis") == [("ambiguous", None, ("riordan2009svf", "riordan2018"))]


def test_a_common_surname_without_a_year_is_ambiguous_unless_the_page_gives_it_in_full() -> None:
    alone = _resolve("(Wang et al)")
    assert alone[0][0] == "ambiguous"
    assert {"wang2018", "wang2014", "wang2017safety"} <= set(alone[0][2])
    assert _resolve("(Wang et al) and later (Wang, D et al 2018)") == [("resolved", "wang2018", ())] * 2


def test_a_full_citation_that_is_ambiguous_settles_nothing() -> None:
    matcher = _matcher("lupus")
    short = Mention(kinds=(MentionKind.AUTHOR_YEAR,), start=0, end=10, surnames=("Wang",))
    full = Mention(kinds=(MentionKind.AUTHOR_YEAR,), start=20, end=40, surnames=("Wang",), year=2019)
    found: list[Resolution] = [matcher.resolve(short), matcher.resolve(full)]
    assert [r.status.value for r in found] == ["ambiguous", "ambiguous"]
    assert settle_short_citations([short, full], found) == found
