"""Build each command's result from the dataset: claims with verdicts, contrasts, glance, summary, lists."""

from __future__ import annotations

from collections import Counter
from enum import Enum
from typing import TYPE_CHECKING

from stemcell_cli.errors import assert_never
from stemcell_cli.evidence.designs import DESIGN_ORDER, is_controlled, rank
from stemcell_cli.evidence.lookup import (
    claims_of,
    find_claim,
    find_study,
    identifier_key,
    matched_identifier,
    studies_of,
    study_label,
)

# The same import list as render/payloads.py's, on purpose: this module builds the records that one writes as JSON.
from stemcell_cli.evidence.results import (
    CitedFinding,
    CiteResult,
    ClaimResult,
    ClaimsResult,
    ClaimView,
    ConditionRow,
    ConditionsResult,
    ContrastedClaim,
    ContrastsResult,
    ContrastView,
    DesignCount,
    FindResult,
    FoundRecord,
    Glance,
    IssueRow,
    IssuesResult,
    KeyEvidence,
    OverviewResult,
    ReportResult,
    SofResult,
    StudiesResult,
    StudyRef,
    StudyResult,
    SummaryResult,
    TrialsResult,
)
from stemcell_cli.model import Claim, ClaimKind, Condition, Dataset, Design, Direction, Link, Study

if TYPE_CHECKING:
    from stemcell_cli.evidence.grading import Grader


class SortKey(str, Enum):
    """Orders for the study list."""

    YEAR = "year"
    N = "n"
    DESIGN = "design"
    ID = "id"


def ref(study: Study) -> StudyRef:
    """Return a study's citation record."""
    return StudyRef(
        id=study.id,
        label=study_label(study),
        design=study.design,
        n=study.participants.total,
        year=study.year.value,
        direction=study.direction,
        verification=study.verification.value,
        doi=study.doi.value,
        pmid=study.pmid.value,
        title=study.title.value,
    )


def _year_last(study: StudyRef) -> tuple[bool, int]:
    """Return a sort key that orders by year and puts unknown years last."""
    return (study.year is None, study.year or 0)


def conditions(data: Dataset) -> ConditionsResult:
    """List the conditions with how many studies, claims and trials each has."""
    pages = {p.id: p.condition for p in data.pages}
    rows = []
    for condition in data.conditions:
        rows.append(ConditionRow(
            condition=condition,
            studies=sum(s.condition == condition.id for s in data.studies),
            claims=sum(pages.get(c.page) == condition.id for c in data.claims),
            trials=sum(t.condition == condition.id for t in data.trials),
        ))
    return ConditionsResult(tuple(rows))


def find(data: Dataset, term: str) -> FindResult:
    """Return every study and registered trial, of any condition, whose id, DOI, PMID or registry id is the term."""
    found = []
    for study in data.studies:
        matched = matched_identifier(study, term)
        if matched is not None:
            found.append(FoundRecord(study.condition, "study", study.id, study_label(study), matched,
                                     f"stemcell {study.condition} study {study.id}"))
    key = identifier_key(term)
    found += [FoundRecord(t.condition, "trial", t.id, t.title, "registry id", f"stemcell {t.condition} trials")
              for t in data.trials if identifier_key(t.id) == key]
    return FindResult(term, tuple(found))


def _view(data: Dataset, claim: Claim, studies: dict[str, Study], grader: Grader) -> ClaimView:
    """Return one claim with its cited findings, issues and verdict."""
    issues = tuple(i for i in data.citation_issues if i.claim == claim.id)
    sources = [studies[s] for s in claim.cites[:1] if s in studies and claim.kind is ClaimKind.QUOTED_CONCLUSION]
    return ClaimView(
        claim=claim,
        support=_findings(claim.support, studies),
        contrast=_findings(claim.contrast, studies),
        issues=issues,
        grade=grader.grade(claim),
        source=ref(sources[0]) if sources else None,
    )


def grader(data: Dataset, condition: Condition) -> Grader:
    """Return the grader of one condition's claims."""
    # Only the commands that grade pay for the pooling and grading modules (see benchmarks/checks.py).
    from stemcell_cli.evidence.grading import Grader

    return Grader(condition, studies_of(data, condition), [t for t in data.trials if t.condition == condition.id])


def _whole_view(data: Dataset, whole: Claim, parts: list[ClaimView]) -> ClaimView:
    """Return a claim made of others, graded from its parts' verdicts."""
    from stemcell_cli.evidence.grading import combine_claims

    issues = tuple(i for i in data.citation_issues if i.claim == whole.id)
    return ClaimView(whole, (), (), issues, combine_claims(whole, [(v.claim, v.grade) for v in parts]))


def claim_views(data: Dataset, condition: Condition, grading: Grader | None = None) -> tuple[ClaimView, ...]:
    """Return every claim with its cited findings, issues and verdict; a claim made of others comes from theirs."""
    studies = {s.id: s for s in studies_of(data, condition)}
    claims = claims_of(data, condition)
    grading = grading or grader(data, condition)
    views = {c.id: _view(data, c, studies, grading) for c in claims if not c.rests_on}
    for whole in claims:
        if whole.rests_on:
            views[whole.id] = _whole_view(data, whole, [views[p] for p in whole.rests_on if p in views])
    return tuple(views[c.id] for c in claims)


def sof(data: Dataset, condition: Condition, grading: Grader | None = None) -> SofResult:
    """Return the Summary of Findings: every outcome row with its estimate, certainty and statement."""
    rows = (grading or grader(data, condition)).rows()
    shown = tuple(r for r in rows if r.estimate is not None or r.votes)
    excluded = tuple(left for r in rows for left in r.left_out)
    return SofResult(condition, shown, excluded)


def _findings(links: tuple[Link, ...], studies: dict[str, Study]) -> tuple[CitedFinding, ...]:
    """Resolve links to studies, strongest design first, then by year."""
    found = [CitedFinding(ref(studies[link.study]), link.finding) for link in links if link.study in studies]
    return tuple(sorted(found, key=lambda f: (rank(f.study.design), *_year_last(f.study))))


def claims(data: Dataset, condition: Condition, *, explain: bool = False) -> ClaimsResult:
    """Return the claims result for one condition, with each derivation when asked to explain."""
    return ClaimsResult(condition, claim_views(data, condition), explain)


def claim(data: Dataset, condition: Condition, claim_id: str) -> ClaimResult:
    """Return one claim with the whole derivation of its verdict."""
    found = find_claim(data, condition, claim_id)
    # Only this claim is graded (with the claims it rests on), not the condition's others.
    studies = {s.id: s for s in studies_of(data, condition)}
    grading = grader(data, condition)
    if not found.rests_on:
        return ClaimResult(condition, _view(data, found, studies, grading))
    by_id = {c.id: c for c in claims_of(data, condition)}
    parts = [_view(data, by_id[p], studies, grading) for p in found.rests_on if p in by_id]
    return ClaimResult(condition, _whole_view(data, found, parts))


def overview(condition: Condition) -> OverviewResult:
    """Return a condition's overview with its sources."""
    return OverviewResult(condition, condition.overview)


def contrast_views(data: Dataset, condition: Condition) -> tuple[ContrastView, ...]:
    """Return each study that goes against a claim, or reports no benefit, with what it found (no grading needed)."""
    studies = {s.id: s for s in studies_of(data, condition)}
    by_study: dict[str, list[ContrastedClaim]] = {}
    for claim in claims_of(data, condition):
        for finding in _findings(claim.contrast, studies):
            by_study.setdefault(finding.study.id, []).append(
                ContrastedClaim(claim.id, claim.outcome, finding.finding))
    result = []
    for study in studies_of(data, condition):
        if study.id in by_study or study.direction is Direction.NO_BENEFIT:
            result.append(ContrastView(ref(study), tuple(by_study.get(study.id, ())), study.direction_note))
    # Studies whose own results show no benefit lead; a supportive study that contrasts only in part follows.
    result.sort(key=lambda v: (v.study.direction is not Direction.NO_BENEFIT, rank(v.study.design),
                               -len(v.claims), *_year_last(v.study)))
    return tuple(result)


def contrasts(data: Dataset, condition: Condition) -> ContrastsResult:
    """Return the contrasting findings of one condition."""
    return ContrastsResult(condition, contrast_views(data, condition))


def glance(studies: list[Study]) -> Glance:
    """Tally studies by design, participants in primary studies, controlled studies and years."""
    counts: Counter[Design] = Counter(s.design for s in studies)
    people: Counter[Design] = Counter()
    for study in studies:
        people[study.design] += study.participants.total or 0
    primary = [s for s in studies if s.design is not Design.SYSTEMATIC_REVIEW]
    years = [s.year.value for s in studies if s.year.value is not None]
    return Glance(
        studies=len(studies),
        by_design=tuple(DesignCount(d, counts[d], people[d]) for d in DESIGN_ORDER if counts[d]),
        primary_studies=len(primary),
        primary_participants=sum(s.participants.total or 0 for s in primary),
        primary_unknown_n=sum(s.participants.total is None for s in primary),
        controlled=sum(is_controlled(s.design) for s in studies),
        overlapping=sum(bool(s.overlaps_with) for s in studies),
        first_year=min(years) if years else None,
        last_year=max(years) if years else None,
    )


def key_evidence(studies: list[Study]) -> tuple[KeyEvidence, ...]:
    """Return the controlled studies with their own record, strongest design first, with their first result."""
    controlled = sorted((s for s in studies if is_controlled(s.design)), key=lambda s: (rank(s.design), s.id))
    return tuple(KeyEvidence(ref(s), s.design_detail.value, s.outcomes[0].reported if s.outcomes else None,
                             s.conclusion.text) for s in controlled)


def summary(data: Dataset, condition: Condition, grading: Grader | None = None) -> SummaryResult:
    """Return the one-screen summary of a condition."""
    from stemcell_cli.evidence.bottom_line import bottom_line

    grading = grading or grader(data, condition)
    views = claim_views(data, condition, grading)
    trials = [t for t in data.trials if t.condition == condition.id]
    rows = grading.rows()
    claim_ids = {v.claim.id for v in views}
    own = studies_of(data, condition)
    at_a_glance = glance(own)
    return SummaryResult(
        condition=condition,
        pages=tuple(p for p in data.pages if p.condition == condition.id),
        bottom_line=bottom_line(views, own, at_a_glance, rows),
        glance=at_a_glance,
        claims=views,
        key_evidence=key_evidence(own),
        contrasts=contrast_views(data, condition),
        issues=tuple(i for i in data.citation_issues if i.claim in claim_ids),
        trials_without_results=tuple(t for t in trials if t.results_posted is False),
        trials_results_unstated=sum(t.results_posted is None for t in trials),
    )


def report(data: Dataset, condition: Condition) -> ReportResult:
    """Return a condition's report: the summary and Summary of Findings, graded once, with numbered references."""
    grading = grader(data, condition)
    found = summary(data, condition, grading)
    findings = sof(data, condition, grading)
    own = studies_of(data, condition)
    cited = [f.study.id for view in found.claims for f in (*view.support, *view.contrast)]
    cited += [view.source.id for view in found.claims if view.source is not None]
    cited += [key.study.id for key in found.key_evidence]
    cited += [c.study for row in findings.rows for c in row.contributions]
    order = {study_id: place for place, study_id in enumerate(dict.fromkeys(cited))}
    references = sorted(own, key=lambda s: order.get(s.id, len(order)))  # stable: the rest keep the data's order
    trials = tuple(t for t in data.trials if t.condition == condition.id)
    return ReportResult(found, findings, tuple(references), trials)


def studies(
    data: Dataset,
    condition: Condition,
    *,
    design: Design | None = None,
    since: int | None = None,
    min_n: int | None = None,
    sort: SortKey = SortKey.YEAR,
) -> StudiesResult:
    """Return the studies that pass the filters, sorted; unknown years or sizes never pass a filter on them."""
    refs = [ref(s) for s in studies_of(data, condition)]
    if design is not None:
        refs = [r for r in refs if r.design is design]
    if since is not None:
        refs = [r for r in refs if r.year is not None and r.year >= since]
    if min_n is not None:
        refs = [r for r in refs if r.n is not None and r.n >= min_n]
    return StudiesResult(condition, tuple(sorted(refs, key=lambda r: _sort_key(r, sort))))


def _sort_key(study: StudyRef, sort: SortKey) -> tuple[object, ...]:
    """Return a study's place in the order asked for; unknown years and sizes last, ties by id."""
    match sort:
        case SortKey.YEAR:
            return (*_year_last(study), study.id)
        case SortKey.N:
            return (study.n is None, -(study.n or 0), study.id)
        case SortKey.DESIGN:
            return (rank(study.design), *_year_last(study), study.id)
        case SortKey.ID:
            return (study.id,)
        case _:
            assert_never(sort)


def study(data: Dataset, condition: Condition, study_id: str) -> StudyResult:
    """Return one study in full."""
    found = find_study(data, condition, study_id)
    used = set(found.source_urls())
    return StudyResult(condition, found, ref(found), {s.url: s for s in data.secondary_sources if s.url in used})


def trials(data: Dataset, condition: Condition) -> TrialsResult:
    """Return the registered trials of a condition in data order."""
    return TrialsResult(condition, tuple(t for t in data.trials if t.condition == condition.id))


def issues(data: Dataset, condition: Condition) -> IssuesResult:
    """Return every citation issue of the condition's claims, in data order, with its claim, page and study."""
    claims = {c.id: c for c in claims_of(data, condition)}
    pages = {p.id: p for p in data.pages if p.condition == condition.id}
    studies = {s.id: s for s in studies_of(data, condition)}
    rows = []
    for issue in data.citation_issues:
        claim = claims.get(issue.claim)
        if claim is None:
            continue
        study = studies.get(issue.study) if issue.study is not None else None
        rows.append(IssueRow(issue, claim, pages.get(claim.page), ref(study) if study is not None else None))
    return IssuesResult(condition, tuple(rows))


def cite(data: Dataset, condition: Condition) -> CiteResult:
    """Return the condition's studies as references, in data order."""
    return CiteResult(condition, tuple(studies_of(data, condition)))
