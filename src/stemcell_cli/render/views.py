"""How each result looks: a document for people, a versioned payload for JSON, records for CSV."""

from __future__ import annotations

from functools import singledispatch
from typing import Any

import msgspec

from stemcell_cli.evidence.grading import CERTAINTY_RULES
from stemcell_cli.evidence.results import (
    ClaimsResult,
    ClaimView,
    ConditionsResult,
    ContrastsResult,
    ContrastView,
    StudiesResult,
    StudyRef,
    StudyResult,
    SummaryResult,
    TrialsResult,
)
from stemcell_cli.model import CitationIssue, Condition, Design, Fact, Outcome, Study, Trial
from stemcell_cli.render.document import Block, Document, Field, Fields, Heading, Paragraph, Table

JSON_VERSION = 1
Records = tuple[tuple[str, ...], list[tuple[object, ...]]]

DESIGN_LABELS: dict[Design, str] = {
    Design.RANDOMISED_CONTROLLED_TRIAL: "randomised controlled trial",
    Design.NON_RANDOMISED_CONTROLLED: "non-randomised controlled",
    Design.SINGLE_ARM: "single-arm",
    Design.RETROSPECTIVE_COHORT: "retrospective cohort",
    Design.CASE_SERIES: "case series",
    Design.LONG_TERM_FOLLOW_UP: "long-term follow-up",
    Design.SYSTEMATIC_REVIEW: "systematic review/meta-analysis",
}


SHORT_DESIGN: dict[Design, str] = {
    Design.RANDOMISED_CONTROLLED_TRIAL: "RCT",
    Design.NON_RANDOMISED_CONTROLLED: "non-randomised controlled",
    Design.SINGLE_ARM: "single-arm",
    Design.RETROSPECTIVE_COHORT: "retrospective cohort",
    Design.CASE_SERIES: "case series",
    Design.LONG_TERM_FOLLOW_UP: "long-term follow-up",
    Design.SYSTEMATIC_REVIEW: "meta-analysis",
}


def short_design(design: Design | None) -> str:
    """Return a design's short name for narrow tables, or a dash."""
    return SHORT_DESIGN[design] if design is not None else "-"


def design_label(design: Design | None) -> str:
    """Return the reader's name for a design, or a dash."""
    return DESIGN_LABELS[design] if design is not None else "-"


def _n(value: int | None) -> str:
    """Return a sample size as text, or 'n?' when unknown."""
    return str(value) if value is not None else "?"


def _cite(study: StudyRef) -> str:
    """Return 'Label (design, n=N)'."""
    return f"{study.label} ({design_label(study.design)}, n={_n(study.n)})"


def _linkable(identifier: str | None) -> bool:
    """Tell whether an identifier can go into a URL as is: visible ASCII, no spaces."""
    return bool(identifier) and all(33 <= ord(c) < 127 for c in identifier or "")


def doi_url(doi: str | None) -> str | None:
    """Return the resolver URL of a DOI, or None when there is none or it cannot be a URL."""
    return f"https://doi.org/{doi}" if _linkable(doi) else None


def pubmed_url(pmid: str | None) -> str | None:
    """Return the PubMed URL of a PMID, or None when there is none or it cannot be a URL."""
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if _linkable(pmid) else None


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


# ---- payloads (JSON) -------------------------------------------------------------------------------


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


# ---- records (CSV) ---------------------------------------------------------------------------------


@singledispatch
def records(result: object) -> Records:
    """Return the stable columns and the rows of a result, for CSV."""
    raise TypeError(f"no CSV view for {type(result).__name__}")


@records.register(ConditionsResult)
def _(result: ConditionsResult) -> Records:
    return (("id", "name", "aliases", "studies", "claims", "trials"),
            [(r.condition.id, r.condition.name, ";".join(r.condition.aliases), r.studies, r.claims, r.trials)
             for r in result.conditions])


SUMMARY_COLUMNS = ("claim_id", "kind", "outcome", "claim", "supporting", "contrasting", "strongest_support",
                   "strongest_contrast", "certainty", "citation_issues")


@records.register(SummaryResult)
def _(result: SummaryResult) -> Records:
    return (SUMMARY_COLUMNS,
            [(v.claim.id, v.claim.kind.value, v.claim.outcome, v.claim.text, len(v.support), len(v.contrast),
              v.strongest_support.value if v.strongest_support else "",
              v.strongest_contrast.value if v.strongest_contrast else "", v.certainty.value, len(v.issues))
             for v in result.claims])


@records.register(ClaimsResult)
def _(result: ClaimsResult) -> Records:
    rows: list[tuple[object, ...]] = []
    for view in result.claims:
        for side, findings in (("support", view.support), ("contrast", view.contrast)):
            for f in findings:
                rows.append((view.claim.id, view.claim.text, side, f.study.id, f.study.label, f.study.design.value,
                             f.study.n, f.study.year, f.finding))
    return (("claim_id", "claim", "side", "study_id", "citation", "design", "n", "year", "finding"), rows)


@records.register(ContrastsResult)
def _(result: ContrastsResult) -> Records:
    rows: list[tuple[object, ...]] = []
    for view in result.contrasts:
        s = view.study
        if not view.claims:
            rows.append((s.id, s.label, s.design.value, s.n, s.year, "", "", view.summary or ""))
        for c in view.claims:
            rows.append((s.id, s.label, s.design.value, s.n, s.year, c.claim_id, c.claim_outcome, c.finding))
    return (("study_id", "citation", "design", "n", "year", "claim_id", "outcome", "finding"), rows)


STUDY_COLUMNS = ("id", "citation", "year", "design", "n", "direction", "verification", "doi", "pmid", "title")


@records.register(StudiesResult)
def _(result: StudiesResult) -> Records:
    return (STUDY_COLUMNS, [(s.id, s.label, s.year, s.design.value, s.n, s.direction.value, s.verification,
                             s.doi, s.pmid, s.title) for s in result.studies])


@records.register(StudyResult)
def _(result: StudyResult) -> Records:
    rows: list[tuple[object, ...]] = [tuple(row) for row in _study_fields(result.study)]
    for index, outcome in enumerate(result.study.outcomes):
        rows.append((f"outcomes[{index}]", _outcome_text(outcome), " ".join(outcome.src), outcome.note or ""))
    return (("field", "value", "src", "note"), rows)


@records.register(TrialsResult)
def _(result: TrialsResult) -> Records:
    return (("id", "registry", "title", "phase", "design", "enrollment", "status", "results_posted", "sponsor",
             "published_as", "src", "note"),
            [(t.id, t.registry, t.title, t.phase, t.design, t.enrollment, t.status,
              "" if t.results_posted is None else str(t.results_posted).lower(), t.sponsor, t.published_as,
              " ".join(t.src), t.note) for t in result.trials])


# ---- documents (table, Markdown) -------------------------------------------------------------------


@singledispatch
def document(result: object) -> Document:
    """Return the human-readable document of a result."""
    raise TypeError(f"no document view for {type(result).__name__}")


@document.register(ConditionsResult)
def _(result: ConditionsResult) -> Document:
    table = Table(("Condition", "Name", "Also called", "Studies", "Claims", "Trials"),
                  tuple((r.condition.id, r.condition.name, ", ".join(r.condition.aliases), str(r.studies),
                         str(r.claims), str(r.trials)) for r in result.conditions))
    return Document("Conditions", (table,))


def _claim_glance_table(views: tuple[ClaimView, ...]) -> Table:
    """Return one row per claim with counts, strongest designs and grade."""
    return Table(
        ("Claim", "For", "Against", "Strongest for", "Strongest against", "Certainty"),
        tuple((f"{v.claim.id}: {v.claim.outcome}", str(len(v.support)), str(len(v.contrast)),
               short_design(v.strongest_support), short_design(v.strongest_contrast),
               v.certainty.value.replace("_", " ")) for v in views),
        title="Page claims (studies for and against each)",
    )


def _contrast_rows(views: tuple[ContrastView, ...], *, every_claim: bool) -> Table:
    """Return one row per contrasting study: every claim's finding, or only the first for the summary."""
    rows = []
    for view in views:
        found = [f"{c.claim_id}: {c.finding}" for c in view.claims] or [view.summary or ""]
        claims = ", ".join(c.claim_id for c in view.claims) or "-"
        shown = "\n".join(found) if every_claim else found[0]
        rows.append((view.study.label, short_design(view.study.design), _n(view.study.n), shown, claims))
    return Table(("Study", "Design", "n", "What it found", "Against claims"), tuple(rows),
                 title="Contrasting findings")


def _issues_table(issues: tuple[CitationIssue, ...]) -> Table:
    """Return one row per distinct citation issue, with every claim it affects."""
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for issue in issues:
        grouped.setdefault((issue.kind.value, issue.study or "-", issue.summary), []).append(issue.claim)
    return Table(("Issue", "Study", "What was found", "Claims"),
                 tuple((kind.replace("_", " "), study, summary, ", ".join(claims))
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


@document.register(SummaryResult)
def _(result: SummaryResult) -> Document:
    g = result.glance
    blocks: list[Block] = [Heading("Overview")]
    blocks += [Paragraph(p.text) for p in result.condition.overview]
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
        f"{label.value.replace('_', ' ')} = {rule}" for label, rule in CERTAINTY_RULES) + "."))
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


@document.register(ClaimsResult)
def _(result: ClaimsResult) -> Document:
    blocks: list[Block] = []
    for view in result.claims:
        claim = view.claim
        blocks.append(Heading(f"{claim.id}: {claim.outcome}"))
        blocks.append(Paragraph(f"“{claim.text}” ({claim.cited_as or 'no citation'})"))
        blocks.append(Fields((Field("Certainty", view.certainty.value.replace("_", " ")),
                              Field("Strongest support", design_label(view.strongest_support)),
                              Field("Strongest contrast", design_label(view.strongest_contrast)))))
        rows = [("supports", _cite(f.study), f.finding) for f in view.support]
        rows += [("contrasts", _cite(f.study), f.finding) for f in view.contrast]
        blocks.append(Table(("Side", "Study", "Finding"), tuple(rows) or (("-", "no curated study", "-"),)))
        if view.issues:
            blocks.append(_issues_table(view.issues))
        if claim.note:
            blocks.append(Paragraph(f"Note: {claim.note}"))
    return Document(f"{result.condition.name}: claims and their citations", tuple(blocks))


@document.register(ContrastsResult)
def _(result: ContrastsResult) -> Document:
    return Document(f"{result.condition.name}: contrasting findings",
                    (_contrast_rows(result.contrasts, every_claim=True),))


@document.register(StudiesResult)
def _(result: StudiesResult) -> Document:
    table = Table(("Id", "Study", "Year", "Design", "n", "Direction", "DOI / PMID"),
                  tuple((s.id, s.label, str(s.year) if s.year else "?", design_label(s.design), _n(s.n),
                         s.direction.value.replace("_", " "),
                         s.doi or (f"PMID {s.pmid}" if s.pmid else "-")) for s in result.studies))
    return Document(f"{result.condition.name}: {len(result.studies)} studies", (table,))


def _fact_text(value: object) -> str:
    """Return a fact's value as text."""
    if isinstance(value, tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


def _study_fields(study: Study) -> list[tuple[str, str, str, str]]:
    """Return (field, value, sources, note) for every field of a study except outcomes."""
    rows = [("id", study.id, "", ""), ("label", study.label or "", "", ""), ("condition", study.condition, "", ""),
            ("cited_as", study.cited_as or "", "", ""), ("verification", study.verification.value, "", ""),
            ("verification_note", study.verification_note or "", "", ""), ("design", study.design.value, "", ""),
            ("direction", study.direction.value, "", ""), ("direction_note", study.direction_note or "", "", "")]
    for name in study.__struct_fields__:
        value = getattr(study, name)
        if isinstance(value, Fact):
            text = _fact_text(value.value) if value.value is not None else ""
            rows.append((name, text, " ".join(value.src), value.note or ""))
    people = study.participants
    arms = ", ".join(f"{a.name} {a.n}" for a in people.arms)
    total = "" if people.total is None else str(people.total)
    rows.append(("participants", f"{total} ({arms})" if arms else total, " ".join(people.src), people.note or ""))
    quote = study.conclusion
    status = f"[{quote.status.value}] {quote.note or ''}".strip()
    rows.append(("conclusion", quote.text or "", " ".join(quote.src), status))
    rows.append(("overlaps_with", ", ".join(study.overlaps_with), "", ""))
    rows += [("notes", note, "", "") for note in study.notes]
    return rows


def _outcome_text(outcome: Outcome) -> str:
    """Return an outcome as one line: measure, time, the numbers, the reported words."""
    parts = [outcome.measure]
    if outcome.timepoint:
        parts.append(f"at {outcome.timepoint}")
    numbers = []
    for arm in outcome.arms:
        if arm.events is not None and arm.total is not None:
            numbers.append(f"{arm.arm} {arm.events}/{arm.total}")
        elif arm.mean is not None:
            sd = f" ({arm.sd:g})" if arm.sd is not None else ""
            numbers.append(f"{arm.arm} {arm.mean:g}{sd}")
        elif arm.median is not None:
            spread = f" ({arm.range})" if arm.range else ""
            numbers.append(f"{arm.arm} median {arm.median:g}{spread}")
    if outcome.estimate is not None:
        e = outcome.estimate
        ci = f" ({e.ci_low:g}, {e.ci_high:g})" if e.ci_low is not None and e.ci_high is not None else ""
        p = f", p={e.p}" if e.p else ""
        numbers.append(f"{e.metric} {e.value:g}{ci}{p}")
    text = " ".join(parts)
    if numbers:
        text += ": " + "; ".join(numbers)
    return f"{text} — “{outcome.reported}”"


@document.register(StudyResult)
def _(result: StudyResult) -> Document:
    study = result.study
    links = (Field("DOI", doi_url(study.doi.value) or "not recorded", doi_url(study.doi.value)),
             Field("PubMed", pubmed_url(study.pmid.value) or "not recorded", pubmed_url(study.pmid.value)))
    fields = _study_fields(study)
    rows = tuple((name, value or "—", note, src) for name, value, src, note in fields if value or note or src)
    empty = [name for name, value, src, note in fields if not (value or note or src)]
    outcomes = tuple((o.measure, o.timepoint or "", _outcome_text(o), " ".join(o.src)) for o in study.outcomes)
    blocks: list[Block] = [Fields(links), Table(("Field", "Value", "Note", "Source"), rows, title="Fields")]
    if outcomes:
        blocks.append(Table(("Measure", "When", "Reported", "Source"), outcomes, title="Outcomes"))
    if empty:
        blocks.append(Paragraph("Not recorded: " + ", ".join(empty) + "."))
    title = f"{result.ref.label}: {study.title.value or study.id}"
    return Document(title, tuple(blocks))


@document.register(TrialsResult)
def _(result: TrialsResult) -> Document:
    table = _trials_table(result.trials, "Registered trials")
    detail = Table(("Registry id", "Title", "Sponsor", "Published as", "Note"),
                   tuple((t.id, t.title, t.sponsor or "?", t.published_as or "-", t.note or "") for t in result.trials))
    return Document(f"{result.condition.name}: registered trials", (table, detail))
