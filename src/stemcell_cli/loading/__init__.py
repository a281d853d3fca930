"""From a file or the shipped resource to a validated model; the only layer that reads YAML."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import msgspec

from stemcell_cli.errors import DataProblems, Problem, Severity
from stemcell_cli.loading.slices import narrowed
from stemcell_cli.loading.source import (
    STDIN_LABEL,
    DataText,
    is_shipped,
    is_stdin,
    pure_requested,
    read_data,
    resolve_path,
)
from stemcell_cli.model import DataFile, Dataset, Provenance
from stemcell_cli.names import condition_called


class Loaded(msgspec.Struct, frozen=True):
    """A validated dataset, where it came from, whether it is the shipped file, and the warnings found in it."""

    dataset: Dataset
    label: str
    warnings: tuple[Problem, ...]
    # The shipped file's warnings are reviewed by its curators and shown by `validate` alone, which locates them
    # itself: read here, they may lack their line.
    shipped: bool
    # The bytes read, kept so that an output that names its source can hash them when, and only when, it is written.
    text: DataText

    def provenance(self) -> Provenance:
        """Return where results of this file come from: the tool's version, the file's name, schema and SHA-256."""
        from stemcell_cli import __version__

        source = DataFile(file=self.text.name, schema_version=self.dataset.schema_version, sha256=self.text.sha256)
        return Provenance(version=__version__, data=(source,))


# Called with the label and size of a file about to be parsed cold; what it returns is entered around the parse.
ParseWatch = Callable[[str, int], AbstractContextManager[object]]


def load(option: str | Path | None = None, *, pure: bool = False, use_cache: bool = True,
         condition: str | None = None, watch: ParseWatch | None = None, argument: bool = False) -> Loaded:
    """Load and validate the data file (`-`: standard input; cached by content), narrowed to a condition if named.

    `argument`: the file is a command's argument (as `diff`'s), not the --data option, which errors then do not name.
    """
    from stemcell_cli.loading.cache import FREEZE_BYTES, ParseCache, cache_key, paused_gc

    # Read here, not via yaml_reader, so that a cache hit never imports yaml.
    pure = pure_requested(pure)
    path, origin = resolve_path(option)
    if argument:
        origin = "argument"
    text = read_data(path, origin)
    shipped = is_shipped(path, text.raw)
    # An explicit pure-Python parse is asked for to exercise that loader, so the cache must not answer it.
    store = ParseCache.default() if use_cache and not pure else None
    key = cache_key(text.raw) if store is not None else ""
    with paused_gc(freeze=len(text.raw) >= FREEZE_BYTES):
        hit = store.get(key, text.label, condition, located=not shipped) if store is not None else None
        if hit is not None:
            return Loaded(hit[0], text.label, hit[1], shipped, text)
        if watch is None:
            dataset, problems = examine(text, pure=pure, locate_warnings=not shipped)
        else:
            with watch(text.label, len(text.raw)):
                dataset, problems = examine(text, pure=pure, locate_warnings=not shipped)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if dataset is None or errors:
        raise DataProblems(errors or problems)
    warnings = tuple(problems)
    if store is not None:
        store.put(key, dataset, warnings, located=not shipped)
    if condition is not None:
        # A parse narrows too, so that a command sees the same records whether or not the cache answered.
        dataset = _narrowed(dataset, condition)
    return Loaded(dataset, text.label, warnings, shipped, text)


def examine(text: DataText, *, pure: bool = False,
            locate_warnings: bool = True) -> tuple[Dataset | None, list[Problem]]:
    """Parse, convert and check one data file; return the dataset (if typed) and every problem, errors located."""
    from stemcell_cli.loading.checks import check_dataset, check_partial
    from stemcell_cli.loading.printed import NumberTexts, attach_printed
    from stemcell_cli.loading.schema import convert_dataset, convert_partial
    from stemcell_cli.loading.yaml_reader import parse_yaml
    from stemcell_cli.model import SCHEMA_VERSION

    texts = NumberTexts()
    obj = parse_yaml(text.text, text.label, pure=pure, texts=texts)
    # Each number keeps the text the file writes for it (`-1.00`, `2505.0`), so that output shows it as printed.
    attach_printed(obj, texts)
    del texts  # its index of every mapping is not needed once the texts are attached
    dataset, problems = convert_dataset(obj, text.label)
    year = datetime.date.today().year
    if dataset is not None:
        problems = check_dataset(dataset, text.label, current_year=year)
    elif isinstance(obj, dict) and obj.get("schema_version", SCHEMA_VERSION) in (SCHEMA_VERSION, None):
        # Type problems stop the dataset, not the checks: the records that fit are checked too, so that
        # one run lists every problem.
        problems += check_partial(convert_partial(obj), text.label, current_year=year)
    # Lines are found by a second pass over the YAML, which costs about 40% of a cold load: it is skipped when
    # nobody will see the warnings, but an error is always shown.
    if locate_warnings or any(p.severity is Severity.ERROR for p in problems):
        problems = _with_lines(problems, text, pure=pure)
    return dataset, sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def _with_lines(problems: list[Problem], text: DataText, *, pure: bool) -> list[Problem]:
    """Add the line where each path-located problem can be found."""
    if not any(p.path and p.line is None for p in problems):
        return problems
    from stemcell_cli.loading.yaml_lines import node_lines

    lines = node_lines(text.text, [p.path for p in problems if p.path and p.line is None], pure=pure)
    located = []
    for problem in problems:
        if problem.path and problem.line is None:
            problem = msgspec.structs.replace(problem, line=_nearest(lines, problem.path))
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


class Checked(msgspec.Struct, frozen=True):
    """A data file as `validate` checked it: its label, every problem, and the file as a source if it was read."""

    label: str
    problems: list[Problem]
    source: DataFile | None


def check_file(option: str | Path | None, *, watch: ParseWatch | None = None) -> Checked:
    """Check a data file (`-`: standard input): every problem in it, reading errors included, and what was read."""
    from stemcell_cli.errors import DataFileError
    from stemcell_cli.loading.cache import ParseCache, cache_key, paused_gc, remember

    if option is None:
        path, origin = resolve_path(None)
    else:
        path, origin = (None if is_stdin(option) else Path(option)), "argument"
    label = STDIN_LABEL if path is None else str(path)
    text: DataText | None = None
    try:
        text = read_data(path, origin)
        # The cache holds only files without errors, with their warnings, under a key that covers the checking code
        # and the year: its answer is the list a parse would give.
        store = ParseCache.default() if not pure_requested(False) else None
        hit = store.get(cache_key(text.raw), text.label, located=True) if store is not None else None
        if hit is not None:
            return Checked(text.label, list(hit[1]), _source(text, hit[0].schema_version))
        with paused_gc():
            if watch is None:
                dataset, problems = examine(text)
            else:
                with watch(text.label, len(text.raw)):
                    dataset, problems = examine(text)
        # validate parses anyway (it must list every problem), so it leaves the cache warm for the next command.
        remember(text.raw, dataset, problems)
        return Checked(text.label, problems, _source(text, dataset.schema_version if dataset is not None else None))
    except DataFileError as exc:
        return Checked(label, [exc.problem], None)
    except DataProblems as exc:
        # Bytes that are not UTF-8 were still read: they are the file the problems are about.
        return Checked(label, list(exc.problems), _source(text, None) if text is not None else None)


def _source(text: DataText, schema_version: int | None) -> DataFile:
    """Return a file `validate` read as a source: its name, the schema version it declares (if any), its hash."""
    return DataFile(file=text.name, schema_version=schema_version, sha256=text.sha256)


def _narrowed(dataset: Dataset, name: str) -> Dataset:
    """Return the dataset narrowed to the slice of the condition that answers to a name (no records if none)."""
    found = condition_called(name, dataset.conditions)
    return narrowed(dataset, found.id if found is not None else None)
