"""The versioned JSON payload of each result, as one frozen struct per shape; field order is the key order."""

# No `from __future__ import annotations`: a struct's annotations then stay real types, which msgspec can read if a
# payload is ever converted or described by a schema, without compiling strings on a run.

import msgspec

from stemcell_cli.errors import Severity, ValidationReport, assert_never
from stemcell_cli.evidence.certainty import START_RULES, Level
from stemcell_cli.evidence.clusters import Side
from stemcell_cli.evidence.downgrades import DOWNGRADE_RULES
from stemcell_cli.evidence.harms import HARM_RULES
from stemcell_cli.evidence.results import (
    ClaimResult,
    ClaimsResult,
    ClaimView,
    ConditionsResult,
    ContrastsResult,
    ContrastView,
    Domain,
    EffectsResult,
    Grade,
    HarmRow,
    Measure,
    Method,
    OutcomeEffects,
    OverviewResult,
    Result,
    StudiesResult,
    StudyRef,
    StudyResult,
    SummaryResult,
    Test,
    TrialsResult,
    Verdict,
)
from stemcell_cli.evidence.verdicts import VERDICT_RULES
from stemcell_cli.model import (
    Assertion,
    CitationIssue,
    ClaimKind,
    Condition,
    Design,
    Direction,
    IssueKind,
    OverviewPoint,
    Page,
    SecondarySource,
    Study,
    Trial,
)
from stemcell_cli.render.labels import doi_url, pubmed_url

JSON_VERSION = 1
# Version 2: claims carry GRADE verdicts (`certainty` is a GRADE level, `asserts` is benefit/no_benefit/safe) and
# the summary is the one-screen summary; see the README's list of changes.
CLAIMS_VERSION = 2


class Shape(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Base of every JSON shape: immutable, keyword-only, and every field written, null included."""


class Envelope(Shape, frozen=True, kw_only=True, gc=False, tag_field="schema"):
    """Base of a whole payload: the `schema` name (the struct's tag, written first), then its `version`."""

    version: int = JSON_VERSION


class RefJson(Shape, frozen=True, kw_only=True, gc=False):
    """A study as a citation."""

    id: str
    label: str
    design: Design
    n: int | None
    year: int | None
    direction: Direction
    verification: str
    doi: str | None
    pmid: str | None
    title: str | None


class IssueJson(Shape, frozen=True, kw_only=True, gc=False):
    """A citation issue."""

    id: str
    claim: str
    kind: IssueKind
    study: str | None
    summary: str
    src: tuple[str, ...]


class FindingJson(Shape, frozen=True, kw_only=True, gc=False):
    """A study cited for or against a claim, with what it found."""

    study: RefJson
    finding: str


class StepJson(Shape, frozen=True, kw_only=True, gc=False):
    """One downgrade of a verdict's certainty."""

    domain: Domain
    levels: int
    reason: str
    studies: tuple[str, ...]


class ClusterJson(Shape, frozen=True, kw_only=True, gc=False):
    """One piece of evidence counted once."""

    studies: tuple[str, ...]
    side: Side
    start: Level
    decisive: bool
    joined_by: tuple[str, ...]


class RobustnessJson(Shape, frozen=True, kw_only=True, gc=False):
    """A verdict recomputed on a subset of the evidence."""

    scenario: str
    removed: tuple[str, ...]
    verdict: Verdict
    certainty: Level | None
    changed: bool


class DerivationJson(Shape, frozen=True, kw_only=True, gc=False):
    """How a verdict was reached."""

    start: Level | None
    start_reason: str
    verdict_reason: str
    steps: tuple[StepJson, ...]
    clusters: tuple[ClusterJson, ...]
    harms: tuple[HarmRow, ...]
    robustness: tuple[RobustnessJson, ...]


class ClaimJson(Shape, frozen=True, kw_only=True, gc=False):
    """A claim with its citations, its verdict and the verdict's derivation."""

    id: str
    kind: ClaimKind
    text: str
    cited_as: str | None
    cites: tuple[str, ...]
    outcome: str
    asserts: Assertion
    verdict: Verdict
    certainty: Level | None
    statement: str
    clusters_for: int
    clusters_against: int
    source: RefJson | None
    support: tuple[FindingJson, ...]
    contrast: tuple[FindingJson, ...]
    issues: tuple[IssueJson, ...]
    note: str | None
    derivation: DerivationJson


class ContrastedClaimJson(Shape, frozen=True, kw_only=True, gc=False):
    """One claim a contrasting study goes against."""

    claim: str
    outcome: str
    finding: str


class ContrastJson(Shape, frozen=True, kw_only=True, gc=False):
    """A study whose results go against one or more claims."""

    study: RefJson
    summary: str | None
    claims: tuple[ContrastedClaimJson, ...]


class StartRuleJson(Shape, frozen=True, kw_only=True, gc=False):
    """Where a kind of evidence starts."""

    evidence: str
    rule: str


class DowngradeRuleJson(Shape, frozen=True, kw_only=True, gc=False):
    """When a domain rates certainty down."""

    domain: Domain
    rule: str


class VerdictRuleJson(Shape, frozen=True, kw_only=True, gc=False):
    """When a verdict is given."""

    verdict: Verdict
    rule: str


class RulesJson(Shape, frozen=True, kw_only=True, gc=False):
    """Every documented rule the verdicts follow, in words."""

    start: tuple[StartRuleJson, ...]
    downgrades: tuple[DowngradeRuleJson, ...]
    verdicts: tuple[VerdictRuleJson, ...]
    harms: tuple[str, ...]


class ConditionRowJson(Shape, frozen=True, kw_only=True, gc=False):
    """A condition and how much the data holds on it."""

    id: str
    name: str
    aliases: tuple[str, ...]
    studies: int
    claims: int
    trials: int


class ConditionsJson(Envelope, frozen=True, kw_only=True, gc=False, tag="stemcell-cli/conditions"):
    """`stemcell conditions`."""

    conditions: tuple[ConditionRowJson, ...]


class DesignCountJson(Shape, frozen=True, kw_only=True, gc=False):
    """How many studies of one design, and their participants."""

    design: Design
    studies: int
    participants: int


class GlanceJson(Shape, frozen=True, kw_only=True, gc=False):
    """Evidence at a glance."""

    studies: int
    controlled: int
    primary_studies: int
    primary_participants: int
    primary_unknown_n: int
    overlapping: int
    first_year: int | None
    last_year: int | None
    by_design: tuple[DesignCountJson, ...]


class KeyEvidenceJson(Shape, frozen=True, kw_only=True, gc=False):
    """A key controlled study with its first reported outcome and its conclusion."""

    study: RefJson
    design_detail: str | None
    result: str | None
    conclusion: str | None


class SummaryJson(Envelope, frozen=True, kw_only=True, gc=False, tag="stemcell-cli/summary"):
    """`stemcell CONDITION summary`."""

    version: int = CLAIMS_VERSION
    condition: Condition
    pages: tuple[Page, ...]
    bottom_line: tuple[str, ...]
    glance: GlanceJson
    claims: tuple[ClaimJson, ...]
    key_evidence: tuple[KeyEvidenceJson, ...]
    contrasts: tuple[ContrastJson, ...]
    citation_issues: tuple[IssueJson, ...]
    trials_without_results: tuple[Trial, ...]
    trials_results_unstated: int
    rules: RulesJson


class ClaimsJson(Envelope, frozen=True, kw_only=True, gc=False, tag="stemcell-cli/claims"):
    """`stemcell CONDITION claims`."""

    version: int = CLAIMS_VERSION
    condition: str
    claims: tuple[ClaimJson, ...]


class OneClaimJson(Envelope, frozen=True, kw_only=True, gc=False, tag="stemcell-cli/claim"):
    """`stemcell CONDITION claim ID`."""

    version: int = CLAIMS_VERSION
    condition: str
    claim: ClaimJson
    rules: RulesJson


class OverviewJson(Envelope, frozen=True, kw_only=True, gc=False, tag="stemcell-cli/overview"):
    """`stemcell CONDITION overview`."""

    condition: str
    name: str
    overview: tuple[OverviewPoint, ...]


class ContrastsJson(Envelope, frozen=True, kw_only=True, gc=False, tag="stemcell-cli/contrasts"):
    """`stemcell CONDITION contrasts`."""

    condition: str
    contrasts: tuple[ContrastJson, ...]


class StudiesJson(Envelope, frozen=True, kw_only=True, gc=False, tag="stemcell-cli/studies"):
    """`stemcell CONDITION studies`."""

    condition: str
    studies: tuple[RefJson, ...]


class LinksJson(Shape, frozen=True, kw_only=True, gc=False):
    """A study's resolver links."""

    doi: str | None
    pubmed: str | None


class StudyJson(Envelope, frozen=True, kw_only=True, gc=False, tag="stemcell-cli/study"):
    """`stemcell CONDITION study ID`: every field of the record as the data holds it."""

    condition: str
    label: str
    links: LinksJson
    study: Study
    secondary_sources: tuple[SecondarySource, ...]


class TrialsJson(Envelope, frozen=True, kw_only=True, gc=False, tag="stemcell-cli/trials"):
    """`stemcell CONDITION trials`."""

    condition: str
    trials: tuple[Trial, ...]


class ProblemJson(Shape, frozen=True, kw_only=True, gc=False):
    """One located problem in a data file."""

    file: str
    line: int | None
    column: int | None
    path: str | None
    severity: Severity
    message: str


class ValidationJson(Envelope, frozen=True, kw_only=True, gc=False, tag="stemcell-cli/validation"):
    """`stemcell validate FILE`."""

    file: str
    strict: bool
    passed: bool
    errors: int
    warnings: int
    problems: tuple[ProblemJson, ...]


class EffectsJson(Envelope, frozen=True, kw_only=True, gc=False, tag="stemcell-cli/effects"):
    """`stemcell CONDITION effects`."""

    condition: str
    outcome_filter: str | None
    method: Method
    test: Test
    binary: Measure
    continuous: Measure
    outcomes: tuple[OutcomeEffects, ...]


# Every payload a command can give: a result's, or a validation report's.
Payload = (ConditionsJson | SummaryJson | ClaimsJson | OneClaimJson | OverviewJson | ContrastsJson | StudiesJson
           | StudyJson | TrialsJson | ValidationJson | EffectsJson)


def rules() -> RulesJson:
    """Return every documented rule the verdicts follow, in words."""
    return RulesJson(
        start=tuple(StartRuleJson(evidence=what, rule=rule) for what, rule in START_RULES),
        downgrades=tuple(DowngradeRuleJson(domain=domain, rule=rule) for domain, rule in DOWNGRADE_RULES),
        verdicts=tuple(VerdictRuleJson(verdict=verdict, rule=rule) for verdict, rule in VERDICT_RULES),
        harms=HARM_RULES,
    )


def _ref(study: StudyRef) -> RefJson:
    """Return a study citation's shape."""
    return RefJson(id=study.id, label=study.label, design=study.design, n=study.n, year=study.year,
                   direction=study.direction, verification=study.verification, doi=study.doi, pmid=study.pmid,
                   title=study.title)


def _issue(issue: CitationIssue) -> IssueJson:
    """Return a citation issue's shape."""
    return IssueJson(id=issue.id, claim=issue.claim, kind=issue.kind, study=issue.study, summary=issue.summary,
                     src=issue.src)


def _derivation(grade: Grade) -> DerivationJson:
    """Return the shape of how a verdict was reached."""
    return DerivationJson(
        start=grade.start, start_reason=grade.start_reason, verdict_reason=grade.verdict_reason,
        steps=tuple(StepJson(domain=s.domain, levels=s.levels, reason=s.reason, studies=s.studies)
                    for s in grade.steps),
        clusters=tuple(ClusterJson(studies=c.studies, side=c.side, start=c.start, decisive=c.decisive,
                                   joined_by=c.joined_by) for c in grade.clusters),
        harms=grade.harms,
        robustness=tuple(RobustnessJson(scenario=r.scenario, removed=r.removed, verdict=r.verdict,
                                        certainty=r.certainty, changed=r.changed) for r in grade.robustness),
    )


def _claim(view: ClaimView) -> ClaimJson:
    """Return a claim view's shape."""
    claim, grade = view.claim, view.grade
    return ClaimJson(
        id=claim.id, kind=claim.kind, text=claim.text, cited_as=claim.cited_as, cites=claim.cites,
        outcome=claim.outcome, asserts=claim.asserts, verdict=grade.verdict, certainty=grade.certainty,
        statement=grade.statement, clusters_for=grade.clusters_for, clusters_against=grade.clusters_against,
        source=_ref(view.source) if view.source else None,
        support=tuple(FindingJson(study=_ref(f.study), finding=f.finding) for f in view.support),
        contrast=tuple(FindingJson(study=_ref(f.study), finding=f.finding) for f in view.contrast),
        issues=tuple(_issue(i) for i in view.issues),
        note=claim.note,
        derivation=_derivation(grade),
    )


def _contrast(view: ContrastView) -> ContrastJson:
    """Return a contrasting finding's shape."""
    return ContrastJson(study=_ref(view.study), summary=view.summary,
                        claims=tuple(ContrastedClaimJson(claim=c.claim_id, outcome=c.claim_outcome, finding=c.finding)
                                     for c in view.claims))


def _conditions_view(result: ConditionsResult) -> ConditionsJson:
    return ConditionsJson(conditions=tuple(
        ConditionRowJson(id=r.condition.id, name=r.condition.name, aliases=r.condition.aliases, studies=r.studies,
                         claims=r.claims, trials=r.trials) for r in result.conditions))


def _summary_view(result: SummaryResult) -> SummaryJson:
    g = result.glance
    return SummaryJson(
        condition=result.condition,
        pages=result.pages,
        bottom_line=result.bottom_line,
        glance=GlanceJson(
            studies=g.studies, controlled=g.controlled, primary_studies=g.primary_studies,
            primary_participants=g.primary_participants, primary_unknown_n=g.primary_unknown_n,
            overlapping=g.overlapping, first_year=g.first_year, last_year=g.last_year,
            by_design=tuple(DesignCountJson(design=d.design, studies=d.studies, participants=d.participants)
                            for d in g.by_design),
        ),
        claims=tuple(_claim(v) for v in result.claims),
        key_evidence=tuple(KeyEvidenceJson(study=_ref(k.study), design_detail=k.design_detail, result=k.result,
                                           conclusion=k.conclusion) for k in result.key_evidence),
        contrasts=tuple(_contrast(v) for v in result.contrasts),
        citation_issues=tuple(_issue(i) for i in result.issues),
        trials_without_results=result.trials_without_results,
        trials_results_unstated=result.trials_results_unstated,
        rules=rules(),
    )


def _claims_view(result: ClaimsResult) -> ClaimsJson:
    return ClaimsJson(condition=result.condition.id, claims=tuple(_claim(v) for v in result.claims))


def _claim_view(result: ClaimResult) -> OneClaimJson:
    return OneClaimJson(condition=result.condition.id, claim=_claim(result.view), rules=rules())


def _overview_view(result: OverviewResult) -> OverviewJson:
    return OverviewJson(condition=result.condition.id, name=result.condition.name, overview=result.points)


def _contrasts_view(result: ContrastsResult) -> ContrastsJson:
    return ContrastsJson(condition=result.condition.id, contrasts=tuple(_contrast(v) for v in result.contrasts))


def _studies_view(result: StudiesResult) -> StudiesJson:
    return StudiesJson(condition=result.condition.id, studies=tuple(_ref(s) for s in result.studies))


def _study_view(result: StudyResult) -> StudyJson:
    study = result.study
    return StudyJson(condition=result.condition.id, label=result.ref.label,
                     links=LinksJson(doi=doi_url(study.doi.value), pubmed=pubmed_url(study.pmid.value)),
                     study=study, secondary_sources=tuple(result.secondary.values()))


def _trials_view(result: TrialsResult) -> TrialsJson:
    return TrialsJson(condition=result.condition.id, trials=result.trials)


def validation_payload(found: ValidationReport) -> ValidationJson:
    """Return the JSON records of a validation report (`validate --format json`)."""
    return ValidationJson(file=found.file, strict=found.strict, passed=found.passed, errors=found.errors,
                          warnings=found.warnings,
                          problems=tuple(ProblemJson(file=p.file, line=p.line, column=p.column, path=p.path,
                                                     severity=p.severity, message=p.message)
                                         for p in found.problems))


def _effects_view(result: EffectsResult) -> EffectsJson:
    return EffectsJson(condition=result.condition.id, outcome_filter=result.outcome_filter, method=result.method,
                       test=result.test, binary=result.binary, continuous=result.continuous,
                       outcomes=result.outcomes)


def payload(result: Result) -> Payload:
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
        case EffectsResult():
            return _effects_view(result)
        case _:
            assert_never(result)
