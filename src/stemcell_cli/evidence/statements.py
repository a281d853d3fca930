"""Plain-language statements in GRADE's informative wording (GRADE 26), from what an outcome shows and its certainty."""

from __future__ import annotations

from stemcell_cli.evidence.certainty import Level
from stemcell_cli.evidence.grades import Shown
from stemcell_cli.model import Better, OutcomeDefinition

_HEDGE = {Level.HIGH: "{t} {verb}", Level.MODERATE: "{t} probably {verb}", Level.LOW: "{t} may {verb}"}
_VERBS = {
    # (what the evidence shows, which way is better) -> the verb, in the forms after "may" and without it.
    (Shown.BENEFIT, Better.LOWER): ("reduce", "reduces"),
    (Shown.BENEFIT, Better.HIGHER): ("increase", "increases"),
    (Shown.HARM, Better.LOWER): ("increase", "increases"),
    (Shown.HARM, Better.HIGHER): ("reduce", "reduces"),
}
NO_THRESHOLD = "no threshold for an important effect is on record, so any difference from no effect counts"


def _capital(text: str) -> str:
    """Return the text with its first letter in capitals."""
    return text[:1].upper() + text[1:]


def lower(name: str) -> str:
    """Return an outcome name as it reads inside a sentence: the first letter small, unless it starts an acronym."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def row_statement(shown: Shown, certainty: Level, outcome: OutcomeDefinition, therapy: str | None,
                  has_threshold: bool) -> str:
    """Return GRADE 26's statement for one outcome: the verb follows the effect, the hedge the certainty."""
    t = therapy or "the cell therapy"
    o = lower(outcome.name)
    if certainty is Level.VERY_LOW:
        text = f"The evidence is very uncertain about the effect of {t} on {o}."
    elif shown is Shown.UNCERTAIN:
        text = f"{_capital(t)} may improve or worsen {o}: the 95% CI includes both."
    elif shown is Shown.LITTLE_OR_NO_DIFFERENCE:
        verb = {Level.HIGH: "results", Level.MODERATE: "probably results", Level.LOW: "may result"}[certainty]
        text = f"{_capital(t)} {verb} in little or no difference in {o}."
    else:
        bare, third = _VERBS[(shown, outcome.better)]
        hedge = _HEDGE[certainty]
        text = _capital(hedge.format(t=t, verb=third if certainty is Level.HIGH else bare)) + f" {o}."
    if not has_threshold and certainty is not Level.VERY_LOW:
        text += f" ({_capital(NO_THRESHOLD)}.)"
    return text
