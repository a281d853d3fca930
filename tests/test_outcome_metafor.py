"""The Summary of Findings' statistics through the real command, checked against R's metafor 3.8.1 (ring 3)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import FIXTURES, SHIPPED, run

OUTCOMES = FIXTURES / "outcome_condition.yaml"


def _rows(condition: str, data: str) -> dict[tuple[str, str | None], dict[str, Any]]:
    result = run(condition, "sof", "--format", "json", "--data", data)
    assert result.exit_code == 0, result.stderr
    return {(r["outcome"], r["comparison"]): r for r in json.loads(result.stdout)["outcomes"]}


def test_two_trials_pool_as_metafor_reml_with_hartung_knapp_adhoc() -> None:
    # d <- escalc("RR", ai=c(11,14), n1i=c(20,20), ci=c(10,9), n2i=c(20,20))
    # r <- rma(yi, vi, data=d, method="REML", test="adhoc"); exp(c(r$b, r$ci.lb, r$ci.ub))
    row = _rows("gdg", str(OUTCOMES))[("pain_response", "placebo_or_sham")]
    relative = row["relative"]
    assert relative["measure"] == "RR"
    assert (relative["estimate"], relative["ci_low"], relative["ci_high"]) == pytest.approx(
        (1.3190764433722864, 0.0938672068041194, 18.5364273924823202), rel=1e-9)
    assert (row["participants"], row["studies"]) == (80, 2)
    # Comparator risk: the control arms' 19 events in 40 patients; the intervention's: that risk times the RR.
    assert row["absolute"]["comparator_per_1000"] == 475
    assert row["absolute"]["intervention_per_1000"] == round(475 * 1.3190764433722864)


def test_a_single_trial_is_its_own_mean_difference() -> None:
    # escalc("MD", m1i=3.0, sd1i=1.2, n1i=20, m2i=4.1, sd2i=1.4, n2i=20): yi -1.1, vi 0.17
    relative = _rows("gdg", str(OUTCOMES))[("pain_score", "placebo_or_sham")]["relative"]
    assert (relative["estimate"], relative["ci_low"], relative["ci_high"]) == pytest.approx(
        (-1.1, -1.1 - 1.959963984540054 * 0.17 ** 0.5, -1.1 + 1.959963984540054 * 0.17 ** 0.5), rel=1e-12)


def test_with_no_control_event_the_difference_is_metafors_uncorrected_risk_difference() -> None:
    # escalc("RD", ai=1, n1i=12, ci=0, n2i=6, to="none"): yi 0.0833333333333333, vi 0.00636574074074074
    absolute = _rows("lupus", str(SHIPPED))[("death", "placebo_or_sham")]["absolute"]
    half = 1.959963984540054 * 0.00636574074074074 ** 0.5
    assert absolute == {"comparator_per_1000": 0, "intervention_per_1000": 83, "difference_per_1000": 83,
                        "ci_low": round(1000 * (0.0833333333333333 - half)),
                        "ci_high": round(1000 * (0.0833333333333333 + half))}
    assert (absolute["ci_low"], absolute["ci_high"]) == (-73, 240)
