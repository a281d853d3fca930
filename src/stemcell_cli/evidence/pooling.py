"""Common-effect and random-effects pooling with metafor's conventions (rma.uni, rma.mh, confint)."""

import math
from collections.abc import Callable, Sequence

from stemcell_cli.errors import assert_never
from stemcell_cli.evidence.distributions import chi2_ppf, chi2_sf, norm_sf, t_ppf, t_sf
from stemcell_cli.evidence.results import Fit, MantelHaenszel, Measure, Method, PooledTest, Table2x2, Tau2Interval

Z95 = 1.959963984540054
THRESHOLD = 1e-12
MAX_ITERATIONS = 10_000


def _sums(vi: Sequence[float], tau2: float = 0.0) -> tuple[list[float], float]:
    """Return the weights 1/(vi + tau2) and their sum."""
    weights = [1.0 / (v + tau2) for v in vi]
    return weights, math.fsum(weights)


def _mean(yi: Sequence[float], weights: Sequence[float], total: float) -> float:
    """Return the weighted mean."""
    return math.fsum(w * y for w, y in zip(weights, yi, strict=True)) / total


def _q(yi: Sequence[float], weights: Sequence[float], centre: float) -> float:
    """Return the weighted sum of squares around a centre (Cochran's Q with the fixed-effect weights)."""
    return math.fsum(w * (y - centre) ** 2 for w, y in zip(weights, yi, strict=True))


def generalised_q(yi: Sequence[float], vi: Sequence[float], tau2: float) -> float:
    """Return Q at a given tau2: the weighted sum of squares with the random-effects weights."""
    weights, total = _sums(vi, tau2)
    return _q(yi, weights, _mean(yi, weights, total))


def typical_variance(vi: Sequence[float]) -> float:
    """Return metafor's typical within-study variance s2 = (k-1) sum(w) / ((sum w)^2 - sum(w^2))."""
    weights, total = _sums(vi)
    return (len(vi) - 1) * total / (total**2 - math.fsum(w * w for w in weights))


def _check(yi: Sequence[float], vi: Sequence[float]) -> None:
    """Refuse fewer than two studies, a mismatch, or variances that are not finite and positive (caller bugs)."""
    if len(yi) != len(vi) or len(yi) < 2:
        raise ValueError("pooling needs two or more estimates, each with its variance")
    if not all(math.isfinite(y) for y in yi) or not all(math.isfinite(v) and v > 0 for v in vi):
        raise ValueError("pooling needs finite estimates and finite positive variances")


def dl_tau2(yi: Sequence[float], vi: Sequence[float]) -> float:
    """Return the DerSimonian-Laird tau2, truncated at 0."""
    weights, total = _sums(vi)
    q = _q(yi, weights, _mean(yi, weights, total))
    return max(0.0, (q - (len(yi) - 1)) / (total - math.fsum(w * w for w in weights) / total))


def reml_tau2(yi: Sequence[float], vi: Sequence[float]) -> float | None:
    """Return the REML tau2 by Fisher scoring from the DL value (metafor's algorithm), or None if it diverges."""
    tau2 = dl_tau2(yi, vi)
    for _ in range(MAX_ITERATIONS):
        weights, total = _sums(vi, tau2)
        mu = _mean(yi, weights, total)
        # P = W - w w'/sum(w): tr(P), Y'PPY and sum(P*P) in closed form for the intercept-only model.
        sum_w2 = math.fsum(w * w for w in weights)
        trace = total - sum_w2 / total
        ppy = [w * (y - mu) for w, y in zip(weights, yi, strict=True)]
        ypppy = math.fsum(r * r for r in ppy)
        sum_pp = sum_w2 - 2 * math.fsum(w**3 for w in weights) / total + (sum_w2 / total) ** 2
        step = (ypppy - trace) / sum_pp
        while tau2 + step < 0:
            step /= 2
        if not math.isfinite(step):
            return None
        tau2 += step
        if abs(step) < THRESHOLD:
            return max(0.0, tau2)
    return None


def pm_tau2(yi: Sequence[float], vi: Sequence[float]) -> float | None:
    """Return the Paule-Mandel tau2, where Q(tau2) = k - 1, by bisection; None if no root is found."""
    df = len(yi) - 1
    if generalised_q(yi, vi, 0.0) <= df:
        return 0.0
    return _root(lambda t: generalised_q(yi, vi, t) - df, 0.0)


def _root(decreasing: Callable[[float], float], low: float) -> float | None:
    """Return where a decreasing function that is positive at `low` crosses 0, or None if it never does."""
    high = max(1.0, 2 * low)
    for _ in range(200):
        if decreasing(high) < 0:
            break
        low, high = high, high * 4
    else:
        return None
    for _ in range(400):
        middle = 0.5 * (low + high)
        if middle in (low, high):
            break
        if decreasing(middle) > 0:
            low = middle
        else:
            high = middle
        if high - low <= THRESHOLD * max(1.0, high):
            break
    return 0.5 * (low + high)



def tau2_interval(yi: Sequence[float], vi: Sequence[float], tau2: float, level: float = 0.95) -> Tau2Interval | None:
    """Return the Q-profile interval of tau2 (metafor's confint, with no upper search limit)."""
    df = len(yi) - 1
    upper_q = chi2_ppf(0.5 + level / 2, df)
    lower_q = chi2_ppf(0.5 - level / 2, df)
    at_zero = generalised_q(yi, vi, 0.0)
    bounds = []
    for target in (upper_q, lower_q):
        if at_zero <= target:
            bounds.append(0.0)
            continue
        found = _root(_above(yi, vi, target), 0.0)
        if found is None:
            return None
        bounds.append(found)
    s2 = typical_variance(vi)
    low, high = bounds
    return Tau2Interval(
        tau2=(low, high), tau=(math.sqrt(low), math.sqrt(high)),
        i2=(100 * low / (low + s2), 100 * high / (high + s2)), h2=(1 + low / s2, 1 + high / s2))


def _above(yi: Sequence[float], vi: Sequence[float], target: float) -> Callable[[float], float]:
    """Return tau2 -> Q(tau2) - target."""
    return lambda tau2: generalised_q(yi, vi, tau2) - target


def common_effect(yi: Sequence[float], vi: Sequence[float]) -> Fit:
    """Return the inverse-variance common-effect fit (metafor's method="FE")."""
    _check(yi, vi)
    weights, total = _sums(vi)
    mu = _mean(yi, weights, total)
    se = math.sqrt(1 / total)
    q = _q(yi, weights, mu)
    df = len(yi) - 1
    stat = mu / se
    return Fit(method=Method.FE, test=PooledTest.Z, k=len(yi), estimate=mu, se=se, stat=stat,
               pval=2 * norm_sf(abs(stat)), ci_low=mu - Z95 * se, ci_high=mu + Z95 * se, df=None, s2w=1.0, tau2=0.0,
               tau=0.0, se_tau2=None,
               i2=max(0.0, 100 * (q - df) / q) if q > 0 else 0.0, h2=q / df, q=q, q_df=df, q_p=chi2_sf(q, df),
               pi_low=None, pi_high=None, weights_pct=tuple(100 * w / total for w in weights))


def random_effects(yi: Sequence[float], vi: Sequence[float], method: Method = Method.REML,
                   test: PooledTest = PooledTest.Z, *, with_tau2_ci: bool = True) -> Fit:
    """Return a random-effects fit; a REML or PM fit that does not converge falls back to DL with a note."""
    _check(yi, vi)
    k, df = len(yi), len(yi) - 1
    fixed_weights, fixed_total = _sums(vi)
    q = _q(yi, fixed_weights, _mean(yi, fixed_weights, fixed_total))
    used, note = method, None
    tau2: float | None
    match method:
        case Method.DL:
            tau2 = dl_tau2(yi, vi)
        case Method.REML:
            tau2 = reml_tau2(yi, vi)
        case Method.PM:
            tau2 = pm_tau2(yi, vi)
        case Method.FE:
            raise ValueError(f"{method.value} is not a random-effects estimator")
        case _:
            assert_never(method)
    if tau2 is None or not math.isfinite(tau2):
        used, note = Method.DL, f"the {method.value} estimate of tau2 did not converge; DerSimonian-Laird used instead"
        tau2 = dl_tau2(yi, vi)
    weights, total = _sums(vi, tau2)
    mu = _mean(yi, weights, total)
    se = math.sqrt(1 / total)
    s2w = _q(yi, weights, mu) / df
    t_df: int | None = None
    match test:
        case PooledTest.Z:
            crit = Z95
            stat = mu / se
            pval = 2 * norm_sf(abs(stat))
        case PooledTest.KNHA | PooledTest.ADHOC:
            factor = s2w if test is PooledTest.KNHA else max(1.0, s2w)
            se *= math.sqrt(factor)
            t_df = df
            crit = t_ppf(0.975, df)
            stat = mu / se
            pval = 2 * t_sf(abs(stat), df)
        case _:
            assert_never(test)
    s2 = typical_variance(vi)
    spread = crit * math.sqrt(se**2 + tau2)
    return Fit(method=used, test=test, k=k, estimate=mu, se=se, stat=stat, pval=pval, ci_low=mu - crit * se,
               ci_high=mu + crit * se, df=t_df, s2w=s2w if test is not PooledTest.Z else 1.0, tau2=tau2,
               tau=math.sqrt(tau2), se_tau2=_se_tau2(used, vi, tau2), i2=100 * tau2 / (tau2 + s2),
               h2=1 + tau2 / s2, q=q, q_df=df, q_p=chi2_sf(q, df), pi_low=mu - spread, pi_high=mu + spread,
               weights_pct=tuple(100 * w / total for w in weights),
               tau2_ci=tau2_interval(yi, vi, tau2) if with_tau2_ci else None,
               requested=method if used is not method else None, note=note)


def _se_tau2(method: Method, vi: Sequence[float], tau2: float) -> float:
    """Return metafor's standard error of tau2 for the estimator."""
    k = len(vi)
    weights, total = _sums(vi) if method is Method.DL else _sums(vi, tau2)
    sum_w2 = math.fsum(w * w for w in weights)
    sum_pp = sum_w2 - 2 * math.fsum(w**3 for w in weights) / total + (sum_w2 / total) ** 2
    match method:
        case Method.DL:
            trace = total - sum_w2 / total
            return math.sqrt((2 * (k - 1) + 4 * tau2 * trace + 2 * tau2**2 * sum_pp) / trace**2)
        case Method.REML:
            return math.sqrt(2 / sum_pp)
        case Method.PM:
            return math.sqrt(2 * k**2 / (k - 1) / total**2)
        case Method.FE:
            raise ValueError(f"{method.value} has no tau2")
        case _:
            assert_never(method)


def mantel_haenszel(measure: Measure, tables: Sequence[Table2x2], yi: Sequence[float],
                    vi: Sequence[float]) -> MantelHaenszel | None:
    """Return metafor's rma.mh fit on raw counts; Q over the escalc effects without double-zero studies."""
    rows = [(t.a, t.b, t.c, t.d, t.a + t.b, t.c + t.d, t.a + t.b + t.c + t.d) for t in tables]
    match measure:
        case Measure.OR:
            r = math.fsum(a * d / n for a, b, c, d, _, _, n in rows)
            s = math.fsum(b * c / n for a, b, c, d, _, _, n in rows)
            if r == 0 or s == 0:
                return None
            mu = math.log(r / s)
            pr = math.fsum((a + d) / n * (a * d / n) for a, b, c, d, _, _, n in rows)
            ps_qr = math.fsum((a + d) / n * (b * c / n) + (b + c) / n * (a * d / n) for a, b, c, d, _, _, n in rows)
            qs = math.fsum((b + c) / n * (b * c / n) for a, b, c, d, _, _, n in rows)
            se = math.sqrt(0.5 * (pr / r**2 + ps_qr / (r * s) + qs / s**2))
        case Measure.RR:
            if sum(row[0] for row in rows) == 0 or sum(row[2] for row in rows) == 0:
                return None
            r = math.fsum(a * n2 / n for a, b, c, d, n1, n2, n in rows)
            s = math.fsum(c * n1 / n for a, b, c, d, n1, n2, n in rows)
            mu = math.log(r / s)
            se = math.sqrt(math.fsum(n1 / n * (n2 / n) * (a + c) - a / n * c for a, b, c, d, n1, n2, n in rows)
                           / (r * s))
        case Measure.RD:
            weight = math.fsum(n1 * (n2 / n) for a, b, c, d, n1, n2, n in rows)
            mu = math.fsum(a * (n2 / n) - c * (n1 / n) for a, b, c, d, n1, n2, n in rows) / weight
            part = math.fsum(c * (n1 / n) ** 2 - a * (n2 / n) ** 2 + (n1 / n) * (n2 / n) * (n2 - n1) / 2
                             for a, b, c, d, n1, n2, n in rows)
            rest = math.fsum(a * (n2 - c) / n + c * (n1 - a) / n for a, b, c, d, n1, n2, n in rows) / 2
            se = math.sqrt((mu * part + rest) / weight**2)
        case Measure.MD | Measure.SMD | Measure.HR | Measure.IRR | Measure.PR | Measure.OTHER:
            raise ValueError(f"Mantel-Haenszel needs a 2x2 measure, not {measure.value}")
        case _:
            assert_never(measure)
    kept = [(y, v) for t, y, v in zip(tables, yi, vi, strict=True) if not (t.a == t.c == 0 or t.b == t.d == 0)]
    q = q_p = i2 = h2 = None
    q_df = None
    if len(kept) > 1:
        q = max(0.0, math.fsum((y - mu) ** 2 / v for y, v in kept))
        q_df = len(kept) - 1
        q_p, i2, h2 = chi2_sf(q, q_df), max(0.0, 100 * (q - q_df) / q) if q > 0 else 0.0, q / q_df
    stat = mu / se
    return MantelHaenszel(measure=measure, k=len(rows), estimate=mu, se=se, stat=stat, pval=2 * norm_sf(abs(stat)),
                          ci_low=mu - Z95 * se, ci_high=mu + Z95 * se, q=q, q_df=q_df, q_p=q_p, i2=i2, h2=h2)
