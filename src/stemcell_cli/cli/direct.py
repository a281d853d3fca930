"""A plain command line run straight from the declared commands, without importing the parser framework.

Importing Typer takes about 40% of a run. A command line made only of known options, each given once, with plain
values and the arguments its command takes, means one thing; this module reads it as the parser would and runs
the same command function through the same error boundary. Anything else (help, a completion request, a
misspelt or repeated option, a value that does not convert, `--`, bundled short options, an option's value that
starts with `-`) is declined and goes to the parser, which reports it. tests/test_direct_runs.py runs every command
line of the benchmark and of the tests both ways and compares the bytes.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Sequence
from typing import Any, NamedTuple

from stemcell_cli.cli.boundary import contained, guarded
from stemcell_cli.cli.completion_command import COMPLETE_VAR
from stemcell_cli.cli.invocation import Invocation
from stemcell_cli.cli.options import ColorOpt, DataOpt, NoCacheOpt, QuietOpt
from stemcell_cli.cli.spec import BEFORE, Command, Opt, Param, declared, params_of
from stemcell_cli.cli.values import BadValue, convert
from stemcell_cli.render import ColorMode


# The options before the condition or command, as the app's root declares them (tests compare the two).
def _root_param(name: str, annotation: Any, default: Any) -> Param:
    """Return one option of the root as a parameter."""
    kind, declaration = declared(annotation)
    if declaration is None:
        raise TypeError(f"root option {name} has no Opt")
    return Param(name, kind, declaration, default)


ROOT_PARAMS = (_root_param("data", DataOpt, None), _root_param("no_cache", NoCacheOpt, False),
               _root_param("color", ColorOpt, ColorMode.AUTO), _root_param("quiet", QuietOpt, False))
# The word that stands for a condition in help; typed as one, the parser reports it.
PLACEHOLDER = "CONDITION"


class Plan(NamedTuple):
    """A command line read: the command to run, what came before it, and its parameters' values."""

    command: Command
    before: Invocation
    values: dict[str, Any]
    takes_before: bool  # whether the command function's first parameter is the invocation


def run(argv: Sequence[str]) -> int | None:
    """Run a plain command line and return its exit code; None when it is not plain (the parser's to run)."""
    plan = planned(argv)
    if plan is None:
        return None
    given = (plan.before,) if plan.takes_before else ()
    return contained(lambda: guarded(lambda: plan.command.function(*given, **plan.values)))


def planned(argv: Sequence[str]) -> Plan | None:
    """Return what a plain command line runs, or None when the parser must read it."""
    if COMPLETE_VAR in os.environ:
        return None
    read = _read(ROOT_PARAMS, list(argv), stop_at_word=True)
    if read is None:
        return None
    root, rest = read
    from stemcell_cli.cli.condition_commands import SHELF as CONDITION_SHELF
    from stemcell_cli.cli.data_commands import SHELF as DATA_SHELF

    if not rest or rest[0].startswith("-") or rest[0] == PLACEHOLDER or rest[0] in CONDITION_SHELF.commands:
        return None
    if rest[0] in DATA_SHELF.commands:
        condition, command, tokens = None, DATA_SHELF.commands[rest[0]], rest[1:]
    elif len(rest) > 1 and rest[1] in CONDITION_SHELF.commands:
        condition, command, tokens = rest[0], CONDITION_SHELF.commands[rest[1]], rest[2:]
    else:
        return None
    first, params = params_of(command.function)
    if not command.direct or first not in (None, BEFORE):
        return None
    values = _read(params, tokens, stop_at_word=False)
    if values is None:
        return None
    return Plan(command, Invocation(condition=condition, **root), values[0], first == BEFORE)


def _read(params: Sequence[Param], tokens: list[str], *, stop_at_word: bool) -> tuple[dict[str, Any], list[str]] | None:
    """Return the parameters' values and the words left after them, or None for anything but a plain line."""
    options = {flag: param for param in params if isinstance(param.declared, Opt) for flag in param.declared.decls}
    arguments = [param for param in params if not isinstance(param.declared, Opt)]
    values: dict[str, Any] = {}
    words: list[str] = []
    position = 0
    while position < len(tokens):
        token = tokens[position]
        position += 1
        if not token.startswith("-") or token == "-":
            if stop_at_word:
                return _defaults(params, values), tokens[position - 1:]
            words.append(token)
            continue
        name, equals, text = token.partition("=") if token.startswith("--") else (token, "", "")
        param = options.get(name)
        if param is None or param.name in values:
            return None
        if param.is_flag:
            if equals:
                return None
            values[param.name] = True
            continue
        if not equals:
            if position == len(tokens):
                return None
            text = tokens[position]
            position += 1
            if text.startswith("-") and text != "-":
                return None
        value = _converted(param, text)
        if value is None:
            return None
        values[param.name] = value
    if stop_at_word:
        return _defaults(params, values), []
    if len(words) > len(arguments):
        return None
    for param, word in zip(arguments, words, strict=False):
        values[param.name] = _converted(param, word)
        if values[param.name] is None:
            return None
    if any(param.required and param.name not in values for param in params):
        return None
    return _defaults(params, values), []


def _converted(param: Param, text: str) -> Any:
    """Return a value converted to its parameter's type, or None if it does not convert."""
    settings = param.declared.settings
    if not isinstance(param.kind, type):
        return None
    try:
        return convert(text, param.kind, case_sensitive=settings.get("case_sensitive", True),
                       low=settings.get("min"), high=settings.get("max"))
    except BadValue:
        return None


def _defaults(params: Sequence[Param], values: dict[str, Any]) -> dict[str, Any]:
    """Return the values with every parameter not given at its default."""
    return {param.name: values.get(param.name, param.default) for param in params
            if param.name in values or param.default is not inspect.Parameter.empty}
