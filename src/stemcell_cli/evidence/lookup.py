"""Find conditions and studies by the names users type, with did-you-mean drawn from the data."""

from __future__ import annotations

import difflib
import re
import unicodedata

from stemcell_cli.errors import UnknownCondition, UnknownStudy
from stemcell_cli.model import Condition, Dataset, Study

_ID_YEAR = re.compile(r"^([a-z]+)(\d{4})")


def _key(name: str) -> str:
    """Normalise a typed name for comparison."""
    return unicodedata.normalize("NFKC", name).casefold().strip()


def condition_names(data: Dataset) -> list[str]:
    """Return every id and alias a condition can be called by."""
    return [name for c in data.conditions for name in (c.id, *c.aliases)]


def find_condition(data: Dataset, name: str) -> Condition:
    """Return the condition with this id or alias, or raise UnknownCondition with a suggestion."""
    wanted = _key(name)
    for condition in data.conditions:
        if wanted in {_key(n) for n in (condition.id, *condition.aliases)}:
            return condition
    names = condition_names(data)
    raise UnknownCondition(f"unknown condition {name!r}{_suggest(name, names)} "
                           f"(known: {', '.join(names) or 'none'}; see `stemcell conditions`)")


def studies_of(data: Dataset, condition: Condition) -> list[Study]:
    """Return the studies of one condition in data order."""
    return [s for s in data.studies if s.condition == condition.id]


def find_study(data: Dataset, condition: Condition, study_id: str) -> Study:
    """Return the study of this condition with this id, or raise UnknownStudy with a suggestion."""
    studies = studies_of(data, condition)
    wanted = _key(study_id)
    for study in studies:
        if _key(study.id) == wanted:
            return study
    ids = [s.id for s in studies]
    raise UnknownStudy(f"unknown study {study_id!r} for {condition.id}{_suggest(study_id, ids)} "
                       f"(see `stemcell {condition.id} studies`)")


def _suggest(name: str, options: list[str]) -> str:
    """Return a did-you-mean suffix, or nothing when no option is close."""
    lowered = {o.casefold(): o for o in options}
    match = difflib.get_close_matches(name.casefold(), list(lowered), n=1, cutoff=0.5)
    return f"; did you mean {lowered[match[0]]!r}?" if match else ""


def study_label(study: Study) -> str:
    """Return the short author-year label of a study, e.g. 'Deng 2017'; the year only when it is confirmed."""
    if study.label:
        return study.label
    match = _ID_YEAR.match(study.id)
    name = match.group(1).capitalize() if match else study.id
    year = study.year.value
    return f"{name} {year}" if year is not None else f"{name} (year unconfirmed)"
