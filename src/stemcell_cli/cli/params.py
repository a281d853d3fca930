"""Option and argument values converted by this package, so that no run imports pydantic to convert them."""

# typer 0.29 converts every value that is not a flag through a pydantic TypeAdapter, and importing pydantic costs
# about 70 ms, most of a run. The commands' values are simple (choices, paths, text, bounded whole numbers), so a
# command class converts them itself by overriding `process_value`, the parameter method that click documents
# as the place where a value is converted, checked and passed to its callback. Only public names are used.

from __future__ import annotations

import types
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import typer
from typer.core import TyperArgument, TyperCommand, TyperOption
from typer.models import ParameterInfo

from stemcell_cli.cli.values import BadValue
from stemcell_cli.cli.values import convert as convert_value

_MISSING = object()  # a union of several types: not converted here


class _Plain:
    """What a parameter converts its value to, read once from the command function's annotation."""

    __slots__ = ("info", "kind")

    def __init__(self, kind: type, info: ParameterInfo) -> None:
        self.kind = kind
        self.info = info


def _unwrap(annotation: Any) -> tuple[Any, ParameterInfo | None]:
    """Return the type under `Annotated[T | None, typer.Option(...)]` and the option's declaration."""
    info = None
    if get_origin(annotation) is Annotated:
        annotation, *extras = get_args(annotation)
        info = next((extra for extra in extras if isinstance(extra, ParameterInfo)), None)
    if get_origin(annotation) in (Union, types.UnionType):
        members = [member for member in get_args(annotation) if member is not type(None)]
        annotation = members[0] if len(members) == 1 else _MISSING
    return annotation, info


def plain_kinds(function: Any) -> dict[str, _Plain]:
    """Return, by parameter name, the values of a command function that this module converts."""
    kinds = {}
    for name, annotation in getattr(function, "__annotations__", {}).items():
        kind, info = _unwrap(annotation)
        if info is None or not isinstance(kind, type):
            continue
        if kind in (str, int, Path) or issubclass(kind, Enum):
            kinds[name] = _Plain(kind, info)
    return kinds


def convert(value: Any, plain: _Plain) -> Any:
    """Convert one command-line value, or raise typer.BadParameter with the reason in plain words."""
    info = plain.info
    try:
        return convert_value(value, plain.kind, case_sensitive=info.case_sensitive, low=info.min, high=info.max)
    except BadValue as exc:
        raise typer.BadParameter(str(exc)) from None


def _process(param: Any, base: Any, ctx: Any, value: Any) -> Any:
    """Convert the value, check that a required one is there, then run the callback, as click does."""
    plain = param.plain
    if value is None and param.required:
        return base.process_value(param, ctx, value)  # typer's own message for a missing value
    if plain is None and not (value is None or isinstance(value, bool)):
        return base.process_value(param, ctx, value)  # a value of a kind this module does not convert
    if plain is not None and value is not None:
        try:
            value = convert(value, plain)
        except typer.BadParameter as exc:
            exc.ctx, exc.param = ctx, param
            raise
    if param.callback is not None:
        value = param.callback(ctx, param, value)
    return value


class PlainOption(TyperOption):
    """An option whose value this module converts (see the module docstring)."""

    plain: _Plain | None

    def process_value(self, ctx: Any, value: Any) -> Any:
        """Convert, check and call back as click does, without typer's pydantic converter."""
        return _process(self, TyperOption, ctx, value)


class PlainArgument(TyperArgument):
    """An argument whose value this module converts, shown in help by its placeholder alone (ID, not {ID} <str>)."""

    plain: _Plain | None

    def display_type_rich(self, ctx: Any) -> str:
        """Return no type beside an argument that has a placeholder: FILE, ID and TERM say it."""
        return "" if self.metavar else str(super().display_type_rich(ctx))

    def get_usage_pieces(self, ctx: Any) -> list[str]:
        """Return the argument as the usage line shows it: ID when required, [FILE] when not."""
        name = str(self.metavar or self.name or "").upper()
        return [name if self.required else f"[{name}]"]

    def process_value(self, ctx: Any, value: Any) -> Any:
        """Convert, check and call back as click does, without typer's pydantic converter."""
        return _process(self, TyperArgument, ctx, value)


def narrow(params: list[Any], callback: Any) -> None:
    """Give a command's or group's parameters this module's conversion; flags and absent values pass as they are."""
    # help, --install-completion and --show-completion are typer's own: unset they are None, which typer would
    # also "convert" through pydantic.
    kinds = plain_kinds(getattr(callback, "__wrapped__", callback))
    for param in params:
        # The class of an instance built by typer is narrowed to a subclass that adds one method.
        if type(param) is TyperOption:
            param.__class__ = PlainOption
        elif type(param) is TyperArgument:
            param.__class__ = PlainArgument
        else:
            continue
        param.plain = kinds.get(param.name or "")


def whole_summary(help_text: str | None) -> str:
    """Return a command's summary for a list of commands: its help's first paragraph, whole (click cuts it with ...)."""
    return " ".join((help_text or "").strip().split("\n\n")[0].split())


class PlainCommand(TyperCommand):
    """A command whose simple values are converted here rather than through pydantic."""

    def get_short_help_str(self, limit: int = 45) -> str:
        """Return the summary shown in a list of commands, whole: the list wraps it."""
        return whole_summary(self.short_help or self.help)

    def get_params(self, ctx: Any) -> list[Any]:
        """Return the parameters, the help option included, each with this module's conversion."""
        params: list[Any] = super().get_params(ctx)
        narrow(params, self.callback)
        return params
