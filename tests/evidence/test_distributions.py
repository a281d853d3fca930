"""The standard-library distributions agree with scipy to 1e-10 across their range (ring 1)."""

from __future__ import annotations

import itertools
import math

import pytest
from scipy import stats

from stemcell_cli.evidence import distributions as d

DFS = [0.5, 1, 1.5, 2, 3, 4.5, 7, 12, 30, 100, 1000, 1e4]
TOL = 1e-10


def close(got: float, want: float) -> bool:
    """Within 1e-10, absolutely for values of order one and relatively for tiny or huge ones."""
    return abs(got - want) <= TOL * max(1.0, abs(want)) or abs(got - want) <= TOL * abs(want)


@pytest.mark.parametrize("x", [-38.5, -20, -8.3, -3, -1.96, -0.5, -1e-8, 0, 1e-6, 0.3, 1, 2.5, 7, 12, 37])
def test_normal_cdf_and_upper_tail(x: float) -> None:
    assert close(d.norm_cdf(x), stats.norm.cdf(x))
    assert d.norm_sf(x) == pytest.approx(stats.norm.sf(x), rel=TOL, abs=0)


@pytest.mark.parametrize("p", [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.025, 0.1, 0.3, 0.5, 0.7, 0.9, 0.975,
                               0.999, 1 - 1e-10])
def test_normal_quantile(p: float) -> None:
    assert d.norm_ppf(p) == pytest.approx(stats.norm.ppf(p), rel=TOL, abs=TOL)


def test_normal_quantile_of_the_ends_and_a_bad_probability() -> None:
    assert (d.norm_ppf(0.0), d.norm_ppf(1.0)) == (-math.inf, math.inf)
    with pytest.raises(ValueError, match="outside"):
        d.norm_ppf(1.5)


@pytest.mark.parametrize("df", DFS)
def test_student_t_cdf_tail_and_quantile(df: float) -> None:
    for t in [-1e6, -300, -40, -8, -2.2, -1, -0.01, 0, 0.3, 1.96, 4, 25, 1e3]:
        assert close(d.t_cdf(t, df), stats.t.cdf(t, df)), t
        assert d.t_sf(t, df) == pytest.approx(stats.t.sf(t, df), rel=TOL, abs=0), t
    for p in [1e-12, 1e-6, 0.001, 0.025, 0.2, 0.5, 0.6, 0.975, 0.995, 1 - 1e-9]:
        assert d.t_ppf(p, df) == pytest.approx(stats.t.ppf(p, df), rel=TOL, abs=TOL), p


@pytest.mark.parametrize("df", DFS)
def test_chi_square_cdf_tail_and_quantile(df: float) -> None:
    for x in [1e-8, 0.01, 0.5, 1, 2, df, 3 * df + 5, 100, 500]:
        assert close(d.chi2_cdf(x, df), stats.chi2.cdf(x, df)), x
        assert d.chi2_sf(x, df) == pytest.approx(stats.chi2.sf(x, df), rel=TOL, abs=0), x
    for p in [1e-10, 0.001, 0.025, 0.5, 0.975, 0.999, 1 - 1e-9]:
        assert d.chi2_ppf(p, df) == pytest.approx(stats.chi2.ppf(p, df), rel=TOL), p


@pytest.mark.parametrize(("a", "b"), list(itertools.product([0.5, 1, 2.5, 10, 100, 1000], [1, 3, 40, 700])))
def test_beta_cdf_and_quantile(a: float, b: float) -> None:
    for x in [1e-6, 0.01, 0.2, 0.5, 0.8, 0.999]:
        assert close(d.beta_cdf(x, a, b), stats.beta.cdf(x, a, b)), x
    for p in [1e-6, 0.025, 0.5, 0.975, 1 - 1e-8]:
        assert d.beta_ppf(p, a, b) == pytest.approx(stats.beta.ppf(p, a, b), rel=TOL), p


def test_beta_quantile_deep_in_the_tail_round_trips() -> None:
    # scipy's own root finder gives up here (and answers 2e-23); the cdf of our answer is the probability asked for.
    x = d.beta_ppf(1e-8, 0.5, 3)
    assert d.beta_cdf(x, 0.5, 3) == pytest.approx(1e-8, rel=1e-12)


@pytest.mark.parametrize("n", [1, 2, 5, 13, 20, 57, 200, 1000])
@pytest.mark.parametrize("p", [0.5, 0.3, 0.01, 0.9])
def test_exact_binomial_test_as_scipy(n: int, p: float) -> None:
    for k in range(0, n + 1, max(1, n // 17)):
        assert close(d.binom_test(k, n, p), stats.binomtest(k, n, p).pvalue), k


def test_sign_test_values_are_exact_binomial_sums() -> None:
    assert d.binom_test(2, 13) == 2 * (1 + 13 + 78) / 8192 == 0.0224609375
    assert d.binom_less(2, 13) == 92 / 8192
    assert d.binom_greater(2, 13) == (8192 - 1 - 13) / 8192
    assert d.binom_test(0, 1) == 1.0
    assert d.binom_test(0, 0) == 1.0
    assert d.binom_test(10, 10) == 2 / 1024


def test_proportion_intervals_against_scipy() -> None:
    for k, n in [(0, 10), (1, 12), (5, 6), (40, 69), (12, 12)]:
        exact = stats.binomtest(k, n).proportion_ci(method="exact")
        wilson = stats.binomtest(k, n).proportion_ci(method="wilson")
        assert d.clopper_pearson(k, n) == pytest.approx((exact.low, exact.high), abs=TOL)
        assert d.wilson(k, n) == pytest.approx((wilson.low, wilson.high), abs=TOL)
