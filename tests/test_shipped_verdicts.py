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


def test_every_shipped_claim_gets_its_verdict_and_certainty(claims: dict[str, dict[str, Any]]) -> None:
    assert {cid: (c["verdict"], c["certainty"]) for cid, c in claims.items()} == {
        "headline": ("inconclusive", "very_low"),
        "clinical_use": ("inconclusive", "very_low"),
        "sledai": ("supports", "very_low"),
        "kidney": ("supports", "very_low"),
        "safety": ("inconclusive", "very_low"),
        "long_term": ("inconclusive", "very_low"),
        "conclusion_zhou2020": ("supports", "very_low"),
        "conclusion_wang2018": ("not_checkable", None),
        "conclusion_wen2019": ("contradicts", "very_low"),
        "conclusion_deng2017": ("contradicts", "very_low"),
        "conclusion_bai2017": ("supports", "very_low"),
    }


def test_sledai_reads_as_grade_words_with_each_downgrade_and_its_reason(claims: dict[str, dict[str, Any]]) -> None:
    sledai = claims["sledai"]
    assert sledai["statement"] == (
        "MSC therapy may improve SLEDAI, but the evidence is very uncertain. Rated down for inconsistency: Deng 2017, "
        "in the same body of evidence, points the other way; Zhou 2020 reports results on both sides of the claim.")
    steps = {s["domain"]: (s["levels"], s["reason"]) for s in sledai["derivation"]["steps"]}
    assert steps["inconsistency"] == (1, "Deng 2017, in the same body of evidence, points the other way; Zhou 2020 "
                                         "reports results on both sides of the claim")
    assert steps["imprecision"][0] == 2
    assert steps["imprecision"][1].startswith("33 participants of known size in the decisive evidence, each trial "
                                              "counted once; size not known for ")
    assert sledai["derivation"]["start"] == "high"


def test_the_three_rct_meta_analyses_and_deng_count_as_one_piece_of_evidence(
    claims: dict[str, dict[str, Any]],
) -> None:
    clusters = claims["sledai"]["derivation"]["clusters"]
    decisive = [c for c in clusters if c["decisive"]]
    assert [(sorted(c["studies"]), c["side"]) for c in decisive] == [
        (["deng2017", "scrt2025", "zeng2022", "zhou2020"], "support")]
    nanjing = next(c for c in clusters if "wang2018" in c["studies"])
    assert sorted(nanjing["studies"]) == ["liang2010", "wang2013", "wang2014", "wang2018", "wen2019"]
    assert (claims["sledai"]["clusters_for"], claims["sledai"]["clusters_against"]) == (7, 2)


def test_deng_2017s_conclusion_is_not_graded_supported_while_the_rct_meta_analyses_contrast_it(
    claims: dict[str, dict[str, Any]],
) -> None:
    deng = claims["conclusion_deng2017"]
    assert (deng["asserts"], deng["verdict"], deng["source"]["id"]) == ("no_benefit", "contradicts", "deng2017")
    assert all("deng2017" not in c["studies"] for c in deng["derivation"]["clusters"])
    assert deng["statement"] == ("MSC therapy may improve outcomes over and above standard immunosuppression, but the "
                                 "evidence is very uncertain. Rated down for inconsistency: Zhou 2020 reports results "
                                 "on both sides of the claim.")


def test_safety_is_not_harm_shown_on_one_unattributed_death_and_uncontrolled_deaths_count_neither_way(
    claims: dict[str, dict[str, Any]],
) -> None:
    safety = claims["safety"]
    assert safety["verdict"] == "inconclusive"
    assert safety["statement"] == (
        "The safety of MSC therapy is not established: 1 death or serious adverse event in 12 treated patients "
        "against 0 in 6 controls in controlled studies with harms per arm, none attributed to treatment by the "
        "authors; at least 300 treated patients in controlled studies are needed to rule out a 1% rate of serious "
        "harm.")
    harms = [(h["study"], h["controlled"], h["kind"], h["count"], h["attribution"])
             for h in safety["derivation"]["harms"]]
    assert harms == [
        ("deng2017", True, "death", 1, "not_stated"),
        ("deng2017", True, "adverse_event", 1, "not_stated"),
        ("deng2017", True, "adverse_event", 1, "not_stated"),
        ("deng2017", True, "adverse_event", 1, "not_stated"),
        ("wang2018", False, "death", 13, "not_stated"),
        ("wang2014", False, "death", 3, "unrelated"),
        ("wang2014", False, "adverse_event", 3, "unrelated"),
        ("wang2014", False, "adverse_event", 1, "unrelated"),
        ("wang2013", False, "death", 5, "unrelated"),
    ]
    assert [link["study"]["id"] for link in safety["contrast"]] == ["deng2017"]


def test_the_headline_claims_take_the_worst_verdict_and_lowest_certainty_of_their_parts(
    claims: dict[str, dict[str, Any]],
) -> None:
    headline = claims["headline"]
    assert headline["kind"] == "headline"
    assert headline["statement"] == (
        "Not established: its parts: sledai supports (very low), kidney supports (very low), safety inconclusive "
        "(very low), long_term inconclusive (very low); its certainty is the lowest of its parts', very low.")
    assert headline["derivation"]["clusters"] == []


def test_the_wang_2018_hsct_quote_is_not_checkable_rather_than_evidence_against(
    claims: dict[str, dict[str, Any]],
) -> None:
    wang = claims["conclusion_wang2018"]
    assert (wang["verdict"], wang["certainty"], wang["derivation"]["clusters"]) == ("not_checkable", None, [])
    assert wang["statement"] == ("This cannot be checked: the quoted sentence was not found in its source, and no "
                                 "other curated study bears on it.")


def test_the_wen_2019_quote_is_checked_without_wen_and_rated_down_for_indirect_outcomes(
    claims: dict[str, dict[str, Any]],
) -> None:
    wen = claims["conclusion_wen2019"]
    steps = {s["domain"]: (s["levels"], s["studies"]) for s in wen["derivation"]["steps"]}
    assert steps["indirectness"] == (1, ["deng2017"])
    assert all("wen2019" not in c["studies"] for c in wen["derivation"]["clusters"])


def test_each_verdict_says_whether_it_survives_the_robustness_checks(claims: dict[str, dict[str, Any]]) -> None:
    checks = {r["scenario"]: (r["verdict"], r["changed"]) for r in claims["long_term"]["derivation"]["robustness"]}
    assert checks == {"controlled studies only": ("inconclusive", True),
                      "without studies at high risk of bias": ("inconclusive", True),
                      "without cluster nanjing-group": ("inconclusive", False)}
    sledai = {r["scenario"]: r["changed"] for r in claims["sledai"]["derivation"]["robustness"]}
    assert sledai == {"controlled studies only": False, "without studies at high risk of bias": False,
                      "without cluster nanjing-group": False}


def _summary(columns: int) -> list[str]:
    """Run the summary in a real process at this terminal width and return its lines."""
    env = {**subprocess_env(), "COLUMNS": str(columns), "STEMCELL_FORCE_TTY": "1"}
    done = subprocess.run([sys.executable, "-m", "stemcell_cli", "lupus", "summary", "--data", str(SHIPPED)],
                          capture_output=True, env=env, timeout=60, check=True)
    assert done.stderr == b""
    return done.stdout.decode("utf-8").splitlines()


def test_the_summary_fits_one_screen_at_100_columns() -> None:
    lines = _summary(100)
    assert len(lines) <= 50
    assert max(len(line) for line in lines) <= 100
    assert lines[1].startswith("Bottom line: Of 11 page claims, the evidence points towards 4, points against 2, "
                               "is inconclusive on")


def test_at_80_columns_no_line_is_cut_and_every_claim_id_is_whole() -> None:
    lines = _summary(80)
    assert max(len(line) for line in lines) <= 80
    text = "\n".join(lines)
    for claim_id in ("headline", "clinical_use", "sledai", "kidney", "safety", "long_term", "conclusion_zhou2020",
                     "conclusion_wang2018", "conclusion_wen2019", "conclusion_deng2017", "conclusion_bai2017"):
        assert f"│ {claim_id} " in text, claim_id


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
