"""Properties of the verdicts: symmetric sides, clusters counted once, no study supporting its own quote (ring 1)."""

from __future__ import annotations

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from stemcell_cli.evidence.clusters import Item, Side
from stemcell_cli.evidence.results import Verdict
from stemcell_cli.evidence.verdicts import grade_claim
from stemcell_cli.model import (
    Assertion,
    BiasLevel,
    Claim,
    ClaimKind,
    Cluster,
    ClusterKind,
    Condition,
    Design,
    RiskOfBias,
)

from .test_verdicts import SRC, study

DESIGNS = st.sampled_from([Design.RANDOMISED_CONTROLLED_TRIAL, Design.NON_RANDOMISED_CONTROLLED, Design.SINGLE_ARM,
                           Design.CASE_SERIES, Design.RETROSPECTIVE_COHORT])
LINK = st.tuples(DESIGNS, st.sampled_from([Side.SUPPORT, Side.CONTRAST]), st.integers(1, 900),
                 st.sampled_from(list(BiasLevel)), st.booleans())
MIRROR = {Verdict.SUPPORTS: Verdict.CONTRADICTS, Verdict.CONTRADICTS: Verdict.SUPPORTS}
CLAIM = Claim(id="k", page="p", kind=ClaimKind.BENEFIT, text="t", outcome="pain", asserts=Assertion.BENEFIT)


def build(links: list[tuple[Design, Side, int, BiasLevel, bool]], pair: bool) -> tuple[list[Item], Condition]:
    """Return items for generated links, the first two studies in one cluster when asked."""
    items = [Item(study(f"s{k}", design, n, rob=RiskOfBias(level=level, src=SRC)), side, "found",
                  "another outcome" if indirect else None)
             for k, (design, side, n, level, indirect) in enumerate(links)]
    clusters = ()
    if pair and len(items) >= 2:
        clusters = (Cluster(id="c1", kind=ClusterKind.OVERLAPPING_COHORT, studies=("s0", "s1"), reason="r", src=SRC),)
    return items, Condition(id="c", name="C", clusters=clusters)


def grade(items: list[Item], condition: Condition, the_claim: Claim = CLAIM):  # type: ignore[no-untyped-def]
    """Grade the claim on these items."""
    return grade_claim(the_claim, items, (), condition, {i.study.id: i.study for i in items})


def swapped(items: list[Item]) -> list[Item]:
    """Return the items with every link moved to the other side."""
    other = {Side.SUPPORT: Side.CONTRAST, Side.CONTRAST: Side.SUPPORT}
    return [msgspec.structs.replace(i, side=other[i.side]) for i in items]


@settings(max_examples=300, deadline=None)
@given(st.lists(LINK, max_size=7), st.booleans())
def test_swapping_sides_mirrors_the_verdict_and_keeps_the_certainty(links: list, pair: bool) -> None:  # type: ignore[type-arg]
    items, condition = build(links, pair)
    before, after = grade(items, condition), grade(swapped(items), condition)
    assert after.verdict is MIRROR.get(before.verdict, before.verdict)
    assert after.certainty is before.certainty
    assert [s.levels for s in after.steps] == [s.levels for s in before.steps]
    assert (after.clusters_for, after.clusters_against) == (before.clusters_against, before.clusters_for)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINK, min_size=2, max_size=7), DESIGNS, st.integers(1, 900), st.integers(0, 1))
def test_adding_a_study_to_an_existing_cluster_never_changes_a_tally(
    links: list, design: Design, n: int, member: int  # type: ignore[type-arg]
) -> None:
    items, condition = build(links, pair=True)
    before = grade(items, condition)
    side = items[member].side
    grown = msgspec.structs.replace(condition, clusters=(msgspec.structs.replace(
        condition.clusters[0], studies=("s0", "s1", "new")),))
    after = grade([*items, Item(study("new", design, n), side, "found")], grown)
    assert (after.clusters_for, after.clusters_against) == (before.clusters_for, before.clusters_against)
    assert len(after.clusters) == len(before.clusters)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINK, max_size=6), DESIGNS, st.sampled_from([Side.SUPPORT, Side.CONTRAST]))
def test_a_study_never_supports_its_own_quote(links: list, design: Design, side: Side) -> None:  # type: ignore[type-arg]
    items, condition = build(links, pair=False)
    quote = msgspec.structs.replace(CLAIM, kind=ClaimKind.QUOTED_CONCLUSION, cites=("quoted",))
    with_source = grade([Item(study("quoted", design), side, "its own words"), *items], condition, quote)
    without = grade(items, condition, quote)
    assert with_source.source == "quoted"
    assert all("quoted" not in c.studies for c in with_source.clusters)
    assert (with_source.verdict, with_source.certainty, with_source.clusters) == (
        without.verdict, without.certainty, without.clusters)
