"""Option and argument values converted by this package, so that no run imports pydantic to convert them."""

# typer 0.29 converts every value that is not a flag through a pydantic TypeAdapter, and importing pydantic costs
# about 70 ms, most of a run. The commands' values are simple (choices, paths, text, bounded whole numbers), so a
# command class converts them itself by overriding `process_value`, the parameter method that click documents
# as the place where a value is converted, checked and passed to its callback. Only public names are used.

from __future__ import annotations

import re
import types
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import typer
from typer.core import TyperArgument, TyperCommand, TyperOption
from typer.models import ParameterInfo

from stemcell_cli.model import Design

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
    kind = plain.kind
    if isinstance(value, kind):
        return value
    text = str(value)
    if kind is str:
        return text
    if kind is Path:
        return Path(text)
    if issubclass(kind, Enum):
        return choice(kind, text, case_sensitive=plain.info.case_sensitive)
    return whole_number(text, plain.info.min, plain.info.max)


def _words(text: str) -> str:
    """Return text as lower-case words: `Single-arm`, `single_arm` and `single arm` read the same."""
    return " ".join(re.split(r"[\s_/-]+", text.casefold())).strip()


def choice(kind: type[Enum], text: str, *, case_sensitive: bool) -> Enum:
    """Return the str-Enum member the text names (any case unless case-sensitive); designs also by screen names."""
    wanted = text if case_sensitive else text.casefold()
    for member in kind:
        value = str(member.value)
        if (value if case_sensitive else value.casefold()) == wanted:
            return member
    if kind is Design:
        found = design_names().get(_words(text))
        if found is not None:
            return found
    names = ", ".join(repr(str(member.value)) for member in kind)
    shown = f" (or their names on screen, e.g. {', '.join(DESIGN_EXAMPLES)})" if kind is Design else ""
    raise typer.BadParameter(f"{text!r} is not one of {names}{shown}.")


DESIGN_EXAMPLES = ("'rct'", "'meta-analysis'", "'single-arm'")


def design_names() -> dict[str, Design]:
    """Return every name a design answers to on the command line: its code and the words the screens use."""
    from stemcell_cli.render.labels import design_label, short_design

    names = {_words(design.value): design for design in Design}
    for label in (design_label, short_design):
        names.update({_words(label(design)): design for design in Design})
    names[_words("meta-analysis")] = Design.SYSTEMATIC_REVIEW
    names[_words("systematic review")] = Design.SYSTEMATIC_REVIEW
    return names


def whole_number(text: str, low: int | float | None, high: int | float | None) -> int:
    """Return the whole number a text writes, within the option's bounds."""
    try:
        number = int(text.strip())
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a whole number.") from None
    if low is not None and number < low:
        raise typer.BadParameter(f"{number} is below the lowest allowed value, {low:g}.")
    if high is not None and number > high:
        raise typer.BadParameter(f"{number} is above the highest allowed value, {high:g}.")
    return number


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
