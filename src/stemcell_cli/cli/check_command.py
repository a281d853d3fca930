"""`stemcell check PAGE`: what the curated evidence says about any saved clinic page."""

# No `from __future__ import annotations`: this signature is read when the command runs.

from typing import Annotated

from stemcell_cli.cli.invocation import Invocation
from stemcell_cli.cli.options import ColorOpt, DataOpt, ForceOpt, NoCacheOpt, OutputOpt, example
from stemcell_cli.cli.spec import Arg, Opt
from stemcell_cli.render import CheckFormat, ColorMode

EPILOG = example("check page.html --format json")


def check(
    before: Invocation,
    # A string, not a Path: only a bare `-` means standard input.
    page: Annotated[str, Arg(metavar="PAGE", help="A saved page (text, Markdown or HTML; up to 20 MB), - "
                                        "for standard input. A first line holding only a URL is the page's address.",
                                        show_default=False)],
    condition: Annotated[str | None, Opt("--condition", metavar="CONDITION", help="The condition (id or "
                                                  "alias) to check against; by default, detected from the page.",
                                                  show_default=False)] = None,
    fmt: Annotated[CheckFormat | None, Opt("--format", "-f", case_sensitive=False,
                                                    help="table for people; json for scripts; markdown or html for "
                                                         "the annotated page (default: from the --output file's "
                                                         "extension .json, .md or .html, else table).",
                                                    show_default=False)] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    emit_yaml: Annotated[str | None, Opt("--emit-yaml", metavar="FILE", help="Also write YAML stubs, marked "
                                                  "unverified, of the citations not on file, to this file.",
                                                  show_default=False)] = None,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
    color: ColorOpt = ColorMode.AUTO,
) -> None:
    """Check a saved page: its claims with verdicts, its citations resolved to curated studies, its red flags."""
    from stemcell_cli.cli.dataset import open_data
    from stemcell_cli.render import OutputFormat
    from stemcell_cli.render.output import deliver_check

    if page == "-" and (data if data is not None else before.data) == "-":
        from stemcell_cli.errors import UsageProblem

        raise UsageProblem("the page and --data cannot both be standard input; name one of them as a file")
    evidence = open_data(data if data is not None else before.data, use_cache=not (no_cache or before.no_cache),
                         condition=None)
    result = evidence.check(page, condition=condition)
    deliver_check(result, OutputFormat(fmt.value) if fmt is not None else None, emit_yaml=emit_yaml, output=output,
                  force=force, color=color if color is not ColorMode.AUTO else before.color,
                  provenance=lambda: evidence.provenance)
