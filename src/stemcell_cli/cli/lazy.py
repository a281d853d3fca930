"""Typer commands built from the declared ones only when one is asked for, so a run pays for its own command alone."""

import inspect
from collections.abc import Callable, Iterator, MutableMapping
from typing import Annotated, Any, ClassVar, get_args, get_origin

import typer
from typer.core import TyperGroup

from stemcell_cli.cli.invocation import invocation
from stemcell_cli.cli.params import PlainCommand, narrow, whole_summary
from stemcell_cli.cli.spec import BEFORE, CONTEXT, Arg, Command, CommandShelf, Opt

_CONTEXT = inspect.Parameter(CONTEXT, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)


def for_typer(annotation: Any) -> Any:
    """Return an annotation with its Opt or Arg replaced by the typer.Option or typer.Argument it declares."""
    if get_origin(annotation) is not Annotated:
        return annotation
    base, *extras = get_args(annotation)
    extras = [typer.Option(*extra.decls, **extra.settings) if isinstance(extra, Opt)
              else typer.Argument(**extra.settings) if isinstance(extra, Arg) else extra for extra in extras]
    return Annotated.__class_getitem__((base, *extras))


def typer_function(command: Command) -> Callable[..., None]:
    """Return the function Typer reads for a command: the context first, then its parameters as Typer declares them."""
    function = command.function
    parameters = list(inspect.signature(function).parameters.values())
    first = parameters[0].name if parameters and parameters[0].name in (BEFORE, CONTEXT) else None
    own = [p.replace(annotation=for_typer(p.annotation)) for p in parameters[1 if first else 0:]]

    def run(ctx: typer.Context, **values: Any) -> None:
        given = (invocation(ctx),) if first == BEFORE else (ctx,) if first == CONTEXT else ()
        code = function(*given, **values)
        if code:
            raise typer.Exit(int(code))

    run.__name__ = run.__qualname__ = function.__name__
    run.__doc__ = function.__doc__
    run.__module__ = function.__module__
    # Typer reads a command's parameters from its signature and their types from its annotations.
    signature = inspect.Signature([_CONTEXT, *own], return_annotation=None)
    run.__signature__ = signature  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in signature.parameters.values()} | {"return": None}
    return run


def typer_app(command: Command) -> typer.Typer:
    """Return a one-command Typer app for a declared command."""
    single = typer.Typer(rich_markup_mode=None, add_completion=False)
    single.command(epilog=command.epilog, cls=PlainCommand)(typer_function(command))
    return single


class ShelfGroup(TyperGroup):
    """A group that builds a command only when it is looked up (help and completion build them all)."""

    shelf: ClassVar[CommandShelf] = CommandShelf()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.commands = LazyCommands(self.shelf.commands, dict(self.commands))

    def get_short_help_str(self, limit: int = 45) -> str:
        """Return the summary shown in a list of commands, whole: the list wraps it."""
        return whole_summary(self.short_help or self.help)

    def get_params(self, ctx: Any) -> list[Any]:
        """Return the group's parameters (help and completion included), converted without pydantic."""
        params: list[Any] = super().get_params(ctx)
        narrow(params, self.callback)
        return params


class LazyCommands(MutableMapping[str, Any]):
    """Command name to command: the shelf's are built on first access, in filing order, then the others."""

    def __init__(self, declared: dict[str, Command], built: dict[str, Any]) -> None:
        self._declared = dict(declared)
        self._built = built

    def __getitem__(self, name: str) -> Any:
        """Return the command, building it from its declaration the first time (KeyError if there is none)."""
        if name not in self._built:
            # Typer reads the function's signature here. Building every command at start instead (Typer's own way)
            # measured 0.04 to 0.08 x F slower on every benchmark row, enough to push the machine formats past 0.9.
            self._built[name] = typer.main.get_command(typer_app(self._declared[name]))
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        """Add or replace a built command."""
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        """Remove a command, built or not."""
        found = self._declared.pop(name, None) is not None
        if self._built.pop(name, None) is None and not found:
            raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        """Iterate over the names without building anything."""
        return iter(dict.fromkeys([*self._declared, *self._built]))

    def __len__(self) -> int:
        """Return how many commands there are."""
        return len(dict.fromkeys([*self._declared, *self._built]))
