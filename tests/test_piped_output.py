"""Piped output without --format is TSV, one record per line after a header (gh's convention); --format tsv too."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from stemcell_cli.evidence.lookup import claims_of, studies_of
from stemcell_cli.loading import load
from stemcell_cli.render.records import STUDY_COLUMNS
from stemcell_cli.render.tsv_format import to_tsv

from .app_commands import condition_commands
from .conftest import OTHER, SHIPPED, other_warnings, run
from .reliability.helpers import subprocess_env

DATA = load(SHIPPED, use_cache=False).dataset
CONDITIONS = [c.id for c in DATA.conditions]
DOI = "10.1136/annrheumdis-2017-211073"
BOX = re.compile("[\u2500-\u257f]")
PIPED: dict[str, str | None] = {"STEMCELL_FORCE_TTY": None}


def _arguments(condition_id: str, command: str) -> list[str]:
    """Return the command line of one command on one condition, with an id where it takes one."""
    condition = next(c for c in DATA.conditions if c.id == condition_id)
    if command == "study":
        return [command, studies_of(DATA, condition)[0].id]
    if command == "claim":
        return [command, claims_of(DATA, condition)[0].id]
    return [command]


def _records(text: str) -> list[list[str]]:
    """Return the TSV lines split into cells."""
    assert text.endswith("\n")
    return [line.split("\t") for line in text[:-1].split("\n")]


def test_a_real_pipe_into_grep_finds_the_doi_on_one_tab_separated_line() -> None:
    command = [sys.executable, "-m", "stemcell_cli", "lupus", "studies", "--data", str(SHIPPED)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, env=subprocess_env()) as producer:
        found = subprocess.run(["grep", "-F", DOI], stdin=producer.stdout, capture_output=True, timeout=60,
                               check=True)
        assert producer.stdout is not None
        producer.stdout.close()
    assert producer.returncode == 0
    lines = found.stdout.decode().splitlines()
    assert len(lines) == 1
    cells = lines[0].split("\t")
    assert (cells[0], cells[STUDY_COLUMNS.index("doi")]) == ("deng2017", DOI)


def test_piped_studies_are_a_header_and_one_record_per_study_without_a_frame() -> None:
    done = subprocess.run([sys.executable, "-m", "stemcell_cli", "lupus", "studies", "--data", str(SHIPPED)],
                          capture_output=True, env=subprocess_env(), timeout=60, check=True)
    assert done.stderr == b""
    text = done.stdout.decode()
    assert text.splitlines()[0] == "\t".join(STUDY_COLUMNS)
    assert not BOX.search(text)
    rows = _records(text)
    assert len(rows) == 1 + len(studies_of(DATA, DATA.conditions[0]))
    assert {len(row) for row in rows} == {len(STUDY_COLUMNS)}


def test_forcing_a_terminal_draws_the_table_into_a_pipe_at_the_width_given() -> None:
    base = [sys.executable, "-m", "stemcell_cli", "lupus", "summary", "--data", str(SHIPPED)]
    for value, width in (("1", 100), ("72", 72)):
        done = subprocess.run(base, capture_output=True, env=subprocess_env(STEMCELL_FORCE_TTY=value), timeout=60,
                              check=True)
        lines = done.stdout.decode().splitlines()
        assert lines[0] == "Systemic lupus erythematosus: what the curated evidence shows"
        assert BOX.search(done.stdout.decode())
        # Drawn at the width given: the paragraphs wrap between words a few columns short of it at most.
        assert width - 5 <= max(len(line) for line in lines) <= width
    for off in ("0", "false", ""):
        done = subprocess.run(base, capture_output=True, env=subprocess_env(STEMCELL_FORCE_TTY=off), timeout=60,
                              check=True)
        assert done.stdout.decode().startswith("claim_id\tkind\t")


# Every command that prints records (a report is a document: piped, it is its Markdown, tested in test_report.py;
# cite writes BibTeX into a pipe as onto a terminal, tested in test_cite.py).
@pytest.mark.parametrize("command", [command.name for command in condition_commands() if "tsv" in command.formats()])
@pytest.mark.parametrize("condition", CONDITIONS)
def test_every_command_pipes_tsv_for_every_condition(condition: str, command: str) -> None:
    args = [condition, *_arguments(condition, command), "--data", str(SHIPPED)]
    piped = run(*args, env=PIPED)
    assert (piped.exit_code, piped.stderr) == (0, "")
    as_csv = run(*args, "--format", "csv").stdout
    header = as_csv.split("\n", 1)[0]
    assert piped.stdout.split("\n", 1)[0] == header.replace(",", "\t")
    assert not BOX.search(piped.stdout)
    rows = _records(piped.stdout)
    assert len(rows) >= 1
    assert {len(row) for row in rows} == {header.count(",") + 1}
    assert run(*args, "--format", "tsv").stdout == piped.stdout  # explicit, on a terminal too
    assert run(*args, "-o", "-", env=PIPED).stdout == piped.stdout


def test_a_file_gets_tsv_by_its_extension_and_a_table_otherwise(tmp_path: Path) -> None:
    args = ["wdg", "studies", "--data", str(OTHER)]
    assert run(*args, "-o", str(tmp_path / "s.tsv"), env=PIPED).exit_code == 0
    assert (tmp_path / "s.tsv").read_text(encoding="utf-8") == run(*args, "-f", "tsv").stdout
    assert run(*args, "-o", str(tmp_path / "s.txt"), env=PIPED).exit_code == 0
    assert (tmp_path / "s.txt").read_text(encoding="utf-8") == run(*args, env={"COLUMNS": "100"}).stdout
    clash = run(*args, "-f", "csv", "-o", str(tmp_path / "t.tsv"))
    assert clash.exit_code == 2
    assert "contradicts the extension" in clash.stderr


def test_validate_and_schema_are_unchanged_in_a_pipe() -> None:
    for args in (["validate", str(SHIPPED)], ["validate", str(OTHER), "--format", "json"], ["schema"]):
        piped, shown = run(*args, env=PIPED), run(*args)
        assert (piped.exit_code, piped.stdout, piped.stderr) == (shown.exit_code, shown.stdout, shown.stderr)
    assert json.loads(run("schema", env=PIPED).stdout)["title"] == "stemcell-cli data file"
    assert run("validate", str(SHIPPED), env=PIPED).stdout == ""


def test_cells_cannot_break_a_record_nor_run_as_a_formula_nor_reach_the_terminal() -> None:
    rows: list[tuple[object, ...]] = [("=HYPERLINK(\"x\")", "+1+2", "-2+3", "@SUM(A1)"),
                                      ("a\tb", "c\nd", "e\r\nf", "back\\slash"),
                                      ("\x1b]52;c;aGk=\x07", "\u202eevil", "-0.5", -0.5),
                                      (None, "", 3, "ok = fine")]
    assert to_tsv(("w", "x", "y", "z"), rows) == (
        "w\tx\ty\tz\n"
        "'=HYPERLINK(\"x\")\t'+1+2\t'-2+3\t'@SUM(A1)\n"
        "a\\tb\tc\\nd\te\\r\\nf\tback\\\\slash\n"
        "\\x1b]52;c;aGk=\\x07\t\\u202eevil\t-0.5\t-0.5\n"
        "\t\t3\tok = fine\n")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The synthetic dataset with a study title made of a formula, a tab, line breaks, a backslash and an escape."""
    text = OTHER.read_text(encoding="utf-8").replace(
        'title: {value: "A trial of cells",', 'title: {value: "=1+1\\tcells\\nnext\\rline \\\\ \\e[2J",')
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_hostile_title_is_neutralised_in_a_real_pipe(hostile: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "stemcell_cli", "wdg", "studies", "--data", str(hostile)],
                          capture_output=True, env=subprocess_env(), timeout=60, check=True)
    assert done.stderr.decode() == other_warnings(hostile)
    rows = _records(done.stdout.decode())
    assert len(rows) == 4
    baker = next(row for row in rows if row[0] == "baker2002")
    assert baker[STUDY_COLUMNS.index("title")] == "'=1+1\\tcells\\nnext\\rline \\\\ \\x1b[2J"
    assert b"\x1b" not in done.stdout


@pytest.mark.parametrize(("title", "cell"), [
    ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"), ("\\tx", "'\\tx"),
    ("-0.5", "-0.5"), ("+12", "+12"), ("a=1", "a=1"),
])
def test_a_csv_cell_never_starts_a_formula(title: str, cell: str, tmp_path: Path) -> None:
    path = tmp_path / "formula.yaml"
    path.write_text(OTHER.read_text(encoding="utf-8").replace(
        'title: {value: "A trial of cells",', f'title: {{value: "{title}",'), encoding="utf-8")
    result = run("wdg", "studies", "-f", "csv", "--data", str(path))
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert next(row for row in rows if row["id"] == "baker2002")["title"] == cell.replace("\\t", "\t")
