"""Commands that show a result, declared once: a view function, and the options and delivery every one shares."""

# No `from __future__ import annotations`: the view functions' annotations are read as objects here.

import inspect
from collections.abc import Callable
from enum import Enum
from typing import Any, NamedTuple

from stemcell_cli.api import Evidence
from stemcell_cli.cli.invocation import Invocation
from stemcell_cli.cli.options import PAGER, SHARED, Shared, format_option
from stemcell_cli.cli.spec import BEFORE
from stemcell_cli.evidence.results import CiteResult, Result
from stemcell_cli.model import Provenance
from stemcell_cli.render import CiteFormat, OutputFormat
from stemcell_cli.render.output import deliver, deliver_references

_BEFORE = inspect.Parameter(BEFORE, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Invocation)
_SHARED_NAMES = frozenset(Shared._fields)


class CommandDeclaration(NamedTuple):
    """One command that shows a result: its view, the help example, and whether a long result may be paged."""

    view: Callable[..., Result | CiteResult]
    example: str
    pageable: bool = False
    # The command's own --format choices (an enum whose values are formats of the pipeline), instead of every format.
    formats: type[Enum] | None = None


Opener = Callable[[Invocation, Shared], tuple[Any, ...]]


def command_function(declaration: CommandDeclaration, opener: Opener, *,
                     opener_supplies: int) -> Callable[..., None]:
    """Return the command function: the view's parameters after the opener's values, then the shared options."""
    view = declaration.view
    own = tuple(inspect.signature(view).parameters.values())[opener_supplies:]

    def run(before: Invocation, **values: Any) -> None:
        options = Shared(**{name: values.pop(name) for name in _SHARED_NAMES if name in values}).after(before)
        opened = opener(before, options)
        result = view(*opened, **values)
        if isinstance(result, CiteResult):
            # References take their own path: their formats are reference managers', not the pipeline's.
            cited = CiteFormat(options.fmt.value) if options.fmt is not None else None
            deliver_references(result, cited, output=options.output, force=options.force)
            return
        fmt = OutputFormat(options.fmt.value) if options.fmt is not None else None
        deliver(result, fmt, output=options.output, force=options.force, color=options.color,
                pager=declaration.pageable and not options.no_pager, provenance=provenance_of(opened),
                quiet=options.quiet)

    shared = SHARED if declaration.formats is None else tuple(
        format_option(declaration.formats) if option.name == "fmt" else option for option in SHARED)
    parameters = (_BEFORE, *own, *shared, *((PAGER,) if declaration.pageable else ()))
    run.__name__ = run.__qualname__ = view.__name__
    run.__doc__ = view.__doc__
    run.__module__ = view.__module__
    # A command's parameters are read from its signature and their types from its annotations.
    run.__signature__ = inspect.Signature(parameters, return_annotation=None)  # type: ignore[attr-defined]
    run.__annotations__ = {parameter.name: parameter.annotation for parameter in parameters} | {"return": None}
    return run


def provenance_of(opened: tuple[Any, ...]) -> Callable[[], Provenance | None] | None:
    """Return how to name the data a command read (the tool's version, each file's name, schema and hash), if any."""
    sources = [value for value in opened if isinstance(value, Evidence)]
    if not sources:
        return None

    def provenance() -> Provenance | None:
        found = [p for source in sources if (p := source.provenance) is not None]
        return Provenance(version=found[0].version, data=tuple(f for p in found for f in p.data)) if found else None

    return provenance
