"""The benchmark times every command of the app in every format, and each command's options (nothing is timed)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest

from stemcell_cli.render import CiteFormat, OutputFormat

from .app_commands import CONDITION, app_commands

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
SHARED = {"--format", "--data", "--output", "--force", "--color", "--no-cache", "--quiet", "--no-pager"}


@pytest.fixture(scope="module")
def bench_rows() -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return importlib.import_module("rows")
    finally:
        sys.path.remove(str(BENCHMARKS))


def _lines(bench_rows: ModuleType) -> list[list[str]]:
    return [list(row.args) for row in bench_rows.rows()]


def _runs(line: list[str], words: tuple[str, ...]) -> bool:
    return len(line) >= len(words) and all(w == a or (w == CONDITION and not a.startswith("-"))
                                           for w, a in zip(words, line, strict=False))


def test_every_command_of_the_app_has_a_row_in_every_format(bench_rows: ModuleType) -> None:
    lines = _lines(bench_rows)
    commands = app_commands()
    assert len(commands) >= 13
    for command in commands:
        words = " ".join(command.words)
        mine = [line for line in lines if _runs(line, command.words)]
        assert mine, f"no benchmark row runs {words}"
        for fmt in command.formats():
            assert any(line[-2:] == ["--format", fmt] for line in mine), f"{words} --format {fmt}"


def test_every_output_format_is_timed_for_a_condition_command(bench_rows: ModuleType) -> None:
    formats = {row.fmt for row in bench_rows.rows() if row.command.on_condition}
    assert formats == {fmt.value for fmt in OutputFormat} | {fmt.value for fmt in CiteFormat}


def test_every_option_of_every_command_has_a_row(bench_rows: ModuleType) -> None:
    lines = _lines(bench_rows)
    for command in app_commands():
        for param in command.params:
            if param.param_type_name != "option" or SHARED & set(param.opts):
                continue
            assert any(_runs(line, command.words) and param.opts[0] in line for line in lines), \
                f"{' '.join(command.words)} {param.opts[0]}"


def test_the_rows_hold_one_option_of_each_type(bench_rows: ModuleType) -> None:
    rows = bench_rows.rows()
    kinds = {row.option.split("(")[1].rstrip(")") for row in rows if row.option}
    assert {"choice", "int", "string", "flag"} <= kinds
    assert all("--data" in row.args for row in rows if row.command.has("data"))  # the path option, on every row


def test_a_table_is_held_to_its_target_and_a_machine_format_to_the_stricter_one(bench_rows: ModuleType) -> None:
    for row in bench_rows.rows():
        if row.command.name == "check":
            # The targets for checking a 100 KB page: 1.5 x F as a table, 1.0 x F as JSON (and the documents).
            assert row.target == (1.5 if row.fmt == "table" else 1.0), row.label
        elif row.command.name == "report":
            assert row.target == 1.5, row.label
        else:
            assert row.target == (1.25 if row.fmt in ("table", "text") else 0.9), row.label
    assert {row.fmt for row in bench_rows.rows() if row.command.name == "report"} == {"markdown", "html"}


def test_the_sample_values_name_records_of_the_generated_data(bench_rows: ModuleType, tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        generate = importlib.import_module("generate")
    finally:
        sys.path.remove(str(BENCHMARKS))
    text = generate.write_all(tmp_path, ((100, 1),))[100].read_text(encoding="utf-8")
    for name in ("study_id", "claim_id", "outcome", CONDITION):
        assert bench_rows.SAMPLES[bench_rows.DATASET][name] in text, name


def test_the_shipped_data_of_every_condition_is_timed_in_every_format(bench_rows: ModuleType) -> None:
    from stemcell_cli.api import load
    from stemcell_cli.evidence.lookup import claims_of

    dataset = load().dataset
    shipped = bench_rows.shipped_rows()
    assert all(row.shipped and "--data" not in row.args for row in shipped)
    lines = {row.args for row in shipped}
    for condition in dataset.conditions:  # from the data: a condition added to it gets its rows
        for command in app_commands():
            if not command.on_condition:
                continue
            words = [condition.id, *command.words[1:]]
            if command.name == "claim":
                words.append(claims_of(dataset, condition)[0].id)
            elif command.name == "study":
                words.append(next(s.id for s in dataset.studies if s.condition == condition.id))
            for fmt in command.formats():
                assert (*words, "--format", fmt) in lines, " ".join(words)
    conditions = next(command for command in app_commands() if command.name == "conditions")
    assert {row.fmt for row in shipped if row.args[0] == "conditions"} == set(conditions.formats())
    assert not any(row.args[0] in ("validate", "check") for row in shipped)
    generated = {(row.command.name, row.fmt): row.target for row in bench_rows.rows()}
    assert all(row.target == generated[row.command.name, row.fmt] for row in shipped)
    assert [row.described for row in shipped if row.args[:2] == ("lupus", "claims")][:2] == [
        "`stemcell lupus claims --format table` (shipped data)", "`stemcell lupus claims --format json` (shipped data)"]
