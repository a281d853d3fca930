"""The versioned JSON payload of each result."""

from __future__ import annotations

from functools import singledispatch
from typing import Any

import msgspec

from stemcell_cli.errors import ValidationReport
from stemcell_cli.evidence.grading import CERTAINTY_RULES
from stemcell_cli.evidence.results import (
    ClaimsResult,
    ClaimView,
    ConditionsResult,
    ContrastsResult,
    ContrastView,
    EffectsResult,
    StudiesResult,
    StudyRef,
    StudyResult,
    SummaryResult,
    TrialsResult,
)
from stemcell_cli.model import CitationIssue, Condition
from stemcell_cli.render.labels import doi_url, pubmed_url

JSON_VERSION = 1


def _envelope(kind: str, **body: Any) -> dict[str, Any]:
    """Wrap a payload with its schema name and version."""
    return {"schema": f"stemcell-cli/{kind}", "version": JSON_VERSION, **body}


def _builtins(value: Any) -> Any:
    """Return a record as JSON-ready builtins."""
    return msgspec.to_builtins(value)


def _ref(study: StudyRef) -> dict[str, Any]:
    """Return a study citation as a JSON object."""
    return {
        "id": study.id, "label": study.label, "design": study.design.value, "n": study.n, "year": study.year,
        "direction": study.direction.value, "verification": study.verification, "doi": study.doi,
        "pmid": study.pmid, "title": study.title,
    }


def _issue(issue: CitationIssue) -> dict[str, Any]:
    """Return a citation issue as a JSON object."""
    return {"id": issue.id, "claim": issue.claim, "kind": issue.kind.value, "study": issue.study,
            "summary": issue.summary, "src": list(issue.src)}


def _claim(view: ClaimView) -> dict[str, Any]:
    """Return a claim view as a JSON object."""
    claim = view.claim
    return {
        "id": claim.id, "kind": claim.kind.value, "text": claim.text, "cited_as": claim.cited_as,
        "cites": list(claim.cites), "outcome": claim.outcome, "asserts": claim.asserts.value,
        "certainty": view.certainty.value,
        "strongest_support": view.strongest_support.value if view.strongest_support else None,
        "strongest_contrast": view.strongest_contrast.value if view.strongest_contrast else None,
        "support": [{"study": _ref(f.study), "finding": f.finding} for f in view.support],
        "contrast": [{"study": _ref(f.study), "finding": f.finding} for f in view.contrast],
        "issues": [_issue(i) for i in view.issues],
        "note": claim.note,
    }


def _contrast(view: ContrastView) -> dict[str, Any]:
    """Return a contrasting finding as a JSON object."""
    return {"study": _ref(view.study), "summary": view.summary,
            "claims": [{"claim": c.claim_id, "outcome": c.claim_outcome, "finding": c.finding} for c in view.claims]}


def _condition(condition: Condition) -> dict[str, Any]:
    """Return a condition as a JSON object."""
    return _builtins(condition)  # type: ignore[no-any-return]


@singledispatch
def payload(result: object) -> dict[str, Any]:
    """Return the versioned JSON payload of a result."""
    raise TypeError(f"no JSON view for {type(result).__name__}")


@payload.register(ConditionsResult)
def _(result: ConditionsResult) -> dict[str, Any]:
    return _envelope("conditions", conditions=[
        {"id": r.condition.id, "name": r.condition.name, "aliases": list(r.condition.aliases),
         "studies": r.studies, "claims": r.claims, "trials": r.trials} for r in result.conditions])


@payload.register(SummaryResult)
def _(result: SummaryResult) -> dict[str, Any]:
    g = result.glance
    return _envelope(
        "summary",
        condition=_condition(result.condition),
        pages=[_builtins(p) for p in result.pages],
        glance={
            "studies": g.studies, "controlled": g.controlled, "primary_studies": g.primary_studies,
            "primary_participants": g.primary_participants, "primary_unknown_n": g.primary_unknown_n,
            "overlapping": g.overlapping, "first_year": g.first_year, "last_year": g.last_year,
            "by_design": [{"design": d.design.value, "studies": d.studies, "participants": d.participants}
                          for d in g.by_design],
        },
        claims=[_claim(v) for v in result.claims],
        contrasts=[_contrast(v) for v in result.contrasts],
        citation_issues=[_issue(i) for i in result.issues],
        trials_without_results=[_builtins(t) for t in result.trials_without_results],
        trials_results_unstated=result.trials_results_unstated,
        certainty_rules=[{"label": label.value, "rule": rule} for label, rule in CERTAINTY_RULES],
    )


@payload.register(ClaimsResult)
def _(result: ClaimsResult) -> dict[str, Any]:
    return _envelope("claims", condition=result.condition.id, claims=[_claim(v) for v in result.claims])


@payload.register(ContrastsResult)
def _(result: ContrastsResult) -> dict[str, Any]:
    return _envelope("contrasts", condition=result.condition.id,
                     contrasts=[_contrast(v) for v in result.contrasts])


@payload.register(StudiesResult)
def _(result: StudiesResult) -> dict[str, Any]:
    return _envelope("studies", condition=result.condition.id, studies=[_ref(s) for s in result.studies])


@payload.register(StudyResult)
def _(result: StudyResult) -> dict[str, Any]:
    study = result.study
    return _envelope("study", condition=result.condition.id, label=result.ref.label,
                     links={"doi": doi_url(study.doi.value), "pubmed": pubmed_url(study.pmid.value)},
                     study=_builtins(study))


@payload.register(TrialsResult)
def _(result: TrialsResult) -> dict[str, Any]:
    return _envelope("trials", condition=result.condition.id, trials=[_builtins(t) for t in result.trials])


@payload.register(ValidationReport)
def _(result: ValidationReport) -> dict[str, Any]:
    return _envelope("validation", file=result.file, strict=result.strict, passed=result.passed,
                     errors=result.errors, warnings=result.warnings,
                     problems=[{"file": p.file, "line": p.line, "column": p.column, "path": p.path,
                                "severity": p.severity.value, "message": p.message} for p in result.problems])


@payload.register(EffectsResult)
def _(result: EffectsResult) -> dict[str, Any]:
    return _envelope("effects", condition=result.condition.id, outcome_filter=result.outcome_filter,
                     method=result.method.value, test=result.test.value, binary=result.binary.value,
                     continuous=result.continuous.value, outcomes=[_builtins(o) for o in result.outcomes])
