"""Find conditions and studies by the names users type, with did-you-mean drawn from the data."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from stemcell_cli.errors import UnknownClaim, UnknownCondition, UnknownStudy, UsageProblem
from stemcell_cli.model import Claim, Condition, Dataset, Study
from stemcell_cli.names import condition_called, did_you_mean, normalise

_ID_YEAR = re.compile(r"^([a-z]+)(\d{4})")


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_Identified)


def condition_names(data: Dataset) -> list[str]:
    """Return every id and alias a condition can be called by."""
    return [name for c in data.conditions for name in c.all_names()]


def find_condition(data: Dataset, name: str) -> Condition:
    """Return the condition with this id or alias, or raise UnknownCondition with a suggestion."""
    found = condition_called(name, data.conditions)
    if found is not None:
        return found
    names = condition_names(data)
    raise UnknownCondition(f"unknown condition {name!r}{did_you_mean(name, names, cutoff=0.5)} "
                           f"(known: {', '.join(names) or 'none'}; see `stemcell conditions`)")


def studies_of(data: Dataset, condition: Condition) -> list[Study]:
    """Return the studies of one condition in data order."""
    return [s for s in data.studies if s.condition == condition.id]


def distinct(records: Iterable[R]) -> list[R]:
    """Return the records each once by id, in the order each id first appears."""
    # By id, not by value: records that hold mappings cannot be hashed, and two copies of one study are one study.
    return list({record.id: record for record in records}.values())


def _by_id(records: Sequence[R], wanted: str) -> R | None:
    """Return the record whose id matches after normalisation, or None."""
    key = normalise(wanted)
    return next((record for record in records if normalise(record.id) == key), None)


def _one_of(records: Sequence[R], wanted: str, condition: Condition, kind: str, listed_by: str,
            unknown: type[UsageProblem]) -> R:
    """Return the record whose id matches, or raise `unknown` with a suggestion and the command that lists them."""
    found = _by_id(records, wanted)
    if found is not None:
        return found
    hint = did_you_mean(wanted, [record.id for record in records], cutoff=0.5)
    raise unknown(f"unknown {kind} {wanted!r} for {condition.id}{hint} (see `stemcell {condition.id} {listed_by}`)")


def find_study(data: Dataset, condition: Condition, study_id: str) -> Study:
    """Return the study of this condition with this id, or raise UnknownStudy with a suggestion."""
    return _one_of(studies_of(data, condition), study_id, condition, "study", "studies", UnknownStudy)


def claims_of(data: Dataset, condition: Condition) -> list[Claim]:
    """Return the claims made on the condition's pages, in data order."""
    pages = {p.id for p in data.pages if p.condition == condition.id}
    return [c for c in data.claims if c.page in pages]


def find_claim(data: Dataset, condition: Condition, claim_id: str) -> Claim:
    """Return the condition's claim with this id, or raise UnknownClaim with a suggestion."""
    return _one_of(claims_of(data, condition), claim_id, condition, "claim", "claims", UnknownClaim)


def study_label(study: Study) -> str:
    """Return the short author-year label of a study, e.g. 'Deng 2017'; the year only when it is confirmed."""
    if study.label:
        return study.label
    match = _ID_YEAR.match(study.id)
    name = match.group(1).capitalize() if match else study.id
    year = study.year.value
    return f"{name} {year}" if year is not None else f"{name} (year unconfirmed)"

