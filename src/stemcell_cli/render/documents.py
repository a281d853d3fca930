"""The human-readable document of each result, printed as a table or as Markdown."""

from __future__ import annotations

import math

from stemcell_cli.errors import assert_never
from stemcell_cli.evidence.bottom_line import found_text
from stemcell_cli.evidence.grades import ClaimGrade, OutcomeAnswer, OutcomeRow
from stemcell_cli.evidence.results import (
    RATIOS,
    ClaimResult,
    ClaimsResult,
    ClaimView,
    ConditionsResult,
    ContrastsResult,
    ContrastView,
    Effect,
    EffectsResult,
    FindResult,
    Fit,
    Measure,
    OutcomeEffects,
    OverviewResult,
    ReportResult,
    Result,
    SofResult,
    StudiesResult,
    StudyResult,
    SummaryResult,
    TrialsResult,
    Votes,
)
from stemcell_cli.model import Better, CitationIssue, Design, Study, Trial
from stemcell_cli.render.blocks import Block, Document, Field, Fields, Heading, Paragraph, Table
from stemcell_cli.render.forest import Forest, ForestRow
from stemcell_cli.render.labels import (
    absolute_text,
    asserted,
    certainty_text,
    citation,
    comparison_text,
    count_text,
    design_label,
    doi_url,
    domain_text,
    estimate_text,
    footnotes,
    outcome_text,
    participants_text,
    pubmed_url,
    short_design,
    shown_text,
    sources_text,
    study_fields,
    verdict_text,
    words,
)

# On a screen the summary shows the page's words cut to this many characters; every other view and format has them all.
SUMMARY_CLAIM_CHARS = 40
KEY_EVIDENCE_SHOWN = 3


def document(result: Result) -> Document:
    """Return the human-readable document of a result; an empty table becomes a line saying so."""
    built = _build(result)
    blocks = tuple(Paragraph(f"{block.title or 'Rows'}: none in the data.")
                   if isinstance(block, Table) and not block.rows else block for block in built.blocks)
    if not blocks:
        blocks = (Paragraph("Nothing in the data for this condition."),)
    return Document(built.title, blocks)


def _conditions_view(result: ConditionsResult) -> Document:
    table = Table(("Condition", "Name", "Also called", "Studies", "Claims", "Trials"),
                  tuple((r.condition.id, r.condition.name, ", ".join(r.condition.aliases), str(r.studies),
                         str(r.claims), str(r.trials)) for r in result.conditions), wrap=(1,))
    return Document("Conditions", (table,))


def _find_view(result: FindResult) -> Document:
    table = Table(("Condition", "Kind", "Id", "Study or trial", "Found by", "Shown by"),
                  tuple((r.condition, r.kind, r.id, r.label, r.matched, r.command) for r in result.found),
                  title="Found", wrap=(3,), separators=False)
    return Document(f"Studies and trials found by “{result.term}”", (table,))


def _claim_glance_table(views: tuple[ClaimView, ...]) -> Table:
    """Return one row per page claim: its own words (shortened), the verdict and the certainty."""
    return Table(
        ("Claim", "Page's words", "Verdict", "Certainty"),
        tuple((v.claim.id, asserted(v.claim) + v.claim.text,
               verdict_text(v.grade.verdict),
               certainty_text(v.grade.certainty)) for v in views),
        title="What the page claims, and what the evidence shows",
        wrap=(1,),
        brief=((1, SUMMARY_CLAIM_CHARS),),
        separators=False,
    )


def _contrast_rows(views: tuple[ContrastView, ...], *, every_claim: bool) -> Table:
    """Return one row per contrasting study: every claim's finding, or only the first for the summary."""
    rows = []
    for view in views:
        found = [f"{c.claim_id}: {c.finding}" for c in view.claims] or [view.summary or ""]
        claims = ", ".join(c.claim_id for c in view.claims) or "-"
        shown = "\n".join(found) if every_claim else found[0]
        rows.append((view.study.label, short_design(view.study.design), count_text(view.study.n), shown, claims))
    return Table(("Study", "Design", "n", "What it found", "Against claims"), tuple(rows),
                 title="Contrasting findings", wrap=(0, 3, 4))


def _issues_table(issues: tuple[CitationIssue, ...]) -> Table:
    """Return one row per distinct citation issue, with every claim it affects."""
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for issue in issues:
        grouped.setdefault((issue.kind.value, issue.study or "-", issue.summary), []).append(issue.claim)
    return Table(("Issue", "Study", "What was found", "Claims"),
                 tuple((words(kind), study, summary, ", ".join(claims))
                       for (kind, study, summary), claims in grouped.items()),
                 title="Citation issues", wrap=(2, 3))


def _trials_table(trials: tuple[Trial, ...], title: str) -> Table:
    """Return one row per registered trial."""
    posted = {True: "yes", False: "no", None: "not stated"}
    return Table(("Registry id", "Phase", "Design", "Enrolment", "Status", "Results posted"),
                 tuple((t.id, t.phase or "?", t.design or "?", t.enrollment or "?", t.status or "?",
                        posted[t.results_posted]) for t in trials),
                 title=title, wrap=(1, 2, 3, 4))


def _summary_view(result: SummaryResult) -> Document:
    name = result.condition.id
    blocks: list[Block] = [Paragraph("Bottom line: " + " ".join(result.bottom_line))]
    if result.pages:
        blocks.append(Paragraph("Claims checked from: " + "; ".join(
            f"{page.title} ({page.publisher or 'publisher unknown'})" for page in result.pages)))
    blocks.append(_claim_glance_table(result.claims))
    # The largest controlled studies, each in a paragraph; the rest are counted, so that the screen stays one.
    shown = sorted(result.key_evidence, key=lambda k: -(k.study.n or 0))[:KEY_EVIDENCE_SHOWN]
    for key in (k for k in result.key_evidence if k in shown):
        found = f": {key.result.rstrip('.')}." if key.result else "."
        blocks.append(Paragraph(f"Key controlled evidence: {citation(key.study)} {found_text(key.study.direction)}"
                                f"{found}"))
    more = len(result.key_evidence) - len(shown)
    if more:
        blocks.append(Paragraph(f"{more} more controlled {'study' if more == 1 else 'studies'}: "
                                f"`stemcell {name} studies --design randomised_controlled_trial`."))
    issues = len({(i.kind, i.study, i.summary) for i in result.issues})
    unposted, unstated = len(result.trials_without_results), result.trials_results_unstated
    follow = [f"{issues} citation {'issue' if issues == 1 else 'issues'}: `stemcell {name} claims`",
              f"{unposted} registered {'trial' if unposted == 1 else 'trials'} without posted results: "
              f"`stemcell {name} trials`"]
    if unstated:
        follow[-1] += f" ({unstated} more {'does' if unstated == 1 else 'do'} not say)"
    follow += [f"why each verdict: `stemcell {name} claim ID`", f"background: `stemcell {name} overview`"]
    blocks.append(Paragraph("; ".join(follow) + "."))
    return Document(f"{result.condition.name}: what the curated evidence shows", tuple(blocks))


def _overview_view(result: OverviewResult) -> Document:
    blocks: list[Block] = [Paragraph(p.text) for p in result.points] or [Paragraph("No overview in the data.")]
    sources = list(dict.fromkeys(url for p in result.points for url in p.src))
    if sources:
        blocks.append(Paragraph("Sources: " + "; ".join(sources)))
    return Document(f"{result.condition.name}: overview", tuple(blocks))


def _verdict_fields(view: ClaimView) -> Fields:
    """Return the verdict, what the evidence shows, its certainty and the statement of a claim."""
    grade = view.grade
    fields = [Field("Verdict", asserted(view.claim) + verdict_text(grade.verdict)),
              Field("Evidence shows", shown_text(grade.effect) if grade.effect else "-"),
              Field("Certainty", certainty_text(grade.certainty)),
              Field("Statement", grade.statement)]
    if view.source is not None:
        confirmed = {True: "yes", False: "no", None: "-"}[grade.independent_confirmation]
        fields.append(Field("Source", f"{citation(view.source)}: the quoted study, graded with the rest of the "
                                      f"evidence; confirmed without it and its overlapping reports: {confirmed}"))
    return Fields(tuple(fields))


def _row_name(row: OutcomeRow, therapy: str) -> str:
    """Return an outcome row's name with its comparison and time point."""
    when = row.timepoint or "time point not stated"
    return f"{row.outcome.name}: {comparison_text(therapy, row.comparator)}, {when}"


def _answer_rows(answer: OutcomeAnswer, therapy: str) -> list[tuple[str, str, str, str]]:
    """Return the derivation lines of one outcome's answer: the row, its start, each domain, the verdict."""
    row = answer.row
    if row is None:
        return [(answer.name, "verdict", verdict_text(answer.verdict), answer.reason)]
    lines = [(answer.name, "row", estimate_text(row.estimate) if row.estimate else "vote count",
              f"{_row_name(row, therapy)}; {row.basis}; {participants_text(row)}; {answer.reason}"),
             (answer.name, "start", words(row.start.value), "randomised comparisons" if row.start.points == 4
              else "non-randomised comparisons")]
    lines += [(answer.name, domain_text(j.domain), f"-{j.levels}" if j.levels else "0", j.reason)
              for j in row.judgements]
    lines.append((answer.name, "shows", shown_text(row.shown), footnotes(row)[-1]))
    lines.append((answer.name, "verdict", f"{verdict_text(answer.verdict)} ({certainty_text(row.certainty)})",
                  answer.magnitude or row.statement))
    return lines


def _derivation(grade: ClaimGrade, therapy: str) -> list[Block]:
    """Return the blocks that show how a verdict was reached, outcome by outcome."""
    lines = [line for answer in grade.answers for line in _answer_rows(answer, therapy)]
    if grade.parts:
        lines.append(("claims", "combined", verdict_text(grade.verdict), grade.reason))
    blocks: list[Block] = [Table(("Outcome", "Step", "Result", "Reason"), tuple(lines), title="Derivation",
                                 wrap=(0, 2, 3))] if lines else []
    if grade.harms:
        blocks.append(Table(("Study", "Controlled", "Arm", "Event", "Count", "Attribution"),
                            tuple((h.label, "yes" if h.controlled else "no", f"{h.arm} (n={count_text(h.arm_n)})",
                                   f"{h.event} ({words(h.kind.value)})", str(h.count), words(h.attribution.value))
                                  for h in grade.harms), title="Harm records", wrap=(0, 2, 3)))
    if grade.robustness:
        blocks.append(Table(("Recomputed with", "Removed", "Verdict", "Certainty", "Changes"),
                            tuple((r.scenario + (f" ({r.note})" if r.note else ""), ", ".join(r.removed) or "-",
                                   verdict_text(r.verdict), certainty_text(r.certainty), "yes" if r.changed else "no")
                                  for r in grade.robustness), title="Robustness", wrap=(0, 1)))
    return blocks


def _derivation_brief(grade: ClaimGrade, therapy: str) -> list[Block]:
    """Return one line per outcome: the row that answers it, the certainty's path, the verdict (`claim ID` has all)."""
    lines = []
    for answer in grade.answers:
        row = answer.row
        if row is None:
            lines.append((answer.name, "-", answer.reason, verdict_text(answer.verdict)))
            continue
        down = ", ".join(f"{domain_text(j.domain).lower()} -{j.levels}" for j in row.judgements if j.levels)
        path = f"{words(row.start.value)}{'; ' + down if down else ''} → {words(row.certainty.value)}"
        estimate = estimate_text(row.estimate) if row.estimate else "vote count"
        lines.append((answer.name, f"{estimate}; {_row_name(row, therapy)}", path,
                      f"{verdict_text(answer.verdict)} ({shown_text(row.shown)})"))
    if grade.parts:
        lines.append(("claims", grade.reason, "-", verdict_text(grade.verdict)))
    return [Table(("Outcome", "Answered by", "Certainty", "Verdict"), tuple(lines), title="How the verdict was reached",
                  wrap=(0, 1, 2, 3))] if lines else []


def _claim_blocks(view: ClaimView, therapy: str, *, explain: bool, full: bool = False) -> list[Block]:
    """Return the blocks of one claim: its words, verdict, links, issues, note, and the derivation if asked."""
    claim = view.claim
    blocks: list[Block] = [Heading(claim.id),
                           Paragraph(f"“{claim.text}” ({claim.cited_as or 'no citation'}); outcome: {claim.outcome}"),
                           _verdict_fields(view)]
    if explain:
        blocks += _derivation(view.grade, therapy) if full else _derivation_brief(view.grade, therapy)
    rows = [("supports", citation(f.study), f.finding) for f in view.support]
    rows += [("contrasts", citation(f.study), f.finding) for f in view.contrast]
    blocks.append(Table(("Side", "Study", "Finding"), tuple(rows) or (("-", "no curated study", "-"),), wrap=(2,)))
    if view.issues:
        blocks.append(_issues_table(view.issues))
    if claim.note:
        blocks.append(Paragraph(f"Note: {claim.note}"))
    return blocks


def _claims_view(result: ClaimsResult) -> Document:
    therapy = result.condition.therapy
    blocks = [block for view in result.claims for block in _claim_blocks(view, therapy, explain=result.explain)]
    return Document(f"{result.condition.name}: claims and their citations", tuple(blocks))


def _claim_view(result: ClaimResult) -> Document:
    return Document(f"{result.condition.name}: claim {result.view.claim.id}",
                    tuple(_claim_blocks(result.view, result.condition.therapy, explain=True, full=True)))


def _contrasts_view(result: ContrastsResult) -> Document:
    return Document(f"{result.condition.name}: contrasting findings",
                    (_contrast_rows(result.contrasts, every_claim=True),))


def _studies_view(result: StudiesResult) -> Document:
    table = Table(("Id", "Study", "Year", "Design", "n", "Direction", "DOI / PMID"),
                  tuple((s.id, s.label, str(s.year) if s.year else "?", design_label(s.design), count_text(s.n),
                         words(s.direction.value),
                         s.doi or (f"PMID {s.pmid}" if s.pmid else "-")) for s in result.studies),
                  title="Studies", wrap=(1, 5), stack=(0, 1, 6))
    count = len(result.studies)
    return Document(f"{result.condition.name}: {count} {'study' if count == 1 else 'studies'}", (table,))


def _study_view(result: StudyResult) -> Document:
    study = result.study
    links = (Field("DOI", doi_url(study.doi.value) or "not recorded", doi_url(study.doi.value)),
             Field("PubMed", pubmed_url(study.pmid.value) or "not recorded", pubmed_url(study.pmid.value)))
    fields = study_fields(study)
    marked = result.secondary
    rows = tuple((name, _readable(name, value) or "—", note, sources_text(tuple(src.split()), marked))
                 for name, value, src, note in fields if value or note or src)
    empty = [name for name, value, src, note in fields if not (value or note or src)]
    outcomes = tuple((o.measure, o.timepoint or "", outcome_text(o), sources_text(o.src, marked))
                     for o in study.outcomes)
    blocks: list[Block] = [Fields(links), Table(("Field", "Value", "Note", "Source"), rows, title="Fields",
                                                wrap=(1, 2, 3))]
    if marked:
        blocks.append(Paragraph("Secondary sources (no journal, PubMed, PMC or registry page gave these values): "
                                + "; ".join(f"{url}: {words(s.kind.value)}" + (f", {s.note}" if s.note else "")
                                            for url, s in marked.items()) + "."))
    if study.source_note:
        blocks.append(Paragraph(f"Sources: {study.source_note}"))
    if outcomes:
        blocks.append(Table(("Measure", "When", "Reported", "Source"), outcomes, title="Outcomes",
                            wrap=(0, 1, 2, 3)))
    if empty:
        blocks.append(Paragraph("Not recorded: " + ", ".join(empty) + "."))
    title = f"{result.ref.label}: {study.title.value or study.id}"
    return Document(title, tuple(blocks))


def _readable(name: str, value: str) -> str:
    """Return a coded value in readers' words (the machine formats keep the codes)."""
    if name == "design":
        return design_label(Design(value))
    return words(value) if name in ("direction", "verification") else value


def _trials_view(result: TrialsResult) -> Document:
    table = _trials_table(result.trials, "Registered trials")
    detail = Table(("Registry id", "Title", "Sponsor", "Published as", "Note"),
                   tuple((t.id, t.title, t.sponsor or "?", t.published_as or "-", t.note or "") for t in result.trials),
                   title="Registry details", wrap=(1, 2, 4))
    return Document(f"{result.condition.name}: registered trials", (table, detail))


def _sof_view(result: SofResult) -> Document:
    """Return the Summary of Findings in GRADEpro's columns, grouped by comparison, with lettered footnotes."""
    therapy = result.condition.therapy
    blocks: list[Block] = []
    groups: dict[str, list[OutcomeRow]] = {}
    for row in result.rows:
        groups.setdefault(comparison_text(therapy, row.comparator), []).append(row)
    for comparison, rows in groups.items():
        lines: list[tuple[str, ...]] = []
        notes: list[str] = []
        for row in rows:
            letters = []
            for note in footnotes(row):
                letters.append(_letter(len(notes)))
                notes.append(f"{_letter(len(notes))}. {note}")
            comparator, intervention, difference = absolute_text(row)
            lines.append((f"{row.outcome.name} ({row.timepoint or 'time point not stated'}; "
                          f"{words(row.outcome.importance.value)})", participants_text(row),
                          f"{certainty_text(row.certainty)} {','.join(letters)}",
                          estimate_text(row.estimate) if row.estimate else "vote count",
                          comparator, intervention, difference, row.statement))
        blocks.append(Table(("Outcome (importance)", "Participants (studies)", "Certainty", "Relative effect "
                             "(95% CI)", "Risk with comparator", "Risk with intervention",
                             "Difference (95% CI)", "Statement"), tuple(lines), title=comparison,
                            wrap=(0, 1, 2, 3, 6, 7)))
        blocks.append(Paragraph("Footnotes: " + " ".join(notes)))
    if result.excluded:
        blocks.append(Table(("Id", "Study", "Result", "Not in any estimate because"),
                            tuple((x.study, x.label, x.measure, x.reason) for x in result.excluded),
                            title="Results left out", wrap=(1, 2, 3)))
    return Document(f"{result.condition.name}: summary of findings", tuple(blocks))


def _letter(index: int) -> str:
    """Return a footnote letter: a to z, then aa, ab and so on."""
    return _letter(index // 26 - 1) + chr(97 + index % 26) if index >= 26 else chr(97 + index)


# The effects command: an overview table of outcomes, then a forest plot per outcome and measure.
# Its tables of words are exhaustive matches, alike in shape to labels.py's on purpose: mypy finds a member left out.

def measure_name(measure: Measure) -> str:
    """Return a measure's name in words."""
    match measure:
        case Measure.RR:
            return "risk ratio"
        case Measure.OR:
            return "odds ratio"
        case Measure.RD:
            return "risk difference"
        case Measure.MD:
            return "mean difference"
        case Measure.SMD:
            return "standardised mean difference (Hedges' g)"
        case Measure.HR:
            return "hazard ratio"
        case Measure.IRR:
            return "rate ratio"
        case Measure.PR:
            return "proportion"
        case Measure.OTHER:
            return "measure as reported"
        case _:
            assert_never(measure)


def no_effect(measure: Measure) -> float | None:
    """Return where a measure shows no effect on the reading scale, or None when it has no such line."""
    match measure:
        case Measure.RR | Measure.OR | Measure.HR | Measure.IRR:
            return 1.0
        case Measure.RD | Measure.MD | Measure.SMD:
            return 0.0
        case Measure.PR | Measure.OTHER:
            return None
        case _:
            assert_never(measure)


def _num(value: float | None) -> str:
    """Return an estimate as text: two decimals, fewer digits' worth for large values, '?' when missing."""
    if value is None:
        return "?"
    size = abs(value)
    if size >= 100:
        return f"{value:.0f}"
    if size >= 10:
        return f"{value:.1f}"
    if 0 < size < 0.005:
        return f"{value:.2g}"
    return f"{value:.2f}"


def _p(value: float) -> str:
    """Return a p-value as text."""
    return "<0.0001" if value < 0.0001 else f"{value:.4f}"


def _estimate(effect: Effect) -> str:
    """Return 'estimate [low, high]' as read, with the exact interval too for a proportion."""
    if effect.ci_low is None or effect.ci_high is None:
        return f"{_num(effect.estimate)} (no interval)"
    text = f"{_num(effect.estimate)} [{_num(effect.ci_low)}, {_num(effect.ci_high)}]"
    if effect.exact_low is not None and effect.exact_high is not None:
        text += f" exact [{_num(effect.exact_low)}, {_num(effect.exact_high)}]"
    return text


def _measure_code(effect: Effect) -> str:
    """Return the short name of an effect's measure, the reported wording for an unnamed one."""
    if effect.measure is Measure.OTHER:
        return effect.metric or "as reported"
    return str(effect.measure.value)


def _fit_text(fit: Fit, log_scale: bool) -> str:
    """Return a pooled estimate on the reading scale with its interval."""
    back = math.exp if log_scale else (lambda x: x)
    return f"{_num(back(fit.estimate))} [{_num(back(fit.ci_low))}, {_num(back(fit.ci_high))}]"


def _outcome_name(group: OutcomeEffects) -> str:
    """Return an outcome's measure with its time point."""
    return f"{group.outcome} ({group.timepoint})" if group.timepoint else group.outcome


def _votes_text(votes: Votes | None) -> str:
    """Return a vote count as '+a / -b (ties c), sign test p'."""
    if votes is None:
        return "-"
    ties = f", {votes.ties} no effect" if votes.ties else ""
    return f"{votes.positive} above, {votes.negative} below{ties}; p = {_p(votes.p_two_sided)}"


def _effect_rows(group: OutcomeEffects, measure: Measure, log_scale: bool) -> tuple[ForestRow, ...]:
    """Return the forest rows of one outcome's effects of one measure, then its pooled estimates."""
    rows = []
    for item in group.effects:
        effect = item.effect
        if effect is None or effect.measure is not measure:
            continue
        rows.append(ForestRow(item.study.label, short_design(item.study.design), count_text(item.study.n),
                              _estimate(effect), effect.estimate, effect.ci_low, effect.ci_high))
    back = math.exp if log_scale else (lambda x: x)
    fits = [("Common effect (IV)", group.common), ("Mantel-Haenszel", group.mantel_haenszel),
            (f"Random effects ({group.random.method.value})" if group.random else "", group.random)]
    for label, fit in fits:
        if fit is not None and group.measure is measure:
            rows.append(ForestRow(label, "", "", f"{_num(back(fit.estimate))} [{_num(back(fit.ci_low))}, "
                                  f"{_num(back(fit.ci_high))}]", back(fit.estimate), back(fit.ci_low),
                                  back(fit.ci_high), pooled=True))
    return tuple(rows)


def _pooled_paragraphs(group: OutcomeEffects) -> list[Block]:
    """Return the pooled results of an outcome in words: heterogeneity, tau2, prediction interval, votes."""
    blocks: list[Block] = []
    fit, common = group.random, group.common
    log_scale = group.measure in RATIOS
    back = math.exp if log_scale else (lambda x: x)
    if fit is not None and common is not None:
        test = "Hartung-Knapp t" if fit.df is not None else "z"
        ci = fit.tau2_ci
        tau_ci = f" [{_num(ci.tau2[0])}, {_num(ci.tau2[1])}]" if ci else ""
        pi = (f"; prediction interval {_num(back(fit.pi_low))} to {_num(back(fit.pi_high))}"
              if fit.pi_low is not None and fit.pi_high is not None else "")
        blocks.append(Paragraph(
            f"Pooled over {fit.k} studies: common effect {_fit_text(common, log_scale)} (p {_p(common.pval)}); "
            f"random effects ({fit.method.value}, {test}) {_fit_text(fit, log_scale)} (p {_p(fit.pval)}){pi}. "
            f"Heterogeneity: Q = {fit.q:.2f} on {fit.q_df} df (p {_p(fit.q_p)}), I2 = {fit.i2:.1f}%, "
            f"H2 = {fit.h2:.2f}, tau2 = {_num(fit.tau2)}{tau_ci}."))
        if fit.note:
            blocks.append(Paragraph(f"Note: {fit.note}."))
    elif group.not_pooled:
        blocks.append(Paragraph(f"Not pooled: {group.not_pooled}."))
    if group.votes is not None:
        blocks.append(Paragraph(f"Direction of effect (each evidence cluster once): {_votes_text(group.votes)} "
                                "(exact two-sided sign test)."))
    for item in group.effects:
        if item.note:
            blocks.append(Paragraph(f"{item.study.label}: {item.note}."))
    return blocks


def _effects_view(result: EffectsResult) -> Document:
    binary, continuous = result.binary.value, result.continuous.value
    blocks: list[Block] = [Paragraph(
        f"Two-arm events as {binary}, means as {continuous}; ratios on the log scale; 95% intervals (Wilson for a "
        f"single group's proportion, exact beside it). Pooling: inverse-variance common effect, Mantel-Haenszel "
        f"for counts, and {result.method.value} random effects"
        f"{' with Hartung-Knapp' if result.test.value != 'z' else ''}.")]
    overview = []
    for group in result.outcomes:
        counted = sum(e.effect is not None for e in group.effects)
        if not counted:
            continue
        pooled = _fit_text(group.random, group.measure in RATIOS) if group.random else "-"
        measures = sorted({_measure_code(e.effect) for e in group.effects if e.effect is not None})
        overview.append((_outcome_name(group), f"{counted} of {len(group.effects)}", ", ".join(measures), pooled,
                         f"{group.random.i2:.1f}%" if group.random else "-", _votes_text(group.votes),
                         group.not_pooled or "-"))
    blocks.append(Table(("Outcome", "Effects", "Measure", "Pooled (random)", "I2", "Votes", "Not pooled because"),
                        tuple(overview), title="Outcomes with an effect size", wrap=(0, 2, 5, 6)))
    missing = []
    for group in result.outcomes:
        kinds = list(dict.fromkeys(e.effect.measure for e in group.effects if e.effect is not None))
        if kinds:
            blocks.append(Heading(_outcome_name(group)))
        for measure in kinds:
            log_scale = measure in RATIOS
            scale = ", log scale" if log_scale else ""
            header = f"{measure.value if measure is not Measure.OTHER else 'Estimate'} [95% CI]"
            blocks.append(Forest(title=f"{measure_name(measure)}{scale}", header=header,
                                 rows=_effect_rows(group, measure, log_scale), log_scale=log_scale,
                                 null=no_effect(measure)))
        if kinds:
            blocks += _pooled_paragraphs(group)
        missing += [(e.study.label, _outcome_name(group), e.reason or "") for e in group.effects if e.effect is None]
    blocks.append(Table(("Study", "Outcome", "Why no effect size"), tuple(missing),
                        title="Outcomes without an effect size", wrap=(0, 1, 2)))
    suffix = f" (outcomes matching “{result.outcome_filter}”)" if result.outcome_filter else ""
    return Document(f"{result.condition.name}: effect sizes{suffix}", tuple(blocks))


def _build(result: Result) -> Document:
    """Return the document view of a result, chosen by an exhaustive match on the result's type."""
    # The same match as payloads.py's and records.py's, on purpose: one per format, so mypy finds a view missing.
    match result:
        case ConditionsResult():
            return _conditions_view(result)
        case FindResult():
            return _find_view(result)
        case SummaryResult():
            return _summary_view(result)
        case OverviewResult():
            return _overview_view(result)
        case ClaimsResult():
            return _claims_view(result)
        case ClaimResult():
            return _claim_view(result)
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
        case ReportResult():
            return _report_view(result)
        case _:
            assert_never(result)


# The report: one document to share, made of the other views' parts, with the studies as numbered references.

METHODS = (
    "Each claim is quoted from the clinic or commercial page named above, in the page's own words. The studies, "
    "trials and numbers come from a curated data file: every value carries the URL it was read from, and a value "
    "no source confirmed stays empty rather than guessed.",
    "Each claim is answered per outcome from an effect estimate of controlled comparisons, as GRADE rates "
    "evidence: two or more results are pooled by random effects (REML, Hartung-Knapp), one result stands as its "
    "own estimate, and uncontrolled reports are shown but never pooled. Randomised comparisons start at high "
    "certainty and others at low; each of risk of bias, inconsistency, indirectness, imprecision and "
    "publication bias can rate it down, and very low certainty always reads as very uncertain.",
    "The verdict says whether the evidence agrees with what the claim asserts: supported, not supported, very "
    "uncertain, or not checkable when nothing curated answers it. Citation issues are places where what the page "
    "says about a source differs from what the source shows. The full rules are in the project's README; `stemcell "
    "CONDITION claim ID` shows how one verdict was reached.",
)


def _reference_text(number: int, study: Study, trials: dict[str, Trial]) -> str:
    """Return one numbered reference: authors, title, journal, year, volume, issue, pages, and its links."""
    authors = study.authors.value or ()
    names = ", ".join(authors[:6]) + (", et al" if len(authors) > 6 else "")
    parts = [names or study_label_of(study), study.title.value or "(title not recorded)"]
    journal = study.journal.value or ""
    where = str(study.year.value) if study.year.value is not None else "year not confirmed"
    if study.volume.value:
        where += f";{study.volume.value}"
        if study.issue.value:
            where += f"({study.issue.value})"
    pages = study.pages.value or study.article_number.value
    if pages:
        where += f":{pages}"
    parts.append(f"{journal} {where}".strip())
    text = f"[{number}] " + ". ".join(p.rstrip(".") for p in parts) + "."
    links = []
    if doi_url(study.doi.value):
        links.append(f"DOI {doi_url(study.doi.value)}")
    elif study.doi.value:
        links.append(f"DOI {study.doi.value}")
    if pubmed_url(study.pmid.value):
        links.append(f"PubMed {pubmed_url(study.pmid.value)}")
    registration = study.trial_registration.value
    trial = trials.get(registration or "") or trials.get(f"published:{study.id}")
    if trial is not None:
        page = next((url for url in trial.src), None)
        links.append(f"Registry {trial.id}" + (f" {page}" if page else ""))
    elif registration:
        links.append(f"Registry {registration}")
    return text + (" " + "; ".join(links) + "." if links else "")


def study_label_of(study: Study) -> str:
    """Return a study's label for a reference with no authors on record."""
    from stemcell_cli.evidence.lookup import study_label

    return study_label(study)


def _report_claim(view: ClaimView, therapy: str, numbers: dict[str, int]) -> list[Block]:
    """Return one claim in full: its words, verdict, certainty and statement, its citations as numbered references."""
    claim = view.claim
    blocks: list[Block] = [Heading(claim.id, level=3),
                           Paragraph(f"“{claim.text}” ({claim.cited_as or 'no citation'}); outcome: {claim.outcome}"),
                           _verdict_fields(view)]
    rows = [(side, f"[{numbers[f.study.id]}]", citation(f.study), f.finding)
            for side, found in (("supports", view.support), ("contrasts", view.contrast)) for f in found]
    blocks.append(Table(("Side", "Ref.", "Study", "Finding"), tuple(rows) or (("-", "-", "no curated study", "-"),),
                        title=f"Citations of {claim.id}", wrap=(2, 3)))
    if view.issues:
        blocks.append(Paragraph("Citation issues: " + "; ".join(f"{words(i.kind.value)}: {i.summary}"
                                                                for i in view.issues)))
    if claim.note:
        blocks.append(Paragraph(f"Note: {claim.note}"))
    return blocks


def _favours(better: Better, therapy: str, comparator: str) -> tuple[str, str]:
    """Return whom a result below and above no effect favours, by which way the outcome is better."""
    return (comparator, therapy) if better is Better.HIGHER else (therapy, comparator)


def _report_forests(result: SofResult) -> list[Block]:
    """Return a forest plot per outcome row with an estimate: each result, then the row's estimate."""
    therapy = result.condition.therapy
    blocks: list[Block] = []
    for row in result.rows:
        estimate = row.estimate
        if estimate is None:
            continue
        measure = estimate.measure
        shown = [c for c in row.contributions if c.effect.measure is measure]
        lines = [ForestRow(label=c.label, design="review" if c.review else "randomised" if c.randomised
                           else "non-randomised",
                           n=count_text(c.participants), text=_estimate(c.effect), estimate=c.effect.estimate,
                           low=c.effect.ci_low, high=c.effect.ci_high) for c in shown]
        lines.append(ForestRow(label=f"Estimate ({estimate.method}, {estimate.k} "
                                     f"{'study' if estimate.k == 1 else 'studies'})", design="", n="",
                               text=estimate_text(estimate), estimate=estimate.value, low=estimate.ci_low,
                               high=estimate.ci_high, pooled=True))
        comparator = comparator_text_of(row)
        low, high = _favours(row.outcome.better, therapy, comparator)
        scale = ", log scale" if estimate.log_scale else ""
        blocks.append(Forest(title=f"{_row_name(row, therapy)} ({measure_name(measure)}{scale})",
                             header=f"{measure.value} [95% CI]", rows=tuple(lines), log_scale=estimate.log_scale,
                             null=no_effect(measure), favours_low=low, favours_high=high))
    return blocks


def comparator_text_of(row: OutcomeRow) -> str:
    """Return the comparison's control side in words, for a forest plot's favours label."""
    from stemcell_cli.render.labels import comparator_text

    return comparator_text(row.comparator) if row.comparator else "control"


def _listed(table: Table, empty: str) -> Block:
    """Return a table, or the sentence that says it has no rows."""
    return table if table.rows else Paragraph(empty)


def _report_view(result: ReportResult) -> Document:
    """Return the report: pages, bottom line, Summary of Findings, claims, issues, evidence, trials, plots, methods."""
    summary = result.summary
    condition = summary.condition
    numbers = {study.id: place for place, study in enumerate(result.references, start=1)}
    blocks: list[Block] = [Heading("Clinic pages checked")]
    blocks.append(_listed(Table(("Page", "Publisher", "Address", "Seen"),
                                tuple((p.title, p.publisher or "-", p.url or "address not recorded", p.seen or "-")
                                      for p in summary.pages), wrap=(0, 1, 2)),
                          "No page of this condition is on file."))
    blocks += [Heading("Bottom line"), *(Paragraph(sentence) for sentence in summary.bottom_line)]
    blocks.append(Heading("Summary of Findings"))
    blocks += list(_sof_view(result.sof).blocks) or [Paragraph("No outcome has a controlled estimate.")]
    blocks.append(Heading("Claims"))
    for view in summary.claims:
        blocks += _report_claim(view, condition.therapy, numbers)
    blocks.append(Heading("Citation issues"))
    grouped: dict[tuple[str, str, str], tuple[list[str], list[str]]] = {}
    for issue in summary.issues:
        claims, sources = grouped.setdefault((issue.kind.value, issue.study or "-", issue.summary), ([], []))
        claims.append(issue.claim)
        sources += [url for url in issue.src if url not in sources]
    blocks.append(_listed(Table(("Issue", "Study", "What was found", "Claims", "Sources"),
                                tuple((words(kind), f"[{numbers[study]}] {study}" if study in numbers else study,
                                       text, ", ".join(claims), " ".join(sources))
                                      for (kind, study, text), (claims, sources) in grouped.items()),
                                wrap=(2, 3, 4)), "No citation issue is on file."))
    blocks.append(Heading("Key evidence"))
    blocks.append(_listed(Table(("Ref.", "Study", "Design", "Result", "Conclusion"),
                                tuple((f"[{numbers[k.study.id]}]", citation(k.study), k.design_detail or "-",
                                       k.result or "-", k.conclusion or "-") for k in summary.key_evidence),
                                wrap=(1, 2, 3, 4)), "No controlled study is on file."))
    blocks.append(Heading("Trials without posted results"))
    blocks.append(_listed(Table(("Registry id", "Title", "Status", "Enrolment", "Registry page"),
                                tuple((t.id, t.title, t.status or "?", t.enrollment or "?", " ".join(t.src) or "-")
                                      for t in summary.trials_without_results), wrap=(1, 2, 3, 4)),
                          "No registered trial is recorded as lacking posted results."))
    if summary.trials_results_unstated:
        count = summary.trials_results_unstated
        blocks.append(Paragraph(f"{count} more registered {'trial does' if count == 1 else 'trials do'} not say "
                                "whether results are posted."))
    blocks.append(Heading("Forest plots"))
    blocks += _report_forests(result.sof) or [Paragraph("No outcome has a controlled estimate to plot.")]
    blocks += [Heading("Methods"), *(Paragraph(text) for text in METHODS)]
    blocks.append(Heading("References"))
    trials = {t.id: t for t in result.trials} | {f"published:{t.published_as}": t for t in result.trials
                                                  if t.published_as}
    blocks += [Paragraph(_reference_text(n, study, trials)) for n, study in enumerate(result.references, start=1)]
    return Document(f"{condition.name}: what the curated evidence shows about the clinic pages' claims",
                    tuple(blocks))
