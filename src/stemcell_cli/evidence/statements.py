"""Plain-language statements in GRADE's informative wording (GRADE 26), from what an outcome shows and its certainty."""

from __future__ import annotations

from stemcell_cli.errors import assert_never
from stemcell_cli.evidence.certainty import Level
from stemcell_cli.evidence.grades import Shown
from stemcell_cli.model import Better, Comparator, OutcomeDefinition

NO_THRESHOLD = "no threshold for an important effect is on record, so any difference from no effect counts"


def _increases(shown: Shown, better: Better) -> bool:
    """Tell whether the numbers go up: benefit on a higher-is-better outcome, or harm on a lower-is-better one."""
    return (shown is Shown.BENEFIT) == (better is Better.HIGHER)


def _verb(certainty: Level, up: bool) -> str:
    """Return GRADE 26's hedged verb for a direction at a certainty."""
    bare = "increase" if up else "reduce"
    match certainty:
        case Level.HIGH:
            return bare + "s"
        case Level.MODERATE:
            return f"probably {bare}s"
        case Level.LOW | Level.VERY_LOW:
            return f"may {bare}"
        case _:
            assert_never(certainty)


def _no_difference(certainty: Level) -> str:
    """Return GRADE 26's hedged phrase for little or no difference."""
    match certainty:
        case Level.HIGH:
            return "results"
        case Level.MODERATE:
            return "probably results"
        case Level.LOW | Level.VERY_LOW:
            return "may result"
        case _:
            assert_never(certainty)


def comparator_words(comparator: Comparator) -> str:
    """Return what a control arm received, in words ("an active treatment")."""
    match comparator:
        case Comparator.PLACEBO_OR_SHAM:
            return "placebo or sham"
        case Comparator.ACTIVE:
            return "an active treatment"
        case Comparator.USUAL_CARE:
            return "usual care"
        case Comparator.NONE:
            return "no treatment"
        case Comparator.MIXED:
            return "control (mixed or not stated)"
        case _:
            assert_never(comparator)


def _capital(text: str) -> str:
    """Return the text with its first letter in capitals."""
    return text[:1].upper() + text[1:]


def lower(name: str) -> str:
    """Return an outcome name as it reads inside a sentence: the first letter small, unless it starts an acronym."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def row_statement(shown: Shown, certainty: Level, outcome: OutcomeDefinition, therapy: str | None,
                  has_threshold: bool, estimated: bool = True) -> str:
    """Return GRADE 26's statement for one outcome: the verb follows the effect, the hedge the certainty."""
    t = therapy or "the cell therapy"
    o = lower(outcome.name)
    match shown:
        case _ if certainty is Level.VERY_LOW:
            text = f"The evidence is very uncertain about the effect of {t} on {o}."
        case Shown.UNCERTAIN if not estimated:
            text = f"Trials reported in words only do not show which way {t} moves {o}."
        case Shown.UNCERTAIN:
            text = f"{_capital(t)} may improve or worsen {o}: the 95% CI includes both."
        case Shown.LITTLE_OR_NO_DIFFERENCE:
            text = f"{_capital(t)} {_no_difference(certainty)} in little or no difference in {o}."
        case Shown.BENEFIT | Shown.HARM:
            text = f"{_capital(t)} {_verb(certainty, _increases(shown, outcome.better))} {o}."
        case _:
            assert_never(shown)
    if not estimated:
        return text + " (A vote count of trials reported in words only: there is no estimate.)"
    if not has_threshold and certainty is not Level.VERY_LOW:
        text += f" ({_capital(NO_THRESHOLD)}.)"
    return text
