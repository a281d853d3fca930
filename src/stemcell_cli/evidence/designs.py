"""The conventional design hierarchy: rank designs for lists and sorts, tell controlled from uncontrolled."""

from __future__ import annotations

from stemcell_cli.model import Design

# Conventional evidence hierarchy, strongest first. It orders lists for readers; the verdicts do not use it:
# they grade a meta-analysis by what it pools (see certainty.py).
DESIGN_ORDER: tuple[Design, ...] = (
    Design.SYSTEMATIC_REVIEW,
    Design.RANDOMISED_CONTROLLED_TRIAL,
    Design.NON_RANDOMISED_CONTROLLED,
    Design.RETROSPECTIVE_COHORT,
    Design.LONG_TERM_FOLLOW_UP,
    Design.SINGLE_ARM,
    Design.CASE_SERIES,
)

CONTROLLED: frozenset[Design] = frozenset({Design.RANDOMISED_CONTROLLED_TRIAL, Design.NON_RANDOMISED_CONTROLLED})


def rank(design: Design) -> int:
    """Return a design's place in the hierarchy, 0 being the strongest."""
    return DESIGN_ORDER.index(design)


def is_controlled(design: Design) -> bool:
    """Tell whether a design compares against a control group."""
    return design in CONTROLLED
