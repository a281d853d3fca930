"""One exception base, its subclasses named after the condition, and the exit codes."""

from __future__ import annotations

from enum import Enum, IntEnum
from typing import NoReturn

import msgspec


class ExitCode(IntEnum):
    """Documented process exit codes."""

    OK = 0
    DATA = 1
    USAGE = 2
    # A bug: sysexits.h's EX_SOFTWARE, so that a script can tell the program's failure from the data's.
    INTERNAL = 70
    # Ctrl-C: 128 + SIGINT, as shells report a command the signal stopped.
    INTERRUPTED = 130


class Severity(str, Enum):
    """Whether a problem fails validation or is only reported."""

    ERROR = "error"
    WARNING = "warning"


class Problem(msgspec.Struct, frozen=True):
    """One located problem in a data file."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    path: str | None = None
    severity: Severity = Severity.ERROR

    def located(self) -> str:
        """Return the problem as one line, location first."""
        prefix = f"{self.severity.value}: "
        if self.path is None:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            return f"{where}: {prefix}{self.message}"
        line = f" (line {self.line})" if self.line is not None else ""
        return f"{self.file}: {self.path}{line}: {prefix}{self.message}"


class ValidationReport(msgspec.Struct, frozen=True):
    """Every problem found in one data file, and whether it passes."""

    file: str
    problems: tuple[Problem, ...]
    strict: bool = False

    @property
    def errors(self) -> int:
        """Return how many problems are errors."""
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        """Return how many problems are warnings."""
        return len(self.problems) - self.errors

    @property
    def passed(self) -> bool:
        """Tell whether the file passes: no errors, and no warnings either when strict."""
        return not (self.errors or (self.strict and self.warnings))

    def lines(self) -> list[str]:
        """Return every problem, location first, then the count."""
        return [p.located() for p in self.problems] + [f"{self.file}: " + count_line(self.errors, self.warnings)]


class StemcellError(Exception):
    """Base of every error the tool reports to the user without a traceback."""

    exit_code: ExitCode = ExitCode.DATA

    def lines(self) -> list[str]:
        """Return the message lines to print on stderr."""
        return [f"error: {self}"]


class DataFileError(StemcellError):
    """The data file cannot be found or read."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.problem = Problem(file, reason)

    def lines(self) -> list[str]:
        """Return the message, location first."""
        return [self.problem.located()]


class DataProblems(StemcellError):
    """The data file was read but has problems."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = tuple(problems)

    def lines(self) -> list[str]:
        """Return every problem, then a count naming the file."""
        errors = sum(p.severity is Severity.ERROR for p in self.problems)
        count = count_line(errors, len(self.problems) - errors)
        files = {p.file for p in self.problems}
        prefix = f"{files.pop()}: " if len(files) == 1 else ""
        return [p.located() for p in self.problems] + [prefix + count]


class OutputFileError(StemcellError):
    """The output file cannot be written."""


class UsageProblem(StemcellError):
    """The command line names something the data does not have."""

    exit_code = ExitCode.USAGE


class UnknownCondition(UsageProblem):
    """No condition in the data has this id or alias."""


class UnknownStudy(UsageProblem):
    """No study of this condition has this id."""


class UnknownClaim(UsageProblem):
    """No claim on this condition's pages has this id."""


class UnknownOutcome(UsageProblem):
    """No outcome of this condition, nor any study's measure, matches the text asked for."""


def assert_never(value: NoReturn) -> NoReturn:
    """End an exhaustive `match`: mypy proves it is never called (typing.assert_never, which Python 3.10 lacks)."""
    # A bug if it runs: the boundary reports it as an internal error, and the type's name alone says which case.
    raise AssertionError(f"no case for {type(value).__name__}")


def count_line(errors: int, warnings: int) -> str:
    """Return the closing count line of a problem list."""
    plural = "s" if errors != 1 else ""
    wplural = "s" if warnings != 1 else ""
    return f"{errors} error{plural}, {warnings} warning{wplural}"


class PageError(StemcellError):
    """A page given to `check` cannot be read as a page: missing, a directory, empty, binary or too large."""

    def __init__(self, page: str, reason: str) -> None:
        super().__init__(f"{page}: {reason}")


class ConditionNotDetected(UsageProblem):
    """A checked page names no condition of the data, or several, and no --condition was given."""
