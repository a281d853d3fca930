"""Each command imports only what it uses: machine formats never load rich, no run loads pydantic (subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import OTHER

SRC = Path(__file__).resolve().parents[1] / "src"
# Runs one command line in-process, as the console script would, then reports which modules it loaded.
CHILD = """
import sys
entry, *args = sys.argv[1:]
module, function = entry.split(":")
sys.argv = ["stemcell", *args]
main = getattr(__import__(module, fromlist=[function]), function)
try:
    main()
    code = 0
except SystemExit as exc:
    code = exc.code or 0
sys.stdout.flush()
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {"rich", "yaml", "pydantic", "typer", "msgspec", "json",
                                                         "hashlib"})
import gc, json  # after the run, so that the run's own imports are what is reported
sys.stderr.write("\\nLOADED " + json.dumps({"code": code, "modules": loaded, "frozen": gc.get_freeze_count()}) + "\\n")
"""
APP = "stemcell_cli.cli.app:main"
ENTRY = "stemcell_cli.cli.entry:main"
DATA = ["--data", str(OTHER)]


def child(*args: str, entry: str = APP) -> dict[str, Any]:
    """Run the command in a fresh interpreter as the console script would; return its exit code, modules, frozen."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", CHILD, entry, *args], capture_output=True, text=True, env=env,
                          check=True)
    report: dict[str, Any] = json.loads(done.stderr.rsplit("\nLOADED ", 1)[1])
    assert report["code"] == 0, done.stderr
    return report


def loaded(*args: str, entry: str = APP) -> set[str]:
    """Run the command in a fresh interpreter; return the top-level packages of interest it imported."""
    return {name.split(".")[0] for name in child(*args, entry=entry)["modules"]}


MACHINE_FORMATS = [
    ["wdg", "claims", "--format", "json", *DATA],
    ["wdg", "study", "able2001", "--format", "json", *DATA],
    ["conditions", "--format", "csv", *DATA],
    ["wdg", "summary", "--format", "markdown", *DATA],
    ["wdg", "trials", "--format", "csv", *DATA],
    ["wdg", "effects", "--format", "json", *DATA],
    ["validate", str(OTHER), "--format", "json"],
    # one option of each type: int, enum, string, path
    ["wdg", "studies", "--since", "2000", "--min-n", "1", "--format", "json", *DATA],
    ["wdg", "studies", "--design", "RANDOMISED_CONTROLLED_TRIAL", "--sort", "n", "--format", "csv", *DATA],
    ["wdg", "effects", "--outcome", "pain", "--method", "dl", "--format", "json", *DATA],
    ["wdg", "summary", "--output", "-", "--color", "never", "--format", "markdown", *DATA],
]


@pytest.mark.parametrize("args", MACHINE_FORMATS, ids=lambda a: " ".join(a[:5]))
def test_machine_formats_never_import_rich_pydantic_or_the_json_module(args: list[str]) -> None:
    modules = loaded(*args)
    assert "rich" not in modules
    assert "pydantic" not in modules
    assert "json" not in modules
    assert {"typer", "msgspec"} <= modules


def test_the_table_does_import_rich_and_not_the_json_module() -> None:
    modules = loaded("wdg", "summary", "--format", "table", *DATA)
    assert {"rich", "typer", "msgspec"} <= modules
    assert "json" not in modules
    assert "pydantic" not in modules


def test_an_int_option_on_a_table_does_not_import_pydantic() -> None:
    assert "pydantic" not in loaded("wdg", "studies", "--since", "2015", *DATA)


def test_a_warm_cache_spares_yaml_and_a_cold_one_does_not() -> None:
    args = ("wdg", "claims", "--format", "json", *DATA)
    assert "yaml" in loaded(*args)
    assert "yaml" not in loaded(*args)


def test_the_cache_key_is_computed_without_loading_openssl() -> None:
    # hashlib loads OpenSSL on import, about 3 ms of every run; the key uses the interpreter's own BLAKE2.
    assert "hashlib" not in loaded("wdg", "claims", "--format", "json", *DATA)


def test_the_version_alone_imports_none_of_the_libraries() -> None:
    assert loaded("--version", entry=ENTRY) == set()


def test_the_version_through_the_app_loads_neither_rich_nor_yaml_nor_pydantic() -> None:
    assert loaded("--version").isdisjoint({"rich", "yaml", "pydantic"})


def test_command_signatures_hold_real_annotations_not_strings() -> None:
    # Typer reads every command's signature at each start; string annotations would each be compiled and
    # evaluated there (twice), which cost several milliseconds of every run.
    from stemcell_cli.cli import app, condition_commands, data_commands

    commands = [app.root, data_commands.conditions, data_commands.validate, data_commands.schema,
                *(getattr(condition_commands, name) for name in ("summary", "claims", "contrasts", "studies",
                                                                 "study", "trials", "effects"))]
    for command in commands:
        assert command.__annotations__, command.__name__
        assert not any(isinstance(a, str) for a in command.__annotations__.values()), command.__name__


def test_records_msgspec_builds_codecs_for_hold_real_annotations_not_strings() -> None:
    # msgspec resolves a record's annotations when it first encodes or decodes it, on every run; strings would be
    # compiled and evaluated there.
    import msgspec

    from stemcell_cli import model
    from stemcell_cli.evidence import results
    from stemcell_cli.loading import cache

    records = [value for module in (model, results, cache) for value in vars(module).values()
               if isinstance(value, type) and issubclass(value, msgspec.Struct) and value.__module__ == module.__name__]
    assert len(records) > 30
    for record in records:
        assert not any(isinstance(a, str) for a in record.__annotations__.values()), record.__name__


def test_a_run_builds_only_the_command_it_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    # Typer reads a command's signature when it builds it; building all nine cost every run about 3 ms.
    import typer

    from stemcell_cli.cli import condition_commands, data_commands

    from .conftest import run_other

    names = {id(app): name for shelf in (condition_commands.SHELF, data_commands.SHELF)
             for name, app in shelf.apps.items()}
    built: list[str] = []
    real = typer.main.get_command

    def spy(app: typer.Typer) -> object:
        built.append(names[id(app)])
        return real(app)

    monkeypatch.setattr(typer.main, "get_command", spy)
    assert run_other("wdg", "claims", "--format", "json").exit_code == 0
    assert built == ["claims"]
    built.clear()
    assert run_other("conditions", "--format", "csv").exit_code == 0
    assert built == ["conditions"]


def test_the_console_entry_freezes_what_exists_before_the_interpreter_shuts_down() -> None:
    # Shutdown runs the cyclic garbage collector over every object of typer, rich and msgspec: about 15 ms of each
    # run, which frozen objects are spared.
    assert child("wdg", "claims", "--format", "json", *DATA, entry=ENTRY)["frozen"] > 10_000
    assert child("wdg", "claims", "--format", "json", *DATA)["frozen"] == 0
