"""`stemcell diff OLD NEW`: what changed between two data files, with diff's exit codes (0, 1 changed, 2 trouble)."""

# No `from __future__ import annotations`: this signature is read when the command runs.

from pathlib import Path
from typing import Annotated

from stemcell_cli.api import Evidence
from stemcell_cli.cli.declare import provenance_of
from stemcell_cli.cli.options import ColorOpt, ForceOpt, FormatOpt, NoCacheOpt, OutputOpt, example
from stemcell_cli.cli.spec import Arg
from stemcell_cli.errors import ExitCode
from stemcell_cli.render import ColorMode, OutputFormat

EPILOG = example("diff old.yaml data/studies.yaml --format markdown")


def diff(
    # Paths: a `-` is standard input, and `./-` cannot name a file called `-` here (use its full path).
    old: Annotated[Path, Arg(metavar="OLD", help="The earlier data file (- for standard input).",
                                        show_default=False)],
    new: Annotated[Path, Arg(metavar="NEW", help="The later data file (- for standard input).",
                                        show_default=False)],
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = ColorMode.AUTO,
    no_cache: NoCacheOpt = False,
) -> int:
    """Show what changed between two data files: studies added, removed and changed, and verdicts changed.

    Exit codes, as diff's: 0 nothing changed, 1 something changed, 2 trouble (a file cannot be read or is invalid,
    a bad option, an output file that cannot be written).
    """
    from stemcell_cli.cli.dataset import reading
    from stemcell_cli.errors import StemcellError, UsageProblem
    from stemcell_cli.loading import load
    from stemcell_cli.loading.source import is_stdin
    from stemcell_cli.render.output import deliver, report

    try:
        if is_stdin(old) and is_stdin(new):
            raise UsageProblem("OLD and NEW cannot both be standard input")
        before, after = (load(path, use_cache=not no_cache, watch=reading, argument=True) for path in (old, new))
        # Load warnings are not repeated here: a comparison is not a check of either file (`validate` lists them).
        old_data, new_data = Evidence(before.dataset, before.provenance), Evidence(after.dataset, after.provenance)
        found = old_data.diff(new_data, old_label=before.label, new_label=after.label)
        # JSON and Markdown name both files, the old first.
        deliver(found, OutputFormat(fmt.value) if fmt is not None else None, output=output, force=force, color=color,
                provenance=provenance_of((old_data, new_data)))
    except StemcellError as exc:
        report(exc.lines())
        return int(ExitCode.USAGE)
    return int(ExitCode.DATA) if found.differs else int(ExitCode.OK)
