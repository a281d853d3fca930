"""The human-readable document of each result, printed as a table or as Markdown."""

from __future__ import annotations

from stemcell_cli.errors import assert_never
from stemcell_cli.evidence.bottom_line import found_text
from stemcell_cli.evidence.certainty import Level
from stemcell_cli.evidence.grades import ClaimGrade, Contribution, OutcomeAnswer, OutcomeRow, Verdict
from stemcell_cli.evidence.results import (
    CheckResult,
    ClaimResult,
    ClaimsResult,
    ClaimView,
    ConditionsResult,
    ContrastsResult,
    ContrastView,
    DiffResult,
    Effect,
    EffectsResult,
    FindResult,
    IssuesResult,
    Measure,
    OverviewResult,
    ReportResult,
    Result,
    SofResult,
    StudiesResult,
    StudyResult,
    SummaryResult,
    TrialsResult,
)
from stemcell_cli.model import Better, CitationIssue, Condition, Design, Study, Trial
from stemcell_cli.render.blocks import Block, Document, Field, Fields, Heading, Paragraph, Table
from stemcell_cli.render.forest import Forest, ForestRow
from stemcell_cli.render.labels import (
    absolute_text,
    asserted,
    certainty_symbols,
    certainty_text,
    citation,
    comparator_text,
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

KEY_EVIDENCE_SHOWN = 3


def document(result: Result) -> Document:
    """Return the human-readable document of a result; an empty table becomes a line saying so."""
    return _filled(_build(result))


def _filled(built: Document) -> Document:
    """Return a document (and its versions for a screen) with each empty table as a line saying so."""
    blocks = tuple(Paragraph(f"{block.title or 'Rows'}: none in the data.")
                   if isinstance(block, Table) and not block.rows else block for block in built.blocks)
    if not blocks:
        blocks = (Paragraph("Nothing in the data for this condition."),)
    return Document(built.title, blocks, tuple(_filled(version) for version in built.screens))


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


def _claim_glance_table(views: tuple[ClaimView, ...], lines: int, *, short: bool = True) -> Table:
    """Return one row per page claim: its own words (cut to `lines` on a screen), the verdict and the certainty.

    On rows of two lines the certainty goes under the verdict, so that the page's words get the width.
    """
    if lines > 1:
        return Table(("Claim", "What the page says", "Verdict, certainty"),
                     tuple((v.claim.id, asserted(v.claim) + v.claim.text,
                            f"{verdict_text(v.grade.verdict)}\n{certainty_text(v.grade.certainty)}") for v in views),
                     wrap=(1,), brief=((1, lines),), separators=False, edge=False)
    if lines == 1 and short:
        # One line a claim on a small screen: GRADE's symbols alone say the certainty, so the words get the width.
        return Table(("Claim", "What the page says", "Verdict, certainty"),
                     tuple((v.claim.id, asserted(v.claim) + v.claim.text,
                            f"{verdict_text(v.grade.verdict)} "
                            f"{certainty_symbols(v.grade.certainty) if v.grade.certainty else '-'}") for v in views),
                     wrap=(1,), brief=((1, lines),), separators=False, edge=False)
    return Table(("Claim", "What the page says", "Verdict", "Certainty"),
                 tuple((v.claim.id, asserted(v.claim) + v.claim.text, verdict_text(v.grade.verdict),
                        certainty_text(v.grade.certainty)) for v in views),
                 wrap=(1,), brief=((1, lines),), separators=False, edge=False)


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
    """Return the summary; a screen tries shorter versions: key studies without their words, then claims on a line."""
    title = f"{result.condition.name}: what the curated evidence shows"
    versions = [Document(title, _summary_blocks(result, claim_lines=lines, quotes=quotes, publishers=publishers))
                for lines, quotes, publishers in ((2, True, True), (2, False, True), (1, False, True),
                                                  (1, False, False), (1, False, None))]
    whole = _summary_blocks(result, claim_lines=1, quotes=True, publishers=True, short=False)
    return Document(title, whole, screens=tuple(versions))


def _summary_blocks(result: SummaryResult, *, claim_lines: int, quotes: bool, publishers: bool | None,
                    short: bool = True) -> tuple[Block, ...]:
    """Return the summary's blocks: bottom line, pages, claims, key controlled evidence and where to look next.

    `publishers` None leaves the pages out (the report and the JSON name them), for the shortest screen.
    """
    name = shortest_name(result.condition)
    blocks: list[Block] = [Paragraph("Bottom line: " + " ".join(result.bottom_line))]
    if result.pages and publishers is not None:
        blocks.append(Paragraph(_pages_sentence(result, publishers=publishers)))
    blocks.append(_claim_glance_table(result.claims, claim_lines, short=short) if result.claims
                  else Paragraph("What the page claims, and what the evidence shows: none in the data."))
    # The largest controlled studies; the rest are counted, so that the screen stays one.
    shown = sorted(result.key_evidence, key=lambda k: -(k.study.n or 0))[:KEY_EVIDENCE_SHOWN]
    keys = [k for k in result.key_evidence if k in shown]
    more = len(result.key_evidence) - len(shown)
    rest = f"{more} more: `stemcell {name} studies --design rct`" if more else ""
    if quotes:
        for key in keys:
            found = f": {key.result.rstrip('.')}." if key.result else "."
            blocks.append(Paragraph(f"Key controlled evidence: {citation(key.study)} "
                                    f"{found_text(key.study.direction)}{found}"))
        if rest:
            blocks.append(Paragraph(f"{rest[0].upper()}{rest[1:]} controlled."))
    elif keys:
        listed = [f"{key.study.label} ({short_design(key.study.design)}, n={count_text(key.study.n)}) "
                  f"{found_text(key.study.direction)}" for key in keys]
        blocks.append(Paragraph("Key controlled evidence: " + "; ".join([*listed, *([rest] if rest else [])]) + "."))
    blocks.append(Paragraph(_next_sentence(result, name)))
    return tuple(blocks)


def _pages_sentence(result: SummaryResult, *, publishers: bool) -> str:
    """Say which pages the claims come from: one page by its title, several by their publishers, or counted."""
    pages = result.pages
    if len(pages) == 1:
        return f"Claims checked from: {pages[0].title} ({pages[0].publisher or 'publisher unknown'})."
    if not publishers:
        return f"Claims checked from {len(pages)} pages."
    named = list(dict.fromkeys(page.publisher or "publisher unknown" for page in pages))
    return f"Claims checked from {len(pages)} pages by {_joined_words(named)}."


def _joined_words(items: list[str]) -> str:
    """Return items joined as in a sentence: 'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _next_sentence(result: SummaryResult, name: str) -> str:
    """Return where to look next: each claim in full, each verdict, each study, the trials, the background."""
    issues = len({(i.kind, i.study, i.summary) for i in result.issues})
    unposted, unstated = len(result.trials_without_results), result.trials_results_unstated
    follow = [f"Each claim in full, and the {issues} citation {'issue' if issues == 1 else 'issues'}: "
              f"`stemcell {name} claims`", f"why each verdict: `stemcell {name} claim ID`",
              f"a study's results: `stemcell {name} study ID`"]
    if unposted or unstated:
        unsaid = f", {unstated} not saying" if unstated else ""
        follow.append(f"registered trials ({unposted} without posted results{unsaid}): `stemcell {name} trials`")
    follow.append(f"background: `stemcell {name} overview`")
    return "; ".join(follow) + "."


def shortest_name(condition: Condition) -> str:
    """Return the shortest name a command line may give a condition: its id or an alias."""
    return min((condition.id, *condition.aliases), key=len)


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


def derivation_lines(grade: ClaimGrade, therapy: str) -> list[tuple[str, str, str, str]]:
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
    return lines


def _derivation_brief(grade: ClaimGrade, therapy: str) -> list[Block]:
    """Return the table of how a verdict was reached, one line per outcome."""
    lines = derivation_lines(grade, therapy)
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
    blocks.append(Table(("Side", "Study", "Finding"), tuple(rows) or (("-", "no curated study", "-"),), wrap=(1, 2)))
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
            return "proportion (%)"
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


def _printed(effect: Effect, name: str, value: float | None) -> str:
    """Return one number of an effect as its source printed it, else to two decimals."""
    return effect.printed.get(name) or ("?" if value is None else f"{value:.2f}")


def _printed_estimate(effect: Effect) -> str:
    """Return an effect with its 95% CI, each number as its source printed it (else to two decimals)."""
    value = _printed(effect, "value", effect.estimate)
    if effect.ci_low is None or effect.ci_high is None:
        return f"{value} (no interval)"
    return f"{value} ({_printed(effect, 'ci_low', effect.ci_low)} to {_printed(effect, 'ci_high', effect.ci_high)})"


def _ends(effect: Effect) -> tuple[str, str]:
    """Return the ends of an effect's interval as its source printed them."""
    return _printed(effect, "ci_low", effect.ci_low), _printed(effect, "ci_high", effect.ci_high)


def _row_estimate(row: OutcomeRow) -> str:
    """Return a row's estimate with its CI: one result's as printed, a pooled one to two decimals."""
    estimate = row.estimate
    assert estimate is not None
    own = _plotted(row)
    if estimate.fit is None and len(own) == 1 and own[0].effect.printed:
        return f"{estimate.measure.value} {_printed_estimate(own[0].effect)}"
    return estimate_text(estimate)


def _plotted(row: OutcomeRow) -> list[Contribution]:
    """Return the results of a row that its estimate is made of (those of its measure)."""
    return [c for c in row.contributions if row.estimate is not None and c.effect.measure is row.estimate.measure]


def _favour_sides(row: OutcomeRow) -> tuple[str, str]:
    """Return what the left and the right of no effect favour, by which way the outcome is better."""
    return (("favours control", "favours treatment") if row.outcome.better is Better.HIGHER
            else ("favours treatment", "favours control"))


def _forest(row: OutcomeRow, therapy: str, span: tuple[tuple[float, str], ...]) -> Forest:
    """Return the forest plot of one outcome row: each result with its weight, then the pooled diamond."""
    estimate = row.estimate
    assert estimate is not None
    rows = [ForestRow(c.label, "meta-analysis" if c.review else ("RCT" if c.randomised else "controlled"),
                      count_text(c.participants), _printed_estimate(c.effect), c.effect.estimate, c.effect.ci_low,
                      c.effect.ci_high, weight=f"{c.weight_pct:.1f}%", ends=_ends(c.effect)) for c in _plotted(row)]
    if estimate.fit is not None:
        rows.append(ForestRow("Pooled", "", count_text(row.participants),
                              f"{estimate.value:.2f} ({estimate.ci_low:.2f} to {estimate.ci_high:.2f})",
                              estimate.value, estimate.ci_low, estimate.ci_high, pooled=True, weight="100%",
                              ends=(f"{estimate.ci_low:.2f}", f"{estimate.ci_high:.2f}")))
    scale = ", log scale" if estimate.log_scale else ""
    pooled = f"; pooled by {estimate.method}, I² {estimate.fit.i2:.0f}%" if estimate.fit is not None else ""
    low, high = _favours(row.outcome.better, therapy, comparator_text_of(row))
    return Forest(title=f"{_row_name(row, therapy)} ({measure_name(estimate.measure)}{scale}{pooled})",
                  header=f"{estimate.measure.value} (95% CI)", rows=tuple(rows), log_scale=estimate.log_scale,
                  null=no_effect(estimate.measure), span=span, favours=_favour_sides(row),
                  favours_low=low, favours_high=high)


def _effects_view(result: EffectsResult) -> Document:
    therapy = result.condition.therapy
    name = shortest_name(result.condition)
    rows = result.rows
    table = Table(("Outcome", "Comparison", "k", "Estimate (95% CI)", "I²", "Certainty"),
                  tuple((f"{row.outcome.name} ({row.timepoint or 'time point not stated'})",
                         comparator_text(row.comparator) if row.comparator else "not stated",
                         str(row.estimate.k), _row_estimate(row),
                         f"{row.estimate.fit.i2:.0f}%" if row.estimate.fit else "-", certainty_text(row.certainty))
                        for row in rows if row.estimate is not None),
                  title="Outcomes", wrap=(0, 1), separators=False)
    blocks: list[Block] = [Paragraph(
        f"Each outcome as the verdict rules estimate it from controlled comparisons: k results, pooled by random "
        f"effects (REML, Hartung-Knapp) when two or more; a single result as its source printed it. Certainty is "
        f"GRADE's; the reasons: `stemcell {name} sof`.{_options_note(result, name)}"), table]
    plotted = [row for row in rows if row.estimate is not None
               and (result.outcome_filter is not None or len(_plotted(row)) >= 2)]
    for row in plotted:
        same = [r for r in plotted if r.outcome.id == row.outcome.id and r.estimate is not None]
        span = tuple((v, text) for r in same for c in _plotted(r)
                     for v, text in zip((c.effect.ci_low, c.effect.ci_high), _ends(c.effect), strict=True)
                     if v is not None)
        blocks.append(_forest(row, therapy, span))
    blocks.append(Paragraph(
        f"Every study's effect size, for every measure it reports, with pooled fits by --method, --binary and "
        f"--continuous: `stemcell {name} effects --format json` (or csv).{_plots_note(rows, result)}"))
    suffix = f" (outcomes matching “{result.outcome_filter}”)" if result.outcome_filter else ""
    return Document(f"{result.condition.name}: effect sizes{suffix}", tuple(blocks))


def _options_note(result: EffectsResult, name: str) -> str:
    """Say that the estimator and measure options change the study-level records, not this table, when given."""
    given = [f"--{option} {value}" for option, value, default in (
        ("method", result.method.value, "REML"), ("binary", result.binary.value, "RR"),
        ("continuous", result.continuous.value, "MD")) if value != default]
    if result.test.value != "z":
        given.append("--hartung-knapp")
    if not given:
        return ""
    return (f" {', '.join(given)} change{'s' if len(given) == 1 else ''} the study-level estimates and fits of "
            f"`stemcell {name} effects --format json` (or csv, tsv), not this table, which keeps the verdict rules' "
            "own estimates.")


def _plots_note(rows: tuple[OutcomeRow, ...], result: EffectsResult) -> str:
    """Say which rows have no forest plot, and how to see one."""
    if result.outcome_filter is not None:
        return ""
    single = sum(1 for row in rows if len(_plotted(row)) < 2)
    one = single == 1
    return (f" {single} {'row rests' if one else 'rows rest'} on one result and {'has' if one else 'have'} no forest "
            f"plot; "
            f"`--outcome NAME` draws one for every row of the outcomes it names.") if single else ""


def _issues_view(result: IssuesResult) -> Document:
    table = Table(("Claim", "Page's words", "Issue", "Study", "What the source shows", "Sources"),
                  tuple((row.issue.claim, (row.claim.text if row.claim else "")
                         + (f" (cited as: {row.claim.cited_as})" if row.claim and row.claim.cited_as else ""),
                         words(row.issue.kind.value), row.study.label if row.study else row.issue.study or "-",
                         row.issue.summary, "\n".join(row.issue.src) or "-") for row in result.issues),
                  title="Citation issues", wrap=(1, 3, 4))
    count = len(result.issues)
    return Document(f"{result.condition.name}: {count} citation {'issue' if count == 1 else 'issues'}", (table,))


def _verdict_words(verdict: object, certainty: Level | None) -> str:
    """Return a verdict with its certainty in readers' words, or `-` for a claim one side lacks."""
    if verdict is None:
        return "-"
    assert isinstance(verdict, Verdict)
    return f"{verdict_text(verdict)} ({certainty_text(certainty)})"


def _diff_view(result: DiffResult) -> Document:
    def plural(count: int, one: str, many: str) -> str:
        return f"{count} {one if count == 1 else many}"

    counts = (f"{plural(len(result.added), 'study', 'studies')} added, {len(result.removed)} removed, "
              f"{len(result.changed)} changed; {plural(len(result.verdicts), 'claim', 'claims')} with a new verdict "
              "or certainty.")
    blocks: list[Block] = [Paragraph(counts if result.differs else "No differences in studies or verdicts.")]
    if result.added:
        blocks.append(Table(("Id", "Study", "Design", "n", "DOI / PMID"), tuple(
            (s.id, s.label, design_label(s.design), count_text(s.n), s.doi or (f"PMID {s.pmid}" if s.pmid else "-"))
            for s in result.added), title="Studies added", wrap=(1,)))
    if result.removed:
        blocks.append(Table(("Id", "Study", "Design", "n", "DOI / PMID"), tuple(
            (s.id, s.label, design_label(s.design), count_text(s.n), s.doi or (f"PMID {s.pmid}" if s.pmid else "-"))
            for s in result.removed), title="Studies removed", wrap=(1,)))
    if result.changed:
        blocks.append(Table(("Study", "Field", "Old", "New"), tuple(
            (c.study.id, f.field, "(absent)" if f.old is None else f.old, "(absent)" if f.new is None else f.new)
            for c in result.changed for f in c.fields), title="Studies changed (old → new)", wrap=(2, 3)))
    if result.verdicts:
        blocks.append(Table(("Condition", "Claim", "Old", "New", "Why", "Changed studies"), tuple(
            (v.condition, v.claim, _verdict_words(v.old_verdict, v.old_certainty),
             _verdict_words(v.new_verdict, v.new_certainty), v.new_reason or v.old_reason or "-",
             ", ".join(v.studies) or "-") for v in result.verdicts), title="Verdicts changed", wrap=(2, 3, 4)))
    return Document(f"Changes from {result.old} to {result.new}", tuple(blocks))


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
        case IssuesResult():
            return _issues_view(result)
        case DiffResult():
            return _diff_view(result)
        case ReportResult():
            return _report_view(result)
        case CheckResult():
            from stemcell_cli.render.check_format import check_document

            return check_document(result)
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
                           n=count_text(c.participants), text=_printed_estimate(c.effect), estimate=c.effect.estimate,
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
