"""The stable CSV columns and rows of each result."""

from __future__ import annotations

from stemcell_cli.errors import UsageProblem, assert_never
from stemcell_cli.evidence.results import (
    CheckResult,
    ClaimResult,
    ClaimsResult,
    ClaimView,
    ConditionsResult,
    ContrastsResult,
    DiffResult,
    EffectsResult,
    FindResult,
    Fit,
    IssuesResult,
    MantelHaenszel,
    OutcomeEffects,
    OverviewResult,
    ReportResult,
    Result,
    SofResult,
    StudiesResult,
    StudyEffect,
    StudyResult,
    SummaryResult,
    TrialsResult,
)
from stemcell_cli.render.labels import outcome_text, study_fields

Records = tuple[tuple[str, ...], list[tuple[object, ...]]]


def _conditions_view(result: ConditionsResult) -> Records:
    return (("id", "name", "aliases", "studies", "claims", "trials"),
            [(r.condition.id, r.condition.name, ";".join(r.condition.aliases), r.studies, r.claims, r.trials)
             for r in result.conditions])


def _find_view(result: FindResult) -> Records:
    return (("condition", "kind", "id", "label", "matched", "command"),
            [(r.condition, r.kind, r.id, r.label, r.matched, r.command) for r in result.found])


SUMMARY_COLUMNS = ("claim_id", "kind", "asserts", "claim", "outcome", "verdict", "effect", "certainty", "statement",
                   "citation_issues")


BOTTOM_LINE = "bottom_line"


def _summary_view(result: SummaryResult) -> Records:
    # The bottom line is the summary's first record (kind `bottom_line`, its sentences in `statement`), so that a
    # piped or redirected summary keeps it.
    bottom: list[tuple[object, ...]] = [("", BOTTOM_LINE, "", "", "", "", "", "", " ".join(result.bottom_line), None)]
    return (SUMMARY_COLUMNS,
            bottom + [(v.claim.id, v.claim.kind.value, v.claim.asserts.value, v.claim.text, v.claim.outcome,
                       v.grade.verdict.value, v.grade.effect.value if v.grade.effect else "",
                       v.grade.certainty.value if v.grade.certainty else "", v.grade.statement, len(v.issues))
                      for v in result.claims])


DERIVATION_COLUMNS = ("claim_id", "part", "name", "levels", "value", "reason", "studies")


def _claim_view(result: ClaimResult) -> Records:
    view, grade = result.view, result.view.grade
    cid = view.claim.id
    rows: list[tuple[object, ...]] = [
        (cid, "verdict", grade.verdict.value, "", grade.certainty.value if grade.certainty else "", grade.reason, ""),
        (cid, "statement", "", "", "", grade.statement, ""),
    ]
    for answer in grade.answers:
        row = answer.row
        rows.append((cid, "outcome", answer.outcome, "", answer.verdict.value, answer.reason,
                     ";".join(c.study for c in row.contributions) if row else ""))
        if row is None:
            continue
        estimate = row.estimate
        rows.append((cid, "estimate", answer.outcome, "", f"{estimate.value:.6g}" if estimate else "",
                     f"{estimate.measure.value} {estimate.ci_low:.6g} to {estimate.ci_high:.6g}; {row.basis}"
                     if estimate else row.basis, ""))
        rows.append((cid, "start", answer.outcome, "", row.start.value, "", ""))
        rows += [(cid, "domain", f"{answer.outcome}:{j.domain.value}", j.levels, "", j.reason, ";".join(j.studies))
                 for j in row.judgements]
    rows += [(cid, "harm", h.kind.value, "", h.count, f"{h.arm}: {h.event} ({h.attribution.value})", h.study)
             for h in grade.harms]
    rows += [(cid, "robustness", r.scenario, "", r.certainty.value if r.certainty else "",
              f"{r.verdict.value}; {'changes' if r.changed else 'unchanged'}", ";".join(r.removed))
             for r in grade.robustness]
    return DERIVATION_COLUMNS, rows


SOF_COLUMNS = ("outcome", "name", "importance", "comparison", "timepoint", "participants", "studies", "certainty",
               "measure", "estimate", "ci_low", "ci_high", "comparator_per_1000", "intervention_per_1000",
               "difference_per_1000", "difference_ci_low", "difference_ci_high", "effect", "statement", "footnotes")


def _sof_view(result: SofResult) -> Records:
    from stemcell_cli.render.labels import footnotes, per_1000

    rows: list[tuple[object, ...]] = []
    for row in result.rows:
        e, a = row.estimate, row.absolute
        rows.append((row.outcome.id, row.outcome.name, row.outcome.importance.value,
                     row.comparator.value if row.comparator else "", row.timepoint or "", row.participants,
                     row.studies, row.certainty.value, e.measure.value if e else "", e.value if e else None,
                     e.ci_low if e else None, e.ci_high if e else None,
                     *((per_1000(a.comparator_per_1000), per_1000(a.intervention_per_1000),
                        per_1000(a.difference_per_1000), per_1000(a.ci_low), per_1000(a.ci_high)) if a else
                       (None,) * 5), row.shown.value, row.statement, " | ".join(footnotes(row))))
    return SOF_COLUMNS, rows


def _overview_view(result: OverviewResult) -> Records:
    return (("topic", "text", "src"), [(p.topic, p.text, " ".join(p.src)) for p in result.points])


def explanation(view: ClaimView, therapy: str) -> str:
    """Return how a claim's verdict was reached on one line: each outcome's `name: row; certainty; verdict`."""
    from stemcell_cli.render.documents import derivation_lines

    return " | ".join(f"{name}: {row}; {path}; {verdict}"
                      for name, row, path, verdict in derivation_lines(view.grade, therapy))


def _claims_view(result: ClaimsResult) -> Records:
    rows: list[tuple[object, ...]] = []
    therapy = result.condition.therapy
    for view in result.claims:
        grade = view.grade
        common: tuple[object, ...] = (grade.verdict.value, grade.effect.value if grade.effect else "",
                                      grade.certainty.value if grade.certainty else "", grade.statement)
        if result.explain:
            # --explain adds a last column, so that the CSV and TSV carry what the table and Markdown show.
            common += (explanation(view, therapy),)
        cited = [(side, f) for side, findings in (("support", view.support), ("contrast", view.contrast))
                 for f in findings]
        # A claim with no linked study still gets its row: a claim a spreadsheet leaves out is a claim unchecked.
        if not cited:
            rows.append((view.claim.id, view.claim.text, "", "", "", "", None, None, "", *common))
        for side, f in cited:
            rows.append((view.claim.id, view.claim.text, side, f.study.id, f.study.label, f.study.design.value,
                         f.study.n, f.study.year, f.finding, *common))
    columns = ("claim_id", "claim", "side", "study_id", "citation", "design", "n", "year", "finding", "verdict",
               "effect", "certainty", "statement")
    return ((*columns, "explanation") if result.explain else columns), rows


def _contrasts_view(result: ContrastsResult) -> Records:
    rows: list[tuple[object, ...]] = []
    for view in result.contrasts:
        s = view.study
        if not view.claims:
            rows.append((s.id, s.label, s.design.value, s.n, s.year, "", "", view.summary or ""))
        for c in view.claims:
            rows.append((s.id, s.label, s.design.value, s.n, s.year, c.claim_id, c.claim_outcome, c.finding))
    return (("study_id", "citation", "design", "n", "year", "claim_id", "outcome", "finding"), rows)


STUDY_COLUMNS = ("id", "citation", "year", "design", "n", "direction", "verification", "doi", "pmid", "title")


def _studies_view(result: StudiesResult) -> Records:
    return (STUDY_COLUMNS, [(s.id, s.label, s.year, s.design.value, s.n, s.direction.value, s.verification,
                             s.doi, s.pmid, s.title) for s in result.studies])


def _study_view(result: StudyResult) -> Records:
    marked = result.secondary

    def secondary(urls: str) -> str:
        return " ".join(f"{marked[url].kind.value}:{url}" for url in urls.split() if url in marked)

    rows: list[tuple[object, ...]] = [(*row, secondary(row[2])) for row in study_fields(result.study)]
    for index, outcome in enumerate(result.study.outcomes):
        urls = " ".join(outcome.src)
        rows.append((f"outcomes[{index}]", outcome_text(outcome), urls, outcome.note or "", secondary(urls)))
    return (("field", "value", "src", "note", "secondary_src"), rows)


def _trials_view(result: TrialsResult) -> Records:
    return (("id", "registry", "title", "phase", "design", "enrollment", "status", "results_posted", "sponsor",
             "published_as", "src", "note"),
            [(t.id, t.registry, t.title, t.phase, t.design, t.enrollment, t.status,
              "" if t.results_posted is None else str(t.results_posted).lower(), t.sponsor, t.published_as,
              " ".join(t.src), t.note) for t in result.trials])


EFFECT_COLUMNS = (
    "row", "outcome", "timepoint", "study_id", "citation", "design", "n", "measure", "source", "metric", "estimate",
    "ci_low", "ci_high", "yi", "vi", "log_scale", "corrected", "treatment", "control", "n_treatment", "n_control",
    "events", "total", "wilson_low", "wilson_high", "exact_low", "exact_high", "pooled", "weight_pct", "reason",
    "note", "method", "test", "k", "se", "stat", "pval", "df", "s2w", "tau2", "tau2_low", "tau2_high", "tau",
    "se_tau2", "i2", "i2_low", "i2_high", "h2", "q", "q_df", "q_p", "pi_low", "pi_high", "positive", "negative",
    "ties", "sign_test_p",
)


def _effect_row(group: OutcomeEffects, item: StudyEffect, weight: float | None) -> tuple[object, ...]:
    """Return one study's effect as a CSV row (pooled-fit columns empty)."""
    e = item.effect
    s = item.study
    cells: list[object] = ["study", group.outcome, group.timepoint, s.id, s.label, s.design.value, s.n]
    if e is None:
        cells += [None] * 20
    else:
        cells += [e.measure.value, e.source, e.metric, e.estimate, e.ci_low, e.ci_high, e.yi, e.vi,
                  str(e.log_scale).lower(), str(e.corrected).lower(), e.treatment, e.control, e.n_treatment,
                  e.n_control, e.events, e.total, e.wilson_low, e.wilson_high, e.exact_low, e.exact_high]
    cells += [str(item.pooled).lower(), weight, item.reason, item.note]
    return tuple(cells) + (None,) * (len(EFFECT_COLUMNS) - len(cells))


def _fit_row(group: OutcomeEffects, kind: str, fit: Fit | MantelHaenszel) -> tuple[object, ...]:
    """Return a pooled fit as a CSV row, on the analysis scale (log for ratios)."""
    measure = group.measure.value if group.measure else None
    head: list[object] = [kind, group.outcome, group.timepoint, None, None, None, None, measure, "pooled", None,
                          fit.estimate, fit.ci_low, fit.ci_high]
    head += [None] * (EFFECT_COLUMNS.index("method") - len(head))
    if isinstance(fit, MantelHaenszel):
        tail: list[object] = ["MH", "z", fit.k, fit.se, fit.stat, fit.pval, None, None, None, None, None, None,
                              None, fit.i2, None, None, fit.h2, fit.q, fit.q_df, fit.q_p, None, None]
    else:
        ci = fit.tau2_ci
        tail = [fit.method.value, fit.test.value, fit.k, fit.se, fit.stat, fit.pval, fit.df, fit.s2w, fit.tau2,
                ci.tau2[0] if ci else None, ci.tau2[1] if ci else None, fit.tau, fit.se_tau2, fit.i2,
                ci.i2[0] if ci else None, ci.i2[1] if ci else None, fit.h2, fit.q, fit.q_df, fit.q_p, fit.pi_low,
                fit.pi_high]
    row = head + tail
    return tuple(row) + (None,) * (len(EFFECT_COLUMNS) - len(row))


def _effects_view(result: EffectsResult) -> Records:
    rows: list[tuple[object, ...]] = []
    for group in result.outcomes:
        weights = iter(group.random.weights_pct if group.random else ())
        for item in group.effects:
            rows.append(_effect_row(group, item, next(weights, None) if item.pooled else None))
        for kind, fit in (("common", group.common), ("mantel_haenszel", group.mantel_haenszel),
                          ("random", group.random)):
            if fit is not None:
                rows.append(_fit_row(group, kind, fit))
        if group.votes is not None:
            v = group.votes
            votes: list[object] = ["votes", group.outcome, group.timepoint]
            votes += [None] * (EFFECT_COLUMNS.index("positive") - len(votes))
            rows.append((*votes, v.positive, v.negative, v.ties, v.p_two_sided))
    return EFFECT_COLUMNS, rows


ISSUE_COLUMNS = ("issue_id", "claim_id", "page_says", "cited_as", "kind", "study_id", "citation", "source_shows",
                 "src", "page_url")


def _issues_view(result: IssuesResult) -> Records:
    return (ISSUE_COLUMNS,
            [(row.issue.id, row.issue.claim, row.claim.text if row.claim else "",
              row.claim.cited_as if row.claim else "", row.issue.kind.value, row.issue.study or "",
              row.study.label if row.study else "", row.issue.summary, " ".join(row.issue.src),
              row.page.url if row.page else "") for row in result.issues])


DIFF_COLUMNS = ("change", "condition", "id", "field", "old", "new", "reason", "studies")


def _diff_view(result: DiffResult) -> Records:
    rows: list[tuple[object, ...]] = [("study_added", "", s.id, "", None, s.label, "", "") for s in result.added]
    rows += [("study_removed", "", s.id, "", s.label, None, "", "") for s in result.removed]
    rows += [("study_changed", "", c.study.id, f.field, f.old, f.new, "", "") for c in result.changed
             for f in c.fields]
    for v in result.verdicts:
        old = " ".join(x.value for x in (v.old_verdict, v.old_certainty) if x is not None) or None
        new = " ".join(x.value for x in (v.new_verdict, v.new_certainty) if x is not None) or None
        rows.append(("verdict_changed", v.condition, v.claim, "verdict certainty", old, new, v.new_reason or "",
                     ";".join(v.studies)))
    return DIFF_COLUMNS, rows


def records(result: Result) -> Records:
    """Return the CSV view of a result, chosen by an exhaustive match on the result's type."""
    # The same match as payloads.py's and documents.py's, on purpose: one per format, so mypy finds a view missing.
    match result:
        case ConditionsResult():
            return _conditions_view(result)
        case FindResult():
            return _find_view(result)
        case SummaryResult():
            return _summary_view(result)
        case ClaimResult():
            return _claim_view(result)
        case OverviewResult():
            return _overview_view(result)
        case ClaimsResult():
            return _claims_view(result)
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
            raise UsageProblem("a report is written as Markdown or HTML, not as records")
        case CheckResult():
            # Unreachable from the command line, which offers a page check as a table, JSON, Markdown or HTML.
            raise UsageProblem("a page check is written as a table, JSON, Markdown or HTML, not as records")
        case _:
            assert_never(result)
