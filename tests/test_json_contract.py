"""The JSON schema is a contract: key sets pinned per command and version (ring 4)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import SHIPPED, run, run_other

REF_KEYS = {"id", "label", "design", "n", "year", "direction", "verification", "doi", "pmid", "title"}
CLAIM_KEYS = {"id", "kind", "text", "cited_as", "cites", "outcome", "asserts", "verdict", "effect", "certainty",
              "statement", "reason", "outcomes", "parts", "source", "independent_confirmation", "robustness", "harms",
              "support", "contrast", "issues", "note"}
RULE_KEYS = {"topic", "rule"}
ISSUE_KEYS = {"id", "claim", "kind", "study", "summary", "src"}
TRIAL_KEYS = {"id", "condition", "title", "registry", "phase", "design", "enrollment", "status", "results_posted",
              "sponsor", "published_as", "src", "note"}
TOP_KEYS = {
    "conditions": {"schema", "version", "provenance", "conditions"},
    "summary": {"schema", "version", "provenance", "condition", "pages", "bottom_line", "glance", "claims",
                "key_evidence", "contrasts", "citation_issues", "trials_without_results", "trials_results_unstated",
                "rules"},
    "claims": {"schema", "version", "provenance", "condition", "claims"},
    "claim": {"schema", "version", "provenance", "condition", "claim", "rules"},
    "overview": {"schema", "version", "provenance", "condition", "name", "overview"},
    "contrasts": {"schema", "version", "provenance", "condition", "contrasts"},
    "studies": {"schema", "version", "provenance", "condition", "studies"},
    "study": {"schema", "version", "provenance", "condition", "label", "links", "study", "secondary_sources"},
    "trials": {"schema", "version", "provenance", "condition", "trials"},
    "sof": {"schema", "version", "provenance", "condition", "therapy", "outcomes", "left_out"},
    "issues": {"schema", "version", "provenance", "condition", "issues"},
}
ISSUE_ROW_KEYS = {"id", "claim", "page", "page_url", "page_says", "cited_as", "kind", "study", "source_shows", "src"}
DIFF_KEYS = {"schema", "version", "provenance", "old", "new", "changed", "studies_added", "studies_removed",
             "studies_changed", "verdicts_changed"}
VERDICT_CHANGE_KEYS = {"condition", "claim", "old_verdict", "new_verdict", "old_certainty", "new_certainty",
                       "old_reason", "new_reason", "studies"}
ANSWER_KEYS = {"outcome", "name", "verdict", "reason", "comparison", "timepoint", "estimate", "threshold", "effect",
               "certainty", "start", "domains", "studies", "magnitude"}
# The Summary of Findings row, as the verdicts issue fixes it.
SOF_ROW_KEYS = {"outcome", "name", "importance", "comparison", "timepoint", "participants", "studies", "certainty",
                "footnotes", "relative", "absolute", "effect", "statement"}


def _json(*args: str) -> dict[str, Any]:
    result = run_other(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    payload: dict[str, Any] = json.loads(result.stdout)
    return payload


@pytest.mark.parametrize("command", list(TOP_KEYS))
def test_top_level_keys_and_version(command: str) -> None:
    args = ["conditions"] if command == "conditions" else ["wdg", command]
    if command == "study":
        args.append("able2001")
    if command == "claim":
        args.append("pain")
    payload = _json(*args)
    assert set(payload) == TOP_KEYS[command]
    version = 3 if command in ("summary", "claims", "claim", "sof") else 1
    assert (payload["schema"], payload["version"]) == (f"stemcell-cli/{command}", version)


def test_provenance_is_the_third_key_of_every_document() -> None:
    payload = _json("wdg", "summary")
    assert list(payload)[:3] == ["schema", "version", "provenance"]
    assert set(payload["provenance"]) == {"version", "data"}
    assert [set(source) for source in payload["provenance"]["data"]] == [{"file", "schema_version", "sha256"}]


def test_nested_keys_of_claims_and_citations() -> None:
    claim = _json("wdg", "claims")["claims"][0]
    assert set(claim) == CLAIM_KEYS
    assert set(claim["support"][0]) == {"study", "finding"}
    assert set(claim["support"][0]["study"]) == REF_KEYS
    assert set(claim["robustness"][0]) == {"scenario", "removed", "verdict", "certainty", "changed", "note"}
    issue = _json("wdg", "claims")["claims"][1]["issues"][0]
    assert set(issue) == ISSUE_KEYS


def test_nested_keys_of_an_outcome_answer_and_a_summary_of_findings_row() -> None:
    result = run("lupus", "claim", "kidney", "--format", "json", "--data", str(SHIPPED))
    answer = json.loads(result.stdout)["claim"]["outcomes"][0]
    assert set(answer) == ANSWER_KEYS
    assert set(answer["estimate"]) == {"measure", "estimate", "ci_low", "ci_high", "method", "studies"}
    assert set(answer["threshold"]) == {"value", "scale", "src"}
    assert {tuple(sorted(d)) for d in answer["domains"]} == {("domain", "levels", "reason", "studies")}
    assert [d["domain"] for d in answer["domains"]] == ["risk_of_bias", "inconsistency", "indirectness",
                                                        "imprecision", "publication_bias"]
    sof = json.loads(run("lupus", "sof", "--format", "json", "--data", str(SHIPPED)).stdout)
    row = sof["outcomes"][0]
    assert set(row) == SOF_ROW_KEYS
    assert set(row["relative"]) == {"measure", "estimate", "ci_low", "ci_high"}
    assert set(row["absolute"]) == {"comparator_per_1000", "intervention_per_1000", "difference_per_1000", "ci_low",
                                    "ci_high"}
    assert set(sof["left_out"][0]) == {"study", "measure", "reason"}


def test_nested_keys_of_summary() -> None:
    summary = _json("wdg", "summary")
    assert set(summary["glance"]) == {"studies", "controlled", "primary_studies", "primary_participants",
                                      "primary_unknown_n", "overlapping", "first_year", "last_year", "by_design"}
    assert set(summary["glance"]["by_design"][0]) == {"design", "studies", "participants"}
    assert set(summary["contrasts"][0]) == {"study", "summary", "claims"}
    assert set(summary["contrasts"][0]["claims"][0]) == {"claim", "outcome", "finding"}
    assert set(summary["trials_without_results"][0]) == TRIAL_KEYS
    assert {tuple(sorted(rule)) for rule in summary["rules"]} == {("rule", "topic")}
    assert set(summary["key_evidence"][0]) == {"study", "design_detail", "result", "conclusion"}
    assert set(summary["condition"]) == {"id", "name", "aliases", "therapy", "overview", "outcomes", "clusters"}


def test_study_record_has_every_model_field() -> None:
    from stemcell_cli.model import Study

    study = _json("wdg", "study", "able2001")["study"]
    assert set(study) == set(Study.__struct_fields__)
    assert set(study["doi"]) == {"value", "src", "note"}


def test_numbers_in_the_study_record_come_with_their_printed_forms() -> None:
    study = _json("wdg", "study", "baker2002")["study"]
    assert set(study["participants"]) == {"total", "arms", "src", "note", "printed"}
    assert set(study["participants"]["arms"][0]) == {"name", "n", "role", "printed"}
    assert set(study["outcomes"][0]["arms"][0]) == {"arm", "role", "events", "total", "mean", "sd", "median", "range",
                                                    "printed"}
    assert study["outcomes"][0]["arms"][0]["printed"] == {"events": "11", "total": "20"}


def test_each_payload_struct_declares_the_pinned_keys_in_the_order_written() -> None:
    import msgspec

    from stemcell_cli.render import payloads

    shapes = {"conditions": payloads.ConditionsJson, "summary": payloads.SummaryJson, "claims": payloads.ClaimsJson,
              "claim": payloads.OneClaimJson, "overview": payloads.OverviewJson,
              "contrasts": payloads.ContrastsJson, "studies": payloads.StudiesJson, "study": payloads.StudyJson,
              "trials": payloads.TrialsJson, "sof": payloads.SofJson, "issues": payloads.IssuesJson}
    for command, shape in shapes.items():
        info = msgspec.inspect.type_info(shape)
        assert isinstance(info, msgspec.inspect.StructType)
        assert (info.tag_field, info.tag) == ("schema", f"stemcell-cli/{command}")
        assert {"schema", *shape.__struct_fields__} == TOP_KEYS[command], command
    claim = _json("wdg", "claims")["claims"][0]
    assert list(claim) == list(payloads.ClaimJson.__struct_fields__)
    assert set(payloads.RefJson.__struct_fields__) == REF_KEYS
    assert set(payloads.IssueJson.__struct_fields__) == ISSUE_KEYS
    assert set(payloads.RuleJson.__struct_fields__) == RULE_KEYS
    assert set(payloads.SofRowJson.__struct_fields__) == SOF_ROW_KEYS
    assert set(payloads.OutcomeAnswerJson.__struct_fields__) == ANSWER_KEYS
    assert set(payloads.IssueRowJson.__struct_fields__) == ISSUE_ROW_KEYS
    assert {"schema", *payloads.DiffJson.__struct_fields__} == DIFF_KEYS
    assert set(payloads.VerdictChangeJson.__struct_fields__) == VERDICT_CHANGE_KEYS
    assert set(payloads.StudyChangeJson.__struct_fields__) == {"study", "fields"}
    assert set(payloads.FieldChangeJson.__struct_fields__) == {"field", "old", "new"}


def test_nested_keys_of_issues_and_diff(tmp_path: Any) -> None:
    from stemcell_cli.render import payloads

    from .conftest import OTHER

    [row] = _json("wdg", "issues")["issues"]
    assert list(row) == list(payloads.IssueRowJson.__struct_fields__)
    assert set(row) == ISSUE_ROW_KEYS
    assert set(row["study"]) == REF_KEYS
    changed = tmp_path / "changed.yaml"
    changed.write_text(OTHER.read_text(encoding="utf-8").replace('"Three cases"', '"Three new cases"'),
                       encoding="utf-8")
    result = run("diff", str(OTHER), str(changed), "--format", "json")
    payload = json.loads(result.stdout)
    assert set(payload) == DIFF_KEYS
    [study] = payload["studies_changed"]
    assert set(study) == {"study", "fields"}
    assert set(study["study"]) == REF_KEYS
    assert study["fields"] == [{"field": "title.value", "old": "Three cases", "new": "Three new cases"}]


def test_every_payload_is_a_frozen_struct_that_writes_null_fields() -> None:
    from stemcell_cli.render import payloads

    shapes = [v for v in vars(payloads).values()
              if isinstance(v, type) and issubclass(v, payloads.Shape) and v.__module__ == payloads.__name__]
    assert len(shapes) > 20
    for shape in shapes:
        config = shape.__struct_config__
        assert config.frozen, shape.__name__
        assert not config.omit_defaults, shape.__name__  # a null is written, never left out
    assert set(payloads.Payload.__args__) == {  # type: ignore[attr-defined]
        s for s in shapes if issubclass(s, payloads.Envelope) and s is not payloads.Envelope}
