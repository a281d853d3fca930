"""The one error boundary: user errors become located stderr lines and exit codes, never tracebacks."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TypeVar

import typer

from stemcell_cli.errors import ExitCode, StemcellError
from stemcell_cli.render.safe_text import one_line

T = TypeVar("T")
DEBUG_VAR = "STEMCELL_DEBUG"


def report(lines: list[str]) -> None:
    """Print lines on stderr, with anything from the data escaped."""
    text = "".join(one_line(line) + "\n" for line in lines)
    stream = sys.stderr
    encoding = getattr(stream, "encoding", None) or "utf-8"
    stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
    stream.flush()


def silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail on a closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


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
        report([f"internal error: {type(exc).__name__} (a bug in stemcell; run again with {DEBUG_VAR}=1 "
                "to see the traceback, and please report it)"])
        raise typer.Exit(int(ExitCode.DATA)) from None
