"""Studies that are one piece of evidence: reports that share patients, serial reports, reviews of the same trials."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from stemcell_cli.model import ClusterKind, Condition, Study

# One group behind several reports (`same_group`) does not make them one piece of evidence: it is a question of risk
# of bias, not of counting patients twice. A review and the trials it pools are not joined here either: the outcome
# rows keep a review out where the trials it pools have their own results (outcomes.py).
SHARED = frozenset({ClusterKind.OVERLAPPING_COHORT, ClusterKind.SERIAL_REPORTS, ClusterKind.POOLED_SAME_TRIALS})


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
    """Return every (study, study, reason) pair whose patients are counted once: curated clusters and overlaps."""
    pairs = []
    for cluster in condition.clusters:
        if cluster.kind in SHARED:
            first = cluster.studies[0]
            pairs += [(first, other, f"cluster {cluster.id}: {cluster.reason}") for other in cluster.studies[1:]]
    for study in studies.values():
        pairs += [(study.id, other, f"{study.id} overlaps with {other}") for other in study.overlaps_with]
    return pairs


def _keys(pairs: Iterable[tuple[str, str, str]], ids: Iterable[str]) -> dict[str, str]:
    """Return each id's cluster key under the joins: ids with the same key are one piece of evidence."""
    roots = _Roots()
    for a, b, _reason in pairs:
        roots.join(a, b)
    return {key: roots.find(key) for key in ids}


def cluster_keys(condition: Condition, studies: Mapping[str, Study]) -> dict[str, str]:
    """Return each study's cluster key: studies with one key share patients and count once (effects and outcomes)."""
    return _keys(joins(condition, studies), studies)
