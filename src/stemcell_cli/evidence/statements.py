"""Plain-language statements in the wording GRADE and Cochrane summaries use, from a verdict and its certainty."""

from __future__ import annotations

from stemcell_cli.evidence.certainty import Level
from stemcell_cli.evidence.results import Verdict
from stemcell_cli.model import Assertion

_BENEFIT = {
    Level.HIGH: "{t} improves {o}.",
    Level.MODERATE: "{t} probably improves {o}.",
    Level.LOW: "{t} may improve {o}.",
    Level.VERY_LOW: "{t} may improve {o}, but the evidence is very uncertain.",
}
_NO_DIFFERENCE = {
    Level.HIGH: "{t} makes little or no difference to {o}.",
    Level.MODERATE: "{t} probably makes little or no difference to {o}.",
    Level.LOW: "{t} may make little or no difference to {o}.",
    Level.VERY_LOW: "{t} may make little or no difference to {o}, but the evidence is very uncertain.",
}
_SAFE = {
    Level.HIGH: "{t} does not increase serious harms.",
    Level.MODERATE: "{t} probably does not increase serious harms.",
    Level.LOW: "{t} may not increase serious harms.",
    Level.VERY_LOW: "{t} may not increase serious harms, but the evidence is very uncertain.",
}
_HARM = {
    Level.HIGH: "{t} increases serious harms.",
    Level.MODERATE: "{t} probably increases serious harms.",
    Level.LOW: "{t} may increase serious harms.",
    Level.VERY_LOW: "{t} may increase serious harms, but the evidence is very uncertain.",
}


def statement(verdict: Verdict, certainty: Level | None, asserts: Assertion, *, therapy: str, outcome: str,
              reason: str) -> str:
    """Return the claim's plain-language statement; the reason follows where the verdict is not a direction."""
    t = therapy[:1].upper() + therapy[1:]
    if verdict is Verdict.NOT_CHECKABLE:
        return f"This cannot be checked: {reason}."
    if certainty is None or verdict is Verdict.INCONCLUSIVE:
        if asserts is Assertion.SAFE:
            return f"The safety of {therapy} is not established: {reason}."
        return f"It is not known whether {therapy} improves {outcome}: {reason}."
    if asserts is Assertion.SAFE:
        table = _HARM if verdict is Verdict.HARM_SHOWN else (_SAFE if verdict is Verdict.SUPPORTS else _HARM)
        return table[certainty].format(t=t, o=outcome)
    helps = (verdict is Verdict.SUPPORTS) == (asserts is Assertion.BENEFIT)
    return (_BENEFIT if helps else _NO_DIFFERENCE)[certainty].format(t=t, o=outcome)
