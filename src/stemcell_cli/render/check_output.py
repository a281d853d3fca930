"""Deliver a page check: warnings on stderr, then the result on stdout or, atomically, in a file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from stemcell_cli.errors import UsageProblem
from stemcell_cli.render import STDOUT_NAME, ColorMode
from stemcell_cli.render.check_format import CHECK_EXTENSIONS, CheckFormat, citation_stubs, render_check
from stemcell_cli.render.output import FILE_WIDTH, report, write_file, write_stdout
from stemcell_cli.render.terminal import encodes, settings

if TYPE_CHECKING:
    from stemcell_cli.evidence.check_records import CheckResult


def check_format(fmt: CheckFormat | None, output: str | None) -> CheckFormat:
    """Return the format asked for, else the output file's extension's, else the table."""
    named = None if output in (None, STDOUT_NAME) else CHECK_EXTENSIONS.get(Path(str(output)).suffix.lower())
    if fmt is not None and named is not None and fmt is not named:
        raise UsageProblem(f"--format {fmt.value} contradicts the extension of --output {output} "
                           f"(which means --format {named.value}); drop one of them")
    return fmt or named or CheckFormat.TABLE


def deliver_check(result: CheckResult, fmt: CheckFormat | None, *, output: str | None = None, force: bool = False,
                  color: ColorMode = ColorMode.AUTO, emit_yaml: str | None = None) -> None:
    """Render the check whole, then write it; the stubs of citations not on file go to their own file."""
    fmt = check_format(fmt, output)
    if result.warnings:
        report([f"warning: {line}" for line in result.warnings])
    if emit_yaml is not None:
        write_file(Path(emit_yaml), citation_stubs(result), force=force)
    if output is not None and output != STDOUT_NAME:
        write_file(Path(output), render_check(result, fmt, width=FILE_WIDTH), force=force)
        return
    if fmt is CheckFormat.TABLE:
        term = settings(color, sys.stdout)
        write_stdout(render_check(result, fmt, color=term.color, width=term.width, ascii_only=term.ascii_only))
        return
    text = render_check(result, fmt)
    if fmt is CheckFormat.JSON and not encodes(sys.stdout, text):
        # JSON's own \u escapes, so that what is read back is the page's text, not a visible escape of it.
        text = render_check(result, fmt, ascii_only=True)
    write_stdout(text)
