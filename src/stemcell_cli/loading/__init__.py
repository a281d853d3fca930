"""From a file or the shipped resource to a validated model; the only layer that reads YAML."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from stemcell_cli.errors import DataProblems, Problem, Severity
from stemcell_cli.loading.source import DataText, read_data, resolve_path
from stemcell_cli.model import Dataset


@dataclass(frozen=True)
class Loaded:
    """A validated dataset, where it came from, and the warnings found in it."""

    dataset: Dataset
    label: str
    warnings: tuple[Problem, ...]


def load(option: Path | None = None, *, pure: bool = False, use_cache: bool = True) -> Loaded:
    """Load and validate the dataset named by --data, the environment, or the shipped file."""
    path, origin = resolve_path(option)
    text = read_data(path, origin)
    dataset, problems = examine(text, pure=pure)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if dataset is None or errors:
        raise DataProblems(errors or problems)
    return Loaded(dataset, text.label, tuple(problems))


def examine(text: DataText, *, pure: bool = False) -> tuple[Dataset | None, list[Problem]]:
    """Parse, convert and check one data file; return the dataset (if typed) and every problem, located."""
    from stemcell_cli.loading.checks import check_dataset
    from stemcell_cli.loading.schema import convert_dataset
    from stemcell_cli.loading.yaml_reader import parse_yaml

    obj = parse_yaml(text.text, text.label, pure=pure)
    dataset, problems = convert_dataset(obj, text.label)
    if dataset is not None:
        problems = check_dataset(dataset, text.label, current_year=datetime.date.today().year)
    return dataset, _with_lines(problems, text, pure=pure)


def _with_lines(problems: list[Problem], text: DataText, *, pure: bool) -> list[Problem]:
    """Add the line where each path-located problem can be found."""
    if not any(p.path and p.line is None for p in problems):
        return problems
    from dataclasses import replace

    from stemcell_cli.loading.yaml_reader import node_lines

    lines = node_lines(text.text, pure=pure)
    located = []
    for problem in problems:
        if problem.path and problem.line is None:
            problem = replace(problem, line=_nearest(lines, problem.path))
        located.append(problem)
    return located


def _nearest(lines: dict[str, int], path: str) -> int | None:
    """Return the line of a path, or of its closest ancestor that has one."""
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        if cut <= 0:
            break
        path = path[:cut]
    return lines.get("$")


def validate_file(option: Path | None) -> tuple[str, list[Problem]]:
    """Return the label of the file checked and every problem in it (reading errors included)."""
    from stemcell_cli.errors import DataFileError

    path, origin = resolve_path(option)
    try:
        text = read_data(path, origin)
        return text.label, examine(text)[1]
    except DataFileError as exc:
        return str(path), [Problem(str(path), str(exc).removeprefix(f"{path}: "))]
    except DataProblems as exc:
        return str(path), list(exc.problems)
