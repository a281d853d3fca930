"""The bottom line's sentences read well whatever the counts (ring 1)."""

from __future__ import annotations

import pytest

from stemcell_cli.evidence.bottom_line import uncontrolled_sentence, verdicts_sentence
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


def test_the_verdicts_sentence_names_every_verdict() -> None:
    assert verdicts_sentence(()) == ("Of 0 page claims: 0 supported, 0 not supported, 0 very uncertain and 0 not "
                                     "checkable.")
