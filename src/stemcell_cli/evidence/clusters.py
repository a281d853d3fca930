"""Group a claim's evidence into clusters that count once: shared patients, pooled trials, serial reports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum

import msgspec

from stemcell_cli.evidence.lookup import distinct
from stemcell_cli.model import ClusterKind, Condition, Design, Study


class Side(str, Enum):
    """Which way a study or cluster points relative to what the claim asserts."""

    SUPPORT = "support"
    CONTRAST = "contrast"
    MIXED = "mixed"


class Item(msgspec.Struct, frozen=True, gc=False):
    """One study's link to a claim: which side, what it found, and why its outcome may differ from the claim's."""

    study: Study
    side: Side
    finding: str
    indirect: str | None = None


class Group(msgspec.Struct, frozen=True, gc=False):
    """Items that are one piece of evidence, and the curated clusters or pooling that joined them."""

    items: tuple[Item, ...]
    reasons: tuple[str, ...]

    @property
    def study_ids(self) -> tuple[str, ...]:
        """Return the ids of the studies in the group, each once, in item order."""
        return tuple(study.id for study in distinct(item.study for item in self.items))


class _Roots:
    """Union-find over study ids."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        """Return the representative of a key's set."""
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def join(self, a: str, b: str) -> None:
        """Merge the sets of two keys."""
        self.parent[self.find(a)] = self.find(b)


def joins(condition: Condition, studies: Mapping[str, Study]) -> list[tuple[str, str, str]]:
    """Return every (study, study, reason) pair that makes two studies one piece of evidence."""
    pairs = []
    for cluster in condition.clusters:
        if cluster.kind is ClusterKind.SAME_GROUP:
            continue
        first = cluster.studies[0]
        pairs += [(first, other, f"cluster {cluster.id}: {cluster.reason}") for other in cluster.studies[1:]]
    for study in studies.values():
        if study.pooling is not None:
            pairs += [(study.id, other, f"{study.id} pools {other}") for other in study.pooling.includes]
        pairs += [(study.id, other, f"{study.id} overlaps with {other}") for other in study.overlaps_with]
    return pairs


def _keys(pairs: list[tuple[str, str, str]], ids: Iterable[str]) -> dict[str, str]:
    """Return each id's cluster key under the joins: ids with the same key are one piece of evidence."""
    roots = _Roots()
    for a, b, _reason in pairs:
        roots.join(a, b)
    return {key: roots.find(key) for key in ids}


def cluster_keys(condition: Condition, studies: Mapping[str, Study]) -> dict[str, str]:
    """Return each study's cluster key from the joins the verdicts group by: one key, one piece of evidence."""
    return _keys(joins(condition, studies), studies)


def group(items: Iterable[Item], condition: Condition, studies: Mapping[str, Study]) -> tuple[Group, ...]:
    """Return the items in clusters, in the order each cluster's first item appears."""
    items = list(items)
    pairs = joins(condition, studies)
    keys = _keys(pairs, (item.study.id for item in items))
    grouped: dict[str, list[Item]] = {}
    for item in items:
        grouped.setdefault(keys[item.study.id], []).append(item)
    result = []
    for members in grouped.values():
        ids = {item.study.id for item in members}
        reasons = tuple(dict.fromkeys(r for a, b, r in pairs if a in ids and b in ids)) if len(ids) > 1 else ()
        result.append(Group(tuple(members), reasons))
    return tuple(result)


def net_side(items: Iterable[Item]) -> Side:
    """Return one side if every item points that way, else mixed."""
    sides = {item.side for item in items}
    return sides.pop() if len(sides) == 1 else Side.MIXED


def study_sides(items: Iterable[Item]) -> dict[str, Side]:
    """Return each study's net side over its links (a study on both sides of a claim is mixed)."""
    by_study: dict[str, list[Item]] = {}
    for item in items:
        by_study.setdefault(item.study.id, []).append(item)
    return {sid: net_side(links) for sid, links in by_study.items()}


def lead_side(leads: Iterable[Item]) -> Side:
    """Return the side the leading studies agree on, ignoring those that are themselves mixed; else mixed."""
    sides = {side for side in study_sides(leads).values() if side is not Side.MIXED}
    return sides.pop() if len(sides) == 1 else Side.MIXED


def cluster_side(top: Iterable[Item]) -> Side:
    """Return the side a cluster points to: its meta-analyses speak for the trials they pool, else its top studies."""
    top = list(top)
    leads = [item for item in top if item.study.design is Design.SYSTEMATIC_REVIEW] or top
    return lead_side(leads)


def tally(groups: Iterable[Group]) -> tuple[int, int]:
    """Return how many clusters hold supporting and how many hold contrasting evidence, each counted once."""
    groups = list(groups)
    support = sum(any(i.side is Side.SUPPORT for i in g.items) for g in groups)
    contrast = sum(any(i.side is Side.CONTRAST for i in g.items) for g in groups)
    return support, contrast
