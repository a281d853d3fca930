"""One clustering: effects, outcome rows and a conclusion's independence count shared patients once (ring 1)."""

from __future__ import annotations

import msgspec
import pytest

from stemcell_cli.evidence.clusters import cluster_keys
from stemcell_cli.evidence.effects_result import effects
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
from tests.conftest import FIXTURES, SHIPPED


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


def test_cluster_keys_join_shared_patients_but_neither_a_shared_group_nor_a_review_with_its_trials() -> None:
    studies = {s.id: s for s in (_study("a"), _study("b"), _study("c", overlaps=("d",)), _study("d"),
                                 _study("meta", pools=("e",)), _study("e"), _study("f"), _study("g"),
                                 _study("r1", pools=("x",)), _study("r2", pools=("y",)))}
    condition = Condition(id="c", name="C", clusters=(
        Cluster(id="cohort", kind=ClusterKind.OVERLAPPING_COHORT, studies=("a", "b"), reason="one cohort"),
        Cluster(id="lab", kind=ClusterKind.SAME_GROUP, studies=("f", "g"), reason="one lab"),
        Cluster(id="reviews", kind=ClusterKind.POOLED_SAME_TRIALS, studies=("r1", "r2"), reason="same trials")))
    assert _partition(cluster_keys(condition, studies)) == {
        frozenset({"a", "b"}), frozenset({"c", "d"}), frozenset({"meta"}), frozenset({"e"}), frozenset({"f"}),
        frozenset({"g"}), frozenset({"r1", "r2"})}


@pytest.mark.parametrize("condition_id", ["lupus", "knee-osteoarthritis", "amyotrophic-lateral-sclerosis",
                                          "multiple-sclerosis", "heart-failure", "type-1-diabetes", "parkinsons",
                                          "stroke"])
def test_the_outcome_rows_count_each_group_of_patients_once(condition_id: str) -> None:
    from stemcell_cli.evidence.domains import graded_rows

    data = load(SHIPPED, use_cache=False).dataset
    condition = find_condition(data, condition_id)
    studies = studies_of(data, condition)
    keys = cluster_keys(condition, {s.id: s for s in studies})
    for row in graded_rows(condition, studies, [t for t in data.trials if t.condition == condition.id]):
        trials = [c.study for c in row.contributions if not c.review]
        assert len({keys[t] for t in trials}) == len(trials), (row.outcome.id, trials)


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
