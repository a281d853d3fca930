"""The summary's bottom line: one to three sentences generated from the verdicts and the studies."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from stemcell_cli.evidence.certainty import Level
from stemcell_cli.evidence.lookup import study_label
from stemcell_cli.evidence.results import ClaimView, Glance, Verdict
from stemcell_cli.model import Design, Direction, Study

_VERDICT_WORDS = {
    Verdict.SUPPORTS: "points towards {n}",
    Verdict.CONTRADICTS: "points against {n}",
    Verdict.INCONCLUSIVE: "is inconclusive on {n}",
    Verdict.HARM_SHOWN: "shows harm on {n}",
    Verdict.NOT_CHECKABLE: "cannot check {n}",
}
FOUND = {
    Direction.SUPPORTS_BENEFIT: "found a benefit",
    Direction.NO_BENEFIT: "found no added benefit",
    Direction.MIXED: "found mixed results",
    Direction.SAFETY_ONLY: "reported on safety only",
}
_FIRM = (Level.HIGH, Level.MODERATE)


def _count(n: int, word: str) -> str:
    """Return 'one claim' / '3 claims'."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def verdicts_sentence(views: Sequence[ClaimView]) -> str:
    """Say how many claims got each verdict and how many rest on moderate or high certainty."""
    counts = Counter(v.grade.verdict for v in views)
    parts = [_VERDICT_WORDS[v].format(n=counts[v]) for v in Verdict if counts[v]]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    firm = sum(v.grade.certainty in _FIRM for v in views)
    firmness = ("none rests on evidence of moderate or high certainty" if not firm else
                f"{firm} rest{'s' if firm == 1 else ''} on evidence of moderate or high certainty")
    return f"Of {_count(len(views), 'page claim')}, the evidence {listed}; {firmness}."


def trials_sentence(studies: Sequence[Study]) -> str | None:
    """Say what the randomised trials with a record of their own found."""
    rcts = [s for s in studies if s.design is Design.RANDOMISED_CONTROLLED_TRIAL]
    if not rcts:
        return None
    described = [f"{study_label(s)} (n={s.participants.total if s.participants.total is not None else '?'}) "
                 f"{FOUND[s.direction]}" for s in rcts]
    if len(rcts) == 1:
        label, found = described[0].split(") ", 1)
        return f"The only randomised trial with a record of its own, {label}), {found}."
    return f"{len(rcts)} randomised trials have a record of their own: {'; '.join(described)}."


def uncontrolled_sentence(glance: Glance) -> str | None:
    """Say how many primary studies have no control group and how many may share patients."""
    uncontrolled = glance.primary_studies - glance.controlled
    if not glance.primary_studies:
        return None
    shared = f", and {glance.overlapping} may share patients" if glance.overlapping else ""
    return f"{uncontrolled} of the {glance.primary_studies} primary studies have no control group{shared}."


def bottom_line(views: Sequence[ClaimView], studies: Sequence[Study], glance: Glance) -> tuple[str, ...]:
    """Return one to three generated sentences."""
    if not views and not studies:
        return ("The data holds no claims or studies for this condition.",)
    sentences = [verdicts_sentence(views)] if views else []
    sentences += [s for s in (trials_sentence(studies), uncontrolled_sentence(glance)) if s]
    return tuple(sentences[:3])
