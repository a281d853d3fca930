"""The one error boundary: user errors become located stderr lines and exit codes, never tracebacks."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from stemcell_cli.errors import ExitCode, StemcellError
from stemcell_cli.render.output import report, silence_stdout

DEBUG_VAR = "STEMCELL_DEBUG"
PACKAGE = Path(__file__).resolve().parents[1]


def exit_code(outcome: object) -> int:
    """Return the exit code a command's return value stands for: an int is one, anything else is success."""
    return outcome if isinstance(outcome, int) and not isinstance(outcome, bool) else int(ExitCode.OK)


def guarded(call: Callable[[], object]) -> int:
    """Run a command body; turn the project's errors and closed pipes into exit codes (a bug goes on to `contained`)."""
    try:
        outcome = call()
    except StemcellError as exc:
        report(exc.lines())
        return int(exc.exit_code)
    except BrokenPipeError:
        silence_stdout()
        return int(ExitCode.OK)
    return exit_code(outcome)


def contained(call: Callable[[], int]) -> int:
    """Run a command line; a bug becomes one line naming where it happened (its traceback under STEMCELL_DEBUG)."""
    try:
        return call()
    except KeyboardInterrupt:
        return int(ExitCode.INTERRUPTED)
    except EOFError:
        # Standard input closed while a command waited on it, as Typer reports it.
        report(["error: aborted"])
        return int(ExitCode.DATA)
    except Exception as exc:
        # Around the parsing too, so that a bug while parsing is reported the same way as one in a command.
        if os.environ.get(DEBUG_VAR):
            raise
        report([internal_error(exc)])
        return int(ExitCode.INTERNAL)


def internal_error(exc: BaseException) -> str:
    """Name an unexpected exception and where in stemcell it happened; never its message or variables."""
    import traceback  # only here: a run without a bug does not pay for it

    where = ""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        try:
            relative = Path(frame.filename).resolve().relative_to(PACKAGE)
        except ValueError:
            continue
        where = f" at {relative.as_posix()}:{frame.lineno}"
        break
    return (f"error: internal error: {type(exc).__name__}{where} (a bug in stemcell; run again with {DEBUG_VAR}=1 "
            "to see the traceback, and please report it)")
