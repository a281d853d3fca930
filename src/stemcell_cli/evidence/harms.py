"""Harm records as curated per arm, controlled studies first: shown beside a safety claim, graded as outcomes."""

from __future__ import annotations

from collections.abc import Iterable

from stemcell_cli.evidence.designs import is_controlled
from stemcell_cli.evidence.estimates import HarmRow
from stemcell_cli.evidence.lookup import study_label
from stemcell_cli.model import Study


def rows(studies: Iterable[Study]) -> tuple[HarmRow, ...]:
    """Return every curated harm of these studies as a row, controlled studies first."""
    found = []
    for study in studies:
        sizes = {arm.name: arm.n for arm in study.participants.arms}
        for harm in study.harms:
            found.append(HarmRow(study.id, study_label(study), is_controlled(study.design), harm.arm,
                                 sizes.get(harm.arm), harm.kind, harm.event, harm.count, harm.attribution))
    return tuple(sorted(found, key=lambda r: not r.controlled))
