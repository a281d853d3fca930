"""The app's commands, found by one walk over it, and the one table of sample arguments that runs them.

Every test that runs each command (help, golden output, import cost, documentation) and the benchmark's rows take
their commands from here, so that a new command cannot escape them; an argument whose value no type gives stops them
until SAMPLES names one for the data it runs on.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import typer

from stemcell_cli.cli.app import app

# The name of the group of condition commands: a command line puts a condition of the data in its place.
CONDITION = "CONDITION"

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"

# By the data a command line runs on, the value of each argument or option that no type gives, by parameter name;
# CONDITION is the condition that stands in for the group's name.
SAMPLES: dict[str, dict[str, str]] = {
    # tests/fixtures/other_condition.yaml, the synthetic second dataset.
    "other": {CONDITION: "wdg", "study_id": "able2001", "claim_id": "pain", "command": "summary", "shell": "bash",
              "term": "10.5555/able.2001", "page": str(PAGES / "widgetitis-page.txt"), "since": "2001", "min_n": "10",
              "outcome": "pain", "design": "rct", "sort": "n", "method": "DL", "condition": "wdg"},
    # tests/fixtures/outcome_condition.yaml: the same records with their outcomes curated as numbers.
    "outcomes": {CONDITION: "gdg", "study_id": "able2001", "claim_id": "pain", "command": "summary",
                 "shell": "bash", "term": "able2001"},
    # tests/fixtures/bare_condition.yaml: a condition without records, so no record to name.
    "bare": {CONDITION: "bare"},
    # The files benchmarks/generate.py writes.
    "generated": {CONDITION: "lupus", "study_id": "deng2017", "claim_id": "lupus-claim0", "command": "summary",
                  "shell": "bash", "term": "deng2017", "since": "2015", "min_n": "10", "outcome": "remission",
                  "design": "rct", "sort": "n", "method": "DL", "page": "PAGE", "condition": "lupus",
                  "emit_yaml": "STUBS"},
}


@dataclass(frozen=True)
class AppCommand:
    """A command or group of the app: the words that reach it (the condition group's name as declared) and itself."""

    words: tuple[str, ...]
    command: Any

    @property
    def name(self) -> str:
        """Return the command's own name."""
        return self.words[-1]

    @property
    def params(self) -> tuple[Any, ...]:
        """Return the command's parameters, its arguments and options."""
        return tuple(self.command.params)

    @property
    def is_group(self) -> bool:
        """Tell whether this is a group of commands rather than a command that runs."""
        return hasattr(self.command, "commands")

    @property
    def on_condition(self) -> bool:
        """Tell whether the command is reached through a condition's name."""
        return self.words[:1] == (CONDITION,)

    def has(self, name: str) -> bool:
        """Tell whether the command takes a parameter of this name."""
        return any(param.name == name for param in self.params)

    def formats(self) -> list[str]:
        """Return every value its --format takes (validate has its own), or none when it has no --format."""
        for param in self.params:
            if param.name == "fmt":
                choices: type[enum.Enum] = param.type_descriptor.annotation
                return [str(member.value) for member in choices]
        return []

    def words_on(self, data: str) -> list[str]:
        """Return the words that reach the command, the condition group's name replaced by a sample condition."""
        return [SAMPLES[data][CONDITION] if word == CONDITION else word for word in self.words]

    def arguments(self, samples: Mapping[str, str]) -> list[str] | None:
        """Return the values of the arguments that are required or have a sample; None if a required one has none."""
        values = []
        for param in self.params:
            if param.param_type_name == "argument" and (param.required or param.name in samples):
                if param.name not in samples:
                    return None
                values.append(samples[param.name])
        return values


def _walk(group: Any, words: tuple[str, ...]) -> Iterator[AppCommand]:
    """Yield every command and group below a group, each group before its commands, in the app's order."""
    for name in list(group.commands):
        found = AppCommand((*words, name), group.commands[name])
        yield found
        if found.is_group:
            yield from _walk(found.command, found.words)


@cache
def root() -> Any:
    """Return the app's root group, as Typer builds it."""
    return typer.main.get_command(app)


@cache
def walk() -> tuple[AppCommand, ...]:
    """Return every command and group of the app, each group before its commands (this builds them all)."""
    return tuple(_walk(root(), ()))


def app_commands() -> list[AppCommand]:
    """Return every command of the app that runs, in the app's order."""
    return [found for found in walk() if not found.is_group]


def condition_commands() -> list[AppCommand]:
    """Return the commands on one condition, in the order of their table."""
    return [found for found in app_commands() if found.on_condition]


def root_commands() -> list[AppCommand]:
    """Return the commands on the data as a whole, reached by their name alone."""
    return [found for found in app_commands() if len(found.words) == 1]
