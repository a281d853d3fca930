"""Commands on the data as a whole: conditions, find, validate, schema, help, diff, completion, check."""

# No `from __future__ import annotations`: these signatures are read at every start, and string annotations would
# each be compiled and evaluated there (see benchmarks/checks.py).

from typing import Annotated, Any

from stemcell_cli.api import Evidence
from stemcell_cli.cli import check_command, completion_command, diff_command
from stemcell_cli.cli.declare import CommandDeclaration, command_function
from stemcell_cli.cli.invocation import Invocation
from stemcell_cli.cli.options import ForceOpt, OutputOpt, Shared, example
from stemcell_cli.cli.spec import Arg, CommandShelf, Opt
from stemcell_cli.errors import ExitCode, ValidationReport
from stemcell_cli.evidence.results import Result
from stemcell_cli.render import ReportFormat
from stemcell_cli.render.output import deliver_report, deliver_schema

SHELF = CommandShelf()


def conditions(evidence: Evidence) -> Result:
    """List the conditions in the data, with their aliases and how many studies, claims and trials each has."""
    return evidence.conditions()


def open_dataset(before: Invocation, options: Shared) -> tuple[Evidence]:
    """Load the whole dataset the options name."""
    from stemcell_cli.cli.dataset import open_data

    return (open_data(options.data, use_cache=not options.no_cache, condition=None, quiet=options.quiet),)


SHELF.command(epilog=example("conditions --format json"))(
    command_function(CommandDeclaration(conditions, example("conditions --format json")), open_dataset,
                     opener_supplies=1))


def find(
    evidence: Evidence,
    term: Annotated[str, Arg(metavar="TERM", help="A study id, DOI, PMID, PMCID or trial registry id, "
                                                             "e.g. 10.1136/annrheumdis-2017-211073 or NCT01539902.")],
) -> Result:
    """Find a study or registered trial in every condition by its id, DOI, PMID, PMCID or registry id."""
    return evidence.find(term)


SHELF.command(epilog=example("find NCT01539902"))(
    command_function(CommandDeclaration(find, example("find NCT01539902")), open_dataset, opener_supplies=1))


@SHELF.command(epilog=example("validate data/studies.yaml --format json"))
def validate(
    before: Invocation,
    # A string, not a Path: Path("./-") is Path("-"), and only a bare `-` means standard input.
    path: Annotated[str | None, Arg(metavar="FILE", help="Data file to check, - for standard input "
                                               "(default: the one the other commands read).", show_default=False)]
    = None,
    fmt: Annotated[ReportFormat, Opt("--format", "-f", case_sensitive=False,
                                              help="text: problems on stderr; json: records on stdout.")]
    = ReportFormat.TEXT,
    strict: Annotated[bool, Opt("--strict", help="Fail on warnings too.")] = False,
) -> int:
    """Check a data file and list every problem, location first; exit 0 clean, 1 with errors, 2 usage."""
    from stemcell_cli import __version__
    from stemcell_cli.cli.dataset import reading
    from stemcell_cli.loading import check_file
    from stemcell_cli.model import Provenance

    checked = check_file(path if path is not None else before.data, watch=reading)
    found = ValidationReport(checked.label, tuple(checked.problems), strict=strict)
    source = (checked.source,) if checked.source is not None else ()
    deliver_report(found, fmt, Provenance(version=__version__, data=source))
    return int(ExitCode.OK if found.passed else ExitCode.DATA)


@SHELF.command(epilog=example("schema -o schema/studies.schema.json --force"))
def schema(output: OutputOpt = None, force: ForceOpt = False) -> None:
    """Print the JSON Schema of the data file, for editors that validate and complete YAML."""
    from stemcell_cli.loading.schema import json_schema

    deliver_schema(json_schema(), output=output, force=force)


@SHELF.command(epilog=example("help summary"), direct=False)
def help(
    ctx: Any,
    command: Annotated[str | None, Arg(metavar="COMMAND", help="A command, e.g. summary or validate "
                                                  "(default: all).", show_default=False)] = None,
) -> None:
    """Show the help of stemcell or of one command, the same as COMMAND --help."""
    from stemcell_cli.cli.condition_commands import SHELF as CONDITION_SHELF
    from stemcell_cli.errors import UsageProblem
    from stemcell_cli.names import COMMAND_WORDS, did_you_mean

    known = [*COMMAND_WORDS, *CONDITION_SHELF.commands]
    if command is not None and command not in known:
        raise UsageProblem(f"no command {command!r}{did_you_mean(command, known)} (commands: {', '.join(known)})")
    words = [] if command is None else [command]
    if command in CONDITION_SHELF.commands:
        words = ["CONDITION", command]
    # The root command is reached through the context: importing the app here would make the two modules a cycle.
    ctx.find_root().command.main(args=[*words, "--help"], prog_name="stemcell")


SHELF.command(epilog=diff_command.EPILOG)(diff_command.diff)
SHELF.command(epilog=completion_command.EPILOG, direct=False)(completion_command.completion)
SHELF.command(epilog=check_command.EPILOG)(check_command.check)
