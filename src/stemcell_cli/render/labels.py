"""Shared wording of results: design names, citations, identifier links, study fields and outcomes as text."""

from __future__ import annotations

import math

from stemcell_cli.errors import assert_never
from stemcell_cli.evidence.certainty import Level
from stemcell_cli.evidence.grades import Domain, Estimate, OutcomeRow, Shown, Verdict
from stemcell_cli.evidence.results import StudyRef
from stemcell_cli.evidence.statements import comparator_words
from stemcell_cli.model import Assertion, Claim, Comparator, Design, Fact, Outcome, SecondarySource, Study

# Alike in shape on purpose, like every table of words (documents.py, evidence/statements.py, bottom_line.py): each is
# an exhaustive match ending in assert_never, so that mypy finds a member without its words.


def design_label(design: Design | None) -> str:
    """Return the reader's name for a design, or a dash."""
    match design:
        case None:
            return "-"
        case Design.RANDOMISED_CONTROLLED_TRIAL:
            return "randomised controlled trial"
        case Design.NON_RANDOMISED_CONTROLLED:
            return "non-randomised controlled"
        case Design.SINGLE_ARM:
            return "single-arm"
        case Design.RETROSPECTIVE_COHORT:
            return "retrospective cohort"
        case Design.CASE_SERIES:
            return "case series"
        case Design.LONG_TERM_FOLLOW_UP:
            return "long-term follow-up"
        case Design.SYSTEMATIC_REVIEW:
            return "systematic review/meta-analysis"
        case _:
            assert_never(design)


def short_design(design: Design | None) -> str:
    """Return a design's short name for narrow tables, or a dash."""
    match design:
        case Design.RANDOMISED_CONTROLLED_TRIAL:
            return "RCT"
        case Design.SYSTEMATIC_REVIEW:
            return "meta-analysis"
        case (None | Design.NON_RANDOMISED_CONTROLLED | Design.SINGLE_ARM | Design.RETROSPECTIVE_COHORT
              | Design.CASE_SERIES | Design.LONG_TERM_FOLLOW_UP):
            return design_label(design)
        case _:
            assert_never(design)


def design_names() -> set[str]:
    """Return every name a design is shown by, long and short."""
    return {name for design in Design for name in (design_label(design), short_design(design))}


def certainty_symbols(level: Level) -> str:
    """Return GRADE's symbols for a certainty; the table writer folds them to `+` and `o` where a stream lacks them."""
    match level:
        case Level.HIGH:
            return "⊕⊕⊕⊕"
        case Level.MODERATE:
            return "⊕⊕⊕◯"
        case Level.LOW:
            return "⊕⊕◯◯"
        case Level.VERY_LOW:
            return "⊕◯◯◯"
        case _:
            assert_never(level)

def shown_text(shown: Shown) -> str:
    """Return what the evidence shows, in words."""
    match shown:
        case Shown.BENEFIT:
            return "benefit"
        case Shown.LITTLE_OR_NO_DIFFERENCE:
            return "little or no difference"
        case Shown.HARM:
            return "harm"
        case Shown.UNCERTAIN:
            return "uncertain"
        case _:
            assert_never(shown)


def comparator_text(comparator: Comparator) -> str:
    """Return what a control arm received, in words: the statements' wording."""
    return comparator_words(comparator)


def domain_text(domain: Domain) -> str:
    """Return a GRADE domain's name."""
    match domain:
        case Domain.RISK_OF_BIAS:
            return "Risk of bias"
        case Domain.INCONSISTENCY:
            return "Inconsistency"
        case Domain.INDIRECTNESS:
            return "Indirectness"
        case Domain.IMPRECISION:
            return "Imprecision"
        case Domain.PUBLICATION_BIAS:
            return "Publication bias"
        case _:
            assert_never(domain)


def comparison_text(therapy: str, comparator: Comparator | None) -> str:
    """Return a comparison in words, e.g. 'MSC therapy vs placebo or sham'."""
    return f"{therapy} vs {comparator_text(comparator) if comparator else 'control (not stated)'}"


def estimate_text(estimate: Estimate | None) -> str:
    """Return an estimate with its 95% CI, e.g. 'RR 0.90 (0.55 to 1.46)'."""
    if estimate is None:
        return "no estimate"
    return f"{estimate.measure.value} {estimate.value:.2f} ({estimate.ci_low:.2f} to {estimate.ci_high:.2f})"


def per_1000(value: float) -> int:
    """Return a risk per 1000 as GRADEpro prints it: a whole number."""
    return math.floor(value + 0.5) if value >= 0 else -math.floor(-value + 0.5)


def absolute_text(row: OutcomeRow) -> tuple[str, str, str]:
    """Return a binary row's risk with the comparator, with the intervention, and the difference, per 1000."""
    found = row.absolute
    if found is None:
        return ("-", "-", "-")

    def signed(value: float) -> str:
        count = per_1000(value)
        return f"{abs(count)} {'more' if count > 0 else 'fewer'}" if count else "0 more"

    return (f"{per_1000(found.comparator_per_1000)} per 1000", f"{per_1000(found.intervention_per_1000)} per 1000",
            f"{signed(found.difference_per_1000)} per 1000 (from {signed(found.ci_low)} to {signed(found.ci_high)})")


def footnotes(row: OutcomeRow) -> tuple[str, ...]:
    """Return a row's footnotes: each domain that rated it down, and the threshold it was judged on."""
    notes = [f"{domain_text(j.domain)}, rated down {j.levels} level{'s' if j.levels != 1 else ''}: {j.reason}."
             for j in row.judgements if j.levels]
    if row.threshold is None:
        notes.append(row.outcome.threshold_note or f"No threshold for an important effect of {row.outcome.name} is "
                     "on record, so the null is the threshold.")
    else:
        notes.append(f"Threshold for an important effect: {row.threshold:g} "
                     f"({'per 1000' if row.outcome.kind.value == 'binary' else row.outcome.unit or 'units'}), from "
                     + ", ".join(row.threshold_src) + ".")
    if row.votes:
        notes.append(f"No estimate: {row.basis}.")
    return tuple(notes)


def participants_text(row: OutcomeRow) -> str:
    """Return 'participants (studies)' as a Summary of Findings prints it."""
    trials = f"{row.studies} {'study' if row.studies == 1 else 'studies'}"
    return f"{row.participants} ({trials})" if row.participants is not None else f"not reported ({trials})"


def certainty_text(level: Level | None) -> str:
    """Return a certainty as GRADE symbols and words, or a dash when there is no evidence to grade."""
    return f"{certainty_symbols(level)} {words(level.value)}" if level is not None else "-"


def verdict_text(verdict: Verdict) -> str:
    """Return a verdict in words."""
    match verdict:
        case Verdict.SUPPORTED:
            return "supported"
        case Verdict.NOT_SUPPORTED:
            return "not supported"
        case Verdict.VERY_UNCERTAIN:
            return "very uncertain"
        case Verdict.NOT_CHECKABLE:
            return "not checkable"
        case _:
            assert_never(verdict)


def asserted(claim: Claim) -> str:
    """Return a marker of what a claim asserts when it is not a benefit, so 'supports' is read right."""
    return "[claim: no added benefit] " if claim.asserts is Assertion.NO_BENEFIT else ""


def words(code: str) -> str:
    """Return a coded value as readers' words: `no_benefit` becomes `no benefit`."""
    return code.replace("_", " ")


def count_text(value: int | None) -> str:
    """Return a sample size as text, or '?' when unknown."""
    return str(value) if value is not None else "?"


def citation(study: StudyRef) -> str:
    """Return 'Label (design, n=N)'."""
    return f"{study.label} ({design_label(study.design)}, n={count_text(study.n)})"


def linkable(identifier: str | None) -> bool:
    """Tell whether an identifier can go into a URL as is: visible ASCII, no spaces."""
    return bool(identifier) and all(33 <= ord(c) < 127 for c in identifier or "")


def doi_url(doi: str | None) -> str | None:
    """Return the resolver URL of a DOI, or None when there is none or it cannot be a URL."""
    return f"https://doi.org/{doi}" if linkable(doi) else None


def pubmed_url(pmid: str | None) -> str | None:
    """Return the PubMed URL of a PMID, or None when there is none or it cannot be a URL."""
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if linkable(pmid) else None


def number_text(printed: str | None, value: float) -> str:
    """Return a number as its source printed it (the text the data file writes), else in its shortest exact form."""
    if printed is not None:
        return printed
    if isinstance(value, int):
        return str(value)
    # Records built without the file's text (from Python, say): repr never rounds, unlike `:g` (6 digits).
    shown = repr(value)
    return shown.removesuffix(".0") if shown.endswith(".0") and "e" not in shown else shown


COMPARATORS = ("<", "≤", ">", "≥", "=")


def p_text(p: str) -> str:
    """Return a p-value as `p=0.03`, or `p<0.0001` when the source prints its own comparison."""
    if p.startswith(COMPARATORS):
        # "< 0.00001" was printed with a space after the sign: keep it on both sides, "p < 0.00001".
        return f"p {p}" if p[1:2].isspace() else f"p{p}"
    return f"p={p}"


def fact_text(value: object) -> str:
    """Return a fact's value as text."""
    if isinstance(value, tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


def study_fields(study: Study) -> list[tuple[str, str, str, str]]:
    """Return (field, value, sources, note) for every field of a study except outcomes."""
    rows = [("id", study.id, "", ""), ("label", study.label or "", "", ""), ("condition", study.condition, "", ""),
            ("cited_as", study.cited_as or "", "", ""), ("verification", study.verification.value, "", ""),
            ("verification_note", study.verification_note or "", "", ""), ("design", study.design.value, "", ""),
            ("direction", study.direction.value, "", ""), ("direction_note", study.direction_note or "", "", ""),
            ("source_note", study.source_note or "", "", "")]
    for name in study.__struct_fields__:
        value = getattr(study, name)
        if isinstance(value, Fact):
            text = fact_text(value.value) if value.value is not None else ""
            rows.append((name, text, " ".join(value.src), value.note or ""))
    people = study.participants
    arms = ", ".join(f"{a.name} {number_text(a.printed.get('n'), a.n)}" for a in people.arms)
    total = "" if people.total is None else number_text(people.printed.get("total"), people.total)
    rows.append(("participants", f"{total} ({arms})" if arms else total, " ".join(people.src), people.note or ""))
    quote = study.conclusion
    status = f"[{quote.status.value}] {quote.note or ''}".strip()
    rows.append(("conclusion", quote.text or "", " ".join(quote.src), status))
    rob = study.risk_of_bias
    if rob is not None:
        reasons = ", ".join(words(r.value) for r in rob.reasons)
        rows.append(("risk_of_bias", f"{words(rob.level.value)}: {reasons}" if reasons else words(rob.level.value),
                     " ".join(rob.src), rob.note or ""))
    pooling = study.pooling
    if pooling is not None:
        pooled = [*pooling.includes, *(f"{o.label} ({short_design(o.design)}, n={count_text(o.n)})"
                                      for o in pooling.others)]
        value = f"{words(pooling.comparison.value)}" + (f"; pools {', '.join(pooled)}" if pooled else "")
        if pooling.participants is not None:
            value += f"; {pooling.participants} participants"
        rows.append(("pooling", value, " ".join(pooling.src), pooling.note or ""))
    for harm in study.harms:
        rows.append(("harms", f"{harm.arm}: {harm.count} × {harm.event} ({words(harm.kind.value)}; "
                              f"{words(harm.attribution.value)})", " ".join(harm.src), harm.note or ""))
    rows.append(("overlaps_with", ", ".join(study.overlaps_with), "", ""))
    rows += [("notes", note, "", "") for note in study.notes]
    return rows


def outcome_text(outcome: Outcome) -> str:
    """Return an outcome as one line: measure, time, the numbers, the reported words."""
    parts = [outcome.measure]
    if outcome.timepoint:
        parts.append(f"at {outcome.timepoint}")
    numbers = []
    for arm in outcome.arms:
        printed = arm.printed
        if arm.events is not None and arm.total is not None:
            numbers.append(f"{arm.arm} {number_text(printed.get('events'), arm.events)}/"
                           f"{number_text(printed.get('total'), arm.total)}")
        elif arm.mean is not None:
            sd = f" ({number_text(printed.get('sd'), arm.sd)})" if arm.sd is not None else ""
            numbers.append(f"{arm.arm} {number_text(printed.get('mean'), arm.mean)}{sd}")
        elif arm.median is not None:
            spread = f" ({arm.range})" if arm.range else ""
            numbers.append(f"{arm.arm} median {number_text(printed.get('median'), arm.median)}{spread}")
    if outcome.estimate is not None:
        e = outcome.estimate
        given = e.printed
        ci = ""
        if e.ci_low is not None and e.ci_high is not None:
            ci = f" ({number_text(given.get('ci_low'), e.ci_low)}, {number_text(given.get('ci_high'), e.ci_high)})"
        p = f", {p_text(e.p)}" if e.p else ""
        numbers.append(f"{e.metric} {number_text(given.get('value'), e.value)}{ci}{p}")
    text = " ".join(parts)
    if numbers:
        text += ": " + "; ".join(numbers)
    return f"{text} — “{outcome.reported}”"


def sources_text(urls: tuple[str, ...], secondary: dict[str, SecondarySource]) -> str:
    """Return source URLs separated by spaces, each secondary page followed by what kind of page it is."""
    return " ".join(f"{url} (secondary: {words(secondary[url].kind.value)})" if url in secondary else url
                    for url in urls)
