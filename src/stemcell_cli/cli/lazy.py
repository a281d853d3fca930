"""Commands built from their functions only when one is asked for, so a run pays for its own command alone."""

from collections.abc import Callable, Iterator, MutableMapping
from typing import Any, ClassVar, TypeVar

import typer
from typer.core import TyperGroup

from stemcell_cli.cli.params import PlainCommand, narrow, whole_summary

F = TypeVar("F", bound=Callable[..., Any])


class CommandShelf:
    """Command functions filed by name, each in a one-command Typer app that is turned into a command on demand."""

    def __init__(self) -> None:
        self.apps: dict[str, typer.Typer] = {}

    def command(self, *, epilog: str) -> Callable[[F], F]:
        """Return a decorator that files a function as the command named after it."""
        def file(function: F) -> F:
            single = typer.Typer(rich_markup_mode=None, add_completion=False)
            single.command(epilog=epilog, cls=PlainCommand)(function)
            self.apps[function.__name__] = single
            return function

        return file


class ShelfGroup(TyperGroup):
    """A group that builds a command only when it is looked up (help and completion build them all)."""

    shelf: ClassVar[CommandShelf] = CommandShelf()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.commands = LazyCommands(self.shelf.apps, dict(self.commands))

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

    def __init__(self, apps: dict[str, typer.Typer], built: dict[str, Any]) -> None:
        self._apps = dict(apps)
        self._built = built

    def __getitem__(self, name: str) -> Any:
        """Return the command, building it from its app the first time (KeyError if there is none)."""
        if name not in self._built:
            # Typer reads the function's signature here. Building every command at start instead (Typer's own way)
            # measured 0.04 to 0.08 x F slower on every benchmark row, enough to push the machine formats past 0.9.
            self._built[name] = typer.main.get_command(self._apps[name])
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        """Add or replace a built command."""
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        """Remove a command, built or not."""
        found = self._apps.pop(name, None) is not None
        if self._built.pop(name, None) is None and not found:
            raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        """Iterate over the names without building anything."""
        return iter(dict.fromkeys([*self._apps, *self._built]))

    def __len__(self) -> int:
        """Return how many commands there are."""
        return len(dict.fromkeys([*self._apps, *self._built]))
