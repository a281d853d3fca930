"""The public Python API gives each command's result as typed records, and the README's example runs (ring 1)."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from typing import Any, get_type_hints

import pytest

from stemcell_cli import api
from stemcell_cli.cli.spec import Opt
from stemcell_cli.errors import UnknownCondition
from stemcell_cli.evidence.certainty import Level
from stemcell_cli.evidence.grades import Verdict
from stemcell_cli.evidence.results import SofResult, SummaryResult

from .conftest import OTHER, ROOT, SHIPPED
from .reliability.helpers import subprocess_env


def test_the_api_returns_the_same_records_as_the_commands_compute() -> None:
    evidence = api.load(SHIPPED, use_cache=False)
    summary = evidence.summary("sle")
    assert isinstance(summary, SummaryResult)
    sledai = next(v for v in summary.claims if v.claim.id == "sledai")
    assert (sledai.grade.verdict, sledai.grade.certainty) == (Verdict.VERY_UNCERTAIN, Level.VERY_LOW)
    assert evidence.claim("lupus", "safety").view.grade.verdict is Verdict.VERY_UNCERTAIN
    sof = evidence.sof("lupus")
    assert isinstance(sof, SofResult)
    assert sof.rows[0].outcome.id == "remission"
    assert [s.id for s in evidence.studies("lupus", since=2022).studies] == [
        "kamen2022", "ranjbar2022", "zeng2022", "bao2023", "farge2025", "scrt2025"]
    assert evidence.study("lupus", "deng2017").ref.n == 18
    assert len(evidence.conditions().conditions) == 10
    assert evidence.trials("lupus").trials[0].id == "NCT01539902"
    assert evidence.overview("lupus").points[0].topic == "what_it_is"
    assert evidence.contrasts("lupus").contrasts[0].study.id == "deng2017"
    assert evidence.claims("lupus").explain is False
    assert evidence.claims("lupus", explain=True).explain is True
    assert evidence.effects("lupus", outcome="remission").condition.id == "lupus"
    knha = evidence.effects("lupus", method=api.RandomMethod.DL, hartung_knapp=True, binary=api.BinaryMeasure.OR,
                            continuous=api.ContinuousMeasure.SMD)
    assert (knha.method.value, knha.test.value, knha.binary.value, knha.continuous.value) == ("DL", "knha", "OR", "SMD")


def _views() -> list[tuple[str, Any]]:
    """Return each command that shows a result, by name, with its view function."""
    from stemcell_cli.cli import condition_commands, data_commands

    return [("conditions", data_commands.conditions), ("find", data_commands.find),
            *((shown.view.__name__, shown.view) for shown in condition_commands.COMMANDS)]


def _parameters(function: Any, skip: int) -> list[tuple[str, str, object, object]]:
    """Return (name, kind, default, type) of each parameter after the first `skip`, kind "argument" or "option"."""
    hints = get_type_hints(function)
    declared = get_type_hints(function, include_extras=True)
    found = []
    for parameter in list(inspect.signature(function).parameters.values())[skip:]:
        # An option is an Opt on the command line, a keyword-only parameter in the API.
        extras = getattr(declared[parameter.name], "__metadata__", ())
        option = parameter.kind is inspect.Parameter.KEYWORD_ONLY or any(
            isinstance(extra, Opt) for extra in extras)
        found.append((parameter.name, "option" if option else "argument", parameter.default, hints[parameter.name]))
    return found


@pytest.mark.parametrize(("name", "view"), _views(), ids=[name for name, _ in _views()])
def test_each_command_calls_the_api_method_of_its_name_with_the_same_arguments_and_options(name: str,
                                                                                          view: Any) -> None:
    method = getattr(api.Evidence, name)
    # The view takes the API and the condition as typed; the method takes itself and the condition.
    supplied = 1 if name in ("conditions", "find") else 2
    assert list(get_type_hints(view).items())[:supplied] == [("evidence", api.Evidence), ("condition", str)][:supplied]
    assert _parameters(view, supplied) == _parameters(method, supplied), name


def test_every_api_method_that_gives_a_result_is_a_command() -> None:
    methods = {name for name, value in vars(api.Evidence).items() if callable(value) and not name.startswith("_")}
    # `diff` compares two loaded files (the `stemcell diff OLD NEW` command), and no condition has it.
    assert methods - {"condition", "check", "diff"} == {name for name, _ in _views()}


def test_the_check_method_is_the_check_command() -> None:
    # `check` takes a page rather than a condition, so its command is declared on its own (cli/check_command.py).
    from stemcell_cli.cli import check_command

    assert list(inspect.signature(api.Evidence.check).parameters) == ["self", "page", "condition"]
    assert {"page", "condition"} <= set(inspect.signature(check_command.check).parameters)


def test_an_unknown_condition_raises_the_projects_error_with_a_suggestion() -> None:
    evidence = api.load(OTHER, use_cache=False)
    with pytest.raises(UnknownCondition, match="did you mean 'widgetitis'"):
        evidence.summary("widgetits")


def test_the_readme_example_runs_and_prints_what_it_says() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code, expected = re.findall(r"```python\n(.*?)```\n\nprints:\n\n```text\n(.*?)```", readme, re.DOTALL)[0]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=subprocess_env(),
                          timeout=60, check=True)
    assert done.stdout == expected
