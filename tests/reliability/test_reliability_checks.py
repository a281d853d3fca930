"""Schema and semantic cases of the policy, each a one-line change to the synthetic dataset."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from pathlib import Path

import pytest

from stemcell_cli import __version__
from stemcell_cli.loading import source

from .helpers import OTHER, run

# Publications dated next year exist (online-first issues); the year after that is a typo.
NEXT_YEAR = datetime.date.today().year + 1

BASE = OTHER.read_text(encoding="utf-8")
NO_SUPPORT = r"\$\.claims\[1\] \(line 32\): warning: claim 'cure' has no supporting study"
COLE_TITLE = '    title: {value: "Three cases", src: [*ex]}'


@pytest.fixture(params=["libyaml", "pure"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test once with the libyaml loader and once with the pure-Python one."""
    monkeypatch.setenv(source.PURE_VAR, "1" if request.param == "pure" else "0")
    return str(request.param)


def variant(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """Write the synthetic dataset with each (old, new) edit applied once."""
    text = BASE
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "variant.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, *extra: str) -> tuple[int, list[str]]:
    """Run `validate` and return its exit code and stderr lines with the file name taken off."""
    result = run("validate", str(path), *extra)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    return result.exit_code, [line.removeprefix(f"{path}: ") for line in result.stderr.splitlines()]


CASES = [
    ("country-NO", [(COLE_TITLE, COLE_TITLE + "\n    country: {value: NO, src: [*ex]}")],
     [r"\$\.studies\[2\]\.country\.value \(line 88\): error: Expected str, got bool \(YAML reads yes/no/on/off as "
      r'true/false: quote the value, e\.g\. "NO"\)']),
    ("n-1e3", [("participants: {total: 3, src: [*ex]}", "participants: {total: 1e3, src: [*ex]}")],
     [r"\$\.studies\[2\]\.participants\.total \(line 90\): error: Expected int, got str \(YAML 1\.1 reads '1e3' as "
      r"text, not a number: write it out in full, e\.g\. 1000 or 0\.001, without quotes\)"]),
    ("octal-010", [('pmid: {value: "1111111", src: [*ex]}', "pmid: {value: 010, src: [*ex]}")],
     [r"\$\.studies\[0\]\.pmid\.value \(line 56\): error: Expected str, got int \(YAML reads unquoted digits as a "
      r"number, and 010 as 8: quote the value\)"]),
    ("bare-date", [(COLE_TITLE, COLE_TITLE + "\n    follow_up: {value: 2003-01-02, src: [*ex]}")],
     [r"\$\.studies\[2\]\.follow_up\.value \(line 88\): error: Expected str, got date \(YAML reads a bare date as a "
      r"date: quote it\)"]),
    ("negative-n", [("participants: {total: 3, src: [*ex]}", "participants: {total: -3, src: [*ex]}")],
     [r"\$\.studies\[2\]\.participants\.total \(line 90\): error: negative sample size -3"]),
    ("year-3025", [("year: {value: 2003, src: [*ex]}", "year: {value: 3025, src: [*ex]}")],
     [rf"\$\.studies\[2\]\.year\.value \(line 88\): error: year 3025 is not plausible \(1900-{NEXT_YEAR}\)"]),
    ("duplicate-id", [("  - id: cole2003", "  - id: able2001")],
     [r"\$\.claims\[0\]\.contrast\[0\]\.study \(line 31\): error: unknown study 'cole2003'; did you mean 'able2001'\?",
      r"\$\.studies\[2\]\.id \(line 81\): error: duplicate id 'able2001' \(same as \$\.studies\[0\]\.id\)"]),
    ("duplicate-after-nfkc", [("  - id: cole2003", "  - id: ＡBLE2001"), ("{study: cole2003,", "{study: ＡBLE2001,")],
     [r"\$\.studies\[2\]\.id \(line 81\): error: duplicate id 'ＡBLE2001' \(same as \$\.studies\[0\]\.id, 'able2001' "
      r"after Unicode normalisation and case folding\)"]),
    ("invisible-id", [("  - id: cole2003", '  - id: "cole\\u200b2003"'),
                      ("{study: cole2003,", '{study: "cole\\u200b2003",')],
     [r"\$\.studies\[2\]\.id \(line 81\): error: id 'cole\\u200b2003' contains U\+200B \(ZERO WIDTH SPACE\); use "
      r"visible characters only"]),
    ("unknown-study", [("{study: baker2002, finding", "{study: bakr2002, finding")],
     [r"\$\.claims\[0\]\.support\[1\]\.study \(line 29\): error: unknown study 'bakr2002'; "
      r"did you mean 'baker2002'\?"]),
    ("identifiers", [('"10.5555/able.2001"', '"doi:10.5555/able.2001"'), ('"1111111"', '"PMID 1111111"'),
                     ('doi: {value: "10.5555/baker.2002", src: [*ex]}',
                      'doi: {value: "10.5555/baker.2002", src: [*ex]}\n    pmcid: {value: "PMC12a", src: [*ex]}\n'
                      '    trial_registration: {value: "NCT123", src: [*ex]}'),
                     ("  - id: NCT00000002", "  - id: NCT0000002")],
     [r"\$\.studies\[0\]\.doi\.value \(line 55\): error: 'doi:10\.5555/able\.2001' is not a valid DOI "
      r"\(10\.NNNN/suffix\)",
      r"\$\.studies\[0\]\.pmid\.value \(line 56\): error: 'PMID 1111111' is not a valid PMID \(digits only\)",
      r"\$\.studies\[1\]\.pmcid\.value \(line 72\): error: 'PMC12a' is not a valid PMCID \(PMC followed by digits\)",
      r"\$\.studies\[1\]\.trial_registration\.value \(line 73\): error: 'NCT123' is not a valid NCT number \(NCT \+ 8 "
      r"digits\)",
      r"\$\.trials\[1\]\.id \(line 101\): error: 'NCT0000002' is not a valid NCT number \(NCT \+ 8 digits\)"]),
    ("digits-of-another-script", [('"1111111"', '"١١١١"')],
     [r"\$\.studies\[0\]\.pmid\.value \(line 56\): error: '١١١١' is not a valid PMID \(digits only\)"]),
    ("arms-do-not-add-up", [("      total: 40\n", "      total: 41\n")],
     [r"\$\.studies\[1\]\.participants \(line 72\): error: total 41 is not the sum of the arms \(20 \+ 20\)"]),
    ("not-finite", [("mean: 7.1, sd: 1.0", "mean: .nan, sd: .inf")],
     [r"\$\.studies\[0\]\.outcomes\[0\]\.arms\[0\]\.mean \(line 61\): error: nan is not a finite number",
      r"\$\.studies\[0\]\.outcomes\[0\]\.arms\[0\]\.sd \(line 61\): error: inf is not a finite number"]),
    ("impossible-events", [("{arm: cells, events: 11, total: 20}", "{arm: cells, events: 21, total: 20}")],
     [r"\$\.studies\[1\]\.outcomes\[0\]\.arms\[0\] \(line 79\): error: events 21 out of 20 is impossible"]),
    ("bad-enum", [("design: case_series", "design: anecdote")],
     [r"\$\.studies\[2\]\.design \(line 84\): error: Invalid enum value 'anecdote' \(one of: "
      r"randomised_controlled_trial, .*, systematic_review_meta_analysis\)"]),
    ("unknown-field", [("    journal: {value:", "    jurnal: {value:")],
     [r"\$\.studies\[0\]\.jurnal \(line 53\): error: unknown field 'jurnal'; did you mean 'journal'\?"]),
    ("study-linked-twice", [('{study: baker2002, finding: "Pain 11/20', '{study: able2001, finding: "Pain 11/20')],
     [r"\$\.claims\[0\]\.support\[1\] \(line 29\): error: study 'able2001' is listed twice here \(also at "
      r"support\[0\]\)"]),
    ("overview-without-source", [("        src: [*ex]\npages:", "        src: []\npages:")],
     [r"\$\.conditions\[0\]\.overview\[0\] \(line 11\): error: an overview point needs its source URL in `src`"]),
    ("issue-without-source", [("    summary: The quoted sentence is not in the paper.\n    src: [*ex]",
                               "    summary: The quoted sentence is not in the paper.")],
     [r"\$\.citation_issues\[0\] \(line 40\): error: a citation issue needs its source URL in `src`"]),
    ("source-not-a-web-address", [(COLE_TITLE, '    title: {value: "Three cases", src: ["file:///etc/passwd"]}')],
     [r"\$\.studies\[2\]\.title\.src\[0\] \(line 87\): error: 'file:///etc/passwd' is not a web address "
      r"\(http:// or https://\)"]),
    ("overlaps-itself", [(COLE_TITLE, COLE_TITLE + "\n    overlaps_with: [cole2003]")],
     [r"\$\.studies\[2\]\.overlaps_with \(line 88\): error: study 'cole2003' is listed as overlapping with itself"]),
    ("interval-ends-swapped", [("{arm: 6 months, mean: 3.2, sd: 1.5}]",
                                "{arm: 6 months, mean: 3.2, sd: 1.5}]\n"
                                "        estimate: {metric: MD, value: -3.9, ci_low: 1.0, ci_high: -5.0}")],
     [r"\$\.studies\[0\]\.outcomes\[0\]\.estimate \(line 62\): error: confidence interval \(1\.0, -5\.0\) has its "
      r"ends swapped"]),
    ("condition-named-like-a-command", [("aliases: [wdg]", "aliases: [wdg, Schema]")],
     [r"\$\.conditions\[0\] \(line 7\): error: condition name 'Schema' would be read as a command or an option "
      r"\(commands: conditions, find, validate, schema, help, diff, completion, check\)"]),
]


@pytest.mark.parametrize(("edits", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_problem_is_reported_at_its_path_and_line(edits: list[tuple[str, str]], expected: list[str], loader: str,
                                                  tmp_path: Path) -> None:
    code, lines = problems(variant(tmp_path, *edits))
    assert code == 1
    found = [line for line in lines[:-1] if not re.fullmatch(NO_SUPPORT, line)]
    assert len(found) == len(expected), lines
    for line, pattern in zip(found, expected, strict=True):
        assert re.fullmatch(pattern, line), line
    assert lines[-1] == f"{len(expected)} error{'s' if len(expected) > 1 else ''}, {len(lines) - 1 - len(expected)} " \
                        f"warning{'s' if len(lines) - 1 - len(expected) != 1 else ''}"


def test_every_problem_is_listed_type_problems_and_checks_together(loader: str, tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        (COLE_TITLE, COLE_TITLE + "\n    country: {value: NO, src: [*ex]}"),   # type problem in studies[2]
        ("year: {value: 2002, src: [*ex]}", "year: {value: 3025, src: [*ex]}"),   # check in studies[1]
        ('"10.5555/able.2001"', '"x"'),                                          # check in studies[0]
        ("{study: baker2002, finding", "{study: bakr2002, finding"),            # reference
        ("    name: Widgetitis (synthetic)\n", ""),                              # missing field in conditions[0]
    )
    code, lines = problems(path)
    assert code == 1
    assert lines == [
        "$.conditions[0] (line 7): error: missing required field(s): name",
        "$.claims[0].support[1].study (line 28): error: unknown study 'bakr2002'; did you mean 'baker2002'?",
        "$.claims[1] (line 31): warning: claim 'cure' has no supporting study",
        "$.studies[0].doi.value (line 54): error: 'x' is not a valid DOI (10.NNNN/suffix)",
        f"$.studies[1].year.value (line 69): error: year 3025 is not plausible (1900-{NEXT_YEAR})",
        "$.studies[2].country.value (line 87): error: Expected str, got bool (YAML reads yes/no/on/off as true/false: "
        'quote the value, e.g. "NO")',
        "5 errors, 1 warning",
    ]


@pytest.mark.parametrize(("year", "refused"), [(1899, True), (1900, False), (NEXT_YEAR, False),
                                               (NEXT_YEAR + 1, True)])
def test_plausible_years_run_from_1900_to_next_year(year: int, refused: bool, tmp_path: Path) -> None:
    path = variant(tmp_path, ("year: {value: 2003, src: [*ex]}", f"year: {{value: {year}, src: [*ex]}}"))
    code, lines = problems(path)
    year_lines = [line for line in lines if ".year." in line]
    expected = [f"$.studies[2].year.value (line 88): error: year {year} is not plausible (1900-{NEXT_YEAR})"]
    assert year_lines == (expected if refused else [])
    assert code == (1 if refused else 0)


def test_a_reference_to_a_record_with_type_problems_is_not_called_unknown(tmp_path: Path) -> None:
    # cole2003 fails its type, but the claims that cite it must not report it as an unknown study.
    code, lines = problems(variant(tmp_path, ("direction: no_benefit", "direction: sideways")))
    assert (code, lines) == (1, [
        "$.claims[1] (line 32): warning: claim 'cure' has no supporting study",
        "$.studies[2].direction (line 85): error: Invalid enum value 'sideways' (one of: supports_benefit, no_benefit, "
        "mixed, safety_only)",
        "1 error, 1 warning",
    ])


def test_all_missing_required_fields_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "missing.yaml"
    path.write_text("schema_version: 1\nconditions:\n  - aliases: []\nstudies:\n  - id: x\n", encoding="utf-8")
    code, lines = problems(path)
    assert (code, lines) == (1, [
        "$.conditions[0] (line 3): error: missing required field(s): id, name",
        "$.studies[0] (line 5): error: missing required field(s): condition, verification, design, direction",
        "2 errors, 0 warnings",
    ])


def test_warnings_pass_unless_strict(tmp_path: Path) -> None:
    path = variant(tmp_path, ('conclusion: {text: "Cells may help.", status: verified',
                              'conclusion: {text: "Cells may help.", status: unverified'))
    code, lines = problems(path)
    assert code == 0
    assert lines == ["$.claims[1] (line 32): warning: claim 'cure' has no supporting study",
                     "$.studies[0].conclusion (line 63): warning: quote is marked unverified",
                     "0 errors, 2 warnings"]
    assert problems(path, "--strict")[0] == 1


def test_clean_file_exits_0_with_a_count(tmp_path: Path) -> None:
    path = variant(tmp_path, ("    cites: [able2001]\n", "    cites: [able2001]\n    support: [{study: able2001, "
                                                          "finding: none}]\n"))
    assert problems(path) == (0, ["0 errors, 0 warnings"])


def test_validate_json_lists_records_on_stdout(tmp_path: Path) -> None:
    path = variant(tmp_path, ("year: {value: 2003, src: [*ex]}", "year: {value: 3025, src: [*ex]}"))
    result = run("validate", str(path), "--format", "json")
    assert (result.exit_code, result.stderr) == (1, "")
    payload = json.loads(result.stdout)
    assert {k: v for k, v in payload.items() if k != "problems"} == {
        "schema": "stemcell-cli/validation", "version": 1, "file": str(path), "strict": False, "passed": False,
        "errors": 1, "warnings": 1, "provenance": {"version": __version__, "data": [
            {"file": path.name, "schema_version": 1, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}]}}
    assert payload["problems"][1] == {"file": str(path), "line": 88, "column": None,
                                      "path": "$.studies[2].year.value", "severity": "error",
                                      "message": f"year 3025 is not plausible (1900-{NEXT_YEAR})"}


def test_validate_json_for_an_unreadable_file(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "missing.yaml"), "-f", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["problems"] == [{
        "file": str(tmp_path / "missing.yaml"), "line": None, "column": None, "path": None, "severity": "error",
        "message": "no such data file"}]


def test_validate_usage_error_exits_2() -> None:
    bad_format = run("validate", "--format", "xml")
    assert (bad_format.exit_code, bad_format.stdout) == (2, "")
    assert bad_format.stderr == "error: --format: 'xml' is not one of 'text', 'json' (see `stemcell validate -h`)\n"
    bad_option = run("validate", "--bogus")
    assert (bad_option.exit_code, bad_option.stdout, bad_option.stderr) == (
        2, "", "error: no such option: --bogus (see `stemcell validate -h`)\n")


def test_data_command_fails_on_the_same_problems(tmp_path: Path) -> None:
    path = variant(tmp_path, ("year: {value: 2003, src: [*ex]}", "year: {value: 3025, src: [*ex]}"))
    result = run("wdg", "summary", "--data", str(path))
    assert (result.exit_code, result.stdout) == (1, "")
    lines = result.stderr.splitlines()
    assert lines == [f"{path}: $.studies[2].year.value (line 88): error: year 3025 is not plausible (1900-{NEXT_YEAR})",
                     f"{path}: 1 error, 0 warnings"]


def test_a_link_to_a_study_of_another_condition_is_an_error(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        ("pages:\n", "  - id: other\n    name: Other (synthetic)\n    overview:\n"
                     "      - {topic: what_it_is, text: Another made-up condition., src: [*ex]}\npages:\n"),
        ("trials:\n", "  - id: dunn2004\n    condition: other\n    verification: verified\n"
                      "    design: randomised_controlled_trial\n    direction: no_benefit\n"
                      '    doi: {value: "10.5555/dunn.2004", src: [*ex]}\ntrials:\n'),
        ('      - {study: cole2003, finding: "No change in pain in 3 patients"}',
         '      - {study: cole2003, finding: "No change in pain in 3 patients"}\n'
         '      - {study: dunn2004, finding: "No change"}'),
    )
    code, lines = problems(path)
    assert code == 1
    assert lines == [
        "$.claims[0].contrast[1] (line 36): error: study 'dunn2004' belongs to condition 'other', but the claim's page "
        "is about 'widgetitis'",
        "$.claims[1] (line 37): warning: claim 'cure' has no supporting study",
        "1 error, 1 warning",
    ]
