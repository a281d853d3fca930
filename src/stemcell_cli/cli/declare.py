"""Commands that show a result, declared once: a view function, and the options and delivery every one shares."""

# No `from __future__ import annotations`: the view functions' annotations are read as objects here.

import inspect
from collections.abc import Callable
from typing import Any, NamedTuple

import typer

from stemcell_cli.cli.invocation import invocation
from stemcell_cli.cli.options import PAGER, SHARED, Shared
from stemcell_cli.evidence.results import Result
from stemcell_cli.render.output import deliver

_CONTEXT = inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)
_SHARED_NAMES = frozenset(Shared._fields)


class CommandDeclaration(NamedTuple):
    """One command that shows a result: its view, the help example, and whether a long result may be paged."""

    view: Callable[..., Result]
    example: str
    pageable: bool = False


Opener = Callable[[typer.Context, Shared], tuple[Any, ...]]


def command_function(declaration: CommandDeclaration, opener: Opener, *,
                     opener_supplies: int) -> Callable[..., None]:
    """Return the function Typer reads: the view's parameters after the opener's values, then the shared options."""
    view = declaration.view
    own = tuple(inspect.signature(view).parameters.values())[opener_supplies:]

    def run(ctx: typer.Context, **values: Any) -> None:
        options = Shared(**{name: values.pop(name) for name in _SHARED_NAMES if name in values}).after(invocation(ctx))
        result = view(*opener(ctx, options), **values)
        deliver(result, options.fmt, output=options.output, force=options.force, color=options.color,
                pager=declaration.pageable and not options.no_pager, quiet=options.quiet)

    parameters = (_CONTEXT, *own, *SHARED, *((PAGER,) if declaration.pageable else ()))
    run.__name__ = run.__qualname__ = view.__name__
    run.__doc__ = view.__doc__
    run.__module__ = view.__module__
    # Typer reads a command's parameters from its signature and their types from its annotations.
    run.__signature__ = inspect.Signature(parameters, return_annotation=None)  # type: ignore[attr-defined]
    run.__annotations__ = {parameter.name: parameter.annotation for parameter in parameters} | {"return": None}
    return run
