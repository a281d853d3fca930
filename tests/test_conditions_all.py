"""Every command works for every shipped condition in every format, and each summary fits one screen (ring 3)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from stemcell_cli.evidence.lookup import claims_of, studies_of
from stemcell_cli.loading import load

from .app_commands import condition_commands
from .conftest import SHIPPED, run

DATA = load(SHIPPED, use_cache=False).dataset
CONDITIONS = [c.id for c in DATA.conditions]
FORMATS = ["table", "json", "csv", "markdown"]
PAGED = {"claims", "claim", "contrasts", "study", "trials", "effects", "issues"}


def _arguments(condition_id: str, command: str) -> list[str]:
    """Return the command line of one command on one condition, with an id where it takes one."""
    condition = next(c for c in DATA.conditions if c.id == condition_id)
    if command == "study":
        return [command, studies_of(DATA, condition)[0].id]
    if command == "claim":
        return [command, claims_of(DATA, condition)[0].id]
    return [command]


def test_the_data_has_its_conditions() -> None:
    assert CONDITIONS == ["lupus", "knee-osteoarthritis", "amyotrophic-lateral-sclerosis", "multiple-sclerosis",
                          "heart-failure", "type-1-diabetes", "parkinsons", "stroke", "crohns", "rheumatoid-arthritis"]


# Each command in each of the formats above that it writes (a report is Markdown or HTML, and is opened in a browser
# by tests/test_report_browser.py; cite's reference formats are read back in tests/test_cite.py).
CASES = [(command.name, fmt) for command in condition_commands() for fmt in command.formats() if fmt in FORMATS]


@pytest.mark.parametrize(("command", "fmt"), CASES, ids=lambda v: v)
@pytest.mark.parametrize("condition", CONDITIONS)
def test_every_command_works_for_every_condition_in_every_format(condition: str, command: str, fmt: str) -> None:
    pager = ["--no-pager"] if command in PAGED else []
    result = run(condition, *_arguments(condition, command), "--format", fmt, "--data", str(SHIPPED), *pager)
    assert (result.exit_code, result.stderr) == (0, "")
    if fmt == "json":
        assert json.loads(result.stdout)["schema"] == f"stemcell-cli/{command}"
    elif fmt == "csv":
        assert len(list(csv.reader(io.StringIO(result.stdout)))) >= 1
    else:
        assert result.stdout.strip()


@pytest.mark.parametrize("alias", ["knee-oa", "koa", "als", "ms", "hf", "heart-failure", "sle", "t1d", "pd",
                                   "parkinsons", "stroke", "crohns-disease", "ra"])
def test_each_alias_reaches_its_condition(alias: str) -> None:
    by_alias = run(alias, "summary", "--format", "json", "--data", str(SHIPPED))
    condition = json.loads(by_alias.stdout)["condition"]
    assert alias in (condition["id"], *condition["aliases"])


@pytest.mark.parametrize("condition", CONDITIONS)
def test_every_summary_fits_one_screen_at_100_columns(condition: str) -> None:
    lines = run(condition, "summary", "--data", str(SHIPPED), env={"COLUMNS": "100"}).stdout.splitlines()
    assert len(lines) <= 50
    assert max(len(line) for line in lines) <= 100
