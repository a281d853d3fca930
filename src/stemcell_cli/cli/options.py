"""Options shared by the commands: their declarations, and the one value a command receives."""

from __future__ import annotations

import inspect
from enum import Enum
from typing import Annotated, Any, NamedTuple

from stemcell_cli.cli.invocation import Invocation
from stemcell_cli.cli.spec import Opt
from stemcell_cli.render import EXTENSIONS, CiteFormat, ColorMode, DocumentFormat, RecordFormat


def example(command: str) -> str:
    """Return a help epilog showing one example command line."""
    # "\b" keeps click from re-wrapping the example into a second line.
    return f"\b\nExample: stemcell {command}"


FORMAT_HELP = ("Output format: table for people; json, csv, markdown or tsv for scripts and reports (default: from "
               "the --output file's extension .json, .csv, .tsv, .md or .markdown, .txt for the table; else table on "
               "a terminal and tsv in a pipe).")

FormatOpt = Annotated[RecordFormat | None, Opt("--format", "-f", case_sensitive=False, help=FORMAT_HELP,
                                                        show_default=False)]
# A string, not a Path: Path("./-") is Path("-"), and only a bare `-` means standard input.
DataOpt = Annotated[
    str | None,
    Opt("--data", metavar="FILE", help="Data file to read instead of the shipped one, - for standard input "
                                                "(also: STEMCELL_DATA).", show_default=False),
]
# A string, not a Path: Path("./-") is Path("-"), and only a bare `-` means standard output.
OutputOpt = Annotated[
    str | None,
    Opt("--output", "-o", metavar="FILE", help="Write to this file (atomically) instead of standard output.",
                 show_default=False),
]
ForceOpt = Annotated[bool, Opt("--force", help="Let --output replace an existing file.")]
ColorOpt = Annotated[ColorMode, Opt("--color", case_sensitive=False,
                                             help="Colour in tables: auto follows NO_COLOR, FORCE_COLOR, TERM.")]
NoCacheOpt = Annotated[bool, Opt("--no-cache", help="Do not read or write the parse cache.")]
QuietOpt = Annotated[bool, Opt("--quiet", "-q", help="Print no warnings on stderr (errors still are).")]
NoPagerOpt = Annotated[bool, Opt("--no-pager", help="On a terminal, print straight out instead of through "
                                                            "$PAGER (else less -FRX); piped output is never paged.")]


class Shared(NamedTuple):
    """The options of every command that shows a result, as one value."""

    # The command's own choices: values of OutputFormat, or for cite the reference formats.
    fmt: RecordFormat | DocumentFormat | CiteFormat | None = None
    data: str | None = None
    output: str | None = None
    force: bool = False
    color: ColorMode = ColorMode.AUTO
    no_cache: bool = False
    quiet: bool = False
    no_pager: bool = False

    def after(self, before: Invocation) -> Shared:
        """Return these options with those given before the condition filled in where these are unset."""
        return self._replace(
            data=self.data if self.data is not None else before.data,
            no_cache=self.no_cache or before.no_cache,
            color=self.color if self.color is not ColorMode.AUTO else before.color,
            quiet=self.quiet or before.quiet,
        )


def _declared(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    """Return one option as a keyword parameter of a command function."""
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)


# The same names as Shared's fields, so that the values Typer passes are the struct's arguments.
SHARED = (
    _declared("fmt", FormatOpt, None),
    _declared("data", DataOpt, None),
    _declared("output", OutputOpt, None),
    _declared("force", ForceOpt, False),
    _declared("color", ColorOpt, ColorMode.AUTO),
    _declared("no_cache", NoCacheOpt, False),
    _declared("quiet", QuietOpt, False),
)
PAGER = _declared("no_pager", NoPagerOpt, False)


def format_option(choices: type[Enum]) -> inspect.Parameter:
    """Return the --format option of a command with its own choices, the first being the default."""
    names = [str(choice.value) for choice in choices]
    extensions = ", ".join(suffix for name in names for suffix, known in EXTENSIONS.items() if name in known)
    help_text = (f"Output format: {' or '.join(names)} (default: from the --output file's extension {extensions}; "
                 f"else {names[0]}).")
    option = Opt("--format", "-f", case_sensitive=False, help=help_text, show_default=False)
    annotation = Annotated[choices | None, option]  # type: ignore[valid-type]
    return _declared("fmt", annotation, None)
