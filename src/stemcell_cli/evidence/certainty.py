"""GRADE's four certainty levels and where a body of evidence starts: by design, a meta-analysis by what it pools."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from stemcell_cli.model import Comparison, Design, Study


class Level(str, Enum):
    """GRADE certainty of evidence, highest first."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very_low"

    @property
    def points(self) -> int:
        """Return 4 for high down to 1 for very low."""
        return _POINTS[self]

    def lowered(self, by: int) -> Level:
        """Return the level this many steps lower, never below very low."""
        return _BY_POINTS[max(1, self.points - by)]


_POINTS = {Level.HIGH: 4, Level.MODERATE: 3, Level.LOW: 2, Level.VERY_LOW: 1}
_BY_POINTS = {points: level for level, points in _POINTS.items()}

_DESIGN_START = {
    Design.RANDOMISED_CONTROLLED_TRIAL: Level.HIGH,
    Design.NON_RANDOMISED_CONTROLLED: Level.LOW,
    Design.SINGLE_ARM: Level.VERY_LOW,
    Design.CASE_SERIES: Level.VERY_LOW,
    Design.LONG_TERM_FOLLOW_UP: Level.VERY_LOW,
    Design.RETROSPECTIVE_COHORT: Level.VERY_LOW,
}

_COMPARISON_START = {
    Comparison.RANDOMISED_ARMS: Level.HIGH,
    Comparison.MIXED: Level.LOW,
    Comparison.BEFORE_AFTER: Level.VERY_LOW,
}

START_RULES: tuple[tuple[str, str], ...] = (
    ("randomised controlled trial", "starts high"),
    ("non-randomised controlled comparison", "starts low"),
    ("uncontrolled report (single-arm, case series, one-arm follow-up or cohort)",
     "starts very low and cannot show an added effect over standard treatment"),
    ("meta-analysis", "starts where what it pools starts: randomised arms high, randomised and before/after values "
                      "mixed low, before/after values very low, never above its strongest input; not curated: very "
                      "low"),
)


def start(study: Study, studies: Mapping[str, Study]) -> Level:
    """Return where a study's evidence starts; a meta-analysis never above what it pools."""
    if study.design is not Design.SYSTEMATIC_REVIEW:
        return _DESIGN_START[study.design]
    pooling = study.pooling
    if pooling is None:
        return Level.VERY_LOW
    level = _COMPARISON_START[pooling.comparison]
    inputs = [_DESIGN_START.get(studies[i].design, Level.VERY_LOW) for i in pooling.includes if i in studies]
    inputs += [_DESIGN_START.get(other.design, Level.VERY_LOW) for other in pooling.others]
    if inputs:
        ceiling = max(inputs, key=lambda lv: lv.points)
        if ceiling.points < level.points:
            level = ceiling
    return level

