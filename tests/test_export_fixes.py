"""Regression tests of the exports that lost or broke data (issue 18, item 7), each on the shipped data."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from stemcell_cli.evidence.lookup import claims_of
from stemcell_cli.loading import load

from .conftest import SHIPPED, run
from .reliability.helpers import subprocess_env

DATA = load(SHIPPED, use_cache=False).dataset
CONDITIONS = [c.id for c in DATA.conditions]


def _claim_ids(condition: str) -> list[str]:
    return [c.id for c in claims_of(DATA, next(c for c in DATA.conditions if c.id == condition))]


def _out(*args: str, data: Path = SHIPPED) -> str:
    result = run(*args, "--data", str(data))
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("condition", CONDITIONS)
@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_every_claim_has_a_row_in_claims_and_summary_csv_and_tsv(condition: str, fmt: str) -> None:
    def first_cells(text: str) -> list[str]:
        if fmt == "csv":
            return [row[0] for row in list(csv.reader(io.StringIO(text)))[1:]]
        return [line.split("\t")[0] for line in text.rstrip("\n").split("\n")[1:]]

    expected = _claim_ids(condition)
    assert list(dict.fromkeys(first_cells(_out(condition, "claims", "-f", fmt)))) == expected
    assert first_cells(_out(condition, "summary", "-f", fmt)) == ["", *expected]


def test_the_summary_csv_starts_with_the_bottom_line() -> None:
    bottom = " ".join(json.loads(_out("lupus", "summary", "-f", "json"))["bottom_line"])
    rows = list(csv.reader(io.StringIO(_out("lupus", "summary", "-f", "csv"))))
    assert rows[1] == ["", "bottom_line", "", "", "", "", "", "", bottom, ""]


def test_a_summary_redirected_to_a_file_keeps_its_bottom_line(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    with report.open("wb") as stdout:
        done = subprocess.run([sys.executable, "-m", "stemcell_cli", "lupus", "summary"], stdout=stdout,
                              stderr=subprocess.PIPE, env=subprocess_env(), timeout=120, check=False)
    assert (done.returncode, done.stderr) == (0, b"")
    lines = report.read_text(encoding="utf-8").split("\n")
    assert lines[1].split("\t")[1:2] == ["bottom_line"]
    assert ("Of the 11 page claims, 9 are very uncertain (the evidence is too weak to tell) and 2 cannot be "
            "checked") in lines[1]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_explain_reaches_csv_and_tsv(fmt: str) -> None:
    data = Path(__file__).parent / "fixtures" / "outcome_condition.yaml"
    plain = _out("gdg", "claims", "-f", fmt, data=data)
    explained = _out("gdg", "claims", "--explain", "-f", fmt, data=data)
    separator = "," if fmt == "csv" else "\t"
    assert explained.split("\n")[0] == plain.split("\n")[0] + separator + "explanation"
    rows = list(csv.reader(io.StringIO(explained), delimiter=separator))
    pain = next(row for row in rows if row[0] == "pain")
    # The same lines as the Markdown's table of how the verdict was reached, one outcome each.
    assert pain[-1] == (
        "Pain response: RR 1.32 (0.09 to 18.54); Pain response: stem-cell therapy vs placebo or sham, 6 months; "
        "high; imprecision -2, publication bias -1 → very low; very uncertain (uncertain) | Pain score: MD -1.10 "
        "(-1.91 to -0.29); Pain score: stem-cell therapy vs placebo or sham, 6 months; high; imprecision -1, "
        "publication bias -1 → low; supported (benefit)")


def test_explain_reaches_markdown() -> None:
    plain = _out("lupus", "claims", "-f", "markdown")
    explained = _out("lupus", "claims", "--explain", "-f", "markdown")
    assert "How the verdict was reached" not in plain
    assert explained.count("### How the verdict was reached") == len(_claim_ids("lupus"))


def test_proportions_are_on_one_scale_as_sources_print_them() -> None:
    payload = json.loads(_out("lupus", "effects", "-f", "json"))
    shares = [(item["study"]["id"], item["effect"]) for group in payload["outcomes"] for item in group["effects"]
              if item["effect"] and item["effect"]["measure"] == "PR"]
    computed = [effect for _study, effect in shares if effect["source"] == "arms"]
    reported = [(study, effect["estimate"]) for study, effect in shares if effect["source"] == "reported"]
    assert computed
    for effect in computed:
        assert effect["estimate"] == pytest.approx(100 * effect["events"] / effect["total"])
        assert 0 <= effect["ci_low"] <= effect["estimate"] <= effect["ci_high"] <= 100
        assert effect["yi"] == pytest.approx(effect["events"] / effect["total"])  # escalc's PR stays a fraction
    assert ("wang2018", pytest.approx(100 * 22 / 81)) in [(s, e["estimate"]) for s, e in shares]
    assert ("xia2023", 28.1) in reported


@pytest.mark.parametrize(("name", "fmt"), [("lupus.markdown", "markdown"), ("lupus.md", "markdown"),
                                           ("lupus.txt", "table"), ("lupus.json", "json"), ("lupus.tsv", "tsv")])
def test_a_known_extension_gives_its_format(tmp_path: Path, name: str, fmt: str) -> None:
    out = tmp_path / "out" / name
    out.parent.mkdir()
    result = run("lupus", "summary", "-o", str(out), "--data", str(SHIPPED))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    width = {"COLUMNS": "100"}
    assert out.read_text(encoding="utf-8") == run("lupus", "summary", "-f", fmt, "--data", str(SHIPPED),
                                                  env=width).stdout


@pytest.mark.parametrize(("name", "message"), [
    ("lupus.html", "error: --output {out}: this command cannot write html; its formats are table (.txt), json "
                   "(.json), csv (.csv), markdown (.md, .markdown), tsv (.tsv)\n"),
    ("lupus.xlsx", "error: --output {out}: the extension .xlsx names no format; use one of table (.txt), json "
                   "(.json), csv (.csv), markdown (.md, .markdown), tsv (.tsv), or name the format with --format\n"),
    ("lupus.bib", "error: --output {out}: this command cannot write bibtex; its formats are table (.txt), json "
                  "(.json), csv (.csv), markdown (.md, .markdown), tsv (.tsv)\n"),
])
def test_an_extension_the_command_cannot_write_is_a_usage_error_and_no_file(tmp_path: Path, name: str,
                                                                            message: str) -> None:
    out = tmp_path / "out" / name
    out.parent.mkdir()
    result = run("lupus", "summary", "-o", str(out), "--data", str(SHIPPED))
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message.format(out=out))
    assert list(out.parent.iterdir()) == []


def test_an_unknown_extension_with_a_format_writes_that_format(tmp_path: Path) -> None:
    out = tmp_path / "lupus.data"
    result = run("lupus", "studies", "-f", "csv", "-o", str(out), "--data", str(SHIPPED))
    assert (result.exit_code, result.stderr) == (0, "")
    assert out.read_text(encoding="utf-8") == _out("lupus", "studies", "-f", "csv")


def test_a_file_without_extension_still_gets_the_table(tmp_path: Path) -> None:
    out = tmp_path / "lupus"
    result = run("lupus", "studies", "-o", str(out), "--data", str(SHIPPED))
    assert (result.exit_code, result.stderr) == (0, "")
    assert out.read_text(encoding="utf-8") == run("lupus", "studies", "-f", "table", "--data", str(SHIPPED),
                                                  env={"COLUMNS": "100"}).stdout
