"""No view draws more lines on a wider terminal: every condition command on every condition at 80 to 160 columns.

The conditions, their studies and claims come from the data and the commands from the app, so a new condition or a
new view is measured too (ring 3).
"""

from __future__ import annotations

import itertools
from functools import cache

import pytest

from stemcell_cli import api
from stemcell_cli.evidence.lookup import claims_of, studies_of

from .app_commands import condition_commands
from .conftest import SHIPPED, run

EVIDENCE = api.load(SHIPPED, use_cache=False)
CONDITIONS = [c.id for c in EVIDENCE.dataset.conditions]
COMMANDS = [command.name for command in condition_commands()]
WIDTHS = (80, 100, 120, 160)


def _cases(condition: str, command: str) -> list[list[str]]:
    """Return the command lines of one command on one condition: each study, each claim, and --explain for claims."""
    found = EVIDENCE.condition(condition)
    if command == "study":
        return [[command, s.id] for s in studies_of(EVIDENCE.dataset, found)]
    if command == "claim":
        return [[command, c.id] for c in claims_of(EVIDENCE.dataset, found)]
    return [[command], [command, "--explain"]] if command == "claims" else [[command]]


@cache
def _pager(command: str) -> list[str]:
    """Return --no-pager for a command that pages, so that the view itself is measured."""
    return ["--no-pager"] if "--no-pager" in run("lupus", command, "--help").stdout else []


def lines_at(condition: str, args: list[str], width: int) -> int:
    """Return how many lines a command line draws on a terminal of this width; none may be wider."""
    done = run(condition, *args, "--data", str(SHIPPED), *_pager(args[0]), env={"STEMCELL_FORCE_TTY": str(width)})
    assert (done.exit_code, done.stderr) == (0, ""), done.stderr
    return len(done.stdout.splitlines())


def test_the_commands_and_conditions_come_from_the_app_and_the_data() -> None:
    assert set(COMMANDS) >= {"summary", "overview", "sof", "claims", "claim", "contrasts", "studies", "study",
                             "trials", "effects"}
    assert set(CONDITIONS) >= {"lupus", "knee-osteoarthritis", "heart-failure", "multiple-sclerosis",
                               "amyotrophic-lateral-sclerosis"}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("condition", CONDITIONS)
def test_a_wider_terminal_never_draws_a_longer_view(condition: str, command: str) -> None:
    longer = []
    for args in _cases(condition, command):
        counts = [lines_at(condition, args, width) for width in WIDTHS]
        longer += [(args, dict(zip(WIDTHS, counts, strict=True)))
                   for narrow, wide in itertools.pairwise(counts) if wide > narrow][:1]
    assert longer == []
