"""The documented rules that rank designs and label how well a claim is supported."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from stemcell_cli.model import Design

# Conventional evidence hierarchy, strongest first. Meta-analyses rank first as a design, even though
# the ones on file pool mostly small or uncontrolled studies: the certainty rules below look at the
# controlled studies directly, so a meta-analysis alone never lifts a claim above "controlled_support".
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


class Certainty(str, Enum):
    """How well the curated studies support a claim, by the rules in `grade`."""

    NO_SUPPORT = "no_support"
    UNCONTROLLED_ONLY = "uncontrolled_only"
    CONTROLLED_SUPPORT = "controlled_support"
    REPLICATED_CONTROLLED = "replicated_controlled_support"
    CONTESTED = "contested_by_controlled_evidence"


CERTAINTY_RULES: tuple[tuple[Certainty, str], ...] = (
    (Certainty.CONTESTED, "at least one randomised or non-randomised controlled study contrasts with the claim"),
    (Certainty.NO_SUPPORT, "no curated study supports the claim"),
    (Certainty.REPLICATED_CONTROLLED, "two or more randomised controlled trials support it and none contrasts"),
    (Certainty.CONTROLLED_SUPPORT,
     "a controlled study or a meta-analysis supports it and no controlled study contrasts"),
    (Certainty.UNCONTROLLED_ONLY, "only single-arm, cohort, follow-up or case-series studies support it"),
)


def rank(design: Design) -> int:
    """Return a design's place in the hierarchy, 0 being the strongest."""
    return DESIGN_ORDER.index(design)


def strongest(designs: Iterable[Design]) -> Design | None:
    """Return the strongest design among these, or None if there are none."""
    ordered = sorted(designs, key=rank)
    return ordered[0] if ordered else None


def is_controlled(design: Design) -> bool:
    """Tell whether a design compares against a control group."""
    return design in CONTROLLED


def grade(support: Iterable[Design], contrast: Iterable[Design]) -> Certainty:
    """Label a claim from the designs of its supporting and contrasting studies (rules in order)."""
    support = list(support)
    if any(is_controlled(d) for d in contrast):
        return Certainty.CONTESTED
    if not support:
        return Certainty.NO_SUPPORT
    if sum(d is Design.RANDOMISED_CONTROLLED_TRIAL for d in support) >= 2:
        return Certainty.REPLICATED_CONTROLLED
    if any(is_controlled(d) or d is Design.SYSTEMATIC_REVIEW for d in support):
        return Certainty.CONTROLLED_SUPPORT
    return Certainty.UNCONTROLLED_ONLY
