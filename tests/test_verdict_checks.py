"""Validation of the verdict fields: clusters, pooled studies and harms are located errors (ring 3)."""

from __future__ import annotations

from pathlib import Path

from .conftest import FIXTURES, run

BAD = FIXTURES / "bad_verdict_fields.yaml"


def test_each_unusable_verdict_field_is_a_located_error() -> None:
    result = run("validate", str(BAD))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        f"{BAD}: $.conditions[0].clusters[0] (line 7): error: cluster 'alone' needs at least two different studies",
        f"{BAD}: $.conditions[0].clusters[1].studies[1] (line 14): error: unknown study 'ghost2009'",
        f"{BAD}: $.studies[0].pooling.includes[1] (line 26): error: unknown study 'bakr2002'; did you mean "
        f"'baker2002'?",
        f"{BAD}: $.studies[1].harms[0].arm (line 39): error: harm in arm 'cell', which is not an arm of the study "
        "(arms: cells, control)",
        f"{BAD}: $.studies[1].harms[1].count (line 40): error: 21 events in an arm of 20 is impossible",
        f"{BAD}: 5 errors, 0 warnings",
    ]


def test_a_harm_without_an_arm_is_refused_with_its_location(tmp_path: Path) -> None:
    text = BAD.read_text(encoding="utf-8").replace("event: died, arm: cell, count: 1", "event: died, count: 1")
    path = tmp_path / "no_arm.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 1
    missing = f"{path}: $.studies[1].harms[0] (line 39): error: missing required field(s): arm"
    assert missing in result.stderr.splitlines()


def test_a_study_with_only_secondary_sources_and_no_note_is_warned(tmp_path: Path) -> None:
    text = BAD.read_text(encoding="utf-8").replace(
        "schema_version: 1\n",
        "schema_version: 1\nsecondary_sources:\n  - url: \"https://example.org/s\"\n    kind: mirror\n", 1)
    path = tmp_path / "mirrors.yaml"
    path.write_text(text, encoding="utf-8")
    lines = run("validate", str(path)).stderr.splitlines()
    assert (f"{path}: $.studies[0] (line 21): warning: study 'able2001' has only secondary sources; say in "
            "`source_note` why no journal, PubMed, PMC or registry page was used") in lines


def test_a_claim_made_of_others_is_checked(tmp_path: Path) -> None:
    from .conftest import OTHER

    text = OTHER.read_text(encoding="utf-8").replace("citation_issues:\n", """  - id: whole
    page: demo-page
    kind: headline
    text: Cells cure everything
    outcome: everything
    rests_on: [pain, pian, nested]
    support:
      - {study: able2001, finding: "a link it may not have"}
  - id: nested
    page: demo-page
    kind: headline
    text: Nested
    outcome: nesting
    rests_on: [whole]
citation_issues:
""", 1)
    path = tmp_path / "parts.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 1
    errors = [line.split(": ", 1)[1] for line in result.stderr.splitlines()[:-1]]
    assert errors == [
        "$.claims[1] (line 32): warning: claim 'cure' has no supporting study",
        "$.claims[2] (line 39): error: claim 'whole' rests on other claims, so it takes its evidence from them "
        "and cannot "
        "have support or contrast links",
        "$.claims[2].rests_on[1] (line 44): error: unknown claim 'pian'; did you mean 'pain'?",
        "$.claims[2].rests_on[2] (line 44): error: claim 'nested' rests on other claims itself; list the claims "
        "it rests "
        "on instead",
        "$.claims[3].rests_on[0] (line 52): error: claim 'whole' rests on other claims itself; list the claims "
        "it rests "
        "on instead",
    ]
