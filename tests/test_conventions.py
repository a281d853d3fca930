"""Conventions of terminal tools: -V, the format from the output file's name, design names as on screen, licence."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from .conftest import ROOT, SHIPPED, run
from .reliability.helpers import run_process


def test_dash_capital_v_prints_the_version_in_a_real_process_and_through_the_app() -> None:
    from stemcell_cli import __version__

    done = run_process("-V")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"stemcell-cli {__version__}\n".encode(), b"")
    assert run("-V").stdout == f"stemcell-cli {__version__}\n"


@pytest.mark.parametrize(("name", "check"), [
    ("out.json", lambda text: json.loads(text)["schema"] == "stemcell-cli/studies"),
    ("out.CSV", lambda text: next(csv.reader(io.StringIO(text)))[0] == "id"),
    ("out.md", lambda text: text.startswith("# Systemic lupus erythematosus: 20 studies\n")),
    ("out.tsv", lambda text: text.split("\n", 1)[0].split("\t")[:2] == ["id", "citation"]),
    # At 100 columns the table keeps each DOI whole on a line of the study's first cell.
    ("out.txt", lambda text: text.startswith("Systemic lupus erythematosus: 20 studies\nStudies\n╭")
     and "\n│ 10.1136/annrheumdis-2017-211073 " in text),
])
def test_an_output_file_without_format_gets_the_format_its_extension_names(name: str, check: object,
                                                                          tmp_path: Path) -> None:
    target = tmp_path / name
    result = run("lupus", "studies", "-o", str(target), "--data", str(SHIPPED))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert check(target.read_text(encoding="utf-8"))  # type: ignore[operator]


def test_a_format_that_contradicts_the_extension_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = run("lupus", "studies", "-f", "json", "-o", str(target), "--data", str(SHIPPED))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"error: --format json contradicts the extension of --output {target} (which means "
                             "--format csv); drop one of them\n")
    assert not target.exists()
    agreeing = run("lupus", "studies", "-f", "csv", "-o", str(target), "--data", str(SHIPPED))
    assert agreeing.exit_code == 0


@pytest.mark.parametrize(("name", "expected"), [
    ("rct", ["deng2017"]), ("RCT", ["deng2017"]), ("randomised controlled trial", ["deng2017"]),
    ("Randomised-Controlled-Trial", ["deng2017"]), ("meta-analysis", ["liu2018", "zhou2020", "zeng2022", "scrt2025",
                                                                      "xia2023"]),
    ("single-arm", ["liang2010", "gu2014", "wang2014", "bai2017", "kamen2022", "ranjbar2022", "farge2025"]),
    ("Case_Series", ["carrion2010", "barbado2018"]), ("case series", ["carrion2010", "barbado2018"]),
])
def test_design_accepts_the_codes_and_the_names_the_screens_use(name: str, expected: list[str]) -> None:
    result = run("lupus", "studies", "--design", name, "-f", "csv", "--data", str(SHIPPED))
    assert result.exit_code == 0, result.stderr
    assert [row[0] for row in csv.reader(io.StringIO(result.stdout))][1:] == expected


def test_an_unknown_design_lists_the_codes_and_the_screen_names() -> None:
    result = run("lupus", "studies", "--design", "sideways", "--data", str(SHIPPED))
    assert result.exit_code == 2
    assert "'sideways' is not one of 'randomised_controlled_trial'," in result.stderr
    assert "(or their names on screen, e.g. 'rct', 'meta-analysis', 'single-arm')" in " ".join(result.stderr.split())


def test_the_licence_is_mit_and_ships_in_the_sdist() -> None:
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'license = "MIT"' in pyproject
    assert '"LICENSE"' in pyproject.split("[tool.hatch.build.targets.sdist]", 1)[1].split("\n[", 1)[0]


def test_help_prints_the_help_of_stemcell_or_of_one_command() -> None:
    assert run("help").stdout == run("--help").stdout
    summary = run("help", "summary").stdout
    assert summary.startswith("Usage: stemcell CONDITION summary [OPTIONS]\n")
    assert summary.split("\n", 1)[1] == run("lupus", "summary", "--help").stdout.split("\n", 1)[1]
    assert run("help", "validate").stdout == run("validate", "--help").stdout
    typo = run("help", "sumary")
    assert (typo.exit_code, typo.stdout) == (2, "")
    assert typo.stderr.startswith("error: no command 'sumary'; did you mean 'summary'? (commands: conditions, ")
