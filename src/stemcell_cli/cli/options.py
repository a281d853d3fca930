"""Options shared by the commands, as Annotated types."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stemcell_cli.render import ColorMode, OutputFormat


def example(command: str) -> str:
    """Return a help epilog showing one example command line."""
    # "\b" keeps click from re-wrapping the example into a second line.
    return f"\b\nExample: stemcell {command}"


FORMAT_HELP = ("Output format: table for people; json, csv or markdown for scripts and reports (default: from the "
               "--output file's extension .json, .csv or .md, else table).")

FormatOpt = Annotated[OutputFormat | None, typer.Option("--format", "-f", case_sensitive=False, help=FORMAT_HELP,
                                                        show_default=False)]
DataOpt = Annotated[
    Path | None,
    typer.Option("--data", help="Data file to read instead of the shipped one (also: STEMCELL_DATA).",
                 dir_okay=True, exists=False, show_default=False),
]
# A string, not a Path: Path("./-") is Path("-"), and only a bare `-` means standard output.
OutputOpt = Annotated[
    str | None,
    typer.Option("--output", "-o", help="Write to this file (atomically) instead of standard output.",
                 show_default=False),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Let --output replace an existing file.")]
ColorOpt = Annotated[ColorMode, typer.Option("--color", case_sensitive=False,
                                             help="Colour in tables: auto follows NO_COLOR, FORCE_COLOR, TERM.")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Do not read or write the parse cache.")]
NoPagerOpt = Annotated[bool, typer.Option("--no-pager", help="On a terminal, print straight out instead of through "
                                                            "$PAGER (else less -FRX); piped output is never paged.")]
