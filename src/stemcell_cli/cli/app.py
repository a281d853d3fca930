"""The Typer application: fixed commands, and `stemcell CONDITION COMMAND` routed from the data."""

# No `from __future__ import annotations`: Typer reads these signatures at every start, and string annotations
# would each be compiled and evaluated there (see benchmarks/checks.py).

from collections.abc import Sequence
from typing import Annotated, Any

import typer

from stemcell_cli import __version__
from stemcell_cli.cli import condition_commands, data_commands
from stemcell_cli.cli.boundary import guarded
from stemcell_cli.cli.condition_commands import PLACEHOLDER
from stemcell_cli.cli.invocation import record
from stemcell_cli.cli.lazy import ShelfGroup, for_typer
from stemcell_cli.cli.options import ColorOpt, DataOpt, NoCacheOpt, QuietOpt
from stemcell_cli.cli.usage import USAGE_ERROR, parsed
from stemcell_cli.names import reads_as_command
from stemcell_cli.render import ColorMode

HELP = """Summarise what curated studies show about stem-cell therapy claims, per condition.

Run `stemcell CONDITION COMMAND`, e.g. `stemcell lupus summary`; `stemcell conditions` lists the
conditions in the data. Exit codes: 0 success, 1 data or runtime error, 2 usage error, 70 internal error (a
bug).
"""


TYPER_COMPLETION_OPTIONS = frozenset({"install_completion", "show_completion"})


HELP_MAX_WIDTH = 10_000
# "\b" keeps click from re-wrapping the examples into one paragraph.
EXAMPLES = """\b
Examples:
  stemcell conditions
  stemcell lupus summary
  stemcell lupus claim kidney
  stemcell lupus studies --design rct --sort n
  stemcell lupus sof --format csv -o sof.csv
  stemcell find NCT01539902
  stemcell help studies"""


class StemcellGroup(ShelfGroup):
    """Root group: a first word that is not a command names a condition from the data."""

    shelf = data_commands.SHELF

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """Route `CONDITION COMMAND ...` to the condition commands, under the word the user typed."""
        word = args[0] if args else "-"
        swapped = _swapped(args)
        if swapped is not None:
            raise USAGE_ERROR(swapped, ctx)
        if not word.startswith("-") and (word not in self.commands or word == PLACEHOLDER) and not self._mistyped(args):
            record(ctx, condition=word)
            return word, self.commands[PLACEHOLDER], args[1:]
        return super().resolve_command(ctx, args)

    def _mistyped(self, args: list[str]) -> bool:
        """Tell whether a lone word (no condition command after it) looks like a mistyped fixed command."""
        alone = len(args) == 1 or args[1].startswith("-")
        return alone and reads_as_command(args[0])

    def get_params(self, ctx: Any) -> list[Any]:
        """Return the root's options without typer's --install-completion and --show-completion."""
        # typer adds both to the root when it registers its completion scripts, which `completion` prints; the
        # first would edit a shell file, which stemcell never does.
        return [param for param in super().get_params(ctx) if param.name not in TYPER_COMPLETION_OPTIONS]

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        """Offer condition names and aliases beside the fixed commands."""
        from stemcell_cli.cli.completion import condition_items

        fixed = [item for item in super().shell_complete(ctx, incomplete) if item.value != PLACEHOLDER]
        return fixed + condition_items(ctx, incomplete)

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, windows_expand_args: bool = True, **extra: Any) -> Any:
        """Run a command line, with usage errors reported in the one error style."""
        return parsed(lambda: super(StemcellGroup, self).main(args, prog_name, complete_var, False,
                                                              windows_expand_args, **extra), standalone=standalone_mode)

    def invoke(self, ctx: Any) -> Any:
        """Invoke the chosen command inside the one error boundary."""
        code = guarded(lambda: super(StemcellGroup, self).invoke(ctx))
        if code:
            raise typer.Exit(code)


def _swapped(args: list[str]) -> str | None:
    """Return advice for a command on a condition typed before the condition (`summary lupus`), else None."""
    commands = condition_commands.SHELF.commands
    if args[:1] and args[0] in commands and len(args) == 1:
        return (f"{args[0]} is a command on one condition, which comes first: `stemcell CONDITION {args[0]}`; "
                "`stemcell conditions` lists them")
    if len(args) < 2 or args[0] not in commands or args[1].startswith("-") or args[1] in commands:
        return None
    # A condition named like a command would be reached as usual: its name is followed by a command.
    fixed = " ".join(["stemcell", args[1], args[0], *args[2:]])
    return f"the condition comes before the command: `{fixed}`"


def _version(value: bool) -> None:
    """Print the version and stop."""
    if value:
        typer.echo(f"stemcell-cli {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=StemcellGroup,
    help=HELP,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    # Help wraps to the terminal's width (COLUMNS, else 80 when it cannot be told), not click's 80 at most.
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": HELP_MAX_WIDTH},
    epilog=EXAMPLES,
)


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
    data: for_typer(DataOpt) = None,  # type: ignore[valid-type]
    no_cache: for_typer(NoCacheOpt) = False,  # type: ignore[valid-type]
    color: for_typer(ColorOpt) = ColorMode.AUTO,  # type: ignore[valid-type]
    quiet: for_typer(QuietOpt) = False,  # type: ignore[valid-type]
) -> None:
    """Summarise what curated studies show about stem-cell therapy claims, per condition."""
    record(ctx, data=data, no_cache=no_cache, color=color, quiet=quiet)




class ConditionGroup(ShelfGroup):
    """The commands on one condition, each built only when it is the one run."""

    shelf = condition_commands.SHELF


condition_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, cls=ConditionGroup)
app.add_typer(condition_app, name=PLACEHOLDER,
              help=f"Commands on one condition: {', '.join(condition_commands.SHELF.commands)}.")


def main() -> None:
    """Console-script entry point."""
    app(prog_name="stemcell")
