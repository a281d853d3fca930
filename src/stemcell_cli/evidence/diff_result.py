"""What changed from one data file to another: studies added, removed and changed field by field, verdicts changed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec

from stemcell_cli.evidence.command_results import claim_views, ref
from stemcell_cli.evidence.results import DiffResult, FieldChange, StudyChange, VerdictChange
from stemcell_cli.model import Dataset, Study

# The text of each number as the file writes it sits beside the number: a change shows in the number's own field.
PRINTED = "printed"


def _text(value: Any) -> str:
    """Return a scalar as the data file would write it: text as it is, true/false, null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _flat(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Yield every scalar of a record's builtins by its path (`year.value`, `outcomes[0].arms[1].events`)."""
    if isinstance(value, dict):
        printed = value.get(PRINTED) or {}
        for key, item in value.items():
            if key == PRINTED:
                continue
            if key in printed and item is not None:
                yield f"{path}.{key}" if path else key, printed[key]
            else:
                yield from _flat(item, f"{path}.{key}" if path else key)
    elif isinstance(value, (list, tuple)):
        if not value:
            yield path, "[]"
        for index, item in enumerate(value):
            yield from _flat(item, f"{path}[{index}]")
    else:
        yield path, _text(value)


def field_changes(old: Study, new: Study) -> tuple[FieldChange, ...]:
    """Return each field that differs between two versions of a study, in the order of the newer one's fields."""
    before = dict(_flat(msgspec.to_builtins(old), ""))
    after = dict(_flat(msgspec.to_builtins(new), ""))
    changes = [FieldChange(path, before.get(path), text) for path, text in after.items() if before.get(path) != text]
    changes += [FieldChange(path, text, None) for path, text in before.items() if path not in after]
    return tuple(changes)


def _slices(data: Dataset) -> dict[str, list[list[Any]]]:
    """Return, by condition id, every record a condition's verdicts are graded from (one pass over each list)."""
    found: dict[str, list[list[Any]]] = {c.id: [[c], [], [], [], [], []] for c in data.conditions}
    pages = {p.id: p.condition for p in data.pages}
    claims = {c.id: pages.get(c.page) for c in data.claims}
    owners: list[tuple[int, str | None, Any]] = [(1, p.condition, p) for p in data.pages]
    owners += [(2, claims[c.id], c) for c in data.claims]
    owners += [(3, claims.get(i.claim), i) for i in data.citation_issues]
    owners += [(4, s.condition, s) for s in data.studies]
    owners += [(5, t.condition, t) for t in data.trials]
    for index, owner, record in owners:
        lists = found.get(owner) if owner is not None else None
        if lists is not None:
            lists[index].append(record)
    return found


def _grades(data: Dataset, records: list[list[Any]]) -> dict[str, Any]:
    """Return each claim's grade and the studies its outcome rows and links rest on, by claim id."""
    # Graded on the condition's own records, so that each look-up scans a hundred studies rather than the file.
    [condition], pages, claims, issues, studies, trials = records
    own = msgspec.structs.replace(data, conditions=(condition,), pages=tuple(pages), claims=tuple(claims),
                                  citation_issues=tuple(issues), studies=tuple(studies), trials=tuple(trials))
    graded = {}
    for view in claim_views(own, condition):
        rests_on = {c.study for answer in view.grade.answers if answer.row for c in answer.row.contributions}
        rests_on |= {f.study.id for f in (*view.support, *view.contrast)} | set(view.claim.cites)
        graded[view.claim.id] = (view.grade, rests_on)
    return graded


def verdict_changes(old: Dataset, new: Dataset, touched: set[str]) -> tuple[VerdictChange, ...]:
    """Return the claims whose verdict or certainty differs; only conditions whose records differ are graded."""
    before, after = _slices(old), _slices(new)
    changes = []
    for condition in new.conditions:
        cid = condition.id
        if cid in before and before[cid] == after[cid]:
            continue
        then = _grades(old, before[cid]) if cid in before else {}
        now = _grades(new, after[cid])
        for claim in [*now, *(c for c in then if c not in now)]:
            was, is_ = then.get(claim), now.get(claim)
            old_grade, new_grade = (was[0] if was else None), (is_[0] if is_ else None)
            if (old_grade and (old_grade.verdict, old_grade.certainty)) == (new_grade and (new_grade.verdict,
                                                                                             new_grade.certainty)):
                continue
            rests_on = (was[1] if was else set()) | (is_[1] if is_ else set())
            changes.append(VerdictChange(
                condition=cid, claim=claim,
                old_verdict=old_grade.verdict if old_grade else None,
                new_verdict=new_grade.verdict if new_grade else None,
                old_certainty=old_grade.certainty if old_grade else None,
                new_certainty=new_grade.certainty if new_grade else None,
                old_reason=old_grade.reason if old_grade else None,
                new_reason=new_grade.reason if new_grade else None,
                studies=tuple(sorted(rests_on & touched))))
    for condition in old.conditions:
        if condition.id not in after:
            changes += [VerdictChange(condition=condition.id, claim=claim, old_verdict=grade.verdict,
                                      new_verdict=None, old_certainty=grade.certainty, new_certainty=None,
                                      old_reason=grade.reason, new_reason=None, studies=())
                        for claim, (grade, _studies) in _grades(old, before[condition.id]).items()]
    return tuple(changes)


def compare(old: Dataset, new: Dataset, *, old_label: str, new_label: str) -> DiffResult:
    """Return what changed from the old data file to the new one."""
    before = {s.id: s for s in old.studies}
    after = {s.id: s for s in new.studies}
    added = tuple(ref(s) for s in new.studies if s.id not in before)
    removed = tuple(ref(s) for s in old.studies if s.id not in after)
    # Records compare by value in C, so only the studies that differ are taken apart field by field.
    changed = tuple(StudyChange(ref(s), field_changes(before[s.id], s)) for s in new.studies
                    if s.id in before and before[s.id] != s)
    touched = {s.id for s in added} | {s.id for s in removed} | {c.study.id for c in changed}
    return DiffResult(old=old_label, new=new_label, added=added, removed=removed, changed=changed,
                      verdicts=verdict_changes(old, new, touched))
