"""Shell completion offers condition names and study ids from the data."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from stemcell_cli.cli.app import app

from .conftest import OTHER


def _complete(words: str, cword: int, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("STEMCELL_DATA", str(OTHER))
    env = {"_STEMCELL_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    result = CliRunner().invoke(app, [], env=env, prog_name="stemcell")
    assert result.exit_code == 0
    return result.stdout.split()


def test_first_word_completes_commands_and_condition_names(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _complete("stemcell ", 1, monkeypatch) == ["conditions", "find", "validate", "schema", "help", "diff",
                                                      "completion", "check", "widgetitis", "wdg"]
    assert _complete("stemcell w", 1, monkeypatch) == ["widgetitis", "wdg"]


def test_study_argument_completes_ids_of_that_condition(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _complete("stemcell wdg study ", 3, monkeypatch) == ["able2001", "baker2002", "cole2003"]
    assert _complete("stemcell widgetitis study c", 3, monkeypatch) == ["cole2003"]


def test_completion_ignores_case_like_the_look_ups(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _complete("stemcell W", 1, monkeypatch) == ["widgetitis", "wdg"]
    assert _complete("stemcell WDG study a", 3, monkeypatch) == ["able2001"]


def test_completion_descriptions_never_carry_escape_sequences(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(OTHER.read_text(encoding="utf-8").replace(
        "name: Widgetitis (synthetic)", 'name: "Widgetitis \\e]52;c;aGVsbG8=\\a(synthetic)"'), encoding="utf-8")
    monkeypatch.setenv("STEMCELL_DATA", str(hostile))
    env = {"_STEMCELL_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "stemcell "}
    result = CliRunner().invoke(app, [], env=env, prog_name="stemcell")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    assert "Widgetitis \\x1b]52;c;aGVsbG8=\\x07(synthetic)" in result.stdout
