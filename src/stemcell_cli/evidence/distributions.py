"""Normal, Student t, chi-square and beta distributions and the exact binomial test, with the standard library."""

from __future__ import annotations

import math
from collections.abc import Callable

_EPS = 5e-16  # one or two units in the last place: a stricter test may never be met
_TINY = 1e-300
_MAX_TERMS = 100_000
_SQRT2 = math.sqrt(2.0)
_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)


def norm_cdf(x: float) -> float:
    """Return P(Z <= x) for a standard normal Z."""
    return 0.5 * math.erfc(-x / _SQRT2)


def norm_sf(x: float) -> float:
    """Return P(Z > x) for a standard normal Z, accurate far in the upper tail."""
    return 0.5 * math.erfc(x / _SQRT2)


def norm_pdf(x: float) -> float:
    """Return the standard normal density at x."""
    return math.exp(-0.5 * x * x - _LOG_SQRT_2PI)


def norm_ppf(p: float) -> float:
    """Return the standard normal quantile of p (Halley steps from the Abramowitz-Stegun 26.2.23 start)."""
    edge = _symmetric_edge(p)
    if edge is not None:
        return edge
    if p > 0.5:
        return -_norm_lower(1.0 - p)
    return _norm_lower(p)


def _norm_lower(p: float) -> float:
    """Return the normal quantile of p < 0.5, working on the lower tail where it is precise."""
    t = math.sqrt(-2.0 * math.log(p))
    x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1.0 + 1.432788 * t + 0.189269 * t * t
                                                              + 0.001308 * t * t * t))
    for _ in range(50):
        step = (norm_cdf(x) - p) / norm_pdf(x)
        step = step / (1.0 + 0.5 * x * step)
        x -= step
        if abs(step) <= 1e-15 * max(1.0, abs(x)):
            break
    return x


def _symmetric_edge(p: float) -> float | None:
    """Return the quantile of p for a distribution symmetric about 0 where it needs no arithmetic (0, 1, 1/2)."""
    _check_probability(p)
    if p == 0.0:
        return -math.inf
    if p == 1.0:
        return math.inf
    return 0.0 if p == 0.5 else None


def _check_probability(p: float) -> None:
    """Refuse a probability outside [0, 1] (a bug in the caller)."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"probability {p!r} is outside [0, 1]")


def _log_beta(a: float, b: float) -> float:
    """Return log B(a, b)."""
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def _beta_fraction(a: float, b: float, x: float) -> float:
    """Evaluate the continued fraction of the incomplete beta function (modified Lentz)."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    result = d
    for m in range(1, _MAX_TERMS):
        m2 = 2 * m
        for numerator in (m * (b - m) * x / ((a + m2 - 1.0) * (a + m2)),
                          -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            result *= d * c
        if abs(d * c - 1.0) < _EPS:
            return result
    raise ArithmeticError(f"incomplete beta fraction did not converge for a={a}, b={b}, x={x}")


def beta_cdf_pair(x: float, a: float, b: float, y: float | None = None) -> tuple[float, float]:
    """Return (I_x(a, b), 1 - I_x(a, b)), each precise; y = 1 - x may be given exactly."""
    y = 1.0 - x if y is None else y
    if x <= 0.0:
        return 0.0, 1.0
    if y <= 0.0:
        return 1.0, 0.0
    front = math.exp(a * math.log(x) + b * math.log(y) - _log_beta(a, b))
    if x < (a + 1.0) / (a + b + 2.0):
        lower = front * _beta_fraction(a, b, x) / a
        return lower, 1.0 - lower
    upper = front * _beta_fraction(b, a, y) / b
    return 1.0 - upper, upper


def beta_cdf(x: float, a: float, b: float) -> float:
    """Return the regularized incomplete beta function I_x(a, b)."""
    return beta_cdf_pair(x, a, b)[0]


def beta_ppf(p: float, a: float, b: float) -> float:
    """Return the x with I_x(a, b) = p."""
    _check_probability(p)
    if p in (0.0, 1.0):
        return p
    log_norm = _log_beta(a, b)

    def gap(z: float) -> tuple[float, float]:
        # On the logit scale z, x = 1/(1+e^-z): the equation is smooth and the bracket is the whole line.
        x, y = _expit_pair(z)
        lower, upper = beta_cdf_pair(x, a, b, y)
        value = lower - p if p < 0.5 else (1.0 - p) - upper
        if x <= 0.0 or y <= 0.0:
            return value, 0.0
        return value, math.exp(a * math.log(x) + b * math.log(y) - log_norm)

    z = _solve_increasing(gap, -745.0, 745.0, 0.0)
    return _expit_pair(z)[0]


def _expit_pair(z: float) -> tuple[float, float]:
    """Return (1/(1+e^-z), 1/(1+e^z)), each without cancellation."""
    if z >= 0:
        e = math.exp(-z)
        return 1.0 / (1.0 + e), e / (1.0 + e)
    e = math.exp(z)
    return e / (1.0 + e), 1.0 / (1.0 + e)


def _solve_increasing(f: Callable[[float], tuple[float, float]], lo: float, hi: float, x: float) -> float:
    """Find the root of an increasing f on [lo, hi] by Newton steps kept inside a shrinking bracket."""
    for _ in range(400):
        value, slope = f(x)
        if value == 0.0:
            return x
        if value < 0.0:
            lo = x
        else:
            hi = x
        step = value / slope if slope > 0.0 else math.inf
        candidate = x - step
        if not lo < candidate < hi:
            candidate = 0.5 * (lo + hi)
        if abs(candidate - x) <= 1e-15 * max(1.0, abs(x)) or hi - lo <= 1e-15 * max(1.0, abs(x)):
            return candidate
        x = candidate
    return x


def t_cdf(t: float, df: float) -> float:
    """Return P(T <= t) for Student's t with df degrees of freedom."""
    lower, upper = _t_tails(t, df)
    return lower if t < 0 else upper


def t_sf(t: float, df: float) -> float:
    """Return P(T > t) for Student's t with df degrees of freedom."""
    return t_cdf(-t, df)


def _t_tails(t: float, df: float) -> tuple[float, float]:
    """Return (P(T <= -|t|), P(T <= |t|))."""
    if math.isinf(t):
        return 0.0, 1.0
    square = t * t
    x, y = df / (df + square), square / (df + square)
    tail, _ = beta_cdf_pair(x, 0.5 * df, 0.5, y)
    return 0.5 * tail, 1.0 - 0.5 * tail


def t_pdf(t: float, df: float) -> float:
    """Return the density of Student's t at t."""
    return math.exp(math.lgamma(0.5 * (df + 1.0)) - math.lgamma(0.5 * df) - 0.5 * math.log(df * math.pi)
                    - 0.5 * (df + 1.0) * math.log1p(t * t / df))


def t_ppf(p: float, df: float) -> float:
    """Return the quantile of Student's t with df degrees of freedom."""
    edge = _symmetric_edge(p)
    if edge is not None:
        return edge
    tail = min(p, 1.0 - p)
    if df == 1.0:
        magnitude = 1.0 / math.tan(math.pi * tail)
    elif df == 2.0:
        magnitude = (1.0 - 2.0 * tail) / math.sqrt(2.0 * tail * (1.0 - tail))
    else:
        log_tail = math.log(tail)

        def gap(s: float) -> tuple[float, float]:
            # Solve log P(T > e^s) = log(tail) on the log scale, where heavy tails stay well-behaved.
            t = math.exp(s)
            upper = _t_tails(t, df)[0]
            if upper <= 0.0:
                return math.inf, 0.0
            return log_tail - math.log(upper), t * t_pdf(t, df) / upper

        start = math.log(max(-norm_ppf(tail), 1e-300))
        magnitude = math.exp(_solve_increasing(gap, -700.0, 700.0, start))
    return -magnitude if p < 0.5 else magnitude


def gamma_pair(a: float, x: float) -> tuple[float, float]:
    """Return the regularized incomplete gamma functions (P(a, x), Q(a, x)), each precise."""
    if x <= 0.0:
        return 0.0, 1.0
    log_front = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1.0:
        term = total = 1.0 / a
        denominator = a
        for _ in range(_MAX_TERMS):
            denominator += 1.0
            term *= x / denominator
            total += term
            if abs(term) < abs(total) * _EPS:
                lower = total * math.exp(log_front)
                return lower, 1.0 - lower
        raise ArithmeticError(f"incomplete gamma series did not converge for a={a}, x={x}")
    b = x + 1.0 - a
    c, d = 1.0 / _TINY, 1.0 / b
    result = d
    for i in range(1, _MAX_TERMS):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = b + an / c
        c = c if abs(c) > _TINY else _TINY
        result *= d * c
        if abs(d * c - 1.0) < _EPS:
            upper = math.exp(log_front) * result
            return 1.0 - upper, upper
    raise ArithmeticError(f"incomplete gamma fraction did not converge for a={a}, x={x}")


def chi2_cdf(x: float, df: float) -> float:
    """Return P(X <= x) for a chi-square X with df degrees of freedom."""
    return gamma_pair(0.5 * df, 0.5 * x)[0]


def chi2_sf(x: float, df: float) -> float:
    """Return P(X > x) for a chi-square X with df degrees of freedom, accurate far in the tail."""
    return gamma_pair(0.5 * df, 0.5 * x)[1]


def chi2_ppf(p: float, df: float) -> float:
    """Return the quantile of the chi-square distribution with df degrees of freedom."""
    _check_probability(p)
    if p == 0.0:
        return 0.0
    if p == 1.0:
        return math.inf
    a = 0.5 * df
    log_norm = math.lgamma(a)

    def gap(s: float) -> tuple[float, float]:
        # On the log scale of x/2, so that tiny and huge quantiles are reached in few steps.
        half = math.exp(s)
        lower, upper = gamma_pair(a, half)
        value = lower - p if p < 0.5 else (1.0 - p) - upper
        return value, math.exp(a * s - half - log_norm)

    start = math.log(max(a, 1e-300))
    return 2.0 * math.exp(_solve_increasing(gap, -745.0, 700.0, start))


def binom_pmf(k: int, n: int, p: float) -> float:
    """Return P(X = k) for X ~ Binomial(n, p)."""
    if k < 0 or k > n:
        return 0.0
    if p == 0.0:
        return 1.0 if k == 0 else 0.0
    if p == 1.0:
        return 1.0 if k == n else 0.0
    if p == 0.5:
        return math.comb(n, k) / (1 << n)  # integer division rounds correctly: the sign test's values are exact
    log_choose = math.lgamma(n + 1.0) - math.lgamma(k + 1.0) - math.lgamma(n - k + 1.0)
    return math.exp(log_choose + k * math.log(p) + (n - k) * math.log1p(-p))


def binom_test(k: int, n: int, p: float = 0.5) -> float:
    """Return the exact two-sided binomial test p-value of k successes in n, as R's binom.test computes it."""
    if not 0 <= k <= n:
        raise ValueError(f"{k} successes out of {n} is impossible")
    if n == 0:
        return 1.0
    pmf = [binom_pmf(i, n, p) for i in range(n + 1)]
    observed = pmf[k]
    mean = n * p
    # R counts as "at least as extreme" every outcome no more likely than the observed one, up to 1e-7 relative.
    bound = observed * (1.0 + 1e-7)
    if k == mean:
        return 1.0
    if k < mean:
        other = sum(1 for i in range(math.ceil(mean), n + 1) if pmf[i] <= bound)
        total = math.fsum(pmf[: k + 1]) + math.fsum(pmf[n - other + 1:])
    else:
        other = sum(1 for i in range(0, math.floor(mean) + 1) if pmf[i] <= bound)
        total = math.fsum(pmf[:other]) + math.fsum(pmf[k:])
    return min(1.0, total)


def binom_less(k: int, n: int, p: float = 0.5) -> float:
    """Return the one-sided exact p-value P(X <= k)."""
    return min(1.0, math.fsum(binom_pmf(i, n, p) for i in range(k + 1)))


def binom_greater(k: int, n: int, p: float = 0.5) -> float:
    """Return the one-sided exact p-value P(X >= k)."""
    return min(1.0, math.fsum(binom_pmf(i, n, p) for i in range(k, n + 1)))


def clopper_pearson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Return the exact (Clopper-Pearson) interval for a proportion k/n."""
    alpha = 1.0 - level
    low = 0.0 if k == 0 else beta_ppf(alpha / 2.0, k, n - k + 1)
    high = 1.0 if k == n else beta_ppf(1.0 - alpha / 2.0, k + 1, n - k)
    return low, high


def wilson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Return the Wilson score interval for a proportion k/n (no continuity correction)."""
    z = norm_ppf(0.5 + level / 2.0)
    share = k / n
    z2 = z * z
    centre = share + z2 / (2.0 * n)
    spread = z * math.sqrt(share * (1.0 - share) / n + z2 / (4.0 * n * n))
    scale = 1.0 + z2 / n
    return max(0.0, (centre - spread) / scale), min(1.0, (centre + spread) / scale)
