"""Run the CLI with `python -m stemcell_cli`."""

from stemcell_cli.cli.entry import main

main()
