"""Every value of the domain's enums has its labels in every view, so that a new value cannot end in a KeyError."""

from __future__ import annotations

from enum import Enum

import pytest

from stemcell_cli.evidence.bottom_line import found_text
from stemcell_cli.evidence.certainty import Level
from stemcell_cli.evidence.grades import ClaimGrade, Robustness, Shown, Verdict
from stemcell_cli.evidence.results import (
    CitedFinding,
    ClaimsResult,
    ClaimView,
    ContrastsResult,
    ContrastView,
    Glance,
    KeyEvidence,
    Result,
    StudiesResult,
    StudyRef,
    SummaryResult,
)
from stemcell_cli.model import Claim, ClaimKind, Condition, Design, Direction
from stemcell_cli.render import OutputFormat, render
from stemcell_cli.render.labels import certainty_text, design_label, short_design, shown_text, verdict_text, words

CONDITION = Condition(id="c", name="C")
HUMAN = {OutputFormat.TABLE, OutputFormat.MARKDOWN, OutputFormat.HTML}
WIDE = 1000  # no label is wrapped across lines


def _ref(index: int, design: Design = Design.RANDOMISED_CONTROLLED_TRIAL,
         direction: Direction = Direction.SUPPORTS_BENEFIT) -> StudyRef:
    return StudyRef(id=f"s{index}", label=f"Study {index}", design=design, n=10 + index, year=2000 + index,
                    direction=direction, verification="verified", doi=None, pmid=None, title=None)


def _claim_view(index: int, verdict: Verdict, level: Level, effect: Shown = Shown.UNCERTAIN) -> ClaimView:
    claim = Claim(id=f"k{index}", page="p", kind=ClaimKind.BENEFIT, text=f"claim {index}", outcome="pain")
    grade = ClaimGrade(verdict=verdict, effect=effect, certainty=level, statement="statement", reason="why",
                       answers=(), robustness=(Robustness("without s0", ("s0",), verdict, level, False),))
    return ClaimView(claim=claim, support=(CitedFinding(_ref(0), "found"),), contrast=(), issues=(), grade=grade)


def _claims(pairs: list[tuple[Verdict, Level]], effects: tuple[Shown, ...] = ()) -> ClaimsResult:
    views = tuple(_claim_view(i, v, lv) for i, (v, lv) in enumerate(pairs))
    views += tuple(_claim_view(len(pairs) + i, Verdict.SUPPORTED, Level.LOW, e) for i, e in enumerate(effects))
    return ClaimsResult(CONDITION, views, explain=True)


def _summary(refs: tuple[StudyRef, ...]) -> SummaryResult:
    glance = Glance(studies=len(refs), by_design=(), primary_studies=len(refs), primary_participants=0,
                    primary_unknown_n=0, controlled=len(refs), overlapping=0, first_year=None, last_year=None)
    return SummaryResult(condition=CONDITION, pages=(), bottom_line=("Bottom.",), glance=glance, claims=(),
                         key_evidence=tuple(KeyEvidence(ref, None, None, None) for ref in refs), contrasts=(),
                         issues=(), trials_without_results=(), trials_results_unstated=0)


def _designs() -> list[Result]:
    refs = tuple(_ref(i, design=d) for i, d in enumerate(Design))
    return [StudiesResult(CONDITION, refs), ContrastsResult(CONDITION, tuple(ContrastView(r, (), "x") for r in refs))]


def _directions() -> list[Result]:
    refs = tuple(_ref(i, direction=d) for i, d in enumerate(Direction))
    # A summary shows its three largest controlled studies: one summary per study shows each.
    return [StudiesResult(CONDITION, refs), *(_summary((ref,)) for ref in refs)]


# By enum: results that hold every value, and each value's labels on a screen and in a document.
CASES: dict[type[Enum], tuple[list[Result], dict[Enum, set[str]]]] = {
    Verdict: ([_claims([(v, Level.LOW) for v in Verdict])], {v: {verdict_text(v)} for v in Verdict}),
    Level: ([_claims([(Verdict.SUPPORTED, lv) for lv in Level])], {lv: {certainty_text(lv)} for lv in Level}),
    Shown: ([_claims([], tuple(Shown))], {e: {shown_text(e)} for e in Shown}),
    Design: (_designs(), {d: {design_label(d), short_design(d)} for d in Design}),
    Direction: (_directions(), {d: {words(d.value), found_text(d)} for d in Direction}),
}


@pytest.mark.parametrize("fmt", list(OutputFormat), ids=lambda f: f.value)
@pytest.mark.parametrize("kind", list(CASES), ids=lambda k: k.__name__)
def test_every_value_has_its_labels_in_every_view(kind: type[Enum], fmt: OutputFormat) -> None:
    results, labels = CASES[kind]
    shown = "\n".join(render(result, fmt, width=WIDE) for result in results)
    for value in kind:
        expected = labels[value] if fmt in HUMAN else {str(value.value)}
        assert all(label and label in shown for label in expected), (value, expected)


@pytest.mark.parametrize("kind", list(CASES), ids=lambda k: k.__name__)
def test_no_two_values_share_a_label(kind: type[Enum]) -> None:
    labels = CASES[kind][1]
    for other in kind:
        for value in kind:
            assert value is other or not labels[value] & labels[other], (value, other)
