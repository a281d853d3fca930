"""GRADE's four certainty levels."""

from __future__ import annotations

from enum import Enum


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
