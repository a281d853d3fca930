"""The human-readable document of each result, printed as a table or as Markdown."""

from __future__ import annotations

from functools import singledispatch

from stemcell_cli.evidence.grading import CERTAINTY_RULES
from stemcell_cli.evidence.results import (
    ClaimsResult,
    ClaimView,
    ConditionsResult,
    ContrastsResult,
    ContrastView,
    StudiesResult,
    StudyResult,
    SummaryResult,
    TrialsResult,
)
from stemcell_cli.model import CitationIssue, Claim, Design, Direction, Trial
from stemcell_cli.render.document import Block, Document, Field, Fields, Heading, Paragraph, Table
from stemcell_cli.render.labels import (
    citation,
    count_text,
    design_label,
    doi_url,
    outcome_text,
    pubmed_url,
    short_design,
    study_fields,
    words,
)


def document(result: object) -> Document:
    """Return the human-readable document of a result; an empty table becomes a line saying so."""
    built = _build(result)
    blocks = tuple(Paragraph(f"{block.title or 'Rows'}: none in the data.")
                   if isinstance(block, Table) and not block.rows else block for block in built.blocks)
    if not blocks:
        blocks = (Paragraph("Nothing in the data for this condition."),)
    return Document(built.title, blocks)


@singledispatch
def _build(result: object) -> Document:
    """Return the human-readable document of a result."""
    raise TypeError(f"no document view for {type(result).__name__}")


@_build.register(ConditionsResult)
def _(result: ConditionsResult) -> Document:
    table = Table(("Condition", "Name", "Also called", "Studies", "Claims", "Trials"),
                  tuple((r.condition.id, r.condition.name, ", ".join(r.condition.aliases), str(r.studies),
                         str(r.claims), str(r.trials)) for r in result.conditions))
    return Document("Conditions", (table,))


def _claim_glance_table(views: tuple[ClaimView, ...]) -> Table:
    """Return one row per claim with counts, strongest designs and grade."""
    return Table(
        ("Claim", "For", "Against", "Strongest for", "Strongest against", "Certainty"),
        tuple((f"{v.claim.id}: {v.claim.outcome}{_asserted(v.claim)}", str(len(v.support)), str(len(v.contrast)),
               short_design(v.strongest_support), short_design(v.strongest_contrast),
               words(v.certainty.value)) for v in views),
        title="Page claims (studies for and against each)",
    )


def _asserted(claim: Claim) -> str:
    """Say what a claim asserts when it is not a benefit, so that 'For' is not read as for the therapy."""
    if claim.asserts is Direction.SUPPORTS_BENEFIT:
        return ""
    return f" (claim: {words(claim.asserts.value)})"


def _contrast_rows(views: tuple[ContrastView, ...], *, every_claim: bool) -> Table:
    """Return one row per contrasting study: every claim's finding, or only the first for the summary."""
    rows = []
    for view in views:
        found = [f"{c.claim_id}: {c.finding}" for c in view.claims] or [view.summary or ""]
        claims = ", ".join(c.claim_id for c in view.claims) or "-"
        shown = "\n".join(found) if every_claim else found[0]
        rows.append((view.study.label, short_design(view.study.design), count_text(view.study.n), shown, claims))
    return Table(("Study", "Design", "n", "What it found", "Against claims"), tuple(rows),
                 title="Contrasting findings")


def _issues_table(issues: tuple[CitationIssue, ...]) -> Table:
    """Return one row per distinct citation issue, with every claim it affects."""
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for issue in issues:
        grouped.setdefault((issue.kind.value, issue.study or "-", issue.summary), []).append(issue.claim)
    return Table(("Issue", "Study", "What was found", "Claims"),
                 tuple((words(kind), study, summary, ", ".join(claims))
                       for (kind, study, summary), claims in grouped.items()),
                 title="Citation issues")


def _trials_table(trials: tuple[Trial, ...], title: str, *, brief: bool = False) -> Table:
    """Return one row per registered trial; the brief form leaves the design out."""
    posted = {True: "yes", False: "no", None: "not stated"}
    if brief:
        return Table(("Registry id", "Phase", "Enrolment", "Status"),
                     tuple((t.id, t.phase or "?", t.enrollment or "?", t.status or "?") for t in trials), title=title)
    return Table(("Registry id", "Phase", "Design", "Enrolment", "Status", "Results posted"),
                 tuple((t.id, t.phase or "?", t.design or "?", t.enrollment or "?", t.status or "?",
                        posted[t.results_posted]) for t in trials),
                 title=title)


@_build.register(SummaryResult)
def _(result: SummaryResult) -> Document:
    g = result.glance
    blocks: list[Block] = [Heading("Overview")]
    blocks += [Paragraph(p.text) for p in result.condition.overview] or [Paragraph("No overview in the data.")]
    sources = list(dict.fromkeys(url for p in result.condition.overview for url in p.src))
    if sources:
        blocks.append(Paragraph("Overview sources: " + "; ".join(sources)))
    blocks.append(Heading("Evidence at a glance"))
    years = f"{g.first_year}-{g.last_year}" if g.first_year is not None else "unknown"
    blocks.append(Fields((
        Field("Studies", f"{g.studies} ({g.controlled} controlled)"),
        Field("By design", "; ".join(f"{design_label(d.design)} {d.studies}" for d in g.by_design) or "-"),
        Field("Participants", f"{g.primary_participants} in {g.primary_studies - g.primary_unknown_n} primary "
                              f"studies with a reported size (meta-analyses not added; "
                              f"{g.overlapping} studies may share patients)"),
        Field("Years covered", years),
    )))
    for page in result.pages:
        blocks.append(Paragraph(f"Claims checked from: {page.title} ({page.publisher or 'publisher unknown'})"))
    blocks.append(_claim_glance_table(result.claims))
    blocks.append(Paragraph("Certainty rules, first match wins: " + "; ".join(
        f"{words(label.value)} = {rule}" for label, rule in CERTAINTY_RULES) + "."))
    blocks.append(_contrast_rows(result.contrasts, every_claim=False))
    blocks.append(_issues_table(result.issues))
    blocks.append(_trials_table(result.trials_without_results, "Registered trials without posted results",
                                brief=True))
    unstated = result.trials_results_unstated
    if unstated:
        verb = "trial does" if unstated == 1 else "trials do"
        blocks.append(Paragraph(f"{unstated} more registered {verb} not state whether results are posted "
                                f"(see `stemcell {result.condition.id} trials`)."))
    return Document(f"{result.condition.name}: what the curated evidence shows", tuple(blocks))


@_build.register(ClaimsResult)
def _(result: ClaimsResult) -> Document:
    blocks: list[Block] = []
    for view in result.claims:
        claim = view.claim
        blocks.append(Heading(f"{claim.id}: {claim.outcome}"))
        blocks.append(Paragraph(f"“{claim.text}” ({claim.cited_as or 'no citation'})"))
        blocks.append(Fields((Field("Certainty", words(view.certainty.value)),
                              Field("Strongest support", design_label(view.strongest_support)),
                              Field("Strongest contrast", design_label(view.strongest_contrast)))))
        rows = [("supports", citation(f.study), f.finding) for f in view.support]
        rows += [("contrasts", citation(f.study), f.finding) for f in view.contrast]
        blocks.append(Table(("Side", "Study", "Finding"), tuple(rows) or (("-", "no curated study", "-"),)))
        if view.issues:
            blocks.append(_issues_table(view.issues))
        if claim.note:
            blocks.append(Paragraph(f"Note: {claim.note}"))
    return Document(f"{result.condition.name}: claims and their citations", tuple(blocks))


@_build.register(ContrastsResult)
def _(result: ContrastsResult) -> Document:
    return Document(f"{result.condition.name}: contrasting findings",
                    (_contrast_rows(result.contrasts, every_claim=True),))


@_build.register(StudiesResult)
def _(result: StudiesResult) -> Document:
    table = Table(("Id", "Study", "Year", "Design", "n", "Direction", "DOI / PMID"),
                  tuple((s.id, s.label, str(s.year) if s.year else "?", design_label(s.design), count_text(s.n),
                         words(s.direction.value),
                         s.doi or (f"PMID {s.pmid}" if s.pmid else "-")) for s in result.studies),
                  title="Studies")
    count = len(result.studies)
    return Document(f"{result.condition.name}: {count} {'study' if count == 1 else 'studies'}", (table,))


@_build.register(StudyResult)
def _(result: StudyResult) -> Document:
    study = result.study
    links = (Field("DOI", doi_url(study.doi.value) or "not recorded", doi_url(study.doi.value)),
             Field("PubMed", pubmed_url(study.pmid.value) or "not recorded", pubmed_url(study.pmid.value)))
    fields = study_fields(study)
    rows = tuple((name, _readable(name, value) or "—", note, src) for name, value, src, note in fields
                 if value or note or src)
    empty = [name for name, value, src, note in fields if not (value or note or src)]
    outcomes = tuple((o.measure, o.timepoint or "", outcome_text(o), " ".join(o.src)) for o in study.outcomes)
    blocks: list[Block] = [Fields(links), Table(("Field", "Value", "Note", "Source"), rows, title="Fields")]
    if outcomes:
        blocks.append(Table(("Measure", "When", "Reported", "Source"), outcomes, title="Outcomes"))
    if empty:
        blocks.append(Paragraph("Not recorded: " + ", ".join(empty) + "."))
    title = f"{result.ref.label}: {study.title.value or study.id}"
    return Document(title, tuple(blocks))


def _readable(name: str, value: str) -> str:
    """Return a coded value in readers' words (the machine formats keep the codes)."""
    if name == "design":
        return design_label(Design(value))
    return words(value) if name in ("direction", "verification") else value


@_build.register(TrialsResult)
def _(result: TrialsResult) -> Document:
    table = _trials_table(result.trials, "Registered trials")
    detail = Table(("Registry id", "Title", "Sponsor", "Published as", "Note"),
                   tuple((t.id, t.title, t.sponsor or "?", t.published_as or "-", t.note or "") for t in result.trials),
                   title="Registry details")
    return Document(f"{result.condition.name}: registered trials", (table, detail))
