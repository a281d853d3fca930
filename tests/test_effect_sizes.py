"""Effect sizes by hand, the forest plot's exact layout, the effects command, and its validation errors."""

from __future__ import annotations

import json
import math
from pathlib import Path

import msgspec
import pytest

from stemcell_cli.evidence.effects import binary_effect, continuous_effect, outcome_effect, reported
from stemcell_cli.evidence.results import Effect, Measure
from stemcell_cli.model import ArmResult, Estimate, Outcome, Study
from stemcell_cli.render.forest import Forest, ForestRow, layout

from .conftest import FIXTURES, OTHER, run

BCG = FIXTURES / "bcg.yaml"


def test_zero_cell_adds_a_half_to_every_cell() -> None:
    rr = binary_effect(Measure.RR, 0, 10, 5, 10)
    assert rr.corrected
    assert rr.yi == pytest.approx(math.log((0.5 / 11) / (5.5 / 11)), abs=1e-15)
    assert rr.vi == pytest.approx(1 / 0.5 - 1 / 11 + 1 / 5.5 - 1 / 11, abs=1e-15)
    odds = binary_effect(Measure.OR, 0, 10, 5, 10)
    assert odds.yi == pytest.approx(math.log(0.5 * 5.5 / (10.5 * 5.5)), abs=1e-15)
    assert odds.vi == pytest.approx(1 / 0.5 + 1 / 10.5 + 1 / 5.5 + 1 / 5.5, abs=1e-15)
    rd = binary_effect(Measure.RD, 0, 10, 5, 10)
    assert rd.yi == pytest.approx(0.5 / 11 - 5.5 / 11, abs=1e-15)
    assert rd.counts is not None
    assert (rd.counts.a, rd.counts.b, rd.counts.c, rd.counts.d) == (0, 10, 5, 5)


def test_a_double_zero_study_is_kept() -> None:
    rr = binary_effect(Measure.RR, 0, 10, 0, 12)
    assert rr.yi == pytest.approx(math.log((0.5 / 11) / (0.5 / 13)), abs=1e-15)
    assert rr.estimate == pytest.approx(13 / 11, abs=1e-15)


def test_no_zero_cell_no_correction_and_a_ratio_interval_on_the_log_scale() -> None:
    rr = binary_effect(Measure.RR, 9, 12, 5, 6)
    assert not rr.corrected
    assert rr.estimate == pytest.approx(0.9, abs=1e-15)
    half = 1.959963984540054 * math.sqrt(1 / 9 - 1 / 12 + 1 / 5 - 1 / 6)
    assert (rr.ci_low, rr.ci_high) == pytest.approx((0.9 * math.exp(-half), 0.9 * math.exp(half)), abs=1e-15)


def test_mean_difference_and_hedges_g_by_hand() -> None:
    md = continuous_effect(Measure.MD, 10, 2, 20, 8, 3, 25)
    assert isinstance(md, Effect)
    assert (md.yi, md.vi) == pytest.approx((2.0, 4 / 20 + 9 / 25), abs=1e-15)
    g = continuous_effect(Measure.SMD, 10, 2, 20, 8, 3, 25)
    assert isinstance(g, Effect)
    pooled = math.sqrt((19 * 4 + 24 * 9) / 43)
    correction = math.gamma(43 / 2) / (math.sqrt(43 / 2) * math.gamma(42 / 2))
    assert g.yi == pytest.approx(correction * 2 / pooled, abs=1e-14)
    assert g.vi == pytest.approx(1 / 20 + 1 / 25 + g.yi**2 / (2 * 45), abs=1e-14)


def test_a_reported_interval_gives_back_yi_and_vi() -> None:
    odds = reported(Estimate(metric="OR", value=0.26, ci_low=0.07, ci_high=0.89, ci_level=95))
    assert odds.measure is Measure.OR
    assert odds.yi == pytest.approx(math.log(0.26), abs=1e-15)
    assert odds.vi == pytest.approx(((math.log(0.89) - math.log(0.07)) / (2 * 1.959963984540054)) ** 2, abs=1e-12)
    unnamed = reported(Estimate(metric="pooled difference", value=-2.18, ci_low=-3.62, ci_high=-0.75))
    assert (unnamed.measure, unnamed.yi, unnamed.vi) == (Measure.OTHER, None, None)


def test_a_97_5_percent_interval_is_read_at_its_own_level() -> None:
    """A phase 3 primary analysis may print a 97.5% CI (alpha split); its level is kept, not taken as 95%."""
    printed = msgspec.convert({"metric": "RD", "value": 15.8, "ci_low": 0.5, "ci_high": 31.2, "ci_level": 97.5},
                              Estimate)
    assert printed.ci_level == 97.5
    difference = reported(printed)
    assert difference.measure is Measure.RD
    assert difference.vi == pytest.approx(((31.2 - 0.5) / (2 * 2.241402727604947)) ** 2, abs=1e-12)
    assert msgspec.convert({"metric": "RR", "value": 1.0, "ci_level": 95}, Estimate).ci_level == 95


def _study(*arms: tuple[str, int]) -> Study:
    return msgspec.convert(
        {"id": "s", "condition": "c", "verification": "verified", "design": "randomised_controlled_trial",
         "direction": "mixed", "participants": {"total": sum(n for _, n in arms),
                                                "arms": [{"name": a, "n": n} for a, n in arms]}}, Study)


@pytest.mark.parametrize(("arms", "reason"), [
    ((ArmResult(arm="cells", mean=1.0, sd=None), ArmResult(arm="placebo", mean=2.0, sd=1.0)), "no SD"),
    ((ArmResult(arm="cells", median=1.0), ArmResult(arm="control", median=2.0)), "medians only"),
    ((ArmResult(arm="baseline", mean=1.0, sd=1.0), ArmResult(arm="12 months", mean=2.0, sd=1.0)),
     "no control arm (arms: baseline, 12 months)"),
    ((ArmResult(arm="cells", mean=1.0, sd=1.0), ArmResult(arm="standard care", mean=2.0, sd=1.0)),
     "no arm sizes for the means"),
])
def test_why_an_effect_cannot_be_computed(arms: tuple[ArmResult, ...], reason: str) -> None:
    found = outcome_effect(_study(("MSC", 5)), Outcome(measure="m", reported="r", arms=arms))
    assert getattr(found, "reason", None) == reason


def test_the_first_arm_not_named_as_control_is_the_treatment() -> None:
    outcome = Outcome(measure="m", reported="r", arms=(ArmResult(arm="placebo", mean=2.0, sd=1.0),
                                                         ArmResult(arm="cells", mean=5.0, sd=1.0)))
    found = outcome_effect(_study(("placebo", 4), ("cells", 5)), outcome)
    assert isinstance(found, Effect)
    assert (found.treatment, found.control, found.estimate) == ("cells", "placebo", 3.0)


FOREST = Forest(title="Tuberculosis: risk ratio, log scale", header="RR [95% CI]", rows=(
    ForestRow("Aronson 1948", "RCT", "262", "0.41 [0.13, 1.26]", 0.41, 0.13, 1.26),
    ForestRow("Frimodt-Moller et al 1973", "RCT", "10877", "0.80 [0.52, 1.25]", 0.80, 0.52, 1.25),
    ForestRow("Comstock & Webster 1969", "RCT", "4839", "1.56 [0.37, 6.53]", 1.56, 0.37, 6.53),
    ForestRow("Random effects (REML)", "", "", "0.49 [0.34, 0.70]", 0.49, 0.34, 0.70, pooled=True)),
    log_scale=True, null=1.0)

FOREST_60 = """\
Tuberculosis: risk ratio, log scale
Study          Design      n  RR [95% CI]
Aronson 1948   RCT       262  0.41 [0.13, 1.26]  ───■─┼─
Frimodt-       RCT     10877  0.80 [0.52, 1.25]     ─■┼─
Moller et al                                          │
1973                                                  │
Comstock &     RCT      4839  1.56 [0.37, 6.53]     ──┼■────
Webster 1969                                          │
Random                        0.49 [0.34, 0.70]    ═◆═│
effects                                               │
(REML)                                                │
                              log scale          ┴────┴────┴
                                                 0.13 1 7.69"""


def test_forest_layout_at_60_columns() -> None:
    lines = layout(FOREST, 60)
    assert "\n".join(lines) == FOREST_60
    assert max(len(line) for line in lines) <= 60


@pytest.mark.parametrize("width", [100, 160])
def test_forest_layout_at_100_and_160_columns(width: int) -> None:
    lines = layout(FOREST, width)
    assert max(len(line) for line in lines) <= width
    assert "\n".join(lines) + "\n" == (FIXTURES / "forest" / f"bcg-{width}.txt").read_text(encoding="utf-8")




def test_forest_ascii_fallback_uses_no_other_characters() -> None:
    text = "\n".join(layout(FOREST, 60, ascii_only=True))
    assert text.isascii()
    assert {"o", "#", "|", "+", "="} <= set(text)


def _effects(*args: str) -> dict[str, object]:
    result = run("bcg", "effects", "--data", str(BCG), "--format", "json", *args)
    assert (result.exit_code, result.stderr) == (0, "")
    payload: dict[str, object] = json.loads(result.stdout)
    return payload


def test_the_command_pools_dat_bcg_like_metafor() -> None:
    reference = json.loads((FIXTURES / "metafor" / "bcg_reference.json").read_text(encoding="utf-8"))
    want = {r["label"]: r for r in reference["results"]}
    payload = _effects()
    assert (payload["schema"], payload["version"]) == ("stemcell-cli/effects", 1)
    [outcome] = payload["outcomes"]  # type: ignore[misc]
    assert outcome["not_pooled"] is None
    assert outcome["random"]["tau2"] == pytest.approx(want["REML"]["tau2"], abs=1e-6)
    assert outcome["random"]["pi_low"] == pytest.approx(want["REML"]["pi.lb"], abs=1e-6)
    assert outcome["common"]["estimate"] == pytest.approx(want["FE"]["estimate"], abs=1e-6)
    assert outcome["mantel_haenszel"]["estimate"] == pytest.approx(want["MH"]["estimate"], abs=1e-6)
    assert outcome["votes"]["p_two_sided"] == 0.0224609375
    knha = _effects("--method", "pm", "--hartung-knapp")["outcomes"][0]["random"]  # type: ignore[index]
    assert knha["ci_low"] == pytest.approx(want["PM-KNHA"]["ci.lb"], abs=1e-6)
    assert knha["df"] == 12


def test_one_study_is_not_pooled_and_says_why() -> None:
    result = run("wdg", "effects", "--data", str(OTHER), "--format", "json")
    assert result.exit_code == 0
    outcomes = json.loads(result.stdout)["outcomes"]
    assert [(o["outcome"], o["not_pooled"]) for o in outcomes] == [
        ("pain score", "no effect could be computed"), ("improved", "one study")]
    assert outcomes[0]["effects"][0]["reason"] == "no control arm (arms: baseline, 6 months)"


def _bad(tmp_path: Path, old: str, new: str) -> list[str]:
    text = OTHER.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    return [line.split(": ", 1)[1] for line in result.stderr.splitlines()[:-1]]


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("{arm: control, events: 10, total: 20}", "{arm: control, events: 10, total: 0}",
     "$.studies[1].outcomes[0].arms[1].total (line 79): error: total 0 must be at least 1"),
    ("{arm: control, events: 10, total: 20}", "{arm: control, events: 10, total: -3}",
     "$.studies[1].outcomes[0].arms[1].total (line 79): error: total -3 must be at least 1"),
    ("{arm: control, events: 10, total: 20}", "{arm: control, events: 21, total: 20}",
     "$.studies[1].outcomes[0].arms[1] (line 79): error: events 21 out of 20 is impossible"),
    ("{arm: baseline, mean: 7.1, sd: 1.0}", "{arm: baseline, mean: 7.1, sd: -1.0}",
     "$.studies[0].outcomes[0].arms[0].sd (line 61): error: negative SD -1.0"),
    ('        reported: "11 of 20 vs 10 of 20"\n',
     '        reported: "11 of 20 vs 10 of 20"\n'
     '        estimate: {metric: RR, value: 2.5, ci_low: 0.6, ci_high: 1.9}\n',
     "$.studies[1].outcomes[0].estimate (line 79): error: estimate 2.5 is outside its interval (0.6, 1.9)"),
])
def test_bad_effect_input_is_a_located_validation_error(tmp_path: Path, old: str, new: str, problem: str) -> None:
    warning = "$.claims[1] (line 32): warning: claim 'cure' has no supporting study"
    assert _bad(tmp_path, old, new) == [warning, problem]
