"""The benchmark's command lines, discovered from the app: every command in every format, and each of its options.

Nothing here is timed. A command, format or option added to the app gets its rows without an edit here; a new
argument or option whose value cannot be guessed from its type stops the benchmark until `SAMPLES` names one.
"""

from __future__ import annotations

import enum
import inspect
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
try:
    import stemcell_cli  # noqa: F401  (installed, or the caller put the source tree on the path)
except ImportError:
    sys.path.insert(0, str(REPO / "src"))

import typer  # noqa: E402

from stemcell_cli.cli.app import app  # noqa: E402
from stemcell_cli.render import OutputFormat  # noqa: E402

CONDITION = "lupus"
TABLE_TARGET = 1.25
MACHINE_TARGET = 0.9
# Words of the command path that stand for a value: the condition group is reached through a condition's name.
PLACEHOLDERS = {"CONDITION": CONDITION}
# Values of arguments and options that no type gives, by parameter name; they exist in the generated data.
SAMPLES = {
    "study_id": "deng2017",
    "claim_id": "lupus-claim0",
    "command": "summary",
    "since": "2015",
    "min_n": "10",
    "outcome": "remission",
    "design": "rct",
    "sort": "n",
    "method": "DL",
    "shell": "bash",
}
# Options every command shares: --format makes the format rows, --data is on every row that reads data, and the
# rest change where output goes or whether the cache is used, which other rows measure.
SHARED = {"fmt", "data", "output", "force", "color", "no_cache", "no_pager"}
# What a command without --format prints.
UNFORMATTED = {"schema": OutputFormat.JSON.value}
# Formats a person reads (validate's `text` is its problems on stderr); every other format is for machines.
HUMAN = {OutputFormat.TABLE.value: TABLE_TARGET, "text": TABLE_TARGET}
# The exit code of a row with this option: the generated data has warnings, which fail a strict validation.
EXITS = {"--strict": 1}
DATA = "FILE"  # stands for the data file in a row's arguments until `argv` is given the real one


@dataclass(frozen=True)
class Command:
    """One runnable command: the words that reach it and its parameters."""

    words: tuple[str, ...]
    params: tuple[Any, ...]

    @property
    def name(self) -> str:
        """Return the command's own name."""
        return self.words[-1]

    def has(self, name: str) -> bool:
        """Tell whether the command takes a parameter of this name."""
        return any(p.name == name for p in self.params)


@dataclass(frozen=True)
class Row:
    """One command line to time, the format it prints and what it stands for."""

    command: Command
    args: tuple[str, ...]
    fmt: str
    option: str | None = None  # the option this row is for, and its type, e.g. "--since (int)"

    @property
    def target(self) -> float:
        """Return the ratio to F the row must stay within: a table may take longer than a machine format."""
        return HUMAN.get(self.fmt, MACHINE_TARGET)

    @property
    def kind(self) -> str | None:
        """Return the type of the option this row is for, if any."""
        return self.option.split("(")[1].rstrip(")") if self.option else None

    @property
    def exit(self) -> int:
        """Return the exit code the row must end with."""
        return EXITS.get((self.option or "").split(" ")[0], 0)

    @property
    def label(self) -> str:
        """Return the command line as the user types it."""
        return "stemcell " + " ".join(self.args)

    def argv(self, data: Path) -> list[str]:
        """Return the arguments with the data file in place."""
        return [str(data) if a == DATA else a for a in self.args]


def commands() -> list[Command]:
    """Return every runnable command of the app, groups walked through their public `commands` mapping."""
    found: list[Command] = []

    def walk(group: Any, words: tuple[str, ...]) -> None:
        for name in list(group.commands):
            command = group.commands[name]
            if hasattr(command, "commands"):
                walk(command, (*words, PLACEHOLDERS.get(name, name)))
            else:
                found.append(Command((*words, name), tuple(command.params)))

    walk(typer.main.get_command(app), ())
    return found


def _annotation(param: Any) -> Any:
    """Return the type a parameter converts to, as Typer describes it."""
    return getattr(getattr(param, "type_descriptor", None), "annotation", None)


def _is_path(param: Any) -> bool:
    """Tell whether a parameter is a path."""
    annotation = _annotation(param)
    return isinstance(annotation, type) and issubclass(annotation, Path)


def kind(param: Any) -> str:
    """Return an option's type as the benchmark names it: flag, choice, int, path or string."""
    if getattr(param, "is_flag", False):
        return "flag"
    annotation = _annotation(param)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "choice"
    if annotation is int:
        return "int"
    if _is_path(param):
        return "path"
    if annotation is str:
        return "string"
    raise SystemExit(f"benchmarks/rows.py: no kind for option {param.name} ({annotation!r})")


def value(param: Any, command: Command) -> str:
    """Return a sample value of a parameter: a path is the data file, a choice its sample or first member."""
    if param.name in SAMPLES:
        return SAMPLES[param.name]
    annotation = _annotation(param)
    if _is_path(param):
        return DATA
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return str(next(iter(annotation)).value)
    raise SystemExit(f"benchmarks/rows.py: add a sample value of {param.name} of `{' '.join(command.words)}`")


def _base(command: Command) -> list[str]:
    """Return the command's words, its arguments and --data: the line every row of the command starts from."""
    args = list(command.words)
    for param in command.params:
        if param.param_type_name == "argument" and (param.required or param.name in SAMPLES or _is_path(param)):
            args.append(value(param, command))
    if command.has("data"):
        args += ["--data", DATA]
    return args


def formats(command: Command) -> list[str]:
    """Return every value the command's --format takes (its own enum: `validate` has text and json)."""
    for param in command.params:
        if param.name == "fmt":
            return [str(member.value) for member in _annotation(param)]
    return [UNFORMATTED.get(command.name, OutputFormat.TABLE.value)]


def _options(command: Command) -> Iterator[Any]:
    """Yield the command's own options (the shared ones aside)."""
    for param in command.params:
        if param.param_type_name == "option" and param.name not in SHARED:
            yield param


def rows() -> list[Row]:
    """Return every row: each command in each format, then each command option in the table and in JSON."""
    found: list[Row] = []
    for command in commands():
        base = _base(command)
        if not command.has("fmt"):
            found.append(Row(command, tuple(base), formats(command)[0]))
            continue
        found += [Row(command, (*base, "--format", fmt), fmt) for fmt in formats(command)]
    for command in commands():
        base = _base(command)
        # Each option once for a person and once for a machine: the first format and JSON.
        shown = dict.fromkeys([formats(command)[0], OutputFormat.JSON.value])
        for param in _options(command):
            words = [param.opts[0]] if kind(param) == "flag" else [param.opts[0], value(param, command)]
            found += [Row(command, (*base, *words, "--format", fmt), fmt, option=f"{param.opts[0]} ({kind(param)})")
                      for fmt in shown]
    return found


def signatures() -> list[tuple[str, Any]]:
    """Return the function behind the root callback and every command, by command path, for annotation checks."""
    group = typer.main.get_command(app)
    found: list[tuple[str, Any]] = [("stemcell", inspect.unwrap(group.callback))] if group.callback else []

    def walk(group: Any, words: tuple[str, ...]) -> None:
        for name in list(group.commands):
            command = group.commands[name]
            path = (*words, PLACEHOLDERS.get(name, name))
            if command.callback is not None:
                found.append((" ".join(path), inspect.unwrap(command.callback)))
            if hasattr(command, "commands"):
                walk(command, path)

    walk(group, ())
    return found
