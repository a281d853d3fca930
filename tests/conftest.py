"""Shared fixtures: paths, the synthetic second dataset, and a CliRunner through the real app."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from stemcell_cli.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
OTHER = FIXTURES / "other_condition.yaml"
SHIPPED = ROOT / "data" / "studies.yaml"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep every test away from the user's environment and cache."""
    for name in ("STEMCELL_DATA", "NO_COLOR", "FORCE_COLOR", "STEMCELL_DEBUG", "STEMCELL_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STEMCELL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "100")


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """Invoke the real Typer app with separate stdout and stderr."""
    return CliRunner().invoke(app, list(args), prog_name="stemcell", env=env)


def run_other(*args: str) -> Result:
    """Invoke the app on the synthetic second dataset."""
    return run(*args, "--data", str(OTHER))
