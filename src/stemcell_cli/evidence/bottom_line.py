"""The summary's bottom line: claims counted by verdict, then what the largest and best-controlled trials found."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from stemcell_cli.errors import assert_never
from stemcell_cli.evidence.grades import OutcomeRow, Verdict
from stemcell_cli.evidence.lookup import study_label
from stemcell_cli.evidence.results import ClaimView, Glance
from stemcell_cli.evidence.statements import lower
from stemcell_cli.model import Comparator, Design, Direction, Importance, Study


def found_text(direction: Direction) -> str:
    """Return what a study found, by its curated direction."""
    match direction:
        case Direction.SUPPORTS_BENEFIT:
            return "found a benefit"
        case Direction.NO_BENEFIT:
            return "found no added benefit"
        case Direction.MIXED:
            return "found mixed results"
        case Direction.SAFETY_ONLY:
            return "reported on safety only"
        case _:
            assert_never(direction)


def _comparator_words(comparator: Comparator | None) -> str:
    """Return how a trial was controlled, for the bottom line."""
    match comparator:
        case Comparator.PLACEBO_OR_SHAM:
            return "placebo- or sham-controlled"
        case Comparator.ACTIVE:
            return "against an active treatment"
        case Comparator.USUAL_CARE:
            return "against usual care"
        case Comparator.NONE:
            return "against no treatment"
        case Comparator.MIXED | None:
            return "randomised"
        case _:
            assert_never(comparator)


def verdicts_sentence(views: Sequence[ClaimView]) -> str:
    """Say how many claims the evidence supports or not, and how many it cannot answer, in a clinician's words."""
    counts = Counter(v.grade.verdict for v in views)
    total = len(views)
    lead = f"Of the {total} page claims," if total != 1 else "Of the one page claim,"
    judged, unjudged = counts[Verdict.SUPPORTED], counts[Verdict.NOT_SUPPORTED]
    if judged or unjudged:
        answered = f"{_are(judged)} supported and {_are(unjudged, 'not supported')} by the evidence"
    else:
        answered = "none is supported or refuted by the evidence"
    open_parts = [f"{_are(counts[Verdict.VERY_UNCERTAIN], 'very uncertain')} (the evidence is too weak to tell)"
                  if counts[Verdict.VERY_UNCERTAIN] else "",
                  f"{counts[Verdict.NOT_CHECKABLE]} cannot be checked (no curated result measures "
                  f"{'it' if counts[Verdict.NOT_CHECKABLE] == 1 else 'them'})" if counts[Verdict.NOT_CHECKABLE] else ""]
    unanswered = " and ".join(part for part in open_parts if part)
    if not total:
        return "The page makes no claim on record."
    if judged or unjudged:
        return f"{lead} {answered}" + (f"; {unanswered}." if unanswered else ".")
    return f"{lead} {unanswered}; {answered}." if unanswered else f"{lead} {answered}."


def _are(count: int, state: str = "") -> str:
    """Return '1 is', '3 are' (with the state after it when given), the count's verb agreeing with it."""
    verb = "is" if count == 1 else "are"
    return f"{count} {verb} {state}".rstrip() if state else f"{count} {verb}"


def _finding(study: Study, rows: Sequence[OutcomeRow]) -> str | None:
    """Return the trial's own estimate for its most important outcome, e.g. 'remission RR 0.90 (0.55 to 1.46)'."""
    own = [(row, c) for row in rows for c in row.contributions if c.study == study.id and not c.review]
    if not own:
        return None
    row, mine = min(own, key=lambda rc: (rc[0].outcome.importance is not Importance.CRITICAL,
                                         rc[0].months is None, -(rc[0].months or 0)))
    effect = mine.effect
    if effect.ci_low is None or effect.ci_high is None:
        return None
    return (f"{lower(row.outcome.name)} {effect.measure.value} {effect.estimate:.2f} ({effect.ci_low:.2f} to "
            f"{effect.ci_high:.2f})")


def trials_sentence(studies: Sequence[Study], rows: Sequence[OutcomeRow]) -> str | None:
    """Say what the best-controlled and the largest randomised trials found, with their own estimate."""
    rcts = [s for s in studies if s.design is Design.RANDOMISED_CONTROLLED_TRIAL]
    if not rcts:
        return None
    best = max(rcts, key=lambda s: (s.comparator is Comparator.PLACEBO_OR_SHAM, s.participants.total or 0))
    largest = max(rcts, key=lambda s: s.participants.total or 0)
    picked = [best] if best is largest else [best, largest]
    described = []
    for study in picked:
        how = _comparator_words(study.comparator)
        n = study.participants.total if study.participants.total is not None else "?"
        found = _finding(study, rows)
        described.append(f"{study_label(study)} ({how}, n={n}), {found_text(study.direction)}"
                         + (f": {found}" if found else ""))
    if len(picked) == 1:
        lead = ("The only randomised trial with a record of its own" if len(rcts) == 1 else
                "The best-controlled and largest randomised trial")
        return f"{lead}, {described[0]}."
    return f"The best-controlled randomised trial, {described[0]}; the largest, {described[1]}."


def uncontrolled_sentence(glance: Glance) -> str | None:
    """Say how many primary studies have no control group and how many may share patients."""
    uncontrolled = glance.primary_studies - glance.controlled
    if not glance.primary_studies:
        return None
    shared = f", and {glance.overlapping} may share patients" if glance.overlapping else ""
    if uncontrolled == 0:
        return f"All {glance.primary_studies} primary studies have a control group{shared}."
    verb, pronoun = ("has", "it") if uncontrolled == 1 else ("have", "they")
    return (f"{uncontrolled} of the {glance.primary_studies} primary studies {verb} no control group, so {pronoun} "
            f"cannot show an added effect{shared}.")


def bottom_line(views: Sequence[ClaimView], studies: Sequence[Study], glance: Glance,
                rows: Sequence[OutcomeRow] = ()) -> tuple[str, ...]:
    """Return one to three generated sentences."""
    if not views and not studies:
        return ("The data holds no claims or studies for this condition.",)
    sentences = [verdicts_sentence(views)] if views else []
    sentences += [s for s in (trials_sentence(studies, rows), uncontrolled_sentence(glance)) if s]
    return tuple(sentences[:3])
