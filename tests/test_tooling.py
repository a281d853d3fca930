"""The strict tooling in pyproject.toml holds: ruff and mypy --strict pass on the whole project."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def _tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False,
                          timeout=300)


def test_ruff_passes() -> None:
    result = _tool("ruff", "check", "src", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_passes() -> None:
    result = _tool("mypy", "src")
    assert result.returncode == 0, result.stdout + result.stderr
