"""The shipped lupus verdicts with their reasons, and the one-screen summary in a real terminal-sized process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from .conftest import SHIPPED, run
from .reliability.helpers import subprocess_env


@pytest.fixture(scope="module")
def claims() -> dict[str, dict[str, Any]]:
    result = run("lupus", "claims", "--format", "json", "--data", str(SHIPPED))
    assert result.exit_code == 0, result.stderr
    return {c["id"]: c for c in json.loads(result.stdout)["claims"]}


@pytest.fixture(scope="module")
def sof() -> dict[tuple[str, str | None, str | None], dict[str, Any]]:
    result = run("lupus", "sof", "--format", "json", "--data", str(SHIPPED))
    assert result.exit_code == 0, result.stderr
    return {(r["outcome"], r["comparison"], r["timepoint"]): r for r in json.loads(result.stdout)["outcomes"]}


def test_every_shipped_claim_gets_its_verdict_effect_and_certainty(claims: dict[str, dict[str, Any]]) -> None:
    assert {cid: (c["verdict"], c["effect"], c["certainty"]) for cid, c in claims.items()} == {
        "headline": ("very_uncertain", "uncertain", "very_low"),
        "clinical_use": ("very_uncertain", "uncertain", "very_low"),
        "sledai": ("very_uncertain", "uncertain", "very_low"),
        "kidney": ("very_uncertain", "uncertain", "very_low"),
        "safety": ("very_uncertain", "uncertain", "very_low"),
        "long_term": ("not_checkable", None, None),
        "conclusion_zhou2020": ("very_uncertain", "uncertain", "very_low"),
        "conclusion_wang2018": ("not_checkable", None, None),
        "conclusion_wen2019": ("very_uncertain", "uncertain", "very_low"),
        "conclusion_deng2017": ("very_uncertain", "uncertain", "very_low"),
        "conclusion_bai2017": ("very_uncertain", "uncertain", "very_low"),
    }


def test_deng_2017s_remission_row_is_rr_090_with_833_against_750_per_1000(
        sof: dict[tuple[str, str | None, str | None], dict[str, Any]]) -> None:
    row = sof[("remission", "placebo_or_sham", "6 months")]
    relative = row["relative"]
    assert (relative["measure"], f"{relative['estimate']:.2f}", f"{relative['ci_low']:.2f}",
            f"{relative['ci_high']:.2f}") == ("RR", "0.90", "0.55", "1.46")
    assert row["absolute"] == {"comparator_per_1000": 833, "intervention_per_1000": 750, "difference_per_1000": -83,
                               "ci_low": -371, "ci_high": 167}
    assert (row["participants"], row["studies"], row["certainty"], row["effect"]) == (18, 1, "very_low", "uncertain")


def test_kidney_is_answered_per_outcome_and_its_kidney_function_parts_are_not_supported(
        claims: dict[str, dict[str, Any]]) -> None:
    parts = {o["outcome"]: (o["verdict"], o["timepoint"], o["comparison"]) for o in claims["kidney"]["outcomes"]}
    assert parts == {
        "remission": ("very_uncertain", "6 months", "placebo_or_sham"),
        "serum_creatinine": ("very_uncertain", "12 months", "mixed"),
        "creatinine_clearance": ("very_uncertain", "6 months", "placebo_or_sham"),
        "proteinuria": ("very_uncertain", "12 months", "mixed"),
    }


def test_a_trial_with_no_events_in_either_arm_gives_no_direction(
        sof: dict[tuple[str, str | None, str | None], dict[str, Any]]) -> None:
    assert ("dialysis", "placebo_or_sham", "6 months") not in sof
    result = run("lupus", "sof", "--format", "json", "--data", str(SHIPPED))
    left = json.loads(result.stdout)["left_out"]
    assert {"study": "deng2017", "measure": "permanent dialysis",
            "reason": "no events in either arm: no direction, left out of ratio pooling"} in left


def test_a_review_never_stands_beside_the_trial_it_pools(
        sof: dict[tuple[str, str | None, str | None], dict[str, Any]]) -> None:
    assert ("sledai", "mixed", "6 months") not in sof
    assert sof[("sledai", "placebo_or_sham", "6 months")]["relative"]["estimate"] == -3.0
    assert sof[("sledai", "mixed", "12 months")]["studies"] == 2


def test_the_hsct_comparison_is_not_checkable_and_no_quoted_conclusion_is_independently_confirmed(
        claims: dict[str, dict[str, Any]]) -> None:
    assert claims["conclusion_wang2018"]["statement"] == (
        "Renal remission, complete or partial (as each trial defines it): no curated result measures it against an "
        "active treatment. Patients with adverse events: no curated result measures it against an active treatment.")
    assert {cid: c["independent_confirmation"] for cid, c in claims.items() if cid.startswith("conclusion_")} == {
        "conclusion_zhou2020": False, "conclusion_wang2018": False, "conclusion_wen2019": False,
        "conclusion_deng2017": False, "conclusion_bai2017": False}


def test_the_long_term_claim_is_not_checkable_for_want_of_any_result_at_three_years(
        claims: dict[str, dict[str, Any]]) -> None:
    assert claims["long_term"]["statement"] == ("Disease activity (SLEDAI score): no curated result measures it at 36 "
                                                "months or later.")


def test_each_verdict_has_the_four_robustness_rows(claims: dict[str, dict[str, Any]]) -> None:
    assert [r["scenario"] for r in claims["sledai"]["robustness"]] == [
        "placebo- or sham-controlled comparisons only", "the claim's product only",
        "without reviews whose trial lists are unknown", "without trials at high risk of bias"]


def _summary(columns: int) -> list[str]:
    """Run the summary in a real process at this terminal width and return its lines."""
    env = {**subprocess_env(), "COLUMNS": str(columns), "STEMCELL_FORCE_TTY": "1"}
    done = subprocess.run([sys.executable, "-m", "stemcell_cli", "lupus", "summary", "--data", str(SHIPPED)],
                          capture_output=True, env=env, timeout=60, check=True)
    assert done.stderr == b""
    return done.stdout.decode("utf-8").splitlines()


def test_the_summary_fits_one_screen_at_100_columns() -> None:
    lines = _summary(100)
    assert len(lines) <= 30
    assert max(len(line) for line in lines) <= 100
    assert lines[1:3] == ["Bottom line: Of the 11 page claims, 9 are very uncertain (the evidence is too weak to tell) "
                          "and 2", "cannot be checked (no curated result measures them); none is supported or refuted "
                          "by the evidence."]


def test_at_80_columns_no_line_is_cut_and_every_claim_id_is_whole() -> None:
    lines = _summary(80)
    assert max(len(line) for line in lines) <= 80
    text = "\n".join(lines)
    for claim_id in ("headline", "clinical_use", "sledai", "kidney", "safety", "long_term", "conclusion_zhou2020",
                     "conclusion_wang2018", "conclusion_wen2019", "conclusion_deng2017", "conclusion_bai2017"):
        assert f"\n {claim_id} " in text, claim_id


def test_the_overview_moved_to_its_own_command() -> None:
    overview = run("lupus", "overview", "--data", str(SHIPPED)).stdout
    assert overview.splitlines()[0] == "Systemic lupus erythematosus: overview"
    assert "Lupus is a long-term autoimmune disease" in overview
    assert "Lupus is a long-term autoimmune disease" not in run("lupus", "summary", "--data", str(SHIPPED)).stdout


def _on_terminal(command: list[str], env: dict[str, str]) -> bytes:
    """Run a command with its stdout on a pseudo-terminal and return what reached the terminal."""
    leader, follower = os.openpty()
    process = subprocess.Popen(command, stdout=follower, stderr=subprocess.DEVNULL, env=env)
    os.close(follower)
    shown = b""
    try:
        while chunk := os.read(leader, 65536):
            shown += chunk
    except OSError:  # Linux says EIO once the last writer has closed the terminal
        pass
    finally:
        os.close(leader)
    assert process.wait(timeout=60) == 0
    return shown


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_long_views_go_through_the_pager_on_a_terminal_and_never_when_piped(tmp_path: Any) -> None:
    paged = tmp_path / "paged.txt"
    env = {**subprocess_env(NO_COLOR="1"), "PAGER": f"{sys.executable} -c \"import sys; open(sys.argv[1], 'w')"
                                                   f".write(sys.stdin.read())\" {paged}"}
    command = [sys.executable, "-m", "stemcell_cli", "lupus", "claim", "safety", "--data", str(SHIPPED)]
    assert _on_terminal(command, env) == b""
    assert paged.read_text(encoding="utf-8").startswith("Systemic lupus erythematosus: claim safety\n")
    paged.unlink()
    # Drawn as on a terminal, but still piped: the pager follows the real stream.
    piped = subprocess.run(command, capture_output=True, env={**env, "STEMCELL_FORCE_TTY": "1"}, timeout=60, check=True)
    assert piped.stdout.decode("utf-8").startswith("Systemic lupus erythematosus: claim safety\n")
    assert not paged.exists()
    direct = _on_terminal([*command, "--no-pager"], env)
    assert direct.startswith(b"Systemic lupus erythematosus: claim safety\r\n")
    assert not paged.exists()
