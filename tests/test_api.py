"""The public Python API gives each command's result as typed records, and the README's example runs (ring 1)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from stemcell_cli import api
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
    assert len(evidence.conditions().conditions) == 5
    assert evidence.trials("lupus").trials[0].id == "NCT01539902"
    assert evidence.overview("lupus").points[0].topic == "what_it_is"
    assert evidence.contrasts("lupus").contrasts[0].study.id == "deng2017"
    assert evidence.claims("lupus").explain is True
    assert evidence.effects("lupus", "remission").condition.id == "lupus"


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
