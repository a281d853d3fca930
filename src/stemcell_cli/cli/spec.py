"""Commands and their parameters, declared without Typer: the Typer app and the direct run (cli/direct.py) read them."""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable
from typing import Annotated, Any, NamedTuple, TypeVar, Union, get_args, get_origin

F = TypeVar("F", bound=Callable[..., Any])
# The first parameter of a command function that is not on the command line: the options given before the
# condition, with the condition (`before`), or the parser's own context (`ctx`, for `help` alone).
BEFORE = "before"
CONTEXT = "ctx"


class Opt:
    """An option: its names (`--format`, `-f`) and the settings typer.Option takes, kept exactly as given."""

    __slots__ = ("decls", "settings")

    def __init__(self, *decls: str, **settings: Any) -> None:
        self.decls = decls
        self.settings = settings

    def __repr__(self) -> str:
        """Return the declaration as written."""
        return f"Opt{self.decls!r}"


class Arg:
    """A positional argument: the settings typer.Argument takes, kept exactly as given."""

    __slots__ = ("settings",)

    def __init__(self, **settings: Any) -> None:
        self.settings = settings

    def __repr__(self) -> str:
        """Return the declaration by its placeholder."""
        return f"Arg({self.settings.get('metavar')!r})"


class Param(NamedTuple):
    """One parameter of a command function as the command line gives it."""

    name: str
    kind: Any  # the type its value converts to: bool (a flag), str, int, Path or a str Enum
    declared: Opt | Arg
    default: Any  # inspect.Parameter.empty: required

    @property
    def required(self) -> bool:
        """Tell whether the command line must give it."""
        return self.default is inspect.Parameter.empty

    @property
    def is_flag(self) -> bool:
        """Tell whether it is an option that takes no value."""
        return isinstance(self.declared, Opt) and self.kind is bool


def declared(annotation: Any) -> tuple[Any, Opt | Arg | None]:
    """Return the type under `Annotated[T | None, Opt(...)]` and its declaration (None if it has none)."""
    found = None
    if get_origin(annotation) is Annotated:
        annotation, *extras = get_args(annotation)
        found = next((extra for extra in extras if isinstance(extra, (Opt, Arg))), None)
    if get_origin(annotation) in (Union, types.UnionType):
        members = [member for member in get_args(annotation) if member is not type(None)]
        annotation = members[0] if len(members) == 1 else None
    return annotation, found


def params_of(function: Callable[..., Any]) -> tuple[str | None, tuple[Param, ...]]:
    """Return what a command function takes first (`before`, `ctx` or nothing) and its command-line parameters."""
    parameters = list(inspect.signature(function).parameters.values())
    first = parameters[0].name if parameters and parameters[0].name in (BEFORE, CONTEXT) else None
    found = []
    for parameter in parameters[1 if first else 0:]:
        kind, declaration = declared(parameter.annotation)
        if declaration is None:
            raise TypeError(f"{function.__name__}: parameter {parameter.name} has no Opt or Arg")
        found.append(Param(parameter.name, kind, declaration, parameter.default))
    return first, tuple(found)


class Command(NamedTuple):
    """A command of the command line: its function, help epilog, and whether it may run without the parser."""

    function: Callable[..., int | None]
    epilog: str
    # False for a command that speaks to the parser itself (help, completion scripts).
    direct: bool = True

    @property
    def name(self) -> str:
        """Return the command's name: its function's."""
        return self.function.__name__


class CommandShelf:
    """Command functions filed by name in filing order: the order of the help's list of commands."""

    def __init__(self) -> None:
        self.commands: dict[str, Command] = {}

    def command(self, *, epilog: str, direct: bool = True) -> Callable[[F], F]:
        """Return a decorator that files a function as the command named after it."""
        def file(function: F) -> F:
            self.commands[function.__name__] = Command(function, epilog, direct)
            return function

        return file
