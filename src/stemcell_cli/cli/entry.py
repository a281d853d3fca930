"""The console entry point: `--version` alone is answered here, a plain line runs without Typer, the rest with it."""

from __future__ import annotations

import gc
import sys

from stemcell_cli import __version__


def main() -> None:
    """Run the command line; importing the Typer app takes about 40% of a run, so only what needs the parser pays it."""
    if sys.argv[1:] in (["--version"], ["-V"]):
        try:
            sys.stdout.write(f"stemcell-cli {__version__}\n")
            sys.stdout.flush()
        except BrokenPipeError:
            from stemcell_cli.render.output import silence_stdout

            silence_stdout()
        return
    # One run of the console script is short and what it builds is mostly acyclic, which reference counting frees:
    # the cyclic collector's passes over every object the imports create cost about 5 ms of a run and free nothing
    # (a 10,000-study parse peaks at the same memory without them). The Python API keeps the collector.
    gc.disable()
    try:
        from stemcell_cli.cli.direct import run

        code = run(sys.argv[1:])
        if code is not None:
            raise SystemExit(code)
        from stemcell_cli.cli.app import main as run_app

        run_app()
    finally:
        # The interpreter's shutdown runs the cyclic garbage collector over every object of typer, rich and
        # msgspec; frozen objects are skipped, which makes each run's exit about 15 ms shorter. Nothing here
        # relies on a cycle being collected at exit: files are closed and output flushed before this point.
        gc.freeze()
