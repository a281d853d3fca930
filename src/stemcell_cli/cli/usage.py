"""Usage errors of the command-line parser, reported in the one error style: `error: ...` and exit code 2."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import typer

from stemcell_cli.cli.boundary import contained, exit_code
from stemcell_cli.errors import ExitCode
from stemcell_cli.names import did_you_mean
from stemcell_cli.render.output import report, report_help

# typer exports BadParameter but not the classes above it, which every usage error of the parser is an instance of.
_CLASSES = {cls.__name__: cls for cls in inspect.getmro(typer.BadParameter)}
USAGE_ERROR: type[Exception] = _CLASSES["UsageError"]
FRAMEWORK_ERROR: type[Exception] = _CLASSES["ClickException"]


def parsed(call: Callable[[], object], *, standalone: bool) -> int:
    """Parse and run a command line; a usage error is one `error:` line naming the command, a bug one line too."""
    code = contained(lambda: _framework_errors(call))
    if standalone:
        raise SystemExit(code)
    return code


def _framework_errors(call: Callable[[], object]) -> int:
    """Run the parser; return the exit code, its usage and framework errors reported."""
    try:
        return exit_code(call())
    except USAGE_ERROR as exc:
        return _usage(exc)
    except FRAMEWORK_ERROR as exc:
        shown = getattr(exc, "format_message", None)
        report([f"error: {_sentence(str(shown() if callable(shown) else exc))}"])
        return int(getattr(exc, "exit_code", ExitCode.DATA))
    except typer.Abort:
        report(["error: aborted"])
        return int(ExitCode.DATA)


def _usage(exc: Exception) -> int:
    """Report a usage error (or the help asked for by giving no command) and return its exit code."""
    ctx = getattr(exc, "ctx", None)
    message = str(getattr(exc, "message", exc))
    if ctx is not None and message == ctx.get_help():
        report_help(message)
        return int(ExitCode.USAGE)
    param = getattr(exc, "param", None)
    if isinstance(exc, typer.BadParameter) and param is not None and message:
        message = f"{_named(param)}: {message}"
    elif getattr(exc, "option_name", None):
        message += did_you_mean(str(getattr(exc, "option_name", "")), getattr(exc, "possibilities", None) or ())
    else:
        # click lays out a missing choice's values on lines of their own (`Choose from:\n\tbash,\n\tzsh`).
        message = " ".join(str(getattr(exc, "format_message", lambda: message)()).split())
    hint = f" (see `{ctx.command_path} -h`)" if ctx is not None else ""
    report([f"error: {_sentence(message)}{hint}"])
    return int(getattr(exc, "exit_code", ExitCode.USAGE))


def _named(param: object) -> str:
    """Return how the user writes a parameter: its long option name, or an argument's placeholder."""
    options = [str(name) for name in getattr(param, "opts", ())]
    if getattr(param, "param_type_name", "") == "option" and options:
        return max(options, key=len)
    return str(getattr(param, "metavar", None) or getattr(param, "name", None) or "value").upper()


def _sentence(message: str) -> str:
    """Return a framework message as the tail of an `error:` line: first word lower-case, no final full stop."""
    message = message.strip().removesuffix(".").replace(". Did you mean", "; did you mean").replace(
        ". Choose from:", "; choose from:")
    first = message.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower():
        message = message[:1].lower() + message[1:]
    return message


