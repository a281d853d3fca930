"""Every command in every format through the real Typer app, on the synthetic second dataset (ring 3)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from .app_commands import SAMPLES, condition_commands
from .conftest import FIXTURES, OTHER, OTHER_WARNINGS, run, run_other
from .reliability.helpers import table_cells

# `cite` writes the formats of reference managers instead: tests/test_cite.py.
CONDITION_COMMANDS = [[command.name, *(command.arguments(SAMPLES["other"]) or [])] for command in condition_commands()
                      if "table" in command.formats()]
CONDITION_COMMANDS.append(["claims", "--explain"])
FORMATS = ["table", "json", "csv", "markdown"]
TITLES = {
    "sof": "Widgetitis (synthetic): summary of findings",
    "effects": "Widgetitis (synthetic): effect sizes",
    "summary": "Widgetitis (synthetic): what the curated evidence shows",
    "claims": "Widgetitis (synthetic): claims and their citations",
    "contrasts": "Widgetitis (synthetic): contrasting findings",
    "studies": "Widgetitis (synthetic): 3 studies",
    "study": "Able 2001: Cells for widgetitis",
    "trials": "Widgetitis (synthetic): registered trials",
    "overview": "Widgetitis (synthetic): overview",
    "claim": "Widgetitis (synthetic): claim pain",
    "issues": "Widgetitis (synthetic): 1 citation issue",
    "report": "Widgetitis (synthetic): what the curated evidence shows about the clinic pages' claims",
}
CSV_HEADERS = {
    "summary": "claim_id,kind,asserts,claim,outcome,verdict,effect,certainty,statement,citation_issues",
    "claims": "claim_id,claim,side,study_id,citation,design,n,year,finding,verdict,effect,certainty,statement",
    "sof": "outcome,name,importance,comparison,timepoint,participants,studies,certainty,measure,estimate,ci_low,"
           "ci_high,comparator_per_1000,intervention_per_1000,difference_per_1000,difference_ci_low,"
           "difference_ci_high,effect,statement,footnotes",
    "claim": "claim_id,part,name,levels,value,reason,studies",
    "overview": "topic,text,src",
    "contrasts": "study_id,citation,design,n,year,claim_id,outcome,finding",
    "studies": "id,citation,year,design,n,direction,verification,doi,pmid,title",
    "study": "field,value,src,note,secondary_src",
    "issues": "issue_id,claim_id,page_says,cited_as,kind,study_id,citation,source_shows,src,page_url",
    "trials": "id,registry,title,phase,design,enrollment,status,results_posted,sponsor,published_as,src,note",
    "effects": "row,outcome,timepoint,study_id,citation,design,n,measure,source,metric,estimate,ci_low,ci_high,yi,vi,"
               "log_scale,corrected,treatment,control,n_treatment,n_control,events,total,wilson_low,wilson_high,"
               "exact_low,exact_high,pooled,weight_pct,reason,note,method,test,k,se,stat,pval,df,s2w,tau2,tau2_low,"
               "tau2_high,tau,se_tau2,i2,i2_low,i2_high,h2,q,q_df,q_p,pi_low,pi_high,positive,negative,ties,"
               "sign_test_p",
}


# Each command in each of the formats above that it writes (a report is Markdown or HTML).
OWN_FORMATS = {command.name: command.formats() for command in condition_commands()}
FORMAT_CASES = [(line, fmt) for line in CONDITION_COMMANDS for fmt in FORMATS if fmt in OWN_FORMATS[line[0]]]


@pytest.mark.parametrize(("command", "fmt"), FORMAT_CASES, ids=lambda v: v if isinstance(v, str) else v[0])
def test_every_condition_command_in_every_format(command: list[str], fmt: str) -> None:
    result = run_other("wdg", *command, "--format", fmt)
    assert (result.exit_code, result.stderr) == (0, OTHER_WARNINGS)
    out = result.stdout
    if fmt == "json":
        payload = json.loads(out)
        assert payload["schema"] == f"stemcell-cli/{command[0]}"
        assert payload["version"] == (3 if command[0] in ("summary", "claims", "claim", "sof") else 1)
        condition = payload["condition"]
        assert (condition["id"] if command[0] == "summary" else condition) == "widgetitis"
    elif fmt == "csv":
        # --explain adds the derivation as a last column.
        assert out.splitlines()[0] == CSV_HEADERS[command[0]] + (",explanation" if "--explain" in command else "")
        # The synthetic condition's outcomes are not curated as numbers: its Summary of Findings has no row.
        assert len(list(csv.reader(io.StringIO(out)))) >= (1 if command[0] == "sof" else 2)
    elif fmt == "markdown":
        assert out.startswith(f"# {TITLES[command[0]]}\n")
        assert "\x1b" not in out
    else:
        assert out.splitlines()[0] == TITLES[command[0]]


CONDITIONS_CSV = "id,name,aliases,studies,claims,trials\nwidgetitis,Widgetitis (synthetic),wdg,3,2,2\n"


def test_conditions_csv_exact() -> None:
    result = run_other("conditions", "--format", "csv")
    assert (result.exit_code, result.stdout) == (0, CONDITIONS_CSV)


def test_conditions_table_exact() -> None:
    result = run_other("conditions")
    assert result.stdout.splitlines() == [
        "Conditions",
        "╭────────────┬────────────────────────┬─────────────┬─────────┬────────┬────────╮",
        "│ Condition  │ Name                   │ Also called │ Studies │ Claims │ Trials │",
        "├────────────┼────────────────────────┼─────────────┼─────────┼────────┼────────┤",
        "│ widgetitis │ Widgetitis (synthetic) │ wdg         │ 3       │ 2      │ 2      │",
        "╰────────────┴────────────────────────┴─────────────┴─────────┴────────┴────────╯",
    ]


def test_studies_csv_exact() -> None:
    result = run_other("wdg", "studies", "--format", "csv")
    assert result.stdout == (
        "id,citation,year,design,n,direction,verification,doi,pmid,title\n"
        "able2001,Able 2001,2001,single_arm,20,supports_benefit,verified,10.5555/able.2001,1111111,"
        "Cells for widgetitis\n"
        "baker2002,Baker 2002,2002,randomised_controlled_trial,40,mixed,verified,10.5555/baker.2002,,"
        "A trial of cells\n"
        "cole2003,Cole 2003,2003,case_series,3,no_benefit,partially_verified,,,Three cases\n"
    )


def test_studies_filters_on_the_command_line() -> None:
    result = run_other("wdg", "studies", "--design", "randomised_controlled_trial", "--since", "2002",
                       "--min-n", "10", "--format", "csv")
    assert [row[0] for row in csv.reader(io.StringIO(result.stdout))] == ["id", "baker2002"]
    result = run_other("wdg", "studies", "--sort", "n", "--format", "csv")
    assert [row[0] for row in csv.reader(io.StringIO(result.stdout))][1:] == ["baker2002", "able2001", "cole2003"]


NOT_GRADED = ('"Not graded from effect estimates: its outcomes are not curated as numbers yet, so no estimate '
              'grades it (3 studies are cited about it)."')


def test_claims_csv_lists_each_citation_with_design_and_n() -> None:
    result = run_other("widgetitis", "claims", "--format", "csv")
    assert result.stdout.splitlines()[1:] == [
        "pain,Cells reduce widget pain,support,baker2002,Baker 2002,randomised_controlled_trial,40,2002,"
        f"Pain 11/20 improved vs 10/20 control,very_uncertain,,,{NOT_GRADED}",
        "pain,Cells reduce widget pain,support,able2001,Able 2001,single_arm,20,2001,"
        f"Pain fell from 7.1 to 3.2 in 20 patients,very_uncertain,,,{NOT_GRADED}",
        "pain,Cells reduce widget pain,contrast,cole2003,Cole 2003,case_series,3,2003,"
        f"No change in pain in 3 patients,very_uncertain,,,{NOT_GRADED}",
        "cure,Widgetitis is cured,,,,,,,,not_checkable,,,This cannot be checked: no curated outcome matches this "
        "claim.",
    ]


def test_claims_json_carries_grade_issues_and_citations() -> None:
    payload = json.loads(run_other("wdg", "claims", "-f", "json").stdout)
    pain, cure = payload["claims"]
    assert (pain["verdict"], pain["effect"], pain["certainty"], pain["outcomes"]) == (
        "very_uncertain", None, None, [])
    assert pain["statement"] == ("Not graded from effect estimates: its outcomes are not curated as numbers yet, so "
                                 "no estimate grades it (3 studies are cited about it).")
    assert [(s["study"]["id"], s["study"]["n"]) for s in pain["support"]] == [("baker2002", 40), ("able2001", 20)]
    assert (cure["verdict"], cure["certainty"], cure["source"]["id"]) == ("not_checkable", None, "able2001")
    assert [i["kind"] for i in cure["issues"]] == ["quote_not_found"]


def test_contrasts_csv_exact() -> None:
    result = run_other("wdg", "contrasts", "--format", "csv")
    assert result.stdout == (
        "study_id,citation,design,n,year,claim_id,outcome,finding\n"
        "cole2003,Cole 2003,case_series,3,2003,pain,pain score,No change in pain in 3 patients\n"
    )


def test_study_json_has_structured_outcomes_and_links() -> None:
    payload = json.loads(run_other("wdg", "study", "baker2002", "-f", "json").stdout)
    assert payload["links"] == {"doi": "https://doi.org/10.5555/baker.2002", "pubmed": None}
    outcome = payload["study"]["outcomes"][0]
    assert [(a["arm"], a["events"], a["total"]) for a in outcome["arms"]] == [("cells", 11, 20), ("control", 10, 20)]
    assert payload["study"]["participants"]["arms"] == [
        {"name": "cells", "n": 20, "role": None, "printed": {"n": "20"}},
        {"name": "control", "n": 20, "role": None, "printed": {"n": "20"}}]


def test_study_table_shows_every_field_with_its_source() -> None:
    out = run_other("wdg", "study", "able2001").stdout
    for text in ("https://doi.org/10.5555/able.2001", "https://pubmed.ncbi.nlm.nih.gov/1111111/",
                 "Journal of Examples", "https://example.org/source", "Pain fell from 7.1 (1.0) to 3.2 (1.5)"):
        assert text in out


def test_study_table_shows_coded_values_in_readers_words_and_csv_keeps_the_codes() -> None:
    rows = {row[0]: row[1] for row in table_cells(run("wdg", "study", "cole2003", "--data", str(OTHER),
                                                      env={"COLUMNS": "200"}).stdout) if len(row) == 4}
    assert (rows["design"], rows["direction"], rows["verification"]) == ("case series", "no benefit",
                                                                         "partially verified")
    csv_rows = {line.split(",")[0]: line.split(",")[1]
                for line in run_other("wdg", "study", "cole2003", "-f", "csv").stdout.splitlines()}
    assert (csv_rows["design"], csv_rows["direction"], csv_rows["verification"]) == ("case_series", "no_benefit",
                                                                                     "partially_verified")


def test_trials_json_keeps_results_posted_unknown_as_null() -> None:
    payload = json.loads(run_other("wdg", "trials", "-f", "json").stdout)
    assert [(t["id"], t["results_posted"]) for t in payload["trials"]] == [
        ("NCT00000001", False), ("NCT00000002", None)]


def test_summary_markdown_gives_the_bottom_line_verdicts_key_evidence_and_where_to_look() -> None:
    out = run_other("wdg", "summary", "-f", "markdown").stdout
    assert ("Bottom line: Of the 2 page claims, 1 is very uncertain (the evidence is too weak to tell) and 1 cannot "
            "be checked (no curated result measures it); none is supported or refuted by the evidence. The "
            "only randomised trial with a record of its own, Baker 2002 (randomised, n=40), found mixed results. 2 of "
            "the 3 primary studies have no control group, so they cannot show an added effect.") in out
    assert "| pain | Cells reduce widget pain | very uncertain | \\- |" in out
    assert "| cure | Widgetitis is cured | not checkable | \\- |" in out
    assert ("Key controlled evidence: Baker 2002 (randomised controlled trial, n=40) found mixed results: 11 of 20 "
            "vs 10 of 20.") in out
    assert ("Each claim in full, and the 1 citation issue: \\`stemcell wdg claims\\`; why each verdict: \\`stemcell "
            "wdg claim ID\\`; a study's results: \\`stemcell wdg study ID\\`; registered trials (1 without posted "
            "results, 1 not saying): \\`stemcell wdg trials\\`; background: \\`stemcell wdg overview\\`.") in out


def test_alias_gives_the_same_output_as_the_id() -> None:
    assert run_other("wdg", "summary", "-f", "json").stdout == run_other("widgetitis", "summary", "-f", "json").stdout


def test_unknown_condition_exits_2_with_did_you_mean() -> None:
    result = run_other("widgetits", "summary")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == OTHER_WARNINGS + ("error: unknown condition 'widgetits'; did you mean 'widgetitis'? "
                                              "(known: widgetitis, wdg; see `stemcell conditions`)\n")


def test_unknown_study_exits_2_with_did_you_mean() -> None:
    result = run_other("wdg", "study", "cole2030")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == OTHER_WARNINGS + ("error: unknown study 'cole2030' for widgetitis; did you mean "
                                              "'cole2003'? (see `stemcell widgetitis studies`)\n")


def test_unknown_subcommand_is_a_usage_error() -> None:
    result = run_other("wdg", "sumary")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "error: no such command 'sumary'; did you mean 'summary'? (see `stemcell wdg -h`)\n"


def test_bad_option_value_is_a_usage_error() -> None:
    result = run_other("wdg", "summary", "--format", "yaml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("error: --format: 'yaml' is not one of 'table', ")
    assert result.stderr.endswith(" (see `stemcell wdg summary -h`)\n")


def test_data_from_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEMCELL_DATA", str(OTHER))
    result = run("conditions", "-f", "csv")
    assert (result.exit_code, result.stdout, result.stderr) == (0, CONDITIONS_CSV, OTHER_WARNINGS)


def test_data_option_beats_environment_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.setenv("STEMCELL_DATA", "/nonexistent/studies.yaml")
    result = run_other("conditions", "-f", "csv")
    assert (result.exit_code, result.stdout, result.stderr) == (0, CONDITIONS_CSV, OTHER_WARNINGS)


def test_version() -> None:
    from stemcell_cli import __version__

    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"stemcell-cli {__version__}\n")


def test_output_file_written_and_not_overwritten_without_force(tmp_path: object) -> None:
    from pathlib import Path

    target = Path(str(tmp_path)) / "out.data"  # an extension that names no format, so --format decides
    assert run_other("conditions", "-f", "csv", "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("id,name,aliases")
    again = run_other("conditions", "-f", "json", "-o", str(target))
    assert again.exit_code == 1
    assert again.stderr == OTHER_WARNINGS + f"error: {target}: already exists; add --force to replace it\n"
    assert run_other("conditions", "-f", "json", "-o", str(target), "--force").exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "stemcell-cli/conditions"


def test_study_table_lists_unrecorded_fields_instead_of_empty_rows() -> None:
    out = run_other("wdg", "study", "cole2003").stdout
    assert "Not recorded: label, cited_as, verification_note, source_note, authors, journal, volume," in (
        " ".join(out.split()))
    assert "no DOI was found" in out


def test_identifier_with_control_characters_is_never_made_a_link() -> None:
    from stemcell_cli.render.labels import doi_url, pubmed_url

    assert doi_url("10.1/x\x1b]52;c;AAAA\x07") is None
    assert doi_url("10.1/a b") is None
    assert doi_url("10.1136/ard.2009.123463") == "https://doi.org/10.1136/ard.2009.123463"
    assert pubmed_url("28478399") == "https://pubmed.ncbi.nlm.nih.gov/28478399/"
    assert pubmed_url(None) is None


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", ["summary", "claims", "contrasts", "studies", "trials"])
def test_a_condition_with_nothing_but_a_name_prints_empty_sections_plainly(command: str, fmt: str,
                                                                            tmp_path: object) -> None:
    from pathlib import Path

    bare = Path(str(tmp_path)) / "bare.yaml"
    bare.write_text("schema_version: 1\nconditions:\n  - id: bare\n    name: Bare condition\n", encoding="utf-8")
    result = run("bare", command, "--data", str(bare), "--format", fmt)
    assert (result.exit_code, result.stderr) == (0, "")
    if fmt == "table":
        expected = {"summary": "Bottom line: The data holds no claims or studies for this condition.\nWhat the page "
                               "claims, and what the evidence shows: none in the data.",
                    "claims": "Nothing in the data for this condition.",
                    "contrasts": "Contrasting findings: none in the data.",
                    "studies": "Studies: none in the data.", "trials": "Registered trials: none in the data."}
        assert expected[command] in result.stdout
    elif fmt == "json":
        assert json.loads(result.stdout)["version"] == (3 if command in ("summary", "claims", "sof") else 1)
    elif fmt == "csv":
        # The summary's first record is its bottom line, there even when nothing else is.
        bottom = [",bottom_line,,,,,,,The data holds no claims or studies for this condition.,"]
        assert result.stdout.splitlines() == [CSV_HEADERS[command], *(bottom if command == "summary" else [])]


def test_a_mistyped_command_alone_gets_a_did_you_mean() -> None:
    result = run_other("conditons")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "error: no such command 'conditons'; did you mean 'conditions'? (see `stemcell -h`)\n"


def test_a_condition_named_like_a_command_is_still_reached_with_its_command(tmp_path: object) -> None:
    from pathlib import Path

    data = Path(str(tmp_path)) / "near.yaml"
    data.write_text("schema_version: 1\nconditions:\n  - id: condition001\n    name: Near a command\n",
                    encoding="utf-8")
    result = run("condition001", "studies", "--data", str(data), "-f", "csv")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == CSV_HEADERS["studies"] + "\n"


@pytest.mark.parametrize(("args", "message"), [
    (["--since", "1700"], "--since: 1700 is below the lowest allowed value, 1800"),
    (["--since", "2201"], "--since: 2201 is above the highest allowed value, 2200"),
    (["--since", "soon"], "--since: 'soon' is not a whole number"),
    (["--min-n", "-1"], "--min-n: -1 is below the lowest allowed value, 0"),
    (["--sort", "size"], "--sort: 'size' is not one of 'year', 'n', 'design', 'id'"),
])
def test_option_values_are_checked_in_plain_words(args: list[str], message: str) -> None:
    result = run_other("wdg", "studies", *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: {message} (see `stemcell wdg studies -h`)\n"


def test_choices_and_numbers_are_converted_in_any_case_and_with_spaces() -> None:
    plain = run_other("wdg", "studies", "--design", "single_arm", "--since", "2000", "-f", "csv")
    shouted = run_other("wdg", "studies", "--design", "SINGLE_ARM", "--since", " 2000 ", "-f", "CSV")
    assert plain.exit_code == 0
    assert (shouted.exit_code, shouted.stdout) == (0, plain.stdout)


def test_claims_explain_gives_one_line_per_outcome_and_the_claim_view_every_domain() -> None:
    data = str(FIXTURES / "outcome_condition.yaml")
    brief = run("gdg", "claims", "--explain", "--data", data, "--format", "markdown").stdout
    assert ("| Pain response | RR 1.32 (0.09 to 18.54); Pain response: stem-cell therapy vs placebo or sham, 6 months "
            "| high; imprecision -2, publication bias -1 → very low | very uncertain (uncertain) |") in brief
    assert ("| Pain score | MD -1.10 (-1.91 to -0.29); Pain score: stem-cell therapy vs placebo or sham, 6 months | "
            "high; imprecision -1, publication bias -1 → low | supported (benefit) |") in brief
    assert "Risk of bias" not in brief
    full = run("gdg", "claim", "pain", "--data", data, "--format", "markdown").stdout
    assert full.count("| Pain response | Risk of bias | 0 |") == 1
