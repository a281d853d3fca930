"""The benchmark's command lines, discovered from the app: every command in every format, and each of its options.

Nothing here is timed. A command, format or option added to the app gets its rows without an edit here; a new
argument or option whose value cannot be guessed from its type stops the benchmark until the tests' table of samples
(tests/app_commands.py) names one for the generated data.
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
# The tests' one walk over the app's commands and their one table of samples serve the benchmark too.
sys.path.insert(0, str(REPO))

from tests.app_commands import CONDITION, SAMPLES, AppCommand, app_commands, root, walk  # noqa: E402

from stemcell_cli.render import OutputFormat  # noqa: E402

DATASET = "generated"  # the key of the generated files' samples
TABLE_TARGET = 1.25
MACHINE_TARGET = 0.9
# Options every command shares: --format makes the format rows, --data is on every row that reads data, and the
# rest change where output goes or whether the cache is used, which other rows measure.
SHARED = {"fmt", "data", "output", "force", "color", "no_cache", "quiet", "no_pager"}
# What a command without --format prints.
UNFORMATTED = {"schema": OutputFormat.JSON.value}
# Formats a person reads (validate's `text` is its problems on stderr); every other format is for machines.
HUMAN = {OutputFormat.TABLE.value: TABLE_TARGET, "text": TABLE_TARGET}
# The exit code of a row with this option: the generated data has warnings, which fail a strict validation.
EXITS = {"--strict": 1}
DATA = "FILE"  # stands for the data file in a row's arguments until `argv` is given the real one
PAGE = "PAGE"  # stands for the 100 KB page benchmarks/generate.py writes beside the data files
STUBS = "STUBS"  # stands for a file the row writes (with --force, so that every round can write it again)
# Commands with their own targets, by format ("*": every other format). `check` reads and parses a 100 KB page
# before it grades anything; a report is laid out whole (every claim, the Summary of Findings, a plot per estimate,
# the references), so it may take longer than a record format, in either of its formats.
COMMAND_TARGETS = {"check": {OutputFormat.TABLE.value: 1.5, "*": 1.0}, "report": {"*": 1.5}}
# Options that write a file: their rows add --force.
WRITES = {"emit_yaml"}


@dataclass(frozen=True)
class Row:
    """One command line to time, the format it prints and what it stands for."""

    command: AppCommand
    args: tuple[str, ...]
    fmt: str
    option: str | None = None  # the option this row is for, and its type, e.g. "--since (int)"
    shipped: bool = False  # run on the shipped data file rather than a generated one

    @property
    def target(self) -> float:
        """Return the ratio to F the row must stay within: a table may take longer than a machine format."""
        own = COMMAND_TARGETS.get(self.command.name)
        if own is not None:
            return own.get(self.fmt, own["*"])
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
        """Return the arguments with the data file in place (a row on the shipped data names none)."""
        from generate import PAGE_NAME

        places = {DATA: str(data), PAGE: str(data.parent / PAGE_NAME), STUBS: str(data.parent / "stubs.yaml")}
        return [places.get(a, a) for a in self.args]

    @property
    def described(self) -> str:
        """Return the row as the benchmark's table names it: the command line, the option's type and the data."""
        data = " (shipped data)" if self.shipped else " (100 studies)" * (self.fmt == "table")
        return f"`{self.label}`" + (f" ({self.kind})" if self.kind else "") + data


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


def _missing(param: Any, command: AppCommand) -> SystemExit:
    """Return the stop that asks for a sample value of a parameter."""
    return SystemExit(f"benchmarks/rows.py: add a sample value of {param.name} of `{' '.join(command.words)}` to "
                      f"SAMPLES[{DATASET!r}] in tests/app_commands.py")


def value(param: Any, command: AppCommand) -> str:
    """Return a sample value of a parameter: a path is the data file, a choice its sample or first member."""
    if param.name in SAMPLES[DATASET]:
        return SAMPLES[DATASET][param.name]
    annotation = _annotation(param)
    if _is_path(param):
        return DATA
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return str(next(iter(annotation)).value)
    raise _missing(param, command)


def _base(command: AppCommand) -> list[str]:
    """Return the command's words, its arguments and --data: the line every row of the command starts from."""
    paths = {param.name: DATA for param in command.params if _is_path(param)}
    arguments = command.arguments({**SAMPLES[DATASET], **paths})
    if arguments is None:
        raise _missing(next(p for p in command.params if p.param_type_name == "argument" and p.required), command)
    args = [*command.words_on(DATASET), *arguments]
    if command.has("data"):
        args += ["--data", DATA]
    return args


def formats(command: AppCommand) -> list[str]:
    """Return every value the command's --format takes (its own enum: `validate` has text and json)."""
    return command.formats() or [UNFORMATTED.get(command.name, OutputFormat.TABLE.value)]


def _options(command: AppCommand) -> Iterator[Any]:
    """Yield the command's own options (the shared ones aside)."""
    for param in command.params:
        if param.param_type_name == "option" and param.name not in SHARED:
            yield param


def rows() -> list[Row]:
    """Return every row: each command in each format, then each command option in the table and in JSON."""
    found: list[Row] = []
    for command in app_commands():
        base = _base(command)
        if not command.has("fmt"):
            found.append(Row(command, tuple(base), formats(command)[0]))
            continue
        found += [Row(command, (*base, "--format", fmt), fmt) for fmt in formats(command)]
    for command in app_commands():
        base = _base(command)
        # Each option once for a person and once for a machine: the first format and JSON.
        shown = dict.fromkeys([formats(command)[0], *[f for f in formats(command) if f == OutputFormat.JSON.value]])
        for param in _options(command):
            words = [param.opts[0]] if kind(param) == "flag" else [param.opts[0], value(param, command)]
            if param.name in WRITES:
                words.append("--force")
            found += [Row(command, (*base, *words, "--format", fmt), fmt, option=f"{param.opts[0]} ({kind(param)})")
                      for fmt in shown]
    return found


def shipped_samples() -> dict[str, dict[str, str]]:
    """Return, for every condition of the shipped data, the ids its commands are run with: its first claim and study."""
    from stemcell_cli.api import load
    from stemcell_cli.evidence.lookup import claims_of, studies_of

    dataset = load().dataset
    samples = {}
    for condition in dataset.conditions:
        claims, studies = claims_of(dataset, condition), studies_of(dataset, condition)
        samples[condition.id] = {CONDITION: condition.id, **({"claim_id": claims[0].id} if claims else {}),
                                 **({"study_id": studies[0].id} if studies else {})}
    return samples


def shipped_rows(samples: dict[str, dict[str, str]] | None = None) -> list[Row]:
    """Return every command in every format on the shipped data, for every condition; flags in a table and JSON."""
    samples = shipped_samples() if samples is None else samples
    found: list[Row] = []
    for command in app_commands():
        if not command.on_condition:
            # `validate` and `check` parse the file they read on every run: their rows are on the generated files.
            arguments = command.arguments(SAMPLES[DATASET])
            if command.has("fmt") and command.name not in ("validate", "check") and arguments is not None:
                base = (*command.words, *arguments)
                found += [Row(command, (*base, "--format", fmt), fmt, shipped=True) for fmt in formats(command)]
            continue
        for condition, values in samples.items():
            arguments = command.arguments(values)
            if arguments is None:
                continue  # a condition without claims or studies has no `claim ID` or `study ID` to time
            base = (condition, *command.words[1:], *arguments)
            found += [Row(command, (*base, "--format", fmt), fmt, shipped=True) for fmt in formats(command)]
            # A flag changes what is computed and shown (claims --explain): each in a table and in JSON too.
            for param in _options(command):
                if kind(param) == "flag":
                    shown = dict.fromkeys([formats(command)[0], OutputFormat.JSON.value])
                    found += [Row(command, (*base, param.opts[0], "--format", fmt), fmt, f"{param.opts[0]} (flag)",
                                  shipped=True) for fmt in shown]
    return found


def signatures() -> list[tuple[str, Any]]:
    """Return the function behind the root callback and every command, by command path, for annotation checks."""
    group = root()
    found: list[tuple[str, Any]] = [("stemcell", inspect.unwrap(group.callback))] if group.callback else []
    return found + [(" ".join(node.words), inspect.unwrap(node.command.callback)) for node in walk()
                    if node.command.callback is not None]
