"""The versioned JSON payload of each result, as one frozen struct per shape; field order is the key order."""

# No `from __future__ import annotations`: a struct's annotations then stay real types, which msgspec can read if a
# payload is ever converted or described by a schema, without compiling strings on a run.

import msgspec

from stemcell_cli.errors import Severity, UsageProblem, ValidationReport, assert_never
from stemcell_cli.evidence.certainty import Level
from stemcell_cli.evidence.grades import ClaimGrade, Domain, Judgement, OutcomeAnswer, OutcomeRow, Shown, Verdict
from stemcell_cli.evidence.results import (
    CheckResult,
    ClaimResult,
    ClaimsResult,
    ClaimView,
    ConditionsResult,
    ContrastsResult,
    ContrastView,
    DiffResult,
    EffectsResult,
    FindResult,
    HarmRow,
    IssuesResult,
    Measure,
    Method,
    OutcomeEffects,
    OverviewResult,
    PooledTest,
    ReportResult,
    Result,
    SofResult,
    StudiesResult,
    StudyRef,
    StudyResult,
    SummaryResult,
    TrialsResult,
)
from stemcell_cli.model import (
    Assertion,
    CitationIssue,
    ClaimKind,
    Comparator,
    Condition,
    Design,
    Direction,
    IssueKind,
    OverviewPoint,
    Page,
    Provenance,
    SecondarySource,
    Study,
    Trial,
)
from stemcell_cli.render.labels import doi_url, pubmed_url

JSON_VERSION = 1
# Version 3: verdicts come from outcome estimates (`verdict` supported/not_supported/very_uncertain/not_checkable,
# `effect`, per-outcome `outcomes` with estimate, threshold and domains); see the README's list of changes.
CLAIMS_VERSION = 3


# Alike in shape on purpose: the JSON contract is these records, one per document and part, declared apart from the
# result records they mirror (evidence/results.py), so that a change of a result cannot change the JSON unseen.
class Shape(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Base of every JSON shape: immutable, keyword-only, and every field written, null included."""


class DataFileJson(Shape, frozen=True, kw_only=True, gc=False):
    """A data file a result was made from: its base name, schema version and the SHA-256 of its bytes."""

    file: str
    schema_version: int | None
    sha256: str


class ProvenanceJson(Shape, frozen=True, kw_only=True, gc=False):
    """Where a payload came from: the tool's version and each data file read."""

    version: str
    data: tuple[DataFileJson, ...]


class Envelope(Shape, frozen=True, kw_only=True, gc=False, tag_field="schema"):
    """Base of a whole payload: the `schema` name (the struct's tag, written first), its `version`, its provenance."""

    version: int = JSON_VERSION
    # Null only when a caller of the library renders a result without saying where its data came from.
    provenance: ProvenanceJson | None = None


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


class DomainJson(Shape, frozen=True, kw_only=True, gc=False):
    """One GRADE domain for one outcome: levels rated down, why, and the studies it rests on."""

    domain: Domain
    levels: int
    reason: str
    studies: tuple[str, ...]


class EstimateJson(Shape, frozen=True, kw_only=True, gc=False):
    """An outcome's estimate with its 95% CI on the reading scale, how it was made and from how many studies."""

    measure: str
    estimate: float
    ci_low: float
    ci_high: float
    method: str
    studies: int


class ThresholdJson(Shape, frozen=True, kw_only=True, gc=False):
    """The threshold for an important effect, with its sources; null in `value` means the null is the threshold."""

    value: float | None
    scale: str
    src: tuple[str, ...]


class OutcomeAnswerJson(Shape, frozen=True, kw_only=True, gc=False):
    """How one outcome answers a claim."""

    outcome: str
    name: str
    verdict: Verdict
    reason: str
    comparison: Comparator | None
    timepoint: str | None
    estimate: EstimateJson | None
    threshold: ThresholdJson | None
    effect: Shown | None
    certainty: Level | None
    start: Level | None
    domains: tuple[DomainJson, ...]
    studies: tuple[str, ...]
    magnitude: str | None


class RobustnessJson(Shape, frozen=True, kw_only=True, gc=False):
    """A verdict recomputed on a subset of the evidence."""

    scenario: str
    removed: tuple[str, ...]
    verdict: Verdict
    certainty: Level | None
    changed: bool
    note: str | None


class ClaimJson(Shape, frozen=True, kw_only=True, gc=False):
    """A claim with its citations, its verdict and each outcome behind it."""

    id: str
    kind: ClaimKind
    text: str
    cited_as: str | None
    cites: tuple[str, ...]
    outcome: str
    asserts: Assertion
    verdict: Verdict
    effect: Shown | None
    certainty: Level | None
    statement: str
    reason: str
    outcomes: tuple[OutcomeAnswerJson, ...]
    parts: tuple[str, ...]
    source: RefJson | None
    independent_confirmation: bool | None
    robustness: tuple[RobustnessJson, ...]
    harms: tuple[HarmRow, ...]
    support: tuple[FindingJson, ...]
    contrast: tuple[FindingJson, ...]
    issues: tuple[IssueJson, ...]
    note: str | None


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


class RuleJson(Shape, frozen=True, kw_only=True, gc=False):
    """One documented rule of the grading, in words."""

    topic: str
    rule: str


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


class FoundJson(Shape, frozen=True, kw_only=True, gc=False):
    """A study or registered trial found by one of its identifiers."""

    condition: str
    kind: str
    id: str
    label: str
    matched: str
    command: str


class FindJson(Envelope, frozen=True, kw_only=True, gc=False, tag="stemcell-cli/find"):
    """`stemcell find TERM`."""

    term: str
    found: tuple[FoundJson, ...]


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
    rules: tuple[RuleJson, ...]


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
    rules: tuple[RuleJson, ...]


class AbsoluteJson(Shape, frozen=True, kw_only=True, gc=False):
    """A binary outcome per 1000 patients, as GRADEpro prints it (whole numbers)."""

    comparator_per_1000: int
    intervention_per_1000: int
    difference_per_1000: int
    ci_low: int
    ci_high: int


class RelativeJson(Shape, frozen=True, kw_only=True, gc=False):
    """A relative effect (or a difference for continuous outcomes) with its 95% CI."""

    measure: str
    estimate: float
    ci_low: float
    ci_high: float


class SofRowJson(Shape, frozen=True, kw_only=True, gc=False):
    """One Summary of Findings row."""

    outcome: str
    name: str
    importance: str
    comparison: Comparator | None
    timepoint: str | None
    participants: int | None
    studies: int
    certainty: Level
    footnotes: tuple[str, ...]
    relative: RelativeJson | None
    absolute: AbsoluteJson | None
    effect: Shown
    statement: str


class LeftOutJson(Shape, frozen=True, kw_only=True, gc=False):
    """A result in no estimate, and why."""

    study: str
    measure: str
    reason: str


class SofJson(Envelope, frozen=True, kw_only=True, gc=False, tag="stemcell-cli/sof"):
    """`stemcell CONDITION sof`."""

    version: int = CLAIMS_VERSION
    condition: str
    therapy: str
    outcomes: tuple[SofRowJson, ...]
    left_out: tuple[LeftOutJson, ...]


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
    test: PooledTest
    binary: Measure
    continuous: Measure
    outcomes: tuple[OutcomeEffects, ...]
    # The verdict rules' rows with an estimate, as in `sof` (added in version 1: keys are only ever added).
    outcome_rows: tuple[SofRowJson, ...]


class CheckPageJson(Shape, frozen=True, kw_only=True, gc=False):
    """The page checked; every offset of a check indexes its `text`."""

    source: str
    url: str | None
    condition: str
    text: str


class CheckCitationJson(Shape, frozen=True, kw_only=True, gc=False):
    """A citation found on a page, with its span and how it resolved."""

    text: str
    start: int
    end: int
    status: str
    study: str | None
    candidates: tuple[str, ...]
    reasons: tuple[str, ...]


class CheckIssueJson(Shape, frozen=True, kw_only=True, gc=False):
    """Something wrong with how the page uses a citation for a claim."""

    kind: str
    summary: str
    citation: int | None
    study: str | None


class OmittedJson(Shape, frozen=True, kw_only=True, gc=False):
    """A contrary controlled trial on file that the page does not cite."""

    study: str
    label: str
    design: str
    n: int | None
    direction: str


class CheckClaimJson(Shape, frozen=True, kw_only=True, gc=False):
    """A claim found on a page, with its span, verdict, citations (indexes into `citations`), issues and omissions."""

    text: str
    start: int
    end: int
    verdict: Verdict
    effect: Shown | None
    certainty: Level | None
    statement: str
    citations: tuple[int, ...]
    issues: tuple[CheckIssueJson, ...]
    omitted: tuple[OmittedJson, ...]


class RedFlagJson(Shape, frozen=True, kw_only=True, gc=False):
    """A warning sign on a page, with its span."""

    kind: str
    text: str
    start: int
    end: int


class CheckJson(Envelope, frozen=True, kw_only=True, gc=False, tag="stemcell-cli/check"):
    """`stemcell check PAGE`: the keys the command fixes."""

    page: CheckPageJson
    citations: tuple[CheckCitationJson, ...]
    claims: tuple[CheckClaimJson, ...]
    red_flags: tuple[RedFlagJson, ...]


class IssueRowJson(Shape, frozen=True, kw_only=True, gc=False):
    """A citation issue with what the page says and what the source shows."""

    id: str
    claim: str
    page: str | None
    page_url: str | None
    page_says: str | None
    cited_as: str | None
    kind: IssueKind
    study: RefJson | None
    source_shows: str
    src: tuple[str, ...]


class IssuesJson(Envelope, frozen=True, kw_only=True, gc=False, tag="stemcell-cli/issues"):
    """The `issues` document."""

    condition: str
    issues: tuple[IssueRowJson, ...]


class FieldChangeJson(Shape, frozen=True, kw_only=True, gc=False):
    """One changed field of a study, as each file writes it (null: absent from that file)."""

    field: str
    old: str | None
    new: str | None


class StudyChangeJson(Shape, frozen=True, kw_only=True, gc=False):
    """A study whose fields changed."""

    study: RefJson
    fields: tuple[FieldChangeJson, ...]


class VerdictChangeJson(Shape, frozen=True, kw_only=True, gc=False):
    """A claim whose verdict or certainty changed, with each side's reason and the changed studies it rests on."""

    condition: str
    claim: str
    old_verdict: Verdict | None
    new_verdict: Verdict | None
    old_certainty: Level | None
    new_certainty: Level | None
    old_reason: str | None
    new_reason: str | None
    studies: tuple[str, ...]


class DiffJson(Envelope, frozen=True, kw_only=True, gc=False, tag="stemcell-cli/diff"):
    """The `diff` document."""

    old: str
    new: str
    changed: bool
    studies_added: tuple[RefJson, ...]
    studies_removed: tuple[RefJson, ...]
    studies_changed: tuple[StudyChangeJson, ...]
    verdicts_changed: tuple[VerdictChangeJson, ...]


# Every payload a command can give: a result's, or a validation report's.
Payload = (ConditionsJson | FindJson | SummaryJson | ClaimsJson | OneClaimJson | OverviewJson | ContrastsJson
           | StudiesJson | StudyJson | TrialsJson | ValidationJson | EffectsJson | SofJson | IssuesJson | DiffJson
           | CheckJson)


def rules() -> tuple[RuleJson, ...]:
    """Return every documented rule the verdicts follow, in words."""
    from stemcell_cli.evidence.rules import RULES  # with the grading modules, only for payloads that grade

    return tuple(RuleJson(topic=topic, rule=rule) for topic, rule in RULES)


def _ref(study: StudyRef) -> RefJson:
    """Return a study citation's shape."""
    return RefJson(id=study.id, label=study.label, design=study.design, n=study.n, year=study.year,
                   direction=study.direction, verification=study.verification, doi=study.doi, pmid=study.pmid,
                   title=study.title)


def _issue(issue: CitationIssue) -> IssueJson:
    """Return a citation issue's shape."""
    return IssueJson(id=issue.id, claim=issue.claim, kind=issue.kind, study=issue.study, summary=issue.summary,
                     src=issue.src)


def _domains(judgements: tuple[Judgement, ...]) -> tuple[DomainJson, ...]:
    """Return the five domains' shapes."""
    return tuple(DomainJson(domain=j.domain, levels=j.levels, reason=j.reason, studies=j.studies) for j in judgements)


def _estimate(row: OutcomeRow) -> EstimateJson | None:
    """Return a row's estimate shape."""
    e = row.estimate
    if e is None:
        return None
    return EstimateJson(measure=e.measure.value, estimate=e.value, ci_low=e.ci_low, ci_high=e.ci_high,
                        method=e.method, studies=e.k)


def _threshold(row: OutcomeRow) -> ThresholdJson:
    """Return the threshold a row was judged on."""
    scale = "per_1000" if row.outcome.kind.value == "binary" else (row.outcome.unit or "units")
    return ThresholdJson(value=row.threshold, scale=scale, src=row.threshold_src)


def _answer(answer: OutcomeAnswer) -> OutcomeAnswerJson:
    """Return one outcome's answer to a claim."""
    row = answer.row
    return OutcomeAnswerJson(
        outcome=answer.outcome, name=answer.name, verdict=answer.verdict, reason=answer.reason,
        comparison=row.comparator if row else None, timepoint=row.timepoint if row else None,
        estimate=_estimate(row) if row else None, threshold=_threshold(row) if row else None,
        effect=row.shown if row else None, certainty=row.certainty if row else None,
        start=row.start if row else None, domains=_domains(row.judgements) if row else (),
        studies=tuple(c.study for c in row.contributions) if row else tuple(s.study for s in answer.signals),
        magnitude=answer.magnitude)


def _claim(view: ClaimView) -> ClaimJson:
    """Return a claim view's shape."""
    claim, grade = view.claim, view.grade
    return ClaimJson(
        id=claim.id, kind=claim.kind, text=claim.text, cited_as=claim.cited_as, cites=claim.cites,
        outcome=claim.outcome, asserts=claim.asserts, verdict=grade.verdict, effect=grade.effect,
        certainty=grade.certainty, statement=grade.statement, reason=grade.reason,
        outcomes=tuple(_answer(a) for a in grade.answers), parts=grade.parts,
        source=_ref(view.source) if view.source else None,
        independent_confirmation=grade.independent_confirmation,
        robustness=_robustness(grade),
        harms=grade.harms,
        support=tuple(FindingJson(study=_ref(f.study), finding=f.finding) for f in view.support),
        contrast=tuple(FindingJson(study=_ref(f.study), finding=f.finding) for f in view.contrast),
        issues=tuple(_issue(i) for i in view.issues),
        note=claim.note,
    )


def _robustness(grade: ClaimGrade) -> tuple[RobustnessJson, ...]:
    """Return the robustness rows' shapes."""
    return tuple(RobustnessJson(scenario=r.scenario, removed=r.removed, verdict=r.verdict, certainty=r.certainty,
                                changed=r.changed, note=r.note) for r in grade.robustness)


def _sof_view(result: SofResult) -> SofJson:
    return SofJson(condition=result.condition.id, therapy=result.condition.therapy, outcomes=_sof_rows(result.rows),
                   left_out=tuple(LeftOutJson(study=x.study, measure=x.measure, reason=x.reason)
                                  for x in result.excluded))


def _sof_rows(found: tuple[OutcomeRow, ...]) -> tuple[SofRowJson, ...]:
    """Return the Summary of Findings rows of outcome rows."""
    from stemcell_cli.render.labels import footnotes, per_1000

    rows = []
    for row in found:
        e, a = row.estimate, row.absolute
        rows.append(SofRowJson(
            outcome=row.outcome.id, name=row.outcome.name, importance=row.outcome.importance.value,
            comparison=row.comparator, timepoint=row.timepoint, participants=row.participants, studies=row.studies,
            certainty=row.certainty, footnotes=footnotes(row),
            relative=RelativeJson(measure=e.measure.value, estimate=e.value, ci_low=e.ci_low, ci_high=e.ci_high)
            if e else None,
            absolute=AbsoluteJson(comparator_per_1000=per_1000(a.comparator_per_1000),
                                  intervention_per_1000=per_1000(a.intervention_per_1000),
                                  difference_per_1000=per_1000(a.difference_per_1000), ci_low=per_1000(a.ci_low),
                                  ci_high=per_1000(a.ci_high)) if a else None,
            effect=row.shown, statement=row.statement))
    return tuple(rows)


def _contrast(view: ContrastView) -> ContrastJson:
    """Return a contrasting finding's shape."""
    return ContrastJson(study=_ref(view.study), summary=view.summary,
                        claims=tuple(ContrastedClaimJson(claim=c.claim_id, outcome=c.claim_outcome, finding=c.finding)
                                     for c in view.claims))


def _conditions_view(result: ConditionsResult) -> ConditionsJson:
    return ConditionsJson(conditions=tuple(
        ConditionRowJson(id=r.condition.id, name=r.condition.name, aliases=r.condition.aliases, studies=r.studies,
                         claims=r.claims, trials=r.trials) for r in result.conditions))


def _find_view(result: FindResult) -> FindJson:
    return FindJson(term=result.term, found=tuple(
        FoundJson(condition=r.condition, kind=r.kind, id=r.id, label=r.label, matched=r.matched, command=r.command)
        for r in result.found))


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


def validation_payload(found: ValidationReport, provenance: Provenance | None = None) -> ValidationJson:
    """Return the JSON records of a validation report (`validate --format json`), with the file as its source."""
    return ValidationJson(provenance=provenance_json(provenance) if provenance else None, file=found.file,
                          strict=found.strict, passed=found.passed, errors=found.errors,
                          warnings=found.warnings,
                          problems=tuple(ProblemJson(file=p.file, line=p.line, column=p.column, path=p.path,
                                                     severity=p.severity, message=p.message)
                                         for p in found.problems))


def _effects_view(result: EffectsResult) -> EffectsJson:
    return EffectsJson(condition=result.condition.id, outcome_filter=result.outcome_filter, method=result.method,
                       test=result.test, binary=result.binary, continuous=result.continuous,
                       outcomes=result.outcomes, outcome_rows=_sof_rows(result.rows))


def _issues_view(result: IssuesResult) -> IssuesJson:
    return IssuesJson(condition=result.condition.id, issues=tuple(
        IssueRowJson(id=row.issue.id, claim=row.issue.claim, page=row.page.id if row.page else None,
                     page_url=row.page.url if row.page else None, page_says=row.claim.text if row.claim else None,
                     cited_as=row.claim.cited_as if row.claim else None, kind=row.issue.kind,
                     study=_ref(row.study) if row.study else None, source_shows=row.issue.summary, src=row.issue.src)
        for row in result.issues))


def _diff_view(result: DiffResult) -> DiffJson:
    return DiffJson(
        old=result.old, new=result.new, changed=result.differs,
        studies_added=tuple(_ref(s) for s in result.added), studies_removed=tuple(_ref(s) for s in result.removed),
        studies_changed=tuple(StudyChangeJson(study=_ref(c.study), fields=tuple(
            FieldChangeJson(field=f.field, old=f.old, new=f.new) for f in c.fields)) for c in result.changed),
        verdicts_changed=tuple(VerdictChangeJson(
            condition=v.condition, claim=v.claim, old_verdict=v.old_verdict, new_verdict=v.new_verdict,
            old_certainty=v.old_certainty, new_certainty=v.new_certainty, old_reason=v.old_reason,
            new_reason=v.new_reason, studies=v.studies) for v in result.verdicts))


def provenance_json(provenance: Provenance) -> ProvenanceJson:
    """Return the JSON of a result's provenance."""
    return ProvenanceJson(version=provenance.version, data=tuple(
        DataFileJson(file=f.file, schema_version=f.schema_version, sha256=f.sha256) for f in provenance.data))


def _check_view(result: CheckResult) -> CheckJson:
    """Return a page check's JSON: the fixed keys, offsets into page.text."""
    page = result.page
    return CheckJson(
        page=CheckPageJson(source=page.source, url=page.url, condition=page.condition, text=page.text),
        citations=tuple(CheckCitationJson(text=c.text, start=c.start, end=c.end, status=c.status, study=c.study,
                                          candidates=c.candidates, reasons=c.reasons) for c in result.citations),
        claims=tuple(CheckClaimJson(
            text=c.text, start=c.start, end=c.end, verdict=c.verdict, effect=c.effect, certainty=c.certainty,
            statement=c.statement, citations=c.citations,
            issues=tuple(CheckIssueJson(kind=p.kind, summary=p.summary, citation=p.citation, study=p.study)
                         for p in c.issues),
            omitted=tuple(OmittedJson(study=o.study, label=o.label, design=o.design, n=o.n, direction=o.direction)
                          for o in c.omitted)) for c in result.claims),
        red_flags=tuple(RedFlagJson(kind=f.kind, text=f.text, start=f.start, end=f.end) for f in result.red_flags),
    )


def payload(result: Result, provenance: Provenance | None = None) -> Payload:
    """Return the JSON view of a result with its provenance, if known."""
    built = _payload(result)
    return msgspec.structs.replace(built, provenance=provenance_json(provenance)) if provenance else built


def _payload(result: Result) -> Payload:
    """Return the JSON view of a result, chosen by an exhaustive match on the result's type."""
    # The same match as documents.py's and records.py's, on purpose: one per format, so mypy finds a view missing.
    match result:
        case ConditionsResult():
            return _conditions_view(result)
        case FindResult():
            return _find_view(result)
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
        case SofResult():
            return _sof_view(result)
        case IssuesResult():
            return _issues_view(result)
        case DiffResult():
            return _diff_view(result)
        case ReportResult():
            # Unreachable from the command line, which offers a report as Markdown or HTML alone.
            raise UsageProblem("a report is written as Markdown or HTML, not JSON")
        case CheckResult():
            return _check_view(result)
        case _:
            assert_never(result)
