"""The one error boundary: user errors become located stderr lines and exit codes, never tracebacks."""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import typer

from stemcell_cli.errors import ExitCode, StemcellError
from stemcell_cli.render.output import report, silence_stdout

T = TypeVar("T")
DEBUG_VAR = "STEMCELL_DEBUG"
PACKAGE = Path(__file__).resolve().parents[1]


def guarded(call: Callable[[], T]) -> T:
    """Run a command body; turn the project's errors, closed pipes and bugs into exits."""
    try:
        return call()
    except StemcellError as exc:
        report(exc.lines())
        raise typer.Exit(int(exc.exit_code)) from None
    except BrokenPipeError:
        silence_stdout()
        raise typer.Exit(int(ExitCode.OK)) from None
    except (typer.Exit, typer.Abort, typer.TyperException, KeyboardInterrupt):
        raise
    except Exception as exc:
        if os.environ.get(DEBUG_VAR):
            raise
        report([internal_error(exc)])
        raise typer.Exit(int(ExitCode.DATA)) from None


def internal_error(exc: BaseException) -> str:
    """Name an unexpected exception and where in stemcell it happened; never its message or variables."""
    where = ""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        try:
            relative = Path(frame.filename).resolve().relative_to(PACKAGE)
        except ValueError:
            continue
        where = f" at {relative.as_posix()}:{frame.lineno}"
        break
    return (f"internal error: {type(exc).__name__}{where} (a bug in stemcell; run again with {DEBUG_VAR}=1 "
            "to see the traceback, and please report it)")
