"""The versioned JSON payload of each result."""

from __future__ import annotations

from typing import Any

import msgspec

from stemcell_cli.errors import ValidationReport
from stemcell_cli.evidence.certainty import START_RULES
from stemcell_cli.evidence.downgrades import DOWNGRADE_RULES
from stemcell_cli.evidence.harms import HARM_RULES
from stemcell_cli.evidence.results import (
    ClaimResult,
    ClaimsResult,
    ClaimView,
    ConditionsResult,
    ContrastsResult,
    ContrastView,
    EffectsResult,
    Grade,
    OverviewResult,
    Result,
    SchemaResult,
    StudiesResult,
    StudyRef,
    StudyResult,
    SummaryResult,
    TrialsResult,
    unreachable,
)
from stemcell_cli.evidence.verdicts import VERDICT_RULES
from stemcell_cli.model import CitationIssue, Condition
from stemcell_cli.render.labels import doi_url, pubmed_url

JSON_VERSION = 1
# Version 2: claims carry GRADE verdicts (`certainty` is a GRADE level, `asserts` is benefit/no_benefit/safe) and
# the summary is the one-screen summary; see the README's list of changes.
JSON_VERSIONS = {"summary": 2, "claims": 2, "claim": 2}


def _envelope(kind: str, **body: Any) -> dict[str, Any]:
    """Wrap a payload with its schema name and version."""
    return {"schema": f"stemcell-cli/{kind}", "version": JSON_VERSIONS.get(kind, JSON_VERSION), **body}


def rules() -> dict[str, Any]:
    """Return every documented rule the verdicts follow, in words."""
    return {
        "start": [{"evidence": what, "rule": rule} for what, rule in START_RULES],
        "downgrades": [{"domain": domain.value, "rule": rule} for domain, rule in DOWNGRADE_RULES],
        "verdicts": [{"verdict": verdict.value, "rule": rule} for verdict, rule in VERDICT_RULES],
        "harms": list(HARM_RULES),
    }


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


def _derivation(grade: Grade) -> dict[str, Any]:
    """Return how a verdict was reached as a JSON object."""
    return {
        "start": grade.start.value if grade.start else None, "start_reason": grade.start_reason,
        "verdict_reason": grade.verdict_reason,
        "steps": [{"domain": s.domain.value, "levels": s.levels, "reason": s.reason, "studies": list(s.studies)}
                  for s in grade.steps],
        "clusters": [{"studies": list(c.studies), "side": c.side.value, "start": c.start.value,
                      "decisive": c.decisive, "joined_by": list(c.joined_by)} for c in grade.clusters],
        "harms": [_builtins(h) for h in grade.harms],
        "robustness": [{"scenario": r.scenario, "removed": list(r.removed), "verdict": r.verdict.value,
                        "certainty": r.certainty.value if r.certainty else None, "changed": r.changed}
                       for r in grade.robustness],
    }


def _claim(view: ClaimView) -> dict[str, Any]:
    """Return a claim view as a JSON object."""
    claim, grade = view.claim, view.grade
    return {
        "id": claim.id, "kind": claim.kind.value, "text": claim.text, "cited_as": claim.cited_as,
        "cites": list(claim.cites), "outcome": claim.outcome, "asserts": claim.asserts.value,
        "verdict": grade.verdict.value, "certainty": grade.certainty.value if grade.certainty else None,
        "statement": grade.statement, "clusters_for": grade.clusters_for, "clusters_against": grade.clusters_against,
        "source": _ref(view.source) if view.source else None,
        "support": [{"study": _ref(f.study), "finding": f.finding} for f in view.support],
        "contrast": [{"study": _ref(f.study), "finding": f.finding} for f in view.contrast],
        "issues": [_issue(i) for i in view.issues],
        "note": claim.note,
        "derivation": _derivation(grade),
    }


def _contrast(view: ContrastView) -> dict[str, Any]:
    """Return a contrasting finding as a JSON object."""
    return {"study": _ref(view.study), "summary": view.summary,
            "claims": [{"claim": c.claim_id, "outcome": c.claim_outcome, "finding": c.finding} for c in view.claims]}


def _condition(condition: Condition) -> dict[str, Any]:
    """Return a condition as a JSON object."""
    return _builtins(condition)  # type: ignore[no-any-return]


def _conditions_view(result: ConditionsResult) -> dict[str, Any]:
    return _envelope("conditions", conditions=[
        {"id": r.condition.id, "name": r.condition.name, "aliases": list(r.condition.aliases),
         "studies": r.studies, "claims": r.claims, "trials": r.trials} for r in result.conditions])


def _summary_view(result: SummaryResult) -> dict[str, Any]:
    g = result.glance
    return _envelope(
        "summary",
        condition=_condition(result.condition),
        pages=[_builtins(p) for p in result.pages],
        bottom_line=list(result.bottom_line),
        glance={
            "studies": g.studies, "controlled": g.controlled, "primary_studies": g.primary_studies,
            "primary_participants": g.primary_participants, "primary_unknown_n": g.primary_unknown_n,
            "overlapping": g.overlapping, "first_year": g.first_year, "last_year": g.last_year,
            "by_design": [{"design": d.design.value, "studies": d.studies, "participants": d.participants}
                          for d in g.by_design],
        },
        claims=[_claim(v) for v in result.claims],
        key_evidence=[{"study": _ref(k.study), "design_detail": k.design_detail, "result": k.result,
                       "conclusion": k.conclusion} for k in result.key_evidence],
        contrasts=[_contrast(v) for v in result.contrasts],
        citation_issues=[_issue(i) for i in result.issues],
        trials_without_results=[_builtins(t) for t in result.trials_without_results],
        trials_results_unstated=result.trials_results_unstated,
        rules=rules(),
    )


def _claims_view(result: ClaimsResult) -> dict[str, Any]:
    return _envelope("claims", condition=result.condition.id, claims=[_claim(v) for v in result.claims])


def _claim_view(result: ClaimResult) -> dict[str, Any]:
    return _envelope("claim", condition=result.condition.id, claim=_claim(result.view), rules=rules())


def _overview_view(result: OverviewResult) -> dict[str, Any]:
    return _envelope("overview", condition=result.condition.id, name=result.condition.name,
                     overview=[_builtins(p) for p in result.points])


def _contrasts_view(result: ContrastsResult) -> dict[str, Any]:
    return _envelope("contrasts", condition=result.condition.id,
                     contrasts=[_contrast(v) for v in result.contrasts])


def _studies_view(result: StudiesResult) -> dict[str, Any]:
    return _envelope("studies", condition=result.condition.id, studies=[_ref(s) for s in result.studies])


def _study_view(result: StudyResult) -> dict[str, Any]:
    study = result.study
    return _envelope("study", condition=result.condition.id, label=result.ref.label,
                     links={"doi": doi_url(study.doi.value), "pubmed": pubmed_url(study.pmid.value)},
                     study=_builtins(study), secondary_sources=[_builtins(s) for s in result.secondary.values()])


def _trials_view(result: TrialsResult) -> dict[str, Any]:
    return _envelope("trials", condition=result.condition.id, trials=[_builtins(t) for t in result.trials])


def _validation_report_view(result: ValidationReport) -> dict[str, Any]:
    return _envelope("validation", file=result.file, strict=result.strict, passed=result.passed,
                     errors=result.errors, warnings=result.warnings,
                     problems=[{"file": p.file, "line": p.line, "column": p.column, "path": p.path,
                                "severity": p.severity.value, "message": p.message} for p in result.problems])


def _effects_view(result: EffectsResult) -> dict[str, Any]:
    return _envelope("effects", condition=result.condition.id, outcome_filter=result.outcome_filter,
                     method=result.method.value, test=result.test.value, binary=result.binary.value,
                     continuous=result.continuous.value, outcomes=[_builtins(o) for o in result.outcomes])


def payload(result: Result) -> dict[str, Any]:
    """Return the JSON view of a result, chosen by an exhaustive match on the result's type."""
    match result:
        case ConditionsResult():
            return _conditions_view(result)
        case SummaryResult():
            return _summary_view(result)
        case ClaimsResult():
            return _claims_view(result)
        case ClaimResult():
            return _claim_view(result)
        case OverviewResult():
            return _overview_view(result)
        case ContrastsResult():
            return _contrasts_view(result)
        case StudiesResult():
            return _studies_view(result)
        case StudyResult():
            return _study_view(result)
        case TrialsResult():
            return _trials_view(result)
        case ValidationReport():
            return _validation_report_view(result)
        case EffectsResult():
            return _effects_view(result)
        case SchemaResult():
            return result.document
        case _:
            unreachable(result)
