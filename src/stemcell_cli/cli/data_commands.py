"""Commands on the data as a whole: conditions, validate, schema."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from stemcell_cli.cli.boundary import report
from stemcell_cli.cli.options import ColorOpt, DataOpt, ForceOpt, FormatOpt, NoCacheOpt, OutputOpt
from stemcell_cli.cli.output import deliver, write_file, write_stdout
from stemcell_cli.errors import ExitCode, Severity, count_line
from stemcell_cli.evidence import synthesis
from stemcell_cli.loading import load, validate_file
from stemcell_cli.loading.schema import json_schema
from stemcell_cli.render import ColorMode, OutputFormat


class ReportFormat(str, Enum):
    """How `validate` reports problems."""

    TEXT = "text"
    JSON = "json"


def conditions(
    fmt: FormatOpt = OutputFormat.TABLE,
    data: DataOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = ColorMode.AUTO,
    no_cache: NoCacheOpt = False,
) -> None:
    """List the conditions in the data, with their aliases and how many studies, claims and trials each has.

    Example: stemcell conditions --format json
    """
    dataset = load(data, use_cache=not no_cache).dataset
    deliver(synthesis.conditions(dataset), fmt, output=output, force=force, color=color)


def validate(
    path: Annotated[Path | None, typer.Argument(help="Data file to check (default: the one the other commands "
                                                     "read).", show_default=False)] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", case_sensitive=False,
                                              help="text: problems on stderr; json: records on stdout.")]
    = ReportFormat.TEXT,
    strict: Annotated[bool, typer.Option("--strict", help="Count warnings as errors.")] = False,
) -> None:
    """Check a data file and list every problem, location first; exit 0 clean, 1 with errors, 2 usage.

    Example: stemcell validate data/studies.yaml --format json
    """
    label, problems = validate_file(path)
    errors = sum(p.severity is Severity.ERROR or strict for p in problems)
    if fmt is ReportFormat.JSON:
        records = [{"file": p.file, "line": p.line, "column": p.column, "path": p.path,
                    "severity": p.severity.value, "message": p.message} for p in problems]
        write_stdout(json.dumps({"schema": "stemcell-cli/validation", "version": 1, "file": label,
                                 "errors": errors, "warnings": len(problems) - errors, "problems": records},
                                indent=2, ensure_ascii=False) + "\n")
    else:
        report([p.located() for p in problems] + [f"{label}: " + count_line(errors, len(problems) - errors)])
    if errors:
        raise typer.Exit(int(ExitCode.DATA))


def schema(output: OutputOpt = None, force: ForceOpt = False) -> None:
    """Print the JSON Schema of the data file, for editors that validate and complete YAML.

    Example: stemcell schema -o schema/studies.schema.json --force
    """
    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        write_stdout(text)
    else:
        write_file(output, text, force=force)


def register(app: typer.Typer) -> None:
    """Add the data-wide commands to the root app."""
    app.command()(conditions)
    app.command()(validate)
    app.command()(schema)
