"""Shared fixtures: paths, the synthetic second dataset, and a CliRunner through the real app."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from stemcell_cli.cli.app import app
from stemcell_cli.model import Dataset

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
OTHER = FIXTURES / "other_condition.yaml"
SHIPPED = ROOT / "data" / "studies.yaml"


def other_warnings(path: Path | str = OTHER) -> str:
    """Return what a command prints on stderr for (a copy of) the synthetic dataset given with --data: one warning."""
    return f"{path}: $.claims[1] (line 32): warning: claim 'cure' has no supporting study\n"


def mixed_warnings(path: Path | str) -> str:
    """Return the load warnings a command prints on stderr for the mixed dataset written by write_mixed."""
    return (f"{path}: $.claims[2] (line 1): warning: claim 'cure' has no supporting study\n"
            f"{path}: $.claims[9] (line 1): warning: claim 'conclusion_wang2018' has no supporting study\n")


OTHER_WARNINGS = other_warnings()


def after_warnings(stderr: str, path: Path | str = OTHER) -> str:
    """Return what followed the synthetic dataset's load warning on stderr; the warning must come first."""
    warning = other_warnings(path)
    assert stderr.startswith(warning), stderr
    return stderr[len(warning):]


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep every test away from the user's environment and cache."""
    for name in ("STEMCELL_DATA", "NO_COLOR", "FORCE_COLOR", "STEMCELL_DEBUG", "STEMCELL_NO_CACHE",
                 "STEMCELL_FORCE_TTY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STEMCELL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "100")


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    """Invoke the real Typer app with separate stdout and stderr, drawn as on a terminal unless env unsets it."""
    # CliRunner's stdout is no terminal; {"STEMCELL_FORCE_TTY": None} in env gives the piped output instead.
    return CliRunner().invoke(app, list(args), prog_name="stemcell", env={"STEMCELL_FORCE_TTY": "1", **(env or {})})


def run_other(*args: str) -> Result:
    """Invoke the app on the synthetic second dataset."""
    return run(*args, "--data", str(OTHER))


@functools.cache
def mixed_dataset() -> Dataset:
    """Return the shipped and the synthetic data in one file's worth, records interleaved, with links across them.

    A third condition has no records at all. Widgetitis refers to lupus studies (an overlap that reaches further
    lupus studies through theirs, a citation issue, a trial's publication) and a lupus trial to a widgetitis study,
    so that a condition's slice must take in studies of another.
    """
    from itertools import zip_longest

    import msgspec

    from stemcell_cli.loading import load
    from stemcell_cli.loading.slices import narrowed
    from stemcell_cli.model import Condition

    # The lupus condition and its records only: the other shipped conditions would only shift every position.
    shipped = load(SHIPPED, use_cache=False).dataset
    lupus = msgspec.structs.replace(narrowed(shipped, "lupus"), conditions=shipped.conditions[:1])
    widget = load(OTHER, use_cache=False).dataset

    def mixed(name: str, linked: dict[str, dict[str, object]]) -> tuple[Any, ...]:
        pairs = zip_longest(getattr(widget, name), getattr(lupus, name))
        records = [record for pair in pairs for record in pair if record is not None]
        return tuple(msgspec.structs.replace(r, **linked[r.id]) if r.id in linked else r for r in records)

    empty = Condition(id="emptyitis", name="Emptyitis (synthetic)", aliases=("mty",))
    return msgspec.structs.replace(
        lupus,
        conditions=(*lupus.conditions, *widget.conditions, empty),
        sources={**lupus.sources, **widget.sources},
        studies=mixed("studies", {"cole2003": {"overlaps_with": ("wang2018",)}}),
        pages=(*widget.pages, *lupus.pages),
        claims=mixed("claims", {}),
        citation_issues=mixed("citation_issues", {"issue-cure": {"study": "zhou2020"}}),
        trials=mixed("trials", {"NCT00000002": {"published_as": "deng2017"},
                                "NCT03171194": {"published_as": "baker2002"}}),
    )


def write_mixed(target: Path) -> Path:
    """Write the mixed dataset as a data file (JSON, which the YAML loader reads) and return its path."""
    import msgspec

    target.write_bytes(msgspec.json.encode(mixed_dataset()))
    return target
