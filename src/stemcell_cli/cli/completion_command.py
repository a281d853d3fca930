"""`stemcell completion SHELL`: print the completion script for the user to install; nothing edits a shell file."""

# No `from __future__ import annotations`: this signature is read when the command runs.

from enum import Enum
from typing import Annotated

from stemcell_cli.cli.spec import Arg

COMPLETE_VAR = "_STEMCELL_COMPLETE"
# "\b" keeps click from re-wrapping these lines.
EPILOG = ("\b\nExample: stemcell completion bash\n"
          "To install, add to ~/.bashrc: eval \"$(stemcell completion bash)\"\n"
          "or to ~/.zshrc: eval \"$(stemcell completion zsh)\"\n"
          "or run: stemcell completion fish > ~/.config/fish/completions/stemcell.fish")


class Shell(str, Enum):
    """The shells a completion script is written for."""

    BASH = "bash"
    ZSH = "zsh"
    FISH = "fish"


def completion(
    shell: Annotated[Shell, Arg(case_sensitive=False, metavar="SHELL", help="bash, zsh or fish.",
                                            show_default=False)],
) -> None:
    """Print the script that completes commands, conditions and ids in bash, zsh or fish, for you to install."""
    # typer writes the scripts that speak its completion protocol; its public completion module re-exports them.
    from typer.completion import get_completion_script  # type: ignore[attr-defined]

    from stemcell_cli.render.output import write_stdout

    script = get_completion_script(prog_name="stemcell", complete_var=COMPLETE_VAR, shell=shell.value)
    # No comment line before the script: zsh wants `#compdef` first in a file on its fpath.
    write_stdout(f"{script}\n")
