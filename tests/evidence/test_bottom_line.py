"""The bottom line's sentences read well whatever the counts (ring 1)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from stemcell_cli.evidence.bottom_line import uncontrolled_sentence, verdicts_sentence
from stemcell_cli.evidence.grades import Verdict
from stemcell_cli.evidence.results import Glance


def _glance(primary: int, controlled: int, overlapping: int = 0) -> Glance:
    return Glance(studies=primary, by_design=(), primary_studies=primary, primary_participants=0, primary_unknown_n=0,
                  controlled=controlled, overlapping=overlapping, first_year=None, last_year=None)


@pytest.mark.parametrize(("primary", "controlled", "overlapping", "sentence"), [
    (10, 10, 0, "All 10 primary studies have a control group."),
    (15, 1, 7, "14 of the 15 primary studies have no control group, so they cannot show an added effect, and 7 may "
               "share patients."),
    (2, 1, 0, "1 of the 2 primary studies has no control group, so it cannot show an added effect."),
    (0, 0, 0, None),
])
def test_the_uncontrolled_sentence(primary: int, controlled: int, overlapping: int, sentence: str | None) -> None:
    assert uncontrolled_sentence(_glance(primary, controlled, overlapping)) == sentence


@pytest.mark.parametrize(("verdicts", "sentence"), [
    ((), "The page makes no claim on record."),
    (("very_uncertain",) * 9 + ("not_checkable",) * 2,
     "Of the 11 page claims, 9 are very uncertain (the evidence is too weak to tell) and 2 cannot be checked (no "
     "curated result measures them); none is supported or refuted by the evidence."),
    (("supported",) + ("not_supported",) * 6 + ("very_uncertain",) + ("not_checkable",) * 6,
     "Of the 14 page claims, 1 is supported and 6 are not supported by the evidence; 1 is very uncertain (the "
     "evidence is too weak to tell) and 6 cannot be checked (no curated result measures them)."),
    (("not_supported", "not_supported"), "Of the 2 page claims, 0 are supported and 2 are not supported by the "
                                         "evidence."),
    (("not_checkable",), "Of the one page claim, 1 cannot be checked (no curated result measures it); none is "
                         "supported or refuted by the evidence."),
])
def test_the_verdicts_sentence_counts_in_a_clinicians_words(verdicts: tuple[str, ...], sentence: str) -> None:
    views = [SimpleNamespace(grade=SimpleNamespace(verdict=Verdict(v))) for v in verdicts]
    assert verdicts_sentence(views) == sentence  # type: ignore[arg-type]
