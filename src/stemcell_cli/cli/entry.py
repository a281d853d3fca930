"""The console entry point: a bare `stemcell --version` is answered before typer and the app are imported."""

from __future__ import annotations

import sys

from stemcell_cli import __version__


def main() -> None:
    """Run the command line; `--version` alone skips the Typer app, which takes most of the start-up time."""
    if sys.argv[1:] == ["--version"]:
        try:
            sys.stdout.write(f"stemcell-cli {__version__}\n")
            sys.stdout.flush()
        except BrokenPipeError:
            from stemcell_cli.cli.output import silence_stdout

            silence_stdout()
        return
    from stemcell_cli.cli.app import main as run_app

    run_app()
