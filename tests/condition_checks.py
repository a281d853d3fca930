"""What each condition's curation tests ask of the shipped data, written once: its studies, its fact sheet, the
values pinned to their sources, and its verdicts, Summary of Findings rows and warnings through the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from stemcell_cli.model import Dataset, Study

from .conftest import ROOT, run

EVIDENCE = ROOT.parent / "shared" / "evidence"

# (outcome, comparison, time point): a Summary of Findings row's key.
RowKey = tuple[str, str, str]


def studies_of(data: Dataset, condition: str) -> dict[str, Study]:
    """Return a condition's studies by id."""
    return {s.id: s for s in data.studies if s.condition == condition}


def shared_sheet(name: str) -> tuple[Path, pytest.MarkDecorator]:
    """Return a shared evidence file's path and the mark that skips a test when the folder is not beside the repo."""
    path = EVIDENCE / name
    return path, pytest.mark.skipif(not path.is_file(), reason="the shared evidence folder is not beside the repo")


def fact_sheet(path: Path) -> dict[str, Any]:
    """Return a curators' fact sheet as its YAML reads."""
    with path.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.load(handle, Loader=yaml.SafeLoader)
    return loaded


def assert_pinned(study: Study, field: str, expected: tuple[Any, str]) -> None:
    """Assert that a study's field holds the recorded value and that its sources include the given URL."""
    fact = getattr(study, field)
    assert (fact.value, expected[1] in fact.src) == (expected[0], True), f"{study.id}.{field}"


def assert_null_with_note(study: Study, field: str) -> None:
    """Assert that a value the fact sheet leaves unverified is null here, with a note saying so."""
    fact = getattr(study, field)
    assert (fact.value, bool(fact.note)) == (None, True), f"{study.id}.{field}"


def compared_with_sheet(studies: Mapping[str, Study], sheet: dict[str, Any], sheet_ids: Mapping[str, str],
                        fields: Iterable[str]) -> int:
    """Assert that every field the data and the sheet both hold is equal; return how many were compared."""
    recorded = {s["id"]: s["fields"] for s in sheet["studies"]}
    compared = 0
    for ours, theirs in sheet_ids.items():
        for field in fields:
            value = getattr(studies[ours], field).value
            if value is None or field not in recorded[theirs]:
                continue
            assert str(value) == str(recorded[theirs][field]["value"]), f"{ours}.{field}"
            compared += 1
    return compared


def command_json(*args: str) -> dict[str, Any]:
    """Return a command's JSON document, the command having succeeded."""
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def verdicts(condition: str) -> dict[str, tuple[str, str | None, str | None]]:
    """Return each claim's (verdict, effect, certainty) as `claims --format json` gives them."""
    return {c["id"]: (c["verdict"], c["effect"], c["certainty"]) for c in command_json(condition, "claims")["claims"]}


def sof_rows(sof: dict[str, Any], *, critical_only: bool = False,
             importance: bool = False) -> dict[RowKey, tuple[Any, ...]]:
    """Return a Summary of Findings' rows: ([importance,] participants, studies, certainty, effect, estimate), the
    estimate as (measure, estimate, CI low, CI high) to 2 decimals, or None."""
    rows: dict[RowKey, tuple[Any, ...]] = {}
    for row in sof["outcomes"]:
        if critical_only and row["importance"] != "critical":
            continue
        relative = row["relative"]
        estimate = None if relative is None else (relative["measure"], round(relative["estimate"], 2),
                                                  round(relative["ci_low"], 2), round(relative["ci_high"], 2))
        shown = (row["participants"], row["studies"], row["certainty"], row["effect"], estimate)
        rows[(row["outcome"], row["comparison"], row["timepoint"])] = (row["importance"], *shown) if importance \
            else shown
    return rows


def summary_lines(condition: str, columns: int = 80) -> list[str]:
    """Return the lines of a condition's summary drawn on a terminal of the given width."""
    width = str(columns)
    return run(condition, "summary", env={"COLUMNS": width, "STEMCELL_FORCE_TTY": width}).stdout.splitlines()


def validate_warnings(claim_prefix: str) -> list[str]:
    """Return the shipped data's validation warnings about the claims whose ids start with the prefix."""
    result = run("validate")
    assert result.exit_code == 0, result.stderr
    return [line.split("warning: ")[1] for line in result.stderr.splitlines() if f"'{claim_prefix}" in line]
