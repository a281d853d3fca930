"""Find conditions and studies by the names users type, with did-you-mean drawn from the data."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from stemcell_cli.errors import UnknownClaim, UnknownCondition, UnknownStudy, UsageProblem
from stemcell_cli.model import Claim, Condition, Dataset, Study, Trial
from stemcell_cli.names import condition_called, did_you_mean, normalise

_ID_YEAR = re.compile(r"^([a-z]+)(\d{4})")
# What people paste before an identifier: a DOI's resolver or scheme, PubMed's label.
_PREFIXES = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|pmid:\s*|https?://pubmed\.ncbi\.nlm\.nih\.gov/)")
# The identifier fields a study is found by, with the name each is shown under.
IDENTIFIERS = (("id", "id"), ("doi", "DOI"), ("pmid", "PMID"), ("pmcid", "PMCID"),
               ("trial_registration", "registry id"))


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


def identifier_key(text: str) -> str:
    """Return an identifier as two are compared: normalised, without a resolver's address or a label, no end slash."""
    return _PREFIXES.sub("", normalise(text)).rstrip("/")


def study_identifiers(study: Study) -> list[tuple[str, str]]:
    """Return each identifier a study is found by, as (what it is, its value): id, DOI, PMID, PMCID, registry id."""
    found = [("id", study.id)]
    for field, name in IDENTIFIERS[1:]:
        value = getattr(study, field).value
        if value:
            found.append((name, value))
    return found


def matched_identifier(study: Study, wanted: str) -> str | None:
    """Return what the typed text is of the study (its id, DOI, PMID, PMCID or registry id), or None."""
    key = identifier_key(wanted)
    return next((name for name, value in study_identifiers(study) if identifier_key(value) == key), None)


def trial_called(trials: Iterable[Trial], wanted: str) -> Trial | None:
    """Return the registered trial whose registry id is the typed text, or None."""
    key = identifier_key(wanted)
    return next((trial for trial in trials if identifier_key(trial.id) == key), None)


def find_study(data: Dataset, condition: Condition, study_id: str) -> Study:
    """Return the condition's study with this id, DOI, PMID, PMCID or registry id, or raise UnknownStudy."""
    own = studies_of(data, condition)
    found = _by_id(own, study_id) or next((s for s in own if matched_identifier(s, study_id)), None)
    if found is not None:
        return found
    trial = trial_called((t for t in data.trials if t.condition == condition.id), study_id)
    if trial is not None:
        published = _by_id(own, trial.published_as) if trial.published_as else None
        if published is not None:
            return published
        raise UnknownStudy(f"{trial.id} is a registered trial of {condition.id} with no published study on file "
                           f"(see `stemcell {condition.id} trials`)")
    return _one_of(own, study_id, condition, "study", "studies", UnknownStudy)


def elsewhere(whole: Dataset, condition: Condition, kind: str, wanted: str) -> str | None:
    """Return where another condition of the data has the study or claim the user named, as advice; else None."""
    names = {c.id: c for c in whole.conditions}
    if kind == "claim":
        pages = {p.id: p.condition for p in whole.pages}
        key = normalise(wanted)
        claim = next((c for c in whole.claims if normalise(c.id) == key and pages.get(c.page) != condition.id), None)
        if claim is None or pages.get(claim.page) not in names:
            return None
        other = pages[claim.page]
        return (f"claim {wanted!r} is a claim of {other}, not of {condition.id}: "
                f"`stemcell {other} claim {claim.id}`")
    study = next((s for s in whole.studies if s.condition != condition.id and s.condition in names
                  and matched_identifier(s, wanted)), None)
    if study is not None:
        return (f"study {wanted!r} is a study of {study.condition}, not of {condition.id}: "
                f"`stemcell {study.condition} study {study.id}`")
    trial = trial_called((t for t in whole.trials if t.condition != condition.id), wanted)
    if trial is not None:
        return (f"{wanted!r} is a registered trial of {trial.condition}, not of {condition.id}: "
                f"`stemcell {trial.condition} trials`")
    return None


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

