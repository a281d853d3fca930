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
        return 4 - _ORDER.index(self)

    def lowered(self, by: int) -> Level:
        """Return the level this many steps lower, never below very low."""
        return _ORDER[min(3, _ORDER.index(self) + max(0, by))]


# The declaration order, highest first: a level's place in it is its distance from high.
_ORDER: tuple[Level, ...] = tuple(Level)
