"""Vote counting by direction of effect with an exact two-sided sign test (Cochrane Handbook, chapter 12)."""

from collections.abc import Sequence

from stemcell_cli.evidence.distributions import binom_greater, binom_less, binom_test, clopper_pearson
from stemcell_cli.evidence.results import Votes


def count_votes(directions: Sequence[float]) -> Votes:
    """Count the signs of effects on the analysis scale (0 is no effect) and test them against a 50:50 split."""
    positive = sum(1 for value in directions if value > 0)
    negative = sum(1 for value in directions if value < 0)
    ties = len(directions) - positive - negative
    cast = positive + negative
    low = high = share = None
    if cast:
        share = positive / cast
        low, high = clopper_pearson(positive, cast)
    return Votes(positive=positive, negative=negative, ties=ties, p_two_sided=binom_test(positive, cast),
                 p_greater=binom_greater(positive, cast), p_less=binom_less(positive, cast), share_positive=share,
                 share_low=low, share_high=high)
