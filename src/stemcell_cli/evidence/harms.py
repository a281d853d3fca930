"""Harms graded as harms: deaths and serious adverse events per arm, controlled kept apart from uncontrolled."""

from __future__ import annotations

from collections.abc import Iterable
from math import comb

import msgspec

from stemcell_cli.evidence.designs import is_controlled
from stemcell_cli.evidence.lookup import study_label
from stemcell_cli.evidence.results import HarmRow
from stemcell_cli.model import Attribution, HarmKind, Study

# Rule of three: with no serious harm in n treated patients, the 95% upper bound of its rate is about 3/n, so
# ruling out a rate of 1% needs about 300 treated patients in controlled studies.
SAFE_TREATED = 300
ATTRIBUTED = frozenset({Attribution.RELATED, Attribution.POSSIBLY_RELATED})
SERIOUS = frozenset({HarmKind.DEATH, HarmKind.SERIOUS_ADVERSE_EVENT})

HARM_RULES: tuple[str, ...] = (
    "harms are the deaths and serious adverse events curated per arm (events the source does not grade are listed, "
    "not counted; a controlled study whose harms are not curated is named and not counted, a study that reports "
    "none is curated with a count of 0); the first arm of a study is the treated one",
    "harm shown: in controlled studies, a serious harm the authors attribute to treatment, or more serious harms "
    "in the treated arms than in the control arms with a two-sided Fisher exact p below 0.05",
    f"supports safety: no harm shown and at least {SAFE_TREATED} patients treated in controlled studies "
    "(rule of three: a 1% rate of serious harm is then ruled out)",
    "otherwise safety is not established; uncontrolled reports of harm are listed but cannot attribute an event "
    "to treatment, so they count neither for nor against",
)


class HarmBalance(msgspec.Struct, frozen=True, gc=False):
    """Serious harms in the treated and control arms of the controlled studies, and what they show."""

    rows: tuple[HarmRow, ...]
    treated: int
    treated_events: int
    control: int
    control_events: int
    attributed: tuple[str, ...]
    p: float | None
    uncurated: tuple[str, ...] = ()

    @property
    def shown(self) -> bool:
        """Tell whether the controlled harms show harm by the rules."""
        excess = self.p is not None and self.p < 0.05 and self._treated_rate() > self._control_rate()
        return bool(self.attributed) or excess

    def _treated_rate(self) -> float:
        return self.treated_events / self.treated if self.treated else 0.0

    def _control_rate(self) -> float:
        return self.control_events / self.control if self.control else 0.0


def rows(studies: Iterable[Study]) -> tuple[HarmRow, ...]:
    """Return every curated harm of these studies as a row, controlled studies first."""
    found = []
    for study in studies:
        sizes = {arm.name: arm.n for arm in study.participants.arms}
        for harm in study.harms:
            found.append(HarmRow(study.id, study_label(study), is_controlled(study.design), harm.arm,
                                 sizes.get(harm.arm), harm.kind, harm.event, harm.count, harm.attribution))
    return tuple(sorted(found, key=lambda r: not r.controlled))


def balance(studies: Iterable[Study]) -> HarmBalance:
    """Add up serious harms per arm over the controlled studies, with the exact test of the difference."""
    studies = list({s.id: s for s in studies}.values())
    # A controlled study without curated harms says nothing either way: it is named, never counted as zero events
    # (a study that reports none is curated as a harm with count 0).
    arms = [s for s in studies if is_controlled(s.design) and len(s.participants.arms) >= 2]
    controlled = [s for s in arms if s.harms]
    uncurated = tuple(study_label(s) for s in arms if not s.harms)
    treated = control = treated_events = control_events = 0
    attributed = []
    for study in controlled:
        first = study.participants.arms[0].name
        treated += study.participants.arms[0].n
        control += sum(arm.n for arm in study.participants.arms[1:])
        for harm in study.harms:
            if harm.kind not in SERIOUS:
                continue
            if harm.arm == first:
                treated_events += harm.count
                if harm.attribution in ATTRIBUTED:
                    attributed.append(study.id)
            else:
                control_events += harm.count
    p = fisher_exact(treated_events, treated, control_events, control) if controlled else None
    return HarmBalance(rows(studies), treated, treated_events, control, control_events,
                       tuple(dict.fromkeys(attributed)), p, uncurated)


def fisher_exact(a: int, n1: int, c: int, n2: int) -> float:
    """Return the two-sided Fisher exact p for a events in n1 against c events in n2 (events capped at n)."""
    a, c = min(a, n1), min(c, n2)
    events, total = a + c, n1 + n2
    if total == 0:
        return 1.0

    def chance(x: int) -> float:
        return comb(n1, x) * comb(n2, events - x) / comb(total, events)

    observed = chance(a)
    low, high = max(0, events - n2), min(events, n1)
    # The same tolerance as R's fisher.test, so that ties of equal probability are counted.
    return min(1.0, sum(p for x in range(low, high + 1) if (p := chance(x)) <= observed * (1 + 1e-7)))
