"""`issues`: one row per citation issue in every format, for every condition; hostile text stays inert."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from stemcell_cli.evidence.lookup import claims_of
from stemcell_cli.loading import load

from .conftest import SHIPPED, run
from .reliability.helpers import FIXTURES

DATA = load(SHIPPED, use_cache=False).dataset
CONDITIONS = [c.id for c in DATA.conditions]
COLUMNS = ["issue_id", "claim_id", "page_says", "cited_as", "kind", "study_id", "citation", "source_shows", "src",
           "page_url"]


def _issues(condition: str) -> list[tuple[str, str]]:
    """Return the data's citation issues of a condition's claims, as (issue, claim), in data order."""
    found = next(c for c in DATA.conditions if c.id == condition)
    claims = {c.id: c for c in claims_of(DATA, found)}
    return [(i.id, i.claim) for i in DATA.citation_issues if i.claim in claims]


def _out(condition: str, fmt: str, data: Path = SHIPPED) -> str:
    result = run(condition, "issues", "--format", fmt, "--data", str(data), "--no-pager")
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("condition", CONDITIONS)
def test_every_format_has_one_row_per_citation_issue(condition: str) -> None:
    expected = _issues(condition)
    assert expected, condition
    claims = {c.id: c for c in DATA.claims}
    issues = {i.id: i for i in DATA.citation_issues}

    payload = json.loads(_out(condition, "json"))
    assert (payload["schema"], payload["version"], payload["condition"]) == ("stemcell-cli/issues", 1, condition)
    assert [(row["id"], row["claim"]) for row in payload["issues"]] == expected
    for row in payload["issues"]:
        issue, claim = issues[row["id"]], claims[row["claim"]]
        assert (row["page_says"], row["cited_as"], row["kind"], row["source_shows"], row["src"]) == (
            claim.text, claim.cited_as, issue.kind.value, issue.summary, list(issue.src))
        assert (row["study"] or {}).get("id") == issue.study

    rows = list(csv.reader(io.StringIO(_out(condition, "csv"))))
    assert rows[0] == COLUMNS
    assert [(r[0], r[1]) for r in rows[1:]] == expected
    assert [r[7] for r in rows[1:]] == [issues[i].summary for i, _ in expected]
    assert [r[8] for r in rows[1:]] == [" ".join(issues[i].src) for i, _ in expected]

    tsv = _out(condition, "tsv").rstrip("\n").split("\n")
    assert [tuple(line.split("\t")[:2]) for line in tsv[1:]] == expected

    tokens = MarkdownIt("commonmark").enable("table").parse(_out(condition, "markdown"))
    body_rows = sum(1 for t in tokens if t.type == "tr_open") - 1
    assert body_rows == len(expected)

    name = next(c.name for c in DATA.conditions if c.id == condition)
    count = f"{len(expected)} citation {'issue' if len(expected) == 1 else 'issues'}"
    assert _out(condition, "table").splitlines()[0] == f"{name}: {count}"


def test_hostile_issue_text_is_inert_in_csv_tsv_and_markdown() -> None:
    hostile = FIXTURES / "hostile.yaml"
    rows = list(csv.reader(io.StringIO(_out("wdg", "csv", hostile))))
    assert rows[1][:2] == ["issue-cure", "cure"]
    assert rows[1][7] == "C1 control \\x9b31m and a bell \\x07"
    tsv = _out("wdg", "tsv", hostile)
    assert "\x9b" not in tsv
    assert "\x07" not in tsv
    markdown = _out("wdg", "markdown", hostile)
    assert "\x9b" not in markdown
    assert "\x07" not in markdown


def test_a_formula_in_an_issue_stays_text_in_csv(tmp_path: Path) -> None:
    text = (FIXTURES / "hostile.yaml").read_text(encoding="utf-8")
    data = tmp_path / "formula.yaml"
    data.write_text(text.replace('summary: "C1 control \\x9b31m and a bell \\a"',
                                 "summary: \"=HYPERLINK(\\\"http://evil\\\")\""), encoding="utf-8")
    rows = list(csv.reader(io.StringIO(_out("wdg", "csv", data))))
    assert rows[1][7] == "'=HYPERLINK(\"http://evil\")"


def test_output_files_of_issues(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    written = run("lupus", "issues", "-o", str(folder / "issues.markdown"), "--data", str(SHIPPED))
    assert (written.exit_code, written.stdout, written.stderr) == (0, "", "")
    assert (folder / "issues.markdown").read_text(encoding="utf-8") == _out("lupus", "markdown")
    refused = run("lupus", "issues", "-o", str(folder / "issues.html"), "--data", str(SHIPPED))
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert refused.stderr.startswith(f"error: --output {folder / 'issues.html'}: this command cannot write html; ")
    failed = run("lupus", "issues", "-o", str(folder / "missing" / "issues.csv"), "--data", str(SHIPPED))
    assert (failed.exit_code, failed.stdout) == (1, "")
    assert sorted(p.name for p in folder.iterdir()) == ["issues.markdown"]
