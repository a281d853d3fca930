"""One clustering: the verdicts' groups and the effects' counted-once studies come from the same joins (ring 1)."""

from __future__ import annotations

import msgspec
import pytest

from stemcell_cli.evidence.clusters import Item, Side, cluster_keys, group
from stemcell_cli.evidence.effect_summary import effects
from stemcell_cli.evidence.lookup import find_condition, studies_of
from stemcell_cli.loading import load
from stemcell_cli.model import (
    Cluster,
    ClusterKind,
    Comparison,
    Condition,
    Dataset,
    Design,
    Direction,
    Pooling,
    Study,
    Verification,
)

from .conftest import FIXTURES, SHIPPED


def _study(sid: str, *, overlaps: tuple[str, ...] = (), pools: tuple[str, ...] = ()) -> Study:
    design = Design.SYSTEMATIC_REVIEW if pools else Design.RANDOMISED_CONTROLLED_TRIAL
    return Study(id=sid, condition="c", verification=Verification.VERIFIED, design=design,
                 direction=Direction.SUPPORTS_BENEFIT, overlaps_with=overlaps,
                 pooling=Pooling(comparison=Comparison.RANDOMISED_ARMS, includes=pools) if pools else None)


def _partition(keys: dict[str, str]) -> set[frozenset[str]]:
    by_key: dict[str, set[str]] = {}
    for study, key in keys.items():
        by_key.setdefault(key, set()).add(study)
    return {frozenset(members) for members in by_key.values()}


def test_cluster_keys_join_curated_clusters_pooling_and_overlaps_but_not_a_shared_group() -> None:
    studies = {s.id: s for s in (_study("a"), _study("b"), _study("c", overlaps=("d",)), _study("d"),
                                 _study("meta", pools=("e",)), _study("e"), _study("f"), _study("g"))}
    condition = Condition(id="c", name="C", clusters=(
        Cluster(id="cohort", kind=ClusterKind.OVERLAPPING_COHORT, studies=("a", "b"), reason="one cohort"),
        Cluster(id="lab", kind=ClusterKind.SAME_GROUP, studies=("f", "g"), reason="one lab")))
    assert _partition(cluster_keys(condition, studies)) == {
        frozenset({"a", "b"}), frozenset({"c", "d"}), frozenset({"meta", "e"}), frozenset({"f"}), frozenset({"g"})}


@pytest.mark.parametrize("condition_id", ["lupus", "knee-osteoarthritis", "amyotrophic-lateral-sclerosis",
                                          "multiple-sclerosis", "heart-failure"])
def test_the_verdicts_groups_are_the_clusters_of_the_keys(condition_id: str) -> None:
    data = load(SHIPPED, use_cache=False).dataset
    condition = find_condition(data, condition_id)
    studies = {s.id: s for s in studies_of(data, condition)}
    groups = group([Item(s, Side.SUPPORT, "") for s in studies.values()], condition, studies)
    assert {frozenset(g.study_ids) for g in groups} == _partition(cluster_keys(condition, studies))


def _bcg_with(clusters: tuple[Cluster, ...]) -> tuple[Dataset, Condition]:
    data = load(FIXTURES / "bcg.yaml", use_cache=False).dataset
    condition = msgspec.structs.replace(data.conditions[0], clusters=clusters)
    return msgspec.structs.replace(data, conditions=(condition,)), condition


def test_effects_count_studies_of_a_curated_cluster_once_as_the_verdicts_do() -> None:
    cohort = Cluster(id="one-cohort", kind=ClusterKind.SERIAL_REPORTS, studies=("aronson1948", "ferguson1949"),
                     reason="two reports of one trial")
    data, condition = _bcg_with((cohort,))
    [outcome] = effects(data, condition).outcomes
    assert outcome.random is not None
    assert outcome.random.k == 12
    [dropped] = [e for e in outcome.effects if not e.pooled]
    assert (dropped.study.id, dropped.note) == ("aronson1948", "shares patients with ferguson1949; counted once")
    alone, _ = _bcg_with(())
    [whole] = effects(alone, alone.conditions[0]).outcomes
    assert whole.random is not None
    assert whole.random.k == 13
