"""Start-up guards the benchmark judges beside the times: what each row imports, builds and freezes.

Each guard keeps a trick that makes a run faster from being undone quietly: the times would show the loss, these
show the cause. They run every row once in a fresh interpreter (not timed) and read the annotations in-process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rows import Row, signatures
from tests.app_commands import app_commands

from stemcell_cli.cli.direct import planned

# Runs one command line as the console script would, then reports what the run loaded, froze and built. With the
# spy on, typer is imported first to watch which commands Typer builds, so module reports come from runs without it.
CHILD = """
import sys
spy, entry, *args = sys.argv[1:]
built = []
if spy == "1":
    import typer.main
    real = typer.main.get_command
    def get_command(typer_instance):
        built.extend(c.name or c.callback.__name__ for c in typer_instance.registered_commands)
        return real(typer_instance)
    typer.main.get_command = get_command
module, function = entry.split(":")
sys.argv = ["stemcell", *args]
main = getattr(__import__(module, fromlist=[function]), function)
try:
    main()
    code = 0
except SystemExit as exc:
    code = exc.code or 0
sys.stdout.flush()
loaded = sorted({name.split(".")[0] for name in sys.modules})
import gc, json  # after the run, so that the run's own imports are what is reported
sys.stderr.write("\\nREPORT " + json.dumps({"code": code, "modules": loaded, "frozen": gc.get_freeze_count(),
                                           "built": built, "collecting": gc.isenabled()}) + "\\n")
"""
APP_ENTRY = "stemcell_cli.cli.app:main"
LIBRARIES = {"typer", "rich", "yaml", "msgspec", "pydantic"}
MACHINE = {"json", "csv", "markdown", "tsv"}
# Commands that speak to the parser itself, and so always import it.
PARSER_COMMANDS = {"help", "completion"}


@dataclass(frozen=True)
class Report:
    """What one run loaded (top-level packages), how many objects it froze, and the commands Typer built."""

    code: int
    modules: frozenset[str]
    frozen: int
    built: tuple[str, ...]
    collecting: bool  # whether the cyclic garbage collector was on when the run ended


def child(entry: str, args: list[str], env: dict[str, str], *, spy: bool = False) -> Report:
    """Run `stemcell ARGS` in a fresh interpreter through ENTRY; return its report."""
    done = subprocess.run([sys.executable, "-c", CHILD, "1" if spy else "0", entry, *args], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    if "\nREPORT " not in done.stderr:
        raise SystemExit(f"check run failed: stemcell {' '.join(args)}\n{done.stderr}")
    found: dict[str, Any] = json.loads(done.stderr.rsplit("\nREPORT ", 1)[1])
    return Report(found["code"], frozenset(found["modules"]), found["frozen"], tuple(found["built"]),
                  found["collecting"])


@dataclass
class Check:
    """One guard: its statement and the rows (or things) that break it."""

    statement: str
    failures: list[str]

    @property
    def verdict(self) -> str:
        """Return PASS, or FAIL with what broke it."""
        return "PASS" if not self.failures else "FAIL: " + "; ".join(self.failures)


def _rows_where(statement: str, reports: dict[Row, Report], applies: Callable[[Row], bool],
                broken: Callable[[Row, Report], object]) -> Check:
    """Return a check over the rows it applies to; `broken` returns what is wrong with a report, falsy if nothing."""
    failures = []
    for row, report in reports.items():
        if applies(row) and (wrong := broken(row, report)):
            failures.append(f"`{row.label}`: {wrong}")
    return Check(statement, failures)


def _string_annotations() -> list[str]:
    """Return each command function and record whose annotations hold strings rather than types."""
    import msgspec

    from stemcell_cli import model
    from stemcell_cli.evidence import results
    from stemcell_cli.loading import cache
    from stemcell_cli.render import payloads

    found = []
    for path, function in signatures():
        annotations = function.__annotations__
        if not annotations or any(isinstance(a, str) for a in annotations.values()):
            found.append(f"`{path}` ({function.__name__})")
    records = [value for module in (model, results, cache, payloads) for value in vars(module).values()
               if isinstance(value, type) and issubclass(value, msgspec.Struct) and value.__module__ == module.__name__]
    found += [record.__name__ for record in records
              if any(isinstance(a, str) for a in record.__annotations__.values())]
    return found if len(records) > 30 else [*found, f"only {len(records)} records found"]


def run_checks(rows: list[Row], entry: str, env: dict[str, str], data: Path) -> list[Check]:
    """Run every row once without timing and return each guard with its failures."""
    reports = {row: child(entry, row.argv(data), env) for row in rows}  # the cache is warm from the timed rounds
    checks = [
        _rows_where("every row exits as it should (0; 1 for a strict validation of data with warnings)", reports,
                    lambda r: True, lambda r, rep: rep.code != r.exit and f"exit {rep.code}"),
        _rows_where("no run imports pydantic (Typer converts some types with it: about 25 ms)", reports,
                    lambda r: True, lambda _r, rep: "pydantic" in rep.modules and "pydantic"),
        _rows_where("no run imports hashlib (it loads OpenSSL, ~3 ms; the cache key uses the interpreter's BLAKE2)",
                    reports, lambda r: True, lambda _r, rep: "hashlib" in rep.modules and "hashlib"),
        _rows_where("no run imports tempfile (with shutil and random, ~3 ms; an output's temporary file is made with "
                    "os.open)",
                    reports, lambda r: True, lambda _r, rep: "tempfile" in rep.modules and "tempfile"),
        _rows_where("no run imports the json module (msgspec writes JSON; json costs ~2 ms)", reports,
                    lambda r: True, lambda _r, rep: "json" in rep.modules and "json"),
        _rows_where("every row but help and completion runs without importing typer (a plain command line runs "
                    "straight from the declared commands; typer is about 40% of a run)", reports,
                    lambda r: r.command.name not in PARSER_COMMANDS,
                    lambda _r, rep: "typer" in rep.modules and "typer"),
        _rows_where("machine formats never import rich", reports, lambda r: r.fmt in MACHINE,
                    lambda _r, rep: "rich" in rep.modules and "rich"),
        _rows_where("a warm cache spares yaml", reports, lambda r: r.command.has("data"),
                    lambda _r, rep: "yaml" in rep.modules and "yaml"),
        _rows_where("the console run pauses the cyclic garbage collector (its passes over the imports' objects, ~5 ms)",
                    reports, lambda r: True, lambda _r, rep: rep.collecting and "collector on"),
        _rows_where("the console entry freezes what exists before shutdown (gc.freeze, ~15 ms)", reports,
                    lambda r: True, lambda _r, rep: rep.frozen <= 10_000 and f"{rep.frozen} frozen"),
    ]
    names = {command.name for command in app_commands()}
    one_each = {row.command.words: row for row in reversed(rows)}
    built = []
    for row in one_each.values():
        report = child(entry, row.argv(data), env, spy=True)
        # A plain line runs without the parser, which builds nothing then.
        expected = {word for word in row.args if word in names} if planned(row.argv(data)) is None else set()
        if set(report.built) != expected:
            built.append(f"`{row.label}` built {sorted(report.built)}")
    checks.append(Check("a run builds only the command it runs (building each costs its signature's reading)", built))
    alone = child(entry, ["--version"], env).modules & LIBRARIES
    checks.append(Check("`stemcell --version` imports none of the libraries",
                        [f"imports {sorted(alone)}"] * bool(alone)))
    app = child(APP_ENTRY, ["--version"], env).modules & {"rich", "yaml", "pydantic"}
    checks.append(Check("`--version` through the app imports neither rich nor yaml nor pydantic",
                        [f"imports {sorted(app)}"] * bool(app)))
    checks.append(Check("command signatures and records hold real annotations, not strings (each string is "
                        "compiled and evaluated on every run)", _string_annotations()))
    return checks


def print_checks(checks: list[Check]) -> bool:
    """Print the guards as a table; return whether all pass."""
    print("\n| Start-up check | Result |")
    print("|---|---|")
    for check in checks:
        print(f"| {check.statement} | {check.verdict} |")
    return all(not check.failures for check in checks)

