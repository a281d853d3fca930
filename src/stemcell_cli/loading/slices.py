"""One condition's slice of a dataset: its records and every study they refer to, in data order."""

from __future__ import annotations

import msgspec

from stemcell_cli.model import Dataset

# The record lists a slice takes from, in the order of the dataset's fields.
RECORDS = ("studies", "pages", "claims", "citation_issues", "trials")


class Slice(msgspec.Struct, frozen=True):
    """Positions in the whole dataset, in data order, of the records one condition's slice holds."""

    studies: tuple[int, ...] = ()
    pages: tuple[int, ...] = ()
    claims: tuple[int, ...] = ()
    citation_issues: tuple[int, ...] = ()
    trials: tuple[int, ...] = ()


def slices(data: Dataset) -> dict[str, Slice]:
    """Return each condition's slice: its studies, pages, claims (by page), issues (by claim), trials, cited studies."""
    ids = list(dict.fromkeys(c.id for c in data.conditions))
    own: dict[str, list[int]] = {c: [] for c in ids}
    pages: dict[str, list[int]] = {c: [] for c in ids}
    claims: dict[str, list[int]] = {c: [] for c in ids}
    issues: dict[str, list[int]] = {c: [] for c in ids}
    trials: dict[str, list[int]] = {c: [] for c in ids}
    cited: dict[str, set[str]] = {c: set() for c in ids}
    # Sets of owners, not one owner: the slices must follow the commands' own rules (a claim belongs to every
    # condition one of its page ids names) even where validation would have refused the data.
    page_owners: dict[str, set[str]] = {}
    for index, page in enumerate(data.pages):
        if page.condition in pages:
            pages[page.condition].append(index)
            page_owners.setdefault(page.id, set()).add(page.condition)
    claim_owners: dict[str, set[str]] = {}
    for index, claim in enumerate(data.claims):
        for owner in page_owners.get(claim.page, ()):
            claims[owner].append(index)
            claim_owners.setdefault(claim.id, set()).add(owner)
            cited[owner].update(claim.cites, (link.study for link in (*claim.support, *claim.contrast)))
    for index, issue in enumerate(data.citation_issues):
        for owner in claim_owners.get(issue.claim, ()):
            issues[owner].append(index)
            if issue.study is not None:
                cited[owner].add(issue.study)
    for index, trial in enumerate(data.trials):
        if trial.condition in trials:
            trials[trial.condition].append(index)
            if trial.published_as is not None:
                cited[trial.condition].add(trial.published_as)
    by_id: dict[str, list[int]] = {}
    for index, study in enumerate(data.studies):
        by_id.setdefault(study.id, []).append(index)
        if study.condition in own:
            own[study.condition].append(index)
    return {c: Slice(_closed(data, own[c], cited[c], by_id), tuple(pages[c]), tuple(claims[c]), tuple(issues[c]),
                     tuple(trials[c])) for c in ids}


def _closed(data: Dataset, own: list[int], cited: set[str], by_id: dict[str, list[int]]) -> tuple[int, ...]:
    """Return the positions of a condition's studies, the studies cited, and those they overlap with, in order."""
    chosen: set[int] = set()
    pending = [*own, *(index for study in cited for index in by_id.get(study, ()))]
    while pending:
        index = pending.pop()
        if index not in chosen:
            chosen.add(index)
            pending.extend(other for study in data.studies[index].overlaps_with for other in by_id.get(study, ()))
    return tuple(sorted(chosen))


def narrowed(data: Dataset, condition_id: str | None) -> Dataset:
    """Return the dataset with every condition and source but only one condition's slice (no records for None)."""
    part = slices(data).get(condition_id, Slice()) if condition_id is not None else Slice()
    return msgspec.structs.replace(data, **{name: tuple(getattr(data, name)[index] for index in getattr(part, name))
                                            for name in RECORDS})
