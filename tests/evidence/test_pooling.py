"""Pooling reproduces R's metafor: dat.bcg to 1e-6 in every field, and the hard cases made by make_references.R."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import pytest

from stemcell_cli.evidence import pooling
from stemcell_cli.evidence.effects import binary_effect, continuous_effect, proportion
from stemcell_cli.evidence.results import Effect, Fit, Measure, Method, PooledTest, Table2x2
from stemcell_cli.evidence.votes import count_votes

METAFOR = Path(__file__).resolve().parents[1] / "fixtures" / "metafor"
BCG = json.loads((METAFOR / "bcg_reference.json").read_text(encoding="utf-8"))
HARD = json.loads((METAFOR / "hard_cases.json").read_text(encoding="utf-8"))["cases"]
TOL = 1e-6


def bcg_effects() -> list[Effect]:
    rows = list(csv.DictReader((METAFOR / "bcg.csv").read_text(encoding="utf-8").splitlines()))
    return [binary_effect(Measure.RR, int(r["tpos"]), int(r["tpos"]) + int(r["tneg"]), int(r["cpos"]),
                          int(r["cpos"]) + int(r["cneg"])) for r in rows]


def fields(fit: Fit) -> dict[str, Any]:
    """The fit under metafor's names."""
    return {"estimate": fit.estimate, "se": fit.se, "stat": fit.stat, "pval": fit.pval, "ci.lb": fit.ci_low,
            "ci.ub": fit.ci_high, "df": fit.df, "s2w": fit.s2w, "tau2": fit.tau2, "tau": fit.tau,
            "se.tau2": fit.se_tau2, "I2": fit.i2, "H2": fit.h2, "QE": fit.q, "QEdf": fit.q_df, "QEp": fit.q_p,
            "pi.lb": fit.pi_low, "pi.ub": fit.pi_high, "k": fit.k}


def same(got: Any, want: Any, tol: float = TOL) -> bool:
    """Equal within 1e-6 (relative beyond 1); None only where metafor gives none."""
    if want is None or got is None:
        return got is None and want is None
    return bool(abs(got - want) <= tol * max(1.0, abs(want)))


def test_bcg_effects_are_escalcs() -> None:
    rows = list(csv.DictReader((METAFOR / "bcg.csv").read_text(encoding="utf-8").splitlines()))
    for effect, row in zip(bcg_effects(), rows, strict=True):
        assert effect.yi == pytest.approx(float(row["yi"]), abs=1e-12)
        assert effect.vi == pytest.approx(float(row["vi"]), abs=1e-12)


FITTED = [r for r in BCG["results"] if r["method"] in {"FE", "DL", "REML", "PM"}]


@pytest.mark.parametrize("reference", FITTED, ids=[r["label"] for r in FITTED])
def test_bcg_every_field_matches_metafor(reference: dict[str, Any]) -> None:
    effects = bcg_effects()
    yi = [e.yi for e in effects if e.yi is not None]
    vi = [e.vi for e in effects if e.vi is not None]
    if reference["method"] == "FE":
        fit = pooling.common_effect(yi, vi)
    else:
        fit = pooling.random_effects(yi, vi, Method(reference["method"]), PooledTest(reference["test"]))
    got = fields(fit)
    wrong = {k: (got[k], reference[k]) for k in got if not same(got[k], reference[k])}
    assert wrong == {}
    assert fit.weights_pct == pytest.approx(reference["weights_pct"], abs=TOL)
    if "tau2_ci" in reference:
        assert fit.tau2_ci is not None
        ci = reference["tau2_ci"]
        assert fit.tau2_ci.tau2 == pytest.approx(ci["tau2"][1:], abs=TOL)
        assert fit.tau2_ci.tau == pytest.approx(ci["tau"][1:], abs=TOL)
        assert fit.tau2_ci.i2 == pytest.approx(ci["I2"][1:], abs=TOL)
        assert fit.tau2_ci.h2 == pytest.approx(ci["H2"][1:], abs=TOL)


def test_bcg_mantel_haenszel_matches_metafor() -> None:
    effects = bcg_effects()
    reference = next(r for r in BCG["results"] if r["label"] == "MH")
    tables = [e.counts for e in effects if e.counts is not None]
    fit = pooling.mantel_haenszel(Measure.RR, tables, [e.yi or 0.0 for e in effects], [e.vi or 0.0 for e in effects])
    assert fit is not None
    got = {"estimate": fit.estimate, "se": fit.se, "stat": fit.stat, "pval": fit.pval, "ci.lb": fit.ci_low,
           "ci.ub": fit.ci_high, "I2": fit.i2, "H2": fit.h2, "QE": fit.q, "QEp": fit.q_p}
    assert {k: v for k, v in got.items() if not same(v, reference[k])} == {}


def test_bcg_sign_test_matches_binom_test() -> None:
    votes = count_votes([e.yi or 0.0 for e in bcg_effects()])
    sign = BCG["sign_test"]
    assert (votes.positive, votes.negative, votes.ties) == (sign["n_positive"], sign["n_negative"], sign["n_ties"])
    assert votes.p_two_sided == sign["binom.test_two.sided_p"]
    assert votes.p_greater == sign["binom.test_greater_p"]
    assert votes.p_less == sign["binom.test_less_p"]
    assert (votes.share_low, votes.share_high) == pytest.approx(sign["conf.int"], abs=1e-12)


def _fit_case(yi: list[float], vi: list[float], name: str) -> Fit:
    method, _, test = name.partition("_")
    if method == "FE":
        return pooling.common_effect(yi, vi)
    return pooling.random_effects(yi, vi, Method(method), PooledTest(test or "z"))


def _check_fit(fit: Fit, reference: dict[str, Any]) -> None:
    got = fields(fit)
    wrong = {k: (got[k], reference[k]) for k in reference if k in got and k not in {"df", "s2w"}
             and not same(got[k], reference[k])}
    assert wrong == {}
    assert fit.weights_pct == pytest.approx(reference["weights_pct"], abs=TOL)
    if "tau2_ci" in reference:
        assert fit.tau2_ci is not None
        assert fit.tau2_ci.tau2 == pytest.approx(reference["tau2_ci"], abs=TOL, rel=TOL)
        assert fit.tau2_ci.i2 == pytest.approx(reference["I2_ci"], abs=TOL)


def _counts(case: dict[str, Any]) -> list[tuple[int, int, int, int]]:
    return [(int(r["ai"]), int(r["n1i"]), int(r["ci"]), int(r["n2i"])) for r in case["counts"]]


ZERO = [name for name in HARD if name.startswith("zero_cells_")]


@pytest.mark.parametrize("name", ZERO)
def test_zero_and_double_zero_cells_as_escalc_and_rma(name: str) -> None:
    case = HARD[name]
    effects = [binary_effect(Measure(case["measure"]), *row) for row in _counts(case)]
    assert [e.yi for e in effects] == pytest.approx(case["yi"], abs=1e-12)
    assert [e.vi for e in effects] == pytest.approx(case["vi"], abs=1e-12)
    assert [e.corrected for e in effects] == [True, True, True, False, False]
    yi = [e.yi or 0.0 for e in effects]
    vi = [e.vi or 0.0 for e in effects]
    for fit_name, reference in case["fits"].items():
        _check_fit(_fit_case(yi, vi, fit_name), reference)
    tables = [Table2x2(a, n1 - a, c, n2 - c) for a, n1, c, n2 in _counts(case)]
    mh = pooling.mantel_haenszel(Measure(case["measure"]), tables, yi, vi)
    assert mh is not None
    want = case["mh"]
    got = {"estimate": mh.estimate, "se": mh.se, "ci.lb": mh.ci_low, "ci.ub": mh.ci_high, "pval": mh.pval,
           "QE": mh.q, "QEp": mh.q_p, "I2": mh.i2, "H2": mh.h2}
    assert {k: (v, want[k]) for k, v in got.items() if not same(v, want[k])} == {}


@pytest.mark.parametrize("name", ["means_MD", "means_SMD"])
def test_mean_differences_and_hedges_g_as_escalc_and_rma(name: str) -> None:
    case = HARD[name]
    effects = [continuous_effect(Measure(case["measure"]), r["m1i"], r["sd1i"], r["n1i"], r["m2i"], r["sd2i"],
                                 r["n2i"]) for r in case["means"]]
    assert all(isinstance(e, Effect) for e in effects)
    yi = [e.yi for e in effects if isinstance(e, Effect) and e.yi is not None]
    vi = [e.vi for e in effects if isinstance(e, Effect) and e.vi is not None]
    assert yi == pytest.approx(case["yi"], abs=1e-12)
    assert vi == pytest.approx(case["vi"], abs=1e-12)
    for fit_name, reference in case["fits"].items():
        _check_fit(_fit_case(yi, vi, fit_name), reference)


@pytest.mark.parametrize("name", ["k2", "q_below_df"])
def test_two_studies_and_q_below_its_df(name: str) -> None:
    case = HARD[name]
    for fit_name, reference in case["fits"].items():
        _check_fit(_fit_case(case["yi"], case["vi"], fit_name), reference)


def test_q_below_df_gives_tau2_zero_and_the_common_effect() -> None:
    case = HARD["q_below_df"]
    common = pooling.common_effect(case["yi"], case["vi"])
    for method in (Method.DL, Method.REML, Method.PM):
        fit = pooling.random_effects(case["yi"], case["vi"], method)
        assert fit.tau2 == 0.0
        assert fit.estimate == pytest.approx(common.estimate, abs=1e-12)
        assert fit.tau2_ci is not None
        assert fit.tau2_ci.tau2 == (0.0, 0.0)


def test_proportions_as_binom_test_prop_test_and_escalc() -> None:
    # The estimate and intervals in percent, as sources print proportions; yi and vi are escalc's fractions.
    for case in HARD["proportions"]:
        effect = proportion(case["x"], case["n"])
        assert effect.estimate == pytest.approx(100 * case["x"] / case["n"], abs=1e-10)
        assert (effect.exact_low, effect.exact_high) == pytest.approx([100 * v for v in case["exact"]], abs=1e-8)
        assert (effect.wilson_low, effect.wilson_high) == pytest.approx([100 * v for v in case["wilson"]], abs=1e-8)
        assert (effect.ci_low, effect.ci_high) == (effect.wilson_low, effect.wilson_high)
        assert effect.yi == pytest.approx(case["yi"], abs=1e-12)
        assert effect.vi == pytest.approx(case["vi"], abs=1e-12)


def test_a_reml_fit_that_does_not_converge_falls_back_to_dl_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pooling, "MAX_ITERATIONS", 0)
    case = HARD["k2"]
    fit = pooling.random_effects(case["yi"], case["vi"], Method.REML)
    dl = pooling.random_effects(case["yi"], case["vi"], Method.DL)
    assert (fit.method, fit.requested) == (Method.DL, Method.REML)
    assert fit.note == "the REML estimate of tau2 did not converge; DerSimonian-Laird used instead"
    assert fit.tau2 == dl.tau2
    assert all(math.isfinite(v) for v in (fit.estimate, fit.se, fit.ci_low, fit.ci_high, fit.tau2))


def test_pooling_refuses_one_study_or_a_zero_variance() -> None:
    with pytest.raises(ValueError, match="two or more"):
        pooling.common_effect([0.1], [0.2])
    with pytest.raises(ValueError, match="positive variances"):
        pooling.random_effects([0.1, 0.2], [0.2, 0.0])
